//! The documents rules cite (`rules/sources/sources.toml`): the target APIs' own pages,
//! standards, certgate's own documentation. A citation names one by id; the catalogue
//! looks it up here when it loads, so that reports name the document (vendor, title,
//! date, URL) instead of a file.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// What kind of document a source is; it decides how reports name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// A target API's documentation page, kept verbatim in `rules/sources/`.
    Api,
    /// An RFC or industry standard, cited by section.
    Standard,
    /// certgate's own documentation.
    Tool,
}

/// One entry of the registry.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    pub kind: SourceKind,
    pub vendor: String,
    pub title: String,
    /// The document set it belongs to (`ELB API v3`), or the standard's number (`RFC 5280`).
    #[serde(default)]
    pub series: Option<String>,
    /// The page's own "updated" date, or a standard's publication month.
    #[serde(default)]
    pub date: Option<String>,
    /// The document's address; empty when the document does not give it.
    #[serde(default)]
    pub url: String,
    /// The verbatim copy in `rules/sources/`, for API pages.
    #[serde(default)]
    pub file: Option<String>,
    /// The seed document the copy was made from.
    #[serde(default)]
    pub seed: Option<String>,
    /// The profiles an API page documents; only they may cite it.
    #[serde(default)]
    pub targets: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}

impl Source {
    /// What a citation of this source carries into reports.
    pub fn document(&self) -> Document {
        Document {
            kind: self.kind,
            vendor: self.vendor.clone(),
            title: self.title.clone(),
            series: self.series.clone(),
            date: self.date.clone(),
            url: (!self.url.is_empty()).then(|| self.url.clone()),
        }
    }
}

/// A cited document as reports show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub kind: SourceKind,
    pub vendor: String,
    pub title: String,
    pub series: Option<String>,
    pub date: Option<String>,
    pub url: Option<String>,
}

impl Document {
    /// The document named for a reader, with the section cited if any:
    /// `Huawei Cloud, "Updating a Certificate" (ELB API v3, updated 2024-07-11)`, or
    /// `RFC 5280, section 4.1.2.5 (IETF, 2008-05), https://www.rfc-editor.org/rfc/rfc5280`.
    pub fn name(&self, section: Option<&str>) -> String {
        let section = section.map(section_phrase);
        let mut out = match (self.kind, &self.series) {
            // Standards are known by their number: the full title is in the JSON.
            (SourceKind::Standard, Some(series)) => {
                let mut s = series.clone();
                if let Some(sec) = &section {
                    s.push_str(", ");
                    s.push_str(sec);
                }
                let mut paren = vec![self.vendor.clone()];
                paren.extend(self.date.clone());
                s.push_str(&format!(" ({})", paren.join(", ")));
                s
            }
            _ => {
                let mut s = format!("{}, \"{}\"", self.vendor, self.title);
                if let Some(sec) = &section {
                    s.push_str(", ");
                    s.push_str(sec);
                }
                let mut paren: Vec<String> = self.series.iter().cloned().collect();
                if let Some(d) = &self.date {
                    paren.push(format!("updated {d}"));
                }
                if !paren.is_empty() {
                    s.push_str(&format!(" ({})", paren.join(", ")));
                }
                s
            }
        };
        if let Some(url) = &self.url {
            out.push_str(", ");
            out.push_str(url);
        }
        out
    }

    /// A short name for listings that already name the profile's documentation:
    /// `RFC 5280, section 4.1.2.5`, `"Updating a Certificate"`.
    pub fn short_name(&self, section: Option<&str>) -> String {
        let mut s = match (self.kind, &self.series) {
            (SourceKind::Standard, Some(series)) => series.clone(),
            _ => format!("\"{}\"", self.title),
        };
        if let Some(sec) = section {
            s.push_str(", ");
            s.push_str(&section_phrase(sec));
        }
        s
    }
}

/// `4.1.2.5` → `section 4.1.2.5`; a named part (`abstract`) stays as it is.
pub fn section_phrase(section: &str) -> String {
    if section.starts_with(|c: char| c.is_ascii_digit()) {
        format!("section {section}")
    } else {
        section.to_string()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegistryFile {
    source: Vec<Source>,
}

/// The registry: every source, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sources {
    sources: Vec<Source>,
}

/// `rules/sources/sources.toml`, the single source of truth.
#[cfg_attr(not(feature = "harness"), allow(dead_code))] // read through `harness::internals`
pub const SOURCES_TOML: &str = include_str!("../rules/sources/sources.toml");

/// The same as JSON, converted by build.rs: it loads faster at every start.
const SOURCES_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/rules/sources.json"));

impl Sources {
    /// The built-in registry, parsed once.
    pub fn builtin() -> Result<&'static Sources, String> {
        static BUILTIN: OnceLock<Result<Sources, String>> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                serde_json::from_str::<RegistryFile>(SOURCES_JSON)
                    .map(|f| Sources { sources: f.source })
                    .map_err(|e| format!("rules/sources/sources.toml: {e}"))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Parses a registry in the TOML form (the tests compare it with the built-in one).
    #[cfg_attr(not(feature = "harness"), allow(dead_code))] // read through `harness::internals`
    pub fn from_toml(text: &str) -> Result<Sources, String> {
        toml::from_str::<RegistryFile>(text)
            .map(|f| Sources { sources: f.source })
            .map_err(|e| e.to_string())
    }

    /// The source with this id.
    pub fn get(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    #[cfg_attr(not(feature = "harness"), allow(dead_code))] // read through `harness::internals`
    /// Every source, in file order.
    pub fn iter(&self) -> impl Iterator<Item = &Source> {
        self.sources.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_named_for_readers() {
        let all = Sources::builtin().unwrap();
        let elb = all
            .get("huawei-elb-v3-update-certificate-2024-07-11")
            .unwrap()
            .document();
        assert_eq!(
            elb.name(None),
            "Huawei Cloud, \"Updating a Certificate\" (ELB API v3, updated 2024-07-11)"
        );
        let rfc = all.get("rfc5280").unwrap().document();
        assert_eq!(
            rfc.name(Some("4.1.2.5")),
            "RFC 5280, section 4.1.2.5 (IETF, 2008-05), https://www.rfc-editor.org/rfc/rfc5280"
        );
        assert_eq!(rfc.short_name(Some("4.2")), "RFC 5280, section 4.2");
        let abstract_ = all.get("rfc7292").unwrap().document();
        assert_eq!(abstract_.short_name(Some("abstract")), "RFC 7292, abstract");
    }
}
