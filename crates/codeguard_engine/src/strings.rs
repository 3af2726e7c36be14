//! Helpers for secret detection: entropy and placeholder look-alikes.

/// Shannon entropy in bits per character.
pub fn shannon_entropy(text: &str) -> f64 {
    let mut counts = [0usize; 256];
    let mut total = 0usize;
    for b in text.bytes() {
        counts[b as usize] += 1;
        total += 1;
    }
    if total == 0 {
        return 0.0;
    }
    let total = total as f64;
    counts
        .iter()
        .filter(|c| **c > 0)
        .map(|c| {
            let p = *c as f64 / total;
            -p * p.log2()
        })
        .sum()
}

/// Values that stand in for a secret rather than being one: `xxxx`, `your-key`, `<KEY>`,
/// `${TOKEN}`, `{{ token }}`, `changeme`, runs of one character, `abcdef...`/`123456...`.
/// A host name or address on the local machine (or a documentation stand-in): credentials
/// for it are a development set-up, not a leaked secret.
pub fn is_local_host(host: &str) -> bool {
    // `[::1]:5432` is an IPv6 address in brackets; otherwise the port follows a colon.
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(rest),
        None => host.split([':', '/']).next().unwrap_or(host),
    }
    .to_ascii_lowercase();
    matches!(
        name.as_str(),
        "localhost" | "127.0.0.1" | "0.0.0.0" | "::1" | "host" | "hostname" | "example.com"
    ) || name.ends_with(".localhost")
        || name.ends_with(".example.com")
}

pub fn looks_like_placeholder(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    // Words that stand for a password in examples, and template fields (`{password}`,
    // `%(password)s`).
    const STAND_INS: [&str; 8] = [
        "default",
        "password",
        "passwd",
        "pass",
        "pwd",
        "secret",
        "mypassword",
        "mysecretpassword",
    ];
    if STAND_INS.contains(&lower.as_str()) || value.contains('{') || value.contains("%(") {
        return true;
    }
    const MARKERS: [&str; 12] = [
        "xxxx",
        "your",
        "example",
        "dummy",
        "placeholder",
        "changeme",
        "redacted",
        "sample",
        "insert",
        "replace",
        "fake",
        "test_key",
    ];
    if MARKERS.iter().any(|m| lower.contains(m)) {
        return true;
    }
    if (value.contains('<') && value.contains('>')) || value.contains("${") || value.contains("{{")
    {
        return true;
    }
    if lower.contains("...") || lower.contains("***") {
        return true;
    }
    // The longest run of one character, and of an ascending sequence.
    let bytes = lower.as_bytes();
    let (mut same, mut asc, mut best_same, mut best_asc) = (1usize, 1usize, 1usize, 1usize);
    for w in bytes.windows(2) {
        same = if w[0] == w[1] { same + 1 } else { 1 };
        asc = if w[1] == w[0].wrapping_add(1) {
            asc + 1
        } else {
            1
        };
        best_same = best_same.max(same);
        best_asc = best_asc.max(asc);
    }
    best_same >= 8 || best_asc >= 8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_separates_random_from_repetitive() {
        assert!(shannon_entropy("aaaaaaaa") < 0.01);
        assert!(shannon_entropy("9c1f0e7a5d3b2e8f4a6c0d9b7e1f3a5c") > 3.5);
    }

    #[test]
    fn local_hosts_and_stand_in_passwords_are_development_set_ups() {
        for host in [
            "localhost",
            "localhost:5432",
            "127.0.0.1:6379",
            "[::1]:5432",
            "db.example.com",
        ] {
            assert!(is_local_host(host), "{host}");
        }
        for host in ["db.internal:5432", "cache.acme-prod.net", "10.0.0.5"] {
            assert!(!is_local_host(host), "{host}");
        }
        for value in ["password", "{password}", "%(password)s", "Password"] {
            assert!(looks_like_placeholder(value), "{value}");
        }
        assert!(!looks_like_placeholder("Zr8q2LmW7x"));
    }

    #[test]
    fn placeholders_are_recognised() {
        for p in [
            "sk-xxxxxxxxxxxxxxxx",
            "<OPENAI_API_KEY>",
            "${TOKEN}",
            "your-api-key",
            "hf_aaaaaaaaaaaaaaaaaa",
            "sk-abcdefghijklmnop",
        ] {
            assert!(looks_like_placeholder(p), "{p}");
        }
        assert!(!looks_like_placeholder("9c1f0e7a5d3b2e8f4a6c0d9b7e1f3a5c"));
    }
}
