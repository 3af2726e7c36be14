//! Hostile inputs through the real binary (`check --stdin` and `check FILE`, JSON output):
//! nesting 100,000 deep, 10 MB lines, a thousand findings on one line, long re-binding
//! chains, every byte value, invalid UTF-8. codeguard is a guardrail: a crash means "allow",
//! so every input must end in a report (exit 0 or 1), never in a signal or a panic.
//!
//! The inputs are generated here (nothing large is committed). Time and memory are measured
//! by `bench/adversarial.sh` on a release build (it has this test write the inputs out); the
//! assertions only check the outcome (plus a very generous time guard so a hang fails
//! instead of stalling the test run).

mod common;

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const DEEP: usize = 100_000;

/// A generous guard against hangs: a debug build on a loaded machine takes 10-40 times as
/// long as the release build (which needs at most a few seconds per input, see the report).
const GUARD: Duration = Duration::from_secs(300);

struct Case {
    name: &'static str,
    /// File name the input is scanned as (picks the language).
    file: &'static str,
    input: Vec<u8>,
}

fn case(name: &'static str, file: &'static str, input: impl Into<Vec<u8>>) -> Case {
    Case {
        name,
        file,
        input: input.into(),
    }
}

fn nest(open: &str, middle: &str, close: &str, depth: usize) -> String {
    let mut s = String::with_capacity((open.len() + close.len()) * depth + middle.len());
    for _ in 0..depth {
        s.push_str(open);
    }
    s.push_str(middle);
    for _ in 0..depth {
        s.push_str(close);
    }
    s
}

fn joined(part: &str, sep: &str, n: usize) -> String {
    vec![part; n].join(sep)
}

fn python_cases() -> Vec<Case> {
    let n = DEEP;
    // Python blocks need one more column of indentation per level, so a 100,000-deep `if`
    // would be 5 GB: 2,500 levels (3 MB) instead; one-line conditionals go 100,000 deep.
    let ifs: String = (0..2_500)
        .map(|i| format!("{}if x:\n", " ".repeat(i)))
        .collect::<String>()
        + &" ".repeat(2_500)
        + "eval(input())\n";
    let defs: String = (0..2_500)
        .map(|i| format!("{}def f():\n", " ".repeat(i)))
        .collect::<String>()
        + &" ".repeat(2_500)
        + "os.system(input())\n";
    let chain: String = (0..n).map(|i| format!("a{i}=")).collect();
    vec![
        case(
            "brackets",
            "x.py",
            format!("x = {}\neval(input())\n", nest("[", "", "]", n)),
        ),
        case(
            "parentheses",
            "x.py",
            format!("x = {}\neval(input())\n", nest("(", "1", ")", n)),
        ),
        case(
            "nested calls",
            "x.py",
            format!("x = {}\neval(x)\n", nest("f(", "input()", ")", n)),
        ),
        case(
            "binary operators",
            "x.py",
            format!(
                "import os\nq = {}\nos.system(q)\n",
                joined("input()", "+", n)
            ),
        ),
        case(
            "string concatenation",
            "x.py",
            format!("import os\nq = {}\nos.system(q)\n", joined("\"a\"", "+", n)),
        ),
        case("nested if blocks", "x.py", ifs),
        case("nested functions", "x.py", format!("import os\n{defs}")),
        case(
            "conditional expressions",
            "x.py",
            format!("x = {}\n", joined("eval(input())", " if c else ", n)),
        ),
        case(
            "assignment targets",
            "x.py",
            format!("import os\n{chain}input()\nos.system(a0)\n"),
        ),
        case(
            "nested list target",
            "x.py",
            format!(
                "import os\n{} = input()\nos.system(a)\n",
                nest("[", "a", "]", n)
            ),
        ),
        case(
            "nested for target",
            "x.py",
            format!(
                "import os\nfor {} in input():\n    os.system(a)\n",
                nest("(", "a,", ")", n)
            ),
        ),
        case(
            "parenthesized guard",
            "x.py",
            format!(
                "import os\nq = input()\nif {}:\n    os.system(q)\n",
                nest("(", "q in A", ")", n)
            ),
        ),
        case(
            "deep with item",
            "x.py",
            format!(
                "import os\nwith {} as q:\n    os.system(q)\n",
                nest("f(", "input()", ")", n)
            ),
        ),
        case(
            "nested lambdas",
            "x.py",
            format!("x = {}eval(input())\n", "lambda: ".repeat(n)),
        ),
        case(
            "subscripts",
            "x.py",
            format!("x = a{}\neval(x)\n", "[0]".repeat(n)),
        ),
        case(
            "attributes",
            "x.py",
            format!("import torch\nx = torch{}.load(p)\n", ".a".repeat(n)),
        ),
        case(
            "not operators",
            "x.py",
            format!("x = {}eval(input())\n", "not ".repeat(n)),
        ),
        case(
            "10 MB line",
            "x.py",
            format!("x = \"{}\"; eval(input())\n", "a".repeat(10 << 20)),
        ),
        case(
            "1000 findings on one line",
            "x.py",
            format!("import torch\n{}\n", joined("torch.load(x)", ";", 1000)),
        ),
        case(
            "1000 findings on a 1 MB line",
            "x.py",
            format!(
                "{}#{}\n",
                joined("eval(input())", ";", 1000),
                "a".repeat(1 << 20)
            ),
        ),
        case(
            "re-binding chain to a shell",
            "x.py",
            format!(
                "import os\nq = input()\n{}os.system(q)\n",
                "q = q + y\n".repeat(50_000)
            ),
        ),
        case(
            "re-binding chain to SQL",
            "x.py",
            format!(
                "q = input()\n{}cursor.execute(q)\n",
                "q = q + y\n".repeat(50_000)
            ),
        ),
        case(
            "re-binding chain of strings",
            "x.py",
            format!(
                "import os\nq = \"a\"\n{}os.system(q)\neval(q)\n",
                "q = q + \"b\"\n".repeat(50_000)
            ),
        ),
        case(
            "deep verification in a try",
            "x.py",
            format!(
                "import torch\np = input()\ntry:\n    x = {}\nexcept Exception:\n    pass\ntorch.load(p)\n",
                nest("(", "model_signing.verify(p)", ")", n)
            ),
        ),
        case("every byte", "x.py", every_byte(b"\neval(input())\n")),
        case(
            "invalid UTF-8",
            "x.py",
            b"eval(input())\n\xff\xfe\xc3\x28 = 1\neval(x)\n".repeat(1000),
        ),
    ]
}

fn rust_cases() -> Vec<Case> {
    let n = DEEP;
    let source = "let q = std::env::args().next().unwrap();";
    let chain: Vec<String> = (0..n).map(|i| format!("a{i}")).collect();
    vec![
        case(
            "brackets",
            "x.rs",
            format!("fn main() {{ let x = {}; }}\n", nest("[", "", "]", n)),
        ),
        case(
            "parentheses",
            "x.rs",
            format!("fn main() {{ let x = {}; }}\n", nest("(", "1", ")", n)),
        ),
        case(
            "nested calls",
            "x.rs",
            format!("fn main() {{ let x = {}; }}\n", nest("f(", "y", ")", n)),
        ),
        case(
            "binary operators",
            "x.rs",
            format!(
                "use std::process::Command;\nfn main() {{ let q = {}; Command::new(\"sh\").arg(\"-c\").arg(q); }}\n",
                joined("a", "+", n)
            ),
        ),
        case(
            "nested modules",
            "x.rs",
            nest(
                "mod a { ",
                &format!("fn f() {{ {source} std::process::Command::new(q); }}"),
                " }",
                n,
            ),
        ),
        case(
            "use tree",
            "x.rs",
            format!("use a::{};\nfn main() {{}}\n", nest("{b::", "c", "}", n)),
        ),
        case(
            "long use list",
            "x.rs",
            format!(
                "use std::process::{{{}}};\nfn main() {{}}\n",
                (0..n)
                    .map(|i| format!("C{i}"))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        ),
        case(
            "nested closures",
            "x.rs",
            format!(
                "fn main() {{ {source} let f = {}std::process::Command::new(q); }}\n",
                "|| ".repeat(n)
            ),
        ),
        case(
            "nested blocks",
            "x.rs",
            format!(
                "fn main() {{ {source} {} }}\n",
                nest("{ ", "std::process::Command::new(\"sh\").arg(q);", " }", n)
            ),
        ),
        case(
            "tail expressions",
            "x.rs",
            format!(
                "fn main() {{ {source} {} }}\n",
                nest("{ ", "std::process::Command::new(q)", " }", n)
            ),
        ),
        case(
            "nested if",
            "x.rs",
            format!(
                "fn main() {{ {source} {} }}\n",
                nest(
                    "if x { ",
                    "std::process::Command::new(\"sh\").arg(q)",
                    " }",
                    n
                )
            ),
        ),
        case(
            "assignment targets",
            "x.rs",
            format!(
                "fn main() {{ {source} {} = q; std::process::Command::new(a0); }}\n",
                chain.join(" = ")
            ),
        ),
        case(
            "nested tuple pattern",
            "x.rs",
            format!(
                "fn main() {{ let {} = std::env::args(); std::process::Command::new(a); }}\n",
                nest("(", "a,", ")", n)
            ),
        ),
        case(
            "10 MB line",
            "x.rs",
            format!("fn main() {{ let x = \"{}\"; }}\n", "a".repeat(10 << 20)),
        ),
        case(
            "1000 findings on one line",
            "x.rs",
            format!(
                "use std::process::Command;\nfn main() {{ {} }}\n",
                joined("Command::new(\"sh\").arg(\"-c\").arg(x);", " ", 1000)
            ),
        ),
        case(
            "re-binding chain",
            "x.rs",
            format!(
                "use std::process::Command;\nfn main() {{ {source}\n{}Command::new(\"sh\").arg(\"-c\").arg(q); }}\n",
                "let q = q + y;\n".repeat(50_000)
            ),
        ),
        case(
            "builder chain",
            "x.rs",
            format!(
                "fn main() {{ {source} std::process::Command::new(\"sh\").arg(\"-c\"){}.spawn(); }}\n",
                ".arg(&q)".repeat(n)
            ),
        ),
        case(
            "else-if chain",
            "x.rs",
            format!(
                "fn main() {{ {source} if a {{ }} {}}}\n",
                "else if b { g(&q) } ".repeat(n)
            ),
        ),
        case("every byte", "x.rs", every_byte(b"\nfn main() {}\n")),
        case(
            "invalid UTF-8",
            "x.rs",
            b"fn main() {}\n\xff\xfe\xc3\x28\n".repeat(1000),
        ),
    ]
}

fn json_cases() -> Vec<Case> {
    let n = DEEP;
    let servers: Vec<String> = (0..1000)
        .map(|i| {
            format!(
                "\"s{i}\": {{\"url\": \"http://x/{i}\", \"env\": {{\"API_KEY\": \"sk-abcdefabcdefabcdefabcdef{i:06}\"}}}}"
            )
        })
        .collect();
    vec![
        case(
            "brackets",
            ".mcp.json",
            format!(
                "{{\"mcpServers\": {{\"a\": {{\"command\": \"npx\", \"args\": {}}}}}}}",
                nest("[", "", "]", n)
            ),
        ),
        case(
            "objects",
            ".mcp.json",
            format!("{{\"mcpServers\": {}}}", nest("{\"a\": ", "1", "}", n)),
        ),
        case(
            "10 MB line",
            ".mcp.json",
            format!(
                "{{\"mcpServers\": {{\"a\": {{\"command\": \"npx\", \"args\": [\"{}\"]}}}}}}",
                "a".repeat(10 << 20)
            ),
        ),
        case(
            "1000 servers on one line",
            ".mcp.json",
            format!("{{\"mcpServers\": {{{}}}}}", servers.join(",")),
        ),
        case("every byte", ".mcp.json", every_byte(b"")),
        case(
            "invalid UTF-8",
            ".mcp.json",
            b"{\"mcpServers\": {\"\xff\xfe\": {\"command\": \"npx\"}}}".to_vec(),
        ),
    ]
}

fn every_byte(tail: &[u8]) -> Vec<u8> {
    let mut bytes: Vec<u8> = (0..=255u8).collect();
    bytes.extend_from_slice(tail);
    bytes
}

/// Runs the binary, killing it after [`GUARD`]: (exit code, stdout, stderr, elapsed).
fn run(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> (Option<i32>, Vec<u8>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_codeguard"))
        .args(args)
        .current_dir(dir)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        let input = input.to_vec();
        // A writer thread: the child may answer before reading everything.
        std::thread::spawn(move || {
            let _ = pipe.write_all(&input);
        });
    }
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = out.read_to_end(&mut bytes);
        bytes
    });
    let err_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = err.read_to_string(&mut text);
        text
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > GUARD {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`codeguard {}` ran longer than {GUARD:?}", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (
        status.code(),
        reader.join().unwrap(),
        err_reader.join().unwrap(),
    )
}

fn check_outcome(what: &str, code: Option<i32>, stdout: &[u8], stderr: &str) {
    assert!(
        matches!(code, Some(0 | 1)),
        "{what}: exit {code:?} (a signal if None)\n{}",
        &stderr[..stderr.len().min(2000)]
    );
    let report: serde_json::Value = serde_json::from_slice(stdout)
        .unwrap_or_else(|e| panic!("{what}: not JSON ({e})\n{stderr}"));
    assert!(report["findings"].is_array(), "{what}: {report}");
}

fn replay(cases: Vec<Case>) {
    let dir = tempfile::tempdir().unwrap();
    // `bench/adversarial.sh` times each input on a release build: it asks for them here.
    if let Some(out) = std::env::var_os("CODEGUARD_ADVERSARIAL_DUMP") {
        for case in &cases {
            let name = format!("{}-{}", case.name.replace(' ', "_"), case.file);
            std::fs::write(Path::new(&out).join(name), &case.input).unwrap();
        }
        return;
    }
    for case in cases {
        let started = Instant::now();
        let what = format!("{} ({}, stdin)", case.name, case.file);
        // Files cut short by a time budget are reported as not scanned: `--allow-skipped`
        // keeps that from failing the run, so the exit status says only "no crash".
        let (code, stdout, stderr) = run(
            dir.path(),
            &[
                "check",
                "--no-cache",
                "--format",
                "json",
                "--allow-skipped",
                "--max-file-size",
                "64000000",
                "--stdin",
                "--stdin-filename",
                case.file,
            ],
            Some(&case.input),
        );
        check_outcome(&what, code, &stdout, &stderr);
        let what = format!("{} ({}, file)", case.name, case.file);
        let sub = tempfile::tempdir_in(dir.path()).unwrap();
        std::fs::write(sub.path().join(case.file), &case.input).unwrap();
        let (code, stdout, stderr) = run(
            sub.path(),
            &[
                "check",
                "--no-cache",
                "--format",
                "json",
                "--allow-skipped",
                "--max-file-size",
                "64000000",
                case.file,
            ],
            None,
        );
        check_outcome(&what, code, &stdout, &stderr);
        eprintln!("{} ({}): {:?}", case.name, case.file, started.elapsed());
    }
}

#[test]
fn hostile_python() {
    replay(python_cases());
}

#[test]
fn hostile_rust() {
    replay(rust_cases());
}

#[test]
fn hostile_mcp_json() {
    replay(json_cases());
}
