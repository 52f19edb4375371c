//! The background upkeep of the debts' indexes (`mpd_app::Manutentore`): started at launch
//! and after every import or restore, reported to the Dovuti screen while it is behind.

use mpd_app::Manutentore;
use mpd_app::home::StatoIndici;

use super::StatoApp;

/// The window's one keeper of the upkeep.
#[derive(Default)]
pub struct StatoManutenzione(pub Manutentore);

/// Starts the upkeep on the window's database, if it is a file (nothing to do in memory).
pub fn avvia<R: tauri::Runtime>(app: &tauri::AppHandle<R>) {
    use tauri::Manager as _;
    let db = app.state::<StatoApp>().archivio_per_manutenzione();
    match db {
        Ok(Some((db, chiave))) => {
            app.state::<StatoManutenzione>().0.richiedi(db, chiave);
        }
        Ok(None) => {}
        Err(e) => tracing::warn!("manutenzione non avviata: {}", e.messaggio),
    }
}

/// What the Dovuti screen shows while the upkeep is behind.
#[tauri::command]
pub fn manutenzione_stato(
    app: tauri::State<'_, super::StatoApp>,
    manutenzione: tauri::State<'_, StatoManutenzione>,
) -> mpd_app::Risultato<StatoIndici> {
    mpd_app::home::stato_indici(&app, &manutenzione.0)
}
