//! The Tauri shell of MyPay Desk.
//!
//! A thin layer: it opens the same local database as the CLI (`MYPAY_DESK_DB` overrides the
//! per-user default, as `--db` does for the CLI) and exposes commands that are one-line
//! adapters onto `mpd_core` ([`commands`]). The window's front end lives in `ui/`.

mod commands;

use std::sync::Mutex;

/// Opens the main window.
pub fn run() {
    build(tauri::Builder::default())
        .run(tauri::generate_context!())
        .expect("errore nell'avvio della finestra di MyPay Desk");
}

/// Registers state and commands on a builder; split out so tests can pass a mock builder.
pub fn build<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(commands::DeskState(Mutex::new(None)))
        .invoke_handler(tauri::generate_handler![
            commands::home::panoramica,
            commands::home::avvia_demo,
            commands::dovuti::dovuti_pagina,
        ])
}
