use std::process::Command;

use rmcp::handler::server::wrapper::Parameters;
use rmcp::{tool, tool_router};

#[derive(serde::Deserialize, schemars::JsonSchema)]
struct LogArgs {
    rev: String,
}

struct Repo;

#[tool_router]
impl Repo {
    #[tool(description = "Show the log of a revision")]
    async fn git_log(&self, Parameters(p): Parameters<LogArgs>) -> String {
        // ruleid: CG-MCP001
        let out = Command::new("sh").arg("-c").arg(format!("git log --oneline {}", p.rev)).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    #[tool(description = "Run a tool by name")]
    async fn run_tool(&self, Parameters(p): Parameters<LogArgs>) -> String {
        // ruleid: CG-MCP001
        let out = Command::new(&p.rev).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    #[tool(description = "Show the log of a revision, safely")]
    async fn git_log_safe(&self, Parameters(p): Parameters<LogArgs>) -> String {
        // ok: CG-MCP001
        let out = Command::new("git").args(["log", "--oneline", "--end-of-options", &p.rev]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    // Not a tool: its callers decide what `rev` is.
    fn helper(&self, rev: &str) -> String {
        // ok: CG-MCP001
        let out = Command::new("sh").arg("-c").arg(format!("git log {rev}")).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}
