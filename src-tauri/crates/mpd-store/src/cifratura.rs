//! The database encrypted at rest (SQLCipher, issue 17 item 7).
//!
//! Every page of the database file, its `-wal` and every backup is encrypted with AES-256
//! (SQLCipher 4's defaults: a random salt per file, an HMAC per page). The key is a
//! [`Chiave`]: either 256 random bits (kept by the layers above in the OS keyring; SQLCipher
//! uses them as they are, with no key derivation) or a passphrase the clerk chose where no
//! keyring exists (SQLCipher derives the key with PBKDF2, 256,000 rounds, from it and the file's
//! salt). This crate never stores a key: it is handed in at each open and zeroed when dropped.
//!
//! A database left in the clear by an older version is encrypted in place when first opened
//! with a key ([`migra`]), never losing it on a crash: the encrypted copy is written beside
//! it, checked (its own integrity check, every table's row count equal to the original's), a
//! second name for the plain file is kept, the copy is renamed over the database, and the plain
//! file is removed only once the encrypted one has opened with the key. Whatever step a crash
//! interrupts, the next open finds either the plain database (and starts again) or the
//! encrypted one (and removes what was left).
//!
//! Whether a file is encrypted is told by its first 16 bytes: a plain SQLite file starts with
//! `SQLite format 3\0`, an encrypted one with its random salt.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, params};
use zeroize::Zeroizing;

use crate::{Result, StoreError};

/// The environment variable a headless run (a scheduled task, a test) gives the database's
/// passphrase or recovery code in, instead of the OS keyring.
pub const ENV_FRASE: &str = "MYPAY_DESK_DB_PASSPHRASE";

/// The first 16 bytes of every plain SQLite database.
const INTESTAZIONE_SQLITE: &[u8; 16] = b"SQLite format 3\0";

/// The suffix of the encrypted copy being written by [`migra`].
const SUFFISSO_IN_CORSO: &str = ".cifratura-in-corso";
/// The suffix of the plain database kept by [`migra`] until the encrypted one has opened.
pub const SUFFISSO_IN_CHIARO: &str = ".in-chiaro";

/// The key of an encrypted database: 256 random bits or a passphrase. Never printed (`Debug`
/// says «nascosta»), zeroed when dropped.
#[derive(Clone)]
pub struct Chiave(Forma);

#[derive(Clone)]
enum Forma {
    Grezza(Zeroizing<[u8; 32]>),
    Frase(Zeroizing<String>),
    /// No encryption at all (feature `in-chiaro`, benchmarks only).
    #[cfg(feature = "in-chiaro")]
    Nessuna,
}

impl Chiave {
    /// A new random key (the operating system's generator, through `rand`).
    pub fn genera() -> Chiave {
        let mut bytes = Zeroizing::new([0u8; 32]);
        rand::Rng::fill(&mut rand::rng(), &mut bytes[..]);
        Chiave(Forma::Grezza(bytes))
    }

    /// No key: the database stays plain, as before SQLCipher. Only for the benchmark that
    /// measures what the encryption costs (feature `in-chiaro`, never in the app).
    #[cfg(feature = "in-chiaro")]
    pub fn nessuna() -> Chiave {
        Chiave(Forma::Nessuna)
    }

    /// Whether this is [`Chiave::nessuna`].
    pub(crate) fn in_chiaro(&self) -> bool {
        #[cfg(feature = "in-chiaro")]
        if matches!(self.0, Forma::Nessuna) {
            return true;
        }
        false
    }

    /// A key of these 256 bits (tests, benchmarks).
    pub fn grezza(bytes: [u8; 32]) -> Chiave {
        Chiave(Forma::Grezza(Zeroizing::new(bytes)))
    }

    /// The key a text stands for: a recovery code (64 hexadecimal digits, in groups or not,
    /// as [`Chiave::testo`] writes it) is the key itself; anything else is a passphrase, taken
    /// as it is. `None` for an empty or blank text.
    pub fn da_testo(testo: &str) -> Option<Chiave> {
        if testo.trim().is_empty() {
            return None;
        }
        let cifre: Zeroizing<String> =
            Zeroizing::new(testo.chars().filter(|c| !matches!(c, '-' | ' ')).collect());
        if cifre.len() == 64 && cifre.chars().all(|c| c.is_ascii_hexdigit()) {
            let mut bytes = Zeroizing::new([0u8; 32]);
            if hex::decode_to_slice(cifre.as_bytes(), &mut bytes[..]).is_ok() {
                return Some(Chiave(Forma::Grezza(bytes)));
            }
        }
        Some(Chiave(Forma::Frase(Zeroizing::new(testo.to_string()))))
    }

    /// The key as text: a random key as its recovery code (64 hexadecimal digits in groups of
    /// four, `A1B2-…`), a passphrase as it is. [`Chiave::da_testo`] reads it back.
    pub fn testo(&self) -> Zeroizing<String> {
        match &self.0 {
            Forma::Grezza(b) => {
                let cifre = Zeroizing::new(hex::encode_upper(&b[..]));
                let mut t = Zeroizing::new(String::with_capacity(79));
                for (i, c) in cifre.chars().enumerate() {
                    if i > 0 && i % 4 == 0 {
                        t.push('-');
                    }
                    t.push(c);
                }
                t
            }
            Forma::Frase(f) => f.clone(),
            #[cfg(feature = "in-chiaro")]
            Forma::Nessuna => Zeroizing::new(String::new()),
        }
    }

    /// A passphrase chosen by the clerk (not a random key).
    pub fn e_frase(&self) -> bool {
        matches!(self.0, Forma::Frase(_))
    }

    /// The value of `PRAGMA key` / `ATTACH … KEY`: `x'…'` (a raw key, used as it is) or the
    /// passphrase.
    fn valore(&self) -> Zeroizing<String> {
        match &self.0 {
            Forma::Grezza(b) => {
                let mut v = Zeroizing::new(String::with_capacity(67));
                v.push_str("x'");
                v.push_str(&Zeroizing::new(hex::encode_upper(&b[..])));
                v.push('\'');
                v
            }
            Forma::Frase(f) => f.clone(),
            // An empty key: SQLCipher leaves an attached database plain.
            #[cfg(feature = "in-chiaro")]
            Forma::Nessuna => Zeroizing::new(String::new()),
        }
    }
}

impl std::fmt::Debug for Chiave {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Chiave(«nascosta»)")
    }
}

/// What a database file is, from its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatoFile {
    /// No file, or an empty one: a new database.
    Assente,
    /// A plain SQLite database (an older version's, or a backup taken before encryption).
    InChiaro,
    /// Anything else: an encrypted database (or a file that is not a database at all, which
    /// only the key can tell).
    Cifrato,
}

/// What the file at `path` is, without opening it as a database.
pub fn stato_file(path: &Path) -> std::io::Result<StatoFile> {
    use std::io::Read;
    let mut f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(StatoFile::Assente),
        Err(e) => return Err(e),
    };
    let mut testa = [0u8; 16];
    let mut letti = 0;
    while letti < testa.len() {
        match f.read(&mut testa[letti..])? {
            0 => break,
            n => letti += n,
        }
    }
    Ok(match letti {
        0 => StatoFile::Assente,
        16 if &testa == INTESTAZIONE_SQLITE => StatoFile::InChiaro,
        _ => StatoFile::Cifrato,
    })
}

/// `path` with `suffisso` appended to its file name.
pub(crate) fn accanto(path: &Path, suffisso: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffisso);
    path.with_file_name(name)
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError {
    let path = path.display().to_string();
    move |source| StoreError::Cifratura { path, source }
}

fn rimuovi(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io_err(path)(e)),
        _ => Ok(()),
    }
}

/// Gives `conn` (its `main` database) the key and checks it opens the file: a wrong key, or a
/// file that is not an encrypted MyPay Desk database, is [`StoreError::ChiaveErrata`].
pub(crate) fn applica(conn: &Connection, chiave: &Chiave, nome: &str) -> Result<()> {
    silenzia(conn)?;
    if chiave.in_chiaro() {
        return verifica_lettura(conn, nome);
    }
    conn.pragma_update(None, "key", &*chiave.valore())?;
    Formato::Corrente.imposta(conn, "main")?;
    match verifica_lettura(conn, nome) {
        // Either a wrong key or an archive written before in SQLCipher 4's own format: the
        // same key tried on that one.
        // (A failed read leaves the cipher refusing new settings until it is given the key
        // again, which starts it afresh.)
        Err(StoreError::ChiaveErrata(_)) => {
            conn.pragma_update(None, "key", &*chiave.valore())?;
            Formato::Sqlcipher4.imposta(conn, "main")?;
            verifica_lettura(conn, nome)
        }
        esito => esito,
    }
}

/// How an archive's pages are encrypted and checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Formato {
    /// Every archive and backup written since 06/12/2026: AES-256 on 8 KiB pages, each with
    /// an HMAC-SHA256. Half the pages of SQLCipher's default for the same data (a page's
    /// fixed cost — a fresh IV, the cipher's set-up, the HMAC's last block — is paid half as
    /// often, and the B-tree splits half as often) and a hash this CPU family computes in
    /// hardware: reading an export of a million payments takes a fifth less time.
    Corrente,
    /// SQLCipher 4's defaults (4 KiB pages, HMAC-SHA512): archives and backups written before.
    /// They open as they are, and keep this format until a restore or a new backup rewrites
    /// them.
    Sqlcipher4,
}

impl Formato {
    /// Gives the database `schema` of `conn` (`main`, or an attached one) this format: after
    /// its key, before its first read.
    pub(crate) fn imposta(self, conn: &Connection, schema: &str) -> Result<()> {
        let (pagina, hmac) = match self {
            Formato::Corrente => (8192, "HMAC_SHA256"),
            Formato::Sqlcipher4 => (4096, "HMAC_SHA512"),
        };
        conn.execute_batch(&format!(
            "PRAGMA {schema}.cipher_page_size = {pagina}; \
             PRAGMA {schema}.cipher_hmac_algorithm = {hmac};"
        ))?;
        Ok(())
    }

    /// The format of the database `schema` open on `conn` with its key (for the tests: the app
    /// never needs to know it).
    #[cfg(test)]
    pub(crate) fn di(conn: &Connection, schema: &str) -> Result<Formato> {
        let hmac: String =
            conn.query_row(&format!("PRAGMA {schema}.cipher_hmac_algorithm"), [], |r| {
                r.get(0)
            })?;
        Ok(if hmac == "HMAC_SHA256" {
            Formato::Corrente
        } else {
            Formato::Sqlcipher4
        })
    }
}

/// SQLCipher writes its own errors (in English: "hmac check failed for pgno=1") to standard
/// error by default, which would reach the clerk's terminal: off. The clerk reads
/// [`StoreError::ChiaveErrata`] instead.
pub(crate) fn silenzia(conn: &Connection) -> Result<()> {
    conn.query_row("PRAGMA cipher_log_level = NONE", [], |_| Ok(()))
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(()),
            e => Err(e),
        })?;
    Ok(())
}

/// The first read of a keyed connection: SQLite says "file is not a database" when the key is
/// wrong, which the clerk reads as [`StoreError::ChiaveErrata`].
pub(crate) fn verifica_lettura(conn: &Connection, nome: &str) -> Result<()> {
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Ok(_) => Ok(()),
        Err(e) if non_e_database(&e) => Err(StoreError::ChiaveErrata(nome.to_string())),
        Err(e) => Err(e.into()),
    }
}

/// SQLite's "file is not a database": what a wrong key looks like.
pub(crate) fn non_e_database(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::NotADatabase)
}

/// Writes the whole database open on `conn` into the new file `dest`, encrypted in the
/// [`Formato::Corrente`] with `chiave`, or with the key of `conn`'s own database when `None`
/// (`sqlcipher_export` through `ATTACH`), its migration level included. `dest` must not exist
/// or be empty; it is created private to the user. The source may be plain or encrypted, in
/// either format. (Not `VACUUM INTO`: its copy would take the key but not the page size and
/// HMAC set after it, and be unreadable.)
pub(crate) fn esporta(conn: &Connection, dest: &Path, chiave: Option<&Chiave>) -> Result<()> {
    crate::file_privato(dest, false)?;
    match chiave {
        Some(chiave) => conn.execute(
            "ATTACH DATABASE ?1 AS cifrato KEY ?2",
            params![dest.display().to_string(), &*chiave.valore()],
        )?,
        None => conn.execute(
            "ATTACH DATABASE ?1 AS cifrato",
            params![dest.display().to_string()],
        )?,
    };
    let esito = (|| -> Result<()> {
        Formato::Corrente.imposta(conn, "cifrato")?;
        // One read transaction: the copy is a consistent snapshot while others write.
        conn.execute_batch("BEGIN DEFERRED")?;
        conn.query_row("SELECT sqlcipher_export('cifrato')", [], |_| Ok(()))?;
        let livello: i64 = conn.pragma_query_value(Some("main"), "user_version", |r| r.get(0))?;
        conn.pragma_update(Some("cifrato"), "user_version", livello)?;
        conn.execute_batch("COMMIT")?;
        Ok(())
    })();
    if esito.is_err() {
        let _ = conn.execute_batch("ROLLBACK");
    }
    let staccato = conn.execute_batch("DETACH DATABASE cifrato");
    esito?;
    staccato?;
    Ok(())
}

/// Every table's row count (SQLite's own tables left out), by name.
fn conteggi(conn: &Connection) -> Result<Vec<(String, i64)>> {
    let nomi: Vec<String> = {
        let mut stmt = conn.prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND rootpage > 0
               AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    nomi.into_iter()
        .map(|n| {
            let c = conn.query_row(
                &format!("SELECT count(*) FROM \"{}\"", n.replace('"', "\"\"")),
                [],
                |r| r.get(0),
            )?;
            Ok((n, c))
        })
        .collect()
}

/// Checks the encrypted copy `copia` against the database open on `originale`: it opens with
/// `chiave`, passes SQLite's integrity check, and has the same migration level and the same
/// tables with the same number of rows.
pub(crate) fn verifica_copia(originale: &Connection, copia: &Path, chiave: &Chiave) -> Result<()> {
    let nome = copia.display().to_string();
    let non_verificata = |dettaglio: String| StoreError::CopiaNonVerificata {
        path: nome.clone(),
        dettaglio,
    };
    let conn = Connection::open_with_flags(
        copia,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    applica(&conn, chiave, &nome)?;
    let integrita: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if integrita != "ok" {
        return Err(non_verificata(format!(
            "controllo di integrità: {integrita}"
        )));
    }
    let livello = |c: &Connection| -> Result<i64> {
        Ok(c.pragma_query_value(Some("main"), "user_version", |r| r.get(0))?)
    };
    if livello(&conn)? != livello(originale)? {
        return Err(non_verificata("livello di migrazione diverso".into()));
    }
    let (prima, dopo) = (conteggi(originale)?, conteggi(&conn)?);
    if prima != dopo {
        let diversa = prima
            .iter()
            .find(|t| !dopo.contains(t))
            .or_else(|| dopo.iter().find(|t| !prima.contains(t)))
            .map(|(n, _)| n.clone())
            .unwrap_or_default();
        return Err(non_verificata(format!(
            "righe diverse nella tabella «{diversa}»"
        )));
    }
    Ok(())
}

/// A step of [`migra`] after which a test stops it, as a crash would.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Passo {
    /// The encrypted copy is written, not yet checked.
    Esportata,
    /// The copy is checked; the plain file has no second name yet.
    Verificata,
    /// The plain file has its second name (`.in-chiaro`); the copy is not in place yet.
    CopiaInChiaro,
    /// The encrypted copy is in place; the plain file is still there under its second name.
    Scambiata,
}

/// Encrypts the plain database at `path` in place with `chiave` (see the module's doc for
/// the order of the steps). Returns once the encrypted file is in place; the caller opens it
/// with the key and then removes the plain one ([`rimuovi_in_chiaro`]).
pub(crate) fn migra(path: &Path, chiave: &Chiave, ferma: Option<Passo>) -> Result<()> {
    let ferma_a = |p: Passo| -> Result<()> {
        if ferma == Some(p) {
            return Err(StoreError::Cifratura {
                path: path.display().to_string(),
                source: std::io::Error::other("interruzione simulata"),
            });
        }
        Ok(())
    };
    let in_corso = accanto(path, SUFFISSO_IN_CORSO);
    let in_chiaro = accanto(path, SUFFISSO_IN_CHIARO);
    {
        let conn = Connection::open(path)?;
        silenzia(&conn)?;
        conn.busy_timeout(crate::BUSY_TIMEOUT)?;
        // Holds the write lock until the copy is checked: another window or command opening
        // the database meanwhile waits for it, then finds the file encrypted (or is told that
        // the archive is in use).
        conn.pragma_update(None, "locking_mode", "EXCLUSIVE")?;
        conn.execute_batch("BEGIN IMMEDIATE; COMMIT;")?;
        if stato_file(path).map_err(io_err(path))? != StatoFile::InChiaro {
            return Ok(());
        }
        for f in [
            in_corso.clone(),
            accanto(&in_corso, "-journal"),
            accanto(&in_corso, "-wal"),
        ] {
            rimuovi(&f)?;
        }
        esporta(&conn, &in_corso, Some(chiave))?;
        ferma_a(Passo::Esportata)?;
        verifica_copia(&conn, &in_corso, chiave)?;
        ferma_a(Passo::Verificata)?;
        // Everything of the plain database into its main file, so that no `-wal` is left
        // behind to be replayed onto the encrypted one.
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    }
    let wal = accanto(path, "-wal");
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        // Another connection still writes into the plain database: try again at the next open.
        rimuovi(&in_corso)?;
        return Err(StoreError::Sqlite(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            None,
        )));
    }
    // The plain file keeps a second name until the encrypted one has opened.
    rimuovi(&in_chiaro)?;
    if std::fs::hard_link(path, &in_chiaro).is_err() {
        mpd_privato::copia(path, &in_chiaro).map_err(io_err(&in_chiaro))?;
    }
    ferma_a(Passo::CopiaInChiaro)?;
    rimuovi(&wal)?;
    rimuovi(&accanto(path, "-shm"))?;
    std::fs::rename(&in_corso, path).map_err(io_err(path))?;
    ferma_a(Passo::Scambiata)?;
    Ok(())
}

/// Removes what an encryption in place left beside `path` (the plain copy, a half-written
/// encrypted one): called once the database at `path` has opened with its key.
pub(crate) fn rimuovi_in_chiaro(path: &Path) -> Result<()> {
    rimuovi(&accanto(path, SUFFISSO_IN_CORSO))?;
    rimuovi(&accanto(path, SUFFISSO_IN_CHIARO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{chiave, debt, now, store};
    use crate::{DovutoFilter, Store, ripristino};

    /// The codice fiscale of the tests' debts: it must never be readable in a file.
    const CF: &[u8] = b"RSSMRA80A01H501U";

    /// Whether `bytes` hold `needle` anywhere.
    fn contiene(bytes: &[u8], needle: &[u8]) -> bool {
        bytes.windows(needle.len()).any(|w| w == needle)
    }

    /// The bytes of the database at `path` and of its `-wal`, if any.
    fn byte_su_disco(path: &Path) -> Vec<u8> {
        let mut b = std::fs::read(path).unwrap();
        b.extend(std::fs::read(accanto(path, "-wal")).unwrap_or_default());
        b
    }

    /// A plain database at `path` (as an older version left it) with one debt of [`CF`].
    fn in_chiaro(path: &Path) {
        let mut s = store();
        s.insert_dovuti(&[debt("A1", 1000), debt("A2", 2000)], now())
            .unwrap();
        s.backup_to(path).unwrap();
        assert_eq!(stato_file(path).unwrap(), StatoFile::InChiaro);
        assert!(contiene(&std::fs::read(path).unwrap(), CF));
    }

    fn dovuti(s: &Store) -> usize {
        s.dovuti(&DovutoFilter::default()).unwrap().len()
    }

    /// A database file encrypted in `formato` from the plain database at `plain`.
    fn cifra_in(plain: &Path, dest: &Path, formato: Formato) {
        let conn = Connection::open(plain).unwrap();
        conn.execute(
            "ATTACH DATABASE ?1 AS c KEY ?2",
            params![dest.display().to_string(), &*chiave().valore()],
        )
        .unwrap();
        formato.imposta(&conn, "c").unwrap();
        conn.query_row("SELECT sqlcipher_export('c')", [], |_| Ok(()))
            .unwrap();
        let livello: i64 = conn
            .pragma_query_value(Some("main"), "user_version", |r| r.get(0))
            .unwrap();
        conn.pragma_update(Some("c"), "user_version", livello)
            .unwrap();
        conn.execute_batch("DETACH DATABASE c").unwrap();
    }

    fn formato_del_file(path: &Path) -> Formato {
        let c = Connection::open(path).unwrap();
        applica(&c, &chiave(), "db").unwrap();
        Formato::di(&c, "main").unwrap()
    }

    #[test]
    fn new_archives_their_backups_and_encrypted_copies_use_the_current_format() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite");
        let mut s = Store::open(&path, &chiave()).unwrap();
        s.insert_dovuti(&[debt("A1", 1000)], now()).unwrap();
        assert_eq!(Formato::di(&s.conn, "main").unwrap(), Formato::Corrente);
        let backup = dir.path().join("backup.sqlite");
        s.backup_to(&backup).unwrap();
        drop(s);
        assert_eq!(formato_del_file(&path), Formato::Corrente);
        assert_eq!(formato_del_file(&backup), Formato::Corrente);
        // An older version's plain database, encrypted in place.
        let plain = dir.path().join("plain.sqlite");
        in_chiaro(&plain);
        drop(Store::open(&plain, &chiave()).unwrap());
        assert_eq!(formato_del_file(&plain), Formato::Corrente);
        // Opening it without the format's settings (as SQLCipher's own tools do by default)
        // does not read it: the README gives the two settings with the key.
        let c = Connection::open(&path).unwrap();
        silenzia(&c).unwrap();
        c.pragma_update(None, "key", &*chiave().valore()).unwrap();
        assert!(matches!(
            verifica_lettura(&c, "db"),
            Err(StoreError::ChiaveErrata(_))
        ));
    }

    /// Archives written before the current format (SQLCipher 4's defaults) open with their key
    /// as they are, are written in their own format, refuse another key, and back up in the
    /// current format.
    #[test]
    fn an_archive_in_sqlcipher4s_format_still_opens() {
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("plain.sqlite");
        in_chiaro(&plain);
        let path = dir.path().join("vecchio.sqlite");
        cifra_in(&plain, &path, Formato::Sqlcipher4);
        assert_eq!(formato_del_file(&path), Formato::Sqlcipher4);
        let mut s = Store::open(&path, &chiave()).unwrap();
        assert_eq!(dovuti(&s), 2);
        s.insert_dovuti(&[debt("A3", 3000)], now()).unwrap();
        drop(s);
        assert_eq!(formato_del_file(&path), Formato::Sqlcipher4);
        let s = Store::open(&path, &chiave()).unwrap();
        assert_eq!(dovuti(&s), 3);
        // Its backups are written in the current format.
        let backup = dir.path().join("backup.sqlite");
        s.backup_to(&backup).unwrap();
        drop(s);
        assert_eq!(formato_del_file(&backup), Formato::Corrente);
        assert_eq!(dovuti(&Store::open(&backup, &chiave()).unwrap()), 3);
        assert!(matches!(
            Store::open(&path, &Chiave::grezza([9; 32])),
            Err(StoreError::ChiaveErrata(_))
        ));
        assert!(!contiene(&byte_su_disco(&path), CF));
    }

    #[test]
    fn the_database_is_encrypted_and_reopens_only_with_its_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite");
        {
            let mut s = Store::open(&path, &chiave()).unwrap();
            s.insert_dovuti(&[debt("A1", 1000)], now()).unwrap();
            // Still open: the rows may be only in the `-wal`, which is encrypted too.
            assert!(!contiene(&byte_su_disco(&path), CF));
            assert!(!contiene(&byte_su_disco(&path), b"Mario Rossi"));
        }
        assert_eq!(stato_file(&path).unwrap(), StatoFile::Cifrato);
        assert!(!contiene(&byte_su_disco(&path), CF));
        assert!(!contiene(&byte_su_disco(&path), b"SQLite format 3"));
        assert_eq!(dovuti(&Store::open(&path, &chiave()).unwrap()), 1);

        // Another key, or none: refused in Italian, the file untouched.
        let prima = std::fs::read(&path).unwrap();
        let altra = Chiave::grezza([1; 32]);
        let err = Store::open(&path, &altra).err().unwrap();
        assert!(matches!(err, StoreError::ChiaveErrata(_)), "{err:?}");
        let testo = err.to_string();
        assert!(
            testo.starts_with("archivio cifrato: chiave non disponibile"),
            "{testo}"
        );
        assert!(!testo.contains("not a database"), "{testo}");
        let nessuna = Connection::open(&path).unwrap();
        assert!(matches!(
            verifica_lettura(&nessuna, "db"),
            Err(StoreError::ChiaveErrata(_))
        ));
        drop(nessuna);
        assert_eq!(std::fs::read(&path).unwrap(), prima);
        assert_eq!(dovuti(&Store::open(&path, &chiave()).unwrap()), 1);
    }

    #[test]
    fn a_passphrase_and_a_recovery_code_are_keys_too() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite");
        let frase = Chiave::da_testo("la mia frase segreta, lunga").unwrap();
        assert!(frase.e_frase());
        drop(Store::open(&path, &frase).unwrap());
        assert_eq!(stato_file(&path).unwrap(), StatoFile::Cifrato);
        Store::open(
            &path,
            &Chiave::da_testo("la mia frase segreta, lunga").unwrap(),
        )
        .unwrap();
        assert!(matches!(
            Store::open(&path, &Chiave::da_testo("la mia frase segreta").unwrap()),
            Err(StoreError::ChiaveErrata(_))
        ));

        // A random key written as its recovery code reads back as the same key.
        let k = Chiave::genera();
        let codice = k.testo();
        assert_eq!(codice.len(), 79, "{}", codice.as_str());
        assert_eq!(codice.matches('-').count(), 15);
        let dal_codice = Chiave::da_testo(&codice.to_lowercase().replace('-', " ")).unwrap();
        assert!(!dal_codice.e_frase());
        let other = dir.path().join("altro.sqlite");
        drop(Store::open(&other, &k).unwrap());
        Store::open(&other, &dal_codice).unwrap();
        assert!(Chiave::da_testo("  ").is_none());
        assert_eq!(format!("{k:?}"), "Chiave(«nascosta»)");
        assert_ne!(Chiave::genera().testo(), codice, "keys are random");
    }

    #[test]
    fn a_plain_database_is_encrypted_in_place_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite");
        in_chiaro(&path);
        let s = Store::open(&path, &chiave()).unwrap();
        assert_eq!(dovuti(&s), 2);
        assert_eq!(s.dovuto("A1").unwrap().unwrap().importo_cents, 1000);
        drop(s);
        assert_eq!(stato_file(&path).unwrap(), StatoFile::Cifrato);
        assert!(!contiene(&byte_su_disco(&path), CF));
        for f in [SUFFISSO_IN_CORSO, SUFFISSO_IN_CHIARO] {
            assert!(!accanto(&path, f).exists(), "{f} left behind");
        }
        let mut nomi: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        nomi.sort();
        assert_eq!(nomi, ["db.sqlite"], "only the encrypted database is left");
    }

    #[test]
    fn a_copy_that_does_not_match_keeps_the_plain_database() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite");
        in_chiaro(&path);
        let plain = Connection::open(&path).unwrap();
        let copia = dir.path().join("copia.sqlite");
        esporta(&plain, &copia, Some(&chiave())).unwrap();
        verifica_copia(&plain, &copia, &chiave()).unwrap();
        // One row fewer in the copy: the check names the table.
        let c = Connection::open(&copia).unwrap();
        applica(&c, &chiave(), "copia").unwrap();
        c.execute("DELETE FROM dovuto WHERE iud = 'A2'", [])
            .unwrap();
        drop(c);
        let err = verifica_copia(&plain, &copia, &chiave()).unwrap_err();
        assert!(
            matches!(&err, StoreError::CopiaNonVerificata { dettaglio, .. } if dettaglio.contains("«dovuto»")),
            "{err}"
        );
        // Another key does not open it.
        assert!(matches!(
            verifica_copia(&plain, &copia, &Chiave::grezza([9; 32])),
            Err(StoreError::ChiaveErrata(_))
        ));
    }

    #[test]
    fn a_crash_at_any_step_of_the_encryption_leaves_a_usable_database() {
        for passo in [
            Passo::Esportata,
            Passo::Verificata,
            Passo::CopiaInChiaro,
            Passo::Scambiata,
        ] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("db.sqlite");
            in_chiaro(&path);
            let err = Store::open_fermando(&path, &chiave(), Some(passo))
                .err()
                .unwrap();
            assert!(
                matches!(&err, StoreError::Cifratura { source, .. } if source.to_string().contains("interruzione simulata")),
                "{err:?}"
            );
            // Whatever is at the path opens: plain before the swap, encrypted after it.
            let atteso = if passo == Passo::Scambiata {
                StatoFile::Cifrato
            } else {
                StatoFile::InChiaro
            };
            assert_eq!(stato_file(&path).unwrap(), atteso, "{passo:?}");
            if passo == Passo::Scambiata {
                // The plain file is still kept: the encrypted one has not opened yet.
                assert!(accanto(&path, SUFFISSO_IN_CHIARO).exists());
            }
            // The next open finishes the work and removes what was left.
            let s = Store::open(&path, &chiave()).unwrap();
            assert_eq!(dovuti(&s), 2, "{passo:?}");
            drop(s);
            assert_eq!(stato_file(&path).unwrap(), StatoFile::Cifrato);
            assert!(!accanto(&path, SUFFISSO_IN_CHIARO).exists(), "{passo:?}");
            assert!(!accanto(&path, SUFFISSO_IN_CORSO).exists(), "{passo:?}");
            assert!(!contiene(&byte_su_disco(&path), CF), "{passo:?}");
        }
    }

    #[test]
    fn with_a_wrong_key_the_plain_copy_of_an_interrupted_encryption_stays() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite");
        in_chiaro(&path);
        assert!(Store::open_fermando(&path, &chiave(), Some(Passo::Scambiata)).is_err());
        assert!(Store::open(&path, &Chiave::grezza([3; 32])).is_err());
        assert!(accanto(&path, SUFFISSO_IN_CHIARO).exists());
    }

    #[test]
    fn backups_are_encrypted_and_restored_only_with_their_key() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db.sqlite");
        let bak = dir.path().join("copia.sqlite");
        {
            let mut s = Store::open(&db, &chiave()).unwrap();
            s.insert_dovuti(&[debt("A1", 1000)], now()).unwrap();
            s.backup_to(&bak).unwrap();
        }
        assert_eq!(stato_file(&bak).unwrap(), StatoFile::Cifrato);
        assert!(!contiene(&std::fs::read(&bak).unwrap(), CF));
        assert_eq!(dovuti(&Store::open(&bak, &chiave()).unwrap()), 1);
        let altra = Chiave::grezza([5; 32]);
        let err = ripristino::esamina_backup(&bak, &altra).unwrap_err();
        assert!(
            matches!(err, ripristino::RipristinoError::ChiaveErrata(_)),
            "{err:?}"
        );
        assert!(
            err.to_string()
                .starts_with("archivio cifrato: chiave non disponibile"),
            "{err}"
        );

        // A backup made on another computer (another key) is restored with that key, and
        // encrypted again with this computer's.
        let altro_pc = dir.path().join("altro-pc.sqlite");
        let bak_altro = dir.path().join("copia-altro-pc.sqlite");
        {
            let mut s = Store::open(&altro_pc, &altra).unwrap();
            s.insert_dovuti(&[debt("B1", 1), debt("B2", 2)], now())
                .unwrap();
            s.backup_to(&bak_altro).unwrap();
        }
        assert!(matches!(
            ripristino::ripristina(&bak_altro, &chiave(), &db, &chiave()),
            Err(ripristino::RipristinoError::ChiaveErrata(_))
        ));
        assert_eq!(dovuti(&Store::open(&db, &chiave()).unwrap()), 1);
        let (info, copia) = ripristino::ripristina(&bak_altro, &altra, &db, &chiave()).unwrap();
        assert_eq!(info.dovuti, 2);
        assert_eq!(dovuti(&Store::open(&db, &chiave()).unwrap()), 2);
        assert!(matches!(
            Store::open(&db, &altra),
            Err(StoreError::ChiaveErrata(_))
        ));
        // The previous database, kept, is encrypted with this computer's key.
        let copia = copia.unwrap();
        assert_eq!(stato_file(&copia).unwrap(), StatoFile::Cifrato);
        assert!(!contiene(&std::fs::read(&copia).unwrap(), CF));
        assert_eq!(
            ripristino::esamina_backup(&copia, &chiave())
                .unwrap()
                .dovuti,
            1
        );
        // The clerk's backup file is left as it was (encrypted with its own key).
        assert_eq!(
            ripristino::esamina_backup(&bak_altro, &altra)
                .unwrap()
                .dovuti,
            2
        );
        // A plain backup of an older version is restored, encrypted.
        let vecchio = dir.path().join("vecchio.sqlite");
        in_chiaro(&vecchio);
        ripristino::ripristina(&vecchio, &chiave(), &db, &chiave()).unwrap();
        assert_eq!(stato_file(&db).unwrap(), StatoFile::Cifrato);
        assert!(!contiene(&byte_su_disco(&db), CF));
        assert_eq!(dovuti(&Store::open(&db, &chiave()).unwrap()), 2);
    }

    #[test]
    fn a_passphrase_database_backs_up_under_the_same_passphrase() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db.sqlite");
        let bak = dir.path().join("copia.sqlite");
        let frase = Chiave::da_testo("frase dell'archivio").unwrap();
        {
            let mut s = Store::open(&db, &frase).unwrap();
            s.insert_dovuti(&[debt("A1", 1000)], now()).unwrap();
            s.backup_to(&bak).unwrap();
        }
        assert!(!contiene(&std::fs::read(&bak).unwrap(), CF));
        assert_eq!(
            ripristino::esamina_backup(&bak, &Chiave::da_testo("frase dell'archivio").unwrap())
                .unwrap()
                .dovuti,
            1
        );
        assert!(ripristino::esamina_backup(&bak, &chiave()).is_err());
    }
}
