//! Ente e adesione, Contributo: the profile, its completeness, the documents and the contribution.
//!
//! Adapters onto `mpd_core::adesione` (the same operations as `ente check`, `adesione …` and
//! `contributo …`). Paths come from the window's file dialogs; the documents folder is opened
//! from here (never a path the window names freely) once the files are written.

use std::path::{Path, PathBuf};

use mpd_core::Desk;
use mpd_core::adesione::{
    AdesioneCoreError, AdesioneError, CalcoloProfilo, Esito, Misura, Modalita, ModuloEnte,
    Movimento, PassoRegistrato, Problema, Richiesta, Salvataggio, Stima, TipoEnte, Verifica,
    VoceInput, VoceTassonomia,
};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{DeskState, ErroreUi, with_desk};

/// Longest text the window may send in a free field (descriptions, notes, references).
const MAX_TESTO: usize = 500;

impl From<AdesioneCoreError> for ErroreUi {
    fn from(e: AdesioneCoreError) -> Self {
        match e {
            AdesioneCoreError::Core(c) => c.into(),
            AdesioneCoreError::Invalid(m) => ErroreUi::argomento(m),
            AdesioneCoreError::Adesione(a) => ErroreUi {
                codice: "adesione",
                messaggio: a.to_string(),
            },
        }
    }
}

fn testo(v: &str, campo: &str) -> Result<(), ErroreUi> {
    if v.chars().count() > MAX_TESTO {
        return Err(ErroreUi::argomento(format!(
            "{campo}: al massimo {MAX_TESTO} caratteri"
        )));
    }
    Ok(())
}

fn percorso(p: &str) -> Result<PathBuf, ErroreUi> {
    let p = p.trim();
    if p.is_empty() || p.len() > 4096 || p.contains('\0') {
        return Err(ErroreUi::argomento("percorso non valido"));
    }
    let path = PathBuf::from(p);
    if !path.is_absolute() {
        return Err(ErroreUi::argomento(format!(
            "«{p}»: serve un percorso completo (sceglierlo con la finestra di dialogo)"
        )));
    }
    Ok(path)
}

fn opzionale(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

// ---------------------------------------------------------------------------------------------
// Ente e adesione
// ---------------------------------------------------------------------------------------------

/// The stored profile as a form (an empty one before the first save).
#[tauri::command]
pub fn ente_modulo(state: tauri::State<'_, DeskState>) -> Result<ModuloEnte, ErroreUi> {
    with_desk(&state, |d| Ok(d.ente_modulo()?))
}

/// Checks the form field by field and saves it when every field is acceptable.
#[tauri::command]
pub fn ente_salva(
    state: tauri::State<'_, DeskState>,
    modulo: ModuloEnte,
) -> Result<Salvataggio, ErroreUi> {
    if modulo.tipi.len() > 500 || modulo.conti.len() > 50 {
        return Err(ErroreUi::argomento("troppi tipi dovuto o conti nel modulo"));
    }
    with_desk(&state, |d| Ok(d.salva_modulo(&modulo)?))
}

/// The completeness check: what is missing or wrong, and why it matters.
#[tauri::command]
pub fn ente_completezza(state: tauri::State<'_, DeskState>) -> Result<Verifica, ErroreUi> {
    with_desk(&state, |d| Ok(d.ente_check()?))
}

/// The outcome of "Genera documenti": the files written, or what is missing.
#[derive(Debug, Serialize)]
pub struct EsitoDocumenti {
    pub cartella: Option<String>,
    pub file: Vec<String>,
    /// Errors of the completeness check: no document was written.
    pub mancanti: Vec<Problema>,
    /// Warnings printed in the documents as things to verify.
    pub avvisi: Vec<Problema>,
}

fn documenti(d: &Desk, cartella: &Path) -> Result<EsitoDocumenti, ErroreUi> {
    match d.adesione_documenti(cartella) {
        Ok(g) => Ok(EsitoDocumenti {
            cartella: Some(g.cartella.display().to_string()),
            file: g.file.iter().map(|f| f.display().to_string()).collect(),
            mancanti: Vec::new(),
            avvisi: g.avvisi,
        }),
        Err(AdesioneCoreError::Adesione(AdesioneError::Incompleto(problemi))) => {
            Ok(EsitoDocumenti {
                cartella: None,
                file: Vec::new(),
                mancanti: problemi,
                avvisi: Vec::new(),
            })
        }
        Err(e) => Err(e.into()),
    }
}

/// Writes the Atto di adesione, the Modulo informativa and the PEC reminder (ODT + PDF) into
/// `cartella` (chosen with the dialog) and opens the folder; refuses an incomplete profile with
/// the list of what is missing.
#[tauri::command]
pub async fn ente_documenti(
    state: tauri::State<'_, DeskState>,
    cartella: String,
    apri: bool,
) -> Result<EsitoDocumenti, ErroreUi> {
    let dir = percorso(&cartella)?;
    let esito = with_desk(&state, |d| documenti(d, &dir))?;
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
    state: tauri::State<'_, DeskState>,
    percorso_file: String,
) -> Result<Vec<String>, ErroreUi> {
    let path = percorso(&percorso_file)?;
    with_desk(&state, |d| Ok(d.ente_set_file(&path)?))
}

/// Writes the stored profile as a TOML file (to move it to another computer).
#[tauri::command]
pub fn ente_esporta_profilo(
    state: tauri::State<'_, DeskState>,
    percorso_file: String,
) -> Result<String, ErroreUi> {
    let path = percorso(&percorso_file)?;
    with_desk(&state, |d| {
        let text = d.ente_toml()?;
        std::fs::write(&path, text).map_err(|e| ErroreUi {
            codice: "io",
            messaggio: format!("impossibile scrivere {}: {e}", path.display()),
        })?;
        Ok(path.display().to_string())
    })
}

/// The pagoPA taxonomy shipped with the app, to pick a payment type's code from.
#[tauri::command]
pub async fn tassonomia_elenco(
    state: tauri::State<'_, DeskState>,
) -> Result<Vec<VoceTassonomia>, ErroreUi> {
    let oggi = with_desk(&state, |d| Ok(d.today()))?;
    Ok(mpd_adesione::tassonomia::elenco(oggi))
}

/// The adhesion steps with the dates recorded.
#[tauri::command]
pub fn adesione_passi(
    state: tauri::State<'_, DeskState>,
) -> Result<Vec<PassoRegistrato>, ErroreUi> {
    with_desk(&state, |d| Ok(d.adesione_passi()?))
}

/// Records the date of a step (`delibera`, `pec-inviata`, …), `gg/mm/aaaa`.
#[tauri::command]
pub fn adesione_passo_registra(
    state: tauri::State<'_, DeskState>,
    passo: String,
    data: String,
    nota: Option<String>,
) -> Result<Vec<PassoRegistrato>, ErroreUi> {
    testo(nota.as_deref().unwrap_or_default(), "Nota")?;
    if passo.len() > 40 || data.len() > 20 {
        return Err(ErroreUi::argomento("passo o data non validi"));
    }
    let nota = opzionale(nota);
    with_desk(&state, |d| {
        Ok(d.set_adesione_passo(&passo, &data, nota.as_deref())?)
    })
}

// ---------------------------------------------------------------------------------------------
// Contributo
// ---------------------------------------------------------------------------------------------

/// A standard cost of the rules in use, for the expense item editor.
#[derive(Debug, Serialize)]
pub struct CostoVista {
    pub codice: String,
    pub descrizione: String,
    pub importo: Option<Decimal>,
    pub da_verificare: bool,
}

/// The rules in use, as the screen shows them.
#[derive(Debug, Serialize)]
pub struct MisuraVista {
    pub nome: String,
    pub atto: String,
    pub versione: String,
    pub da_verificare: Vec<String>,
    pub costi_standard: Vec<CostoVista>,
    pub massimale: Option<Decimal>,
    /// Edited by the clerk (`contributo misura --carica`) rather than the shipped preset.
    pub personalizzata: bool,
}

impl MisuraVista {
    fn new(m: &Misura, personalizzata: bool) -> MisuraVista {
        MisuraVista {
            nome: m.nome.clone(),
            atto: m.atto.clone(),
            versione: m.versione.clone(),
            da_verificare: m.da_verificare.clone(),
            costi_standard: m
                .costi_standard
                .iter()
                .map(|c| CostoVista {
                    codice: c.codice.clone(),
                    descrizione: c.descrizione.clone(),
                    importo: c.importo,
                    da_verificare: c.da_verificare,
                })
                .collect(),
            massimale: m.massimale,
            personalizzata,
        }
    }
}

/// Totals of the tracked amounts.
#[derive(Debug, Serialize)]
pub struct TotaliVista {
    pub richiesto: Decimal,
    pub concesso: Decimal,
    pub incassato: Decimal,
}

/// Everything the Contributo screen shows.
#[derive(Debug, Serialize)]
pub struct StatoContributo {
    /// The computation for the stored profile; `None` when the profile cannot be computed
    /// (then `calcolo_errore` says why, e.g. the kind of Ente is missing).
    pub calcolo: Option<CalcoloProfilo>,
    pub calcolo_errore: Option<String>,
    pub stima: Stima,
    pub importi: Vec<Movimento>,
    pub totali: TotaliVista,
    pub misura: MisuraVista,
}

fn stato_contributo(d: &Desk) -> Result<StatoContributo, ErroreUi> {
    let senza_tipo = match d.adesione_profilo() {
        Ok(p) => p.tipo_ente.is_none(),
        Err(AdesioneCoreError::Core(mpd_core::CoreError::NoEnte)) => false,
        Err(e) => return Err(e.into()),
    };
    let (calcolo, calcolo_errore) = match d.contributo_calcola() {
        Err(AdesioneCoreError::Invalid(_)) if senza_tipo => (
            None,
            Some(
                "Manca il tipo di ente nel profilo: indicarlo in «Ente e adesione» per calcolare la percentuale."
                    .into(),
            ),
        ),
        Ok(c) => (Some(c), None),
        Err(AdesioneCoreError::Invalid(m)) => (None, Some(m)),
        Err(AdesioneCoreError::Core(mpd_core::CoreError::NoEnte)) => (
            None,
            Some("nessun profilo dell'Ente: completarlo in «Ente e adesione»".into()),
        ),
        Err(e) => return Err(e.into()),
    };
    let misura = d.contributo_misura()?;
    let personalizzata = d
        .store()
        .setting(mpd_core::adesione::SETTING_MISURA)
        .map_err(mpd_core::CoreError::from)?
        .is_some_and(|t| !t.trim().is_empty());
    let importi = d.contributo_importi()?;
    let somma = |t: &str| -> Decimal {
        importi
            .iter()
            .filter(|m| m.tipo.code() == t)
            .map(|m| m.importo)
            .sum()
    };
    Ok(StatoContributo {
        calcolo,
        calcolo_errore,
        stima: d.contributo_stima()?,
        totali: TotaliVista {
            richiesto: somma("richiesto"),
            concesso: somma("concesso"),
            incassato: somma("incassato"),
        },
        importi,
        misura: MisuraVista::new(&misura, personalizzata),
    })
}

/// The contribution screen's data.
#[tauri::command]
pub fn contributo_stato(state: tauri::State<'_, DeskState>) -> Result<StatoContributo, ErroreUi> {
    with_desk(&state, |d| stato_contributo(d))
}

/// An expense item as the window sends it: a quote (`importo`) or a standard cost × quantity.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct VoceUi {
    pub descrizione: String,
    pub fornitore: Option<String>,
    pub riferimento: Option<String>,
    pub data: Option<String>,
    pub importo: Option<String>,
    pub costo_standard: Option<String>,
    pub quantita: Option<u32>,
}

/// Adds an expense item; returns the updated screen data.
#[tauri::command]
pub fn contributo_voce_aggiungi(
    state: tauri::State<'_, DeskState>,
    voce: VoceUi,
) -> Result<StatoContributo, ErroreUi> {
    for (v, campo) in [
        (Some(&voce.descrizione), "Descrizione"),
        (voce.fornitore.as_ref(), "Fornitore"),
        (voce.riferimento.as_ref(), "Riferimento"),
        (voce.importo.as_ref(), "Importo"),
        (voce.costo_standard.as_ref(), "Costo standard"),
        (voce.data.as_ref(), "Data"),
    ] {
        testo(v.map(String::as_str).unwrap_or_default(), campo)?;
    }
    if voce.quantita.is_some_and(|q| q == 0 || q > 100_000) {
        return Err(ErroreUi::argomento("Numero di servizi: tra 1 e 100.000"));
    }
    let input = VoceInput {
        descrizione: voce.descrizione,
        fornitore: opzionale(voce.fornitore),
        riferimento: opzionale(voce.riferimento),
        data: opzionale(voce.data),
        importo: opzionale(voce.importo),
        costo_standard: opzionale(voce.costo_standard),
        quantita: voce.quantita,
    };
    with_desk(&state, |d| {
        d.add_contributo_voce(&input).map_err(etichette_cli)?;
        stato_contributo(d)
    })
}

/// The core's messages name the CLI flags (`--importo`); the window names its own fields.
fn etichette_cli(e: AdesioneCoreError) -> ErroreUi {
    let mut err = ErroreUi::from(e);
    for (flag, label) in [
        ("--descrizione", "Descrizione"),
        ("--importo", "Importo"),
        ("--costo-standard", "Costo standard"),
        ("--quantita", "Numero di servizi"),
        ("--data", "Data"),
        (
            "indicare Importo (preventivo del fornitore) oppure Costo standard CODICE con Numero di servizi N",
            "indicare l'importo del preventivo oppure scegliere un costo standard e il numero di servizi",
        ),
    ] {
        err.messaggio = err.messaggio.replace(flag, label);
    }
    err
}

/// Deletes an expense item.
#[tauri::command]
pub fn contributo_voce_elimina(
    state: tauri::State<'_, DeskState>,
    id: i64,
) -> Result<StatoContributo, ErroreUi> {
    with_desk(&state, |d| {
        d.delete_contributo_voce(id)?;
        stato_contributo(d)
    })
}

/// Records a requested, granted or received amount (`tipo`: richiesto, concesso, incassato).
#[tauri::command]
pub fn contributo_importo_aggiungi(
    state: tauri::State<'_, DeskState>,
    tipo: String,
    importo: String,
    data: String,
    riferimento: Option<String>,
) -> Result<StatoContributo, ErroreUi> {
    testo(&importo, "Importo")?;
    testo(&data, "Data")?;
    testo(riferimento.as_deref().unwrap_or_default(), "Riferimento")?;
    let riferimento = opzionale(riferimento);
    with_desk(&state, |d| {
        d.add_contributo_importo(&tipo, &importo, &data, riferimento.as_deref())
            .map_err(etichette_cli)?;
        stato_contributo(d)
    })
}

/// Deletes a tracked amount typed by mistake.
#[tauri::command]
pub fn contributo_importo_elimina(
    state: tauri::State<'_, DeskState>,
    id: i64,
) -> Result<StatoContributo, ErroreUi> {
    with_desk(&state, |d| {
        d.store()
            .delete_contributo_importo(id, d.now())
            .map_err(mpd_core::CoreError::from)?;
        stato_contributo(d)
    })
}

/// The what-if panel's input.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SimulazioneUi {
    pub tipo_ente: String,
    /// Inhabitants as typed (`4.200`); empty: not given.
    pub popolazione: String,
    pub modalita: Vec<String>,
    /// Expense as typed (`12.000,00`); empty: rate only.
    pub spesa: String,
}

fn richiesta(s: &SimulazioneUi) -> Result<Richiesta, ErroreUi> {
    let tipo_ente = TipoEnte::parse(&s.tipo_ente).ok_or_else(|| {
        ErroreUi::argomento(format!(
            "Tipo di ente «{}»: scegliere dall'elenco",
            s.tipo_ente
        ))
    })?;
    let pop = s.popolazione.trim();
    let popolazione = if pop.is_empty() {
        None
    } else {
        let digits: String = pop.chars().filter(|c| !matches!(c, '.' | ' ')).collect();
        Some(digits.parse::<u32>().map_err(|_| {
            ErroreUi::argomento(format!(
                "Popolazione «{pop}»: deve essere un numero intero di abitanti"
            ))
        })?)
    };
    let mut modalita = Vec::new();
    for m in &s.modalita {
        let m = Modalita::parse(m).ok_or_else(|| {
            ErroreUi::argomento(format!(
                "Modalità «{m}»: usare base, per-flussi, presso-ente"
            ))
        })?;
        if !modalita.contains(&m) {
            modalita.push(m);
        }
    }
    modalita.sort();
    let spesa = match s.spesa.trim() {
        "" => None,
        v => Some(
            mpd_core::adesione::parse_importo(v, "Spesa stimata")
                .map_err(|e| ErroreUi::argomento(e.to_string()))?,
        ),
    };
    Ok(Richiesta {
        tipo_ente,
        popolazione,
        // A what-if has no official figure behind it: no reference date, as the CLI.
        popolazione_data: None,
        modalita,
        spesa,
    })
}

/// The what-if computation (kind, population, modes, expense) under the rules in use.
#[tauri::command]
pub fn contributo_simula(
    state: tauri::State<'_, DeskState>,
    simulazione: SimulazioneUi,
) -> Result<Esito, ErroreUi> {
    let r = richiesta(&simulazione)?;
    with_desk(&state, |d| Ok(d.contributo_simula(&r)?))
}

/// Writes the summary report to `percorso_file` (from the save dialog): PDF or XLSX by its
/// extension.
#[tauri::command]
pub async fn contributo_riepilogo_salva(
    state: tauri::State<'_, DeskState>,
    percorso_file: String,
) -> Result<String, ErroreUi> {
    let path = percorso(&percorso_file)?;
    with_desk(&state, |d| riepilogo(d, &path))
}

/// Writes the summary as PDF or XLSX, by the extension of `path`.
fn riepilogo(d: &Desk, path: &Path) -> Result<String, ErroreUi> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let r = d.contributo_riepilogo()?;
    let bytes = match ext.as_deref() {
        Some("pdf") => mpd_adesione::pdf::pdf(&r.documento(), d.today()),
        Some("xlsx") => r.xlsx(),
        _ => {
            return Err(ErroreUi::argomento(
                "il riepilogo si salva come .pdf o .xlsx",
            ));
        }
    }
    .map_err(|e| ErroreUi {
        codice: "adesione",
        messaggio: e.to_string(),
    })?;
    std::fs::write(path, bytes).map_err(|e| ErroreUi {
        codice: "io",
        messaggio: format!("impossibile scrivere {}: {e}", path.display()),
    })?;
    Ok(path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn desk() -> Desk {
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-27T10:00:00Z")
            .unwrap()
            .to_utc();
        let mut d = Desk::in_memory().unwrap().with_now(now);
        // One file per call: tests run in parallel.
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("mpd-cmd-adesione-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join(format!("ente-{n}.toml"));
        std::fs::write(
            &f,
            include_str!("../../../assets/demo/ente-adesione-esempio.toml"),
        )
        .unwrap();
        d.ente_set_file(&f).unwrap();
        let _ = std::fs::remove_file(&f);
        d
    }

    #[test]
    fn what_if_input_is_checked_and_computed_with_the_rules() {
        let d = desk();
        let s = SimulazioneUi {
            tipo_ente: "comune".into(),
            popolazione: "3.001".into(),
            modalita: vec!["base".into(), "per-flussi".into()],
            spesa: "10.000,00".into(),
        };
        let e = d.contributo_simula(&richiesta(&s).unwrap()).unwrap();
        assert_eq!(e.percentuale, 50);
        assert_eq!(e.contributo, Some(Decimal::new(500000, 2)));
        let base = SimulazioneUi {
            modalita: vec!["base".into()],
            ..s
        };
        assert_eq!(
            d.contributo_simula(&richiesta(&base).unwrap())
                .unwrap()
                .percentuale,
            0
        );
        let bad = SimulazioneUi {
            tipo_ente: "comune".into(),
            popolazione: "tanti".into(),
            ..Default::default()
        };
        assert!(
            richiesta(&bad)
                .unwrap_err()
                .messaggio
                .contains("Popolazione")
        );
        let bad = SimulazioneUi {
            tipo_ente: "provincia".into(),
            ..Default::default()
        };
        assert!(
            richiesta(&bad)
                .unwrap_err()
                .messaggio
                .contains("Tipo di ente")
        );
    }

    #[test]
    fn screen_data_and_documents_for_complete_and_incomplete_profiles() {
        let d = desk();
        let s = stato_contributo(&d).unwrap();
        let c = s.calcolo.unwrap();
        assert_eq!(c.esito.percentuale, 80);
        assert_eq!(
            c.esito.motivo,
            "80%: comune montano con 4.200 abitanti, soglia 5.000"
        );
        assert!(s.misura.costi_standard.iter().all(|c| c.da_verificare));
        let dir = tempfile_dir("doc");
        let e = documenti(&d, &dir).unwrap();
        assert!(e.mancanti.is_empty(), "{:?}", e.mancanti);
        assert!(e.file.iter().any(|f| f.ends_with(".odt")));
        assert!(e.file.iter().any(|f| f.ends_with(".pdf")));

        // No profile: the contribution says why, documents are refused with the list.
        let empty = Desk::in_memory().unwrap();
        let s = stato_contributo(&empty).unwrap();
        assert!(s.calcolo.is_none());
        assert!(s.calcolo_errore.unwrap().contains("profilo"));
        let mut d = desk();
        let mut m = d.ente_modulo().unwrap();
        m.pec = String::new();
        m.legale_rappresentante = String::new();
        assert!(d.salva_modulo(&m).unwrap().salvato);
        let dir = tempfile_dir("doc2");
        let e = documenti(&d, &dir).unwrap();
        assert!(e.cartella.is_none());
        let campi: Vec<&str> = e.mancanti.iter().map(|p| p.campo.as_str()).collect();
        assert!(campi.contains(&"ente.pec"), "{campi:?}");
        assert!(
            campi.contains(&"adesione.legale_rappresentante"),
            "{campi:?}"
        );
        assert_eq!(std::fs::read_dir(&dir).map(|r| r.count()).unwrap_or(0), 0);
    }

    #[test]
    fn cli_flags_become_the_window_labels() {
        let d = desk();
        let err = d
            .add_contributo_voce(&VoceInput {
                descrizione: "x".into(),
                ..Default::default()
            })
            .map_err(etichette_cli)
            .unwrap_err();
        assert!(!err.messaggio.contains("--"), "{}", err.messaggio);
        let err = d
            .add_contributo_importo("concesso", "1,234", "01/01/2027", None)
            .map_err(etichette_cli)
            .unwrap_err();
        assert!(err.messaggio.starts_with("Importo"), "{}", err.messaggio);
    }

    fn tempfile_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("mpd-cmd-adesione-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn paths_from_the_window_must_be_absolute() {
        assert!(percorso("relativo/x").is_err());
        assert!(percorso("").is_err());
        assert!(percorso(&std::env::temp_dir().display().to_string()).is_ok());
    }

    #[test]
    fn the_summary_is_saved_as_pdf_or_xlsx_by_extension() {
        let d = desk();
        let dir = tempfile_dir("riepilogo");
        std::fs::create_dir_all(&dir).unwrap();
        riepilogo(&d, &dir.join("r.pdf")).unwrap();
        assert!(
            std::fs::read(dir.join("r.pdf"))
                .unwrap()
                .starts_with(b"%PDF")
        );
        riepilogo(&d, &dir.join("r.XLSX")).unwrap();
        assert!(
            std::fs::read(dir.join("r.XLSX"))
                .unwrap()
                .starts_with(b"PK")
        );
        assert_eq!(
            riepilogo(&d, &dir.join("r.txt")).unwrap_err().codice,
            "argomento"
        );
        assert!(!dir.join("r.txt").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
