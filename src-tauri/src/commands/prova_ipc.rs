//! For the commands' tests: the app built as the window builds it, on a mock runtime, and a
//! call through the real IPC (argument names, raw bodies, JSON shapes as the window sends and
//! reads them).

use serde_json::Value;
use tauri::WebviewWindow;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{
    INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context, noop_assets,
};

/// The app and its main window on the database `db`, with the demo Ente and `debiti` sample
/// debts.
pub fn finestra(
    db: &std::path::Path,
    debiti: usize,
) -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let app = std::sync::Arc::new(
        mpd_app::App::new(
            Some(db.to_path_buf()),
            mpd_app::ConnectOptions::default(),
            mpd_app::connessione::keyring(),
        )
        .con_frase_archivio(Some(mpd_core::testing::CHIAVE_DI_PROVA)),
    );
    let app = crate::build(mock_builder(), app)
        .build(mock_context(noop_assets()))
        .unwrap();
    let mut desk = mpd_core::Desk::open(Some(db), &mpd_core::testing::chiave()).unwrap();
    desk.setup_demo(debiti).unwrap();
    drop(desk);
    let w = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    (app, w)
}

/// Invokes `cmd` with a raw body and headers, as the window's `invoke` does.
pub fn chiama(
    w: &WebviewWindow<MockRuntime>,
    cmd: &str,
    body: InvokeBody,
    headers: tauri::http::HeaderMap,
) -> Result<Value, Value> {
    get_ipc_response(
        w,
        tauri::webview::InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            // The local origin on Linux (`http://tauri.localhost` is Windows's form).
            url: "tauri://localhost".parse().unwrap(),
            body,
            headers,
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|b| b.deserialize::<Value>().unwrap())
}

/// Invokes `cmd` with JSON arguments.
pub fn chiama_json(w: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    chiama(w, cmd, InvokeBody::Json(args), Default::default())
}
