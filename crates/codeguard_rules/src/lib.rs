//! codeguard's rules: the file format, loading (built-in pack and user folders), validation
//! and compilation into one combined query per language.
//!
//! Stage one ([`schema`]) only deserializes; stage two ([`compile`]) validates and compiles;
//! [`RuleSet`] holds the enabled rules and builds each language's [`LangPlan`] on first use.

mod case_folded;
pub mod compile;
pub mod error;
pub mod fnv;
mod literal_prefixes;
pub mod load;
pub mod plan;
pub mod schema;

use codeguard_language::Lang;

pub use compile::{Condition, Fix, FixAction, Matcher, MatcherKind, Rule};
pub use error::RuleError;
pub use load::{RuleLoader, builtin_rules, load_rule_path, parse_rule_file};
pub use plan::{LangPlan, MatcherRef};
pub use schema::{Applicability, ArtifactCheck, Confidence, InTests, Severity};

/// The enabled rules and their per-language plans.
#[derive(Debug)]
pub struct RuleSet {
    rules: Vec<Rule>,
    plans: plan::Plans,
}

impl RuleSet {
    /// Takes ownership of the enabled rules. Plans are compiled on first use.
    pub fn new(rules: Vec<Rule>) -> Self {
        Self {
            rules,
            plans: plan::Plans::default(),
        }
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Finds a rule by id or name (case-insensitive).
    pub fn find(&self, key: &str) -> Option<&Rule> {
        self.rules
            .iter()
            .find(|r| r.id.eq_ignore_ascii_case(key) || r.name.eq_ignore_ascii_case(key))
    }

    /// The scan plan of a language, compiled on first use.
    pub fn plan(&self, lang: Lang) -> Result<&LangPlan, RuleError> {
        let index = Lang::ALL
            .iter()
            .position(|l| *l == lang)
            .expect("every language is in ALL");
        self.plans.cells[index]
            .get_or_init(|| plan::build_plan(lang, &self.rules))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Compiles every language's plan and query now, so broken queries are reported before
    /// a scan (scans compile the built-in patterns only when a file needs them).
    pub fn prepare(&self) -> Result<(), RuleError> {
        for lang in Lang::ALL {
            if let Some(query) = &self.plan(lang)?.query {
                query.compile(&self.rules)?;
            }
        }
        Ok(())
    }
}

/// Checks that ids and names are unique across `rules`.
pub fn check_unique(rules: &[Rule]) -> Result<(), RuleError> {
    let mut seen: std::collections::HashMap<String, &Rule> = std::collections::HashMap::new();
    for rule in rules {
        for key in [rule.id.to_ascii_lowercase(), rule.name.to_ascii_lowercase()] {
            if let Some(other) = seen.insert(key.clone(), rule)
                && !std::ptr::eq(other, rule)
            {
                return Err(RuleError::new(
                    &rule.source,
                    0,
                    0,
                    format!(
                        "`{key}` is already used by a rule in {}",
                        other.source.display()
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The JSON Schema of the rule file format.
pub fn rule_file_json_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(schema::RawRuleFile);
    serde_json::to_value(schema).expect("schema serializes")
}
