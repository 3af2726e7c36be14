use rand::rngs::{SmallRng, StdRng};
use rand::{Rng, SeedableRng};

fn new_session_id() -> String {
    // ruleid: CG-CORE019
    let mut rng = SmallRng::from_entropy();
    let session_id: u64 = rng.gen();
    format!("{session_id:x}")
}

fn api_key() -> String {
    // ruleid: CG-CORE019
    let mut rng = StdRng::seed_from_u64(42);
    let api_key: u128 = rng.gen();
    format!("{api_key:x}")
}

fn shuffle_samples(samples: &mut [f32]) {
    // ok: CG-CORE019
    let mut rng = SmallRng::seed_from_u64(7);
    rng.fill(samples);
}

fn reset_token() -> String {
    // ok: CG-CORE019
    let mut rng = rand::thread_rng();
    let reset_token: u128 = rng.gen();
    format!("{reset_token:x}")
}
