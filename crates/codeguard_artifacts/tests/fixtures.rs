//! The fixtures of `tests/fixtures/` (written by `make_fixtures.py` there): what each model
//! file imports, where, and what is left alone.

use std::path::{Path, PathBuf};

use codeguard_artifacts::{Category, Finding, Inspection, inspect_path, inspect_reader};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn inspect(name: &str) -> Inspection {
    inspect_path(&fixture(name)).expect("a model file extension")
}

fn of(inspection: &Inspection, category: Category) -> Vec<&Finding> {
    inspection
        .findings
        .iter()
        .filter(|f| f.category == category)
        .collect()
}

fn globals(inspection: &Inspection, category: Category) -> Vec<String> {
    of(inspection, category)
        .iter()
        .filter_map(|f| f.global.clone())
        .collect()
}

/// The byte at a finding's offset is the opcode that imports (for findings in the file
/// itself, not in an archive member).
fn opcode_at(name: &str, finding: &Finding) -> u8 {
    std::fs::read(fixture(name)).unwrap()[finding.offset as usize]
}

#[test]
fn os_system_through_global() {
    let r = inspect("os_system_global.pkl");
    assert_eq!(globals(&r, Category::DangerousImport), ["posix.system"]);
    let f = of(&r, Category::DangerousImport)[0];
    assert_eq!(opcode_at("os_system_global.pkl", f), b'c');
    assert!(f.message.contains("called by REDUCE"), "{}", f.message);
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
}

#[test]
fn os_system_through_stack_global() {
    let r = inspect("os_system_stack_global.pkl");
    assert_eq!(globals(&r, Category::DangerousImport), ["posix.system"]);
    let f = of(&r, Category::DangerousImport)[0];
    assert_eq!(opcode_at("os_system_stack_global.pkl", f), 0x93);
    assert!(f.message.contains("STACK_GLOBAL"), "{}", f.message);
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
}

#[test]
fn protocol_0_inst() {
    let r = inspect("inst_protocol0.pkl");
    assert_eq!(globals(&r, Category::DangerousImport), ["os.system"]);
    let f = of(&r, Category::DangerousImport)[0];
    assert_eq!(opcode_at("inst_protocol0.pkl", f), b'i');
    assert!(f.message.contains("called by INST"), "{}", f.message);
}

#[test]
fn builtins_exec_under_its_python_2_name() {
    let r = inspect("builtins_exec.pkl");
    assert_eq!(globals(&r, Category::DangerousImport), ["__builtin__.exec"]);
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
}

#[test]
fn memoized_strings_are_resolved() {
    let r = inspect("memoized_strings.pkl");
    // collections.OrderedDict is allowed; builtins.eval comes from BINGET + LONG_BINGET.
    assert_eq!(globals(&r, Category::DangerousImport), ["builtins.eval"]);
    let f = of(&r, Category::DangerousImport)[0];
    assert_eq!(opcode_at("memoized_strings.pkl", f), 0x93);
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
    assert_eq!(r.imports, 2);
}

#[test]
fn state_dicts_and_estimators_are_clean() {
    for name in [
        "state_dict.pkl",
        "state_dict.pt",
        "estimator.pkl",
        "float_array.npy",
        "model.safetensors",
    ] {
        let r = inspect(name);
        assert!(r.findings.is_empty(), "{name}: {:?}", r.findings);
    }
    // The state dict imports the rebuild function, the storage class and OrderedDict.
    assert_eq!(inspect("state_dict.pt").imports, 3);
}

#[test]
fn unknown_globals_are_a_lower_finding() {
    let r = inspect("unknown_global.pkl");
    assert_eq!(globals(&r, Category::UnknownImport), ["__main__.MyModel"]);
    assert!(of(&r, Category::DangerousImport).is_empty());
}

#[test]
fn truncated_pickles_are_reported_with_what_was_read() {
    let r = inspect("truncated.pkl");
    // The import was read before the cut.
    assert_eq!(globals(&r, Category::DangerousImport), ["posix.system"]);
    let cut = of(&r, Category::Unreadable);
    assert_eq!(cut.len(), 1);
    assert!(cut[0].message.contains("before STOP"), "{}", cut[0].message);
    let r = inspect("truncated_state_dict.pkl");
    assert_eq!(of(&r, Category::Unreadable).len(), 1);
    assert!(of(&r, Category::DangerousImport).is_empty());
}

#[test]
fn every_pickle_of_a_sequence_is_read() {
    let r = inspect("two_pickles.pkl");
    assert_eq!(r.pickles, 2);
    assert_eq!(globals(&r, Category::DangerousImport), ["posix.system"]);
}

#[test]
fn joblib_zlib_compression_is_read_through() {
    let r = inspect("compressed.joblib");
    assert_eq!(globals(&r, Category::DangerousImport), ["posix.system"]);
}

#[test]
fn joblib_array_bytes_inside_the_pickle_are_skipped() {
    // The raw array bytes start like `GLOBAL os syst...`: read as opcodes, they would be an
    // import of `os`, and everything after them garbage.
    let r = inspect("estimator_arrays.joblib");
    assert!(r.findings.is_empty(), "{:?}", r.findings);
    assert_eq!(r.imports, 4);
    let r = inspect("poisoned_after_arrays.joblib");
    assert_eq!(globals(&r, Category::DangerousImport), ["posix.system"]);
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
}

#[test]
fn torch_zip_archive_names_the_member() {
    let r = inspect("poisoned.pt");
    let found = of(&r, Category::DangerousImport);
    assert_eq!(found.len(), 1, "{:?}", r.findings);
    assert_eq!(found[0].member.as_deref(), Some("archive/data.pkl"));
    assert_eq!(found[0].global.as_deref(), Some("posix.system"));
    assert!(found[0].message.contains("in `archive/data.pkl` at byte"));
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
}

#[test]
fn legacy_torch_files_read_five_pickles_and_stop() {
    let r = inspect("legacy.pth");
    assert_eq!(r.pickles, 5);
    // The tensor bytes after the fifth pickle look like `GLOBAL os system`, but no loader
    // reads them as a pickle.
    assert_eq!(globals(&r, Category::DangerousImport), ["posix.system"]);
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
}

#[test]
fn numpy_object_arrays_hold_pickles() {
    let r = inspect("object_array.npy");
    assert_eq!(globals(&r, Category::DangerousImport), ["posix.system"]);
    let r = inspect("object_member.npz");
    let found = of(&r, Category::DangerousImport);
    assert_eq!(found.len(), 1, "{:?}", r.findings);
    assert_eq!(found[0].member.as_deref(), Some("labels.npy"));
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
}

#[test]
fn safetensors_headers_are_checked() {
    let r = inspect("bad_offsets.safetensors");
    let found = of(&r, Category::Unreadable);
    assert_eq!(found.len(), 1, "{:?}", r.findings);
    assert!(found[0].message.contains("outside"), "{}", found[0].message);
    let r = inspect("renamed_pickle.safetensors");
    assert_eq!(of(&r, Category::Unreadable).len(), 1, "{:?}", r.findings);
    assert_eq!(globals(&r, Category::DangerousImport), ["posix.system"]);
}

#[test]
fn keras_lambda_layers_and_custom_objects() {
    let r = inspect("lambda_layer.keras");
    assert_eq!(
        globals(&r, Category::DangerousImport),
        ["keras.layers.Lambda"]
    );
    assert_eq!(r.findings[0].member.as_deref(), Some("config.json"));
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
    let r = inspect("custom_layer.keras");
    assert_eq!(
        globals(&r, Category::UnknownImport),
        ["acme_layers.attention.FancyAttention"]
    );
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
    assert!(inspect("plain.keras").findings.is_empty());
}

#[test]
fn gguf_chat_templates_that_reach_python_internals() {
    let r = inspect("template_escape.gguf");
    let found = of(&r, Category::DangerousImport);
    assert_eq!(found.len(), 1, "{:?}", r.findings);
    assert!(
        found[0].message.contains("tokenizer.chat_template")
            && found[0].message.contains("__class__"),
        "{}",
        found[0].message
    );
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
    // An ordinary template, after a vocabulary of strings and an array of floats.
    assert!(inspect("chat_template.gguf").findings.is_empty());
    let mut cut = std::fs::read(fixture("chat_template.gguf")).unwrap();
    cut.truncate(cut.len() - 10);
    let r = inspect_reader(
        Path::new("x.gguf"),
        std::io::Cursor::new(&cut),
        cut.len() as u64,
    )
    .unwrap();
    assert_eq!(of(&r, Category::Unreadable).len(), 1, "{:?}", r.findings);
}

/// Every fixture, cut at every length and with bytes flipped, ends in an inspection, never a
/// panic (read from memory, as a file of that name would be).
#[test]
fn truncations_and_corruptions_never_panic() {
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let run = |name: &Path, bytes: &[u8]| {
        let reader = std::io::Cursor::new(bytes);
        inspect_reader(name, reader, bytes.len() as u64).expect("a model file extension");
    };
    // `ARTIFACT_MUTATIONS=100000 cargo test ...` for a longer run.
    let mutations: usize = std::env::var("ARTIFACT_MUTATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(500);
    let mut cases = 0;
    for entry in std::fs::read_dir(fixture("")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "py") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        for cut in 0..bytes.len() {
            run(&path, &bytes[..cut]);
        }
        for _ in 0..mutations {
            let mut corrupt = bytes.clone();
            for _ in 0..1 + next() % 4 {
                let at = (next() % corrupt.len().max(1) as u64) as usize;
                if let Some(b) = corrupt.get_mut(at) {
                    *b = next() as u8;
                }
            }
            run(&path, &corrupt);
        }
        cases += 1;
    }
    assert!(cases >= 20, "{cases} fixtures");
    for len in [0usize, 1, 7, 8, 100, 5000, 100_000] {
        let random: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        for ext in [
            "pkl",
            "pt",
            "npy",
            "npz",
            "safetensors",
            "joblib",
            "keras",
            "gguf",
        ] {
            run(Path::new(&format!("random.{ext}")), &random);
        }
    }
}
