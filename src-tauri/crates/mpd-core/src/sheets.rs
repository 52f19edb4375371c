//! `debts import | preview | template | export` for the clerk's own spreadsheets.
//!
//! The flow of an import:
//!
//! 1. [`mpd_sheets::source::open`] streams the rows of the file (xlsx, xls, ods, csv, txt).
//!    A CSV whose first row is a MyPay tracciato header goes to [`Desk::import_tracciato`]
//!    unchanged.
//! 2. The header row is found, and the mapping is, in order: the one saved for this layout,
//!    else the proposed one; then the clerk's `--mapping` pairs. Mandatory fields with no
//!    column and no default are reported before any row is read.
//! 3. Each row: cells converted ([`mpd_sheets::mapper`]), payment-type defaults applied
//!    (type, causale template, amount, due date, taxonomy), an IUD generated when the sheet
//!    has none, then MyPay's rules and ours ([`mpd_domain::validate`]), IUDs repeated, and
//!    probable duplicates (same payer, type, amount, due date, causale) inside the file and
//!    against the store. The sheet's total rows and the template's example row are skipped,
//!    each with a note.
//! 4. All or nothing (or `--valid-only`): the file is read a second time and the valid rows go
//!    in one transaction. Steps 3 (but the defaults and the skipped rows) and 4 are the one
//!    import pipeline's (`pipeline`), which the tracciato import runs too: `SheetRows` is its
//!    source.
//!
//! Report rows are the clerk's own row numbers, fields are named by the header as the clerk
//! wrote it, and values are shown as typed.
//!
//! Debt positions (issue 14): a wide row with instalments is handed to the pipeline as one
//! row per option (each with its own amount, due date, IUD suffix and causale naming it, and
//! the position's code: the sheet's, or `posizioni::codice_naturale`); a long row as the
//! option its number names of the position its code names. The pipeline checks each position
//! whole once the file is read.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use mpd_domain::posizione::Rata;
use mpd_domain::{Column, Finding, RawRow, TipoDovuto, Version, money};
use mpd_sheets::mapper::Mapper;
use mpd_sheets::mapping::{self, Field, Forma, HEADER_SEARCH_ROWS, Mapping};
use mpd_sheets::{Cell, SheetRow, SourceInfo};
use serde::Serialize;

pub use mpd_sheets::cell::column_letter;

use crate::pipeline::{self, CellProblem, Checked, OpzioneDi, Read, RowSource, SourceRow};
use crate::report::{ImportHooks, ImportMode, ImportReport, Problem, RowReport};
pub use crate::report::{SheetSummary, codes};
use crate::{CoreError, Desk, Result};

/// What the clerk chose for a sheet import or preview.
#[derive(Clone, Debug, Default)]
pub struct SheetOptions {
    /// The sheet to read (default: the one that looks like a debt list).
    pub sheet: Option<String>,
    /// The payment type of rows that do not name one.
    pub tipo: Option<String>,
    /// `campo=colonna` pairs that override the proposed mapping (and save it).
    pub mapping: Vec<String>,
    /// Import the valid rows even if others are invalid.
    pub valid_only: bool,
    /// Import probable duplicates (rows repeating another row or a stored debt) as ready, and
    /// a file already imported.
    pub anche_duplicati: bool,
}

/// One row of a preview.
#[derive(Clone, Debug, Serialize)]
pub struct PreviewRow {
    pub riga: usize,
    pub celle: Vec<String>,
}

/// The first rows of a file and the proposed mapping, before importing (CLI and UI).
#[derive(Clone, Debug, Serialize)]
pub struct SheetPreview {
    pub file: String,
    pub sorgente: SourceInfo,
    /// Set when the file is a MyPay tracciato CSV (imported as such, no mapping).
    pub tracciato: Option<String>,
    pub riga_intestazione: Option<usize>,
    pub intestazioni: Vec<String>,
    pub mappatura: Mapping,
    pub mappatura_salvata: bool,
    /// Mandatory fields with no column and no default, in Italian.
    pub mancanti: Vec<String>,
    pub righe: Vec<PreviewRow>,
    /// Columns the proposed mapping left out, and why.
    pub colonne_escluse: Vec<mapping::ColonnaEsclusa>,
}

/// How many rows a preview shows.
pub const PREVIEW_ROWS: usize = 10;

fn sheet_err(e: mpd_sheets::SheetError) -> CoreError {
    // The clerk reads the Italian message; the library's words (if any) go to the log.
    tracing::warn!(dettaglio = ?e, "foglio non leggibile o non scrivibile");
    match e {
        // Refused for its size, before it could exhaust memory (issue 17): the front ends
        // branch on the file's code, as for a file of the wrong type.
        mpd_sheets::SheetError::RecordTooLarge { .. }
        | mpd_sheets::SheetError::Unsafe { .. }
        | mpd_sheets::SheetError::TooLarge { .. } => CoreError::UnusableFile(e.to_string()),
        _ => CoreError::Invalid(e.to_string()),
    }
}

/// What the header and mapping resolution found.
struct Layout {
    info: SourceInfo,
    header_number: usize,
    headers: Vec<String>,
    mapping: Mapping,
    from_saved: bool,
    /// Columns the proposed mapping left out, and why (a row counter is never data).
    escluse: Vec<mapping::ColonnaEsclusa>,
}

/// What opening a file found: a MyPay tracciato CSV, or a sheet with its header and mapping
/// (the stream positioned after the rows looked at, which are handed back).
#[allow(clippy::large_enum_variant)] // one per import: its size does not matter
enum Opened {
    Tracciato(Version),
    Sheet(Box<Layout>, mpd_sheets::RowStream, Vec<SheetRow>),
}

/// A MyPay tracciato header: every cell a column name, as many as a version has.
fn tracciato_version(row: &SheetRow) -> Option<Version> {
    if row.number != 1 {
        return None;
    }
    let names: Option<Vec<Column>> = row
        .cells
        .iter()
        .map(|c| match c {
            Cell::Text(t) => Column::from_name(t.trim_start_matches('\u{feff}')),
            _ => None,
        })
        .collect();
    let names = names?;
    if names.first() != Some(&Column::Iud) {
        return None;
    }
    Version::ALL
        .into_iter()
        .rev()
        .find(|v| v.column_count() == names.len())
}

/// The payment type of rows that name none: `--tipo`, else the only active one.
fn default_tipo<'a>(tipi: &'a [TipoDovuto], asked: Option<&str>) -> Result<Option<&'a TipoDovuto>> {
    match asked {
        Some(code) => tipi
            .iter()
            .find(|t| t.codice.eq_ignore_ascii_case(code.trim()))
            .map(Some)
            .ok_or_else(|| {
                CoreError::Invalid(format!(
                    "tipo dovuto «{code}» sconosciuto: i tipi dell'Ente sono {}",
                    tipi.iter()
                        .map(|t| t.codice.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            }),
        None => {
            let attivi: Vec<&TipoDovuto> = tipi.iter().filter(|t| t.attivo).collect();
            Ok(if attivi.len() == 1 {
                Some(attivi[0])
            } else {
                None
            })
        }
    }
}

/// Mandatory fields that have no column and no default, as Italian sentences.
fn missing_fields(
    mapping: &Mapping,
    tipo: Option<&TipoDovuto>,
    tipi: &[TipoDovuto],
    headers: &[String],
) -> Vec<String> {
    let found = headers
        .iter()
        .enumerate()
        .filter(|(_, h)| !h.is_empty())
        .map(|(i, h)| format!("{} «{h}»", mpd_sheets::cell::column_letter(i)))
        .collect::<Vec<_>>()
        .join(", ");
    let fix = |f: Field, what: &str| {
        format!(
            "manca la colonna {what}: va aggiunta al foglio, oppure va indicata la colonna da usare \
             per il campo «{}» (intestazioni trovate: {found})",
            f.key()
        )
    };
    let mut out = Vec::new();
    if !mapping.has(Field::Codice) {
        out.push(fix(Field::Codice, "del codice fiscale / partita IVA"));
    }
    if !mapping.has(Field::Anagrafica) && !mapping.has(Field::Cognome) && !mapping.has(Field::Nome)
    {
        out.push(fix(
            Field::Anagrafica,
            "del nome del pagatore (cognome e nome o ragione sociale)",
        ));
    }
    if !mapping.has(Field::TipoDovuto) && tipo.is_none() {
        out.push(format!(
            "manca il tipo dovuto: va indicato quale usare per tutte le righe (tipi dell'Ente: {}), \
             oppure va aggiunta una colonna «Tipo dovuto»",
            tipi.iter().filter(|t| t.attivo).map(|t| t.codice.as_str()).collect::<Vec<_>>().join(", ")
        ));
    }
    let column_tipo = mapping.has(Field::TipoDovuto);
    match mapping.forma() {
        Forma::Lunga if !mapping.has(Field::Rata) => out.push(format!(
            "{}; se la colonna «{}» non è il codice di una posizione, non la abbini a nessun campo",
            fix(
                Field::Rata,
                "del numero della rata (0 o U per la rata unica, da 1 a 12 per le rate), che va con \
                 quella della posizione",
            ),
            mapping.header_of(Field::Posizione).unwrap_or_default()
        )),
        Forma::Lunga if !mapping.has(Field::Posizione) => out.push(format!(
            "{}; se la colonna «{}» non è il numero della rata, non la abbini a nessun campo",
            fix(
                Field::Posizione,
                "del codice della posizione (ad esempio «Codice avviso»), che va con quella del \
                 numero della rata",
            ),
            mapping.header_of(Field::Rata).unwrap_or_default()
        )),
        Forma::Larga if mapping.has(Field::Rata) => out.push(format!(
            "il foglio ha sia le colonne delle rate (ad esempio «{}») sia la colonna del numero della \
             rata «{}»: tenga una riga per famiglia con le colonne delle rate, oppure una riga per \
             rata con il codice della posizione e il numero della rata",
            mapping
                .colonne
                .iter()
                .find(|c| c.campo.opzione().is_some())
                .map(|c| c.intestazione.as_str())
                .unwrap_or_default(),
            mapping.header_of(Field::Rata).unwrap_or_default()
        )),
        _ => {}
    }
    let amount_columns = mapping
        .colonne
        .iter()
        .any(|c| matches!(c.campo, Field::ImportoRata(_)));
    if !mapping.has(Field::Importo)
        && !amount_columns
        && (column_tipo || tipo.is_none_or(|t| t.importo_predefinito.is_none()))
    {
        out.push(format!(
            "{} (o un importo predefinito nel tipo dovuto, chiave importo_predefinito del profilo)",
            fix(Field::Importo, "dell'importo")
        ));
    }
    let date_columns = mapping
        .colonne
        .iter()
        .any(|c| matches!(c.campo, Field::ScadenzaRata(_)));
    if !mapping.has(Field::Scadenza)
        && !date_columns
        && !column_tipo
        && tipo.is_some_and(|t| t.scadenza_obbligatoria && t.scadenza_predefinita.is_none())
    {
        out.push(format!(
            "{} (il tipo dovuto la rende obbligatoria; oppure imposti scadenza_predefinita nel profilo)",
            fix(Field::Scadenza, "della data di scadenza")
        ));
    }
    out
}

/// Fills what the sheet left empty from the payment type; returns the columns filled.
fn apply_defaults(
    row: &mut RawRow,
    default: Option<&TipoDovuto>,
    tipi: &[TipoDovuto],
    today: NaiveDate,
) -> Vec<Column> {
    let mut filled = Vec::new();
    let written = row.get(Column::TipoDovuto).to_string();
    if written.is_empty() {
        if let Some(t) = default {
            row.set(Column::TipoDovuto, t.codice.clone());
            filled.push(Column::TipoDovuto);
        }
    } else if let Some(t) = tipi
        .iter()
        .find(|t| t.codice != written && t.codice.eq_ignore_ascii_case(&written))
    {
        // Clerks type `tari` for TARI; MyPay's codes are case-sensitive.
        row.set(Column::TipoDovuto, t.codice.clone());
    }
    let tipo = tipi
        .iter()
        .find(|t| t.codice == row.get(Column::TipoDovuto));
    if row.get(Column::TipoIdentificativoUnivoco).is_empty()
        && !row.get(Column::CodiceIdentificativoUnivoco).is_empty()
    {
        let code = row.get(Column::CodiceIdentificativoUnivoco);
        // Eleven digits are usually a company; a sole trader can write F in a «Tipo pagatore» column.
        let t = if code.len() == 11 && code.bytes().all(|b| b.is_ascii_digit()) {
            "G"
        } else {
            "F"
        };
        row.set(Column::TipoIdentificativoUnivoco, t);
    }
    if let Some(t) = tipo {
        if row.get(Column::ImportoDovuto).is_empty()
            && let Some(d) = t.importo_predefinito
        {
            row.set(Column::ImportoDovuto, money::format_tracciato(d));
            filled.push(Column::ImportoDovuto);
        }
        if row.get(Column::DataScadenzaPagamento).is_empty()
            && let Some(d) = t.scadenza_predefinita
        {
            row.set(
                Column::DataScadenzaPagamento,
                d.format("%Y-%m-%d").to_string(),
            );
            filled.push(Column::DataScadenzaPagamento);
        }
        if row.get(Column::CausaleVersamento).is_empty() {
            let causale = match &t.causale_predefinita {
                Some(template) => causale_from_template(template, row, today),
                None => t.descrizione.clone(),
            };
            row.set(Column::CausaleVersamento, causale);
            filled.push(Column::CausaleVersamento);
        }
        row.set(
            Column::DatiSpecificiRiscossione,
            t.dati_specifici_riscossione.clone(),
        );
    }
    let generate = row.get(Column::CodIuv).is_empty();
    row.set(Column::FlagGeneraIuv, if generate { "true" } else { "" });
    row.set(Column::Azione, "I");
    filled
}

/// Fills a causale template: `{anno}` (of the due date, else this year), `{anagrafica}`,
/// `{codice}`, `{scadenza}` (dd/mm/yyyy), `{importo}` (1.234,56).
pub fn causale_from_template(template: &str, row: &RawRow, today: NaiveDate) -> String {
    let due = NaiveDate::parse_from_str(row.get(Column::DataScadenzaPagamento), "%Y-%m-%d").ok();
    let anno = due.unwrap_or(today).year().to_string();
    let importo = row
        .get(Column::ImportoDovuto)
        .parse::<rust_decimal::Decimal>()
        .map(|d| money::format_it(d).trim_end_matches(" €").to_string())
        .unwrap_or_default();
    let text = template
        .replace("{anno}", &anno)
        .replace("{anagrafica}", row.get(Column::AnagraficaPagatore))
        .replace("{codice}", row.get(Column::CodiceIdentificativoUnivoco))
        .replace(
            "{scadenza}",
            &due.map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_default(),
        )
        .replace("{importo}", &importo);
    mpd_sheets::text::clean_text(&text)
}

/// The payer's code and name of the template's example row (`mpd_sheets::template`).
const EXAMPLE_PAYER: (&str, &str) = ("RSSMRA80A01H501U", "Rossi Mario");
/// The causale of the template's example row.
const EXAMPLE_CAUSALE: [&str; 2] = [
    "Esempio: sostituisca questa riga",
    // Templates written before the product addressed the clerk as «Lei».
    "Esempio: sostituisci questa riga",
];

/// Why a row of the sheet is not data.
#[derive(Clone, Copy, PartialEq, Eq)]
enum NotData {
    /// A row that sums the others («Totale»).
    Total,
    /// The template's example row, left in the sheet.
    Example,
}

impl NotData {
    fn note(self, line: usize) -> String {
        match self {
            NotData::Total => format!("riga {line}: riga dei totali, non importata"),
            NotData::Example => {
                format!("riga {line}: riga di esempio del modello, non importata")
            }
        }
    }
}

/// A text cell that says total («Totale», «TOTALI», «Totale generale»).
fn says_total(row: &SheetRow) -> bool {
    row.cells.iter().any(|c| {
        matches!(c, Cell::Text(t) if {
            let t = t.trim().to_lowercase();
            t.starts_with("total") && t.split_whitespace().next().is_some_and(|w| {
                matches!(w.trim_end_matches([':', '.']), "totale" | "totali")
            })
        })
    })
}

/// What a row is when it is not data: a row with no payer code that says «Totale» (in any
/// cell, the payer code's included), or the
/// template's example row. A row with no payer and nothing but an amount is a total only at
/// the end of the data ([`is_amount_only`], decided by [`SheetRows`]).
fn not_data(row: &SheetRow, mapping: &Mapping) -> Option<NotData> {
    let cell = |f: Field| {
        mapping
            .get(f)
            .map(|c| row.get(c.colonna).display().trim().to_string())
            .unwrap_or_default()
    };
    let codice = cell(Field::Codice).to_lowercase();
    if (codice.is_empty() || codice.starts_with("total")) && says_total(row) {
        return Some(NotData::Total);
    }
    let example = EXAMPLE_CAUSALE.contains(&cell(Field::Causale).as_str())
        || (cell(Field::Codice).eq_ignore_ascii_case(EXAMPLE_PAYER.0)
            && cell(Field::Anagrafica) == EXAMPLE_PAYER.1
            && row
                .cells
                .iter()
                .any(|c| matches!(c, Cell::Text(t) if EXAMPLE_CAUSALE.contains(&t.trim()))));
    example.then_some(NotData::Example)
}

/// A row with no payer (code, name) whose only filled mapped fields are amounts (the amount,
/// or in a wide roll the options' amounts): a total when nothing but such rows follows it.
fn is_amount_only(row: &SheetRow, mapping: &Mapping) -> bool {
    let importo = |f: Field| matches!(f, Field::Importo | Field::ImportoRata(_));
    mapping
        .colonne
        .iter()
        .any(|c| importo(c.campo) && !row.get(c.colonna).is_empty())
        && mapping
            .colonne
            .iter()
            .filter(|c| !importo(c.campo))
            .all(|c| row.get(c.colonna).is_empty())
}

/// The data rows of a clerk's sheet, mapped and completed with the payment type's defaults
/// (header, blank and total rows skipped).
struct SheetRows {
    path: PathBuf,
    info: SourceInfo,
    header_number: usize,
    mapper: Mapper,
    tipi: Vec<TipoDovuto>,
    tipo_default: Option<TipoDovuto>,
    today: NaiveDate,
    stream: mpd_sheets::RowStream,
    /// The rows read past the header while looking for it (first pass).
    rest: std::vec::IntoIter<SheetRow>,
    second_pass: bool,
    /// The row just read, as typed, and the columns its payment type filled.
    current: Option<SheetRow>,
    filled: Vec<Column>,
    /// Rows with only an amount, held until a data row follows them (then they are data) or
    /// the sheet ends (then they are totals).
    held: Vec<SheetRow>,
    /// Rows to hand out before reading on (held rows that turned out to be data, and the row
    /// that showed it), with no further look at them.
    replay: VecDeque<SheetRow>,
    /// Rows that are not data, skipped, with why (first pass).
    skipped: Vec<(usize, NotData)>,
    /// The options of the wide row just read still to hand out, each with its option (for
    /// the headers of its problems) and the columns its payment type filled.
    coda: VecDeque<(SourceRow, Option<Rata>, Vec<Column>)>,
    /// The option of the row just handed out (its problems name that option's columns).
    rata_corrente: Option<Rata>,
}

impl SheetRows {
    /// The problems of a row's cells, for the report (first pass only).
    fn celle(&self, problems: &[mpd_sheets::CellProblem]) -> Vec<CellProblem> {
        if self.second_pass {
            return Vec::new();
        }
        problems
            .iter()
            .map(|p| CellProblem {
                column: p.column,
                problem: Problem {
                    codice: p.code.to_string(),
                    campo: self
                        .mapper
                        .header_of(p.field)
                        .or_else(|| p.column.map(|c| c.label_it().to_string())),
                    valore: self
                        .current
                        .as_ref()
                        .and_then(|r| self.mapper.original_of(r, p.field)),
                    messaggio: p.message.clone(),
                    grave: p.error,
                },
            })
            .collect()
    }

    /// A problem of the row that groups it into a position (its code or its option's number).
    fn problema_posizione(&self, field: Field, messaggio: String) -> CellProblem {
        CellProblem {
            column: None,
            problem: Problem {
                codice: codes::POSIZIONE_INCOMPLETA.into(),
                campo: Some(
                    self.mapper
                        .header_of(field)
                        .unwrap_or_else(|| field.label_it().to_string()),
                ),
                valore: None,
                messaggio,
                grave: true,
            },
        }
    }

    /// The rows (debts) a mapped sheet row gives, with the payment type's defaults: one for
    /// a plain row, one per option for a wide row with instalments (a wide row with only the
    /// rata unica is one debt, a position of one); a long row is one option of the position
    /// its code names.
    fn righe_di(
        &self,
        mapped: mpd_sheets::MappedRow,
    ) -> VecDeque<(SourceRow, Option<Rata>, Vec<Column>)> {
        let line = mapped.number;
        let mut out = VecDeque::new();
        let mut cells = self.celle(&mapped.problems);
        let mut row = mapped.row;
        match self.mapper.forma() {
            Forma::Semplice => {}
            Forma::Lunga => {
                let codice = mapped.posizione.trim().to_string();
                let rata_errata = mapped
                    .problems
                    .iter()
                    .any(|p| p.field == Field::Rata && p.error);
                let opzione = match (codice.is_empty(), mapped.rata) {
                    (true, None) => None,
                    (false, Some(rata)) => Some(OpzioneDi {
                        codice,
                        rata,
                        riga_intera: false,
                        oggetto: None,
                    }),
                    (false, None) => {
                        if !rata_errata && !self.second_pass {
                            cells.push(self.problema_posizione(
                                Field::Rata,
                                format!(
                                    "manca il numero della rata della posizione «{codice}»: scriva 0 \
                                     o U per la rata unica, da 1 a 12 per le rate"
                                ),
                            ));
                        }
                        None
                    }
                    (true, Some(rata)) => {
                        if !self.second_pass {
                            cells.push(self.problema_posizione(
                                Field::Posizione,
                                format!(
                                    "la riga è la {} di una posizione ma non dice quale: scriva il \
                                     codice della posizione (lo stesso su tutte le sue righe)",
                                    rata.etichetta()
                                ),
                            ));
                        }
                        None
                    }
                };
                let rata = opzione.as_ref().map(|o| o.rata);
                let filled =
                    apply_defaults(&mut row, self.tipo_default.as_ref(), &self.tipi, self.today);
                out.push_back((
                    SourceRow {
                        line,
                        read: Read::Row(row),
                        cells,
                        opzione,
                    },
                    rata,
                    filled,
                ));
                return out;
            }
            Forma::Larga => {
                let solo_unica = mapped.opzioni.len() == 1 && mapped.opzioni[0].rata.is_unica();
                if mapped.opzioni.is_empty() || solo_unica {
                    // One debt: the rata unica's amount and due date, if any.
                    let rata = mapped.opzioni.first().map(|o| o.rata);
                    if let Some(o) = mapped.opzioni.into_iter().next() {
                        row.set(Column::ImportoDovuto, o.importo);
                        row.set(Column::DataScadenzaPagamento, o.scadenza);
                        cells.extend(self.celle(&o.problems));
                    }
                    let filled = apply_defaults(
                        &mut row,
                        self.tipo_default.as_ref(),
                        &self.tipi,
                        self.today,
                    );
                    out.push_back((
                        SourceRow {
                            line,
                            read: Read::Row(row),
                            cells,
                            opzione: None,
                        },
                        rata,
                        filled,
                    ));
                    return out;
                }
                let iud = row.get(Column::Iud).to_string();
                let n_rate = mapped.opzioni.iter().filter(|o| !o.rata.is_unica()).count();
                let mut righe = Vec::new();
                // The subject: the row's causale (or the payment type's), before each option
                // is named in its own.
                let mut oggetto: Option<String> = None;
                for o in mapped.opzioni {
                    let mut r = row.clone();
                    let mut celle = std::mem::take(&mut cells);
                    celle.extend(self.celle(&o.problems));
                    if o.importo.is_empty() && !self.second_pass {
                        let campo = self.mapper.header_for(Column::ImportoDovuto, Some(o.rata));
                        celle.push(CellProblem {
                            column: Some(Column::ImportoDovuto),
                            problem: Problem {
                                codice: mpd_sheets::mapper::codes::IMPORTO.into(),
                                campo: campo.or_else(|| Some(o.rata.etichetta())),
                                valore: None,
                                messaggio: format!(
                                    "la {} ha la scadenza ma non l'importo: scriva l'importo, oppure \
                                     cancelli anche la scadenza se la rata non c'è",
                                    o.rata.etichetta()
                                ),
                                grave: true,
                            },
                        });
                    }
                    r.set(Column::ImportoDovuto, o.importo);
                    r.set(Column::DataScadenzaPagamento, o.scadenza);
                    let suffisso = match o.rata {
                        Rata::Unica => "U".to_string(),
                        Rata::N(n) => format!("R{n:02}"),
                    };
                    if !iud.is_empty() {
                        r.set(Column::Iud, format!("{iud}{suffisso}"));
                    }
                    let filled =
                        apply_defaults(&mut r, self.tipo_default.as_ref(), &self.tipi, self.today);
                    let base = r.get(Column::CausaleVersamento).to_string();
                    r.set(
                        Column::CausaleVersamento,
                        crate::posizioni::causale_opzione(&base, o.rata, n_rate),
                    );
                    oggetto.get_or_insert(base);
                    righe.push((o.rata, r, celle, filled));
                }
                let oggetto = oggetto.unwrap_or_default();
                // The position's code: the sheet's, else its natural key.
                let codice = match mapped.posizione.trim() {
                    "" => {
                        let (_, primo, _, _) = &righe[0];
                        let anno = righe
                            .iter()
                            .filter_map(|(_, r, _, _)| {
                                mpd_domain::dates::parse_date_strict(
                                    r.get(Column::DataScadenzaPagamento),
                                )
                                .ok()
                            })
                            .min()
                            .map(|d| d.year());
                        crate::posizioni::codice_naturale(
                            primo.get(Column::CodiceIdentificativoUnivoco),
                            primo.get(Column::TipoDovuto),
                            &oggetto,
                            anno,
                        )
                    }
                    c => c.to_string(),
                };
                for (rata, r, celle, filled) in righe {
                    out.push_back((
                        SourceRow {
                            line,
                            read: Read::Row(r),
                            cells: celle,
                            opzione: Some(OpzioneDi {
                                codice: codice.clone(),
                                rata,
                                riga_intera: true,
                                oggetto: Some(oggetto.clone()),
                            }),
                        },
                        Some(rata),
                        filled,
                    ));
                }
                return out;
            }
        }
        let filled = apply_defaults(&mut row, self.tipo_default.as_ref(), &self.tipi, self.today);
        out.push_back((
            SourceRow {
                line,
                read: Read::Row(row),
                cells,
                opzione: None,
            },
            None,
            filled,
        ));
        out
    }

    /// Records a row skipped as not data (first pass).
    fn skip(&mut self, line: usize, why: NotData) {
        if !self.second_pass {
            self.skipped.push((line, why));
        }
    }
}

impl RowSource for SheetRows {
    type Error = mpd_sheets::SheetError;

    const GENERATES_IUD: bool = true;

    fn next_row(&mut self) -> Option<std::result::Result<SourceRow, mpd_sheets::SheetError>> {
        // The next option of a wide row.
        if let Some((r, rata, filled)) = self.coda.pop_front() {
            self.rata_corrente = rata;
            self.filled = filled;
            return Some(Ok(r));
        }
        loop {
            let (sheet_row, replayed) = match self.replay.pop_front() {
                Some(r) => (r, true),
                None => match self.rest.next() {
                    Some(r) => (r, false),
                    None => match self.stream.next() {
                        Some(Ok(r)) => (r, false),
                        Some(Err(e)) => return Some(Err(e)),
                        None => {
                            // The end: rows with only an amount at the bottom are totals.
                            for r in std::mem::take(&mut self.held) {
                                self.skip(r.number, NotData::Total);
                            }
                            return None;
                        }
                    },
                },
            };
            if sheet_row.number <= self.header_number || sheet_row.is_blank() {
                continue;
            }
            if !replayed {
                if let Some(why) = not_data(&sheet_row, self.mapper.mapping()) {
                    self.skip(sheet_row.number, why);
                    continue;
                }
                if is_amount_only(&sheet_row, self.mapper.mapping()) {
                    self.held.push(sheet_row);
                    continue;
                }
                if !self.held.is_empty() {
                    // Data follows: the held rows were data too (errors for the clerk).
                    self.replay.extend(self.held.drain(..));
                    self.replay.push_back(sheet_row);
                    continue;
                }
            }
            let line = sheet_row.number;
            let mapped = self.mapper.map(&sheet_row);
            self.current = Some(sheet_row);
            self.coda = self.righe_di(mapped);
            if let Some((r, rata, filled)) = self.coda.pop_front() {
                self.rata_corrente = rata;
                self.filled = filled;
                return Some(Ok(SourceRow { line, ..r }));
            }
        }
    }

    fn failed(&self, e: mpd_sheets::SheetError) -> CoreError {
        sheet_err(e)
    }

    fn reopen(&mut self) -> Result<()> {
        let sheet = (!self.info.foglio.is_empty()).then_some(self.info.foglio.as_str());
        self.stream = mpd_sheets::source::open(&self.path, sheet).map_err(sheet_err)?;
        self.rest = Vec::new().into_iter();
        self.held.clear();
        self.replay.clear();
        self.coda.clear();
        self.second_pass = true;
        Ok(())
    }

    fn origin(&self) -> String {
        format!("foglio {} «{}»", self.info.formato.name(), self.info.foglio)
    }

    fn more_findings(&mut self, _row: &RawRow, _line: usize, _findings: &mut Vec<Finding>) {}

    fn field(&self, row: &RawRow, c: Column) -> (Option<String>, Option<String>) {
        match self.mapper.header_for(c, self.rata_corrente) {
            Some(h) => (
                Some(h),
                self.current
                    .as_ref()
                    .and_then(|r| self.mapper.original(r, c, self.rata_corrente))
                    .or_else(|| Some(row.get(c).to_string())),
            ),
            None if self.filled.contains(&c) => (
                Some(format!("{} (predefinito del tipo dovuto)", c.label_it())),
                Some(row.get(c).to_string()),
            ),
            None => (Some(c.label_it().to_string()), Some(row.get(c).to_string())),
        }
    }

    fn campo_opzione(&self, campo: &str, rata: Rata) -> Option<String> {
        let column = match campo {
            "codice" => Column::CodiceIdentificativoUnivoco,
            "importo" => Column::ImportoDovuto,
            "scadenza" => Column::DataScadenzaPagamento,
            "tipo" => Column::TipoDovuto,
            "rata" => {
                return Some(match self.mapper.forma() {
                    Forma::Lunga => self
                        .mapper
                        .header_of(Field::Rata)
                        .unwrap_or_else(|| Field::Rata.label_it().to_string()),
                    _ => rata.etichetta(),
                });
            }
            _ => return None,
        };
        self.mapper
            .header_for(column, Some(rata))
            .or_else(|| Some(column.label_it().to_string()))
    }

    fn finish(_row: &mut RawRow) {}

    fn unreadable_amount(line: usize) -> String {
        format!("riga {}: il file è cambiato durante l'importazione", line)
    }
}

impl Desk {
    /// Reads the header and resolves the mapping (see [`Opened`]).
    fn sheet_layout(&self, path: &Path, opts: &SheetOptions) -> Result<Opened> {
        let mut stream =
            mpd_sheets::source::open(path, opts.sheet.as_deref()).map_err(sheet_err)?;
        let mut head: Vec<SheetRow> = Vec::new();
        for r in stream.by_ref().take(HEADER_SEARCH_ROWS) {
            head.push(r.map_err(sheet_err)?);
        }
        if stream.info().formato == mpd_sheets::Format::Csv
            && let Some(v) = head.first().and_then(tracciato_version)
        {
            return Ok(Opened::Tracciato(v));
        }
        let idx = mapping::find_header(&head).ok_or_else(|| {
            let dove = match stream.info().foglio.as_str() {
                "" => "del file".to_string(),
                f => format!("del foglio «{f}»"),
            };
            CoreError::Invalid(format!(
                "{}: nelle prime {HEADER_SEARCH_ROWS} righe {dove} non trovo l'intestazione delle colonne \
                 (ad esempio «Codice fiscale», «Cognome e nome», «Importo», «Scadenza»): la aggiunga sopra i dati; \
                 se è un CSV nel tracciato MyPay, la prima riga deve essere l'intestazione di una versione del \
                 tracciato (1_0…1_4)",
                path.display(),
            ))
        })?;
        let headers = mapping::headers_of(&head[idx]);
        let layout_key = mapping::layout_key(&headers);
        let saved = self
            .store
            .sheet_mapping(&layout_key)?
            .and_then(|json| serde_json::from_str::<Mapping>(&json).ok())
            .map(|m| m.rebased(&headers))
            .filter(|m| !m.colonne.is_empty());
        let from_saved = saved.is_some();
        let header_number = head[idx].number;
        let rest = head.split_off(idx + 1);
        // A proposed mapping leaves out a column that only numbers the rows ("N.", "#" running
        // 1, 2, 3…): it went to MyPay as every payer's house number (issue 13). A mapping the
        // clerk confirmed or gives is taken as it is.
        let mut escluse = Vec::new();
        let mut mapping = match saved {
            Some(m) => m,
            None => {
                let mut m = mapping::propose(&headers);
                let non_abbinate = mapping::unmapped_row_counters(&m, &headers, &rest);
                escluse = mapping::drop_row_counters(&mut m, &rest);
                escluse.extend(non_abbinate);
                escluse.sort_by_key(|e| e.colonna);
                m
            }
        };
        for pair in &opts.mapping {
            mapping
                .apply_override(pair, &headers)
                .map_err(CoreError::Invalid)?;
        }
        escluse.retain(|e| !mapping.colonne.iter().any(|c| c.colonna == e.colonna));
        Ok(Opened::Sheet(
            Box::new(Layout {
                info: stream.info().clone(),
                header_number,
                headers,
                mapping,
                from_saved,
                escluse,
            }),
            stream,
            rest,
        ))
    }

    /// `debts preview`: the first rows and the proposed mapping.
    pub fn preview_sheet(&self, path: &Path, opts: &SheetOptions) -> Result<SheetPreview> {
        let tipi = self.store.tipi_dovuto()?;
        match self.sheet_layout(path, opts)? {
            Opened::Tracciato(version) => {
                let (info, rows) =
                    mpd_sheets::source::preview(path, None, PREVIEW_ROWS + 1).map_err(sheet_err)?;
                Ok(SheetPreview {
                    file: path.display().to_string(),
                    sorgente: info,
                    tracciato: Some(version.as_str().to_string()),
                    riga_intestazione: Some(1),
                    intestazioni: rows.first().map(mapping::headers_of).unwrap_or_default(),
                    mappatura: Mapping::default(),
                    mappatura_salvata: false,
                    mancanti: Vec::new(),
                    colonne_escluse: Vec::new(),
                    righe: rows
                        .iter()
                        .skip(1)
                        .map(|r| PreviewRow {
                            riga: r.number,
                            celle: r.cells.iter().map(Cell::display).collect(),
                        })
                        .collect(),
                })
            }
            Opened::Sheet(layout, stream, mut rest) => {
                rest.extend(
                    stream
                        .take(PREVIEW_ROWS.saturating_sub(rest.len()))
                        .filter_map(|r| r.ok()),
                );
                rest.truncate(PREVIEW_ROWS);
                let tipo = default_tipo(&tipi, opts.tipo.as_deref())?;
                Ok(SheetPreview {
                    file: path.display().to_string(),
                    mancanti: missing_fields(&layout.mapping, tipo, &tipi, &layout.headers),
                    sorgente: layout.info.clone(),
                    tracciato: None,
                    riga_intestazione: Some(layout.header_number),
                    intestazioni: layout.headers.clone(),
                    mappatura: layout.mapping.clone(),
                    mappatura_salvata: layout.from_saved,
                    colonne_escluse: layout.escluse.clone(),
                    righe: rest
                        .iter()
                        .map(|r| PreviewRow {
                            riga: r.number,
                            celle: r.cells.iter().map(Cell::display).collect(),
                        })
                        .collect(),
                })
            }
        }
    }

    /// Saves the mapping the clerk confirmed for a sheet layout (the UI's «conferma»).
    pub fn save_sheet_mapping(&self, headers: &[String], mapping: &Mapping) -> Result<()> {
        let json = serde_json::to_string(mapping).map_err(|e| CoreError::Invalid(e.to_string()))?;
        Ok(self
            .store
            .save_sheet_mapping(&mapping::layout_key(headers), &json, self.now())?)
    }

    /// `debts import` of any file: a MyPay tracciato CSV as such, anything else through the
    /// column mapping.
    pub fn import_file(&mut self, path: &Path, opts: &SheetOptions) -> Result<ImportReport> {
        self.import_file_with(
            path,
            opts,
            ImportMode::from_valid_only(opts.valid_only),
            ImportHooks::default(),
        )
    }

    /// `debts check`: reads, maps and validates any file and reports as `debts import` does,
    /// without writing anything (not even the mapping).
    pub fn check_file(&self, path: &Path, opts: &SheetOptions) -> Result<ImportReport> {
        self.check_file_with(path, opts, ImportHooks::default())
    }

    /// [`Desk::check_file`] with progress and cancel.
    pub fn check_file_with(
        &self,
        path: &Path,
        opts: &SheetOptions,
        hooks: ImportHooks<'_>,
    ) -> Result<ImportReport> {
        match self.sheet_layout(path, opts)? {
            Opened::Tracciato(_) => Ok(self
                .check_tracciato_pass(path, false, opts.anche_duplicati, hooks)?
                .0),
            Opened::Sheet(layout, stream, rest) => Ok(self
                .check_sheet_pass(path, opts, &layout, stream, rest, false, false, hooks)?
                .0),
        }
    }

    /// Imports any file in any [`ImportMode`], with progress and cancel.
    pub fn import_file_with(
        &mut self,
        path: &Path,
        opts: &SheetOptions,
        mode: ImportMode,
        hooks: ImportHooks<'_>,
    ) -> Result<ImportReport> {
        let (layout, stream, rest) = match self.sheet_layout(path, opts)? {
            Opened::Tracciato(_) => {
                return self.import_tracciato_in(path, mode, opts.anche_duplicati, hooks);
            }
            Opened::Sheet(layout, stream, rest) => (layout, stream, rest),
        };
        let keep = mode == ImportMode::KeepDrafts;
        let save_mapping = mode != ImportMode::CheckOnly;
        let (mut report, pass) =
            self.check_sheet_pass(path, opts, &layout, stream, rest, save_mapping, keep, hooks)?;
        let Some((mut source, checked)) = pass else {
            // Mandatory columns are missing: no row was read.
            return Ok(report);
        };
        if !mode.writes(&report) || report.foglio_incompleto() {
            return Ok(report);
        }
        // Second pass: the same rows again, into the store in one transaction.
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        pipeline::write(
            self,
            &mut source,
            &mut report,
            checked,
            &file_name,
            keep,
            hooks,
        )?;
        Ok(report)
    }

    /// The first pass of a sheet import: every row mapped, completed with the payment type's
    /// defaults, validated, checked for duplicates; the report built. Writes nothing but the
    /// clerk's mapping (with `save_mapping`). No rows are read (and no source handed back)
    /// when mandatory columns are missing.
    #[allow(clippy::too_many_arguments)]
    fn check_sheet_pass(
        &self,
        path: &Path,
        opts: &SheetOptions,
        layout: &Layout,
        stream: mpd_sheets::RowStream,
        rest: Vec<SheetRow>,
        save_mapping: bool,
        keep_columns: bool,
        hooks: ImportHooks<'_>,
    ) -> Result<(ImportReport, Option<(SheetRows, Checked)>)> {
        let rules = self.rules(Version::V1_4)?;
        let tipo_default = default_tipo(&rules.tipi, opts.tipo.as_deref())?.cloned();
        let mut report = ImportReport {
            file: path.display().to_string(),
            versione: Version::V1_4.as_str().to_string(),
            righe_lette: 0,
            righe_valide: 0,
            importate: 0,
            bozze: 0,
            errori: Vec::new(),
            avvisi: Vec::new(),
            foglio: Some(SheetSummary {
                formato: layout.info.formato.name().to_string(),
                foglio: layout.info.foglio.clone(),
                riga_intestazione: layout.header_number,
                mappatura: layout.mapping.clone(),
                mappatura_salvata: layout.from_saved,
                note: layout.info.note.clone(),
            }),
            duplicati: Vec::new(),
            posizioni: 0,
            opzioni: 0,
        };
        let missing = missing_fields(
            &layout.mapping,
            tipo_default.as_ref(),
            &rules.tipi,
            &layout.headers,
        );
        if !missing.is_empty() {
            report.errori.push(RowReport {
                riga: layout.header_number,
                iud: String::new(),
                problemi: missing
                    .into_iter()
                    .map(|m| Problem {
                        codice: codes::COLONNA_MANCANTE.into(),
                        campo: None,
                        valore: None,
                        messaggio: m,
                        grave: true,
                    })
                    .collect(),
                bozza: false,
                pagatore: String::new(),
                importo: String::new(),
            });
            return Ok((report, None));
        }
        if save_mapping && !opts.mapping.is_empty() {
            self.save_sheet_mapping(&layout.headers, &layout.mapping)?;
        }
        let mut source = SheetRows {
            path: path.to_path_buf(),
            info: layout.info.clone(),
            header_number: layout.header_number,
            mapper: Mapper::new(layout.mapping.clone()),
            tipi: rules.tipi.clone(),
            tipo_default,
            today: self.today(),
            stream,
            rest: rest.into_iter(),
            second_pass: false,
            current: None,
            filled: Vec::new(),
            held: Vec::new(),
            replay: VecDeque::new(),
            skipped: Vec::new(),
            coda: VecDeque::new(),
            rata_corrente: None,
        };
        let checked = pipeline::check(
            self,
            &mut source,
            &rules,
            &mut report,
            keep_columns,
            opts.anche_duplicati,
            hooks,
        )?;
        if let Some(summary) = report.foglio.as_mut() {
            summary
                .note
                .extend(source.stream.end_notes().iter().cloned());
            source.skipped.sort_by_key(|(line, _)| *line);
            summary
                .note
                .extend(source.skipped.iter().map(|(line, why)| why.note(*line)));
        }
        Ok((report, Some((source, checked))))
    }

    /// `debts template`: writes the Excel template; the Ente's active payment types fill the
    /// drop-down. Returns the path written.
    pub fn write_template(&self, out: &Path) -> Result<PathBuf> {
        let tipi: Vec<mpd_sheets::template::TemplateTipo> = self
            .store
            .tipi_dovuto()?
            .into_iter()
            .filter(|t| t.attivo)
            .map(|t| mpd_sheets::template::TemplateTipo {
                codice: t.codice,
                descrizione: t.descrizione,
            })
            .collect();
        let due = self.today() + chrono::Duration::days(90);
        mpd_sheets::template::write_template(out, &tipi, due).map_err(sheet_err)?;
        Ok(out.to_path_buf())
    }
}

#[cfg(test)]
#[path = "sheets_posizioni_tests.rs"]
mod posizioni_tests;
