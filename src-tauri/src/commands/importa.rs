//! Importa: the clerk's spreadsheet into the store.
//!
//! The window picks a file three ways: an `<input type="file">` (its bytes come in a raw IPC
//! body, [`importa_carica`], and are kept in a private temporary folder), drag and drop and the
//! dialog plugin's `open()` (both give a path). Then: [`importa_anteprima`] (sheets, first
//! rows, proposed mapping, mandatory fields unmapped; again after each change of mapping),
//! [`importa_verifica`] (the full report, nothing written), [`importa_esegui`] (valid rows
//! ready, invalid rows kept as drafts with their problems), [`importa_annulla`], and
//! [`importa_modello`] (the Excel template, to a path chosen with the save dialog).
//!
//! Checking and importing run on a blocking thread with a second desk on the same database
//! (WAL), progress over a [`Channel`] and a cancel flag: the window never freezes and the
//! window's desk stays free for other screens.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use mpd_core::Desk;
use mpd_core::import::{ImportHooks, ImportMode, ImportProgress, ImportReport};
use mpd_core::sheets::{SheetOptions, SheetPreview};
use mpd_sheets::mapping::Field;
use serde::Serialize;
use tauri::ipc::{Channel, InvokeBody, Request};

use super::{DeskState, ErroreUi, with_desk};

/// The largest file the window may send (a 1,048,576-row sheet is ~100 MB).
pub const MAX_BYTE: usize = 256 * 1024 * 1024;
/// Extensions the import reads.
pub const ESTENSIONI: [&str; 6] = ["xlsx", "xlsm", "xls", "ods", "csv", "txt"];
/// The most `campo=colonna` pairs the window may send.
const MAX_ABBINAMENTI: usize = 64;

/// The import's cancel flag.
#[derive(Default)]
pub struct StatoImporta {
    pub annulla: Arc<AtomicBool>,
}

/// A file the window sent as bytes, now on disk.
#[derive(Debug, Serialize)]
pub struct FileCaricato {
    pub percorso: String,
    pub nome: String,
    pub byte: usize,
}

/// A field the mapping can feed, for the window's selects.
#[derive(Debug, Serialize)]
pub struct CampoFoglio {
    pub chiave: &'static str,
    pub etichetta: &'static str,
    pub obbligatorio: bool,
}

/// The preview with the fields the mapping offers.
#[derive(Debug, Serialize)]
pub struct Anteprima {
    #[serde(flatten)]
    pub anteprima: SheetPreview,
    pub campi: Vec<CampoFoglio>,
}

/// The fields, mandatory first.
pub fn campi() -> Vec<CampoFoglio> {
    Field::ALL
        .iter()
        .map(|f| CampoFoglio {
            chiave: f.key(),
            etichetta: f.label_it(),
            obbligatorio: matches!(f, Field::Codice | Field::Anagrafica | Field::Importo),
        })
        .collect()
}

/// A file name reduced to safe characters (it names a file in our temporary folder).
pub fn nome_sicuro(nome: &str) -> String {
    let base = nome.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let clean = clean.trim().trim_start_matches('.').to_string();
    if clean.is_empty() {
        "foglio".into()
    } else {
        clean.chars().take(120).collect()
    }
}

fn estensione_ammessa(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ESTENSIONI.contains(&e.to_ascii_lowercase().as_str()))
}

/// Checks a path the window sent: absolute, an existing file we can read.
pub fn percorso(p: &str) -> Result<PathBuf, ErroreUi> {
    let path = PathBuf::from(p.trim());
    if p.len() > 4096 || !path.is_absolute() {
        return Err(ErroreUi::argomento("percorso del file non valido"));
    }
    if !estensione_ammessa(&path) {
        return Err(ErroreUi::argomento(format!(
            "«{}»: si importano file {}",
            path.display(),
            ESTENSIONI.map(|e| format!(".{e}")).join(" ")
        )));
    }
    if !path.is_file() {
        return Err(ErroreUi::argomento(format!(
            "il file «{}» non esiste o non è leggibile",
            path.display()
        )));
    }
    Ok(path)
}

/// The clerk's choices, checked.
pub fn opzioni(
    foglio: Option<String>,
    tipo: Option<String>,
    abbinamenti: Option<Vec<String>>,
) -> Result<SheetOptions, ErroreUi> {
    let abbinamenti = abbinamenti.unwrap_or_default();
    if abbinamenti.len() > MAX_ABBINAMENTI || abbinamenti.iter().any(|a| a.len() > 300) {
        return Err(ErroreUi::argomento("abbinamento delle colonne non valido"));
    }
    for a in &abbinamenti {
        let campo = a.split_once('=').map(|(k, _)| k).unwrap_or(a);
        if Field::from_key(campo).is_none() {
            return Err(ErroreUi::argomento(format!("campo «{campo}» sconosciuto")));
        }
    }
    let breve = |s: Option<String>, cosa: &str| -> Result<Option<String>, ErroreUi> {
        match s.filter(|s| !s.trim().is_empty()) {
            Some(s) if s.len() > 200 => Err(ErroreUi::argomento(format!("{cosa} troppo lungo"))),
            other => Ok(other),
        }
    };
    Ok(SheetOptions {
        sheet: breve(foglio, "nome del foglio")?,
        tipo: breve(tipo, "tipo dovuto")?,
        mapping: abbinamenti,
        valid_only: false,
    })
}

/// Where files sent as bytes are kept (private to this process).
fn cartella_caricati() -> PathBuf {
    std::env::temp_dir().join(format!("mypay-desk-importa-{}", std::process::id()))
}

/// Writes the bytes of a file the window read from `<input type="file">`; the file name comes
/// in the `x-nome-file` header (URI-encoded). Returns where it is now.
pub fn salva_caricato(nome: &str, byte: &[u8]) -> Result<FileCaricato, ErroreUi> {
    if byte.is_empty() {
        return Err(ErroreUi::argomento("il file è vuoto"));
    }
    if byte.len() > MAX_BYTE {
        return Err(ErroreUi::argomento(format!(
            "il file è troppo grande ({} MB; al massimo {} MB)",
            byte.len() / 1_000_000,
            MAX_BYTE / 1_000_000
        )));
    }
    let nome = nome_sicuro(nome);
    if !estensione_ammessa(Path::new(&nome)) {
        return Err(ErroreUi::argomento(format!(
            "«{nome}»: si importano file {}",
            ESTENSIONI.map(|e| format!(".{e}")).join(" ")
        )));
    }
    pulisci_caricati(&cartella_caricati(), 3);
    let dir = cartella_caricati().join(format!(
        "{}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    ));
    let scrivi = |e: std::io::Error| ErroreUi {
        codice: "file",
        messaggio: format!("impossibile salvare il file ricevuto: {e}"),
    };
    std::fs::create_dir_all(&dir).map_err(scrivi)?;
    let path = dir.join(&nome);
    std::fs::write(&path, byte).map_err(scrivi)?;
    Ok(FileCaricato {
        percorso: path.display().to_string(),
        nome,
        byte: byte.len(),
    })
}

/// Keeps only the `tieni` newest uploads (each in its own folder named by time): the clerk's
/// lists hold personal data and should not pile up in the temporary folder.
fn pulisci_caricati(cartella: &Path, tieni: usize) {
    let Ok(voci) = std::fs::read_dir(cartella) else {
        return;
    };
    let mut dirs: Vec<(u128, PathBuf)> = voci
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let n = e.file_name().to_str()?.parse::<u128>().ok()?;
            Some((n, e.path()))
        })
        .collect();
    dirs.sort();
    let via = dirs.len().saturating_sub(tieni);
    for (_, d) in dirs.into_iter().take(via) {
        let _ = std::fs::remove_dir_all(d);
    }
}

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
/// the custom protocol is unavailable, a JSON array of bytes).
#[tauri::command]
pub fn importa_carica(request: Request<'_>) -> Result<FileCaricato, ErroreUi> {
    let nome = request
        .headers()
        .get("x-nome-file")
        .and_then(|v| v.to_str().ok())
        .map(decodifica_uri)
        .unwrap_or_default();
    match request.body() {
        InvokeBody::Raw(byte) => salva_caricato(&nome, byte),
        InvokeBody::Json(serde_json::Value::Array(values)) => {
            if values.len() > MAX_BYTE {
                return Err(ErroreUi::argomento("il file è troppo grande"));
            }
            let byte: Option<Vec<u8>> = values
                .iter()
                .map(|v| v.as_u64().and_then(|n| u8::try_from(n).ok()))
                .collect();
            let byte = byte.ok_or_else(|| ErroreUi::argomento("contenuto del file non valido"))?;
            salva_caricato(&nome, &byte)
        }
        InvokeBody::Json(_) => Err(ErroreUi::argomento(
            "contenuto del file non valido: invia i byte del file",
        )),
    }
}

/// Sheets, first rows, the proposed mapping (with the clerk's changes), mandatory fields
/// unmapped.
#[tauri::command]
pub fn importa_anteprima(
    state: tauri::State<'_, DeskState>,
    percorso: String,
    foglio: Option<String>,
    tipo: Option<String>,
    abbinamenti: Option<Vec<String>>,
) -> Result<Anteprima, ErroreUi> {
    let path = self::percorso(&percorso)?;
    let opts = opzioni(foglio, tipo, abbinamenti)?;
    with_desk(&state, |desk| {
        Ok(Anteprima {
            anteprima: desk.preview_sheet(&path, &opts)?,
            campi: campi(),
        })
    })
}

/// A second desk on the window's database, for work off the UI thread.
fn desk_di_lavoro(state: &DeskState) -> Result<Desk, ErroreUi> {
    let path = with_desk(state, |d| Ok(d.db_path().map(Path::to_path_buf)))?;
    Ok(Desk::open(path.as_deref())?)
}

async fn in_background<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    annulla: Arc<AtomicBool>,
    avanzamento: Channel<ImportProgress>,
    lavoro: impl FnOnce(&mut Desk, ImportHooks<'_>) -> Result<ImportReport, ErroreUi> + Send + 'static,
) -> Result<ImportReport, ErroreUi> {
    use tauri::Manager;
    annulla.store(false, Ordering::SeqCst);
    tauri::async_runtime::spawn_blocking(move || {
        let mut desk = desk_di_lavoro(&app.state::<DeskState>())?;
        let invia = move |p: ImportProgress| {
            let _ = avanzamento.send(p);
        };
        let hooks = ImportHooks {
            progress: Some(&invia),
            cancel: Some(&annulla),
        };
        lavoro(&mut desk, hooks).map_err(|e| {
            if annulla.load(Ordering::SeqCst) {
                ErroreUi {
                    codice: "annullato",
                    messaggio: mpd_core::import::ANNULLATA.into(),
                }
            } else {
                e
            }
        })
    })
    .await
    .map_err(|e| ErroreUi {
        codice: "stato",
        messaggio: format!("importazione interrotta: {e}"),
    })?
}

/// The full report of the file with the clerk's choices: nothing is written.
#[tauri::command]
pub async fn importa_verifica<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    stato: tauri::State<'_, StatoImporta>,
    percorso: String,
    foglio: Option<String>,
    tipo: Option<String>,
    abbinamenti: Option<Vec<String>>,
    avanzamento: Channel<ImportProgress>,
) -> Result<ImportReport, ErroreUi> {
    let path = self::percorso(&percorso)?;
    let opts = opzioni(foglio, tipo, abbinamenti)?;
    in_background(
        app,
        stato.annulla.clone(),
        avanzamento,
        move |desk, hooks| Ok(desk.check_file_with(&path, &opts, hooks)?),
    )
    .await
}

/// Imports the file: valid rows ready for the next flow, invalid rows kept as drafts with
/// their problems (the report's errors name them). All or nothing if cancelled.
#[tauri::command]
pub async fn importa_esegui<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    stato: tauri::State<'_, StatoImporta>,
    percorso: String,
    foglio: Option<String>,
    tipo: Option<String>,
    abbinamenti: Option<Vec<String>>,
    avanzamento: Channel<ImportProgress>,
) -> Result<ImportReport, ErroreUi> {
    let path = self::percorso(&percorso)?;
    let opts = opzioni(foglio, tipo, abbinamenti)?;
    let report = in_background(
        app.clone(),
        stato.annulla.clone(),
        avanzamento,
        move |desk, hooks| {
            Ok(desk.import_file_with(&path, &opts, ImportMode::KeepDrafts, hooks)?)
        },
    )
    .await?;
    // A very large import leaves its indexes to the background upkeep.
    super::manutenzione::avvia(&app);
    Ok(report)
}

/// Stops the running check or import (nothing is written).
#[tauri::command]
pub fn importa_annulla(stato: tauri::State<'_, StatoImporta>) {
    stato.annulla.store(true, Ordering::SeqCst);
}

/// Writes the Excel template where the clerk chose (save dialog). Returns the path.
#[tauri::command]
pub fn importa_modello(
    state: tauri::State<'_, DeskState>,
    percorso: String,
) -> Result<String, ErroreUi> {
    let mut path = PathBuf::from(percorso.trim());
    if percorso.len() > 4096 || !path.is_absolute() {
        return Err(ErroreUi::argomento("percorso del modello non valido"));
    }
    if path
        .extension()
        .is_none_or(|e| !e.eq_ignore_ascii_case("xlsx"))
    {
        path.set_extension("xlsx");
    }
    with_desk(&state, |desk| {
        Ok(desk.write_template(&path)?.display().to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_paths_are_checked() {
        assert_eq!(nome_sicuro("../../etc/passwd"), "passwd");
        assert_eq!(
            nome_sicuro("C:\\Users\\x\\Lista TARI.xlsx"),
            "Lista TARI.xlsx"
        );
        assert_eq!(nome_sicuro("..xlsx"), "xlsx");
        assert_eq!(nome_sicuro(""), "foglio");
        assert_eq!(decodifica_uri("Lista%20TARI%C3%A8.csv"), "Lista TARIè.csv");
        assert_eq!(percorso("relativo.csv").unwrap_err().codice, "argomento");
        assert_eq!(
            percorso("/nessuno/file.exe").unwrap_err().codice,
            "argomento"
        );
        assert_eq!(
            percorso("/nessuno/file.csv").unwrap_err().codice,
            "argomento"
        );
        assert!(salva_caricato("a.exe", b"x").is_err());
        assert!(salva_caricato("a.csv", b"").is_err());
        let f = salva_caricato("../lista.csv", b"CF;Nome\n").unwrap();
        assert_eq!(f.nome, "lista.csv");
        assert_eq!(std::fs::read(&f.percorso).unwrap(), b"CF;Nome\n");
        assert_eq!(percorso(&f.percorso).unwrap(), PathBuf::from(&f.percorso));
        std::fs::remove_dir_all(Path::new(&f.percorso).parent().unwrap()).unwrap();
    }

    #[test]
    fn only_the_newest_uploads_are_kept() {
        let dir = std::env::temp_dir().join(format!("mpd-pulisci-{}", std::process::id()));
        for n in [10u32, 30, 20, 40] {
            std::fs::create_dir_all(dir.join(n.to_string())).unwrap();
        }
        std::fs::create_dir_all(dir.join("altro")).unwrap();
        pulisci_caricati(&dir, 2);
        let mut rest: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        rest.sort();
        assert_eq!(rest, vec!["30", "40", "altro"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn options_refuse_unknown_fields() {
        assert!(opzioni(None, None, Some(vec!["importo=C".into()])).is_ok());
        assert!(opzioni(None, None, Some(vec!["boh=C".into()])).is_err());
        let o = opzioni(Some(" ".into()), Some("TARI".into()), None).unwrap();
        assert_eq!(o.sheet, None);
        assert_eq!(o.tipo.as_deref(), Some("TARI"));
        assert!(
            campi()
                .iter()
                .any(|c| c.chiave == "importo" && c.obbligatorio)
        );
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
            json!({ "percorso": percorso, "tipo": "TARI" }),
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
            json!({ "percorso": percorso, "tipo": "TARI", "abbinamenti": ["importo=C"] }),
        )
        .unwrap();
        assert_eq!(a["mancanti"], json!([]), "{a}");
        let bad = json_call(
            &w,
            "importa_anteprima",
            json!({ "percorso": "relativo.csv" }),
        )
        .unwrap_err();
        assert_eq!(bad["codice"], "argomento");

        // «Solo verifica» writes nothing; «Importa» keeps the bad row as a draft. Both run on a
        // second desk on the same database, progress over a channel.
        let scelte = json!({
            "percorso": percorso, "tipo": "TARI", "abbinamenti": ["importo=C"],
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
        let bad = json_call(&w, "dovuti_pronti", json!({ "iuds": [] })).unwrap_err();
        assert_eq!(bad["codice"], "argomento");

        // The template where the save dialog said, `.xlsx` added when missing.
        let out = dir.path().join("modello");
        let scritto = json_call(&w, "importa_modello", json!({ "percorso": out })).unwrap();
        let scritto = std::path::PathBuf::from(scritto.as_str().unwrap());
        assert_eq!(scritto, dir.path().join("modello.xlsx"));
        assert!(std::fs::metadata(&scritto).unwrap().len() > 1000);
        std::fs::remove_dir_all(std::path::Path::new(&percorso).parent().unwrap()).unwrap();
    }
}
