// `Md5` here is the application's own type, imported from its crate: not RustCrypto's.
use crate::hashing::Md5;

fn hash_password(password: &str) -> String {
    // ok: CG-CORE001
    let hasher = Md5::new();
    hasher.hash(password)
}

fn verify_token(token: &str) -> bool {
    // ruleid: CG-CORE001
    let d = md5::compute(token.as_bytes());
    d.0[0] == 0
}
