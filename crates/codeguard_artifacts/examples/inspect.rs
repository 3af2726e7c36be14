//! Prints what codeguard finds in model files: `cargo run -p codeguard_artifacts --example inspect -- FILE...`

fn main() {
    for arg in std::env::args().skip(1) {
        let path = std::path::Path::new(&arg);
        match codeguard_artifacts::inspect_path(path) {
            None => println!("{arg}: not a model file"),
            Some(r) => {
                println!(
                    "{arg}: {} ({} pickle(s), {} import(s))",
                    r.format.name(),
                    r.pickles,
                    r.imports
                );
                for f in r.findings {
                    println!(
                        "  {:?} {:?} @{}: {}",
                        f.category, f.member, f.offset, f.message
                    );
                }
            }
        }
    }
}
