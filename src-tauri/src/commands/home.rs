//! Home: the overview (debts by state, expected vs collected by month, attention items) and
//! the first start in demo mode (`mpd_app::home`).

use mpd_app::home::{self, Panoramica};
use tauri::State;

use super::StatoApp;

/// The Home overview; also the first call of the window, which opens the database.
#[tauri::command]
pub fn panoramica(app: State<'_, StatoApp>) -> mpd_app::Risultato<Panoramica> {
    home::panoramica(&app)
}

/// "Prova con dati dimostrativi": the demo Ente and a few hundred sample debts.
#[tauri::command]
pub fn avvia_demo(app: State<'_, StatoApp>) -> mpd_app::Risultato<usize> {
    home::avvia_demo(&app)
}
