use std::process::ExitCode;

/// Stack of the thread the command runs on. Belt and braces only: the engine walks trees
/// with explicit stacks and bounds its recursion, but a crash of the guardrail means
/// "allow", so a deeper stack costs nothing (it is reserved, not used) and buys margin.
const STACK_SIZE: usize = 256 * 1024 * 1024;

fn main() -> ExitCode {
    let args: Vec<_> = std::env::args_os().collect();
    match std::thread::Builder::new()
        .name("codeguard".into())
        .stack_size(STACK_SIZE)
        .spawn(move || codeguard::run(args))
    {
        Ok(handle) => handle
            .join()
            .unwrap_or_else(|_| codeguard::exit_code_after_panic()),
        // No thread (resource limits): run on this one.
        Err(_) => codeguard::run(std::env::args_os()),
    }
}
