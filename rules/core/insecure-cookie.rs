use actix_session::{storage::CookieSessionStore, SessionMiddleware};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};

async fn login(jar: CookieJar, session_id: String, config: &Config) -> CookieJar {
    // ruleid: CG-CORE028
    let cookie = Cookie::build(("session", session_id.clone())).path("/").secure(false).http_only(true);
    // ruleid: CG-CORE028
    let cookie = Cookie::build(("session", session_id.clone())).secure(true).http_only(false);
    let mut plain = Cookie::new("session", session_id.clone());
    // ruleid: CG-CORE028
    plain.set_secure(false);

    // ok: CG-CORE028
    let cookie = Cookie::build(("session", session_id.clone())).secure(true).http_only(true).same_site(SameSite::Lax);
    // Decided by configuration at run time (plain HTTP in local development only).
    // ok: CG-CORE028
    let cookie = Cookie::build(("session", session_id.clone())).secure(!config.dev_mode);
    // Not a cookie: a connection option of the same name.
    // ok: CG-CORE028
    let conn = Endpoint::builder().secure(false);
    jar.add(cookie)
}

fn sessions(key: actix_web::cookie::Key) {
    // ruleid: CG-CORE028
    let m = SessionMiddleware::builder(CookieSessionStore::default(), key.clone()).cookie_secure(false).build();
    // ok: CG-CORE028
    let m = SessionMiddleware::builder(CookieSessionStore::default(), key).cookie_secure(true).build();
}
