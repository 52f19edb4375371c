//! (to be filled: the sportello area of the window, moved here from the shell and the CLI)

/// The types of this module the window sees.
#[cfg(test)]
pub(crate) fn tipi_ts(_cfg: &ts_rs::Config) -> Result<(), ts_rs::ExportError> {
    Ok(())
}
