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
use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};

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
    #[error(
        "errore nella creazione dello zip del flusso: riprovi; se si ripete, controlli lo spazio libero sul disco"
    )]
    Zip(String),
    #[error("errore di scrittura del file «{}»: {}", .path.display(), mpd_domain::testo::causa_io(source))]
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
    let file = mpd_privato::crea(&path).map_err(|source| FlowZipError::Io {
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
    /// CSV bytes of one compression block (default 1 MiB; never more than a quarter of
    /// `max_zip_bytes`). Blocks are deflated independently on `threads` threads and zips are cut
    /// between blocks, so this is also the granularity of the cut: no compression-ratio
    /// estimate is needed and nothing is ever compressed twice.
    pub target_csv_bytes: usize,
    /// Deflate level 0–9 (default 6).
    pub level: i64,
    /// Compression threads (default 2).
    pub threads: usize,
    /// Zips created private to the user (`0600`, the default: the app's own flows folder);
    /// `false` for a folder the clerk chose (`--out`), whose files keep what the OS gives.
    pub privati: bool,
}

/// Default CSV bytes per compression block: small enough to keep both cores busy until the
/// last row and to cut zips close to the limit, large enough that restarting the deflate
/// dictionary at each block costs well under 1 % of the ratio.
pub const DEFAULT_BLOCK_BYTES: usize = 1 << 20;

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            max_zip_bytes: DEFAULT_MAX_ZIP_BYTES,
            target_csv_bytes: DEFAULT_BLOCK_BYTES,
            level: DEFAULT_LEVEL,
            threads: 2,
            privati: true,
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

/// Rows encoded as CSV, waiting to be deflated.
struct Block {
    seq: usize,
    first_row: usize,
    csv: Vec<u8>,
    /// End offset in `csv` of each row's line.
    row_ends: Vec<usize>,
}

/// A block deflated as a byte-aligned, non-final deflate segment (ended by a sync flush), so
/// that segments can be concatenated into one stream.
struct Segment {
    first_row: usize,
    rows: usize,
    csv_len: u64,
    crc: crc32fast::Hasher,
    deflated: Vec<u8>,
}

/// Bytes a zip may grow when its entry gets its final name (`P100` is one char longer than `P00`).
const NAME_SLACK: u64 = 64;
/// A final, empty, fixed-Huffman deflate block: ends a stream made of sync-flushed segments.
const FINAL_EMPTY_BLOCK: [u8; 2] = [0x03, 0x00];
/// The zip format without ZIP64 stores sizes in 32 bits; a part's CSV stays below this.
const MAX_PART_CSV_BYTES: u64 = u32::MAX as u64 - (1 << 20);

/// Deflates `data` (raw deflate, no zlib header) and ends with a sync flush.
fn deflate_segment(
    compressor: &mut flate2::Compress,
    data: &[u8],
) -> Result<Vec<u8>, FlowZipError> {
    compressor.reset();
    let mut out = Vec::with_capacity(data.len() / 3 + 1024);
    let mut consumed = 0usize;
    loop {
        let before = compressor.total_in();
        compressor
            .compress_vec(&data[consumed..], &mut out, flate2::FlushCompress::Sync)
            .map_err(|e| FlowZipError::Zip(e.to_string()))?;
        consumed += (compressor.total_in() - before) as usize;
        // zlib's rule: a flush is complete when it returns with output space left.
        if consumed == data.len() && out.len() < out.capacity() {
            return Ok(out);
        }
        out.reserve(out.capacity().max(64 * 1024));
    }
}

fn new_compressor(level: i64) -> flate2::Compress {
    flate2::Compress::new(flate2::Compression::new(level.clamp(0, 9) as u32), false)
}

fn deflate_block(
    compressor: &mut flate2::Compress,
    csv: &[u8],
    first_row: usize,
    rows: usize,
) -> Result<Segment, FlowZipError> {
    let mut crc = crc32fast::Hasher::new();
    crc.update(csv);
    Ok(Segment {
        first_row,
        rows,
        csv_len: csv.len() as u64,
        crc,
        deflated: deflate_segment(compressor, csv)?,
    })
}

/// Deflates a block; a block too large for one zip is cut in halves (by rows) until each
/// piece fits, which only happens with tiny limits.
fn deflate_fitting(
    compressor: &mut flate2::Compress,
    block: &Block,
    range: Range<usize>,
    budget: u64,
    max_zip_bytes: u64,
    out: &mut Vec<Segment>,
) -> Result<(), FlowZipError> {
    let start = if range.start == 0 {
        0
    } else {
        block.row_ends[range.start - 1]
    };
    let end = block.row_ends[range.end - 1];
    let seg = deflate_block(
        compressor,
        &block.csv[start..end],
        block.first_row + range.start,
        range.len(),
    )?;
    if seg.deflated.len() as u64 <= budget {
        out.push(seg);
        return Ok(());
    }
    if range.len() <= 1 {
        return Err(FlowZipError::RowTooLarge {
            row: block.first_row + range.start + 1,
            max: max_zip_bytes,
        });
    }
    let mid = range.start + range.len() / 2;
    deflate_fitting(
        compressor,
        block,
        range.start..mid,
        budget,
        max_zip_bytes,
        out,
    )?;
    deflate_fitting(
        compressor,
        block,
        mid..range.end,
        budget,
        max_zip_bytes,
        out,
    )
}

/// Bytes of a single-entry zip around its data: local header, central directory, end record.
fn zip_overhead(entry_name_len: usize) -> u64 {
    (30 + 46 + 22 + 2 * entry_name_len) as u64
}

/// Writes a single-entry zip whose deflated data is `header` + `segments` + the final block.
fn write_part_zip(
    path: &Path,
    entry_name: &str,
    header: &Segment,
    segments: &[Segment],
    privato: bool,
) -> Result<(u64, u64), FlowZipError> {
    let io_err = |source| FlowZipError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut crc = header.crc.clone();
    let mut csv_len = header.csv_len;
    let mut deflated_len = (header.deflated.len() + FINAL_EMPTY_BLOCK.len()) as u64;
    for s in segments {
        crc.combine(&s.crc);
        csv_len += s.csv_len;
        deflated_len += s.deflated.len() as u64;
    }
    let crc = crc.finalize();
    let (Ok(csv32), Ok(deflated32)) = (u32::try_from(csv_len), u32::try_from(deflated_len)) else {
        return Err(FlowZipError::Zip(
            "parte troppo grande per il formato zip".into(),
        ));
    };
    let name = entry_name.as_bytes();
    let name_len =
        u16::try_from(name.len()).map_err(|_| FlowZipError::Zip("nome troppo lungo".into()))?;
    // 1980-01-01 00:00, as the zip crate writes without a clock.
    let (dos_time, dos_date) = (0u16, 0x0021u16);
    let mut head = Vec::with_capacity(30 + name.len());
    head.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    head.extend_from_slice(&20u16.to_le_bytes()); // version needed: 2.0 (deflate)
    head.extend_from_slice(&0u16.to_le_bytes()); // flags: sizes known, ASCII name
    head.extend_from_slice(&8u16.to_le_bytes()); // method: deflate
    head.extend_from_slice(&dos_time.to_le_bytes());
    head.extend_from_slice(&dos_date.to_le_bytes());
    head.extend_from_slice(&crc.to_le_bytes());
    head.extend_from_slice(&deflated32.to_le_bytes());
    head.extend_from_slice(&csv32.to_le_bytes());
    head.extend_from_slice(&name_len.to_le_bytes());
    head.extend_from_slice(&0u16.to_le_bytes()); // extra field length
    head.extend_from_slice(name);
    let local_len = head.len() as u64;

    let mut tail = Vec::with_capacity(46 + name.len() + 22);
    tail.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
    tail.extend_from_slice(&(0x0300u16 | 20).to_le_bytes()); // made by: Unix, 2.0
    tail.extend_from_slice(&20u16.to_le_bytes());
    tail.extend_from_slice(&0u16.to_le_bytes());
    tail.extend_from_slice(&8u16.to_le_bytes());
    tail.extend_from_slice(&dos_time.to_le_bytes());
    tail.extend_from_slice(&dos_date.to_le_bytes());
    tail.extend_from_slice(&crc.to_le_bytes());
    tail.extend_from_slice(&deflated32.to_le_bytes());
    tail.extend_from_slice(&csv32.to_le_bytes());
    tail.extend_from_slice(&name_len.to_le_bytes());
    tail.extend_from_slice(&[0; 8]); // extra, comment, disk number, internal attributes
    tail.extend_from_slice(&(0o100_644u32 << 16).to_le_bytes()); // a regular file, rw-r--r--
    tail.extend_from_slice(&0u32.to_le_bytes()); // offset of the local header
    tail.extend_from_slice(name);
    let central_len = tail.len() as u32;
    let central_offset = u32::try_from(local_len + deflated_len)
        .map_err(|_| FlowZipError::Zip("parte troppo grande per il formato zip".into()))?;
    tail.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    tail.extend_from_slice(&[0; 4]); // this disk, disk of the central directory
    tail.extend_from_slice(&1u16.to_le_bytes());
    tail.extend_from_slice(&1u16.to_le_bytes());
    tail.extend_from_slice(&central_len.to_le_bytes());
    tail.extend_from_slice(&central_offset.to_le_bytes());
    tail.extend_from_slice(&0u16.to_le_bytes()); // comment length

    let mut file = if privato {
        mpd_privato::crea(path)
    } else {
        File::create(path)
    }
    .map_err(io_err)?;
    file.write_all(&head).map_err(io_err)?;
    file.write_all(&header.deflated).map_err(io_err)?;
    for s in segments {
        file.write_all(&s.deflated).map_err(io_err)?;
    }
    file.write_all(&FINAL_EMPTY_BLOCK).map_err(io_err)?;
    file.write_all(&tail).map_err(io_err)?;
    file.flush().map_err(io_err)?;
    Ok((local_len + deflated_len + tail.len() as u64, csv_len))
}

/// Blocks waiting to be deflated, shared by the producer and the compression workers.
struct WorkQueue {
    state: Mutex<QueueState>,
    ready: Condvar,
    /// Deflated blocks, by block sequence number (in any order).
    done: Mutex<Vec<(usize, Vec<Segment>)>>,
    error: Mutex<Option<FlowZipError>>,
    stop: AtomicBool,
    /// CSV buffers of deflated blocks, for the producer to fill again (a fresh 1 MiB buffer
    /// per block costs its page faults every time).
    spare: Mutex<Vec<Vec<u8>>>,
}

struct QueueState {
    blocks: VecDeque<Block>,
    /// No more blocks will come.
    closed: bool,
}

impl WorkQueue {
    /// Queues a block; if more than `max_queued` wait, hands the oldest back to the caller to
    /// deflate itself.
    fn push(&self, block: Block, max_queued: usize) -> Option<Block> {
        let Ok(mut state) = self.state.lock() else {
            return None;
        };
        state.blocks.push_back(block);
        let oldest = (state.blocks.len() > max_queued)
            .then(|| state.blocks.pop_front())
            .flatten();
        drop(state);
        self.ready.notify_one();
        oldest
    }

    fn close(&self) {
        if let Ok(mut state) = self.state.lock() {
            state.closed = true;
        }
        self.ready.notify_all();
    }

    /// The next block, waiting for one; `None` once closed and empty.
    fn next_block(&self) -> Option<Block> {
        let mut state = self.state.lock().ok()?;
        loop {
            if let Some(b) = state.blocks.pop_front() {
                return Some(b);
            }
            if state.closed {
                return None;
            }
            state = self.ready.wait(state).ok()?;
        }
    }

    fn try_take(&self) -> Option<Block> {
        self.state.lock().ok()?.blocks.pop_front()
    }

    fn deflate(
        &self,
        compressor: &mut flate2::Compress,
        block: Block,
        room: u64,
        max_zip_bytes: u64,
    ) {
        if self.stop.load(Ordering::Relaxed) {
            return;
        }
        let mut segments = Vec::with_capacity(1);
        let all = 0..block.row_ends.len();
        match deflate_fitting(compressor, &block, all, room, max_zip_bytes, &mut segments) {
            Ok(()) => {
                if let Ok(mut d) = self.done.lock() {
                    d.push((block.seq, segments));
                }
                if let Ok(mut spare) = self.spare.lock() {
                    let mut csv = block.csv;
                    csv.clear();
                    spare.push(csv);
                }
            }
            Err(e) => {
                self.stop.store(true, Ordering::Relaxed);
                if let Ok(mut slot) = self.error.lock() {
                    slot.get_or_insert(e);
                }
            }
        }
    }
}

/// Writes `rows` as one or more flows into `out_dir`, so that no zip exceeds
/// `opts.max_zip_bytes`. One zip ⇒ `<codIpa>-<iuf_base>-<v>.zip`; more ⇒ IUF `<iuf_base>P01`,
/// `P02`…, in row order. Existing files with the same names are overwritten.
///
/// How (the pigz scheme): the calling thread encodes rows into blocks of
/// `opts.target_csv_bytes`; `opts.threads` threads deflate each block as an independent,
/// byte-aligned segment while the next rows are being read, so compression overlaps reading
/// and validation and both cores stay busy until the last block. Zips are then cut between
/// segments exactly at the limit (their compressed sizes are known), each one being the
/// header's segment, its blocks' segments and a final empty block, with the CRC combined
/// from the blocks'. Nothing is compressed twice and no ratio is guessed.
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
    build_flows_push(out_dir, codice_ipa, iuf_base, version, opts, |sink| {
        for row in rows {
            if !sink(row.borrow()) {
                break;
            }
        }
    })
}

/// [`build_flows`] for a producer that pushes rows instead of handing over an iterator: `feed`
/// is called once, on the calling thread, with a sink to call for each row in order; the sink
/// returns `false` when building has failed and `feed` should stop. This lets the producer
/// reuse one [`RawRow`] for the whole file (e.g. with [`crate::ImportReader::read_into`])
/// while the compression threads work.
pub fn build_flows_push<F>(
    out_dir: &Path,
    codice_ipa: &str,
    iuf_base: &str,
    version: Version,
    opts: &BuildOptions,
    feed: F,
) -> Result<Vec<BuiltFlow>, FlowZipError>
where
    F: FnOnce(&mut dyn FnMut(&RawRow) -> bool),
{
    let single_name = FlowName::new(codice_ipa, iuf_base, version)?;
    let threads = opts.threads.max(1);
    let max_zip = opts.max_zip_bytes.min(u32::MAX as u64);
    let block_bytes = opts.target_csv_bytes.min((max_zip / 4) as usize).max(1);
    // Deflated bytes one zip can hold besides the header's segment and the final block.
    let header_csv = format!("{}\n", version.header()).into_bytes();
    let header = deflate_block(&mut new_compressor(opts.level), &header_csv, 0, 0)?;
    let room = max_zip.saturating_sub(
        zip_overhead(single_name.csv_name().len())
            + NAME_SLACK
            + header.deflated.len() as u64
            + FINAL_EMPTY_BLOCK.len() as u64,
    );

    let work = WorkQueue {
        state: Mutex::new(QueueState {
            blocks: VecDeque::new(),
            closed: false,
        }),
        ready: Condvar::new(),
        done: Mutex::new(Vec::new()),
        error: Mutex::new(None),
        stop: AtomicBool::new(false),
        spare: Mutex::new(Vec::new()),
    };
    // The calling thread produces rows and, whenever more than `max_queued` blocks wait,
    // deflates the oldest one itself: `threads - 1` workers plus the producer keep exactly
    // `threads` cores busy. Spawning `threads` workers beside a busy producer would make the
    // kernel share the cores three ways and slow the producer, which is the critical path.
    let workers = threads.saturating_sub(1).max(1).min(threads);
    let workers = if threads == 1 { 0 } else { workers };
    let max_queued = 2 * threads + 2;
    let mut producer_error: Option<FlowZipError> = None;
    let mut total_rows = 0usize;
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                let mut compressor = new_compressor(opts.level);
                while let Some(block) = work.next_block() {
                    work.deflate(&mut compressor, block, room, opts.max_zip_bytes);
                }
            });
        }
        let mut compressor = new_compressor(opts.level);
        let new_block = |seq, first_row| Block {
            seq,
            first_row,
            csv: work
                .spare
                .lock()
                .ok()
                .and_then(|mut spare| spare.pop())
                .unwrap_or_else(|| Vec::with_capacity(block_bytes + 16 * 1024)),
            row_ends: Vec::new(),
        };
        let mut block = new_block(0, 0);
        let mut sink = |row: &RawRow| -> bool {
            if let Err(e) = encode_row(version, row, total_rows + 1, &mut block.csv) {
                producer_error = Some(e.into());
                work.stop.store(true, Ordering::Relaxed);
                return false;
            }
            total_rows += 1;
            block.row_ends.push(block.csv.len());
            if block.csv.len() >= block_bytes {
                if work.stop.load(Ordering::Relaxed) {
                    return false;
                }
                let next = new_block(block.seq + 1, total_rows);
                if let Some(oldest) = work.push(std::mem::replace(&mut block, next), max_queued) {
                    work.deflate(&mut compressor, oldest, room, opts.max_zip_bytes);
                }
            }
            true
        };
        feed(&mut sink);
        if !block.row_ends.is_empty() && producer_error.is_none() {
            work.push(block, usize::MAX);
        }
        work.close();
        // Help the workers with what is left.
        while let Some(b) = work.try_take() {
            work.deflate(&mut compressor, b, room, opts.max_zip_bytes);
        }
    });
    let worker_error = work.error.into_inner().ok().flatten();
    let done = work.done;

    if let Some(e) = producer_error {
        return Err(e);
    }
    if let Some(e) = worker_error {
        return Err(e);
    }
    if total_rows == 0 {
        return Err(FlowZipError::NoRows);
    }
    let mut done = done
        .into_inner()
        .map_err(|_| FlowZipError::Zip("thread di compressione interrotto".into()))?;
    done.sort_by_key(|(seq, _)| *seq);
    let segments: Vec<Segment> = done.into_iter().flat_map(|(_, s)| s).collect();

    // Cut into parts: as many segments as fit in a zip, in order.
    let mut parts: Vec<Range<usize>> = Vec::new();
    let (mut start, mut deflated, mut csv) = (0usize, 0u64, header.csv_len);
    for (i, s) in segments.iter().enumerate() {
        let fits =
            deflated + s.deflated.len() as u64 <= room && csv + s.csv_len <= MAX_PART_CSV_BYTES;
        if !fits && i > start {
            parts.push(start..i);
            (start, deflated, csv) = (i, 0, header.csv_len);
        }
        deflated += s.deflated.len() as u64;
        csv += s.csv_len;
    }
    parts.push(start..segments.len());

    let names: Vec<FlowName> = if parts.len() == 1 {
        vec![single_name]
    } else {
        (1..=parts.len())
            .map(|n| FlowName::new(codice_ipa, &format!("{iuf_base}P{n:02}"), version))
            .collect::<Result<_, _>>()?
    };
    let mut built = Vec::with_capacity(parts.len());
    for (range, name) in parts.into_iter().zip(names) {
        let part = &segments[range];
        let first = part.first().map_or(0, |s| s.first_row);
        let rows: usize = part.iter().map(|s| s.rows).sum();
        let path = out_dir.join(name.zip_name());
        let (compressed_bytes, uncompressed_bytes) =
            write_part_zip(&path, &name.csv_name(), &header, part, opts.privati)?;
        built.push(BuiltFlow {
            path,
            name,
            rows: first..first + rows,
            compressed_bytes,
            uncompressed_bytes,
        });
    }
    Ok(built)
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
    #[error("il file zip è danneggiato o incompleto: lo scarichi o lo crei di nuovo")]
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

/// Checks one entry of an archive before it is read, against `limits`: not encrypted, stored or
/// deflated, its declared size and its compression ratio within the caps. Returns the declared
/// size, which [`EntryReader`] then holds the entry to while inflating it. The clerk's `.xlsx`
/// and `.ods` (mpd-sheets) go through the same check, entry by entry.
pub fn check_entry<R: Read>(
    entry: &zip::read::ZipFile<'_, R>,
    name: &str,
    limits: &ZipLimits,
) -> Result<u64, ZipReadError> {
    let name = name.to_string();
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
    Ok(declared)
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
                let declared = check_entry(&entry, &name, limits)?;
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
        Ok(EntryReader::new(
            inner,
            &self.entry_name,
            self.declared,
            &self.limits,
        ))
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

impl<'a, R: Read> EntryReader<'a, R> {
    /// Reads `inner` (an entry passed by [`check_entry`], which returned `declared`), failing
    /// as soon as it inflates beyond `declared` or the limits' cap, or ends short of it.
    pub fn new(
        inner: zip::read::ZipFile<'a, R>,
        name: &str,
        declared: u64,
        limits: &ZipLimits,
    ) -> EntryReader<'a, R> {
        EntryReader {
            inner,
            name: name.to_string(),
            read: 0,
            declared,
            max: limits.max_uncompressed_bytes,
        }
    }
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
                // The zip crate stops an entry that inflates past its declared size within
                // the read that crosses it, before those bytes reach us.
                let beyond = e.kind() == io::ErrorKind::InvalidData
                    && e.to_string().contains("larger than its declared");
                let err = if self.read >= self.declared || beyond {
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
    use std::io::Cursor;

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
            privati: true,
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

    /// Blocks deflated apart and joined must give, zip by zip, exactly the rows in order,
    /// whatever the number of threads (1 = the producer deflates everything itself) and
    /// however the blocks fall against the limit.
    #[test]
    fn pushed_rows_in_many_blocks_round_trip() {
        let v = Version::V1_3;
        let input = rows(4000, v);
        for threads in [1, 2, 3] {
            let dir = tempfile::tempdir().unwrap();
            let opts = BuildOptions {
                max_zip_bytes: 120_000,
                target_csv_bytes: 20_000,
                level: 6,
                threads,
                privati: true,
            };
            let built = build_flows_push(dir.path(), "c_x123", "TARI2026", v, &opts, |sink| {
                for r in &input {
                    assert!(sink(r));
                }
            })
            .unwrap();
            assert!(built.len() > 2, "{}", built.len());
            let mut all = Vec::new();
            for b in &built {
                assert!(b.compressed_bytes <= opts.max_zip_bytes);
                // Cut close to the limit: no zip but the last is less than 3/4 full.
                if b.rows.end < input.len() {
                    assert!(b.compressed_bytes > opts.max_zip_bytes * 3 / 4, "{b:?}");
                }
                let csv = read_csv(&b.path, &ZipLimits::default()).unwrap();
                assert_eq!(csv.len() as u64, b.uncompressed_bytes);
                let back: Vec<RawRow> = ImportReader::new(&csv[..], v)
                    .unwrap()
                    .map(|x| x.unwrap().fields.unwrap())
                    .collect();
                assert_eq!(back.len(), b.rows.len());
                all.extend(back);
            }
            assert_eq!(all, input);
        }
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
            matches!(e, ZipReadError::InflatesBeyondDeclared { .. }),
            "{e:?}"
        );
    }
}
