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
    /// The archive is encrypted and its key is not available or not the right one (another
    /// computer's backup, a keyring emptied, a wrong passphrase): the clerk gives the
    /// passphrase or recovery code.
    ChiaveArchivio,
    /// No keyring to keep the archive's key in: the clerk chooses (or gives) a passphrase.
    PortachiaviArchivio,
    /// The Piattaforma Unitaria refused the Ente's client id or secret (issue 15).
    CredenzialiPu,
    /// The platform does not offer the operation (the Piattaforma Unitaria): not retried.
    NonSupportata,
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
            Codice::ChiaveArchivio => "chiave_archivio",
            Codice::PortachiaviArchivio => "portachiavi_archivio",
            Codice::CredenzialiPu => "credenziali_pu",
            Codice::NonSupportata => "non_supportata",
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
    pub const TUTTI: [Codice; 36] = [
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
        Codice::ChiaveArchivio,
        Codice::PortachiaviArchivio,
        Codice::CredenzialiPu,
        Codice::NonSupportata,
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
    /// An error with its message made safe to show (control characters replaced, a huge
    /// quoted value cut: `mpd_domain::testo::mostrabile`), in the window as on a terminal.
    pub fn new(codice: Codice, messaggio: impl Into<String>) -> Errore {
        let messaggio = messaggio.into();
        let messaggio = match mpd_domain::testo::mostrabile(&messaggio) {
            std::borrow::Cow::Borrowed(_) => messaggio,
            std::borrow::Cow::Owned(m) => m,
        };
        Errore { codice, messaggio }
    }

    /// A value a front end passed is not acceptable.
    pub fn argomento(messaggio: impl Into<String>) -> Errore {
        Errore::new(Codice::Argomento, messaggio)
    }

    /// The clerk's input breaks a rule.
    pub fn non_valido(messaggio: impl Into<String>) -> Errore {
        Errore::new(Codice::NonValido, messaggio)
    }

    /// A file could not be written: the clerk reads the path and the Italian cause, the
    /// operating system's text goes to the log.
    pub fn scrittura(percorso: &std::path::Path, e: &std::io::Error) -> Errore {
        registra(e);
        Errore::new(
            Codice::ScritturaFile,
            format!(
                "impossibile scrivere {}: {}",
                percorso.display(),
                mpd_domain::testo::causa_io(e)
            ),
        )
    }

    /// A document could not be written by its library (spreadsheet, PDF): the library's text
    /// goes to the log.
    pub fn scrittura_documento(
        percorso: &std::path::Path,
        dettaglio: &dyn std::fmt::Debug,
    ) -> Errore {
        registra(dettaglio);
        Errore::new(
            Codice::ScritturaFile,
            format!(
                "impossibile scrivere {}: controlli che il file non sia aperto in un altro \
                 programma e che la cartella sia scrivibile",
                percorso.display()
            ),
        )
    }

    /// The computer could not open `cosa` (at `percorso`) with its default program (a PDF
    /// reader, the file manager). The opener's text (`Launcher gio … ExitStatus(…)`, a command
    /// line) goes to the log; the clerk reads where the file is and what to do.
    pub fn apertura(
        cosa: &str,
        percorso: &std::path::Path,
        dettaglio: &dyn std::fmt::Display,
    ) -> Errore {
        tracing::warn!(percorso = %percorso.display(), dettaglio = %dettaglio, "apertura non riuscita");
        Errore::new(
            Codice::LetturaFile,
            format!(
                "Non è stato possibile aprire {cosa} con il programma predefinito del computer. \
                 Si trova in {}: lo apra da lì con il gestore dei file, oppure chieda \
                 all'assistenza informatica di impostare un programma per questo tipo di file.",
                percorso.display()
            ),
        )
    }

    /// Something that should not happen; `dettaglio` goes to the log, not to the clerk.
    pub fn interno(dettaglio: impl std::fmt::Display) -> Errore {
        tracing::error!("errore interno: {dettaglio}");
        Errore::new(
            Codice::Interno,
            "errore interno di MyPay Desk: riprovi; se si ripete, il registro dell'applicazione ha i dettagli per l'assistenza",
        )
    }
}

/// The technical detail of an error (the operating system's or a library's English text, a
/// code of MyPay) goes to the log, never to the clerk (issue 13 item 17): the window writes the
/// log to its file, the CLI to the standard error with `MYPAY_DESK_LOG`.
pub(crate) fn registra(e: &dyn std::fmt::Debug) {
    tracing::warn!(dettaglio = ?e, "errore");
}

impl From<StoreError> for Errore {
    fn from(e: StoreError) -> Errore {
        registra(&e);
        let codice = match &e {
            _ if e.occupato() => Codice::DatabaseOccupato,
            StoreError::Bloccato(_) => Codice::DatabaseOccupato,
            StoreError::NonApribile(_) => Codice::LetturaFile,
            StoreError::Sqlite(_) | StoreError::Migration(_) => Codice::Database,
            StoreError::TooNew(_) => Codice::DatabaseRecente,
            StoreError::DovutoNotFound(_) => Codice::DovutoInesistente,
            StoreError::FlussoNotFound(_) => Codice::FlussoInesistente,
            StoreError::NotAllowed(_) => Codice::NonConsentito,
            StoreError::Privato { .. } | StoreError::Cifratura { .. } => Codice::ScritturaFile,
            StoreError::ChiaveErrata(_) => Codice::ChiaveArchivio,
            StoreError::CopiaNonVerificata { .. } => Codice::Database,
        };
        let messaggio = if e.occupato() {
            "l'archivio di MyPay Desk è in uso da un'altra finestra o un altro comando che lo sta \
             modificando: riprovi quando ha finito (niente è stato cambiato)"
                .to_string()
        } else {
            e.to_string()
        };
        Errore::new(codice, messaggio)
    }
}

impl From<CoreError> for Errore {
    fn from(e: CoreError) -> Errore {
        if !matches!(e, CoreError::Store(_)) {
            registra(&e);
        }
        match e {
            CoreError::Store(s) => s.into(),
            CoreError::Read { .. } => Errore::new(Codice::LetturaFile, e.to_string()),
            CoreError::Write { .. } => Errore::new(Codice::ScritturaFile, e.to_string()),
            CoreError::NoEnte => Errore::new(Codice::EnteMancante, e.to_string()),
            CoreError::Invalid(m) => Errore::new(Codice::NonValido, m),
            CoreError::AlreadyImported(m) => Errore::new(Codice::FileGiaImportato, m),
            CoreError::UnusableFile(m) => Errore::new(Codice::FileNonValido, m),
            CoreError::EnteFile(_) => Errore::new(Codice::ProfiloEnte, e.to_string()),
            CoreError::NoDataDir => Errore::new(Codice::CartellaDati, e.to_string()),
        }
    }
}

impl From<ApiError> for Errore {
    fn from(e: ApiError) -> Errore {
        registra(&e);
        let codice = match &e {
            ApiError::Network(_) | ApiError::Certificato(_) => Codice::MypayNonRaggiunto,
            ApiError::Http { .. }
            | ApiError::SoapFault(_)
            | ApiError::Malformed(_)
            | ApiError::LinkExpired
            | ApiError::LinkEsterno { .. }
            | ApiError::TroppoGrande { .. } => Codice::MypayGuasto,
            ApiError::Fault(f) if f.code == mpd_client::faults::ENTE_NON_VALIDO => {
                Codice::PasswordRifiutata
            }
            ApiError::Fault(_) | ApiError::Upload { .. } => Codice::MypayRifiuto,
            ApiError::Io { .. } => Codice::ScritturaFile,
            ApiError::CredenzialiPu { .. } => Codice::CredenzialiPu,
            ApiError::NonSupportata { .. } => Codice::NonSupportata,
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
        registra(&e);
        let codice = match &e {
            CredentialError::Missing(_) | CredentialError::MissingSecret(_) => {
                Codice::PasswordMancante
            }
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
            e => {
                registra(&e);
                Errore::new(Codice::Impostazioni, e.to_string())
            }
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

    /// Issue 17 item 8: whatever a message quotes (a cell, a server's text), the window and
    /// the terminal get it without control characters and at a readable length.
    #[test]
    fn an_error_never_carries_control_characters_or_a_huge_value() {
        let e = Errore::non_valido(format!(
            "valore «{}» non valido, poi «{}»",
            "A\u{1b}[2J",
            "x".repeat(50_000)
        ));
        assert!(
            !e.messaggio.chars().any(|c| c.is_control()),
            "{}",
            e.messaggio
        );
        assert!(e.messaggio.starts_with("valore «A\u{FFFD}[2J» non valido"));
        assert!(e.messaggio.chars().count() <= mpd_domain::testo::MAX_MESSAGGIO + 2);
        let json = serde_json::to_string(&e).unwrap();
        assert!(
            json.len() < 2 * mpd_domain::testo::MAX_MESSAGGIO,
            "{}",
            json.len()
        );
    }

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

    /// Issue 18: a database file another program holds (Windows) is in use, in its own words
    /// rather than those of another window writing, and a path that is no database file is
    /// named; neither is an unexpected error of the database.
    #[test]
    fn a_held_database_and_a_path_that_is_no_database_are_told_apart() {
        let db =
            r"C:\Users\Mario Rossi\AppData\Roaming\MyPayDesk\MyPay Desk\data\mypay-desk.sqlite";
        let e: Errore = StoreError::Bloccato(db.into()).into();
        assert_eq!(e.codice, Codice::DatabaseOccupato);
        assert!(e.messaggio.contains(db), "{}", e.messaggio);
        assert!(
            e.messaggio.contains("bloccato da un altro programma"),
            "{}",
            e.messaggio
        );
        let e: Errore = StoreError::NonApribile(r"C:\Tributi".into()).into();
        assert_eq!(e.codice, Codice::LetturaFile);
        assert!(e.messaggio.contains(r"C:\Tributi"), "{}", e.messaggio);
    }

    /// Issue 13 item 17: what the clerk reads is Italian and says what to do; the opener's
    /// command line, the keyring's and the system's English text, MyPay's code go to the log.
    #[test]
    fn technical_details_stay_out_of_the_message() {
        let aperto = Errore::apertura(
            "l'avviso",
            std::path::Path::new("/dati/avvisi/avviso.pdf"),
            &"Launcher gio open /dati/avvisi/avviso.pdf failed with ExitStatus(unix_wait_status(512))",
        );
        assert_eq!(aperto.codice, Codice::LetturaFile);
        assert!(
            aperto.messaggio.contains("/dati/avvisi/avviso.pdf"),
            "{}",
            aperto.messaggio
        );
        assert!(
            aperto.messaggio.contains("programma predefinito"),
            "{}",
            aperto.messaggio
        );
        let scritto = Errore::scrittura(
            std::path::Path::new("/dati/x.xlsx"),
            &std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        );
        assert!(
            scritto.messaggio.contains("permessi"),
            "{}",
            scritto.messaggio
        );
        let e: Errore = CredentialError::Keyring(
            "Platform secure storage failure: DBus error: The name is not activatable".into(),
        )
        .into();
        assert_eq!(e.codice, Codice::Portachiavi);
        let e2: Errore = ApiError::Network(
            "error sending request for url (https://x): connection refused".into(),
        )
        .into();
        let e3: Errore = ApiError::Malformed("missing field `esito` at line 1".into()).into();
        let e4: Errore = ApiError::Upload {
            codice: "PAA_SCONOSCIUTO".into(),
            descrizione: "Internal error".into(),
        }
        .into();
        let e5: Errore = ApiError::Fault(mpd_client::api::Fault {
            code: "PAA_MAI_VISTO".into(),
            string: "java.lang.IllegalStateException".into(),
            description: None,
        })
        .into();
        let e6: Errore = CoreError::Write {
            path: "/dati/a.pdf".into(),
            source: std::io::Error::other("Permission denied (os error 13)"),
        }
        .into();
        for m in [
            &aperto.messaggio,
            &scritto.messaggio,
            &e.messaggio,
            &e2.messaggio,
            &e3.messaggio,
            &e4.messaggio,
            &e5.messaggio,
            &e6.messaggio,
        ] {
            for vietato in [
                "Launcher",
                "ExitStatus",
                "DBus",
                "Platform",
                "error sending",
                "missing field",
                "PAA_",
                "Internal error",
                "java",
                "os error",
                "MYPAY_",
            ] {
                assert!(!m.contains(vietato), "«{vietato}» in «{m}»");
            }
        }
        assert!(e.messaggio.contains("portachiavi"), "{}", e.messaggio);
        assert!(
            e5.messaggio.starts_with("MyPay ha rifiutato la richiesta"),
            "{}",
            e5.messaggio
        );
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
