//! The CertificationRequest's layout: a bounded walk over the DER that names the
//! structure and offset of any fault, then the parsed request.

use super::*;

/// Where the schema walk failed.
pub(super) struct Diag {
    at: usize,
    structure: String,
    what: String,
}

/// The offsets the walk found.
pub(super) struct Layout {
    cri: Range<usize>,
    version: u64,
    subject: Range<usize>,
    spki: Range<usize>,
    spki_alg_oid: String,
    sig_alg_oid: String,
    sig_alg_params: Option<Range<usize>>,
    signature: Range<usize>,
}

pub(super) struct Parent<'s> {
    name: &'s str,
    at: usize,
    end: usize,
}

pub(super) fn take<'a>(
    r: &mut Reader<'a>,
    tag: u8,
    name: &str,
    parent: &Parent<'_>,
) -> Result<Tlv<'a>, Diag> {
    let at = r.position();
    if r.is_empty() {
        return Err(Diag {
            at,
            structure: name.to_string(),
            what: format!(
                "it is missing: {} (byte {} to {}) ends here",
                parent.name, parent.at, parent.end
            ),
        });
    }
    let overrun = |declared: usize, available: usize, t: u8| {
        format!(
            "{} (tag 0x{t:02X}) says {declared} bytes follow, but only {available} remain in \
             {} (which starts at byte {} and ends at byte {})",
            der::tag_name(t),
            parent.name,
            parent.at,
            parent.end
        )
    };
    match r.peek_header() {
        Ok((t, hl, len)) if t != tag => {
            let mut what = format!(
                "expected {} (tag 0x{tag:02X}), found tag 0x{t:02X} ({})",
                der::tag_name(tag),
                der::tag_name(t)
            );
            let available = r.remaining().saturating_sub(hl);
            if len > available {
                what.push_str(&format!(
                    "; its length ({len} bytes) also runs past the end of {} ({available} \
                     bytes left)",
                    parent.name
                ));
            }
            Err(Diag {
                at,
                structure: name.to_string(),
                what,
            })
        }
        Ok(_) => r.next().map_err(|e| Diag {
            at,
            structure: name.to_string(),
            what: match e {
                TlvError::Overrun {
                    declared,
                    available,
                    tag,
                    ..
                } => overrun(declared, available, tag),
                other => other.to_string(),
            },
        }),
        Err(e) => Err(Diag {
            at,
            structure: name.to_string(),
            what: e.to_string(),
        }),
    }
}

pub(super) fn take_any<'a>(
    r: &mut Reader<'a>,
    name: &str,
    parent: &Parent<'_>,
) -> Result<Tlv<'a>, Diag> {
    let tag = r.peek_tag().unwrap_or(0);
    take(r, tag, name, parent)
}

pub(super) fn end(r: &Reader<'_>, parent: &Parent<'_>) -> Result<(), Diag> {
    if r.is_empty() {
        Ok(())
    } else {
        Err(Diag {
            at: r.position(),
            structure: parent.name.to_string(),
            what: format!(
                "{} unexpected bytes before its end at byte {}",
                r.remaining(),
                parent.end
            ),
        })
    }
}

pub(super) fn oid_of(t: &Tlv<'_>, name: &str) -> Result<String, Diag> {
    der::oid_string(t.value).ok_or_else(|| Diag {
        at: t.at,
        structure: name.to_string(),
        what: "invalid OBJECT IDENTIFIER encoding".into(),
    })
}

pub(super) fn parent_of<'s>(t: &Tlv<'_>, name: &'s str) -> Parent<'s> {
    Parent {
        name,
        at: t.at,
        end: t.end(),
    }
}

/// Walks CertificationRequest's structure; no recursion (the shape is fixed).
pub(super) fn walk(der: &[u8]) -> Result<Layout, Diag> {
    let whole = Parent {
        name: "the decoded data",
        at: 0,
        end: der.len(),
    };
    let mut top = Reader::new(der, 0);
    let cr = take(&mut top, 0x30, "the CertificationRequest SEQUENCE", &whole)?;
    if !top.is_empty() {
        return Err(Diag {
            at: top.position(),
            structure: "the decoded data".into(),
            what: format!(
                "{} bytes after the end of the CertificationRequest",
                top.remaining()
            ),
        });
    }
    let p_cr = parent_of(&cr, "the CertificationRequest");
    let mut r = cr.reader();
    let cri = take(&mut r, 0x30, "certificationRequestInfo", &p_cr)?;
    let p_cri = parent_of(&cri, "certificationRequestInfo");
    let mut ri = cri.reader();
    let version = take(&mut ri, 0x02, "the version INTEGER", &p_cri)?;
    let version_value = der::uint(version.value).ok_or_else(|| Diag {
        at: version.at,
        structure: "the version INTEGER".into(),
        what: "negative or empty".into(),
    })?;
    let name = take(&mut ri, 0x30, "the subject Name", &p_cri)?;
    let p_name = parent_of(&name, "the subject Name");
    let mut nr = name.reader();
    let mut i = 0;
    while !nr.is_empty() {
        i += 1;
        let rdn_name = format!("subject RDN {i}");
        let rdn = take(&mut nr, 0x31, &format!("{rdn_name} (SET)"), &p_name)?;
        let rdn_label = format!("the SET of {rdn_name}");
        let p_rdn = parent_of(&rdn, &rdn_label);
        let mut rr = rdn.reader();
        while !rr.is_empty() {
            let atv_name = format!("the AttributeTypeAndValue of {rdn_name}");
            let atv = take(&mut rr, 0x30, &atv_name, &p_rdn)?;
            let p_atv = parent_of(&atv, &atv_name);
            let mut ar = atv.reader();
            let t = take(
                &mut ar,
                0x06,
                &format!("the attribute type of {rdn_name}"),
                &p_atv,
            )?;
            oid_of(&t, &format!("the attribute type of {rdn_name}"))?;
            take_any(
                &mut ar,
                &format!("the attribute value of {rdn_name}"),
                &p_atv,
            )?;
            end(&ar, &p_atv)?;
        }
    }
    let spki = take(&mut ri, 0x30, "the subjectPublicKeyInfo", &p_cri)?;
    let p_spki = parent_of(&spki, "the subjectPublicKeyInfo");
    let mut sr = spki.reader();
    let alg = take(&mut sr, 0x30, "the public key AlgorithmIdentifier", &p_spki)?;
    let p_alg = parent_of(&alg, "the public key AlgorithmIdentifier");
    let mut alr = alg.reader();
    let alg_oid = take(&mut alr, 0x06, "the public key algorithm OID", &p_alg)?;
    let spki_alg_oid = oid_of(&alg_oid, "the public key algorithm OID")?;
    take(&mut sr, 0x03, "the subjectPublicKey BIT STRING", &p_spki)?;
    end(&sr, &p_spki)?;
    let attrs = take(&mut ri, 0xA0, "the attributes [0]", &p_cri)?;
    let p_attrs = parent_of(&attrs, "the attributes [0]");
    let mut atr = attrs.reader();
    let mut j = 0;
    while !atr.is_empty() {
        j += 1;
        let an = format!("attribute {j}");
        let a = take(&mut atr, 0x30, &an, &p_attrs)?;
        let p_a = parent_of(&a, &an);
        let mut aar = a.reader();
        let t = take(&mut aar, 0x06, &format!("the type of {an}"), &p_a)?;
        oid_of(&t, &an)?;
        take(&mut aar, 0x31, &format!("the values SET of {an}"), &p_a)?;
        end(&aar, &p_a)?;
    }
    end(&ri, &p_cri)?;
    let sig_alg = take(&mut r, 0x30, "the signatureAlgorithm", &p_cr)?;
    let p_sa = parent_of(&sig_alg, "the signatureAlgorithm");
    let mut sar = sig_alg.reader();
    let sa_oid = take(&mut sar, 0x06, "the signature algorithm OID", &p_sa)?;
    let sig_alg_oid = oid_of(&sa_oid, "the signature algorithm OID")?;
    let sig_alg_params = if sar.is_empty() {
        None
    } else {
        let p = take_any(&mut sar, "the signature algorithm parameters", &p_sa)?;
        Some(p.at..p.end())
    };
    end(&sar, &p_sa)?;
    let sig = take(&mut r, 0x03, "the signature BIT STRING", &p_cr)?;
    match sig.value.first() {
        Some(0) => {}
        _ => {
            return Err(Diag {
                at: sig.at,
                structure: "the signature BIT STRING".into(),
                what: "empty, or its unused-bits octet is not 0".into(),
            });
        }
    }
    end(&r, &p_cr)?;
    Ok(Layout {
        cri: cri.at..cri.end(),
        version: version_value,
        subject: name.at..name.end(),
        spki: spki.at..spki.end(),
        spki_alg_oid,
        sig_alg_oid,
        sig_alg_params,
        signature: sig.value_at() + 1..sig.end(),
    })
}

pub(super) fn parse_der(
    der: Vec<u8>,
    source: CsrSource,
    body: Option<&Body>,
) -> Result<Csr, CsrError> {
    // Nesting is bounded before anything recursive (x509-parser) sees the data.
    if let Some(at) = der::too_deep(&der, 0, MAX_DER_DEPTH) {
        return Err(CsrError::Der {
            len: der.len(),
            at,
            structure: "the decoded data".into(),
            what: format!("values nest more than {MAX_DER_DEPTH} levels deep"),
            base64: body.and_then(|b| b.span_for_byte(at)),
            outer_length_consistent: false,
        });
    }
    let layout = walk(&der).map_err(|d| {
        let outer_length_consistent = Reader::new(&der, 0)
            .peek_header()
            .is_ok_and(|(t, hl, len)| t == 0x30 && hl + len == der.len());
        CsrError::Der {
            len: der.len(),
            at: d.at,
            structure: d.structure,
            what: d.what,
            base64: body.and_then(|b| b.span_for_byte(d.at)),
            outer_length_consistent,
        }
    })?;
    let (subject, attributes, requested_sans) = {
        use x509_parser::prelude::FromDer;
        let (_, req) = x509_parser::certification_request::X509CertificationRequest::from_der(&der)
            .map_err(|e| CsrError::Rejected {
                what: e.to_string(),
            })?;
        let info = &req.certification_request_info;
        let mut attributes = Vec::new();
        for a in info.iter_attributes() {
            let oid = a.oid.to_id_string();
            let (name, summary) = match oid.as_str() {
                OID_EXTENSION_REQUEST => (Some("extensionRequest"), String::new()),
                OID_CHALLENGE_PASSWORD => (
                    Some("challengePassword"),
                    "present (value not shown)".to_string(),
                ),
                "1.2.840.113549.1.9.2" => (Some("unstructuredName"), String::new()),
                _ => (None, format!("{} bytes", a.value.len())),
            };
            attributes.push(CsrAttribute { oid, name, summary });
        }
        let mut sans = Vec::new();
        let mut ext_names = Vec::new();
        if let Some(exts) = req.requested_extensions() {
            use x509_parser::extensions::{GeneralName, ParsedExtension};
            for e in exts {
                match e {
                    ParsedExtension::SubjectAlternativeName(san) => {
                        ext_names.push("subjectAltName");
                        for n in &san.general_names {
                            match n {
                                GeneralName::DNSName(d) => sans.push(format!("DNS:{d}")),
                                GeneralName::IPAddress(ip) => sans.push(format!(
                                    "IP:{}",
                                    ip.iter()
                                        .map(|b| b.to_string())
                                        .collect::<Vec<_>>()
                                        .join(".")
                                )),
                                other => sans.push(format!("{other}")),
                            }
                        }
                    }
                    ParsedExtension::KeyUsage(_) => ext_names.push("keyUsage"),
                    ParsedExtension::ExtendedKeyUsage(_) => ext_names.push("extendedKeyUsage"),
                    ParsedExtension::BasicConstraints(_) => ext_names.push("basicConstraints"),
                    _ => ext_names.push("other"),
                }
            }
        }
        for a in attributes.iter_mut() {
            if a.oid == OID_EXTENSION_REQUEST {
                a.summary = format!("requested extensions: {}", ext_names.join(", "));
            }
        }
        (info.subject.to_string(), attributes, sans)
    };
    let signature = der.get(layout.signature.clone()).unwrap_or(&[]).to_vec();
    let signature_algorithm_params = layout
        .sig_alg_params
        .as_ref()
        .and_then(|r| der.get(r.clone()))
        .map(<[u8]>::to_vec);
    Ok(Csr {
        source,
        version: layout.version,
        subject,
        subject_range: layout.subject,
        spki_range: layout.spki,
        public_key_algorithm_oid: layout.spki_alg_oid,
        signature_algorithm_oid: layout.sig_alg_oid,
        signature_algorithm_params,
        signed_range: layout.cri,
        signature,
        attributes,
        requested_sans,
        der,
    })
}
