//! CG-MCP006: an MCP server served over HTTP (`mcp.run(transport="streamable-http")`,
//! `mcp.streamable_http_app()`, ...) whose `FastMCP(...)` was built without authentication;
//! in Rust, an rmcp `StreamableHttpService` in a file without an authentication layer.
//! The rule's conditions find the HTTP serving call; this check follows its receiver to the
//! constructor and looks for the auth keywords and for auth middleware in the file.

use crate::node_ext::NodeExt;
use tree_sitter::Node;

use super::Hit;
use crate::semantic::{KeywordLookup, Semantic};

/// Constructor keywords that configure authentication (Python SDK and standalone fastmcp).
const AUTH_KEYWORDS: [&str; 3] = ["auth", "token_verifier", "auth_server_provider"];

pub(super) fn find<'t>(
    sem: &Semantic<'t>,
    _options: &crate::scan::ScanOptions,
    call: Node<'t>,
) -> Vec<Hit<'t>> {
    if call.kind_name() == "call_expression" {
        return rust_service_without_auth(sem, call);
    }
    let Some(server) = server_constructor(sem, call) else {
        return Vec::new();
    };
    let has_auth = AUTH_KEYWORDS
        .iter()
        .any(|k| !matches!(sem.keyword(server, k), KeywordLookup::Absent));
    if has_auth || has_auth_middleware(sem) {
        return Vec::new();
    }
    vec![Hit {
        node: call,
        label: None,
    }]
}

/// The `FastMCP(...)` call the receiver of `call` was bound to (or is).
fn server_constructor<'t>(sem: &Semantic<'t>, call: Node<'t>) -> Option<Node<'t>> {
    let receiver = sem.receiver(call)?;
    let value = match receiver.kind_name() {
        "identifier" => sem.binding(receiver)?,
        "call" => receiver,
        _ => return None,
    };
    if value.kind_name() != "call" {
        return None;
    }
    let is_server = sem
        .call_names(value)
        .iter()
        .any(|n| n == "FastMCP" || n.ends_with(".FastMCP"));
    is_server.then_some(value)
}

/// Authentication added around the mounted app: Starlette/FastAPI auth middleware or a
/// bearer-token dependency. Looked for anywhere in the file (the app may be built elsewhere).
fn has_auth_middleware(sem: &Semantic<'_>) -> bool {
    let text = sem.text(sem.root);
    [
        "AuthenticationMiddleware",
        "BearerAuthBackend",
        "RequireAuthMiddleware",
        "HTTPBearer",
        "OAuth2PasswordBearer",
        "APIKeyHeader",
    ]
    .iter()
    .any(|m| text.contains(m))
}

/// rmcp: `StreamableHttpService::new(...)` in a file that adds no authentication layer to its
/// router (tower-http `ValidateRequestHeaderLayer`/`AsyncRequireAuthorizationLayer`, an axum
/// `middleware::from_fn` guard, or a bearer-token check).
fn rust_service_without_auth<'t>(sem: &Semantic<'t>, call: Node<'t>) -> Vec<Hit<'t>> {
    let is_service = sem
        .call_names(call)
        .iter()
        .any(|n| n.ends_with("StreamableHttpService::new"));
    let text = sem.text(sem.root);
    let guarded = [
        "ValidateRequestHeaderLayer",
        "RequireAuthorizationLayer",
        "middleware::from_fn",
        "Bearer",
        "bearer",
    ]
    .iter()
    .any(|m| text.contains(m));
    if !is_service || guarded {
        return Vec::new();
    }
    vec![Hit {
        node: call,
        label: None,
    }]
}
