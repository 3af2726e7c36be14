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

mod more_extractors {
    use axum::extract::{Json, Path, Query};
    use axum::http::HeaderMap;
    use std::io::Write;

    async fn user_file(Path((user, file)): Path<(String, String)>) -> String {
        // ruleid: CG-CORE021
        std::fs::read_to_string(format!("/srv/users/{user}/{file}")).unwrap()
    }

    async fn by_field(Query(Params { file, .. }): Query<Params>) -> Vec<u8> {
        let path = std::path::PathBuf::from("/srv/files").join(&file);
        // ruleid: CG-CORE021
        tokio::fs::read(path).await.unwrap()
    }

    async fn by_header(headers: HeaderMap) -> String {
        let name = headers.get("x-file").unwrap().to_str().unwrap();
        // ruleid: CG-CORE021
        std::fs::read_to_string(name).unwrap()
    }

    async fn upload(Json(body): Json<Upload>) {
        // ruleid: CG-CORE021
        let mut f = std::fs::OpenOptions::new().append(true).open(&body.path).unwrap();
        f.write_all(body.data.as_bytes()).unwrap();
    }

    async fn by_name(Query(q): Query<Params>) -> Vec<u8> {
        let safe = sanitize_filename::sanitize(&q.file);
        // ok: CG-CORE021
        std::fs::read(std::path::Path::new("/srv/files").join(safe)).unwrap()
    }

    async fn listing(Path((user, _file)): Path<(String, String)>, config: Config) -> String {
        // The folder comes from the server's own configuration, the user only names a count.
        // ok: CG-CORE021
        std::fs::read_to_string(&config.index_file).unwrap()
    }
}

mod actix {
    use actix_files::NamedFile;
    use actix_web::{web, HttpRequest};

    async fn show(path: web::Path<String>) -> actix_web::Result<NamedFile> {
        let name = path.into_inner();
        // ruleid: CG-CORE021
        Ok(NamedFile::open(format!("./static/{name}"))?)
    }

    async fn by_segment(req: HttpRequest) -> std::io::Result<String> {
        let name = req.match_info().get("name").unwrap_or("index.html");
        // ruleid: CG-CORE021
        std::fs::read_to_string(format!("./pages/{name}"))
    }

    async fn raw(file: web::Path<String>, config: web::Data<Config>) -> actix_web::Result<NamedFile> {
        // ruleid: CG-CORE021
        Ok(NamedFile::open(config.root.join(&*file))?)
    }

    async fn confined(file: web::Path<String>, config: web::Data<Config>) -> actix_web::Result<NamedFile> {
        // The application's own join that refuses `..` and absolute paths.
        let path = safe_path_join(&config.root, &*file)?;
        // ok: CG-CORE021
        Ok(NamedFile::open(path)?)
    }

    async fn fixed(req: HttpRequest) -> actix_web::Result<NamedFile> {
        // ok: CG-CORE021
        Ok(NamedFile::open("./static/index.html")?)
    }
}
