use std::net::SocketAddr;

use rmcp::transport::streamable_http_server::{StreamableHttpService, session::local::LocalSessionManager};

async fn serve(service: StreamableHttpService<Counter, LocalSessionManager>) -> anyhow::Result<()> {
    let router = axum::Router::new().nest_service("/mcp", service);
    // ruleid: CG-MCP005
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8000").await?;
    axum::serve(listener, router).await?;
    Ok(())
}

async fn serve_addr(port: u16) -> anyhow::Result<tokio::net::TcpListener> {
    // ruleid: CG-MCP005
    let addr = SocketAddr::from(([0, 0, 0, 0], port));
    Ok(tokio::net::TcpListener::bind(addr).await?)
}

async fn serve_local() -> anyhow::Result<tokio::net::TcpListener> {
    // ok: CG-MCP005
    let listener = tokio::net::TcpListener::bind("127.0.0.1:8000").await?;
    // ok: CG-MCP005
    let _addr = SocketAddr::from(([127, 0, 0, 1], 8000));
    Ok(listener)
}
