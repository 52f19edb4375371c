//! Adhesion to MyPay (Regione Lombardia) and the regional contribution for it.
//!
//! * [`profilo`]: the Ente's adhesion profile ([`Profilo`]: kind of Ente, ISTAT code,
//!   population with source and date, PEC, contacts, accounts, payment types, modes), read
//!   from the extra data the profile file leaves in the store.
//! * [`verifica`]: the completeness check: what is missing or wrong, and why it matters.
//! * [`contributo`]: contribution rules as versioned data ([`contributo::Misura`], a TOML preset
//!   in `assets/contributo/`), the computation with its explanation sentence, expense items.
//! * [`documento`]: the adhesion documents (Atto di adesione, Modulo informativa Ente, the PEC
//!   reminder with the steps checklist) and the contribution summary, as a format-free model;
//!   [`odt`] and [`pdf`] render it, [`riepilogo`] adds the XLSX of the summary.
//!
//! Architecture: no SQL, no tauri, no clock (`oggi` is passed in); the only IO is writing the
//! documents into the folder the caller names. Every amount is a `rust_decimal::Decimal`.
//! What the spec marks as unknown (the DGR's figures, the recipients' addresses, which
//! "montano" counts) is data or configuration, never a constant buried in code.

pub mod contributo;
pub mod documento;
pub mod odt;
pub mod pdf;
pub mod profilo;
pub mod riepilogo;
pub mod tassonomia;
pub mod verifica;

use std::path::{Path, PathBuf};

use serde::Serialize;

pub use contributo::{Esito, Misura, Richiesta};
pub use profilo::{Modalita, Profilo, TipoEnte};
pub use verifica::{Verifica, verifica};

/// How serious a [`Problema`] is: an error stops the documents, a warning does not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Gravita {
    Errore,
    Avviso,
}

/// One thing missing or wrong in the profile: the field (as named in the profile file), what
/// is wrong and why it matters for the adhesion or the contribution.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problema {
    pub campo: String,
    pub gravita: Gravita,
    pub messaggio: String,
    pub perche: String,
}

/// The document's name in a [`AdesioneError::Documento`] detail (`atto.odt: <library text>`):
/// the clerk reads the name, the library's text goes to the log.
fn nome_documento(dettaglio: &str) -> &str {
    dettaglio.split(": ").next().unwrap_or(dettaglio)
}

/// Errors of this crate. Messages are Italian: they reach the clerk.
#[derive(Debug, thiserror::Error)]
pub enum AdesioneError {
    /// The contribution rules file is not valid; the message names the key.
    #[error("regole del contributo: {0}")]
    Regole(String),
    /// The profile is incomplete: no document was written.
    #[error(
        "profilo incompleto: {} da correggere prima di generare i documenti",
        mpd_domain::testo::conta(.0.len(), "problema", "problemi")
    )]
    Incompleto(Vec<Problema>),
    /// A document could not be written.
    #[error("impossibile scrivere {path}: {}", mpd_domain::testo::causa_io(source))]
    Write {
        path: String,
        source: std::io::Error,
    },
    /// A document could not be built (font, zip or spreadsheet library failure).
    #[error(
        "impossibile creare il documento {}: riprovi; se si ripete, il registro dell'applicazione ha i dettagli per l'assistenza",
        nome_documento(.0)
    )]
    Documento(String),
}

pub type Result<T, E = AdesioneError> = std::result::Result<T, E>;

pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<PathBuf> {
    std::fs::write(path, bytes).map_err(|source| AdesioneError::Write {
        path: path.display().to_string(),
        source,
    })?;
    Ok(path.to_path_buf())
}

/// `4200` → `4.200`: thousands as Italians write them.
pub fn format_int(n: u64) -> String {
    mpd_domain::testo::numero(n)
}

#[cfg(test)]
mod tests;
