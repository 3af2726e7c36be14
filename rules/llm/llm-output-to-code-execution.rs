use async_openai::{types::CreateChatCompletionRequestArgs, Client};
use pyo3::prelude::*;

async fn run_generated(py: Python<'_>, client: &Client<async_openai::config::OpenAIConfig>, lua: &mlua::Lua) -> anyhow::Result<()> {
    let request = CreateChatCompletionRequestArgs::default().model("gpt-4o-mini").build()?;
    let response = client.chat().create(request).await?;
    let code = response.choices[0].message.content.clone().unwrap_or_default();
    // ruleid: CG-LLM001
    py.run(&code, None, None)?;
    // ruleid: CG-LLM001
    lua.load(&code).exec()?;

    // ok: CG-LLM001
    py.run("print('ready')", None, None)?;
    let settings = std::fs::read_to_string("script.py")?;
    // ok: CG-LLM001
    py.run(&settings, None, None)?;
    Ok(())
}
