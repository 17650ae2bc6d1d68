//! The pre-scan: the archive's DER walked with the bounded reader, without the password
//! and without any key derivation.

use super::*;
use crate::input::der::{self, Reader, Tlv, TlvError};

fn tlv_err(e: TlvError, inside: &str) -> Pkcs12Error {
    match e {
        TlvError::Indefinite { at } => Pkcs12Error::Unsupported {
            what: format!(
                "BER indefinite-length encoding at byte {at} (in {inside}), written by some \
                 older Windows and Java exporters; re-export it with OpenSSL"
            ),
        },
        other => Pkcs12Error::Malformed {
            at: other.at(),
            what: format!("in {inside}: {other}"),
        },
    }
}

fn expect<'a>(r: &mut Reader<'a>, tag: u8, what: &str) -> Result<Tlv<'a>, Pkcs12Error> {
    if r.is_empty() {
        return Err(Pkcs12Error::Malformed {
            at: r.position(),
            what: format!("{what} is missing"),
        });
    }
    let t = r.next().map_err(|e| tlv_err(e, what))?;
    if t.tag != tag {
        if tag == 0x04 && t.tag == 0x24 {
            return Err(Pkcs12Error::Unsupported {
                what: format!(
                    "BER constructed OCTET STRING at byte {} ({what}); re-export it with OpenSSL",
                    t.at
                ),
            });
        }
        return Err(Pkcs12Error::Malformed {
            at: t.at,
            what: format!(
                "expected {what} ({}), found {}",
                der::tag_name(tag),
                der::tag_name(t.tag)
            ),
        });
    }
    Ok(t)
}

fn expect_oid(r: &mut Reader<'_>, what: &str) -> Result<(String, usize), Pkcs12Error> {
    let t = expect(r, 0x06, what)?;
    let s = der::oid_string(t.value).ok_or_else(|| Pkcs12Error::Malformed {
        at: t.at,
        what: format!("{what}: invalid OBJECT IDENTIFIER encoding"),
    })?;
    Ok((s, t.at))
}

fn expect_uint(r: &mut Reader<'_>, what: &str) -> Result<u64, Pkcs12Error> {
    let t = expect(r, 0x02, what)?;
    der::uint(t.value).ok_or_else(|| Pkcs12Error::Malformed {
        at: t.at,
        what: format!("{what} is negative or empty"),
    })
}

fn expect_end(r: &Reader<'_>, what: &str) -> Result<(), Pkcs12Error> {
    if r.is_empty() {
        Ok(())
    } else {
        Err(Pkcs12Error::Malformed {
            at: r.position(),
            what: format!("{} unexpected bytes at the end of {what}", r.remaining()),
        })
    }
}

fn check_depth(buf: &[u8], base: usize) -> Result<(), Pkcs12Error> {
    match der::too_deep(buf, base, MAX_DER_DEPTH) {
        Some(at) => Err(Pkcs12Error::TooDeep {
            at,
            limit: MAX_DER_DEPTH,
        }),
        None => Ok(()),
    }
}

const OID_DATA: &str = "1.2.840.113549.1.7.1";
const OID_SIGNED_DATA: &str = "1.2.840.113549.1.7.2";
const OID_ENVELOPED_DATA: &str = "1.2.840.113549.1.7.3";
const OID_ENCRYPTED_DATA: &str = "1.2.840.113549.1.7.6";
const OID_PBES2: &str = "1.2.840.113549.1.5.13";
const OID_PBKDF2: &str = "1.2.840.113549.1.5.12";
const OID_PBMAC1: &str = "1.2.840.113549.1.5.14";
const OID_SCRYPT: &str = "1.3.6.1.4.1.11591.4.11";

fn digest_name(oid: &str) -> Option<(&'static str, bool)> {
    // (name, supported by the reader's MAC)
    Some(match oid {
        "1.3.14.3.2.26" => ("SHA-1", true),
        "2.16.840.1.101.3.4.2.4" => ("SHA-224", true),
        "2.16.840.1.101.3.4.2.1" => ("SHA-256", true),
        "2.16.840.1.101.3.4.2.2" => ("SHA-384", true),
        "2.16.840.1.101.3.4.2.3" => ("SHA-512", true),
        "2.16.840.1.101.3.4.2.5" => ("SHA-512/224", true),
        "2.16.840.1.101.3.4.2.6" => ("SHA-512/256", true),
        "1.2.840.113549.2.5" => ("MD5", false),
        "1.2.156.10197.1.401" => ("SM3", false),
        "1.2.643.7.1.1.2.2" => ("GOST R 34.11-2012 (256)", false),
        _ => return None,
    })
}

fn prf_name(oid: &str) -> Option<(&'static str, bool)> {
    Some(match oid {
        "1.2.840.113549.2.7" => ("HMAC-SHA1", true),
        "1.2.840.113549.2.8" => ("HMAC-SHA224", true),
        "1.2.840.113549.2.9" => ("HMAC-SHA256", true),
        "1.2.840.113549.2.10" => ("HMAC-SHA384", true),
        "1.2.840.113549.2.11" => ("HMAC-SHA512", true),
        "1.2.156.10197.1.401.2" => ("HMAC-SM3", false),
        _ => return None,
    })
}

fn cipher_name(oid: &str) -> Option<(&'static str, bool, bool)> {
    // (name, is_aes, supported by the reader's PBES2)
    Some(match oid {
        "2.16.840.1.101.3.4.1.2" => ("AES-128-CBC", true, true),
        "2.16.840.1.101.3.4.1.22" => ("AES-192-CBC", true, true),
        "2.16.840.1.101.3.4.1.42" => ("AES-256-CBC", true, true),
        "2.16.840.1.101.3.4.1.6" => ("AES-128-GCM", true, true),
        "2.16.840.1.101.3.4.1.46" => ("AES-256-GCM", true, true),
        "1.2.840.113549.3.7" => ("DES-EDE3-CBC", false, false),
        "1.3.14.3.2.7" => ("DES-CBC", false, false),
        "1.2.840.113549.3.2" => ("RC2-CBC", false, false),
        "1.2.156.10197.1.104.2" => ("SM4-CBC", false, false),
        _ => return None,
    })
}

fn pkcs12_pbe_name(oid: &str) -> Option<(&'static str, bool, u64)> {
    // (name, supported, derivations per decryption: key + IV, RC4 needs no IV)
    Some(match oid {
        "1.2.840.113549.1.12.1.1" => ("pbeWithSHAAnd128BitRC4", false, 1),
        "1.2.840.113549.1.12.1.2" => ("pbeWithSHAAnd40BitRC4", false, 1),
        "1.2.840.113549.1.12.1.3" => ("pbeWithSHAAnd3-KeyTripleDES-CBC", true, 2),
        "1.2.840.113549.1.12.1.4" => ("pbeWithSHAAnd2-KeyTripleDES-CBC", false, 2),
        "1.2.840.113549.1.12.1.5" => ("pbeWithSHAAnd128BitRC2-CBC", false, 2),
        "1.2.840.113549.1.12.1.6" => ("pbeWithSHAAnd40BitRC2-CBC", true, 2),
        "1.2.840.113549.1.5.3" => ("pbeWithMD5AndDES-CBC", false, 1),
        "1.2.840.113549.1.5.6" => ("pbeWithMD5AndRC2-CBC", false, 1),
        "1.2.840.113549.1.5.10" => ("pbeWithSHA1AndDES-CBC", false, 1),
        "1.2.840.113549.1.5.11" => ("pbeWithSHA1AndRC2-CBC", false, 1),
        _ => return None,
    })
}

/// PBKDF2-params: (iterations, salt length, prf name, prf supported).
fn pbkdf2_params(
    params: &mut Reader<'_>,
    what: &str,
) -> Result<(u64, usize, String, bool), Pkcs12Error> {
    let seq = expect(params, 0x30, &format!("{what} PBKDF2 parameters"))?;
    let mut r = seq.reader();
    let salt = expect(&mut r, 0x04, "PBKDF2 salt (OCTET STRING)")?;
    let iterations = expect_uint(&mut r, "PBKDF2 iteration count")?;
    if r.peek_tag() == Some(0x02) {
        expect_uint(&mut r, "PBKDF2 key length")?;
    }
    let (prf, ok) = if r.peek_tag() == Some(0x30) {
        let alg = expect(&mut r, 0x30, "PBKDF2 PRF AlgorithmIdentifier")?;
        let mut a = alg.reader();
        let (oid, _) = expect_oid(&mut a, "PBKDF2 PRF")?;
        match prf_name(&oid) {
            Some((n, ok)) => (n.to_string(), ok),
            None => (oid, false),
        }
    } else {
        ("HMAC-SHA1".to_string(), true)
    };
    expect_end(&r, "the PBKDF2 parameters")?;
    Ok((iterations, salt.value.len(), prf, ok))
}

fn scheme_info(alg: &Tlv<'_>, container: Container) -> Result<ProtectionInfo, Pkcs12Error> {
    let mut r = alg.reader();
    let (oid, _) = expect_oid(&mut r, "encryption algorithm")?;
    let mut info = ProtectionInfo {
        container,
        at: alg.at,
        scheme: oid.clone(),
        scheme_oid: oid.clone(),
        iterations: 0,
        salt_len: 0,
        is_aes: false,
        is_legacy_pbe: false,
        supported: false,
        work: 0,
    };
    if let Some((name, supported, derivations)) = pkcs12_pbe_name(&oid) {
        let p = expect(&mut r, 0x30, &format!("{name} parameters"))?;
        let mut pr = p.reader();
        let salt = expect(&mut pr, 0x04, "PBE salt (OCTET STRING)")?;
        info.iterations = expect_uint(&mut pr, "PBE iteration count")?;
        info.salt_len = salt.value.len();
        info.scheme = name.to_string();
        info.is_legacy_pbe = oid.starts_with("1.2.840.113549.1.12.1.");
        info.supported = supported;
        info.work = info.iterations.saturating_mul(derivations);
    } else if oid == OID_PBES2 {
        let p = expect(&mut r, 0x30, "PBES2 parameters")?;
        let mut pr = p.reader();
        let kdf = expect(&mut pr, 0x30, "PBES2 key derivation AlgorithmIdentifier")?;
        let enc = expect(&mut pr, 0x30, "PBES2 encryption scheme AlgorithmIdentifier")?;
        let mut kr = kdf.reader();
        let (kdf_oid, _) = expect_oid(&mut kr, "PBES2 key derivation function")?;
        let mut er = enc.reader();
        let (enc_oid, _) = expect_oid(&mut er, "PBES2 encryption scheme")?;
        let (cipher, is_aes, cipher_ok) = match cipher_name(&enc_oid) {
            Some((n, aes, ok)) => (n.to_string(), aes, ok),
            None => (enc_oid.clone(), false, false),
        };
        info.is_aes = is_aes;
        if kdf_oid == OID_PBKDF2 {
            let (iterations, salt_len, prf, prf_ok) = pbkdf2_params(&mut kr, "PBES2")?;
            info.iterations = iterations;
            info.salt_len = salt_len;
            info.work = iterations;
            info.scheme = format!("PBES2 (PBKDF2-{prf}, {cipher})");
            info.supported = prf_ok && cipher_ok;
        } else if kdf_oid == OID_SCRYPT {
            let sp = expect(&mut kr, 0x30, "scrypt parameters")?;
            let mut sr = sp.reader();
            let salt = expect(&mut sr, 0x04, "scrypt salt")?;
            let n = expect_uint(&mut sr, "scrypt cost N")?;
            let rr = expect_uint(&mut sr, "scrypt block size r")?;
            let p = expect_uint(&mut sr, "scrypt parallelism p")?;
            info.iterations = n;
            info.salt_len = salt.value.len();
            info.work = n.saturating_mul(rr).saturating_mul(p);
            info.scheme = format!("PBES2 (scrypt N={n} r={rr} p={p}, {cipher})");
            info.supported = cipher_ok;
        } else {
            info.scheme = format!("PBES2 (KDF {kdf_oid}, {cipher})");
        }
    }
    Ok(info)
}

const BAG_KEY: &str = "1.2.840.113549.1.12.10.1.1";
const BAG_SHROUDED: &str = "1.2.840.113549.1.12.10.1.2";
const BAG_CERT: &str = "1.2.840.113549.1.12.10.1.3";
const BAG_CRL: &str = "1.2.840.113549.1.12.10.1.4";
const BAG_SECRET: &str = "1.2.840.113549.1.12.10.1.5";
const BAG_SAFE_CONTENTS: &str = "1.2.840.113549.1.12.10.1.6";

struct Scan {
    bags: Vec<ProtectionInfo>,
    visible: VisibleBags,
    seen: usize,
}

impl Scan {
    fn count(&mut self) -> Result<(), Pkcs12Error> {
        self.seen += 1;
        if self.seen > MAX_BAGS {
            return Err(Pkcs12Error::TooManyBags { limit: MAX_BAGS });
        }
        Ok(())
    }
}

/// SafeContents: SEQUENCE OF SafeBag. `nesting` bounds safeContentsBag recursion.
fn scan_safe_contents(data: &Tlv<'_>, scan: &mut Scan, nesting: u8) -> Result<(), Pkcs12Error> {
    check_depth(data.value, data.value_at())?;
    let mut outer = data.reader();
    let seq = expect(&mut outer, 0x30, "SafeContents (SEQUENCE OF SafeBag)")?;
    expect_end(&outer, "the Data content")?;
    let mut r = seq.reader();
    while !r.is_empty() {
        scan.count()?;
        let bag = expect(&mut r, 0x30, "SafeBag")?;
        let mut br = bag.reader();
        let (bag_id, _) = expect_oid(&mut br, "SafeBag bagId")?;
        let value = expect(&mut br, 0xA0, "SafeBag bagValue [0]")?;
        if br.peek_tag() == Some(0x31) {
            expect(&mut br, 0x31, "SafeBag bagAttributes")?;
        }
        expect_end(&br, "the SafeBag")?;
        match bag_id.as_str() {
            BAG_KEY => scan.visible.key_bags += 1,
            BAG_CERT => scan.visible.cert_bags += 1,
            BAG_SHROUDED => {
                scan.visible.shrouded_key_bags += 1;
                let mut vr = value.reader();
                let epki = expect(&mut vr, 0x30, "EncryptedPrivateKeyInfo")?;
                let mut er = epki.reader();
                let alg = expect(&mut er, 0x30, "EncryptedPrivateKeyInfo algorithm")?;
                expect(&mut er, 0x04, "EncryptedPrivateKeyInfo encryptedData")?;
                scan.bags
                    .push(scheme_info(&alg, Container::ShroudedKeyBag)?);
            }
            BAG_SAFE_CONTENTS => {
                scan.visible
                    .other
                    .push("safeContentsBag (nested; the reader ignores its bags)".into());
                if nesting >= 2 {
                    return Err(Pkcs12Error::TooDeep {
                        at: bag.at,
                        limit: 2,
                    });
                }
                // the value is itself SafeContents
                let wrapper = Tlv {
                    tag: 0x04,
                    at: value.at,
                    header_len: value.header_len,
                    value: value.value,
                };
                scan_safe_contents(&wrapper, scan, nesting + 1)?;
            }
            BAG_CRL => scan.visible.other.push("crlBag".into()),
            BAG_SECRET => scan.visible.other.push("secretBag".into()),
            other => scan.visible.other.push(format!("bag {other}")),
        }
    }
    Ok(())
}

/// What a non-PFX input looks like, for [`Pkcs12Error::NotPkcs12`].
fn sniff(der: &[u8]) -> String {
    let text_start: Vec<u8> = der
        .iter()
        .skip_while(|b| b.is_ascii_whitespace() || **b == 0xEF || **b == 0xBB || **b == 0xBF)
        .take(64)
        .copied()
        .collect();
    if text_start.starts_with(b"-----BEGIN ") {
        let label: String = text_start
            .get(11..)
            .unwrap_or(&[])
            .iter()
            .take_while(|b| **b != b'-')
            .map(|b| char::from(*b))
            .collect();
        return format!(
            "this is a PEM file (-----BEGIN {label}-----); build the archive with \
             `openssl pkcs12 -export -inkey key.pem -in cert.pem -certfile chain.pem -out cert.pfx`"
        );
    }
    if text_start.starts_with(b"MII") {
        return "this looks like base64 text: decode it to binary first (`base64 -d`)".into();
    }
    match der {
        [] => return "the file is empty".into(),
        [0xFE, 0xED, 0xFE, 0xED, ..] => {
            return "this is a Java JKS keystore; convert it with `keytool -importkeystore \
                    -srcstoretype JKS -deststoretype PKCS12`"
                .into();
        }
        [0xCE, 0xCE, 0xCE, 0xCE, ..] => {
            return "this is a Java JCEKS keystore; convert it with `keytool -importkeystore \
                    -deststoretype PKCS12`"
                .into();
        }
        [b'P', b'K', 3, 4, ..] => return "this is a ZIP archive".into(),
        _ => {}
    }
    // DER shapes
    let mut r = Reader::new(der, 0);
    if let Ok(top) = r.next() {
        if top.tag == 0x30 {
            let mut inner = top.reader();
            let first = inner.next().ok();
            let second = inner.next().ok();
            match (first, second) {
                (Some(f), _) if f.tag == 0x30 => {
                    let fr = f.reader();
                    return match fr.peek_tag() {
                        Some(0xA0) => "this is a DER X.509 certificate, not an archive: \
                                       it has no private key"
                            .into(),
                        Some(0x02) => "this is a DER certificate signing request (PKCS#10)".into(),
                        _ => "a DER SEQUENCE that is not a PFX".into(),
                    };
                }
                (Some(f), _)
                    if f.tag == 0x06
                        && der::oid_string(f.value).as_deref() == Some(OID_SIGNED_DATA) =>
                {
                    return "this is a PKCS#7 (.p7b) certificate bundle: it has no private key"
                        .into();
                }
                (Some(f), Some(s)) if f.tag == 0x02 => {
                    if s.tag == 0x30 {
                        return "this is a DER PKCS#8 private key without certificate".into();
                    }
                    if s.tag == 0x02 {
                        return "this is a DER PKCS#1 RSA private key without certificate".into();
                    }
                    if s.tag == 0x04 {
                        return "this is a DER SEC1 EC private key without certificate".into();
                    }
                }
                _ => {}
            }
        }
    }
    if der.iter().take(256).all(|b| b.is_ascii()) {
        return "this is text, not a binary PKCS#12 archive".into();
    }
    "the data is not a DER PFX structure".into()
}

/// Walks the archive's DER and reports its protection, without the password and without
/// any key derivation. Bounded: no recursion deeper than 2, at most [`MAX_BAGS`] bags,
/// nesting checked against [`MAX_DER_DEPTH`] before anything else is read.
pub fn prescan(der: &[u8]) -> Result<Prescan, Pkcs12Error> {
    if der.first() != Some(&0x30) {
        return Err(Pkcs12Error::NotPkcs12 { hint: sniff(der) });
    }
    check_depth(der, 0)?;
    let mut top = Reader::new(der, 0);
    let pfx = top.next().map_err(|e| match e {
        TlvError::Overrun {
            declared,
            available,
            ..
        } => Pkcs12Error::Malformed {
            at: 0,
            what: format!(
                "the outer SEQUENCE says {declared} bytes follow, only {available} do: \
                 the file is truncated"
            ),
        },
        e => tlv_err(e, "the PFX"),
    })?;
    if !top.is_empty() {
        return Err(Pkcs12Error::Malformed {
            at: top.position(),
            what: format!(
                "{} bytes after the end of the PFX structure",
                top.remaining()
            ),
        });
    }
    let mut r = pfx.reader();
    // Shape check first: a PFX is INTEGER, SEQUENCE(ContentInfo) [, SEQUENCE(MacData)].
    {
        let mut probe = r.clone();
        let a = probe.next().ok();
        let b = probe.next().ok();
        let is_pfx = matches!((a, b), (Some(a), Some(b)) if a.tag == 0x02 && b.tag == 0x30 && {
            let mut br = b.reader();
            br.next().ok().is_some_and(|o| o.tag == 0x06
                && der::oid_string(o.value).is_some_and(|s| s.starts_with("1.2.840.113549.1.7.")))
        });
        if !is_pfx {
            return Err(Pkcs12Error::NotPkcs12 { hint: sniff(der) });
        }
    }
    let version = expect_uint(&mut r, "PFX version")?;
    if version != 3 {
        return Err(Pkcs12Error::Unsupported {
            what: format!("PFX version {version} (only version 3 exists)"),
        });
    }
    let auth_safe = expect(&mut r, 0x30, "authSafe ContentInfo")?;
    let mut ar = auth_safe.reader();
    let (ct, ct_at) = expect_oid(&mut ar, "authSafe contentType")?;
    if ct == OID_SIGNED_DATA {
        return Err(Pkcs12Error::Unsupported {
            what: "public-key integrity mode (the authSafe is signedData, not a password MAC)"
                .into(),
        });
    }
    if ct != OID_DATA {
        return Err(Pkcs12Error::Malformed {
            at: ct_at,
            what: format!("authSafe contentType is {ct}, expected data ({OID_DATA})"),
        });
    }
    let explicit = expect(
        &mut ar,
        0xA0,
        "the authSafe's content ([0]: the archive's certificates and keys)",
    )?;
    let mut xr = explicit.reader();
    let octets = expect(&mut xr, 0x04, "authSafe OCTET STRING")?;
    check_depth(octets.value, octets.value_at())?;
    let mut or = octets.reader();
    let safes = expect(&mut or, 0x30, "AuthenticatedSafe (SEQUENCE OF ContentInfo)")?;
    expect_end(&or, "the authSafe OCTET STRING")?;

    let mut scan = Scan {
        bags: Vec::new(),
        visible: VisibleBags::default(),
        seen: 0,
    };
    let mut sr = safes.reader();
    while !sr.is_empty() {
        scan.count()?;
        let ci = expect(&mut sr, 0x30, "ContentInfo in the AuthenticatedSafe")?;
        let mut cr = ci.reader();
        let (ct, ct_at) = expect_oid(&mut cr, "ContentInfo contentType")?;
        match ct.as_str() {
            OID_DATA => {
                scan.visible.data_containers += 1;
                let x = expect(&mut cr, 0xA0, "Data content [0]")?;
                let mut xr = x.reader();
                let o = expect(&mut xr, 0x04, "Data OCTET STRING")?;
                scan_safe_contents(&o, &mut scan, 0)?;
            }
            OID_ENCRYPTED_DATA => {
                scan.visible.encrypted_containers += 1;
                let x = expect(&mut cr, 0xA0, "EncryptedData content [0]")?;
                let mut xr = x.reader();
                let ed = expect(&mut xr, 0x30, "EncryptedData")?;
                let mut er = ed.reader();
                expect_uint(&mut er, "EncryptedData version")?;
                let eci = expect(&mut er, 0x30, "EncryptedContentInfo")?;
                let mut ecr = eci.reader();
                expect_oid(&mut ecr, "EncryptedContentInfo contentType")?;
                let alg = expect(&mut ecr, 0x30, "contentEncryptionAlgorithm")?;
                scan.bags.push(scheme_info(&alg, Container::EncryptedData)?);
            }
            OID_ENVELOPED_DATA => {
                return Err(Pkcs12Error::Unsupported {
                    what: "public-key privacy mode (envelopedData content)".into(),
                });
            }
            other => {
                return Err(Pkcs12Error::Malformed {
                    at: ct_at,
                    what: format!("unknown AuthenticatedSafe content type {other}"),
                });
            }
        }
    }

    let mac = if r.is_empty() {
        None
    } else {
        let md = expect(&mut r, 0x30, "macData")?;
        let mut mr = md.reader();
        let di = expect(&mut mr, 0x30, "MAC DigestInfo")?;
        let mut dr = di.reader();
        let alg = expect(&mut dr, 0x30, "MAC digest AlgorithmIdentifier")?;
        let digest_value = expect(&mut dr, 0x04, "MAC value")?;
        let salt = expect(&mut mr, 0x04, "MAC salt")?;
        let mut iterations = if mr.peek_tag() == Some(0x02) {
            expect_uint(&mut mr, "MAC iteration count")?
        } else {
            1
        };
        expect_end(&mr, "macData")?;
        let mut alr = alg.reader();
        let (oid, _) = expect_oid(&mut alr, "MAC digest algorithm")?;
        let (digest, supported) = if oid == OID_PBMAC1 {
            let p = expect(&mut alr, 0x30, "PBMAC1 parameters")?;
            let mut pr = p.reader();
            let kdf = expect(&mut pr, 0x30, "PBMAC1 key derivation")?;
            let mut kr = kdf.reader();
            let (kdf_oid, _) = expect_oid(&mut kr, "PBMAC1 key derivation function")?;
            if kdf_oid == OID_PBKDF2 {
                let (it, _, prf, _) = pbkdf2_params(&mut kr, "PBMAC1")?;
                iterations = it;
                (format!("PBMAC1 (PBKDF2-{prf}, RFC 9579)"), false)
            } else {
                (format!("PBMAC1 (KDF {kdf_oid})"), false)
            }
        } else {
            match digest_name(&oid) {
                Some((n, ok)) => (n.to_string(), ok),
                None => (oid.clone(), false),
            }
        };
        Some(MacInfo {
            digest,
            digest_oid: oid,
            iterations,
            salt_len: salt.value.len(),
            mac_len: digest_value.value.len(),
            at: md.at,
            supported,
        })
    };
    expect_end(&r, "the PFX")?;

    let total_iterations = scan
        .bags
        .iter()
        .map(|b| b.work)
        .chain(mac.iter().map(|m| m.iterations))
        .fold(0u64, u64::saturating_add);
    Ok(Prescan {
        version,
        mac,
        bags: scan.bags,
        visible: scan.visible,
        total_iterations,
    })
}
