//! End-to-end tests of MyPay Desk's real window, driven through WebDriver (tauri-driver +
//! WebKitWebDriver) under a display (Xvfb), only through the `data-testid`s of the UI contract.
//!
//! ```text
//! MYPAY_DESK_BIN=target/debug/mypay-desk xvfb-run -a -s '-screen 0 1280x800x24' \
//!   cargo test -p mpd-e2e --test webdriver            # the scenarios (what .ci/test runs)
//! … cargo test -p mpd-e2e --test webdriver -- --bench # window benchmarks (BENCHMARKS.md)
//! ```
//!
//! Scenarios: the first start with the demo data; and the clerk's whole chain against the MyPay
//! emulator run as a separate process (`mypay-desk sim`): import an Excel file with one bad row,
//! fix it in the form, build and submit the flow, see it loaded, let the emulator pay half the
//! debts, download the receipts, see those debts paid, then the Ente and Contributo screens.
//! Every step writes a screenshot (`MPD_E2E_SCREENSHOTS`, default `target/e2e-screenshots`);
//! a failing step also writes the page source there and prints it.
//!
//! Waits are generous (a debug WebKit on a loaded 2-core CI machine is slow) and poll; nothing
//! here asserts a time.

mod app;
mod bench;
mod scenari13;
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
