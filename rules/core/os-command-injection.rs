use std::process::Command;

fn clone(repo_url: &str, dest: &str) -> std::io::Result<()> {
    // ruleid: CG-CORE007
    Command::new("sh").arg("-c").arg(format!("git clone {} {}", repo_url, dest)).status()?;
    let line = format!("tar xf {dest}");
    // ruleid: CG-CORE007
    Command::new("bash").args(["-c", &line]).status()?;

    // ok: CG-CORE007
    Command::new("git").args(["clone", "--", repo_url, dest]).status()?;
    // ok: CG-CORE007
    Command::new("sh").arg("-c").arg("make all").status()?;
    // The script's positional parameters are passed without the shell parsing them.
    // ok: CG-CORE007
    Command::new("sh").args(["-c", "tar xf \"$1\"", "sh"]).arg(dest).status()?;
    Ok(())
}

mod handlers {
    use axum::extract::Json;
    use std::process::Command;

    async fn run(Json(job): Json<Job>) -> String {
        // ruleid: CG-CORE007
        let out = Command::new(&job.program).arg("--version").output().unwrap();
        // ruleid: CG-CORE007
        Command::new("sh").arg("-c").arg(&job.script).status().unwrap();
        // ok: CG-CORE007
        Command::new("convert").arg("--").arg(&job.input).status().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

mod cli {
    fn build() -> clap::Command {
        // ok: CG-CORE007
        clap::Command::new("sh").arg(clap::Arg::new("c")).arg(clap::Arg::new(format!("{}", 1)))
    }
}
