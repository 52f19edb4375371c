//! `mpd-bench client`: the MyPay client on loopback against the in-process emulator, with the
//! emulator's artificial delays off (batches every 5 ms, no fault injection, polls from 5 ms).
//!
//! * **client-submit** — 10,000 debts (`--debts`) submitted end to end: timed
//!   `Engine::sync` (flows built, authorised, uploaded, polled, `_SCARTI`/`_IUV` downloaded and
//!   applied), then, after the emulator pays 70 % of them (untimed, the citizens' part), timed
//!   `Engine::download_receipts` (incremental: booked, polled, downloaded, read, matched).
//!   Target: both together ≤ 15 s.
//! * **client-export** — an export of 100,000 paid positions (`--export-rows`) downloaded and
//!   stored: debts submitted and all paid beforehand (untimed), then timed
//!   `download_receipts` over the payment dates. Target ≤ 6 s.
//!
//! Each scenario prints a table row like the main table's; run once (`--runs` repeats).

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use mpd_client::config::{Backoff, SyncConfig};
use mpd_client::sync::receipts::Window;
use mpd_client::{Ambiente, Connessione, Engine, Event, MyPayClient, Secret};
use mpd_core::Desk;
use mpd_emulator::{Emulator, EmulatorHandle, EmulatorOptions};

const PASSWORD: &str = "bench-password-0";

struct Opts {
    debts: usize,
    paid_share: f64,
    export_rows: usize,
    runs: usize,
    which: Vec<&'static str>,
}

fn parse(args: &[String]) -> Result<Opts> {
    let mut o = Opts {
        debts: 10_000,
        paid_share: 0.7,
        export_rows: 100_000,
        runs: 1,
        which: Vec::new(),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || -> Result<usize> {
            it.next()
                .with_context(|| format!("{a} vuole un numero"))?
                .parse()
                .with_context(|| format!("{a}: numero non valido"))
        };
        match a.as_str() {
            "--debts" => o.debts = value()?,
            "--export-rows" => o.export_rows = value()?,
            "--runs" => o.runs = value()?.max(1),
            "submit" | "client-submit" => o.which.push("client-submit"),
            "export" | "client-export" => o.which.push("client-export"),
            other => bail!("argomento sconosciuto: {other}"),
        }
    }
    if o.which.is_empty() {
        o.which = vec!["client-submit", "client-export"];
    }
    Ok(o)
}

fn config() -> SyncConfig {
    let ms = Duration::from_millis;
    SyncConfig {
        poll: Backoff {
            initial: ms(5),
            max: ms(50),
            max_attempts: u32::MAX,
        },
        retry: Backoff {
            initial: ms(5),
            max: ms(100),
            max_attempts: 20,
        },
        max_wait: Duration::from_secs(600),
        seed: Some(1),
        ..SyncConfig::default()
    }
}

struct World {
    _dir: tempfile::TempDir,
    emu: EmulatorHandle,
    desk: Desk,
    client: MyPayClient,
}

/// An emulator with the demo Ente and a desk holding `n` ready synthetic debts (untimed).
fn world(n: usize, seed: u64) -> Result<World> {
    let dir = tempfile::tempdir()?;
    let mut desk = Desk::open(
        Some(&dir.path().join("mypay-desk.sqlite")),
        &crate::prepare::chiave(),
    )?;
    let now = desk.now();
    let tipi = mpd_core::synth::tipi_demo();
    desk.save_ente(&mpd_core::debts::demo_ente(), "{}", &tipi, now)?;
    let csv = dir.path().join("debiti.csv");
    desk.generate_debts_csv(&csv, mpd_domain::Version::V1_4, n, seed)?;
    let r = desk.import_tracciato(&csv, true)?;
    if r.importate != n {
        bail!("importati {} dovuti su {n}", r.importate);
    }
    let mut options = EmulatorOptions::new(dir.path().join("emu"));
    options.batch_interval = Duration::from_millis(5);
    options.enti = vec![mpd_emulator::EnteConfig {
        ente: desk.require_ente()?,
        tipi: desk.tipi_dovuto()?,
        password: Some(PASSWORD.to_string()),
        stato: "ESERCIZIO".into(),
        client_id: String::new(),
        client_secret: None,
    }];
    let emu = Emulator::start(options)?;
    let conn = Connessione::new(Ambiente::Custom, &emu.base_url);
    let client = MyPayClient::new(
        &conn.soap_url(),
        &desk.require_ente()?.codice_ipa,
        Secret::new(PASSWORD),
        &config().timeouts,
    )?;
    Ok(World {
        _dir: dir,
        emu,
        desk,
        client,
    })
}

/// The emulator pays `share` of the open debts (untimed); returns the receipts made.
fn pay(w: &World, share: f64) -> Result<usize> {
    let request = mpd_emulator::PayRequest {
        ente: w.client.cod_ipa().to_string(),
        share: Some(share),
        seed: Some(5),
        data: None,
        iud: Vec::new(),
        ..Default::default()
    };
    let mut tries = 0;
    let resp = loop {
        match mpd_emulator::remote_pay(&w.emu.base_url, &request) {
            Ok(r) => break r,
            Err(e) if tries < 20 => {
                tries += 1;
                eprintln!("sim pay: {e}; riprovo");
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(e) => return Err(e.into()),
        }
    };
    // The incremental window is half-open at the emulator's clock, in seconds.
    let second = chrono::Local::now().timestamp();
    while chrono::Local::now().timestamp() == second {
        std::thread::sleep(Duration::from_millis(10));
    }
    Ok(resp.pagati.len())
}

/// With `MPD_BENCH_TRACE` set, each engine event on stderr with the time since the start:
/// where the time of a scenario goes.
fn tracer() -> impl FnMut(&Event) {
    let on = std::env::var_os("MPD_BENCH_TRACE").is_some();
    let t0 = Instant::now();
    move |e: &Event| {
        if on {
            eprintln!("{:>8.3} s  {e:?}", t0.elapsed().as_secs_f64());
        }
    }
}

fn sync_all(w: &mut World) -> Result<(usize, usize)> {
    let mut quiet = tracer();
    let mut engine = Engine::new(&mut w.desk, &w.client, config(), &mut quiet);
    let report = engine.sync(mpd_domain::Version::V1_4)?;
    if !report.errori.is_empty() {
        bail!("sync: {:?}", report.errori);
    }
    let loaded = report
        .flussi
        .iter()
        .map(|f| f.caricate as usize)
        .sum::<usize>();
    let rejected = report
        .flussi
        .iter()
        .map(|f| f.scartate as usize)
        .sum::<usize>();
    Ok((loaded, rejected))
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn submit_scenario(o: &Opts) -> Result<(Duration, String)> {
    let mut w = world(o.debts, 1)?;
    let t = Instant::now();
    let (loaded, rejected) = sync_all(&mut w)?;
    let submit = t.elapsed();
    if loaded + rejected != o.debts {
        bail!("esiti per {} dovuti su {}", loaded + rejected, o.debts);
    }
    let paid = pay(&w, o.paid_share)?;
    let mut quiet = tracer();
    let mut engine = Engine::new(&mut w.desk, &w.client, config(), &mut quiet);
    let t = Instant::now();
    let r = engine.download_receipts(&Window::Incremental)?;
    let receipts = t.elapsed();
    if r.riepilogo.nuove as usize != paid {
        bail!("ricevute nuove {} su {paid} pagamenti", r.riepilogo.nuove);
    }
    Ok((
        submit + receipts,
        format!(
            "submit {} ({loaded} loaded, {rejected} rejected); receipts {} ({paid} stored, {} matched)",
            secs(submit),
            secs(receipts),
            r.riepilogo.pagato
        ),
    ))
}

fn export_scenario(o: &Opts) -> Result<(Duration, String)> {
    let prep = Instant::now();
    let mut w = world(o.export_rows, 2)?;
    let (loaded, _) = sync_all(&mut w)?;
    let paid = pay(&w, 1.0)?;
    if paid != loaded {
        bail!("pagati {paid} su {loaded}");
    }
    let prep = prep.elapsed();
    let today = chrono::Local::now().date_naive();
    let mut quiet = tracer();
    let mut engine = Engine::new(&mut w.desk, &w.client, config(), &mut quiet);
    let t = Instant::now();
    let r = engine.download_receipts(&Window::Dates {
        from: today - chrono::Days::new(1),
        to: today + chrono::Days::new(1),
    })?;
    let wall = t.elapsed();
    if r.riepilogo.lette as usize != paid || r.riepilogo.nuove as usize != paid {
        bail!("export: {:?}, attese {paid} righe", r.riepilogo);
    }
    let bytes: u64 = r
        .file
        .iter()
        .filter_map(|f| std::fs::metadata(Path::new(f)).ok())
        .map(|m| m.len())
        .sum();
    Ok((
        wall,
        format!(
            "{paid} rows, {:.1} MB downloaded, {} matched; preparation (untimed) {}",
            bytes as f64 / 1e6,
            r.riepilogo.pagato,
            secs(prep)
        ),
    ))
}

/// `mpd-bench client [submit|export] [--debts N] [--export-rows N] [--runs R]`.
pub fn run(args: &[String]) -> Result<()> {
    let o = parse(args)?;
    println!("| scenario | rows | wall, median (min–max) | peak RSS | target | result | notes |");
    println!("|---|---:|---|---:|---|---|---|");
    for which in &o.which {
        let (target, rows) = match *which {
            "client-submit" => (Duration::from_secs(15), o.debts),
            _ => (Duration::from_secs(6), o.export_rows),
        };
        let mut walls = Vec::new();
        let mut notes = Vec::new();
        for _ in 0..o.runs {
            let (wall, note) = match *which {
                "client-submit" => submit_scenario(&o)?,
                _ => export_scenario(&o)?,
            };
            walls.push(wall);
            notes.push(note);
        }
        walls.sort();
        let (med, min, max) = (walls[walls.len() / 2], walls[0], walls[walls.len() - 1]);
        println!(
            "| {which} | {rows} | {} ({}–{}) | {:.0} MB | ≤ {} | {} | {} |",
            secs(med),
            secs(min),
            secs(max),
            crate::scenarios::peak_rss_kib() as f64 / 1024.0,
            secs(target),
            if med <= target { "pass" } else { "**miss**" },
            notes.join("; ")
        );
    }
    Ok(())
}
