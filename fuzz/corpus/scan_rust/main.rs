use reqwest::Client;

fn main() {
    let http = Client::builder().danger_accept_invalid_certs(true).build().unwrap();
    let _ = http;
}
