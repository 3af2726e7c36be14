// A snippet without `use` lines: the well-known RustCrypto and openssl names are assumed.
fn encrypt(key: &[u8], data: &[u8]) -> Vec<u8> {
    // ruleid: CG-CORE002
    let cipher = Cipher::des_ede3_cbc();
    // ruleid: CG-CORE002
    let rc4 = Rc4::new(key.into());
    // ok: CG-CORE002
    let good = Cipher::aes_256_gcm();
    openssl::symm::encrypt(cipher, key, None, data).unwrap()
}
