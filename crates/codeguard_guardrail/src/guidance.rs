//! The rule pack as instructions for AI assistants: one imperative line per enabled rule (its
//! `guidance`), grouped by topic, each line naming the rule id so that a later finding or
//! blocked edit and the instruction the assistant was given match. `codeguard init-rules`
//! writes this text into the assistants' instruction files and the MCP server offers it as
//! prompts ([`crate::mcp`]); both render it here, from the same rules the guardrail enforces.

use codeguard_language::Lang;
use codeguard_rules::Rule;

/// A group of rules an assistant gets guidance on together (an MCP prompt of its own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Topic {
    /// The MCP prompt name, e.g. `model-loading`.
    pub name: &'static str,
    /// The heading in instruction files, e.g. "Model loading".
    pub title: &'static str,
    /// The rule packs (rule folders) the topic covers.
    pub packs: &'static [&'static str],
    /// What the prompt is about (the MCP prompt description).
    pub description: &'static str,
}

/// The built-in topics, in the order instruction files list them.
pub const TOPICS: [Topic; 5] = [
    Topic {
        name: "model-loading",
        title: "Model loading",
        packs: &["ml"],
        description: "Loading ML models and checkpoints: pickle-based formats, remote code, pinned revisions, signatures.",
    },
    Topic {
        name: "secrets-and-prompts",
        title: "Secrets and prompts",
        packs: &["sec"],
        description: "Credentials in code, in prompts sent to models and in logs.",
    },
    Topic {
        name: "model-output-handling",
        title: "Model output handling",
        packs: &["llm"],
        description: "What code may do with model output and what agents may do: eval, shells, SQL, HTML, paths, tools.",
    },
    Topic {
        name: "mcp-servers",
        title: "MCP servers",
        packs: &["mcp"],
        description: "Writing and configuring MCP servers: tool arguments, transport security, secrets, pinned launches.",
    },
    Topic {
        name: "injection-and-crypto",
        title: "Classic injection and crypto",
        packs: &["core"],
        description: "Injection, deserialization, TLS, hashing, ciphers and web framework settings.",
    },
];

/// Rules of packs no built-in topic covers (a project's own rule folders).
pub const PROJECT_TOPIC: Topic = Topic {
    name: "project-rules",
    title: "Project rules",
    packs: &[],
    description: "The project's own codeguard rules.",
};

/// The topic a rule belongs to, by its pack.
pub fn topic_of(rule: &Rule) -> &'static Topic {
    TOPICS
        .iter()
        .find(|t| t.packs.contains(&rule.pack.as_str()))
        .unwrap_or(&PROJECT_TOPIC)
}

/// The topics in order, the project topic last.
pub fn all_topics() -> impl Iterator<Item = &'static Topic> {
    TOPICS.iter().chain(std::iter::once(&PROJECT_TOPIC))
}

/// The longest guidance line taken from a rule without `guidance` (its fix title or message).
const MAX_FALLBACK_CHARS: usize = 160;

/// What an assistant should do about a rule, on one line: its `guidance`, else (for a user
/// rule written without one) the title of its first fix, else its message. Text from rule
/// files is made safe for a marked Markdown section: one line, no HTML comment markers.
pub fn guidance(rule: &Rule) -> String {
    let text = rule
        .guidance
        .clone()
        .or_else(|| {
            rule.matchers
                .iter()
                .find_map(|m| m.fix.as_ref().map(|f| f.title.clone()))
        })
        .unwrap_or_else(|| rule.message.clone());
    let mut line = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("<!--", "<!-")
        .replace("-->", "->");
    if line.chars().count() > MAX_FALLBACK_CHARS {
        line = line
            .chars()
            .take(MAX_FALLBACK_CHARS - 1)
            .collect::<String>()
            + "…";
    }
    line
}

/// One rule's line: `- CG-ML001: Load PyTorch checkpoints with ...`.
pub fn line(rule: &Rule) -> String {
    format!("- {}: {}", rule.id, guidance(rule))
}

/// How a language is named in instructions: code languages by name, none for the
/// pseudo-languages (MCP configurations and text files are not what an assistant "writes in").
pub fn language_title(lang: Lang) -> Option<String> {
    lang.has_code().then(|| lang.title().to_string())
}

/// "Python and Rust" for the code languages among `langs` (empty when there are none).
pub fn languages_phrase(langs: &[Lang]) -> String {
    let names: Vec<String> = langs.iter().filter_map(|l| language_title(*l)).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Whether `rule` has a matcher for one of `langs`; rules on model files apply to every
/// project (an assistant may write or download one in any language).
pub fn applies_to(rule: &Rule, langs: &[Lang]) -> bool {
    rule.artifact.is_some()
        || rule
            .matchers
            .iter()
            .any(|m| langs.iter().any(|l| m.lang.runs_on(*l)))
}

/// The instructions: a heading at `level` (1 = `#`), one short paragraph, then one
/// sub-heading per topic with one line per rule (rules sorted by id). `langs` names the
/// languages the text is for; `rules` are the rules to include (already filtered).
pub fn render(rules: &[&Rule], langs: &[Lang], level: usize) -> String {
    let heading = "#".repeat(level.max(1));
    let phrase = languages_phrase(langs);
    let code = if phrase.is_empty() {
        "code".to_string()
    } else {
        format!("{phrase} code")
    };
    let mut out = format!(
        "{heading} Security rules (codeguard)\n\n\
         Follow these rules when you write {code} here. codeguard enforces them: a finding or a \
         blocked edit names the rule id. `codeguard explain <id>` gives a rule's full text.\n"
    );
    for topic in all_topics() {
        let mut lines: Vec<&&Rule> = rules.iter().filter(|r| topic_of(r) == topic).collect();
        if lines.is_empty() {
            continue;
        }
        lines.sort_by(|a, b| a.id.cmp(&b.id));
        out.push_str(&format!("\n{heading}# {}\n", topic.title));
        for rule in lines {
            out.push_str(&line(rule));
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin() -> Vec<Rule> {
        codeguard_rules::builtin_rules().unwrap()
    }

    #[test]
    fn every_built_in_pack_has_a_topic() {
        for rule in builtin() {
            assert_ne!(
                topic_of(&rule),
                &PROJECT_TOPIC,
                "{} ({})",
                rule.id,
                rule.pack
            );
        }
    }

    #[test]
    fn each_rule_is_one_line_under_its_topic() {
        let rules = builtin();
        let refs: Vec<&Rule> = rules.iter().collect();
        let text = render(&refs, &[Lang::Python, Lang::Rust, Lang::Json], 2);
        assert!(text.starts_with("## Security rules (codeguard)\n"));
        assert!(text.contains("when you write Python and Rust code here"));
        for rule in &rules {
            let prefix = format!("- {}: ", rule.id);
            assert_eq!(text.matches(&prefix).count(), 1, "{}", rule.id);
        }
        let model = text.find("### Model loading").unwrap();
        let crypto = text.find("### Classic injection and crypto").unwrap();
        let ml001 = text.find("- CG-ML001: ").unwrap();
        let core001 = text.find("- CG-CORE001: ").unwrap();
        assert!(model < ml001 && ml001 < crypto && crypto < core001);
        assert!(!text.contains("### Project rules"));
    }

    #[test]
    fn rules_without_guidance_fall_back_to_their_fix_or_message() {
        let docs = "## What it does\nx\n## Why is this bad?\nx\n## Example\nx\n## References\nx\n";
        let text = "rules:\n  - id: ACME-1\n    name: acme\n    message: \"Do not <!-- hide -->\n      this\"\n    severity: low\n    matchers:\n      - language: python\n        query: \"(call) @finding\"\n";
        let rules = codeguard_rules::parse_rule_file(
            text,
            std::path::Path::new("acme/a.yaml"),
            "acme",
            false,
            Some(docs),
        )
        .unwrap();
        assert_eq!(guidance(&rules[0]), "Do not <!- hide -> this");
        assert_eq!(topic_of(&rules[0]), &PROJECT_TOPIC);
        let refs: Vec<&Rule> = rules.iter().collect();
        let text = render(&refs, &[], 1);
        assert!(text.contains("when you write code here"), "{text}");
        assert!(
            text.contains("\n## Project rules\n- ACME-1: Do not"),
            "{text}"
        );
    }

    #[test]
    fn languages_read_as_a_phrase() {
        assert_eq!(languages_phrase(&[Lang::Python]), "Python");
        assert_eq!(
            languages_phrase(&[Lang::Python, Lang::Rust, Lang::Text]),
            "Python and Rust"
        );
        assert_eq!(languages_phrase(&[Lang::Json, Lang::Text]), "");
    }
}
