//! Impostazioni: the environment and MyPay address, the password in the OS keyring, the data
//! folder, backup and restore of the local database, the first-start setup ("Configura
//! l'Ente"), and what the open connection points to.
//!
//! The environment and addresses are settings of the store (`mpd_client::config`); an address
//! is checked by the one rule of [`config::check_url`] whoever enters it (the window's settings,
//! the first-start setup, the command line). The password goes only into the keyring (one entry
//! per Ente and environment) and is never returned, logged or put in an error. After a change of
//! environment, address or password the open connection is dropped, so the next remote
//! operation connects with the new settings.

use std::path::{Path, PathBuf};

use mpd_client::config::{self, Ambiente};
use mpd_client::credentials::{self, CredentialError, CredentialStore, PasswordSource, Secret};
use mpd_client::piattaforma::{self, Piattaforma};
use mpd_core::Desk;
use mpd_core::adesione::ModuloEnte;
use mpd_store::ripristino::{self, RipristinoError};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::App;
use crate::connessione::resolve_env;
use crate::errore::{Codice, Errore, Risultato};
pub use crate::errore::{ErroreCampo, Salvataggio};

/// Longest address accepted.
const MAX_URL: usize = 2048;
/// Longest password accepted.
const MAX_PASSWORD: usize = 1024;

fn ambiente(s: &str) -> Risultato<Ambiente> {
    Ambiente::parse(s).ok_or_else(|| {
        Errore::argomento(format!(
            "ambiente «{s}» sconosciuto: demo, collaudo, produzione o custom"
        ))
    })
}

/// Where the password stands, never the password itself.
#[derive(Debug, Clone, Serialize, TS, PartialEq, Eq)]
pub struct StatoPassword {
    /// The keyring entry of this Ente and environment (`c_x123@collaudo`); `None` in the demo
    /// or before the Ente is configured.
    pub account: Option<String>,
    /// A password for this Ente and environment is in the keyring.
    pub memorizzata: bool,
    /// Where the next connection takes it from, if anywhere.
    pub origine: Option<PasswordSource>,
    /// The same in Italian.
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
    pu: bool,
) -> StatoPassword {
    if env == Ambiente::Demo {
        return StatoPassword {
            account: None,
            memorizzata: false,
            origine: Some(PasswordSource::Demo),
            fonte: Some(PasswordSource::Demo.label_it()),
            portachiavi_disponibile: true,
            messaggio: "L'ambiente dimostrativo usa una password fissa: non serve salvarne una."
                .into(),
        };
    }
    let Some(ipa) = ipa else {
        return StatoPassword {
            account: None,
            memorizzata: false,
            origine: None,
            fonte: None,
            portachiavi_disponibile: true,
            messaggio: "Configurare prima l'Ente: la password si salva per il suo codice IPA."
                .into(),
        };
    };
    let account = if pu {
        credentials::account_pu(ipa, env.as_str())
    } else {
        credentials::account(ipa, env.as_str())
    };
    let (memorizzata, disponibile, problema) = match store.get(&account) {
        Ok(p) => (p.is_some(), true, None),
        Err(e) => (false, false, Some(e)),
    };
    let origine = if env_var {
        Some(PasswordSource::Environment)
    } else if memorizzata {
        Some(PasswordSource::Keyring)
    } else {
        None
    };
    // On PU the credential is the client secret (masculine in Italian).
    let (la, impostata) = if pu {
        ("il segreto del client", "impostato")
    } else {
        ("la password", "impostata")
    };
    let messaggio = match (&problema, env_var, memorizzata) {
        (Some(_), true, _) => format!(
            "Il portachiavi del sistema non è disponibile su questo computer; \
             si usa {la} {impostata} sul computer per l'uso automatico."
        ),
        (Some(_), false, _) => format!(
            "Il portachiavi del sistema non è disponibile su questo computer \
             (nessun servizio di portachiavi attivo): {la} non si può salvare qui. \
             Chieda all'assistenza informatica di attivare il portachiavi del sistema."
        ),
        (None, true, _) => format!(
            "Si usa {la} {impostata} sul computer per l'uso automatico (ha \
             la precedenza sul portachiavi)."
        ),
        (None, false, true) if pu => format!(
            "Segreto del client della Piattaforma Unitaria salvato nel portachiavi del sistema per {ipa} in {}.",
            env.as_str()
        ),
        (None, false, false) if pu => format!(
            "Nessun segreto del client salvato per {ipa} in {}: inserirlo per collegarsi alla Piattaforma Unitaria.",
            env.as_str()
        ),
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
        account: Some(account),
        memorizzata,
        origine,
        fonte: origine.map(PasswordSource::label_it),
        portachiavi_disponibile: disponibile,
        messaggio,
    }
}

/// `MYPAY_DESK_PASSWORD` (on PU `MYPAY_DESK_CLIENT_SECRET`) is set (as the application was
/// told: tests pass none).
fn env_var(app: &App, pu: bool) -> bool {
    if pu {
        return app.opzioni().segreto_da_ambiente().is_some();
    }
    app.opzioni()
        .env_password
        .as_deref()
        .is_some_and(|v| !v.is_empty())
}

/// The platform the application was asked for, else the stored one.
fn piattaforma_di(app: &App, d: &Desk) -> Risultato<Piattaforma> {
    crate::connessione::resolve_piattaforma(d, app.opzioni())
}

fn codice_ipa(desk: &Desk) -> Risultato<Option<String>> {
    Ok(desk.ente()?.map(|e| e.codice_ipa))
}

/// One environment's stored address.
#[derive(Debug, Clone, Serialize, TS)]
pub struct UrlAmbiente {
    pub ambiente: Ambiente,
    pub url: Option<String>,
}

/// The settings: default environment, stored addresses, where the password stands, where the
/// data live.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Impostazioni {
    /// The default environment (stored).
    pub ambiente: Ambiente,
    /// Every environment's stored address (the demo has none: its emulator starts on demand).
    pub urls: Vec<UrlAmbiente>,
    pub codice_ipa: Option<String>,
    /// The password of the default environment (on PU: the client secret).
    pub password: StatoPassword,
    /// The platform (issue 15): MyPay, MyPay through ARIA's middleware, PU.
    pub piattaforma: Piattaforma,
    /// The same in Italian.
    pub piattaforma_it: &'static str,
    /// PU's client id of the default environment (not a secret).
    pub client_id: Option<String>,
    pub cartella_dati: Option<String>,
    pub database: Option<String>,
}

fn leggi(app: &App, d: &Desk) -> Risultato<Impostazioni> {
    let env = config::resolve_env(d, None, None)?;
    let ipa = codice_ipa(d)?;
    let p = piattaforma::resolve(d, None).unwrap_or_default();
    let pu = p == Piattaforma::Pu;
    Ok(Impostazioni {
        ambiente: env,
        urls: config::stored_urls(d)?
            .into_iter()
            .map(|(ambiente, url)| UrlAmbiente { ambiente, url })
            .collect(),
        password: stato_password(app.credenziali(), ipa.as_deref(), env, env_var(app, pu), pu),
        piattaforma: p,
        piattaforma_it: p.label_it(),
        client_id: d.setting(&piattaforma::client_id_key(env.as_str()))?,
        codice_ipa: ipa,
        cartella_dati: d
            .db_path()
            .and_then(Path::parent)
            .map(|p| p.display().to_string()),
        database: d.db_path().map(|p| p.display().to_string()),
    })
}

/// The settings as stored.
pub fn stato(app: &App) -> Risultato<Impostazioni> {
    app.con_desk(|d| leggi(app, d))
}

/// Stores `env` as the default environment and, if given, its address (the rule of
/// [`config::check_url`]). A non-demo environment needs an address, given now or stored
/// before; the demo's is never stored (its emulator's is known only when it starts).
fn salva_ambiente(d: &Desk, env: Ambiente, url: Option<&str>) -> Risultato<()> {
    let url = url.map(str::trim).filter(|u| !u.is_empty());
    if url.is_some_and(|u| u.len() > MAX_URL) {
        return Err(Errore::new(
            Codice::Impostazioni,
            "indirizzo di MyPay troppo lungo",
        ));
    }
    let url = if env == Ambiente::Demo { None } else { url };
    if env != Ambiente::Demo && url.is_none() && config::resolve_url(d, env, None).is_err() {
        return Err(Errore::new(
            Codice::Impostazioni,
            format!(
                "indirizzo di MyPay obbligatorio per l'ambiente {} (es. https://mypay.regione.example.it)",
                env.as_str()
            ),
        ));
    }
    Ok(config::save(d, env, url)?)
}

/// Stores the platform (mypay, aria, pu) and, if given, PU's client id of `env` (issue 15).
fn salva_piattaforma(
    d: &Desk,
    env: Ambiente,
    p: Option<&str>,
    client_id: Option<&str>,
) -> Risultato<()> {
    if let Some(p) = p {
        let p = Piattaforma::parse(p).ok_or_else(|| {
            Errore::new(
                Codice::Impostazioni,
                format!("piattaforma «{p}» sconosciuta: le piattaforme sono mypay, aria e pu"),
            )
        })?;
        d.set_setting(piattaforma::SETTING_PIATTAFORMA, p.as_str())?;
    }
    if let Some(id) = client_id.map(str::trim).filter(|i| !i.is_empty()) {
        if id.len() > MAX_URL || id.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Errore::non_valido(
                "Identificativo del client: non valido (senza spazi, al massimo 2048 caratteri)",
            ));
        }
        d.set_setting(&piattaforma::client_id_key(env.as_str()), id)?;
    }
    Ok(())
}

/// Makes an environment the default, with its address if given: `ambiente` (demo, collaudo,
/// produzione, custom), else `custom` when an address is given, else the stored default; and,
/// if given, the platform (`mypay`, `aria`, `pu`) and PU's client id of that environment.
/// Switching an Ente from MyPay to ARIA or PU is only this. Drops the open connection;
/// returns the settings now stored.
pub fn salva(
    app: &App,
    ambiente: Option<&str>,
    url: Option<&str>,
    piattaforma: Option<&str>,
    client_id: Option<&str>,
) -> Risultato<Impostazioni> {
    let r = app.con_desk(|d| {
        let env = match ambiente {
            Some(a) => self::ambiente(a)?,
            None => config::resolve_env(d, None, url)?,
        };
        salva_piattaforma(d, env, piattaforma, client_id)?;
        salva_ambiente(d, env, url)?;
        leggi(app, d)
    });
    app.invalida_connessione();
    r
}

fn errore_credenziali(e: CredentialError) -> Errore {
    match e {
        CredentialError::Keyring(_) => Errore::new(
            Codice::Portachiavi,
            "Il portachiavi del sistema non è disponibile su questo computer: \
             la password non è stata salvata. Controlli che il portachiavi del sistema sia \
             attivo e sbloccato, oppure chieda all'assistenza informatica di attivarlo.",
        ),
        other => other.into(),
    }
}

/// The Ente and environment a password belongs to: the environment the application was asked
/// for, else the stored default. The demo has a fixed password.
fn account_password(app: &App, d: &Desk) -> Risultato<(Ambiente, String, String, bool)> {
    let env = resolve_env(d, app.opzioni())?;
    let pu = piattaforma_di(app, d)? == Piattaforma::Pu;
    if env == Ambiente::Demo {
        return Err(Errore::new(
            Codice::NonConsentito,
            "l'ambiente dimostrativo usa una password nota: non serve salvarne una; \
             per una password scegliere prima l'ambiente collaudo, produzione o custom",
        ));
    }
    let ente = d.require_ente()?;
    let account = if pu {
        credentials::account_pu(&ente.codice_ipa, env.as_str())
    } else {
        credentials::account(&ente.codice_ipa, env.as_str())
    };
    Ok((env, ente.codice_ipa, account, pu))
}

fn salva_password_in(
    app: &App,
    d: &Desk,
    password: impl FnOnce(&str) -> Risultato<Secret>,
) -> Risultato<StatoPassword> {
    let (env, ipa, account, pu) = account_password(app, d)?;
    let password = password(&account)?;
    if password.expose().trim().is_empty() {
        return Err(Errore::non_valido("Password: non può essere vuota"));
    }
    if password.expose().len() > MAX_PASSWORD {
        return Err(Errore::non_valido("Password: troppo lunga"));
    }
    app.credenziali()
        .set(&account, &password)
        .map_err(errore_credenziali)?;
    Ok(stato_password(
        app.credenziali(),
        Some(&ipa),
        env,
        env_var(app, pu),
        pu,
    ))
}

/// Stores the web-service password in the keyring for the stored Ente and the environment (the
/// one asked for, else the default). `password` is asked for only once the Ente and environment
/// are known: it receives the keyring entry (`c_x123@collaudo`), for a prompt. The password is
/// not returned, logged or echoed. Drops the open connection.
pub fn password_salva(
    app: &App,
    password: impl FnOnce(&str) -> Risultato<Secret>,
) -> Risultato<StatoPassword> {
    let r = app.con_desk(|d| salva_password_in(app, d, password));
    app.invalida_connessione();
    r
}

/// What removing the password did.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PasswordCancellata {
    /// There was one (false: nothing was stored).
    pub cancellata: bool,
    pub password: StatoPassword,
}

/// Removes the password of the stored Ente and environment from the keyring. Drops the open
/// connection.
pub fn password_cancella(app: &App) -> Risultato<PasswordCancellata> {
    let r = app.con_desk(|d| {
        let (env, ipa, account, pu) = account_password(app, d)?;
        let cancellata = app
            .credenziali()
            .clear(&account)
            .map_err(errore_credenziali)?;
        Ok(PasswordCancellata {
            cancellata,
            password: stato_password(app.credenziali(), Some(&ipa), env, env_var(app, pu), pu),
        })
    });
    app.invalida_connessione();
    r
}

/// The data folder (the database, flows and notices live there).
pub fn cartella_dati(app: &App) -> Risultato<PathBuf> {
    app.con_desk(|d| {
        d.db_path()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .ok_or_else(|| Errore::argomento("il database è in memoria: nessuna cartella"))
    })
}

/// The window's log, `mypay-desk.log` in the data folder, opened for appending: private to
/// the user like the rest of the folder (tightened if an older version left it open).
pub fn file_registro(app: &App) -> Risultato<std::fs::File> {
    let path = cartella_dati(app)?.join("mypay-desk.log");
    mpd_privato::accoda(&path).map_err(|e| Errore::scrittura(&path, &e))
}

/// A file path a front end passed: absolute, of a sane length.
fn percorso(p: &str) -> Risultato<PathBuf> {
    let p = p.trim();
    let path = PathBuf::from(p);
    if p.is_empty() || p.len() > 4096 || p.contains('\0') || !path.is_absolute() {
        return Err(Errore::argomento(
            "percorso del file non valido: serve il percorso completo di un file",
        ));
    }
    Ok(path)
}

fn errore_ripristino(e: RipristinoError) -> Errore {
    match e {
        RipristinoError::ChiaveErrata(_) => Errore::new(Codice::ChiaveArchivio, e.to_string()),
        RipristinoError::Archivio(s) => s.into(),
        e => Errore::new(Codice::Ripristino, e.to_string()),
    }
}

/// The key a backup opens with: the one `chiave` gives (the passphrase or recovery code of
/// the computer it was made on), else this archive's own.
fn chiave_backup(app: &App, chiave: Option<&Secret>) -> Risultato<mpd_core::Chiave> {
    match chiave.and_then(|c| mpd_core::Chiave::da_testo(c.expose())) {
        Some(c) => Ok(c),
        None => app.chiave_archivio(),
    }
}

/// Writes a consistent copy of the database to `dest` (replacing a file already there only
/// once the copy is complete).
fn backup(d: &Desk, dest: &Path) -> Risultato<()> {
    if d.db_path().is_some_and(|p| p == dest) {
        return Err(Errore::argomento(
            "la copia di sicurezza non può sostituire il database in uso: scegliere un altro file",
        ));
    }
    let mut tmp = dest.as_os_str().to_os_string();
    tmp.push(".copia-in-corso");
    let tmp = PathBuf::from(tmp);
    let _ = std::fs::remove_file(&tmp);
    d.backup_to(&tmp)?;
    std::fs::rename(&tmp, dest).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Errore::scrittura(dest, &e)
    })
}

/// Saves a backup of the local database to `percorso_file`; returns where.
pub fn backup_salva(app: &App, percorso_file: &str) -> Risultato<String> {
    let dest = percorso(percorso_file)?;
    app.con_desk(|d| backup(d, &dest))?;
    Ok(dest.display().to_string())
}

/// What a backup file holds, shown before a restore.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct InfoBackup {
    /// Migration level of the file.
    pub livello: i64,
    /// Level of this version: a lower one is upgraded when the file is opened.
    pub livello_attuale: i64,
    pub codice_ipa: Option<String>,
    pub denominazione: Option<String>,
    pub dovuti: i64,
    pub flussi: i64,
    /// Last recorded operation (RFC 3339), if any.
    pub ultima_operazione: Option<String>,
}

impl From<ripristino::InfoBackup> for InfoBackup {
    fn from(i: ripristino::InfoBackup) -> InfoBackup {
        InfoBackup {
            livello: i.livello,
            livello_attuale: i.livello_attuale,
            codice_ipa: i.codice_ipa,
            denominazione: i.denominazione,
            dovuti: i.dovuti,
            flussi: i.flussi,
            ultima_operazione: i.ultima_operazione,
        }
    }
}

/// What a backup file holds (checked: a MyPay Desk database this version can open). A backup
/// made on another computer opens with that computer's recovery code or passphrase,
/// `chiave`; without it, with this archive's key.
pub fn backup_esamina(
    app: &App,
    percorso_file: &str,
    chiave: Option<&Secret>,
) -> Risultato<InfoBackup> {
    let chiave = chiave_backup(app, chiave)?;
    Ok(
        ripristino::esamina_backup(&percorso(percorso_file)?, &chiave)
            .map_err(errore_ripristino)?
            .into(),
    )
}

/// The outcome of a restore.
#[derive(Debug, Clone, Serialize, TS)]
pub struct EsitoRipristino {
    pub info: InfoBackup,
    /// The previous database, kept as `<db>.prima-del-ripristino`.
    pub copia_precedente: Option<String>,
}

/// Replaces the database with the backup `percorso_file`: waits for no remote job, drops the
/// connection, closes the foreground desk, swaps the file (keeping the previous one) and
/// reopens. On failure the previous database is reopened unchanged. Any other connection to
/// the database (a front end's own, background upkeep) must be closed by the caller meanwhile.
///
/// The restored archive is encrypted with this computer's key, whatever key the backup had
/// (`chiave`: see [`backup_esamina`]).
pub fn backup_ripristina(
    app: &App,
    percorso_file: &str,
    chiave: Option<&Secret>,
) -> Risultato<EsitoRipristino> {
    let backup = percorso(percorso_file)?;
    let chiave_backup = chiave_backup(app, chiave)?;
    let chiave_db = app.chiave_archivio()?;
    // Check before closing anything.
    ripristino::esamina_backup(&backup, &chiave_backup).map_err(errore_ripristino)?;
    let _lavoro = app.inizia_lavoro()?;
    app.invalida_connessione();
    let mut guard = app.desk.lock().unwrap_or_else(|p| p.into_inner());
    let db = match guard.as_ref() {
        Some(d) => d.db_path().map(Path::to_path_buf),
        None => match app.db() {
            Some(p) => Some(p.to_path_buf()),
            None => mpd_core::paths::default_data_dir().map(|d| mpd_core::paths::db_in(&d)),
        },
    }
    .ok_or_else(|| Errore::argomento("il database è in memoria: niente da ripristinare"))?;
    // Close the connection: the file is about to be replaced.
    *guard = None;
    let esito = ripristino::ripristina(&backup, &chiave_backup, &db, &chiave_db);
    // Reopen whatever is at the path now: the restored file, or the untouched previous one.
    let desk = Desk::open(Some(&db), &chiave_db)?;
    *guard = Some(match app.ora {
        Some(t) => desk.with_now(t),
        None => desk,
    });
    let (info, copia) = esito.map_err(errore_ripristino)?;
    Ok(EsitoRipristino {
        info: info.into(),
        copia_precedente: copia.map(|p| p.display().to_string()),
    })
}

/// The first-start setup's answers.
#[derive(Deserialize, Default, TS)]
#[serde(default)]
pub struct PrimoAvvio {
    pub denominazione: String,
    pub codice_ipa: String,
    pub codice_fiscale: String,
    pub codice_segregazione: String,
    #[ts(type = "Ambiente")]
    pub ambiente: String,
    pub url: String,
    /// Optional: stored in the keyring only (on PU: the client secret).
    pub password: String,
    /// The platform: mypay (default when empty), aria, pu.
    #[ts(type = "Piattaforma | ''")]
    pub piattaforma: String,
    /// PU's client id (not a secret).
    pub client_id: String,
}

impl std::fmt::Debug for PrimoAvvio {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PrimoAvvio")
            .field("codice_ipa", &self.codice_ipa)
            .field("ambiente", &self.ambiente)
            .finish_non_exhaustive()
    }
}

/// What is wrong with `url` as the MyPay address of environment `env` (the first-start setup
/// and the settings say it under the address field), or `None`.
fn errore_indirizzo(env: Ambiente, url: &str) -> Option<String> {
    match env {
        Ambiente::Demo => None,
        e if url.is_empty() => Some(format!(
            "Indirizzo di MyPay: obbligatorio per l'ambiente {}",
            e.as_str()
        )),
        _ if url.len() > MAX_URL => Some("Indirizzo di MyPay: troppo lungo".to_string()),
        e => config::check_url(e, url)
            .err()
            .map(|e| format!("Indirizzo di MyPay: {e}")),
    }
}

/// The first-start setup's check of its address step, before the clerk goes on: the same rule
/// as saving (an unknown environment is the environment field's problem, not the address's).
pub fn controlla_indirizzo(ambiente: &str, url: &str) -> Option<String> {
    errore_indirizzo(Ambiente::parse(ambiente)?, url.trim())
}

fn configura(app: &App, d: &mut Desk, dati: PrimoAvvio) -> Risultato<Salvataggio> {
    let password = Secret::new(dati.password);
    let modulo = ModuloEnte {
        denominazione: dati.denominazione,
        codice_ipa: dati.codice_ipa,
        codice_fiscale: dati.codice_fiscale,
        codice_segregazione: dati.codice_segregazione,
        modalita: vec!["base".into()],
        ..ModuloEnte::default()
    };
    let mut errori: Vec<ErroreCampo> = mpd_core::adesione::modulo::valida(&modulo, d.today())
        .into_iter()
        .map(|e| ErroreCampo {
            campo: e.campo,
            messaggio: e.messaggio,
        })
        .collect();
    let env = Ambiente::parse(&dati.ambiente);
    let url = dati.url.trim();
    let errore_url = match env {
        None => {
            errori.push(ErroreCampo {
                campo: "ambiente".into(),
                messaggio: "Ambiente: scegliere collaudo, produzione, custom o demo".into(),
            });
            None
        }
        Some(e) => errore_indirizzo(e, url),
    };
    if let Some(messaggio) = errore_url {
        errori.push(ErroreCampo {
            campo: "url".into(),
            messaggio,
        });
    }
    if !errori.is_empty() {
        return Ok(Salvataggio {
            salvato: false,
            errori,
            avvisi: Vec::new(),
        });
    }
    let env = env.expect("checked above");
    let p = Piattaforma::parse(&dati.piattaforma).unwrap_or_default();
    salva_piattaforma(d, env, Some(p.as_str()), Some(&dati.client_id))?;
    salva_ambiente(d, env, Some(url))?;
    let mut esito: Salvataggio = d.salva_modulo(&modulo)?.into();
    if !esito.salvato {
        return Ok(esito);
    }
    if env != Ambiente::Demo && !password.expose().trim().is_empty() {
        // The profile is saved either way: a keyring problem becomes a warning, and the
        // password can be entered later.
        let account = if p == Piattaforma::Pu {
            credentials::account_pu(&modulo.codice_ipa, env.as_str())
        } else {
            credentials::account(&modulo.codice_ipa, env.as_str())
        };
        let salvata = if password.expose().len() > MAX_PASSWORD {
            Err(Errore::non_valido("Password: troppo lunga"))
        } else {
            app.credenziali()
                .set(&account, &password)
                .map_err(errore_credenziali)
        };
        if let Err(e) = salvata {
            esito.avvisi.push(e.messaggio);
        }
    }
    Ok(esito)
}

/// "Configura l'Ente": saves the Ente's codes, the environment with its address and
/// (optionally) the password; field errors come back in `errori` with nothing saved. Drops the
/// open connection.
pub fn primo_configura(app: &App, dati: PrimoAvvio) -> Risultato<Salvataggio> {
    let r = app.con_desk(|d| configura(app, d, dati));
    app.invalida_connessione();
    r
}

/// What the open connection points to (never the password).
#[derive(Debug, Clone, Serialize, TS)]
pub struct InfoConnessione {
    pub ambiente: Ambiente,
    pub indirizzo: String,
    pub piattaforma: Piattaforma,
    /// Where the password came from (Italian, as the CLI prints it).
    pub password_da: &'static str,
    /// Where the password came from, as a code for the window's own words (the CLI's text
    /// names an environment variable, which the window never shows).
    pub origine_password: mpd_client::PasswordSource,
    pub demo: bool,
}

/// Connects (if needed: in the demo the emulator starts) and says where to: environment,
/// address, where the password came from. Blocking.
pub fn connessione_info(app: &App) -> Risultato<InfoConnessione> {
    let mut desk = app.desk_di_lavoro()?;
    let c = app.connessione(&mut desk)?;
    Ok(InfoConnessione {
        ambiente: c.conn.ambiente,
        indirizzo: c.conn.base_url.clone(),
        piattaforma: c.conn.piattaforma,
        password_da: c.source.label_it(),
        origine_password: c.source,
        demo: c.is_demo(),
    })
}

/// How long the app keeps its own files (flows, result files, MyPay's exports, the counter's
/// notice PDFs), and the last clean-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Conservazione {
    /// Days; `null`: never deleted.
    pub giorni: Option<u32>,
    /// The same in Italian («1 anno», «sempre (…)»).
    pub descrizione: String,
    /// The shortest and longest period in days.
    pub giorni_minimi: u32,
    pub giorni_massimi: u32,
    /// The last clean-up, if one ran.
    pub ultima_pulizia: Option<Pulizia>,
}

/// What a clean-up deleted, for the clerk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Pulizia {
    /// When (RFC 3339, UTC).
    pub quando: String,
    pub file: u32,
    /// Megabytes deleted, one decimal, Italian (`"12,3"`).
    pub megabyte: String,
    /// Old files kept because their flow's outcome is not known yet.
    pub trattenuti: u32,
    /// «Eliminati 3 file (1,2 MB)…», for both front ends.
    pub testo: String,
}

impl From<mpd_core::conservazione::Pulizia> for Pulizia {
    fn from(p: mpd_core::conservazione::Pulizia) -> Pulizia {
        let file = u32::try_from(p.file).unwrap_or(u32::MAX);
        let trattenuti = u32::try_from(p.trattenuti).unwrap_or(u32::MAX);
        let megabyte = format!("{:.1}", p.byte as f64 / 1_000_000.0).replace('.', ",");
        let mut testo = match file {
            0 => "nessun file da eliminare".to_string(),
            1 => format!("eliminato 1 file ({megabyte} MB)"),
            n => format!("eliminati {n} file ({megabyte} MB)"),
        };
        if trattenuti > 0 {
            testo.push_str(&format!(
                "; {trattenuti} file di flussi senza esito ancora noto conservati"
            ));
        }
        Pulizia {
            quando: p.quando,
            file,
            megabyte,
            trattenuti,
            testo,
        }
    }
}

fn conservazione_di(d: &Desk) -> Risultato<Conservazione> {
    let c = d.conservazione()?;
    Ok(Conservazione {
        giorni: c.giorni(),
        descrizione: c.descrizione(),
        giorni_minimi: mpd_core::conservazione::GIORNI_MINIMI,
        giorni_massimi: mpd_core::conservazione::GIORNI_MASSIMI,
        ultima_pulizia: d.ultima_pulizia()?.map(Pulizia::from),
    })
}

/// The retention setting and the last clean-up.
pub fn conservazione(app: &App) -> Risultato<Conservazione> {
    app.con_desk(|d| conservazione_di(d))
}

/// Stores how long the app keeps its own files: `giorni` days (30 to 3650), `None` for never.
/// Takes effect at the next clean-up (once a day, or [`conservazione_applica`]).
pub fn conservazione_salva(app: &App, giorni: Option<u32>) -> Risultato<Conservazione> {
    app.con_desk(|d| {
        d.set_conservazione(mpd_core::conservazione::Conservazione::scelta(giorni)?)?;
        conservazione_di(d)
    })
}

/// Deletes now the app's files older than the retention period; says what went.
pub fn conservazione_applica(app: &App) -> Risultato<Pulizia> {
    app.con_desk(|d| Ok(d.applica_conservazione()?.into()))
}

/// The types of this module the window sees.
#[cfg(test)]
pub(crate) fn tipi_ts(cfg: &ts_rs::Config) -> Result<(), ts_rs::ExportError> {
    Impostazioni::export_all(cfg)?;
    StatoPassword::export_all(cfg)?;
    PasswordCancellata::export_all(cfg)?;
    InfoBackup::export_all(cfg)?;
    EsitoRipristino::export_all(cfg)?;
    PrimoAvvio::export_all(cfg)?;
    Salvataggio::export_all(cfg)?;
    InfoConnessione::export_all(cfg)?;
    Ambiente::export_all(cfg)?;
    Piattaforma::export_all(cfg)?;
    Conservazione::export_all(cfg)?;
    Pulizia::export_all(cfg)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ConnectOptions;
    use mpd_client::credentials::{MemoryStore, NoKeyringStore};

    fn app_con(dir: &Path, keyring: &'static (dyn CredentialStore + Send + Sync)) -> App {
        App::new(
            Some(dir.join("db.sqlite")),
            ConnectOptions::default(),
            keyring,
        )
        .con_frase_archivio(Some(mpd_store::testing::CHIAVE_DI_PROVA))
    }

    fn memoria() -> &'static MemoryStore {
        Box::leak(Box::default())
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
            ..PrimoAvvio::default()
        }
    }

    #[test]
    fn first_start_saves_profile_environment_and_password() {
        let dir = tempfile::tempdir().unwrap();
        let keyring = memoria();
        let app = app_con(dir.path(), keyring);
        let s = primo_configura(
            &app,
            primo("collaudo", "https://mypay.example.it/", "Segreta!1"),
        )
        .unwrap();
        assert!(s.salvato, "{:?}", s.errori);
        let i = stato(&app).unwrap();
        assert_eq!(i.codice_ipa.as_deref(), Some("c_x123"));
        assert_eq!(i.ambiente, Ambiente::Collaudo);
        assert_eq!(
            i.urls
                .iter()
                .find(|u| u.ambiente == Ambiente::Collaudo)
                .unwrap()
                .url
                .as_deref(),
            Some("https://mypay.example.it")
        );
        assert!(i.password.memorizzata);
        assert_eq!(i.password.origine, Some(PasswordSource::Keyring));
        assert_eq!(
            keyring.get("c_x123@collaudo").unwrap().unwrap().expose(),
            "Segreta!1"
        );
        // Nothing of the password in what the front ends receive.
        let json = serde_json::to_string(&i).unwrap();
        assert!(!json.contains("Segreta"), "{json}");
    }

    #[test]
    fn first_start_names_bad_fields_and_saves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let keyring = memoria();
        let app = app_con(dir.path(), keyring);
        let mut p = primo("collaudo", "", "x");
        p.codice_fiscale = "01199250159".into();
        let s = primo_configura(&app, p).unwrap();
        assert!(!s.salvato);
        let campi: Vec<&str> = s.errori.iter().map(|e| e.campo.as_str()).collect();
        assert_eq!(campi, vec!["codice_fiscale", "url"]);
        assert!(stato(&app).unwrap().codice_ipa.is_none());
        assert!(keyring.get("c_x123@collaudo").unwrap().is_none());
        for url in ["ftp://x", "http://mypay.example.it"] {
            let s = primo_configura(&app, primo("collaudo", url, "")).unwrap();
            assert_eq!(s.errori[0].campo, "url", "{url}");
            assert!(!s.salvato);
        }
        let s = primo_configura(&app, primo("custom", "http://127.0.0.1:8080", "")).unwrap();
        assert!(s.salvato, "{:?}", s.errori);
    }

    #[test]
    fn without_a_keyring_the_profile_is_saved_and_the_clerk_is_told() {
        let dir = tempfile::tempdir().unwrap();
        let app = app_con(dir.path(), &NoKeyringStore);
        let s =
            primo_configura(&app, primo("produzione", "https://mypay.example.it", "pw")).unwrap();
        assert!(s.salvato);
        assert!(
            s.avvisi
                .iter()
                .any(|a| a.contains("portachiavi del sistema non è disponibile")),
            "{:?}",
            s.avvisi
        );
        let st = stato(&app).unwrap().password;
        assert!(!st.portachiavi_disponibile && !st.memorizzata);
        // Issue 13 item 17: the window never names an environment variable; it says what to do.
        assert!(
            !st.messaggio.contains("MYPAY_") && st.messaggio.contains("assistenza informatica"),
            "{}",
            st.messaggio
        );
        let err = password_salva(&app, |_| Ok(Secret::new("pw"))).unwrap_err();
        assert_eq!(err.codice, Codice::Portachiavi);
        assert!(!err.messaggio.contains("pw "));
    }

    #[test]
    fn password_source_is_reported() {
        let keyring = MemoryStore::default();
        let s = stato_password(&keyring, Some("c_a"), Ambiente::Collaudo, false, false);
        assert_eq!((s.memorizzata, s.fonte), (false, None));
        keyring.set("c_a@collaudo", &Secret::new("k")).unwrap();
        let s = stato_password(&keyring, Some("c_a"), Ambiente::Collaudo, false, false);
        assert_eq!(s.fonte, Some(PasswordSource::Keyring.label_it()));
        let s = stato_password(&keyring, Some("c_a"), Ambiente::Collaudo, true, false);
        assert_eq!(s.fonte, Some(PasswordSource::Environment.label_it()));
        let s = stato_password(&keyring, Some("c_a"), Ambiente::Demo, false, false);
        assert_eq!(s.fonte, Some(PasswordSource::Demo.label_it()));
    }

    #[test]
    fn password_set_and_clear_for_the_environment_asked_for() {
        let dir = tempfile::tempdir().unwrap();
        let keyring = memoria();
        let app = app_con(dir.path(), keyring);
        primo_configura(&app, primo("demo", "", "")).unwrap();
        let e = password_salva(&app, |_| panic!("not asked in the demo")).unwrap_err();
        assert_eq!(e.codice, Codice::NonConsentito);
        assert!(e.messaggio.contains("password nota"), "{}", e.messaggio);
        let cli = App::new(
            app.db().map(Path::to_path_buf),
            ConnectOptions {
                env: Some("collaudo".into()),
                ..ConnectOptions::default()
            },
            keyring,
        )
        .con_frase_archivio(Some(mpd_store::testing::CHIAVE_DI_PROVA));
        let s = password_salva(&cli, |account| {
            assert_eq!(account, "c_x123@collaudo");
            Ok(Secret::new("S3greta"))
        })
        .unwrap();
        assert!(s.memorizzata);
        assert!(!format!("{s:?}").contains("S3greta"));
        let e = password_salva(&cli, |_| Ok(Secret::new("  "))).unwrap_err();
        assert_eq!(e.codice, Codice::NonValido);
        let c = password_cancella(&cli).unwrap();
        assert!(c.cancellata && !c.password.memorizzata);
        assert!(!password_cancella(&cli).unwrap().cancellata);
    }

    #[test]
    fn environment_needs_an_address_except_demo() {
        let dir = tempfile::tempdir().unwrap();
        let app = app_con(dir.path(), memoria());
        let e = salva(&app, Some("produzione"), None, None, None).unwrap_err();
        assert_eq!(e.codice, Codice::Impostazioni);
        assert!(e.messaggio.contains("indirizzo"), "{}", e.messaggio);
        let e = salva(
            &app,
            Some("produzione"),
            Some("http://mypay.example.it"),
            None,
            None,
        )
        .unwrap_err();
        assert_eq!(e.codice, Codice::Impostazioni);
        assert!(salva(&app, Some("marte"), None, None, None).is_err());
        salva(
            &app,
            Some("custom"),
            Some("http://127.0.0.1:9000"),
            None,
            None,
        )
        .unwrap();
        // Once stored, switching back needs no address.
        salva(&app, Some("demo"), None, None, None).unwrap();
        assert_eq!(
            salva(&app, Some("custom"), None, None, None)
                .unwrap()
                .ambiente,
            Ambiente::Custom
        );
        // An address alone means custom.
        let i = salva(&app, None, Some("https://mypay.example.it"), None, None).unwrap();
        assert_eq!(i.ambiente, Ambiente::Custom);
    }

    #[test]
    fn backup_then_restore() {
        let dir = tempfile::tempdir().unwrap();
        let app = app_con(dir.path(), memoria());
        let db = dir.path().join("db.sqlite");
        primo_configura(&app, primo("demo", "", "")).unwrap();
        let bak = dir.path().join("copia.mpd");
        std::fs::write(&bak, "vecchio contenuto").unwrap();
        backup_salva(&app, bak.to_str().unwrap()).unwrap();
        assert!(backup_salva(&app, db.to_str().unwrap()).is_err());
        assert!(backup_salva(&app, "relativo.mpd").is_err());
        assert_eq!(
            backup_esamina(&app, bak.to_str().unwrap(), None)
                .unwrap()
                .denominazione
                .as_deref(),
            Some("Comune di Esempio")
        );
        // Change the profile after the backup.
        app.con_desk(|d| {
            let mut m = d.ente_modulo()?;
            m.denominazione = "Comune Cambiato".into();
            assert!(d.salva_modulo(&m)?.salvato);
            Ok(())
        })
        .unwrap();
        // A file that is not a backup changes nothing.
        let junk = dir.path().join("junk.mpd");
        std::fs::write(&junk, "x".repeat(5000)).unwrap();
        assert_eq!(
            backup_ripristina(&app, junk.to_str().unwrap(), None)
                .unwrap_err()
                .codice,
            Codice::Ripristino
        );
        let e = backup_ripristina(&app, bak.to_str().unwrap(), None).unwrap();
        assert_eq!(e.info.denominazione.as_deref(), Some("Comune di Esempio"));
        assert!(
            e.copia_precedente
                .unwrap()
                .ends_with("db.sqlite.prima-del-ripristino")
        );
        app.con_desk(|d| {
            assert_eq!(d.require_ente()?.denominazione, "Comune di Esempio");
            assert_eq!(d.db_path(), Some(db.as_path()));
            Ok(())
        })
        .unwrap();
        assert!(
            cartella_dati(&app)
                .unwrap()
                .ends_with(dir.path().file_name().unwrap())
        );
    }

    #[test]
    fn retention_round_trip_and_clean_up_report() {
        let dir = tempfile::tempdir().unwrap();
        let app = app_con(dir.path(), memoria());
        let c = conservazione(&app).unwrap();
        assert_eq!((c.giorni, c.descrizione.as_str()), (Some(365), "1 anno"));
        assert_eq!(c.ultima_pulizia, None);
        assert_eq!(conservazione_salva(&app, None).unwrap().giorni, None);
        assert_eq!(conservazione(&app).unwrap().giorni, None);
        assert_eq!(
            conservazione_salva(&app, Some(90)).unwrap().giorni,
            Some(90)
        );
        let e = conservazione_salva(&app, Some(5)).unwrap_err();
        assert_eq!(e.codice, Codice::NonValido);
        assert_eq!(conservazione(&app).unwrap().giorni, Some(90), "unchanged");
        let p = conservazione_applica(&app).unwrap();
        assert_eq!(p.testo, "nessun file da eliminare");
        assert_eq!(conservazione(&app).unwrap().ultima_pulizia, Some(p));
    }
}
