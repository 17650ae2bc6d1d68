//! `key-encoding`: the private key is in one of the encodings the target parses
//! (PKCS#1 `RSA PRIVATE KEY`, PKCS#8 `PRIVATE KEY`, SEC1 `EC PRIVATE KEY`), and the
//! finding gives the `openssl` command that converts the key it found.

use serde::{Deserialize, Serialize};

use super::{Ctx, Finding};
use crate::input::key::{KeyAlgorithm, KeyFormat, ParsedKey};

/// A private-key encoding a target may accept (`allowed` in a `key-encoding` rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    /// PKCS#1 RSAPrivateKey, `RSA PRIVATE KEY` (RSA keys only).
    Pkcs1,
    /// PKCS#8 PrivateKeyInfo, `PRIVATE KEY` (any algorithm).
    Pkcs8,
    /// SEC1 ECPrivateKey, `EC PRIVATE KEY` (EC and SM2 keys only).
    Sec1,
}

impl Encoding {
    fn of(format: KeyFormat) -> Encoding {
        match format {
            KeyFormat::Pkcs1 => Encoding::Pkcs1,
            KeyFormat::Sec1 => Encoding::Sec1,
            // An encrypted PKCS#8 key is PKCS#8 once decrypted (`key-encrypted` says it
            // is encrypted).
            KeyFormat::Pkcs8 | KeyFormat::EncryptedPkcs8 => Encoding::Pkcs8,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Encoding::Pkcs1 => "PKCS#1 (`RSA PRIVATE KEY`)",
            Encoding::Pkcs8 => "PKCS#8 (`PRIVATE KEY`)",
            Encoding::Sec1 => "SEC1 (`EC PRIVATE KEY`)",
        }
    }

    /// Whether a key of this algorithm can be written in this encoding (`None`: the
    /// algorithm is not known, as for an encrypted PKCS#8 key).
    fn holds(self, alg: Option<&KeyAlgorithm>) -> bool {
        match (self, alg) {
            (Encoding::Pkcs8, _) | (_, None) => true,
            (Encoding::Pkcs1, Some(a)) => matches!(a, KeyAlgorithm::Rsa { .. }),
            (Encoding::Sec1, Some(a)) => matches!(a, KeyAlgorithm::Ec { .. } | KeyAlgorithm::Sm2),
        }
    }

    /// The command that writes a key in this encoding (checked with OpenSSL 3.0: `pkey
    /// -traditional` refuses SM2 keys, which `ec` writes).
    fn command(self) -> &'static str {
        match self {
            Encoding::Pkcs1 => "openssl pkey -in key.pem -traditional -out key-pkcs1.pem",
            Encoding::Pkcs8 => "openssl pkey -in key.pem -out key-pkcs8.pem",
            Encoding::Sec1 => "openssl ec -in key.pem -out key-sec1.pem",
        }
    }
}

/// Names a list of encodings: "PKCS#1 (`RSA PRIVATE KEY`) or SEC1 (...)".
fn names(allowed: &[Encoding]) -> String {
    let all: Vec<&str> = allowed.iter().map(|e| e.name()).collect();
    all.join(" or ")
}

pub fn check(ctx: &Ctx<'_>, at: &str, allowed: &[Encoding]) -> Vec<Finding> {
    let (found, alg) = match ctx.submission.private_key(at).and_then(|k| k.key.as_ref()) {
        Some(Ok(ParsedKey::Plain(k))) => (Encoding::of(k.format()), Some(k.algorithm())),
        Some(Ok(ParsedKey::Encrypted(info))) => (Encoding::of(info.format), None),
        // No key, or one that does not parse: `pem-malformed`/`der-malformed` say so.
        _ => return Vec::new(),
    };
    if allowed.is_empty() || allowed.contains(&found) {
        return Vec::new();
    }
    let what = match &alg {
        Some(a) => format!("the private key ({a}) is {}", found.name()),
        None => format!("the private key is {} (encrypted)", found.name()),
    };
    let wanted = names(allowed);
    let message = match allowed.iter().find(|e| e.holds(alg.as_ref())) {
        Some(to) => format!(
            "{what}; this {} takes {wanted}: convert it with `{}`{}",
            ctx.words("field", "file"),
            to.command(),
            if alg.is_none() {
                " (asks for the passphrase and writes the key unencrypted)"
            } else {
                ""
            }
        ),
        None => format!(
            "{what}; this {} takes {wanted}, which cannot hold this key's algorithm: the target needs a key of another algorithm (a new key and a certificate issued for it)",
            ctx.words("field", "file")
        ),
    };
    vec![Finding::new(at, message).value(found.name().to_string())]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::kind_tests::ctx_with;

    const PKCS8: &str = include_str!("../../corpus/materials/server.key");
    const PKCS1: &str = include_str!("../../corpus/materials/server-pkcs1.key");
    const SEC1: &str = include_str!("../../corpus/materials/ec-p256-sec1.key");
    const EC_PKCS8: &str = include_str!("../../corpus/materials/ec-p256.key");

    fn run(key: &str, allowed: &[Encoding]) -> Vec<Finding> {
        ctx_with(key, |ctx| check(ctx, "/key", allowed))
    }

    #[test]
    fn an_allowed_encoding_passes() {
        assert!(run(PKCS1, &[Encoding::Pkcs1]).is_empty());
        assert!(run(PKCS8, &[Encoding::Pkcs8]).is_empty());
        assert!(run(SEC1, &[Encoding::Pkcs1, Encoding::Sec1]).is_empty());
    }

    #[test]
    fn pkcs8_where_pkcs1_is_wanted_names_the_conversion() {
        let f = run(PKCS8, &[Encoding::Pkcs1]);
        assert_eq!(f.len(), 1);
        let m = &f[0].message;
        assert!(m.contains("(RSA-2048) is PKCS#8 (`PRIVATE KEY`)"), "{m}");
        assert!(
            m.contains("`openssl pkey -in key.pem -traditional -out key-pkcs1.pem`"),
            "{m}"
        );
    }

    #[test]
    fn traditional_where_pkcs8_is_wanted_names_the_conversion() {
        let m = &run(PKCS1, &[Encoding::Pkcs8])[0].message;
        assert!(
            m.contains("`openssl pkey -in key.pem -out key-pkcs8.pem`"),
            "{m}"
        );
        let m = &run(EC_PKCS8, &[Encoding::Sec1])[0].message;
        assert!(
            m.contains("`openssl ec -in key.pem -out key-sec1.pem`"),
            "{m}"
        );
    }

    #[test]
    fn an_algorithm_the_encoding_cannot_hold_gets_no_command() {
        let m = &run(SEC1, &[Encoding::Pkcs1])[0].message;
        assert!(m.contains("cannot hold this key's algorithm"), "{m}");
        assert!(!m.contains("openssl"), "{m}");
    }
}
