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

/// One Ente as MyPay knows it.
#[derive(Clone, Debug)]
pub struct EnteConfig {
    pub ente: Ente,
    pub tipi: Vec<TipoDovuto>,
    /// Clear text, as MyPay stores it; `None` (or blank) accepts requests without a password.
    pub password: Option<String>,
    /// `INSERITO`, `PRE-ESERCIZIO` or `ESERCIZIO`.
    pub stato: String,
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
        Ok(EnteConfig {
            ente: parsed.ente,
            tipi: parsed.tipi,
            password: parsed.password,
            stato,
        })
    }

    /// The demo Ente (`c_demo`, password `demo`) with the backbone's sample payment types.
    pub fn demo() -> EnteConfig {
        EnteConfig {
            ente: mpd_core::debts::demo_ente(),
            tipi: mpd_core::synth::tipi_demo(),
            password: Some(DEMO_PASSWORD.to_string()),
            stato: "ESERCIZIO".to_string(),
        }
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
