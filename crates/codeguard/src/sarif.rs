//! SARIF 2.1.0 as GitHub code scanning ingests it: rule help in Markdown, CWE tags,
//! `security-severity`, `precision`, repo-relative URIs and `partialFingerprints`.

use std::collections::HashMap;

use codeguard_rules::{Confidence, RuleSet, Severity};
use serde_json::{Value, json};

use codeguard_engine::ScanSummary;

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

fn precision(confidence: Confidence) -> &'static str {
    match confidence {
        Confidence::High => "high",
        Confidence::Medium => "medium",
        Confidence::Low => "low",
    }
}

/// `CWE-79` -> `external/cwe/cwe-079` (the CodeQL convention GitHub filters on).
fn cwe_tag(cwe: &str) -> Option<String> {
    let digits: String = cwe
        .trim_start_matches("CWE-")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let number: u32 = digits.parse().ok()?;
    Some(format!("external/cwe/cwe-{number:03}"))
}

/// The first paragraph under `## What it does`.
fn summary_of(description: &str) -> String {
    let after = description
        .split("## What it does")
        .nth(1)
        .unwrap_or(description);
    after
        .trim_start()
        .split("\n\n")
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Renders the scan as a SARIF log.
pub fn sarif(summary: &ScanSummary, rules: &RuleSet) -> anyhow::Result<String> {
    let mut rule_index = HashMap::new();
    let descriptors: Vec<Value> = rules
        .rules()
        .iter()
        .enumerate()
        .map(|(i, rule)| {
            rule_index.insert(rule.id.clone(), i);
            let mut tags = vec!["security".to_string(), rule.pack.clone()];
            tags.extend(rule.metadata.cwe.iter().filter_map(|c| cwe_tag(c)));
            tags.extend(
                rule.metadata
                    .owasp_llm
                    .iter()
                    .map(|o| format!("owasp-llm/{o}")),
            );
            json!({
                "id": rule.id,
                "name": rule.name,
                "shortDescription": {"text": rule.message.replace("{label}", "credential")},
                "fullDescription": {"text": summary_of(&rule.description)},
                "help": {"text": rule.description, "markdown": rule.description},
                "defaultConfiguration": {"level": level(rule.severity)},
                "properties": {
                    "tags": tags,
                    "precision": precision(rule.confidence),
                    "security-severity": security_severity(rule.severity),
                    "codeguard_rule": rule.metadata.codeguard,
                },
            })
        })
        .collect();

    let mut occurrences: HashMap<(String, String, String), usize> = HashMap::new();
    let results: Vec<Value> = summary
        .diagnostics()
        .map(|d| {
            let uri = d.path.to_string_lossy().replace('\\', "/");
            let key = (d.rule_id.clone(), uri.clone(), d.source_line.split_whitespace().collect::<Vec<_>>().join(" "));
            let occurrence = occurrences.entry(key).or_default();
            *occurrence += 1;
            let fingerprint = d.fingerprint(*occurrence);
            let mut result = json!({
                "ruleId": d.rule_id,
                "level": level(d.severity),
                "message": {"text": d.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri},
                        "region": {
                            "startLine": d.range.start.line,
                            "startColumn": d.range.start.column,
                            "endLine": d.range.end.line,
                            "endColumn": d.range.end.column,
                        }
                    }
                }],
                "partialFingerprints": {"primaryLocationLineHash": fingerprint, "codeguard/v1": fingerprint},
                "properties": {
                    "severity": d.severity,
                    "confidence": d.confidence,
                    "cwe": d.cwe,
                    "owasp_llm": d.owasp_llm,
                    "codeguard_rule": d.codeguard,
                },
            });
            if !d.flow.is_empty() {
                let locations: Vec<Value> = d
                    .flow
                    .iter()
                    .map(|step| {
                        json!({"location": {
                            "physicalLocation": {
                                "artifactLocation": {"uri": uri},
                                "region": {"startLine": step.line, "startColumn": step.column}
                            },
                            "message": {"text": step.note}
                        }})
                    })
                    .collect();
                result["codeFlows"] = json!([{"threadFlows": [{"locations": locations}]}]);
            }
            if let Some(site) = &d.artifact {
                // A model file has no lines: the region is its start (code scanning wants one),
                // the place in it (member, byte offset, global) is in the message and here.
                result["properties"]["artifact"] = json!(site);
            }
            if !d.also.is_empty() {
                // Other rules' findings on the same code, folded into this one.
                result["properties"]["also"] = json!(d.also);
            }
            if let Some(index) = rule_index.get(&d.rule_id) {
                result["ruleIndex"] = json!(index);
            }
            result
        })
        .collect();

    // Skipped files are tool notifications: errors when code went unscanned, notes for binary
    // files.
    // Project notes (one observation standing for many findings) are notes on the run.
    let project_notes = summary.project_notes.iter().map(|note| {
        let locations: Vec<Value> = note
            .locations
            .iter()
            .map(|(path, _)| json!({"physicalLocation": {"artifactLocation": {"uri": path.to_string_lossy().replace('\\', "/")}}}))
            .collect();
        json!({
            "level": "note",
            "message": {"text": note.message},
            "descriptor": {"id": note.rule_id},
            "locations": locations,
        })
    });
    let notifications: Vec<Value> = summary
        .skipped()
        .filter_map(|f| {
            let reason = f.skipped.as_ref()?;
            let uri = f.path.to_string_lossy().replace('\\', "/");
            Some(json!({
                "level": if f.leaves_code_unscanned() { "error" } else { "note" },
                "message": {"text": format!("{uri} was not scanned ({})", crate::report::skip_reason(reason))},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
            }))
        })
        .chain(project_notes)
        .collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "codeguard",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/codeguard/codeguard",
                "rules": descriptors,
            }},
            "invocations": [{
                "executionSuccessful": true,
                "toolExecutionNotifications": notifications,
            }],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    Ok(serde_json::to_string_pretty(&log)? + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cwe_tags_are_zero_padded() {
        assert_eq!(cwe_tag("CWE-79").as_deref(), Some("external/cwe/cwe-079"));
        assert_eq!(cwe_tag("CWE-502").as_deref(), Some("external/cwe/cwe-502"));
        assert_eq!(cwe_tag("nonsense"), None);
    }
}
