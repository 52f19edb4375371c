//! The connection to MyPay shared by the remote commands: environment, credentials, the demo emulator.
//!
//! The window opens the connection lazily, on the first command that talks to MyPay, with the
//! environment and address stored in the settings (`mpd_cli::session`, the same code as the
//! CLI). In `demo` the embedded emulator starts then and stays up while the app runs. The
//! password comes from `MYPAY_DESK_PASSWORD` when set (headless runs, CI), else the OS keyring;
//! the window is told which source was used, never the password.
//!
//! Impostazioni calls [`invalida`] after the clerk changes environment, address or password:
//! the next remote command connects again with the new settings.
//!
//! Long work (submission, downloads) runs on a blocking thread with its own [`Desk`] on the same
//! database (SQLite WAL), so the window's desk stays free; one remote job at a time.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use mpd_cli::session::{self, ConnectOptions, Connection};
use mpd_core::Desk;
use serde::Serialize;

use super::{DeskState, ErroreUi, with_desk};

/// Managed state: the open connection (with the demo emulator), the running-job lock and the
/// cancel flags of the long jobs.
#[derive(Default)]
pub struct StatoConnessione {
    connessione: Mutex<Option<Arc<Connection>>>,
    lavoro: Mutex<()>,
    /// Set by `flussi_annulla`; read by the submission between steps and during pauses.
    pub annulla_flussi: Arc<AtomicBool>,
    /// Set by `ricevute_annulla`.
    pub annulla_ricevute: Arc<AtomicBool>,
}

/// Drops the cached connection (and stops the demo emulator): the next remote command connects
/// again with the stored settings. Call it after changing environment, URL or password.
pub fn invalida(stato: &StatoConnessione) {
    let old = stato
        .connessione
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take();
    if let Some(old) = old {
        // The HTTP client and the emulator own runtimes that must not be dropped on an async
        // worker: let a plain thread drop them.
        std::thread::spawn(move || drop(old));
    }
}

fn errore(e: impl std::fmt::Display) -> ErroreUi {
    ErroreUi {
        codice: "mypay",
        messaggio: format!("{e:#}"),
    }
}

/// The database path of the window's desk (opening it if needed).
fn percorso_db(desk: &DeskState) -> Result<Option<PathBuf>, ErroreUi> {
    with_desk(desk, |d| Ok(d.db_path().map(PathBuf::from)))
}

/// Opens a second desk on the window's database, for background work.
pub fn desk_di_lavoro(desk: &DeskState) -> Result<Desk, ErroreUi> {
    let path = percorso_db(desk)?;
    Ok(Desk::open(path.as_deref())?)
}

/// The open connection, connecting first if needed. Blocking (the demo emulator starts, the
/// HTTP client is built): call it from a blocking thread.
pub fn connessione(stato: &StatoConnessione, desk: &mut Desk) -> Result<Arc<Connection>, ErroreUi> {
    let mut guard = stato.connessione.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(c) = guard.as_ref() {
        return Ok(c.clone());
    }
    let c = Arc::new(
        session::connect(
            desk,
            &ConnectOptions::from_process_env(),
            session::keyring(),
        )
        .map_err(errore)?,
    );
    *guard = Some(c.clone());
    Ok(c)
}

/// The one remote job running; `Err` when another is.
pub fn inizia_lavoro(stato: &StatoConnessione) -> Result<MutexGuard<'_, ()>, ErroreUi> {
    stato.lavoro.try_lock().map_err(|_| ErroreUi {
        codice: "occupato",
        messaggio: "un'altra operazione con MyPay è in corso: attendi che finisca o annullala"
            .into(),
    })
}

/// Maps an engine error for the clerk; cancelling is its own code.
pub fn errore_sync(e: mpd_client::SyncError) -> ErroreUi {
    match e {
        mpd_client::SyncError::Annullato => ErroreUi {
            codice: "annullato",
            messaggio: e.to_string(),
        },
        e => ErroreUi {
            codice: "mypay",
            messaggio: e.to_string(),
        },
    }
}

/// Runs `f` on a blocking thread with a desk of its own and the connection. `esclusivo`: the
/// job takes the one-remote-job lock (submission, downloads, counter writes).
pub async fn in_background<R: tauri::Runtime, T: Send + 'static>(
    app: tauri::AppHandle<R>,
    esclusivo: bool,
    f: impl FnOnce(&mut Desk, &Connection) -> Result<T, ErroreUi> + Send + 'static,
) -> Result<T, ErroreUi> {
    use tauri::Manager;
    tauri::async_runtime::spawn_blocking(move || {
        let stato = app.state::<StatoConnessione>();
        let _lavoro = if esclusivo {
            Some(inizia_lavoro(&stato)?)
        } else {
            None
        };
        let mut desk = desk_di_lavoro(&app.state::<DeskState>())?;
        let conn = connessione(&stato, &mut desk)?;
        f(&mut desk, &conn)
    })
    .await
    .map_err(|e| ErroreUi {
        codice: "stato",
        messaggio: format!("operazione interrotta: {e}"),
    })?
}

/// Resets a cancel flag at the start of a job and hands it to the engine.
pub fn flag_azzerato(flag: &Arc<AtomicBool>) -> Arc<AtomicBool> {
    flag.store(false, Ordering::SeqCst);
    flag.clone()
}

/// What the window shows about the connection (never the password).
#[derive(Serialize)]
pub struct InfoConnessione {
    pub ambiente: String,
    pub indirizzo: String,
    /// Where the password came from (Italian).
    pub password_da: &'static str,
    pub demo: bool,
}

/// Connects (if needed) and says where to: environment, address, password source.
#[tauri::command]
pub async fn connessione_info<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
) -> Result<InfoConnessione, ErroreUi> {
    in_background(app, false, |_, c| {
        Ok(InfoConnessione {
            ambiente: c.conn.ambiente.to_string(),
            indirizzo: c.conn.base_url.clone(),
            password_da: c.source.label_it(),
            demo: c.is_demo(),
        })
    })
    .await
}
