//! The machinery behind the list of kinds (`super::kinds`): the [`Kind`] trait, the
//! documentation types, and the `kinds!` macro that turns the list into types, the
//! [`Check`](super::kinds::Check) enum, names, dispatch, loading and documentation.

use serde::Serialize;

use super::{Ctx, Finding};

/// A rule kind: what one rule instance checks at one field.
pub trait Kind {
    fn check(&self, ctx: &Ctx<'_>, at: &str) -> Vec<Finding>;
}

/// One parameter of a kind, as `certgate rules --kinds` documents it.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ParamDoc {
    /// The name as written in a rule file (kebab-case).
    pub name: &'static str,
    /// The TOML type, in words.
    #[serde(rename = "type")]
    pub ty: &'static str,
    pub required: bool,
    /// What an instance without it gets; `None` when required.
    pub default: Option<&'static str>,
    pub meaning: &'static str,
}

/// One kind's documentation: What it checks / Why uploads fail / Parameters.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct KindDoc {
    pub name: &'static str,
    /// Former names, still accepted in rule files.
    pub aliases: &'static [&'static str],
    pub what: &'static str,
    pub why: &'static str,
    pub parameters: &'static [ParamDoc],
}

/// A Rust field type in the words the documentation uses.
pub(crate) const fn type_words(rust: &str) -> &'static str {
    match rust.as_bytes() {
        b"usize" => "non-negative integer",
        b"u32" => "non-negative integer",
        b"NonZeroUsize" => "positive integer",
        b"i64" => "integer",
        b"bool" => "boolean",
        b"String" => "string",
        b"Option < String >" | b"Option<String>" => "string",
        b"Vec < String >" | b"Vec<String>" => "list of strings",
        b"UsageKind" => "one of \"issuer-ca\", \"server-auth\", \"path-len\"",
        b"Option < usize >" | b"Option<usize>" => "non-negative integer",
        b"Vec < key_encoding :: Encoding >" | b"Vec<key_encoding::Encoding>" => {
            "list of \"pkcs1\", \"pkcs8\", \"sec1\""
        }
        b"Vec < usize >" | b"Vec<usize>" => "list of non-negative integers",
        b"CharRanges" => "list of strings (code points U+XXXX or ranges U+XXXX-U+YYYY)",
        _ => "value",
    }
}

/// Snake-case field name to the kebab-case parameter name. Only ever evaluated at
/// compile time (a const in `kinds!`), where an out-of-bounds index is a build error.
#[allow(clippy::indexing_slicing)]
pub(crate) const fn kebab<const N: usize>(snake: &str) -> [u8; N] {
    let b = snake.as_bytes();
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = if b[i] == b'_' { b'-' } else { b[i] };
        i += 1;
    }
    out
}

/// Declares every rule kind once. Each entry is
///
/// ```text
/// "name" [aliases "old-name"] => Type {
///     what: "What it checks.", why: "Why uploads fail.",
///     params { /// meaning
///              name: Type [= "default, in words"], ... },
///     check: |kind, ctx, at| expression,
/// }
/// ```
///
/// A kind without parameters becomes a unit struct and a `Kind {}` variant of `Check`; one
/// with parameters a struct deserialized from the rule's TOML entry (unknown keys
/// refused; an optional parameter takes the type's `Default`) and a tuple variant.
macro_rules! kinds {
    // A kind without parameters.
    (@munch [$($var:tt)*] [$($dyn:tt)*] [$($load:tt)*] [$($ser:tt)*] [$($doc:tt)*] [$($arm:tt)*]
        $name:literal $(aliases $($alias:literal),+)? => $ty:ident {
            what: $what:literal,
            why: $why:literal,
            params {},
            check: |$k:tt, $ctx:ident, $at:ident| $body:expr $(,)?
        }
        $($rest:tt)*
    ) => {
        kinds!(@struct_doc $name, $what, $why, "Parameters: none.",
            #[derive(Debug, Clone, Copy, PartialEq, Eq)]
            pub struct $ty;
        );
        kinds!(@impl_kind $ty, |$k, $ctx, $at| $body);

        impl $ty {
            pub const DOC: $crate::rules::registry::KindDoc = $crate::rules::registry::KindDoc {
                name: $name,
                aliases: &[$($($alias),+)?],
                what: $what,
                why: $why,
                parameters: &[],
            };

            fn load(params: serde_json::Map<String, serde_json::Value>) -> Result<Check, String> {
                match params.keys().next() {
                    None => Ok(Check::$ty {}),
                    Some(k) => Err(format!("unknown field `{k}`: kind `{}` takes no parameters", $name)),
                }
            }
        }

        kinds!(@munch
            [$($var)* #[doc = $what] $ty {},]
            [$($dyn)* Check::$ty {} => &$ty,]
            [$($load)* $name $($(| $alias)+)? => $ty::load,]
            [$($ser)* Check::$ty {} => serde_json::Map::new(),]
            [$($doc)* $ty::DOC,]
            [$($arm)* Check::$ty {} => &$ty::DOC,]
            $($rest)*
        );
    };

    // A kind with parameters.
    (@munch [$($var:tt)*] [$($dyn:tt)*] [$($load:tt)*] [$($ser:tt)*] [$($doc:tt)*] [$($arm:tt)*]
        $name:literal $(aliases $($alias:literal),+)? => $ty:ident {
            what: $what:literal,
            why: $why:literal,
            params { $(
                #[doc = $meaning:literal]
                $field:ident : $fty:ty $(= $default:literal)?
            ),+ $(,)? },
            check: |$k:tt, $ctx:ident, $at:ident| $body:expr $(,)?
        }
        $($rest:tt)*
    ) => {
        kinds!(@struct_doc $name, $what, $why, "Parameters: the fields below (kebab-case in rule files).",
            #[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
            #[serde(deny_unknown_fields, rename_all = "kebab-case")]
            pub struct $ty {
                $(
                    #[doc = $meaning]
                    $(#[serde(default)] #[doc = concat!("Default: ", $default, ".")])?
                    pub $field: $fty,
                )+
            }
        );
        kinds!(@impl_kind $ty, |$k, $ctx, $at| $body);

        impl $ty {
            pub const DOC: $crate::rules::registry::KindDoc = $crate::rules::registry::KindDoc {
                name: $name,
                aliases: &[$($($alias),+)?],
                what: $what,
                why: $why,
                parameters: &[$(
                    $crate::rules::registry::ParamDoc {
                        name: {
                            const S: &str = stringify!($field);
                            const B: [u8; S.len()] = $crate::rules::registry::kebab::<{ S.len() }>(S);
                            match std::str::from_utf8(&B) {
                                Ok(s) => s,
                                Err(_) => S,
                            }
                        },
                        ty: $crate::rules::registry::type_words(stringify!($fty)),
                        required: kinds!(@required $($default)?),
                        default: kinds!(@default $($default)?),
                        meaning: $meaning,
                    },
                )+],
            };

            fn load(params: serde_json::Map<String, serde_json::Value>) -> Result<Check, String> {
                serde_json::from_value(serde_json::Value::Object(params))
                    .map(Check::$ty)
                    .map_err(|e| e.to_string())
            }
        }

        kinds!(@munch
            [$($var)* #[doc = $what] $ty($ty),]
            [$($dyn)* Check::$ty(k) => k,]
            [$($load)* $name $($(| $alias)+)? => $ty::load,]
            [$($ser)* Check::$ty(k) => match serde_json::to_value(k) {
                Ok(serde_json::Value::Object(m)) => m,
                _ => serde_json::Map::new(),
            },]
            [$($doc)* $ty::DOC,]
            [$($arm)* Check::$ty(_) => &$ty::DOC,]
            $($rest)*
        );
    };

    // The parts both entry forms share: the kind struct's documentation, and its `Kind`
    // impl running the entry's `check` expression.
    (@struct_doc $name:literal, $what:literal, $why:literal, $params:literal, $item:item) => {
        #[doc = concat!("`", $name, "`: ", $what)]
        #[doc = ""]
        #[doc = concat!("Why uploads fail: ", $why)]
        #[doc = ""]
        #[doc = $params]
        $item
    };
    (@impl_kind $ty:ident, |$k:tt, $ctx:ident, $at:ident| $body:expr) => {
        impl $crate::rules::registry::Kind for $ty {
            fn check(&self, ctx: &$crate::rules::Ctx<'_>, at: &str) -> Vec<$crate::rules::Finding> {
                let ($k, $ctx, $at) = (self, ctx, at);
                $body
            }
        }
    };

    (@required) => { true };
    (@required $d:literal) => { false };
    (@default) => { None };
    (@default $d:literal) => { Some($d) };

    // Every entry read: the enum, its dispatch, loading and the documentation table.
    (@munch [$($var:tt)*] [$($dyn:tt)*] [$($load:tt)*] [$($ser:tt)*] [$($doc:tt)*] [$($arm:tt)*]) => {
        /// A rule instance's kind and parameters (`kind = "..."` and the kind's keys in
        /// a `[[rule]]` entry).
        #[derive(Debug, Clone, PartialEq)]
        pub enum Check {
            $($var)*
        }

        impl Check {
            /// The kind's documentation (and name).
            pub fn doc(&self) -> &'static $crate::rules::registry::KindDoc {
                match self {
                    $($arm)*
                }
            }

            /// The kind's name as written in the catalogue.
            pub fn kind(&self) -> &'static str {
                self.doc().name
            }

            /// What an instance of the kind checks, in words that fit every instance.
            pub fn what(&self) -> &'static str {
                self.doc().what
            }

            /// The kind, for dispatch.
            pub fn as_kind(&self) -> &dyn $crate::rules::registry::Kind {
                match self {
                    $($dyn)*
                }
            }

            /// The kind's parameters as a table (empty for a kind without any).
            pub fn params(&self) -> serde_json::Map<String, serde_json::Value> {
                match self {
                    $($ser)*
                }
            }

            /// Loads a kind by name (or a former name) from its parameters.
            pub fn load(
                kind: &str,
                params: serde_json::Map<String, serde_json::Value>,
            ) -> Option<Result<Check, String>> {
                let load: fn(serde_json::Map<String, serde_json::Value>) -> Result<Check, String> =
                    match kind {
                        $($load)*
                        _ => return None,
                    };
                Some(load(params))
            }
        }

        /// Every kind's documentation, in the order of the list.
        pub const KINDS: &[$crate::rules::registry::KindDoc] = &[$($doc)*];
    };

    (@munch $($bad:tt)*) => {
        compile_error!("a `kinds!` entry does not have the form the macro documents");
    };

    // The list (last: it would match the inner forms too).
    ($($entries:tt)*) => {
        kinds!(@munch [] [] [] [] [] [] $($entries)*);
    };
}

pub(crate) use kinds;

/// Reads a rule entry's `kind` and the kind's parameters (the keys `RuleInstance` does
/// not take itself); unknown keys and kinds are refused, former kind names accepted.
impl<'de> serde::Deserialize<'de> for super::kinds::Check {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let mut params = serde_json::Map::<String, serde_json::Value>::deserialize(d)?;
        let kind = match params.remove("kind") {
            Some(serde_json::Value::String(k)) => k,
            Some(other) => {
                return Err(D::Error::custom(format!(
                    "`kind` must be a string, not {other}"
                )));
            }
            None => return Err(D::Error::missing_field("kind")),
        };
        match super::kinds::Check::load(&kind, params) {
            Some(Ok(check)) => Ok(check),
            Some(Err(e)) => Err(D::Error::custom(format!("kind `{kind}`: {e}"))),
            None => Err(D::Error::custom(format!(
                "unknown rule kind `{kind}`{}; `certgate rules --kinds` lists them",
                crate::suggest::did_you_mean(
                    &kind,
                    super::kinds::KINDS
                        .iter()
                        .flat_map(|k| std::iter::once(&k.name).chain(k.aliases))
                        .copied()
                )
            ))),
        }
    }
}

impl super::kinds::Check {
    /// This instance with `overrides` merged into its parameters, loaded again so that
    /// each value is checked as the rule file's would be. The error names the parameter
    /// and the type it takes.
    pub fn with_params(
        &self,
        overrides: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<Self, String> {
        let doc = self.doc();
        let known = || {
            if doc.parameters.is_empty() {
                "it has none".to_string()
            } else {
                let names: Vec<&str> = doc.parameters.iter().map(|p| p.name).collect();
                format!("its parameters: {}", names.join(", "))
            }
        };
        let mut merged = self.params();
        for (name, value) in overrides {
            let Some(p) = doc.parameters.iter().find(|p| p.name == name) else {
                return Err(format!(
                    "kind `{}` has no parameter `{name}`{}; {}",
                    doc.name,
                    crate::suggest::did_you_mean(name, doc.parameters.iter().map(|p| p.name)),
                    known()
                ));
            };
            let mut one = self.params();
            one.insert(name.clone(), value.clone());
            if let Some(Err(e)) = Self::load(doc.name, one) {
                let article = if p.ty.starts_with(['a', 'e', 'i', 'o', 'u']) {
                    "an"
                } else {
                    "a"
                };
                return Err(format!(
                    "parameter `{name}` of kind `{}` takes {article} {}, not {value} ({e})",
                    doc.name, p.ty
                ));
            }
            merged.insert(name.clone(), value.clone());
        }
        Self::load(doc.name, merged)
            .unwrap_or_else(|| Err(format!("unknown rule kind `{}`", doc.name)))
    }
}
