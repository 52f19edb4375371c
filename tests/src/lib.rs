//! Helpers for the end-to-end tests: a temporary data folder, the CLI run in-process with
//! captured output, and fixtures built in code (profiles, tracciato files, flow zips).

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use mpd_domain::{Column, RawRow, Version};

/// The demo profile of the issue, plus a tipo that allows ANONIMO.
pub const ENTE_TOML: &str = r#"
[ente]
codice_ipa = "c_x123"
codice_fiscale = "00123456789"
denominazione = "Comune di Esempio"
codice_segregazione = "12"
password = "Segreta-Pw-123"

[[tipi_dovuto]]
codice = "TARI"
descrizione = "Tassa rifiuti"
dati_specifici_riscossione = "9/0101100IM/"
attivo = true
cf_anonimo = false
scadenza_obbligatoria = true

[[tipi_dovuto]]
codice = "SANZIONI"
descrizione = "Sanzioni amministrative"
dati_specifici_riscossione = "9/0101106SA/"
cf_anonimo = true
"#;

/// Returns once the current second of the wall clock has ended: the incremental export of
/// receipts reads whole seconds, so a payment in the second its export is booked comes with the
/// next one (nothing is lost, but a test counting downloads must wait).
pub fn after_this_second() {
    let second = chrono::Local::now().timestamp();
    while chrono::Local::now().timestamp() == second {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// What a CLI run printed.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub out: String,
    pub err: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.out)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", self.out, self.err))
    }
}

/// A temporary data folder with its own database.
pub struct Env {
    pub dir: tempfile::TempDir,
    /// The desk's clock for every command (`None`: the real one); see [`Env::alle`].
    pub ora: Option<chrono::DateTime<chrono::Utc>>,
}

impl Default for Env {
    fn default() -> Self {
        Env::new()
    }
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
            ora: None,
        }
    }

    /// Every later command runs on a desk whose clock reads `ora` (`yyyy-mm-ddThh:mm:ssZ`):
    /// for fixtures with fixed dates, which must not age with the real date.
    pub fn alle(mut self, ora: &str) -> Env {
        self.ora = Some(ora.parse().expect("an RFC 3339 instant"));
        self
    }

    /// A folder with the profile of [`ENTE_TOML`] already loaded.
    pub fn with_ente() -> Env {
        let env = Env::new();
        let toml = env.write("ente.toml", ENTE_TOML.as_bytes());
        let r = env.cli(&["ente", "set", toml.to_str().unwrap()]);
        assert_eq!(r.code, 0, "{r:?}");
        env
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("desk.sqlite")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, bytes).expect("write fixture");
        p
    }

    /// Runs `mypay-desk --db <db> ARGS…` in-process.
    pub fn cli(&self, args: &[&str]) -> Run {
        let mut argv: Vec<OsString> = vec!["mypay-desk".into(), "--db".into(), self.db().into()];
        argv.extend(args.iter().map(OsString::from));
        let mut out = Vec::new();
        let mut err = Vec::new();
        // The archive's key as `MYPAY_DESK_DB_PASSPHRASE` would give it.
        let frase = Some(mpd_core::testing::CHIAVE_DI_PROVA.into());
        let code = match self.ora {
            Some(ora) => mpd_cli::run_alle(argv, &mut out, &mut err, frase, ora),
            None => mpd_cli::run_con_frase_archivio(argv, &mut out, &mut err, frase),
        };
        Run {
            code,
            out: String::from_utf8(out).expect("utf-8 stdout"),
            err: String::from_utf8(err).expect("utf-8 stderr"),
        }
    }

    /// Like [`Env::cli`] with `--json`, parsed.
    pub fn json(&self, args: &[&str]) -> (i32, serde_json::Value) {
        let mut a = vec!["--json"];
        a.extend_from_slice(args);
        let r = self.cli(&a);
        (r.code, r.json())
    }

    pub fn desk(&self) -> mpd_core::Desk {
        mpd_core::Desk::open(Some(&self.db()), &mpd_core::testing::chiave()).expect("open desk")
    }
}

/// A valid debt row of the test Ente.
pub fn row(iud: &str, cf: &str, importo: &str) -> RawRow {
    let mut r = RawRow::default();
    r.set(Column::Iud, iud);
    r.set(
        Column::TipoIdentificativoUnivoco,
        if cf.len() == 11 { "G" } else { "F" },
    );
    r.set(Column::CodiceIdentificativoUnivoco, cf);
    r.set(Column::AnagraficaPagatore, "ROSSI MARIO");
    r.set(Column::NazionePagatore, "IT");
    r.set(Column::ProvinciaPagatore, "MI");
    r.set(Column::DataScadenzaPagamento, "2027-03-31");
    r.set(Column::ImportoDovuto, importo);
    r.set(Column::TipoDovuto, "TARI");
    r.set(Column::CausaleVersamento, "TARI 2027 prima rata");
    r.set(Column::DatiSpecificiRiscossione, "9/0101100IM/");
    r.set(Column::FlagGeneraIuv, "true");
    r.set(Column::Azione, "I");
    r
}

/// The bytes of a tracciato CSV of `rows`.
pub fn tracciato(version: Version, rows: &[RawRow]) -> Vec<u8> {
    let mut w = mpd_tracciato::ImportWriter::new(Vec::new(), version).expect("writer");
    for r in rows {
        w.write_row(r).expect("row");
    }
    w.finish().expect("finish")
}

/// Writes a flow zip `<ipa>-<iuf>-<version>.zip` into `dir` holding exactly `csv`.
pub fn flow_zip(dir: &Path, ipa: &str, iuf: &str, version: Version, csv: &[u8]) -> PathBuf {
    let name = mpd_tracciato::FlowName::new(ipa, iuf, version).expect("flow name");
    mpd_tracciato::flow_zip::write_flow_zip_file(dir, &name, csv, 6).expect("zip")
}
