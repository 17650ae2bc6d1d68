//! `when` conditions: values, lists and prefixes, on both sides of `holds`, `excludes`
//! and their Display.

use super::{Catalogue, Condition, Profile};
use crate::request::Request;

/// A condition as a rule file writes it (`when = { ... }`).
fn when(toml: &str) -> Condition {
    #[derive(serde::Deserialize)]
    struct Rule {
        when: Condition,
    }
    toml::from_str::<Rule>(&format!("when = {toml}"))
        .expect("a condition")
        .when
}

/// A profile whose variable `path` reads `/Path`, `/` when absent (IAM's default).
fn profile() -> Catalogue {
    Catalogue::from_files(&[(
        "p.toml",
        "[profile]\nid = \"p\"\ntitle = \"t\"\nendpoint = \"e\"\nseed = \"s\"\nrevision = \"1\"\n\
         [vars.path]\npointer = \"/Path\"\ndefault = \"/\"\n\
         [[field]]\npointer = \"/Path\"\nmaterial = \"text\"\n",
    )])
    .expect("the profile loads")
}

fn holds(c: &Condition, p: &Profile, request: serde_json::Value) -> bool {
    c.holds(p, &Request::from_value(request).expect("a request"))
}

#[test]
fn a_prefix_holds_for_values_that_begin_with_it_only() {
    let cat = profile();
    let p = cat.profile("p").unwrap();
    let c = when(r#"{ path = { starts-with = "/cloudfront/" } }"#);
    assert!(holds(&c, p, serde_json::json!({"Path": "/cloudfront/"})));
    assert!(holds(
        &c,
        p,
        serde_json::json!({"Path": "/cloudfront/web/"})
    ));
    assert!(!holds(&c, p, serde_json::json!({"Path": "/"})));
    assert!(!holds(&c, p, serde_json::json!({"Path": "/cloudfront"})));
    assert!(!holds(
        &c,
        p,
        serde_json::json!({"Path": "/CloudFront/web/"})
    ));
    assert!(!holds(
        &c,
        p,
        serde_json::json!({"Path": "/web/cloudfront/"})
    ));
    // Absent: the default `/`.
    assert!(!holds(&c, p, serde_json::json!({})));
}

#[test]
fn values_still_hold_for_listed_values_only() {
    let cat = profile();
    let p = cat.profile("p").unwrap();
    let one = when(r#"{ path = "/" }"#);
    assert!(holds(&one, p, serde_json::json!({})));
    assert!(!holds(&one, p, serde_json::json!({"Path": "/a/"})));
    let many = when(r#"{ path = ["/a/", "/b/"] }"#);
    assert!(holds(&many, p, serde_json::json!({"Path": "/b/"})));
    assert!(!holds(&many, p, serde_json::json!({"Path": "/a/b/"})));
}

#[test]
fn excludes_with_prefixes() {
    let cf = when(r#"{ path = { starts-with = "/cloudfront/" } }"#);
    let cf_web = when(r#"{ path = { starts-with = "/cloudfront/web/" } }"#);
    let other = when(r#"{ path = { starts-with = "/elb/" } }"#);
    let root = when(r#"{ path = "/" }"#);
    let listed = when(r#"{ path = ["/", "/cloudfront/x/"] }"#);
    // Prefix against prefix: apart unless one begins with the other.
    assert!(cf.excludes(&other) && other.excludes(&cf));
    assert!(!cf.excludes(&cf_web) && !cf_web.excludes(&cf));
    assert!(!cf.excludes(&cf));
    // Prefix against values: apart unless a value begins with the prefix.
    assert!(cf.excludes(&root) && root.excludes(&cf));
    assert!(!cf.excludes(&listed) && !listed.excludes(&cf));
    assert!(cf_web.excludes(&listed) && listed.excludes(&cf_web));
    // Another variable, or none: nothing excludes.
    let other_var = when(r#"{ type = "server" }"#);
    assert!(!cf.excludes(&other_var) && !other_var.excludes(&cf));
    assert!(!cf.excludes(&Condition::default()));
}

#[test]
fn excludes_with_values_is_unchanged() {
    let a = when(r#"{ content-type = "application/x-pkcs12" }"#);
    let b = when(r#"{ content-type = "application/x-pem-file" }"#);
    let both = when(r#"{ content-type = ["application/x-pkcs12", "application/x-pem-file"] }"#);
    assert!(a.excludes(&b) && b.excludes(&a));
    assert!(!a.excludes(&both) && !both.excludes(&b));
}

#[test]
fn display_names_each_test() {
    assert_eq!(
        when(r#"{ path = { starts-with = "/cloudfront/" } }"#).to_string(),
        "path starts with /cloudfront/"
    );
    assert_eq!(when(r#"{ type = "client" }"#).to_string(), "type = client");
    assert_eq!(
        when(r#"{ type = ["server", "client"], present = "/certificate" }"#).to_string(),
        "type in [server, client] and /certificate is given"
    );
    assert_eq!(Condition::default().to_string(), "always");
}

#[test]
fn a_misspelt_prefix_table_is_refused() {
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Rule {
        when: Condition,
    }
    let err = toml::from_str::<Rule>(r#"when = { path = { startswith = "/cloudfront/" } }"#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("starts-with"), "{err}");
    // The built-in files' JSON form reads the same.
    let c: Condition =
        serde_json::from_str(r#"{"path": {"starts-with": "/cloudfront/"}}"#).unwrap();
    assert_eq!(c.to_string(), "path starts with /cloudfront/");
}
