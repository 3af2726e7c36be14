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

mod more_sources {
    use actix_web::{web, HttpRequest, HttpResponse};
    use axum::extract::{Json, Path};

    async fn hook(req: HttpRequest) -> HttpResponse {
        let target = req.headers().get("x-callback").unwrap().to_str().unwrap();
        // ruleid: CG-CORE022
        let resp = reqwest::get(target).await;
        HttpResponse::Ok().finish()
    }

    async fn fetch(Json(body): Json<Fetch>) -> String {
        let client = reqwest::Client::new();
        // ruleid: CG-CORE022
        client.post(&body.webhook).json(&body.payload).send().await.unwrap().text().await.unwrap()
    }

    async fn item(Path((owner, repo)): Path<(String, String)>) -> String {
        let client = reqwest::Client::new();
        // The host is the application's; the request names only the path.
        // ok: CG-CORE022
        client.get(format!("https://api.github.com/repos/{owner}/{repo}")).send().await.unwrap().text().await.unwrap()
    }
}
