//! Project configuration: `codeguard.toml`, `.codeguard.toml` or `[tool.codeguard]` in
//! `pyproject.toml`, the nearest one above the current directory (or `--config FILE`).
//! Unknown keys and bad values are errors that name the file, line and column.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use codeguard_rules::Severity;
use serde::Deserialize;

/// The `[tool.codeguard]` / `codeguard.toml` table.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Only these rules: ids, names, packs or CWE ids (`CWE-327`).
    #[serde(default)]
    pub select: Vec<String>,
    /// Not these rules: ids, names, packs or CWE ids.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Extra rule folders, relative to the configuration file.
    #[serde(default)]
    pub extend_rules: Vec<PathBuf>,
    /// Paths (gitignore-style globs, relative to the configuration file) not to scan.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Only findings at or above this severity fail the run (exit 1); others are reported.
    #[serde(default)]
    pub fail_on: Option<Severity>,
    /// Severity overrides by rule id or name.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
    /// Rules (ids, names, packs or CWE ids) ignored in files matching a glob.
    #[serde(default)]
    pub per_file_ignores: BTreeMap<String, Vec<String>>,
    /// Let `check` pass when files of code were not scanned (too large, unreadable, parse timed
    /// out); by default such a run exits 2.
    #[serde(default)]
    pub allow_skipped: Option<bool>,
    /// Honour `codeguard-ignore` comments (default true).
    #[serde(default)]
    pub inline_suppressions: Option<bool>,
    /// Paths holding tests, where findings are downgraded one severity level (critical secrets
    /// excepted). Default: `tests/`, `test/`, `test_*.py`, `*_test.py`, `*_tests.rs`, `conftest.py`.
    #[serde(default)]
    pub test_globs: Option<Vec<String>>,
    /// Settings of the model-signing rule (CG-ML006).
    #[serde(default)]
    pub model_signing: ModelSigningConfig,
    /// Calls to add to a named source set of the data-flow rules, per language:
    /// `[source-sets.llm-output] python = ["acme.llm.ask"]` makes every rule about model
    /// output treat what `acme.llm.ask(...)` returns as model output.
    #[serde(default)]
    pub source_sets: BTreeMap<String, SourceSetAdditions>,
}

/// `[tool.codeguard.source-sets.<id>]`: qualified call names (globs allowed) per language.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSetAdditions {
    #[serde(default)]
    pub python: Vec<String>,
    #[serde(default)]
    pub rust: Vec<String>,
}

/// `[tool.codeguard.model-signing]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ModelSigningConfig {
    /// Project functions that verify a model (qualified names, e.g. `acme.security.verify_model`);
    /// their first argument counts as verified.
    #[serde(default)]
    pub verifiers: Vec<String>,
    /// `all` (default): every model load must be verified; `untrusted`: only loads of paths
    /// that are not literals in the code (downloaded or computed).
    #[serde(default)]
    pub require: Option<RequireVerification>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RequireVerification {
    All,
    Untrusted,
}

/// A configuration and the folder its relative paths start from.
#[derive(Debug, Default, Clone)]
pub struct LoadedConfig {
    pub config: Config,
    pub root: PathBuf,
    pub file: Option<PathBuf>,
}

fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, column)
}

/// Parses a configuration's text (`pyproject`: a `pyproject.toml`, read for its
/// `[tool.codeguard]` table); `path` only names it in errors. Public for the fuzz targets.
pub fn parse(path: &Path, text: &str, pyproject: bool) -> Result<Option<Config>> {
    let error = |e: toml::de::Error| {
        let (line, column) = e.span().map(|s| position(text, s.start)).unwrap_or((0, 0));
        anyhow::anyhow!("{}:{line}:{column}: {}", path.display(), e.message())
    };
    if pyproject {
        #[derive(Deserialize)]
        struct Pyproject {
            tool: Option<Tool>,
        }
        #[derive(Deserialize)]
        struct Tool {
            codeguard: Option<Config>,
        }
        let doc: Pyproject = toml::from_str(text).map_err(error)?;
        return Ok(doc.tool.and_then(|t| t.codeguard));
    }
    Ok(Some(toml::from_str(text).map_err(error)?))
}

/// Loads `explicit`, or the nearest configuration above `start`.
pub fn discover(explicit: Option<&Path>, start: &Path) -> Result<LoadedConfig> {
    if let Some(path) = explicit {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let pyproject = path.file_name().is_some_and(|n| n == "pyproject.toml");
        let Some(config) = parse(path, &text, pyproject)? else {
            bail!("{}: no [tool.codeguard] table", path.display());
        };
        let root = path
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        return Ok(LoadedConfig {
            config,
            root,
            file: Some(path.to_path_buf()),
        });
    }
    let start = start.canonicalize().unwrap_or_else(|_| start.to_path_buf());
    for dir in start.ancestors() {
        for (name, pyproject) in [
            ("codeguard.toml", false),
            (".codeguard.toml", false),
            ("pyproject.toml", true),
        ] {
            let path = dir.join(name);
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            if let Some(config) = parse(&path, &text, pyproject)? {
                return Ok(LoadedConfig {
                    config,
                    root: dir.to_path_buf(),
                    file: Some(path),
                });
            }
        }
    }
    Ok(LoadedConfig::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_and_bad_values_name_their_line() {
        let err = parse(
            Path::new("c.toml"),
            "select = [\"ml\"]\nselcet = [\"x\"]\n",
            false,
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("c.toml:2:1: unknown field `selcet`"),
            "{err}"
        );
        let err = parse(Path::new("c.toml"), "fail-on = \"severe\"\n", false).unwrap_err();
        assert!(err.to_string().starts_with("c.toml:1:11:"), "{err}");
        let py =
            "[project]\nname = \"x\"\n\n[tool.codeguard]\nignore = [\"CG-SEC002\"]\nbogus = 1\n";
        let err = parse(Path::new("pyproject.toml"), py, true).unwrap_err();
        assert!(err.to_string().starts_with("pyproject.toml:6:1:"), "{err}");
        let ok = parse(
            Path::new("pyproject.toml"),
            "[tool.codeguard]\nfail-on = \"high\"\n",
            true,
        )
        .unwrap()
        .unwrap();
        assert_eq!(ok.fail_on, Some(Severity::High));
        assert!(
            parse(Path::new("pyproject.toml"), "[tool.black]\nx = 1\n", true)
                .unwrap()
                .is_none()
        );
    }
}
