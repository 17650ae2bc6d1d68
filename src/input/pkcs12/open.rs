//! Opening an archive: the pre-scan and its limits, then decryption with `p12-keystore`.

use super::*;

/// Pre-scans, checks limits, then verifies the MAC and decrypts every bag.
///
/// Telling the password steps apart: `p12-keystore` verifies the MAC before it decrypts
/// anything, and reports a MAC mismatch as its own error type. So a MAC error is
/// [`Pkcs12Error::MacMismatch`]; any later decryption error (bad padding, PBES2 failure,
/// or decrypted bytes that are not DER: with a wrong key, padding passes by chance about
/// once in 256) is [`Pkcs12Error::DecryptFailed`], and its text says whether the MAC had
/// verified or the archive has none.
///
/// Call [`prescan`] separately to keep the facts when this fails.
pub fn open(der: &[u8], password: &SecretString) -> Result<(Prescan, Contents), Pkcs12Error> {
    let pre = prescan(der)?;
    pre.check_limits()?;
    let archive = p12_keystore::Pkcs12Archive::from_pkcs12(der, password.expose_secret())
        .map_err(|e| map_reader_error(e, &pre))?;
    let mut contents = Contents {
        ..Contents::default()
    };
    for k in archive.keys {
        contents.keys.push(KeyEntry {
            pkcs8_der: Zeroizing::new(k.key.as_der().to_vec()),
            algorithm_oid: k.key.oid().to_string(),
            local_key_id: k.local_key_id.map(|id| id.0),
            friendly_name: k.friendly_name,
        });
    }
    for c in archive.certs {
        contents.certs.push(CertEntry {
            der: c.cert.as_der().to_vec(),
            local_key_id: c.local_key_id,
            friendly_name: c.friendly_name,
            java_trusted: c.trusted,
        });
    }
    Ok((pre, contents))
}

fn map_reader_error(e: p12_keystore::error::Error, pre: &Prescan) -> Pkcs12Error {
    use p12_keystore::error::Error as E;
    let after_mac = match &pre.mac {
        Some(m) => format!(
            "the MAC (HMAC-{}) verified, so the password opens the archive's integrity check \
             but not this content: it was encrypted with another password, or it is corrupt",
            m.digest
        ),
        None => "the archive has no MAC, so decryption is the first password check: the \
                 password is wrong, or the data is corrupt"
            .to_string(),
    };
    let encrypted: Vec<String> = pre
        .bags
        .iter()
        .map(|b| format!("{} ({}) at byte {}", b.container, b.scheme, b.at))
        .collect();
    let which = if encrypted.is_empty() {
        "no encrypted content".to_string()
    } else {
        encrypted.join(", ")
    };
    match e {
        E::MacError(_) => Pkcs12Error::MacMismatch {
            digest: pre
                .mac
                .as_ref()
                .map(|m| m.digest.clone())
                .unwrap_or_else(|| "?".into()),
        },
        E::Pkcs5Error(_) | E::UnpadError | E::InvalidLength => Pkcs12Error::DecryptFailed {
            what: format!("decrypting one of [{which}] failed; {after_mac}"),
        },
        E::DerError(_) | E::InvalidPrivateKey if !pre.bags.is_empty() => {
            Pkcs12Error::DecryptFailed {
                what: format!(
                    "one of [{which}] decrypted to bytes that are not a valid structure; \
                     {after_mac}"
                ),
            }
        }
        E::X509Error(err) => Pkcs12Error::BadEntry {
            what: format!("a certificate bag does not hold a valid X.509 certificate ({err})"),
        },
        E::UnsupportedCertificateType => Pkcs12Error::BadEntry {
            what: "a certificate bag holds a non-X.509 certificate type".into(),
        },
        E::UnsupportedEncryptionScheme | E::UnsupportedMacAlgorithm | E::UnsupportedContentType => {
            Pkcs12Error::Unsupported {
                what: format!("the reader refused: {e}"),
            }
        }
        E::InvalidParameters => Pkcs12Error::Unsupported {
            what: "the reader refused the encryption parameters".into(),
        },
        other => Pkcs12Error::Malformed {
            at: 0,
            what: format!("the reader rejected the archive: {other}"),
        },
    }
}
