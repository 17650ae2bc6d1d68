//! Any permutation of a valid chain, with any duplicates, is put back in the same
//! order by `fix`; and writing the fix into the document's text, however it is spaced,
//! changes that value and no other byte.

use certgate::Format;
use certgate::{Catalogue, Request};
use proptest::prelude::*;

const CHAIN: &str = include_str!("../corpus/chains/rsa-4chain-in-order.pem");

fn blocks() -> Vec<String> {
    CHAIN
        .split_inclusive("-----END CERTIFICATE-----\n")
        .filter(|b| b.contains("BEGIN"))
        .map(|b| b.trim_start().to_string())
        .collect()
}

fn fix_of(doc: &serde_json::Value) -> certgate::Fixed {
    let cat = Catalogue::builtin().unwrap();
    let profile = cat.profile("huawei-elb-v3").unwrap();
    let request = Request::from_value(doc.clone()).unwrap();
    certgate::fix(profile, doc, &request)
}

fn fixed(certificate: &str) -> String {
    let doc = serde_json::json!({"certificate": {"certificate": certificate}});
    fix_of(&doc).document["certificate"]["certificate"]
        .as_str()
        .unwrap()
        .to_string()
}

fn shuffled(order: &[usize], dup: Option<usize>) -> String {
    let b = blocks();
    let mut out: Vec<String> = order.iter().map(|i| b[*i].clone()).collect();
    if let Some(d) = dup {
        out.push(b[d].clone());
    }
    out.concat()
}

/// JSON whitespace: what may stand between tokens.
fn ws() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![Just(" "), Just("\t"), Just("\n"), Just("\r\n")],
        0..3,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn any_permutation_is_put_back_in_order(
        order in Just((0..4usize).collect::<Vec<_>>()).prop_shuffle(),
        dup in proptest::option::of(0..4usize),
    ) {
        prop_assert_eq!(blocks().len(), 4);
        let canonical = fixed(&blocks().concat());
        prop_assert_eq!(fixed(&shuffled(&order, dup)), canonical);
    }

    #[test]
    fn only_the_fixed_value_changes_in_the_text(
        order in Just((0..4usize).collect::<Vec<_>>()).prop_shuffle(),
        spaces in proptest::collection::vec(ws(), 12),
        name_first in any::<bool>(),
    ) {
        prop_assume!(order != vec![0, 1, 2, 3]);
        let s = &spaces;
        let chain = serde_json::to_string(&shuffled(&order, None)).unwrap();
        let name = format!(r#""name"{}:{}"web""#, s[0], s[1]);
        let (before, after) = if name_first {
            (format!("{name}{},{}", s[2], s[3]), String::new())
        } else {
            (String::new(), format!("{},{}{name}", s[2], s[3]))
        };
        let head = format!(
            r#"{}{{{}"certificate"{}:{}{{{}{before}"certificate"{}:{}"#,
            s[4], s[5], s[6], s[7], s[8], s[9], s[10]
        );
        let tail = format!("{after}{}}}{}}}{}", s[11], s[0], s[1]);
        let text = format!("{head}{chain}{tail}");
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        let out = fix_of(&doc);
        prop_assert_eq!(out.edits.len(), 1);
        let written = certgate::apply_edits(&text, Format::Json, &out.edits).unwrap();
        let new = serde_json::to_string(&out.edits[0].value).unwrap();
        prop_assert_eq!(&written, &format!("{head}{new}{tail}"));
        let reread: serde_json::Value = serde_json::from_str(&written).unwrap();
        prop_assert_eq!(reread, out.document);
    }
}
