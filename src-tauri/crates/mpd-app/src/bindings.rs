//! The window's TypeScript types, generated from this crate's Rust types (ts-rs) into one
//! committed file, `ui/src/bindings.ts`. The test fails when the file is stale; to refresh it:
//! `MPD_AGGIORNA_BINDINGS=1 cargo test -p mpd-app bindings`.
//!
//! Each area module lists its root types in a `tipi_ts` function; ts-rs follows their fields.
//! 64-bit integers become `number`: serde_json sends them as JSON numbers, and no id, count or
//! amount in cents comes near 2^53.

use std::path::{Path, PathBuf};

const INTESTAZIONE: &str = "// Generated from the Rust types of mpd-app by ts-rs: do not edit by hand.\n// Refresh: MPD_AGGIORNA_BINDINGS=1 cargo test -p mpd-app bindings\n";

type Esportatore = fn(&ts_rs::Config) -> Result<(), ts_rs::ExportError>;

/// Every module's types, each module into a folder of its own, so that two Rust types with
/// the same name in two modules (one TypeScript name) are caught instead of one silently
/// overwriting the other.
fn esporta(dir: &Path) -> Result<(), ts_rs::ExportError> {
    let moduli: [(&str, Esportatore); 17] = [
        ("errore", crate::errore::tipi_ts),
        ("archivio", crate::archivio::tipi_ts),
        ("adesione", crate::adesione::tipi_ts),
        ("avvisi", crate::avvisi::tipi_ts),
        ("contabilita", crate::contabilita::tipi_ts),
        ("contributo", crate::contributo::tipi_ts),
        ("dovuti", crate::dovuti::tipi_ts),
        ("flussi", crate::flussi::tipi_ts),
        ("home", crate::home::tipi_ts),
        ("importa", crate::importa::tipi_ts),
        ("impostazioni", crate::impostazioni::tipi_ts),
        ("posizioni", crate::posizioni::tipi_ts),
        ("rapporto", crate::rapporto::tipi_ts),
        ("ricevute", crate::ricevute::tipi_ts),
        ("riconciliazione", crate::riconciliazione::tipi_ts),
        ("tesoreria", crate::tesoreria::tipi_ts),
        ("sportello", crate::sportello::tipi_ts),
    ];
    for (nome, tipi_ts) in moduli {
        let cfg = ts_rs::Config::new()
            .with_large_int("number")
            .with_out_dir(dir.join(nome));
        tipi_ts(&cfg)?;
    }
    Ok(())
}

fn file_ts(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            file_ts(&p, out);
        } else if p.extension().is_some_and(|x| x == "ts") {
            out.push(p);
        }
    }
}

/// Every exported type in one file, sorted by name, without the per-file imports.
pub fn genera() -> String {
    let dir = tempfile::tempdir().unwrap();
    esporta(dir.path()).unwrap();
    let mut files = Vec::new();
    file_ts(dir.path(), &mut files);
    let mut decls: Vec<(String, String)> = files
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            let body: Vec<&str> = text
                .lines()
                .filter(|l| {
                    !l.starts_with("import ") && !l.starts_with("// This file was generated")
                })
                .collect();
            let name = p.file_stem().unwrap().to_string_lossy().to_string();
            (name, body.join("\n").trim().to_string())
        })
        .collect();
    decls.sort();
    decls.dedup();
    for w in decls.windows(2) {
        assert!(
            w[0].0 != w[1].0,
            "two different Rust types are named {} in TypeScript: rename one",
            w[0].0
        );
    }
    let mut out = String::from(INTESTAZIONE);
    for (_, d) in decls {
        out.push('\n');
        out.push_str(&d);
        out.push('\n');
    }
    out
}

fn percorso() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../ui/src/bindings.ts")
}

#[test]
fn bindings_are_fresh() {
    let generated = genera();
    let path = percorso();
    if std::env::var_os("MPD_AGGIORNA_BINDINGS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "ui/src/bindings.ts is stale: refresh it with MPD_AGGIORNA_BINDINGS=1 cargo test -p mpd-app bindings"
    );
}
