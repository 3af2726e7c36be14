use std::process::ExitCode;

fn main() -> ExitCode {
    codeguard::run(std::env::args_os())
}
