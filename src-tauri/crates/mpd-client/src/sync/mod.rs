//! The sync engine: the clerk's prepared work reaches MyPay and MyPay's results come back into
//! the local store, whatever the network does.
//!
//! * [`submit`]: each built flow through authorise → upload → poll → results → store, every
//!   step persisted before and after it (mpd-store `mypay`), so a crash or a kill at any
//!   point resumes without uploading twice and without losing a result;
//! * [`receipts`]: export booked (incremental with a stored cursor, or a date range), polled,
//!   downloaded and upserted (idempotent on IUV + IUR), matched to debts;
//! * [`rendicontazione`]: the FdR of the days since the last complete one, listed, fetched
//!   and stored (resumable day by day);
//! * [`counter`]: one debt created, changed or cancelled through `paaSILImportaDovuto`, and a
//!   payer's open positions.
//!
//! Only steps safe to repeat are retried ([`Engine::retry`]): SOAP reads and bookings, a
//! download, an upload whose outcome MyPay was first asked about. Time comes from
//! [`Desk::now`]; pauses go through [`Engine::sleep`]. Progress and each persisted step are
//! reported as [`Event`]s (the CLI draws a bar, the window receives them, the crash test
//! counts them).

pub mod counter;
pub mod receipts;
pub mod rendicontazione;
pub mod submit;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use mpd_core::Desk;
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde::Serialize;

use crate::api::{ApiError, MyPayClient};
use crate::config::SyncConfig;

/// Something the UI may show. `Step` is emitted right after a state was persisted.
#[derive(Clone, Debug, Serialize, ts_rs::TS)]
#[serde(tag = "tipo", rename_all = "snake_case")]
#[ts(rename = "EventoSync")]
pub enum Event {
    /// A persisted step of a flow or an export (`oggetto` is the flow name or the export id).
    Step {
        oggetto: String,
        passo: &'static str,
    },
    /// Transfer or reading progress.
    Progress {
        fase: &'static str,
        byte: u64,
        totale: Option<u64>,
        righe: u64,
    },
    /// A step failed and will be repeated after a pause.
    Retry {
        operazione: &'static str,
        tentativo: u32,
        errore: String,
        attesa_ms: u64,
    },
    /// Waiting for MyPay to process (state as MyPay calls it).
    Waiting { oggetto: String, stato: String },
}

/// Errors of the engine. Italian; never the password.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error(transparent)]
    Core(#[from] mpd_core::CoreError),
    #[error(transparent)]
    Store(#[from] mpd_store::StoreError),
    #[error("{0}")]
    Invalid(String),
    /// A debt sent to MyPay at the counter got no answer: it is saved as a draft and MyPay may
    /// have created it, so it must be looked up before trying again.
    #[error("{0}")]
    EsitoIncerto(String),
    /// A change MyPay did not take now: it is saved and goes with the next submission.
    #[error("{0}")]
    Rinviato(String),
    /// The clerk cancelled: every step done so far is saved, the next run resumes from there.
    #[error(
        "operazione annullata: quanto già fatto è salvato e la prossima volta riprende da dove si è fermata"
    )]
    Annullato,
}

pub type Result<T, E = SyncError> = std::result::Result<T, E>;

/// The engine over one desk and one client.
pub struct Engine<'a> {
    pub(crate) desk: &'a mut Desk,
    pub(crate) client: &'a MyPayClient,
    pub(crate) config: SyncConfig,
    events: &'a mut dyn FnMut(&Event),
    rng: StdRng,
    sleeper: Box<dyn FnMut(Duration) + 'a>,
    cancel: Option<Arc<AtomicBool>>,
}

impl<'a> Engine<'a> {
    pub fn new(
        desk: &'a mut Desk,
        client: &'a MyPayClient,
        config: SyncConfig,
        events: &'a mut dyn FnMut(&Event),
    ) -> Engine<'a> {
        let rng = match config.seed {
            Some(s) => StdRng::seed_from_u64(s),
            None => StdRng::from_os_rng(),
        };
        Engine {
            desk,
            client,
            config,
            events,
            rng,
            sleeper: Box::new(std::thread::sleep),
            cancel: None,
        }
    }

    /// Replaces the real pause (tests that count time rather than wait).
    pub fn with_sleeper(mut self, f: impl FnMut(Duration) + 'a) -> Self {
        self.sleeper = Box::new(f);
        self
    }

    /// A flag the caller may set (from another thread) to stop the work: it is checked between
    /// persisted steps and during pauses, so cancelling never leaves a half-done step behind.
    pub fn with_cancel(mut self, flag: Arc<AtomicBool>) -> Self {
        self.cancel = Some(flag);
        self
    }

    /// True once the cancel flag is set.
    pub fn cancelled(&self) -> bool {
        self.cancel
            .as_ref()
            .is_some_and(|f| f.load(Ordering::SeqCst))
    }

    /// `Err(Annullato)` once the cancel flag is set.
    pub(crate) fn check_cancel(&self) -> Result<()> {
        if self.cancelled() {
            Err(SyncError::Annullato)
        } else {
            Ok(())
        }
    }

    pub fn desk(&mut self) -> &mut Desk {
        self.desk
    }

    pub(crate) fn emit(&mut self, e: Event) {
        (self.events)(&e);
    }

    pub(crate) fn step(&mut self, oggetto: &str, passo: &'static str) {
        tracing::info!(oggetto, passo, "passo salvato");
        self.emit(Event::Step {
            oggetto: oggetto.to_string(),
            passo,
        });
    }

    /// Pauses; with a cancel flag, in short slices that end early once it is set.
    pub(crate) fn sleep(&mut self, d: Duration) {
        if self.cancel.is_none() {
            return (self.sleeper)(d);
        }
        const SLICE: Duration = Duration::from_millis(100);
        let mut left = d;
        while !left.is_zero() && !self.cancelled() {
            let step = left.min(SLICE);
            (self.sleeper)(step);
            left -= step;
        }
    }

    /// Pause before retry `n` of a failed step.
    pub(crate) fn backoff(&mut self, operazione: &'static str, n: u32, e: &ApiError) {
        let d = self.config.retry.delay(n, &mut self.rng);
        tracing::warn!(operazione, tentativo = n, errore = %e, "nuovo tentativo");
        self.emit(Event::Retry {
            operazione,
            tentativo: n,
            errore: e.to_string(),
            attesa_ms: d.as_millis() as u64,
        });
        self.sleep(d);
    }

    /// Pause before poll `n`.
    pub(crate) fn poll_pause(&mut self, n: u32) -> Duration {
        let d = self.config.poll.delay(n, &mut self.rng);
        self.sleep(d);
        d
    }

    /// Runs `f` until it succeeds or fails for good: transient errors are retried with
    /// backoff up to `retry.max_attempts`. Only for calls that are safe to repeat.
    pub(crate) fn retry<T>(
        &mut self,
        operazione: &'static str,
        mut f: impl FnMut(&MyPayClient) -> std::result::Result<T, ApiError>,
    ) -> std::result::Result<T, ApiError> {
        self.retry_emitting(operazione, |client, _| f(client))
    }

    /// As [`Engine::retry`], `f` also given the event sink, so that an operation reports its
    /// progress while it runs (a download's bytes), not after it.
    pub(crate) fn retry_emitting<T>(
        &mut self,
        operazione: &'static str,
        mut f: impl FnMut(&MyPayClient, &mut dyn FnMut(&Event)) -> std::result::Result<T, ApiError>,
    ) -> std::result::Result<T, ApiError> {
        let mut n = 0;
        loop {
            match f(self.client, &mut *self.events) {
                Ok(v) => return Ok(v),
                Err(e) if e.is_transient() && n < self.config.retry.max_attempts => {
                    n += 1;
                    self.backoff(operazione, n, &e);
                }
                Err(e) => return Err(e),
            }
        }
    }
}

/// What `sync` did.
#[derive(Debug, Serialize)]
pub struct SyncReport {
    /// Flows built from debts waiting to go (queued while offline, or new).
    pub flussi_creati: usize,
    pub flussi: Vec<submit::FlowOutcome>,
    pub ricevute: Option<receipts::ReceiptsOutcome>,
    /// Errors that stopped a part (the rest went on); the work stays queued.
    pub errori: Vec<String>,
}

impl Engine<'_> {
    /// `sync`: build flows for debts waiting to go, submit every unfinished flow, then
    /// download new receipts (incremental). A failing part does not stop the others.
    pub fn sync(&mut self, version: mpd_domain::Version) -> Result<SyncReport> {
        self.sync_piano(&mpd_core::flows::PianoVersioni::unica(version))
    }

    /// `sync` with the versions of a [`mpd_core::flows::PianoVersioni`] (the platform's).
    pub fn sync_piano(&mut self, piano: &mpd_core::flows::PianoVersioni) -> Result<SyncReport> {
        let mut report = SyncReport {
            flussi_creati: 0,
            flussi: Vec::new(),
            ricevute: None,
            errori: Vec::new(),
        };
        // Flows already built but not finished go first: their debts are `sent`, so building
        // cannot pick them up again.
        let built = self.desk.build_flows_piano(piano, None, None)?;
        report.flussi_creati = built.flussi.len();
        for f in self.desk.flussi_in_corso()? {
            match self.submit_flow(f.id) {
                Ok(o) => report.flussi.push(o),
                Err(SyncError::Annullato) => return Err(SyncError::Annullato),
                Err(e) => report.errori.push(format!("flusso {}: {e}", f.nome)),
            }
        }
        match self.download_receipts(&receipts::Window::Incremental) {
            Ok(r) => report.ricevute = Some(r),
            Err(e) => report.errori.push(format!("ricevute: {e}")),
        }
        Ok(report)
    }
}

/// A local folder or file of the engine that cannot be written: the path and the Italian cause
/// for the clerk, the system's words in the log.
pub(crate) fn io_locale(path: &std::path::Path, e: &std::io::Error) -> SyncError {
    tracing::warn!(percorso = %path.display(), dettaglio = %e, "file locale non scrivibile");
    SyncError::Invalid(format!(
        "{}: {}",
        path.display(),
        mpd_domain::testo::causa_io(e)
    ))
}
