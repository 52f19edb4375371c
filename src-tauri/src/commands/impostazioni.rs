//! Impostazioni: environment, credentials, data folder, backup and restore; and the first-start
//! "Configura il tuo Ente".
//!
//! The environment and base URLs are the same settings the CLI's `connection set` writes
//! (`mpd_client::config`); the password goes only into the OS keyring (`KeyringStore`, one
//! entry per Ente and environment) and is never returned, logged or put in an error. After any
//! change the cached connection is dropped ([`super::connessione::invalida`]) so the next remote
//! command uses the new settings. Commands that touch the keyring are `async` so that a slow
//! Secret Service never blocks the window's main thread.

use std::path::{Path, PathBuf};

use mpd_client::config::{self, Ambiente};
use mpd_client::credentials::{self, CredentialError, CredentialStore, PasswordSource, Secret};
use mpd_core::Desk;
use mpd_core::adesione::{ErroreCampo, ModuloEnte, Salvataggio};
use mpd_store::ripristino::{self, InfoBackup, RipristinoError};
use serde::{Deserialize, Serialize};

use super::connessione::{StatoConnessione, inizia_lavoro, invalida};
use super::{DeskState, ErroreUi, with_desk};

fn errore_config(e: config::ConfigError) -> ErroreUi {
    ErroreUi {
        codice: "impostazioni",
        messaggio: e.to_string(),
    }
}

fn errore_io(azione: &str, path: &Path, e: std::io::Error) -> ErroreUi {
    ErroreUi {
        codice: "io",
        messaggio: format!("impossibile {azione} {}: {e}", path.display()),
    }
}

impl From<RipristinoError> for ErroreUi {
    fn from(e: RipristinoError) -> Self {
        ErroreUi {
            codice: "ripristino",
            messaggio: e.to_string(),
        }
    }
}

fn percorso(p: &str) -> Result<PathBuf, ErroreUi> {
    let p = p.trim();
    let path = PathBuf::from(p);
    if p.is_empty() || p.len() > 4096 || p.contains('\0') || !path.is_absolute() {
        return Err(ErroreUi::argomento(
            "percorso non valido: sceglierlo con la finestra di dialogo",
        ));
    }
    Ok(path)
}

fn ambiente(s: &str) -> Result<Ambiente, ErroreUi> {
    Ambiente::parse(s).ok_or_else(|| {
        ErroreUi::argomento(format!(
            "ambiente «{s}» sconosciuto: demo, collaudo, produzione o custom"
        ))
    })
}

/// The keyring used by the window (the same one as the CLI).
fn portachiavi() -> &'static dyn CredentialStore {
    mpd_app::connessione::keyring()
}

/// Where the password stands, never the password itself.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct StatoPassword {
    /// A password for this Ente and environment is in the keyring.
    pub memorizzata: bool,
    /// Where the next connection takes it from (Italian), if anywhere.
    pub fonte: Option<&'static str>,
    /// The OS keyring answered (false: no keyring service on this machine).
    pub portachiavi_disponibile: bool,
    /// One sentence for the clerk.
    pub messaggio: String,
}

fn stato_password(
    store: &dyn CredentialStore,
    ipa: Option<&str>,
    env: Ambiente,
    env_var: bool,
) -> StatoPassword {
    if env == Ambiente::Demo {
        return StatoPassword {
            memorizzata: false,
            fonte: Some(PasswordSource::Demo.label_it()),
            portachiavi_disponibile: true,
            messaggio: "L'ambiente dimostrativo usa una password fissa: non serve salvarne una."
                .into(),
        };
    }
    let Some(ipa) = ipa else {
        return StatoPassword {
            memorizzata: false,
            fonte: None,
            portachiavi_disponibile: true,
            messaggio: "Configurare prima l'Ente: la password si salva per il suo codice IPA."
                .into(),
        };
    };
    let account = credentials::account(ipa, env.as_str());
    let (memorizzata, disponibile, problema) = match store.get(&account) {
        Ok(p) => (p.is_some(), true, None),
        Err(e) => (false, false, Some(e)),
    };
    let fonte = if env_var {
        Some(PasswordSource::Environment.label_it())
    } else if memorizzata {
        Some(PasswordSource::Keyring.label_it())
    } else {
        None
    };
    let messaggio = match (&problema, env_var, memorizzata) {
        (Some(_), true, _) => "Il portachiavi del sistema non è disponibile su questo computer; \
             si usa la variabile d'ambiente MYPAY_DESK_PASSWORD."
            .to_string(),
        (Some(_), false, _) => "Il portachiavi del sistema non è disponibile su questo computer \
             (nessun servizio di portachiavi attivo): la password non si può salvare qui. \
             Per l'uso automatico impostare la variabile d'ambiente MYPAY_DESK_PASSWORD."
            .to_string(),
        (None, true, _) => "Si usa la variabile d'ambiente MYPAY_DESK_PASSWORD (ha la precedenza \
             sul portachiavi)."
            .to_string(),
        (None, false, true) => format!(
            "Password salvata nel portachiavi del sistema per {ipa} in {}.",
            env.as_str()
        ),
        (None, false, false) => format!(
            "Nessuna password salvata per {ipa} in {}: inserirla per collegarsi a MyPay.",
            env.as_str()
        ),
    };
    StatoPassword {
        memorizzata,
        fonte,
        portachiavi_disponibile: disponibile,
        messaggio,
    }
}

fn env_var_set() -> bool {
    std::env::var(credentials::ENV_PASSWORD).is_ok_and(|v| !v.is_empty())
}

/// One environment's stored base URL.
#[derive(Debug, Serialize)]
pub struct UrlAmbiente {
    pub ambiente: &'static str,
    pub url: Option<String>,
}

/// What the Impostazioni screen shows.
#[derive(Debug, Serialize)]
pub struct Impostazioni {
    pub ambiente: &'static str,
    pub urls: Vec<UrlAmbiente>,
    pub codice_ipa: Option<String>,
    pub password: StatoPassword,
    pub cartella_dati: Option<String>,
    pub database: Option<String>,
}

fn leggi(d: &Desk, store: &dyn CredentialStore) -> Result<Impostazioni, ErroreUi> {
    let env = config::resolve_env(d.store(), None, None).map_err(errore_config)?;
    let ipa = d
        .store()
        .ente()
        .map_err(mpd_core::CoreError::from)?
        .map(|e| e.codice_ipa);
    Ok(Impostazioni {
        ambiente: env.as_str(),
        urls: config::stored_urls(d.store())
            .map_err(errore_config)?
            .into_iter()
            .map(|(a, url)| UrlAmbiente {
                ambiente: a.as_str(),
                url,
            })
            .collect(),
        password: stato_password(store, ipa.as_deref(), env, env_var_set()),
        codice_ipa: ipa,
        cartella_dati: d
            .db_path()
            .and_then(Path::parent)
            .map(|p| p.display().to_string()),
        database: d.db_path().map(|p| p.display().to_string()),
    })
}

/// The settings screen's data.
#[tauri::command]
pub async fn impostazioni_stato(
    state: tauri::State<'_, DeskState>,
) -> Result<Impostazioni, ErroreUi> {
    with_desk(&state, |d| leggi(d, portachiavi()))
}

fn salva_ambiente(d: &Desk, env: Ambiente, url: Option<&str>) -> Result<(), ErroreUi> {
    let url = url.map(str::trim).filter(|u| !u.is_empty());
    if url.is_some_and(|u| u.len() > 2048) {
        return Err(ErroreUi::argomento("indirizzo troppo lungo"));
    }
    if env != Ambiente::Demo && url.is_none() && config::resolve_url(d.store(), env, None).is_err()
    {
        return Err(ErroreUi::argomento(format!(
            "Indirizzo di MyPay: obbligatorio per l'ambiente {} (es. https://mypay.regione.example.it)",
            env.as_str()
        )));
    }
    // The demo emulator's address is known only when it starts: never stored.
    let url = if env == Ambiente::Demo { None } else { url };
    config::save(d.store(), env, url).map_err(errore_config)
}

/// Saves the environment (and its base URL) as the default; drops the cached connection.
#[tauri::command]
pub async fn impostazioni_salva(
    state: tauri::State<'_, DeskState>,
    connessione: tauri::State<'_, StatoConnessione>,
    ambiente: String,
    url: Option<String>,
) -> Result<Impostazioni, ErroreUi> {
    let env = self::ambiente(&ambiente)?;
    let r = with_desk(&state, |d| {
        salva_ambiente(d, env, url.as_deref())?;
        leggi(d, portachiavi())
    })?;
    invalida(&connessione);
    Ok(r)
}

fn salva_password(
    d: &Desk,
    store: &dyn CredentialStore,
    password: Secret,
) -> Result<StatoPassword, ErroreUi> {
    let env = config::resolve_env(d.store(), None, None).map_err(errore_config)?;
    if env == Ambiente::Demo {
        return Err(ErroreUi::argomento(
            "l'ambiente dimostrativo usa una password fissa: scegliere prima collaudo, produzione o custom",
        ));
    }
    let ente = d.require_ente()?;
    if password.expose().trim().is_empty() {
        return Err(ErroreUi::argomento("Password: non può essere vuota"));
    }
    if password.expose().len() > 1024 {
        return Err(ErroreUi::argomento("Password: troppo lunga"));
    }
    let account = credentials::account(&ente.codice_ipa, env.as_str());
    store.set(&account, &password).map_err(errore_credenziali)?;
    Ok(stato_password(
        store,
        Some(&ente.codice_ipa),
        env,
        env_var_set(),
    ))
}

fn errore_credenziali(e: CredentialError) -> ErroreUi {
    ErroreUi {
        codice: "portachiavi",
        messaggio: match e {
            CredentialError::Keyring(_) => {
                "Il portachiavi del sistema non è disponibile su questo computer: \
                 la password non è stata salvata. Per l'uso automatico impostare la variabile \
                 d'ambiente MYPAY_DESK_PASSWORD."
                    .to_string()
            }
            other => other.to_string(),
        },
    }
}

/// Stores the web-service password in the OS keyring for the stored Ente and the current
/// environment. The password is not returned, logged or echoed.
#[tauri::command]
pub async fn password_salva(
    state: tauri::State<'_, DeskState>,
    connessione: tauri::State<'_, StatoConnessione>,
    password: String,
) -> Result<StatoPassword, ErroreUi> {
    let secret = Secret::new(password);
    let r = with_desk(&state, |d| salva_password(d, portachiavi(), secret))?;
    invalida(&connessione);
    Ok(r)
}

/// Removes the password of the stored Ente and current environment from the keyring.
#[tauri::command]
pub async fn password_cancella(
    state: tauri::State<'_, DeskState>,
    connessione: tauri::State<'_, StatoConnessione>,
) -> Result<StatoPassword, ErroreUi> {
    let r = with_desk(&state, |d| {
        let env = config::resolve_env(d.store(), None, None).map_err(errore_config)?;
        let ente = d.require_ente()?;
        if env != Ambiente::Demo {
            portachiavi()
                .clear(&credentials::account(&ente.codice_ipa, env.as_str()))
                .map_err(errore_credenziali)?;
        }
        Ok(stato_password(
            portachiavi(),
            Some(&ente.codice_ipa),
            env,
            env_var_set(),
        ))
    })?;
    invalida(&connessione);
    Ok(r)
}

/// Opens the data folder (where the database, flows and notices live) in the file manager.
#[tauri::command]
pub fn cartella_dati_apri(state: tauri::State<'_, DeskState>) -> Result<(), ErroreUi> {
    let dir = with_desk(&state, |d| {
        d.db_path()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .ok_or_else(|| ErroreUi::argomento("il database è in memoria: nessuna cartella"))
    })?;
    tauri_plugin_opener::open_path(dir.display().to_string(), None::<&str>).map_err(|e| ErroreUi {
        codice: "io",
        messaggio: format!("impossibile aprire la cartella {}: {e}", dir.display()),
    })
}

/// Writes a consistent copy of the database to `dest` (replacing a file the clerk chose to
/// overwrite in the save dialog, only once the copy is complete).
fn backup(d: &Desk, dest: &Path) -> Result<(), ErroreUi> {
    if d.db_path().is_some_and(|p| p == dest) {
        return Err(ErroreUi::argomento(
            "la copia di sicurezza non può sostituire il database in uso: scegliere un altro file",
        ));
    }
    let mut tmp = dest.as_os_str().to_os_string();
    tmp.push(".copia-in-corso");
    let tmp = PathBuf::from(tmp);
    let _ = std::fs::remove_file(&tmp);
    d.store()
        .backup_to(&tmp)
        .map_err(mpd_core::CoreError::from)?;
    std::fs::rename(&tmp, dest).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        errore_io("scrivere", dest, e)
    })
}

/// Saves a backup of the local database to the file chosen with the save dialog.
#[tauri::command]
pub async fn backup_salva(
    state: tauri::State<'_, DeskState>,
    percorso_file: String,
) -> Result<String, ErroreUi> {
    let dest = percorso(&percorso_file)?;
    with_desk(&state, |d| backup(d, &dest))?;
    Ok(dest.display().to_string())
}

/// What a backup file holds (checked: a MyPay Desk database this version can open).
#[tauri::command]
pub async fn backup_esamina(percorso_file: String) -> Result<InfoBackup, ErroreUi> {
    Ok(ripristino::esamina_backup(&percorso(&percorso_file)?)?)
}

/// The outcome of a restore.
#[derive(Debug, Serialize)]
pub struct EsitoRipristino {
    pub info: InfoBackup,
    /// The previous database, kept as `<db>.prima-del-ripristino`.
    pub copia_precedente: Option<String>,
}

/// Replaces the open desk's database with `backup`: closes the desk, swaps the file (keeping
/// the previous one), reopens. On failure the previous database is reopened unchanged.
pub fn ripristina_in(state: &DeskState, backup: &Path) -> Result<EsitoRipristino, ErroreUi> {
    // Check before closing anything.
    ripristino::esamina_backup(backup)?;
    let mut guard = state.0.lock().map_err(|_| ErroreUi {
        codice: "stato",
        messaggio: "stato interno non disponibile".into(),
    })?;
    let db = match guard.as_ref() {
        Some(d) => d.db_path().map(Path::to_path_buf),
        None => match std::env::var_os("MYPAY_DESK_DB") {
            Some(p) => Some(PathBuf::from(p)),
            None => mpd_core::paths::default_data_dir().map(|d| mpd_core::paths::db_in(&d)),
        },
    }
    .ok_or_else(|| ErroreUi::argomento("il database è in memoria: niente da ripristinare"))?;
    // Close the connection: the file is about to be replaced.
    *guard = None;
    let esito = ripristino::ripristina(backup, &db);
    // Reopen whatever is at the path now: the restored file, or the untouched previous one.
    *guard = Some(Desk::open(Some(&db))?);
    let (info, copia) = esito?;
    Ok(EsitoRipristino {
        info,
        copia_precedente: copia.map(|p| p.display().to_string()),
    })
}

/// Restores the database from a backup file chosen with the open dialog.
#[tauri::command]
pub async fn backup_ripristina<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: tauri::State<'_, DeskState>,
    connessione: tauri::State<'_, StatoConnessione>,
    manutenzione: tauri::State<'_, super::manutenzione::StatoManutenzione>,
    percorso_file: String,
) -> Result<EsitoRipristino, ErroreUi> {
    let path = percorso(&percorso_file)?;
    // No submission, download or index upkeep may be writing to the database meanwhile.
    let _lavoro = inizia_lavoro(&connessione)?;
    invalida(&connessione);
    let esito = {
        let _pausa = manutenzione.0.sospendi();
        ripristina_in(&state, &path)
    };
    // The restored file may come from an older version, with its search index still to build.
    super::manutenzione::avvia(&app);
    esito
}

/// The first-start wizard's answers.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PrimoAvvio {
    pub denominazione: String,
    pub codice_ipa: String,
    pub codice_fiscale: String,
    pub codice_segregazione: String,
    pub ambiente: String,
    pub url: String,
    /// Optional: stored in the keyring only.
    pub password: String,
}

impl std::fmt::Debug for PrimoAvvio {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PrimoAvvio")
            .field("codice_ipa", &self.codice_ipa)
            .field("ambiente", &self.ambiente)
            .finish_non_exhaustive()
    }
}

fn configura(
    d: &mut Desk,
    store: &dyn CredentialStore,
    dati: PrimoAvvio,
) -> Result<Salvataggio, ErroreUi> {
    let password = Secret::new(dati.password);
    let modulo = ModuloEnte {
        denominazione: dati.denominazione,
        codice_ipa: dati.codice_ipa,
        codice_fiscale: dati.codice_fiscale,
        codice_segregazione: dati.codice_segregazione,
        modalita: vec!["base".into()],
        ..ModuloEnte::default()
    };
    let mut errori = mpd_core::adesione::modulo::valida(&modulo, d.today());
    let env = Ambiente::parse(&dati.ambiente);
    let url = dati.url.trim();
    match env {
        None => errori.push(ErroreCampo {
            campo: "ambiente".into(),
            messaggio: "Ambiente: scegliere collaudo, produzione, custom o demo".into(),
        }),
        Some(Ambiente::Demo) => {}
        Some(e) if url.is_empty() => errori.push(ErroreCampo {
            campo: "url".into(),
            messaggio: format!(
                "Indirizzo di MyPay: obbligatorio per l'ambiente {}",
                e.as_str()
            ),
        }),
        Some(_) => {
            let ok = url.starts_with("https://") || (url.starts_with("http://") && url.len() > 7);
            if !ok {
                errori.push(ErroreCampo {
                    campo: "url".into(),
                    messaggio: format!(
                        "Indirizzo di MyPay «{url}»: deve iniziare con https:// (http:// solo per un server locale)"
                    ),
                });
            }
        }
    }
    if !errori.is_empty() {
        return Ok(Salvataggio {
            salvato: false,
            errori,
            avvisi: Vec::new(),
        });
    }
    let env = env.expect("checked above");
    salva_ambiente(d, env, Some(url))?;
    let mut esito = d.salva_modulo(&modulo)?;
    if !esito.salvato {
        return Ok(esito);
    }
    if env != Ambiente::Demo && !password.expose().trim().is_empty() {
        // The profile is saved either way: a keyring problem becomes a warning, and the
        // password can be entered later in Impostazioni.
        if let Err(e) = salva_password(d, store, password) {
            esito.avvisi.push(e.messaggio);
        }
    }
    Ok(esito)
}

/// "Configura il tuo Ente": saves the Ente's codes, the environment and (optionally) the
/// password; field errors come back in `errori` with nothing saved.
#[tauri::command]
pub async fn primo_configura(
    state: tauri::State<'_, DeskState>,
    connessione: tauri::State<'_, StatoConnessione>,
    dati: PrimoAvvio,
) -> Result<Salvataggio, ErroreUi> {
    let r = with_desk(&state, |d| configura(d, portachiavi(), dati))?;
    invalida(&connessione);
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use mpd_client::credentials::MemoryStore;

    /// A keyring that is not there (no Secret Service on this machine).
    struct Assente;
    impl CredentialStore for Assente {
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

    fn desk() -> (tempfile_dir::Dir, Desk) {
        let dir = tempfile_dir::Dir::new("desk");
        let d = Desk::open(Some(&dir.0.join("db.sqlite"))).unwrap();
        (dir, d)
    }

    mod tempfile_dir {
        pub struct Dir(pub std::path::PathBuf);
        impl Dir {
            pub fn new(name: &str) -> Dir {
                static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
                let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let p = std::env::temp_dir().join(format!(
                    "mpd-impostazioni-{}-{name}-{n}",
                    std::process::id()
                ));
                let _ = std::fs::remove_dir_all(&p);
                std::fs::create_dir_all(&p).unwrap();
                Dir(p)
            }
        }
        impl Drop for Dir {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.0);
            }
        }
    }

    fn primo(ambiente: &str, url: &str, password: &str) -> PrimoAvvio {
        PrimoAvvio {
            denominazione: "Comune di Esempio".into(),
            codice_ipa: "c_x123".into(),
            codice_fiscale: "01199250158".into(),
            codice_segregazione: "12".into(),
            ambiente: ambiente.into(),
            url: url.into(),
            password: password.into(),
        }
    }

    #[test]
    fn first_start_saves_profile_environment_and_password() {
        let (_dir, mut d) = desk();
        let keyring = MemoryStore::default();
        let s = configura(
            &mut d,
            &keyring,
            primo("collaudo", "https://mypay.example.it/", "Segreta!1"),
        )
        .unwrap();
        assert!(s.salvato, "{:?}", s.errori);
        assert_eq!(d.require_ente().unwrap().codice_ipa, "c_x123");
        let i = leggi(&d, &keyring).unwrap();
        assert_eq!(i.ambiente, "collaudo");
        assert_eq!(
            i.urls
                .iter()
                .find(|u| u.ambiente == "collaudo")
                .unwrap()
                .url
                .as_deref(),
            Some("https://mypay.example.it")
        );
        assert!(i.password.memorizzata);
        assert_eq!(
            keyring.get("c_x123@collaudo").unwrap().unwrap().expose(),
            "Segreta!1"
        );
        // Nothing of the password in what the window receives.
        let json = serde_json::to_string(&i).unwrap();
        assert!(!json.contains("Segreta"), "{json}");
    }

    #[test]
    fn first_start_names_bad_fields_and_saves_nothing() {
        let (_dir, mut d) = desk();
        let keyring = MemoryStore::default();
        let mut p = primo("collaudo", "", "x");
        p.codice_fiscale = "01199250159".into();
        let s = configura(&mut d, &keyring, p).unwrap();
        assert!(!s.salvato);
        let campi: Vec<&str> = s.errori.iter().map(|e| e.campo.as_str()).collect();
        assert_eq!(campi, vec!["codice_fiscale", "url"]);
        assert!(d.store().ente().unwrap().is_none());
        assert!(keyring.get("c_x123@collaudo").unwrap().is_none());
        let s = configura(&mut d, &keyring, primo("collaudo", "ftp://x", "")).unwrap();
        assert_eq!(s.errori[0].campo, "url");
    }

    #[test]
    fn without_a_keyring_the_profile_is_saved_and_the_clerk_is_told() {
        let (_dir, mut d) = desk();
        let s = configura(
            &mut d,
            &Assente,
            primo("produzione", "https://mypay.example.it", "pw"),
        )
        .unwrap();
        assert!(s.salvato);
        assert!(
            s.avvisi
                .iter()
                .any(|a| a.contains("portachiavi del sistema non è disponibile")),
            "{:?}",
            s.avvisi
        );
        let st = stato_password(&Assente, Some("c_x123"), Ambiente::Produzione, false);
        assert!(!st.portachiavi_disponibile && !st.memorizzata);
        assert!(
            st.messaggio.contains("MYPAY_DESK_PASSWORD"),
            "{}",
            st.messaggio
        );
        let err = salva_password(&d, &Assente, Secret::new("pw")).unwrap_err();
        assert_eq!(err.codice, "portachiavi");
        assert!(!err.messaggio.contains("pw "));
    }

    #[test]
    fn password_source_is_reported() {
        let keyring = MemoryStore::default();
        let s = stato_password(&keyring, Some("c_a"), Ambiente::Collaudo, false);
        assert_eq!((s.memorizzata, s.fonte), (false, None));
        keyring.set("c_a@collaudo", &Secret::new("k")).unwrap();
        let s = stato_password(&keyring, Some("c_a"), Ambiente::Collaudo, false);
        assert_eq!(s.fonte, Some(PasswordSource::Keyring.label_it()));
        let s = stato_password(&keyring, Some("c_a"), Ambiente::Collaudo, true);
        assert_eq!(s.fonte, Some(PasswordSource::Environment.label_it()));
        let s = stato_password(&keyring, Some("c_a"), Ambiente::Demo, false);
        assert_eq!(s.fonte, Some(PasswordSource::Demo.label_it()));
    }

    #[test]
    fn environment_needs_an_address_except_demo() {
        let (_dir, d) = desk();
        let e = salva_ambiente(&d, Ambiente::Produzione, None).unwrap_err();
        assert!(e.messaggio.contains("Indirizzo"), "{}", e.messaggio);
        salva_ambiente(&d, Ambiente::Custom, Some("http://127.0.0.1:9000")).unwrap();
        // Once stored, switching back needs no address.
        salva_ambiente(&d, Ambiente::Demo, None).unwrap();
        salva_ambiente(&d, Ambiente::Custom, None).unwrap();
        assert_eq!(
            leggi(&d, &MemoryStore::default()).unwrap().ambiente,
            "custom"
        );
    }

    #[test]
    fn backup_then_restore_through_the_desk_state() {
        let dir = tempfile_dir::Dir::new("ripristino");
        let db = dir.0.join("db.sqlite");
        let mut d = Desk::open(Some(&db)).unwrap();
        let keyring = MemoryStore::default();
        configura(&mut d, &keyring, primo("demo", "", "")).unwrap();
        let bak = dir.0.join("copia.mpd");
        std::fs::write(&bak, "vecchio contenuto").unwrap();
        backup(&d, &bak).unwrap();
        assert!(backup(&d, &db).is_err(), "never over the live database");
        // Change the profile after the backup.
        let mut m = d.ente_modulo().unwrap();
        m.denominazione = "Comune Cambiato".into();
        assert!(d.salva_modulo(&m).unwrap().salvato);
        let state = DeskState(std::sync::Mutex::new(Some(d)));
        // A file that is not a backup changes nothing.
        let junk = dir.0.join("junk.mpd");
        std::fs::write(&junk, "x".repeat(5000)).unwrap();
        assert_eq!(
            ripristina_in(&state, &junk).unwrap_err().codice,
            "ripristino"
        );
        let e = ripristina_in(&state, &bak).unwrap();
        assert_eq!(e.info.denominazione.as_deref(), Some("Comune di Esempio"));
        assert!(
            e.copia_precedente
                .unwrap()
                .ends_with("db.sqlite.prima-del-ripristino")
        );
        let guard = state.0.lock().unwrap();
        let d = guard.as_ref().unwrap();
        assert_eq!(d.require_ente().unwrap().denominazione, "Comune di Esempio");
        assert_eq!(d.db_path(), Some(db.as_path()));
    }
}
