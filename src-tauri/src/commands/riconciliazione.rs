//! Riconciliazione (issue 16): FdR files imported or downloaded from MyPay, the FdR with their
//! quadratura, each payment's state and reason (`mpd_app::riconciliazione`). The import and the
//! download run off the window's thread; the download reports over a [`Channel`] and stops at
//! the next flow when `fdr_annulla` is called. Nothing needs the index upkeep (no debt changes).

use std::path::PathBuf;

use std::sync::atomic::Ordering;

use mpd_app::importa::FileCaricato;
use mpd_app::riconciliazione::{
    self, AvanzamentoFdr, DettaglioFdr, ElencoPagamenti, EsitoImportazioneFdr,
    EsitoScaricamentoFdr, FdrVista, RegoleRiconciliazione,
};
use mpd_app::{Lavoro, Risultato};
use tauri::State;
use tauri::ipc::{Channel, Request};

use super::StatoApp;
use super::connessione::{StatoConnessione, flag_azzerato, lavoro};

/// Imports the FdR files the clerk chose: all of them, or none if one is wrong.
#[tauri::command]
pub async fn fdr_importa(
    app: State<'_, StatoApp>,
    percorsi: Vec<String>,
) -> Risultato<EsitoImportazioneFdr> {
    let file: Vec<PathBuf> = percorsi.into_iter().map(PathBuf::from).collect();
    lavoro(&app, move |a| riconciliazione::importa(a, &file)).await
}

/// "Scarica flussi di rendicontazione": since the last complete day (or the days `dal`..`al`).
#[tauri::command]
pub async fn fdr_scarica(
    app: State<'_, StatoApp>,
    stato: State<'_, StatoConnessione>,
    dal: Option<String>,
    al: Option<String>,
    avanzamento: Channel<AvanzamentoFdr>,
) -> Risultato<EsitoScaricamentoFdr> {
    let annulla = flag_azzerato(&stato.annulla_fdr);
    lavoro(&app, move |a| {
        let l = Lavoro::new(|e| drop(avanzamento.send(e)), annulla);
        riconciliazione::scarica(a, dal.as_deref(), al.as_deref(), &l)
    })
    .await
}

/// Stops the running FdR download at the next flow.
#[tauri::command]
pub fn fdr_annulla(stato: State<'_, StatoConnessione>) {
    stato.annulla_fdr.store(true, Ordering::SeqCst);
}

/// The bytes of an FdR file picked with `<input type="file">` or dropped in the page, kept
/// to be imported with the others by [`fdr_importa`].
#[tauri::command]
pub fn fdr_carica(app: State<'_, StatoApp>, request: Request<'_>) -> Risultato<FileCaricato> {
    super::importa::con_byte(&request, |nome, byte| {
        riconciliazione::carica_fdr(&app, nome, byte)
    })
}

/// One FdR with its quadratura and its rows, each with its payment's state.
#[tauri::command]
pub fn fdr_dettaglio(app: State<'_, StatoApp>, iuf: String) -> Risultato<DettaglioFdr> {
    riconciliazione::dettaglio_fdr(&app, &iuf)
}

/// Every imported FdR with its quadratura.
#[tauri::command]
pub fn fdr_elenco(app: State<'_, StatoApp>) -> Risultato<Vec<FdrVista>> {
    riconciliazione::elenco_fdr(&app)
}

/// A page of the payments' list (`filtro`: `anomalie`, `tutti` or a state's code; none: the
/// anomalies when there are some) with the totals by state of every payment.
#[tauri::command]
pub fn riconciliazione_elenco(
    app: State<'_, StatoApp>,
    filtro: Option<String>,
    pagina: usize,
) -> Risultato<ElencoPagamenti> {
    riconciliazione::elenco_pagamenti(&app, filtro.as_deref(), Some(pagina))
}

/// The matching's rules in force.
#[tauri::command]
pub fn riconciliazione_regole(app: State<'_, StatoApp>) -> Risultato<RegoleRiconciliazione> {
    riconciliazione::regole(&app)
}

/// Changes the matching's rules given; returns the rules in force.
#[tauri::command]
pub fn riconciliazione_regole_salva(
    app: State<'_, StatoApp>,
    indice_mancante_primo: Option<bool>,
    esito9_rendicontato: Option<bool>,
) -> Risultato<RegoleRiconciliazione> {
    riconciliazione::imposta_regole(&app, indice_mancante_primo, esito9_rendicontato)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::commands::prova_ipc::{chiama_json as call, finestra};

    /// Through the real IPC: argument names and JSON shapes as the window sends and reads them.
    #[test]
    fn fdr_import_list_payments_and_rules_through_the_ipc() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db.sqlite");
        let (_app, w) = finestra(&db, 0);
        // The demo Ente has its own codice fiscale: the example flow is for another Ente.
        let esempio = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/crates/mpd-tracciato/testdata/fdr/fdr-esempio.xml"
        );
        let e = call(&w, "fdr_importa", json!({ "percorsi": [esempio] })).unwrap_err();
        assert_eq!(e["codice"], "non_valido", "{e}");
        assert!(
            e["messaggio"].as_str().unwrap().contains("fdr-esempio.xml"),
            "{e}"
        );
        let cf = mpd_core::Desk::open(Some(&db), &mpd_core::testing::chiave())
            .unwrap()
            .ente()
            .unwrap()
            .unwrap()
            .codice_fiscale;
        let testo = std::fs::read_to_string(esempio)
            .unwrap()
            .replace("80001234567", &cf);
        let mio = dir.path().join("mio.xml");
        std::fs::write(&mio, testo).unwrap();
        let r = call(&w, "fdr_importa", json!({ "percorsi": [mio] })).unwrap();
        assert_eq!(r["flussi"][0]["esito"], "nuovo", "{r}");
        let fdr = call(&w, "fdr_elenco", json!({})).unwrap();
        assert_eq!(fdr[0]["quadra"], true, "{fdr}");
        let d = call(
            &w,
            "fdr_dettaglio",
            json!({ "iuf": "2024-05-14BCITITMM-S240514000123" }),
        )
        .unwrap();
        assert_eq!(d["righe"].as_array().unwrap().len(), 3, "{d}");
        assert_eq!(d["righe"][0]["stato"], "senza_ricevuta", "{d}");
        let e = call(&w, "fdr_dettaglio", json!({ "iuf": "nessuno" })).unwrap_err();
        assert_eq!(e["codice"], "flusso_inesistente", "{e}");
        let p = call(
            &w,
            "riconciliazione_elenco",
            json!({ "filtro": "senza_ricevuta", "pagina": 0 }),
        )
        .unwrap();
        assert_eq!(p["pagamenti"].as_array().unwrap().len(), 2, "{p}");
        // The anomalies first: the two without receipt, and the esito-9 row once the treasury
        // days have passed (the test runs on today's date).
        let e = call(&w, "riconciliazione_elenco", json!({ "pagina": 0 })).unwrap();
        let anomalie: u64 = e["totali"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["anomalia"] == true)
            .map(|t| t["numero"].as_u64().unwrap())
            .sum();
        assert_eq!(
            (&e["filtro"], &e["numero"], &e["pagine"]),
            (&json!("anomalie"), &json!(anomalie), &json!(1)),
            "{e}"
        );
        assert!(anomalie >= 2, "{e}");
        assert_eq!(e["pagamenti"][0]["stato"], "senza_ricevuta", "{e}");
        let e = call(
            &w,
            "riconciliazione_elenco",
            json!({ "filtro": "tutti", "pagina": 3 }),
        )
        .unwrap();
        assert_eq!((&e["numero"], &e["pagina"]), (&json!(3), &json!(0)), "{e}");
        let r = call(
            &w,
            "riconciliazione_regole_salva",
            json!({ "esito9Rendicontato": false }),
        )
        .unwrap();
        assert_eq!(
            r,
            json!({ "indice_mancante_primo": true, "esito9_rendicontato": false })
        );
        assert_eq!(call(&w, "riconciliazione_regole", json!({})).unwrap(), r);
    }
}
