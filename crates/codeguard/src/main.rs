use std::process::ExitCode;

/// mimalloc, as ruff uses: rule loading and the analyses allocate many small values, and
/// glibc's `malloc`/`free` were a quarter of a snippet scan's instructions.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A panic is an internal error with a documented exit status, not Rust's 101 (see
/// [`codeguard::exit_code_after_panic`]). The command runs on the main thread: a second
/// thread with a deep stack made every run pay for a second malloc arena (about 0.7 ms of
/// a 6 ms snippet scan), and the engine no longer recurses with the input; the MCP server,
/// which outlives many inputs, keeps a deep-stack thread of its own.
fn main() -> ExitCode {
    std::panic::catch_unwind(|| codeguard::run(std::env::args_os()))
        .unwrap_or_else(|_| codeguard::exit_code_after_panic())
}
