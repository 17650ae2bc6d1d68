//! Every rule kind, listed once: its name (and former names), what it checks, why an
//! upload breaking it fails, its parameters, and the function that implements it.
//! `kinds!` (in `super::registry`) makes the types, the `Check` enum, the dispatch,
//! the loading and the documentation `certgate rules --kinds` prints from this list.
//!
//! A kind specific to one rule has that rule's name; a generic kind (`max-chars`,
//! `pattern`...) carries no vendor text: the instance's `note`/`describe` does.

use super::allowed_chars::CharRanges;
use super::registry::kinds;
use super::{allowed_chars, certificate_count, chain_excludes_leaf, key_algorithm, max_bytes};
use super::{certs, chain, domains, encoding, esri, fields, keys, pem, pkcs12_cipher, policy};
use super::{key_encoding, pem_line_form};
use crate::catalogue::UsageKind;

kinds! {
    // Fields of the request document.
    "required" => Required {
        what: "A field the API requires is present and non-empty, here or (with `or`) at an \
               alternative place the API takes it from.",
        why: "The API refuses a request without a mandatory parameter (given in none of the \
              places it reads it from).",
        params {
            #[doc = "Alternative JSON Pointers of the same value: the rule holds when the field or any of these is non-empty, and its finding (at the field) names them all."]
            or: Vec<String> = "none (the field alone)",
        },
        check: |k, ctx, at| fields::required(ctx, at, &k.or),
    }
    "forbidden" => Forbidden {
        what: "A field the API refuses in this case is absent.",
        why: "The API refuses the parameter in this combination (the instance's `when` says which).",
        params {},
        check: |_, ctx, at| fields::forbidden(ctx, at),
    }
    "ignored" => Ignored {
        what: "A field the API ignores in this case is absent.",
        why: "Nothing fails: the value is silently dropped, so the upload is not what was meant.",
        params {},
        check: |_, ctx, at| fields::ignored(ctx, at),
    }
    "max-chars" => MaxChars {
        what: "A field is no longer than the API allows.",
        why: "The API refuses a value over its documented length.",
        params {
            #[doc = "The most characters (bytes, for binary material) the API takes."]
            max: usize,
            #[doc = "A sentence added to each finding (e.g. which of two documented limits is enforced)."]
            note: Option<String> = "none",
        },
        check: |k, ctx, at| fields::max_chars(ctx, at, k.max, k.note.as_deref()),
    }
    "one-of" => OneOf {
        what: "A field holds one of the values the API accepts.",
        why: "The API refuses a value outside its documented enumeration.",
        params {
            #[doc = "The accepted values, exact and case-sensitive."]
            values: Vec<String>,
            #[doc = "Whether a JSON boolean is accepted too (form fields sent as `true`/`false`)."]
            accept_booleans: bool = "false",
        },
        check: |k, ctx, at| fields::one_of(ctx, at, &k.values, k.accept_booleans),
    }
    "pattern" => Pattern {
        what: "A field matches the form the API accepts.",
        why: "The API refuses a value outside its documented grammar.",
        params {
            #[doc = "A regular expression (Rust `regex` syntax) the whole value must match; anchor it with ^ and $."]
            pattern: String,
            #[doc = "The fewest characters the value may have."]
            min_chars: usize,
            #[doc = "The most characters the value may have."]
            max_chars: usize,
            #[doc = "The accepted form in words, shown with each finding (the vendor's grammar)."]
            describe: String,
        },
        check: |k, ctx, at| fields::pattern(ctx, at, &k.pattern, k.min_chars, k.max_chars, &k.describe),
    }
    "empty-string" => EmptyString {
        what: "A field is not set to the empty string where that fails.",
        why: "The API refuses an empty value here (the instance's `note` says how).",
        params {
            #[doc = "What the API does with the empty string, added to each finding."]
            note: Option<String> = "none",
        },
        check: |k, ctx, at| fields::empty_string(ctx, at, k.note.as_deref()),
    }
    "field-type" => FieldType {
        what: "Each field has the JSON type the API documents.",
        why: "The API refuses a parameter of the wrong JSON type (a number for a string...).",
        params {},
        check: |_, ctx, at| fields::field_type(ctx, at),
    }
    "field-unknown" => FieldUnknown {
        what: "Every key of the request is a field the API defines.",
        why: "The API refuses or ignores an undefined parameter; a misspelt one leaves the intended one unset.",
        params {},
        check: |_, ctx, _at| fields::unknown(ctx),
    }
    "duplicate-key" => DuplicateKey {
        what: "No key is written twice in one JSON object.",
        why: "JSON parsers disagree on which value wins, so the API may read another value than the one checked.",
        params {},
        check: |_, ctx, _at| fields::duplicate_key(ctx),
    }

    // Lists of domain names.
    "list-count" => ListCount {
        what: "A list field holds no more items than the API allows.",
        why: "The API refuses a list longer than its documented maximum.",
        params {
            #[doc = "The most items the list may hold."]
            max: usize,
        },
        check: |k, ctx, at| domains::count(ctx, at, k.max),
    }
    "domain-label-length" => DomainLabelLength {
        what: "Every label of every domain name is within the length the API allows.",
        why: "The API refuses a domain name with a label over its documented length.",
        params {
            #[doc = "The most characters a label may have."]
            max: usize,
        },
        check: |k, ctx, at| domains::label_length(ctx, at, k.max),
    }
    "domain-label-chars" => DomainLabelChars {
        what: "Domain name labels use only letters, digits and hyphens.",
        why: "The API refuses a domain name outside the host-name grammar.",
        params {},
        check: |_, ctx, at| domains::label_chars(ctx, at),
    }
    "domain-wildcard" => DomainWildcard {
        what: "A wildcard is only the whole leftmost label of a domain name.",
        why: "The API refuses a wildcard anywhere else.",
        params {},
        check: |_, ctx, at| domains::wildcard(ctx, at),
    }
    "domain-idn" => DomainIdn {
        what: "Domain names are ASCII (internationalised names in their A-label form).",
        why: "The API takes host names in ASCII; a Unicode name is refused.",
        params {},
        check: |_, ctx, at| domains::idn(ctx, at),
    }
    "domain-not-in-certificate" aliases "domain-in-certificate" => DomainNotInCertificate {
        what: "Every domain name is covered by the certificate's subjectAltName, matched as \
               clients match it (rustls-webpki's name check: subjectAltName only, RFC 6125 \
               wildcards; certgate's own RFC 6125 matcher for certificates rustls-webpki \
               cannot read).",
        why: "Clients reject the certificate for a name it does not cover.",
        params {
            #[doc = "The pointer of the certificates field whose leaf must cover the names."]
            certificate: String,
        },
        check: |k, ctx, at| domains::in_certificate(ctx, at, &k.certificate),
    }

    // PEM text and the keys in it.
    "pem-malformed" aliases "pem-well-formed" => PemMalformed {
        what: "A PEM field holds well-formed PEM blocks.",
        why: "The API cannot decode malformed PEM and refuses the upload.",
        params {},
        check: |_, ctx, at| pem::well_formed(ctx, at),
    }
    "pem-stray-text" => PemStrayText {
        what: "A PEM field holds nothing but its PEM blocks.",
        why: "Strict PEM readers refuse text around the blocks.",
        params {},
        check: |_, ctx, at| pem::stray_text(ctx, at),
    }
    "der-malformed" aliases "der-well-formed" => DerMalformed {
        what: "Every PEM block decodes to a valid certificate or key.",
        why: "The API cannot parse the certificate or key inside the PEM and refuses the upload.",
        params {},
        check: |_, ctx, at| pem::der_well_formed(ctx, at),
    }
    "key-encrypted" => KeyEncrypted {
        what: "A private key is not passphrase-protected.",
        why: "The API takes no passphrase, so it cannot read an encrypted key.",
        params {},
        check: |_, ctx, at| keys::encrypted(ctx, at),
    }
    "key-mismatch" aliases "key-matches-certificate" => KeyMismatch {
        what: "The private key belongs to the certificate.",
        why: "The API refuses a key pair that does not match, or the server cannot complete a handshake.",
        params {
            #[doc = "The certificates field the key pairs with; default: the key field's `certificate`."]
            certificate: Option<String> = "the key field's `certificate`",
        },
        check: |k, ctx, at| keys::matches_certificate(ctx, at, k.certificate.as_deref()),
    }
    "algorithm-mismatch" aliases "algorithm-matches-key" => AlgorithmMismatch {
        what: "The declared algorithm matches the certificate's key.",
        why: "The API refuses a certificate whose key is not of the declared algorithm.",
        params {
            #[doc = "The certificates field whose leaf key is compared."]
            certificate: String,
            #[doc = "The algorithm the API assumes when the field is absent."]
            default: String,
        },
        check: |k, ctx, at| keys::algorithm_matches(ctx, at, &k.certificate, &k.default),
    }

    // Certificate chains.
    "chain-depth" => ChainDepth {
        what: "A chain holds no more certificates than the API allows.",
        why: "The API refuses a chain longer than its documented maximum.",
        params {
            #[doc = "The most certificates the field may hold."]
            max: usize,
        },
        check: |k, ctx, at| chain::depth(ctx, at, k.max),
    }
    "chain-order" => ChainOrder {
        what: "A chain is ordered leaf first, then each issuer.",
        why: "Servers send the chain as given; clients fail to build a path from a misordered one.",
        params {},
        check: |_, ctx, at| chain::order(ctx, at),
    }
    "chain-broken" => ChainBroken {
        what: "Each certificate of a chain is issued by the next.",
        why: "Clients cannot build a path through a certificate that does not sign the one before.",
        params {},
        check: |_, ctx, at| chain::broken(ctx, at),
    }
    "chain-duplicate" => ChainDuplicate {
        what: "No certificate appears twice.",
        why: "Some APIs and clients refuse a chain that repeats a certificate.",
        params {},
        check: |_, ctx, at| chain::duplicate(ctx, at),
    }
    "chain-incomplete" => ChainIncomplete {
        what: "A server certificate is not sent alone without its issuer, where the client \
               verdict (chain-untrusted) cannot be computed (chains in algorithms \
               rustls-webpki lacks, such as SM2) or is not reported (chain-untrusted \
               disabled).",
        why: "Clients without the missing intermediates cannot verify the server.",
        params {
            #[doc = "A field holding the server certificate's issuers (an API's separate chain field): a server certificate with one is not sent alone."]
            chain: Option<String> = "none",
        },
        check: |k, ctx, at| chain::incomplete(ctx, at, k.chain.as_deref()),
    }
    "chain-root-included" => ChainRootIncluded {
        what: "The chain does not send its self-signed root.",
        why: "Nothing fails outright: the root is wasted bytes in every handshake (some services refuse a chain with its root: the instance's `why` says so).",
        params {
            #[doc = "The field holds only the issuers of a certificate sent in another field (an API's separate chain field): its first certificate is no server certificate, so a self-signed certificate alone in it is a root too."]
            issuers_only: bool = "false",
        },
        check: |k, ctx, at| chain::root_included(ctx, at, k.issuers_only),
    }
    "chain-usage" => ChainUsage {
        what: "Key usage, basic constraints and extended key usage along the chain allow TLS server use.",
        why: "Clients reject a chain whose certificates are not allowed to be used this way.",
        params {
            #[doc = "Which problem this instance reports: issuer-ca (an issuer that is no CA), server-auth (a leaf without serverAuth) or path-len (a pathLenConstraint exceeded)."]
            problem: UsageKind,
        },
        check: |k, ctx, at| chain::usage(ctx, at, k.problem),
    }

    // Certificates.
    "cert-expired" aliases "not-expired" => CertExpired {
        what: "Certificates have not expired at the evaluation time.",
        why: "Clients reject an expired certificate; some APIs refuse to import one.",
        params {},
        check: |_, ctx, at| certs::not_expired(ctx, at),
    }
    "cert-not-yet-valid" aliases "not-yet-valid" => CertNotYetValid {
        what: "Certificates are already valid at the evaluation time.",
        why: "Clients reject a certificate before its notBefore.",
        params {},
        check: |_, ctx, at| certs::not_yet_valid(ctx, at),
    }
    "cert-expiring-soon" aliases "expiring-soon" => CertExpiringSoon {
        what: "Certificates do not expire soon after the evaluation time.",
        why: "Nothing fails yet: clients will reject the certificate once it expires.",
        params {
            #[doc = "How many days before notAfter the rule starts reporting."]
            days: i64,
        },
        check: |k, ctx, at| certs::expiring_soon(ctx, at, k.days),
    }
    "weak-key" => WeakKey {
        what: "Keys are at least the size clients accept.",
        why: "Clients refuse RSA keys under their minimum and small EC curves.",
        params {
            #[doc = "The smallest RSA modulus accepted, in bits."]
            min_rsa_bits: usize,
            #[doc = "The smallest EC curve accepted, in bits."]
            min_ec_bits: usize,
        },
        check: |k, ctx, at| certs::weak_key(ctx, at, k.min_rsa_bits, k.min_ec_bits),
    }
    "weak-signature" => WeakSignature {
        what: "Signatures use a hash clients accept.",
        why: "Clients refuse certificates signed with MD5 or SHA-1.",
        params {},
        check: |_, ctx, at| certs::weak_signature(ctx, at),
    }
    "leaf-is-ca" => LeafIsCa {
        what: "The server certificate is not a CA certificate.",
        why: "Clients refuse a CA certificate as a server's own certificate.",
        params {},
        check: |_, ctx, at| certs::leaf_is_ca(ctx, at),
    }
    "chain-untrusted" => ChainUntrusted {
        what: "Clients build a valid path from the server certificate, through the certificates sent, to their trust anchors.",
        why: "Clients that cannot build a path to a root they trust refuse the connection, whatever the API accepted.",
        params {
            #[doc = "A field holding a comma-separated domain list, each name checked against the validated leaf as clients check it."]
            names: Option<String> = "none",
            #[doc = "A field holding the server certificate's issuers, which the server sends after it (an API's separate chain field)."]
            chain: Option<String> = "none",
            #[doc = "With `chain` given, the API keeps only the first certificate of this field (the chain field replaces the rest)."]
            chain_replaces: bool = "false",
        },
        check: |k, ctx, at| chain::chain_trusted(
            ctx,
            at,
            k.names.as_deref(),
            chain::Sent { chain: k.chain.as_deref(), chain_replaces: k.chain_replaces },
        ),
    }
    "no-san" => NoSan {
        what: "The server certificate has a subjectAltName.",
        why: "Clients ignore the subject's common name and match host names against the subjectAltName only.",
        params {},
        check: |_, ctx, at| certs::no_san(ctx, at),
    }
    "unknown-critical-extension" => UnknownCriticalExtension {
        what: "No certificate has a critical extension clients cannot process.",
        why: "Clients must reject a certificate with a critical extension they do not know.",
        params {},
        check: |_, ctx, at| certs::unknown_critical_extension(ctx, at),
    }
    "cert-issuance" => CertIssuance {
        what: "No certificate breaks an issuance rule of RFC 5280 or the CA/Browser Forum \
               Baseline Requirements that clients do not enforce: a serial number not zero \
               and at most 20 octets, dates before 2050 as UTCTime, key identifiers present \
               and non-critical, a CA's subject non-empty, subjectAltName criticality and \
               name syntax, name constraints only in CAs and never empty, the common name \
               a copy of a subjectAltName entry.",
        why: "Nothing fails today: clients accept these certificates, but strict \
              validators (OpenSSL's X509_STRICT, linters, CT monitors) flag them, and they \
              show a CA that does not follow its profile.",
        params {},
        check: |_, ctx, at| certs::issuance(ctx, at),
    }
    "is-ca" => IsCa {
        what: "The certificate is a CA certificate.",
        why: "A trust anchor or client CA that is no CA cannot verify anything.",
        params {},
        check: |_, ctx, at| certs::is_ca(ctx, at),
    }

    // PKCS#12 archives, passwords and CSRs.
    "pkcs12-required" => Pkcs12Required {
        what: "The file is a PKCS#12 archive.",
        why: "The API imports only PKCS#12 archives here and refuses anything else.",
        params {},
        check: |_, ctx, at| esri::pkcs12_required(ctx, at),
    }
    "pkcs12-password" => Pkcs12Password {
        what: "The password opens the PKCS#12 archive.",
        why: "The API cannot open the archive with a wrong password and refuses the import.",
        params {},
        check: |_, ctx, at| esri::pkcs12_password(ctx, at),
    }
    "pkcs12-iterations" => Pkcs12Iterations {
        what: "The archive's key-derivation iteration counts are within what readers accept.",
        why: "Readers refuse or time out on iteration counts outside their bounds.",
        params {},
        check: |_, ctx, at| esri::pkcs12_iterations(ctx, at),
    }
    "pkcs12-protection" => Pkcs12Protection {
        what: "The archive's encryption and MAC algorithms are ones readers accept.",
        why: "Readers refuse archives protected with algorithms they do not implement.",
        params {},
        check: |_, ctx, at| esri::pkcs12_protection(ctx, at),
    }
    "pkcs12-host-compat" => Pkcs12HostCompat {
        what: "The archive's encryption is readable by the hosts that import it.",
        why: "The host's own PKCS#12 reader refuses protections it does not know.",
        params {
            #[doc = "What reads the archive on the target, a sentence shown with each finding (none: the host is unknown, as under certgate lint)."]
            host: Option<String> = "none",
            #[doc = "Protection codes the host is known to read (aes-encryption, sha256-mac, no-mac, clear-key, weak-pbe), then not reported."]
            reads: Vec<String> = "none",
        },
        check: |k, ctx, at| esri::pkcs12_host_compat(ctx, at, k.host.as_deref(), &k.reads),
    }
    "pkcs12-private-key-entry" => Pkcs12PrivateKeyEntry {
        what: "The archive holds a private key with its certificate.",
        why: "A server certificate cannot be used without its private key; the import is refused.",
        params {},
        check: |_, ctx, at| esri::pkcs12_private_key_entry(ctx, at),
    }
    "pkcs12-single-key" => Pkcs12SingleKey {
        what: "The archive holds exactly one private key.",
        why: "The importer cannot tell which of several keys is the server's.",
        params {},
        check: |_, ctx, at| esri::pkcs12_single_key(ctx, at),
    }
    "pkcs12-key-match" => Pkcs12KeyMatch {
        what: "The archive's private key belongs to its certificate.",
        why: "A key that does not match the certificate cannot complete a handshake; the import is refused.",
        params {},
        check: |_, ctx, at| esri::pkcs12_key_match(ctx, at),
    }
    "password-multipart" => PasswordMultipart {
        what: "The password survives multipart form encoding unchanged.",
        why: "A password the form encoding alters no longer opens the archive on the server.",
        params {},
        check: |_, ctx, at| esri::password_multipart(ctx, at),
    }
    "issuer-import-required" aliases "issuer-import" => IssuerImportRequired {
        what: "The issuers of a CA-signed certificate are imported with it or before it.",
        why: "The host refuses a certificate whose issuers it does not have.",
        params {
            #[doc = "The request field that imports the chain with the certificate."]
            chain_param: String,
        },
        check: |k, ctx, at| esri::issuer_import(ctx, at, &k.chain_param),
    }
    "csr-malformed" aliases "csr-well-formed" => CsrMalformed {
        what: "The file is a PKCS#10 certificate signing request.",
        why: "A CA refuses a request it cannot parse.",
        params {},
        check: |_, ctx, at| esri::csr_well_formed(ctx, at),
    }
    "csr-signature" => CsrSignature {
        what: "The request's self-signature verifies.",
        why: "A CA refuses a request whose signature does not verify.",
        params {},
        check: |_, ctx, at| esri::csr_signature(ctx, at),
    }

    // `certgate lint`'s own findings and organisations' policies.
    "lint-file" => LintFile {
        what: "A file given to lint is readable and recognised.",
        why: "A file lint cannot read or recognise was not checked at all.",
        params {},
        // `certgate lint` reports these itself (`crate::lint`); in a request there is
        // nothing to check.
        check: |_, _ctx, _at| Vec::new(),
    }
    "max-validity-days" => MaxValidityDays {
        what: "Certificates are valid for no longer than the policy allows.",
        why: "Your policy's limit (clients also refuse server certificates valid for more than 398 days).",
        params {
            #[doc = "The longest validity period allowed, notBefore to notAfter, in days."]
            days: i64,
        },
        check: |k, ctx, at| policy::max_validity_days(ctx, at, k.days),
    }
    // PEM line layout and private-key encodings (targets stricter than RFC 7468).
    "pem-line-form" => PemLineForm {
        what: "A PEM field's lines have the layout the API's parser requires: base64 lines of a fixed width, no spaces, no blank lines, no carriage returns (the instance chooses which).",
        why: "Some APIs parse PEM line by line and refuse text that other PEM readers accept (76-column base64, CRLF, a blank line between certificates, trailing spaces).",
        params {
            #[doc = "Base64 lines must have exactly this many characters, but the last (1 to this many)."]
            line_length: Option<usize> = "none (any width)",
            #[doc = "No space or tab at the end of a line."]
            no_trailing_space: bool = "false",
            #[doc = "No space or tab in a block (at the start or end of a line, or inside its base64)."]
            no_spaces: bool = "false",
            #[doc = "No blank line inside a block or between two blocks."]
            no_blank_lines: bool = "false",
            #[doc = "No carriage return (CRLF line breaks)."]
            no_cr: bool = "false",
        },
        check: |k, ctx, at| pem_line_form::check(ctx, at, pem_line_form::Form {
            line_length: k.line_length,
            no_trailing_space: k.no_trailing_space,
            no_spaces: k.no_spaces,
            no_blank_lines: k.no_blank_lines,
            no_cr: k.no_cr,
        }),
    }
    "key-encoding" => KeyEncoding {
        what: "A private key is in one of the encodings the API parses (PKCS#1, PKCS#8, SEC1).",
        why: "The API's key parser reads only some encodings and refuses the key in another, although it is the same key.",
        params {
            #[doc = "The encodings accepted: pkcs1 (RSA PRIVATE KEY), pkcs8 (PRIVATE KEY), sec1 (EC PRIVATE KEY)."]
            allowed: Vec<key_encoding::Encoding>,
        },
        check: |k, ctx, at| key_encoding::check(ctx, at, &k.allowed),
    }

    // Encoded fields.
    "base64-field" => Base64Field {
        what: "A base64 field decodes (standard alphabet, padding, line breaks skipped) to what the field should carry.",
        why: "The API refuses a value that is not base64; one that decodes to the wrong thing (encoded twice, DER instead of PEM, a PEM body without its BEGIN/END lines) is stored, and what reads it fails.",
        params {
            #[doc = "The problems this instance reports: not-base64, double-encoded, der-not-pem, pem-without-armour (none: every one)."]
            problems: Vec<String> = "every problem",
        },
        check: |k, ctx, at| encoding::base64_field(ctx, at, &k.problems),
    }
    "pkcs12-cipher" => Pkcs12Cipher {
        what: "Each encrypted container of the archive (private key, certificates) uses a cipher the host reads.",
        why: "A host that cannot decrypt a container refuses the archive, often reporting a wrong password.",
        params {
            #[doc = "The cipher codes the host reads: 3des, 2des, rc2-128, rc2-40, rc4-128, rc4-40 (PKCS#12 PBE), aes (PBES2 with AES), pbes2 (PBES2 with another cipher)."]
            allowed: Vec<String>,
        },
        check: |k, ctx, at| pkcs12_cipher::pkcs12_cipher(ctx, at, &k.allowed),
    }

    // Limits of byte length, characters, certificate counts and key types.
    "max-bytes" => MaxBytes {
        what: "A field is no longer in bytes (UTF-8, as sent) than the API allows.",
        why: "The API refuses a value over its documented size in bytes, which non-ASCII text reaches before its length in characters.",
        params {
            #[doc = "The most bytes the API takes."]
            max: usize,
            #[doc = "A sentence added to each finding."]
            note: Option<String> = "none",
        },
        check: |k, ctx, at| max_bytes::max_bytes(ctx, at, k.max, k.note.as_deref()),
    }
    "allowed-chars" => AllowedChars {
        what: "A field holds only characters of the code-point ranges the API accepts.",
        why: "The API validates the field against a character class and refuses any other character (a byte order mark, a typographic quote).",
        params {
            #[doc = "The accepted code points: `U+0009` for one, `U+0020-U+00FF` for an inclusive range."]
            ranges: CharRanges,
            #[doc = "The accepted characters in words, shown with each finding."]
            describe: String,
        },
        check: |k, ctx, at| allowed_chars::allowed_chars(ctx, at, &k.ranges, &k.describe),
    }
    "certificate-count" => CertificateCount {
        what: "A certificates field holds as many certificates as the API takes there.",
        why: "The API refuses a field with more (or fewer) certificates than it documents, such as a whole chain where it takes one certificate.",
        params {
            #[doc = "The fewest certificates the field may hold (a field with none is the PEM rules' finding)."]
            min: usize = "0",
            #[doc = "The most certificates the field may hold."]
            max: usize,
        },
        check: |k, ctx, at| certificate_count::certificate_count(ctx, at, k.min, k.max),
    }
    "chain-excludes-leaf" => ChainExcludesLeaf {
        what: "A chain field does not hold the server certificate given in its own field.",
        why: "The API refuses a chain that repeats the certificate it certifies.",
        params {
            #[doc = "The pointer of the field holding the server certificate."]
            certificate: String,
        },
        check: |k, ctx, at| chain_excludes_leaf::chain_excludes_leaf(ctx, at, &k.certificate),
    }
    "key-algorithm" => KeyAlgorithm {
        what: "The server certificate's key (or a private key) is of an algorithm and size the API lists.",
        why: "The API refuses a key type, RSA size or curve it does not support.",
        params {
            #[doc = "The RSA modulus sizes accepted, in bits (empty: no RSA key, unless rsa-any-size)."]
            rsa_bits: Vec<usize> = "none",
            #[doc = "Any RSA key is accepted, whatever its size (an API that names the algorithm only)."]
            rsa_any_size: bool = "false",
            #[doc = "The EC curves accepted, by name (P-256, P-384, P-521; empty: no EC key)."]
            ec_curves: Vec<String> = "none",
            #[doc = "A sentence added to each finding."]
            note: Option<String> = "none",
            #[doc = "Who takes only these keys, as the finding names it (a service that uses what the API stores, e.g. CloudFront)."]
            service: Option<String> = "the API",
        },
        check: |k, ctx, at| key_algorithm::key_algorithm(
            ctx,
            at,
            &key_algorithm::Accepted {
                rsa_any_size: k.rsa_any_size,
                rsa_bits: &k.rsa_bits,
                ec_curves: &k.ec_curves,
                service: k.service.as_deref().unwrap_or("the API"),
            },
            k.note.as_deref(),
        ),
    }
}

/// `[thresholds]` keys of certgate.toml, kept for compatibility: each sets one
/// parameter of every instance of one kind (`[parameters]` is the general form).
pub const THRESHOLDS: &[Threshold] = &[
    Threshold {
        key: "expiring-soon-days",
        kind: "cert-expiring-soon",
        param: "days",
    },
    Threshold {
        key: "min-rsa-bits",
        kind: "weak-key",
        param: "min-rsa-bits",
    },
];

/// One `[thresholds]` key and the parameter it sets.
#[derive(Debug, Clone, Copy)]
pub struct Threshold {
    pub key: &'static str,
    pub kind: &'static str,
    pub param: &'static str,
}
