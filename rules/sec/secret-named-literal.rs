// ruleid: CG-SEC002
const WEBHOOK_SECRET: &str = "9c1f0e7a5d3b2e8f4a6c0d9b7e1f3a5c";

fn config() -> Config {
    Config {
        // ruleid: CG-SEC002
        password: "Tr0ub4dor&3x".to_string(),
        // ok: CG-SEC002
        max_tokens: 1024,
        // ok: CG-SEC002
        token_endpoint: "https://auth.example.com/token".into(),
    }
}

// ok: CG-SEC002
pub const TOKEN: &str = "$serde_json::private::RawValue";

fn main() {
    // ok: CG-SEC002
    let api_key = std::env::var("API_KEY").unwrap();
    // ruleid: CG-SEC002
    let auth_token = "a8f5f167f44f4964e6c998dee827110c";
}

// ruleid: CG-SEC002
const OPENAI_KEY: &str = "sk-proj-Vq8rT2xW9zLm4Nb7Kc3Yh6Jf1Ds5Ap0Ge2Ru4Iw8Oz";
// ruleid: CG-SEC002
pub static SIGNING_SECRET: &str = "f3a9c1e7b5d2084a6e1c9f7b3d5a2e80";
// ok: CG-SEC002
const OPENAI_KEY_PLACEHOLDER: &str = "sk-proj-...";
// ok: CG-SEC002
const API_KEY_ENV: &str = "OPENAI_API_KEY";
// ok: CG-SEC002
static TOKEN_LIMIT: usize = 4096;

mod jwt {
    use jsonwebtoken::{decode, encode, DecodingKey, EncodingKey, Header, Validation};

    fn issue(claims: &Claims) -> String {
        // ruleid: CG-SEC002
        encode(&Header::default(), claims, &EncodingKey::from_secret(b"my-jwt-signing-secret")).unwrap()
    }

    fn check(token: &str) -> bool {
        // ruleid: CG-SEC002
        let key = DecodingKey::from_secret("change-me-in-prod".as_bytes());
        decode::<Claims>(token, &key, &Validation::default()).is_ok()
    }

    fn issue_from_env(claims: &Claims) -> String {
        let secret = std::env::var("JWT_SECRET").expect("JWT_SECRET");
        // ok: CG-SEC002
        encode(&Header::default(), claims, &EncodingKey::from_secret(secret.as_bytes())).unwrap()
    }

    fn issue_from_config(claims: &Claims, config: &Config) -> String {
        // ok: CG-SEC002
        encode(&Header::default(), claims, &EncodingKey::from_secret(config.jwt_secret.as_ref())).unwrap()
    }
}

mod queries {
    // A statement about a password column, not a password.
    // ok: CG-SEC002
    const UPDATE_USER_PASSWORD: &str = "UPDATE users SET password = $1 WHERE id = $2";
    // ruleid: CG-SEC002
    const ADMIN_PASSWORD: &str = "update-me-Xq7pL2vR9sKd";
}

fn vault() {
    // ruleid: CG-SEC002
    let vault_password = r"Tr0ub\4dor\x";
}
