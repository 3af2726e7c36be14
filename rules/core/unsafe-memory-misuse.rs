use std::mem::{self, MaybeUninit};
use std::ptr::NonNull;

struct Node {
    next: Option<NonNull<Node>>,
}

fn uninit() {
    // ruleid: CG-CORE039
    let x: [u8; 64] = unsafe { mem::uninitialized() };
    // ruleid: CG-CORE039
    let y: u64 = unsafe { MaybeUninit::uninit().assume_init() };
    // An array of `MaybeUninit` needs no initialisation.
    // ok: CG-CORE039
    let z: [MaybeUninit<u8>; 64] = unsafe { MaybeUninit::uninit().assume_init() };
    let mut slot = MaybeUninit::<u64>::uninit();
    slot.write(7);
    // ok: CG-CORE039
    let w = unsafe { slot.assume_init() };
}

fn zeroed() {
    // ruleid: CG-CORE039
    let r: &Node = unsafe { mem::zeroed() };
    // ruleid: CG-CORE039
    let p = unsafe { mem::zeroed::<NonNull<Node>>() };
    // ruleid: CG-CORE039
    let f: fn(u32) -> u32 = unsafe { std::mem::zeroed() };
    // Plain data: all zeroes is a valid value.
    // ok: CG-CORE039
    let stat: libc::stat = unsafe { mem::zeroed() };
    // ok: CG-CORE039
    let n = unsafe { mem::zeroed::<u64>() };
    // ok: CG-CORE039
    let q: *const Node = unsafe { mem::zeroed() };
}

fn read_exact_into(file: &mut std::fs::File, n: usize) -> Vec<u8> {
    let mut buf = Vec::with_capacity(n);
    // ruleid: CG-CORE039
    unsafe { buf.set_len(n); }
    std::io::Read::read_exact(file, &mut buf).unwrap();
    buf
}

fn indexes(n: usize) -> Vec<u32> {
    // Written "later": until then the vector holds uninitialised integers.
    let v = unsafe {
        let mut v = Vec::with_capacity(n);
        // ruleid: CG-CORE039
        v.set_len(n);
        v
    };
    v
}

fn filled_by_ffi(n: usize) -> Vec<u8> {
    let mut buf = Vec::with_capacity(n);
    unsafe {
        let written = ffi_fill(buf.as_mut_ptr(), n);
        // Written by the call above first.
        // ok: CG-CORE039
        buf.set_len(written);
    }
    buf
}

fn zero_filled(n: usize) -> Vec<u8> {
    let mut buf = Vec::with_capacity(n);
    unsafe {
        std::ptr::write_bytes(buf.as_mut_ptr(), 0, n);
        // ok: CG-CORE039
        buf.set_len(n);
    }
    buf
}

fn alias(counter: &u32) {
    // ruleid: CG-CORE039
    let m = unsafe { mem::transmute::<&u32, &mut u32>(counter) };
    // ok: CG-CORE039
    let bits = unsafe { mem::transmute::<f32, u32>(1.0) };
    *m += 1;
}

mod handlers {
    use axum::extract::Query;

    async fn peek(Query(q): Query<Peek>, state: &State) -> u8 {
        let base = state.buffer.as_ptr();
        // ruleid: CG-CORE039
        let bytes = unsafe { std::slice::from_raw_parts(base, q.len) };
        // ruleid: CG-CORE039
        let b = unsafe { *state.buffer.get_unchecked(q.index) };
        // Bounded first by the buffer's own length.
        let len = q.len.min(state.buffer.len());
        // ok: CG-CORE039
        let safe = unsafe { std::slice::from_raw_parts(base, state.buffer.len()) };
        bytes[0]
    }
}

// A bare `unsafe` block is not a finding.
fn ffi_call() -> i32 {
    // ok: CG-CORE039
    unsafe { libc::getpid() }
}
