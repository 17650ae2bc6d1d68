//! Batch runs: many uploads (from a manifest's `[[upload]]` entries or several documents
//! on the command line) checked in parallel, reported in manifest order.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use certgate::{Profile, Report};
use time::OffsetDateTime;

use super::Fatal;
use super::load::load_request_part;

/// One upload to check: a label, the document path and the (configured) profile.
pub struct Job<'a> {
    pub name: String,
    pub document: String,
    pub profile: &'a Profile,
    /// One document of a YAML stream (several documents in one file are a batch): its
    /// text, preceded by blank lines so that line numbers are the file's.
    pub part: Option<Vec<u8>>,
}

/// A checked upload, with the document text for SARIF regions.
pub struct Outcome {
    pub name: String,
    pub source: String,
    pub text: String,
    pub report: Report,
}

/// Checks every job on up to `workers` threads. The result is in job order whatever
/// the scheduling; a document that cannot be read is that job's `Err`. On a terminal,
/// stderr shows a `checked n/N` counter while a run of several jobs goes on.
pub fn run_all(
    jobs: &[Job<'_>],
    at: OffsetDateTime,
    workers: usize,
    trust: Option<&certgate::Trust>,
) -> Vec<Result<Outcome, Fatal>> {
    let n = jobs.len();
    let slots: Vec<Mutex<Option<Result<Outcome, Fatal>>>> =
        (0..n).map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let progress = n > 1 && std::io::stderr().is_terminal();
    let work = || {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(job) = jobs.get(i) else { break };
            let outcome = check_one(job, at, trust);
            if let Some(Ok(mut slot)) = slots.get(i).map(Mutex::lock) {
                *slot = Some(outcome);
            }
            if progress {
                // Count under the stderr lock: counted and printed in one step, the
                // counter never goes backwards when two workers finish together.
                let mut err = std::io::stderr().lock();
                let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
                let _ = write!(err, "\rcertgate: checked {finished}/{n}");
                let _ = err.flush();
            }
        }
    };
    let workers = workers.clamp(1, n.max(1));
    if workers == 1 {
        // Spawning a thread costs more than one check of a typical request.
        work();
    } else {
        std::thread::scope(|s| {
            for _ in 0..workers {
                s.spawn(work);
            }
        });
    }
    if progress {
        // Clear the counter line so the report starts clean.
        let _ = write!(std::io::stderr(), "\r\x1b[2K");
    }
    slots
        .into_iter()
        .map(|m| {
            m.into_inner()
                .ok()
                .flatten()
                .unwrap_or_else(|| Err(Fatal("a worker thread failed".into())))
        })
        .collect()
}

fn check_one(
    job: &Job<'_>,
    at: OffsetDateTime,
    trust: Option<&certgate::Trust>,
) -> Result<Outcome, Fatal> {
    let (request, source, text) =
        load_request_part(&job.document, job.profile, job.part.as_deref())?;
    let trust = trust.unwrap_or_else(|| certgate::Trust::mozilla());
    let report = certgate::check_with(job.profile, &request, at, trust);
    Ok(Outcome {
        name: job.name.clone(),
        source,
        text,
        report,
    })
}
