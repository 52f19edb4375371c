//! The application layer of MyPay Desk: every operation a clerk can do, one plain function each,
//! under both front ends.
//!
//! The window (a Tauri command) and the CLI (a clap handler) are thin adapters: they parse their
//! input, make one call here and render the typed result. Rules live here once, so the two front
//! ends cannot disagree. An operation takes narrow inputs, a [`Lavoro`] (progress sink and cancel
//! flag) where the work is long, and returns a typed result or an [`Errore`] with a [`Codice`].
//!
//! [`App`] is the per-process handle: the database path, the foreground desk (opened on first
//! use), the connection to MyPay (opened on first use, with the demo emulator), and the lock that
//! lets one remote job run at a time. Long work opens a desk of its own on the same database
//! (SQLite WAL), so the foreground one stays free for the window.
//!
//! Modules, bottom-up: [`errore`] (codes), [`connessione`] (MyPay, credentials, demo), then one
//! module per area of the window: [`flussi`], [`adesione`] and [`contributo`], [`riconciliazione`], [`tesoreria`]
//! (FdR in, quadratura, the treasury journal, each payment's state up to incassato; issue 16).

pub mod adesione;
pub mod archivio;
pub mod avvisi;
pub mod connessione;
pub mod contabilita;
pub mod contributo;
pub mod dovuti;
pub mod errore;
pub mod flussi;
pub mod home;
pub mod importa;
pub mod impostazioni;
pub mod posizioni;
pub mod rapporto;
pub mod ricevute;
pub mod riconciliazione;
pub mod sportello;
pub mod tesoreria;

#[cfg(test)]
mod bindings;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use mpd_client::credentials::CredentialStore;
use mpd_core::Desk;

pub use connessione::{ConnectOptions, Connection};
pub use errore::{Codice, Errore, Risultato};
/// A password that never prints, as the front ends hand it over.
pub use mpd_client::credentials::{ENV_PASSWORD, Secret};
pub use mpd_client::piattaforma::{ENV_CLIENT_ID, ENV_CLIENT_SECRET};
/// The window's one background thread for the index upkeep (see [`home::stato_indici`]).
pub use mpd_core::manutenzione::Manutentore;

/// The per-process application handle shared by every operation.
pub struct App {
    db: Option<PathBuf>,
    opzioni: ConnectOptions,
    credenziali: &'static (dyn CredentialStore + Send + Sync),
    ora: Option<chrono::DateTime<chrono::Utc>>,
    desk: Mutex<Option<Desk>>,
    connessione: Mutex<Option<Arc<Connection>>>,
    lavoro: Mutex<()>,
    /// The archive's key once found ([`archivio`]), zeroed when dropped.
    chiave: Mutex<Option<mpd_core::Chiave>>,
    /// The private temporary folder of the files the window received as bytes
    /// (`importa::carica`): a random name, made on first use, removed with the `App` or by
    /// [`App::chiudi`].
    caricati: Mutex<Option<mpd_privato::CartellaTemporanea>>,
}

impl App {
    /// An application on the database at `db` (`None`: the per-user default), connecting to
    /// MyPay as `opzioni` say, with passwords from `credenziali` (the OS keyring in the product,
    /// a memory store in tests). Nothing is opened until first used.
    pub fn new(
        db: Option<PathBuf>,
        opzioni: ConnectOptions,
        credenziali: &'static (dyn CredentialStore + Send + Sync),
    ) -> App {
        App {
            db,
            opzioni,
            credenziali,
            ora: None,
            desk: Mutex::new(None),
            connessione: Mutex::new(None),
            lavoro: Mutex::new(()),
            chiave: Mutex::new(None),
            caricati: Mutex::new(None),
        }
    }

    /// Pins the clock of every desk this application opens (tests, reproducible runs): the one
    /// place time is passed in.
    pub fn con_ora(mut self, ora: chrono::DateTime<chrono::Utc>) -> App {
        self.ora = Some(ora);
        self
    }

    /// Removes what the application keeps only while it runs (the files received for an
    /// import): for a front end whose process ends without dropping the `App` (the window,
    /// which exits from its event loop).
    pub fn chiudi(&self) {
        self.caricati
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
    }

    /// The private temporary folder of received files, made on first use.
    pub(crate) fn cartella_caricati(&self) -> std::io::Result<PathBuf> {
        let mut guard = self.caricati.lock().unwrap_or_else(|p| p.into_inner());
        if guard.is_none() {
            *guard = Some(mpd_privato::temporanea(importa::PREFISSO_CARICATI)?);
        }
        Ok(guard.as_ref().expect("made above").path().to_path_buf())
    }

    /// The database path asked for (`None`: the per-user default).
    pub fn db(&self) -> Option<&Path> {
        self.db.as_deref()
    }

    /// The database file in use (the per-user default resolved), opening it if needed; `None`
    /// for a database in memory.
    pub fn percorso_db(&self) -> Risultato<Option<PathBuf>> {
        self.con_desk(|d| Ok(d.db_path().map(Path::to_path_buf)))
    }

    /// The connection options (environment, address, password from the environment).
    pub fn opzioni(&self) -> &ConnectOptions {
        &self.opzioni
    }

    /// Where passwords are kept.
    pub fn credenziali(&self) -> &'static (dyn CredentialStore + Send + Sync) {
        self.credenziali
    }

    pub(crate) fn apri_desk(&self) -> Risultato<Desk> {
        let desk = Desk::open(self.db.as_deref(), &self.chiave_archivio()?)?;
        Ok(match self.ora {
            Some(t) => desk.with_now(t),
            None => desk,
        })
    }

    /// Runs `f` on the foreground desk, opening it on first use. Short work only: the window's
    /// commands wait on it.
    pub(crate) fn con_desk<T>(&self, f: impl FnOnce(&mut Desk) -> Risultato<T>) -> Risultato<T> {
        let mut guard = self.desk.lock().unwrap_or_else(|p| p.into_inner());
        if guard.is_none() {
            *guard = Some(self.apri_desk()?);
        }
        f(guard.as_mut().expect("opened above"))
    }

    /// A desk of its own on the same database, for long work off the foreground.
    pub(crate) fn desk_di_lavoro(&self) -> Risultato<Desk> {
        let path = match &self.db {
            Some(p) => Some(p.clone()),
            None => self.con_desk(|d| Ok(d.db_path().map(Path::to_path_buf)))?,
        };
        let desk = Desk::open(path.as_deref(), &self.chiave_archivio()?)?;
        Ok(match self.ora {
            Some(t) => desk.with_now(t),
            None => desk,
        })
    }

    /// The open connection to MyPay, connecting first if needed (blocking: the demo emulator
    /// starts, the HTTP client is built).
    pub(crate) fn connessione(&self, desk: &mut Desk) -> Risultato<Arc<Connection>> {
        let mut guard = self.connessione.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(c) = guard.as_ref() {
            return Ok(c.clone());
        }
        let c = Arc::new(connessione::connect(desk, &self.opzioni, self.credenziali)?);
        *guard = Some(c.clone());
        Ok(c)
    }

    /// The open connection's line for the clerk (environment, address, Ente, where the password
    /// came from; never the password) and the notes of what connecting did; `None` before the
    /// first remote operation.
    pub fn descrizione_connessione(&self) -> Option<DescrizioneConnessione> {
        let guard = self.connessione.lock().unwrap_or_else(|p| p.into_inner());
        guard.as_ref().map(|c| DescrizioneConnessione {
            riga: c.describe(),
            note: c.notes.clone(),
        })
    }

    /// Drops the open connection (and stops the demo emulator): the next remote operation
    /// connects again with the stored settings. Called after a change of environment, address
    /// or password.
    pub fn invalida_connessione(&self) {
        let old = self
            .connessione
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(old) = old {
            // The HTTP client and the emulator own runtimes that must not be dropped on an
            // async worker: a plain thread drops them.
            std::thread::spawn(move || drop(old));
        }
    }

    /// Takes the one-remote-job lock; [`Codice::Occupato`] when another job holds it.
    pub(crate) fn inizia_lavoro(&self) -> Risultato<MutexGuard<'_, ()>> {
        self.lavoro.try_lock().map_err(|_| {
            Errore::new(
                Codice::Occupato,
                "un'altra operazione con MyPay è in corso: attenda che finisca o la annulli",
            )
        })
    }

    /// Runs remote work: takes the one-job lock when `esclusivo`, opens a desk of its own and
    /// the connection.
    pub(crate) fn remoto<T>(
        &self,
        esclusivo: bool,
        f: impl FnOnce(&mut Desk, &Connection) -> Risultato<T>,
    ) -> Risultato<T> {
        let _lavoro = if esclusivo {
            Some(self.inizia_lavoro()?)
        } else {
            None
        };
        let mut desk = self.desk_di_lavoro()?;
        let conn = self.connessione(&mut desk)?;
        f(&mut desk, &conn)
    }
}

/// Waits until the wall clock's second changes: the demo emulator's booking windows are
/// half-open at its clock, in seconds. The one wall-clock read of this crate besides
/// [`App`]'s own time (the tidy test allows this file only).
pub(crate) fn attendi_il_secondo_successivo() {
    let secondo = chrono::Utc::now().timestamp();
    while chrono::Utc::now().timestamp() == secondo {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// A name no other call of this process has used, and unlikely in another process: the
/// nanoseconds of the wall clock and a counter (for the folder of an uploaded file).
pub(crate) fn nome_unico() -> String {
    static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = SEQ.fetch_add(1, Ordering::Relaxed);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{t}-{n}")
}

/// What a front end says about the open connection.
#[derive(Debug, Clone)]
pub struct DescrizioneConnessione {
    pub riga: String,
    pub note: Vec<String>,
}

/// Long work's two companions: where progress goes and the flag that asks it to stop at the
/// next safe point. The sink runs on the worker's thread.
pub struct Lavoro<'a, E> {
    avanzamento: std::cell::RefCell<Box<dyn FnMut(E) + 'a>>,
    annulla: Arc<AtomicBool>,
}

impl<'a, E> Lavoro<'a, E> {
    pub fn new(avanzamento: impl FnMut(E) + 'a, annulla: Arc<AtomicBool>) -> Self {
        Lavoro {
            avanzamento: std::cell::RefCell::new(Box::new(avanzamento)),
            annulla,
        }
    }

    /// A Lavoro that reports nowhere and is never cancelled (tests, scripts).
    pub fn muto() -> Self {
        Lavoro::new(|_| {}, Arc::new(AtomicBool::new(false)))
    }

    /// Reports a step (a report sent while another is being reported is dropped).
    pub fn segnala(&self, e: E) {
        if let Ok(mut f) = self.avanzamento.try_borrow_mut() {
            f(e)
        }
    }

    /// True once the front end asked to stop.
    pub fn annullato(&self) -> bool {
        self.annulla.load(Ordering::SeqCst)
    }

    /// The cancel flag, for engines that check it themselves.
    pub fn flag(&self) -> Arc<AtomicBool> {
        self.annulla.clone()
    }
}
