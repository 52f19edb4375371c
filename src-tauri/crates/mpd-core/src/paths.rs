//! Where MyPay Desk keeps its data.
//!
//! One per-user folder, the platform's convention (resolved by the `directories` crate):
//! `%APPDATA%\MyPayDesk\MyPay Desk\data` on Windows, `$XDG_DATA_HOME/mypaydesk` (by default
//! `~/.local/share/mypaydesk`) on Linux. The app and the CLI resolve the same folder, so the
//! clerk's window and a scheduled `mypay-desk sync` share one database. `--db PATH` overrides
//! the database file; the flows then go beside it.

use std::path::{Path, PathBuf};

/// The per-user data folder, or `None` when the OS gives no home directory.
pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("it", "MyPayDesk", "MyPay Desk")
        .map(|d| d.data_dir().to_path_buf())
}

/// The database file inside a data folder.
pub fn db_in(data_dir: &Path) -> PathBuf {
    data_dir.join("mypay-desk.sqlite")
}

/// Where built flow zips go, next to the database.
pub fn flows_dir_for(db: &Path) -> PathBuf {
    db.parent().unwrap_or(Path::new(".")).join("flussi")
}
