//! `pkcs12-cipher`: the encryption of each key and certificate container of an archive
//! is one a host reads, from the pre-scan (no password needed).

use super::fields::field_name;
use super::{Ctx, Finding};
use crate::input::pkcs12::{Container, ProtectionInfo};

/// The cipher code of one encryption: the PKCS#12 PBE schemes by cipher, PBES2 as
/// `aes` (AES-CBC) or `pbes2` (any other PBES2 cipher).
pub fn cipher_code(p: &ProtectionInfo) -> &'static str {
    match p.scheme_oid.as_str() {
        "1.2.840.113549.1.12.1.1" => "rc4-128",
        "1.2.840.113549.1.12.1.2" => "rc4-40",
        "1.2.840.113549.1.12.1.3" => "3des",
        "1.2.840.113549.1.12.1.4" => "2des",
        "1.2.840.113549.1.12.1.5" => "rc2-128",
        "1.2.840.113549.1.12.1.6" => "rc2-40",
        _ if p.is_aes => "aes",
        "1.2.840.113549.1.5.13" => "pbes2",
        _ => "other",
    }
}

/// Reports each container of the archive at `at` whose cipher is not in `allowed`.
pub fn pkcs12_cipher(ctx: &Ctx<'_>, at: &str, allowed: &[String]) -> Vec<Finding> {
    let Some(Ok(pre)) = ctx.submission.archive(at).and_then(|a| a.prescan.as_ref()) else {
        return Vec::new();
    };
    pre.bags
        .iter()
        .filter(|p| !allowed.iter().any(|a| a == cipher_code(p)))
        .map(|p| {
            let what = match p.container {
                Container::ShroudedKeyBag => "the private key (ShroudedKeyBag) is",
                Container::EncryptedData => "the certificates (EncryptedData) are",
            };
            Finding::new(
                at,
                format!(
                    "`{}`: {what} encrypted with {} ({}); allowed: {}",
                    field_name(at),
                    p.scheme,
                    cipher_code(p),
                    allowed.join(", ")
                ),
            )
            .value(cipher_code(p))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::pkcs12::prescan;

    /// A committed fixture archive of corpus/azure-appservice-pfx/.
    fn archive(name: &str) -> Vec<u8> {
        std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("corpus/azure-appservice-pfx")
                .join(name),
        )
        .unwrap()
    }

    fn codes(archive: &[u8]) -> Vec<&'static str> {
        prescan(archive)
            .unwrap()
            .bags
            .iter()
            .map(cipher_code)
            .collect()
    }

    #[test]
    fn legacy_and_aes_archives_are_told_apart() {
        let legacy = codes(&archive("legacy-3des.pfx"));
        assert!(legacy.contains(&"3des"), "{legacy:?}");
        assert!(!legacy.contains(&"aes"), "{legacy:?}");
        let aes = codes(&archive("aes.pfx"));
        assert!(aes.iter().all(|c| *c == "aes"), "{aes:?}");
    }
}
