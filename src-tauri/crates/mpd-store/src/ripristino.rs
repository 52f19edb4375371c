//! Restoring the local database from a backup file ([`crate::Store::backup_to`]).
//!
//! A backup is accepted only when it is a MyPay Desk database: an SQLite file that passes
//! SQLite's own quick check, carries the tables of the first migration and a migration level
//! (`user_version`) between 1 and the current one. An older level is fine: the schema is
//! brought up to date when the restored file is opened. A newer one is refused, since this
//! version would not know its tables.
//!
//! Backups are encrypted with the key of the database they copy ([`crate::cifratura`]). A
//! backup opens with the key it was made with: this computer's, or — for one made on another
//! computer, or before a new key — that computer's recovery code or passphrase, which the clerk
//! gives. A plain backup (made before the encryption) needs none.
//!
//! [`ripristina`] swaps the file in without ever leaving a half-written database at the live
//! path: the current database is first copied to `<db>.prima-del-ripristino` (a consistent
//! copy through SQLite, WAL included, encrypted like the database), the backup is written
//! again next to the live file encrypted with the live database's key (`sqlcipher_export`,
//! whatever key the backup had), checked, and renamed over it. The caller must have closed
//! every connection to the live file.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use serde::Serialize;

use crate::cifratura::{self, Chiave, StatoFile};

/// Suffix of the copy of the database kept by a restore.
pub const SUFFISSO_COPIA: &str = "prima-del-ripristino";

/// Tables every MyPay Desk database has had since the first migration.
const TABELLE: [&str; 6] = [
    "ente",
    "tipo_dovuto",
    "dovuto",
    "flusso",
    "impostazione",
    "audit",
];

/// Why a file cannot be restored. Messages are Italian: they reach the clerk.
#[derive(Debug, thiserror::Error)]
pub enum RipristinoError {
    #[error("il file {0} non esiste o non si può leggere")]
    Illeggibile(String),
    #[error(
        "il file {0} non è un database SQLite (è davvero una copia di sicurezza di MyPay Desk?)"
    )]
    NonSqlite(String),
    /// The backup is encrypted and its key is not the one given (made on another computer,
    /// or with another passphrase).
    #[error(
        "archivio cifrato: chiave non disponibile. La copia di sicurezza {0} non si apre con la chiave di questo computer (o con quella indicata): se è stata fatta su un altro computer, serve la sua chiave di ripristino o la sua frase segreta"
    )]
    ChiaveErrata(String),
    #[error("il file {file} è danneggiato: {dettaglio}")]
    Danneggiato { file: String, dettaglio: String },
    #[error("il file {file} non è un database di MyPay Desk: manca la tabella «{tabella}»")]
    NonMyPayDesk { file: String, tabella: String },
    #[error(
        "il file {file} viene da una versione più recente di MyPay Desk (livello {livello}, questa versione arriva a {massimo}): aggiornare il programma prima di ripristinarlo"
    )]
    TroppoRecente {
        file: String,
        livello: i64,
        massimo: i64,
    },
    #[error("il file da ripristinare è il database in uso: sceglierne una copia")]
    StessoFile,
    #[error("impossibile {azione} {path}: {source}")]
    Io {
        azione: &'static str,
        path: String,
        source: std::io::Error,
    },
    #[error("errore del database durante il ripristino: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The live database could not be opened or copied with its key.
    #[error(transparent)]
    Archivio(#[from] crate::StoreError),
}

/// What a backup file holds, shown to the clerk before the restore.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InfoBackup {
    /// Migration level of the file (`user_version`).
    pub livello: i64,
    /// Level of this version: a lower one is upgraded when the file is opened.
    pub livello_attuale: i64,
    pub codice_ipa: Option<String>,
    pub denominazione: Option<String>,
    pub dovuti: i64,
    pub flussi: i64,
    /// Last recorded operation (RFC 3339), if any.
    pub ultima_operazione: Option<String>,
}

fn sqlite_err(file: &str, e: rusqlite::Error) -> RipristinoError {
    match e {
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::NotADatabase => {
            RipristinoError::NonSqlite(file.to_string())
        }
        rusqlite::Error::SqliteFailure(f, m) if f.code == rusqlite::ErrorCode::DatabaseCorrupt => {
            RipristinoError::Danneggiato {
                file: file.to_string(),
                dettaglio: m.unwrap_or_else(|| f.to_string()),
            }
        }
        other => RipristinoError::Sqlite(other),
    }
}

/// Opens the backup at `path` with `chiave` (without a key if it is a plain one), checking
/// the key; `flags` say how.
fn apri_backup(
    path: &Path,
    chiave: &Chiave,
    flags: OpenFlags,
) -> Result<Connection, RipristinoError> {
    let file = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|_| RipristinoError::Illeggibile(file.clone()))?;
    if !meta.is_file() {
        return Err(RipristinoError::Illeggibile(file));
    }
    let stato =
        cifratura::stato_file(path).map_err(|_| RipristinoError::Illeggibile(file.clone()))?;
    // An encrypted database is a whole number of pages (4 or 8 KiB): a file of
    // another size is not one, whatever the key.
    if stato == StatoFile::Cifrato && (meta.len() < 512 || meta.len() % 512 != 0) {
        return Err(RipristinoError::NonSqlite(file));
    }
    let conn = Connection::open_with_flags(path, flags).map_err(|e| sqlite_err(&file, e))?;
    cifratura::silenzia(&conn)?;
    if stato == StatoFile::Cifrato {
        cifratura::applica(&conn, chiave, &file).map_err(|e| match e {
            crate::StoreError::ChiaveErrata(f) => RipristinoError::ChiaveErrata(f),
            crate::StoreError::Sqlite(e) => sqlite_err(&file, e),
            other => other.into(),
        })?;
    }
    Ok(conn)
}

/// Checks that `path` is a MyPay Desk database this version can open with `chiave` (or a
/// plain one), without changing it.
pub fn esamina_backup(path: &Path, chiave: &Chiave) -> Result<InfoBackup, RipristinoError> {
    let file = path.display().to_string();
    // Read-only and without creating anything: a bad file must stay as it was.
    let conn = apri_backup(
        path,
        chiave,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let livello: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| sqlite_err(&file, e))?;
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| sqlite_err(&file, e))?;
    if check != "ok" {
        return Err(RipristinoError::Danneggiato {
            file,
            dettaglio: check,
        });
    }
    for t in TABELLE {
        let found: Option<String> = conn
            .query_row(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?1",
                params![t],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| sqlite_err(&file, e))?;
        if found.is_none() {
            return Err(RipristinoError::NonMyPayDesk {
                file,
                tabella: t.to_string(),
            });
        }
    }
    let massimo = crate::schema::LATEST;
    if livello > massimo {
        return Err(RipristinoError::TroppoRecente {
            file,
            livello,
            massimo,
        });
    }
    if livello < 1 {
        return Err(RipristinoError::NonMyPayDesk {
            file,
            tabella: "(livello di migrazione assente)".into(),
        });
    }
    let ente: Option<(String, String)> = conn
        .query_row(
            "SELECT codice_ipa, denominazione FROM ente WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let count = |table: &str| -> Result<i64, rusqlite::Error> {
        conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
    };
    Ok(InfoBackup {
        livello,
        livello_attuale: massimo,
        dovuti: count("dovuto")?,
        flussi: count("flusso")?,
        ultima_operazione: conn
            .query_row("SELECT MAX(at) FROM audit", [], |r| r.get(0))
            .optional()?
            .flatten(),
        codice_ipa: ente.as_ref().map(|e| e.0.clone()),
        denominazione: ente.map(|e| e.1),
    })
}

/// The path of the copy a restore keeps: `<db>.prima-del-ripristino`.
pub fn percorso_copia(db: &Path) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push(".");
    name.push(SUFFISSO_COPIA);
    db.with_file_name(name)
}

fn io(azione: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> RipristinoError {
    let path = path.display().to_string();
    move |source| RipristinoError::Io {
        azione,
        path,
        source,
    }
}

fn remove_if_present(path: &Path) -> Result<(), RipristinoError> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io("eliminare", path)(e)),
    }
}

fn sidecar(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    db.with_file_name(name)
}

/// Replaces the database at `db` (encrypted with `chiave_db`) with the backup at `backup`
/// (encrypted with `chiave_backup`, or plain), keeping the current one as [`percorso_copia`]
/// (when there is one). The restored database is encrypted with `chiave_db`. Every
/// connection to `db` must be closed.
///
/// Returns what was restored and the path of the kept copy.
pub fn ripristina(
    backup: &Path,
    chiave_backup: &Chiave,
    db: &Path,
    chiave_db: &Chiave,
) -> Result<(InfoBackup, Option<PathBuf>), RipristinoError> {
    let info = esamina_backup(backup, chiave_backup)?;
    if let (Ok(a), Ok(b)) = (backup.canonicalize(), db.canonicalize())
        && a == b
    {
        return Err(RipristinoError::StessoFile);
    }
    let copia = if db.exists() {
        let copia = percorso_copia(db);
        remove_if_present(&copia)?;
        // Through SQLite: the copy includes what is still in the WAL, and is consistent; into
        // an empty file private to the user, as the database is.
        mpd_privato::prepara(&copia).map_err(io("creare", &copia))?;
        let conn = Connection::open(db)?;
        if cifratura::stato_file(db).map_err(io("leggere", db))? == StatoFile::Cifrato {
            cifratura::applica(&conn, chiave_db, &db.display().to_string())?;
            cifratura::esporta(&conn, &copia, None)?;
        } else {
            conn.execute("VACUUM INTO ?1", params![copia.display().to_string()])?;
        }
        drop(conn);
        Some(copia)
    } else {
        None
    };
    // Write it again next to the live file (same filesystem, so the rename below is atomic),
    // encrypted with the live database's key, check it, then swap it in. The backup is read
    // from a private copy of its own: SQLite opens it for writing to attach the new file, and
    // the clerk's file must stay as it was.
    let tmp = sidecar(db, ".ripristino-tmp");
    let letto = sidecar(db, ".ripristino-origine");
    let resti = |f: &Path| {
        [
            f.to_path_buf(),
            sidecar(f, "-journal"),
            sidecar(f, "-wal"),
            sidecar(f, "-shm"),
        ]
    };
    for f in resti(&tmp).iter().chain(&resti(&letto)) {
        remove_if_present(f)?;
    }
    let riscritto = (|| -> Result<(), RipristinoError> {
        // Not `fs::copy`: the copy would take the backup's permissions (a file the clerk keeps
        // elsewhere, perhaps readable by others); the database is private to the user.
        mpd_privato::copia(backup, &letto).map_err(io("copiare", backup))?;
        let conn = apri_backup(&letto, chiave_backup, OpenFlags::default())?;
        cifratura::esporta(&conn, &tmp, Some(chiave_db))?;
        cifratura::verifica_copia(&conn, &tmp, chiave_db)?;
        drop(conn);
        esamina_backup(&tmp, chiave_db)?;
        Ok(())
    })();
    for f in resti(&letto) {
        let _ = std::fs::remove_file(f);
    }
    if let Err(e) = riscritto {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    // A WAL left by the old file must not be replayed onto the new one.
    for s in ["-wal", "-shm"] {
        remove_if_present(&sidecar(db, s))?;
    }
    std::fs::rename(&tmp, db).map_err(io("sostituire", db))?;
    Ok((info, copia))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;
    use mpd_domain::Ente;

    fn ente(ipa: &str) -> Ente {
        Ente {
            codice_ipa: ipa.into(),
            codice_fiscale: "01199250158".into(),
            denominazione: format!("Comune {ipa}"),
            codice_segregazione: "12".into(),
        }
    }

    fn chiave() -> Chiave {
        Chiave::grezza([7; 32])
    }

    fn now() -> crate::Now {
        chrono::DateTime::parse_from_rfc3339("2026-11-27T10:00:00Z")
            .unwrap()
            .to_utc()
    }

    #[test]
    fn a_backup_is_recognised_and_described() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("db.sqlite"), &chiave()).unwrap();
        store.save_ente(&ente("c_a"), "{}", &[], now()).unwrap();
        let bak = dir.path().join("copia.sqlite");
        store.backup_to(&bak).unwrap();
        let info = esamina_backup(&bak, &chiave()).unwrap();
        assert_eq!(info.livello, crate::schema::LATEST);
        assert_eq!(info.codice_ipa.as_deref(), Some("c_a"));
        assert_eq!(info.dovuti, 0);
        assert!(info.ultima_operazione.is_some());
    }

    #[test]
    fn files_that_are_not_our_databases_are_refused_with_a_reason() {
        let dir = tempfile::tempdir().unwrap();
        let text = dir.path().join("note.sqlite");
        std::fs::write(&text, "questo non è un database ".repeat(100)).unwrap();
        assert!(matches!(
            esamina_backup(&text, &chiave()),
            Err(RipristinoError::NonSqlite(_))
        ));
        let missing = dir.path().join("manca.sqlite");
        assert!(matches!(
            esamina_backup(&missing, &chiave()),
            Err(RipristinoError::Illeggibile(_))
        ));
        let other = dir.path().join("altro.sqlite");
        Connection::open(&other)
            .unwrap()
            .execute_batch("CREATE TABLE clienti (id INTEGER);")
            .unwrap();
        let err = esamina_backup(&other, &chiave()).unwrap_err();
        assert!(
            matches!(&err, RipristinoError::NonMyPayDesk { tabella, .. } if tabella == "ente"),
            "{err}"
        );
        // A MyPay Desk database from a newer version.
        let newer = dir.path().join("nuovo.sqlite");
        drop(Store::open(&newer, &chiave()).unwrap());
        let conn = Connection::open(&newer).unwrap();
        cifratura::applica(&conn, &chiave(), "nuovo").unwrap();
        conn.pragma_update(None, "user_version", crate::schema::LATEST + 1)
            .unwrap();
        let err = esamina_backup(&newer, &chiave()).unwrap_err();
        assert!(
            matches!(err, RipristinoError::TroppoRecente { livello, .. } if livello == crate::schema::LATEST + 1)
        );
        assert!(err.to_string().contains("più recente"), "{err}");
    }

    #[test]
    fn an_older_migration_level_is_accepted_and_upgraded_on_open() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("vecchio.sqlite");
        {
            let mut conn = Connection::open(&old).unwrap();
            crate::schema::migrations()
                .to_version(&mut conn, 1)
                .unwrap();
        }
        assert_eq!(esamina_backup(&old, &chiave()).unwrap().livello, 1);
        let db = dir.path().join("db.sqlite");
        drop(Store::open(&db, &chiave()).unwrap());
        ripristina(&old, &chiave(), &db, &chiave()).unwrap();
        drop(Store::open(&db, &chiave()).unwrap());
        assert_eq!(
            esamina_backup(&db, &chiave()).unwrap().livello,
            crate::schema::LATEST
        );
    }

    #[test]
    fn restore_swaps_the_file_and_keeps_the_previous_one() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db.sqlite");
        let bak = dir.path().join("copia.sqlite");
        {
            let mut store = Store::open(&db, &chiave()).unwrap();
            store.save_ente(&ente("c_a"), "{}", &[], now()).unwrap();
            store.backup_to(&bak).unwrap();
            store.save_ente(&ente("c_b"), "{}", &[], now()).unwrap();
        }
        // A refused file leaves everything as it was.
        let junk = dir.path().join("junk.sqlite");
        std::fs::write(&junk, [0u8; 4096]).unwrap();
        assert!(ripristina(&junk, &chiave(), &db, &chiave()).is_err());
        assert_eq!(
            Store::open(&db, &chiave())
                .unwrap()
                .ente()
                .unwrap()
                .unwrap()
                .codice_ipa,
            "c_b"
        );
        assert!(!percorso_copia(&db).exists());
        assert!(matches!(
            ripristina(&db, &chiave(), &db, &chiave()),
            Err(RipristinoError::StessoFile)
        ));

        let (info, copia) = ripristina(&bak, &chiave(), &db, &chiave()).unwrap();
        assert_eq!(info.codice_ipa.as_deref(), Some("c_a"));
        let copia = copia.unwrap();
        assert!(
            copia.ends_with("db.sqlite.prima-del-ripristino"),
            "{copia:?}"
        );
        assert_eq!(
            Store::open(&db, &chiave())
                .unwrap()
                .ente()
                .unwrap()
                .unwrap()
                .codice_ipa,
            "c_a"
        );
        assert_eq!(
            esamina_backup(&copia, &chiave())
                .unwrap()
                .codice_ipa
                .as_deref(),
            Some("c_b")
        );
        assert!(!sidecar(&db, ".ripristino-tmp").exists());
        // A second restore replaces the kept copy.
        ripristina(&bak, &chiave(), &db, &chiave()).unwrap();
        assert_eq!(
            esamina_backup(&copia, &chiave())
                .unwrap()
                .codice_ipa
                .as_deref(),
            Some("c_a")
        );
    }
}
