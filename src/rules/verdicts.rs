//! The client verdicts of one run, each computed once: `chain-untrusted` reports the
//! verdict on a chain and `chain-incomplete` asks whether it could be computed, so
//! without this the rustls-webpki path validation of a server certificate sent alone
//! ran twice per check.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use crate::trust::Verdict;

/// Path verdicts by the certificates sent (DER, in the order sent). The run's trust
/// anchors and evaluation time are fixed for a context, so the chain is the whole key.
#[derive(Default)]
pub struct Verdicts<'a> {
    paths: RefCell<BTreeMap<Vec<&'a [u8]>, Verdict>>,
    /// How many path validations ran (tests hold it to one per distinct chain).
    validations: Cell<usize>,
}

impl<'a> Verdicts<'a> {
    /// The verdict on `chain`, from `validate` the first time `chain` is asked about.
    pub fn path(
        &self,
        chain: Vec<&'a [u8]>,
        validate: impl FnOnce(&[&[u8]]) -> Verdict,
    ) -> Verdict {
        if let Some(known) = self.paths.borrow().get(&chain) {
            return known.clone();
        }
        let verdict = validate(&chain);
        self.validations
            .set(self.validations.get().saturating_add(1));
        self.paths.borrow_mut().insert(chain, verdict.clone());
        verdict
    }

    /// How many path validations ran so far.
    #[cfg(test)]
    pub fn validations(&self) -> usize {
        self.validations.get()
    }
}
