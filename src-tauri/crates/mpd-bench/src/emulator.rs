//! `mpd-bench emulator`: the emulator's own targets (issue 4), with their floors.
//!
//! ```text
//! cargo run --release -p mpd-bench -- emulator [import] [export] [soap]
//!     [--rows N (100000)] [--clients C (50)] [--requests R (40)] [--runs R (3)] [--dir DIR]
//! ```
//!
//! Each measurement starts an emulator in-process on a free port in a child process of its own
//! (this binary re-executed with `emulator __child …`, so that its peak RSS is its own) and talks
//! to it over HTTP exactly as a client would, with a minimal HTTP/1.1 client on
//! `std::net::TcpStream` (one connection per request, `Connection: close`).
//!
//! * `import`: a `N`-row tracciato 1_4 (the debts of `prepare::ensure_debts`, every row with
//!   `flagGeneraIuv` true, so MyPay generates an IUV **and a PDF notice** per row), zipped;
//!   timed from the upload to `IMPORT_ESEGUITO` reported by `paaSILChiediStatoImportFlusso`
//!   (polled every 20 ms; the batch runs every 20 ms). Target ≤ 10 s. Floor: the csv crate
//!   reading the same CSV.
//! * `export`: a data folder holding `N` paid debts (prepared once: imported without notices,
//!   then all paid through `/sim/pay`), copied for each run; timed from
//!   `paaSILPrenotaExportFlusso` (version 1.3, all dates) to `EXPORT_ESEGUITO`. Target ≤ 5 s.
//!   Floor: deflating the same CSV into a zip at the same level.
//! * `soap`: `C` concurrent clients (threads), each sending `R` SOAP requests in turn:
//!   `paaSILAutorizzaImportFlusso`, `paaSILChiediPosizioniAperte`,
//!   `paaSILChiediPagatiConRicevuta` (by IUD of a paid debt), `paaSILChiediStatoImportFlusso`
//!   of a real import. Every answer must be HTTP 200 without `<fault>` and without
//!   `SOAP-ENV:Fault`; anything else (including a transport error) counts as an error. Target:
//!   0 errors. Floor: the same number of requests to `/sim/status` (HTTP, no SOAP, no SQLite).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use mpd_emulator::{Emulator, EmulatorHandle, EmulatorOptions};

use crate::prepare;
use crate::scenarios::peak_rss_kib;

const PPT: &str = "http://www.regione.veneto.it/pagamenti/ente/";

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Scenario {
    Import,
    Export,
    Soap,
}

impl Scenario {
    const ALL: [Scenario; 3] = [Scenario::Import, Scenario::Export, Scenario::Soap];

    fn name(self) -> &'static str {
        match self {
            Scenario::Import => "import",
            Scenario::Export => "export",
            Scenario::Soap => "soap",
        }
    }

    fn parse(s: &str) -> Option<Scenario> {
        Scenario::ALL.into_iter().find(|x| x.name() == s)
    }
}

struct Options {
    scenarios: Vec<Scenario>,
    rows: usize,
    clients: usize,
    requests: usize,
    runs: usize,
    dir: PathBuf,
}

fn parse(args: &[String]) -> Result<Options> {
    let mut o = Options {
        scenarios: Vec::new(),
        rows: 100_000,
        clients: 50,
        requests: 40,
        runs: 3,
        dir: PathBuf::from("bench-data"),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |n: &str| {
            it.next()
                .cloned()
                .with_context(|| format!("{n} needs a value"))
        };
        match a.as_str() {
            "--rows" => o.rows = value("--rows")?.replace('_', "").parse()?,
            "--clients" => o.clients = value("--clients")?.parse()?,
            "--requests" => o.requests = value("--requests")?.parse()?,
            "--runs" => o.runs = value("--runs")?.parse()?,
            "--dir" => o.dir = PathBuf::from(value("--dir")?),
            "all" => o.scenarios = Scenario::ALL.to_vec(),
            other => match Scenario::parse(other) {
                Some(s) => o.scenarios.push(s),
                None => bail!("unknown argument «{other}»"),
            },
        }
    }
    if o.scenarios.is_empty() {
        o.scenarios = Scenario::ALL.to_vec();
    }
    if o.rows == 0 || o.runs == 0 || o.clients == 0 || o.requests == 0 {
        bail!("--rows, --runs, --clients and --requests must be at least 1");
    }
    Ok(o)
}

/// Entry point of `mpd-bench emulator …`.
pub fn run(args: &[String]) -> Result<()> {
    if args.first().map(String::as_str) == Some("__child") {
        return child(&args[1..]);
    }
    let o = parse(args)?;
    std::fs::create_dir_all(&o.dir)?;
    for s in &o.scenarios {
        match s {
            Scenario::Import => {
                ensure_flow_zip(&o.dir, o.rows)?;
            }
            Scenario::Export => {
                ensure_paid_template(&o.dir, o.rows)?;
            }
            Scenario::Soap => {}
        }
    }
    println!(
        "## mpd-bench emulator, {}",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC")
    );
    println!();
    println!(
        "Command: `cargo run --release -p mpd-bench -- emulator {}`; {} runs each, median (min–max).",
        args.join(" "),
        o.runs
    );
    println!();
    println!(
        "| scenario | size | wall, median (min–max) | floor, median | target | result | notes |"
    );
    println!("|---|---:|---|---|---|---|---|");
    let mut all = true;
    for s in &o.scenarios {
        let mut walls = Vec::new();
        let mut floors = Vec::new();
        let mut notes = String::new();
        let mut pass = true;
        let mut rss = 0;
        for run in 0..o.runs {
            let m = run_child(*s, "main", &o)?;
            eprintln!(
                "{} run {}: {:.2} s ({})",
                s.name(),
                run + 1,
                m.0.as_secs_f64(),
                m.2
            );
            pass &= m.1;
            rss = rss.max(m.3);
            walls.push(m.0);
            notes = m.2;
            let f = run_child(*s, "floor", &o)?;
            eprintln!("{} floor {}: {:.2} s", s.name(), run + 1, f.0.as_secs_f64());
            floors.push(f.0);
        }
        walls.sort();
        floors.sort();
        let med = walls[walls.len() / 2];
        let (target, size) = match s {
            Scenario::Import => (Some(10.0), format!("{} rows", o.rows)),
            Scenario::Export => (Some(5.0), format!("{} rows", o.rows)),
            Scenario::Soap => (None, format!("{} clients × {}", o.clients, o.requests)),
        };
        if let Some(t) = target {
            pass &= med.as_secs_f64() <= t;
        }
        all &= pass;
        println!(
            "| emulator {} | {size} | {:.2} s ({:.2}–{:.2} s) | {:.2} s | {} | {} | {notes}; peak RSS {:.0} MB |",
            s.name(),
            med.as_secs_f64(),
            walls[0].as_secs_f64(),
            walls[walls.len() - 1].as_secs_f64(),
            floors[floors.len() / 2].as_secs_f64(),
            match target {
                Some(t) => format!("≤ {t:.0} s"),
                None => "0 errors".into(),
            },
            if pass { "pass" } else { "**miss**" },
            rss as f64 / 1024.0
        );
    }
    println!();
    println!(
        "{}",
        if all {
            "All targets met."
        } else {
            "Some targets missed."
        }
    );
    Ok(())
}

/// `(wall, pass, note, peak RSS KiB)` of one child.
fn run_child(s: Scenario, kind: &str, o: &Options) -> Result<(Duration, bool, String, u64)> {
    let out = Command::new(std::env::current_exe()?)
        .args(["emulator", "__child", s.name(), kind])
        .arg(&o.dir)
        .args([
            o.rows.to_string(),
            o.clients.to_string(),
            o.requests.to_string(),
        ])
        .output()?;
    if !out.status.success() {
        bail!(
            "{} {kind} failed: {}",
            s.name(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("RESULT "))
        .context("no RESULT line")?;
    let mut parts = line.splitn(4, ' ');
    let wall: u64 = parts.next().context("wall")?.parse()?;
    let pass = parts.next() == Some("pass");
    let rss: u64 = parts.next().context("rss")?.parse()?;
    let note = parts.next().unwrap_or("").to_string();
    Ok((Duration::from_nanos(wall), pass, note, rss))
}

fn child(args: &[String]) -> Result<()> {
    let [scenario, kind, dir, rows, clients, requests] = args else {
        bail!("usage: emulator __child <scenario> <main|floor> <dir> <rows> <clients> <requests>");
    };
    let s = Scenario::parse(scenario).context("scenario")?;
    let dir = Path::new(dir);
    let rows: usize = rows.parse()?;
    let clients: usize = clients.parse()?;
    let requests: usize = requests.parse()?;
    let work = tempfile::tempdir()?;
    let (wall, pass, note) = match (s, kind.as_str()) {
        (Scenario::Import, "main") => import(dir, rows, work.path())?,
        (Scenario::Import, _) => import_floor(dir, rows)?,
        (Scenario::Export, "main") => export(dir, rows, work.path())?,
        (Scenario::Export, _) => export_floor(dir, rows, work.path())?,
        (Scenario::Soap, "main") => soap(work.path(), clients, requests, false)?,
        (Scenario::Soap, _) => soap(work.path(), clients, requests, true)?,
    };
    println!(
        "RESULT {} {} {} {note}",
        wall.as_nanos(),
        if pass { "pass" } else { "miss" },
        peak_rss_kib()
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// A minimal HTTP/1.1 client

fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    ctype: &str,
    body: &[u8],
) -> Result<(u16, Vec<u8>)> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(120)))?;
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: {ctype}\r\n\
         SOAPAction: \"\"\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes())?;
    s.write_all(body)?;
    let mut out = Vec::new();
    s.read_to_end(&mut out)?;
    let end = out
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .context("no HTTP header end")?;
    let status: u16 = std::str::from_utf8(&out[..end])?
        .split(' ')
        .nth(1)
        .context("status")?
        .parse()?;
    Ok((status, out[end + 4..].to_vec()))
}

fn path_of(url: &str) -> &str {
    url.find("://")
        .and_then(|i| url[i + 3..].find('/').map(|j| &url[i + 3 + j..]))
        .unwrap_or(url)
}

fn soap_call(
    addr: SocketAddr,
    op: &str,
    header_ipa: Option<&str>,
    inner: &str,
) -> Result<(u16, String)> {
    let header = header_ipa
        .map(|i| {
            format!(
                "<s:Header><h:intestazionePPT xmlns:h=\"{PPT}ppthead\"><codIpaEnte>{i}</codIpaEnte></h:intestazionePPT></s:Header>"
            )
        })
        .unwrap_or_default();
    let env = format!(
        "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:p=\"{PPT}\" \
         xmlns:pay_i=\"http://www.regione.veneto.it/schemas/2012/Pagamenti/Ente/\">{header}\
         <s:Body><p:{op}>{inner}</p:{op}></s:Body></s:Envelope>"
    );
    let (status, body) = http(
        addr,
        "POST",
        "/ws/pa/",
        "text/xml; charset=utf-8",
        env.as_bytes(),
    )?;
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

fn field(xml: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&format!("</{name}>"))? + start;
    Some(xml[start..end].replace("&amp;", "&"))
}

fn start(data: &Path) -> Result<EmulatorHandle> {
    let mut o = EmulatorOptions::new(data);
    o.batch_interval = Duration::from_millis(20);
    Ok(Emulator::start(o)?)
}

/// authorise + multipart upload; returns the requestToken.
fn upload(addr: SocketAddr, name: &str, zip: &[u8]) -> Result<String> {
    let (_, r) = soap_call(
        addr,
        "paaSILAutorizzaImportFlusso",
        Some("c_demo"),
        "<password>demo</password>",
    )?;
    let token = field(&r, "authorizationToken").context("authorizationToken")?;
    let request_token = field(&r, "requestToken").context("requestToken")?;
    let boundary = "----mpdbenchboundary7f3a";
    let mut body = Vec::new();
    write!(
        body,
        "--{boundary}\r\nContent-Disposition: form-data; name=\"authorizationToken\"\r\n\r\n{token}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
         Content-Type: application/zip\r\n\r\n"
    )?;
    body.extend_from_slice(zip);
    write!(body, "\r\n--{boundary}--\r\n")?;
    let (status, resp) = http(
        addr,
        "POST",
        "/public/mybox/uploadFlusso",
        &format!("multipart/form-data; boundary={boundary}"),
        &body,
    )?;
    let resp = String::from_utf8_lossy(&resp);
    if status != 200 || !resp.contains("fileName") {
        bail!("upload refused: {status} {resp}");
    }
    Ok(request_token)
}

fn wait_import(addr: SocketAddr, token: &str) -> Result<String> {
    loop {
        let (_, r) = soap_call(
            addr,
            "paaSILChiediStatoImportFlusso",
            Some("c_demo"),
            &format!(
                "<requestToken>{token}</requestToken><password>demo</password><fileScarti>true</fileScarti><fileIUV>true</fileIUV>"
            ),
        )?;
        let stato = field(&r, "stato").unwrap_or_default();
        if stato != "LOAD_IMPORT" && stato != "IMPORT_IN_ELAB" {
            return Ok(r);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

// ---------------------------------------------------------------------------------------------
// Inputs

fn flow_zip(dir: &Path, rows: usize, notices: bool) -> PathBuf {
    let tag = if notices { "" } else { "NOPDF" };
    dir.join(format!("emu-flow-{rows}"))
        .join(format!("c_demo-BENCH{rows}{tag}-1_4.zip"))
}

/// The zip of the first `rows` debts, with (`notices`) or without `flagGeneraIuv`.
fn build_flow_zip(dir: &Path, rows: usize, notices: bool) -> Result<PathBuf> {
    let path = flow_zip(dir, rows, notices);
    if path.exists() {
        return Ok(path);
    }
    let csv = prepare::ensure_debts(dir, rows)?;
    let text = std::fs::read_to_string(&csv)?;
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.lines().enumerate() {
        if i > 0 && !notices {
            // flagGeneraIuv (column 21 of 35) to false: no IUV, no notice at import time.
            let mut f: Vec<&str> = line.split(';').collect();
            if f.len() == 35 {
                f[20] = "false";
            }
            out.push_str(&f.join(";"));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    let stem = path
        .file_stem()
        .context("stem")?
        .to_string_lossy()
        .into_owned();
    std::fs::create_dir_all(path.parent().context("parent")?)?;
    let partial = path.with_extension("partial");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&partial)?);
    z.start_file(
        format!("{stem}.csv"),
        zip::write::SimpleFileOptions::default(),
    )?;
    z.write_all(out.as_bytes())?;
    z.finish()?;
    std::fs::rename(&partial, &path)?;
    Ok(path)
}

fn ensure_flow_zip(dir: &Path, rows: usize) -> Result<PathBuf> {
    build_flow_zip(dir, rows, true)
}

fn paid_template(dir: &Path, rows: usize) -> PathBuf {
    dir.join(format!("emu-paid-{rows}"))
}

/// A data folder holding `rows` paid debts (imported without notices, then all paid).
fn ensure_paid_template(dir: &Path, rows: usize) -> Result<PathBuf> {
    let path = paid_template(dir, rows);
    if path.join("done").exists() {
        return Ok(path);
    }
    let zip = build_flow_zip(dir, rows, false)?;
    eprintln!("preparing {} …", path.display());
    let _ = std::fs::remove_dir_all(&path);
    let emu = start(&path)?;
    let name = zip
        .file_name()
        .context("name")?
        .to_string_lossy()
        .into_owned();
    let t = Instant::now();
    let token = upload(emu.addr, &name, &std::fs::read(&zip)?)?;
    let r = wait_import(emu.addr, &token)?;
    if field(&r, "stato").as_deref() != Some("IMPORT_ESEGUITO") {
        bail!("template import: {r}");
    }
    eprintln!(
        "  imported without notices in {:.2} s",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let paid = mpd_emulator::remote_pay(
        &emu.base_url,
        &mpd_emulator::PayRequest {
            ente: "c_demo".into(),
            share: Some(1.0),
            seed: Some(1),
            data: None,
            iud: Vec::new(),
            ..Default::default()
        },
    )?;
    eprintln!(
        "  {} debts paid in {:.2} s",
        paid.pagati.len(),
        t.elapsed().as_secs_f64()
    );
    emu.stop();
    std::fs::write(path.join("done"), paid.pagati.len().to_string())?;
    Ok(path)
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let target = to.join(e.file_name());
        if e.file_type()?.is_dir() {
            copy_dir(&e.path(), &target)?;
        } else {
            std::fs::copy(e.path(), target)?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Scenarios

fn import(dir: &Path, rows: usize, work: &Path) -> Result<(Duration, bool, String)> {
    let zip_path = flow_zip(dir, rows, true);
    let zip = std::fs::read(&zip_path)?;
    let name = zip_path
        .file_name()
        .context("name")?
        .to_string_lossy()
        .into_owned();
    let emu = start(&work.join("emu"))?;
    let t = Instant::now();
    let token = upload(emu.addr, &name, &zip)?;
    let r = wait_import(emu.addr, &token)?;
    let wall = t.elapsed();
    let ok = field(&r, "stato").as_deref() == Some("IMPORT_ESEGUITO");
    // Not timed: what was loaded.
    let loaded = match field(&r, "urlFileIUV") {
        Some(u) => {
            let (_, z) = http(emu.addr, "GET", path_of(&u), "text/plain", b"")?;
            let mut a = zip::ZipArchive::new(std::io::Cursor::new(z))?;
            let mut s = String::new();
            a.by_index(0)?.read_to_string(&mut s)?;
            s.lines().count().saturating_sub(1)
        }
        None => 0,
    };
    let scarti = field(&r, "urlFileScarti").is_some();
    Ok((
        wall,
        ok,
        format!(
            "{loaded} rows loaded with IUV and PDF notice{}; zip {:.1} MB",
            if scarti {
                ", some rejected"
            } else {
                ", none rejected"
            },
            zip.len() as f64 / 1e6
        ),
    ))
}

fn import_floor(dir: &Path, rows: usize) -> Result<(Duration, bool, String)> {
    let csv = prepare::debts_csv(dir, rows);
    let t = Instant::now();
    let mut rd = csv::ReaderBuilder::new().delimiter(b';').from_path(&csv)?;
    let mut rec = csv::ByteRecord::new();
    let mut n = 0;
    while rd.read_byte_record(&mut rec)? {
        n += 1;
    }
    Ok((t.elapsed(), n == rows, "csv read only".into()))
}

fn book_export(addr: SocketAddr) -> Result<String> {
    let (_, r) = soap_call(
        addr,
        "paaSILPrenotaExportFlusso",
        Some("c_demo"),
        "<password>demo</password><dateFrom>2000-01-01</dateFrom><dateTo>2100-12-31</dateTo><versioneTracciato>1.3</versioneTracciato>",
    )?;
    let token = field(&r, "requestToken").context("requestToken")?;
    loop {
        let (_, r) = soap_call(
            addr,
            "paaSILChiediStatoExportFlusso",
            Some("c_demo"),
            &format!("<password>demo</password><requestToken>{token}</requestToken>"),
        )?;
        let stato = field(&r, "stato").unwrap_or_default();
        if stato != "LOAD_EXPORT" && stato != "EXPORT_IN_ELAB" {
            return Ok(r);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn export_csv(addr: SocketAddr, r: &str) -> Result<(String, Vec<u8>)> {
    let url = field(r, "downloadUrl").context("downloadUrl")?;
    let (_, z) = http(addr, "GET", path_of(&url), "text/plain", b"")?;
    let mut a = zip::ZipArchive::new(std::io::Cursor::new(z))?;
    let mut f = a.by_index(0)?;
    let name = f.name()?.to_string();
    let mut csv = Vec::new();
    f.read_to_end(&mut csv)?;
    Ok((name, csv))
}

fn export(dir: &Path, rows: usize, work: &Path) -> Result<(Duration, bool, String)> {
    let data = work.join("emu");
    copy_dir(&paid_template(dir, rows), &data)?;
    let emu = start(&data)?;
    let t = Instant::now();
    let r = book_export(emu.addr)?;
    let wall = t.elapsed();
    let ok = field(&r, "stato").as_deref() == Some("EXPORT_ESEGUITO");
    let (_, csv) = export_csv(emu.addr, &r)?;
    let lines = csv
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        .saturating_sub(1);
    Ok((
        wall,
        ok && lines == rows,
        format!(
            "{lines} rows, version 1.3, CSV {:.0} MB",
            csv.len() as f64 / 1e6
        ),
    ))
}

fn export_floor(dir: &Path, rows: usize, work: &Path) -> Result<(Duration, bool, String)> {
    // Not timed: the same CSV, fetched from an emulator.
    let data = work.join("emu");
    copy_dir(&paid_template(dir, rows), &data)?;
    let emu = start(&data)?;
    let r = book_export(emu.addr)?;
    let (name, csv) = export_csv(emu.addr, &r)?;
    emu.stop();
    let t = Instant::now();
    let mut z = zip::ZipWriter::new(std::fs::File::create(work.join("floor.zip"))?);
    z.start_file(
        name,
        zip::write::SimpleFileOptions::default().compression_level(Some(6)),
    )?;
    z.write_all(&csv)?;
    z.finish()?;
    Ok((t.elapsed(), true, "deflate of the same CSV".into()))
}

fn soap(
    work: &Path,
    clients: usize,
    requests: usize,
    floor: bool,
) -> Result<(Duration, bool, String)> {
    let emu = start(&work.join("emu"))?;
    let addr = emu.addr;
    // Some state to read: a small import, half of it paid.
    let rows = 20;
    let zip_bytes = {
        let desk = mpd_core::Desk::in_memory()?.with_now(prepare::bench_now());
        let csv = work.join("small.csv");
        desk.generate_debts_csv(&csv, mpd_domain::Version::V1_4, rows, 9)?;
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        z.start_file(
            "c_demo-SOAP-1_4.csv",
            zip::write::SimpleFileOptions::default(),
        )?;
        z.write_all(&std::fs::read(&csv)?)?;
        z.finish()?.into_inner()
    };
    let import_token = upload(addr, "c_demo-SOAP-1_4.zip", &zip_bytes)?;
    let r = wait_import(addr, &import_token)?;
    let (_, z) = http(
        addr,
        "GET",
        path_of(&field(&r, "urlFileIUV").context("IUV")?),
        "text/plain",
        b"",
    )?;
    let mut a = zip::ZipArchive::new(std::io::Cursor::new(z))?;
    let mut iuv_csv = String::new();
    a.by_index(0)?.read_to_string(&mut iuv_csv)?;
    let first: Vec<String> = iuv_csv
        .lines()
        .nth(1)
        .context("a loaded row")?
        .split(';')
        .map(String::from)
        .collect();
    let cf = first[3].clone();
    let paid = mpd_emulator::remote_pay(
        &emu.base_url,
        &mpd_emulator::PayRequest {
            ente: "c_demo".into(),
            share: Some(0.5),
            seed: Some(2),
            data: None,
            iud: Vec::new(),
            ..Default::default()
        },
    )?;
    let iud_paid = paid.pagati.first().context("a paid debt")?.iud.clone();
    let person = format!(
        "<identificativoUnivocoPersonaFG><pay_i:tipoIdentificativoUnivoco>{}</pay_i:tipoIdentificativoUnivoco><pay_i:codiceIdentificativoUnivoco>{cf}</pay_i:codiceIdentificativoUnivoco></identificativoUnivocoPersonaFG>",
        first[2]
    );
    let calls: Arc<Vec<(&'static str, Option<&'static str>, String)>> = Arc::new(vec![
        (
            "paaSILAutorizzaImportFlusso",
            Some("c_demo"),
            "<password>demo</password>".into(),
        ),
        (
            "paaSILChiediPosizioniAperte",
            None,
            format!("<password>demo</password>{person}"),
        ),
        (
            "paaSILChiediPagatiConRicevuta",
            None,
            format!(
                "<codIpaEnte>c_demo</codIpaEnte><password>demo</password><identificativoUnivocoDovuto>{iud_paid}</identificativoUnivocoDovuto>"
            ),
        ),
        (
            "paaSILChiediStatoImportFlusso",
            Some("c_demo"),
            format!(
                "<requestToken>{import_token}</requestToken><password>demo</password><fileIUV>true</fileIUV>"
            ),
        ),
    ]);
    let errors = Arc::new(AtomicUsize::new(0));
    let first_error = Arc::new(std::sync::Mutex::new(None::<String>));
    let t = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|c| {
            let (calls, errors, first_error) = (calls.clone(), errors.clone(), first_error.clone());
            std::thread::spawn(move || {
                let mut lat = Vec::with_capacity(requests);
                for i in 0..requests {
                    let t0 = Instant::now();
                    let outcome = if floor {
                        http(addr, "GET", "/sim/status", "text/plain", b"")
                            .map(|(s, b)| (s, String::from_utf8_lossy(&b).into_owned()))
                    } else {
                        let (op, h, inner) = &calls[(c + i) % calls.len()];
                        soap_call(addr, op, *h, inner)
                    };
                    lat.push(t0.elapsed());
                    let bad = match &outcome {
                        Ok((200, b)) => b.contains("<fault>") || b.contains("SOAP-ENV:Fault"),
                        Ok(_) | Err(_) => true,
                    };
                    if bad {
                        errors.fetch_add(1, Ordering::Relaxed);
                        let mut f = first_error.lock().unwrap_or_else(|p| p.into_inner());
                        if f.is_none() {
                            *f = Some(match outcome {
                                Ok((s, b)) => format!("{s} {}", &b[..b.len().min(300)]),
                                Err(e) => e.to_string(),
                            });
                        }
                    }
                }
                lat
            })
        })
        .collect();
    let mut lat: Vec<Duration> = Vec::new();
    for h in handles {
        lat.extend(
            h.join()
                .map_err(|_| anyhow::anyhow!("client thread panicked"))?,
        );
    }
    let wall = t.elapsed();
    lat.sort();
    let n = lat.len();
    let errors = errors.load(Ordering::Relaxed);
    if let Some(e) = first_error
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .as_ref()
    {
        eprintln!("first error: {e}");
    }
    Ok((
        wall,
        errors == 0,
        format!(
            "{n} requests, {errors} errors, {:.0} req/s, latency p50 {:.0} ms, p95 {:.0} ms, max {:.0} ms",
            n as f64 / wall.as_secs_f64(),
            lat[n / 2].as_secs_f64() * 1e3,
            lat[n * 95 / 100].as_secs_f64() * 1e3,
            lat[n - 1].as_secs_f64() * 1e3
        ),
    ))
}
