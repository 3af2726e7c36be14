// A snippet without `use` lines: the well-known RustCrypto and openssl names are assumed.
fn hash_password(password: &str, salt: &[u8]) -> String {
    // ruleid: CG-CORE001
    let mut hasher = Md5::new();
    hasher.update(salt);
    hasher.update(password.as_bytes());
    // ruleid: CG-CORE001
    let check = Sha1::digest(password.as_bytes());
    // ok: CG-CORE001
    let strong = Sha256::digest(password.as_bytes());
    format!("{:x}", hasher.finalize())
}

fn etag(body: &[u8]) -> String {
    // A content tag, not a security use.
    // ok: CG-CORE001
    format!("{:x}", Md5::digest(body))
}
