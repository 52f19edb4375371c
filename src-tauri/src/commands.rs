//! Commands the window may call. Each one calls one function of `mpd_core`.

use serde::Serialize;

/// What the start page shows.
#[derive(Serialize)]
pub struct Panoramica {
    pub versione: &'static str,
    pub database: String,
}

#[tauri::command]
pub fn panoramica() -> Result<Panoramica, String> {
    Ok(Panoramica {
        versione: env!("CARGO_PKG_VERSION"),
        database: String::new(),
    })
}
