//! House rules checked as plain tests (see ARCHITECTURE.md, "Invariants").

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
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn library_crates_do_not_depend_on_tauri() {
    let crates = root().join("src-tauri/crates");
    for entry in std::fs::read_dir(&crates).unwrap() {
        let manifest = entry.unwrap().path().join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest).unwrap();
        assert!(
            !text.lines().any(|l| l.trim_start().starts_with("tauri")),
            "{} depends on tauri",
            manifest.display()
        );
    }
}

#[test]
fn every_module_opens_with_a_doc_comment() {
    let mut files = Vec::new();
    rust_files(&root().join("src-tauri/crates"), &mut files);
    rust_files(&root().join("src-tauri/src"), &mut files);
    rust_files(&root().join("tests"), &mut files);
    let missing: Vec<String> = files
        .iter()
        .filter(|f| !f.components().any(|c| c.as_os_str() == "target"))
        .filter(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            !text.trim_start().starts_with("//!") && !text.trim_start().starts_with("#![")
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "modules without a //! doc: {missing:#?}"
    );
}

#[test]
fn only_the_store_knows_sql() {
    let mut files = Vec::new();
    for dir in [
        "src-tauri/crates/mpd-core",
        "src-tauri/crates/mpd-cli",
        "src-tauri/crates/mpd-domain",
        "src-tauri/crates/mpd-tracciato",
        "src-tauri/src",
    ] {
        rust_files(&root().join(dir), &mut files);
    }
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for needle in ["rusqlite::", "SELECT ", "INSERT INTO", "UPDATE dovuto"] {
            assert!(
                !text.contains(needle),
                "{} contains «{needle}»: SQL belongs in mpd-store",
                f.display()
            );
        }
    }
}
