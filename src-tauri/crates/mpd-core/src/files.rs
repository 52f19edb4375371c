//! Opening the files the clerk names, with Italian errors.
//!
//! A leaf: it uses no sibling module, only the crate's [`CoreError`].

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use crate::{CoreError, Result};

/// Opens a file for reading with an Italian error.
pub(crate) fn open_file(path: &Path) -> Result<File> {
    File::open(path).map_err(|source| CoreError::Read {
        path: path.display().to_string(),
        source,
    })
}

/// [`open_file`] behind a 1 MiB buffer (a file read row by row).
pub(crate) fn open_buffered(path: &Path) -> Result<BufReader<File>> {
    open_file(path).map(|f| BufReader::with_capacity(1 << 20, f))
}
