//! Commands the window may call, grouped by area. Each one is a short adapter onto `mpd_core`.
//!
//! Errors reach the UI as `{ codice, messaggio }` so the front end branches on a code, never on
//! text; the message is Italian and meant for the clerk. Arguments are checked here before
//! they reach the core (sizes, known states, dates).

pub mod adesione;
pub mod connessione;
pub mod dovuti;
pub mod flussi;
pub mod home;
pub mod importa;
pub mod impostazioni;
pub mod manutenzione;
#[cfg(test)]
pub(crate) mod prova_ipc;
pub mod rapporto;
pub mod ricevute;
pub mod sportello;

use std::path::PathBuf;
use std::sync::Mutex;

use mpd_core::Desk;
use serde::Serialize;

/// The desk, opened on first use (the database may not exist before the first start).
pub struct DeskState(pub Mutex<Option<Desk>>);

/// An error as the UI sees it.
#[derive(Debug, Serialize)]
pub struct ErroreUi {
    pub codice: &'static str,
    pub messaggio: String,
}

impl ErroreUi {
    /// An argument the window sent is not acceptable.
    pub fn argomento(messaggio: impl Into<String>) -> ErroreUi {
        ErroreUi {
            codice: "argomento",
            messaggio: messaggio.into(),
        }
    }
}

impl From<mpd_app::Errore> for ErroreUi {
    fn from(e: mpd_app::Errore) -> Self {
        ErroreUi {
            codice: e.codice.as_str(),
            messaggio: e.messaggio,
        }
    }
}

/// The application layer, shared by every command (see mpd-app).
pub type StatoApp = std::sync::Arc<mpd_app::App>;

/// The application on the window's database (`MYPAY_DESK_DB` or the per-user default), the
/// password from `MYPAY_DESK_PASSWORD` when set, else the OS keyring.
pub fn nuova_app() -> StatoApp {
    let db = std::env::var_os("MYPAY_DESK_DB").map(PathBuf::from);
    std::sync::Arc::new(mpd_app::App::new(
        db,
        mpd_app::ConnectOptions::from_process_env(),
        mpd_app::connessione::keyring(),
    ))
}

impl From<mpd_core::CoreError> for ErroreUi {
    fn from(e: mpd_core::CoreError) -> Self {
        mpd_app::Errore::from(e).into()
    }
}

/// Runs `f` on the desk, opening it (`MYPAY_DESK_DB` or the per-user default) on first use.
pub fn with_desk<T>(
    state: &DeskState,
    f: impl FnOnce(&mut Desk) -> Result<T, ErroreUi>,
) -> Result<T, ErroreUi> {
    let mut guard = state.0.lock().map_err(|_| ErroreUi {
        codice: "stato",
        messaggio: "stato interno non disponibile".into(),
    })?;
    if guard.is_none() {
        let db = std::env::var_os("MYPAY_DESK_DB").map(PathBuf::from);
        *guard = Some(Desk::open(db.as_deref())?);
    }
    f(guard.as_mut().expect("opened above"))
}
