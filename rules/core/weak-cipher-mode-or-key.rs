use des::TdesEde3;
use openssl::symm::Cipher;

fn setup(key: &[u8], mut rng: OsRng) {
    // ruleid: CG-CORE002
    let c = TdesEde3::new_from_slice(key);
    // ruleid: CG-CORE002
    let e = Cipher::aes_128_ecb();
    // ruleid: CG-CORE002
    let k = rsa::RsaPrivateKey::new(&mut rng, 1024);
    // ok: CG-CORE002
    let g = Cipher::aes_256_gcm();
    // ok: CG-CORE002
    let k = rsa::RsaPrivateKey::new(&mut rng, 3072);
}

mod more {
    use openssl::rsa::Rsa;
    use aes::Aes128;

    // ruleid: CG-CORE002
    type Aes128EcbEnc = ecb::Encryptor<Aes128>;
    // ok: CG-CORE002
    type Aes128CbcEnc = cbc::Encryptor<Aes128>;

    fn keys(key: &[u8; 16], mut rng: rand::rngs::OsRng) {
        // ruleid: CG-CORE002
        let rsa = Rsa::generate(1024).unwrap();
        // ruleid: CG-CORE002
        let dec = ecb::Decryptor::<Aes128>::new(key.into());
        // ok: CG-CORE002
        let rsa = Rsa::generate(4096).unwrap();
        // ok: CG-CORE002
        let ctr = ctr::Ctr128BE::<Aes128>::new(key.into(), &[0u8; 16].into());
        // A buffer of 1024 bytes is not a key size.
        // ok: CG-CORE002
        let buf = Vec::<u8>::with_capacity(1024);
    }
}
