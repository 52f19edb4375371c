//! The façade of MyPay Desk: every operation the CLI and the window offer.
//!
//! * [`Desk`]: an open local store plus the clock; one method per operation.
//! * [`ente_file`]: the Ente profile file (TOML).
//! * [`input`]: a debt as the clerk types it (`1.234,56`, `31/12/2026`) into a tracciato row.
//! * [`import`]: `debts import` of a CSV in any MyPay tracciato version, all or nothing.
//! * [`flows`]: `flow build` (zips of pending debts, M/A rows included) and `flow check`.
//! * [`receipts`]: reading an export of paid positions into the store.
//! * [`riconciliazione`]: FdR files into the store, each flow's quadratura, each payment's
//!   state with its reason (issue 16, first part).
//! * [`tesoreria`]: the treasury journal (CSV, bank Excel, OPI, Poste) into the store.
//! * [`contabilita`]: the finance office's side: allocation to budget chapters, collected
//!   amounts, reversal proposals, MyPivot's labels and export rows (issue 16).
//! * [`sheets`]: the clerk's spreadsheets (xlsx, xls, ods, any CSV): preview, mapped import,
//!   the Excel template and the export to Excel.
//! * [`bozze`]: drafts kept by an import, the window's debt form, bulk ready/cancel.
//! * [`synth`]: realistic synthetic debts.
//! * [`adesione`]: adhesion profile check, adhesion documents, regional contribution (mpd-adesione).
//! * [`paths`]: the per-user data folder.
//!
//! Architecture invariant: the CLI and the Tauri shell call only this crate; it holds no SQL
//! (mpd-store) and no file format (mpd-tracciato). Time comes from [`Desk::now`], which tests
//! can pin.
//!
//! Layers, bottom-up: a module uses only modules of the layers below its own, never one of
//! its own layer or above (so no two modules use each other, directly or not). The crate root
//! (`Desk`, `CoreError`, `Rules`) uses only `paths` and `ente_file`, and any module may use it.
//!
//! 0. Leaves, no sibling: `paths`, `input`, `synth`, `conservazione` (how long the app's own
//!    files are kept, and deleting the old ones), `files` (opening files),
//!    `store_thread` (bulk writes on their own thread), `report` (what an import reports:
//!    `Problem`, `RowReport`, `ImportReport`, `ImportMode`, hooks, progress, problem codes).
//! 1. `manutenzione` (conservazione: the upkeep also applies the retention);
//!    `ente_file` (input); `nota` (report: a draft's note, the IUDs of kept drafts);
//!    `flows` (report); `receipts` (files, store_thread); `riconciliazione` (files: FdR in, the
//!    quadratura, each payment's state, the treasury side of the reconciliation); `tesoreria`
//!    (files: the treasury journal in); `contabilita` (riconciliazione: each payment's budget
//!    allocation and MyPivot labels, the reversal proposals, MyPivot's export rows).
//! 2. `adesione` (ente_file, input); `pipeline` (input, nota, report, store_thread: the one
//!    two-pass import, over a `RowSource`).
//! 3. `debts` (adesione, input, report, synth); `import` (files, pipeline, report: the
//!    tracciato CSV as a `RowSource`).
//! 4. `sheets` (import, input, pipeline, report: the clerk's spreadsheets as a `RowSource`).
//! 5. `bozze` (input, nota, report; its tests also import, sheets, synth).

pub mod adesione;
mod archivio;
pub mod bozze;
pub mod conservazione;
pub mod contabilita;
pub mod debts;
pub mod ente_file;
mod files;
pub mod flows;
pub mod import;
pub mod input;
pub mod manutenzione;
mod nota;
pub mod paths;
mod pipeline;
pub mod posizioni;
pub mod receipts;
mod report;
pub mod riconciliazione;
pub mod sheets;
mod store_thread;
pub mod synth;
pub mod tesoreria;

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use mpd_domain::validate::RowContext;
use mpd_domain::{Ente, TipoDovuto, Version};
use mpd_store::Store;
use serde::Serialize;

/// The database's key ([`Desk::open`]) and what a database file is.
pub use mpd_store::cifratura::ENV_FRASE as ENV_FRASE_ARCHIVIO;
/// The test databases' key and other helpers for tests (feature `test-support`).
#[cfg(feature = "test-support")]
pub use mpd_store::testing;
pub use mpd_store::{
    Abbinamento, DovutoFilter, DovutoRecord, DovutoStato, FlussoRecord, FlussoStato, Manutenzione,
    MonthTotals, RicevutaRecord, StateCount, UpsertSummary,
};
pub use mpd_store::{Chiave, StatoFile};

/// Setting key of the date after which MyPay refuses new 15-digit IUVs.
/// MyPay ships `30/04/2024` (`pa.dataLimiteNuoviIuv15`); a region may configure another.
pub const SETTING_IUV15_LIMIT: &str = "mypay.data_limite_nuovi_iuv15";
/// Setting: the Ente's logo as `<file name>:<base64>`, a copy of the file in the data folder
/// kept in the archive (and so in its backups); see [`Desk::logo`].
pub const SETTING_LOGO: &str = "avviso.logo_archiviato";

/// The value of [`SETTING_LOGO`] for the logo file `nome` with these bytes.
fn logo_archiviato(nome: &str, bytes: &[u8]) -> String {
    use base64::Engine as _;
    format!(
        "{nome}:{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// A file that cannot be read as what it should be: `file: <Italian reason>` for the clerk, the
/// reader's whole error (with a library's own words, if any) in the log.
pub(crate) fn file_non_valido(
    file: &str,
    e: &(impl std::fmt::Display + std::fmt::Debug),
) -> CoreError {
    tracing::warn!(file, dettaglio = ?e, "file non leggibile");
    CoreError::Invalid(format!("{file}: {e}"))
}

/// Errors of the façade. Every message is Italian and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error(transparent)]
    Store(#[from] mpd_store::StoreError),
    #[error("impossibile leggere {path}: {}", mpd_domain::testo::causa_io(source))]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("impossibile scrivere {path}: {}", mpd_domain::testo::causa_io(source))]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("nessun profilo dell'Ente: va caricato prima di continuare")]
    NoEnte,
    #[error("{0}")]
    Invalid(String),
    /// Every row of the file is already in the archive (same payer, payment type, amount, due
    /// date and causale as a debt not cancelled): nothing was stored.
    #[error("{0}")]
    AlreadyImported(String),
    /// A file that cannot be used as it is: too large to read safely (a record, a part of a
    /// workbook, a sheet beyond the limits of mpd-sheets `guard`). Nothing was stored.
    #[error("{0}")]
    UnusableFile(String),
    /// No per-user data folder (no home directory): the database's path must be given.
    #[error("cartella dati dell'utente non trovata: va indicato il file del database")]
    NoDataDir,
    #[error(transparent)]
    EnteFile(#[from] ente_file::EnteFileError),
}

pub type Result<T, E = CoreError> = std::result::Result<T, E>;

/// The local store and the clock.
pub struct Desk {
    store: Store,
    db_path: Option<PathBuf>,
    fixed_now: Option<DateTime<Utc>>,
    /// An in-memory desk's folder for the files it writes (created on first use, private,
    /// removed with the desk): never a fixed name under the system's temporary folder.
    appoggio: std::sync::OnceLock<mpd_privato::CartellaTemporanea>,
}

/// The Ente and its payment types, as `ente show` prints them.
#[derive(Debug, Clone, Serialize)]
pub struct EnteView {
    pub ente: Ente,
    pub tipi_dovuto: Vec<TipoDovuto>,
    pub extra: serde_json::Value,
}

impl Desk {
    /// The database file `db` names, or the default one in the per-user data folder.
    pub fn percorso(db: Option<&Path>) -> Result<PathBuf> {
        match db {
            Some(p) => Ok(p.to_path_buf()),
            None => Ok(paths::db_in(
                &paths::default_data_dir().ok_or(CoreError::NoDataDir)?,
            )),
        }
    }

    /// What the database file `db` names is: absent, plain (an older version's) or encrypted.
    pub fn stato_archivio(db: Option<&Path>) -> Result<StatoFile> {
        Ok(Store::stato(&Desk::percorso(db)?)?)
    }

    /// Opens the database at `db`, or the default one in the per-user data folder, encrypted
    /// with `chiave` (a plain database of an older version is encrypted in place first).
    ///
    /// The folder is created private to the user (`0700`, [`mpd_privato`]); the per-user
    /// default is made private if an older version left it open. A folder the clerk named with
    /// `--db` that already exists is theirs and is left as it is; the database file itself,
    /// and every folder the app makes in it, are private either way.
    pub fn open(db: Option<&Path>, chiave: &Chiave) -> Result<Desk> {
        let (path, predefinita) = (Desk::percorso(db)?, db.is_none());
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            let fatto = if predefinita {
                mpd_privato::cartella(parent)
            } else {
                mpd_privato::crea_cartella(parent)
            };
            fatto.map_err(|source| CoreError::Write {
                path: parent.display().to_string(),
                source,
            })?;
        }
        Ok(Desk {
            store: Store::open(&path, chiave)?,
            db_path: Some(path),
            fixed_now: None,
            appoggio: std::sync::OnceLock::new(),
        })
    }

    /// A desk on a private in-memory database (tests, what-ifs).
    pub fn in_memory() -> Result<Desk> {
        Ok(Desk {
            store: Store::open_in_memory()?,
            db_path: None,
            fixed_now: None,
            appoggio: std::sync::OnceLock::new(),
        })
    }

    /// Pins the clock (tests and reproducible runs).
    pub fn with_now(mut self, now: DateTime<Utc>) -> Desk {
        self.fixed_now = Some(now);
        self
    }

    /// The current instant (pinned in tests).
    pub fn now(&self) -> DateTime<Utc> {
        self.fixed_now.unwrap_or_else(Utc::now)
    }

    /// Today in Italy. MyPay's date rules are about Italian calendar days.
    pub fn today(&self) -> NaiveDate {
        // Europe/Rome is UTC+1 or +2; a fixed +1 is off by one hour twice a year at midnight,
        // which only matters for a debt due exactly that night.
        (self.now() + chrono::Duration::hours(1)).date_naive()
    }

    /// The store, for this crate only: the layers above go through the methods of
    /// `archivio.rs`, so that every way they touch the database is listed in one place.
    #[cfg(not(feature = "test-support"))]
    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    #[cfg(not(feature = "test-support"))]
    pub(crate) fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// The store, for test code of other crates (the `test-support` feature is enabled only
    /// by dev-dependencies, so no build of the window or the CLI can reach it).
    #[cfg(feature = "test-support")]
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// See [`Desk::store`].
    #[cfg(feature = "test-support")]
    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// The database file, if on disk.
    pub fn db_path(&self) -> Option<&Path> {
        self.db_path.as_deref()
    }

    /// The folder of the app's own files: the database's, or for an in-memory desk a private
    /// temporary folder of its own (random name, removed with the desk). The folders the app
    /// makes in it are made with [`mpd_privato::cartella`].
    pub fn cartella_file(&self) -> PathBuf {
        if let Some(d) = self.db_path.as_deref().and_then(Path::parent) {
            return if d.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                d.to_path_buf()
            };
        }
        if self.appoggio.get().is_none()
            && let Ok(t) = mpd_privato::temporanea("mypay-desk-")
        {
            let _ = self.appoggio.set(t);
        }
        match self.appoggio.get() {
            Some(t) => t.path().to_path_buf(),
            // No temporary folder could be made: the writes that follow fail with the path.
            None => std::env::temp_dir().join("mypay-desk-non-disponibile"),
        }
    }

    /// Where built flows go by default.
    pub fn default_flows_dir(&self) -> PathBuf {
        match &self.db_path {
            Some(p) => paths::flows_dir_for(p),
            None => self.cartella_file().join("flussi"),
        }
    }

    /// The stored Ente, or [`CoreError::NoEnte`].
    pub fn require_ente(&self) -> Result<Ente> {
        self.store.ente()?.ok_or(CoreError::NoEnte)
    }

    /// `ente show`.
    pub fn ente_view(&self) -> Result<Option<EnteView>> {
        let Some(ente) = self.store.ente()? else {
            return Ok(None);
        };
        let extra =
            serde_json::from_str(&self.store.ente_extra()?).unwrap_or(serde_json::Value::Null);
        Ok(Some(EnteView {
            ente,
            tipi_dovuto: self.store.tipi_dovuto()?,
            extra,
        }))
    }

    /// `ente set`: loads a profile file. Returns the warnings to show.
    pub fn ente_set_file(&mut self, path: &Path) -> Result<Vec<String>> {
        let text = std::fs::read_to_string(path).map_err(|source| CoreError::Read {
            path: path.display().to_string(),
            source,
        })?;
        let mut file = ente_file::parse(&text)?;
        if let Some(logo) = file.avviso.logo.clone() {
            // The logo named in the file (relative to the file's folder) is copied into the
            // data folder, and the profile keeps its name there.
            let nome = self.copia_logo_del_profilo(path, &logo)?;
            let mut extra: serde_json::Value =
                serde_json::from_str(&file.extra_json).unwrap_or_default();
            if let Some(a) = extra.get_mut("avviso").and_then(|a| a.as_object_mut()) {
                a.insert("logo".into(), nome.into());
            }
            file.extra_json = extra.to_string();
        }
        let now = self.now();
        self.store
            .save_ente(&file.ente, &file.extra_json, &file.tipi, now)?;
        Ok(file.warnings)
    }

    /// The data folder: where the database is (`None` for a database in memory).
    pub fn cartella_dati(&self) -> Option<&Path> {
        self.db_path().and_then(Path::parent)
    }

    /// Copies the logo `logo` named in the profile file `profilo` into the data folder; a
    /// name not found next to the file but already in the data folder (a profile exported
    /// here) is kept.
    fn copia_logo_del_profilo(&self, profilo: &Path, logo: &str) -> Result<String> {
        let errore = |m: String| CoreError::from(ente_file::EnteFileError::Invalid(m));
        let cartella = self.cartella_dati().ok_or_else(|| {
            errore("sezione «avviso», campo logo: il database è in memoria, non c'è una cartella dei dati dove copiarlo".into())
        })?;
        let indicato = Path::new(logo);
        let sorgente = if indicato.is_absolute() {
            indicato.to_path_buf()
        } else {
            profilo.parent().unwrap_or(Path::new(".")).join(indicato)
        };
        let gia_qui = cartella.join(logo);
        let sorgente =
            if !sorgente.exists() && indicato.components().count() == 1 && gia_qui.exists() {
                gia_qui
            } else {
                sorgente
            };
        self.copia_logo(&sorgente)?
            .map_err(|m| errore(format!("sezione «avviso», campo logo: {m}")))
    }

    /// The profile's logo: copies `sorgente` (PNG or JPEG, at most 1 MB) into the data folder
    /// ([`ente_file::avviso::copia_logo`]) and keeps its bytes in the archive too
    /// ([`SETTING_LOGO`]); returns the file name for the profile's `avviso.logo`. `Err` is the
    /// Italian reason the file is refused.
    pub fn copia_logo(&self, sorgente: &Path) -> Result<std::result::Result<String, String>> {
        let Some(cartella) = self.cartella_dati() else {
            return Ok(Err(
                "il database è in memoria: nessuna cartella dei dati per il logo".into(),
            ));
        };
        let nome = match ente_file::avviso::copia_logo(sorgente, cartella) {
            Ok(n) => n,
            Err(m) => return Ok(Err(m)),
        };
        self.archivia_logo(cartella, &nome)?;
        Ok(Ok(nome))
    }

    /// Keeps the logo just copied into the data folder in the archive as well, so that a
    /// backup restored on another computer (which has the archive, not the data folder's
    /// files) still prints the notices with it.
    fn archivia_logo(&self, cartella: &Path, nome: &str) -> Result<()> {
        let file = cartella.join(nome);
        let bytes = std::fs::read(&file).map_err(|source| CoreError::Read {
            path: file.display().to_string(),
            source,
        })?;
        Ok(self
            .store
            .set_setting(SETTING_LOGO, &logo_archiviato(nome, &bytes))?)
    }

    /// The bytes of the logo `nome` the profile names: the file in the data folder, or, when it
    /// is not there (an archive restored on another computer), the copy kept in the archive,
    /// written back into the data folder first. `None`: neither has it.
    pub fn logo(&self, nome: &str) -> Result<Option<Vec<u8>>> {
        use base64::Engine as _;
        let Some(cartella) = self.cartella_dati() else {
            return Ok(None);
        };
        let file = cartella.join(nome);
        let archiviato = self.store.setting(SETTING_LOGO)?;
        if file.is_file() {
            let bytes = std::fs::read(&file).map_err(|source| CoreError::Read {
                path: file.display().to_string(),
                source,
            })?;
            // A logo the archive does not hold as it is (chosen before the archive kept it,
            // or the file replaced by hand): kept now, checked as when chosen.
            let testo = logo_archiviato(nome, &bytes);
            if archiviato.as_deref() != Some(testo.as_str())
                && ente_file::avviso::controlla_logo(&bytes).is_ok()
            {
                self.store.set_setting(SETTING_LOGO, &testo)?;
            }
            return Ok(Some(bytes));
        }
        let Some(bytes) = archiviato.as_deref().and_then(|t| {
            let (n, dati) = t.split_once(':')?;
            (n == nome).then_some(())?;
            base64::engine::general_purpose::STANDARD.decode(dati).ok()
        }) else {
            return Ok(None);
        };
        if ente_file::avviso::controlla_logo(&bytes).is_err()
            || Path::new(nome).components().count() != 1
        {
            return Ok(None);
        }
        // Back into the data folder, as `copia_logo` leaves it; a folder that refuses the
        // write still gets the notice printed from the archive's copy.
        if let Err(e) = mpd_privato::scrivi(&file, &bytes) {
            tracing::warn!(file = %file.display(), errore = %e, "logo non riscritto nella cartella dei dati");
        }
        Ok(Some(bytes))
    }

    /// The date after which MyPay refuses new 15-digit IUVs (a setting; MyPay's default).
    pub fn iuv15_limit(&self) -> NaiveDate {
        self.store
            .setting(SETTING_IUV15_LIMIT)
            .ok()
            .flatten()
            .and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
            .unwrap_or(mpd_domain::validate::IUV15_LIMIT_DEFAULT)
    }

    /// Everything validation needs to know about the Ente, for `version`.
    pub fn rules(&self, version: Version) -> Result<Rules> {
        Ok(Rules {
            ente: self.require_ente()?,
            tipi: self.store.tipi_dovuto()?,
            version,
            today: self.today(),
            iuv15_limit: self.iuv15_limit(),
        })
    }

    /// Debts matching `filter`.
    pub fn debts(&self, filter: &DovutoFilter) -> Result<Vec<DovutoRecord>> {
        Ok(self.store.dovuti(filter)?)
    }

    /// How many debts match `filter` (for a paged list; `limit`/`offset` ignored).
    pub fn debts_count(&self, filter: &DovutoFilter) -> Result<i64> {
        Ok(self.store.count_dovuti(filter)?)
    }

    /// Expected vs collected per month of the due date.
    pub fn totals_by_month(&self) -> Result<Vec<MonthTotals>> {
        Ok(self.store.totals_by_month()?)
    }

    /// Debts per state.
    pub fn debt_counts(&self) -> Result<Vec<StateCount>> {
        Ok(self.store.count_by_state()?)
    }

    /// Flows, newest first.
    pub fn flows(&self) -> Result<Vec<FlussoRecord>> {
        Ok(self.store.flussi()?)
    }

    /// Receipts, newest first.
    pub fn receipts(&self, limit: Option<usize>) -> Result<Vec<RicevutaRecord>> {
        Ok(self.store.ricevute(limit)?)
    }
}

/// The owned data behind a [`RowContext`].
#[derive(Debug, Clone)]
pub struct Rules {
    pub ente: Ente,
    pub tipi: Vec<TipoDovuto>,
    pub version: Version,
    pub today: NaiveDate,
    pub iuv15_limit: NaiveDate,
}

impl Rules {
    pub fn context(&self) -> RowContext<'_> {
        RowContext {
            iuv15_limit: self.iuv15_limit,
            ..RowContext::new(&self.ente, &self.tipi, self.version, self.today)
        }
    }
}

/// Formats cents the Italian way: `1.234,56 €`.
pub fn format_euro_cents(cents: i64) -> String {
    mpd_domain::money::format_it(rust_decimal::Decimal::new(cents, 2))
}

#[cfg(test)]
mod privato_tests;
