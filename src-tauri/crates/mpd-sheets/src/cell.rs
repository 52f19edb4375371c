//! One cell and one row of a clerk's sheet, whatever the file format.
//!
//! Values keep their kind (text, number, date) because the same `45000` means an amount in one
//! column and a due date in another: only the [`crate::mapper`] knows which column is which.

use chrono::NaiveDate;

/// One cell's value. Whitespace-only text is [`Cell::Empty`].
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    /// Text as written (trimmed of surrounding whitespace).
    Text(String),
    /// A numeric cell (Excel keeps every number as an IEEE double).
    Number(f64),
    /// A cell formatted as a date (or an ISO date in ODS).
    Date(NaiveDate),
    Bool(bool),
    /// An error value such as `#DIV/0!` or `#N/D`.
    Error(String),
}

impl Cell {
    /// Text cell from raw text: trims, and empty or whitespace-only text is [`Cell::Empty`].
    pub fn text(s: &str) -> Cell {
        let t = s.trim_matches(|c: char| c.is_whitespace() || crate::text::is_invisible(c));
        if t.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(t.to_string())
        }
    }

    pub fn is_empty(&self) -> bool {
        matches!(self, Cell::Empty)
    }

    /// About the memory the cell takes, its text included.
    pub fn size(&self) -> usize {
        std::mem::size_of::<Cell>()
            + match self {
                Cell::Text(s) | Cell::Error(s) => s.len(),
                _ => 0,
            }
    }

    /// The value as the clerk sees it in the sheet (numbers without float noise, dates as
    /// `dd/mm/yyyy`): what a report shows in «valore».
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Number(f) => crate::values::number_text(*f),
            Cell::Date(d) => d.format("%d/%m/%Y").to_string(),
            Cell::Bool(b) => if *b { "VERO" } else { "FALSO" }.to_string(),
            Cell::Error(e) => e.clone(),
        }
    }
}

/// One non-empty row of a sheet.
#[derive(Clone, Debug, PartialEq)]
pub struct SheetRow {
    /// The row number the clerk sees (1-based: row 1 is the first row of the sheet, or the
    /// first record of a CSV as a spreadsheet shows it).
    pub number: usize,
    /// Cells from column A; trailing empty cells are dropped.
    pub cells: Vec<Cell>,
}

impl SheetRow {
    pub fn get(&self, col: usize) -> &Cell {
        const EMPTY: Cell = Cell::Empty;
        self.cells.get(col).unwrap_or(&EMPTY)
    }

    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(Cell::is_empty)
    }
}

/// The spreadsheet letter of a 0-based column: 0 ⇒ `A`, 26 ⇒ `AA`.
pub fn column_letter(mut col: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// The 0-based column of a spreadsheet letter (`A`, `ab`); `None` if not letters.
pub fn column_index(letters: &str) -> Option<usize> {
    let l = letters.trim();
    if l.is_empty() || l.len() > 3 || !l.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let mut n = 0usize;
    for b in l.bytes() {
        n = n * 26 + (b.to_ascii_uppercase() - b'A') as usize + 1;
    }
    Some(n - 1)
}
