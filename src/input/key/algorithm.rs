//! Public keys: the algorithm and size of a SubjectPublicKeyInfo, and whether a
//! private key belongs to it.

use super::*;

/// The algorithm and size of a SubjectPublicKeyInfo (a certificate's or CSR's public key).
pub fn describe_spki(spki_der: &[u8]) -> Result<KeyAlgorithm, KeyError> {
    spki_public(spki_der).map(|(alg, _)| alg)
}

/// Compares the public key derived from `key` with the SubjectPublicKeyInfo `spki_der`
/// (RSA `n` and `e`; EC points compared as points, compressed or uncompressed; Ed25519 and
/// SM2 public keys).
pub fn key_matches_spki(key: &PrivateKey, spki_der: &[u8]) -> KeyMatch {
    let (cert_alg, cert_pub) = match spki_public(spki_der) {
        Ok(x) => x,
        Err(e) => return KeyMatch::Invalid(e.to_string()),
    };
    let mismatch = || KeyMatch::Mismatch {
        key: key.algorithm.clone(),
        cert: cert_alg.clone(),
    };
    let verdict = |same: bool| if same { KeyMatch::Match } else { mismatch() };
    let bad_point = |curve: &str| {
        KeyMatch::Invalid(format!(
            "the certificate's public key is not a valid {curve} point"
        ))
    };
    match (&key.public, cert_pub) {
        (PublicMaterial::Rsa { n, e }, SpkiPublic::Rsa { n: cn, e: ce }) => {
            verdict(n.as_slice() == cn && e.as_slice() == ce)
        }
        (PublicMaterial::P256(pk), SpkiPublic::Ec(OID_P256, point)) => {
            match p256::PublicKey::from_sec1_bytes(point) {
                Ok(c) => verdict(*pk == c),
                Err(_) => bad_point("P-256"),
            }
        }
        (PublicMaterial::P384(pk), SpkiPublic::Ec(OID_P384, point)) => {
            match p384::PublicKey::from_sec1_bytes(point) {
                Ok(c) => verdict(*pk == c),
                Err(_) => bad_point("P-384"),
            }
        }
        (PublicMaterial::P521(pk), SpkiPublic::Ec(OID_P521, point)) => {
            match p521::PublicKey::from_sec1_bytes(point) {
                Ok(c) => verdict(*pk == c),
                Err(_) => bad_point("P-521"),
            }
        }
        (PublicMaterial::Sm2(pk), SpkiPublic::Ec(OID_SM2, point)) => {
            match sm2::PublicKey::from_sec1_bytes(point) {
                Ok(c) => verdict(*pk == c),
                Err(_) => bad_point("SM2"),
            }
        }
        (PublicMaterial::Ed25519(a), SpkiPublic::Ed25519(b)) => verdict(a.as_slice() == b),
        (PublicMaterial::Unsupported(reason), _) if key.algorithm == cert_alg => {
            KeyMatch::Unsupported(reason.clone())
        }
        _ => mismatch(),
    }
}

/// The namedCurve OID from ecPublicKey parameters; `Err(algorithm)` for explicit or
/// absent parameters.
pub(super) fn curve_param(any: AnyRef<'_>) -> Result<ObjectIdentifier, KeyAlgorithm> {
    if any.tag() == Tag::ObjectIdentifier {
        if let Ok(oid) = any.decode_as::<ObjectIdentifier>() {
            return Ok(oid);
        }
    }
    Err(KeyAlgorithm::ec(Curve::Other(EXPLICIT_PARAMETERS.into())))
}

pub(super) fn bit_len(be: &[u8]) -> Option<u32> {
    let first = be.iter().position(|&b| b != 0)?;
    let rest = be.get(first..)?;
    let top = rest.first()?;
    let len = u32::try_from(rest.len()).ok()?;
    len.checked_mul(8)?.checked_sub(top.leading_zeros())
}

pub(super) fn strip_zeros(be: &[u8]) -> &[u8] {
    let first = be.iter().position(|&b| b != 0).unwrap_or(be.len());
    be.get(first..).unwrap_or_default()
}

/// A certificate's public key, as far as it is needed for matching.
pub(super) enum SpkiPublic<'a> {
    Rsa {
        n: &'a [u8],
        e: &'a [u8],
    },
    /// Curve OID and SEC1 point encoding (compressed or not).
    Ec(ObjectIdentifier, &'a [u8]),
    Ed25519(&'a [u8]),
    Other,
}

pub(super) fn spki_public(spki_der: &[u8]) -> Result<(KeyAlgorithm, SpkiPublic<'_>), KeyError> {
    let malformed = |detail: String| KeyError::Malformed {
        what: "SubjectPublicKeyInfo",
        detail,
    };
    let spki = SubjectPublicKeyInfoRef::try_from(spki_der).map_err(|e| malformed(e.to_string()))?;
    let bits = spki
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| malformed("the public key BIT STRING has unused bits".into()))?;
    let AlgorithmIdentifierRef { oid, parameters } = spki.algorithm;
    match oid {
        OID_RSA | OID_RSA_PSS => {
            let pk = pkcs1::RsaPublicKey::try_from(bits).map_err(|e| KeyError::Malformed {
                what: "RSA public key (PKCS#1 RSAPublicKey in the SubjectPublicKeyInfo)",
                detail: e.to_string(),
            })?;
            let n = strip_zeros(pk.modulus.as_bytes());
            let e = strip_zeros(pk.public_exponent.as_bytes());
            let bits = bit_len(n).unwrap_or(0);
            Ok((KeyAlgorithm::Rsa { bits }, SpkiPublic::Rsa { n, e }))
        }
        OID_EC => {
            let curve = match parameters {
                Some(any) => match curve_param(any) {
                    Ok(c) => c,
                    Err(alg) => return Ok((alg, SpkiPublic::Other)),
                },
                None => {
                    return Ok((
                        KeyAlgorithm::ec(Curve::Other("no curve parameters".into())),
                        SpkiPublic::Other,
                    ));
                }
            };
            Ok((
                KeyAlgorithm::from_curve_oid(&curve),
                SpkiPublic::Ec(curve, bits),
            ))
        }
        OID_SM2 => Ok((KeyAlgorithm::Sm2, SpkiPublic::Ec(OID_SM2, bits))),
        OID_ED25519 => Ok((KeyAlgorithm::Ed25519, SpkiPublic::Ed25519(bits))),
        other => Ok((
            KeyAlgorithm::Other {
                oid: other.to_string(),
            },
            SpkiPublic::Other,
        )),
    }
}
