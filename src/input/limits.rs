//! Every cap on the work untrusted input can cause, with its reason. Each is checked
//! before the work it bounds. [`TABLE`] lists them (with the request and field caps of
//! `request` and `submission`) and is the source of README's caps table: a test fails
//! when the README's table differs from [`readme_table`].

/// Most `-----BEGIN` lines examined in one text; beyond, `PemIssue::TooManyBlocks` is
/// reported (as not checked: the cap is certgate's) and scanning stops. A chain has a
/// handful; 1,000 bounds a pasted bundle.
pub const MAX_BLOCKS: usize = 1000;

/// Longest accepted PEM label (`CERTIFICATE`, `ENCRYPTED PRIVATE KEY`, ...), in bytes:
/// the longest real label has 30, and the search for the closing dashes stops here.
pub const MAX_LABEL_LEN: usize = 64;

/// Most RFC 1421 headers read per PEM block (`Proc-Type`, `DEK-Info` are two); further
/// header lines are ignored.
pub const MAX_HEADERS: usize = 16;

/// Most stray-text entries recorded per text: enough to show the pattern, bounded so a
/// text of one-character lines does not build a list as long as itself.
pub const MAX_STRAY: usize = 64;

/// Largest CSR input (response body, PEM, base64 or DER), in bytes. Real CSRs are a few
/// KB and a response body a few more; `certgate lint` hands files of up to 16 MiB.
pub const MAX_CSR_INPUT_BYTES: usize = 256 * 1024;

/// Certificates larger than this are refused before parsing (real ones are < 10 KB).
pub const MAX_CERT_DER_BYTES: usize = 64 * 1024;

/// Private keys larger than this are refused before parsing: an RSA key of
/// [`MAX_RSA_BITS`] is about 9 KB of DER.
pub const MAX_KEY_DER_BYTES: usize = 64 * 1024;

/// Deepest nesting of constructed DER values (certificates, CSRs, PKCS#12 archives),
/// checked without recursion before any recursive parser (x509-parser) sees the data.
/// Real certificates nest fewer than 12 levels, a PFX about 8.
pub const MAX_DER_DEPTH: usize = 32;

/// DNS names read from one certificate's subjectAltName; a 64 KiB certificate could
/// carry about 30,000, and domain rules compare each with every requested domain.
pub const MAX_SAN_NAMES: usize = 10_000;

/// Certificates of one upload that the chain analysis looks at; the rest are counted.
/// Real chains have 2 to 5; no chain rule applies to a bundle of unrelated certificates.
pub const MAX_CHAIN_CERTS: usize = 64;

/// Signatures verified in one chain analysis; later checks are reported as not checked.
/// Four candidate issuers per certificate on average: a real chain needs one each.
pub const MAX_SIGNATURE_CHECKS: usize = 4 * MAX_CHAIN_CERTS;

/// Self-signature results remembered per process (by certificate SHA-256), so that a
/// hostile corpus cannot grow the memo without bound.
pub const MAX_REMEMBERED_SELF_SIGNATURES: usize = 1024;

/// Largest RSA modulus, in bits, that a private key may have and whose signatures are
/// verified: the cost of a modular exponentiation grows with the cube of the size, and
/// no CA issues keys above 8,192 bits.
pub const MAX_RSA_BITS: usize = 16384;

/// Highest iteration count accepted for any one PKCS#12 key derivation (the MAC key, or
/// one encrypted container), checked in the pre-scan before any derivation runs.
///
/// What trusted implementations do:
/// - `p12-keystore` 0.4 (the reader used here) refuses more than 1,000,000 for the MAC and
///   for every PBKDF2/PKCS#12-KDF derivation, with a generic error; choosing the same cap
///   makes our refusal the one the user sees, with the numbers in it.
/// - Java's `PKCS12KeyStore` refuses more than 5,000,000 (`MAX_ITERATION_COUNT`).
/// - OpenSSL has no cap at all: `openssl pkcs12` spins for hours on 2^31-1.
///
/// Defaults that real archives carry are far below: OpenSSL 1.x/3.x 2048
/// (`PKCS12_DEFAULT_ITER`), Java 12+ / 11.0.12+ / 8u301+ keytool 10,000 (older Java: 50,000
/// for PBE and 100,000 for the MAC), Windows about 2,000. 1,000,000 leaves two orders of
/// magnitude of headroom over every one of them and still bounds one derivation to well
/// under a second.
pub const MAX_ITERATIONS: u64 = 1_000_000;

/// Highest sum of all derivations' iteration counts in one archive (the MAC plus every
/// encrypted container and shrouded key bag; PKCS#12-KDF schemes count twice, for the key
/// and the IV). A legitimate archive has two or three derivations; this stops a file with
/// a thousand bags at 1,000,000 each.
pub const MAX_TOTAL_ITERATIONS: u64 = 4 * MAX_ITERATIONS;

/// Most SafeBags and containers the PKCS#12 pre-scan walks in one archive (real archives
/// hold a handful).
pub const MAX_BAGS: usize = 1024;

#[cfg_attr(not(test), allow(dead_code))] // the README caps table: read by its test
/// How a cap's value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Bytes, written in KiB or MiB when they divide evenly.
    Bytes,
    /// A count, followed by this word (`levels`, `bits`, or nothing).
    Count(&'static str),
}

#[cfg_attr(not(test), allow(dead_code))] // the README caps table: read by its test
/// One cap, as README's table shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// What is bounded.
    pub what: &'static str,
    pub value: u64,
    pub unit: Unit,
    /// The constant's path from the crate root.
    pub name: &'static str,
    /// What happens at the cap, shown after the value.
    pub note: &'static str,
}

#[cfg_attr(not(test), allow(dead_code))] // the README caps table: read by its test
impl Limit {
    /// `16 MiB`, `1,000`, `32 levels`.
    pub fn value_text(&self) -> String {
        const KIB: u64 = 1024;
        match self.unit {
            Unit::Bytes if self.value % (KIB * KIB) == 0 => {
                format!("{} MiB", self.value / (KIB * KIB))
            }
            Unit::Bytes if self.value % KIB == 0 => format!("{} KiB", self.value / KIB),
            Unit::Bytes => format!("{} bytes", thousands(self.value)),
            Unit::Count("") => thousands(self.value),
            Unit::Count(word) => format!("{} {word}", thousands(self.value)),
        }
    }
}

#[cfg_attr(not(test), allow(dead_code))] // the README caps table: read by its test
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg_attr(not(test), allow(dead_code))] // the README caps table: read by its test
const fn bytes(what: &'static str, value: usize, name: &'static str, note: &'static str) -> Limit {
    Limit {
        what,
        value: value as u64,
        unit: Unit::Bytes,
        name,
        note,
    }
}

#[cfg_attr(not(test), allow(dead_code))] // the README caps table: read by its test
const fn count(
    what: &'static str,
    value: u64,
    word: &'static str,
    name: &'static str,
    note: &'static str,
) -> Limit {
    Limit {
        what,
        value,
        unit: Unit::Count(word),
        name,
        note,
    }
}

#[cfg_attr(not(test), allow(dead_code))] // the README caps table: read by its test
/// Every cap, in the order README shows them.
pub const TABLE: &[Limit] = &[
    bytes(
        "request document",
        crate::request::MAX_DOCUMENT_BYTES,
        "request::MAX_DOCUMENT_BYTES",
        "",
    ),
    count(
        "request document nesting",
        crate::request::MAX_DOCUMENT_DEPTH as u64,
        "levels",
        "request::MAX_DOCUMENT_DEPTH",
        "",
    ),
    bytes(
        "one PEM field",
        crate::submission::MAX_PEM_FIELD_BYTES,
        "submission::MAX_PEM_FIELD_BYTES",
        "parsed only up to this (the largest API limit is 2 MiB); a larger field is not checked; it also bounds the PEM scan",
    ),
    count(
        "PEM blocks per field",
        MAX_BLOCKS as u64,
        "",
        "input::limits::MAX_BLOCKS",
        "the blocks after it are not checked",
    ),
    count(
        "PEM label",
        MAX_LABEL_LEN as u64,
        "bytes",
        "input::limits::MAX_LABEL_LEN",
        "",
    ),
    count(
        "PEM headers read per block",
        MAX_HEADERS as u64,
        "",
        "input::limits::MAX_HEADERS",
        "further header lines are ignored",
    ),
    count(
        "stray-text entries per field",
        MAX_STRAY as u64,
        "",
        "input::limits::MAX_STRAY",
        "",
    ),
    bytes(
        "CSR input",
        MAX_CSR_INPUT_BYTES,
        "input::limits::MAX_CSR_INPUT_BYTES",
        "",
    ),
    bytes(
        "one certificate DER",
        MAX_CERT_DER_BYTES,
        "input::limits::MAX_CERT_DER_BYTES",
        "",
    ),
    bytes(
        "one private key DER",
        MAX_KEY_DER_BYTES,
        "input::limits::MAX_KEY_DER_BYTES",
        "",
    ),
    count(
        "DER nesting (certificate, CSR, PKCS#12)",
        MAX_DER_DEPTH as u64,
        "levels",
        "input::limits::MAX_DER_DEPTH",
        "checked without recursion before any recursive parser runs",
    ),
    count(
        "SAN names read per certificate",
        MAX_SAN_NAMES as u64,
        "",
        "input::limits::MAX_SAN_NAMES",
        "",
    ),
    count(
        "certificates analysed per chain",
        MAX_CHAIN_CERTS as u64,
        "",
        "input::limits::MAX_CHAIN_CERTS",
        "",
    ),
    count(
        "signature checks per chain",
        MAX_SIGNATURE_CHECKS as u64,
        "",
        "input::limits::MAX_SIGNATURE_CHECKS",
        "later ones are reported as not checked",
    ),
    count(
        "self-signatures remembered per process",
        MAX_REMEMBERED_SELF_SIGNATURES as u64,
        "",
        "input::limits::MAX_REMEMBERED_SELF_SIGNATURES",
        "",
    ),
    count(
        "RSA modulus (keys and signature checks)",
        MAX_RSA_BITS as u64,
        "bits",
        "input::limits::MAX_RSA_BITS",
        "",
    ),
    count(
        "PKCS#12 iterations per derivation",
        MAX_ITERATIONS,
        "",
        "input::limits::MAX_ITERATIONS",
        "checked in a pre-scan before any key derivation",
    ),
    count(
        "PKCS#12 iterations per archive",
        MAX_TOTAL_ITERATIONS,
        "",
        "input::limits::MAX_TOTAL_ITERATIONS",
        "checked in a pre-scan before any key derivation",
    ),
    count(
        "PKCS#12 bags and containers",
        MAX_BAGS as u64,
        "",
        "input::limits::MAX_BAGS",
        "",
    ),
];

#[cfg_attr(not(test), allow(dead_code))] // the README caps table: read by its test
/// README's caps table, generated from [`TABLE`].
pub fn readme_table() -> String {
    let mut out = String::from("| what | cap | constant |\n|---|---|---|\n");
    for l in TABLE {
        let note = if l.note.is_empty() {
            String::new()
        } else {
            format!(", {}", l.note)
        };
        out.push_str(&format!(
            "| {} | {}{note} | `{}` |\n",
            l.what,
            l.value_text(),
            l.name
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_written_as_readme_writes_them() {
        assert_eq!(TABLE[0].value_text(), "16 MiB");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(64), "64");
        assert_eq!(bytes("x", 1500, "x", "").value_text(), "1,500 bytes");
    }

    #[test]
    fn readme_caps_table_is_generated_from_the_table() {
        let readme = include_str!("../../README.md");
        // README indents the table under a list item by three spaces.
        let indented: String = readme_table()
            .lines()
            .map(|l| format!("   {l}\n"))
            .collect();
        assert!(
            readme.contains(&indented),
            "README's caps table differs from input::limits::TABLE; replace it with:\n{indented}"
        );
    }

    #[test]
    fn every_constant_is_in_the_table() {
        let source = include_str!("limits.rs");
        for line in source.lines() {
            if let Some(rest) = line.strip_prefix("pub const MAX_") {
                let name = rest.split(':').next().unwrap_or("");
                let path = format!("input::limits::MAX_{name}");
                assert!(
                    TABLE.iter().any(|l| l.name == path),
                    "{path} is not in TABLE"
                );
            }
        }
    }
}
