use async_openai::types::{ChatCompletionRequestSystemMessageArgs, ChatCompletionRequestUserMessageArgs};
use axum::extract::{Json, Query};

#[derive(serde::Deserialize)]
struct Ask {
    company: String,
    question: String,
}

async fn ask(Json(body): Json<Ask>) -> anyhow::Result<()> {
    let system = ChatCompletionRequestSystemMessageArgs::default()
        // ruleid: CG-LLM010
        .content(format!("You are the assistant for {}.", body.company))
        .build()?;
    let user = ChatCompletionRequestUserMessageArgs::default()
        // ok: CG-LLM010
        .content(body.question.clone())
        .build()?;
    let fixed = ChatCompletionRequestSystemMessageArgs::default()
        // ok: CG-LLM010
        .content("You are a support assistant.")
        .build()?;
    send(system, user, fixed).await
}

async fn persona(Query(params): Query<std::collections::HashMap<String, String>>, client: &rig::providers::openai::Client) {
    // ruleid: CG-LLM010
    let agent = client.agent("gpt-4o").preamble(&params["persona"]).build();
    run(agent).await;
}

fn local(persona: &str, client: &rig::providers::openai::Client) {
    // ok: CG-LLM010
    let agent = client.agent("gpt-4o").preamble(persona).build();
    keep(agent);
}
