//! What each child process times: the scenarios of the issue and their floors.
//!
//! A child runs exactly one measurement, so its peak RSS (`VmHWM`) belongs to that measurement
//! alone. Inputs are prepared by the parent; anything done here before `Instant::now()` (opening
//! files, copying the store template) is not timed.

use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, mpsc};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use mpd_core::Desk;
use mpd_domain::validate::{RowContext, is_acceptable, validate_row};
use mpd_domain::{RawRow, Version};
use mpd_store::Store;
use mpd_tracciato::flow_zip::{BuildOptions, build_flows_push};
use mpd_tracciato::import::ImportReader;

use crate::prepare;

/// What one child measured.
#[derive(Debug, Default)]
pub struct Measured {
    pub wall: Duration,
    /// Zips written (flow scenario and its floor).
    pub parts: usize,
    /// Rows processed.
    pub rows: usize,
    /// Free-form facts worth showing (compressed size, receipts matched…).
    pub note: String,
}

/// Validates every row of the debts CSV and writes the flow zips (the flow scenario).
pub fn flow(dir: &Path, rows: usize, level: i64, out: &Path) -> Result<Measured> {
    let csv = prepare::debts_csv(dir, rows);
    let ente = mpd_core::debts::demo_ente();
    let tipi = mpd_core::synth::tipi_demo();
    let ctx = RowContext::new(&ente, &tipi, Version::V1_4, prepare::bench_today());
    let opts = BuildOptions {
        level,
        ..BuildOptions::default()
    };
    let start = Instant::now();
    let file = File::open(&csv).with_context(|| format!("opening {}", csv.display()))?;
    let mut reader = ImportReader::new(BufReader::with_capacity(1 << 20, file), Version::V1_4)?;
    let (mut rejected, mut unreadable) = (0usize, 0usize);
    let mut read_error = None;
    // One row reused for the whole file; each valid row is pushed to the zip builder, whose
    // threads compress earlier rows meanwhile.
    let built = build_flows_push(out, "c_demo", "BENCH", Version::V1_4, &opts, |sink| {
        let mut row = RawRow::default();
        loop {
            match reader.read_into(&mut row) {
                Ok(None) => break,
                Ok(Some(pos)) if pos.fields.is_err() => unreadable += 1,
                Ok(Some(_)) => {
                    if !is_acceptable(&validate_row(&row, &ctx)) {
                        rejected += 1;
                    } else if !sink(&row) {
                        break;
                    }
                }
                Err(e) => {
                    read_error = Some(e);
                    break;
                }
            }
        }
    })?;
    let wall = start.elapsed();
    if let Some(e) = read_error {
        return Err(e.into());
    }
    if rejected + unreadable > 0 {
        bail!(
            "{rejected} rows rejected and {unreadable} unreadable: the synthetic data should be valid"
        );
    }
    let zip_bytes: u64 = built.iter().map(|b| b.compressed_bytes).sum();
    let csv_bytes: u64 = built.iter().map(|b| b.uncompressed_bytes).sum();
    Ok(Measured {
        wall,
        parts: built.len(),
        rows: built.iter().map(|b| b.rows.len()).sum(),
        note: format!(
            "{} MB CSV → {} zips, {} MB ({:.1}×)",
            csv_bytes / 1_000_000,
            built.len(),
            zip_bytes / 1_000_000,
            csv_bytes as f64 / zip_bytes.max(1) as f64
        ),
    })
}

/// The floor of the flow scenario: the same bytes read with the csv crate (one reused
/// `ByteRecord`) and deflated at the same level on two threads into the same number of zips.
/// No validation, no re-encoding, no split estimate.
pub fn flow_floor(
    dir: &Path,
    rows: usize,
    level: i64,
    parts: usize,
    out: &Path,
) -> Result<Measured> {
    let csv_path = prepare::debts_csv(dir, rows);
    let total = std::fs::metadata(&csv_path)?.len() as usize;
    let per_part = total.div_ceil(parts.max(1));
    let start = Instant::now();
    let mut file = File::open(&csv_path)?;
    let (tx, rx) = mpsc::sync_channel::<(usize, Vec<u8>)>(2);
    let rx = Mutex::new(rx);
    let mut records = 0usize;
    let written: Mutex<Vec<u64>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| -> Result<()> {
        let mut workers = Vec::new();
        for _ in 0..2 {
            workers.push(scope.spawn(|| -> Result<()> {
                loop {
                    let next = rx.lock().map_err(|_| anyhow::anyhow!("poisoned"))?.recv();
                    let Ok((n, bytes)) = next else { return Ok(()) };
                    let path = out.join(format!("floor-{n:02}.zip"));
                    let mut zip = zip::ZipWriter::new(File::create(&path)?);
                    let options = zip::write::SimpleFileOptions::default()
                        .compression_method(zip::CompressionMethod::Deflated)
                        .compression_level(Some(level));
                    zip.start_file(format!("floor-{n:02}.csv"), options)?;
                    zip.write_all(&bytes)?;
                    let mut f = zip.finish()?;
                    f.flush()?;
                    written
                        .lock()
                        .map_err(|_| anyhow::anyhow!("poisoned"))?
                        .push(std::fs::metadata(&path)?.len());
                }
            }));
        }
        // Read a part's worth of bytes, extend it to the end of its last line, parse it.
        let mut carry: Vec<u8> = Vec::new();
        let mut record = csv::ByteRecord::new();
        for n in 0.. {
            let mut part = std::mem::take(&mut carry);
            part.reserve(per_part + 64 * 1024);
            let want = per_part.saturating_sub(part.len());
            (&mut file).take(want as u64).read_to_end(&mut part)?;
            let mut tail = [0u8; 64 * 1024];
            loop {
                if part.last() == Some(&b'\n') {
                    break;
                }
                let got = file.read(&mut tail)?;
                if got == 0 {
                    break;
                }
                match memchr(b'\n', &tail[..got]) {
                    Some(i) => {
                        part.extend_from_slice(&tail[..=i]);
                        carry.extend_from_slice(&tail[i + 1..got]);
                        break;
                    }
                    None => part.extend_from_slice(&tail[..got]),
                }
            }
            if part.is_empty() {
                break;
            }
            let mut reader = csv::ReaderBuilder::new()
                .delimiter(b';')
                .has_headers(false)
                .flexible(true)
                .from_reader(&part[..]);
            while reader.read_byte_record(&mut record)? {
                records += 1;
            }
            if tx.send((n, part)).is_err() {
                break;
            }
        }
        drop(tx);
        for w in workers {
            w.join()
                .map_err(|_| anyhow::anyhow!("compressor panicked"))??;
        }
        Ok(())
    })?;
    let wall = start.elapsed();
    let sizes = written
        .into_inner()
        .map_err(|_| anyhow::anyhow!("poisoned"))?;
    Ok(Measured {
        wall,
        parts: sizes.len(),
        rows: records.saturating_sub(1),
        note: format!(
            "{} zips, {} MB",
            sizes.len(),
            sizes.iter().sum::<u64>() / 1_000_000
        ),
    })
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == needle)
}

/// Reads the debts CSV and inserts every debt into a new store file (the insert scenario).
pub fn insert(dir: &Path, rows: usize, work: &Path) -> Result<Measured> {
    let csv = prepare::debts_csv(dir, rows);
    let mut store = Store::open(&work.join("bench.sqlite"), &prepare::chiave())?;
    let start = Instant::now();
    // As `debts import` does: SQLite inserts on one thread while this one reads the next rows.
    // Batches of 512: a wake-up of the other thread per row would cost more than it saves.
    let (tx, rx) = mpsc::sync_channel::<Vec<_>>(8);
    let inserted = std::thread::scope(|scope| -> Result<usize> {
        let writer = scope
            .spawn(|| store.insert_dovuti_from(rx.into_iter().flatten(), prepare::bench_now()));
        let mut batch = Vec::with_capacity(512);
        for d in prepare::debts_from_csv(&csv)? {
            batch.push(d);
            if batch.len() == 512 && tx.send(std::mem::take(&mut batch)).is_err() {
                break;
            }
        }
        if !batch.is_empty() {
            let _ = tx.send(batch);
        }
        drop(tx);
        let inserted = writer
            .join()
            .map_err(|_| anyhow::anyhow!("the insert thread panicked"))??;
        Ok(inserted)
    })?;
    let wall = start.elapsed();
    // What the load left to the upkeep (the window runs it in the background): not part of the
    // insert's time, reported beside it.
    let upkeep = Instant::now();
    let mut steps = 0;
    while !store
        .passo_manutenzione(mpd_store::ricerca::PASSO_RIGHE)?
        .completa()
    {
        steps += 1;
    }
    Ok(Measured {
        wall,
        rows: inserted,
        note: format!(
            "then the background upkeep: {:.2} s ({} steps: secondary indexes and search index)",
            upkeep.elapsed().as_secs_f64(),
            steps + 1
        ),
        ..Measured::default()
    })
}

/// The floor of the insert scenario: the same file read into the same debts, not stored.
pub fn insert_floor(dir: &Path, rows: usize) -> Result<Measured> {
    let csv = prepare::debts_csv(dir, rows);
    let start = Instant::now();
    let mut count = 0usize;
    for d in prepare::debts_from_csv(&csv)? {
        let d = d.map_err(anyhow::Error::msg)?;
        std::hint::black_box(&d);
        count += 1;
    }
    Ok(Measured {
        wall: start.elapsed(),
        rows: count,
        ..Measured::default()
    })
}

/// Copies the store template into the work folder (not timed) and opens a desk on it.
fn desk_on_copy(dir: &Path, store_rows: usize, work: &Path) -> Result<Desk> {
    let db = work.join("bench.sqlite");
    std::fs::copy(prepare::store_template(dir, store_rows), &db)?;
    Ok(Desk::open(Some(&db), &crate::prepare::chiave())?.with_now(prepare::bench_now()))
}

/// Reads an export into the store (the export scenarios).
pub fn export(
    dir: &Path,
    rows: usize,
    store_rows: usize,
    ricevuta: bool,
    work: &Path,
) -> Result<Measured> {
    let file: PathBuf = prepare::export_file(dir, rows, ricevuta);
    let mut desk = desk_on_copy(dir, store_rows, work)?;
    let start = Instant::now();
    let summary = desk.import_export(&file)?;
    let wall = start.elapsed();
    // What a very large export leaves to the upkeep (the indexes on the debts' state, and the
    // search index of a template store made before it existed): reported, not in the time.
    let upkeep = Instant::now();
    let owed = desk.manutenzione()?;
    desk.completa_manutenzione(None, |_| {})?;
    Ok(Measured {
        wall,
        rows: summary.lette as usize,
        note: format!(
            "{} new: {} paid, {} unknown, {} other; then the background upkeep ({} indexes, {} debts to index): {:.2} s",
            summary.nuove,
            summary.pagato,
            summary.sconosciuto,
            summary.importo_diverso + summary.doppio,
            owed.indici_da_ricostruire,
            owed.da_indicizzare,
            upkeep.elapsed().as_secs_f64()
        ),
        ..Measured::default()
    })
}

/// The floor of the export scenarios: the same file read with the csv crate, not stored.
pub fn export_floor(dir: &Path, rows: usize, ricevuta: bool) -> Result<Measured> {
    let file = prepare::export_file(dir, rows, ricevuta);
    let start = Instant::now();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(BufReader::with_capacity(1 << 20, File::open(&file)?));
    let mut record = csv::ByteRecord::new();
    let mut count = 0usize;
    while reader.read_byte_record(&mut record)? {
        count += 1;
    }
    Ok(Measured {
        wall: start.elapsed(),
        rows: count.saturating_sub(1),
        ..Measured::default()
    })
}

/// Imports the clerk's spreadsheet (`sheets-xlsx`) with `Desk::import_file` into a new file
/// database holding only the demo Ente: read, map, validate, then insert the valid rows.
pub fn sheets(file: &Path, work: &Path) -> Result<Measured> {
    sheets_run(file, work, false)
}

/// Reads, maps and validates the clerk's spreadsheet (`sheets-csv`) with `Desk::check_file`,
/// the validate-only path of `debts import --check` and of the window's preview report:
/// nothing is written. The store holds only the demo Ente (the duplicate checks against it
/// run, over an empty archive).
pub fn sheets_check(file: &Path, work: &Path) -> Result<Measured> {
    sheets_run(file, work, true)
}

fn sheets_run(file: &Path, work: &Path, check_only: bool) -> Result<Measured> {
    let mut desk = Desk::open(Some(&work.join("bench.sqlite")), &crate::prepare::chiave())?
        .with_now(prepare::bench_now());
    desk.setup_demo(0)?;
    let opts = mpd_core::sheets::SheetOptions {
        tipo: Some("TARI".into()),
        ..Default::default()
    };
    let start = Instant::now();
    let report = if check_only {
        desk.check_file(file, &opts)?
    } else {
        desk.import_file(file, &opts)?
    };
    let wall = start.elapsed();
    let done = if check_only {
        report.righe_valide
    } else {
        report.importate
    };
    if !report.errori.is_empty() || done != report.righe_lette {
        bail!(
            "{done} of {} rows {}, {} with errors (first: {:?}): the synthetic data should be valid",
            report.righe_lette,
            if check_only { "valid" } else { "imported" },
            report.errori.len(),
            report.errori.first().map(|e| (&e.riga, &e.problemi))
        );
    }
    Ok(Measured {
        wall,
        rows: done,
        note: format!(
            "{} MB file; {}; {} warnings",
            std::fs::metadata(file)?.len() / 1_000_000,
            if check_only {
                "read + map + validate, nothing written"
            } else {
                "insert included"
            },
            report.avvisi.len()
        ),
        ..Measured::default()
    })
}

/// The floor of `sheets-xlsx`: calamine's streaming reader going through the same cells,
/// no mapping, no validation.
pub fn sheets_xlsx_floor(file: &Path) -> Result<Measured> {
    use calamine::Reader;
    let start = Instant::now();
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(file)?;
    let name = wb.sheet_names().first().cloned().context("no sheet")?;
    let mut reader = wb.worksheet_cells_reader(&name)?;
    let (mut cells, mut last_row) = (0usize, 0u32);
    while let Some(cell) = reader.next_cell()? {
        last_row = last_row.max(cell.get_position().0);
        std::hint::black_box(cell.get_value());
        cells += 1;
    }
    Ok(Measured {
        wall: start.elapsed(),
        rows: last_row as usize,
        note: format!("{cells} cells"),
        ..Measured::default()
    })
}

/// The floor of `sheets-csv`: the csv crate reading the same file (one reused `ByteRecord`).
pub fn sheets_csv_floor(file: &Path) -> Result<Measured> {
    let start = Instant::now();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(true)
        .from_reader(BufReader::with_capacity(1 << 20, File::open(file)?));
    let mut record = csv::ByteRecord::new();
    let mut count = 0usize;
    while reader.read_byte_record(&mut record)? {
        count += 1;
    }
    Ok(Measured {
        wall: start.elapsed(),
        rows: count,
        ..Measured::default()
    })
}

/// Peak resident memory of this process so far, in KiB (`VmHWM`).
pub fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}
