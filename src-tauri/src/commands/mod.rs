//! Commands the window may call, grouped by area. Each one deserialises its arguments, makes
//! one call into the application layer (`mpd_app`) and returns its typed result.
//!
//! Errors reach the UI as `mpd_app::Errore`, `{ codice, messaggio }`: the front end branches on
//! the code, never on text; the message is Italian and meant for the clerk. What is checked
//! and how lives in mpd-app, once for the window and the CLI.

pub mod adesione;
pub mod avvisi;
pub mod connessione;
pub mod contabilita;
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
pub mod riconciliazione;
pub mod sportello;
pub mod tesoreria;

use std::path::PathBuf;

/// The application layer, shared by every command (see mpd-app).
pub type StatoApp = std::sync::Arc<mpd_app::App>;

/// The application on the window's database (`MYPAY_DESK_DB` or the per-user default), the
/// password from `MYPAY_DESK_PASSWORD` and PU's client id and secret from `MYPAY_DESK_CLIENT_ID`
/// and `MYPAY_DESK_CLIENT_SECRET`, the archive's key from `MYPAY_DESK_DB_PASSPHRASE` when set,
/// else the OS keyring.
pub fn nuova_app(c: crate::Credenziali) -> StatoApp {
    let db = std::env::var_os("MYPAY_DESK_DB").map(PathBuf::from);
    std::sync::Arc::new(
        mpd_app::App::new(
            db,
            mpd_app::ConnectOptions {
                env_password: c.password,
                env_client_id: c.client_id,
                env_client_secret: c.client_secret,
                ..mpd_app::ConnectOptions::default()
            },
            mpd_app::connessione::keyring(),
        )
        .con_frase_archivio(c.frase_archivio.as_deref()),
    )
}
