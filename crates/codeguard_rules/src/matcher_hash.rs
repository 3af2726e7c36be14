//! A stable hash of a built-in matcher's JSON (FNV-1a, 64 bits). `build.rs` includes this file
//! too: it keys the checked-in prefilter table, so a matcher edited since the table was
//! written is recognised as unknown rather than given stale groups.

/// The hash of `json`, the same on every platform and toolchain.
pub fn matcher_hash(json: &str) -> u64 {
    json.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
