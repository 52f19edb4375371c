//! Flow zips: writing one, cutting many rows into zips that fit the upload, reading one safely.
//!
//! Layout (spec §4.1, §4.9): `<nome>.zip` holds exactly one deflated entry `<nome>.csv`. MyPay
//! tolerates other entries only if their names start with `<nome>.`; it opens `<nome>.csv`
//! (lower-case extension). Result files (`<nome>_SCARTI.zip`, `<nome>_IUV.zip`) follow the same
//! single-entry rule, so [`FlowZipReader`] reads them too.
//!
//! Upload limit (§3.1): Spring's `max-file-size=10MB` / `max-request-size=10MB` are `DataSize`
//! values, and Spring's `MB` is binary: 10 × 1024 × 1024 = 10 485 760 bytes. The request limit
//! also counts the multipart envelope (boundary, part headers, the `authorizationToken` field),
//! so [`DEFAULT_MAX_ZIP_BYTES`] keeps a 64 KiB margin below it.
//!
//! Safe reading: entry count, declared size, actual inflated size and compression ratio are all
//! capped ([`ZipLimits`]); names that escape the folder (`../x.csv`, `/x.csv`, `C:\x`) or contain a
//! path separator are refused; truncated or corrupt archives give [`ZipReadError`], never a panic.

use std::borrow::Borrow;
use std::fs::File;
use std::io::{self, BufReader, Cursor, Read, Seek, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, mpsc};

use mpd_domain::{RawRow, Version};
use thiserror::Error;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use crate::flow_name::{FlowName, FlowNameError};
use crate::import::{ImportWriteError, encode_row};

/// MyPay's upload limit: Spring `10MB` = 10 MiB.
pub const UPLOAD_LIMIT_BYTES: u64 = 10 * 1024 * 1024;
/// Room left for the multipart envelope of the upload request.
pub const MULTIPART_MARGIN_BYTES: u64 = 64 * 1024;
/// Default cap for one zip built by [`build_flows`].
pub const DEFAULT_MAX_ZIP_BYTES: u64 = UPLOAD_LIMIT_BYTES - MULTIPART_MARGIN_BYTES;
/// Default deflate level.
pub const DEFAULT_LEVEL: i64 = 6;

// ---------------------------------------------------------------------------------------------
// Writing

/// Errors while writing zips.
#[derive(Debug, Error)]
pub enum FlowZipError {
    #[error("nome del flusso non valido: {0}")]
    Name(#[from] FlowNameError),
    #[error("non c'è nessun dovuto da inviare")]
    NoRows,
    #[error(transparent)]
    Row(#[from] ImportWriteError),
    /// A single row compresses to more than the limit (cannot happen with MyPay's field limits).
    #[error("la riga {row} da sola supera la dimensione massima di un file ({max} byte)")]
    RowTooLarge { row: usize, max: u64 },
    #[error("errore nella creazione dello zip: {0}")]
    Zip(String),
    #[error("errore di scrittura del file «{}»: {source}", .path.display())]
    Io { path: PathBuf, source: io::Error },
}

fn zip_err(e: zip::result::ZipError) -> FlowZipError {
    FlowZipError::Zip(e.to_string())
}

fn options(level: i64) -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(level.clamp(0, 9)))
}

/// Writes a zip with one deflated entry.
pub fn write_single_entry_zip<W: Write + Seek>(
    out: W,
    entry_name: &str,
    data: &[u8],
    level: i64,
) -> Result<W, FlowZipError> {
    let mut zip = ZipWriter::new(out);
    zip.start_file(entry_name, options(level))
        .map_err(zip_err)?;
    zip.write_all(data)
        .map_err(|e| FlowZipError::Zip(e.to_string()))?;
    zip.finish().map_err(zip_err)
}

/// Writes `<name>.zip` content holding `<name>.csv` = `csv`.
pub fn write_flow_zip<W: Write + Seek>(
    out: W,
    name: &FlowName,
    csv: &[u8],
    level: i64,
) -> Result<W, FlowZipError> {
    write_single_entry_zip(out, &name.csv_name(), csv, level)
}

/// Writes `<dir>/<name>.zip` and returns its path.
pub fn write_flow_zip_file(
    dir: &Path,
    name: &FlowName,
    csv: &[u8],
    level: i64,
) -> Result<PathBuf, FlowZipError> {
    let path = dir.join(name.zip_name());
    let file = File::create(&path).map_err(|source| FlowZipError::Io {
        path: path.clone(),
        source,
    })?;
    write_flow_zip(file, name, csv, level)?;
    Ok(path)
}

/// Tuning of [`build_flows`].
#[derive(Clone, Debug)]
pub struct BuildOptions {
    /// No zip may be larger than this (default [`DEFAULT_MAX_ZIP_BYTES`]).
    pub max_zip_bytes: u64,
    /// CSV bytes per part before compression (default 40 MB: CSV deflates ~5×).
    pub target_csv_bytes: usize,
    /// Deflate level 0–9 (default 6).
    pub level: i64,
    /// Compression threads (default 2).
    pub threads: usize,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            max_zip_bytes: DEFAULT_MAX_ZIP_BYTES,
            target_csv_bytes: 40_000_000,
            level: DEFAULT_LEVEL,
            threads: 2,
        }
    }
}

/// One zip written by [`build_flows`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuiltFlow {
    pub path: PathBuf,
    pub name: FlowName,
    /// Indices (0-based, into the input rows) of the rows this zip carries.
    pub rows: Range<usize>,
    /// Size of the zip file.
    pub compressed_bytes: u64,
    /// Size of the CSV inside (header included).
    pub uncompressed_bytes: u64,
}

struct Chunk {
    first_row: usize,
    header_len: usize,
    csv: Vec<u8>,
    /// End offset in `csv` of each row's line.
    row_ends: Vec<usize>,
}

struct Part {
    rows: Range<usize>,
    zip: Vec<u8>,
    csv_len: u64,
}

/// Bytes a zip may grow when its entry gets its final name (`P100` is one char longer than `P00`).
const NAME_SLACK: u64 = 64;

/// Writes `rows` as one or more flows into `out_dir`, so that no zip exceeds
/// `opts.max_zip_bytes`. One zip ⇒ `<codIpa>-<iuf_base>-<v>.zip`; more ⇒ IUF `<iuf_base>P01`,
/// `P02`…, in row order. Parts are compressed on `opts.threads` threads. Existing files with the
/// same names are overwritten.
pub fn build_flows<I>(
    out_dir: &Path,
    codice_ipa: &str,
    iuf_base: &str,
    version: Version,
    rows: I,
    opts: &BuildOptions,
) -> Result<Vec<BuiltFlow>, FlowZipError>
where
    I: IntoIterator,
    I::Item: Borrow<RawRow>,
{
    FlowName::new(codice_ipa, iuf_base, version)?;
    let temp_name = format!("{codice_ipa}-{iuf_base}P00-{}.csv", version.as_str());
    let header = format!("{}\n", version.header()).into_bytes();
    let mut target = opts.target_csv_bytes.max(1);
    // Learn the compression ratio on the first ~1 MB of CSV, so that parts fit at the first try.
    let mut sampled = false;
    const SAMPLE_BYTES: usize = 1 << 20;
    let stop = AtomicBool::new(false);
    let parts: Mutex<Vec<Part>> = Mutex::new(Vec::new());
    let worker_error: Mutex<Option<FlowZipError>> = Mutex::new(None);
    let mut producer_error: Option<FlowZipError> = None;
    let mut total_rows = 0usize;

    let (tx, rx) = mpsc::sync_channel::<Chunk>(opts.threads.max(1));
    let rx = Mutex::new(rx);
    std::thread::scope(|scope| {
        for _ in 0..opts.threads.max(1) {
            scope.spawn(|| {
                loop {
                    let next = match rx.lock() {
                        Ok(guard) => guard.recv(),
                        Err(_) => break,
                    };
                    let Ok(chunk) = next else { break };
                    if stop.load(Ordering::Relaxed) {
                        continue;
                    }
                    match compress_chunk(chunk, &temp_name, opts) {
                        Ok(mut done) => {
                            if let Ok(mut p) = parts.lock() {
                                p.append(&mut done);
                            }
                        }
                        Err(e) => {
                            stop.store(true, Ordering::Relaxed);
                            if let Ok(mut slot) = worker_error.lock() {
                                slot.get_or_insert(e);
                            }
                        }
                    }
                }
            });
        }
        let new_chunk = |first_row, capacity: usize| {
            let mut csv = Vec::with_capacity(capacity + 64 * 1024);
            csv.extend_from_slice(&header);
            Chunk {
                first_row,
                header_len: header.len(),
                csv,
                row_ends: Vec::new(),
            }
        };
        let mut chunk = new_chunk(0, target);
        for (i, row) in rows.into_iter().enumerate() {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            if let Err(e) = encode_row(version, row.borrow(), i + 1, &mut chunk.csv) {
                producer_error = Some(e.into());
                stop.store(true, Ordering::Relaxed);
                break;
            }
            chunk.row_ends.push(chunk.csv.len());
            total_rows = i + 1;
            if !sampled && chunk.first_row == 0 && chunk.csv.len() >= SAMPLE_BYTES {
                sampled = true;
                if let Ok(z) = write_single_entry_zip(
                    Cursor::new(Vec::new()),
                    &temp_name,
                    &chunk.csv,
                    opts.level,
                ) {
                    let ratio = chunk.csv.len() as f64 / z.into_inner().len().max(1) as f64;
                    let fitting = (opts.max_zip_bytes as f64 * ratio * 0.85) as usize;
                    target = target.min(fitting.max(SAMPLE_BYTES));
                }
            }
            if chunk.csv.len() >= target {
                let full = std::mem::replace(&mut chunk, new_chunk(i + 1, target));
                if tx.send(full).is_err() {
                    break;
                }
            }
        }
        if !chunk.row_ends.is_empty() && producer_error.is_none() {
            let _ = tx.send(chunk);
        }
        drop(tx);
    });

    if let Some(e) = producer_error {
        return Err(e);
    }
    if let Some(e) = worker_error.into_inner().ok().flatten() {
        return Err(e);
    }
    if total_rows == 0 {
        return Err(FlowZipError::NoRows);
    }
    let mut parts = parts
        .into_inner()
        .map_err(|_| FlowZipError::Zip("thread di compressione interrotto".into()))?;
    parts.sort_by_key(|p| p.rows.start);

    let names: Vec<FlowName> = if parts.len() == 1 {
        vec![FlowName::new(codice_ipa, iuf_base, version)?]
    } else {
        (1..=parts.len())
            .map(|n| FlowName::new(codice_ipa, &format!("{iuf_base}P{n:02}"), version))
            .collect::<Result<_, _>>()?
    };
    let mut built = Vec::with_capacity(parts.len());
    for (part, name) in parts.into_iter().zip(names) {
        let path = out_dir.join(name.zip_name());
        let io_err = |source| FlowZipError::Io {
            path: path.clone(),
            source,
        };
        let mut archive = ZipArchive::new(Cursor::new(&part.zip)).map_err(zip_err)?;
        let entry = archive.by_index_raw(0).map_err(zip_err)?;
        let file = File::create(&path).map_err(io_err)?;
        let mut writer = ZipWriter::new(file);
        writer
            .raw_copy_file_rename(entry, name.csv_name())
            .map_err(zip_err)?;
        let mut file = writer.finish().map_err(zip_err)?;
        file.flush().map_err(io_err)?;
        let compressed_bytes = file.stream_position().map_err(io_err)?;
        built.push(BuiltFlow {
            path,
            name,
            rows: part.rows,
            compressed_bytes,
            uncompressed_bytes: part.csv_len,
        });
    }
    Ok(built)
}

fn compress_chunk(
    chunk: Chunk,
    entry_name: &str,
    opts: &BuildOptions,
) -> Result<Vec<Part>, FlowZipError> {
    let n = chunk.row_ends.len();
    let zip = write_single_entry_zip(Cursor::new(Vec::new()), entry_name, &chunk.csv, opts.level)?
        .into_inner();
    if zip.len() as u64 + NAME_SLACK <= opts.max_zip_bytes {
        let rows = chunk.first_row..chunk.first_row + n;
        return Ok(vec![Part {
            rows,
            zip,
            csv_len: chunk.csv.len() as u64,
        }]);
    }
    if n <= 1 {
        return Err(FlowZipError::RowTooLarge {
            row: chunk.first_row + 1,
            max: opts.max_zip_bytes,
        });
    }
    // Too big: cut into enough pieces (with 15% headroom) and try again.
    let ratio = zip.len() as f64 / opts.max_zip_bytes.max(1) as f64;
    let pieces = ((ratio * 1.15).ceil() as usize).clamp(2, n);
    let per = n.div_ceil(pieces);
    let header = &chunk.csv[..chunk.header_len];
    let mut out = Vec::new();
    let mut start = 0;
    while start < n {
        let end = (start + per).min(n);
        let from = if start == 0 {
            chunk.header_len
        } else {
            chunk.row_ends[start - 1]
        };
        let to = chunk.row_ends[end - 1];
        let mut csv = Vec::with_capacity(header.len() + to - from);
        csv.extend_from_slice(header);
        csv.extend_from_slice(&chunk.csv[from..to]);
        let row_ends = chunk.row_ends[start..end]
            .iter()
            .map(|e| e - from + header.len())
            .collect();
        let sub = Chunk {
            first_row: chunk.first_row + start,
            header_len: header.len(),
            csv,
            row_ends,
        };
        out.extend(compress_chunk(sub, entry_name, opts)?);
        start = end;
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Safe reading

/// Caps applied by [`FlowZipReader`].
#[derive(Clone, Debug)]
pub struct ZipLimits {
    /// Most entries an archive may have (default 16).
    pub max_entries: usize,
    /// Most bytes the CSV may inflate to, declared or actual (default 2 GiB).
    pub max_uncompressed_bytes: u64,
    /// Highest uncompressed/compressed ratio accepted for entries over 1 MiB (default 250;
    /// real CSV deflates 5–20×, a zip bomb of zeros ~1000×).
    pub max_ratio: u64,
}

impl Default for ZipLimits {
    fn default() -> Self {
        ZipLimits {
            max_entries: 16,
            max_uncompressed_bytes: 2 * 1024 * 1024 * 1024,
            max_ratio: 250,
        }
    }
}

/// Problems found while opening or reading a zip. Messages are for the clerk.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ZipReadError {
    #[error("il nome del file «{name}» non termina con .zip")]
    NotZipName { name: String },
    #[error("il file zip è danneggiato o incompleto: {detail}")]
    Corrupt { detail: String },
    #[error("lo zip contiene {found} file, il massimo accettato è {max}")]
    TooManyEntries { found: usize, max: usize },
    #[error("lo zip contiene un file con un percorso non ammesso: «{name}»")]
    UnsafeName { name: String },
    #[error("il file contenuto «{name}» deve avere lo stesso nome dello zip ({expected_prefix}…)")]
    UnexpectedEntry {
        name: String,
        expected_prefix: String,
    },
    #[error("lo zip non contiene il file «{expected}»")]
    MissingEntry { expected: String },
    #[error("il file «{name}» è protetto da password o usa una compressione non supportata")]
    Unsupported { name: String },
    #[error("il file «{name}» dichiara {declared} byte, oltre il massimo di {max}")]
    TooLarge {
        name: String,
        declared: u64,
        max: u64,
    },
    #[error(
        "il file «{name}» è compresso in modo anomalo (rapporto {ratio}:1, massimo {max}:1): possibile zip bomb"
    )]
    SuspiciousRatio { name: String, ratio: u64, max: u64 },
    #[error(
        "il file «{name}» si espande oltre la dimensione dichiarata ({declared} byte): possibile zip bomb"
    )]
    InflatesBeyondDeclared { name: String, declared: u64 },
    #[error("il file «{name}» è troncato: {actual} byte letti su {declared} dichiarati")]
    Truncated {
        name: String,
        actual: u64,
        declared: u64,
    },
    #[error("errore di lettura: {detail}")]
    Io { detail: String },
}

impl ZipReadError {
    /// Recovers a `ZipReadError` carried inside an `io::Error` by [`EntryReader`].
    pub fn from_io(e: &io::Error) -> Option<ZipReadError> {
        e.get_ref()
            .and_then(|inner| inner.downcast_ref::<ZipReadError>())
            .cloned()
    }
}

fn corrupt(e: zip::result::ZipError) -> ZipReadError {
    match e {
        zip::result::ZipError::Io(io) => ZipReadError::Corrupt {
            detail: io.to_string(),
        },
        other => ZipReadError::Corrupt {
            detail: other.to_string(),
        },
    }
}

/// A checked single-entry zip (flow, `_SCARTI`, `_IUV`, export): open it, then stream the CSV.
pub struct FlowZipReader<R: Read + Seek> {
    archive: ZipArchive<R>,
    index: usize,
    entry_name: String,
    declared: u64,
    limits: ZipLimits,
}

impl FlowZipReader<BufReader<File>> {
    /// Opens a zip file; the expected entry is derived from the file name.
    pub fn open_path(path: &Path, limits: &ZipLimits) -> Result<Self, ZipReadError> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let file = File::open(path).map_err(|e| ZipReadError::Io {
            detail: format!("{}: {e}", path.display()),
        })?;
        FlowZipReader::open(BufReader::new(file), &name, limits)
    }
}

impl<R: Read + Seek> FlowZipReader<R> {
    /// Checks the archive: `zip_file_name` (`<nome>.zip`) fixes the expected entry `<nome>.csv`;
    /// every entry must start with `<nome>.` and have a safe name.
    pub fn open(reader: R, zip_file_name: &str, limits: &ZipLimits) -> Result<Self, ZipReadError> {
        let stem = zip_file_name
            .strip_suffix(".zip")
            .or_else(|| zip_file_name.strip_suffix(".ZIP"))
            .ok_or_else(|| ZipReadError::NotZipName {
                name: zip_file_name.to_string(),
            })?;
        let prefix = format!("{stem}.");
        let expected = format!("{stem}.csv");
        let mut archive = ZipArchive::new(reader).map_err(corrupt)?;
        if archive.len() > limits.max_entries {
            return Err(ZipReadError::TooManyEntries {
                found: archive.len(),
                max: limits.max_entries,
            });
        }
        let mut found = None;
        for i in 0..archive.len() {
            let entry = archive.by_index_raw(i).map_err(corrupt)?;
            let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
            if entry.enclosed_name().is_none() || name.contains(['/', '\\']) || name.contains(':') {
                return Err(ZipReadError::UnsafeName { name });
            }
            if !name.starts_with(&prefix) {
                return Err(ZipReadError::UnexpectedEntry {
                    name,
                    expected_prefix: prefix,
                });
            }
            if name == expected {
                if entry.encrypted()
                    || entry.compression() != CompressionMethod::Deflated
                        && entry.compression() != CompressionMethod::Stored
                {
                    return Err(ZipReadError::Unsupported { name });
                }
                let declared = entry.size();
                if declared > limits.max_uncompressed_bytes {
                    return Err(ZipReadError::TooLarge {
                        name,
                        declared,
                        max: limits.max_uncompressed_bytes,
                    });
                }
                let ratio = declared / entry.compressed_size().max(1);
                if declared > 1024 * 1024 && ratio > limits.max_ratio {
                    return Err(ZipReadError::SuspiciousRatio {
                        name,
                        ratio,
                        max: limits.max_ratio,
                    });
                }
                found = Some((i, declared));
            }
        }
        let (index, declared) = found.ok_or(ZipReadError::MissingEntry {
            expected: expected.clone(),
        })?;
        Ok(FlowZipReader {
            archive,
            index,
            entry_name: expected,
            declared,
            limits: limits.clone(),
        })
    }

    /// `<nome>.csv`.
    pub fn entry_name(&self) -> &str {
        &self.entry_name
    }

    /// Uncompressed size declared by the archive.
    pub fn declared_size(&self) -> u64 {
        self.declared
    }

    /// Streams the CSV. Read errors carry a [`ZipReadError`] (see [`ZipReadError::from_io`]).
    pub fn csv(&mut self) -> Result<EntryReader<'_, R>, ZipReadError> {
        let inner = self.archive.by_index(self.index).map_err(corrupt)?;
        Ok(EntryReader {
            inner,
            name: self.entry_name.clone(),
            read: 0,
            declared: self.declared,
            max: self.limits.max_uncompressed_bytes,
        })
    }
}

/// Streaming, size-checked reader of the CSV entry.
pub struct EntryReader<'a, R: Read> {
    inner: zip::read::ZipFile<'a, R>,
    name: String,
    read: u64,
    declared: u64,
    max: u64,
}

impl<R: Read> Read for EntryReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = match self.inner.read(buf) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => return Err(e),
            Err(e) => {
                if ZipReadError::from_io(&e).is_some() {
                    return Err(e);
                }
                let err = if self.read >= self.declared {
                    ZipReadError::InflatesBeyondDeclared {
                        name: self.name.clone(),
                        declared: self.declared,
                    }
                } else {
                    ZipReadError::Corrupt {
                        detail: e.to_string(),
                    }
                };
                return Err(io::Error::new(io::ErrorKind::InvalidData, err));
            }
        };
        self.read += n as u64;
        if self.read > self.declared || self.read > self.max {
            let err = ZipReadError::InflatesBeyondDeclared {
                name: self.name.clone(),
                declared: self.declared,
            };
            return Err(io::Error::new(io::ErrorKind::InvalidData, err));
        }
        if n == 0 && !buf.is_empty() && self.read < self.declared {
            let err = ZipReadError::Truncated {
                name: self.name.clone(),
                actual: self.read,
                declared: self.declared,
            };
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, err));
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::ImportReader;
    use mpd_domain::Column;

    fn rows(n: usize, version: Version) -> Vec<RawRow> {
        (0..n)
            .map(|i| {
                let mut r = RawRow::default();
                for c in version.columns() {
                    r.set(
                        *c,
                        format!(
                            "{}{}",
                            &c.name()[..3],
                            (i * 7919 + *c as usize * 104729) % 1_000_003
                        ),
                    );
                }
                r.set(Column::Azione, "I");
                r
            })
            .collect()
    }

    fn read_csv(path: &Path, limits: &ZipLimits) -> Result<Vec<u8>, ZipReadError> {
        let mut z = FlowZipReader::open_path(path, limits)?;
        let mut out = Vec::new();
        z.csv()?.read_to_end(&mut out).map_err(|e| {
            ZipReadError::from_io(&e).unwrap_or(ZipReadError::Io {
                detail: e.to_string(),
            })
        })?;
        Ok(out)
    }

    #[test]
    fn single_flow_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let v = Version::V1_2;
        let input = rows(100, v);
        let built = build_flows(
            dir.path(),
            "c_x123",
            "TARI2026",
            v,
            &input,
            &BuildOptions::default(),
        )
        .unwrap();
        assert_eq!(built.len(), 1);
        let b = &built[0];
        assert_eq!(b.name.zip_name(), "c_x123-TARI2026-1_2.zip");
        assert_eq!(b.rows, 0..100);
        assert_eq!(
            std::fs::metadata(&b.path).unwrap().len(),
            b.compressed_bytes
        );
        let csv = read_csv(&b.path, &ZipLimits::default()).unwrap();
        assert_eq!(csv.len() as u64, b.uncompressed_bytes);
        let back: Vec<RawRow> = ImportReader::new(&csv[..], v)
            .unwrap()
            .map(|r| r.unwrap().fields.unwrap())
            .collect();
        assert_eq!(back, input);
    }

    #[test]
    fn splits_into_parts_under_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let v = Version::V1_4;
        let input = rows(3000, v);
        // Tiny limits force both the CSV cut and the re-split of a too-large compressed part.
        let opts = BuildOptions {
            max_zip_bytes: 40_000,
            target_csv_bytes: 400_000,
            level: 6,
            threads: 2,
        };
        let built = build_flows(dir.path(), "c_x123", "TARI2026", v, &input, &opts).unwrap();
        assert!(built.len() > 2, "{}", built.len());
        let mut next = 0;
        let mut all = Vec::new();
        for (i, b) in built.iter().enumerate() {
            assert_eq!(b.name.iuf, format!("TARI2026P{:02}", i + 1));
            assert!(b.compressed_bytes <= opts.max_zip_bytes);
            assert_eq!(b.rows.start, next);
            next = b.rows.end;
            let csv = read_csv(&b.path, &ZipLimits::default()).unwrap();
            let r = ImportReader::new(&csv[..], v).unwrap();
            assert_eq!(r.header(), v.header());
            all.extend(r.map(|x| x.unwrap().fields.unwrap()));
        }
        assert_eq!(next, input.len());
        assert_eq!(all, input);
    }

    /// Throughput check; size from `MPD_PERF_BUILD_ROWS` (default small so the suite stays fast).
    #[test]
    fn perf_build() {
        let n: usize = std::env::var("MPD_PERF_BUILD_ROWS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(2_000);
        let v = Version::V1_3;
        let input = rows(n, v);
        let dir = tempfile::tempdir().unwrap();
        let t = std::time::Instant::now();
        let built = build_flows(
            dir.path(),
            "c_x123",
            "TARI2026",
            v,
            &input,
            &BuildOptions::default(),
        )
        .unwrap();
        let csv: u64 = built.iter().map(|b| b.uncompressed_bytes).sum();
        eprintln!(
            "build_flows: {n} rows, {} MB CSV, {} zips in {:?}",
            csv / 1_000_000,
            built.len(),
            t.elapsed()
        );
        assert!(
            built
                .iter()
                .all(|b| b.compressed_bytes <= DEFAULT_MAX_ZIP_BYTES)
        );
    }

    #[test]
    fn build_errors() {
        let dir = tempfile::tempdir().unwrap();
        let none: Vec<RawRow> = Vec::new();
        assert!(matches!(
            build_flows(
                dir.path(),
                "A",
                "B",
                Version::V1_0,
                &none,
                &BuildOptions::default()
            ),
            Err(FlowZipError::NoRows)
        ));
        assert!(matches!(
            build_flows(
                dir.path(),
                "A",
                "B-C",
                Version::V1_0,
                &none,
                &BuildOptions::default()
            ),
            Err(FlowZipError::Name(_))
        ));
        let mut bad = rows(3, Version::V1_0);
        bad[1].set(Column::CausaleVersamento, "a\nb");
        let e = build_flows(
            dir.path(),
            "A",
            "B",
            Version::V1_0,
            &bad,
            &BuildOptions::default(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("riga 2"), "{e}");
    }

    fn zip_with(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in entries {
            w.start_file(*name, options(6)).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn open(bytes: Vec<u8>, name: &str, limits: &ZipLimits) -> Result<Vec<u8>, ZipReadError> {
        let mut z = FlowZipReader::open(Cursor::new(bytes), name, limits)?;
        let mut out = Vec::new();
        z.csv()?.read_to_end(&mut out).map_err(|e| {
            ZipReadError::from_io(&e).unwrap_or(ZipReadError::Io {
                detail: e.to_string(),
            })
        })?;
        Ok(out)
    }

    #[test]
    fn entry_rules() {
        let l = ZipLimits::default();
        assert_eq!(
            open(zip_with(&[("A-B-1_0.csv", b"h\n")]), "A-B-1_0.zip", &l).unwrap(),
            b"h\n"
        );
        // Tolerated companion entry, as MyPay does.
        assert!(
            open(
                zip_with(&[("A-B-1_0.txt", b"x"), ("A-B-1_0.csv", b"h\n")]),
                "A-B-1_0.zip",
                &l
            )
            .is_ok()
        );
        assert!(matches!(
            open(zip_with(&[("other.csv", b"h\n")]), "A-B-1_0.zip", &l),
            Err(ZipReadError::UnexpectedEntry { .. })
        ));
        assert!(matches!(
            open(zip_with(&[("A-B-1_0.CSV", b"h\n")]), "A-B-1_0.zip", &l),
            Err(ZipReadError::MissingEntry { .. })
        ));
        assert!(matches!(
            open(zip_with(&[("../x.csv", b"h\n")]), "A-B-1_0.zip", &l),
            Err(ZipReadError::UnsafeName { .. })
        ));
        assert!(matches!(
            open(
                zip_with(&[("A-B-1_0./../../x.csv", b"h\n")]),
                "A-B-1_0.zip",
                &l
            ),
            Err(ZipReadError::UnsafeName { .. })
        ));
        assert!(matches!(
            open(zip_with(&[]), "A-B-1_0.zip", &l),
            Err(ZipReadError::MissingEntry { .. })
        ));
        assert!(matches!(
            open(zip_with(&[("A-B-1_0.csv", b"h")]), "A-B-1_0.rar", &l),
            Err(ZipReadError::NotZipName { .. })
        ));
        let many: Vec<(String, Vec<u8>)> =
            (0..20).map(|i| (format!("A-B-1_0.{i}"), vec![])).collect();
        let refs: Vec<(&str, &[u8])> = many
            .iter()
            .map(|(n, d)| (n.as_str(), d.as_slice()))
            .collect();
        assert!(matches!(
            open(zip_with(&refs), "A-B-1_0.zip", &l),
            Err(ZipReadError::TooManyEntries { found: 20, .. })
        ));
    }

    #[test]
    fn truncated_and_garbage() {
        let l = ZipLimits::default();
        let data: Vec<u8> = (0..200_000u32).flat_map(|i| i.to_le_bytes()).collect();
        let full = zip_with(&[("A-B-1_0.csv", &data)]);
        for cut in [0, 10, 100, full.len() / 2, full.len() - 30] {
            let e = open(full[..cut].to_vec(), "A-B-1_0.zip", &l).unwrap_err();
            assert!(!e.to_string().is_empty());
        }
        assert!(matches!(
            open(b"not a zip at all".to_vec(), "A-B-1_0.zip", &l),
            Err(ZipReadError::Corrupt { .. })
        ));
        // Corrupt the compressed data in the middle, keep the directory: reading must fail cleanly.
        let mut broken = full.clone();
        let mid = broken.len() / 2;
        for b in &mut broken[mid..mid + 64] {
            *b ^= 0x5a;
        }
        assert!(open(broken, "A-B-1_0.zip", &l).is_err());
    }

    /// Patches the declared uncompressed size in the local and central headers.
    fn patch_declared_size(zip: &mut [u8], size: u32) {
        let b = size.to_le_bytes();
        zip[22..26].copy_from_slice(&b);
        let cd = zip
            .windows(4)
            .rposition(|w| w == [0x50, 0x4b, 0x01, 0x02])
            .unwrap();
        zip[cd + 24..cd + 28].copy_from_slice(&b);
    }

    #[test]
    fn zip_bombs() {
        let zeros = vec![0u8; 4 * 1024 * 1024];
        let bomb = zip_with(&[("A-B-1_0.csv", &zeros)]);
        // Honest declaration, ratio ~1000:1.
        assert!(matches!(
            open(bomb.clone(), "A-B-1_0.zip", &ZipLimits::default()),
            Err(ZipReadError::SuspiciousRatio { .. })
        ));
        // Declared size over the cap.
        let small = ZipLimits {
            max_uncompressed_bytes: 1024 * 1024,
            ..ZipLimits::default()
        };
        assert!(matches!(
            open(bomb.clone(), "A-B-1_0.zip", &small),
            Err(ZipReadError::TooLarge { .. })
        ));
        // Lying declaration: says 1000 bytes, inflates to 4 MiB.
        let mut liar = bomb;
        patch_declared_size(&mut liar, 1000);
        let e = open(liar, "A-B-1_0.zip", &ZipLimits::default()).unwrap_err();
        assert!(
            matches!(
                e,
                ZipReadError::InflatesBeyondDeclared { .. } | ZipReadError::Corrupt { .. }
            ),
            "{e:?}"
        );
    }
}
