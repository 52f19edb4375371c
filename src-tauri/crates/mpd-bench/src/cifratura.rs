//! `mpd-bench cifratura`: what the database's encryption (SQLCipher, issue 17 item 7) costs,
//! measured in one run on the same machine.
//!
//! ```text
//! cargo run --release -p mpd-bench -- cifratura [--rows N] [--receipts N] [--runs R] [--dir DIR]
//! ```
//!
//! The same benchmarks run twice, one after the other: on encrypted databases, as the app
//! keeps them (a raw 256-bit key, 8 KiB pages with an HMAC-SHA256: mpd-store's
//! `cifratura::Formato::Corrente`), and on plain ones, as before the
//! encryption (`Chiave::nessuna`, mpd-store's feature `in-chiaro`, which only this program
//! enables; 8 KiB pages). Each variant has its own data folder (`DIR/cifrato`,
//! `DIR/in-chiaro`), since a cached database is made under one key. The scenarios are the
//! store-bound ones: `insert` and `export` (`mpd-bench insert export --rows N`), the Dovuti
//! screen's queries (`mpd-bench dovuti --rows N`) and the reconciliation of `--receipts`
//! receipts (`mpd-bench riconciliazione --receipts N`). Each prints its own table, under the
//! variant's heading; BENCHMARKS.md («Encryption at rest») gives the ratios.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result, bail};

/// Set in a child's environment: its databases are plain ([`crate::prepare::chiave`]).
pub const ENV_IN_CHIARO: &str = "MPD_BENCH_IN_CHIARO";

pub fn run(args: &[String]) -> Result<()> {
    let mut dir = PathBuf::from("/var/tmp/mpd-cifratura");
    let mut rows = 200_000usize;
    let mut receipts = 200_000usize;
    let mut runs = 3usize;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .with_context(|| format!("{name} needs a value"))
        };
        match a.as_str() {
            "--dir" => dir = PathBuf::from(value("--dir")?),
            "--rows" => rows = value("--rows")?.replace('_', "").parse()?,
            "--receipts" => receipts = value("--receipts")?.replace('_', "").parse()?,
            "--runs" => runs = value("--runs")?.parse()?,
            other => bail!(
                "unknown argument «{other}» (mpd-bench cifratura [--rows N] [--receipts N] [--runs R] [--dir DIR])"
            ),
        }
    }
    println!(
        "# mpd-bench cifratura, {}",
        chrono::Utc::now().format("%Y-%m-%d")
    );
    println!();
    println!("Machine: {}", crate::machine());
    println!();
    let exe = std::env::current_exe()?;
    for (variante, in_chiaro) in [("cifrato", false), ("in-chiaro", true)] {
        let cartella = dir.join(variante);
        std::fs::create_dir_all(&cartella)?;
        let cartella_s = cartella.display().to_string();
        let (rows_s, receipts_s, runs_s) =
            (rows.to_string(), receipts.to_string(), runs.to_string());
        println!(
            "# {}",
            if in_chiaro {
                "Plain databases (as before the encryption)"
            } else {
                "Encrypted databases (SQLCipher, as the app keeps them)"
            }
        );
        println!();
        for argomenti in [
            vec![
                "insert",
                "export",
                "--rows",
                &rows_s,
                "--runs",
                &runs_s,
                "--dir",
                &cartella_s,
            ],
            vec![
                "dovuti",
                "--rows",
                &rows_s,
                "--runs",
                &runs_s,
                "--dir",
                &cartella_s,
            ],
            vec![
                "riconciliazione",
                "--receipts",
                &receipts_s,
                "--runs",
                &runs_s,
                "--dir",
                &cartella_s,
            ],
        ] {
            let mut c = Command::new(&exe);
            c.args(&argomenti);
            if in_chiaro {
                c.env(ENV_IN_CHIARO, "1");
            } else {
                c.env_remove(ENV_IN_CHIARO);
            }
            let out = c.output()?;
            if !out.status.success() {
                bail!(
                    "{variante} {}: {}",
                    argomenti.join(" "),
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            print!("{}", String::from_utf8_lossy(&out.stdout));
            println!();
        }
    }
    Ok(())
}
