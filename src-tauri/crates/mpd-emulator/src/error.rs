//! The errors of the emulator's library API. A leaf: it names no other module of the crate.

/// Errors of the emulator's library API. Messages are for whoever started it.
#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    #[error("profilo dell'Ente {file}: {message}")]
    Config { file: String, message: String },
    #[error("due profili hanno lo stesso codice IPA «{0}»")]
    DuplicateEnte(String),
    #[error("database dell'emulatore: {0}")]
    Db(String),
    #[error("cartella dati {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("impossibile aprire la porta {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Other(String),
}
