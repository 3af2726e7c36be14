use std::process::Command;

async fn agent_step(ollama: &ollama_rs::Ollama, task: &str) -> anyhow::Result<()> {
    let reply = ollama.generate(ollama_rs::generation::completion::request::GenerationRequest::new("llama3".into(), task.into())).await?;
    let cmd = reply.response.trim().to_string();
    // ruleid: CG-LLM002
    Command::new("sh").arg("-c").arg(&cmd).status()?;
    // ruleid: CG-LLM002
    Command::new(&cmd).status()?;

    // ok: CG-LLM002
    Command::new("ls").arg("--").arg(&cmd).status()?;
    // ok: CG-LLM002
    Command::new("sh").arg("-c").arg("make all").status()?;
    Ok(())
}
