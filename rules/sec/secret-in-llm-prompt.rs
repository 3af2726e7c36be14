use async_openai::types::{ChatCompletionRequestSystemMessageArgs, ChatCompletionRequestUserMessageArgs};
use ollama_rs::generation::completion::request::GenerationRequest;
use std::env;

fn build(question: &str) -> anyhow::Result<()> {
    let db_password = env::var("DB_PASSWORD")?;
    let system = ChatCompletionRequestSystemMessageArgs::default()
        // ruleid: CG-SEC003
        .content(format!("You can connect with password {db_password}"))
        .build()?;
    let token = std::env::var("GITHUB_TOKEN").unwrap();
    // ruleid: CG-SEC003
    let request = GenerationRequest::new("llama3".to_string(), format!("{} {}", question, token));

    let model = env::var("OPENAI_MODEL")?;
    let user = ChatCompletionRequestUserMessageArgs::default()
        // ok: CG-SEC003
        .content(question)
        .build()?;
    // ok: CG-SEC003
    let other = GenerationRequest::new(model, question.to_string());
    let client = async_openai::Client::with_config(
        // ok: CG-SEC003
        async_openai::config::OpenAIConfig::new().with_api_key(env::var("OPENAI_API_KEY")?),
    );
    Ok(())
}
