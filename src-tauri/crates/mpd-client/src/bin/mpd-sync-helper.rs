//! Test helper of the crash test (not shipped): runs the sync engine against a database and a
//! MyPay URL, printing `STEP <n> <passo>` after each persisted step. With `MPD_HELPER_STOP_AT=N`
//! it stops right after step N and waits to be killed (the test sends SIGKILL), so a kill lands
//! exactly after each persisted step.
//!
//! Usage: `mpd-sync-helper <db> <base-url> submit|receipts`; the password comes from
//! `MYPAY_DESK_PASSWORD`. Timeouts and pauses are scaled down for tests.

use std::io::Write;
use std::time::Duration;

use mpd_client::config::{Backoff, SyncConfig};
use mpd_client::sync::receipts::Window;
use mpd_client::{Ambiente, Connessione, Engine, MyPayClient, Secret};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        eprintln!("uso: mpd-sync-helper <db> <base-url> submit|receipts");
        std::process::exit(2);
    }
    let stop_at: Option<u64> = std::env::var("MPD_HELPER_STOP_AT")
        .ok()
        .and_then(|s| s.parse().ok());
    let password =
        Secret::new(std::env::var(mpd_client::credentials::ENV_PASSWORD).unwrap_or_default());
    let chiave = std::env::var(mpd_core::ENV_FRASE_ARCHIVIO)
        .ok()
        .and_then(|t| mpd_core::Chiave::da_testo(&t))
        .expect("the database's key in MYPAY_DESK_DB_PASSPHRASE");
    let mut desk =
        mpd_core::Desk::open(Some(std::path::Path::new(&args[1])), &chiave).expect("database");
    let ente = desk.require_ente().expect("ente");
    let conn = Connessione::new(Ambiente::Custom, &args[2]);
    let config = test_config();
    let client = MyPayClient::new(
        &conn.soap_url(),
        &ente.codice_ipa,
        password,
        &config.timeouts,
    )
    .expect("client");
    let mut n: u64 = 0;
    let mut on_event = |e: &mpd_client::Event| {
        if let mpd_client::Event::Step { oggetto, passo } = e {
            n += 1;
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "STEP {n} {oggetto} {passo}");
            let _ = out.flush();
            if stop_at == Some(n) {
                // Persisted: wait here for the SIGKILL.
                loop {
                    std::thread::sleep(Duration::from_secs(60));
                }
            }
        }
    };
    let mut engine = Engine::new(&mut desk, &client, config, &mut on_event);
    let outcome = match args[3].as_str() {
        "submit" => engine
            .desk()
            .build_flows(mpd_domain::Version::V1_4, None)
            .map_err(mpd_client::SyncError::from)
            .and_then(|_| engine.submit_all().map(|(_, errors)| errors.join("; "))),
        "receipts" => engine
            .download_receipts(&Window::Incremental)
            .map(|_| String::new()),
        other => {
            eprintln!("fase sconosciuta {other}");
            std::process::exit(2);
        }
    };
    match outcome {
        Ok(errors) if errors.is_empty() => println!("DONE"),
        Ok(errors) => {
            println!("ERRORS {errors}");
            std::process::exit(1);
        }
        Err(e) => {
            println!("ERROR {e}");
            std::process::exit(1);
        }
    }
}

fn test_config() -> SyncConfig {
    let ms = Duration::from_millis;
    SyncConfig {
        timeouts: mpd_client::api::Timeouts {
            connect: Duration::from_secs(2),
            soap: Duration::from_secs(10),
            transfer: Duration::from_secs(10),
        },
        retry: Backoff {
            initial: ms(5),
            max: ms(50),
            max_attempts: 20,
        },
        poll: Backoff {
            initial: ms(10),
            max: ms(50),
            max_attempts: u32::MAX,
        },
        max_wait: Duration::from_secs(30),
        seed: Some(1),
        ..SyncConfig::default()
    }
}
