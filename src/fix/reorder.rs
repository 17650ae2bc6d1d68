//! Chain reordering for `certgate fix`: the chain analysis's proposed order applied to
//! the certificates as given, with each change named for the log.

use std::fmt;

use crate::input::chain::analyse;
use crate::input::limits::MAX_CHAIN_CERTS;

/// One change made by [`reorder`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The certificates were put in issuer order: `order` lists the input positions in
    /// their new order.
    Reordered { order: Vec<usize> },
    /// An exact duplicate was dropped.
    DroppedDuplicate { index: usize, duplicate_of: usize },
    /// Not on the leaf's path: kept, after the chain.
    KeptUnrelatedAtEnd { index: usize },
    /// Not a parsable certificate: kept, at the end.
    KeptUnparsedAtEnd { index: usize },
    /// Beyond [`MAX_CHAIN_CERTS`] certificates: kept unchanged at the end.
    KeptUnanalysedAtEnd { count: usize },
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::Reordered { order } => {
                let list: Vec<String> = order.iter().map(|i| format!("#{i}")).collect();
                write!(
                    f,
                    "reordered leaf first, each certificate followed by its issuer: {}",
                    list.join(", ")
                )
            }
            Change::DroppedDuplicate {
                index,
                duplicate_of,
            } => {
                write!(
                    f,
                    "dropped certificate #{index}, a duplicate of #{duplicate_of}"
                )
            }
            Change::KeptUnrelatedAtEnd { index } => {
                write!(
                    f,
                    "kept certificate #{index} (not part of the leaf's chain) after the chain"
                )
            }
            Change::KeptUnparsedAtEnd { index } => {
                write!(
                    f,
                    "kept item #{index} (not a parsable certificate) at the end"
                )
            }
            Change::KeptUnanalysedAtEnd { count } => write!(
                f,
                "kept {count} certificate(s) beyond the first {MAX_CHAIN_CERTS} unchanged at the end"
            ),
        }
    }
}

/// Puts certificates in issuer order for a fix: the proposed order (leaf first),
/// exact duplicates dropped, unrelated certificates after the chain, unparsable and
/// unanalysed items kept at the end. Never adds anything.
pub fn reorder<T: AsRef<[u8]> + Clone>(certs: &[T]) -> (Vec<T>, Vec<Change>) {
    let ders: Vec<&[u8]> = certs.iter().map(AsRef::as_ref).collect();
    let analysis = analyse(&ders);
    let mut order: Vec<usize> = analysis.proposed_order.clone();
    order.extend(analysis.unparsed.iter().copied());
    let analysed = certs.len().min(MAX_CHAIN_CERTS);
    order.extend(analysed..certs.len());
    let out: Vec<T> = order
        .iter()
        .filter_map(|i| certs.get(*i).cloned())
        .collect();

    let mut changes = Vec::new();
    let mut kept_order: Vec<usize> = (0..certs.len())
        .filter(|i| !analysis.duplicates.iter().any(|(later, _)| later == i))
        .collect();
    kept_order.retain(|i| order.contains(i));
    if kept_order != order {
        changes.push(Change::Reordered {
            order: order.clone(),
        });
    }
    for (later, first) in &analysis.duplicates {
        changes.push(Change::DroppedDuplicate {
            index: *later,
            duplicate_of: *first,
        });
    }
    for i in &analysis.unrelated {
        changes.push(Change::KeptUnrelatedAtEnd { index: *i });
    }
    for i in &analysis.unparsed {
        changes.push(Change::KeptUnparsedAtEnd { index: *i });
    }
    if analysis.truncated {
        changes.push(Change::KeptUnanalysedAtEnd {
            count: certs.len() - analysed,
        });
    }
    (out, changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! chain_text {
        ($name:literal) => {
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/corpus/chains/",
                $name
            ))
        };
    }

    use crate::input::test_ders as ders;

    #[test]
    fn reorder_fixes_order_and_drops_duplicates() {
        let d = ders(chain_text!("shuffled-5chain.pem"));
        let (out, changes) = reorder(&d);
        assert_eq!(
            out,
            [
                d[1].clone(),
                d[3].clone(),
                d[0].clone(),
                d[4].clone(),
                d[2].clone()
            ]
        );
        assert_eq!(
            changes,
            [Change::Reordered {
                order: vec![1, 3, 0, 4, 2]
            }]
        );
        let refs: Vec<&[u8]> = out.iter().map(Vec::as_slice).collect();
        assert!(analyse(&refs).order_ok);

        let d = ders(chain_text!("duplicate-leaf.pem"));
        let (out, changes) = reorder(&d);
        assert_eq!(out.len(), 4);
        assert_eq!(
            changes,
            [Change::DroppedDuplicate {
                index: 2,
                duplicate_of: 0
            }]
        );

        let d = ders(chain_text!("rsa-4chain-in-order.pem"));
        let (out, changes) = reorder(&d);
        assert_eq!(out, d);
        assert!(changes.is_empty());
    }

    #[test]
    fn beyond_the_cap_is_kept_unchanged_at_the_end() {
        let d = ders(chain_text!("rsa-4chain-reversed.pem"));
        let many: Vec<&[u8]> = std::iter::repeat_n(d[0].as_slice(), MAX_CHAIN_CERTS + 3).collect();
        let (out, changes) = reorder(&many);
        assert_eq!(out.len(), 1 + 3);
        assert!(changes.contains(&Change::KeptUnanalysedAtEnd { count: 3 }));
    }

    #[test]
    fn mutated_inputs_never_panic() {
        for text in [
            chain_text!("shuffled-5chain.pem"),
            chain_text!("sm2-chain.pem"),
            chain_text!("rsa-pss-chain.pem"),
        ] {
            let d = ders(text);
            for (ci, cert) in d.iter().enumerate() {
                for pos in (0..cert.len()).step_by(97) {
                    let mut list = d.clone();
                    if let Some(b) = list[ci].get_mut(pos) {
                        *b ^= 0x5a;
                    }
                    let _ = reorder(&list);
                }
            }
        }
    }
}
