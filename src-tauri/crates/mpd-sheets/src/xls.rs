//! A pass over the records of an `.xls` (BIFF8) before calamine loads it.
//!
//! calamine's `.xls` reader loads every sheet when it opens the workbook, each as the full
//! rectangle from its first to its last cell: one stray value in IV65536 makes a 16,777,216-cell
//! sheet (over 500 MB). This pass walks the `Workbook` stream's records (4-byte headers, no
//! decoding) and returns, for each sheet substream, the rectangle its cell records span, so the
//! caller can refuse the file first, as for `.ods`.

use std::io::Read;
use std::path::Path;

/// The rectangle spanned by a sheet's cells: (first row, last row, first col, last col).
pub type Span = (u32, u32, u32, u32);

fn u16_at(b: &[u8], i: usize) -> Option<u32> {
    b.get(i..i + 2)
        .map(|s| u32::from(u16::from_le_bytes([s[0], s[1]])))
}

/// The length of the `Workbook` stream (read whole by calamine and by [`scan`]), if the file
/// is an OLE container with one.
pub fn workbook_len(path: &Path) -> Option<u64> {
    let mut c = cfb::open(path).ok()?;
    let name = if c.exists("/Workbook") {
        "/Workbook"
    } else {
        "/Book"
    };
    c.open_stream(name).ok().map(|s| s.len())
}

/// Each worksheet's name (from `BoundSheet8`, in order) and span (`None` without cells).
/// `Err` when the file is not an OLE container with a workbook stream (calamine will say why).
pub fn scan(path: &Path) -> Result<Vec<(String, Option<Span>)>, String> {
    let mut c = cfb::open(path).map_err(|e| e.to_string())?;
    let name = if c.exists("/Workbook") {
        "/Workbook"
    } else {
        "/Book"
    };
    let mut stream = c.open_stream(name).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    stream
        .by_ref()
        .take(crate::guard::MAX_LOADED_PART_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    let spans = scan_stream(&bytes);
    let mut names = sheet_names(&bytes).into_iter();
    Ok(spans
        .into_iter()
        .enumerate()
        .map(|(i, s)| (names.next().unwrap_or_else(|| format!("{}", i + 1)), s))
        .collect())
}

/// Names of the worksheets in the globals' `BoundSheet8` records (8-bit or UTF-16 names).
fn sheet_names(bytes: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut at = 0usize;
    while let (Some(typ), Some(len)) = (u16_at(bytes, at), u16_at(bytes, at + 2)) {
        let data = &bytes[(at + 4).min(bytes.len())..(at + 4 + len as usize).min(bytes.len())];
        at += 4 + len as usize;
        match typ {
            0x0085 if data.len() >= 8 && data[5] == 0 => {
                let cch = data[6] as usize;
                let chars = &data[8..];
                let name = if data[7] & 1 == 1 {
                    let units: Vec<u16> = chars
                        .chunks_exact(2)
                        .take(cch)
                        .map(|c| u16::from_le_bytes([c[0], c[1]]))
                        .collect();
                    String::from_utf16_lossy(&units)
                } else {
                    chars.iter().take(cch).map(|&b| b as char).collect()
                };
                out.push(name);
            }
            // The globals end at their EOF.
            0x000A => break,
            _ => {}
        }
    }
    out
}

/// The pass over the bytes of a `Workbook` stream.
pub fn scan_stream(bytes: &[u8]) -> Vec<Option<Span>> {
    let mut out = Vec::new();
    let mut at = 0usize;
    // Depth of BOF/EOF nesting: 1 = the globals or a sheet, 2+ = a chart inside a sheet.
    let mut depth = 0usize;
    let mut in_sheet = false;
    let mut span: Option<Span> = None;
    while let (Some(typ), Some(len)) = (u16_at(bytes, at), u16_at(bytes, at + 2)) {
        let data = &bytes[(at + 4).min(bytes.len())..(at + 4 + len as usize).min(bytes.len())];
        at += 4 + len as usize;
        match typ {
            0x0809 => {
                depth += 1;
                // dt 0x0010: a worksheet substream.
                if depth == 1 && u16_at(data, 2) == Some(0x0010) {
                    in_sheet = true;
                    span = None;
                }
            }
            0x000A => {
                if depth == 1 && in_sheet {
                    out.push(span.take());
                    in_sheet = false;
                }
                depth = depth.saturating_sub(1);
            }
            // Number, Label, RString, BoolErr, Rk, LabelSst, Formula: row, col first.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006
                if depth == 1 && in_sheet =>
            {
                if let (Some(r), Some(c)) = (u16_at(data, 0), u16_at(data, 2)) {
                    widen(&mut span, r, c, c);
                }
            }
            // MulRk: row, first col, …, last col.
            0x00BD if depth == 1 && in_sheet && data.len() >= 6 => {
                if let (Some(r), Some(c0), Some(c1)) = (
                    u16_at(data, 0),
                    u16_at(data, 2),
                    u16_at(data, data.len() - 2),
                ) {
                    widen(&mut span, r, c0.min(c1), c0.max(c1));
                }
            }
            _ => {}
        }
    }
    out
}

fn widen(span: &mut Option<Span>, r: u32, c0: u32, c1: u32) {
    *span = Some(match *span {
        Some((r0, r1, a, b)) => (r0.min(r), r1.max(r), a.min(c0), b.max(c1)),
        None => (r, r, c0, c1),
    });
}

/// Cells of a span's rectangle.
pub fn cells(s: &Span) -> u64 {
    u64::from(s.1 - s.0 + 1) * u64::from(s.3 - s.2 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
        out.extend_from_slice(&typ.to_le_bytes());
        out.extend_from_slice(&(data.len() as u16).to_le_bytes());
        out.extend_from_slice(data);
    }

    #[test]
    fn spans_of_sheets_skip_globals_and_charts() {
        let mut b = Vec::new();
        rec(&mut b, 0x0809, &[0, 6, 5, 0]); // globals
        rec(&mut b, 0x000A, &[]);
        rec(&mut b, 0x0809, &[0, 6, 0x10, 0]); // sheet 1
        rec(&mut b, 0x0203, &[1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        rec(&mut b, 0x0809, &[0, 6, 0x20, 0]); // a chart inside: not counted
        rec(
            &mut b,
            0x0203,
            &[0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        );
        rec(&mut b, 0x000A, &[]);
        rec(
            &mut b,
            0x00BD,
            &[9, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0],
        );
        rec(&mut b, 0x000A, &[]);
        rec(&mut b, 0x0809, &[0, 6, 0x10, 0]); // sheet 2, empty
        rec(&mut b, 0x000A, &[]);
        let spans = scan_stream(&b);
        assert_eq!(spans, vec![Some((1, 9, 1, 4)), None]);
        assert_eq!(cells(&(1, 9, 1, 4)), 36);
        // Truncated: no panic, what was seen.
        assert_eq!(scan_stream(&b[..30]).len(), 0);
    }
}
