//! SARIF 2.1.0 for code-scanning tools: one run, the profile's rules as the driver's
//! rules, one result per diagnostic located in the request document.

use serde::Serialize;
use serde_json::json;

use crate::catalogue::{Profile, RuleInstance};
use crate::report::{Diagnostic, Report, Severity};

/// Where the request document came from, for result locations.
pub struct Artifact<'a> {
    /// The document's path as given (relative paths stay relative: SARIF viewers resolve
    /// them against the repository root).
    pub uri: &'a str,
    /// The document's text, to find the line of each field; `None` when unavailable.
    pub text: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: String,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Text,
    /// The cited document's address, where the registry of sources has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    default_configuration: Config,
    properties: serde_json::Value,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Config {
    level: &'static str,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Renders the report as a SARIF 2.1.0 log.
pub fn render(report: &Report, profile: &Profile, artifact: &Artifact<'_>) -> String {
    render_run(
        &[(report, artifact)],
        &[profile],
        &format!("certgate/{}/", report.profile),
        &[],
    )
}

/// A document certgate could not check: its path and why, for a tool execution
/// notification (the log stays valid and says the run did not succeed).
pub struct Unchecked<'a> {
    /// The document's path.
    pub uri: &'a str,
    /// Why it was not checked.
    pub message: &'a str,
}

/// A SARIF log for a run that could not start (bad flags, unknown profile, unreadable
/// document): no results, one error notification, `executionSuccessful: false`, so CI
/// upload steps still get a valid file.
pub fn failure(message: &str) -> String {
    render_run(&[], &[], "certgate/", &[Unchecked { uri: "", message }])
}

/// The rule descriptors of the profiles involved, one per rule id (code-scanning tools
/// key alerts by id). Where instances of one id say different things (`field-too-long`
/// on a 255- and a 65,536-character field), the descriptor says what fits them all and
/// lists each instance in its full description; each result's message is the
/// instance's own.
fn descriptors(profiles: &[&Profile]) -> Vec<Rule> {
    let mut groups: Vec<(&str, Vec<&RuleInstance>)> = Vec::new();
    for r in profiles.iter().flat_map(|p| &p.rules) {
        match groups.iter_mut().find(|(id, _)| *id == r.id) {
            Some((_, group)) => group.push(r),
            None => groups.push((&r.id, vec![r])),
        }
    }
    groups
        .into_iter()
        .filter_map(|(id, group)| descriptor(id, &group))
        .collect()
}

/// The descriptor of one rule id's instances (none for an empty group).
fn descriptor(id: &str, group: &[&RuleInstance]) -> Option<Rule> {
    let first = *group.first()?;
    let summaries = distinct(group.iter().map(|r| r.summary.as_str()));
    let kinds = distinct(group.iter().map(|r| r.check.kind()));
    let (short, full) = if let [only] = summaries[..] {
        let mut full = only.to_string();
        if let Some(why) = &first.why {
            full.push(' ');
            full.push_str(why);
        }
        (only.to_string(), full)
    } else {
        let short = distinct(group.iter().map(|r| r.check.what())).join(" ");
        let full = format!("{short} Instances: {}", summaries.join(" "));
        (short, full)
    };
    // Several instances: each help under its own summary, so none reads as general.
    let help = match distinct(group.iter().map(|r| r.help.as_str()))[..] {
        [one] => one.to_string(),
        _ => group
            .iter()
            .map(|r| format!("- {} {}", r.summary, r.help))
            .fold(Vec::<String>::new(), |mut acc, line| {
                if !acc.contains(&line) {
                    acc.push(line);
                }
                acc
            })
            .join("\n"),
    };
    let mut props = json!({ "basis": first.basis });
    match kinds[..] {
        [one] => insert(&mut props, "kind", json!(one)),
        _ => insert(&mut props, "kinds", json!(kinds)),
    }
    let citations: Vec<serde_json::Value> = group
        .iter()
        .filter_map(|r| r.citation.as_ref())
        .map(|c| json!(c))
        .fold(Vec::new(), |mut acc, c| {
            if !acc.contains(&c) {
                acc.push(c);
            }
            acc
        });
    match &citations[..] {
        [] => {}
        [one] => insert(&mut props, "citation", one.clone()),
        _ => insert(&mut props, "citations", json!(citations)),
    }
    // The default level a code-scanning tool shows: the most severe instance's.
    let severity = group
        .iter()
        .map(|r| r.severity)
        .max_by_key(|s| match s {
            Severity::Error => 2,
            Severity::Warning => 1,
            Severity::Info => 0,
        })
        .unwrap_or(first.severity);
    Some(Rule {
        id: id.to_string(),
        name: id.to_string(),
        short_description: Text { text: short },
        full_description: Text { text: full },
        help: Text { text: help },
        // The first instance's document: a code-scanning tool shows one link.
        help_uri: group
            .iter()
            .find_map(|r| r.citation.as_ref().and_then(|c| c.url()))
            .map(str::to_string),
        default_configuration: Config {
            level: level(severity),
        },
        properties: props,
    })
}

/// The items in first-seen order without repeats.
fn distinct<'a>(items: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for i in items {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

/// Renders reports (one document, or a batch) as one SARIF 2.1.0 log with one run: a
/// descriptor per rule id of `profiles`, every result located in its own document, and
/// the documents that could not be checked as tool execution notifications.
/// `automation_id` is the run's category.
pub fn render_run(
    reports: &[(&Report, &Artifact<'_>)],
    profiles: &[&Profile],
    automation_id: &str,
    unchecked: &[Unchecked<'_>],
) -> String {
    let rules = descriptors(profiles);
    let mut results: Vec<serde_json::Value> = Vec::new();
    for (report, artifact) in reports {
        for d in &report.diagnostics {
            let region = artifact
                .text
                .and_then(|t| locate(t, &d.location))
                .map(|(line, column)| json!({ "startLine": line, "startColumn": column }));
            results.push(result(d, &rules, artifact.uri, &d.location, region));
        }
    }
    let notes = reports
        .iter()
        .flat_map(|(report, artifact)| {
            report
                .not_checked
                .iter()
                .map(|n| not_checked_note(n, artifact.uri, &n.location))
        })
        .collect();
    log(rules, results, automation_id, unchecked, notes)
}

/// `certgate lint`'s SARIF: each result in its own file (a location `path#/N` is the
/// file `path`, logical location `/N`), with the line of the block it is about when the
/// diagnostic knows it ([`Diagnostic::line`]).
pub fn render_files(report: &Report, profiles: &[&Profile], automation_id: &str) -> String {
    let rules = descriptors(profiles);
    let results = report
        .diagnostics
        .iter()
        .map(|d| {
            let (file, fragment) = d.location.split_once('#').unwrap_or((&d.location, ""));
            let region = d.line.map(|line| json!({ "startLine": line }));
            result(d, &rules, file, fragment, region)
        })
        .collect();
    let notes = report
        .not_checked
        .iter()
        .map(|n| {
            let (file, fragment) = n.location.split_once('#').unwrap_or((&n.location, ""));
            not_checked_note(n, file, fragment)
        })
        .collect();
    log(rules, results, automation_id, &[], notes)
}

/// One result: the rule, level, message and help, and its place.
fn result(
    d: &Diagnostic,
    rules: &[Rule],
    uri: &str,
    logical: &str,
    region: Option<serde_json::Value>,
) -> serde_json::Value {
    let mut physical = json!({ "artifactLocation": { "uri": uri } });
    if let Some(r) = region {
        insert(&mut physical, "region", r);
    }
    let mut result = json!({
        "ruleId": d.rule,
        "level": level(d.severity),
        "message": { "text": format!("{} (help: {})", d.message, d.help) },
        "locations": [{
            "physicalLocation": physical,
            "logicalLocations": [{ "fullyQualifiedName": logical, "kind": "member" }]
        }],
    });
    if let Some(i) = rules.iter().position(|r| r.id == d.rule) {
        insert(&mut result, "ruleIndex", json!(i));
    }
    result
}

/// A rule that could not run ([`crate::report::NotChecked`]) as a tool execution
/// notification: a note, with the rule and the place.
fn not_checked_note(n: &crate::report::NotChecked, uri: &str, logical: &str) -> serde_json::Value {
    json!({
        "level": "note",
        "message": { "text": format!("not checked: {}", n.reason) },
        "descriptor": { "id": n.rule },
        "locations": [{
            "physicalLocation": { "artifactLocation": { "uri": uri } },
            "logicalLocations": [{ "fullyQualifiedName": logical, "kind": "member" }]
        }],
    })
}

/// The log of one run: `notes` are the rules that could not run, which do not make the
/// run unsuccessful.
fn log(
    rules: Vec<Rule>,
    results: Vec<serde_json::Value>,
    automation_id: &str,
    unchecked: &[Unchecked<'_>],
    notes: Vec<serde_json::Value>,
) -> String {
    let mut run = json!({
        "tool": { "driver": {
            "name": "certgate",
            "version": env!("CARGO_PKG_VERSION"),
            "informationUri": "https://crates.io/crates/certgate",
            "rules": rules,
        }},
        "automationDetails": { "id": automation_id },
        "results": results,
    });
    if !unchecked.is_empty() || !notes.is_empty() {
        let mut errors: Vec<serde_json::Value> = unchecked
            .iter()
            .map(|u| {
                let mut n = json!({ "level": "error", "message": { "text": u.message } });
                if !u.uri.is_empty() {
                    insert(
                        &mut n,
                        "locations",
                        json!([{ "physicalLocation": { "artifactLocation": { "uri": u.uri } } }]),
                    );
                }
                n
            })
            .collect();
        let successful = errors.is_empty();
        errors.extend(notes);
        insert(
            &mut run,
            "invocations",
            json!([{ "executionSuccessful": successful, "toolExecutionNotifications": errors }]),
        );
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run]
    });
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}

/// Adds a member to a JSON object (a no-op on anything else).
fn insert(v: &mut serde_json::Value, key: &str, value: serde_json::Value) {
    if let Some(o) = v.as_object_mut() {
        o.insert(key.to_string(), value);
    }
}

/// Best-effort line and column (1-based) of the member a JSON Pointer names: each key
/// token is searched for as `"token"` followed by `:` (JSON) or `token =` (TOML) after
/// the previous one; array indexes keep the parent's position.
pub fn locate(text: &str, pointer: &str) -> Option<(usize, usize)> {
    let mut from = 0usize;
    let mut found = None;
    for token in pointer.split('/').skip(1) {
        if token.is_empty() || token.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let key = token.replace("~1", "/").replace("~0", "~");
        let rest = text.get(from..)?;
        let pos = find_key(rest, &key)?;
        from += pos;
        found = Some(from);
        from += key.len();
    }
    let at = found?;
    let before = text.get(..at)?;
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Some((line, column))
}

fn find_key(text: &str, key: &str) -> Option<usize> {
    let quoted = format!("\"{key}\"");
    let mut offset = 0;
    while let Some(p) = text.get(offset..)?.find(&quoted) {
        let start = offset + p;
        let after = text.get(start + quoted.len()..)?.trim_start();
        if after.starts_with(':') || after.starts_with('=') {
            return Some(start);
        }
        offset = start + quoted.len();
    }
    // TOML bare keys and tables: `key =` at a line start, or `[key]`; YAML `key:`.
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        let indent = line.len() - t.len();
        if t.strip_prefix(key)
            .is_some_and(|r| r.trim_start().starts_with('='))
            || t.starts_with(&format!("[{key}]"))
            || t.strip_prefix(key).is_some_and(|r| r.starts_with(':'))
        {
            return Some(line_start + indent);
        }
        line_start += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::locate;

    #[test]
    fn locates_nested_json_members() {
        let t = "{\n  \"certificate\": {\n    \"name\": \"x\",\n    \"domain\": \"a,b\"\n  }\n}\n";
        assert_eq!(locate(t, "/certificate/domain"), Some((4, 5)));
        assert_eq!(locate(t, "/certificate/domain/1"), Some((4, 5)));
        assert_eq!(locate(t, "/certificate"), Some((2, 3)));
        assert_eq!(locate(t, "/nothing"), None);
    }

    #[test]
    fn locates_toml_members() {
        let t = "[certificate]\nname = \"x\"\ndomain = \"a\"\n";
        assert_eq!(locate(t, "/certificate/domain"), Some((3, 1)));
    }

    #[test]
    fn locates_yaml_members() {
        let t = "apiVersion: v1\ndata:\n  tls.crt: QUJD\n  tls.key: QUJD\n";
        assert_eq!(locate(t, "/data/tls.key"), Some((4, 3)));
    }
}
