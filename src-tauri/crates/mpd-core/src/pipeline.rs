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

use mpd_domain::posizione::{self, Opzione, Rata};
use mpd_domain::validate::{self, IudTracker};
use mpd_domain::{Column, Finding, RawRow, Severity};
use mpd_store::{DovutoStato, NewDovuto, PosizioneDi};

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
    /// The tracciato column the cell feeds (none: a cell that groups rows into positions).
    pub column: Option<Column>,
    pub problem: Problem,
}

/// Which option of which position a row is (issue 14).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct OpzioneDi {
    /// The position's code: the sheet's, or made from its natural key
    /// ([`crate::posizioni::codice_naturale`]).
    pub codice: String,
    pub rata: Rata,
    /// The row is the whole position (the wide shape: one row per household); otherwise the
    /// position's options are on rows of their own (the long shape).
    pub riga_intera: bool,
    /// The subject printed on the notice, when the source knows it (a wide row: its causale
    /// before each option's name was added); otherwise the causale of the first option.
    pub oggetto: Option<String>,
}

impl OpzioneDi {
    /// What an option's IUD adds to its row's (`U` the rata unica, `R01`… the instalments),
    /// as a position's options get in `crea_posizione`.
    pub(crate) fn suffisso(&self) -> String {
        match self.rata {
            Rata::Unica => "U".into(),
            Rata::N(n) => format!("R{n:02}"),
        }
    }
}

/// One data row of a file (in the wide shape, one option of a row: the options of a row
/// come one after the other, with the same `line`).
pub(crate) struct SourceRow {
    /// The clerk's row number (the file's line, the sheet's row).
    pub line: usize,
    pub read: Read,
    /// Problems of single cells (first pass only): reported before the rules' findings, and
    /// the rules say nothing more about a column whose cell has an error.
    pub cells: Vec<CellProblem>,
    /// The position and option the row is (none: a debt on its own, a position of one).
    pub opzione: Option<OpzioneDi>,
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

    /// How the clerk names the field `campo` (`codice`, `importo`, `scadenza`, `rata`, as
    /// mpd-domain's position rules name them) of option `rata` (the header as written).
    fn campo_opzione(&self, campo: &str, rata: Rata) -> Option<String>;

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
    /// The positions of the file, by code: what their debts are stored with.
    posizioni: HashMap<String, PosizioneLetta>,
}

/// A position of the file, as the second pass stores it.
struct PosizioneLetta {
    /// The subject printed on the notice: the causale of its first option.
    oggetto: String,
    /// Its invalid options may be kept as drafts in it (the code is new, each option once):
    /// otherwise they are kept as drafts on their own.
    bozze_dentro: bool,
}

/// One option of a position of the file, as the first pass saw it.
struct OpzioneVista {
    line: usize,
    rata: Rata,
    riga_intera: bool,
    codice_pagatore: String,
    cents: Option<i64>,
    scadenza: Option<chrono::NaiveDate>,
    tipo: String,
    /// The subject of the position: the source's, else the option's causale.
    oggetto: String,
}

/// A row's report while its options are read (one option, or all of a wide row's).
struct RigaInCorso {
    line: usize,
    iud: String,
    problemi: Vec<Problem>,
    columns: Vec<Option<Column>>,
    pagatore: String,
    importo: String,
    /// An IUD of the file, to mark as loaded if the row is valid.
    iuds: Vec<String>,
    /// The row is (part of) a position.
    posizione: Option<String>,
}

impl RigaInCorso {
    fn is_error(&self) -> bool {
        self.problemi.iter().any(|p| p.grave)
    }
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
/// already imported is not refused. The options of a position are checked as debts, then
/// together as a position (mpd-domain's `posizione::controlla`): a position with a problem is
/// invalid whole, each of its rows saying why.
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
    // The positions of the file: their options in the order read, and the rows they are on
    // (kept out of the report until the position is judged whole).
    let mut posizioni: HashMap<String, Vec<OpzioneVista>> = HashMap::new();
    let mut ordine_posizioni: Vec<String> = Vec::new();
    let mut righe_posizioni: std::collections::BTreeMap<usize, RigaInCorso> = Default::default();
    let mut in_corso: Option<RigaInCorso> = None;
    while let Some(next) = source.next_row() {
        let SourceRow {
            line,
            read,
            cells,
            opzione,
        } = next.map_err(|e| source.failed(e))?;
        if in_corso.as_ref().is_none_or(|r| r.line != line) {
            if let Some(done) = in_corso.take() {
                chiudi_riga(
                    done,
                    report,
                    &mut invalid,
                    &mut tracker,
                    &mut righe_posizioni,
                );
            }
            report.righe_lette += 1;
            hooks.tick(ImportPhase::Verifica, report.righe_lette, None)?;
        }
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
                    .is_none_or(|c| !cells.iter().any(|p| p.problem.grave && p.column == Some(c)))
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
        // A position's options are not one another's duplicates: a position repeated is
        // found by its code, once it is read whole.
        if opzione.is_none()
            && let Some(f) = duplicates.check(desk, &row, line)?
        {
            findings.push(f);
        }
        let columns: Vec<Option<Column>> = if keep_columns {
            cells
                .iter()
                .map(|p| p.column)
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
        let riga = in_corso.get_or_insert_with(|| RigaInCorso {
            line,
            iud: String::new(),
            problemi: Vec::new(),
            columns: Vec::new(),
            pagatore: String::new(),
            importo: String::new(),
            iuds: Vec::new(),
            posizione: None,
        });
        // IUD, payer and amount name a row in the report: made only for a row with problems
        // (the first option of a wide row, or the first with a problem) or of a position
        // (which may get its problems once the position is read whole).
        if riga.iud.is_empty() && (!problemi.is_empty() || opzione.is_some()) {
            riga.iud = if generated {
                let suffisso = opzione
                    .as_ref()
                    .map(OpzioneDi::suffisso)
                    .unwrap_or_default();
                format!("{iud_prefix}-{line:07}{suffisso}")
            } else {
                iud.clone()
            };
            riga.pagatore = row.get(Column::AnagraficaPagatore).trim().to_string();
            riga.importo = row.get(Column::ImportoDovuto).trim().to_string();
        }
        riga.problemi.extend(problemi);
        riga.columns.extend(columns);
        if !generated {
            riga.iuds.push(iud);
        }
        if let Some(o) = opzione {
            riga.posizione = Some(o.codice.clone());
            let vista = OpzioneVista {
                line,
                rata: o.rata,
                riga_intera: o.riga_intera,
                codice_pagatore: row
                    .get(Column::CodiceIdentificativoUnivoco)
                    .trim()
                    .to_string(),
                cents: cents(row.get(Column::ImportoDovuto)),
                scadenza: mpd_domain::dates::parse_date_strict(
                    row.get(Column::DataScadenzaPagamento),
                )
                .ok(),
                tipo: row.get(Column::TipoDovuto).to_string(),
                oggetto: o
                    .oggetto
                    .clone()
                    .unwrap_or_else(|| row.get(Column::CausaleVersamento).to_string()),
            };
            match posizioni.get_mut(&o.codice) {
                Some(v) => v.push(vista),
                None => {
                    ordine_posizioni.push(o.codice.clone());
                    posizioni.insert(o.codice, vec![vista]);
                }
            }
        }
    }
    if let Some(done) = in_corso.take() {
        chiudi_riga(
            done,
            report,
            &mut invalid,
            &mut tracker,
            &mut righe_posizioni,
        );
    }
    hooks.report(ImportPhase::Verifica, report.righe_lette, None);
    // The positions, each judged whole.
    let esistenti = desk.store.codici_posizione_esistenti(&ordine_posizioni)?;
    let mut righe_in_archivio = duplicates.in_archive;
    let mut lette: HashMap<String, PosizioneLetta> = HashMap::new();
    for codice in &ordine_posizioni {
        let tutte = &posizioni[codice];
        report.posizioni += 1;
        report.opzioni += tutte.len();
        let mut righe: Vec<usize> = tutte.iter().map(|o| o.line).collect();
        righe.dedup();
        let mut problemi: Vec<(usize, Problem)> = Vec::new();
        let problema = |campo: Option<String>, codice: &str, messaggio: String| Problem {
            codice: codice.into(),
            campo,
            valore: None,
            messaggio,
            grave: true,
        };
        // A wide row repeated (the same household twice): the first row is the position, the
        // others repeat it.
        let ripetuta = tutte[0].riga_intera && righe.len() > 1;
        if ripetuta {
            for &l in &righe[1..] {
                problemi.push((
                    l,
                    problema(
                        None,
                        codes::POSIZIONE_NEL_FILE,
                        format!(
                            "ripete la posizione della riga {} (stesso pagatore, tipo dovuto, causale e \
                             anno, o stesso codice «{codice}»): probabilmente è una ripetizione",
                            righe[0]
                        ),
                    ),
                ));
            }
            righe.truncate(1);
        }
        let opzioni: Vec<&OpzioneVista> =
            tutte.iter().filter(|o| righe.contains(&o.line)).collect();
        if esistenti.contains(codice) {
            righe_in_archivio += tutte.iter().map(|o| o.line).collect::<HashSet<_>>().len();
            for &l in &righe {
                problemi.push((
                    l,
                    problema(
                        None,
                        codes::POSIZIONE_IN_ARCHIVIO,
                        format!(
                            "la posizione «{codice}» è già in archivio (stesso codice, oppure stesso \
                             pagatore, tipo dovuto, causale e anno): probabilmente il file è già stato \
                             importato; la riga non è stata importata"
                        ),
                    ),
                ));
            }
        } else {
            let tipo = &opzioni[0].tipo;
            if let Some(o) = opzioni.iter().find(|o| &o.tipo != tipo) {
                problemi.push((
                    o.line,
                    problema(
                        source.campo_opzione("tipo", o.rata),
                        codes::POSIZIONE,
                        format!(
                            "la {} ha il tipo dovuto {}, la {} (riga {}) {}: tutte le rate di una \
                             posizione hanno lo stesso tipo dovuto",
                            o.rata.etichetta(),
                            o.tipo,
                            opzioni[0].rata.etichetta(),
                            opzioni[0].line,
                            tipo
                        ),
                    ),
                ));
            }
            let regole = rules
                .tipi
                .iter()
                .find(|t| &t.codice == tipo)
                .map(|t| t.posizioni)
                .unwrap_or_default();
            // Amounts that cannot be read are already their rows' errors.
            if opzioni.iter().all(|o| o.cents.is_some()) {
                let viste: Vec<Opzione<'_>> = opzioni
                    .iter()
                    .map(|o| Opzione {
                        rata: o.rata,
                        codice_pagatore: &o.codice_pagatore,
                        importo_cents: o.cents.unwrap_or(0),
                        scadenza: o.scadenza,
                    })
                    .collect();
                for p in posizione::controlla(&viste, &regole) {
                    let rata = p.rata.unwrap_or(Rata::Unica);
                    // The row of the option concerned (the later one of an option repeated).
                    let l = opzioni
                        .iter()
                        .rev()
                        .find(|o| Some(o.rata) == p.rata)
                        .or_else(|| opzioni.first())
                        .map_or(righe[0], |o| o.line);
                    let mut messaggio = p.messaggio;
                    if !opzioni[0].riga_intera && righe.len() > 1 {
                        messaggio = format!(
                            "posizione «{codice}» (righe {}): {messaggio}",
                            elenco_righe(&righe)
                        );
                    }
                    problemi.push((
                        l,
                        problema(
                            source.campo_opzione(p.campo, rata),
                            codes::POSIZIONE,
                            messaggio,
                        ),
                    ));
                }
            }
        }
        let con_problemi: HashSet<usize> = problemi.iter().map(|(l, _)| *l).collect();
        for (l, p) in problemi {
            if let Some(r) = righe_posizioni.get_mut(&l) {
                r.problemi.push(p);
                r.columns.push(None);
            }
        }
        // A position is imported whole or not at all: its other rows say why not.
        let invalida = righe
            .iter()
            .any(|l| righe_posizioni.get(l).is_some_and(RigaInCorso::is_error));
        if invalida {
            let errate: Vec<usize> = righe
                .iter()
                .copied()
                .filter(|l| righe_posizioni.get(l).is_some_and(RigaInCorso::is_error))
                .collect();
            for l in &righe {
                if let Some(r) = righe_posizioni.get_mut(l)
                    && !r.is_error()
                    && !con_problemi.contains(l)
                {
                    r.problemi.push(problema(
                        None,
                        codes::POSIZIONE,
                        format!(
                            "la posizione «{codice}» non è stata importata per i problemi {} {}: va \
                             importata intera",
                            if errate.len() == 1 { "della riga" } else { "delle righe" },
                            elenco_righe(&errate)
                        ),
                    ));
                    r.columns.push(None);
                }
            }
        }
        let mut rate: Vec<Rata> = opzioni.iter().map(|o| o.rata).collect();
        rate.sort_unstable();
        let rate_ripetute = rate.windows(2).any(|w| w[0] == w[1]);
        lette.insert(
            codice.clone(),
            PosizioneLetta {
                oggetto: opzioni
                    .iter()
                    .min_by_key(|o| o.rata)
                    .map(|o| o.oggetto.clone())
                    .unwrap_or_default(),
                bozze_dentro: !esistenti.contains(codice) && !rate_ripetute && !ripetuta,
            },
        );
    }
    // The rows of positions join the report, and the report goes back in the file's order.
    if !righe_posizioni.is_empty() {
        let no_positions = std::collections::BTreeMap::new();
        for (_, r) in std::mem::replace(&mut righe_posizioni, no_positions) {
            let mut unused = std::collections::BTreeMap::new();
            chiudi_riga(r, report, &mut invalid, &mut tracker, &mut unused);
        }
        report.errori.sort_by_key(|r| r.riga);
        report.avvisi.sort_by_key(|r| r.riga);
        for (i, r) in report.errori.iter().enumerate() {
            if let Some(entry) = invalid.get_mut(&r.riga) {
                entry.0 = i;
            }
        }
    }
    if !duplicates_anyway && report.righe_lette > 0 && righe_in_archivio == report.righe_lette {
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
        posizioni: lette,
    })
}

/// «5», «5 e 7», «5, 7 e 9».
fn elenco_righe(righe: &[usize]) -> String {
    match righe {
        [] => String::new(),
        [a] => a.to_string(),
        [init @ .., last] => format!(
            "{} e {last}",
            init.iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A row read whole: into the report (a row of a position waits in `attesa` until its
/// position is judged), its IUDs marked as loaded when it is valid.
fn chiudi_riga(
    r: RigaInCorso,
    report: &mut ImportReport,
    invalid: &mut HashMap<usize, (usize, Vec<Option<Column>>)>,
    tracker: &mut IudTracker,
    attesa: &mut std::collections::BTreeMap<usize, RigaInCorso>,
) {
    if r.posizione.is_some() {
        attesa.insert(
            r.line,
            RigaInCorso {
                posizione: None,
                ..r
            },
        );
        return;
    }
    let is_error = r.is_error();
    if is_error {
        invalid.insert(r.line, (report.errori.len(), r.columns));
    } else {
        report.righe_valide += 1;
        for iud in &r.iuds {
            tracker.mark_loaded(iud);
        }
    }
    if !r.problemi.is_empty() {
        let rr = RowReport {
            riga: r.line,
            iud: r.iud,
            problemi: r.problemi,
            bozza: false,
            pagatore: r.pagatore,
            importo: r.importo,
        };
        if is_error {
            report.errori.push(rr);
        } else {
            report.avvisi.push(rr);
        }
    }
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
        posizioni,
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
        let suffisso = r
            .opzione
            .as_ref()
            .map(OpzioneDi::suffisso)
            .unwrap_or_default();
        let posizione = |bozza: bool| {
            let o = r.opzione.as_ref()?;
            let p = posizioni.get(&o.codice)?;
            (!bozza || p.bozze_dentro).then(|| PosizioneDi {
                codice: o.codice.clone(),
                rata: o.rata,
                oggetto: p.oggetto.clone(),
            })
        };
        if let Some((idx, columns)) = bad {
            let nota = drafts.keep(
                &mut row,
                r.line,
                &suffisso,
                file_name,
                &mut errori[*idx],
                columns,
            );
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
                    posizione: posizione(true),
                },
                Some(nota),
            )));
        }
        if S::GENERATES_IUD && row.get(Column::Iud).is_empty() {
            row.set(Column::Iud, format!("{iud_prefix}-{:07}{suffisso}", r.line));
        }
        let posizione = posizione(false);
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
                            posizione,
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
