//! A streaming pass over an ODS `content.xml`, before calamine loads the workbook.
//!
//! calamine's ODS reader loads every sheet of the workbook into memory when it opens it, with
//! each sheet's used area expanded to a full rectangle (row and column repeats included, up to
//! 100,000,000 cells: gigabytes). This pass reads the XML as a stream, in constant memory, and
//! returns for each sheet the rectangle calamine would allocate and its merged areas
//! (`table:number-columns-spanned` / `table:number-rows-spanned`), which calamine reads as a
//! value in the top-left cell and empty covered cells. The caller refuses a workbook whose
//! rectangles are too large before calamine sees it, and repeats merged values as it does for
//! `.xlsx`.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use calamine::Dimensions;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::guard::MAX_MERGES;

/// Rows and columns of an ODS sheet, as calamine counts them.
const MAX_ROWS: u64 = 1_048_576;
const MAX_COLS: u64 = 16_384;

/// What the pass found in one sheet.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OdsSheet {
    /// First and last row (0-based, repeats counted) holding a value, if any.
    pub rows: Option<(u64, u64)>,
    /// First and last column holding a value, if any.
    pub cols: Option<(u64, u64)>,
    /// Merged areas, in sheet coordinates (no more than [`MAX_MERGES`] + 1 kept).
    pub merges: Vec<Dimensions>,
    /// Bytes of text calamine will hold, repeated rows and columns expanded: cell text,
    /// formulas and string values (`table:formula`, `office:string-value`).
    pub text: u64,
}

impl OdsSheet {
    /// The cells calamine allocates for this sheet: its used rectangle.
    pub fn cells(&self) -> u64 {
        match (self.rows, self.cols) {
            (Some((r0, r1)), Some((c0, c1))) => (r1 - r0 + 1).saturating_mul(c1 - c0 + 1),
            _ => 0,
        }
    }

    /// Rows × columns of the used rectangle.
    pub fn size(&self) -> (u64, u64) {
        match (self.rows, self.cols) {
            (Some((r0, r1)), Some((c0, c1))) => (r1 - r0 + 1, c1 - c0 + 1),
            _ => (0, 0),
        }
    }
}

fn widen(span: &mut Option<(u64, u64)>, lo: u64, hi: u64) {
    *span = Some(match *span {
        Some((a, b)) => (a.min(lo), b.max(hi)),
        None => (lo, hi),
    });
}

fn number(e: &BytesStart<'_>, name: &str) -> u64 {
    e.try_get_attribute(name)
        .ok()
        .flatten()
        .and_then(|a| a.value.trim().parse::<u64>().ok())
        .unwrap_or(1)
        .max(1)
}

/// Bytes of the attributes whose text calamine keeps for a cell.
fn kept_attributes(e: &BytesStart<'_>) -> u64 {
    ["table:formula", "office:string-value"]
        .iter()
        .filter_map(|a| e.try_get_attribute(a).ok().flatten())
        .map(|a| a.value.len() as u64)
        .sum()
}

fn sheet_name(e: &BytesStart<'_>) -> String {
    let raw = e
        .try_get_attribute("table:name")
        .ok()
        .flatten()
        .map(|a| a.value.into_owned())
        .unwrap_or_default();
    raw.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Reads `content.xml` of the ODS at `path`: each sheet by name, in constant memory.
pub fn scan(path: &Path) -> Result<HashMap<String, OdsSheet>, String> {
    let f = File::open(path).map_err(|e| e.to_string())?;
    let mut zip = zip::ZipArchive::new(BufReader::new(f)).map_err(|e| e.to_string())?;
    let content = zip.by_name("content.xml").map_err(|e| e.to_string())?;
    scan_content(BufReader::with_capacity(1 << 16, content))
}

/// The pass itself, on the bytes of a `content.xml`.
pub fn scan_content(content: impl Read) -> Result<HashMap<String, OdsSheet>, String> {
    let mut reader = Reader::from_reader(BufReader::new(content));
    let mut buf = Vec::with_capacity(4096);
    let mut out: HashMap<String, OdsSheet> = HashMap::new();
    let mut current: Option<(String, OdsSheet)> = None;
    // Depth of table:table (a table inside a cell belongs to a drawing: not counted).
    let mut depth = 0usize;
    let mut row: u64 = 0;
    let mut row_repeat: u64 = 1;
    let mut col: u64 = 0;
    let mut row_cols: Option<(u64, u64)> = None;
    // Inside a cell element (Start seen, End not yet): it has content when it holds elements.
    let mut open_cell: Option<(u64, u64, bool)> = None;
    // Text of the open cell, and of the current row (columns repeated).
    let mut cell_text: u64 = 0;
    let mut row_text: u64 = 0;
    loop {
        let ev = reader
            .read_event_into(&mut buf)
            .map_err(|e| format!("content.xml: {e}"))?;
        let empty = matches!(ev, Event::Empty(_));
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => match e.name().as_ref() {
                "table:table" => {
                    depth += 1;
                    if depth == 1 && !empty {
                        current = Some((sheet_name(e), OdsSheet::default()));
                        row = 0;
                    }
                    if empty {
                        depth -= 1;
                    }
                }
                "table:table-row" if depth == 1 => {
                    row_repeat = number(e, "table:number-rows-repeated").min(MAX_ROWS);
                    col = 0;
                    row_cols = None;
                    row_text = 0;
                    if empty {
                        row = (row + row_repeat).min(MAX_ROWS);
                    }
                }
                name @ ("table:table-cell" | "table:covered-table-cell") if depth == 1 => {
                    let repeat = number(e, "table:number-columns-repeated").min(MAX_COLS);
                    let valued = e
                        .try_get_attribute("office:value-type")
                        .ok()
                        .flatten()
                        .is_some();
                    if name == "table:table-cell" {
                        let cs = number(e, "table:number-columns-spanned");
                        let rs = number(e, "table:number-rows-spanned");
                        if (cs > 1 || rs > 1)
                            && let Some((_, s)) = current.as_mut()
                            && s.merges.len() as u64 <= MAX_MERGES
                        {
                            let end_r = (row + rs - 1).min(MAX_ROWS - 1);
                            let end_c = (col + cs - 1).min(MAX_COLS - 1);
                            s.merges.push(Dimensions {
                                start: (row as u32, col as u32),
                                end: (end_r as u32, end_c as u32),
                            });
                        }
                    }
                    let kept = kept_attributes(e);
                    if empty {
                        if valued {
                            widen(&mut row_cols, col, col + repeat - 1);
                        }
                        row_text = row_text.saturating_add(kept.saturating_mul(repeat));
                        col = (col + repeat).min(MAX_COLS);
                    } else {
                        open_cell = Some((col, repeat, valued));
                        cell_text = kept;
                    }
                }
                _ => {
                    // An element inside a cell (text:p…) makes it a cell with content.
                    if let Some((_, _, v)) = open_cell.as_mut() {
                        *v = true;
                    }
                }
            },
            Event::End(ref e) => match e.name().as_ref() {
                "table:table" => {
                    if depth == 1
                        && let Some((name, s)) = current.take()
                    {
                        out.insert(name, s);
                    }
                    depth = depth.saturating_sub(1);
                }
                "table:table-cell" | "table:covered-table-cell" if depth == 1 => {
                    if let Some((c, repeat, valued)) = open_cell.take() {
                        if valued {
                            widen(&mut row_cols, c, c + repeat - 1);
                        }
                        row_text = row_text.saturating_add(cell_text.saturating_mul(repeat));
                        col = (c + repeat).min(MAX_COLS);
                    }
                }
                "table:table-row" if depth == 1 => {
                    if let (Some((c0, c1)), Some((_, s)), true) =
                        (row_cols, current.as_mut(), row < MAX_ROWS)
                    {
                        widen(&mut s.cols, c0, c1);
                        widen(&mut s.rows, row, (row + row_repeat - 1).min(MAX_ROWS - 1));
                    }
                    if let Some((_, s)) = current.as_mut() {
                        s.text = s.text.saturating_add(row_text.saturating_mul(row_repeat));
                    }
                    row = (row + row_repeat).min(MAX_ROWS);
                }
                _ => {}
            },
            Event::Text(ref t) if open_cell.is_some() => {
                cell_text = cell_text.saturating_add(t.len() as u64);
            }
            Event::CData(ref t) if open_cell.is_some() => {
                cell_text = cell_text.saturating_add(t.len() as u64);
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_spans_and_nested_tables_are_counted_as_calamine_does() {
        let xml = r#"<office:document-content><office:body><office:spreadsheet>
<table:table table:name="A &amp; B">
<table:table-column table:number-columns-repeated="3"/>
<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="5"/></table:table-row>
<table:table-row><table:table-cell/><table:table-cell office:value-type="string" table:number-columns-spanned="2" table:number-rows-spanned="3"><text:p>x</text:p></table:table-cell><table:covered-table-cell/></table:table-row>
<table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>
<table:table-row table:number-rows-repeated="4"><table:table-cell table:number-columns-repeated="3"/><table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>
</table:table>
<table:table table:name="Vuoto"><table:table-row><table:table-cell><draw:frame><table:table><table:table-row><table:table-cell office:value-type="string"/></table:table-row></table:table></draw:frame></table:table-cell></table:table-row></table:table>
</office:spreadsheet></office:body></office:document-content>"#;
        let sheets = scan_content(xml.as_bytes()).unwrap();
        let a = &sheets["A & B"];
        assert_eq!(
            a.rows,
            Some((2, 2)),
            "the repeats past the last row are capped"
        );
        assert_eq!(a.cols, Some((1, 1)), "a covered cell holds no value");
        assert_eq!(
            a.merges,
            vec![Dimensions {
                start: (2, 1),
                end: (4, 2)
            }]
        );
        assert_eq!(a.cells(), 1);
        // "x" once, then "1" on 4 repeated rows.
        assert_eq!(a.text, 1 + 4);
        // A cell with a drawing (elements inside) counts as content; the nested table not.
        let v = &sheets["Vuoto"];
        assert_eq!((v.rows, v.cols), (Some((0, 0)), Some((0, 0))));
    }
}
