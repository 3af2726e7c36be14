use rmcp::transport::streamable_http_server::{StreamableHttpService, session::local::LocalSessionManager};

pub fn router() -> axum::Router {
    // ruleid: CG-MCP006
    let service = StreamableHttpService::new(|| Ok(Counter::new()), LocalSessionManager::default().into(), Default::default());
    axum::Router::new().nest_service("/mcp", service)
}

pub fn local_only() -> Counter {
    // ok: CG-MCP006
    Counter::new()
}
