//! How an emulator starts ([`EmulatorOptions`]) and the shared state of a running one
//! ([`State`]): the Enti served, the SQLite connection, the token keys, the faults injected,
//! MyPay's clock. Every module serving requests reads it; it knows none of them.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use crate::db::Connection;
use chrono::NaiveDateTime;

use crate::config::EnteConfig;
use crate::faults::{self, FaultConfig};
use crate::piattaforma::{Piattaforma, StatoPu};
use crate::tokens;

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
    /// The platform played (issue 15): MyPay, ARIA's middleware with PU behind, or PU.
    pub piattaforma: Piattaforma,
    /// Tracciato versions refused at upload with `PAA_IMPORT_FILE_VERSIONE_ERR` (ARIA: 1_4 and
    /// 1_5, spec §1.4; PU itself takes 1_0…1_4).
    pub versioni_rifiutate: Vec<String>,
    /// PU fileshare's multipart part of the file (`ingestionFlowFile`).
    pub parte_file: String,
    /// PU fileshare's upload limit in bytes (50 MB).
    pub limite_caricamento_pu: u64,
    /// Operations PU answers with "… non è una operazione supportata" (aria and pu).
    pub operazioni_non_supportate: Vec<String>,
    /// `expires_in` of PU's tokens, in seconds (3600).
    pub pu_expires_in: u64,
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
            piattaforma: Piattaforma::Mypay,
            versioni_rifiutate: Vec::new(),
            parte_file: "ingestionFlowFile".to_string(),
            limite_caricamento_pu: 50 * 1024 * 1024,
            operazioni_non_supportate: vec![
                "paaSILRegistraPagamento".to_string(),
                "paaSILChiediAvvisiPendenti".to_string(),
            ],
            pu_expires_in: 3600,
        }
    }

    /// The same options playing `p`, with its refused versions (ARIA: 1_4 and 1_5).
    pub fn con_piattaforma(mut self, p: Piattaforma) -> EmulatorOptions {
        self.piattaforma = p;
        self.versioni_rifiutate = match p {
            Piattaforma::Aria => vec!["1_4".to_string(), "1_5".to_string()],
            _ => Vec::new(),
        };
        self
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
    /// PU's tokens and waiting requests (aria and pu).
    pub pu: StatoPu,
}

impl State {
    /// The platform played.
    pub fn piattaforma(&self) -> Piattaforma {
        self.options.piattaforma
    }

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

    /// How long a new PU token really works (`pu_token_ttl_secs`, else its `expires_in`).
    pub fn pu_token_ttl(&self) -> Duration {
        let secs = self
            .faults()
            .config
            .pu_token_ttl_secs
            .unwrap_or(self.options.pu_expires_in as i64);
        Duration::from_secs(secs.max(0) as u64)
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
