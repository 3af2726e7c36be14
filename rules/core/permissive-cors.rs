use tower_http::cors::{AllowOrigin, Any, CorsLayer};

fn layers() {
    // ruleid: CG-CORE030
    let open = CorsLayer::very_permissive();
    // ruleid: CG-CORE030
    let mirrored = CorsLayer::new().allow_origin(AllowOrigin::mirror_request()).allow_credentials(true);
    // ok: CG-CORE030
    let public = CorsLayer::permissive();
    // ok: CG-CORE030
    let listed = CorsLayer::new()
        .allow_origin("https://app.example.com".parse::<HeaderValue>().unwrap())
        .allow_credentials(true);
    // ok: CG-CORE030
    let any = CorsLayer::new().allow_origin(Any);
}
