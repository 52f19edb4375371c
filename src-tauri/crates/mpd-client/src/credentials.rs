//! The web-service password: only in the OS keyring (Windows Credential Manager, Secret
//! Service on Linux, Keychain on macOS), or in `MYPAY_DESK_PASSWORD` for headless automation.
//! It never reaches SQLite, logs, error messages or crash output: [`Secret`] prints as
//! `«nascosta»` in `Debug` and `Display`, and is handed out only to build a SOAP body.
//!
//! The keyring sits behind [`CredentialStore`]; tests use [`MemoryStore`], never the clerk's
//! keyring.

use std::collections::HashMap;
use std::sync::Mutex;

/// Environment variable read for headless automation (scheduled tasks, CI).
pub const ENV_PASSWORD: &str = "MYPAY_DESK_PASSWORD";
/// Service name of the keyring entries.
pub const KEYRING_SERVICE: &str = "mypay-desk";

/// A password that never prints itself.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(s.into())
    }
    /// The clear text, for the SOAP body only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Zeroed when dropped: the clear text does not linger in freed memory.
impl Drop for Secret {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("«nascosta»")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("«nascosta»")
    }
}

/// Where the password came from (said to the clerk; the password itself never is).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum PasswordSource {
    Keyring,
    Environment,
    /// The demo environment's known password.
    Demo,
}

impl PasswordSource {
    pub fn label_it(self) -> &'static str {
        match self {
            PasswordSource::Keyring => "portachiavi del sistema",
            PasswordSource::Environment => "impostazione del computer per l'uso automatico",
            PasswordSource::Demo => "password dell'ambiente dimostrativo",
        }
    }
}

/// Errors of the credential store. Messages never contain the password.
#[derive(Debug, thiserror::Error)]
pub enum CredentialError {
    #[error(
        "nessuna password del servizio MyPay per l'Ente «{0}»: va salvata nel portachiavi del sistema prima di collegarsi a MyPay"
    )]
    Missing(String),
    #[error(
        "nessun segreto del client della Piattaforma Unitaria per l'Ente «{0}»: va salvato nel portachiavi del sistema prima di collegarsi"
    )]
    MissingSecret(String),
    #[error(
        "il portachiavi del sistema non risponde: la password del servizio MyPay (o il segreto del client della Piattaforma Unitaria) non si può leggere né salvare. \
         Controlli che il portachiavi del sistema sia attivo e sbloccato e riprovi"
    )]
    Keyring(String),
    #[error("la password è vuota")]
    Empty,
}

/// A place that keeps one password per account (the account names the Ente and environment).
pub trait CredentialStore {
    fn get(&self, account: &str) -> Result<Option<Secret>, CredentialError>;
    fn set(&self, account: &str, password: &Secret) -> Result<(), CredentialError>;
    /// Removes the password; `Ok(false)` if there was none.
    fn clear(&self, account: &str) -> Result<bool, CredentialError>;
}

/// The keyring account of an Ente in an environment: `c_x123@collaudo`.
pub fn account(cod_ipa: &str, env: &str) -> String {
    format!("{cod_ipa}@{env}")
}

/// The keyring account of PU's client secret of an Ente in an environment: `c_x123@collaudo#pu`
/// (apart from the MyPay password, which ARIA's middleware still wants).
pub fn account_pu(cod_ipa: &str, env: &str) -> String {
    format!("{cod_ipa}@{env}#pu")
}

/// In memory, for tests.
#[derive(Default)]
pub struct MemoryStore {
    map: Mutex<HashMap<String, Secret>>,
}

impl CredentialStore for MemoryStore {
    fn get(&self, account: &str) -> Result<Option<Secret>, CredentialError> {
        Ok(self
            .map
            .lock()
            .map_err(|_| CredentialError::Keyring("blocco".into()))?
            .get(account)
            .cloned())
    }
    fn set(&self, account: &str, password: &Secret) -> Result<(), CredentialError> {
        self.map
            .lock()
            .map_err(|_| CredentialError::Keyring("blocco".into()))?
            .insert(account.to_string(), password.clone());
        Ok(())
    }
    fn clear(&self, account: &str) -> Result<bool, CredentialError> {
        Ok(self
            .map
            .lock()
            .map_err(|_| CredentialError::Keyring("blocco".into()))?
            .remove(account)
            .is_some())
    }
}

/// For tests: a computer without a keyring service (no Secret Service on a minimal Linux
/// desktop): every call fails as the OS keyring's would there.
#[derive(Default)]
pub struct NoKeyringStore;

impl CredentialStore for NoKeyringStore {
    fn get(&self, _: &str) -> Result<Option<Secret>, CredentialError> {
        Err(CredentialError::Keyring("nessun servizio".into()))
    }
    fn set(&self, _: &str, _: &Secret) -> Result<(), CredentialError> {
        Err(CredentialError::Keyring("nessun servizio".into()))
    }
    fn clear(&self, _: &str) -> Result<bool, CredentialError> {
        Err(CredentialError::Keyring("nessun servizio".into()))
    }
}

/// The OS keyring (`keyring` crate with the native backend of each OS).
#[derive(Default)]
pub struct KeyringStore;

impl KeyringStore {
    fn entry(account: &str) -> Result<keyring::Entry, CredentialError> {
        keyring::Entry::new(KEYRING_SERVICE, account)
            .map_err(|e| CredentialError::Keyring(e.to_string()))
    }
}

impl CredentialStore for KeyringStore {
    fn get(&self, account: &str) -> Result<Option<Secret>, CredentialError> {
        match KeyringStore::entry(account)?.get_password() {
            Ok(p) => Ok(Some(Secret(p))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(CredentialError::Keyring(e.to_string())),
        }
    }
    fn set(&self, account: &str, password: &Secret) -> Result<(), CredentialError> {
        KeyringStore::entry(account)?
            .set_password(password.expose())
            .map_err(|e| CredentialError::Keyring(e.to_string()))
    }
    fn clear(&self, account: &str) -> Result<bool, CredentialError> {
        match KeyringStore::entry(account)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(CredentialError::Keyring(e.to_string())),
        }
    }
}

/// Reads a password typed or piped on standard input: the first line, without its line end.
pub fn read_password_line(mut input: impl std::io::BufRead) -> Result<Secret, CredentialError> {
    let mut line = String::new();
    input.read_line(&mut line).map_err(|e| {
        CredentialError::Keyring(format!("lettura dello standard input: {}", e.kind()))
    })?;
    let p = line.trim_end_matches(['\n', '\r']);
    if p.trim().is_empty() {
        return Err(CredentialError::Empty);
    }
    Ok(Secret(p.to_string()))
}

/// The password to use: `MYPAY_DESK_PASSWORD` (given as `env_value`) first, then the store.
pub fn resolve(
    store: &dyn CredentialStore,
    account: &str,
    env_value: Option<String>,
) -> Result<(Secret, PasswordSource), CredentialError> {
    if let Some(v) = env_value.filter(|v| !v.is_empty()) {
        return Ok((Secret(v), PasswordSource::Environment));
    }
    match store.get(account)? {
        Some(s) => Ok((s, PasswordSource::Keyring)),
        None => match account.strip_suffix("#pu") {
            Some(a) => Err(CredentialError::MissingSecret(a.to_string())),
            None => Err(CredentialError::Missing(account.to_string())),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let s = Secret::new("Sup3rSegreta!");
        assert!(!format!("{s:?} {s}").contains("Sup3r"));
    }

    #[test]
    fn environment_wins_then_store_then_missing() {
        let store = MemoryStore::default();
        let acc = account("c_x", "collaudo");
        assert!(matches!(
            resolve(&store, &acc, None),
            Err(CredentialError::Missing(_))
        ));
        store.set(&acc, &Secret::new("k")).unwrap();
        assert_eq!(
            resolve(&store, &acc, None).unwrap(),
            (Secret::new("k"), PasswordSource::Keyring)
        );
        assert_eq!(
            resolve(&store, &acc, Some("e".into())).unwrap(),
            (Secret::new("e"), PasswordSource::Environment)
        );
        assert!(store.clear(&acc).unwrap());
        assert!(!store.clear(&acc).unwrap());
        let err = resolve(&store, &acc, None).unwrap_err().to_string();
        assert!(err.contains("va salvata nel portachiavi"), "{err}");
    }

    #[test]
    fn password_from_stdin_line() {
        assert_eq!(
            read_password_line(&b"abc def\r\nrest"[..]).unwrap(),
            Secret::new("abc def")
        );
        assert!(read_password_line(&b"\n"[..]).is_err());
    }
}
