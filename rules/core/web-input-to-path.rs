use axum::extract::{Path, Query};
use std::collections::HashMap;

async fn download(Path(name): Path<String>) -> Vec<u8> {
    // ruleid: CG-CORE021
    std::fs::read(format!("/srv/files/{name}")).unwrap()
}

async fn report(Query(params): Query<HashMap<String, String>>) -> String {
    let name = params.get("name").cloned().unwrap_or_default();
    // ruleid: CG-CORE021
    tokio::fs::read_to_string(format!("/srv/reports/{name}")).await.unwrap()
}

async fn safe(Path(name): Path<String>) -> Vec<u8> {
    let leaf = std::path::Path::new(&name).file_name().unwrap().to_owned();
    // ok: CG-CORE021
    std::fs::read(std::path::Path::new("/srv/files").join(leaf)).unwrap()
}

async fn fixed(Path(_name): Path<String>) -> Vec<u8> {
    // ok: CG-CORE021
    std::fs::read("/srv/files/index.html").unwrap()
}
