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

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, MutexGuard};

use mpd_app::{App, Connection};
use mpd_core::Desk;

use super::{DeskState, ErroreUi};

/// Managed state: the application (its connection, with the demo emulator, and the one-job
/// lock) and the cancel flags of the long jobs.
pub struct StatoConnessione {
    pub app: Arc<App>,
    /// Set by `flussi_annulla`; read by the submission between steps and during pauses.
    pub annulla_flussi: Arc<AtomicBool>,
    /// Set by `ricevute_annulla`.
    pub annulla_ricevute: Arc<AtomicBool>,
}

impl StatoConnessione {
    pub fn new(app: Arc<App>) -> StatoConnessione {
        StatoConnessione {
            app,
            annulla_flussi: Arc::default(),
            annulla_ricevute: Arc::default(),
        }
    }
}

/// Drops the cached connection (and stops the demo emulator): the next remote command connects
/// again with the stored settings. (The settings' own operations drop it in `mpd_app`.)
#[cfg_attr(not(test), allow(dead_code))]
pub fn invalida(stato: &StatoConnessione) {
    stato.app.invalida_connessione();
}

/// Opens a second desk on the window's database, for background work.
pub fn desk_di_lavoro(desk: &DeskState) -> Result<Desk, ErroreUi> {
    let path = super::with_desk(desk, |d| Ok(d.db_path().map(std::path::PathBuf::from)))?;
    Ok(Desk::open(path.as_deref())?)
}

/// The one remote job running; `Err` when another is.
pub fn inizia_lavoro(stato: &StatoConnessione) -> Result<MutexGuard<'_, ()>, ErroreUi> {
    Ok(stato.app.inizia_lavoro()?)
}

/// Maps an engine error for the clerk; cancelling is its own code.
pub fn errore_sync(e: mpd_client::SyncError) -> ErroreUi {
    mpd_app::Errore::from(e).into()
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
        let mut desk = stato.app.desk_di_lavoro()?;
        let conn = stato.app.connessione(&mut desk)?;
        f(&mut desk, &conn)
    })
    .await
    .map_err(|e| ErroreUi::from(mpd_app::Errore::interno(e)))?
}

/// Runs an application operation on a blocking thread (long work, or work that talks to MyPay).
pub async fn lavoro<T: Send + 'static>(
    app: &Arc<App>,
    f: impl FnOnce(&App) -> mpd_app::Risultato<T> + Send + 'static,
) -> mpd_app::Risultato<T> {
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || f(&app))
        .await
        .map_err(mpd_app::Errore::interno)?
}

/// Resets a cancel flag at the start of a job and hands it to the engine.
pub fn flag_azzerato(flag: &Arc<AtomicBool>) -> Arc<AtomicBool> {
    flag.store(false, Ordering::SeqCst);
    flag.clone()
}

/// Connects (if needed) and says where to: environment, address, password source.
#[tauri::command]
pub async fn connessione_info(
    app: tauri::State<'_, super::StatoApp>,
) -> mpd_app::Risultato<mpd_app::impostazioni::InfoConnessione> {
    lavoro(&app, mpd_app::impostazioni::connessione_info).await
}
