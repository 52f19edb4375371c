//! The `mypay-desk` binary: with a subcommand it runs headless (mpd-cli), without one it opens
//! the window.
//!
//! Release builds on Windows use the GUI subsystem so that a double-click opens no console;
//! a subcommand then attaches to the parent console (cmd, PowerShell) so that its output and
//! exit code show there (tauri-apps/tauri#8305).
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if mpd_cli::wants_headless(&args) {
        attach_parent_console();
        std::process::exit(mpd_cli::run_from_args(args));
    }
    // Before anything else starts: the password leaves the environment programs opened from
    // the window would inherit.
    let credenziali = mypay_desk::trattieni_credenziali();
    mypay_desk::run(credenziali);
}

#[cfg(windows)]
#[allow(unsafe_code)] // one documented Win32 call, no memory is shared
fn attach_parent_console() {
    use windows_sys::Win32::System::Console::{ATTACH_PARENT_PROCESS, AttachConsole};
    // SAFETY: AttachConsole takes a process id by value and has no pointer arguments.
    unsafe {
        AttachConsole(ATTACH_PARENT_PROCESS);
    }
}

#[cfg(not(windows))]
fn attach_parent_console() {}
