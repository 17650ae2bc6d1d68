//! Encrypted keys, described and never decrypted: PKCS#8 EncryptedPrivateKeyInfo
//! (PBES1, PBES2, PKCS#12 PBE) and legacy PEM `Proc-Type: 4,ENCRYPTED`.

use super::*;

/// A legacy PEM block (`Proc-Type: 4,ENCRYPTED`): the cipher named by its `DEK-Info`
/// header, the key derivation OpenSSL's `EVP_BytesToKey` with MD5.
pub(super) fn legacy_pem_info(block: &PemBlock, format: KeyFormat) -> EncryptedKeyInfo {
    let cipher = block.header("DEK-Info").map(|v| {
        let name = v.split(',').next().unwrap_or_default().trim();
        name.chars()
            .filter(|c| c.is_ascii_graphic())
            .take(40)
            .collect::<String>()
    });
    EncryptedKeyInfo {
        format,
        legacy_pem: true,
        scheme: "legacy PEM".to_string(),
        kdf: Some("EVP_BytesToKey-MD5".to_string()),
        cipher,
        iterations: None,
    }
}

/// Reads the outer EncryptedPrivateKeyInfo structure without interpreting the scheme.
pub(super) fn generic_encrypted(der: &[u8]) -> der::Result<ObjectIdentifier> {
    let mut reader = der::SliceReader::new(der)?;
    let oid = reader.sequence(|r| {
        let alg = AlgorithmIdentifierRef::decode(r)?;
        let _data = OctetStringRef::decode(r)?;
        Ok(alg.oid)
    })?;
    reader.finish(oid)
}

pub(super) fn pkcs12_pbe_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "1.2.840.113549.1.12.1.1" => "PKCS#12 PBE-SHA1-RC4-128",
        "1.2.840.113549.1.12.1.2" => "PKCS#12 PBE-SHA1-RC4-40",
        "1.2.840.113549.1.12.1.3" => "PKCS#12 PBE-SHA1-3DES",
        "1.2.840.113549.1.12.1.4" => "PKCS#12 PBE-SHA1-2DES",
        "1.2.840.113549.1.12.1.5" => "PKCS#12 PBE-SHA1-RC2-128",
        "1.2.840.113549.1.12.1.6" => "PKCS#12 PBE-SHA1-RC2-40",
        "1.2.840.113549.1.5.13" => "PBES2",
        "1.2.840.113549.1.5.3" => "PBES1 (MD5, DES-CBC)",
        "1.2.840.113549.1.5.10" => "PBES1 (SHA-1, DES-CBC)",
        _ => return None,
    })
}

pub(super) fn encrypted_info(der: &[u8]) -> Result<EncryptedKeyInfo, Attempt> {
    let mut info = EncryptedKeyInfo {
        format: KeyFormat::EncryptedPkcs8,
        legacy_pem: false,
        scheme: String::new(),
        kdf: None,
        cipher: None,
        iterations: None,
    };
    match pkcs8::EncryptedPrivateKeyInfo::try_from(der) {
        Ok(epki) => {
            match epki.encryption_algorithm {
                pkcs8::pkcs5::EncryptionScheme::Pbes1(alg) => {
                    use pkcs8::pkcs5::pbes1::{DigestAlgorithm, SymmetricCipher};
                    info.scheme = "PBES1".into();
                    let digest = match alg.encryption.digest() {
                        DigestAlgorithm::Md2 => "MD2",
                        DigestAlgorithm::Md5 => "MD5",
                        DigestAlgorithm::Sha1 => "SHA-1",
                    };
                    info.kdf = Some(format!("PBKDF1-{digest}"));
                    info.cipher = Some(
                        match alg.encryption.cipher() {
                            SymmetricCipher::DesCbc => "DES-CBC",
                            SymmetricCipher::Rc2Cbc => "RC2-CBC",
                        }
                        .into(),
                    );
                    info.iterations = Some(u64::from(alg.parameters.iteration_count));
                }
                pkcs8::pkcs5::EncryptionScheme::Pbes2(params) => {
                    use pkcs8::pkcs5::pbes2::{EncryptionScheme as Enc, Kdf, Pbkdf2Prf};
                    info.scheme = "PBES2".into();
                    match params.kdf {
                        Kdf::Pbkdf2(p) => {
                            let prf = match p.prf {
                                Pbkdf2Prf::HmacWithSha1 => "SHA1",
                                Pbkdf2Prf::HmacWithSha224 => "SHA224",
                                Pbkdf2Prf::HmacWithSha256 => "SHA256",
                                Pbkdf2Prf::HmacWithSha384 => "SHA384",
                                Pbkdf2Prf::HmacWithSha512 => "SHA512",
                                _ => "(other PRF)",
                            };
                            info.kdf = Some(format!("PBKDF2-HMAC-{prf}"));
                            info.iterations = Some(u64::from(p.iteration_count));
                        }
                        Kdf::Scrypt(s) => {
                            info.kdf = Some(format!(
                                "scrypt (N={}, r={}, p={})",
                                s.cost_parameter, s.block_size, s.parallelization
                            ));
                        }
                        other => info.kdf = Some(format!("KDF {}", other.oid())),
                    }
                    // DES variants exist only with pkcs5's `des-insecure` feature (which
                    // feature unification may turn on): name them by OID.
                    #[allow(unreachable_patterns)]
                    let cipher = match params.encryption {
                        Enc::Aes128Cbc { .. } => "AES-128-CBC".to_string(),
                        Enc::Aes192Cbc { .. } => "AES-192-CBC".to_string(),
                        Enc::Aes256Cbc { .. } => "AES-256-CBC".to_string(),
                        other => match other.oid().to_string().as_str() {
                            "1.2.840.113549.3.7" => "DES-EDE3-CBC".to_string(),
                            "1.3.14.3.2.7" => "DES-CBC".to_string(),
                            oid => format!("cipher {oid}"),
                        },
                    };
                    info.cipher = Some(cipher);
                }
                other => info.scheme = format!("algorithm {}", other.oid()),
            }
            Ok(info)
        }
        Err(first) => match generic_encrypted(der) {
            Ok(oid) => {
                let dotted = oid.to_string();
                info.scheme = match pkcs12_pbe_name(&dotted) {
                    Some(name) if dotted == "1.2.840.113549.1.5.13" => {
                        format!("{name}, with a KDF or cipher not recognised here")
                    }
                    Some(name) => name.to_string(),
                    None => format!("algorithm {dotted}"),
                };
                Ok(info)
            }
            Err(_) => Err(match first {
                pkcs8::Error::Asn1(d) => Attempt::NotThisFormat(d),
                other => Attempt::Failed(KeyError::Malformed {
                    what: "PKCS#8 EncryptedPrivateKeyInfo",
                    detail: other.to_string(),
                }),
            }),
        },
    }
}
