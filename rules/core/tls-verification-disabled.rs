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

mod openssl_client {
    use openssl::ssl::{SslConnector, SslMethod, SslVerifyMode};

    fn connect(host: &str) -> Result<(), openssl::error::ErrorStack> {
        let mut builder = SslConnector::builder(SslMethod::tls())?;
        // ruleid: CG-CORE005
        builder.set_verify_callback(SslVerifyMode::NONE, |_, _| true);
        // ruleid: CG-CORE005
        builder.set_verify(SslVerifyMode::empty());
        let connector = builder.build();
        // ruleid: CG-CORE005
        let config = connector.configure()?.verify_hostname(false);
        // ok: CG-CORE005
        let config = connector.configure()?.verify_hostname(true);
        // ok: CG-CORE005
        builder.set_verify_callback(SslVerifyMode::PEER, |ok, _| ok);
        Ok(())
    }
}

mod rustls_client {
    use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
    use std::sync::Arc;

    #[derive(Debug)]
    struct AcceptAll;

    impl ServerCertVerifier for AcceptAll {
        // ruleid: CG-CORE005
        fn verify_server_cert(&self, _end_entity: &CertificateDer<'_>, _intermediates: &[CertificateDer<'_>], _server_name: &ServerName<'_>, _ocsp: &[u8], _now: UnixTime) -> Result<ServerCertVerified, rustls::Error> {
            Ok(ServerCertVerified::assertion())
        }
    }

    #[derive(Debug)]
    struct Pinned(Vec<u8>);

    impl ServerCertVerifier for Pinned {
        // Compares the certificate with a pinned one before accepting it.
        // ok: CG-CORE005
        fn verify_server_cert(&self, end_entity: &CertificateDer<'_>, _intermediates: &[CertificateDer<'_>], _server_name: &ServerName<'_>, _ocsp: &[u8], _now: UnixTime) -> Result<ServerCertVerified, rustls::Error> {
            if end_entity.as_ref() == self.0.as_slice() {
                Ok(ServerCertVerified::assertion())
            } else {
                Err(rustls::Error::General("certificate does not match the pin".into()))
            }
        }
    }

    fn config(mut config: rustls::ClientConfig) {
        // ruleid: CG-CORE005
        config.dangerous().set_certificate_verifier(Arc::new(AcceptAll));
    }
}
