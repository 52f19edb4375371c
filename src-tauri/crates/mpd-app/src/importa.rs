//! Importa: the clerk's spreadsheet (or a MyPay tracciato CSV) into the store.
//!
//! A file comes as a path, or as bytes ([`carica`]: kept in a private temporary folder). Then:
//! [`anteprima`] (sheets, first rows, proposed mapping, mandatory fields with no column; again
//! after each change of mapping), [`verifica`] (the full report, nothing written), [`esegui`]
//! (in a [`ModoImportazione`]), [`importa_comunque`] (a group of probable duplicates the
//! import kept as drafts, made ready at the clerk's word), and [`modello`] (the Excel
//! template). [`formati`] says which
//! files are read and which fields the mapping offers, so a front end never copies them.
//!
//! One rule for both front ends: a file to import is an absolute path to an existing file
//! with one of [`ESTENSIONI`]; the clerk's choices ([`Scelte`]) are checked by [`opzioni`].
//! Checking and importing run on a desk of their own, report progress to the [`Lavoro`] and
//! stop at its cancel flag (nothing is written).

use std::path::{Path, PathBuf};
use std::sync::mpsc;

use mpd_core::import::{ImportHooks, ImportMode, ImportPhase, ImportProgress, ImportReport};
use mpd_core::sheets::{SheetOptions, SheetPreview, SheetSummary};
use mpd_sheets::Mapping;
use mpd_sheets::mapping::Field;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::dovuti::EsitoAzione;
use crate::errore::{Codice, Errore, Risultato};
use crate::flussi::Problema;
use crate::{App, Lavoro};

/// The largest file a front end may send as bytes (a 1,048,576-row sheet is ~100 MB).
pub const MAX_BYTE: usize = 256 * 1024 * 1024;
/// Extensions of the files the import reads (the content decides the format).
pub const ESTENSIONI: [&str; 6] = ["xlsx", "xlsm", "xls", "ods", "csv", "txt"];
/// The most `campo=colonna` pairs a front end may send.
const MAX_ABBINAMENTI: usize = 64;

/// A field the mapping can feed, for the window's selects.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CampoFoglio {
    pub chiave: &'static str,
    pub etichetta: &'static str,
    /// The sheet must feed it (or one of `alternative`).
    pub obbligatorio: bool,
    /// Fields that may take its place (the payer's name from «cognome» and «nome»).
    pub alternative: Vec<&'static str>,
}

/// The fields of a sheet, mandatory first.
pub fn campi() -> Vec<CampoFoglio> {
    Field::ALL
        .iter()
        .map(|f| CampoFoglio {
            chiave: f.key(),
            etichetta: f.label_it(),
            obbligatorio: matches!(f, Field::Codice | Field::Anagrafica | Field::Importo),
            alternative: match f {
                Field::Anagrafica => vec![Field::Cognome.key(), Field::Nome.key()],
                // A roll with instalments (issue 14): the options' amounts take its place.
                Field::Importo => Field::ALL
                    .iter()
                    .filter(|a| matches!(a, Field::ImportoRata(_)))
                    .map(|a| a.key())
                    .collect(),
                _ => Vec::new(),
            },
        })
        .collect()
}

/// What the import reads and offers.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Formati {
    /// Extensions of the files read, without the dot.
    pub estensioni: Vec<&'static str>,
    pub campi: Vec<CampoFoglio>,
}

/// The files the import reads and the fields its mapping offers.
pub fn formati() -> Formati {
    Formati {
        estensioni: ESTENSIONI.to_vec(),
        campi: campi(),
    }
}

fn estensione_ammessa(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ESTENSIONI.contains(&e.to_ascii_lowercase().as_str()))
}

fn estensioni_ammesse() -> String {
    ESTENSIONI.map(|e| format!(".{e}")).join(" ")
}

/// Checks a file to import: an absolute path (a front end makes a typed one absolute), one of
/// [`ESTENSIONI`], an existing file.
pub fn file_da_importare(p: &Path) -> Risultato<PathBuf> {
    if p.as_os_str().len() > 4096 || !p.is_absolute() {
        return Err(Errore::argomento("percorso del file non valido"));
    }
    if !estensione_ammessa(p) {
        return Err(Errore::new(
            Codice::FileNonValido,
            format!(
                "«{}»: si importano file {}",
                p.display(),
                estensioni_ammesse()
            ),
        ));
    }
    if !p.is_file() {
        return Err(Errore::new(
            Codice::LetturaFile,
            format!(
                "impossibile leggere {}: il file non esiste o non è leggibile",
                p.display()
            ),
        ));
    }
    Ok(p.to_path_buf())
}

/// What the clerk chose for a file.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct Scelte {
    /// The file, an absolute path.
    pub percorso: String,
    /// The sheet to read (default: the one that looks like a debt list).
    #[ts(optional)]
    pub foglio: Option<String>,
    /// The payment type of rows that do not name one.
    #[ts(optional)]
    pub tipo: Option<String>,
    /// `campo=COLONNA` (header or letter) or `campo=-` pairs over the proposed mapping.
    #[ts(optional)]
    pub abbinamenti: Option<Vec<String>>,
    /// Import probable duplicates (rows repeating another row of the file or a debt already
    /// in the archive) as ready instead of keeping them apart, and a file already imported.
    #[ts(optional)]
    pub anche_duplicati: Option<bool>,
}

/// The clerk's choices, checked: the file, the known fields, short names.
pub fn opzioni(s: &Scelte) -> Risultato<(PathBuf, SheetOptions)> {
    let percorso = file_da_importare(Path::new(s.percorso.trim()))?;
    let abbinamenti = s.abbinamenti.clone().unwrap_or_default();
    if abbinamenti.len() > MAX_ABBINAMENTI || abbinamenti.iter().any(|a| a.len() > 300) {
        return Err(Errore::argomento("abbinamento delle colonne non valido"));
    }
    for a in &abbinamenti {
        let campo = a.split_once('=').map(|(k, _)| k).unwrap_or(a);
        if Field::from_key(campo).is_none() {
            return Err(Errore::argomento(format!(
                "campo «{campo}» sconosciuto: i campi sono {}",
                Field::ALL.map(Field::key).join(", ")
            )));
        }
    }
    let breve = |s: &Option<String>, cosa: &str| -> Risultato<Option<String>> {
        match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) if s.len() > 200 => Err(Errore::argomento(format!("{cosa} troppo lungo"))),
            other => Ok(other.map(str::to_string)),
        }
    };
    Ok((
        percorso,
        SheetOptions {
            sheet: breve(&s.foglio, "nome del foglio")?,
            tipo: breve(&s.tipo, "tipo dovuto")?,
            mapping: abbinamenti,
            valid_only: false,
            anche_duplicati: s.anche_duplicati.unwrap_or(false),
        },
    ))
}

/// A file received as bytes, now on disk.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FileCaricato {
    pub percorso: String,
    pub nome: String,
    pub byte: usize,
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

/// The start of the name of the private temporary folder of received files (random after it).
pub(crate) const PREFISSO_CARICATI: &str = "mypay-desk-importa-";

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

/// Keeps the bytes of a file the clerk picked (`nome` as the clerk's system named it) in the
/// application's private temporary folder (random name, `0700`, removed when the application
/// closes; only the three newest files are kept meanwhile); says where.
pub fn carica(app: &App, nome: &str, byte: &[u8]) -> Risultato<FileCaricato> {
    conserva(app, nome, byte, &ESTENSIONI, 3)
}

/// Keeps the bytes of a picked file with one of `estensioni` as [`carica`] does, the `tieni`
/// newest uploads kept meanwhile (several FdR files are uploaded, then imported together).
pub(crate) fn conserva(
    app: &App,
    nome: &str,
    byte: &[u8],
    estensioni: &[&str],
    tieni: usize,
) -> Risultato<FileCaricato> {
    if byte.is_empty() {
        return Err(Errore::new(Codice::FileNonValido, "il file è vuoto"));
    }
    if byte.len() > MAX_BYTE {
        return Err(Errore::new(
            Codice::FileNonValido,
            format!(
                "il file è troppo grande ({} MB; al massimo {} MB)",
                byte.len() / 1_000_000,
                MAX_BYTE / 1_000_000
            ),
        ));
    }
    let nome = nome_sicuro(nome);
    let ammessa = Path::new(&nome)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| estensioni.contains(&e.to_ascii_lowercase().as_str()));
    if !ammessa {
        return Err(Errore::new(
            Codice::FileNonValido,
            format!(
                "«{nome}»: si importano file {}",
                estensioni
                    .iter()
                    .map(|e| format!(".{e}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
        ));
    }
    let base = app
        .cartella_caricati()
        .map_err(|e| Errore::scrittura(&std::env::temp_dir(), &e))?;
    pulisci_caricati(&base, tieni);
    let dir = base.join(crate::nome_unico());
    let scrivi = |e: std::io::Error| Errore::scrittura(&dir, &e);
    mpd_privato::cartella(&dir).map_err(scrivi)?;
    let path = dir.join(&nome);
    mpd_privato::scrivi(&path, byte).map_err(scrivi)?;
    Ok(FileCaricato {
        percorso: path.display().to_string(),
        nome,
        byte: byte.len(),
    })
}

/// A worksheet of a workbook.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Foglio {
    pub nome: String,
    pub nascosto: bool,
}

/// How a file was opened.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Sorgente {
    /// `xlsx`, `xls`, `ods` or `csv`, from the content.
    pub formato: &'static str,
    /// Worksheets of a workbook (empty for text files).
    pub fogli: Vec<Foglio>,
    /// The sheet read (empty for text files).
    pub foglio: String,
    /// Encoding and separator of a text file.
    pub codifica: Option<String>,
    pub separatore: Option<String>,
    /// Things the clerk should know about the file.
    pub note: Vec<String>,
}

/// A column of the sheet and the field it feeds.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ColonnaAbbinata {
    pub campo: &'static str,
    /// 0-based column index.
    pub colonna: usize,
    /// The header as the clerk wrote it.
    pub intestazione: String,
    /// The column's letter (`C`).
    pub lettera: String,
}

/// Which column feeds which field.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Mappatura {
    pub colonne: Vec<ColonnaAbbinata>,
}

impl From<Mapping> for Mappatura {
    fn from(m: Mapping) -> Mappatura {
        Mappatura {
            colonne: m
                .colonne
                .into_iter()
                .map(|c| ColonnaAbbinata {
                    campo: c.campo.key(),
                    colonna: c.colonna,
                    intestazione: c.intestazione,
                    lettera: c.lettera,
                })
                .collect(),
        }
    }
}

/// One row of a preview, cells as shown.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RigaAnteprima {
    pub riga: usize,
    pub celle: Vec<String>,
}

/// The first rows of a file and the proposed mapping, before importing.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Anteprima {
    pub file: String,
    pub sorgente: Sorgente,
    /// Set when the file is a MyPay tracciato CSV (imported as such, no mapping).
    pub tracciato: Option<String>,
    pub riga_intestazione: Option<usize>,
    pub intestazioni: Vec<String>,
    pub mappatura: Mappatura,
    pub mappatura_salvata: bool,
    /// Mandatory fields with no column and no default, in Italian.
    pub mancanti: Vec<String>,
    pub righe: Vec<RigaAnteprima>,
    /// The fields the mapping offers.
    pub campi: Vec<CampoFoglio>,
    /// Columns the proposed mapping left out, and why (a column that only numbers the rows).
    pub colonne_escluse: Vec<ColonnaEsclusa>,
}

/// A column of the sheet the proposed mapping left out.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ColonnaEsclusa {
    /// The column's letter (`A`).
    pub lettera: String,
    /// Its header as the clerk wrote it.
    pub intestazione: String,
    /// Why it was left out, in Italian.
    pub motivo: String,
}

impl From<SheetPreview> for Anteprima {
    fn from(p: SheetPreview) -> Anteprima {
        let s = p.sorgente;
        Anteprima {
            file: p.file,
            sorgente: Sorgente {
                formato: s.formato.name(),
                fogli: s
                    .fogli
                    .into_iter()
                    .map(|f| Foglio {
                        nome: f.nome,
                        nascosto: f.nascosto,
                    })
                    .collect(),
                foglio: s.foglio,
                codifica: s.codifica,
                separatore: s.separatore,
                note: s.note,
            },
            tracciato: p.tracciato,
            riga_intestazione: p.riga_intestazione,
            intestazioni: p.intestazioni,
            mappatura: p.mappatura.into(),
            mappatura_salvata: p.mappatura_salvata,
            mancanti: p.mancanti,
            righe: p
                .righe
                .into_iter()
                .map(|r| RigaAnteprima {
                    riga: r.riga,
                    celle: r.celle,
                })
                .collect(),
            campi: campi(),
            colonne_escluse: p
                .colonne_escluse
                .into_iter()
                .map(|c| ColonnaEsclusa {
                    lettera: c.lettera,
                    intestazione: c.intestazione,
                    motivo: c.motivo,
                })
                .collect(),
        }
    }
}

/// Sheets, first rows, the proposed mapping with the clerk's changes, the mandatory fields
/// with no column.
pub fn anteprima(app: &App, scelte: &Scelte) -> Risultato<Anteprima> {
    let (percorso, opts) = opzioni(scelte)?;
    app.con_desk(|desk| Ok(desk.preview_sheet(&percorso, &opts)?.into()))
}

/// The problems of one row of the file.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RigaResoconto {
    /// The clerk's row number in the sheet (the header is row 1).
    pub riga: usize,
    pub iud: String,
    pub problemi: Vec<Problema>,
    /// The row was kept as a draft debt under `iud`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub bozza: Option<bool>,
    /// The payer's name as the row has it (empty when the row could not be read).
    pub pagatore: String,
    /// The amount as the row has it, in Italian (`1.234,56 €`), or as written when it is not
    /// a number; empty when the row has none.
    pub importo: String,
}

/// A row's amount as the clerk reads it.
fn importo_riga(testo: &str) -> String {
    match mpd_core::input::cents(testo) {
        Some(c) if !testo.trim().is_empty() => crate::rapporto::euro(c),
        _ => testo.trim().to_string(),
    }
}

/// How a sheet was read.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FoglioLetto {
    pub formato: String,
    pub foglio: String,
    /// The header's row number (the clerk's).
    pub riga_intestazione: usize,
    pub mappatura: Mappatura,
    /// The mapping came from one saved for this layout.
    pub mappatura_salvata: bool,
    /// Notes on the file (sheet chosen, formulas, merged cells, encoding…).
    pub note: Vec<String>,
}

impl From<SheetSummary> for FoglioLetto {
    fn from(s: SheetSummary) -> FoglioLetto {
        FoglioLetto {
            formato: s.formato,
            foglio: s.foglio,
            riga_intestazione: s.riga_intestazione,
            mappatura: s.mappatura.into(),
            mappatura_salvata: s.mappatura_salvata,
            note: s.note,
        }
    }
}

/// What a check or an import found and did.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Resoconto {
    pub file: String,
    pub versione: String,
    pub righe_lette: usize,
    pub righe_valide: usize,
    pub importate: usize,
    /// Invalid rows kept as draft debts (also counted in `importate`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub bozze: Option<usize>,
    /// Rows with at least one error.
    pub errori: Vec<RigaResoconto>,
    /// Rows with only warnings (imported).
    pub avvisi: Vec<RigaResoconto>,
    /// How a spreadsheet was read and mapped (absent for a MyPay tracciato CSV).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub foglio: Option<FoglioLetto>,
    /// Probable duplicates, one group per row or debt they repeat.
    pub duplicati: Vec<GruppoDuplicati>,
    /// Debt positions read (a row with instalments, or the rows of one position code), valid
    /// or not; 0 for a file of plain debts.
    pub posizioni: usize,
    /// Their options (rata unica and instalments), one debt each.
    pub opzioni: usize,
}

/// Rows of the file that repeat one row of the same file or one debt already in the archive
/// (same payer, payment type, amount, due date and causale).
#[derive(Debug, Clone, Serialize, TS)]
pub struct GruppoDuplicati {
    /// The row of the file they repeat (imported as usual).
    pub riga: Option<usize>,
    /// The debt of the archive they repeat.
    pub iud_archivio: Option<String>,
    /// The repeating rows (the clerk's row numbers).
    pub righe: Vec<usize>,
    /// The drafts they were kept as ([`importa_comunque`] makes them ready); empty when
    /// nothing was stored or they were imported anyway.
    pub bozze: Vec<String>,
    /// Payer, amount, due date and causale.
    pub descrizione: String,
}

impl From<mpd_core::import::DuplicateGroup> for GruppoDuplicati {
    fn from(g: mpd_core::import::DuplicateGroup) -> GruppoDuplicati {
        GruppoDuplicati {
            riga: g.riga,
            iud_archivio: g.iud_archivio,
            righe: g.righe,
            bozze: g.bozze,
            descrizione: g.descrizione,
        }
    }
}

impl Resoconto {
    /// Some row has an error.
    pub fn ha_errori(&self) -> bool {
        !self.errori.is_empty()
    }
}

fn righe(rr: Vec<mpd_core::import::RowReport>) -> Vec<RigaResoconto> {
    rr.into_iter()
        .map(|r| RigaResoconto {
            riga: r.riga,
            iud: r.iud,
            problemi: r.problemi.into_iter().map(Problema::from).collect(),
            bozza: r.bozza.then_some(true),
            importo: importo_riga(&r.importo),
            pagatore: r.pagatore,
        })
        .collect()
}

impl From<ImportReport> for Resoconto {
    fn from(r: ImportReport) -> Resoconto {
        Resoconto {
            file: r.file,
            versione: r.versione,
            righe_lette: r.righe_lette,
            righe_valide: r.righe_valide,
            importate: r.importate,
            bozze: (r.bozze > 0).then_some(r.bozze),
            errori: righe(r.errori),
            avvisi: righe(r.avvisi),
            foglio: r.foglio.map(FoglioLetto::from),
            duplicati: r.duplicati.into_iter().map(GruppoDuplicati::from).collect(),
            posizioni: r.posizioni,
            opzioni: r.opzioni,
        }
    }
}

/// The phase of a check or an import.
#[derive(Debug, Clone, Copy, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FaseImportazione {
    /// Reading and checking the file (the number of rows is not known yet).
    Verifica,
    /// Writing the rows (`totale` known).
    Salvataggio,
}

/// How far a check or an import is.
#[derive(Debug, Clone, Copy, Serialize, TS)]
pub struct AvanzamentoImportazione {
    pub fase: FaseImportazione,
    pub righe: usize,
    pub totale: Option<usize>,
}

impl From<ImportProgress> for AvanzamentoImportazione {
    fn from(p: ImportProgress) -> Self {
        AvanzamentoImportazione {
            fase: match p.fase {
                ImportPhase::Verifica => FaseImportazione::Verifica,
                ImportPhase::Salvataggio => FaseImportazione::Salvataggio,
            },
            righe: p.righe,
            totale: p.totale,
        }
    }
}

/// What an import writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModoImportazione {
    /// Every row: the valid ones ready, the invalid ones as drafts carrying their problems,
    /// so nothing typed is lost (the window, where the clerk fixes drafts in the form).
    ConBozze,
    /// The valid rows, only if no row is invalid.
    TuttoONiente,
    /// The valid rows even if others are invalid.
    SoloValide,
}

/// Runs `f` with hooks that report to `lavoro` and stop at its flag. The import calls its
/// progress from a thread of its own: the reports cross to this thread, where the sink lives.
fn con_lavoro<T: Send>(
    lavoro: &Lavoro<'_, AvanzamentoImportazione>,
    f: impl FnOnce(ImportHooks<'_>) -> mpd_core::Result<T> + Send,
) -> Risultato<T> {
    let (tx, rx) = mpsc::channel::<ImportProgress>();
    let annulla = lavoro.flag();
    let esito = std::thread::scope(|s| {
        let h = s.spawn(move || {
            let invia = move |p: ImportProgress| {
                let _ = tx.send(p);
            };
            f(ImportHooks {
                progress: Some(&invia),
                cancel: Some(&annulla),
            })
        });
        for p in rx {
            lavoro.segnala(p.into());
        }
        h.join()
    })
    .map_err(|_| Errore::interno("il lavoro di importazione si è interrotto"))?;
    esito.map_err(|e| {
        if lavoro.annullato() {
            Errore::new(Codice::Annullato, mpd_core::import::ANNULLATA)
        } else {
            e.into()
        }
    })
}

/// The full report of the file with the clerk's choices: nothing is written (not even the
/// mapping).
pub fn verifica(
    app: &App,
    scelte: &Scelte,
    lavoro: &Lavoro<'_, AvanzamentoImportazione>,
) -> Risultato<Resoconto> {
    let (percorso, opts) = opzioni(scelte)?;
    let desk = app.desk_di_lavoro()?;
    Ok(con_lavoro(lavoro, move |hooks| {
        desk.check_file_with(&percorso, &opts, hooks)
    })?
    .into())
}

/// Imports the file in `modo`, in one transaction: cancelled, nothing is written. A very
/// large import leaves its indexes to the upkeep.
pub fn esegui(
    app: &App,
    scelte: &Scelte,
    modo: ModoImportazione,
    lavoro: &Lavoro<'_, AvanzamentoImportazione>,
) -> Risultato<Resoconto> {
    let (percorso, opts) = opzioni(scelte)?;
    let mode = match modo {
        ModoImportazione::ConBozze => ImportMode::KeepDrafts,
        ModoImportazione::TuttoONiente => ImportMode::AllOrNothing,
        ModoImportazione::SoloValide => ImportMode::ValidOnly,
    };
    let mut desk = app.desk_di_lavoro()?;
    Ok(con_lavoro(lavoro, move |hooks| {
        desk.import_file_with(&percorso, &opts, mode, hooks)
    })?
    .into())
}

/// The most drafts of one «importa comunque».
const MAX_BOZZE_GRUPPO: usize = 10_000;

/// «Importa comunque» for a group of probable duplicates an import kept as drafts: the clerk
/// says they are other debts. Each draft loses its duplicate problem and becomes ready (a draft
/// with other problems stays a draft and says why); one outcome per debt, in order.
pub fn importa_comunque(app: &App, bozze: &[String]) -> Risultato<Vec<EsitoAzione>> {
    if bozze.is_empty()
        || bozze.len() > MAX_BOZZE_GRUPPO
        || bozze
            .iter()
            .any(|i| i.trim().is_empty() || i.trim().chars().count() > 64)
    {
        return Err(Errore::argomento("bozze da importare non valide"));
    }
    let bozze: Vec<String> = bozze.iter().map(|i| i.trim().to_string()).collect();
    app.con_desk(|desk| {
        Ok(desk
            .import_duplicates_anyway(&bozze)?
            .into_iter()
            .map(EsitoAzione::from)
            .collect())
    })
}

/// Writes the Excel template for preparing debts (the Ente's active payment types in its
/// drop-down) at `percorso`, an absolute path; `.xlsx` is added when missing. Returns where.
pub fn modello(app: &App, percorso: &Path) -> Risultato<PathBuf> {
    if percorso.as_os_str().len() > 4096 || !percorso.is_absolute() {
        return Err(Errore::argomento("percorso del modello non valido"));
    }
    let mut path = percorso.to_path_buf();
    if path
        .extension()
        .is_none_or(|e| !e.eq_ignore_ascii_case("xlsx"))
    {
        path.set_extension("xlsx");
    }
    app.con_desk(|desk| Ok(desk.write_template(&path)?))
}

/// An import as recorded: the file, when, how many of its debts are still in the archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Importazione {
    pub id: i64,
    pub file: String,
    /// RFC 3339 UTC.
    pub importata_il: String,
    /// Rows read from the file.
    pub righe: i64,
    /// Its debts still in the archive.
    pub dovuti: i64,
}

impl From<mpd_store::eliminazioni::SorgenteRecord> for Importazione {
    fn from(s: mpd_store::eliminazioni::SorgenteRecord) -> Importazione {
        Importazione {
            id: s.id,
            file: s.nome_file,
            importata_il: s.importato_at,
            righe: s.righe,
            dovuti: s.dovuti,
        }
    }
}

/// What «Annulla questa importazione» removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ImportazioneAnnullata {
    pub importazione: Importazione,
    /// The IUDs of the debts deleted.
    pub eliminati: Vec<String>,
}

/// The last import not undone, if any.
pub fn ultima_importazione(app: &App) -> Risultato<Option<Importazione>> {
    app.con_desk(|desk| Ok(desk.ultima_sorgente()?.map(Importazione::from)))
}

/// How many debts of a refused undo are named in its message.
const INVIATI_NOMINATI: usize = 5;

/// Undoes the import `id` (default: the last one): deletes every debt it created and its
/// record, in one transaction, if MyPay has never heard of any of them; otherwise deletes
/// nothing and names the debts already sent.
pub fn annulla_importazione(app: &App, id: Option<i64>) -> Risultato<ImportazioneAnnullata> {
    app.con_desk(|desk| {
        let id = match id {
            Some(id) => id,
            None => match desk.ultima_sorgente()? {
                Some(s) => s.id,
                None => {
                    return Err(Errore::new(
                        Codice::NonConsentito,
                        "nessuna importazione da annullare",
                    ));
                }
            },
        };
        let now = desk.now();
        let Some(r) = desk.annulla_importazione(id, now)? else {
            return Err(Errore::argomento(format!(
                "nessuna importazione con numero {id} (forse è già stata annullata)"
            )));
        };
        if !r.gia_inviati.is_empty() {
            let n = r.gia_inviati.len();
            let nominati: Vec<String> = r
                .gia_inviati
                .iter()
                .take(INVIATI_NOMINATI)
                .map(|d| match d.riga {
                    Some(riga) => format!("riga {riga}, IUD {} ({})", d.iud, d.stato.label_it()),
                    None => format!("IUD {} ({})", d.iud, d.stato.label_it()),
                })
                .collect();
            let altri = if n > INVIATI_NOMINATI {
                format!(" e altri {}", n - INVIATI_NOMINATI)
            } else {
                String::new()
            };
            let quanti = if n == 1 {
                "1 dovuto è già stato inviato".to_string()
            } else {
                format!("{} sono già stati inviati", mpd_domain::testo::conta(n, "dovuto", "dovuti"))
            };
            return Err(Errore::new(
                Codice::NonConsentito,
                format!(
                    "l'importazione di «{}» non si può annullare: {quanti} a MyPay ({}{altri}). \
                     Non è stato eliminato nulla: i dovuti già inviati si possono solo annullare uno per uno.",
                    r.sorgente.nome_file,
                    nominati.join("; ")
                ),
            ));
        }
        Ok(ImportazioneAnnullata {
            importazione: r.sorgente.into(),
            eliminati: r.eliminati,
        })
    })
}

/// The types of this module the window sees.
#[cfg(test)]
pub(crate) fn tipi_ts(cfg: &ts_rs::Config) -> Result<(), ts_rs::ExportError> {
    Importazione::export_all(cfg)?;
    ImportazioneAnnullata::export_all(cfg)?;
    Formati::export_all(cfg)?;
    Scelte::export_all(cfg)?;
    FileCaricato::export_all(cfg)?;
    Anteprima::export_all(cfg)?;
    Resoconto::export_all(cfg)?;
    AvanzamentoImportazione::export_all(cfg)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A wide roll has no plain «Importo»: the window must not ask for one when an option's
    /// amount has a column (its mandatory fields are checked with `alternative`).
    #[test]
    fn the_amount_of_any_option_stands_for_the_amount() {
        let c = campi();
        let importo = c.iter().find(|c| c.chiave == "importo").unwrap();
        assert!(importo.obbligatorio);
        for k in ["importo_rata_unica", "importo_rata_1", "importo_rata_12"] {
            assert!(
                importo.alternative.contains(&k),
                "{k}: {:?}",
                importo.alternative
            );
        }
        assert!(!importo.alternative.contains(&"scadenza_rata_1"));
        // Every option's amount and due date, the position and the option's number are offered.
        for k in ["importo_rata_3", "scadenza_rata_unica", "posizione", "rata"] {
            assert!(c.iter().any(|c| c.chiave == k), "{k}");
        }
    }

    fn conta_dovuti(app: &App) -> usize {
        crate::dovuti::elenco(app, &Default::default())
            .unwrap()
            .len()
    }

    fn importa(app: &App, dir: &Path, nome: &str, seme: u64) -> Resoconto {
        let csv = dir.join(nome);
        crate::dovuti::genera(app, &csv, None, 3, seme).unwrap();
        let scelte = Scelte {
            percorso: csv.display().to_string(),
            ..Default::default()
        };
        esegui(app, &scelte, ModoImportazione::ConBozze, &Lavoro::muto()).unwrap()
    }

    /// An app on a new demo database in `dir`.
    fn demo(dir: &Path) -> App {
        let app = App::new(
            Some(dir.join("desk.sqlite")),
            crate::ConnectOptions::default(),
            crate::connessione::keyring(),
        )
        .con_frase_archivio(Some(mpd_store::testing::CHIAVE_DI_PROVA));
        app.con_desk(|d| Ok(d.setup_demo(0)?)).unwrap();
        app
    }

    #[test]
    fn undo_removes_exactly_the_last_imports_debts_and_refuses_once_sent() {
        let dir = tempfile::tempdir().unwrap();
        let app = demo(dir.path());
        let prima = conta_dovuti(&app);
        assert_eq!(importa(&app, dir.path(), "a.csv", 1).importate, 3);
        assert_eq!(importa(&app, dir.path(), "b.csv", 2).importate, 3);
        assert_eq!(conta_dovuti(&app), prima + 6);
        let ultima = ultima_importazione(&app).unwrap().unwrap();
        assert_eq!((ultima.file.as_str(), ultima.dovuti), ("b.csv", 3));

        let r = annulla_importazione(&app, None).unwrap();
        assert_eq!(r.importazione.file, "b.csv");
        assert_eq!(r.eliminati.len(), 3);
        assert_eq!(conta_dovuti(&app), prima + 3, "only b.csv's debts went");
        assert_eq!(ultima_importazione(&app).unwrap().unwrap().file, "a.csv");
        let e = annulla_importazione(&app, Some(ultima.id)).unwrap_err();
        assert_eq!(e.codice, Codice::Argomento, "{e:?}");

        // a.csv's debts go into a flow: its undo is refused and deletes nothing.
        crate::flussi::prepara(&app, None, Some(dir.path()), None).unwrap();
        let e = annulla_importazione(&app, None).unwrap_err();
        assert_eq!(e.codice, Codice::NonConsentito);
        assert!(e.messaggio.contains("a.csv"), "{}", e.messaggio);
        assert!(
            e.messaggio.contains("3 dovuti sono già stati inviati"),
            "{}",
            e.messaggio
        );
        assert!(e.messaggio.contains("IUD "), "{}", e.messaggio);
        assert_eq!(conta_dovuti(&app), prima + 3);
        assert_eq!(ultima_importazione(&app).unwrap().unwrap().file, "a.csv");
    }

    #[test]
    fn a_file_too_large_to_read_safely_is_refused_with_the_files_code_and_nothing_is_lost() {
        // Issue 17: a CSV without line breaks is one record of megabytes (gigabytes in the
        // attack): refused at the record cap, in Italian, naming the file and the row.
        let dir = tempfile::tempdir().unwrap();
        let app = demo(dir.path());
        assert_eq!(importa(&app, dir.path(), "a.csv", 1).importate, 3);
        let prima = conta_dovuti(&app);
        let ostile = dir.path().join("senza a capo.csv");
        let mut byte = b"Codice fiscale;Importo;".to_vec();
        byte.resize(3 << 20, b'x');
        std::fs::write(&ostile, byte).unwrap();
        let scelte = Scelte {
            percorso: ostile.display().to_string(),
            ..Default::default()
        };
        let e = anteprima(&app, &scelte).unwrap_err();
        assert_eq!(e.codice, Codice::FileNonValido, "{e:?}");
        assert!(
            e.messaggio.contains("senza a capo.csv") && e.messaggio.contains("la riga 1 "),
            "{}",
            e.messaggio
        );
        let e = esegui(&app, &scelte, ModoImportazione::ConBozze, &Lavoro::muto()).unwrap_err();
        assert_eq!(e.codice, Codice::FileNonValido, "{e:?}");
        assert_eq!(
            conta_dovuti(&app),
            prima,
            "nothing of the archive is touched"
        );
        assert_eq!(ultima_importazione(&app).unwrap().unwrap().file, "a.csv");
    }

    #[test]
    fn names_and_paths_are_checked() {
        assert_eq!(nome_sicuro("../../etc/passwd"), "passwd");
        assert_eq!(
            nome_sicuro("C:\\Users\\x\\Lista TARI.xlsx"),
            "Lista TARI.xlsx"
        );
        assert_eq!(nome_sicuro("..xlsx"), "xlsx");
        assert_eq!(nome_sicuro(""), "foglio");
        let codice = |p: &str| file_da_importare(Path::new(p)).unwrap_err().codice;
        assert_eq!(codice("relativo.csv"), Codice::Argomento);
        assert_eq!(codice("/nessuno/file.exe"), Codice::FileNonValido);
        assert_eq!(codice("/nessuno/file.csv"), Codice::LetturaFile);
        let dir = tempfile::tempdir().unwrap();
        let app = App::new(
            Some(dir.path().join("desk.sqlite")),
            crate::ConnectOptions::default(),
            crate::connessione::keyring(),
        )
        .con_frase_archivio(Some(mpd_store::testing::CHIAVE_DI_PROVA));
        assert!(carica(&app, "a.exe", b"x").is_err());
        assert_eq!(
            carica(&app, "a.csv", b"").unwrap_err().codice,
            Codice::FileNonValido
        );
        let f = carica(&app, "../lista.csv", b"CF;Nome\n").unwrap();
        assert_eq!(f.nome, "lista.csv");
        assert_eq!(std::fs::read(&f.percorso).unwrap(), b"CF;Nome\n");
        assert_eq!(
            file_da_importare(Path::new(&f.percorso)).unwrap(),
            PathBuf::from(&f.percorso)
        );
        std::fs::remove_dir_all(Path::new(&f.percorso).parent().unwrap()).unwrap();
    }

    /// Issue 17 item 7: a dropped file was copied to `<temp>/mypay-desk-importa-<pid>`, a name
    /// anyone could guess and pre-create, readable by others and left behind.
    #[test]
    fn received_files_go_to_a_random_private_folder_removed_at_the_end() {
        let dir = tempfile::tempdir().unwrap();
        let nuova = || {
            App::new(
                Some(dir.path().join("desk.sqlite")),
                crate::ConnectOptions::default(),
                crate::connessione::keyring(),
            )
            .con_frase_archivio(Some(mpd_store::testing::CHIAVE_DI_PROVA))
        };
        let (a, b) = (nuova(), nuova());
        let fa = carica(&a, "lista.csv", b"CF;Nome\n").unwrap();
        let fb = carica(&b, "lista.csv", b"CF;Nome\n").unwrap();
        // <temp>/<random base>/<upload>/lista.csv
        let base = |f: &FileCaricato| {
            Path::new(&f.percorso)
                .parent()
                .and_then(Path::parent)
                .unwrap()
                .to_path_buf()
        };
        let (ba, bb) = (base(&fa), base(&fb));
        assert_ne!(ba, bb);
        let nome = ba.file_name().unwrap().to_str().unwrap();
        assert!(nome.starts_with(PREFISSO_CARICATI), "{nome}");
        assert!(
            !nome.ends_with(&std::process::id().to_string()),
            "not the process id: {nome}"
        );
        assert!(nome.len() >= PREFISSO_CARICATI.len() + 6, "{nome}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&ba), 0o700);
            assert_eq!(mode(Path::new(&fa.percorso).parent().unwrap()), 0o700);
            assert_eq!(mode(Path::new(&fa.percorso)), 0o600);
        }
        a.chiudi();
        assert!(!ba.exists(), "removed when the window closes");
        drop(b);
        assert!(!bb.exists(), "removed with the application");
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
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("lista.csv");
        std::fs::write(&csv, "CF;Nome\n").unwrap();
        let percorso = csv.display().to_string();
        let scelte = |abbinamenti: Vec<&str>| Scelte {
            percorso: percorso.clone(),
            abbinamenti: Some(abbinamenti.into_iter().map(String::from).collect()),
            ..Default::default()
        };
        assert!(opzioni(&scelte(vec!["importo=C"])).is_ok());
        let e = opzioni(&scelte(vec!["boh=C"])).unwrap_err();
        assert_eq!(e.codice, Codice::Argomento);
        let (_, o) = opzioni(&Scelte {
            percorso: percorso.clone(),
            foglio: Some(" ".into()),
            tipo: Some("TARI".into()),
            abbinamenti: None,
            anche_duplicati: None,
        })
        .unwrap();
        assert_eq!(o.sheet, None);
        assert_eq!(o.tipo.as_deref(), Some("TARI"));
        let f = formati();
        assert!(f.estensioni.contains(&"xlsx"));
        assert!(f.campi.iter().any(|c| c.chiave == "anagrafica"
            && c.obbligatorio
            && c.alternative == ["cognome", "nome"]));
    }
}
