//! The benchmarks of BENCHMARKS.md, rerunnable on any machine.
//!
//! ```text
//! cargo run --release -p mpd-bench -- [all|flow|insert|export|export-rt|sheets-xlsx|sheets-csv]
//!                                     [--rows N] [--dir DIR] [--runs R] [--level L]
//! ```
//!
//! The parent prepares the inputs (cached in `--dir`, default `./bench-data`; never timed), then
//! runs every measurement in a child process (this binary re-executed with `__child …`), so that
//! each one's peak RSS is its own and one scenario's heap never flatters or burdens the next.
//! Wall times on shared VMs vary by 15–30 %: each measurement runs `--runs` times (default 3)
//! and the table shows the median, with min and max.
//!
//! Scenarios (sizes are the issue's unless `--rows` says otherwise):
//! * `flow`: read a 1,000,000-row tracciato 1_4, validate every row, write the flow zips with
//!   `build_flows`; its floor is the same bytes read by the csv crate and deflated at the same
//!   level on two threads into the same number of zips.
//! * `insert`: the same file read into debts and inserted into a new store.
//! * `export`: a 1,000,000-row export 1.3 without `ricevuta` read into a store of those debts.
//! * `export-rt`: a `rows / 10`-row export 1.3 with `ricevuta` (RT XML in base64, 3–5 KB).
//! * `sheets-xlsx`: a `rows / 5`-row clerk's `.xlsx` read, mapped and validated by
//!   `Desk::import_file` (insert included: there is no validate-only entry point); its floor is
//!   calamine's streaming reader going through the same cells.
//! * `sheets-csv`: a `rows`-row free-form CSV (Italian headers, `1.234,56`, `dd/mm/yyyy`) read,
//!   mapped and validated by `Desk::check_file` (the validate-only path of `debts import
//!   --check`: nothing written); its floor is the csv crate reading the file.
//!
//! `mpd-bench dovuti [--rows N] [--dir DIR] [--runs R]` measures the Dovuti screen's queries
//! (count + page for each filter and scroll) on its own report: see `dovuti.rs`.
//!
//! `mpd-bench client [submit|export] [--debts N] [--export-rows N] [--runs R]` measures the
//! MyPay client against the in-process emulator (10,000 debts submitted + receipts; a
//! 100,000-row export downloaded and stored) on its own report: see `client.rs`.
//!
//! `mpd-bench avvisi [--households N] [--per-file N]` writes the payment notices of a
//! 10,000-household TARI campaign (PDFs, print files, manifest) on its own report: see
//! `avvisi.rs`.
//!
//! `mpd-bench ostili [--dir DIR] [--keep]` opens the hostile spreadsheets of issue 17 (a 2 GiB
//! CSV without line breaks, 1 MB workbooks inflating to 1 GiB) and reports each one's peak
//! RSS on its own report: see `ostili.rs`.
//!
//! `mpd-bench riconciliazione [--receipts N] [--dir DIR] [--runs R]` reconciles a year of a
//! large Ente (1,000,000 receipts, 20,000 FdR, 20,000 treasury entries) from scratch and after
//! one more day, on its own report: see `riconciliazione.rs`.
//!
//! `mpd-bench cifratura [--rows N] [--receipts N] [--runs R]` runs the store-bound benchmarks on
//! encrypted and on plain databases, one after the other: see `cifratura.rs`.
//!
//! Timed assertions never go in tests: this program is where performance is judged.

mod avvisi; // `mpd-bench avvisi`: a campaign's payment notices (own report)
mod cifratura; // `mpd-bench cifratura`: the same benchmarks on encrypted and plain databases
mod client; // `mpd-bench client`: the MyPay client against the emulator (own report)
mod dovuti; // `mpd-bench dovuti`: the Dovuti screen's queries (own report)
mod emulator; // `mpd-bench emulator`: the emulator's import, export and 50-client targets
mod ostili; // `mpd-bench ostili`: hostile spreadsheets of issue 17, peak memory (own report)
mod prepare;
mod riconciliazione; // `mpd-bench riconciliazione`: issue 16's year of a large Ente (own report)
mod scenarios;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};

/// Deflate level of the flow scenario and of its floor (see BENCHMARKS.md for the choice).
const DEFAULT_LEVEL: i64 = mpd_tracciato::flow_zip::DEFAULT_LEVEL;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scenario {
    Flow,
    Insert,
    Export,
    ExportRt,
    SheetsXlsx,
    SheetsCsv,
}

impl Scenario {
    const ALL: [Scenario; 6] = [
        Scenario::Flow,
        Scenario::Insert,
        Scenario::Export,
        Scenario::ExportRt,
        Scenario::SheetsXlsx,
        Scenario::SheetsCsv,
    ];

    fn name(self) -> &'static str {
        match self {
            Scenario::Flow => "flow",
            Scenario::Insert => "insert",
            Scenario::Export => "export",
            Scenario::ExportRt => "export-rt",
            Scenario::SheetsXlsx => "sheets-xlsx",
            Scenario::SheetsCsv => "sheets-csv",
        }
    }

    fn parse(s: &str) -> Option<Scenario> {
        Scenario::ALL.into_iter().find(|x| x.name() == s)
    }

    fn describe(self) -> &'static str {
        match self {
            Scenario::Flow => "validate + write flow zips",
            Scenario::Insert => "insert debts into the store",
            Scenario::Export => "read export 1.3 (no ricevuta)",
            Scenario::ExportRt => "read export 1.3 with ricevuta",
            Scenario::SheetsXlsx => "read + validate xlsx (+ insert)",
            Scenario::SheetsCsv => "read + validate free-form CSV (nothing written)",
        }
    }

    /// Rows of this scenario's input for `--rows N`.
    fn rows(self, n: usize) -> usize {
        match self {
            Scenario::ExportRt => (n / 10).max(1),
            Scenario::SheetsXlsx => (n / 5).max(1),
            _ => n,
        }
    }

    fn target(self) -> Duration {
        Duration::from_secs(match self {
            Scenario::Flow => 3,
            Scenario::Insert => 6,
            Scenario::Export => 8,
            Scenario::ExportRt => 4,
            Scenario::SheetsXlsx => 6,
            Scenario::SheetsCsv => 4,
        })
    }

    /// Peak RSS allowed, in MB.
    fn rss_limit_mb(self) -> f64 {
        match self {
            Scenario::SheetsXlsx | Scenario::SheetsCsv => 600.0,
            _ => 500.0,
        }
    }

    /// Ratio to the floor allowed (only the flow scenario has one in the issue).
    fn max_ratio(self) -> Option<f64> {
        (self == Scenario::Flow).then_some(1.5)
    }
}

struct Options {
    scenarios: Vec<Scenario>,
    rows: usize,
    dir: PathBuf,
    runs: usize,
    level: i64,
}

fn parse_args(args: &[String]) -> Result<Options> {
    let mut opts = Options {
        scenarios: Vec::new(),
        rows: 1_000_000,
        dir: PathBuf::from("bench-data"),
        runs: 3,
        level: DEFAULT_LEVEL,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .with_context(|| format!("{name} needs a value"))
        };
        match a.as_str() {
            "--rows" => opts.rows = value("--rows")?.replace('_', "").parse()?,
            "--dir" => opts.dir = PathBuf::from(value("--dir")?),
            "--runs" => opts.runs = value("--runs")?.parse()?,
            "--level" => opts.level = value("--level")?.parse()?,
            "all" => opts.scenarios = Scenario::ALL.to_vec(),
            "-h" | "--help" => {
                println!(
                    "mpd-bench [all|flow|insert|export|export-rt|sheets-xlsx|sheets-csv]… [--rows N] [--dir DIR] [--runs R] [--level L]"
                );
                std::process::exit(0);
            }
            other => match Scenario::parse(other) {
                Some(s) => opts.scenarios.push(s),
                None => bail!("unknown argument «{other}» (try --help)"),
            },
        }
    }
    if opts.scenarios.is_empty() {
        opts.scenarios = Scenario::ALL.to_vec();
    }
    if opts.rows == 0 || opts.runs == 0 {
        bail!("--rows and --runs must be at least 1");
    }
    Ok(opts)
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("__child") {
        return child(&args[1..]);
    }
    if args.first().map(String::as_str) == Some("dovuti") {
        return dovuti::run(&args[1..]);
    }
    if args.first().map(String::as_str) == Some("avvisi") {
        return avvisi::run(&args[1..]);
    }
    if args.first().map(String::as_str) == Some("cifratura") {
        return cifratura::run(&args[1..]);
    }
    if args.first().map(String::as_str) == Some("client") {
        return client::run(&args[1..]);
    }
    if args.first().map(String::as_str) == Some("ostili") {
        return ostili::run(&args[1..]);
    }
    if args.first().map(String::as_str) == Some("riconciliazione") {
        return riconciliazione::run(&args[1..]);
    }
    if args.first().map(String::as_str) == Some("emulator") {
        return emulator::run(&args[1..]);
    }
    let opts = parse_args(&args)?;
    std::fs::create_dir_all(&opts.dir)?;
    for s in &opts.scenarios {
        match s {
            Scenario::Flow | Scenario::Insert => {
                prepare::ensure_debts(&opts.dir, s.rows(opts.rows))?;
            }
            Scenario::Export | Scenario::ExportRt => {
                prepare::ensure_store(&opts.dir, opts.rows)?;
                prepare::ensure_export(
                    &opts.dir,
                    s.rows(opts.rows),
                    opts.rows,
                    *s == Scenario::ExportRt,
                )?;
            }
            Scenario::SheetsXlsx => {
                prepare::ensure_sheet_xlsx(&opts.dir, s.rows(opts.rows))?;
            }
            Scenario::SheetsCsv => {
                prepare::ensure_sheet_csv(&opts.dir, s.rows(opts.rows))?;
            }
        }
    }

    println!("## mpd-bench, {}", chrono::Utc::now().format("%Y-%m-%d"));
    println!();
    println!("Machine: {}", machine());
    println!(
        "Command: `cargo run --release -p mpd-bench -- {}`; {} runs each, median (min–max); flow deflate level {}.",
        args.join(" "),
        opts.runs,
        opts.level
    );
    println!();
    println!(
        "| scenario | rows | wall, median (min–max) | floor, median | ratio | peak RSS | target | result | notes |"
    );
    println!("|---|---:|---|---|---:|---:|---|---|---|");
    let mut all_pass = true;
    for s in &opts.scenarios {
        let row = measure(*s, &opts)?;
        all_pass &= row.pass;
        println!("{}", row.line);
    }
    println!();
    println!(
        "{}",
        if all_pass {
            "All targets met."
        } else {
            "Some targets missed."
        }
    );
    Ok(())
}

struct TableRow {
    line: String,
    pass: bool,
}

/// One child's report.
struct ChildResult {
    wall: Duration,
    parts: usize,
    rows: usize,
    rss_kib: u64,
    note: String,
}

fn run_child(s: Scenario, kind: &str, opts: &Options, parts: usize) -> Result<ChildResult> {
    let exe = std::env::current_exe()?;
    let output = Command::new(exe)
        .arg("__child")
        .arg(s.name())
        .arg(kind)
        .arg(&opts.dir)
        .arg(opts.rows.to_string())
        .arg(opts.level.to_string())
        .arg(parts.to_string())
        .output()?;
    if !output.status.success() {
        bail!(
            "{} {kind} failed: {}",
            s.name(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("RESULT "))
        .context("the child printed no RESULT line")?;
    let mut fields = line.splitn(5, ' ');
    let mut next = |name: &str| -> Result<u64> {
        let f = fields.next().context("short RESULT line")?;
        f.strip_prefix(name)
            .and_then(|v| v.strip_prefix('='))
            .context("malformed RESULT line")?
            .parse()
            .map_err(Into::into)
    };
    Ok(ChildResult {
        wall: Duration::from_nanos(next("wall_ns")?),
        parts: next("parts")? as usize,
        rows: next("rows")? as usize,
        rss_kib: next("rss_kib")?,
        note: fields.next().unwrap_or("").to_string(),
    })
}

fn median(mut v: Vec<Duration>) -> (Duration, Duration, Duration) {
    v.sort();
    (v[v.len() / 2], v[0], v[v.len() - 1])
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn measure(s: Scenario, opts: &Options) -> Result<TableRow> {
    let mut walls = Vec::new();
    let mut floors = Vec::new();
    let mut rss_kib = 0;
    let mut last = None;
    for run in 0..opts.runs {
        let r = run_child(s, "main", opts, 0)?;
        eprintln!(
            "{} run {}: {} ({})",
            s.name(),
            run + 1,
            secs(r.wall),
            r.note
        );
        walls.push(r.wall);
        rss_kib = rss_kib.max(r.rss_kib);
        // The floor runs right after, so that both see the same machine weather.
        let f = run_child(s, "floor", opts, r.parts)?;
        eprintln!(
            "{} floor {}: {} ({})",
            s.name(),
            run + 1,
            secs(f.wall),
            f.note
        );
        floors.push(f.wall);
        last = Some(r);
    }
    let last = last.context("no run")?;
    let (med, min, max) = median(walls);
    let (floor, _, _) = median(floors);
    let ratio = med.as_secs_f64() / floor.as_secs_f64().max(1e-9);
    let rss_mb = rss_kib as f64 / 1024.0;
    let time_ok = med <= s.target();
    let ratio_ok = s.max_ratio().is_none_or(|m| ratio <= m);
    let rss_limit = s.rss_limit_mb();
    let rss_ok = rss_mb <= rss_limit;
    let pass = time_ok && ratio_ok && rss_ok;
    let target = match s.max_ratio() {
        Some(m) => format!(
            "≤ {} s and ≤ {m}× floor; ≤ {rss_limit:.0} MB",
            s.target().as_secs()
        ),
        None => format!("≤ {} s; ≤ {rss_limit:.0} MB", s.target().as_secs()),
    };
    let floor_kind = match s {
        Scenario::Flow => "csv read + deflate",
        Scenario::Insert => "read only",
        Scenario::Export | Scenario::ExportRt | Scenario::SheetsCsv => "csv read only",
        Scenario::SheetsXlsx => "calamine read only",
    };
    let line = format!(
        "| {} ({}) | {} | {} ({}–{}) | {} ({floor_kind}) | {ratio:.2}× | {rss_mb:.0} MB | {target} | {} | {} |",
        s.name(),
        s.describe(),
        last.rows,
        secs(med),
        secs(min),
        secs(max),
        secs(floor),
        if pass { "pass" } else { "**miss**" },
        last.note
    );
    Ok(TableRow { line, pass })
}

/// `__child <scenario> <main|floor> <dir> <rows> <level> <parts>`: one measurement.
fn child(args: &[String]) -> Result<()> {
    let [scenario, kind, dir, rows, level, parts] = args else {
        bail!("usage: __child <scenario> <main|floor> <dir> <rows> <level> <parts>");
    };
    let s = Scenario::parse(scenario).context("unknown scenario")?;
    let dir = Path::new(dir);
    let n: usize = rows.parse()?;
    let level: i64 = level.parse()?;
    let parts: usize = parts.parse()?;
    let work = tempfile::tempdir()?;
    let floor = kind == "floor";
    let m = match (s, floor) {
        (Scenario::Flow, false) => scenarios::flow(dir, n, level, work.path())?,
        (Scenario::Flow, true) => scenarios::flow_floor(dir, n, level, parts, work.path())?,
        (Scenario::Insert, false) => scenarios::insert(dir, n, work.path())?,
        (Scenario::Insert, true) => scenarios::insert_floor(dir, n)?,
        (Scenario::Export | Scenario::ExportRt, false) => {
            scenarios::export(dir, s.rows(n), n, s == Scenario::ExportRt, work.path())?
        }
        (Scenario::Export | Scenario::ExportRt, true) => {
            scenarios::export_floor(dir, s.rows(n), s == Scenario::ExportRt)?
        }
        (Scenario::SheetsXlsx, false) => {
            scenarios::sheets(&prepare::sheet_file(dir, s.rows(n), "xlsx"), work.path())?
        }
        (Scenario::SheetsXlsx, true) => {
            scenarios::sheets_xlsx_floor(&prepare::sheet_file(dir, s.rows(n), "xlsx"))?
        }
        (Scenario::SheetsCsv, false) => {
            scenarios::sheets_check(&prepare::sheet_file(dir, s.rows(n), "csv"), work.path())?
        }
        (Scenario::SheetsCsv, true) => {
            scenarios::sheets_csv_floor(&prepare::sheet_file(dir, s.rows(n), "csv"))?
        }
    };
    println!(
        "RESULT wall_ns={} parts={} rows={} rss_kib={} {}",
        m.wall.as_nanos(),
        m.parts,
        m.rows,
        scenarios::peak_rss_kib(),
        m.note
    );
    Ok(())
}

/// CPU model, cores and RAM, from /proc.
fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let ram_gb = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0 / 1024.0);
    format!(
        "{cpu}, {cores} cores, {ram_gb:.0} GB RAM, {}",
        std::env::consts::OS
    )
}
