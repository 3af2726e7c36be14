use tokio::net::TcpListener;

async fn serve() {
    // ruleid: CG-CORE025
    let listener = TcpListener::bind("0.0.0.0:8080").await.unwrap();
    // ruleid: CG-CORE025
    let server = HttpServer::new(app).bind(("0.0.0.0", 8080)).unwrap();
    // ok: CG-CORE025
    let local = TcpListener::bind("127.0.0.1:8080").await.unwrap();
    // ok: CG-CORE025
    let configured = TcpListener::bind(&addr).await.unwrap();
}
