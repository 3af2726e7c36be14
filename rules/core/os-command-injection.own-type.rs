// A file with its own `Command` type (a chat command, a CLI subcommand) and no
// `std::process::Command`: `Command::new` here does not start a process.
use axum::extract::Json;

enum Command {
    Say(String),
    Shell(String),
}

impl Command {
    fn new(name: &str) -> Self {
        Command::Say(name.to_string())
    }
}

async fn chat(Json(msg): Json<Msg>) {
    // ok: CG-CORE007
    let c = Command::new(&msg.text);
    // ok: CG-CORE007
    let s = Command::new("sh").arg("-c").arg(format!("echo {}", msg.text));
}

fn spawn(task: &str) -> std::io::Result<()> {
    // ruleid: CG-CORE007
    std::process::Command::new("sh").arg("-c").arg(format!("run {task}")).status()?;
    Ok(())
}
