//! Window benchmarks (`-- --bench`): cold start to an interactive Home, resident memory with
//! 100,000 debts, and the Dovuti screen's round trips in the window. Figures go to
//! BENCHMARKS.md; nothing here asserts a time.
//!
//! ```text
//! MYPAY_DESK_BIN=target/release/mypay-desk xvfb-run -a -s '-screen 0 1280x800x24' \
//!   cargo test -p mpd-e2e --test webdriver -- --bench [--runs 5] [--debts 100000] [--big 1000000]
//!   [--jumps 60] [--env K=V]... [--shots DIR]
//! ```
//!
//! * Cold start: tauri-driver and WebKitWebDriver are started first (not timed); the clock
//!   starts when the session request is sent (WebKitWebDriver then spawns the app) and stops when
//!   `nav-home` is present, polled every 20 ms. The same end is also measured from the app
//!   process's own start time in `/proc` (10 ms ticks), which leaves out WebKitWebDriver.
//! * Memory: at Home, after a scroll through Dovuti to the middle and the end (the figure in
//!   BENCHMARKS.md), after `--jumps N` more jumps through the table (read every 60) and back
//!   at Home: the resident set (`VmRSS`), proportional set (`Pss`, shared pages split between
//!   processes) and private memory (USS) of the app and every process under it (WebKit's web
//!   and network processes), then the same by kind of mapping (`/proc/PID/smaps`: anonymous
//!   memory, malloc's heap, libraries, fonts, shared buffers) with the largest private mappings,
//!   and what the page holds (DOM elements, style rules). `--env K=V` adds to the window's
//!   environment (e.g. `MYPAY_DESK_GPU=1`, to compare); `--shots DIR` saves pictures of the X
//!   display and one WebDriver screenshot.
//! * Round trips: `dovuti_pagina` invoked from the page itself (IPC + query + JSON), timed with
//!   `performance.now()`, and a scroll of the table to the middle until the rows there are drawn.

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::app::{Setup, Workspace};
use crate::scenarios::{T_START, T_UI, nav};
use crate::wd::{Driver, Session, tid, wait_for};

const ENTE: &str = r#"
[ente]
codice_ipa = "c_bench"
codice_fiscale = "00123456789"
denominazione = "Comune di Prova Prestazioni"
codice_segregazione = "12"

[[tipi_dovuto]]
codice = "TARI"
descrizione = "Tassa rifiuti"
dati_specifici_riscossione = "9/0101100IM/"

[[tipi_dovuto]]
codice = "MENSA"
descrizione = "Mensa scolastica"
dati_specifici_riscossione = "9/0107101TS/"

[[tipi_dovuto]]
codice = "COSAP"
descrizione = "Canone occupazione suolo pubblico"
dati_specifici_riscossione = "9/0101108TS/"

[[tipi_dovuto]]
codice = "SANZIONI"
descrizione = "Sanzioni amministrative"
dati_specifici_riscossione = "9/0101106SA/"
cf_anonimo = true
"#;

struct Options {
    runs: usize,
    debts: usize,
    big: usize,
    /// Extra environment for the window (`--env K=V`, repeatable): to compare WebKit settings.
    env: Vec<(String, String)>,
    /// Jumps through the Dovuti table after the timed scrolls, memory read every 60.
    jumps: usize,
    /// A folder for pictures of the X display (`import -window root`) at Home and after the
    /// scroll: what the window really drew, whatever WebKit's rendering mode.
    shots: Option<std::path::PathBuf>,
}

fn parse(args: &[String]) -> Result<Options> {
    let mut o = Options {
        runs: 5,
        debts: 100_000,
        big: 1_000_000,
        env: Vec::new(),
        jumps: 60,
        shots: None,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |n: &str| -> Result<usize> {
            Ok(it
                .next()
                .with_context(|| format!("{n} needs a value"))?
                .replace('_', "")
                .parse()?)
        };
        match a.as_str() {
            "--bench" => {}
            "--runs" => o.runs = value("--runs")?,
            "--debts" => o.debts = value("--debts")?,
            "--big" => o.big = value("--big")?,
            "--jumps" => o.jumps = value("--jumps")?,
            "--shots" => o.shots = Some(it.next().context("--shots needs a folder")?.into()),
            "--env" => {
                let kv = it.next().context("--env needs K=V")?;
                let (k, v) = kv.split_once('=').context("--env needs K=V")?;
                o.env.push((k.to_string(), v.to_string()));
            }
            other => bail!(
                "--bench: unknown argument «{other}» (--runs N --debts N --big N|0 --jumps N --env K=V --shots DIR)"
            ),
        }
    }
    Ok(o)
}

/// A workspace whose database holds the bench Ente and `n` synthetic debts (CLI, not timed).
fn seeded(setup: &Setup, n: usize) -> Result<Workspace> {
    let ws = Workspace::new(setup)?;
    let profile = ws.path("ente.toml");
    std::fs::write(&profile, ENTE)?;
    ws.cli(&["ente", "set", profile.to_str().context("path")?])?;
    let csv = ws.path("dovuti.csv");
    let t = Instant::now();
    ws.cli(&[
        "generate",
        "debts",
        "--count",
        &n.to_string(),
        "--out",
        csv.to_str().context("path")?,
    ])?;
    ws.cli(&["debts", "import", csv.to_str().context("path")?])?;
    std::fs::remove_file(&csv)?;
    eprintln!("  seeded {n} debts in {:.1} s", t.elapsed().as_secs_f64());
    Ok(ws)
}

pub fn run(setup: &Setup, args: &[String]) -> Result<()> {
    let o = parse(args)?;
    println!(
        "## Window benchmarks, {}",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC")
    );
    println!("binary: {}", setup.bin.display());
    println!("machine: {}", machine());
    println!();

    let ws = seeded(setup, o.debts)?;
    let extra: Vec<(&str, &str)> = o
        .env
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    if !extra.is_empty() {
        println!("window environment: {:?}", o.env);
    }

    // Cold start.
    let mut from_request = Vec::new();
    let mut from_spawn = Vec::new();
    for i in 0..o.runs {
        let driver = Driver::start(
            &setup.tauri_driver,
            &ws.app_env(&extra),
            &ws.path("tauri-driver.log"),
        )?;
        let start = Instant::now();
        let session = driver.session(&setup.bin, &[])?;
        let session_at = start.elapsed();
        wait_for("nav-home", T_START, || {
            Ok(session.find(&tid("nav-home"))?.map(|_| ()))
        })?;
        let total = start.elapsed();
        let uptime_home = uptime()?;
        let app = app_pid(driver.pid(), &setup.bin)
            .context("the app process was not found under tauri-driver")?;
        let spawn = uptime_home - process_start(app)?;
        println!(
            "cold start run {}: {:.0} ms from the session request (session answered at {:.0} ms), {:.0} ms from the app's process start",
            i + 1,
            total.as_secs_f64() * 1000.0,
            session_at.as_secs_f64() * 1000.0,
            spawn * 1000.0
        );
        from_request.push(total.as_secs_f64() * 1000.0);
        from_spawn.push(spawn * 1000.0);
        session.close()?;
        drop(driver);
    }

    // Memory and round trips with `debts` debts.
    let driver = Driver::start(
        &setup.tauri_driver,
        &ws.app_env(&extra),
        &ws.path("tauri-driver.log"),
    )?;
    let session = driver.session(&setup.bin, &[])?;
    session_timeouts(&session)?;
    session.testid("nav-home", T_START)?;
    std::thread::sleep(Duration::from_secs(2));
    let app = app_pid(driver.pid(), &setup.bin).context("the app process was not found")?;
    let mem_home = memory(app)?;
    x_shot(o.shots.as_deref(), "home")?;
    if let Some(dir) = o.shots.as_deref() {
        let t = Instant::now();
        session.screenshot(&dir.join("home-webdriver.png"))?;
        println!(
            "WebDriver screenshot at Home: {:.0} ms",
            t.elapsed().as_secs_f64() * 1000.0
        );
    }
    let mut details = breakdown("at Home", app);
    details.push_str(&page_probe(&session, "at Home")?);
    let scroll = scroll_through_dovuti(&session)?;
    std::thread::sleep(Duration::from_secs(2));
    let mem = memory(app)?;
    x_shot(o.shots.as_deref(), "dovuti")?;
    details.push_str(&breakdown("after scrolling Dovuti", app));
    details.push_str(&page_probe(&session, "after scrolling Dovuti")?);
    // A clerk reading on through the list: more jumps, each to rows not seen yet, in blocks of
    // 60 with the memory read after each block.
    let mut mem_jumps = Vec::new();
    for block in 0..o.jumps.div_ceil(60) {
        let from = block * 60;
        let to = (from + 60).min(o.jumps);
        let jumps: Vec<f64> = (from..to).map(|i| (i as f64 * 0.618_034).fract()).collect();
        let _ = scroll_to(&session, &jumps)?;
        std::thread::sleep(Duration::from_secs(2));
        mem_jumps.push((to, memory(app)?));
        details.push_str(&breakdown(
            &format!("after {to} more jumps through Dovuti"),
            app,
        ));
        details.push_str(&page_probe(&session, &format!("after {to} more jumps"))?);
    }
    nav(&session, "home")?;
    std::thread::sleep(Duration::from_secs(5));
    let mem_back = memory(app)?;
    let trips_small = round_trips(&session, o.debts)?;
    session.close()?;
    drop(driver);
    drop(ws);

    let trips_big = if o.big > 0 {
        let ws = seeded(setup, o.big)?;
        let driver = Driver::start(
            &setup.tauri_driver,
            &ws.app_env(&extra),
            &ws.path("tauri-driver.log"),
        )?;
        let session = driver.session(&setup.bin, &[])?;
        session_timeouts(&session)?;
        session.testid("nav-home", T_START)?;
        let scroll_big = scroll_through_dovuti(&session)?;
        let t = round_trips(&session, o.big)?;
        session.close()?;
        Some((scroll_big, t))
    } else {
        None
    };

    println!();
    println!("| measure | median | min–max | runs |");
    println!("|---|---:|---|---:|");
    let (m, lo, hi) = stats(&from_request);
    println!(
        "| cold start: session request → `nav-home` present ({} debts) | {m:.0} ms | {lo:.0}–{hi:.0} ms | {} |",
        o.debts, o.runs
    );
    let (m, lo, hi) = stats(&from_spawn);
    println!(
        "| cold start: app process start → `nav-home` present | {m:.0} ms | {lo:.0}–{hi:.0} ms | {} |",
        o.runs
    );
    println!();
    print_memory(&format!("{} debts, at Home", o.debts), &mem_home);
    print_memory(
        &format!("{} debts, after Home and scrolling Dovuti", o.debts),
        &mem,
    );
    for (n, mem) in &mem_jumps {
        print_memory(
            &format!("{} debts, after {n} more jumps through Dovuti", o.debts),
            mem,
        );
    }
    print_memory(
        &format!("{} debts, back at Home 5 s later", o.debts),
        &mem_back,
    );
    print!("{details}");
    print_trips(o.debts, &scroll, &trips_small);
    if let Some((scroll, t)) = &trips_big {
        print_trips(o.big, scroll, t);
    }
    Ok(())
}

fn print_memory(when: &str, mem: &[(String, u64, u64, u64)]) {
    println!("Memory with {when} (KiB → MB):");
    println!();
    println!("| process | RSS | PSS | USS |");
    println!("|---|---:|---:|---:|");
    let (mut rss, mut pss, mut uss) = (0u64, 0u64, 0u64);
    let mb = |k: u64| k as f64 / 1024.0;
    for (name, r, p, u) in mem {
        println!(
            "| {name} | {:.0} MB | {:.0} MB | {:.0} MB |",
            mb(*r),
            mb(*p),
            mb(*u)
        );
        rss += r;
        pss += p;
        uss += u;
    }
    println!(
        "| **total** | {:.0} MB | {:.0} MB | {:.0} MB |",
        mb(rss),
        mb(pss),
        mb(uss)
    );
    println!();
}

/// What the page itself holds: DOM elements, style rules, canvases, table rows in the DOM.
/// (WebKit exposes no JavaScript heap figure to the page: `performance.memory` is absent.)
fn page_probe(s: &Session, when: &str) -> Result<String> {
    let v = s.script(
        "const rules = [...document.styleSheets].reduce((n, sh) => { \
           try { return n + sh.cssRules.length } catch (e) { return n } }, 0); \
         return { elements: document.getElementsByTagName('*').length, rules, \
                  canvases: document.querySelectorAll('canvas').length, \
                  rows: document.querySelectorAll('[role=row]').length };",
        vec![],
    )?;
    Ok(format!("Page {when}: {v}\n\n"))
}

/// A picture of the whole X display into `dir/name.png`, if `dir` is given.
fn x_shot(dir: Option<&Path>, name: &str) -> Result<()> {
    let Some(dir) = dir else { return Ok(()) };
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!("{name}.png"));
    let ok = std::process::Command::new("import")
        .args(["-window", "root"])
        .arg(&path)
        .status()
        .context("import (imagemagick) is needed for --shots")?
        .success();
    if !ok {
        bail!("import -window root {} failed", path.display());
    }
    Ok(())
}

fn session_timeouts(s: &Session) -> Result<()> {
    s.script("return 1", vec![])?;
    s.set_script_timeout(Duration::from_secs(600))
}

fn print_trips(n: usize, scroll: &[f64], trips: &[(String, i64, Vec<f64>)]) {
    println!(
        "Dovuti in the window with {n} debts (`dovuti_pagina` invoked from the page: IPC + count + page of 200 + JSON):"
    );
    println!();
    println!("| query | matching | median | max |");
    println!("|---|---:|---:|---:|");
    for (name, total, times) in trips {
        let (m, _, hi) = stats(times);
        let total = if *total < 0 {
            "(not counted: a scroll)".to_string()
        } else {
            total.to_string()
        };
        println!("| {name} | {total} | {m:.1} ms | {hi:.1} ms |");
    }
    if !scroll.is_empty() {
        let (m, lo, hi) = stats(scroll);
        println!(
            "| scroll the table to the middle / the end, until those rows are drawn | — | {m:.0} ms | {hi:.0} ms (min {lo:.0}) |"
        );
    }
    println!();
}

fn stats(v: &[f64]) -> (f64, f64, f64) {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    if s.is_empty() {
        return (f64::NAN, f64::NAN, f64::NAN);
    }
    (s[s.len() / 2], s[0], s[s.len() - 1])
}

/// Opens Dovuti and scrolls its table to the middle and to the end, timing each scroll until
/// the rows in view carry their data (ms).
fn scroll_through_dovuti(s: &Session) -> Result<Vec<f64>> {
    nav(s, "dovuti")?;
    s.wait_count(&format!("{}[data-iud]", tid("dovuto-riga")), 5, T_UI)?;
    scroll_to(s, &[0.5, 1.0, 0.25, 0.75])
}

/// Scrolls the Dovuti table to each fraction of its height in turn, timing each scroll until
/// the rows in view carry their data (ms).
fn scroll_to(s: &Session, positions: &[f64]) -> Result<Vec<f64>> {
    let mut out = Vec::new();
    for &at in positions {
        let v = s.script_async(
            "const [at, done] = arguments; \
             const el = document.querySelector('.mpd-virt') || document.querySelector('[role=table]'); \
             if (!el) { done({ errore: 'no scrollable table' }); return; } \
             const t = performance.now(); let frames = 0; \
             el.scrollTop = Math.floor((el.scrollHeight - el.clientHeight) * at); \
             const box = el.getBoundingClientRect(); \
             const check = () => { \
               frames++; \
               const rows = [...el.querySelectorAll('[role=row]')].filter(r => { \
                 const b = r.getBoundingClientRect(); \
                 return !r.classList.contains('mpd-vhead') && b.bottom > box.top + 40 && b.top < box.bottom; }); \
               const ready = rows.length > 0 && rows.every(r => r.getAttribute('data-iud')); \
               if (frames > 2 && ready) done({ ms: performance.now() - t, rows: rows.length }); \
               else if (performance.now() - t > 30000) done({ errore: 'rows not drawn after 30 s' }); \
               else requestAnimationFrame(check); }; \
             requestAnimationFrame(check);",
            vec![json!(at)],
        )?;
        match v["ms"].as_f64() {
            Some(ms) => out.push(ms),
            None => eprintln!("  scroll to {at}: {v}"),
        }
    }
    Ok(out)
}

/// `dovuti_pagina` from the page for the screen's filters, 5 times each (ms).
fn round_trips(s: &Session, n: usize) -> Result<Vec<(String, i64, Vec<f64>)>> {
    let filters = json!([
        ["no filter, first page", {}],
        [format!("no filter, row {}", n / 2), { "offset": n / 2 }],
        ["no filter, last page", { "offset": n.saturating_sub(200) }],
        ["state = ready", { "stato": "ready" }],
        ["payment type = TARI", { "tipo": "TARI" }],
        ["due date in 2027-03", { "scadenzaDal": "2027-03-01", "scadenzaAl": "2027-03-31" }],
        ["text «ROSSI»", { "testo": "ROSSI" }],
        ["text matching nothing", { "testo": "ZZQXW" }],
        ["state + type + due date", { "stato": "ready", "tipo": "TARI", "scadenzaDal": "2027-03-01", "scadenzaAl": "2027-03-31" }],
    ]);
    let v = s.script_async(
        "const [filters, done] = arguments; \
         const invoke = window.__TAURI_INTERNALS__.invoke; \
         (async () => { \
           const out = []; \
           for (const [name, f] of filters) { \
             const times = []; let total = 0; \
             for (let i = 0; i < 5; i++) { \
               const t = performance.now(); \
               const p = await invoke('dovuti_pagina', { richiesta: { offset: 0, limit: 200, ...f } }); \
               times.push(performance.now() - t); total = p.totale; \
             } \
             out.push([name, total, times]); \
           } \
           done(out); \
         })().catch(e => done({ errore: String(e && (e.messaggio || e.message) || e) }));",
        vec![filters],
    )?;
    let Some(list) = v.as_array() else {
        bail!("dovuti_pagina from the page failed: {v}");
    };
    let mut out = Vec::new();
    for item in list {
        let name = item[0].as_str().unwrap_or_default().to_string();
        let total = item[1].as_i64().unwrap_or(-1);
        let times = item[2]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_f64).collect())
            .unwrap_or_default();
        out.push((name, total, times));
    }
    Ok(out)
}

/// pid → parent pid, for every process.
fn parents() -> HashMap<u32, u32> {
    let mut m = HashMap::new();
    if let Ok(dir) = std::fs::read_dir("/proc") {
        for e in dir.flatten() {
            let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            if let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat"))
                && let Some(after) = stat.rfind(')').map(|i| &stat[i + 2..])
                && let Some(ppid) = after.split(' ').nth(1).and_then(|p| p.parse().ok())
            {
                m.insert(pid, ppid);
            }
        }
    }
    m
}

fn descendants(root: u32) -> Vec<u32> {
    let parents = parents();
    let mut out = Vec::new();
    let mut frontier = vec![root];
    while let Some(p) = frontier.pop() {
        for (&c, &pp) in &parents {
            if pp == p {
                out.push(c);
                frontier.push(c);
            }
        }
    }
    out
}

/// One mapping's figures from `/proc/PID/smaps` (KiB).
#[derive(Default, Clone, Copy)]
struct Figures {
    size: u64,
    rss: u64,
    pss: u64,
    uss: u64,
}

impl std::ops::AddAssign for Figures {
    fn add_assign(&mut self, o: Figures) {
        self.size += o.size;
        self.rss += o.rss;
        self.pss += o.pss;
        self.uss += o.uss;
    }
}

/// What a mapping holds, from its name in `smaps`: anonymous memory is where WebKit keeps the
/// JavaScript heap, the DOM and style data (libpas/bmalloc), the JIT's code and glibc's
/// malloc arenas; named shared memory (`memfd:`, `/dev/shm`, SysV, `/dev/dri`) holds the
/// buffers between the web process and the compositor; libraries and fonts are files.
fn category(name: &str) -> &'static str {
    if name.is_empty() {
        "anonymous (JS heap, DOM, malloc, JIT)"
    } else if name == "[heap]" {
        "[heap] (brk malloc)"
    } else if name.starts_with('[') {
        "[stack] and other kernel"
    } else if name.starts_with("memfd:")
        || name.starts_with("/dev/shm")
        || name.starts_with("/SYSV")
        || name.starts_with("/dev/dri")
        || name.starts_with("/memfd:")
    {
        "shared memory / GPU buffers"
    } else if name.contains(".so") {
        "shared libraries"
    } else if name.contains("/fonts/")
        || name.ends_with(".ttf")
        || name.ends_with(".otf")
        || name.contains("fontconfig")
    {
        "fonts"
    } else {
        "other files"
    }
}

/// A process's memory by kind of mapping, and its largest private mappings (for BENCHMARKS.md).
fn smaps_breakdown(pid: u32) -> (Vec<(&'static str, Figures)>, Vec<(String, Figures)>) {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps")).unwrap_or_default();
    let mut by: Vec<(&'static str, Figures)> = Vec::new();
    let mut maps: Vec<(String, Figures)> = Vec::new();
    let mut cur: Option<(String, Figures)> = None;
    let mut flush = |cur: Option<(String, Figures)>, by: &mut Vec<(&'static str, Figures)>| {
        if let Some((name, f)) = cur {
            let c = category(name.split_once(' ').map_or("", |(_, n)| n));
            match by.iter_mut().find(|(k, _)| *k == c) {
                Some((_, t)) => *t += f,
                None => by.push((c, f)),
            }
            maps.push((name, f));
        }
    };
    for line in text.lines() {
        let mut parts = line.split_whitespace();
        let first = parts.next().unwrap_or_default();
        if first.contains('-') && !first.ends_with(':') {
            flush(cur.take(), &mut by);
            // "addr-addr perms offset dev inode [name]": keep perms and name.
            let fields: Vec<&str> = line.split_whitespace().collect();
            let name = fields.get(5..).map(|n| n.join(" ")).unwrap_or_default();
            cur = Some((
                format!("{} {name}", fields.get(1).copied().unwrap_or_default()),
                Figures::default(),
            ));
            continue;
        }
        let kib: u64 = parts.next().and_then(|v| v.parse().ok()).unwrap_or(0);
        if let Some((_, f)) = cur.as_mut() {
            match first {
                "Size:" => f.size += kib,
                "Rss:" => f.rss += kib,
                "Pss:" => f.pss += kib,
                "Private_Clean:" | "Private_Dirty:" => f.uss += kib,
                _ => {}
            }
        }
    }
    flush(cur.take(), &mut by);
    by.sort_by(|a, b| b.1.uss.cmp(&a.1.uss));
    maps.sort_by(|a, b| b.1.uss.cmp(&a.1.uss));
    maps.truncate(8);
    (by, maps)
}

/// [`smaps_breakdown`] of the app and every process under it.
fn breakdown(when: &str, app: u32) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let mb = |k: u64| k as f64 / 1024.0;
    writeln!(out, "Memory by kind of mapping, {when} (MB):").ok();
    writeln!(out).ok();
    writeln!(out, "| process | mapping | RSS | PSS | USS |").ok();
    writeln!(out, "|---|---|---:|---:|---:|").ok();
    for pid in std::iter::once(app).chain(descendants(app)) {
        let name = std::fs::read_to_string(format!("/proc/{pid}/comm"))
            .unwrap_or_default()
            .trim()
            .to_string();
        let (by, top) = smaps_breakdown(pid);
        for (c, f) in by.iter().filter(|(_, f)| f.rss >= 1024) {
            writeln!(
                out,
                "| {name} | {c} | {:.0} | {:.0} | {:.0} |",
                mb(f.rss),
                mb(f.pss),
                mb(f.uss)
            )
            .ok();
        }
        for (m, f) in top.iter().filter(|(_, f)| f.uss >= 4096) {
            writeln!(
                out,
                "| {name} | largest: `{}` ({:.0} MB mapped) | {:.0} | {:.0} | {:.0} |",
                if m.trim().len() <= 5 {
                    format!("{m} anonymous")
                } else {
                    m.clone()
                },
                mb(f.size),
                mb(f.rss),
                mb(f.pss),
                mb(f.uss)
            )
            .ok();
        }
    }
    writeln!(out).ok();
    out
}

/// The app process: a descendant of tauri-driver running `bin`.
fn app_pid(driver: u32, bin: &Path) -> Option<u32> {
    descendants(driver)
        .into_iter()
        .find(|p| std::fs::read_link(format!("/proc/{p}/exe")).is_ok_and(|exe| exe == bin))
}

/// Seconds since boot (`/proc/uptime`, 10 ms resolution).
fn uptime() -> Result<f64> {
    let s = std::fs::read_to_string("/proc/uptime")?;
    Ok(s.split_whitespace().next().context("uptime")?.parse()?)
}

/// A process's start, in seconds since boot (`/proc/PID/stat` field 22, in clock ticks).
fn process_start(pid: u32) -> Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    let after = &stat[stat.rfind(')').context("stat")? + 2..];
    // Fields after the command start at field 3 (state); starttime is field 22.
    let ticks: f64 = after.split(' ').nth(22 - 3).context("starttime")?.parse()?;
    let hz: f64 = std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(100.0);
    Ok(ticks / hz)
}

fn status_kib(pid: u32, file: &str, key: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/{file}"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// (name, RSS, PSS, USS in KiB) of the app and every process under it. RSS counts shared pages
/// in every process, PSS splits them among all processes mapping them (other WebKit instances
/// on the machine included), USS is the process's private memory only.
fn memory(app: u32) -> Result<Vec<(String, u64, u64, u64)>> {
    let mut out = Vec::new();
    for pid in std::iter::once(app).chain(descendants(app)) {
        let name = std::fs::read_to_string(format!("/proc/{pid}/comm"))
            .unwrap_or_default()
            .trim()
            .to_string();
        let rss = status_kib(pid, "status", "VmRSS:");
        let pss = status_kib(pid, "smaps_rollup", "Pss:");
        let uss = status_kib(pid, "smaps_rollup", "Private_Clean:")
            + status_kib(pid, "smaps_rollup", "Private_Dirty:");
        if rss > 0 {
            out.push((format!("{name} ({pid})"), rss, pss, uss));
        }
    }
    if out.is_empty() {
        bail!("no memory figures for {app}");
    }
    Ok(out)
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{cpu}, {cores} cores")
}
