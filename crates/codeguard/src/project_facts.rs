//! Facts about the scanned project that rules test with `project-fact`, read from the
//! dependency declarations at its root (`pyproject.toml`, `setup.cfg`, `setup.py`,
//! `requirements*.txt`). Conservative: a fact holds only when every declaration found agrees.

use std::path::Path;

/// The facts of the project at `root`.
pub fn project_facts(root: &Path) -> Vec<String> {
    let mut texts = Vec::new();
    for name in ["pyproject.toml", "setup.cfg", "setup.py"] {
        if let Ok(text) = std::fs::read_to_string(root.join(name)) {
            texts.push(text);
        }
    }
    if let Ok(entries) = std::fs::read_dir(root) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with("requirements")
                && name.ends_with(".txt")
                && let Ok(text) = std::fs::read_to_string(entry.path())
            {
                texts.push(text);
            }
        }
    }
    let mut facts = Vec::new();
    if requires_at_least(&texts, "torch", (2, 6)) {
        facts.push("torch>=2.6".to_string());
    }
    facts
}

/// True when `package` is declared at least once in `texts` and every declaration requires
/// `minimum` or later (`torch>=2.6`, `torch==2.7.1`, `torch~=2.6`, poetry `torch = "^2.6"`).
fn requires_at_least(texts: &[String], package: &str, minimum: (u32, u32)) -> bool {
    let mut found = false;
    for text in texts {
        for spec in specifiers(text, package) {
            found = true;
            if !guarantees(&spec, minimum) {
                return false;
            }
        }
    }
    found
}

/// The version specifiers written after each standalone mention of `package` (`torch` in
/// `"torch>=2.6"`, not in `torchvision` or `pytorch-lightning`).
fn specifiers(text: &str, package: &str) -> Vec<String> {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.';
    let mut specs = Vec::new();
    let mut from = 0;
    while let Some(found) = text[from..].find(package) {
        let start = from + found;
        let end = start + package.len();
        from = end;
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        if before.is_some_and(word) || after.is_some_and(word) {
            continue;
        }
        let mut rest = text[end..].trim_start_matches([' ', '\t']);
        // poetry: `torch = "^2.6"` or `torch = {version = ">=2.6", ...}`.
        if let Some(value) = rest.strip_prefix('=').filter(|r| !r.starts_with('=')) {
            let value = value.trim_start();
            let value = value
                .strip_prefix('{')
                .and_then(|v| v.split_once("version").map(|(_, r)| r))
                .and_then(|r| r.trim_start().strip_prefix('='))
                .map_or(value, str::trim_start);
            rest = value.trim_start_matches(['"', '\'']);
        }
        let spec: String = rest
            .chars()
            .take_while(|c| !matches!(c, '"' | '\'' | ';' | '#' | '\n' | ']' | '}' | '['))
            .collect();
        specs.push(spec.trim().to_string());
    }
    specs
}

/// Whether a specifier such as `>=2.6,<3` admits no version below `minimum`.
fn guarantees(spec: &str, minimum: (u32, u32)) -> bool {
    spec.split(',').any(|clause| {
        let clause = clause.trim();
        let version = ["===", "==", ">=", "~=", "^", ">"]
            .iter()
            .find_map(|op| clause.strip_prefix(op));
        version.and_then(parse).is_some_and(|v| v >= minimum)
    })
}

fn parse(version: &str) -> Option<(u32, u32)> {
    let mut parts = version.trim().split('.');
    let major = parts.next()?.trim().parse().ok()?;
    let minor = parts
        .next()
        .map(|m| {
            m.chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
        })
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    Some((major, minor))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holds(text: &str) -> bool {
        requires_at_least(&[text.to_string()], "torch", (2, 6))
    }

    #[test]
    fn only_declarations_that_guarantee_the_version_count() {
        assert!(holds("dependencies = [\"torch>=2.6\", \"numpy\"]"));
        assert!(holds("torch==2.7.1\ntorchvision>=0.1\n"));
        assert!(holds("torch >= 2.6.0, < 3\n"));
        assert!(holds("[tool.poetry.dependencies]\ntorch = \"^2.6\"\n"));
        assert!(holds(
            "torch = {version = \">=2.8\", source = \"pytorch\"}\n"
        ));
        assert!(!holds("torch>=1.4\n"));
        assert!(!holds("torch\n"));
        assert!(!holds("torch<3\n"));
        assert!(!holds("torch>=2.6\n# and elsewhere\ntorch>=2.1\n"));
        // Other packages with torch in their names are not torch.
        assert!(!holds("pytorch-lightning>=2.6\ntorchvision>=2.6\n"));
        assert!(!holds("numpy>=2\n"));
    }
}
