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
    use_mimalloc_for_tree_sitter();
    std::panic::catch_unwind(|| codeguard::run(std::env::args_os()))
        .unwrap_or_else(|_| codeguard::exit_code_after_panic())
}

/// tree-sitter's C code allocates its trees and parse stacks through glibc unless told
/// otherwise: its `malloc` and `free` were 7% of a cold scan's time. mimalloc serves them
/// as it serves the Rust code. Like tree-sitter's own defaults, the functions abort when
/// memory runs out (tree-sitter does not expect null).
#[allow(unsafe_code)]
fn use_mimalloc_for_tree_sitter() {
    use std::ffi::c_void;
    /// `p`, or the process ends when memory for `size` bytes ran out.
    fn or_abort(p: *mut c_void, size: usize) -> *mut c_void {
        if p.is_null() && size != 0 {
            std::process::abort();
        }
        p
    }
    unsafe extern "C" fn malloc(size: usize) -> *mut c_void {
        or_abort(unsafe { libmimalloc_sys::mi_malloc(size) }, size)
    }
    unsafe extern "C" fn calloc(count: usize, size: usize) -> *mut c_void {
        let total = count
            .checked_mul(size)
            .unwrap_or_else(|| std::process::abort());
        or_abort(unsafe { libmimalloc_sys::mi_zalloc(total) }, total)
    }
    unsafe extern "C" fn realloc(ptr: *mut c_void, size: usize) -> *mut c_void {
        or_abort(unsafe { libmimalloc_sys::mi_realloc(ptr, size) }, size)
    }
    unsafe extern "C" fn free(ptr: *mut c_void) {
        unsafe { libmimalloc_sys::mi_free(ptr) }
    }
    // SAFETY: one allocator family (mimalloc's, 16-byte aligned as malloc's), none returns
    // null for a non-zero size, and this runs first, on the only thread, before any
    // tree-sitter object exists.
    unsafe {
        tree_sitter::set_allocator(Some(tree_sitter::Allocator {
            malloc,
            calloc,
            realloc,
            free,
        }));
    }
}
