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

mod more_sources {
    use actix_web::{web, HttpResponse};
    use axum::http::HeaderMap;
    use axum::response::Html;

    async fn greet(q: web::Query<Params>) -> HttpResponse {
        // ruleid: CG-CORE024
        HttpResponse::Ok().content_type("text/html").body(format!("<p>Hello {}</p>", q.name))
    }

    async fn agent(headers: HeaderMap) -> Html<String> {
        let ua = headers.get("user-agent").and_then(|v| v.to_str().ok()).unwrap_or("");
        // ruleid: CG-CORE024
        Html(format!("<p>Your browser: {ua}</p>"))
    }

    async fn greet_escaped(q: web::Query<Params>) -> HttpResponse {
        let name = html_escape::encode_text(&q.name).to_string();
        // ok: CG-CORE024
        HttpResponse::Ok().content_type("text/html").body(format!("<p>Hello {name}</p>"))
    }
}

mod actix_not_html {
    use actix_web::{http::header, web, HttpRequest, HttpResponse};

    async fn back(req: HttpRequest) -> HttpResponse {
        let referer = req.headers().get(header::REFERER).and_then(|h| h.to_str().ok()).unwrap_or("/");
        // A header of the response, not its HTML (redirects are CG-CORE023).
        // ok: CG-CORE024
        HttpResponse::SeeOther().append_header((header::LOCATION, referer)).finish()
    }

    async fn echo(json: web::Json<Alias>) -> HttpResponse {
        let alias = json.into_inner().alias;
        // JSON is escaped by the serializer.
        // ok: CG-CORE024
        HttpResponse::Created().json(serde_json::json!({ "alias": alias }))
    }
}
