//! The one import pipeline: a file of debts into the store in two passes, whatever its format.
//!
//! A [`RowSource`] reads a file row by row: the tracciato CSV (`import`) or the clerk's
//! spreadsheet (`sheets`). Each row comes as a [`RawRow`] (or as a line that could not be
//! split at all), the problems of its single cells, and the clerk's row number.
//!
//! 1. [`check`]: every row is validated (MyPay's rules and ours, IUDs repeated in the file or
//!    already stored, the source's own checks, then probable duplicates: see [`Duplicates`])
//!    and the report built; nothing is written. A file whose every row is already in the
//!    archive is refused here ([`CoreError::AlreadyImported`]).
//! 2. [`write`]: the source reads the file again from the start, and the rows go into the
//!    store in one transaction, on the store's own thread: the valid ones ready, and in
//!    [`ImportMode::KeepDrafts`](crate::report::ImportMode) the invalid ones as drafts
//!    carrying their problems.
//!
//! The file is read twice rather than held in memory: what the first pass keeps for the
//! second is a line number and the columns of the problems per invalid row, and the IUDs.

use std::collections::hash_map::RandomState;
use std::collections::{HashMap, HashSet};
use std::fmt::Display;
use std::hash::{BuildHasher, Hash, Hasher};

use mpd_domain::validate::{self, IudTracker};
use mpd_domain::{Column, Finding, RawRow, Severity};
use mpd_store::{DovutoStato, NewDovuto};

use crate::input::cents;
use crate::nota::DraftIuds;
use crate::report::{
    ANNULLATA, DuplicateGroup, ImportHooks, ImportPhase, ImportReport, PROGRESS_EVERY, Problem,
    RowReport, codes,
};
use crate::store_thread::with_store_thread;
use crate::{CoreError, Desk, Result, Rules};

/// A row as a source read it.
#[allow(clippy::large_enum_variant)] // one per row, moved once: a box would cost an allocation a row
pub(crate) enum Read {
    /// The row's fields, as tracciato text.
    Row(RawRow),
    /// A line that could not be split into fields: the problem to report, and the error for a
    /// second pass that meets it where the first did not.
    Broken(Problem, String),
}

/// The problem of a single cell, found while reading it.
pub(crate) struct CellProblem {
    pub column: Column,
    pub problem: Problem,
}

/// One data row of a file.
pub(crate) struct SourceRow {
    /// The clerk's row number (the file's line, the sheet's row).
    pub line: usize,
    pub read: Read,
    /// Problems of single cells (first pass only): reported before the rules' findings, and
    /// the rules say nothing more about a column whose cell has an error.
    pub cells: Vec<CellProblem>,
}

/// A file of debts, read row by row (header, blank and total rows are the source's business).
pub(crate) trait RowSource {
    type Error: Display;

    /// Rows without an IUD get one generated (`<prefix>-<row>`) instead of an error.
    const GENERATES_IUD: bool;

    /// The next data row; after [`RowSource::reopen`], the first one again.
    fn next_row(&mut self) -> Option<std::result::Result<SourceRow, Self::Error>>;

    /// A read error of the first pass, for the clerk.
    fn failed(&self, e: Self::Error) -> CoreError;

    /// Starts the second pass (the file read again from its first data row).
    fn reopen(&mut self) -> Result<()>;

    /// What the file is, for the store's record of it (`tracciato 1_4`, `foglio xlsx «…»`).
    fn origin(&self) -> String;

    /// The source's own checks of a valid-looking row, after the rules and the IUD checks.
    fn more_findings(&mut self, row: &RawRow, line: usize, findings: &mut Vec<Finding>);

    /// How a problem on `column` names the field and its value for the clerk (the header as
    /// written and the value as typed, where the source knows them), for the row just read.
    fn field(&self, row: &RawRow, column: Column) -> (Option<String>, Option<String>);

    /// Last touches of a row before it is stored (second pass).
    fn finish(row: &mut RawRow);

    /// The error of a row whose amount cannot be read in the second pass (the file changed).
    fn unreadable_amount(line: usize) -> String;
}

/// What the first pass hands the second.
pub(crate) struct Checked {
    /// Invalid rows: index in `errori`, and the column of each problem (kept only when drafts
    /// are).
    invalid: HashMap<usize, (usize, Vec<Option<Column>>)>,
    /// The IUDs of the valid rows.
    tracker: IudTracker,
    in_store: HashSet<String>,
    /// The prefix of generated IUDs.
    iud_prefix: String,
    /// Rows that repeat another row or a stored debt: the index of their group in the report.
    duplicate_lines: HashMap<usize, usize>,
}

/// The keys of the duplicate maps are already hashes: hashing them again is wasted time.
#[derive(Default)]
struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type KeyHash = std::hash::BuildHasherDefault<IdentityHasher>;

/// What a probable duplicate repeats.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Repeats {
    /// A row of the file (its line).
    Row(usize),
    /// A debt of the archive (its row id).
    Stored(i64),
}

/// The duplicate check of an import (issue 13): a row with the same payer, payment type,
/// amount, due date and causale as an earlier row of the file or as a debt of the archive not
/// cancelled is a probable duplicate. It is never made ready silently: its problem is an error
/// (the row kept as a draft naming the other, or not imported), unless the clerk asked to
/// import duplicates anyway (then a warning).
///
/// Hashes, not the strings, are kept: 16 bytes a row instead of a hundred for a million-row
/// file (a 64-bit collision among a million keys is ~1 in 10^7).
struct Duplicates {
    anyway: bool,
    hasher: RandomState,
    /// Key → row id of the stored debts.
    stored: HashMap<u64, i64, KeyHash>,
    /// Key → the first row of the file that has it.
    seen: HashMap<u64, usize, KeyHash>,
    groups: Vec<DuplicateGroup>,
    group_of: HashMap<Repeats, usize>,
    lines: HashMap<usize, usize>,
    /// Rows that repeat a stored debt.
    in_archive: usize,
}

/// The duplicate key of a debt.
fn dup_hash(
    state: &RandomState,
    cf: &str,
    tipo: &str,
    cents: i64,
    scadenza: &str,
    causale: &str,
) -> u64 {
    let mut h = state.build_hasher();
    cf.trim().to_uppercase().hash(&mut h);
    tipo.trim().hash(&mut h);
    cents.hash(&mut h);
    scadenza.trim().hash(&mut h);
    causale.trim().hash(&mut h);
    h.finish()
}

impl Duplicates {
    fn load(desk: &Desk, anyway: bool) -> Result<Duplicates> {
        let hasher = RandomState::new();
        let mut stored: HashMap<u64, i64, KeyHash> = HashMap::default();
        desk.store.for_each_debt_key(|k| {
            stored
                .entry(dup_hash(
                    &hasher,
                    &k.codice_pagatore,
                    &k.tipo_dovuto,
                    k.importo_cents,
                    &k.data_scadenza,
                    &k.causale,
                ))
                .or_insert(k.id);
        })?;
        Ok(Duplicates {
            anyway,
            hasher,
            stored,
            seen: HashMap::default(),
            groups: Vec::new(),
            group_of: HashMap::new(),
            lines: HashMap::new(),
            in_archive: 0,
        })
    }

    /// The finding of row `line` when it repeats an earlier row or a stored debt.
    fn check(&mut self, desk: &Desk, row: &RawRow, line: usize) -> Result<Option<Finding>> {
        let Some(cents) = cents(row.get(Column::ImportoDovuto)) else {
            return Ok(None);
        };
        let key = dup_hash(
            &self.hasher,
            row.get(Column::CodiceIdentificativoUnivoco),
            row.get(Column::TipoDovuto),
            cents,
            row.get(Column::DataScadenzaPagamento),
            row.get(Column::CausaleVersamento),
        );
        let (repeats, code, what) = if let Some(&id) = self.stored.get(&key) {
            self.in_archive += 1;
            let iud = desk.store.iud_by_id(id)?.unwrap_or_default();
            (
                Repeats::Stored(id),
                codes::DUPLICATO_IN_ARCHIVIO,
                format!(
                    "uguale al dovuto IUD {iud} già in archivio (stesso pagatore, tipo dovuto, importo, \
                     scadenza e causale): probabilmente il file è già stato importato"
                ),
            )
        } else if let Some(&first) = self.seen.get(&key) {
            (
                Repeats::Row(first),
                codes::DUPLICATO_NEL_FILE,
                format!(
                    "uguale alla riga {first} del file (stesso pagatore, tipo dovuto, importo, scadenza \
                     e causale): probabilmente è una ripetizione"
                ),
            )
        } else {
            self.seen.insert(key, line);
            return Ok(None);
        };
        let g = match self.group_of.get(&repeats) {
            Some(&g) => g,
            None => {
                let (riga, iud_archivio) = match repeats {
                    Repeats::Row(r) => (Some(r), None),
                    Repeats::Stored(id) => (None, desk.store.iud_by_id(id)?),
                };
                self.groups.push(DuplicateGroup {
                    riga,
                    iud_archivio,
                    righe: Vec::new(),
                    bozze: Vec::new(),
                    descrizione: describe(row, cents),
                });
                self.group_of.insert(repeats, self.groups.len() - 1);
                self.groups.len() - 1
            }
        };
        self.groups[g].righe.push(line);
        self.lines.insert(line, g);
        Ok(Some(if self.anyway {
            Finding::warning(code, None, format!("{what}; importata comunque"))
        } else {
            Finding::strict(
                code,
                None,
                format!(
                    "{what}. La riga non è stata resa pronta: se è davvero un altro dovuto, va \
                     importata comunque"
                ),
            )
        }))
    }
}

/// Payer, amount, due date and causale of a row, as the clerk reads them.
fn describe(row: &RawRow, cents: i64) -> String {
    let importo = mpd_domain::money::format_it(rust_decimal::Decimal::new(cents, 2));
    let scadenza =
        chrono::NaiveDate::parse_from_str(row.get(Column::DataScadenzaPagamento), "%Y-%m-%d")
            .map(|d| d.format("%d/%m/%Y").to_string())
            .unwrap_or_else(|_| row.get(Column::DataScadenzaPagamento).to_string());
    let mut out = format!(
        "{} ({}), {importo}",
        row.get(Column::AnagraficaPagatore),
        row.get(Column::CodiceIdentificativoUnivoco).to_uppercase()
    );
    if !scadenza.is_empty() {
        out += &format!(", scadenza {scadenza}");
    }
    if !row.get(Column::CausaleVersamento).is_empty() {
        out += &format!(", «{}»", row.get(Column::CausaleVersamento));
    }
    out
}

/// The first pass: every row of `source` validated with `rules`, the report completed.
/// With `keep_columns` the columns of each invalid row's problems are kept (for the notes of
/// drafts); with `duplicates_anyway` probable duplicates are warnings, not errors, and a file
/// already imported is not refused.
#[allow(clippy::too_many_arguments)]
pub(crate) fn check<S: RowSource>(
    desk: &Desk,
    source: &mut S,
    rules: &Rules,
    report: &mut ImportReport,
    keep_columns: bool,
    duplicates_anyway: bool,
    hooks: ImportHooks<'_>,
) -> Result<Checked> {
    let ctx = rules.context();
    let iud_prefix = format!("MPD{}", desk.now().format("%y%m%d%H%M%S%3f"));
    // A generated IUD is unique by construction: validation sees one of the same shape, and
    // the real one (with the row number) is written only where a report needs it.
    let iud_placeholder = format!("{iud_prefix}-0000000");
    let in_store = desk.store.all_iuds()?;
    let mut duplicates = Duplicates::load(desk, duplicates_anyway)?;
    let mut tracker = IudTracker::default();
    let mut invalid: HashMap<usize, (usize, Vec<Option<Column>>)> = HashMap::new();
    while let Some(next) = source.next_row() {
        let SourceRow { line, read, cells } = next.map_err(|e| source.failed(e))?;
        report.righe_lette += 1;
        hooks.tick(ImportPhase::Verifica, report.righe_lette, None)?;
        let mut row = match read {
            Read::Row(row) => row,
            Read::Broken(problem, _) => {
                invalid.insert(line, (report.errori.len(), Vec::new()));
                report.errori.push(RowReport {
                    riga: line,
                    iud: String::new(),
                    problemi: vec![problem],
                    bozza: false,
                    pagatore: String::new(),
                    importo: String::new(),
                });
                continue;
            }
        };
        let generated = S::GENERATES_IUD && row.get(Column::Iud).is_empty();
        if generated {
            row.set(Column::Iud, iud_placeholder.as_str());
        }
        let mut findings: Vec<Finding> = validate::validate_row(&row, &ctx)
            .into_iter()
            .filter(|f| {
                f.column
                    .is_none_or(|c| !cells.iter().any(|p| p.problem.grave && p.column == c))
            })
            .collect();
        let iud = if generated {
            String::new()
        } else {
            let iud = row.get(Column::Iud).to_string();
            if let Some(f) = tracker.check(&iud) {
                findings.push(f);
            }
            if in_store.contains(&iud) {
                findings.push(validate::iud_gia_presente(&iud));
            }
            iud
        };
        source.more_findings(&row, line, &mut findings);
        if let Some(f) = duplicates.check(desk, &row, line)? {
            findings.push(f);
        }
        let columns: Vec<Option<Column>> = if keep_columns {
            cells
                .iter()
                .map(|p| Some(p.column))
                .chain(findings.iter().map(|f| f.column))
                .collect()
        } else {
            Vec::new()
        };
        let mut problemi: Vec<Problem> = cells.into_iter().map(|p| p.problem).collect();
        problemi.extend(findings.iter().map(|f| {
            let (campo, valore) = match f.column {
                None => (None, None),
                Some(c) => source.field(&row, c),
            };
            Problem {
                codice: f.code.clone(),
                campo,
                valore: valore.filter(|v| !v.is_empty()),
                messaggio: f.message.clone(),
                grave: f.severity == Severity::Error,
            }
        }));
        let is_error = problemi.iter().any(|p| p.grave);
        if is_error {
            invalid.insert(line, (report.errori.len(), columns));
        } else {
            report.righe_valide += 1;
            if !generated {
                tracker.mark_loaded(&iud);
            }
        }
        if !problemi.is_empty() {
            let iud = if generated {
                format!("{iud_prefix}-{line:07}")
            } else {
                iud
            };
            let rr = RowReport {
                riga: line,
                iud,
                problemi,
                bozza: false,
                pagatore: row.get(Column::AnagraficaPagatore).trim().to_string(),
                importo: row.get(Column::ImportoDovuto).trim().to_string(),
            };
            if is_error {
                report.errori.push(rr);
            } else {
                report.avvisi.push(rr);
            }
        }
    }
    hooks.report(ImportPhase::Verifica, report.righe_lette, None);
    if !duplicates_anyway && report.righe_lette > 0 && duplicates.in_archive == report.righe_lette {
        let name = std::path::Path::new(&report.file)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| report.file.clone());
        let n = report.righe_lette;
        return Err(CoreError::AlreadyImported(format!(
            "il file «{name}» è già stato importato: {} già in archivio, con lo stesso pagatore, \
             tipo dovuto, importo, scadenza e causale, e non è stato salvato nulla",
            if n == 1 {
                "la sua riga è".to_string()
            } else {
                format!("tutte le sue {} righe sono", mpd_domain::testo::numero(n))
            }
        )));
    }
    report.duplicati = duplicates.groups;
    Ok(Checked {
        invalid,
        tracker,
        in_store,
        iud_prefix,
        duplicate_lines: duplicates.lines,
    })
}

/// The second pass: the file of `file_name` read again and its rows stored in one transaction
/// (with `keep`, the invalid ones as drafts), the report completed. Nothing is stored if the
/// file changed, the store failed or the clerk cancelled.
#[allow(clippy::too_many_arguments)]
pub(crate) fn write<S: RowSource>(
    desk: &mut Desk,
    source: &mut S,
    report: &mut ImportReport,
    checked: Checked,
    file_name: &str,
    keep: bool,
    hooks: ImportHooks<'_>,
) -> Result<()> {
    let Checked {
        invalid,
        tracker,
        in_store,
        iud_prefix,
        duplicate_lines,
    } = checked;
    let now = desk.now();
    let sorgente =
        desk.store
            .add_sorgente(file_name, &source.origin(), report.righe_lette as i64, now)?;
    source.reopen()?;
    let mut drafts = DraftIuds::new(&iud_prefix, &tracker, &in_store);
    let total = report.righe_lette;
    let errori = &mut report.errori;
    let duplicati = &mut report.duplicati;
    let mut seen = 0usize;
    let rows = std::iter::from_fn(|| source.next_row()).filter_map(|next| {
        seen += 1;
        if seen.is_multiple_of(PROGRESS_EVERY) {
            if hooks.cancelled() {
                return Some(Err(ANNULLATA.to_string()));
            }
            hooks.report(ImportPhase::Salvataggio, seen, Some(total));
        }
        let r = match next {
            Ok(r) => r,
            Err(e) => {
                return Some(Err(format!(
                    "il file è cambiato durante l'importazione: {e}"
                )));
            }
        };
        let bad = invalid.get(&r.line);
        if bad.is_some() && !keep {
            return None;
        }
        let mut row = match r.read {
            Read::Row(row) => row,
            // A line that could not be split: nothing to keep but the report.
            Read::Broken(..) if bad.is_some() => return None,
            Read::Broken(_, e) => {
                return Some(Err(format!(
                    "il file è cambiato durante l'importazione: {e}"
                )));
            }
        };
        let importo = cents(row.get(Column::ImportoDovuto));
        let commissione_cents = cents(row.get(Column::CommissioneCaricoPa));
        S::finish(&mut row);
        let sorgente = Some((sorgente, r.line as i64));
        if let Some((idx, columns)) = bad {
            let nota = drafts.keep(&mut row, r.line, file_name, &mut errori[*idx], columns);
            if let Some(&g) = duplicate_lines.get(&r.line) {
                duplicati[g].bozze.push(errori[*idx].iud.clone());
            }
            return Some(Ok((
                NewDovuto {
                    row,
                    importo_cents: importo.unwrap_or(0),
                    commissione_cents,
                    stato: DovutoStato::Draft,
                    sorgente,
                    posizione: None,
                },
                Some(nota),
            )));
        }
        if S::GENERATES_IUD && row.get(Column::Iud).is_empty() {
            row.set(Column::Iud, format!("{iud_prefix}-{:07}", r.line));
        }
        Some(
            importo
                .ok_or_else(|| S::unreadable_amount(r.line))
                .map(|importo_cents| {
                    (
                        NewDovuto {
                            row,
                            importo_cents,
                            commissione_cents,
                            stato: DovutoStato::Ready,
                            sorgente,
                            posizione: None,
                        },
                        None,
                    )
                }),
        )
    });
    // SQLite inserts on another thread while this one reads and converts the next rows.
    let importate = with_store_thread(
        &mut desk.store,
        |store, rows| store.insert_dovuti_annotati_from(rows, now),
        |send| {
            for row in rows {
                if !send(row) {
                    break;
                }
            }
        },
    );
    if importate.is_err() {
        // Nothing was stored: the file's record goes too (a cancelled import leaves no trace).
        let _ = desk.store.remove_sorgente_unused(sorgente);
    }
    report.importate = importate?;
    report.bozze = drafts.count();
    hooks.report(ImportPhase::Salvataggio, total, Some(total));
    Ok(())
}
