use sha1::Sha1;
use sha2::{Digest, Sha256};

fn verify_weights(weights: &[u8], expected: &[u8]) -> bool {
    // ruleid: CG-CORE001
    let a = md5::compute(weights);
    // ruleid: CG-CORE001
    let b = Sha1::digest(weights);
    // ruleid: CG-CORE001
    let alg = &ring::digest::SHA1_FOR_LEGACY_USE_ONLY;
    // ok: CG-CORE001
    let c = Sha256::digest(weights);
    // ok: CG-CORE001
    let d = blake3::hash(weights);
    c.as_slice() == expected
}

fn cache_key(prompt: &str) -> String {
    // A cache key is not a security use.
    // ok: CG-CORE001
    format!("{:x}", md5::compute(prompt))
}
