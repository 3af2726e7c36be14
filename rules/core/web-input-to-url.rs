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

mod constructed_clients {
    use axum::extract::Json;

    async fn relay(Json(body): Json<Relay>) -> String {
        let agent = reqwest::Client::new();
        // ruleid: CG-CORE022
        agent.get(&body.target).send().await.unwrap().text().await.unwrap()
    }

    async fn ping(Json(body): Json<Relay>) -> u16 {
        // ruleid: CG-CORE022
        reqwest::Client::new().head(&body.target).send().await.unwrap().status().as_u16()
    }

    async fn lookup(Json(body): Json<Relay>) -> String {
        let agent = reqwest::Client::new();
        // The request names only a query parameter.
        // ok: CG-CORE022
        agent.get("https://api.example.com/search").query(&[("q", &body.target)]).send().await.unwrap().text().await.unwrap()
    }
}
