//! The local SQLite cache of MyPay Desk.
//!
//! * [`Store`]: an open local database, encrypted at rest with its [`Chiave`] ([`cifratura`]:
//!   SQLCipher, a plain database of an older version encrypted in place on first open), with
//!   migrations applied ([`schema`]), WAL and foreign keys on.
//! * Ente and tipi dovuto: [`Store::ente`], [`Store::save_ente`], [`Store::tipi_dovuto`].
//! * Debts ([`dovuti`]): bulk insert, listing, editing, and their lifecycle [`DovutoStato`];
//!   their free-text search and the upkeep of their indexes ([`ricerca`]).
//! * Flows ([`flussi`]): a flow built from pending debts and its per-row outcome.
//! * Receipts ([`ricevute`]): idempotent on (IUV, IUR), matched to debts.
//! * Rendicontazione ([`rendicontazione`]): the PSPs' FdR, idempotent by IUF, read back for the
//!   reconciliation; each receipt's payment type and the debt it paid with its `bilancio`
//!   ([`contabilita`], the budget chapters and MyPivot's export).
//! * Treasury ([`tesoreria`]): the treasury journals and their entries, one per `(anno,
//!   bolletta)`; a journal imported again adds nothing, a corrected one replaces it, a storno
//!   removes the entry it reverses.
//! * Spreadsheet import ([`fogli`]): saved column mappings per sheet layout, duplicate keys.
//! * MyPay sync state ([`mypay`]): each flow's submission step, booked exports, the cursor.
//! * Adhesion and contribution ([`adesione`]): steps' dates, expense items, tracked amounts.
//! * [`Store::audit`]: what was done, when.
//!
//! Architecture invariant: this is the only crate that knows SQL. Callers pass the time in
//! ([`Now`]) so that tests and fault schedules are reproducible.

pub mod adesione;
pub mod cifratura;
pub mod contabilita;
pub mod dovuti;
pub mod eliminazioni;
pub mod flussi;
pub mod fogli;
pub mod mypay;
pub mod note;
pub mod posizioni;
pub mod rapporto;
pub mod rendicontazione;
pub mod ricerca;
pub mod ricevute;
pub mod riconciliazione;
pub mod ripristino;
mod schema;
pub mod tesoreria;
#[cfg(feature = "test-support")]
pub mod testing;

use std::path::Path;

use chrono::{DateTime, Utc};
use mpd_domain::{Ente, TipoDovuto};
use rusqlite::{Connection, OptionalExtension, params};

pub use cifratura::{Chiave, StatoFile, stato_file};
pub use dovuti::{
    DovutoFilter, DovutoRecord, DovutoStato, MonthTotals, NewDovuto, PosizioneDi, StateCount,
};
pub use flussi::{FlussoRecord, FlussoStato, NewFlusso, RigaEsito, RigaFlusso};
pub use mypay::{ExportRichiesta, InvioRecord};
pub use ricerca::Manutenzione;
pub use ricevute::{Abbinamento, NewRicevuta, RicevutaRecord, UpsertSummary};

/// How long a write waits for another connection's write to end before giving up with
/// [`StoreError::occupato`].
pub const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// The instant an operation happens at, passed in by the caller.
pub type Now = DateTime<Utc>;

/// Errors of the store. Messages are Italian: they reach the clerk.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed (disk full, locked, corrupt file…).
    #[error(
        "il database locale ha dato un errore inatteso: riprovi; se si ripete, ripristini una copia di sicurezza o chieda assistenza"
    )]
    Sqlite(#[from] rusqlite::Error),
    /// The schema could not be brought up to date.
    #[error(
        "impossibile aggiornare il database locale alla nuova versione: ripristini una copia di sicurezza o chieda assistenza"
    )]
    Migration(#[from] rusqlite_migration::Error),
    /// The database was written by a newer version of MyPay Desk.
    #[error("il database {0} è stato creato da una versione più recente di MyPay Desk")]
    TooNew(String),
    /// A debt with this IUD does not exist.
    #[error("nessun dovuto con IUD «{0}»")]
    DovutoNotFound(String),
    /// A flow with this id or name does not exist.
    #[error("nessun flusso «{0}»")]
    FlussoNotFound(String),
    /// The operation is not allowed in the debt's current state; the message says why.
    #[error("{0}")]
    NotAllowed(String),
    /// Another program holds the database file without sharing it (Windows: a backup or
    /// antivirus program at work, a copy in Explorer), so SQLite cannot open it for writing.
    #[error(
        "il database {0} è bloccato da un altro programma (ad esempio una copia di sicurezza o un antivirus al lavoro): attenda che finisca, oppure chiuda quel programma, e riprovi (niente è stato cambiato)"
    )]
    Bloccato(String),
    /// SQLite cannot open the path as a database: it names a folder, or the user may not read
    /// and write the file.
    #[error(
        "impossibile aprire il database {0}: il percorso non è un file che il suo utente può leggere e scrivere; controlli il percorso e i permessi del file"
    )]
    NonApribile(String),
    /// The key does not open the database (a wrong key or passphrase, or no key at all for an
    /// encrypted file): never SQLite's "file is not a database".
    #[error(
        "archivio cifrato: chiave non disponibile. La chiave di questo computer (o la frase segreta indicata) non apre l'archivio {0}: serve la chiave di ripristino o la frase segreta con cui è stato cifrato"
    )]
    ChiaveErrata(String),
    /// A plain database could not be encrypted in place (a file beside it could not be
    /// written, renamed or removed); the database is as it was.
    #[error(
        "impossibile cifrare l'archivio {path} ({}): l'archivio resta com'era; controlli lo spazio libero e i permessi della cartella e riprovi",
        mpd_domain::testo::causa_io(source)
    )]
    Cifratura {
        path: String,
        source: std::io::Error,
    },
    /// The encrypted copy of a plain database did not match it; the plain database is kept.
    #[error(
        "la copia cifrata dell'archivio {path} non corrisponde all'originale ({dettaglio}): l'archivio resta in chiaro com'era; riprovi o chieda assistenza"
    )]
    CopiaNonVerificata { path: String, dettaglio: String },
    /// The database file (or a copy of it) could not be created private to the user.
    #[error(
        "impossibile creare il file {path} riservato al suo utente: controlli i permessi della cartella"
    )]
    Privato {
        path: String,
        source: std::io::Error,
    },
}

/// Creates the file at `path` private to the user (`0600`) before SQLite writes into it, or
/// tightens it (and the `-wal`/`-shm` beside it) if an older version left it readable by
/// others: SQLite creates its `-wal` and `-shm` with the database file's own mode.
pub(crate) fn file_privato(path: &Path, sidecar: bool) -> Result<()> {
    let errore = |path: &Path| {
        let path = path.display().to_string();
        move |source| StoreError::Privato { path, source }
    };
    mpd_privato::prepara(path).map_err(errore(path))?;
    if sidecar {
        for s in ["-wal", "-shm"] {
            let mut name = path.as_os_str().to_os_string();
            name.push(s);
            let p = std::path::PathBuf::from(name);
            mpd_privato::stringi(&p).map_err(errore(&p))?;
        }
    }
    Ok(())
}

/// What an error while opening the database at `path` means for the clerk. SQLite says only
/// "unable to open database file" (or, once it fell back to reading, "readonly database"),
/// whatever the cause: a file another program holds (Windows' sharing violation) is told apart
/// by opening it here, and any other such failure names the path rather than an unexpected
/// error of the database, which would send the clerk to their backups.
fn non_aperto(path: &Path, e: rusqlite::Error) -> StoreError {
    let apertura = matches!(
        &e,
        rusqlite::Error::SqliteFailure(f, _)
            if matches!(f.code, rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly)
    );
    if !apertura {
        return StoreError::Sqlite(e);
    }
    let nome = path.display().to_string();
    if bloccato(path) {
        StoreError::Bloccato(nome)
    } else {
        StoreError::NonApribile(nome)
    }
}

/// True when another process holds the file at `path` so that it cannot be opened for writing:
/// on Windows a sharing or lock violation (`ERROR_SHARING_VIOLATION`, `ERROR_LOCK_VIOLATION`).
/// Unix has no such locks (SQLite's own are advisory and answer "busy").
fn bloccato(path: &Path) -> bool {
    #[cfg(windows)]
    {
        const ERROR_SHARING_VIOLATION: i32 = 32;
        const ERROR_LOCK_VIOLATION: i32 = 33;
        let prova = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(path);
        matches!(prova, Err(e) if matches!(e.raw_os_error(), Some(ERROR_SHARING_VIOLATION | ERROR_LOCK_VIOLATION)))
    }
    #[cfg(not(windows))]
    {
        let _ = path;
        false
    }
}

impl StoreError {
    /// Another connection holds the database's write lock past the busy timeout: trying again
    /// later may succeed.
    pub fn occupato(&self) -> bool {
        matches!(
            self,
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _))
                if matches!(f.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
        )
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open local database.
pub struct Store {
    conn: Connection,
    /// The ids of the last free-text search (see `ricerca::RicercaRecente`).
    ricerca_recente: std::sync::Mutex<Option<ricerca::RicercaRecente>>,
    /// Whether the database is encrypted (always, but in memory and in the benchmark of a
    /// plain one).
    cifrato: bool,
}

impl Store {
    /// Opens (or creates) the database at `path`, encrypted with `chiave`, and brings its
    /// schema up to date. A plain database (an older version's) is first encrypted in place
    /// ([`cifratura`]); a key that does not open the file is [`StoreError::ChiaveErrata`].
    pub fn open(path: &Path, chiave: &Chiave) -> Result<Store> {
        Store::open_fermando(path, chiave, None)
    }

    /// [`Store::open`], with the encryption in place stopped after `ferma` (tests of a crash).
    pub(crate) fn open_fermando(
        path: &Path,
        chiave: &Chiave,
        ferma: Option<cifratura::Passo>,
    ) -> Result<Store> {
        file_privato(path, true)?;
        let name = path.display().to_string();
        let stato = Store::stato(path)?;
        if stato == StatoFile::InChiaro && !chiave.in_chiaro() {
            cifratura::migra(path, chiave, ferma)?;
        }
        let conn = Connection::open(path).map_err(|e| non_aperto(path, e))?;
        cifratura::applica(&conn, chiave, &name)?;
        cifratura::rimuovi_in_chiaro(path)?;
        Store::init(conn, &name, !chiave.in_chiaro()).map_err(|e| match e {
            StoreError::Sqlite(e) => non_aperto(path, e),
            e => e,
        })
    }

    /// What the file at `path` is (absent, plain, encrypted), read from its first bytes. A path
    /// that cannot be read as a file (a folder, no permission) or that another program holds
    /// is [`StoreError::NonApribile`] or [`StoreError::Bloccato`], never an encryption failure.
    pub fn stato(path: &Path) -> Result<StatoFile> {
        stato_file(path).map_err(|_| {
            let name = path.display().to_string();
            if bloccato(path) {
                StoreError::Bloccato(name)
            } else {
                StoreError::NonApribile(name)
            }
        })
    }

    /// A private in-memory database, for tests and what-if computations.
    pub fn open_in_memory() -> Result<Store> {
        Store::init(Connection::open_in_memory()?, ":memory:", false)
    }

    fn init(mut conn: Connection, name: &str, cifrato: bool) -> Result<Store> {
        // Another command or window may be writing: wait for it (up to the timeout) from the
        // very first statement. Write transactions start as writers (`BEGIN IMMEDIATE`): a
        // transaction that began as a reader and then writes cannot wait in WAL mode (SQLite
        // answers "busy" at once when another writer committed meanwhile), so the timeout only
        // helps one that takes the write lock up front.
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
        // 8 KiB pages halve the B-tree overhead of bulk loads (a million debts) and suit rows of
        // ~300 bytes. It only takes effect on a new database (before WAL is switched on);
        // existing files keep their page size.
        // An encrypted database's page size is its format's (`cifratura::Formato`, given with
        // its key), which every tool that opens it must be told.
        if !cifrato {
            conn.pragma_update(None, "page_size", 8192)?;
        }
        // WAL lets the GUI read while a sync writes; NORMAL is durable across application
        // crashes (only a power loss may drop the last transaction), which is what a cache needs.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let migrations = schema::migrations();
        let user_version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if user_version > schema::LATEST {
            return Err(StoreError::TooNew(name.to_string()));
        }
        migrations.to_latest(&mut conn)?;
        Ok(Store {
            conn,
            ricerca_recente: std::sync::Mutex::new(None),
            cifrato,
        })
    }

    /// The raw connection, for the store's own modules.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Copies the whole database into `dest` (a consistent snapshot, safe while in use), a new
    /// file private to the user like the database, encrypted with the database's own key in
    /// the current format ([`cifratura::Formato::Corrente`], whatever the database's): it
    /// opens only with the same key or passphrase.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        if self.cifrato {
            return cifratura::esporta(&self.conn, dest, None);
        }
        file_privato(dest, false)?;
        self.conn
            .execute("VACUUM INTO ?1", params![dest.display().to_string()])?;
        Ok(())
    }

    /// The Ente profile, if one was saved.
    pub fn ente(&self) -> Result<Option<Ente>> {
        Ok(self
            .conn
            .query_row(
                "SELECT codice_ipa, codice_fiscale, denominazione, codice_segregazione FROM ente WHERE id = 1",
                [],
                |r| {
                    Ok(Ente {
                        codice_ipa: r.get(0)?,
                        codice_fiscale: r.get(1)?,
                        denominazione: r.get(2)?,
                        codice_segregazione: r.get(3)?,
                    })
                },
            )
            .optional()?)
    }

    /// The JSON of the Ente's richer data (adhesion), `{}` when none.
    pub fn ente_extra(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("SELECT extra_json FROM ente WHERE id = 1", [], |r| r.get(0))
            .optional()?
            .unwrap_or_else(|| "{}".to_string()))
    }

    /// Saves the Ente profile and its payment types in one transaction.
    ///
    /// Types present in the store but missing from `tipi` are deactivated, not deleted: debts
    /// may still refer to them.
    pub fn save_ente(
        &mut self,
        ente: &Ente,
        extra_json: &str,
        tipi: &[TipoDovuto],
        now: Now,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO ente (id, codice_ipa, codice_fiscale, denominazione, codice_segregazione, extra_json, updated_at)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(id) DO UPDATE SET codice_ipa = ?1, codice_fiscale = ?2, denominazione = ?3,
               codice_segregazione = ?4, extra_json = ?5, updated_at = ?6",
            params![ente.codice_ipa, ente.codice_fiscale, ente.denominazione, ente.codice_segregazione, extra_json, now.to_rfc3339()],
        )?;
        tx.execute("UPDATE tipo_dovuto SET attivo = 0", [])?;
        for t in tipi {
            tx.execute(
                "INSERT INTO tipo_dovuto (codice, descrizione, dati_specifici_riscossione, attivo, cf_anonimo, scadenza_obbligatoria, stampa_data_scadenza, extra_json)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT(codice) DO UPDATE SET descrizione = ?2, dati_specifici_riscossione = ?3, attivo = ?4,
                   cf_anonimo = ?5, scadenza_obbligatoria = ?6, stampa_data_scadenza = ?7, extra_json = ?8",
                params![t.codice, t.descrizione, t.dati_specifici_riscossione, t.attivo, t.cf_anonimo, t.scadenza_obbligatoria, t.stampa_data_scadenza, fogli::tipo_extra_json(t)],
            )?;
        }
        audit_in(
            &tx,
            now,
            "ente.salva",
            &ente.codice_ipa,
            &format!("{} tipi dovuto", tipi.len()),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Every payment type, active or not, ordered by code.
    pub fn tipi_dovuto(&self) -> Result<Vec<TipoDovuto>> {
        let mut stmt = self.conn.prepare(
            "SELECT codice, descrizione, dati_specifici_riscossione, attivo, cf_anonimo, scadenza_obbligatoria, stampa_data_scadenza, extra_json
             FROM tipo_dovuto ORDER BY codice",
        )?;
        let rows = stmt.query_map([], |r| {
            let mut tipo = TipoDovuto {
                codice: r.get(0)?,
                descrizione: r.get(1)?,
                dati_specifici_riscossione: r.get(2)?,
                attivo: r.get(3)?,
                cf_anonimo: r.get(4)?,
                scadenza_obbligatoria: r.get(5)?,
                stampa_data_scadenza: r.get(6)?,
                causale_predefinita: None,
                importo_predefinito: None,
                scadenza_predefinita: None,
                posizioni: Default::default(),
            };
            fogli::read_tipo_extra_json(&mut tipo, &r.get::<_, String>(7)?);
            Ok(tipo)
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Records what was done. `oggetto` names the thing (IUD, flow name…); never a credential.
    pub fn audit(&self, now: Now, azione: &str, oggetto: &str, dettaglio: &str) -> Result<()> {
        audit_in(&self.conn, now, azione, oggetto, dettaglio)
    }

    /// The most recent audit entries, newest first.
    pub fn audit_log(&self, limit: usize) -> Result<Vec<AuditEntry>> {
        let mut stmt = self.conn.prepare(
            "SELECT at, azione, oggetto, dettaglio FROM audit ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map(params![limit as i64], |r| {
            Ok(AuditEntry {
                at: r.get(0)?,
                azione: r.get(1)?,
                oggetto: r.get(2)?,
                dettaglio: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A setting (environment, export cursor…); never a credential.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT valore FROM impostazione WHERE chiave = ?1",
                params![key],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO impostazione (chiave, valore) VALUES (?1, ?2) ON CONFLICT(chiave) DO UPDATE SET valore = ?2",
            params![key, value],
        )?;
        Ok(())
    }
}

/// One line of the audit log.
#[derive(Clone, Debug, serde::Serialize)]
pub struct AuditEntry {
    pub at: String,
    pub azione: String,
    pub oggetto: String,
    pub dettaglio: String,
}

pub(crate) fn audit_in(
    conn: &Connection,
    now: Now,
    azione: &str,
    oggetto: &str,
    dettaglio: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO audit (at, azione, oggetto, dettaglio) VALUES (?1, ?2, ?3, ?4)",
        params![now.to_rfc3339(), azione, oggetto, dettaglio],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests;
