//! A faithful emulator of MyPay's Ente interface (spec `mypay-ente-interface.md`), so that a
//! client proven against it works against the real service, and a clerk can try the app
//! without the regional service.
//!
//! Map of the crate:
//!
//! * [`Emulator::start`] binds (a free port by default), opens the state under `data_dir` and
//!   serves on its own thread and runtime; the [`EmulatorHandle`] stops it when dropped.
//! * `http`: the routes: SOAP at `/ws/**`, the WSDL and XSD, MyBox upload and download
//!   (`/public/mybox/…`), the pretend-citizen payment page (`/public/landing/…`), and the
//!   emulator's own `/sim/…` endpoints (payments, faults, status), outside MyPay's paths.
//! * `xml` and `soap`: the emulator's own namespace-aware reading of SOAP 1.1 envelopes and
//!   writing of responses (never the client's serializer, so the two cannot share a bug).
//! * `ops`: the operations of `PagamentiTelematiciDovutiPagati`, with MyPay's fault codes;
//!   `single` (single-debt operations), `cart` (multi-Ente carts), `scaduti` (export of expired
//!   debts), `storico` (payment history). `paaSILChiediAvvisiPendenti`, which MyPay lacks, gets
//!   Spring-WS's "no endpoint": HTTP 404, empty body. What they all share (failures, the
//!   Ente/password check, download URLs) is `operation`; XSD booleans and dates, `datatypes`.
//! * `xsd`: validation of the base64 `pay_i` payloads against the contract's own XSD.
//! * `import` and `export`: the asynchronous batches (state machines of spec §6.1 and §6.3),
//!   reusing MyPay's row rules from mpd-domain and the file formats from mpd-tracciato.
//! * `payments`: simulated citizens paying, receipts with PSPs, IUR and RT XML.
//! * `rendicontazione`: the FdR the PSPs would send for those payments, built as MyPay's
//!   scheduler acquires them, with anomalies planted on request; `flussi_spc`: MyPay's
//!   `PagamentiTelematiciFlussiSPC` serving them; `tesoreria`: the treasury journal (CSV, OPI)
//!   of the same settlements (`mypay-desk sim tesoreria`).
//! * `notice`: the pagoPA payment notices (`_AVVISI_PDF`), hand-written PDFs drawn on every
//!   core while the import judges its rows.
//! * Annulment of a flow, an operator action in MyPay's web UI, is `POST /sim/flussi/annulla`.
//! * `client`: a minimal HTTP client for `/sim/pay`, so the CLI needs no HTTP stack.
//! * `faults`: seeded fault injection. `tokens`: MyPay's JWTs. `db`: the private SQLite state.
//! * `state`: the options and the shared state of a running emulator; `error`: its errors.
//! * `piattaforma`: the platform played (issue 15): MyPay, ARIA's middleware with PU behind
//!   (`--platform aria`), or PU's own SOAP with OAuth2 and its fileshare (`--platform pu`).
//!
//! Layers, bottom-up: a module names only modules of the lines above its own, never a sibling
//! that names it back (checked by `mpd_emulator_has_no_module_cycles` in `tests/e2e/tidy.rs`).
//!
//! 1. `error`, `xml`, `datatypes`, `tokens`, `faults`, `notice`, `piattaforma`: leaves, they
//!    name no module.
//! 2. `config`, `db` (on `error`); `soap` (on `xml`).
//! 3. `state` (on `config`, `faults`, `tokens`); `xsd` (on `soap`, `datatypes`).
//! 4. `operation`, `payments`, `export`: on `state` and the data below; `rendicontazione` (on
//!    `payments`' amounts).
//! 5. `single`, `scaduti`, `flussi_spc` (SOAP operations, on `operation`); `tesoreria` (on
//!    `rendicontazione`); `client` (on `payments`' and `tesoreria`'s types).
//! 6. `cart`, `storico` (on `single`); `import`, the batch (on `export`, `scaduti`).
//! 7. `ops`: the dispatch of every SOAP operation, and the flow operations.
//! 8. `http`: the routes; then this root, which starts the server and the batch.
//!
//! Quirks of MyPay that a client must survive are reproduced on purpose (spec "[QUIRK]"):
//! double base64 of `pagati`, literal `null` in `_IUV`, HTTP 200 with a JSON error on upload,
//! a status call answering an error code instead of a state, unordered `_SCARTI` rows.

mod cart;
mod client;
mod config;
mod datatypes;
mod db;
mod error;
mod export;
mod faults;
mod flussi_spc;
mod http;
mod import;
mod notice;
mod operation;
mod ops;
mod payments;
mod piattaforma;
mod rendicontazione;
mod scaduti;
mod single;
mod soap;
mod state;
mod storico;
mod tesoreria;
mod tokens;
mod xml;
mod xsd;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use cart::element_password as carrello_element_password;
pub use client::{remote_annulla, remote_pay, remote_tesoreria};
pub use config::{DEMO_CLIENT_SECRET, DEMO_PASSWORD, EnteConfig, client_id_predefinito};
pub use error::EmulatorError;
pub use faults::{AnomaliaFdr, FaultConfig};
pub use payments::{FamigliaPagata, Modo, PaidDebt, PayRequest, PayResponse};
pub use piattaforma::Piattaforma;
pub use rendicontazione::CF_ALTRO_ENTE;
pub use state::EmulatorOptions;
use state::State;
pub use tesoreria::{AnomaliaTesoreria, RichiestaTesoreria, Tesoreria, VoceAnomala};

/// The emulator.
pub struct Emulator;

/// A running emulator. Dropping it stops the server and waits for its thread.
pub struct EmulatorHandle {
    /// `http://127.0.0.1:<port>` (or the configured public URL).
    pub base_url: String,
    pub addr: SocketAddr,
    /// The Enti served (the demo Ente when none was configured).
    pub enti: Vec<EnteConfig>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    state: Arc<State>,
}

impl EmulatorHandle {
    /// URL of the SOAP endpoint (`…/ws/pa/`).
    pub fn soap_url(&self) -> String {
        format!("{}/ws/pa/", self.base_url)
    }

    /// URL of the WSDL.
    pub fn wsdl_url(&self) -> String {
        format!(
            "{}/ws/pa/PagamentiTelematiciDovutiPagati.wsdl",
            self.base_url
        )
    }

    /// Every PU Bearer token issued so far (pu only; none elsewhere), expired ones too: the
    /// secret scan looks for them in what the client wrote.
    pub fn token_pu_rilasciati(&self) -> Vec<String> {
        self.state.pu.rilasciati()
    }

    /// Blocks until the server stops (it stops only when the handle is dropped elsewhere or
    /// the process ends: used by `mypay-desk sim`).
    pub fn wait(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }

    /// Stops the server and waits for it.
    pub fn stop(mut self) {
        self.stop_inner();
    }

    fn stop_inner(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for EmulatorHandle {
    fn drop(&mut self) {
        self.stop_inner();
    }
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> EmulatorError + '_ {
    move |source| EmulatorError::Io {
        path: path.display().to_string(),
        source,
    }
}

impl Emulator {
    /// Opens the state, binds and starts serving on a thread of its own.
    pub fn start(options: EmulatorOptions) -> Result<EmulatorHandle, EmulatorError> {
        let mut options = options;
        if options.enti.is_empty() {
            options.enti.push(EnteConfig::demo());
        }
        std::fs::create_dir_all(&options.data_dir).map_err(io_err(&options.data_dir))?;
        let db_path = options.data_dir.join("emulator.sqlite");
        let conn = db::open(&db_path)?;
        let secret = db::meta_or_init(&conn, "jwt_secret", || {
            use rand::Rng;
            let bytes: [u8; 48] = rand::rng().random();
            bytes.iter().map(|b| format!("{b:02x}")).collect()
        })?;
        let mut index = HashMap::new();
        let mut ente_ids = Vec::new();
        for (i, e) in options.enti.iter().enumerate() {
            if index.insert(e.ente.codice_ipa.clone(), i).is_some() {
                return Err(EmulatorError::DuplicateEnte(e.ente.codice_ipa.clone()));
            }
            ente_ids.push(db::ente_id(&conn, &e.ente.codice_ipa)?);
        }
        let addr = SocketAddr::new(options.bind, options.port);
        let listener = std::net::TcpListener::bind(addr).map_err(|source| EmulatorError::Bind {
            addr: addr.to_string(),
            source,
        })?;
        listener
            .set_nonblocking(true)
            .map_err(|e| EmulatorError::Other(e.to_string()))?;
        let addr = listener
            .local_addr()
            .map_err(|e| EmulatorError::Other(e.to_string()))?;
        let base_url = options
            .public_url
            .clone()
            .map(|u| u.trim_end_matches('/').to_string())
            .unwrap_or_else(|| format!("http://{addr}"));
        let state = Arc::new(State {
            enti: options.enti.clone(),
            ente_ids,
            index,
            db: Mutex::new(conn),
            db_path,
            data_dir: options.data_dir.clone(),
            base_url: base_url.clone(),
            tokens: tokens::Tokens::new(secret.as_bytes()),
            faults: Mutex::new(faults::Faults::new(options.faults.clone())),
            options: options.clone(),
            pu: piattaforma::StatoPu::default(),
        });
        let state_server = state.clone();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("mpd-emulator")
            .enable_all()
            .build()
            .map_err(|e| EmulatorError::Other(e.to_string()))?;
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("mpd-emulator".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let listener = match tokio::net::TcpListener::from_std(listener) {
                        Ok(l) => l,
                        Err(e) => {
                            tracing::error!("emulatore: {e}");
                            return;
                        }
                    };
                    let batch = tokio::spawn(import::batch_loop(state_server.clone()));
                    let app = http::router(state_server);
                    tokio::select! {
                        r = axum::serve(listener, app) => {
                            if let Err(e) = r { tracing::error!("emulatore: {e}"); }
                        }
                        _ = rx => {}
                    }
                    batch.abort();
                });
                runtime.shutdown_timeout(Duration::from_secs(2));
            })
            .map_err(|e| EmulatorError::Other(e.to_string()))?;
        Ok(EmulatorHandle {
            base_url,
            addr,
            enti: options.enti,
            shutdown: Some(tx),
            thread: Some(thread),
            state,
        })
    }
}
