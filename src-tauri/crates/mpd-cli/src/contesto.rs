//! What every handler needs from the global options: the application (database, connection to
//! MyPay, password source) and the index upkeep run to its end before a command returns.

use anyhow::Result;
use mpd_app::connessione::{self, ConnectOptions};
use mpd_app::{App, Lavoro};
use mpd_client::credentials::{self, CredentialStore};

use crate::args::Cli;
use crate::output::Out;

/// The OS keyring: the one place a clerk's password is kept (headless runs use
/// `MYPAY_DESK_PASSWORD`).
pub(crate) fn credential_store() -> &'static (dyn CredentialStore + Send + Sync) {
    connessione::keyring()
}

/// The connection the global options ask for (`--env`, `--base-url`, `--platform`); on a fresh machine the
/// demo also saves the demo Ente and a few sample debts.
pub(crate) fn connect_options(cli: &Cli) -> ConnectOptions {
    ConnectOptions {
        env: cli.remote.env.clone(),
        base_url: cli.remote.base_url.clone(),
        seed_demo: true,
        env_password: std::env::var(credentials::ENV_PASSWORD).ok(),
        piattaforma: cli.remote.platform.clone(),
        env_client_id: std::env::var(mpd_client::piattaforma::ENV_CLIENT_ID).ok(),
        env_client_secret: std::env::var(mpd_client::piattaforma::ENV_CLIENT_SECRET).ok(),
        sync: None,
    }
}

/// The application for one command: the database and connection the global options name; the
/// archive's key from `MYPAY_DESK_DB_PASSPHRASE` when set, else the OS keyring.
pub(crate) fn app(cli: &Cli) -> App {
    let app = App::new(cli.db.clone(), connect_options(cli), credential_store())
        .con_frase_archivio(cli.frase_archivio.as_ref().map(|s| s.expose()));
    match cli.ora {
        Some(ora) => app.con_ora(ora),
        None => app,
    }
}

/// Finishes the index upkeep a very large import or download left behind (the secondary
/// indexes and the search index), so that the command ends with everything in place. Progress
/// goes to standard error, every five seconds; nothing with `--json`.
pub(crate) fn upkeep(o: &mut Out<'_>, app: &App) -> Result<()> {
    let start = std::time::Instant::now();
    let json = o.json;
    let fatto = {
        let err = &mut *o.err;
        let mut ultimo: Option<std::time::Instant> = None;
        let lavoro = Lavoro::new(
            |rimasti: i64| {
                if json {
                    return;
                }
                let testo = mpd_core::adesione::format_int(rimasti.unsigned_abs());
                match ultimo {
                    None => {
                        let _ = writeln!(
                            err,
                            "Aggiornamento degli indici dei dovuti ({testo} da indicizzare per la ricerca)…"
                        );
                        ultimo = Some(std::time::Instant::now());
                    }
                    Some(t) if t.elapsed().as_secs() >= 5 => {
                        let _ = writeln!(err, "  ancora {testo} dovuti da indicizzare");
                        ultimo = Some(std::time::Instant::now());
                    }
                    Some(_) => {}
                }
            },
            Default::default(),
        );
        mpd_app::home::completa_manutenzione(app, &lavoro)?
    };
    if fatto && !json {
        writeln!(
            o.err,
            "Indici aggiornati in {:.1} s.",
            start.elapsed().as_secs_f64()
        )?;
    }
    Ok(())
}
