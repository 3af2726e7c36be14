use rmcp::model::{CallToolResult, Content};
use rmcp::{tool, tool_router, ErrorData};

struct Ops;

#[tool_router]
impl Ops {
    #[tool(description = "Show the database settings")]
    async fn db_settings(&self) -> Result<CallToolResult, ErrorData> {
        let url = std::env::var("DATABASE_URL").unwrap_or_default();
        // ruleid: CG-MCP008
        Ok(CallToolResult::success(vec![Content::text(format!("connected to {url}"))]))
    }

    #[tool(description = "Show whether the database is configured")]
    async fn db_configured(&self) -> Result<CallToolResult, ErrorData> {
        let configured = std::env::var("DATABASE_URL").is_ok();
        // ok: CG-MCP008
        Ok(CallToolResult::success(vec![Content::text(format!("configured: {configured}"))]))
    }
}

fn connect() -> String {
    let url = std::env::var("DATABASE_URL").unwrap_or_default();
    // ok: CG-MCP008
    Content::text(url).to_string()
}
