//! Debts back to Excel (`debts export`), safe to open.
//!
//! Text that begins with `=`, `+`, `-`, `@` (or a tab or carriage return) would run as a
//! formula when the clerk edits the cell or saves the sheet as CSV and reopens it ("CSV
//! injection"): a payer named `=HYPERLINK(…)` must stay a name. Such text is written with a
//! leading apostrophe, which survives a save as CSV. Amounts are numbers with two decimals,
//! due dates are date cells, codes are text. The sheet is written in constant memory, so a
//! million debts do not sit in RAM.

use std::path::Path;

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, FormatBorder, Formula, Workbook, XlsxError};

use crate::SheetError;

/// One value of an exported row.
#[derive(Clone, Debug, PartialEq)]
pub enum ExportValue {
    Text(String),
    /// Euro cents, written as a number with two decimals.
    Cents(i64),
    Date(Option<NaiveDate>),
}

/// Makes text that a spreadsheet could take for a formula harmless.
pub fn neutralize(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Excel's row limit, header included.
pub const MAX_ROWS: usize = 1_048_576;

/// Writes `headers` and `rows` to `path`, on a sheet named "Dovuti"; returns the rows written.
pub fn write_export(
    path: &Path,
    headers: &[&str],
    rows: impl IntoIterator<Item = Vec<ExportValue>>,
) -> Result<usize, SheetError> {
    write_sheet(
        path,
        &Sheet {
            name: "Dovuti",
            too_many: "dovuti non stanno in un foglio Excel: esportarne meno, filtrandoli per stato",
            total_row: false,
        },
        headers,
        rows,
    )
}

/// How a sheet is written besides its rows.
#[derive(Clone, Copy, Debug)]
pub struct Sheet<'a> {
    /// The sheet's name (the tab at the bottom).
    pub name: &'a str,
    /// The end of the sentence when there are too many rows, after "più di N ".
    pub too_many: &'a str,
    /// An autofilter on the header and, under the rows, a "Totale" row adding up every amount
    /// column (`SUBTOTAL`, so it follows the filter; its value is stored too, for programs
    /// that do not compute formulas).
    pub total_row: bool,
}

/// Column letters of a 0-based column (`0` is `A`, `26` is `AA`).
fn column_letters(c: u16) -> String {
    let mut n = u32::from(c) + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        s.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Writes `headers` and `rows` to `path` as `sheet` says; returns the rows written.
pub fn write_sheet(
    path: &Path,
    sheet: &Sheet<'_>,
    headers: &[&str],
    rows: impl IntoIterator<Item = Vec<ExportValue>>,
) -> Result<usize, SheetError> {
    let e = |err: XlsxError| {
        SheetError::Write {
        path: path.display().to_string(),
        detail: "controlli che il file non sia aperto in un altro programma e che la cartella sia scrivibile".into(),
        causa: err.to_string(),
    }
    };
    let mut wb = Workbook::new();
    let header = Format::new().set_bold().set_background_color(0xD9E1F2);
    let money = Format::new().set_num_format("#,##0.00");
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let text = Format::new().set_num_format("@");
    let total_text = Format::new().set_bold().set_border_top(FormatBorder::Thin);
    let total_money = Format::new()
        .set_bold()
        .set_num_format("#,##0.00")
        .set_border_top(FormatBorder::Thin);
    let ws = wb.add_worksheet_with_constant_memory().map_err(e)?;
    ws.set_name(sheet.name).map_err(e)?;
    for (i, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, *h, &header)
            .map_err(e)?;
        ws.set_column_width(i as u16, (h.chars().count() as f64 + 4.0).max(12.0))
            .map_err(e)?;
    }
    ws.set_freeze_panes(1, 0).map_err(e)?;
    // The total row takes one of Excel's rows.
    let max_rows = if sheet.total_row {
        MAX_ROWS - 1
    } else {
        MAX_ROWS
    };
    // Sum of each amount column (None: not an amount column so far).
    let mut sums: Vec<Option<i64>> = vec![None; headers.len()];
    let mut n = 0usize;
    for (i, row) in rows.into_iter().enumerate() {
        let r = i + 1;
        if r >= max_rows {
            return Err(SheetError::Write {
                path: path.display().to_string(),
                detail: format!(
                    "più di {} {}",
                    mpd_domain::testo::numero(max_rows - 1),
                    sheet.too_many
                ),
                causa: String::new(),
            });
        }
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match v {
                ExportValue::Text(s) if s.is_empty() => {}
                ExportValue::Text(s) => {
                    ws.write_string_with_format(r, c, neutralize(s).as_ref(), &text)
                        .map_err(e)?;
                }
                ExportValue::Cents(cents) => {
                    ws.write_number_with_format(r, c, *cents as f64 / 100.0, &money)
                        .map_err(e)?;
                    if let Some(sum) = sums.get_mut(c as usize) {
                        *sum = Some(sum.unwrap_or(0) + cents);
                    }
                }
                ExportValue::Date(Some(d)) => {
                    ws.write_date_with_format(r, c, *d, &date).map_err(e)?;
                }
                ExportValue::Date(None) => {}
            }
        }
        n += 1;
    }
    if sheet.total_row && !headers.is_empty() {
        let last = n as u32;
        ws.autofilter(0, 0, last, headers.len() as u16 - 1)
            .map_err(e)?;
        let tot = last + 1;
        ws.write_string_with_format(tot, 0, "Totale", &total_text)
            .map_err(e)?;
        for (c, sum) in sums.iter().enumerate().skip(1) {
            let Some(sum) = sum else { continue };
            let l = column_letters(c as u16);
            let formula = Formula::new(format!("=SUBTOTAL(109,{l}2:{l}{})", last + 1))
                .set_result((*sum as f64 / 100.0).to_string());
            ws.write_formula_with_format(tot, c as u16, formula, &total_money)
                .map_err(e)?;
        }
    }
    wb.save(path).map_err(e)?;
    Ok(n)
}

/// A sheet to write with [`write_table`]: its name, its headers and the columns added up in
/// the total row.
pub struct Table<'a> {
    pub sheet: &'a str,
    pub headers: &'a [&'a str],
    /// Columns (of [`ExportValue::Cents`]) whose total the last row shows.
    pub totals: &'a [usize],
}

/// As [`write_export`], as a table a clerk can filter: an autofilter on the headers and, after
/// the rows, a «Totale» row whose sums are `SUBTOTAL` formulas (they follow the filter the
/// clerk applies in Excel; the value is stored too, for programs that do not compute
/// formulas). Text is neutralised as in [`write_export`]; constant memory. Returns the rows
/// written (the total row not counted).
pub fn write_table(
    path: &Path,
    table: &Table<'_>,
    rows: impl IntoIterator<Item = Vec<ExportValue>>,
) -> Result<usize, SheetError> {
    use rust_xlsxwriter::Formula;
    let e = |err: XlsxError| {
        SheetError::Write {
        path: path.display().to_string(),
        detail: "controlli che il file non sia aperto in un altro programma e che la cartella sia scrivibile".into(),
        causa: err.to_string(),
    }
    };
    let mut wb = Workbook::new();
    let header = Format::new().set_bold().set_background_color(0xD9E1F2);
    let money = Format::new().set_num_format("#,##0.00");
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let text = Format::new().set_num_format("@");
    let bold = Format::new().set_bold();
    let money_total = Format::new().set_bold().set_num_format("#,##0.00");
    let ws = wb.add_worksheet_with_constant_memory().map_err(e)?;
    ws.set_name(table.sheet).map_err(e)?;
    let columns = table.headers.len().max(1);
    for (i, h) in table.headers.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, *h, &header)
            .map_err(e)?;
        ws.set_column_width(i as u16, (h.chars().count() as f64 + 4.0).max(12.0))
            .map_err(e)?;
    }
    ws.set_freeze_panes(1, 0).map_err(e)?;
    let mut sums = vec![0i64; columns];
    let mut n = 0usize;
    for (i, row) in rows.into_iter().enumerate() {
        let r = i + 1;
        // One row is left for the total.
        if r + 1 >= MAX_ROWS {
            return Err(SheetError::Write {
                path: path.display().to_string(),
                detail: format!(
                    "più di {} dovuti non stanno in un foglio Excel: esportarne meno, filtrandoli",
                    mpd_domain::testo::numero(MAX_ROWS - 2)
                ),
                causa: String::new(),
            });
        }
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match v {
                ExportValue::Text(s) if s.is_empty() => {}
                ExportValue::Text(s) => {
                    ws.write_string_with_format(r, c, neutralize(s).as_ref(), &text)
                        .map_err(e)?;
                }
                ExportValue::Cents(cents) => {
                    if let Some(s) = sums.get_mut(c as usize) {
                        *s += cents;
                    }
                    ws.write_number_with_format(r, c, *cents as f64 / 100.0, &money)
                        .map_err(e)?;
                }
                ExportValue::Date(Some(d)) => {
                    ws.write_date_with_format(r, c, *d, &date).map_err(e)?;
                }
                ExportValue::Date(None) => {}
            }
        }
        n += 1;
    }
    let last = n as u32;
    ws.autofilter(0, 0, last, (columns - 1) as u16).map_err(e)?;
    let total = last + 1;
    ws.write_string_with_format(total, 0, "Totale", &bold)
        .map_err(e)?;
    for &c in table.totals.iter().filter(|&&c| c > 0 && c < columns) {
        let value = sums[c] as f64 / 100.0;
        if n == 0 {
            // No rows to add up (a formula would refer to the header alone).
            ws.write_number_with_format(total, c as u16, value, &money_total)
                .map_err(e)?;
            continue;
        }
        let letter = column_letter(c);
        let formula = Formula::new(format!("=SUBTOTAL(109,{letter}2:{letter}{})", last + 1))
            .set_result(value.to_string());
        ws.write_formula_with_format(total, c as u16, formula, &money_total)
            .map_err(e)?;
    }
    wb.save(path).map_err(e)?;
    Ok(n)
}

/// Excel's letters of a 0-based column: 0 → A, 26 → AA.
fn column_letter(mut c: usize) -> String {
    let mut s = Vec::new();
    c += 1;
    while c > 0 {
        let r = (c - 1) % 26;
        s.push((b'A' + r as u8) as char);
        c = (c - 1) / 26;
    }
    s.iter().rev().collect()
}
