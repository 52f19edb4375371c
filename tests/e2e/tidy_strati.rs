//! The layers' house rules (ARCHITECTURE.md, "Invariants"), checked as plain tests over every
//! source tree: the front ends reach the store only through the application layer (mpd-app),
//! SQL lives in mpd-store, MyPay's file layouts in mpd-tracciato, and time is read only where it
//! is passed in. Test code (`#[cfg(test)]` modules, `*_tests.rs`, `tests/` folders) is exempt.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if path.is_dir() {
            if name != "target" && name != "tests" && name != "node_modules" {
                rust_files(&path, out);
            }
        } else if name.ends_with(".rs") && !name.ends_with("_tests.rs") && name != "tests.rs" {
            out.push(path);
        }
    }
}

/// The file's code without its test module (test modules close the file: clippy's
/// `items_after_test_module`).
fn non_test_code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let cut = [
        "#[cfg(test)]\nmod ",
        "#[cfg(test)]\npub mod ",
        "#[cfg(test)]\npub(crate) mod ",
    ]
    .iter()
    .filter_map(|m| text.find(m))
    .min()
    .unwrap_or(text.len());
    text[..cut].to_string()
}

/// Non-test source files under `dirs` (relative to the repository), minus `except`.
fn sources(dirs: &[&str], except: &[&str]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for d in dirs {
        rust_files(&root().join(d), &mut files);
    }
    files.retain(|f| {
        let rel = f
            .strip_prefix(root())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        !except.iter().any(|e| rel.starts_with(e))
    });
    files
}

/// Every `(file:line, needle)` where a needle occurs in non-test code (comments skipped).
fn occurrences(files: &[PathBuf], needles: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for f in files {
        for (i, line) in non_test_code(f).lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            for n in needles {
                if code.contains(n) {
                    let rel = f.strip_prefix(root()).unwrap().display().to_string();
                    found.push(format!("{rel}:{}: «{n}»", i + 1));
                }
            }
        }
    }
    found
}

#[test]
fn the_front_ends_reach_the_store_only_through_the_application_layer() {
    // The window's commands and the CLI's handlers: one call into mpd-app each.
    let files = sources(
        &["src-tauri/src/commands", "src-tauri/crates/mpd-cli/src"],
        // `sim` is the emulator's own command line (a fake server, not a front end of the desk).
        // `prova_ipc` is compiled for the shell's tests only (`#[cfg(test)]` in commands/mod.rs).
        &[
            "src-tauri/crates/mpd-cli/src/sim.rs",
            "src-tauri/src/commands/prova_ipc.rs",
        ],
    );
    let found = occurrences(
        &files,
        &[
            "mpd_store::",
            ".store()",
            ".store_mut()",
            "mpd_cli::",
            "Desk::open",
            "Desk::in_memory",
            "Engine::new",
        ],
    );
    assert!(
        found.is_empty(),
        "the front ends must call mpd-app, not the store or the CLI:\n{}",
        found.join("\n")
    );
}

#[test]
fn only_mpd_core_holds_the_store_of_a_desk() {
    // `Desk::store()` is crate-private: the layers above (mpd-client's engine, mpd-app, the
    // benchmarks) use the methods listed in mpd-core's `archivio.rs`.
    let files = sources(
        &["src-tauri"],
        &["src-tauri/crates/mpd-core/", "src-tauri/crates/mpd-store/"],
    );
    let found = occurrences(&files, &[".store()", ".store_mut()"]);
    assert!(
        found.is_empty(),
        "only mpd-core reaches a desk's store (add a method to archivio.rs):\n{}",
        found.join("\n")
    );
    // Its `test-support` feature makes it public to other crates' tests: a dev-dependency only
    // (the end-to-end test crate is all tests).
    let mut manifests = vec![root().join("src-tauri/Cargo.toml")];
    for entry in std::fs::read_dir(root().join("src-tauri/crates")).unwrap() {
        manifests.push(entry.unwrap().path().join("Cargo.toml"));
    }
    let mut wrong = Vec::new();
    for m in manifests.iter().filter(|m| m.exists()) {
        let mut section = String::new();
        for line in std::fs::read_to_string(m).unwrap().lines() {
            if line.starts_with('[') {
                section = line.trim().to_string();
            } else if line.starts_with("mpd-core")
                && line.contains("test-support")
                && section != "[dev-dependencies]"
            {
                wrong.push(format!("{}: {line} in {section}", m.display()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "mpd-core's test-support only as a dev-dependency:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn sql_lives_in_the_store() {
    // Every source tree but mpd-store's and the emulator's database module (the emulator is a
    // separate fake MyPay with its own private database; its other modules only pass the
    // connection around).
    let files = sources(
        &["src-tauri", "tests"],
        &[
            "src-tauri/crates/mpd-store/",
            "src-tauri/crates/mpd-emulator/src/db.rs",
            "tests/e2e/tidy",
        ],
    );
    let found = occurrences(
        &files,
        &[
            "rusqlite::",
            "params![",
            "SELECT ",
            "INSERT INTO",
            "UPDATE ",
            "DELETE FROM",
            "CREATE TABLE",
        ],
    );
    assert!(
        found.is_empty(),
        "SQL belongs in mpd-store (the emulator's in its db.rs):\n{}",
        found.join("\n")
    );
}

#[test]
fn mypay_file_layouts_live_in_mpd_tracciato() {
    // Zip containers are MyPay's flows (mpd-tracciato), the clerk's spreadsheets (mpd-sheets:
    // xlsx and ods are zips) and the adhesion ODT (mpd-adesione). No one else opens a zip.
    let files = sources(
        &["src-tauri"],
        &[
            "src-tauri/crates/mpd-tracciato/",
            "src-tauri/crates/mpd-sheets/",
            "src-tauri/crates/mpd-adesione/",
            "src-tauri/crates/mpd-emulator/",
            "src-tauri/crates/mpd-bench/",
        ],
    );
    let found: Vec<String> = occurrences(&files, &["zip::"])
        .into_iter()
        .filter(|o| !o.contains("flow_zip::"))
        .collect();
    let found: Vec<String> = found
        .into_iter()
        .filter(|o| {
            // `mpd_tracciato::flow_zip::…` is the layout's API, not the layout.
            let (loc, _) = o.rsplit_once(": «").unwrap();
            let (file, line) = loc.rsplit_once(':').unwrap();
            let text = non_test_code(&root().join(file));
            let l = text
                .lines()
                .nth(line.parse::<usize>().unwrap() - 1)
                .unwrap_or("");
            l.replace("flow_zip::", "").contains("zip::")
        })
        .collect();
    assert!(
        found.is_empty(),
        "MyPay's file layouts belong in mpd-tracciato:\n{}",
        found.join("\n")
    );
}

#[test]
fn time_is_read_only_where_it_is_passed_in() {
    // `Desk::now` (mpd-core) and `App` (mpd-app) are where the clock is read, and pinned in
    // tests; everything else takes `now`/`today` from them. The emulator and the benchmarks
    // are separate programs with their own clocks. `Instant` (durations) is not a date.
    let files = sources(
        &["src-tauri"],
        &[
            "src-tauri/crates/mpd-core/src/lib.rs",
            "src-tauri/crates/mpd-app/src/lib.rs",
            "src-tauri/crates/mpd-emulator/",
            "src-tauri/crates/mpd-bench/",
        ],
    );
    let found = occurrences(&files, &["Utc::now", "Local::now", "SystemTime::now"]);
    assert!(
        found.is_empty(),
        "read the time from Desk::now or App, where tests pin it:\n{}",
        found.join("\n")
    );
}
