//! Plain private keys: PKCS#8, PKCS#1 and SEC1 structures, each key's public half
//! derived and cross-checked; secret numbers zeroized before returning.

use super::*;

/// Parses a PEM private-key block: `PRIVATE KEY` (PKCS#8), `RSA PRIVATE KEY` (PKCS#1),
/// `EC PRIVATE KEY` (SEC1), `ENCRYPTED PRIVATE KEY`, and legacy `Proc-Type: 4,ENCRYPTED`
/// blocks. Encrypted keys are described, not decrypted.
pub fn parse_private_key(block: &PemBlock) -> Result<ParsedKey, KeyError> {
    let label = block.label.as_str();
    let format = match label {
        "PRIVATE KEY" => KeyFormat::Pkcs8,
        "RSA PRIVATE KEY" => KeyFormat::Pkcs1,
        "EC PRIVATE KEY" => KeyFormat::Sec1,
        "ENCRYPTED PRIVATE KEY" => KeyFormat::EncryptedPkcs8,
        // GmSSL-style label: the body is SEC1 or PKCS#8 with the SM2 curve.
        "SM2 PRIVATE KEY" => sniff(&block.der).unwrap_or(KeyFormat::Sec1),
        "OPENSSH PRIVATE KEY" | "SSH2 ENCRYPTED PRIVATE KEY" => {
            return Err(KeyError::UnsupportedFormat {
                label: label.to_string(),
                hint: "this is an SSH key file; convert it to PKCS#8 with \
                       `ssh-keygen -p -m PKCS8 -f <file>` (or `openssl pkey`)",
            });
        }
        "DSA PRIVATE KEY" => {
            return Err(KeyError::UnsupportedFormat {
                label: label.to_string(),
                hint: "DSA keys cannot be used for TLS server certificates; use RSA or EC",
            });
        }
        "PGP PRIVATE KEY BLOCK" => {
            return Err(KeyError::UnsupportedFormat {
                label: label.to_string(),
                hint: "this is an OpenPGP key, not an X.509/PKCS key",
            });
        }
        _ => {
            return Err(KeyError::NotAKey {
                label: label.to_string(),
            });
        }
    };
    if block.is_legacy_encrypted() {
        return Ok(ParsedKey::Encrypted(legacy_pem_info(block, format)));
    }
    let der: &[u8] = &block.der;
    check_size(der)?;
    let attempt = match format {
        KeyFormat::Pkcs8 => parse_pkcs8(der).map(ParsedKey::Plain),
        KeyFormat::Pkcs1 => parse_pkcs1(der).map(ParsedKey::Plain),
        KeyFormat::Sec1 => parse_sec1(der).map(ParsedKey::Plain),
        KeyFormat::EncryptedPkcs8 => encrypted_info(der).map(ParsedKey::Encrypted),
    };
    match attempt {
        Ok(k) => Ok(k),
        Err(Attempt::Failed(e)) => Err(e),
        Err(Attempt::NotThisFormat(e)) => {
            if let Some(found) = sniff(der).filter(|f| *f != format) {
                return Err(KeyError::WrongContent {
                    label: label.to_string(),
                    found,
                });
            }
            Err(KeyError::Malformed {
                what: structure_name(format),
                detail: e.to_string(),
            })
        }
    }
}

/// Parses a bare DER private key (e.g. from a PKCS#12 archive): PKCS#8, then PKCS#1, then
/// SEC1; an EncryptedPrivateKeyInfo is reported as [`ParsedKey::Encrypted`].
pub fn parse_private_key_der(der: &[u8]) -> Result<ParsedKey, KeyError> {
    check_size(der)?;
    let first = match parse_pkcs8(der) {
        Ok(k) => return Ok(ParsedKey::Plain(k)),
        Err(Attempt::Failed(e)) => return Err(e),
        Err(Attempt::NotThisFormat(e)) => e,
    };
    for parse in [parse_pkcs1, parse_sec1] {
        match parse(der) {
            Ok(k) => return Ok(ParsedKey::Plain(k)),
            Err(Attempt::Failed(e)) => return Err(e),
            Err(Attempt::NotThisFormat(_)) => {}
        }
    }
    match encrypted_info(der) {
        Ok(info) => Ok(ParsedKey::Encrypted(info)),
        Err(Attempt::Failed(e)) => Err(e),
        Err(Attempt::NotThisFormat(_)) => Err(KeyError::UnknownDer {
            detail: format!("as PKCS#8: {first}"),
        }),
    }
}

pub(super) enum Attempt {
    /// The outer structure is not this format.
    NotThisFormat(der::Error),
    /// The structure is this format, but the key in it is bad.
    Failed(KeyError),
}

impl From<KeyError> for Attempt {
    fn from(e: KeyError) -> Self {
        Attempt::Failed(e)
    }
}

pub(super) fn check_size(der: &[u8]) -> Result<(), KeyError> {
    if der.len() > MAX_KEY_DER_BYTES {
        return Err(KeyError::TooLarge {
            what: "private key (bytes)",
            size: der.len(),
            limit: MAX_KEY_DER_BYTES,
        });
    }
    Ok(())
}

pub(super) fn structure_name(format: KeyFormat) -> &'static str {
    match format {
        KeyFormat::Pkcs8 => "PKCS#8 PrivateKeyInfo",
        KeyFormat::Pkcs1 => "PKCS#1 RSAPrivateKey",
        KeyFormat::Sec1 => "SEC1 ECPrivateKey",
        KeyFormat::EncryptedPkcs8 => "PKCS#8 EncryptedPrivateKeyInfo",
    }
}

/// Which key structure the DER has, if any (structure only).
pub(super) fn sniff(der: &[u8]) -> Option<KeyFormat> {
    if pkcs8::PrivateKeyInfo::try_from(der).is_ok() {
        Some(KeyFormat::Pkcs8)
    } else if pkcs1::RsaPrivateKey::try_from(der).is_ok() {
        Some(KeyFormat::Pkcs1)
    } else if sec1::EcPrivateKey::try_from(der).is_ok() {
        Some(KeyFormat::Sec1)
    } else if generic_encrypted(der).is_ok() {
        Some(KeyFormat::EncryptedPkcs8)
    } else {
        None
    }
}

pub(super) fn der_detail(e: der::Error) -> String {
    e.to_string()
}

pub(super) fn parse_pkcs8(der: &[u8]) -> Result<PrivateKey, Attempt> {
    let pki = pkcs8::PrivateKeyInfo::try_from(der).map_err(|e| match e {
        pkcs8::Error::Asn1(d) => Attempt::NotThisFormat(d),
        other => Attempt::Failed(KeyError::Malformed {
            what: "PKCS#8 PrivateKeyInfo",
            detail: other.to_string(),
        }),
    })?;
    let oid = pki.algorithm.oid;
    let (algorithm, public) = match oid {
        OID_RSA | OID_RSA_PSS => rsa_from_pkcs1(pki.private_key).map_err(|e| match e {
            Attempt::NotThisFormat(d) => Attempt::Failed(KeyError::Malformed {
                what: "RSA key inside PKCS#8 (PKCS#1 RSAPrivateKey)",
                detail: der_detail(d),
            }),
            f => f,
        })?,
        OID_EC | OID_SM2 => {
            let outer_curve = if oid == OID_SM2 {
                Some(OID_SM2)
            } else {
                match pki.algorithm.parameters {
                    None => None,
                    Some(any) => match curve_param(any) {
                        Ok(c) => Some(c),
                        Err(alg) => {
                            return Ok(PrivateKey {
                                algorithm: alg,
                                format: KeyFormat::Pkcs8,
                                public: PublicMaterial::Unsupported(
                                    "EC keys with explicit curve parameters are not supported"
                                        .into(),
                                ),
                            });
                        }
                    },
                }
            };
            ec_from_sec1(pki.private_key, outer_curve, pki.public_key).map_err(|e| match e {
                Attempt::NotThisFormat(d) => Attempt::Failed(KeyError::Malformed {
                    what: "EC key inside PKCS#8 (SEC1 ECPrivateKey)",
                    detail: der_detail(d),
                }),
                f => f,
            })?
        }
        OID_ED25519 => ed25519_from_pkcs8(pki.private_key, pki.public_key)?,
        other => {
            let algorithm = KeyAlgorithm::Other {
                oid: other.to_string(),
            };
            let reason = format!("{algorithm} keys are not supported for key matching");
            (algorithm, PublicMaterial::Unsupported(reason))
        }
    };
    Ok(PrivateKey {
        algorithm,
        format: KeyFormat::Pkcs8,
        public,
    })
}

pub(super) fn parse_pkcs1(der: &[u8]) -> Result<PrivateKey, Attempt> {
    let (algorithm, public) = rsa_from_pkcs1(der)?;
    Ok(PrivateKey {
        algorithm,
        format: KeyFormat::Pkcs1,
        public,
    })
}

pub(super) fn parse_sec1(der: &[u8]) -> Result<PrivateKey, Attempt> {
    let (algorithm, public) = ec_from_sec1(der, None, None)?;
    Ok(PrivateKey {
        algorithm,
        format: KeyFormat::Sec1,
        public,
    })
}

pub(super) fn rsa_from_pkcs1(der: &[u8]) -> Result<(KeyAlgorithm, PublicMaterial), Attempt> {
    let k = pkcs1::RsaPrivateKey::try_from(der).map_err(|e| match e {
        pkcs1::Error::Asn1(d) => Attempt::NotThisFormat(d),
        _ => Attempt::Failed(KeyError::Malformed {
            what: "PKCS#1 RSAPrivateKey",
            detail: e.to_string(),
        }),
    })?;
    let n = strip_zeros(k.modulus.as_bytes());
    let e = strip_zeros(k.public_exponent.as_bytes());
    let max_bytes = MAX_RSA_BITS / 8;
    if n.len() > max_bytes {
        return Err(KeyError::TooLarge {
            what: "RSA modulus (bits)",
            size: n.len().saturating_mul(8),
            limit: MAX_RSA_BITS,
        }
        .into());
    }
    let bits = bit_len(n).unwrap_or(0);
    let algorithm = KeyAlgorithm::Rsa { bits };
    if bits < 16 || e.is_empty() {
        return Err(KeyError::InvalidKey {
            algorithm,
            detail: "the modulus or the public exponent is zero or too small",
        }
        .into());
    }
    if k.other_prime_infos.is_none() {
        rsa_consistency(&k, n, e, &algorithm)?;
    }
    Ok((
        algorithm,
        PublicMaterial::Rsa {
            n: n.to_vec(),
            e: e.to_vec(),
        },
    ))
}

/// Checks n = p·q and e·d ≡ 1 (mod p−1) and (mod q−1). Secret numbers are zeroized.
pub(super) fn rsa_consistency(
    k: &pkcs1::RsaPrivateKey<'_>,
    n: &[u8],
    e: &[u8],
    algorithm: &KeyAlgorithm,
) -> Result<(), KeyError> {
    let inconsistent = |detail| KeyError::Inconsistent {
        algorithm: algorithm.clone(),
        detail,
    };
    let two = BigUint::from(2u32);
    let one = BigUint::from(1u32);
    let mut p = BigUint::from_bytes_be(k.prime1.as_bytes());
    let mut q = BigUint::from_bytes_be(k.prime2.as_bytes());
    let mut d = BigUint::from_bytes_be(k.private_exponent.as_bytes());
    let e = BigUint::from_bytes_be(e);
    let result = (|| {
        if p < two || q < two {
            return Err(inconsistent("a prime factor is 0 or 1"));
        }
        let mut product = &p * &q;
        let same_n = product == BigUint::from_bytes_be(n);
        product.zeroize();
        if !same_n {
            return Err(inconsistent(
                "the modulus is not the product of the two primes",
            ));
        }
        let mut ed = &e * &d;
        let mut pm1 = &p - &one;
        let mut qm1 = &q - &one;
        let mut r1 = &ed % &pm1;
        let mut r2 = &ed % &qm1;
        let ok = r1 == one && r2 == one;
        for x in [&mut ed, &mut pm1, &mut qm1, &mut r1, &mut r2] {
            x.zeroize();
        }
        if !ok {
            return Err(inconsistent(
                "the private exponent does not match the public exponent",
            ));
        }
        Ok(())
    })();
    p.zeroize();
    q.zeroize();
    d.zeroize();
    result
}

pub(super) fn ec_from_sec1(
    der: &[u8],
    outer_curve: Option<ObjectIdentifier>,
    outer_public: Option<&[u8]>,
) -> Result<(KeyAlgorithm, PublicMaterial), Attempt> {
    let ec = sec1::EcPrivateKey::try_from(der).map_err(|e| match e {
        sec1::Error::Asn1(d) => Attempt::NotThisFormat(d),
        other => Attempt::Failed(KeyError::Malformed {
            what: "SEC1 ECPrivateKey",
            detail: other.to_string(),
        }),
    })?;
    let inner_curve = ec.parameters.and_then(|p| p.named_curve());
    let curve = match (outer_curve, inner_curve) {
        (Some(a), Some(b)) if a != b => {
            return Err(KeyError::Inconsistent {
                algorithm: KeyAlgorithm::from_curve_oid(&a),
                detail: "the curve named inside the key differs from the curve of its algorithm identifier",
            }
            .into());
        }
        (Some(a), _) => a,
        (None, Some(b)) => b,
        (None, None) => {
            return Err(KeyError::Malformed {
                what: "SEC1 ECPrivateKey",
                detail: "no curve is named (neither in the key nor in its algorithm identifier)"
                    .into(),
            }
            .into());
        }
    };
    let algorithm = KeyAlgorithm::from_curve_oid(&curve);
    let embedded = ec.public_key.or(outer_public);
    let scalar = ec.private_key;
    let public = match curve {
        OID_P256 => {
            PublicMaterial::P256(derive_ec::<p256::NistP256>(scalar, embedded, &algorithm)?)
        }
        OID_P384 => {
            PublicMaterial::P384(derive_ec::<p384::NistP384>(scalar, embedded, &algorithm)?)
        }
        OID_P521 => {
            PublicMaterial::P521(derive_ec::<p521::NistP521>(scalar, embedded, &algorithm)?)
        }
        OID_SM2 => PublicMaterial::Sm2(derive_ec::<sm2::Sm2>(scalar, embedded, &algorithm)?),
        _ => PublicMaterial::Unsupported(format!(
            "{algorithm} keys are not supported for key matching"
        )),
    };
    Ok((algorithm, public))
}

/// Derives the public key from a big-endian scalar and checks it against the public key
/// embedded in the key file, if any.
pub(super) fn derive_ec<C>(
    scalar: &[u8],
    embedded: Option<&[u8]>,
    algorithm: &KeyAlgorithm,
) -> Result<elliptic_curve::PublicKey<C>, KeyError>
where
    C: elliptic_curve::CurveArithmetic,
    elliptic_curve::FieldBytesSize<C>: ModulusSize,
    elliptic_curve::AffinePoint<C>: FromEncodedPoint<C> + ToEncodedPoint<C>,
{
    use elliptic_curve::generic_array::typenum::Unsigned;
    let invalid = |detail| KeyError::InvalidKey {
        algorithm: algorithm.clone(),
        detail,
    };
    let size = <elliptic_curve::FieldBytesSize<C> as Unsigned>::USIZE;
    let scalar = strip_zeros(scalar);
    let pad = size
        .checked_sub(scalar.len())
        .ok_or_else(|| invalid("the private scalar is longer than the curve order"))?;
    let mut buf = Zeroizing::new(vec![0u8; size]);
    let tail = buf
        .get_mut(pad..)
        .ok_or_else(|| invalid("the private scalar is longer than the curve order"))?;
    tail.copy_from_slice(scalar);
    let sk = elliptic_curve::SecretKey::<C>::from_slice(&buf)
        .map_err(|_| invalid("the private scalar is zero or not below the curve order"))?;
    let pk = sk.public_key();
    drop(sk);
    if let Some(bytes) = embedded {
        let stored = elliptic_curve::PublicKey::<C>::from_sec1_bytes(bytes).map_err(|_| {
            KeyError::Inconsistent {
                algorithm: algorithm.clone(),
                detail: "the public key stored in the key file is not a point on the curve",
            }
        })?;
        if stored != pk {
            return Err(KeyError::Inconsistent {
                algorithm: algorithm.clone(),
                detail: "the public key stored in the key file does not match the private key",
            });
        }
    }
    Ok(pk)
}

pub(super) fn ed25519_from_pkcs8(
    private_key: &[u8],
    public_key: Option<&[u8]>,
) -> Result<(KeyAlgorithm, PublicMaterial), Attempt> {
    let algorithm = KeyAlgorithm::Ed25519;
    let inner = OctetStringRef::from_der(private_key).map_err(|e| {
        Attempt::Failed(KeyError::Malformed {
            what: "Ed25519 private key (CurvePrivateKey OCTET STRING)",
            detail: der_detail(e),
        })
    })?;
    let seed: [u8; 32] = inner.as_bytes().try_into().map_err(|_| {
        Attempt::Failed(KeyError::InvalidKey {
            algorithm: algorithm.clone(),
            detail: "the private key is not 32 bytes long",
        })
    })?;
    let seed = Zeroizing::new(seed);
    let sk = ed25519_dalek::SigningKey::from_bytes(&seed);
    let pk = sk.verifying_key().to_bytes();
    drop(sk);
    if let Some(stored) = public_key {
        if stored != pk.as_slice() {
            return Err(KeyError::Inconsistent {
                algorithm,
                detail: "the public key stored in the key file does not match the private key",
            }
            .into());
        }
    }
    Ok((algorithm, PublicMaterial::Ed25519(pk)))
}
