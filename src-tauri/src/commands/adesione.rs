//! Ente e adesione, Contributo: the profile, its completeness, the documents and the
//! contribution (`mpd_app::adesione`, `mpd_app::contributo`: the same operations as
//! `ente …`, `adesione …` and `contributo …`). Paths come from the window's file dialogs and
//! must be complete; the documents folder is opened from here once the files are written.

use std::path::PathBuf;

use mpd_app::adesione::{
    self, Completezza, EsitoDocumenti, ModuloEnte, PassoRegistrato, PrefissoTipo, Salvataggio,
    TabelleAdesione, VoceTassonomia,
};
use mpd_app::contributo::{
    self, EsitoContributo, SimulazioneContributo, StatoContributo, VoceNuova,
};
use mpd_app::{Errore, Risultato};
use tauri::State;

use super::StatoApp;

/// A path the window sends: it comes from a file dialog, so it is complete.
fn percorso(p: &str) -> Risultato<PathBuf> {
    let p = p.trim();
    if p.is_empty() || p.len() > 4096 || p.contains('\0') {
        return Err(Errore::argomento("percorso non valido"));
    }
    let path = PathBuf::from(p);
    if !path.is_absolute() {
        return Err(Errore::argomento(format!(
            "«{p}»: serve un percorso completo (sceglierlo con la finestra di dialogo)"
        )));
    }
    Ok(path)
}

// ---------------------------------------------------------------------------------------------
// Ente e adesione
// ---------------------------------------------------------------------------------------------

/// The kinds of Ente and the adhesion modes, for the pick lists.
#[tauri::command]
pub fn adesione_tabelle() -> TabelleAdesione {
    adesione::tabelle()
}

/// The stored profile as a form (an empty one before the first save).
#[tauri::command]
pub fn ente_modulo(app: State<'_, StatoApp>) -> Risultato<ModuloEnte> {
    adesione::ente_modulo(&app)
}

/// Copies the logo the clerk chose into the data folder; returns the name for the form.
#[tauri::command]
pub fn ente_logo(app: State<'_, StatoApp>, percorso_file: String) -> Risultato<String> {
    adesione::ente_logo(&app, &percorso(&percorso_file)?)
}

/// Checks the form field by field and saves it when every field is acceptable.
#[tauri::command]
pub fn ente_salva(app: State<'_, StatoApp>, modulo: ModuloEnte) -> Risultato<Salvataggio> {
    adesione::ente_salva(&app, modulo)
}

/// The completeness check: what is missing or wrong, and why it matters.
#[tauri::command]
pub fn ente_completezza(app: State<'_, StatoApp>) -> Risultato<Completezza> {
    adesione::ente_completezza(&app)
}

/// Writes the adhesion documents into `cartella` (chosen with the dialog) and, with `apri`,
/// opens the folder; an incomplete profile gets no document and the list of what is missing.
#[tauri::command]
pub async fn ente_documenti(
    app: State<'_, StatoApp>,
    cartella: String,
    apri: bool,
) -> Risultato<EsitoDocumenti> {
    let dir = percorso(&cartella)?;
    let esito = adesione::documenti(&app, &dir)?;
    if apri && let Some(c) = &esito.cartella {
        // Not fatal: the files are written, the clerk can open the folder by hand.
        if let Err(e) = tauri_plugin_opener::open_path(c, None::<&str>) {
            tracing::warn!("apertura della cartella dei documenti non riuscita: {e}");
        }
    }
    Ok(esito)
}

/// Loads a profile file (TOML) picked with the open dialog; returns the warnings.
#[tauri::command]
pub fn ente_importa_profilo(
    app: State<'_, StatoApp>,
    percorso_file: String,
) -> Risultato<Vec<String>> {
    Ok(adesione::ente_importa(&app, &percorso(&percorso_file)?)?.avvisi)
}

/// Writes the stored profile as a TOML file (to move it to another computer).
#[tauri::command]
pub fn ente_esporta_profilo(app: State<'_, StatoApp>, percorso_file: String) -> Risultato<String> {
    adesione::ente_esporta(&app, &percorso(&percorso_file)?)
}

/// The pagoPA taxonomy shipped with the app, to pick a payment type's code from.
#[tauri::command]
pub async fn tassonomia_elenco(app: State<'_, StatoApp>) -> Risultato<Vec<VoceTassonomia>> {
    adesione::tassonomia(&app)
}

/// Each payment type's taxonomy prefix in the form as typed: its meaning, and a warning when
/// it looks unintended.
#[tauri::command]
pub fn ente_prefissi(modulo: ModuloEnte) -> Vec<Option<PrefissoTipo>> {
    adesione::ente_prefissi(&modulo)
}

/// The adhesion steps with the dates recorded.
#[tauri::command]
pub fn adesione_passi(app: State<'_, StatoApp>) -> Risultato<Vec<PassoRegistrato>> {
    adesione::passi(&app)
}

/// Records the date of a step (`delibera`, `pec-inviata`, …), `gg/mm/aaaa`.
#[tauri::command]
pub fn adesione_passo_registra(
    app: State<'_, StatoApp>,
    passo: String,
    data: String,
    nota: Option<String>,
) -> Risultato<Vec<PassoRegistrato>> {
    adesione::passo_registra(&app, &passo, &data, nota.as_deref())
}

// ---------------------------------------------------------------------------------------------
// Contributo
// ---------------------------------------------------------------------------------------------

/// The contribution screen's data.
#[tauri::command]
pub fn contributo_stato(app: State<'_, StatoApp>) -> Risultato<StatoContributo> {
    contributo::stato(&app)
}

/// Adds an expense item; returns the updated screen data.
#[tauri::command]
pub fn contributo_voce_aggiungi(
    app: State<'_, StatoApp>,
    voce: VoceNuova,
) -> Risultato<StatoContributo> {
    Ok(contributo::voce_aggiungi(&app, &voce)?.stato)
}

/// Deletes an expense item.
#[tauri::command]
pub fn contributo_voce_elimina(app: State<'_, StatoApp>, id: i64) -> Risultato<StatoContributo> {
    contributo::voce_elimina(&app, id)
}

/// Records a requested, granted or received amount (`tipo`: richiesto, concesso, incassato).
#[tauri::command]
pub fn contributo_importo_aggiungi(
    app: State<'_, StatoApp>,
    tipo: String,
    importo: String,
    data: String,
    riferimento: Option<String>,
) -> Risultato<StatoContributo> {
    Ok(contributo::importo_aggiungi(&app, &tipo, &importo, &data, riferimento.as_deref())?.stato)
}

/// Deletes a tracked amount typed by mistake.
#[tauri::command]
pub fn contributo_importo_elimina(app: State<'_, StatoApp>, id: i64) -> Risultato<StatoContributo> {
    contributo::importo_elimina(&app, id)
}

/// The what-if computation (kind, population, modes, expense) under the rules in use.
#[tauri::command]
pub fn contributo_simula(
    app: State<'_, StatoApp>,
    simulazione: SimulazioneContributo,
) -> Risultato<EsitoContributo> {
    contributo::simula(&app, &simulazione)
}

/// Writes the summary report to `percorso_file` (from the save dialog): PDF or XLSX by its
/// extension.
#[tauri::command]
pub async fn contributo_riepilogo_salva(
    app: State<'_, StatoApp>,
    percorso_file: String,
) -> Risultato<String> {
    contributo::riepilogo_salva(&app, &percorso(&percorso_file)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_from_the_window_must_be_absolute() {
        assert!(percorso("relativo/x").is_err());
        assert!(percorso("").is_err());
        assert!(percorso(&std::env::temp_dir().display().to_string()).is_ok());
    }

    /// The logo the clerk picks reaches the application layer, which checks and copies it.
    #[test]
    fn the_logo_is_checked_and_copied_through_the_ipc() {
        use crate::commands::prova_ipc::{chiama_json, finestra};
        use serde_json::json;
        let dir = tempfile::tempdir().unwrap();
        let (_app, w) = finestra(&dir.path().join("desk.sqlite"), 0);
        let gif = dir.path().join("stemma.gif");
        std::fs::write(&gif, b"GIF89a....").unwrap();
        let e = chiama_json(&w, "ente_logo", json!({ "percorsoFile": gif })).unwrap_err();
        assert_eq!(e["codice"], "non_valido", "{e}");
        assert!(
            e["messaggio"].as_str().unwrap().contains("PNG o JPEG"),
            "{e}"
        );
        let e = chiama_json(&w, "ente_logo", json!({ "percorsoFile": "stemma.png" })).unwrap_err();
        assert_eq!(e["codice"], "argomento", "{e}");
        assert!(!dir.path().join("logo-ente.png").exists());
    }
}

/// The window and the CLI on the same database give the same answers: the what-if (issue 12:
/// it was provisional only in the window), the completeness check and the documents.
#[cfg(test)]
mod stesse_risposte {
    use serde_json::{Value, json};

    use crate::commands::prova_ipc::{chiama_json, finestra};

    /// `mypay-desk --db DB --json ARGS…`: exit code and the JSON it printed.
    fn cli(db: &std::path::Path, args: &[&str]) -> (i32, Value) {
        let mut all = vec![
            "mypay-desk".into(),
            "--db".into(),
            db.as_os_str().to_owned(),
        ];
        all.extend(args.iter().map(std::ffi::OsString::from));
        all.insert(3, "--json".into());
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = mpd_cli::run_con_frase_archivio(
            all,
            &mut out,
            &mut err,
            Some(mpd_core::testing::CHIAVE_DI_PROVA.into()),
        );
        let text = String::from_utf8(out).unwrap();
        let v = serde_json::from_str(&text).unwrap_or_else(|e| {
            panic!(
                "{args:?}: no JSON ({e}): {text}\n{}",
                String::from_utf8_lossy(&err)
            )
        });
        (code, v)
    }

    #[test]
    fn the_what_if_is_the_same_through_the_window_and_the_cli() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("desk.sqlite");
        let (_app, w) = finestra(&db, 0);
        for (tipo, pop, modalita, spesa) in [
            ("comune", "2000", "base,per-flussi", "10000"),
            ("comune-montano", "4200", "per-flussi", "12.345,67"),
            ("comune", "", "base,per-flussi", "10000"),
            ("comunita-montana", "1000", "base", ""),
            ("unione-comuni", "2000", "presso-ente", "500"),
        ] {
            let finestra = chiama_json(
                &w,
                "contributo_simula",
                json!({ "simulazione": {
                    "tipo_ente": tipo, "popolazione": pop,
                    "modalita": modalita.split(',').collect::<Vec<_>>(), "spesa": spesa } }),
            )
            .unwrap();
            let mut args = vec![
                "contributo",
                "calcola",
                "--tipo-ente",
                tipo,
                "--modalita",
                modalita,
            ];
            if !pop.is_empty() {
                args.extend(["--popolazione", pop]);
            }
            if !spesa.is_empty() {
                args.extend(["--spesa", spesa]);
            }
            let (code, riga) = cli(&db, &args);
            assert_eq!(code, 0, "{args:?}: {riga:#}");
            for k in [
                "provvisorio",
                "percentuale",
                "motivo",
                "spesa",
                "spesa_ammessa",
                "contributo",
                "avvisi",
            ] {
                assert_eq!(finestra[k], riga[k], "{k} differs for {args:?}");
            }
            assert_eq!(finestra, riga, "{args:?}");
        }
        // A comune's hypothetical population has no reference date: provisional in both.
        let (_, v) = cli(
            &db,
            &[
                "contributo",
                "calcola",
                "--tipo-ente",
                "comune",
                "--popolazione",
                "2000",
                "--modalita",
                "base,per-flussi",
            ],
        );
        assert_eq!(v["provvisorio"], true, "{v:#}");
    }

    #[test]
    fn completeness_documents_and_the_profile_computation_agree() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("desk.sqlite");
        let (_app, w) = finestra(&db, 0);
        let finestra = chiama_json(&w, "ente_completezza", json!({})).unwrap();
        let (code, riga) = cli(&db, &["ente", "check"]);
        assert_eq!(code, 1);
        assert_eq!(finestra, riga);

        let out = dir.path().join("documenti");
        let finestra = chiama_json(
            &w,
            "ente_documenti",
            json!({ "cartella": out, "apri": false }),
        )
        .unwrap();
        let (code, riga) = cli(
            &db,
            &["adesione", "documenti", "--out", out.to_str().unwrap()],
        );
        assert_eq!(code, 1);
        assert_eq!(finestra, riga);
        assert_eq!(finestra["completo"], false);
        assert!(!finestra["mancanti"].as_array().unwrap().is_empty());

        let stato = chiama_json(&w, "contributo_stato", json!({})).unwrap();
        let (code, riga) = cli(&db, &["contributo", "calcola"]);
        assert_eq!(code, 0);
        assert_eq!(stato["calcolo"], riga);
    }
}
