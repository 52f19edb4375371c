//! End-to-end tests of MyPay Desk's real window, driven through WebDriver (tauri-driver +
//! WebKitWebDriver) under a display (Xvfb), only through the `data-testid`s of the UI contract.
//!
//! ```text
//! MYPAY_DESK_BIN=target/debug/mypay-desk xvfb-run -a -s '-screen 0 1280x800x24' \
//!   cargo test -p mpd-e2e --test webdriver            # the scenarios (what .ci/test runs)
//! … cargo test -p mpd-e2e --test webdriver -- --bench # window benchmarks (BENCHMARKS.md)
//! ```
//!
//! Scenarios: the first start with the demo data; the clerk's whole chain against the MyPay
//! emulator run as a separate process (`mypay-desk sim`): import an Excel file with one bad row,
//! fix it in the form, build and submit the flow, see it loaded, let the emulator pay half the
//! debts, download the receipts, see those debts paid, then the Ente and Contributo screens;
//! and issue 13's items 1–5 (`scenari13.rs`): a roll with a row-number column «N.», a row
//! repeated in the file and one already in the archive («Importa comunque» per group, the same
//! file again refused), the summary per payment type and a flow of one type only, a send with
//! the emulator stopped (red, nothing lost) and again once it is back, Sportello's locked
//! result and its two questions (an identical second debt, a cancellation); every screen at
//! 1024×700 and 1200×800 (`ogni_schermata_a_1024_e_1200`: axe, no cut text, the keyboard); and a
//! debt position's form (`posizioni.rs`: rata unica and instalments shown with the debt); the
//! Ente form's part for the payment notices at 1024×700 (`ente_avviso.rs`); the
//! notices of a campaign (`avvisi.rs`: the plan with a position skipped, generated into a
//! folder, at 1024×700); a
//! TARI roll with instalments imported in Importa (`posizioni_import.rs`); the connection
//! switched to the Piattaforma Unitaria in Impostazioni, saved and checked against the emulator
//! playing PU, at 1200×800 and 1024×700 (`piattaforma.rs`, issue 15); receipts synced from
//! the emulator and two FdR files picked in Riconciliazione: the totals by state, the
//! anomalies with their reason, the quadratura and one flow's rows, at 1200×800 and 1024×700
//! (`riconciliazione.rs`, issue 16); the FdR downloaded from the emulator with «Scarica i
//! flussi da MyPay»: explained without a password, the days chosen checked, every payment
//! rendicontato (`riconciliazione_scarica.rs`); an FdR and the treasury journal picked there: the
//! payments «Incassati in tesoreria», the entries with their match, the reversal proposal
//! saved as CSV through the save dialog (`riconciliazione_tesoreria.rs`).
//! axe-core checks every screenshot (`axe.rs`).
//! Every step writes a screenshot (`MPD_E2E_SCREENSHOTS`, default `target/e2e-screenshots`);
//! a failing step also writes the page source there and prints it.
//!
//! Window sizes: `MPD_E2E_SIZES=1200x800,1024x700` runs every scenario at every size listed
//! (the window is sized through WebDriver and the page's inner size checked); without it every
//! scenario runs at 1200×800 (the window's own size) and `primo_avvio_demo` also at 1024×700,
//! the smallest size the screens are made for. A run at another size than 1200×800 is named
//! `scenario@WxH` (filters match it) and its screenshots go to a folder of that name.
//!
//! Waits are generous (a debug WebKit on a loaded 2-core CI machine is slow) and poll; nothing
//! here asserts a time.

mod app;
mod axe;
mod bench;
mod scenarios;
mod wd;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--list") {
        // `cargo test -- --list` style discovery: one "test" per scenario.
        match scenarios::plan() {
            Ok(plan) => {
                for (_, v) in plan {
                    println!("{}: test", v.name);
                }
            }
            Err(e) => {
                eprintln!("webdriver: {e:#}");
                return ExitCode::FAILURE;
            }
        }
        return ExitCode::SUCCESS;
    }
    let setup = match app::Setup::from_env() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("webdriver: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    let result = if args.iter().any(|a| a == "--bench") {
        bench::run(&setup, &args)
    } else {
        // Other arguments filter the scenarios by name, as libtest does.
        let filters: Vec<&str> = args
            .iter()
            .filter(|a| !a.starts_with('-'))
            .map(String::as_str)
            .collect();
        scenarios::run(&setup, &filters)
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nwebdriver: FAILED: {e:#}");
            ExitCode::FAILURE
        }
    }
}
