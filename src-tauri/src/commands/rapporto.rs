//! Resoconto: the one-page report for the ragioneria or the mayor (`mpd_app::rapporto`), on
//! screen and saved as PDF or Excel. Both run off the window's thread: the figures sum every
//! debt.

use std::path::PathBuf;

use chrono::NaiveDate;
use mpd_app::Risultato;
use mpd_app::rapporto::{self, FormatoRapporto, Rapporto};
use tauri::State;

use super::StatoApp;
use super::connessione::lavoro;

/// The report on `oggi` (`YYYY-MM-DD`; none: today).
#[tauri::command]
pub async fn rapporto(app: State<'_, StatoApp>, oggi: Option<NaiveDate>) -> Risultato<Rapporto> {
    lavoro(&app, move |a| rapporto::rapporto(a, oggi)).await
}

/// Saves the report on `oggi` as `formato` at `percorso` (chosen with the save dialog).
#[tauri::command]
pub async fn rapporto_esporta(
    app: State<'_, StatoApp>,
    formato: FormatoRapporto,
    percorso: PathBuf,
    oggi: Option<NaiveDate>,
) -> Risultato<Rapporto> {
    lavoro(&app, move |a| {
        rapporto::esporta(a, formato, oggi, &percorso)
    })
    .await
}

/// The two commands through the real IPC, with the argument names and shapes the screen sends.
#[cfg(test)]
mod ipc {
    use serde_json::json;

    use crate::commands::prova_ipc::{chiama_json as call, finestra};

    #[test]
    fn report_and_its_documents_through_the_ipc() {
        let dir = tempfile::tempdir().unwrap();
        let (_app, w) = finestra(&dir.path().join("desk.sqlite"), 30);
        let r = call(&w, "rapporto", json!({ "oggi": "2026-11-27" })).unwrap();
        assert_eq!(r["data"], "2026-11-27");
        assert!(r["totale"]["atteso_cents"].as_i64().is_some(), "{r}");
        assert!(r["note"].as_array().is_some_and(|n| !n.is_empty()), "{r}");
        let oggi = call(&w, "rapporto", json!({})).unwrap();
        assert_eq!(oggi["data"].as_str().map(str::len), Some(10), "{oggi}");

        let pdf = dir.path().join("resoconto.pdf");
        let fatto = call(
            &w,
            "rapporto_esporta",
            json!({ "formato": "pdf", "percorso": pdf, "oggi": "2026-11-27" }),
        )
        .unwrap();
        assert_eq!(fatto["totale"], r["totale"]);
        assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
        let xlsx = dir.path().join("resoconto.xlsx");
        call(
            &w,
            "rapporto_esporta",
            json!({ "formato": "xlsx", "percorso": xlsx }),
        )
        .unwrap();
        assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));

        let err = call(
            &w,
            "rapporto_esporta",
            json!({ "formato": "pdf", "percorso": dir.path().join("manca/x.pdf") }),
        )
        .unwrap_err();
        assert_eq!(err["codice"], "scrittura_file", "{err}");
    }
}
