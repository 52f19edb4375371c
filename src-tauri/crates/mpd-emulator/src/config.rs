//! The Enti the emulator serves: loaded from profile files (`--config`, the backbone's TOML with
//! `password` under `[ente]`), or a demo Ente with sample payment types when none is given.
//!
//! MyPay keeps more per Ente than the profile file says (spec §8): its state
//! (`INSERITO`, `PRE-ESERCIZIO`, `ESERCIZIO`) is read from an optional `stato` key under `[ente]`
//! (default `ESERCIZIO`), and the `<codIpa>-WS_USER` user exists implicitly for every Ente.

use std::path::Path;

use mpd_domain::{Ente, TipoDovuto};

use crate::error::EmulatorError;

/// Password of the demo Ente.
pub const DEMO_PASSWORD: &str = "demo";

/// PU client secret of the demo Ente.
pub const DEMO_CLIENT_SECRET: &str = "demo-segreto-pu";

/// PU's client id of an Ente: `<IPA code><clientName>` (spec §1.2).
pub fn client_id_predefinito(cod_ipa: &str) -> String {
    format!("{cod_ipa}SIL_MyPayDesk")
}

/// One Ente as MyPay knows it.
#[derive(Clone, Debug)]
pub struct EnteConfig {
    pub ente: Ente,
    pub tipi: Vec<TipoDovuto>,
    /// Clear text, as MyPay stores it; `None` (or blank) accepts requests without a password.
    pub password: Option<String>,
    /// `INSERITO`, `PRE-ESERCIZIO` or `ESERCIZIO`.
    pub stato: String,
    /// PU's client credentials of the Ente (`client_id`, `client_secret` under `[ente]`);
    /// default `<codIpa>SIL_MyPayDesk` and no secret (PU refuses every token).
    pub client_id: String,
    pub client_secret: Option<String>,
}

impl EnteConfig {
    /// Reads a profile file.
    pub fn from_file(path: &Path) -> Result<EnteConfig, EmulatorError> {
        let text = std::fs::read_to_string(path).map_err(|e| EmulatorError::Config {
            file: path.display().to_string(),
            message: e.to_string(),
        })?;
        EnteConfig::from_toml(&text).map_err(|e| match e {
            EmulatorError::Config { message, .. } => EmulatorError::Config {
                file: path.display().to_string(),
                message,
            },
            other => other,
        })
    }

    /// Parses a profile file's text.
    pub fn from_toml(text: &str) -> Result<EnteConfig, EmulatorError> {
        let parsed = mpd_core::ente_file::parse(text).map_err(|e| EmulatorError::Config {
            file: String::new(),
            message: e.to_string(),
        })?;
        let extra: serde_json::Value =
            serde_json::from_str(&parsed.extra_json).unwrap_or(serde_json::Value::Null);
        let stato = extra
            .get("stato")
            .and_then(|v| v.as_str())
            .unwrap_or("ESERCIZIO")
            .to_string();
        let testo = |k: &str| extra.get(k).and_then(|v| v.as_str()).map(String::from);
        Ok(EnteConfig {
            client_id: testo("client_id")
                .unwrap_or_else(|| client_id_predefinito(&parsed.ente.codice_ipa)),
            client_secret: testo("client_secret"),
            ente: parsed.ente,
            tipi: parsed.tipi,
            password: parsed.password,
            stato,
        })
    }

    /// The demo Ente (`c_demo`, password `demo`) with the backbone's sample payment types.
    pub fn demo() -> EnteConfig {
        let ente = mpd_core::debts::demo_ente();
        EnteConfig {
            client_id: client_id_predefinito(&ente.codice_ipa),
            client_secret: Some(DEMO_CLIENT_SECRET.to_string()),
            ente,
            tipi: mpd_core::synth::tipi_demo(),
            password: Some(DEMO_PASSWORD.to_string()),
            stato: "ESERCIZIO".to_string(),
        }
    }

    /// PU's client credentials check (exact, as an OAuth2 server).
    pub fn client_ok(&self, id: &str, secret: &str) -> bool {
        self.client_id == id
            && self
                .client_secret
                .as_deref()
                .is_some_and(|s| !s.is_empty() && s == secret)
    }

    /// The active payment type with this code (MyPay filters inactive ones out).
    pub fn tipo_attivo(&self, codice: &str) -> Option<&TipoDovuto> {
        self.tipi.iter().find(|t| t.codice == codice && t.attivo)
    }

    /// MyPay's `verificaPassword`: both sides trimmed, blank equals absent, plain equality.
    pub fn password_ok(&self, given: Option<&str>) -> bool {
        let strip = |s: Option<&str>| s.map(str::trim).filter(|s| !s.is_empty()).map(String::from);
        strip(self.password.as_deref()) == strip(given)
    }
}
