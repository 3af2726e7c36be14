use async_openai::types::CreateChatCompletionRequest;

async fn answer(client: &async_openai::Client<async_openai::config::OpenAIConfig>, db: &sqlx::PgPool, request: CreateChatCompletionRequest) -> anyhow::Result<usize> {
    let response = client.chat().create(request).await?;
    let sql = response.choices[0].message.content.clone().unwrap_or_default();
    // ruleid: CG-LLM003
    let rows = sqlx::query(&sql).fetch_all(db).await?;
    let category = sql.trim();
    // ok: CG-LLM003
    let products = sqlx::query("SELECT title FROM products WHERE category = $1").bind(category).fetch_all(db).await?;
    Ok(rows.len() + products.len())
}

fn report(conn: &rusqlite::Connection, text: &str) -> rusqlite::Result<usize> {
    // ok: CG-LLM003
    conn.execute(text, [])
}
