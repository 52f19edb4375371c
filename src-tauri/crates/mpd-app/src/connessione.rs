//! The connection to MyPay under both front ends: the environment (asked for, else the stored
//! setting), the base URL, the password (`MYPAY_DESK_PASSWORD` if set, else the OS keyring; the
//! demo one in `demo`) and, for `demo`, the emulator started in-process with its state next to
//! the database.
//!
//! [`crate::App`] opens one [`Connection`] lazily and keeps it (and so the demo emulator) until
//! it is told the settings changed ([`crate::App::invalida_connessione`]). The password is never
//! returned: only its [`PasswordSource`].

use std::path::PathBuf;
use std::time::Duration;

use crate::errore::{Codice, Errore, Risultato as Result};
use mpd_client::config::{self, Ambiente, Backoff, Connessione, SyncConfig};
use mpd_client::credentials::{self, CredentialStore, KeyringStore, PasswordSource, Secret};
use mpd_client::piattaforma::{self, OpzioniPiattaforma, Piattaforma};
use mpd_client::{Engine, Event, MyPayClient};
use mpd_core::Desk;

/// Sample debts added by `--env demo` on a machine with none.
const DEMO_SAMPLE_DEBTS: usize = 20;

/// What to connect to, and how.
#[derive(Clone, Debug, Default)]
pub struct ConnectOptions {
    /// The environment asked for: demo, collaudo, produzione, custom; `None` = the stored default.
    pub env: Option<String>,
    /// An address asked for, instead of the stored one.
    pub base_url: Option<String>,
    /// In demo, save the demo Ente and a few sample debts when the store has none (the CLI on a
    /// fresh machine; the window has its own first-start demo).
    pub seed_demo: bool,
    /// The value of `MYPAY_DESK_PASSWORD`, if any (read by the caller, so tests can pass it).
    pub env_password: Option<String>,
    /// The platform asked for (mypay, aria, pu); `None` = the stored one.
    pub piattaforma: Option<String>,
    /// `MYPAY_DESK_CLIENT_ID` and `MYPAY_DESK_CLIENT_SECRET` (PU, headless runs).
    pub env_client_id: Option<String>,
    pub env_client_secret: Option<String>,
    /// The engine's tunables (retries, polling, timeouts) instead of the defaults: tests that
    /// must not wait a minute of retries.
    pub sync: Option<SyncConfig>,
}

impl ConnectOptions {
    /// The stored environment, the password from the process environment if set.
    pub fn from_process_env() -> ConnectOptions {
        ConnectOptions {
            env_password: std::env::var(credentials::ENV_PASSWORD).ok(),
            env_client_id: std::env::var(piattaforma::ENV_CLIENT_ID).ok(),
            env_client_secret: std::env::var(piattaforma::ENV_CLIENT_SECRET).ok(),
            ..ConnectOptions::default()
        }
    }

    /// The PU client secret from the environment, when set (it wins over the keyring).
    pub fn segreto_da_ambiente(&self) -> Option<String> {
        self.env_client_secret.clone().filter(|v| !v.is_empty())
    }
}

/// An open connection: the client, where it points, where the password came from, and the
/// in-process emulator of `demo` (stopped when the connection is dropped).
pub struct Connection {
    pub conn: Connessione,
    pub client: MyPayClient,
    pub source: PasswordSource,
    /// Engine tunables (shorter polling against the demo emulator).
    pub config: SyncConfig,
    /// Things done while connecting, for the clerk (the demo Ente saved, sample debts added).
    pub notes: Vec<String>,
    // Declared last so it drops last: stops the in-process emulator of `demo`.
    emulator: Option<mpd_emulator::EmulatorHandle>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("conn", &self.conn)
            .field("source", &self.source)
            .field("emulator", &self.emulator.as_ref().map(|e| &e.base_url))
            .finish_non_exhaustive()
    }
}

impl Connection {
    /// The engine over `desk` with this connection's client and tunables.
    pub fn engine<'a>(
        &'a self,
        desk: &'a mut Desk,
        events: &'a mut dyn FnMut(&Event),
    ) -> Engine<'a> {
        Engine::new(desk, &self.client, self.config.clone(), events)
    }

    /// True when this is the embedded demo emulator.
    pub fn is_demo(&self) -> bool {
        self.emulator.is_some()
    }

    /// The base URL of the embedded demo emulator, if this is the demo.
    pub fn emulator_url(&self) -> Option<&str> {
        self.emulator.as_ref().map(|e| e.base_url.as_str())
    }

    /// The connection line the CLI prints and the window shows (never the password).
    pub fn describe(&self) -> String {
        let (piattaforma, credenziale) = match self.conn.piattaforma {
            Piattaforma::Mypay => (String::new(), "password"),
            Piattaforma::Aria => (
                format!(", piattaforma {}", Piattaforma::Aria.label_it()),
                "password",
            ),
            Piattaforma::Pu => (
                format!(", piattaforma {}", Piattaforma::Pu.label_it()),
                "segreto del client",
            ),
        };
        format!(
            "MyPay: ambiente {} ({}){piattaforma}, Ente {}, {credenziale} da: {}.",
            self.conn.ambiente,
            self.conn.base_url,
            self.client.cod_ipa(),
            self.source.label_it()
        )
    }

    /// Demo only: the embedded emulator pays a share of the Ente's open debts, as citizens
    /// would (`/sim/pay`, the same call as `mypay-desk sim pay`).
    pub fn simulate_payments(&self, share: f64, seed: u64) -> Result<mpd_emulator::PayResponse> {
        let url = self.emulator_url().ok_or_else(|| {
            Errore::new(
                Codice::SoloDemo,
                "i pagamenti simulati esistono solo nell'ambiente dimostrativo (emulatore integrato)",
            )
        })?;
        let request = mpd_emulator::PayRequest {
            ente: self.client.cod_ipa().to_string(),
            share: Some(share.clamp(0.0, 1.0)),
            seed: Some(seed),
            data: None,
            iud: Vec::new(),
            ..Default::default()
        };
        // The emulator's control endpoint may answer "database is locked" while its batch
        // writes; its transaction rolled back, so asking again is safe.
        let mut tries = 0;
        let resp = loop {
            match mpd_emulator::remote_pay(url, &request) {
                Ok(r) => break r,
                Err(e) if tries < 10 && e.to_string().contains("locked") => {
                    tries += 1;
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(e) => return Err(Errore::interno(format!("emulatore dimostrativo: {e:#}"))),
            }
        };
        // MyPay's incremental window is half-open at its clock, in seconds: a payment made in
        // the very second of a booking belongs to the next window. Let that second pass, so a
        // download right after this finds these payments.
        crate::attendi_il_secondo_successivo();
        Ok(resp)
    }
}

/// The OS keyring: the one place a clerk's password is kept.
pub fn keyring() -> &'static (dyn CredentialStore + Send + Sync) {
    static KEYRING: KeyringStore = KeyringStore;
    &KEYRING
}

/// Where the demo emulator keeps its state: `emulatore-demo` next to the database.
pub fn demo_emulator_dir(desk: &Desk) -> PathBuf {
    desk.cartella_file().join("emulatore-demo")
}

/// The environment the options resolve to (without connecting).
pub fn resolve_env(desk: &Desk, opts: &ConnectOptions) -> Result<Ambiente> {
    Ok(config::resolve_env(
        desk,
        opts.env.as_deref(),
        opts.base_url.as_deref(),
    )?)
}

/// Where the password of the stored Ente in `env` would come from, without reading it out;
/// `None` when there is none (or no Ente yet).
pub fn password_source(
    desk: &Desk,
    env: Ambiente,
    store: &dyn CredentialStore,
    env_password: Option<String>,
) -> Option<PasswordSource> {
    match (env, desk.ente().ok().flatten()) {
        (Ambiente::Demo, _) => Some(PasswordSource::Demo),
        (_, Some(e)) => credentials::resolve(
            store,
            &credentials::account(&e.codice_ipa, env.as_str()),
            env_password,
        )
        .ok()
        .map(|(_, s)| s),
        _ => None,
    }
}

fn seed_demo(desk: &mut Desk, notes: &mut Vec<String>) -> Result<()> {
    let had_ente = desk.ente()?.is_some();
    let added = desk.setup_demo(DEMO_SAMPLE_DEBTS)?;
    if !had_ente {
        notes.push(
            "Ambiente dimostrativo: salvato il profilo dell'Ente dimostrativo (c_demo).".into(),
        );
    }
    if added > 0 {
        notes.push(format!(
            "Ambiente dimostrativo: {} {} di esempio.",
            mpd_domain::testo::parola(added, "aggiunto", "aggiunti"),
            mpd_domain::testo::conta(added, "dovuto", "dovuti")
        ));
    }
    Ok(())
}

/// The platform the options ask for, else the stored one (default mypay).
pub fn resolve_piattaforma(desk: &Desk, opts: &ConnectOptions) -> Result<Piattaforma> {
    piattaforma::resolve(desk, opts.piattaforma.as_deref()).map_err(|t| {
        Errore::new(
            Codice::Impostazioni,
            format!("piattaforma «{t}» sconosciuta: le piattaforme sono mypay, aria e pu"),
        )
    })
}

/// The emulator's counterpart of a platform.
fn piattaforma_emulatore(p: Piattaforma) -> mpd_emulator::Piattaforma {
    match p {
        Piattaforma::Mypay => mpd_emulator::Piattaforma::Mypay,
        Piattaforma::Aria => mpd_emulator::Piattaforma::Aria,
        Piattaforma::Pu => mpd_emulator::Piattaforma::Pu,
    }
}

/// Starts the demo emulator serving the stored Ente with the demo password (and, on PU, the
/// demo client secret), playing the platform `p`.
fn start_demo_emulator(desk: &Desk, p: Piattaforma) -> Result<mpd_emulator::EmulatorHandle> {
    let ente = desk.require_ente()?;
    let mut options = mpd_emulator::EmulatorOptions::new(demo_emulator_dir(desk))
        .con_piattaforma(piattaforma_emulatore(p));
    options.enti = vec![mpd_emulator::EnteConfig {
        client_id: mpd_emulator::client_id_predefinito(&ente.codice_ipa),
        client_secret: Some(mpd_emulator::DEMO_CLIENT_SECRET.to_string()),
        ente,
        tipi: desk.tipi_dovuto()?,
        password: Some(mpd_emulator::DEMO_PASSWORD.to_string()),
        stato: "ESERCIZIO".into(),
    }];
    options.batch_interval = Duration::from_millis(200);
    mpd_emulator::Emulator::start(options)
        .map_err(|e| Errore::interno(format!("avvio dell'emulatore dimostrativo: {e:#}")))
}

/// Opens the connection the options ask for. In demo the emulator starts in-process (and, with
/// `seed_demo`, the demo Ente and sample debts are saved first on an empty store).
pub fn connect(
    desk: &mut Desk,
    opts: &ConnectOptions,
    store: &dyn CredentialStore,
) -> Result<Connection> {
    let env = resolve_env(desk, opts)?;
    let p = resolve_piattaforma(desk, opts)?;
    let opzioni = OpzioniPiattaforma::carica(desk, p);
    let mut notes = Vec::new();
    let mut cfg = SyncConfig::default();
    let mut oauth = None;
    let (conn, password, source, emulator) = if env == Ambiente::Demo {
        if opts.seed_demo {
            seed_demo(desk, &mut notes)?;
        }
        let handle = start_demo_emulator(desk, p)?;
        if p == Piattaforma::Pu {
            let ipa = desk.require_ente()?.codice_ipa;
            oauth = Some(mpd_client::api::OAuth {
                token_url: format!("{}{}", handle.base_url, opzioni.percorso_token),
                client_id: mpd_emulator::client_id_predefinito(&ipa),
                client_secret: Secret::new(mpd_emulator::DEMO_CLIENT_SECRET),
                margine: opzioni.margine_token,
            });
        }
        cfg.poll = Backoff {
            initial: Duration::from_millis(200),
            max: Duration::from_secs(1),
            max_attempts: u32::MAX,
        };
        cfg.max_wait = Duration::from_secs(60);
        (
            Connessione::new(Ambiente::Demo, &handle.base_url).sulla_piattaforma(&opzioni),
            Secret::new(mpd_emulator::DEMO_PASSWORD),
            PasswordSource::Demo,
            Some(handle),
        )
    } else {
        let conn =
            config::resolve_url(desk, env, opts.base_url.as_deref())?.sulla_piattaforma(&opzioni);
        let ente = desk.require_ente()?;
        if p == Piattaforma::Pu {
            // PU: client id (a setting, or the environment) and secret (keyring, or the
            // environment); the body's password is not used (sent empty).
            let client_id = opts
                .env_client_id
                .clone()
                .filter(|v| !v.trim().is_empty())
                .or(desk.setting(&piattaforma::client_id_key(env.as_str()))?)
                .ok_or_else(|| {
                    Errore::new(
                        Codice::Impostazioni,
                        format!(
                            "manca l'identificativo del client della Piattaforma Unitaria per \
                             l'ambiente {env}: va indicato nelle impostazioni di connessione \
                             (è quello del «Client SIL» dell'Ente sulla Piattaforma Unitaria)"
                        ),
                    )
                })?;
            let account = credentials::account_pu(&ente.codice_ipa, env.as_str());
            let (secret, source) =
                credentials::resolve(store, &account, opts.segreto_da_ambiente())?;
            oauth = Some(mpd_client::api::OAuth {
                token_url: format!("{}{}", conn.base_url, opzioni.percorso_token),
                client_id: client_id.trim().to_string(),
                client_secret: secret,
                margine: opzioni.margine_token,
            });
            (conn, Secret::new(""), source, None)
        } else {
            let account = credentials::account(&ente.codice_ipa, env.as_str());
            let (password, source) =
                credentials::resolve(store, &account, opts.env_password.clone())?;
            (conn, password, source, None)
        }
    };
    if let Some(c) = &opts.sync {
        cfg = c.clone();
    }
    cfg.piattaforma = p;
    let ente = desk.require_ente()?;
    let client = MyPayClient::new(&conn.soap_url(), &ente.codice_ipa, password, &cfg.timeouts)
        .map_err(Errore::from)?
        .per_piattaforma(&opzioni, oauth);
    Ok(Connection {
        conn,
        client,
        source,
        config: cfg,
        notes,
        emulator,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use mpd_client::credentials::MemoryStore;

    fn desk_in(dir: &std::path::Path) -> Desk {
        Desk::open(Some(&dir.join("db.sqlite")), &mpd_store::testing::chiave()).unwrap()
    }

    #[test]
    fn demo_seeds_an_empty_store_and_serves_it_from_an_emulator_next_to_the_db() {
        let dir = tempfile::tempdir().unwrap();
        let mut desk = desk_in(dir.path());
        let opts = ConnectOptions {
            env: Some("demo".into()),
            seed_demo: true,
            ..ConnectOptions::default()
        };
        let c = connect(&mut desk, &opts, &MemoryStore::default()).unwrap();
        assert!(c.is_demo());
        assert_eq!(c.source, PasswordSource::Demo);
        assert_eq!(c.conn.ambiente, Ambiente::Demo);
        assert_eq!(c.notes.len(), 2, "{:?}", c.notes);
        assert!(
            dir.path()
                .join("emulatore-demo")
                .join("emulator.sqlite")
                .exists()
        );
        assert!(
            c.describe()
                .contains("password da: password dell'ambiente dimostrativo")
        );
        // The client really talks to it: the demo Ente has no open positions for this payer.
        let mut sink = |_: &Event| {};
        let positions = c
            .engine(&mut desk, &mut sink)
            .counter_lookup("RSSMRA80A01H501U")
            .unwrap();
        assert!(positions.is_empty());
        // Already seeded: a second connection adds nothing.
        drop(c);
        let c = connect(&mut desk, &opts, &MemoryStore::default()).unwrap();
        assert!(c.notes.is_empty(), "{:?}", c.notes);
    }

    #[test]
    fn without_seeding_demo_needs_the_ente_and_adds_no_debts() {
        let dir = tempfile::tempdir().unwrap();
        let mut desk = desk_in(dir.path());
        let opts = ConnectOptions::default(); // stored default = demo
        let err = connect(&mut desk, &opts, &MemoryStore::default()).unwrap_err();
        assert!(
            format!("{err:#}").to_lowercase().contains("ente"),
            "{err:#}"
        );
        assert!(desk.debt_counts().unwrap().iter().all(|c| c.numero == 0));
    }

    #[test]
    fn a_real_environment_takes_the_password_from_the_keyring_else_the_environment() {
        let dir = tempfile::tempdir().unwrap();
        let mut desk = desk_in(dir.path());
        let now = desk.now();
        desk.save_ente(
            &mpd_core::debts::demo_ente(),
            "{}",
            &mpd_core::synth::tipi_demo(),
            now,
        )
        .unwrap();
        let opts = ConnectOptions {
            env: Some("custom".into()),
            base_url: Some("http://127.0.0.1:9".into()),
            ..ConnectOptions::default()
        };
        let keyring = MemoryStore::default();
        let err = connect(&mut desk, &opts, &keyring).unwrap_err();
        // The variable MYPAY_DESK_PASSWORD is the CLI's hint for this code (mpd-cli suggerimenti).
        assert!(
            format!("{err:#}").contains("portachiavi del sistema"),
            "{err:#}"
        );
        assert_eq!(
            password_source(&desk, Ambiente::Custom, &keyring, None),
            None
        );

        let with_env = ConnectOptions {
            env_password: Some("segreta-di-prova".into()),
            ..opts.clone()
        };
        let c = connect(&mut desk, &with_env, &keyring).unwrap();
        assert_eq!(c.source, PasswordSource::Environment);
        assert!(!c.is_demo());
        assert!(c.simulate_payments(0.5, 1).is_err());
        assert!(!format!("{c:?}").contains("segreta-di-prova"));
        assert!(!c.describe().contains("segreta-di-prova"));

        let account = credentials::account("c_demo", "custom");
        keyring
            .set(&account, &Secret::new("dal-portachiavi"))
            .unwrap();
        // The environment variable wins (headless runs), else the keyring.
        let c = connect(&mut desk, &with_env, &keyring).unwrap();
        assert_eq!(c.source, PasswordSource::Environment);
        let c = connect(&mut desk, &opts, &keyring).unwrap();
        assert_eq!(c.source, PasswordSource::Keyring);
        assert_eq!(
            password_source(&desk, Ambiente::Custom, &keyring, None),
            Some(PasswordSource::Keyring)
        );
    }
}
