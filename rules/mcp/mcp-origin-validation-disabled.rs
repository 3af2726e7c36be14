use rmcp::transport::streamable_http_server::StreamableHttpService;
use tower_http::cors::{Any, CorsLayer};

fn router(service: StreamableHttpService<Counter, Manager>) -> axum::Router {
    // ruleid: CG-MCP007
    let cors = CorsLayer::permissive();
    // ruleid: CG-MCP007
    let wide = CorsLayer::new().allow_origin(Any);
    // ok: CG-MCP007
    let narrow = CorsLayer::new().allow_origin("https://console.acme.example".parse::<HeaderValue>().unwrap());
    axum::Router::new().nest_service("/mcp", service).layer(cors).layer(wide).layer(narrow)
}
