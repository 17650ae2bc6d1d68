//! The human report: one rustc-like block per finding, then a summary line.

use std::fmt::Write;

use anstyle::{AnsiColor, Style};

use crate::report::{Basis, Report, Severity};

fn style(severity: Severity) -> Style {
    let color = match severity {
        Severity::Error => AnsiColor::Red,
        Severity::Warning => AnsiColor::Yellow,
        Severity::Info => AnsiColor::Cyan,
    };
    Style::new().fg_color(Some(color.into())).bold()
}

/// Escapes what a terminal would act on: control characters (ESC sequences, CR) and
/// bidirectional overrides that could disguise certificate text.
pub fn printable(s: &str) -> String {
    s.chars()
        .map(|c| {
            let bidi = matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}');
            if c.is_control() || bidi {
                format!("\\u{{{:x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Renders `report`; `source` names the request document (a path, or `<stdin>`).
/// With `color` false the output is plain text.
///
/// ```
/// use certgate::{Catalogue, Request, render};
///
/// let catalogue = Catalogue::builtin().expect("the built-in catalogue loads");
/// let profile = catalogue.profile("huawei-elb-v3").expect("a built-in target");
/// let request = Request::parse(r#"{"certificate": {"domain": "*bad.example.com"}}"#, None)
///     .expect("JSON");
/// let report = certgate::check(profile, &request, time::macros::datetime!(2026-06-01 0:00 UTC));
///
/// let text = render::human::render(&report, "request.json", false);
/// assert!(text.contains("error["));
/// let json = render::json::render(&report);
/// assert!(json.contains("\"diagnostics\""));
/// let artifact = render::sarif::Artifact { uri: "request.json", text: None };
/// let sarif = render::sarif::render(&report, profile, &artifact);
/// assert!(sarif.contains("\"version\": \"2.1.0\""));
/// ```
pub fn render(report: &Report, source: &str, color: bool) -> String {
    let paint = |s: Style, text: &str| {
        if color {
            format!("{}{text}{}", s.render(), s.render_reset())
        } else {
            text.to_string()
        }
    };
    let bold = Style::new().bold();
    let dim = Style::new().fg_color(Some(AnsiColor::Blue.into())).bold();
    let mut out = String::new();
    for d in &report.diagnostics {
        let head = format!("{}[{}]", d.severity, d.rule);
        let _ = writeln!(
            out,
            "{}{}",
            paint(style(d.severity), &head),
            paint(bold, &format!(": {}", printable(&d.message)))
        );
        // An empty source: the locations name their files (`certgate lint`).
        let at = if source.is_empty() {
            printable(&d.location)
        } else {
            format!("{}#{}", printable(source), printable(&d.location))
        };
        let _ = writeln!(out, "  {} {at}", paint(dim, "-->"));
        if let Some(v) = &d.value {
            let _ = writeln!(out, "   {} value: {}", paint(dim, "="), printable(v));
        }
        let _ = writeln!(out, "   {} help: {}", paint(dim, "="), d.help);
        if let Some(c) = &d.citation {
            // "documented" only where the target's own documentation states the rule; an
            // inferred rule's quote is the source that explains it.
            let label = match d.basis {
                Basis::Documented => "documented",
                Basis::Inferred | Basis::Policy => "source",
            };
            let _ = writeln!(
                out,
                "   {} {label}: \"{}\" — {}",
                paint(dim, "="),
                c.quote,
                c.cited()
            );
        }
        if d.basis == Basis::Policy {
            let _ = writeln!(
                out,
                "   {} note: policy: your own rule file requires this, not the API",
                paint(dim, "=")
            );
        }
        if d.basis == Basis::Inferred {
            let note = match &d.why {
                Some(why) => format!("inferred, not stated by the API documentation: {why}"),
                None => "inferred, not stated by the API documentation".to_string(),
            };
            let _ = writeln!(out, "   {} note: {}", paint(dim, "="), note);
        }
        out.push('\n');
    }
    if let Some(line) = not_checked_line(report, source) {
        let _ = writeln!(out, "{line}");
    }
    let s = report.summary;
    let verdict = if s.errors > 0 {
        paint(style(Severity::Error), "upload would fail")
    } else if report.failed {
        // Warnings fail this run (`fail-on = "warning"`): the verdict must not say ok.
        paint(style(Severity::Warning), "failed (fail-on warning)")
    } else {
        paint(
            Style::new().fg_color(Some(AnsiColor::Green.into())).bold(),
            "ok",
        )
    };
    let _ = writeln!(
        out,
        "{}: {verdict}: {} error{}, {} warning{}, {} info{}",
        report.profile,
        s.errors,
        if s.errors == 1 { "" } else { "s" },
        s.warnings,
        if s.warnings == 1 { "" } else { "s" },
        s.infos,
        if s.infos == 1 { "" } else { "s" },
    );
    out
}

/// The rules that could not run, in one line (`None` when every rule ran): grouped by
/// place and reason, since an archive not opened stops several rules at once.
pub fn not_checked_line(report: &Report, source: &str) -> Option<String> {
    let mut groups: Vec<(&str, &str, Vec<&str>)> = Vec::new();
    for n in &report.not_checked {
        match groups
            .iter_mut()
            .find(|(l, r, _)| *l == n.location && *r == n.reason)
        {
            Some((_, _, rules)) => rules.push(&n.rule),
            None => groups.push((&n.location, &n.reason, vec![&n.rule])),
        }
    }
    if groups.is_empty() {
        return None;
    }
    let parts: Vec<String> = groups
        .iter()
        .map(|(location, reason, rules)| {
            let at = if source.is_empty() {
                printable(location)
            } else {
                format!("{}#{}", printable(source), printable(location))
            };
            format!("{} at {at}: {}", rules.join(", "), printable(reason))
        })
        .collect();
    Some(format!("not checked: {}", parts.join("; ")))
}

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn terminal_controls_and_bidi_are_escaped() {
        assert_eq!(printable("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(printable("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(printable("bücher"), "bücher");
    }
}
