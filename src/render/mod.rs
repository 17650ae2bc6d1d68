//! Renderers: a report in, text out. They never see secrets because diagnostics hold none.

pub mod catalogue;
pub mod human;
pub mod json;
pub mod sarif;
