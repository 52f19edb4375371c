//! Tesoreria (issue 16): the treasury journal imported, the treasury entries with their match
//! and suggestions, the whole reconciliation with the totals by state, the days of the rules
//! (`mpd_app::tesoreria`), and the files the window receives for the reconciliation: a picked
//! journal's bytes (`tesoreria_carica`), what each dropped file is (`riconciliazione_riconosci`).
//! The import runs off the window's thread.

use std::path::PathBuf;

use mpd_app::Risultato;
use mpd_app::importa::FileCaricato;
use mpd_app::tesoreria::{
    self, EsitoImportazioneTesoreria, FileRiconosciuto, MovimentoVista, RegoleTesoreria,
    RiconciliazioneVista,
};
use tauri::State;
use tauri::ipc::Request;

use super::StatoApp;
use super::connessione::lavoro;

/// Imports the treasury journal the clerk chose; `formato` when given, else from the content.
#[tauri::command]
pub async fn tesoreria_importa(
    app: State<'_, StatoApp>,
    percorso: String,
    formato: Option<String>,
    mappatura: Option<Vec<String>>,
) -> Risultato<EsitoImportazioneTesoreria> {
    let file = PathBuf::from(percorso);
    let mappatura = mappatura.unwrap_or_default();
    lavoro(&app, move |a| {
        tesoreria::importa(a, &file, formato.as_deref(), &mappatura)
    })
    .await
}

/// The bytes of a treasury journal picked with `<input type="file">` or dropped in the page,
/// kept to be imported by [`tesoreria_importa`].
#[tauri::command]
pub fn tesoreria_carica(app: State<'_, StatoApp>, request: Request<'_>) -> Risultato<FileCaricato> {
    super::importa::con_byte(&request, |nome, byte| tesoreria::carica(&app, nome, byte))
}

/// For each file dropped on the window: an FdR, a treasury journal, or neither (and why).
#[tauri::command]
pub fn riconciliazione_riconosci(percorsi: Vec<String>) -> Risultato<Vec<FileRiconosciuto>> {
    let file: Vec<PathBuf> = percorsi.into_iter().map(PathBuf::from).collect();
    tesoreria::riconosci_file(&file)
}

/// Every treasury entry with its match, or why not and its suggestions.
#[tauri::command]
pub fn tesoreria_movimenti(app: State<'_, StatoApp>) -> Risultato<Vec<MovimentoVista>> {
    tesoreria::movimenti(&app)
}

/// The whole reconciliation: payments (only those in `stato` when given), treasury entries,
/// totals by state.
#[tauri::command]
pub fn riconciliazione_completa(
    app: State<'_, StatoApp>,
    stato: Option<String>,
) -> Risultato<RiconciliazioneVista> {
    tesoreria::riconciliazione(&app, stato.as_deref())
}

/// The days after which a missing step is an anomaly.
#[tauri::command]
pub fn tesoreria_regole(app: State<'_, StatoApp>) -> Risultato<RegoleTesoreria> {
    tesoreria::regole(&app)
}

/// Changes the days given; returns the days in force.
#[tauri::command]
pub fn tesoreria_regole_salva(
    app: State<'_, StatoApp>,
    giorni_rendicontazione: Option<i64>,
    giorni_incasso: Option<i64>,
    giorni_suggerimento: Option<i64>,
) -> Risultato<RegoleTesoreria> {
    tesoreria::imposta_regole(
        &app,
        giorni_rendicontazione,
        giorni_incasso,
        giorni_suggerimento,
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::commands::prova_ipc::{chiama_json as call, finestra};

    /// Through the real IPC: argument names and JSON shapes as the window sends and reads them.
    #[test]
    fn treasury_import_entries_totals_and_rules_through_the_ipc() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db.sqlite");
        let (_app, w) = finestra(&db, 0);
        let csv = dir.path().join("giornale.csv");
        std::fs::write(
            &csv,
            "anno;numero;data_contabile;ordinante;causale;importo;data_valuta\n\
2024;1;14/05/2024;BANCA;/PUR/LGPE-RIVERSAMENTO/URI/2024-05-14BCITITMM-S240514000999;10,00;\n",
        )
        .unwrap();
        let r = call(
            &w,
            "tesoreria_importa",
            json!({ "percorso": csv, "formato": "csv", "mappatura": ["ordinante=D"] }),
        )
        .unwrap();
        assert_eq!(
            (r["esito"].clone(), r["aggiunti"].clone()),
            (json!("nuovo"), json!(1)),
            "{r}"
        );
        let m = call(&w, "tesoreria_movimenti", json!({})).unwrap();
        assert_eq!(m[0]["esito"], "sconosciuto", "{m}");
        let t = call(&w, "riconciliazione_completa", json!({})).unwrap();
        assert_eq!(t["totali"].as_array().unwrap().len(), 9, "{t}");
        let e = call(
            &w,
            "tesoreria_importa",
            json!({ "percorso": csv, "formato": "pdf" }),
        )
        .unwrap_err();
        assert_eq!(e["codice"], "argomento", "{e}");
        let r = call(&w, "tesoreria_regole_salva", json!({ "giorniIncasso": 15 })).unwrap();
        assert_eq!(r["giorni_incasso"], 15, "{r}");
        assert_eq!(call(&w, "tesoreria_regole", json!({})).unwrap(), r);
        let f = call(
            &w,
            "riconciliazione_riconosci",
            json!({ "percorsi": [csv] }),
        )
        .unwrap();
        assert_eq!(
            (f[0]["tipo"].clone(), f[0]["nome"].clone()),
            (json!("tesoreria"), json!("giornale.csv")),
            "{f}"
        );
    }
}
