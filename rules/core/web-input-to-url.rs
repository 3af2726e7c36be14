use axum::extract::Query;
use std::collections::HashMap;

async fn preview(Query(params): Query<HashMap<String, String>>) -> String {
    let url = params.get("url").cloned().unwrap_or_default();
    // ruleid: CG-CORE022
    reqwest::get(&url).await.unwrap().text().await.unwrap()
}

async fn user(Query(params): Query<HashMap<String, String>>) -> String {
    let name = params.get("name").cloned().unwrap_or_default();
    // ok: CG-CORE022
    reqwest::get(format!("https://api.example.com/users/{name}")).await.unwrap().text().await.unwrap()
}
