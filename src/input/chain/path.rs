//! Building paths: issuers followed from the leaf, signatures checked within a budget,
//! and the analysis assembled (order, gaps, cycles, root, key usage along the path).

use super::*;

/// Memoised, budgeted signature checks over node positions.
pub(super) struct Checker<'n, 'a> {
    pub(super) nodes: &'n [Node<'a>],
    pub(super) memo: BTreeMap<(usize, usize), Verification>,
    pub(super) checks: usize,
}

impl Checker<'_, '_> {
    fn verify(&mut self, child: usize, issuer: usize) -> Verification {
        if let Some(v) = self.memo.get(&(child, issuer)) {
            return v.clone();
        }
        let v = match (self.nodes.get(child), self.nodes.get(issuer)) {
            (Some(c), Some(i)) if self.checks < MAX_SIGNATURE_CHECKS => {
                // Counted whether or not the result was remembered, so that the budget,
                // and with it the output, never depends on what ran before.
                self.checks += 1;
                if child == issuer {
                    self_signature(c)
                } else {
                    verify_issued_by(c.cert, i.cert)
                }
            }
            (Some(c), Some(_)) => Verification::Unsupported {
                algorithm: c.summary.signature_algorithm.clone(),
                reason: format!(
                    "not checked: more than {MAX_SIGNATURE_CHECKS} signature checks in one chain"
                ),
            },
            _ => Verification::Invalid,
        };
        self.memo.insert((child, issuer), v.clone());
        v
    }
}

/// Self-signatures already checked in this process, by SHA-256 of the certificate.
/// The same root (or self-signed CA) comes with every chain of a directory, and its
/// self-signature depends on its bytes alone; bounded so a hostile corpus cannot grow it.
pub(super) static SELF_SIGNATURES: std::sync::Mutex<BTreeMap<String, Verification>> =
    std::sync::Mutex::new(BTreeMap::new());

pub(super) fn self_signature(node: &Node) -> Verification {
    let key = &node.summary.fingerprint_sha256;
    if let Ok(memo) = SELF_SIGNATURES.lock() {
        if let Some(v) = memo.get(key) {
            return v.clone();
        }
    }
    // Verified outside the lock: other workers are not held up by it.
    let v = verify_issued_by(node.cert, node.cert);
    if let Ok(mut memo) = SELF_SIGNATURES.lock() {
        if memo.len() < MAX_REMEMBERED_SELF_SIGNATURES {
            memo.insert(key.clone(), v.clone());
        }
    }
    v
}

pub(super) fn verification_rank(v: &Verification) -> u8 {
    match v {
        Verification::Valid | Verification::ValidSm2EmptyId => 0,
        Verification::Unsupported { .. } => 1,
        Verification::Invalid => 2,
    }
}

/// How a path ends (positions are into `nodes`).
pub(super) enum End {
    Root,
    Gap,
    Cycle(usize),
    /// The issuer is already in an earlier segment.
    Joins,
}

/// `match_issuer` for every (child, issuer) pair of nodes, computed once: path building
/// asks the same questions many times (quadratic per segment picked).
pub(super) struct IssuerMatrix {
    n: usize,
    cells: Vec<Option<MatchedBy>>,
}

impl IssuerMatrix {
    fn new(nodes: &[Node]) -> IssuerMatrix {
        let cells = nodes
            .iter()
            .flat_map(|c| nodes.iter().map(move |i| match_issuer(c, i)))
            .collect();
        IssuerMatrix {
            n: nodes.len(),
            cells,
        }
    }

    /// Can node `issuer` have issued node `child`?
    fn get(&self, child: usize, issuer: usize) -> Option<MatchedBy> {
        if child >= self.n || issuer >= self.n {
            return None;
        }
        self.cells
            .get(child.saturating_mul(self.n).saturating_add(issuer))
            .copied()
            .flatten()
    }
}

/// Picks the bottom of a path among `pool` (node positions, given order): a
/// certificate that issues no other certificate of the pool, non-CA first.
pub(super) fn pick_bottom(nodes: &[Node], matrix: &IssuerMatrix, pool: &[usize]) -> Option<usize> {
    let issues_none: Vec<usize> = pool
        .iter()
        .copied()
        .filter(|&x| !pool.iter().any(|&y| matrix.get(y, x).is_some()))
        .collect();
    let non_ca = |x: &usize| nodes.get(*x).is_some_and(|n| !n.summary.is_ca);
    issues_none
        .iter()
        .copied()
        .find(non_ca)
        .or_else(|| issues_none.first().copied())
        .or_else(|| pool.iter().copied().find(non_ca))
        .or_else(|| pool.first().copied())
}

/// Follows issuers from `start` within `available`; returns the path (positions) and
/// how it ends.
pub(super) fn build_path(
    checker: &mut Checker,
    matrix: &IssuerMatrix,
    start: usize,
    available: &BTreeSet<usize>,
    all: &[usize],
) -> (Vec<usize>, End) {
    let nodes = checker.nodes;
    let mut path = vec![start];
    let mut on_path: BTreeSet<usize> = BTreeSet::from([start]);
    let mut current = start;
    // Each step adds a new node, so this terminates within `all.len()` steps.
    loop {
        let Some(node) = nodes.get(current) else {
            return (path, End::Gap);
        };
        if node.summary.is_self_issued {
            let own = checker.verify(current, current);
            if !own.is_invalid() {
                return (path, End::Root);
            }
        }
        let candidates: Vec<(usize, MatchedBy)> = all
            .iter()
            .filter_map(|&p| matrix.get(current, p).map(|m| (p, m)))
            .collect();
        if candidates.is_empty() {
            return (
                path,
                if node.summary.is_self_issued {
                    End::Root
                } else {
                    End::Gap
                },
            );
        }
        let open: Vec<(usize, MatchedBy)> = candidates
            .iter()
            .copied()
            .filter(|(p, _)| available.contains(p) && !on_path.contains(p))
            .collect();
        if open.is_empty() {
            if let Some((p, _)) = candidates.iter().find(|(p, _)| on_path.contains(p)) {
                return (path, End::Cycle(*p));
            }
            return (path, End::Joins);
        }
        let best = if open.len() == 1 {
            open.first().map(|(p, _)| *p)
        } else {
            let mut ranked: Vec<(u8, MatchedBy, usize)> = open
                .iter()
                .map(|&(p, m)| (verification_rank(&checker.verify(current, p)), m, p))
                .collect();
            ranked.sort();
            ranked.first().map(|(_, _, p)| *p)
        };
        let Some(next) = best else {
            return (path, End::Gap);
        };
        path.push(next);
        on_path.insert(next);
        current = next;
    }
}

/// Analyses the certificates of one upload, in the order given (DER each; items that
/// do not parse are listed in `unparsed` and otherwise ignored).
pub fn analyse(certs: &[&[u8]]) -> ChainAnalysis {
    let parsed: Vec<Option<X509Certificate<'_>>> = certs
        .iter()
        .take(MAX_CHAIN_CERTS)
        .map(|der| X509Certificate::from_der(der).ok().map(|(_, c)| c))
        .collect();
    let given: Vec<Option<Parsed<'_>>> = parsed
        .iter()
        .map(|c| c.as_ref().map(|cert| Parsed { cert, info: None }))
        .collect();
    analyse_parsed(&given, certs.len())
}

/// [`analyse`] for certificates the caller has parsed already (`None`: an item that did
/// not parse). `total_given` counts every item given, also those beyond
/// [`MAX_CHAIN_CERTS`], which the caller may leave out of `certs`.
pub fn analyse_parsed(certs: &[Option<Parsed<'_>>], total_given: usize) -> ChainAnalysis {
    let truncated = total_given > MAX_CHAIN_CERTS;
    let mut unparsed = Vec::new();
    let mut nodes: Vec<Node> = Vec::new();
    for (idx, item) in certs.iter().take(MAX_CHAIN_CERTS).enumerate() {
        match item {
            Some(p) => nodes.push(build_node(idx, p.cert, p.info)),
            None => unparsed.push(idx),
        }
    }

    // Duplicates (byte-identical), by position in `nodes`.
    let mut duplicates = Vec::new();
    let mut unique: Vec<usize> = Vec::new();
    for (p, n) in nodes.iter().enumerate() {
        let first = unique.iter().copied().find(|&q| {
            nodes
                .get(q)
                .is_some_and(|m| m.summary.fingerprint_sha256 == n.summary.fingerprint_sha256)
        });
        match first.and_then(|q| nodes.get(q)) {
            Some(m) => duplicates.push((n.idx, m.idx)),
            None => unique.push(p),
        }
    }

    let matrix = IssuerMatrix::new(&nodes);
    let mut checker = Checker {
        nodes: &nodes,
        memo: BTreeMap::new(),
        checks: 0,
    };
    let mut available: BTreeSet<usize> = unique.iter().copied().collect();
    let mut segments_pos: Vec<(Vec<usize>, End)> = Vec::new();
    while !available.is_empty() {
        let pool: Vec<usize> = unique
            .iter()
            .copied()
            .filter(|p| available.contains(p))
            .collect();
        let Some(bottom) = pick_bottom(&nodes, &matrix, &pool) else {
            break;
        };
        let (path, end) = build_path(&mut checker, &matrix, bottom, &available, &unique);
        for p in &path {
            available.remove(p);
        }
        segments_pos.push((path, end));
    }

    let idx_of = |p: usize| nodes.get(p).map(|n| n.idx).unwrap_or(usize::MAX);
    let subject_of = |p: usize| nodes.get(p).map(|n| n.summary.label()).unwrap_or_default();

    let mut links = Vec::new();
    let mut gaps = Vec::new();
    let mut cycles = Vec::new();
    let mut root_included = None;
    let mut root_signature = None;
    let mut ends_at_root = false;
    let segment_count = segments_pos.len();
    for (s, (path, end)) in segments_pos.iter().enumerate() {
        for pair in path.windows(2) {
            let (Some(&c), Some(&i)) = (pair.first(), pair.get(1)) else {
                continue;
            };
            let (Some(cn), Some(inode)) = (nodes.get(c), nodes.get(i)) else {
                continue;
            };
            links.push(Link {
                child: cn.idx,
                issuer: inode.idx,
                child_subject: cn.summary.label(),
                issuer_subject: inode.summary.label(),
                verification: checker.verify(c, i),
                matched_by: matrix.get(c, i).unwrap_or(MatchedBy::NameOnly),
            });
        }
        let Some(&top) = path.last() else { continue };
        match end {
            End::Root => {
                if s == 0 {
                    let v = checker.verify(top, top);
                    ends_at_root = !v.is_invalid();
                    root_signature = Some(v);
                    if path.len() > 1 {
                        root_included = Some(idx_of(top));
                    }
                }
            }
            End::Gap => {
                if let Some(n) = nodes.get(top) {
                    gaps.push(Gap {
                        cert: n.idx,
                        cert_subject: n.summary.label(),
                        issuer: n.summary.issuer.clone(),
                        aki: n.summary.aki.clone(),
                        on_leaf_path: s == 0,
                        more_certs_present: s == 0 && segment_count > 1,
                    });
                }
            }
            End::Cycle(p) => cycles.push(Cycle {
                cert: idx_of(top),
                cert_subject: subject_of(top),
                issuer: idx_of(*p),
                issuer_subject: subject_of(*p),
            }),
            End::Joins => {}
        }
    }

    // Key usage along the chain.
    let mut problems = BTreeSet::new();
    for (path, _) in &segments_pos {
        for &i in path.iter().skip(1) {
            let Some(n) = nodes.get(i) else { continue };
            let exempt_v1_root = n.v1 && n.summary.is_self_issued;
            if !n.summary.is_ca && !exempt_v1_root {
                problems.insert(UsageProblem::IssuerNotCa {
                    cert: n.idx,
                    subject: n.summary.label(),
                });
            }
            if n.key_cert_sign == Some(false) {
                problems.insert(UsageProblem::IssuerWithoutKeyCertSign {
                    cert: n.idx,
                    subject: n.summary.label(),
                });
            }
        }
    }
    let leaf_unparsed = unparsed.first() == Some(&0);
    if let Some((leaf_path, _)) = segments_pos.first() {
        let leaf = leaf_path.first().and_then(|p| nodes.get(*p));
        if let Some(leaf) = leaf.filter(|_| !leaf_unparsed) {
            if let Some((false, ekus)) = &leaf.eku {
                problems.insert(UsageProblem::LeafWithoutServerAuth {
                    cert: leaf.idx,
                    subject: leaf.summary.label(),
                    ekus: ekus.clone(),
                });
            }
            if leaf.key_cert_sign == Some(true) && !leaf.summary.is_ca {
                problems.insert(UsageProblem::KeyCertSignWithoutCa {
                    cert: leaf.idx,
                    subject: leaf.summary.label(),
                });
            }
        }
        // A CA's EKU constrains the path below it for Go and OpenSSL (RFC 5280 leaves
        // it to applications; CA/B Forum intermediates carry serverAuth).
        for n in leaf_path.iter().skip(1).filter_map(|p| nodes.get(*p)) {
            if let Some((false, ekus)) = &n.eku {
                problems.insert(UsageProblem::IssuerWithoutServerAuth {
                    cert: n.idx,
                    subject: n.summary.label(),
                    ekus: ekus.clone(),
                });
            }
        }
        // Intermediates below position k: non-self-issued certificates at 1..k.
        let mut below = 0usize;
        for (k, &p) in leaf_path.iter().enumerate() {
            let Some(n) = nodes.get(p) else { continue };
            if k > 0 {
                if let Some(limit) = n.path_len {
                    if below > limit as usize {
                        problems.insert(UsageProblem::PathLenExceeded {
                            cert: n.idx,
                            subject: n.summary.label(),
                            limit,
                            actual: below,
                        });
                    }
                }
                if !n.summary.is_self_issued {
                    below += 1;
                }
            }
        }
    }
    let mut usage_problems: Vec<UsageProblem> = problems.into_iter().collect();
    usage_problems.sort_by_key(|p| p.cert());

    let segments: Vec<Vec<usize>> = segments_pos
        .iter()
        .map(|(path, _)| path.iter().map(|p| idx_of(*p)).collect())
        .collect();
    let proposed_order: Vec<usize> = segments.iter().flatten().copied().collect();
    let unrelated: Vec<usize> = segments.iter().skip(1).flatten().copied().collect();
    let given_unique: Vec<usize> = unique.iter().map(|p| idx_of(*p)).collect();
    let order_ok = given_unique == proposed_order;
    // The nodes are done with: their summaries move out rather than being copied.
    let given: Vec<CertSummary> = nodes.into_iter().map(|n| n.summary).collect();

    ChainAnalysis {
        given,
        unparsed,
        leaf_unparsed,
        proposed_order,
        segments,
        order_ok,
        duplicates,
        links,
        gaps,
        cycles,
        root_included,
        root_signature,
        ends_at_root,
        usage_problems,
        unrelated,
        truncated,
        total_given,
    }
}
