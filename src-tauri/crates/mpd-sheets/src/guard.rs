//! What a clerk's file may cost to read, checked before a library loads it (issue 17).
//!
//! A hostile file is small on disk and huge once read: a CSV without line breaks is one record
//! of gigabytes, a 1 MB `.xlsx` or `.ods` inflates to 1 GB, an `.xls` hides a gigabyte stream.
//! Each kind is refused before it costs memory, with [`SheetError::Unsafe`] (or
//! [`SheetError::RecordTooLarge`] for text), so that reading any file stays under 600 MB:
//!
//! * text: a record (a line, or several lines inside quotes) is at most [`MAX_RECORD_BYTES`],
//!   the tracciato reader's own line cap (`csv_text::read_rows`);
//! * `.xlsx` and `.ods` ([`check_zip`]): every entry goes through mpd-tracciato's flow-zip
//!   check (`flow_zip::check_entry`: encryption, method, declared size, compression ratio) and
//!   is then inflated once through its size-checked `EntryReader`, so a header that lies is
//!   caught on the bytes actually read. The entries calamine loads whole (shared strings,
//!   styles, workbook, relationships) may inflate to [`MAX_LOADED_PART_BYTES`], the ones read
//!   as a stream (worksheets, `content.xml`) to [`MAX_PART_BYTES`], all of them together to
//!   [`MAX_TOTAL_BYTES`]. In XML entries no text or tag may run for more than
//!   [`MAX_XML_RUN_BYTES`] between two `<` (the XML reader holds one such piece whole; a
//!   cell holds at most 32,767 characters), and worksheets may merge at most [`MAX_MERGES`]
//!   areas (calamine keeps every area of every sheet);
//! * `.ods`: the streaming pass of `ods` counts the text calamine will hold once repeats are
//!   expanded ([`MAX_ODS_TEXT_BYTES`]), beside the cell count;
//! * `.xls`: the `Workbook` stream, which calamine reads whole, is at most
//!   [`MAX_LOADED_PART_BYTES`].

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use mpd_tracciato::flow_zip::{EntryReader, ZipLimits, ZipReadError, check_entry};

use crate::SheetError;
use crate::source::Format;

/// Longest record of a text file, in bytes as read (the tracciato reader's line cap: a debt
/// list's row is a few KB).
pub const MAX_RECORD_BYTES: usize = mpd_tracciato::import::MAX_LINE_BYTES;
/// Most entries of an `.xlsx` or `.ods` (Excel writes about a dozen, plus a few per sheet).
pub const MAX_ENTRIES: usize = 1000;
/// Most bytes an entry read as a stream (a worksheet, `content.xml`) may inflate to.
pub const MAX_PART_BYTES: u64 = 2 * 1024 * 1024 * 1024;
/// Most bytes an entry loaded whole may inflate to (shared strings, styles, an `.xls` stream):
/// calamine keeps up to about 2.5 times as much in memory.
pub const MAX_LOADED_PART_BYTES: u64 = 100 * 1024 * 1024;
/// Most bytes all the entries of a workbook may inflate to together.
pub const MAX_TOTAL_BYTES: u64 = 4 * 1024 * 1024 * 1024;
/// Highest compression ratio of an entry over 1 MiB. Spreadsheet XML deflates better than a
/// flow's CSV (a million rows written by Excel or LibreOffice: 10–40×; a sheet of identical
/// rows about 100×), a zip bomb of zeros about 1000×.
pub const MAX_RATIO: u64 = 400;
/// Longest piece of XML between two `<` (a text or a tag).
pub const MAX_XML_RUN_BYTES: u64 = 4 * 1024 * 1024;
/// Most merged areas in a workbook.
pub const MAX_MERGES: u64 = 1_000_000;
/// Most text an `.ods` may hold once its repeated rows and columns are expanded.
pub const MAX_ODS_TEXT_BYTES: u64 = 128 * 1024 * 1024;

fn mib(bytes: u64) -> u64 {
    bytes / (1024 * 1024)
}

pub(crate) fn unsafe_file(path: &Path, detail: impl Into<String>) -> SheetError {
    SheetError::Unsafe {
        path: path.display().to_string(),
        detail: detail.into(),
    }
}

fn zip_error(path: &Path, e: ZipReadError) -> SheetError {
    match e {
        // A damaged archive is what calamine would report too.
        ZipReadError::Corrupt { detail } | ZipReadError::Io { detail } => SheetError::Corrupt {
            path: path.display().to_string(),
            detail,
        },
        other => unsafe_file(path, other.to_string()),
    }
}

/// The refusal of an archive with too many entries.
pub(crate) fn too_many_entries(path: &Path, found: usize) -> SheetError {
    zip_error(
        path,
        ZipReadError::TooManyEntries {
            found,
            max: MAX_ENTRIES,
        },
    )
}

/// Whether calamine reads this entry as a stream rather than loading it whole.
fn streamed(format: Format, name: &str) -> bool {
    match format {
        Format::Ods => name == "content.xml",
        _ => name.starts_with("xl/worksheets/") && name.ends_with(".xml"),
    }
}

/// Checks every entry of an `.xlsx` or `.ods` (see the module's doc), inflating each once.
pub(crate) fn check_zip(path: &Path, format: Format) -> Result<(), SheetError> {
    let f = File::open(path).map_err(|source| SheetError::Io {
        path: path.display().to_string(),
        source,
    })?;
    // Not a zip (an encrypted `.xlsx` is an OLE file): calamine says what it is.
    let Ok(mut zip) = zip::ZipArchive::new(BufReader::new(f)) else {
        return Ok(());
    };
    if zip.len() > MAX_ENTRIES {
        return Err(too_many_entries(path, zip.len()));
    }
    // Declared sizes first, all of them, so that nothing is inflated from an archive that
    // announces too much.
    let mut entries = Vec::with_capacity(zip.len());
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| SheetError::Corrupt {
            path: path.display().to_string(),
            detail: e.to_string(),
        })?;
        if entry.is_dir() {
            continue;
        }
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        let cap = if streamed(format, &name) {
            MAX_PART_BYTES
        } else {
            MAX_LOADED_PART_BYTES
        };
        let limits = ZipLimits {
            max_entries: MAX_ENTRIES,
            max_uncompressed_bytes: cap,
            max_ratio: MAX_RATIO,
        };
        let declared = match check_entry(&entry, &name, &limits) {
            Ok(d) => d,
            // An encrypted workbook is reported as such by calamine.
            Err(ZipReadError::Unsupported { .. }) => continue,
            Err(e) => return Err(zip_error(path, e)),
        };
        total = total.saturating_add(declared);
        if total > MAX_TOTAL_BYTES {
            return Err(unsafe_file(
                path,
                format!(
                    "una volta espanso occuperebbe più di {} MB",
                    mib(MAX_TOTAL_BYTES)
                ),
            ));
        }
        entries.push((i, name, declared, limits));
    }
    let mut merges: u64 = 0;
    for (i, name, declared, limits) in entries {
        let inner = zip.by_index(i).map_err(|e| SheetError::Corrupt {
            path: path.display().to_string(),
            detail: e.to_string(),
        })?;
        let reader = EntryReader::new(inner, &name, declared, &limits);
        let xml = name.ends_with(".xml") || name.ends_with(".rels");
        let pass = match scan_entry(reader, xml, format == Format::Xlsx) {
            Ok(pass) => pass,
            Err(ScanError::LongRun) => {
                return Err(unsafe_file(
                    path,
                    format!(
                        "la parte «{name}» contiene un testo di oltre {} MB senza interruzioni \
                         (una cella ne contiene al massimo 32.767 caratteri)",
                        mib(MAX_XML_RUN_BYTES)
                    ),
                ));
            }
            Err(ScanError::Io(e)) => {
                return Err(match ZipReadError::from_io(&e) {
                    Some(z) => zip_error(path, z),
                    None => SheetError::Corrupt {
                        path: path.display().to_string(),
                        detail: e.to_string(),
                    },
                });
            }
        };
        merges += pass.merges;
        if merges > MAX_MERGES {
            return Err(too_many_merges(path));
        }
    }
    Ok(())
}

pub(crate) fn too_many_merges(path: &Path) -> SheetError {
    unsafe_file(
        path,
        format!(
            "contiene più di {} zone di celle unite",
            mpd_domain::testo::numero(MAX_MERGES)
        ),
    )
}

/// Why inflating an entry stopped.
#[derive(Debug)]
enum ScanError {
    /// The entry's bytes (a size-checked read carries a [`ZipReadError`]).
    Io(io::Error),
    /// A piece of XML longer than [`MAX_XML_RUN_BYTES`].
    LongRun,
}

/// What inflating one entry found.
#[derive(Debug, Default)]
struct EntryPass {
    merges: u64,
}

/// Reads an entry to its end; in XML, refuses a piece longer than [`MAX_XML_RUN_BYTES`] between
/// two `<` and counts `mergeCell` elements (any prefix) when asked.
fn scan_entry(mut r: impl Read, xml: bool, count_merges: bool) -> Result<EntryPass, ScanError> {
    // Bytes kept at the end of the buffer to look at the name after a `<` split by a read.
    const LOOK: usize = 32;
    let mut pass = EntryPass::default();
    let mut buf = vec![0u8; 1 << 16];
    let mut len = 0usize;
    let mut run: u64 = 0;
    loop {
        let n = match r.read(&mut buf[len..]) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(ScanError::Io(e)),
        };
        let eof = n == 0;
        len += n;
        if !xml {
            len = 0;
            if eof {
                return Ok(pass);
            }
            continue;
        }
        let end = if eof { len } else { len.saturating_sub(LOOK) };
        let mut start = 0usize;
        for p in memchr::memchr_iter(b'<', &buf[..end]) {
            run += (p - start) as u64;
            if run > MAX_XML_RUN_BYTES {
                return Err(ScanError::LongRun);
            }
            run = 0;
            start = p + 1;
            if count_merges && is_merge_cell(&buf[p + 1..len]) {
                pass.merges += 1;
            }
        }
        run += (end - start) as u64;
        if run > MAX_XML_RUN_BYTES {
            return Err(ScanError::LongRun);
        }
        if eof {
            return Ok(pass);
        }
        buf.copy_within(end..len, 0);
        len -= end;
    }
}

/// Whether the bytes after a `<` name a `mergeCell` element (`<mergeCell …`, `<x:mergeCell …`).
fn is_merge_cell(after: &[u8]) -> bool {
    let name_end = after
        .iter()
        .position(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'>'))
        .unwrap_or(after.len());
    let name = &after[..name_end];
    let local = match name.iter().position(|&b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    };
    local == b"mergeCell"
}

/// Refuses an `.xls` whose `Workbook` stream (read whole by calamine) is too large.
pub(crate) fn check_xls_stream(path: &Path, len: u64) -> Result<(), SheetError> {
    if len > MAX_LOADED_PART_BYTES {
        return Err(unsafe_file(
            path,
            format!(
                "il suo contenuto (il flusso «Workbook») occupa {} MB, oltre il massimo di {} MB",
                mib(len),
                mib(MAX_LOADED_PART_BYTES)
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_and_merges_are_found_across_reads() {
        // One byte per read: every `<` and name is split from what follows.
        struct Drip<'a>(&'a [u8]);
        impl Read for Drip<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let xml = b"<worksheet><mergeCells count=\"2\"><mergeCell ref=\"A1:B1\"/><x:mergeCell ref=\"A2:B2\"/></mergeCells><mergeCellz/></worksheet>";
        assert_eq!(scan_entry(Drip(xml), true, true).unwrap().merges, 2);
        assert_eq!(scan_entry(&xml[..], true, true).unwrap().merges, 2);
        let mut long = b"<t>".to_vec();
        long.resize(MAX_XML_RUN_BYTES as usize + 10, b'a');
        long.extend_from_slice(b"</t>");
        assert!(matches!(
            scan_entry(&long[..], true, false),
            Err(ScanError::LongRun)
        ));
        // The same bytes in a picture are not XML.
        assert!(scan_entry(&long[..], false, false).is_ok());
    }
}
