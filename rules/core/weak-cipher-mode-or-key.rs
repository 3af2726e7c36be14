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
