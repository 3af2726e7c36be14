use std::path::Path;

async fn save(agent: &rig::agent::Agent<rig::providers::openai::CompletionModel>, workspace: &Path, task: &str) -> anyhow::Result<()> {
    let name = agent.prompt(task).await?;
    // ruleid: CG-LLM006
    std::fs::write(workspace.join(&name), "report")?;
    // ruleid: CG-LLM006
    let body = reqwest::get(format!("https://{name}/status")).await?.text().await?;
    let safe = Path::new(&name).file_name().unwrap_or_default();
    // ok: CG-LLM006
    std::fs::write(workspace.join(safe), body)?;
    // ok: CG-LLM006
    std::fs::write(workspace.join("summary.txt"), task)?;
    Ok(())
}

// A helper whose tail expression is model output is a source for its callers.
async fn pick_file(agent: &rig::agent::Agent<rig::providers::openai::CompletionModel>, task: &str) -> String {
    agent.prompt(task).await.unwrap()
}

async fn clean_up(agent: &rig::agent::Agent<rig::providers::openai::CompletionModel>) -> anyhow::Result<()> {
    let victim = pick_file(agent, "which file is stale?").await;
    // ruleid: CG-LLM006
    std::fs::remove_file(&victim)?;
    // ok: CG-LLM006
    std::fs::remove_file("stale.lock")?;
    Ok(())
}
