//! Files and folders private to the user (issue 17 item 7).
//!
//! Everything MyPay Desk writes into its own folders (the data folder, the database and its
//! `-wal`/`-shm`, flows and their result files, MyPay's exports, notice PDFs, the logo, the
//! log, the copy kept before a restore) is created here: folders `0700` and files `0600` on
//! Unix, **created so** (`DirBuilderExt::mode`, `OpenOptionsExt::mode`), never created open and
//! closed afterwards; the umask can only take bits away from these modes. What was created by
//! an older version with wider modes is tightened when it is opened again ([`stringi`]).
//! On Windows the data folder lies in the user's own profile (`%APPDATA%`), which other users
//! cannot read: the functions only create.
//!
//! Files the clerk saves elsewhere (a save dialog, `--out`) are not made here: they keep what
//! the OS gives them.
//!
//! Temporary files go into a [`temporanea`] folder: a random name, `0700`, removed when the
//! handle is dropped (also on error), never a fixed name under the system temp folder.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

/// A private temporary folder: removed with everything in it when dropped.
pub use tempfile::TempDir as CartellaTemporanea;

/// Creates `dir` and any missing parent as private folders (`0700`); a folder already there is
/// left as it is (it may be the clerk's: the parent of a `--db` they chose).
pub fn crea_cartella(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// [`crea_cartella`], and a folder of the app's already there is made private too (one an
/// older version created `0755`).
pub fn cartella(dir: &Path) -> io::Result<()> {
    crea_cartella(dir)?;
    stringi(dir)
}

/// Takes group and others' permissions away from the file or folder at `path`, if it exists
/// and has any (Unix); nothing elsewhere.
pub fn stringi(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let meta = match std::fs::symlink_metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        };
        // A link is not followed: what it points to is not the app's.
        if meta.file_type().is_symlink() {
            return Ok(());
        }
        let mode = meta.permissions().mode();
        if mode & 0o077 != 0 {
            let private = if meta.is_dir() { 0o700 } else { 0o600 };
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(private))?;
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

fn opzioni() -> OpenOptions {
    #[cfg_attr(not(unix), allow(unused_mut))] // only Unix gives the file a mode
    let mut o = OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o
}

/// A file opened for writing, created `0600` if missing, emptied if there, tightened if an
/// older version left it readable by others.
pub fn crea(path: &Path) -> io::Result<File> {
    let f = opzioni()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)?;
    stringi_aperto(&f)?;
    Ok(f)
}

/// A new file `0600`; fails if `path` exists.
pub fn crea_nuovo(path: &Path) -> io::Result<File> {
    opzioni().write(true).create_new(true).open(path)
}

/// A file opened for appending (a log), created `0600` if missing, tightened if not.
pub fn accoda(path: &Path) -> io::Result<File> {
    let f = opzioni().append(true).create(true).open(path)?;
    stringi_aperto(&f)?;
    Ok(f)
}

/// Writes `bytes` to `path` as [`crea`] does.
pub fn scrivi(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write as _;
    let mut f = crea(path)?;
    f.write_all(bytes)
}

/// Creates an empty `0600` file at `path` if nothing is there, and tightens it otherwise: for a
/// file another library then writes into (SQLite: its `-wal` and `-shm` take the database
/// file's mode; `VACUUM INTO` writes into an empty file).
pub fn prepara(path: &Path) -> io::Result<()> {
    match crea_nuovo(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => stringi(path),
        Err(e) => Err(e),
    }
}

/// Copies `from` into a new private file `to` (unlike `std::fs::copy`, the copy does not take
/// the source's permissions); `to` must not exist.
pub fn copia(from: &Path, to: &Path) -> io::Result<u64> {
    let mut src = File::open(from)?;
    let mut dst = crea_nuovo(to)?;
    let n = io::copy(&mut src, &mut dst)?;
    dst.sync_all()?;
    Ok(n)
}

fn stringi_aperto(f: &File) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = f.metadata()?.permissions().mode();
        if mode & 0o077 != 0 {
            f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
    }
    #[cfg(not(unix))]
    let _ = f;
    Ok(())
}

/// A private temporary folder under the system's, named `<prefisso>` and random characters:
/// `0700` (asked for: tempfile's own default follows the umask, `0755` here), removed when the
/// handle is dropped.
pub fn temporanea(prefisso: &str) -> io::Result<CartellaTemporanea> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefisso);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(std::fs::Permissions::from_mode(0o700));
    }
    builder.tempdir()
}

#[cfg(test)]
mod tests;
