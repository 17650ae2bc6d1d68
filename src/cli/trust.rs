//! `--trust` and `--intermediates`: the anchors and extra intermediates of the client
//! verdict (`chain-untrusted`), read here so that the engine stays free of I/O.

use std::path::PathBuf;

use certgate::{AnchorSource, Trust};

use super::Fatal;

#[derive(clap::Args, Debug, Default)]
pub struct TrustArgs {
    /// Trust anchors of the client verdict (chain-untrusted): `mozilla` (the default,
    /// compiled in), `system` (the operating system's store), or a PEM file of anchors
    /// for a private PKI; repeatable.
    #[arg(long = "trust", value_name = "mozilla|system|FILE")]
    pub trust: Vec<String>,
    /// A PEM bundle of intermediates clients could use (the CA's chain download): a
    /// finding names any the upload lacks. Never fetched from the network.
    #[arg(long, value_name = "FILE")]
    pub intermediates: Option<PathBuf>,
}

impl TrustArgs {
    /// The trust these flags describe; `None` for the default (Mozilla's roots, no
    /// extra intermediates), which the library shares process-wide.
    pub fn load(&self) -> Result<Option<Trust>, Fatal> {
        let default = self.trust.iter().all(|t| t == "mozilla");
        if default && self.intermediates.is_none() {
            return Ok(None);
        }
        let mut ders = Vec::new();
        let mut names = Vec::new();
        let mut sources = self.trust.clone();
        if sources.is_empty() {
            sources.push("mozilla".into());
        }
        for s in &sources {
            match s.as_str() {
                "mozilla" => {
                    ders.extend(Trust::mozilla_ders());
                    names.push("Mozilla's root program".to_string());
                }
                "system" => {
                    let found = rustls_native_certs::load_native_certs();
                    if found.certs.is_empty() {
                        return Err(Fatal(format!(
                            "--trust system: no certificates in the operating system's store{}",
                            found
                                .errors
                                .first()
                                .map(|e| format!(" ({e})"))
                                .unwrap_or_default()
                        )));
                    }
                    ders.extend(found.certs.iter().map(|c| c.as_ref().to_vec()));
                    names.push("the operating system's store".to_string());
                }
                file => {
                    ders.extend(read_pem_certs("--trust", &PathBuf::from(file))?);
                    names.push(file.to_string());
                }
            }
        }
        let source = match sources.as_slice() {
            [one] if one == "mozilla" => AnchorSource::Mozilla,
            [one] if one == "system" => AnchorSource::System,
            _ => AnchorSource::Files(names),
        };
        let (mut trust, refused) = Trust::from_anchors(source, ders);
        if trust.is_empty() {
            return Err(Fatal(format!(
                "--trust: no usable trust anchor ({} certificate(s) refused)",
                refused.len()
            )));
        }
        if let Some(path) = &self.intermediates {
            let certs = read_pem_certs("--intermediates", path)?;
            trust = trust.with_intermediates(&path.display().to_string(), certs);
        }
        Ok(Some(trust))
    }
}

/// The certificates of a PEM file, as DER.
fn read_pem_certs(flag: &str, path: &PathBuf) -> Result<Vec<Vec<u8>>, Fatal> {
    let text = std::fs::read(path).map_err(|e| Fatal(format!("{flag} {}: {e}", path.display())))?;
    let blocks = pem::parse_many(&text)
        .map_err(|e| Fatal(format!("{flag} {}: not PEM ({e})", path.display())))?;
    let certs: Vec<Vec<u8>> = blocks
        .into_iter()
        .filter(|b| b.tag() == "CERTIFICATE")
        .map(|b| b.into_contents())
        .collect();
    if certs.is_empty() {
        return Err(Fatal(format!(
            "{flag} {}: no CERTIFICATE block",
            path.display()
        )));
    }
    Ok(certs)
}
