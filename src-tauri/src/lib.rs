//! The Tauri shell of MyPay Desk. Commands are one-line adapters onto `mpd_core`.

mod commands;

/// Opens the main window.
pub fn run() {
    build(tauri::Builder::default())
        .run(tauri::generate_context!())
        .expect("errore nell'avvio della finestra di MyPay Desk");
}

/// Registers state and commands on a builder; split out so tests can pass a mock builder.
pub fn build<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![commands::panoramica])
}
