use rmcp::handler::server::wrapper::Parameters;
use rmcp::{tool, tool_router};

#[derive(serde::Deserialize, schemars::JsonSchema)]
struct OwnerArgs {
    owner: String,
}

struct Tickets {
    db: sqlx::PgPool,
}

#[tool_router]
impl Tickets {
    #[tool(description = "List the tickets of an owner")]
    async fn tickets(&self, Parameters(p): Parameters<OwnerArgs>) -> usize {
        // ruleid: CG-MCP004
        let rows = sqlx::query(&format!("SELECT * FROM tickets WHERE owner = '{}'", p.owner))
            .fetch_all(&self.db)
            .await
            .unwrap();
        rows.len()
    }

    #[tool(description = "List the tickets of an owner, bound")]
    async fn tickets_bound(&self, Parameters(p): Parameters<OwnerArgs>) -> usize {
        // ok: CG-MCP004
        let rows = sqlx::query("SELECT * FROM tickets WHERE owner = $1")
            .bind(&p.owner)
            .fetch_all(&self.db)
            .await
            .unwrap();
        rows.len()
    }
}
