//! The key of the local archive, encrypted at rest (issue 17 item 7; the encryption itself is
//! mpd-store's `cifratura`).
//!
//! Where the key comes from, in this order:
//! 1. a passphrase or recovery code the front end was given: `MYPAY_DESK_DB_PASSPHRASE`
//!    (headless runs, tests) or what the clerk typed in the window ([`sblocca`]);
//! 2. the OS keyring (service `mypay-desk`, account [`ACCOUNT_CHIAVE`]), where a random 256-bit
//!    key is created the first time the archive is created or encrypted, and kept.
//!
//! Without a keyring the clerk is told so ([`Codice::PortachiaviArchivio`]) and chooses a
//! passphrase; a key that does not open the archive (another computer's, a keyring emptied) is
//! [`Codice::ChiaveArchivio`]. The key is never written to a file, a log or the database; the
//! application keeps it in memory (zeroed when dropped) while it runs.
//!
//! A clerk who moves to another computer takes a backup and the archive's *recovery code*
//! ([`chiave_di_ripristino`]: the random key written as 64 hexadecimal digits, or their
//! passphrase): on the new computer the backup is restored with it and encrypted again with that
//! computer's own key.

use std::path::Path;

use mpd_client::credentials::{CredentialStore, Secret};
use mpd_core::{Chiave, Desk, StatoFile};
use serde::Serialize;
use ts_rs::TS;

use crate::{App, Codice, Errore, Risultato};

pub use mpd_core::ENV_FRASE_ARCHIVIO;

/// The keyring account of the archive's key (service `mypay-desk`): one key per user of the
/// computer, for every archive they open.
pub const ACCOUNT_CHIAVE: &str = "chiave-archivio";

/// The shortest passphrase a clerk may choose.
pub const FRASE_MINIMA: usize = 12;

/// A key that does not open the archive.
pub(crate) fn chiave_non_disponibile(db: &Path) -> Errore {
    Errore::new(
        Codice::ChiaveArchivio,
        format!(
            "archivio cifrato: chiave non disponibile. Il portachiavi di questo computer non ha \
             la chiave dell'archivio {} (è stato cifrato con una frase segreta, o su un altro \
             computer, o il portachiavi è stato svuotato): serve la frase segreta o la chiave \
             di ripristino dell'archivio",
            db.display()
        ),
    )
}

/// No keyring to keep the key in (`nuovo`: the archive is not encrypted yet).
fn senza_portachiavi(nuovo: bool) -> Errore {
    let cosa = if nuovo {
        format!(
            "Scelga una frase segreta per l'archivio (almeno {FRASE_MINIMA} caratteri) e la \
             inserisca a ogni avvio: senza di essa l'archivio non si apre, e nessuno può \
             recuperarla"
        )
    } else {
        "Inserisca la frase segreta (o la chiave di ripristino) dell'archivio".to_string()
    };
    Errore::new(
        Codice::PortachiaviArchivio,
        format!(
            "archivio cifrato: il portachiavi del sistema non è disponibile su questo computer, \
             quindi la chiave dell'archivio non si può conservare né leggere. {cosa}"
        ),
    )
}

/// The key in the keyring; a new one (kept there) when the archive has none yet.
fn dal_portachiavi(
    credenziali: &(dyn CredentialStore + Send + Sync),
    db: &Path,
) -> Risultato<Chiave> {
    let nuovo = Desk::stato_archivio(Some(db))? != StatoFile::Cifrato;
    match credenziali.get(ACCOUNT_CHIAVE) {
        Ok(Some(s)) => Chiave::da_testo(s.expose()).ok_or_else(|| chiave_non_disponibile(db)),
        Ok(None) => {
            if !nuovo {
                return Err(chiave_non_disponibile(db));
            }
            let nuova = Chiave::genera();
            let testo = Secret::new(nuova.testo().as_str());
            credenziali
                .set(ACCOUNT_CHIAVE, &testo)
                .map_err(|_| senza_portachiavi(nuovo))?;
            // A keyring that forgets what it was given would lose the archive with the key.
            match credenziali.get(ACCOUNT_CHIAVE) {
                Ok(Some(s)) if s == testo => Ok(nuova),
                _ => Err(senza_portachiavi(nuovo)),
            }
        }
        Err(_) => Err(senza_portachiavi(nuovo)),
    }
}

impl App {
    /// The archive's key (see the module's doc), found once and kept while the application
    /// runs.
    pub(crate) fn chiave_archivio(&self) -> Risultato<Chiave> {
        let mut guard = self.chiave.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(c) = guard.as_ref() {
            return Ok(c.clone());
        }
        let db = Desk::percorso(self.db.as_deref())?;
        let c = dal_portachiavi(self.credenziali, &db)?;
        *guard = Some(c.clone());
        Ok(c)
    }

    /// The archive's passphrase or recovery code given by the front end
    /// (`MYPAY_DESK_DB_PASSPHRASE`, a test's key): used instead of the keyring.
    pub fn con_frase_archivio(self, frase: Option<&str>) -> App {
        *self.chiave.lock().unwrap_or_else(|p| p.into_inner()) = frase.and_then(Chiave::da_testo);
        self
    }

    /// The database file and its key, for the window's background upkeep; `None` for a
    /// database in memory.
    pub fn archivio_per_manutenzione(&self) -> Risultato<Option<(std::path::PathBuf, Chiave)>> {
        match self.percorso_db()? {
            Some(p) => Ok(Some((p, self.chiave_archivio()?))),
            None => Ok(None),
        }
    }
}

/// How the archive is protected, for Impostazioni and `archivio stato`.
#[derive(Debug, Clone, Serialize, TS)]
pub struct StatoArchivio {
    /// The database file.
    pub percorso: String,
    /// Always true for a database on disk once opened (a plain one is encrypted on opening).
    pub cifrato: bool,
    /// The key is a passphrase chosen by the clerk (no keyring), not a random key kept in the
    /// keyring.
    pub frase: bool,
}

/// How the archive is protected (opening it, and so encrypting a plain one, if needed).
pub fn stato(app: &App) -> Risultato<StatoArchivio> {
    let percorso = app
        .percorso_db()?
        .ok_or_else(|| Errore::argomento("l'archivio è in memoria: non è cifrato"))?;
    let chiave = app.chiave_archivio()?;
    Ok(StatoArchivio {
        cifrato: Desk::stato_archivio(Some(&percorso))? == StatoFile::Cifrato,
        percorso: percorso.display().to_string(),
        frase: chiave.e_frase(),
    })
}

/// The archive's recovery code, for the clerk to write down and keep apart from the computer:
/// with it a backup opens on another computer.
#[derive(Clone, Serialize, TS)]
pub struct ChiaveRipristino {
    /// The random key as 64 hexadecimal digits in groups of four, or the clerk's passphrase.
    pub testo: String,
    /// `testo` is the clerk's own passphrase.
    pub frase: bool,
}

impl std::fmt::Debug for ChiaveRipristino {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChiaveRipristino(«nascosta»)")
    }
}

/// The archive's recovery code (opening the archive first: the key must be the right one).
pub fn chiave_di_ripristino(app: &App) -> Risultato<ChiaveRipristino> {
    app.con_desk(|_| Ok(()))?;
    let chiave = app.chiave_archivio()?;
    Ok(ChiaveRipristino {
        testo: chiave.testo().to_string(),
        frase: chiave.e_frase(),
    })
}

/// The window's answer to [`Codice::ChiaveArchivio`] or [`Codice::PortachiaviArchivio`]: the
/// clerk's passphrase or recovery code. A new passphrase (the archive does not exist yet, or is
/// still plain) must be repeated in `conferma` and be at least [`FRASE_MINIMA`] characters.
/// The archive is opened with it; where a keyring works, the key is also kept there, so that
/// the next start needs nothing.
pub fn sblocca(app: &App, frase: &Secret, conferma: Option<&Secret>) -> Risultato<()> {
    let chiave = Chiave::da_testo(frase.expose())
        .ok_or_else(|| Errore::non_valido("la frase segreta dell'archivio è vuota"))?;
    let stato = Desk::stato_archivio(app.db.as_deref())?;
    if stato != StatoFile::Cifrato {
        if chiave.e_frase() && frase.expose().chars().count() < FRASE_MINIMA {
            return Err(Errore::non_valido(format!(
                "la frase segreta dell'archivio è troppo corta: servono almeno {FRASE_MINIMA} caratteri"
            )));
        }
        if conferma.is_none_or(|c| c != frase) {
            return Err(Errore::non_valido(
                "le due frasi segrete dell'archivio non coincidono: le scriva di nuovo",
            ));
        }
    }
    let precedente = app
        .chiave
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .replace(chiave.clone());
    let mut guard = app.desk.lock().unwrap_or_else(|p| p.into_inner());
    *guard = None;
    match app.apri_desk() {
        Ok(desk) => *guard = Some(desk),
        Err(e) => {
            *app.chiave.lock().unwrap_or_else(|p| p.into_inner()) = precedente;
            return Err(e);
        }
    }
    drop(guard);
    let _ = app
        .credenziali
        .set(ACCOUNT_CHIAVE, &Secret::new(chiave.testo().as_str()));
    Ok(())
}

/// The types of this module the window sees.
#[cfg(test)]
pub(crate) fn tipi_ts(cfg: &ts_rs::Config) -> Result<(), ts_rs::ExportError> {
    StatoArchivio::export_all(cfg)?;
    ChiaveRipristino::export_all(cfg)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ConnectOptions;
    use mpd_client::credentials::{MemoryStore, NoKeyringStore};

    fn memoria() -> &'static MemoryStore {
        Box::leak(Box::default())
    }

    fn app(db: &Path, credenziali: &'static (dyn CredentialStore + Send + Sync)) -> App {
        App::new(
            Some(db.to_path_buf()),
            ConnectOptions::default(),
            credenziali,
        )
    }

    #[test]
    fn a_new_archive_gets_a_random_key_kept_in_the_keyring() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db.sqlite");
        let keyring = memoria();
        let a = app(&db, keyring);
        crate::home::panoramica(&a).unwrap();
        let tenuta = keyring.get(ACCOUNT_CHIAVE).unwrap().unwrap();
        assert_eq!(tenuta.expose().len(), 79);
        assert_eq!(Desk::stato_archivio(Some(&db)).unwrap(), StatoFile::Cifrato);
        let s = stato(&a).unwrap();
        assert!(s.cifrato && !s.frase);
        let r = chiave_di_ripristino(&a).unwrap();
        assert_eq!(r.testo, tenuta.expose());
        assert!(!format!("{r:?}").contains(&r.testo[..4]));
        drop(a);
        // The next start finds it; another computer (another keyring) does not.
        crate::home::panoramica(&app(&db, keyring)).unwrap();
        let altro = memoria();
        let e = crate::home::panoramica(&app(&db, altro)).unwrap_err();
        assert_eq!(e.codice, Codice::ChiaveArchivio);
        assert!(
            e.messaggio
                .starts_with("archivio cifrato: chiave non disponibile"),
            "{e}"
        );
        assert!(altro.get(ACCOUNT_CHIAVE).unwrap().is_none(), "no new key");
        // There, the recovery code opens it, and is kept in that keyring.
        let a = app(&db, altro);
        let e = sblocca(&a, &Secret::new("frase sbagliata di prova"), None).unwrap_err();
        assert_eq!(e.codice, Codice::ChiaveArchivio);
        sblocca(&a, &Secret::new(r.testo.clone()), None).unwrap();
        crate::home::panoramica(&a).unwrap();
        assert_eq!(
            altro.get(ACCOUNT_CHIAVE).unwrap().unwrap().expose(),
            r.testo
        );
    }

    #[test]
    fn without_a_keyring_the_clerk_is_told_and_chooses_a_passphrase() {
        static NESSUNO: NoKeyringStore = NoKeyringStore;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db.sqlite");
        let a = app(&db, &NESSUNO);
        let e = crate::home::panoramica(&a).unwrap_err();
        assert_eq!(e.codice, Codice::PortachiaviArchivio);
        assert!(
            e.messaggio
                .contains("il portachiavi del sistema non è disponibile"),
            "{e}"
        );
        assert!(!db.exists(), "nothing created without a key");
        let corta = Secret::new("corta");
        assert_eq!(
            sblocca(&a, &corta, Some(&corta)).unwrap_err().codice,
            Codice::NonValido
        );
        let frase = Secret::new("una frase lunga abbastanza");
        let diversa = Secret::new("un'altra frase lunga abbastanza");
        assert!(
            sblocca(&a, &frase, Some(&diversa))
                .unwrap_err()
                .messaggio
                .contains("non coincidono")
        );
        sblocca(&a, &frase, Some(&frase)).unwrap();
        crate::home::panoramica(&a).unwrap();
        assert!(stato(&a).unwrap().frase);
        drop(a);
        // The next start asks again; the passphrase opens it (no repetition needed now).
        let a = app(&db, &NESSUNO);
        assert_eq!(
            crate::home::panoramica(&a).unwrap_err().codice,
            Codice::PortachiaviArchivio
        );
        sblocca(&a, &frase, None).unwrap();
        // A headless run gives it in the environment.
        let a = app(&db, &NESSUNO).con_frase_archivio(Some(frase.expose()));
        crate::home::panoramica(&a).unwrap();
    }
}
