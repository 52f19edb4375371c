//! The headless subcommands of `mypay-desk`.
//!
//! The binary hands its arguments here when the first one is a subcommand or a global flag
//! ([`wants_headless`]); with none it opens the window. Tests call [`run`] directly with their
//! own output buffers, so the CLI is tested without a display and without spawning processes.
//!
//! Exit codes: 0 done; 1 some rows are invalid or were rejected; 2 the input could not be read
//! (missing, misnamed, corrupt file) or another error stopped the command.
//!
//! Output is Italian for people; `--json` prints one JSON document for scripts.
//!
//! Every handler parses, makes one call into the application layer (`mpd_app`) and prints.
//! Modules, bottom-up (each imports only those above it): `args` (every clap definition),
//! `progress` and `suggerimenti` (the CLI's hint for an error code); `output` (printing);
//! `contesto` (the `App` of the global options, the index upkeep); the handlers `adesione`,
//! `remote`, `sim`, `riconcilia` (`reconcile`, `ente capitolo`); `commands` (the dispatch).

mod adesione;
mod args;
mod commands;
mod contesto;
mod output;
pub mod progress;
mod pulito;
mod remote;
mod riconcilia;
mod sim;
mod suggerimenti;

use std::ffi::OsString;
use std::io::Write;

use clap::Parser;

pub use args::Cli;

/// True when the arguments ask for a subcommand (or `--help`, `--version`) rather than the window.
pub fn wants_headless(args: &[OsString]) -> bool {
    args.len() > 1
}

/// Runs the CLI on the process's arguments, printing to stdout/stderr. Returns the exit code.
pub fn run_from_args(args: Vec<OsString>) -> i32 {
    init_tracing();
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    progress::set_terminal(std::io::IsTerminal::is_terminal(&stderr));
    // Never locked for the whole command: the log (other threads too: the HTTP client's, a TLS
    // library's) writes to the same standard error, and a lock held here would make it wait
    // for ever — each write takes the lock for itself.
    run(args, &mut { stdout }, &mut { stderr })
}

/// Runs the CLI with the given arguments (the first is the program name) and outputs; the
/// archive's passphrase or recovery code from `MYPAY_DESK_DB_PASSPHRASE`, if set.
pub fn run(args: Vec<OsString>, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let frase = std::env::var(mpd_app::archivio::ENV_FRASE_ARCHIVIO).ok();
    run_con_frase_archivio(args, out, err, frase)
}

/// [`run`] with the archive's passphrase or recovery code given by the caller (tests, which
/// cannot change the process environment while other tests run), not read from the
/// environment.
pub fn run_con_frase_archivio(
    args: Vec<OsString>,
    out: &mut dyn Write,
    err: &mut dyn Write,
    frase_archivio: Option<String>,
) -> i32 {
    run_con(args, out, err, frase_archivio, None)
}

/// [`run_con_frase_archivio`] on a desk whose clock reads `ora`: for tests whose fixtures have
/// fixed dates (an FdR settled on a given day is «non incassato» ten days later), so that they
/// give the same result whatever the day they run. Only callers in code can set it: no flag
/// or environment variable moves a clerk's clock.
pub fn run_alle(
    args: Vec<OsString>,
    out: &mut dyn Write,
    err: &mut dyn Write,
    frase_archivio: Option<String>,
    ora: chrono::DateTime<chrono::Utc>,
) -> i32 {
    run_con(args, out, err, frase_archivio, Some(ora))
}

fn run_con(
    args: Vec<OsString>,
    out: &mut dyn Write,
    err: &mut dyn Write,
    frase_archivio: Option<String>,
    ora: Option<chrono::DateTime<chrono::Utc>>,
) -> i32 {
    let mut cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let text = e.render().to_string();
            let _ = if e.use_stderr() {
                write!(err, "{text}")
            } else {
                write!(out, "{text}")
            };
            return code;
        }
    };
    cli.frase_archivio = frase_archivio.map(mpd_app::Secret::new);
    cli.ora = ora;
    // Text goes out cleaned (control characters, very long lines: `pulito`); a JSON document
    // is already escaped and stays whole.
    let mut err_pulito = pulito::Pulito::new(err);
    let err: &mut dyn Write = &mut err_pulito;
    let mut out_pulito;
    let out: &mut dyn Write = if cli.json {
        out
    } else {
        out_pulito = pulito::Pulito::new(out);
        &mut out_pulito
    };
    match commands::dispatch(&cli, out, err) {
        Ok(code) => code,
        Err(e) => {
            let testo = format!("{e:#}");
            let codice = suggerimenti::errore_codificato(e).map(|x| x.codice);
            let suggerimento = codice.and_then(|c| suggerimenti::suggerimento(&cli, c));
            if cli.json {
                let mut v = serde_json::json!({ "errore": testo });
                if let Some(c) = codice {
                    v["codice"] = serde_json::json!(c);
                }
                if let Some(s) = &suggerimento {
                    v["suggerimento"] = serde_json::json!(s);
                }
                let _ = writeln!(out, "{v}");
            }
            let _ = writeln!(err, "errore: {testo}");
            if let Some(s) = suggerimento {
                let _ = writeln!(err, "suggerimento: {s}");
            }
            2
        }
    }
}

/// The archive's key of this crate's tests (this machine has no keyring): a recovery code.
#[cfg(test)]
pub(crate) fn tests_chiave() -> String {
    "CAFE-".repeat(15) + "CAFE"
}

fn init_tracing() {
    // Logs go to stderr, at the level MYPAY_DESK_LOG asks for (errors only when unset); they
    // never carry credentials.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("MYPAY_DESK_LOG"))
        .with_writer(std::io::stderr)
        .try_init();
}
