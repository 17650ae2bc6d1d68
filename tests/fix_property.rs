//! Any permutation of a valid chain, with any duplicates, is put back in the same
//! order by `fix`.

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

fn fixed(certificate: &str) -> String {
    let cat = Catalogue::builtin().unwrap();
    let profile = cat.profile("huawei-elb-v3").unwrap();
    let doc = serde_json::json!({"certificate": {"certificate": certificate}});
    let request = Request::from_value(doc.clone()).unwrap();
    let out = certgate::fix::fix(profile, &doc, &request);
    out.document["certificate"]["certificate"]
        .as_str()
        .unwrap()
        .to_string()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn any_permutation_is_put_back_in_order(
        order in Just((0..4usize).collect::<Vec<_>>()).prop_shuffle(),
        dup in proptest::option::of(0..4usize),
    ) {
        let b = blocks();
        prop_assert_eq!(b.len(), 4);
        let mut shuffled: Vec<String> = order.iter().map(|i| b[*i].clone()).collect();
        if let Some(d) = dup {
            shuffled.push(b[d].clone());
        }
        let canonical = fixed(&b.concat());
        prop_assert_eq!(fixed(&shuffled.concat()), canonical);
    }
}
