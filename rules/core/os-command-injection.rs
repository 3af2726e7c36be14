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
