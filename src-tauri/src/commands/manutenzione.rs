//! The background upkeep of the debts' indexes (`mpd_core::manutenzione`): started at launch
//! and after every import or restore, reported to the Dovuti screen while it is behind.

use mpd_core::manutenzione::Manutentore;
use serde::Serialize;

use super::{DeskState, ErroreUi, with_desk};

/// The window's one keeper of the upkeep.
#[derive(Default)]
pub struct StatoManutenzione(pub Manutentore);

/// Starts the upkeep on the window's database, if it is a file (nothing to do in memory).
pub fn avvia<R: tauri::Runtime>(app: &tauri::AppHandle<R>) {
    use tauri::Manager as _;
    let db = with_desk(&app.state::<DeskState>(), |d| {
        Ok(d.db_path().map(std::path::Path::to_path_buf))
    });
    match db {
        Ok(Some(db)) => {
            app.state::<StatoManutenzione>().0.richiedi(db);
        }
        Ok(None) => {}
        Err(e) => tracing::warn!("manutenzione non avviata: {}", e.messaggio),
    }
}

/// What the Dovuti screen shows while the upkeep is behind.
#[derive(Debug, Serialize)]
pub struct StatoIndici {
    pub dovuti: i64,
    pub da_indicizzare: i64,
    pub indici_da_ricostruire: i64,
    pub in_corso: bool,
    pub errore: Option<String>,
}

#[tauri::command]
pub fn manutenzione_stato(
    state: tauri::State<'_, DeskState>,
    manutenzione: tauri::State<'_, StatoManutenzione>,
) -> Result<StatoIndici, ErroreUi> {
    let m = with_desk(&state, |d| Ok(d.manutenzione()?))?;
    Ok(StatoIndici {
        dovuti: m.dovuti,
        da_indicizzare: m.da_indicizzare,
        indici_da_ricostruire: m.indici_da_ricostruire,
        in_corso: manutenzione.0.in_corso(),
        errore: manutenzione.0.ultimo_errore(),
    })
}
