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
//!   Spring-WS's "no endpoint": HTTP 404, empty body.
//! * `xsd`: validation of the base64 `pay_i` payloads against the contract's own XSD.
//! * `import` and `export`: the asynchronous batches (state machines of spec §6.1 and §6.3),
//!   reusing MyPay's row rules from mpd-domain and the file formats from mpd-tracciato.
//! * `payments`: simulated citizens paying, receipts with PSPs, IUR and RT XML.
//! * `notice`: the pagoPA payment notices (`_AVVISI_PDF`), hand-written PDFs drawn on every
//!   core while the import judges its rows.
//! * Annulment of a flow, an operator action in MyPay's web UI, is `POST /sim/flussi/annulla`.
//! * `client`: a minimal HTTP client for `/sim/pay`, so the CLI needs no HTTP stack.
//! * `faults`: seeded fault injection. `tokens`: MyPay's JWTs. `db`: the private SQLite state.
//!
//! Quirks of MyPay that a client must survive are reproduced on purpose (spec "[QUIRK]"):
//! double base64 of `pagati`, literal `null` in `_IUV`, HTTP 200 with a JSON error on upload,
//! a status call answering an error code instead of a state, unordered `_SCARTI` rows.

mod cart;
mod client;
mod config;
mod db;
mod export;
mod faults;
mod http;
mod import;
mod notice;
mod ops;
mod payments;
mod scaduti;
mod single;
mod soap;
mod storico;
mod tokens;
mod xml;
mod xsd;

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::NaiveDateTime;
use rusqlite::Connection;

pub use cart::element_password as carrello_element_password;
pub use client::{remote_annulla, remote_pay};
pub use config::{DEMO_PASSWORD, EnteConfig};
pub use faults::FaultConfig;
pub use payments::{PaidDebt, PayRequest, PayResponse};

/// Errors of the emulator's library API. Messages are for whoever started it.
#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    #[error("profilo dell'Ente {file}: {message}")]
    Config { file: String, message: String },
    #[error("due profili hanno lo stesso codice IPA «{0}»")]
    DuplicateEnte(String),
    #[error("database dell'emulatore: {0}")]
    Db(String),
    #[error("cartella dati {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("impossibile aprire la porta {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Other(String),
}

/// How to start the emulator.
#[derive(Clone, Debug)]
pub struct EmulatorOptions {
    /// Address to listen on (default 127.0.0.1).
    pub bind: IpAddr,
    /// Port; 0 picks a free one.
    pub port: u16,
    /// Where the state (SQLite) and MyBox files live; survives restarts.
    pub data_dir: PathBuf,
    /// The Enti served; empty = the demo Ente.
    pub enti: Vec<EnteConfig>,
    /// How often the import/export batch runs (MyPay: 10 s).
    pub batch_interval: Duration,
    /// Base URL written in WSDL, upload and download URLs (default `http://<bind>:<port>`):
    /// MyPay's `app.be.absolute-path`.
    pub public_url: Option<String>,
    /// Fault injection at start.
    pub faults: FaultConfig,
    /// `pa.codIpaEntePredefinito`, whose password `paaSILChiediPosizioniAperte` checks
    /// (default: the first Ente).
    pub admin_ente: Option<String>,
    /// `app.be.password-mypivot` (MyPivot alignment of the incremental export).
    pub mypivot_password: Option<String>,
    /// Write `_SCARTI` rows in a shuffled order, as MyPay's HashMap does (default true).
    pub shuffle_scarti: bool,
    /// `pa.identificativoIntermediarioPAPassword`: the secret in the per-Ente password of
    /// `paaSILInviaCarrelloDovuti` (default `intermediario-demo`).
    pub intermediario_password: String,
}

impl EmulatorOptions {
    /// Defaults: 127.0.0.1, a free port, the demo Ente, a batch every second.
    pub fn new(data_dir: impl Into<PathBuf>) -> EmulatorOptions {
        EmulatorOptions {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            data_dir: data_dir.into(),
            enti: Vec::new(),
            batch_interval: Duration::from_secs(1),
            public_url: None,
            faults: FaultConfig::default(),
            admin_ente: None,
            mypivot_password: None,
            shuffle_scarti: true,
            intermediario_password: "intermediario-demo".to_string(),
        }
    }
}

/// Shared state of a running emulator.
pub(crate) struct State {
    pub enti: Vec<EnteConfig>,
    pub ente_ids: Vec<i64>,
    pub index: HashMap<String, usize>,
    pub db: Mutex<Connection>,
    pub db_path: PathBuf,
    pub data_dir: PathBuf,
    pub base_url: String,
    pub tokens: tokens::Tokens,
    pub faults: Mutex<faults::Faults>,
    pub options: EmulatorOptions,
}

impl State {
    /// The Ente with this IPA code (exact match, as MyPay) and its `mygovEnteId`.
    pub fn ente(&self, cod_ipa: &str) -> Option<(&EnteConfig, i64)> {
        self.index
            .get(cod_ipa)
            .map(|&i| (&self.enti[i], self.ente_ids[i]))
    }

    pub fn ente_by_id(&self, id: i64) -> Option<&EnteConfig> {
        self.ente_ids
            .iter()
            .position(|&x| x == id)
            .map(|i| &self.enti[i])
    }

    /// MyPay's clock: local wall time, to the second.
    pub fn now(&self) -> NaiveDateTime {
        let t = chrono::Local::now().naive_local();
        t.with_nanosecond_zero()
    }

    /// `<mybox root>/DATA/<codIpa>`.
    pub fn ente_dir(&self, cod_ipa: &str) -> PathBuf {
        self.data_dir.join("DATA").join(cod_ipa)
    }

    pub fn lock_db(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite inconsistent (transactions roll
        // back), so a poisoned lock is still usable.
        self.db.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn faults(&self) -> std::sync::MutexGuard<'_, faults::Faults> {
        self.faults.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Token lifetimes, shortened by fault injection.
    pub fn upload_ttl(&self) -> i64 {
        self.faults().config.token_ttl_secs.unwrap_or(3600)
    }

    pub fn download_ttl(&self) -> i64 {
        self.faults().config.token_ttl_secs.unwrap_or(7200)
    }

    /// When new imports/exports may be picked up (processing "stuck" for N seconds).
    pub fn not_before(&self) -> NaiveDateTime {
        self.now() + chrono::Duration::seconds(self.faults().config.stuck_secs as i64)
    }
}

trait NanoZero {
    fn with_nanosecond_zero(self) -> Self;
}

impl NanoZero for NaiveDateTime {
    fn with_nanosecond_zero(self) -> Self {
        use chrono::Timelike;
        self.with_nanosecond(0).unwrap_or(self)
    }
}

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
        });
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
                    let batch = tokio::spawn(import::batch_loop(state.clone()));
                    let app = http::router(state);
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
        })
    }
}
