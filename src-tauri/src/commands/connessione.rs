//! What the window adds to the application layer for long work: running an operation off the
//! window's thread ([`lavoro`]) and the cancel flags of the jobs the clerk can stop.
//!
//! The connection to MyPay itself (environment, password, the demo emulator, one remote job
//! at a time) belongs to `mpd_app::App`, kept for the window's lifetime; long work opens a desk
//! of its own on the same database (SQLite WAL), so the window's stays free.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use mpd_app::App;

/// Managed state: the application (its connection, with the demo emulator, and the one-job
/// lock) and the cancel flags of the long jobs.
pub struct StatoConnessione {
    pub app: Arc<App>,
    /// Set by `flussi_annulla`; read by the submission between steps and during pauses.
    pub annulla_flussi: Arc<AtomicBool>,
    /// Set by `ricevute_annulla`.
    pub annulla_ricevute: Arc<AtomicBool>,
    /// Set by `fdr_annulla`.
    pub annulla_fdr: Arc<AtomicBool>,
}

impl StatoConnessione {
    pub fn new(app: Arc<App>) -> StatoConnessione {
        StatoConnessione {
            app,
            annulla_flussi: Arc::default(),
            annulla_ricevute: Arc::default(),
            annulla_fdr: Arc::default(),
        }
    }
}

/// Drops the cached connection (and stops the demo emulator): the next remote command connects
/// again with the stored settings. (The settings' own operations drop it in `mpd_app`.)
#[cfg_attr(not(test), allow(dead_code))]
pub fn invalida(stato: &StatoConnessione) {
    stato.app.invalida_connessione();
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
