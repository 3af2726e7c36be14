use axum::extract::Query;
use axum::response::Html;
use std::collections::HashMap;

async fn hello(Query(params): Query<HashMap<String, String>>) -> Html<String> {
    let name = params.get("name").cloned().unwrap_or_default();
    // ruleid: CG-CORE024
    Html(format!("<h1>Hello {name}</h1>"))
}

async fn hello_safe(Query(params): Query<HashMap<String, String>>) -> Html<String> {
    let name = params.get("name").cloned().unwrap_or_default();
    let safe = html_escape::encode_text(&name).to_string();
    // ok: CG-CORE024
    Html(format!("<h1>Hello {safe}</h1>"))
}
