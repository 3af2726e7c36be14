use rmcp::handler::server::wrapper::Parameters;
use rmcp::{tool, tool_router};

#[derive(serde::Deserialize, schemars::JsonSchema)]
struct FetchArgs {
    url: String,
}

struct Web {
    client: reqwest::Client,
}

#[tool_router]
impl Web {
    #[tool(description = "Fetch a page")]
    async fn fetch(&self, Parameters(p): Parameters<FetchArgs>) -> String {
        // ruleid: CG-MCP003
        reqwest::get(&p.url).await.unwrap().text().await.unwrap()
    }

    #[tool(description = "Fetch a page with the shared client")]
    async fn fetch_shared(&self, Parameters(p): Parameters<FetchArgs>) -> String {
        // ruleid: CG-MCP003
        self.client.get(format!("http://{}/", p.url)).send().await.unwrap().text().await.unwrap()
    }

    #[tool(description = "Search the docs")]
    async fn search(&self, Parameters(p): Parameters<FetchArgs>) -> String {
        // ok: CG-MCP003
        self.client.get("https://docs.example.com/search").query(&[("q", &p.url)]).send().await.unwrap().text().await.unwrap()
    }
}
