//! The clerk's own spreadsheets: reading them, mapping their columns, and writing Excel files.
//!
//! Clerks keep debt lists in sheets of their own making (TARI, mensa, trasporto, sanzioni…).
//! This crate turns such a sheet into tracciato rows ([`mpd_domain::RawRow`]) and back:
//!
//! * [`source`]: opens `.xlsx`, `.xls`, `.ods`, `.csv`, `.txt` by *content*, not by extension
//!   (a `.xlsx` that is really a CSV is read as a CSV), chooses the sheet, and streams
//!   [`SheetRow`]s from a reader thread so that a 1,000,000-row file never sits in memory.
//! * [`guard`]: what a file may cost to read (record size, zip entries, streams), checked
//!   before anything loads it, so that a hostile file is refused in Italian, not read into
//!   gigabytes (issue 17).
//! * [`csv_text`]: encoding (BOM → strict UTF-8 → chardetng → windows-1252) and separator
//!   (`;`, `,`, tab) detection for text files.
//! * [`mapping`]: the header row (found below a title block too), Italian and English header
//!   synonyms, the proposed [`Mapping`], the clerk's overrides, the layout key a confirmed
//!   mapping is saved under.
//! * [`values`]: cell values as Italians type them (`1.234,56`, `€ 12,00`, `31/12/26`, Excel
//!   serial dates and numeric cells) into tracciato text, amounts through `rust_decimal` only.
//! * [`mapper`]: one [`SheetRow`] through a [`Mapping`] into a [`MappedRow`]: the row as text,
//!   where each field came from, and the problems of single cells. Debt positions (issue 14)
//!   come in two shapes ([`mapping::Forma`]): wide, a row per household with each option's
//!   amount and due date in columns of their own (`MappedRow::opzioni`), and long, a row per
//!   option with the position's code and the option's number (`MappedRow::posizione`,
//!   `MappedRow::rata`); grouping and checking them is mpd-core's.
//! * [`template`]: the Excel template (`debts template`); [`export`]: debts back to Excel with
//!   formula-looking text neutralised.
//!
//! Architecture invariant: no SQL, no Tauri, no knowledge of the Ente's store; the caller
//! (mpd-core) adds payment-type defaults, validation and duplicates. Nothing here panics on a
//! hostile file: every failure is a [`SheetError`] with an Italian message.

pub mod cell;
pub mod csv_text;
pub mod export;
pub mod guard;
pub mod mapper;
pub mod mapping;
mod ods;
pub mod source;
pub mod template;
pub mod text;
pub mod values;
mod xls;

pub use cell::{Cell, SheetRow};
pub use mapper::{CellProblem, MappedRow};
pub use mapping::{Field, Mapping};
pub use source::{Format, RowStream, SheetInfo, SourceInfo};

/// Why a file could not be read or written. Messages are Italian and say what to do.
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    /// The file could not be opened or read.
    #[error("impossibile leggere {path}: {}", mpd_domain::testo::causa_io(source))]
    Io {
        path: String,
        source: std::io::Error,
    },
    /// The workbook is encrypted.
    #[error(
        "il file {0} è protetto da password: lo apra in Excel o LibreOffice, tolga la password \
         (File › Informazioni › Proteggi cartella di lavoro) e lo salvi di nuovo"
    )]
    Password(String),
    /// The workbook is damaged or not what its name says.
    #[error(
        "il file {path} non si riesce a leggere (è danneggiato o non è del tipo che il nome indica): lo apra e lo salvi di nuovo come .xlsx o .csv"
    )]
    Corrupt { path: String, detail: String },
    /// The asked sheet is not in the workbook.
    #[error("il foglio «{asked}» non esiste; i fogli sono: {available}")]
    NoSuchSheet { asked: String, available: String },
    /// The workbook has no worksheet with data.
    #[error("il file {0} non contiene fogli con dati")]
    NoSheet(String),
    /// A sheet too large to load (`.ods` and `.xls` are loaded whole, each sheet's used area
    /// as a rectangle).
    #[error(
        "il foglio «{sheet}» del file {path} occupa {} righe per {} colonne, troppe per \
         leggerlo come .{formato}: cancelli le righe e le colonne in più, oppure salvi il foglio come .xlsx o .csv",
        mpd_domain::testo::numero(*rows),
        mpd_domain::testo::numero(*cols)
    )]
    TooLarge {
        path: String,
        sheet: String,
        formato: &'static str,
        rows: u64,
        cols: u64,
    },
    /// A record of a text file longer than [`guard::MAX_RECORD_BYTES`] (a file without line
    /// breaks, or with a quote never closed).
    #[error(
        "il file {path} non è stato letto: la riga {row} è lunga più di {} MB, mentre una riga di \
         un elenco di dovuti occupa pochi KB (mancano gli a capo, o delle virgolette non sono chiuse). \
         Non è stato importato nulla: controlli il file, lo salvi di nuovo e riprovi",
        max / (1024 * 1024)
    )]
    RecordTooLarge {
        path: String,
        row: usize,
        max: usize,
    },
    /// A file that would cost too much memory to read (see [`guard`]): a zip bomb, sizes that
    /// lie, too many parts, a huge stream or text.
    #[error(
        "il file {path} non è stato letto perché {detail}: un file così esaurirebbe la memoria \
         del computer (può essere danneggiato o costruito apposta). Non è stato importato nulla; \
         se il file viene da una fonte fidata, lo apra in Excel o LibreOffice e lo salvi come .csv"
    )]
    Unsafe {
        path: String,
        /// What is wrong, in Italian (a clause after «perché»).
        detail: String,
    },
    /// The file is empty.
    #[error("il file {0} è vuoto")]
    Empty(String),
    /// Writing a workbook failed.
    #[error("impossibile scrivere {path}: {detail}")]
    Write {
        path: String,
        /// What happened and what to do, in Italian.
        detail: String,
        /// The spreadsheet library's own words: for the log only (`Debug`).
        causa: String,
    },
}

#[cfg(test)]
mod tests;
