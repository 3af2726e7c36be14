use a::{b::{c::{d, e as f, self}}, g::*};
fn main() { let q = std::env::args().nth(1).unwrap(); if a { } else if b { std::process::Command::new("sh").arg("-c").arg(&q); } let ((a,),) = ((q,),); }
