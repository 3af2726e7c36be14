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

struct Db {
    password: String,
    host: String,
}

struct Config {
    db: Db,
    max_tokens: u32,
}

fn from_config(cfg: &Config, question: &str) -> anyhow::Result<()> {
    let password = &cfg.db.password;
    let system = ChatCompletionRequestSystemMessageArgs::default()
        // ruleid: CG-SEC003
        .content(format!("Connect with {password}"))
        .build()?;
    let user = ChatCompletionRequestUserMessageArgs::default()
        // ruleid: CG-SEC003
        .content(cfg.db.password.clone())
        .build()?;
    let env_file = std::fs::read_to_string(".env")?;
    // ruleid: CG-SEC003
    let request = GenerationRequest::new("llama3".to_string(), format!("{env_file} {question}"));
    let all: Vec<(String, String)> = std::env::vars().collect();
    // ruleid: CG-SEC003
    let debug = GenerationRequest::new("llama3".to_string(), format!("{all:?}"));
    let user = ChatCompletionRequestUserMessageArgs::default()
        // ok: CG-SEC003
        .content(format!("host {} limit {}", cfg.db.host, cfg.max_tokens))
        .build()?;
    Ok(())
}
