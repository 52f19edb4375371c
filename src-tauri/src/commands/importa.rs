//! Importa: the clerk's spreadsheet into the store (`mpd_app::importa`).
//!
//! The window picks a file three ways: an `<input type="file">` (its bytes come in a raw IPC
//! body, [`importa_carica`]: reading the request is the only work done here), drag and drop and
//! the dialog plugin's `open()` (both give a path). Checking and importing run on a blocking
//! thread with a desk of their own, progress over a [`Channel`] and a cancel flag
//! ([`importa_annulla`]).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use mpd_app::importa::{
    self, Anteprima, AvanzamentoImportazione, FileCaricato, Formati, ModoImportazione, Resoconto,
    Scelte,
};
use mpd_app::{Codice, Errore, Lavoro, Risultato};
use tauri::State;
use tauri::ipc::{Channel, InvokeBody, Request};

use super::StatoApp;
use super::connessione::{flag_azzerato, lavoro};

/// The import's cancel flag.
#[derive(Default)]
pub struct StatoImporta {
    pub annulla: Arc<AtomicBool>,
}

/// The file name sent in the `x-nome-file` header, URI-encoded by the window.
fn decodifica_uri(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(v) =
                u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16)
        {
            out.push(v);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The bytes of a file picked with `<input type="file">`: the body is the raw file (or, when
/// the custom protocol is unavailable, a JSON array of bytes); its name in `x-nome-file`.
#[tauri::command]
pub fn importa_carica(app: State<'_, StatoApp>, request: Request<'_>) -> Risultato<FileCaricato> {
    con_byte(&request, |nome, byte| importa::carica(&app, nome, byte))
}

/// Reads a file sent as bytes (see [`importa_carica`]) and hands its name and bytes to `f`.
pub(super) fn con_byte<T>(
    request: &Request<'_>,
    f: impl FnOnce(&str, &[u8]) -> Risultato<T>,
) -> Risultato<T> {
    let nome = request
        .headers()
        .get("x-nome-file")
        .and_then(|v| v.to_str().ok())
        .map(decodifica_uri)
        .unwrap_or_default();
    match request.body() {
        InvokeBody::Raw(byte) => f(&nome, byte),
        InvokeBody::Json(serde_json::Value::Array(values)) => {
            if values.len() > importa::MAX_BYTE {
                return Err(Errore::new(
                    Codice::FileNonValido,
                    "il file è troppo grande",
                ));
            }
            let byte: Option<Vec<u8>> = values
                .iter()
                .map(|v| v.as_u64().and_then(|n| u8::try_from(n).ok()))
                .collect();
            let byte = byte.ok_or_else(|| Errore::argomento("contenuto del file non valido"))?;
            f(&nome, &byte)
        }
        InvokeBody::Json(_) => Err(Errore::argomento(
            "contenuto del file non valido: invii i byte del file",
        )),
    }
}

/// The files the import reads and the fields its mapping offers.
#[tauri::command]
pub fn importa_formati() -> Formati {
    importa::formati()
}

/// Sheets, first rows, the proposed mapping (with the clerk's changes), mandatory fields
/// unmapped.
#[tauri::command]
pub fn importa_anteprima(app: State<'_, StatoApp>, scelte: Scelte) -> Risultato<Anteprima> {
    importa::anteprima(&app, &scelte)
}

/// The full report of the file with the clerk's choices: nothing is written.
#[tauri::command]
pub async fn importa_verifica(
    app: State<'_, StatoApp>,
    stato: State<'_, StatoImporta>,
    scelte: Scelte,
    avanzamento: Channel<AvanzamentoImportazione>,
) -> Risultato<Resoconto> {
    let annulla = flag_azzerato(&stato.annulla);
    lavoro(&app, move |a| {
        let l = Lavoro::new(|p| drop(avanzamento.send(p)), annulla);
        importa::verifica(a, &scelte, &l)
    })
    .await
}

/// Imports the file: valid rows ready for the next flow, invalid rows kept as drafts with
/// their problems. Nothing is written if cancelled.
#[tauri::command]
pub async fn importa_esegui<R: tauri::Runtime>(
    handle: tauri::AppHandle<R>,
    app: State<'_, StatoApp>,
    stato: State<'_, StatoImporta>,
    scelte: Scelte,
    avanzamento: Channel<AvanzamentoImportazione>,
) -> Risultato<Resoconto> {
    let annulla = flag_azzerato(&stato.annulla);
    let resoconto = lavoro(&app, move |a| {
        let l = Lavoro::new(|p| drop(avanzamento.send(p)), annulla);
        importa::esegui(a, &scelte, ModoImportazione::ConBozze, &l)
    })
    .await?;
    // A very large import leaves its indexes to the background upkeep.
    super::manutenzione::avvia(&handle);
    Ok(resoconto)
}

/// «Importa comunque»: the drafts of a group of probable duplicates become ready (those with
/// other problems stay drafts and say why).
#[tauri::command]
pub fn importa_comunque(
    app: State<'_, StatoApp>,
    bozze: Vec<String>,
) -> Risultato<Vec<mpd_app::dovuti::EsitoAzione>> {
    importa::importa_comunque(&app, &bozze)
}

/// Stops the running check or import (nothing is written).
#[tauri::command]
pub fn importa_annulla(stato: State<'_, StatoImporta>) {
    stato.annulla.store(true, Ordering::SeqCst);
}

/// Writes the Excel template where the clerk chose (save dialog). Returns the path.
#[tauri::command]
pub fn importa_modello(app: State<'_, StatoApp>, percorso: String) -> Risultato<String> {
    importa::modello(&app, std::path::Path::new(percorso.trim())).map(|p| p.display().to_string())
}

/// The last import not undone, if any (the report's «Annulla questa importazione»).
#[tauri::command]
pub fn importa_ultima(app: State<'_, StatoApp>) -> Risultato<Option<importa::Importazione>> {
    importa::ultima_importazione(&app)
}

/// «Annulla questa importazione»: its debts deleted if none was sent, else refused naming them.
#[tauri::command]
pub fn importa_annulla_importazione(
    app: State<'_, StatoApp>,
    id: Option<i64>,
) -> Risultato<importa::ImportazioneAnnullata> {
    importa::annulla_importazione(&app, id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_name_header_is_decoded() {
        assert_eq!(decodifica_uri("Lista%20TARI%C3%A8.csv"), "Lista TARIè.csv");
        assert_eq!(decodifica_uri("100%.csv"), "100%.csv");
    }
}

/// The Importa and Dovuti commands through the real IPC (MockRuntime): argument names, raw
/// bodies, JSON shapes as the window sends and reads them.
#[cfg(test)]
mod ipc {
    use serde_json::json;
    use tauri::WebviewWindow;
    use tauri::ipc::InvokeBody;
    use tauri::test::MockRuntime;

    use crate::commands::prova_ipc::{chiama, chiama_json as json_call};

    fn finestra(db: &std::path::Path) -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
        crate::commands::prova_ipc::finestra(db, 0)
    }

    #[test]
    fn upload_preview_draft_form_and_bulk_ready_through_the_ipc() {
        let dir = tempfile::tempdir().unwrap();
        let (_app, w) = finestra(&dir.path().join("desk.sqlite"));

        // The file as `<input type="file">` sends it: raw bytes, the name in a header.
        let csv = "CF;Nominativo;Quota;Scadenza\n\
                   RSSMRA80A01H501U;Rossi Mario;25,00;31/12/2030\n\
                   02342520158;Ditta Srl;centoventi;31/12/2030\n";
        let mut headers = tauri::http::HeaderMap::new();
        headers.insert("x-nome-file", "quote%20TARI.csv".parse().unwrap());
        let f = chiama(
            &w,
            "importa_carica",
            InvokeBody::Raw(csv.as_bytes().to_vec()),
            headers,
        )
        .unwrap();
        assert_eq!(f["nome"], "quote TARI.csv");
        let percorso = f["percorso"].as_str().unwrap().to_string();

        // Preview: «Quota» is not recognised; the window maps it by letter.
        let a = json_call(
            &w,
            "importa_anteprima",
            json!({ "scelte": { "percorso": percorso, "tipo": "TARI" } }),
        )
        .unwrap();
        assert_eq!(a["mancanti"].as_array().unwrap().len(), 1, "{a}");
        assert_eq!(a["righe"][1]["riga"], 3);
        assert!(
            a["campi"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["chiave"] == "importo")
        );
        let a = json_call(
            &w,
            "importa_anteprima",
            json!({ "scelte": { "percorso": percorso, "tipo": "TARI", "abbinamenti": ["importo=C"] } }),
        )
        .unwrap();
        assert_eq!(a["mancanti"], json!([]), "{a}");
        let bad = json_call(
            &w,
            "importa_anteprima",
            json!({ "scelte": { "percorso": "relativo.csv" } }),
        )
        .unwrap_err();
        assert_eq!(bad["codice"], "argomento");

        // «Solo verifica» writes nothing; «Importa» keeps the bad row as a draft. Both run on a
        // second desk on the same database, progress over a channel.
        let scelte = json!({
            "scelte": { "percorso": percorso, "tipo": "TARI", "abbinamenti": ["importo=C"] },
            "avanzamento": "__CHANNEL__:1",
        });
        let check = json_call(&w, "importa_verifica", scelte.clone()).unwrap();
        assert_eq!(
            (check["righe_lette"].clone(), check["importate"].clone()),
            (json!(2), json!(0))
        );
        let report = json_call(&w, "importa_esegui", scelte).unwrap();
        assert_eq!(report["importate"], 2, "{report}");
        assert_eq!(report["bozze"], 1, "{report}");
        let errore = &report["errori"][0];
        assert_eq!(errore["riga"], 3);
        assert_eq!(errore["bozza"], true);
        assert_eq!(errore["problemi"][0]["campo"], "Quota");
        assert_eq!(errore["problemi"][0]["valore"], "centoventi");
        let iud = errore["iud"].as_str().unwrap().to_string();
        // The row names its payer and its amount as written (issue 13).
        assert_eq!(errore["pagatore"], "Ditta Srl", "{errore}");
        assert_eq!(errore["importo"], "centoventi", "{errore}");
        // The next draft to fix, from any other debt: this one.
        let n = json_call(
            &w,
            "dovuti_successiva_da_correggere",
            json!({ "iud": "NESSUNO" }),
        )
        .unwrap();
        assert_eq!(n, json!(iud));
        // The window's desk sees what the background desk wrote.
        let pagina = json_call(
            &w,
            "dovuti_pagina",
            json!({ "richiesta": { "limit": 10, "stato": "draft" } }),
        )
        .unwrap();
        assert_eq!(pagina["totale"], 1, "{pagina}");
        assert_eq!(pagina["righe"][0]["da_correggere"], true, "{pagina}");

        // The form: the amount as typed, its problem under the field.
        let s = json_call(&w, "dovuto_scheda", json!({ "iud": iud })).unwrap();
        assert_eq!(s["stato"], "draft");
        assert_eq!(s["valori"]["importo"], "centoventi");
        assert_eq!(s["problemi"][0]["chiave"], "importo");
        assert_eq!(s["origine"], "quote TARI.csv, riga 3");

        // Bulk ready refuses it; fixed in the form with «pronto», it is ready.
        let e = json_call(&w, "dovuti_pronti", json!({ "iuds": [iud] })).unwrap();
        assert_eq!(e[0]["ok"], false);
        let e = json_call(
            &w,
            "dovuto_salva",
            json!({ "iud": iud, "campi": { "importo": "120,00" }, "pronto": true }),
        )
        .unwrap();
        assert_eq!(e["salvato"], true, "{e}");
        assert_eq!(e["scheda"]["stato"], "ready");
        assert_eq!(e["scheda"]["valori"]["importo"], "120,00");
        let e = json_call(&w, "dovuti_annulla", json!({ "iuds": [iud, "NESSUNO"] })).unwrap();
        assert_eq!(e[0]["ok"], true);
        assert_eq!(e[1]["ok"], false);
        // «Elimina bozze» refuses what is no draft; «Annulla questa importazione» removes both
        // debts of the file, the cancelled one too.
        let e = json_call(&w, "dovuti_elimina_bozze", json!({ "iuds": ["NESSUNO"] })).unwrap();
        assert_eq!(e["eliminate"], json!([]));
        assert_eq!(e["rifiutate"][0]["iud"], "NESSUNO");
        let ultima = json_call(&w, "importa_ultima", json!({})).unwrap();
        assert_eq!(ultima["file"], "quote TARI.csv", "{ultima}");
        let r = json_call(
            &w,
            "importa_annulla_importazione",
            json!({ "id": ultima["id"] }),
        )
        .unwrap();
        assert_eq!(r["eliminati"].as_array().unwrap().len(), 2, "{r}");
        assert_eq!(
            json_call(&w, "importa_ultima", json!({})).unwrap(),
            json!(null)
        );
        let bad = json_call(&w, "dovuti_pronti", json!({ "iuds": [] })).unwrap_err();
        assert_eq!(bad["codice"], "argomento");
        let bad = json_call(
            &w,
            "dovuti_pagina",
            json!({ "richiesta": { "limit": 10, "stato": "boh" } }),
        )
        .unwrap_err();
        assert_eq!(bad["codice"], "argomento", "{bad}");
        let formati = json_call(&w, "importa_formati", json!({})).unwrap();
        assert!(
            formati["estensioni"]
                .as_array()
                .unwrap()
                .contains(&json!("xlsx")),
            "{formati}"
        );

        // The template where the save dialog said, `.xlsx` added when missing.
        let out = dir.path().join("modello");
        let scritto = json_call(&w, "importa_modello", json!({ "percorso": out })).unwrap();
        let scritto = std::path::PathBuf::from(scritto.as_str().unwrap());
        assert_eq!(scritto, dir.path().join("modello.xlsx"));
        assert!(std::fs::metadata(&scritto).unwrap().len() > 1000);
        std::fs::remove_dir_all(std::path::Path::new(&percorso).parent().unwrap()).unwrap();
    }

    /// Issue 13 item 1 through the IPC: a repeated row is a draft in the report's group,
    /// «Importa comunque» makes it ready, and the same file again is refused with its code.
    #[test]
    fn a_repeated_row_waits_for_importa_comunque_and_a_file_again_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (_app, w) = finestra(&dir.path().join("desk.sqlite"));
        let csv = "CF;Nominativo;Importo;Scadenza;Causale\n\
                   RSSMRA80A01H501U;Rossi Mario;25,00;31/12/2030;TARI 2030\n\
                   RSSMRA80A01H501U;Rossi Mario;25,00;31/12/2030;TARI 2030\n";
        let mut headers = tauri::http::HeaderMap::new();
        headers.insert("x-nome-file", "doppia.csv".parse().unwrap());
        let f = chiama(
            &w,
            "importa_carica",
            InvokeBody::Raw(csv.as_bytes().to_vec()),
            headers,
        )
        .unwrap();
        let percorso = f["percorso"].as_str().unwrap().to_string();
        let scelte = json!({
            "scelte": { "percorso": percorso, "tipo": "TARI" },
            "avanzamento": "__CHANNEL__:1",
        });
        let report = json_call(&w, "importa_esegui", scelte.clone()).unwrap();
        assert_eq!(
            (report["importate"].clone(), report["bozze"].clone()),
            (json!(2), json!(1)),
            "{report}"
        );
        let g = &report["duplicati"][0];
        assert_eq!(g["riga"], 2, "{report}");
        assert_eq!(g["righe"], json!([3]));
        let bozze = g["bozze"].clone();
        let e = json_call(&w, "importa_comunque", json!({ "bozze": bozze })).unwrap();
        assert_eq!(e[0]["ok"], true, "{e}");
        let s = json_call(&w, "dovuto_scheda", json!({ "iud": bozze[0] })).unwrap();
        assert_eq!(s["stato"], "ready");
        let bad = json_call(&w, "importa_comunque", json!({ "bozze": [] })).unwrap_err();
        assert_eq!(bad["codice"], "argomento");

        let again = json_call(&w, "importa_esegui", scelte).unwrap_err();
        assert_eq!(again["codice"], "file_gia_importato", "{again}");
        assert!(
            again["messaggio"]
                .as_str()
                .unwrap()
                .starts_with("il file «doppia.csv» è già stato importato"),
            "{again}"
        );
        std::fs::remove_dir_all(std::path::Path::new(&percorso).parent().unwrap()).unwrap();
    }
}
