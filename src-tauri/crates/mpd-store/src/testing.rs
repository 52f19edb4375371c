//! Helpers for other crates' tests (feature `test-support`), so that they need no SQL.

use std::path::Path;

use rusqlite::Connection;

use crate::{Chiave, Result};

/// The key of other crates' test databases, as its recovery code: what a test passes in
/// `MYPAY_DESK_DB_PASSPHRASE` to the built binary, or to an application it builds.
pub const CHIAVE_DI_PROVA: &str =
    "7E57-7E57-7E57-7E57-7E57-7E57-7E57-7E57-7E57-7E57-7E57-7E57-7E57-7E57-7E57-7E57";

/// [`CHIAVE_DI_PROVA`] as a key.
pub fn chiave() -> Chiave {
    Chiave::da_testo(CHIAVE_DI_PROVA).expect("a recovery code")
}

/// Another connection holding the database's write lock, as a long import does, until it is
/// dropped. Writers of other connections wait for it, then fail with "database is locked".
pub struct BloccoScrittura(Connection);

impl BloccoScrittura {
    pub fn prendi(db: &Path, chiave: &Chiave) -> Result<BloccoScrittura> {
        let conn = Connection::open(db)?;
        crate::cifratura::applica(&conn, chiave, &db.display().to_string())?;
        conn.busy_timeout(std::time::Duration::ZERO)?;
        conn.execute_batch("BEGIN IMMEDIATE")?;
        Ok(BloccoScrittura(conn))
    }
}

impl Drop for BloccoScrittura {
    fn drop(&mut self) {
        let _ = self.0.execute_batch("COMMIT");
    }
}
