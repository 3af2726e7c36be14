use reqwest::Client;

fn build(pem: &[u8]) -> reqwest::Result<Client> {
    // ruleid: CG-CORE005
    let http = reqwest::Client::builder().danger_accept_invalid_certs(true).build()?;
    // ruleid: CG-CORE005
    let http = Client::builder().timeout(T).danger_accept_invalid_hostnames(true).build()?;
    // ruleid: CG-CORE005
    builder.set_verify(SslVerifyMode::NONE);
    // ok: CG-CORE005
    let http = Client::builder().danger_accept_invalid_certs(false).build()?;
    // ok: CG-CORE005
    let http = Client::builder().add_root_certificate(reqwest::Certificate::from_pem(pem)?).build()?;
    // ok: CG-CORE005
    builder.set_verify(SslVerifyMode::PEER);
    Ok(http)
}
