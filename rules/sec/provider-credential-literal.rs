use std::env;

// ruleid: CG-SEC001
const ANTHROPIC_KEY: &str = "sk-ant-api03-ORS-6ilI8ihN5KXSc7Tvo-hBKqFYY-kv5ZJr3J1TWDtkwtDDb_xHKas1VOqg6YYZYn9ZhyiA4uoRgnatmUdjAWtGSU8poAA";
// ruleid: CG-SEC001
static STRIPE: &str = r"sk_live_qIA1id6Vw5DQL05HA064GiIj";

fn client() -> String {
    // ruleid: CG-SEC001
    let token = String::from("xoxb-8807290222-791805888718-dpmrcXgGCJbW56eCuNGMGmSr");
    // ok: CG-SEC001
    let key = env::var("ANTHROPIC_API_KEY").unwrap();
    // ok: CG-SEC001
    let hint = "sk-ant-api03-...";
    key
}

// ruleid: CG-SEC001
pub const OPENAI_KEY: &str = "sk-proj-WiL9dv4wtfUQ1VQ3OZRkt4aQng5VP2pv9O5yqeZ1T3BlbkFJLGKN9bemzYumle29nmwYfq483XZZLT2trKieN4Qr";
// ruleid: CG-SEC001
static GITHUB_TOKEN: &[u8] = b"ghp_r2Ka1YsHzFXQf1pjwaSyrEGVkOPntkrZeZsR";
// ok: CG-SEC001
const OPENAI_KEY_HINT: &str = "sk-proj-...";
// ok: CG-SEC001
static GROQ_KEY_ENV: &str = "GROQ_API_KEY";

/// A connection to the database. URLs take the form
// ok: CG-SEC001
/// `mysql://[user[:password]@]host[:port]/database_name[?ssl_mode=SSL_MODE]`
pub struct Connection;

fn connect() {
    // ruleid: CG-SEC001
    let url = "postgres://billing:Xq7pL2vR9sKd@db.internal:5432/billing";
    // ok: CG-SEC001
    let usage = "URLs must be in the form `mysql://[[user]:[password]@]host[:port][/database]`";
}
