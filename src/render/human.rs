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

/// Renders `report`; `source` names the request document (a path, or `<stdin>`).
/// With `color` false the output is plain text.
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
            paint(bold, &format!(": {}", d.message))
        );
        // An empty source: the locations name their files (`certgate lint`).
        if source.is_empty() {
            let _ = writeln!(out, "  {} {}", paint(dim, "-->"), d.location);
        } else {
            let _ = writeln!(out, "  {} {source}#{}", paint(dim, "-->"), d.location);
        }
        if let Some(v) = &d.value {
            let _ = writeln!(out, "   {} value: {v}", paint(dim, "="));
        }
        let _ = writeln!(out, "   {} help: {}", paint(dim, "="), d.help);
        if let Some(c) = &d.citation {
            let _ = writeln!(
                out,
                "   {} doc: \"{}\" ({})",
                paint(dim, "="),
                c.quote,
                c.source
            );
        }
        if d.basis == Basis::Inferred {
            let _ = writeln!(
                out,
                "   {} note: inferred: the API documentation does not state this; uploads fail without it",
                paint(dim, "=")
            );
        }
        out.push('\n');
    }
    let s = report.summary;
    let verdict = if s.errors > 0 {
        paint(style(Severity::Error), "upload would fail")
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
