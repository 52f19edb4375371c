//! Coded errors: every failure of an operation carries a [`Codice`] that the front ends branch
//! on, and an Italian message for the clerk that fits both front ends.
//!
//! The message says what is wrong and what to do in words that name no command-line flag and
//! no button: the CLI adds its hint ([`Codice`] → a command) and the window its own (a screen).
//! Each error of the layers below maps to its own code here, once.

use mpd_client::SyncError;
use mpd_client::api::ApiError;
use mpd_client::config::ConfigError;
use mpd_client::credentials::CredentialError;
use mpd_core::CoreError;
use mpd_store::StoreError;
use serde::Serialize;
use ts_rs::TS;

/// What kind of failure, for a front end to branch on (never on the message's text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Codice {
    /// A front end passed a value the operation does not accept (a bad id, an unknown state).
    Argomento,
    /// The clerk's input breaks a rule; the message names the field.
    NonValido,
    /// No Ente profile has been saved yet.
    EnteMancante,
    /// The Ente profile file cannot be read or is incomplete.
    ProfiloEnte,
    /// No debt with that IUD.
    DovutoInesistente,
    /// An identical open debt of the same payer exists: creating another needs an explicit yes.
    DovutoDuplicato,
    /// No flow with that id or name.
    FlussoInesistente,
    /// Not allowed in the current state (a debt already sent, paid…); the message says why.
    NonConsentito,
    /// The local database failed (disk, corruption).
    Database,
    /// Another program holds the local database: try again in a moment.
    DatabaseOccupato,
    /// The database was written by a newer MyPay Desk.
    DatabaseRecente,
    /// The per-user data folder cannot be found: the database's path must be given.
    CartellaDati,
    /// A file could not be read.
    LetturaFile,
    /// A file could not be written.
    ScritturaFile,
    /// A spreadsheet or file cannot be used (format, size, empty).
    FileNonValido,
    /// Every row of the file to import is already in the archive: nothing was stored.
    FileGiaImportato,
    /// A backup cannot be restored.
    Ripristino,
    /// Adhesion data or documents could not be produced.
    Adesione,
    /// The connection settings are wrong (environment, address).
    Impostazioni,
    /// No MyPay password stored for this Ente and environment.
    PasswordMancante,
    /// MyPay does not recognise the Ente or its service password.
    PasswordRifiutata,
    /// The system keyring cannot be used.
    Portachiavi,
    /// MyPay did not answer (network, timeout).
    MypayNonRaggiunto,
    /// MyPay answered with an error of its own (HTTP error, internal error, unreadable answer).
    MypayGuasto,
    /// MyPay refused the request (a business fault, a refused file); the message explains.
    MypayRifiuto,
    /// MyPay did not answer a debt sent at the counter: it is saved as a draft and may exist at
    /// MyPay, so it must be looked up before trying again.
    EsitoIncerto,
    /// MyPay did not take a change now: it is saved and goes with the next submission.
    Rinviato,
    /// The clerk cancelled: what was done is saved, the next run resumes.
    Annullato,
    /// Another operation with MyPay is running.
    Occupato,
    /// A submission ended with flows not sent (the report names them).
    InvioIncompleto,
    /// Only in the demo environment.
    SoloDemo,
    /// Something that should not happen; the log has the detail.
    Interno,
}

impl Codice {
    /// The code as the window receives it (`snake_case`).
    pub fn as_str(self) -> &'static str {
        match self {
            Codice::Argomento => "argomento",
            Codice::NonValido => "non_valido",
            Codice::EnteMancante => "ente_mancante",
            Codice::ProfiloEnte => "profilo_ente",
            Codice::DovutoInesistente => "dovuto_inesistente",
            Codice::DovutoDuplicato => "dovuto_duplicato",
            Codice::FlussoInesistente => "flusso_inesistente",
            Codice::NonConsentito => "non_consentito",
            Codice::Database => "database",
            Codice::DatabaseOccupato => "database_occupato",
            Codice::DatabaseRecente => "database_recente",
            Codice::CartellaDati => "cartella_dati",
            Codice::LetturaFile => "lettura_file",
            Codice::ScritturaFile => "scrittura_file",
            Codice::FileNonValido => "file_non_valido",
            Codice::FileGiaImportato => "file_gia_importato",
            Codice::Ripristino => "ripristino",
            Codice::Adesione => "adesione",
            Codice::Impostazioni => "impostazioni",
            Codice::PasswordMancante => "password_mancante",
            Codice::PasswordRifiutata => "password_rifiutata",
            Codice::Portachiavi => "portachiavi",
            Codice::MypayNonRaggiunto => "mypay_non_raggiunto",
            Codice::MypayGuasto => "mypay_guasto",
            Codice::MypayRifiuto => "mypay_rifiuto",
            Codice::EsitoIncerto => "esito_incerto",
            Codice::Rinviato => "rinviato",
            Codice::Annullato => "annullato",
            Codice::Occupato => "occupato",
            Codice::InvioIncompleto => "invio_incompleto",
            Codice::SoloDemo => "solo_demo",
            Codice::Interno => "interno",
        }
    }

    /// Every code, for the tests that check each front end handles them.
    pub const TUTTI: [Codice; 32] = [
        Codice::Argomento,
        Codice::NonValido,
        Codice::EnteMancante,
        Codice::ProfiloEnte,
        Codice::DovutoInesistente,
        Codice::DovutoDuplicato,
        Codice::FlussoInesistente,
        Codice::NonConsentito,
        Codice::Database,
        Codice::DatabaseOccupato,
        Codice::DatabaseRecente,
        Codice::CartellaDati,
        Codice::LetturaFile,
        Codice::ScritturaFile,
        Codice::FileNonValido,
        Codice::FileGiaImportato,
        Codice::Ripristino,
        Codice::Adesione,
        Codice::Impostazioni,
        Codice::PasswordMancante,
        Codice::PasswordRifiutata,
        Codice::Portachiavi,
        Codice::MypayNonRaggiunto,
        Codice::MypayGuasto,
        Codice::MypayRifiuto,
        Codice::EsitoIncerto,
        Codice::Rinviato,
        Codice::Annullato,
        Codice::Occupato,
        Codice::InvioIncompleto,
        Codice::SoloDemo,
        Codice::Interno,
    ];
}

impl std::fmt::Display for Codice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An operation's failure: its code and the clerk's message. Serialised as the window has
/// always received it: `{ codice, messaggio }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{messaggio}")]
pub struct Errore {
    pub codice: Codice,
    pub messaggio: String,
}

pub type Risultato<T> = std::result::Result<T, Errore>;

/// A field of a form that is not acceptable: `campo` is the form's key (`codice_fiscale`,
/// `conti.0.iban`, `tipi.1.tassonomia`), `messaggio` names the field for the clerk and says why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct ErroreCampo {
    pub campo: String,
    pub messaggio: String,
}

/// The outcome of saving a form: nothing is stored while there are errors.
#[derive(Clone, Debug, Serialize, TS)]
pub struct Salvataggio {
    pub salvato: bool,
    pub errori: Vec<ErroreCampo>,
    /// Things worth knowing that did not stop the save.
    pub avvisi: Vec<String>,
}

impl From<mpd_core::adesione::Salvataggio> for Salvataggio {
    fn from(s: mpd_core::adesione::Salvataggio) -> Salvataggio {
        Salvataggio {
            salvato: s.salvato,
            errori: s
                .errori
                .into_iter()
                .map(|e| ErroreCampo {
                    campo: e.campo,
                    messaggio: e.messaggio,
                })
                .collect(),
            avvisi: s.avvisi,
        }
    }
}

impl Errore {
    pub fn new(codice: Codice, messaggio: impl Into<String>) -> Errore {
        Errore {
            codice,
            messaggio: messaggio.into(),
        }
    }

    /// A value a front end passed is not acceptable.
    pub fn argomento(messaggio: impl Into<String>) -> Errore {
        Errore::new(Codice::Argomento, messaggio)
    }

    /// The clerk's input breaks a rule.
    pub fn non_valido(messaggio: impl Into<String>) -> Errore {
        Errore::new(Codice::NonValido, messaggio)
    }

    /// Something that should not happen; `dettaglio` goes to the log, not to the clerk.
    pub fn interno(dettaglio: impl std::fmt::Display) -> Errore {
        tracing::error!("errore interno: {dettaglio}");
        Errore::new(
            Codice::Interno,
            "errore interno di MyPay Desk: riprova; se si ripete, il registro dell'applicazione ha i dettagli",
        )
    }
}

impl From<StoreError> for Errore {
    fn from(e: StoreError) -> Errore {
        let codice = match &e {
            _ if e.occupato() => Codice::DatabaseOccupato,
            StoreError::Sqlite(_) | StoreError::Migration(_) => Codice::Database,
            StoreError::TooNew(_) => Codice::DatabaseRecente,
            StoreError::DovutoNotFound(_) => Codice::DovutoInesistente,
            StoreError::FlussoNotFound(_) => Codice::FlussoInesistente,
            StoreError::NotAllowed(_) => Codice::NonConsentito,
        };
        let messaggio = if codice == Codice::DatabaseOccupato {
            "il database locale è occupato da un'altra operazione: riprova tra qualche istante"
                .to_string()
        } else {
            e.to_string()
        };
        Errore::new(codice, messaggio)
    }
}

impl From<CoreError> for Errore {
    fn from(e: CoreError) -> Errore {
        match e {
            CoreError::Store(s) => s.into(),
            CoreError::Read { .. } => Errore::new(Codice::LetturaFile, e.to_string()),
            CoreError::Write { .. } => Errore::new(Codice::ScritturaFile, e.to_string()),
            CoreError::NoEnte => Errore::new(Codice::EnteMancante, e.to_string()),
            CoreError::Invalid(m) => Errore::new(Codice::NonValido, m),
            CoreError::AlreadyImported(m) => Errore::new(Codice::FileGiaImportato, m),
            CoreError::EnteFile(_) => Errore::new(Codice::ProfiloEnte, e.to_string()),
            CoreError::NoDataDir => Errore::new(Codice::CartellaDati, e.to_string()),
        }
    }
}

impl From<ApiError> for Errore {
    fn from(e: ApiError) -> Errore {
        let codice = match &e {
            ApiError::Network(_) => Codice::MypayNonRaggiunto,
            ApiError::Http { .. }
            | ApiError::SoapFault(_)
            | ApiError::Malformed(_)
            | ApiError::LinkExpired => Codice::MypayGuasto,
            ApiError::Fault(f) if f.code == mpd_client::faults::ENTE_NON_VALIDO => {
                Codice::PasswordRifiutata
            }
            ApiError::Fault(_) | ApiError::Upload { .. } => Codice::MypayRifiuto,
            ApiError::Io { .. } => Codice::ScritturaFile,
        };
        Errore::new(codice, e.to_string())
    }
}

impl From<SyncError> for Errore {
    fn from(e: SyncError) -> Errore {
        match e {
            SyncError::Api(a) => a.into(),
            SyncError::Core(c) => c.into(),
            SyncError::Store(s) => s.into(),
            SyncError::Invalid(m) => Errore::new(Codice::NonValido, m),
            SyncError::EsitoIncerto(m) => Errore::new(Codice::EsitoIncerto, m),
            SyncError::Rinviato(m) => Errore::new(Codice::Rinviato, m),
            SyncError::Annullato => Errore::new(Codice::Annullato, e.to_string()),
        }
    }
}

impl From<CredentialError> for Errore {
    fn from(e: CredentialError) -> Errore {
        let codice = match &e {
            CredentialError::Missing(_) => Codice::PasswordMancante,
            CredentialError::Keyring(_) => Codice::Portachiavi,
            CredentialError::Empty => Codice::NonValido,
        };
        Errore::new(codice, e.to_string())
    }
}

impl From<ConfigError> for Errore {
    fn from(e: ConfigError) -> Errore {
        match e {
            ConfigError::Store(s) => s.into(),
            e => Errore::new(Codice::Impostazioni, e.to_string()),
        }
    }
}

/// The types of this module the window sees.
#[cfg(test)]
pub(crate) fn tipi_ts(cfg: &ts_rs::Config) -> Result<(), ts_rs::ExportError> {
    Errore::export_all(cfg)?;
    Salvataggio::export_all(cfg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_serialises_as_its_name_and_is_listed_once() {
        let mut visti = std::collections::HashSet::new();
        for c in Codice::TUTTI {
            assert_eq!(
                serde_json::to_value(c).unwrap(),
                serde_json::json!(c.as_str())
            );
            assert!(visti.insert(c.as_str()), "{c} twice");
        }
    }

    #[test]
    fn errors_of_the_layers_below_keep_their_own_code() {
        let e: Errore = CoreError::NoEnte.into();
        assert_eq!(e.codice, Codice::EnteMancante);
        let e: Errore = StoreError::DovutoNotFound("X".into()).into();
        assert_eq!(e.codice, Codice::DovutoInesistente);
        let e: Errore = SyncError::Annullato.into();
        assert_eq!(e.codice, Codice::Annullato);
        let e: Errore = ApiError::Network("timeout".into()).into();
        assert_eq!(e.codice, Codice::MypayNonRaggiunto);
        let e: Errore = CoreError::AlreadyImported("x".into()).into();
        assert_eq!(e.codice, Codice::FileGiaImportato);
        let e: Errore = CoreError::NoDataDir.into();
        assert_eq!(e.codice, Codice::CartellaDati);
        let e: Errore = SyncError::EsitoIncerto("x".into()).into();
        assert_eq!(e.codice, Codice::EsitoIncerto);
        let e: Errore = SyncError::Rinviato("x".into()).into();
        assert_eq!(e.codice, Codice::Rinviato);
        let fault = |code: &str| {
            ApiError::Fault(mpd_client::api::Fault {
                code: code.into(),
                string: "x".into(),
                description: None,
            })
        };
        let e: Errore = fault("PAA_ENTE_NON_VALIDO").into();
        assert_eq!(e.codice, Codice::PasswordRifiutata);
        let e: Errore = fault("PAA_IMPORT_NO_CSV").into();
        assert_eq!(e.codice, Codice::MypayRifiuto);
        let json = serde_json::to_value(Errore::non_valido("x")).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"codice": "non_valido", "messaggio": "x"})
        );
    }
}
