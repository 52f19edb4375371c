//! Environments and connection settings.
//!
//! * `demo`: the embedded emulator (the CLI starts it in-process; its URL is known only then);
//! * `collaudo`, `produzione`: base URLs the clerk enters once (the real addresses are
//!   deployment-specific), stored as settings `mypay.<env>.base_url`;
//! * `custom`: any MyPay-compatible server given with `--base-url`.
//!
//! From a base URL: SOAP at `URL/ws/pa/`; MyBox links come in MyPay's answers (`URL/public/mybox/…`).
//! The default environment is the setting `mypay.ambiente`. The IPA code is the stored profile's.

use std::fmt;
use std::time::Duration;

use mpd_core::Desk;

/// Setting key of the default environment.
pub const SETTING_ENV: &str = "mypay.ambiente";

/// Where MyPay is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Ambiente {
    Demo,
    Collaudo,
    Produzione,
    Custom,
}

impl Ambiente {
    pub fn parse(s: &str) -> Option<Ambiente> {
        match s.trim().to_ascii_lowercase().as_str() {
            "demo" => Some(Ambiente::Demo),
            "collaudo" | "test" => Some(Ambiente::Collaudo),
            "produzione" | "prod" => Some(Ambiente::Produzione),
            "custom" | "personalizzato" => Some(Ambiente::Custom),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Ambiente::Demo => "demo",
            Ambiente::Collaudo => "collaudo",
            Ambiente::Produzione => "produzione",
            Ambiente::Custom => "custom",
        }
    }
}

impl fmt::Display for Ambiente {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A resolved connection.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Connessione {
    pub ambiente: Ambiente,
    pub base_url: String,
    /// MyPay, MyPay through ARIA's middleware, or PU (issue 15).
    pub piattaforma: crate::piattaforma::Piattaforma,
    /// The SOAP path of the platform (`/ws/pa/` unless configured otherwise).
    pub percorso_soap: String,
}

impl Connessione {
    pub fn new(ambiente: Ambiente, base_url: &str) -> Connessione {
        Connessione {
            ambiente,
            base_url: base_url.trim().trim_end_matches('/').to_string(),
            piattaforma: crate::piattaforma::Piattaforma::Mypay,
            percorso_soap: "/ws/pa/".to_string(),
        }
    }
    /// The same address on another platform, with its SOAP path.
    pub fn sulla_piattaforma(mut self, o: &crate::piattaforma::OpzioniPiattaforma) -> Connessione {
        self.piattaforma = o.piattaforma;
        self.percorso_soap = o.percorso_soap.clone();
        self
    }
    /// `URL/ws/pa/` (PU: `URL/pu/sil/soap/payments/PagamentiTelematiciDovutiPagati`).
    pub fn soap_url(&self) -> String {
        format!("{}{}", self.base_url, self.percorso_soap)
    }
}

/// Why no connection could be resolved (Italian, says what to do).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("ambiente «{0}» sconosciuto: usi demo, collaudo, produzione o custom")]
    UnknownEnv(String),
    #[error(
        "nessun indirizzo di MyPay per l'ambiente {0}: va indicato nelle impostazioni di connessione"
    )]
    NoUrl(Ambiente),
    #[error(
        "l'indirizzo «{0}» non è valido: deve iniziare con https:// (http:// solo verso questo computer, per un emulatore locale: localhost, 127.0.0.1 o [::1])"
    )]
    BadUrl(String),
    #[error(
        "l'indirizzo «{url}» non è ammesso per l'ambiente {ambiente}: MyPay di {ambiente} si raggiunge solo con https:// (http:// è ammesso solo per un emulatore su questo computer, nell'ambiente personalizzato)"
    )]
    HttpNonAmmesso { url: String, ambiente: Ambiente },
    #[error(transparent)]
    Store(#[from] mpd_store::StoreError),
}

fn url_key(env: Ambiente) -> String {
    format!("mypay.{}.base_url", env.as_str())
}

/// The one rule for a MyPay address, wherever it is entered (the window's settings, the
/// first-start setup, the command line): `https://` with a host, or `http://` only towards this
/// computer (`localhost`, `127.0.0.0/8`, `[::1]`: a local emulator) and only in the demo and
/// custom environments — collaudo and produzione are the Region's MyPay, always over TLS. No
/// credentials in the address, no spaces.
pub fn check_url(env: Ambiente, url: &str) -> Result<(), ConfigError> {
    let u = url.trim();
    match url_ok(u) {
        None => Err(ConfigError::BadUrl(u.to_string())),
        Some(false) if matches!(env, Ambiente::Collaudo | Ambiente::Produzione) => {
            Err(ConfigError::HttpNonAmmesso {
                url: u.to_string(),
                ambiente: env,
            })
        }
        Some(_) => Ok(()),
    }
}

/// `Some(true)` for a good `https://` address, `Some(false)` for a good `http://` one to this
/// computer, `None` otherwise.
fn url_ok(u: &str) -> Option<bool> {
    let scheme = |p: &str| {
        u.get(..p.len())
            .filter(|s| s.eq_ignore_ascii_case(p))
            .map(|_| &u[p.len()..])
    };
    let (https, rest) = match (scheme("https://"), scheme("http://")) {
        (Some(r), _) => (true, r),
        (None, Some(r)) => (false, r),
        _ => return None,
    };
    if u.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return None;
    }
    let (host, port, ipv6) = match authority.strip_prefix('[') {
        Some(r) => match r.split_once(']') {
            Some((h, "")) => (h, None, true),
            Some((h, p)) => match p.strip_prefix(':') {
                Some(p) => (h, Some(p), true),
                None => return None,
            },
            None => return None,
        },
        None => match authority.split_once(':') {
            Some((h, p)) => (h, Some(p), false),
            None => (authority, None, false),
        },
    };
    if host.is_empty() || port.is_some_and(|p| p.parse::<u16>().is_err()) {
        return None;
    }
    if ipv6 && host.parse::<std::net::Ipv6Addr>().is_err() {
        return None;
    }
    (https || loopback(host, ipv6)).then_some(https)
}

/// `localhost`, an address in 127.0.0.0/8, or `::1`.
fn loopback(host: &str, ipv6: bool) -> bool {
    if ipv6 {
        return host
            .parse::<std::net::Ipv6Addr>()
            .is_ok_and(|a| a.is_loopback());
    }
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|a| a.is_loopback())
}

/// The environment asked for (`--env`), else the stored default, else `custom` when a base
/// URL is given, else `demo`.
pub fn resolve_env(
    desk: &Desk,
    env: Option<&str>,
    base_url: Option<&str>,
) -> Result<Ambiente, ConfigError> {
    if let Some(e) = env {
        return Ambiente::parse(e).ok_or_else(|| ConfigError::UnknownEnv(e.to_string()));
    }
    if base_url.is_some() {
        return Ok(Ambiente::Custom);
    }
    match desk.setting(SETTING_ENV)? {
        Some(e) => Ambiente::parse(&e).ok_or(ConfigError::UnknownEnv(e)),
        None => Ok(Ambiente::Demo),
    }
}

/// The base URL of a (non-demo) environment: `--base-url`, else the stored one.
pub fn resolve_url(
    desk: &Desk,
    env: Ambiente,
    base_url: Option<&str>,
) -> Result<Connessione, ConfigError> {
    let url = match base_url {
        Some(u) => u.to_string(),
        None => desk
            .setting(&url_key(env))?
            .ok_or(ConfigError::NoUrl(env))?,
    };
    check_url(env, &url)?;
    Ok(Connessione::new(env, &url))
}

/// Stores an environment's base URL and makes it the default.
pub fn save(desk: &Desk, env: Ambiente, base_url: Option<&str>) -> Result<(), ConfigError> {
    if let Some(u) = base_url {
        check_url(env, u)?;
        desk.set_setting(&url_key(env), u.trim().trim_end_matches('/'))?;
    }
    desk.set_setting(SETTING_ENV, env.as_str())?;
    Ok(())
}

/// The stored base URL of each environment.
pub fn stored_urls(desk: &Desk) -> Result<Vec<(Ambiente, Option<String>)>, ConfigError> {
    [Ambiente::Collaudo, Ambiente::Produzione, Ambiente::Custom]
        .into_iter()
        .map(|e| Ok((e, desk.setting(&url_key(e))?)))
        .collect()
}

/// Exponential backoff with jitter, for steps that are safe to repeat.
#[derive(Clone, Debug)]
pub struct Backoff {
    pub initial: Duration,
    pub max: Duration,
    /// Failed attempts tolerated in a row before the step gives up (the work stays queued).
    pub max_attempts: u32,
}

impl Backoff {
    /// The pause before attempt `n` (1-based): `initial · 2^(n-1)` capped at `max`, then a
    /// uniform draw in its upper half ("equal jitter"), so that many desks do not retry in step.
    pub fn delay(&self, n: u32, rng: &mut impl rand::Rng) -> Duration {
        let exp = self
            .initial
            .saturating_mul(1u32 << n.saturating_sub(1).min(20));
        let d = exp.min(self.max).as_millis() as u64;
        Duration::from_millis(d / 2 + rng.random_range(0..=d / 2))
    }
}

/// Tunables of the sync engine (tests scale them down).
#[derive(Clone, Debug)]
pub struct SyncConfig {
    pub timeouts: crate::api::Timeouts,
    /// Retries of network and server errors.
    pub retry: Backoff,
    /// Status polling: first pause, growing to `max`.
    pub poll: Backoff,
    /// Longest wait for MyPay to process a flow or an export within one command; past it the
    /// work stays queued and the next `sync` resumes it.
    pub max_wait: Duration,
    /// Tracciato version of the exports.
    pub export_version: String,
    /// Download the `_AVVISI_PDF` notices of submitted flows.
    pub avvisi: bool,
    /// Seed of the jitter (tests); `None` = random.
    pub seed: Option<u64>,
    /// The platform: how its refusals are explained (issue 15).
    pub piattaforma: crate::piattaforma::Piattaforma,
}

impl Default for SyncConfig {
    fn default() -> SyncConfig {
        SyncConfig {
            timeouts: crate::api::Timeouts::default(),
            retry: Backoff {
                initial: Duration::from_secs(1),
                max: Duration::from_secs(30),
                max_attempts: 6,
            },
            // MyPay's batch runs every 10 s and takes ≤3 files per run.
            poll: Backoff {
                initial: Duration::from_secs(2),
                max: Duration::from_secs(30),
                max_attempts: u32::MAX,
            },
            max_wait: Duration::from_secs(15 * 60),
            export_version: "1.3".to_string(),
            avvisi: false,
            seed: None,
            piattaforma: crate::piattaforma::Piattaforma::Mypay,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn backoff_grows_with_jitter_and_is_capped() {
        let b = Backoff {
            initial: Duration::from_millis(100),
            max: Duration::from_millis(1000),
            max_attempts: 5,
        };
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        for n in 1..30 {
            let d = b.delay(n, &mut rng).as_millis() as u64;
            let cap = (100u64 << (n - 1).min(20)).min(1000);
            assert!(d >= cap / 2 && d <= cap, "attempt {n}: {d} ms");
        }
    }

    #[test]
    fn environments_and_urls() {
        let store = Desk::in_memory().unwrap();
        assert_eq!(resolve_env(&store, None, None).unwrap(), Ambiente::Demo);
        assert_eq!(
            resolve_env(&store, None, Some("http://x")).unwrap(),
            Ambiente::Custom
        );
        assert!(resolve_env(&store, Some("marte"), None).is_err());
        assert!(matches!(
            resolve_url(&store, Ambiente::Collaudo, None),
            Err(ConfigError::NoUrl(_))
        ));
        save(
            &store,
            Ambiente::Collaudo,
            Some("https://mypay-collaudo.example.it/"),
        )
        .unwrap();
        assert_eq!(resolve_env(&store, None, None).unwrap(), Ambiente::Collaudo);
        let c = resolve_url(&store, Ambiente::Collaudo, None).unwrap();
        assert_eq!(c.soap_url(), "https://mypay-collaudo.example.it/ws/pa/");
        assert!(save(&store, Ambiente::Produzione, Some("ftp://x")).is_err());
    }

    #[test]
    fn only_https_except_http_to_this_computer() {
        for ok in [
            "https://mypay.example.it",
            "HTTPS://mypay.example.it:8443/base/",
            "https://10.0.0.1",
            "http://127.0.0.1:8080",
            "http://127.1.2.3",
            "http://localhost:9000/",
            "http://LOCALHOST",
            "http://[::1]:8080",
            " https://mypay.example.it ",
        ] {
            assert!(check_url(Ambiente::Custom, ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://mypay.example.it",
            "http://10.0.0.1:8080",
            "http://localhost.example.it",
            "http://127.0.0.1.example.it",
            "http://[::2]",
            "http://user@127.0.0.1",
            "https://",
            "http://",
            "https://:443",
            "https://mypay.example.it:porta",
            "https://mypay example.it",
            "ftp://x",
            "mypay.example.it",
            "",
        ] {
            for env in [Ambiente::Custom, Ambiente::Collaudo, Ambiente::Produzione] {
                assert!(check_url(env, bad).is_err(), "{bad}");
            }
        }
    }

    /// Issue 17 item 3: collaudo and produzione are the Region's MyPay: never plain http, not
    /// even to this computer (which only an emulator, in the custom environment, may be).
    #[test]
    fn collaudo_and_produzione_only_over_https() {
        for env in [Ambiente::Collaudo, Ambiente::Produzione] {
            for u in [
                "http://127.0.0.1:8080",
                "http://localhost",
                "http://[::1]:9",
            ] {
                let e = check_url(env, u).unwrap_err();
                assert!(matches!(e, ConfigError::HttpNonAmmesso { .. }), "{u}: {e}");
                assert!(e.to_string().contains("solo con https://"), "{e}");
            }
            assert!(check_url(env, "https://mypay.example.it").is_ok());
        }
        let store = Desk::in_memory().unwrap();
        assert!(save(&store, Ambiente::Produzione, Some("http://127.0.0.1:9")).is_err());
        assert!(save(&store, Ambiente::Custom, Some("http://127.0.0.1:9")).is_ok());
        // An address stored before this rule is refused when used.
        store
            .set_setting(&url_key(Ambiente::Collaudo), "http://127.0.0.1:9")
            .unwrap();
        assert!(resolve_url(&store, Ambiente::Collaudo, None).is_err());
    }
}
