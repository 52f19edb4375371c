//! What an import reports and how it runs: the types shared by the one import pipeline
//! (`pipeline`) and its two sources, the tracciato CSV (`import`) and the clerk's spreadsheets
//! (`sheets`), and by everything that reports a row's problems (`flows`, `debts`).
//!
//! A leaf: it uses no sibling module, only the crate's [`CoreError`].

use std::sync::atomic::{AtomicBool, Ordering};

use mpd_domain::{Finding, RawRow, Severity};
use mpd_sheets::mapping::Mapping;
use serde::Serialize;

use crate::{CoreError, Result};

/// One problem of a row, as the clerk reads it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Problem {
    pub codice: String,
    /// The column header, as in the file.
    pub campo: Option<String>,
    pub valore: Option<String>,
    pub messaggio: String,
    pub grave: bool,
}

/// The problems of one row.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RowReport {
    /// Line of the file (the clerk's spreadsheet row; the header is line 1).
    pub riga: usize,
    pub iud: String,
    pub problemi: Vec<Problem>,
    /// The row was kept as a draft debt under `iud` ([`ImportMode::KeepDrafts`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub bozza: bool,
    /// The payer's name as the row has it (empty when the row could not be read), so that the
    /// clerk recognises the row without opening the file.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub pagatore: String,
    /// The amount as the row has it (empty when the row could not be read).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub importo: String,
}

/// What `debts import` did.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub file: String,
    pub versione: String,
    pub righe_lette: usize,
    pub righe_valide: usize,
    pub importate: usize,
    /// Invalid rows kept as draft debts ([`ImportMode::KeepDrafts`]; also counted in
    /// `importate`).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub bozze: usize,
    /// Rows with at least one error (never imported as ready; kept as drafts only in
    /// [`ImportMode::KeepDrafts`]).
    pub errori: Vec<RowReport>,
    /// Rows with only warnings (imported).
    pub avvisi: Vec<RowReport>,
    /// How a spreadsheet was read and mapped (absent for a MyPay tracciato CSV).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub foglio: Option<SheetSummary>,
    /// Probable duplicates (same payer, payment type, amount, due date and causale), one group
    /// per row or debt they repeat.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub duplicati: Vec<DuplicateGroup>,
    /// Debt positions read (issue 14: a wide row with instalments, or the long rows of one
    /// position code), valid or not.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub posizioni: usize,
    /// Their options (rata unica and instalments): one debt each.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub opzioni: usize,
}

/// Rows of a file that repeat one row of the same file or one debt already in the archive:
/// never made ready silently (a draft each in [`ImportMode::KeepDrafts`], an error otherwise,
/// unless the clerk asked to import them anyway).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DuplicateGroup {
    /// The row of the file the others repeat (imported as usual).
    pub riga: Option<usize>,
    /// The debt of the archive the rows repeat.
    pub iud_archivio: Option<String>,
    /// The repeating rows (the clerk's row numbers).
    pub righe: Vec<usize>,
    /// The IUDs of the drafts the repeating rows were kept as (empty when nothing was stored).
    pub bozze: Vec<String>,
    /// Payer, amount, due date and causale, in Italian.
    pub descrizione: String,
}

impl ImportReport {
    pub fn has_errors(&self) -> bool {
        !self.errori.is_empty()
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// What an import writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportMode {
    /// The valid rows, only if no row is invalid (`debts import`).
    AllOrNothing,
    /// The valid rows even if others are invalid (`debts import --valid-only`).
    ValidOnly,
    /// Nothing: read, map, validate and report (`debts check`, the window's preview).
    CheckOnly,
    /// Every row: the valid ones ready, the invalid ones as drafts carrying their problems
    /// (see the `bozze` module), so that nothing typed is lost (the window's import).
    KeepDrafts,
}

impl ImportMode {
    /// The CLI's two modes.
    pub fn from_valid_only(valid_only: bool) -> ImportMode {
        if valid_only {
            ImportMode::ValidOnly
        } else {
            ImportMode::AllOrNothing
        }
    }

    /// Whether the valid rows are written given the first pass's report.
    pub(crate) fn writes(self, report: &ImportReport) -> bool {
        match self {
            ImportMode::CheckOnly => false,
            ImportMode::AllOrNothing => !report.has_errors() && report.righe_valide > 0,
            ImportMode::ValidOnly => report.righe_valide > 0,
            ImportMode::KeepDrafts => report.righe_lette > 0,
        }
    }
}

/// The phase of an import, for a progress bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportPhase {
    /// Reading and checking the file (the number of rows is not known yet).
    Verifica,
    /// Writing the rows (`totale` known).
    Salvataggio,
}

/// How far an import is.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct ImportProgress {
    pub fase: ImportPhase,
    pub righe: usize,
    pub totale: Option<usize>,
}

/// What the window hooks into a long import: progress and a cancel flag.
#[derive(Clone, Copy, Default)]
pub struct ImportHooks<'a> {
    pub progress: Option<&'a (dyn Fn(ImportProgress) + Sync)>,
    pub cancel: Option<&'a AtomicBool>,
}

/// Rows between two progress reports (and cancel checks).
pub(crate) const PROGRESS_EVERY: usize = 4096;

/// The message of a cancelled import.
pub const ANNULLATA: &str = "importazione annullata: nessun dovuto è stato salvato";

impl ImportHooks<'_> {
    pub(crate) fn cancelled(&self) -> bool {
        self.cancel.is_some_and(|c| c.load(Ordering::Relaxed))
    }

    pub(crate) fn report(&self, fase: ImportPhase, righe: usize, totale: Option<usize>) {
        if let Some(p) = self.progress {
            p(ImportProgress {
                fase,
                righe,
                totale,
            });
        }
    }

    /// Every [`PROGRESS_EVERY`] rows: reports, and fails if the clerk cancelled.
    pub(crate) fn tick(
        &self,
        fase: ImportPhase,
        righe: usize,
        totale: Option<usize>,
    ) -> Result<()> {
        if righe.is_multiple_of(PROGRESS_EVERY) {
            if self.cancelled() {
                return Err(CoreError::Invalid(ANNULLATA.into()));
            }
            self.report(fase, righe, totale);
        }
        Ok(())
    }
}

pub(crate) fn problem(f: &Finding, row: Option<&RawRow>) -> Problem {
    Problem {
        codice: f.code.clone(),
        campo: f.column.map(|c| c.name().to_string()),
        valore: f
            .column
            .and_then(|c| row.map(|r| r.get(c).to_string()))
            .filter(|v| !v.is_empty()),
        messaggio: f.message.clone(),
        grave: f.severity == Severity::Error,
    }
}

/// How the sheet was read, in the import report.
#[derive(Clone, Debug, Serialize)]
pub struct SheetSummary {
    pub formato: String,
    pub foglio: String,
    /// The header's row number (the clerk's).
    pub riga_intestazione: usize,
    pub mappatura: Mapping,
    /// The mapping came from one saved for this layout.
    pub mappatura_salvata: bool,
    /// Notes on the file (sheet chosen, formulas, merged cells, encoding…).
    pub note: Vec<String>,
}

/// Problem codes of the spreadsheet import (`sheets`).
pub mod codes {
    pub const COLONNA_MANCANTE: &str = "MPD_COLONNA_MANCANTE";
    pub const DUPLICATO_NEL_FILE: &str = "MPD_DUPLICATO_NEL_FILE";
    pub const DUPLICATO_IN_ARCHIVIO: &str = "MPD_DUPLICATO_IN_ARCHIVIO";

    /// Whether a problem code says the row repeats another row or a stored debt.
    pub fn is_duplicate(code: &str) -> bool {
        code == DUPLICATO_NEL_FILE || code == DUPLICATO_IN_ARCHIVIO
    }
    pub const TIPO_DOVUTO: &str = "MPD_FOGLIO_TIPO_DOVUTO";
    /// A position of the file breaks a position's rules, or another of its rows does.
    pub const POSIZIONE: &str = "MPD_POSIZIONE";
    /// A position of the file is already in the archive.
    pub const POSIZIONE_IN_ARCHIVIO: &str = "MPD_POSIZIONE_IN_ARCHIVIO";
    /// A wide row repeats the position of an earlier row.
    pub const POSIZIONE_NEL_FILE: &str = "MPD_POSIZIONE_NEL_FILE";
    /// The position's code or the option's number of a long row is missing.
    pub const POSIZIONE_INCOMPLETA: &str = "MPD_POSIZIONE_INCOMPLETA";
}

impl ImportReport {
    /// Mandatory columns are missing: no row was read.
    pub(crate) fn foglio_incompleto(&self) -> bool {
        self.errori.first().is_some_and(|e| {
            e.problemi
                .iter()
                .any(|p| p.codice == codes::COLONNA_MANCANTE)
        })
    }
}
