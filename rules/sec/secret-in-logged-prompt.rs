use tracing::{debug, info};

fn connect() -> anyhow::Result<()> {
    let key = std::env::var("OPENAI_API_KEY")?;
    let prompt = format!("You may call the billing API with {key}");
    // ruleid: CG-SEC004
    debug!("prompt: {prompt}");
    // ruleid: CG-SEC004
    println!("using key {}", key);
    // ok: CG-SEC004
    info!("prompt has {} chars", prompt.len());
    let model = std::env::var("OPENAI_MODEL")?;
    // ok: CG-SEC004
    info!("model {model}");
    Ok(())
}
