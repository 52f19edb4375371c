//! Opening a clerk's file and streaming its rows.
//!
//! The format comes from the first bytes, not the name: `PK` is a zip (xlsx or ods, told apart
//! by their entries), the OLE signature is `.xls` (or an encrypted xlsx, which calamine
//! reports as password-protected), anything else is text. A `.xlsx` that is really a CSV is
//! read as a CSV and the clerk is told.
//!
//! Rows come from a reader thread through a bounded channel ([`RowStream`]): memory stays
//! bounded for `.csv` and `.xlsx` (xlsx is read cell by cell with calamine's streaming reader,
//! never as a whole range, so a stray value in XFD1048576 costs nothing), and reading
//! overlaps validation on a second core. `.xls` and `.ods` are loaded whole by calamine, each
//! sheet as the rectangle from its first to its last cell, so a streaming pass over the file
//! (modules `ods` and `xls`) refuses first a workbook of more than [`ODS_MAX_CELLS`]
//! cells ([`SheetError::TooLarge`]).
//!
//! What is read: the cached value of formula cells (and the clerk is told how many there were,
//! and which had no cached value); merged cells (xlsx, xls, ods) repeated over their whole
//! area; trailing empty
//! cells and blank rows dropped; columns past [`MAX_COLUMNS`] ignored. Without `--sheet` the
//! visible worksheet whose first rows look most like a debt list's header is chosen; hidden
//! sheets are read only when named.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use calamine::{Data, DataRef, Dimensions, Ods, Range, Reader, SheetType, SheetVisible, Xls, Xlsx};
use serde::Serialize;

use crate::SheetError;
use crate::cell::{Cell, SheetRow, column_letter};
use crate::csv_text::{self, SAMPLE_BYTES, TextLayout};
use crate::guard;
use crate::mapping::{HEADER_SEARCH_ROWS, header_score};

/// Columns past this one are ignored (a debt list has a few dozen).
pub const MAX_COLUMNS: usize = 512;
const BATCH: usize = 512;
/// A batch is sent once its cells hold this much text too: the channel holds 16 batches, so
/// rows of a megabyte each (under the record cap) never pile up to gigabytes.
const BATCH_BYTES: usize = 4 * 1024 * 1024;

/// The kind of file, from its content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Xlsx,
    Xls,
    Ods,
    Csv,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Csv => "csv",
        }
    }
}

/// A sheet of a workbook.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SheetInfo {
    pub nome: String,
    pub nascosto: bool,
}

/// What was opened and how.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SourceInfo {
    pub formato: Format,
    /// Worksheets of the workbook (empty for text files).
    pub fogli: Vec<SheetInfo>,
    /// The sheet read (empty for text files).
    pub foglio: String,
    /// Encoding and separator of a text file.
    pub codifica: Option<String>,
    pub separatore: Option<String>,
    /// Things the clerk should know about the file (Italian).
    pub note: Vec<String>,
}

enum Msg {
    Info(SourceInfo),
    Rows(Vec<SheetRow>),
    Done(Vec<String>),
    Failed(SheetError),
}

/// The rows of a sheet, read on another thread. Yields errors only for a file that breaks
/// while being read; after the last row, [`RowStream::end_notes`] says what reading met.
pub struct RowStream {
    info: SourceInfo,
    rx: Receiver<Msg>,
    batch: std::vec::IntoIter<SheetRow>,
    end_notes: Vec<String>,
    done: bool,
}

impl RowStream {
    pub fn info(&self) -> &SourceInfo {
        &self.info
    }

    /// Notes known only once every row was read (formulas, merged cells, unreadable bytes).
    pub fn end_notes(&self) -> &[String] {
        &self.end_notes
    }
}

impl Iterator for RowStream {
    type Item = Result<SheetRow, SheetError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(r) = self.batch.next() {
                return Some(Ok(r));
            }
            if self.done {
                return None;
            }
            match self.rx.recv() {
                Ok(Msg::Rows(rows)) => self.batch = rows.into_iter(),
                Ok(Msg::Done(notes)) => {
                    self.end_notes = notes;
                    self.done = true;
                }
                Ok(Msg::Failed(e)) => {
                    self.done = true;
                    return Some(Err(e));
                }
                Ok(Msg::Info(_)) => {}
                Err(_) => {
                    self.done = true;
                    return Some(Err(SheetError::Corrupt {
                        path: self.info.foglio.clone(),
                        detail: "lettura interrotta".into(),
                    }));
                }
            }
        }
    }
}

/// Opens `path` and starts streaming the rows of `sheet` (or of the sheet chosen for it).
pub fn open(path: &Path, sheet: Option<&str>) -> Result<RowStream, SheetError> {
    let (format, note) = sniff_format(path)?;
    let (tx, rx) = sync_channel::<Msg>(16);
    let path_buf = path.to_path_buf();
    let sheet = sheet.map(str::to_string);
    std::thread::Builder::new()
        .name("mpd-sheets-reader".into())
        .spawn(move || {
            let mut w = Writer {
                tx,
                batch: Vec::with_capacity(BATCH),
                batch_bytes: 0,
                notes: Vec::new(),
                stopped: false,
            };
            let result = match format {
                Format::Csv => read_text(&path_buf, note, &mut w),
                Format::Xlsx => read_xlsx(&path_buf, sheet.as_deref(), note, &mut w),
                Format::Xls | Format::Ods => {
                    read_loaded(&path_buf, format, sheet.as_deref(), note, &mut w)
                }
            };
            match result {
                Ok(()) => {
                    w.flush();
                    let notes = std::mem::take(&mut w.notes);
                    let _ = w.tx.send(Msg::Done(notes));
                }
                Err(e) => {
                    let _ = w.tx.send(Msg::Failed(e));
                }
            }
        })
        .map_err(|source| SheetError::Io {
            path: path.display().to_string(),
            source,
        })?;
    match rx.recv() {
        Ok(Msg::Info(info)) => Ok(RowStream {
            info,
            rx,
            batch: Vec::new().into_iter(),
            end_notes: Vec::new(),
            done: false,
        }),
        Ok(Msg::Failed(e)) => Err(e),
        _ => Err(SheetError::Corrupt {
            path: path.display().to_string(),
            detail: "lettura interrotta".into(),
        }),
    }
}

/// The first rows of a sheet and what was opened: for a preview, without reading the rest.
pub fn preview(
    path: &Path,
    sheet: Option<&str>,
    rows: usize,
) -> Result<(SourceInfo, Vec<SheetRow>), SheetError> {
    let mut stream = open(path, sheet)?;
    let mut out = Vec::with_capacity(rows);
    for r in stream.by_ref().take(rows) {
        out.push(r?);
    }
    Ok((stream.info().clone(), out))
}

struct Writer {
    tx: SyncSender<Msg>,
    batch: Vec<SheetRow>,
    /// Bytes held by the cells of `batch`.
    batch_bytes: usize,
    notes: Vec<String>,
    stopped: bool,
}

impl Writer {
    fn info(&mut self, info: SourceInfo) {
        if self.tx.send(Msg::Info(info)).is_err() {
            self.stopped = true;
        }
    }

    /// Queues a row; `false` once the reader went away (a preview that has enough).
    fn row(&mut self, mut row: SheetRow) -> bool {
        while row.cells.last().is_some_and(Cell::is_empty) {
            row.cells.pop();
        }
        if row.cells.is_empty() {
            return !self.stopped;
        }
        self.batch_bytes += row.cells.iter().map(Cell::size).sum::<usize>();
        self.batch.push(row);
        if self.batch.len() >= BATCH || self.batch_bytes >= BATCH_BYTES {
            self.flush();
        }
        !self.stopped
    }

    fn flush(&mut self) {
        if self.batch.is_empty() || self.stopped {
            return;
        }
        self.batch_bytes = 0;
        let rows = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        if self.tx.send(Msg::Rows(rows)).is_err() {
            self.stopped = true;
        }
    }
}

fn io_err(path: &Path, source: std::io::Error) -> SheetError {
    SheetError::Io {
        path: path.display().to_string(),
        source,
    }
}

fn corrupt(path: &Path, detail: impl std::fmt::Display) -> SheetError {
    SheetError::Corrupt {
        path: path.display().to_string(),
        detail: detail.to_string(),
    }
}

/// The format of a file from its first bytes, and a note when the name says otherwise.
pub fn sniff_format(path: &Path) -> Result<(Format, Option<String>), SheetError> {
    let mut f = File::open(path).map_err(|e| io_err(path, e))?;
    let mut head = [0u8; 8];
    let n = read_up_to(&mut f, &mut head).map_err(|e| io_err(path, e))?;
    if n == 0 {
        return Err(SheetError::Empty(path.display().to_string()));
    }
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let format = if head[..n].starts_with(b"PK\x03\x04") {
        let zip = zip::ZipArchive::new(BufReader::new(
            File::open(path).map_err(|e| io_err(path, e))?,
        ))
        .map_err(|e| corrupt(path, e))?;
        if zip.len() > guard::MAX_ENTRIES {
            return Err(guard::too_many_entries(path, zip.len()));
        }
        let names: Vec<String> = zip
            .file_names()
            .filter_map(Result::ok)
            .map(|n| n.into_owned())
            .collect();
        if names.iter().any(|n| n == "xl/workbook.xml") {
            Format::Xlsx
        } else if names.iter().any(|n| n == "content.xml") {
            Format::Ods
        } else {
            return Err(corrupt(
                path,
                "è un archivio zip ma non un foglio di calcolo",
            ));
        }
    } else if head[..n].starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        // An encrypted xlsx is an OLE file too; the xlsx reader recognises and reports it.
        if matches!(ext.as_str(), "xlsx" | "xlsm") {
            Format::Xlsx
        } else {
            Format::Xls
        }
    } else if head[..n].starts_with(b"%PDF") || head[..n].starts_with(b"{\\rtf") {
        return Err(corrupt(path, "non è un foglio di calcolo né un file CSV"));
    } else {
        Format::Csv
    };
    let expected = match ext.as_str() {
        "xlsx" | "xlsm" => Some(Format::Xlsx),
        "xls" => Some(Format::Xls),
        "ods" => Some(Format::Ods),
        "csv" | "txt" | "tsv" => Some(Format::Csv),
        _ => None,
    };
    let note = match expected {
        Some(e) if e != format => Some(format!(
            "il file ha estensione .{ext} ma è un file {}: letto come tale",
            format.name().to_uppercase()
        )),
        _ => None,
    };
    Ok((format, note))
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

// ---------------------------------------------------------------------------------------------
// Text

fn read_text(path: &Path, note: Option<String>, w: &mut Writer) -> Result<(), SheetError> {
    let mut f = File::open(path).map_err(|e| io_err(path, e))?;
    let mut sample = vec![0u8; SAMPLE_BYTES];
    let n = read_up_to(&mut f, &mut sample).map_err(|e| io_err(path, e))?;
    sample.truncate(n);
    if sample.iter().take(4096).any(|&b| b == 0)
        && encoding_rs::Encoding::for_bom(&sample).is_none()
    {
        return Err(corrupt(
            path,
            "contiene dati binari: non è un file di testo",
        ));
    }
    let layout: TextLayout = csv_text::sniff(&sample, n < SAMPLE_BYTES);
    drop(sample);
    let mut info = SourceInfo {
        formato: Format::Csv,
        fogli: Vec::new(),
        foglio: String::new(),
        codifica: Some(layout.encoding_name().to_string()),
        separatore: Some(layout.delimiter_name().to_string()),
        note: note.into_iter().collect(),
    };
    if layout.encoding != encoding_rs::UTF_8 {
        info.note
            .push(format!("codifica del testo: {}", layout.encoding_name()));
    }
    w.info(info);
    let f = File::open(path).map_err(|e| io_err(path, e))?;
    let notes = csv_text::read_rows(
        BufReader::with_capacity(1 << 20, f),
        layout,
        MAX_COLUMNS,
        guard::MAX_RECORD_BYTES,
        |row| w.row(row),
    )
    .map_err(|e| match e {
        csv_text::TextError::Io(e) => io_err(path, e),
        csv_text::TextError::RecordTooLarge { row } => SheetError::RecordTooLarge {
            path: path.display().to_string(),
            row,
            max: guard::MAX_RECORD_BYTES,
        },
    })?;
    if !notes.unreadable_rows.is_empty() {
        w.notes.push(format!(
            "{} caratteri non leggibili nella codifica {} (prima: riga {}): \
             salvi il file come «CSV UTF-8» e riprovi",
            mpd_domain::testo::conta(notes.unreadable_rows.len(), "riga ha", "righe hanno"),
            layout.encoding_name(),
            notes.unreadable_rows[0]
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Workbooks

fn worksheets(meta: &[calamine::Sheet]) -> Vec<SheetInfo> {
    meta.iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| SheetInfo {
            nome: s.name.clone(),
            nascosto: s.visible != SheetVisible::Visible,
        })
        .collect()
}

/// The sheet asked by name (exact, then ignoring case), or an error listing the sheets.
fn asked_sheet(sheets: &[SheetInfo], asked: &str) -> Result<String, SheetError> {
    sheets
        .iter()
        .find(|s| s.nome == asked)
        .or_else(|| {
            sheets
                .iter()
                .find(|s| s.nome.eq_ignore_ascii_case(asked.trim()))
        })
        .map(|s| s.nome.clone())
        .ok_or_else(|| SheetError::NoSuchSheet {
            asked: asked.to_string(),
            available: sheets
                .iter()
                .map(|s| format!("«{}»", s.nome))
                .collect::<Vec<_>>()
                .join(", "),
        })
}

fn choice_notes(sheets: &[SheetInfo], chosen: &str, asked: bool) -> Vec<String> {
    let mut notes = Vec::new();
    let visible: Vec<&SheetInfo> = sheets.iter().filter(|s| !s.nascosto).collect();
    if !asked && visible.len() > 1 {
        notes.push(format!(
            "il file ha {} fogli ({}): letto «{chosen}»; per leggerne un altro va indicato il foglio",
            visible.len(),
            visible
                .iter()
                .map(|s| format!("«{}»", s.nome))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let hidden: Vec<&SheetInfo> = sheets
        .iter()
        .filter(|s| s.nascosto && s.nome != chosen)
        .collect();
    if !asked && !hidden.is_empty() {
        notes.push(format!(
            "fogli nascosti non letti: {}",
            hidden
                .iter()
                .map(|s| format!("«{}»", s.nome))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    notes
}

fn data_cell(d: &Data) -> Cell {
    match d {
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::String(s) => Cell::text(s),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => excel_datetime_cell(dt),
        Data::DateTimeIso(s) => iso_cell(s),
        Data::DurationIso(s) => Cell::text(s),
        Data::Error(e) => Cell::Error(e.to_string()),
        Data::Empty => Cell::Empty,
    }
}

fn dataref_cell(d: &DataRef<'_>) -> Cell {
    match d {
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::String(s) => Cell::text(s),
        DataRef::SharedString(s) => Cell::text(s),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => excel_datetime_cell(dt),
        DataRef::DateTimeIso(s) => iso_cell(s),
        DataRef::DurationIso(s) => Cell::text(s),
        DataRef::Error(e) => Cell::Error(e.to_string()),
        DataRef::Empty => Cell::Empty,
    }
}

fn excel_datetime_cell(dt: &calamine::ExcelDateTime) -> Cell {
    if dt.is_datetime() {
        match dt.as_datetime() {
            Some(t) => Cell::Date(t.date()),
            None => Cell::Number(dt.as_f64()),
        }
    } else {
        Cell::Number(dt.as_f64())
    }
}

fn iso_cell(s: &str) -> Cell {
    match s
        .get(..10)
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    {
        Some(d) => Cell::Date(d),
        None => Cell::text(s),
    }
}

/// Repeats the value of each merged area's top-left cell over the area.
///
/// Rows arrive in order, so only the areas overlapping the current row are looked at: a sheet
/// with a merged pair of cells on each of its 200,000 rows costs a few per row, not 200,000.
struct Merges {
    /// Sorted by top-left cell; `next` is the first not yet reached.
    regions: Vec<(Dimensions, Option<Cell>)>,
    next: usize,
    /// Indices of the areas reached and not yet passed.
    active: Vec<usize>,
    filled: usize,
}

impl Merges {
    fn new(mut regions: Vec<Dimensions>) -> Merges {
        regions.retain(|d| d.len() > 1 && (d.start.1 as usize) < MAX_COLUMNS);
        regions.sort();
        Merges {
            regions: regions.into_iter().map(|d| (d, None)).collect(),
            next: 0,
            active: Vec::new(),
            filled: 0,
        }
    }

    fn is_empty(&self) -> bool {
        self.regions.is_empty()
    }

    fn count(&self) -> usize {
        self.regions.len()
    }

    /// Makes the areas starting at or above `row` active.
    fn advance(&mut self, row: u32) {
        while let Some((d, _)) = self.regions.get(self.next) {
            if d.start.0 > row {
                break;
            }
            self.active.push(self.next);
            self.next += 1;
        }
    }

    fn see(&mut self, row: u32, col: u32, cell: &Cell) {
        self.advance(row);
        for &i in &self.active {
            let (d, v) = &mut self.regions[i];
            if d.start == (row, col) {
                *v = Some(cell.clone());
            }
        }
    }

    fn fill(&mut self, row: u32, cells: &mut Vec<Cell>) {
        self.advance(row);
        for &i in &self.active {
            let (d, v) = &self.regions[i];
            let Some(value) = v else { continue };
            if d.start.0 > row || row > d.end.0 {
                continue;
            }
            let last = (d.end.1 as usize).min(MAX_COLUMNS - 1);
            if cells.len() <= last {
                cells.resize(last + 1, Cell::Empty);
            }
            for (c, cell) in cells
                .iter_mut()
                .enumerate()
                .take(last + 1)
                .skip(d.start.1 as usize)
            {
                if cell.is_empty() && (row, c as u32) != d.start {
                    *cell = value.clone();
                    self.filled += 1;
                }
            }
        }
        let regions = &self.regions;
        self.active.retain(|&i| regions[i].0.end.0 > row);
    }
}

/// What the report says once a sheet is read: formulas taken by their cached value, merged
/// zones repeated over their cells, columns cut beyond the limit.
fn end_notes(notes: &mut Vec<String>, formulas: &FormulaCount, merges: &Merges, cut_columns: bool) {
    formulas.notes(notes);
    if merges.filled > 0 {
        notes.push(format!(
            "{} zone di celle unite: il valore è stato ripetuto in ogni cella della zona",
            merges.count()
        ));
    }
    if cut_columns {
        notes.push(format!(
            "le colonne dopo la {} sono state ignorate",
            column_letter(MAX_COLUMNS - 1)
        ));
    }
}

#[derive(Default)]
struct FormulaCount {
    count: usize,
    first: Option<String>,
    without_value: usize,
    first_without_value: Option<String>,
}

impl FormulaCount {
    fn add(&mut self, row: u32, col: u32, has_value: bool) {
        let at = || format!("{}{}", column_letter(col as usize), row + 1);
        self.count += 1;
        if self.first.is_none() {
            self.first = Some(at());
        }
        if !has_value {
            self.without_value += 1;
            if self.first_without_value.is_none() {
                self.first_without_value = Some(at());
            }
        }
    }

    fn notes(&self, out: &mut Vec<String>) {
        if self.count > 0 {
            out.push(format!(
                "{} formule (la prima è {}): è stato usato il valore calcolato salvato nel file",
                mpd_domain::testo::conta(self.count, "cella contiene", "celle contengono"),
                self.first.as_deref().unwrap_or("")
            ));
        }
        if self.without_value > 0 {
            out.push(format!(
                "{} un valore calcolato salvato (la prima è {}) e {}: \
                 apra il file in Excel o LibreOffice e lo salvi di nuovo",
                mpd_domain::testo::conta(
                    self.without_value,
                    "cella con formula non ha",
                    "celle con formula non hanno"
                ),
                self.first_without_value.as_deref().unwrap_or(""),
                mpd_domain::testo::parola(self.without_value, "è letta vuota", "sono lette vuote")
            ));
        }
    }
}

fn workbook_error(path: &Path, password: bool, detail: impl std::fmt::Display) -> SheetError {
    if password {
        SheetError::Password(path.display().to_string())
    } else {
        corrupt(path, detail)
    }
}

fn open_xlsx(path: &Path) -> Result<Xlsx<BufReader<File>>, SheetError> {
    let f = File::open(path).map_err(|e| io_err(path, e))?;
    Xlsx::new(BufReader::with_capacity(1 << 16, f))
        .map_err(|e| workbook_error(path, matches!(e, calamine::XlsxError::Password), e))
}

/// Reads the first rows of an xlsx sheet (for choosing the sheet).
fn xlsx_head(wb: &mut Xlsx<BufReader<File>>, name: &str) -> Vec<SheetRow> {
    let mut rows: Vec<SheetRow> = Vec::new();
    let Ok(mut reader) = wb.worksheet_cells_reader(name) else {
        return rows;
    };
    while let Ok(Some(cell)) = reader.next_cell() {
        let (r, c) = cell.get_position();
        if r as usize >= HEADER_SEARCH_ROWS {
            break;
        }
        if c as usize >= MAX_COLUMNS {
            continue;
        }
        if rows.last().is_none_or(|l| l.number != r as usize + 1) {
            rows.push(SheetRow {
                number: r as usize + 1,
                cells: Vec::new(),
            });
        }
        if let Some(last) = rows.last_mut() {
            last.cells.resize(c as usize, Cell::Empty);
            last.cells.push(dataref_cell(cell.get_value()));
        }
    }
    rows
}

fn best_sheet(
    candidates: &[&SheetInfo],
    mut head: impl FnMut(&str) -> Vec<SheetRow>,
) -> Option<String> {
    let mut best: Option<(usize, &str)> = None;
    for s in candidates {
        let score = head(&s.nome)
            .iter()
            .map(|r| header_score(&r.cells))
            .max()
            .unwrap_or(0);
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, &s.nome));
        }
    }
    best.map(|(_, n)| n.to_string())
}

fn read_xlsx(
    path: &Path,
    asked: Option<&str>,
    note: Option<String>,
    w: &mut Writer,
) -> Result<(), SheetError> {
    guard::check_zip(path, Format::Xlsx)?;
    let mut wb = open_xlsx(path)?;
    let sheets = worksheets(wb.sheets_metadata());
    let name = match asked {
        Some(a) => asked_sheet(&sheets, a)?,
        None => {
            let visible: Vec<&SheetInfo> = sheets.iter().filter(|s| !s.nascosto).collect();
            match visible.len() {
                0 => return Err(SheetError::NoSheet(path.display().to_string())),
                1 => visible[0].nome.clone(),
                _ => best_sheet(&visible, |n| xlsx_head(&mut wb, n))
                    .unwrap_or_else(|| visible[0].nome.clone()),
            }
        }
    };
    let mut notes: Vec<String> = note.into_iter().collect();
    notes.extend(choice_notes(&sheets, &name, asked.is_some()));
    w.info(SourceInfo {
        formato: Format::Xlsx,
        fogli: sheets.clone(),
        foglio: name.clone(),
        codifica: None,
        separatore: None,
        note: notes,
    });
    let merges = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
    let mut merges = Merges::new(merges);
    let mut formulas = FormulaCount::default();
    let mut reader = wb
        .worksheet_cells_reader(&name)
        .map_err(|e| corrupt(path, e))?;
    let mut current: Option<(u32, Vec<Cell>)> = None;
    let mut cut_columns = false;
    loop {
        let rec = match reader.next_cell_with_formula_metadata() {
            Ok(Some(rec)) => rec,
            Ok(None) => break,
            Err(e) => return Err(corrupt(path, e)),
        };
        let (r, c) = rec.pos;
        if rec.formula.is_some() {
            formulas.add(r, c, !matches!(rec.value, DataRef::Empty));
        }
        if c as usize >= MAX_COLUMNS {
            if !matches!(rec.value, DataRef::Empty) {
                cut_columns = true;
            }
            continue;
        }
        let cell = dataref_cell(&rec.value);
        if !merges.is_empty() {
            merges.see(r, c, &cell);
        }
        if current.as_ref().is_none_or(|(cr, _)| *cr != r) {
            if let Some((cr, mut cells)) = current.take() {
                merges.fill(cr, &mut cells);
                if !w.row(SheetRow {
                    number: cr as usize + 1,
                    cells,
                }) {
                    return Ok(());
                }
            }
            current = Some((r, Vec::new()));
        }
        if let Some((_, cells)) = current.as_mut() {
            if cells.len() < c as usize {
                cells.resize(c as usize, Cell::Empty);
            }
            if cells.len() == c as usize {
                cells.push(cell);
            } else {
                cells[c as usize] = cell;
            }
        }
    }
    if let Some((cr, mut cells)) = current.take() {
        merges.fill(cr, &mut cells);
        w.row(SheetRow {
            number: cr as usize + 1,
            cells,
        });
    }
    end_notes(&mut w.notes, &formulas, &merges, cut_columns);
    Ok(())
}

fn read_loaded(
    path: &Path,
    format: Format,
    asked: Option<&str>,
    note: Option<String>,
    w: &mut Writer,
) -> Result<(), SheetError> {
    let f = File::open(path).map_err(|e| io_err(path, e))?;
    let reader = BufReader::new(f);
    match format {
        Format::Xls => {
            xls_guard(path)?;
            let mut wb = match Xls::new(reader) {
                Ok(wb) => wb,
                Err(e) => {
                    if matches!(e, calamine::XlsError::Password) {
                        return Err(SheetError::Password(path.display().to_string()));
                    }
                    // An encrypted xlsx is an OLE file too: let the xlsx reader say so.
                    if let Err(SheetError::Password(p)) = open_xlsx(path).map(|_| ()) {
                        return Err(SheetError::Password(p));
                    }
                    return Err(corrupt(path, e));
                }
            };
            let sheets = worksheets(wb.sheets_metadata());
            let name = choose_loaded(path, &mut wb, &sheets, asked)?;
            let merges = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
            loaded_rows(
                path,
                &mut wb,
                format,
                sheets,
                name,
                merges,
                asked.is_some(),
                note,
                w,
            )
        }
        _ => {
            guard::check_zip(path, Format::Ods)?;
            let mut scanned = ods_guard(path)?;
            let mut wb: Ods<_> = Ods::new(reader)
                .map_err(|e| workbook_error(path, matches!(e, calamine::OdsError::Password), e))?;
            let sheets = worksheets(wb.sheets_metadata());
            let name = choose_loaded(path, &mut wb, &sheets, asked)?;
            let merges = scanned.remove(&name).map(|s| s.merges).unwrap_or_default();
            loaded_rows(
                path,
                &mut wb,
                format,
                sheets,
                name,
                merges,
                asked.is_some(),
                note,
                w,
            )
        }
    }
}

/// Cells an `.ods` or `.xls` workbook may allocate when calamine loads it (every sheet's used
/// rectangle; about 60 bytes each with its formula text): 4,000,000 is 200,000 rows of 20
/// columns, about 250 MB.
pub const ODS_MAX_CELLS: u64 = 4_000_000;

/// Reads an `.ods` as a stream before calamine loads it whole: refuses a workbook whose sheets
/// would take more than [`ODS_MAX_CELLS`] cells, returns each sheet's merged areas.
fn ods_guard(path: &Path) -> Result<HashMap<String, crate::ods::OdsSheet>, SheetError> {
    let scanned = match crate::ods::scan(path) {
        Ok(s) => s,
        // An encrypted ODS has an unreadable content.xml: calamine reports the password.
        Err(_) if ods_encrypted(path) => {
            return Err(SheetError::Password(path.display().to_string()));
        }
        Err(e) => return Err(corrupt(path, e)),
    };
    let total: u64 = scanned.values().map(crate::ods::OdsSheet::cells).sum();
    if total > ODS_MAX_CELLS
        && let Some((name, big)) = scanned.iter().max_by_key(|(_, s)| s.cells())
    {
        let (rows, cols) = big.size();
        return Err(SheetError::TooLarge {
            path: path.display().to_string(),
            sheet: name.clone(),
            formato: "ods",
            rows,
            cols,
        });
    }
    let merges: usize = scanned.values().map(|s| s.merges.len()).sum();
    if merges as u64 > guard::MAX_MERGES {
        return Err(guard::too_many_merges(path));
    }
    let text: u64 = scanned.values().map(|s| s.text).sum();
    if text > guard::MAX_ODS_TEXT_BYTES {
        return Err(guard::unsafe_file(
            path,
            format!(
                "il suo testo, con le righe e le colonne ripetute, occuperebbe più di {} MB",
                guard::MAX_ODS_TEXT_BYTES / (1024 * 1024)
            ),
        ));
    }
    Ok(scanned)
}

/// Walks an `.xls`'s records before calamine loads it whole: refuses a workbook whose sheets
/// span more than [`ODS_MAX_CELLS`] cells (a stray value in IV65536 is 16.7 million). A file
/// the pass cannot read goes on to calamine, which reports it (damaged, or an encrypted xlsx).
fn xls_guard(path: &Path) -> Result<(), SheetError> {
    if let Some(len) = crate::xls::workbook_len(path) {
        guard::check_xls_stream(path, len)?;
    }
    let Ok(sheets) = crate::xls::scan(path) else {
        return Ok(());
    };
    let total: u64 = sheets
        .iter()
        .filter_map(|(_, s)| s.as_ref())
        .map(crate::xls::cells)
        .sum();
    if total > ODS_MAX_CELLS
        && let Some((name, Some(s))) = sheets
            .iter()
            .max_by_key(|(_, s)| s.as_ref().map(crate::xls::cells))
    {
        return Err(SheetError::TooLarge {
            path: path.display().to_string(),
            sheet: name.clone(),
            formato: "xls",
            rows: u64::from(s.1 - s.0 + 1),
            cols: u64::from(s.3 - s.2 + 1),
        });
    }
    Ok(())
}

fn ods_encrypted(path: &Path) -> bool {
    let Ok(f) = File::open(path) else {
        return false;
    };
    let Ok(mut zip) = zip::ZipArchive::new(BufReader::new(f)) else {
        return false;
    };
    let Ok(mut m) = zip.by_name("META-INF/manifest.xml") else {
        return false;
    };
    let mut text = String::new();
    m.by_ref().take(1 << 20).read_to_string(&mut text).is_ok() && text.contains("encryption-data")
}

fn choose_loaded<R: Reader<BufReader<File>>>(
    path: &Path,
    wb: &mut R,
    sheets: &[SheetInfo],
    asked: Option<&str>,
) -> Result<String, SheetError> {
    if let Some(a) = asked {
        return asked_sheet(sheets, a);
    }
    let visible: Vec<&SheetInfo> = sheets.iter().filter(|s| !s.nascosto).collect();
    match visible.len() {
        0 => Err(SheetError::NoSheet(path.display().to_string())),
        1 => Ok(visible[0].nome.clone()),
        _ => Ok(best_sheet(&visible, |n| match wb.worksheet_range(n) {
            Ok(range) => range_rows(&range).take(HEADER_SEARCH_ROWS).collect(),
            Err(_) => Vec::new(),
        })
        .unwrap_or_else(|| visible[0].nome.clone())),
    }
}

fn range_rows(range: &Range<Data>) -> impl Iterator<Item = SheetRow> + '_ {
    let (r0, c0) = range.start().unwrap_or((0, 0));
    range.rows().enumerate().map(move |(i, cells)| {
        let mut out = vec![Cell::Empty; (c0 as usize).min(MAX_COLUMNS)];
        out.extend(
            cells
                .iter()
                .take(MAX_COLUMNS.saturating_sub(c0 as usize))
                .map(data_cell),
        );
        SheetRow {
            number: r0 as usize + i + 1,
            cells: out,
        }
    })
}

#[allow(clippy::too_many_arguments)]
fn loaded_rows<R: Reader<BufReader<File>>>(
    path: &Path,
    wb: &mut R,
    format: Format,
    sheets: Vec<SheetInfo>,
    name: String,
    merges: Vec<Dimensions>,
    asked: bool,
    note: Option<String>,
    w: &mut Writer,
) -> Result<(), SheetError>
where
    R::Error: std::fmt::Display,
{
    let mut notes: Vec<String> = note.into_iter().collect();
    notes.extend(choice_notes(&sheets, &name, asked));
    w.info(SourceInfo {
        formato: format,
        fogli: sheets,
        foglio: name.clone(),
        codifica: None,
        separatore: None,
        note: notes,
    });
    let range = wb.worksheet_range(&name).map_err(|e| corrupt(path, e))?;
    let cut_columns = range.end().is_some_and(|(_, c)| c as usize >= MAX_COLUMNS);
    let mut formulas = FormulaCount::default();
    if let Ok(f) = wb.worksheet_formula(&name) {
        for (r, c, text) in f.used_cells() {
            if !text.is_empty() {
                let (fr, fc) = f.start().unwrap_or((0, 0));
                let (ar, ac) = (fr + r as u32, fc + c as u32);
                let has_value = range
                    .get_value((ar, ac))
                    .is_some_and(|d| !matches!(d, Data::Empty));
                formulas.add(ar, ac, has_value);
            }
        }
    }
    let mut merges = Merges::new(merges);
    for mut row in range_rows(&range) {
        if !merges.is_empty() {
            let r = row.number as u32 - 1;
            for (c, cell) in row.cells.iter().enumerate() {
                if !cell.is_empty() {
                    merges.see(r, c as u32, cell);
                }
            }
            merges.fill(r, &mut row.cells);
        }
        if !w.row(row) {
            return Ok(());
        }
    }
    end_notes(&mut w.notes, &formulas, &merges, cut_columns);
    Ok(())
}
