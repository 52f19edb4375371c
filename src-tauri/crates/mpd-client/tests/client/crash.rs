//! The crash test: the helper binary runs the engine and is killed with SIGKILL right after
//! each persisted step, then restarted; the end state must be the same as without the kill
//! (every debt loaded or rejected, one upload per flow, every receipt stored once).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::common::*;

const HELPER: &str = env!("CARGO_BIN_EXE_mpd-sync-helper");

/// Runs the helper; with `stop_at`, kills it (SIGKILL) once it reports that step. Returns
/// whether the helper reached the step (false: it finished before).
fn run_helper(db: &std::path::Path, url: &str, phase: &str, stop_at: Option<u64>) -> bool {
    let mut cmd = Command::new(HELPER);
    cmd.args([db.to_str().unwrap(), url, phase])
        .env(mpd_client::credentials::ENV_PASSWORD, PASSWORD)
        .env(
            mpd_core::ENV_FRASE_ARCHIVIO,
            mpd_core::testing::CHIAVE_DI_PROVA,
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(n) = stop_at {
        cmd.env("MPD_HELPER_STOP_AT", n.to_string());
    }
    let mut child = cmd.spawn().unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let mut reached = false;
    let mut last = String::new();
    for line in stdout.lines() {
        let line = line.unwrap();
        if let Some(n) = stop_at
            && line.starts_with(&format!("STEP {n} "))
        {
            reached = true;
            child.kill().unwrap(); // SIGKILL on Unix
            break;
        }
        last = line;
    }
    let status = child.wait().unwrap();
    if !reached {
        assert!(status.success(), "helper failed: {last}");
    }
    reached
}

#[test]
fn killed_after_each_persisted_step_then_restarted() {
    // Submission: a fresh world per kill point.
    let mut steps = 0;
    for n in 1.. {
        let world = start(Default::default());
        let desk = prepare_desk(&world, 12, 5);
        drop(desk);
        let reached = run_helper(&world.db, &world.emu.base_url, "submit", Some(n));
        run_helper(&world.db, &world.emu.base_url, "submit", None);
        let desk = mpd_core::Desk::open(Some(&world.db), &mpd_core::testing::chiave()).unwrap();
        assert_settled(&world, &desk);
        if !reached {
            break;
        }
        steps = n;
        assert!(n < 50, "too many steps");
    }
    assert!(steps >= 4, "submission persisted only {steps} steps");

    // Receipts: one world with paid debts; each kill point on a copy of the database
    // (exports only read at MyPay, so the emulator can be shared).
    let world = start(Default::default());
    drop(prepare_desk(&world, 12, 6));
    run_helper(&world.db, &world.emu.base_url, "submit", None);
    let paid = pay(&world, 0.7, 3);
    assert!(paid > 0);
    let mut steps = 0;
    for n in 1.. {
        let copy = world
            .dir
            .path()
            .join(format!("copia-{n}"))
            .join("mypay-desk.sqlite");
        std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
        mpd_core::Desk::open(Some(&world.db), &mpd_core::testing::chiave())
            .unwrap()
            .store()
            .backup_to(&copy)
            .unwrap();
        let reached = run_helper(&copy, &world.emu.base_url, "receipts", Some(n));
        run_helper(&copy, &world.emu.base_url, "receipts", None);
        let desk = mpd_core::Desk::open(Some(&copy), &mpd_core::testing::chiave()).unwrap();
        assert_eq!(
            desk.store().count_ricevute().unwrap() as usize,
            paid,
            "kill at step {n}"
        );
        assert!(desk.store().export_aperta().unwrap().is_none());
        if !reached {
            break;
        }
        steps = n;
        assert!(n < 20);
    }
    assert!(steps >= 2, "receipts persisted only {steps} steps");
}
