//! `mpd-bench riconciliazione [--receipts N] [--dir DIR] [--runs R]`: issue 16's figure — a
//! year of a large Ente (1,000,000 receipts, 20,000 FdR holding 1,000,000 rows, 20,000
//! treasury entries) reconciled from scratch by `Desk::stati_riconciliazione` (what `reconcile`,
//! the Riconciliazione screen and the exports start from: every payment's state, every entry's
//! match or suggestions, every FdR's quadratura and treasury amount, kept in the store), then
//! one more day added (its receipts, FdR and treasury entries) to the archive reconciled the
//! day before and reconciled again (only what the day touched is recomputed), then every
//! payment's reason built (`Desk::riconcilia`, what `reconcile` and the exports ask for; no
//! target in the issue), and the Riconciliazione window's list as it opens (the totals and a
//! page of anomalies with their reasons, `riconciliazione_elenco`).
//!
//! The stores are prepared once in `--dir` (default `/var/tmp/mpd-riconciliazione`; never
//! timed): the archive as loaded, and the same reconciled as of three days after its last
//! payments. Each is copied for each run; each measurement runs in a child process, so that
//! its peak RSS (`VmHWM`) is its own. The data are shaped like the real thing: 50 payments per
//! FdR, one FdR per PSP and day over 365 days, one treasury entry per FdR with MyPivot's
//! causale; a few anomalies (an amount other than reported, an FdR not in the treasury, an
//! entry matching nothing) so that the reasons and suggestions are computed too.
//!
//! Targets (issue 16): from scratch ≤ 15 s and ≤ 1 GB; one more day ≤ 1 s.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use mpd_core::Desk;
use mpd_store::Store;
use mpd_store::rendicontazione::{NewFdr, NewRigaFdr};
use mpd_store::ricevute::NewRicevuta;
use mpd_store::tesoreria::{NuovoGiornale, NuovoMovimento};

const PER_FLUSSO: usize = 50;
const PSP: [&str; 5] = [
    "BCITITMM",
    "UNCRITMM",
    "BPPIITRRXXX",
    "PASCITMM",
    "CIPBITMM",
];

fn giorno_zero() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()
}

/// One day's data: `flussi` FdR of [`PER_FLUSSO`] payments each, starting at payment number
/// `primo`; the receipts, the flows and the treasury entries.
fn giorno(
    d: usize,
    flussi: usize,
    primo: usize,
) -> (Vec<NewRicevuta>, Vec<NewFdr>, Vec<NuovoMovimento>) {
    let data = giorno_zero() + Duration::days(d as i64);
    let regolamento = data + Duration::days(1);
    let mut ricevute = Vec::with_capacity(flussi * PER_FLUSSO);
    let mut fdr = Vec::with_capacity(flussi);
    let mut movimenti = Vec::with_capacity(flussi);
    let mut n = primo;
    for f in 0..flussi {
        let psp = PSP[f % PSP.len()];
        let iuf = format!("{}{psp}-{d}-{f}", regolamento.format("%Y-%m-%d"));
        let mut righe = Vec::with_capacity(PER_FLUSSO);
        let mut totale = 0;
        for k in 0..PER_FLUSSO {
            let iuv = format!("{:017}", 10_000_000_000_000_000u64 + n as u64);
            let iur = format!("IUR{n:012}");
            let importo = 1_000 + (n % 9_000) as i64;
            // One payment in 10,000 reported with another amount.
            let riportato = if n % 10_000 == 7 {
                importo + 50
            } else {
                importo
            };
            ricevute.push(NewRicevuta {
                iuv: iuv.clone(),
                iur: iur.clone(),
                iud: format!("IUD{n:012}"),
                importo_cents: importo,
                data_esito: data.to_string(),
                esito: "0".into(),
                psp_id: psp.into(),
                psp_nome: format!("PSP {psp}"),
                codice_pagatore: "RSSMRA80A01H501U".into(),
                anagrafica_pagatore: "ROSSI MARIO".into(),
                tipo_dovuto: "TARI".into(),
                causale: "TARI".into(),
                ..Default::default()
            });
            righe.push(NewRigaFdr {
                numero: k as i64 + 1,
                iuv,
                iur,
                indice: Some(1),
                importo_cents: riportato,
                esito: 0,
                data_esito: data.to_string(),
            });
            totale += riportato;
            n += 1;
        }
        fdr.push(NewFdr {
            iuf: iuf.clone(),
            psp_id: psp.into(),
            versione_oggetto: "1.0".into(),
            data_ora_flusso: format!("{regolamento}T08:00:00"),
            iur_regolamento: format!("TRN{d:04}{f:04}"),
            data_regolamento: regolamento.to_string(),
            mittente_tipo: "B".into(),
            mittente_codice: psp.into(),
            mittente_nome: format!("PSP {psp}"),
            ricevente_codice: "80000000000".into(),
            ricevente_nome: "COMUNE DI PROVA".into(),
            numero_dichiarato: PER_FLUSSO as i64,
            importo_dichiarato_cents: totale,
            file: format!("{iuf}.xml"),
            righe,
            ..Default::default()
        });
        // One FdR in 500 never reaches the treasury; one entry in 1,000 is a plain transfer.
        if (d * flussi + f) % 500 == 3 {
            continue;
        }
        let plain = (d * flussi + f) % 1_000 == 11;
        movimenti.push(NuovoMovimento {
            riga: movimenti.len() as i64 + 2,
            anno: regolamento.format("%Y").to_string().parse().unwrap(),
            bolletta: format!("{d}-{f}"),
            data_contabile: (regolamento + Duration::days(1)).to_string(),
            data_valuta: (regolamento + Duration::days(1)).to_string(),
            importo_cents: totale,
            ordinante: format!("PSP {psp}"),
            causale: if plain {
                "BONIFICO FATTURA 12".into()
            } else {
                format!("/PUR/LGPE-RIVERSAMENTO/URI/{iuf}")
            },
            iuf: (!plain).then(|| iuf.clone()),
            iuv: None,
            lettura: String::new(),
            ..Default::default()
        });
    }
    (ricevute, fdr, movimenti)
}

fn store_into(store: &mut Store, day: usize, flussi: usize, primo: usize) -> Result<usize> {
    let (ricevute, fdr, movimenti) = giorno(day, flussi, primo);
    let n = ricevute.len();
    let now = Utc.from_utc_datetime(
        &(giorno_zero() + Duration::days(day as i64 + 3))
            .and_hms_opt(12, 0, 0)
            .unwrap(),
    );
    store.upsert_ricevute(ricevute, now)?;
    store.salva_fdr(&fdr, now)?;
    store.salva_giornale(
        &NuovoGiornale {
            formato: "csv".into(),
            identita: format!("bench-{day}"),
            impronta: format!("bench-{day}"),
            file: format!("giornale-{day}.csv"),
            movimenti,
        },
        now,
    )?;
    Ok(n)
}

/// The instant of the run from scratch: three days after the year's last payments.
fn istante(giorni_dopo: i64) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(
        &(giorno_zero() + Duration::days(365 + giorni_dopo))
            .and_hms_opt(9, 0, 0)
            .unwrap(),
    )
}

/// The prepared stores for `receipts` payments over 365 days: the archive as loaded (no
/// reconciliation kept yet) and the same after a reconciliation as of [`istante`]`(3)`, the
/// day before «one more day».
fn prepare(dir: &Path, receipts: usize) -> Result<(PathBuf, PathBuf)> {
    std::fs::create_dir_all(dir)?;
    let db = dir.join(format!("riconciliazione-{receipts}.sqlite"));
    let riconciliata = dir.join(format!("riconciliazione-{receipts}-riconciliata.sqlite"));
    if !db.exists() {
        let tmp = dir.join("in-preparazione.sqlite");
        let _ = std::fs::remove_file(&tmp);
        let mut store = Store::open(&tmp, &crate::prepare::chiave())?;
        let flussi_al_giorno = (receipts / PER_FLUSSO).div_ceil(365).max(1);
        let mut n = 0;
        let start = Instant::now();
        for d in 0..365 {
            if n >= receipts {
                break;
            }
            n += store_into(&mut store, d, flussi_al_giorno, n)?;
        }
        drop(store);
        std::fs::rename(&tmp, &db)?;
        eprintln!(
            "prepared {n} receipts in {:.0} s: {}",
            start.elapsed().as_secs_f64(),
            db.display()
        );
    }
    if !riconciliata.exists() {
        let tmp = dir.join("in-preparazione.sqlite");
        std::fs::copy(&db, &tmp)?;
        let desk = Desk::open(Some(&tmp), &crate::prepare::chiave())?.with_now(istante(3));
        desk.dimentica_riconciliazione()?;
        desk.stati_riconciliazione()?;
        drop(desk);
        std::fs::rename(&tmp, &riconciliata)?;
    }
    Ok((db, riconciliata))
}

/// In the child: `scratch` reconciles the archive with no reconciliation kept; `day` adds one
/// more day to the archive reconciled the day before, then reconciles.
fn child(kind: &str, db: &str, receipts: usize) -> Result<()> {
    let flussi_al_giorno = (receipts / PER_FLUSSO).div_ceil(365).max(1);
    let desk = if kind == "day" {
        // The day is stored first (its import is timed by other benchmarks), then the
        // reconciliation of the whole archive that now holds it, a day after the last one.
        let mut store = Store::open(Path::new(db), &crate::prepare::chiave())?;
        store_into(&mut store, 365, flussi_al_giorno, receipts + 1_000_000_000)?;
        drop(store);
        Desk::open(Some(Path::new(db)), &crate::prepare::chiave())?.with_now(istante(4))
    } else if kind == "reasons" {
        // Every payment with its reason, as `reconcile` and the exports ask for them, on the archive reconciled the day before (so the states are only read).
        let desk = Desk::open(Some(Path::new(db)), &crate::prepare::chiave())?.with_now(istante(3));
        let start = Instant::now();
        let r = desk.riconcilia()?;
        let secs = start.elapsed().as_secs_f64();
        let anomalie = r.pagamenti.iter().filter(|p| p.stato.anomalia()).count();
        println!(
            "RESULT {secs:.3} {} {} {} {} {anomalie} states-read",
            crate::scenarios::peak_rss_kib(),
            r.pagamenti.len(),
            r.flussi.len(),
            r.movimenti.len(),
        );
        return Ok(());
    } else if kind == "page" {
        // The Riconciliazione window's list as it opens: the totals of every payment and the
        // first page of the anomalies with their reasons (mpd-app's `elenco_pagamenti`, the
        // command `riconciliazione_elenco`), on the archive reconciled the day before; the
        // archive's opening included.
        let app = mpd_app::App::new(
            Some(PathBuf::from(db)),
            mpd_app::ConnectOptions::default(),
            Box::leak(Box::<mpd_client::credentials::MemoryStore>::default()),
        )
        .con_frase_archivio(Some(&crate::prepare::chiave().testo()))
        .con_ora(istante(3));
        let start = Instant::now();
        let e = mpd_app::riconciliazione::elenco_pagamenti(&app, None, Some(0))
            .map_err(|e| anyhow::anyhow!("{}", e.messaggio))?;
        let secs = start.elapsed().as_secs_f64();
        let tutti: usize = e.totali.iter().map(|t| t.numero).sum();
        let anomalie: usize = e
            .totali
            .iter()
            .filter(|t| t.anomalia)
            .map(|t| t.numero)
            .sum();
        println!(
            "RESULT {secs:.3} {} {tutti} — — {anomalie} {}-shown",
            crate::scenarios::peak_rss_kib(),
            e.pagamenti.len(),
        );
        return Ok(());
    } else {
        let desk = Desk::open(Some(Path::new(db)), &crate::prepare::chiave())?.with_now(istante(3));
        desk.dimentica_riconciliazione()?;
        desk
    };
    let start = Instant::now();
    let r = desk.stati_riconciliazione()?;
    let secs = start.elapsed().as_secs_f64();
    let anomalie = r.pagamenti.iter().filter(|p| p.stato.anomalia()).count();
    println!(
        "RESULT {secs:.3} {} {} {} {} {anomalie} {}",
        crate::scenarios::peak_rss_kib(),
        r.pagamenti.len(),
        r.flussi.len(),
        r.movimenti.len(),
        if r.esecuzione.completa {
            "full".to_string()
        } else {
            format!("{}-iuv", r.esecuzione.ricalcolati)
        }
    );
    Ok(())
}

pub fn run(args: &[String]) -> Result<()> {
    let mut dir = PathBuf::from("/var/tmp/mpd-riconciliazione");
    let mut receipts = 1_000_000usize;
    let mut runs = 3usize;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--dir" => dir = PathBuf::from(it.next().context("--dir needs a value")?),
            "--receipts" => receipts = it.next().context("--receipts needs a value")?.parse()?,
            "--runs" => runs = it.next().context("--runs needs a value")?.parse()?,
            "__child" => {
                let kind = it.next().context("__child needs a kind")?;
                let db = it.next().context("__child needs a database")?;
                let n = it.next().context("__child needs a size")?.parse()?;
                return child(kind, db, n);
            }
            other => bail!(
                "unknown argument «{other}» (mpd-bench riconciliazione [--receipts N] [--dir DIR] [--runs R])"
            ),
        }
    }
    let (db, riconciliata) = prepare(&dir, receipts)?;
    println!(
        "## mpd-bench riconciliazione, {}",
        chrono::Utc::now().format("%Y-%m-%d")
    );
    println!();
    println!("Machine: {}", crate::machine());
    println!();
    println!(
        "| measurement | wall (median of {runs}) | min–max | peak RSS | payments | FdR | treasury entries | anomalies | recomputed | target |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---|---|");
    for (kind, what, target) in [
        ("scratch", "from scratch", "≤ 15 s, ≤ 1 GB"),
        ("day", "one more day", "≤ 1 s"),
        (
            "reasons",
            "every payment's reason (`Desk::riconcilia`)",
            "—",
        ),
        (
            "page",
            "the window's list: totals and a page of anomalies (`riconciliazione_elenco`)",
            "—",
        ),
    ] {
        if kind == "page" && std::env::var_os(crate::cifratura::ENV_IN_CHIARO).is_some() {
            // The app opens only encrypted archives: a plain one it would encrypt first.
            println!(
                "| {what} | — | — | — | — | — | — | — | — | not measured on a plain archive, which the app encrypts before opening |"
            );
            continue;
        }
        let mut times = Vec::new();
        let mut last = String::new();
        for _ in 0..runs {
            let copy = dir.join("copia.sqlite");
            std::fs::copy(
                if kind == "scratch" {
                    &db
                } else {
                    &riconciliata
                },
                &copy,
            )?;
            let out = Command::new(std::env::current_exe()?)
                .args(["riconciliazione", "__child", kind])
                .arg(&copy)
                .arg(receipts.to_string())
                .output()?;
            let stdout = String::from_utf8_lossy(&out.stdout);
            let line = stdout
                .lines()
                .find_map(|l| l.strip_prefix("RESULT "))
                .with_context(|| {
                    format!(
                        "{kind}: no RESULT line ({})",
                        String::from_utf8_lossy(&out.stderr)
                    )
                })?
                .to_string();
            times.push(line.split(' ').next().unwrap().parse::<f64>()?);
            last = line;
            std::fs::remove_file(&copy)?;
        }
        times.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let f: Vec<&str> = last.split(' ').collect();
        let rss_mb = f[1].parse::<f64>()? / 1024.0;
        println!(
            "| {what} | {:.2} s | {:.2}–{:.2} s | {rss_mb:.0} MB | {} | {} | {} | {} | {} | {target} |",
            times[times.len() / 2],
            times[0],
            times[times.len() - 1],
            f[2],
            f[3],
            f[4],
            f[5],
            f[6]
        );
    }
    Ok(())
}
