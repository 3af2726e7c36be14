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

mod signatures {
    use md5::{Digest, Md5};

    fn verify_legacy_signature(public_key: &[u8], message: &[u8], signature: &[u8]) -> bool {
        // ruleid: CG-CORE001
        let alg = &ring::signature::RSA_PKCS1_2048_8192_SHA1_FOR_LEGACY_USE_ONLY;
        // ok: CG-CORE001
        let strong = &ring::signature::RSA_PKCS1_2048_8192_SHA256;
        ring::signature::UnparsedPublicKey::new(alg, public_key).verify(message, signature).is_ok()
    }

    fn password_digest(password: &str, salt: &[u8]) -> Vec<u8> {
        // ruleid: CG-CORE001
        let mut h = Md5::new_with_prefix(salt);
        h.update(password.as_bytes());
        h.finalize().to_vec()
    }

    fn totp_mac(secret: &[u8]) {
        // HMAC-SHA1 (TOTP, RFC 6238) is not a broken construction.
        // ok: CG-CORE001
        let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, secret);
    }
}

mod websocket {
    use sha1::{Digest, Sha1};

    // The WebSocket handshake (RFC 6455) prescribes SHA-1 for `Sec-WebSocket-Accept`; it
    // protects nothing. Protocol code writes it as `Sha1::default()`, which is not reported.
    fn sign(key: &[u8]) -> String {
        // ok: CG-CORE001
        let mut sha1 = Sha1::default();
        sha1.update(key);
        sha1.update(b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
        base64::encode(sha1.finalize())
    }
}
