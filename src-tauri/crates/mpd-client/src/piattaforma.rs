//! The platform behind a connection (issue 15, spec `piattaforma-unitaria.md` §1.2):
//!
//! * `mypay`: MyPay as today (SOAP at `URL/ws/pa/`, password in the body, MyBox upload);
//! * `aria`: MyPay's SOAP through Regione Lombardia's middleware (ARIA): the same paths and
//!   password at its own host; behind it PU may answer — tracciato 1_4 refused with
//!   `PAA_IMPORT_FILE_VERSIONE_ERR`, PU's states (`WAITING_FILE`, `WARNING`, …), operations PU
//!   lacks answered with a fault;
//! * `pu`: PU's own SOAP: an OAuth2 token (client id and secret) as `Authorization: Bearer`
//!   on every call, upload and download; the upload as multipart to PU's fileshare.
//!
//! Much of PU was read from code that is still moving, so every path, part name, limit and
//! version rule is a setting ([`OpzioniPiattaforma::carica`]) whose default is the spec's
//! finding; `Desk` settings `piattaforma.<nome>.<chiave>` override them.

use std::fmt;
use std::time::Duration;

use mpd_core::Desk;
use mpd_domain::Version;

/// Setting key of the platform.
pub const SETTING_PIATTAFORMA: &str = "mypay.piattaforma";
/// Environment variables of PU's client credentials for headless runs.
pub const ENV_CLIENT_ID: &str = "MYPAY_DESK_CLIENT_ID";
pub const ENV_CLIENT_SECRET: &str = "MYPAY_DESK_CLIENT_SECRET";
/// Setting: tracciato versions a server was seen refusing (`PAA_IMPORT_FILE_VERSIONE_ERR`),
/// comma-separated; the next flows avoid them.
pub const SETTING_VERSIONI_RIFIUTATE_OSSERVATE: &str = "mypay.versioni_rifiutate_osservate";

/// The platform a connection talks to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Piattaforma {
    #[default]
    Mypay,
    Aria,
    Pu,
}

impl Piattaforma {
    pub const TUTTE: [Piattaforma; 3] = [Piattaforma::Mypay, Piattaforma::Aria, Piattaforma::Pu];

    pub fn parse(s: &str) -> Option<Piattaforma> {
        match s.trim().to_ascii_lowercase().as_str() {
            "mypay" => Some(Piattaforma::Mypay),
            "aria" | "middleware" => Some(Piattaforma::Aria),
            "pu" | "piattaforma-unitaria" => Some(Piattaforma::Pu),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Piattaforma::Mypay => "mypay",
            Piattaforma::Aria => "aria",
            Piattaforma::Pu => "pu",
        }
    }

    /// The platform in the clerk's words.
    pub fn label_it(self) -> &'static str {
        match self {
            Piattaforma::Mypay => "MyPay",
            Piattaforma::Aria => "MyPay tramite il middleware regionale (ARIA)",
            Piattaforma::Pu => "Piattaforma Unitaria (PU)",
        }
    }

    /// PU may be behind it (its states, refusals and missing operations).
    pub fn pu_possibile(self) -> bool {
        !matches!(self, Piattaforma::Mypay)
    }
}

impl fmt::Display for Piattaforma {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The stored platform (default `mypay`), or the one asked for.
pub fn resolve(desk: &Desk, asked: Option<&str>) -> Result<Piattaforma, String> {
    let text = match asked {
        Some(a) => Some(a.to_string()),
        None => desk
            .setting(SETTING_PIATTAFORMA)
            .map_err(|e| e.to_string())?,
    };
    match text {
        None => Ok(Piattaforma::Mypay),
        Some(t) => Piattaforma::parse(&t).ok_or(t),
    }
}

/// Setting key of PU's client id of an environment (not a secret: it names the Ente's client).
pub fn client_id_key(ambiente: &str) -> String {
    format!("mypay.{ambiente}.client_id")
}

/// Every configurable finding of the spec, per platform.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpzioniPiattaforma {
    pub piattaforma: Piattaforma,
    /// SOAP path under the base URL (`/ws/pa/`; PU: `/pu/sil/soap/payments/…`).
    pub percorso_soap: String,
    /// PU's token path under the base URL (parameters in the query string).
    pub percorso_token: String,
    /// Name of the multipart part carrying the file (`file` at MyBox, `ingestionFlowFile` at PU).
    pub parte_file: String,
    /// Largest upload the platform takes, in bytes (MyPay 10 MB, ARIA 100 MB, PU 50 MB).
    pub limite_caricamento: u64,
    /// Tracciato versions the platform refuses (ARIA: 1_4 and 1_5, no conversion to 2.0 yet).
    pub versioni_rifiutate: Vec<String>,
    /// Version of new flows when none is asked (MyPay: 1_4; where 1_4 is refused: 1_3).
    pub versione_predefinita: Version,
    /// A token is renewed this long before it expires (at most half its life).
    pub margine_token: Duration,
}

const MB: u64 = 1024 * 1024;

impl OpzioniPiattaforma {
    /// The spec's findings (December 2026).
    pub fn predefinite(p: Piattaforma) -> OpzioniPiattaforma {
        let (soap, parte, limite, rifiutate, versione): (&str, &str, u64, &[&str], Version) =
            match p {
                Piattaforma::Mypay => ("/ws/pa/", "file", 10 * MB, &[], Version::V1_4),
                // ARIA-MW §11: multipart limit 100 MB; `UpdateFilePuService`: 1_0…1_3 only.
                Piattaforma::Aria => ("/ws/pa/", "file", 100 * MB, &["1_4", "1_5"], Version::V1_3),
                // PU-fileshare: part `ingestionFlowFile`, 50 MB; PU accepts 1_0…1_4 and 2_0.
                Piattaforma::Pu => (
                    "/pu/sil/soap/payments/PagamentiTelematiciDovutiPagati",
                    "ingestionFlowFile",
                    50 * MB,
                    &[],
                    Version::V1_3,
                ),
            };
        OpzioniPiattaforma {
            piattaforma: p,
            percorso_soap: soap.to_string(),
            percorso_token: "/pu/auth/oauth/token".to_string(),
            parte_file: parte.to_string(),
            limite_caricamento: limite,
            versioni_rifiutate: rifiutate.iter().map(|s| s.to_string()).collect(),
            versione_predefinita: versione,
            margine_token: Duration::from_secs(60),
        }
    }

    /// The defaults overridden by the settings `piattaforma.<nome>.<chiave>`: `percorso_soap`,
    /// `percorso_token`, `parte_file`, `limite_caricamento_mb`, `versioni_rifiutate`
    /// (comma-separated), `versione_predefinita`, `margine_token_s`. A setting that does not
    /// read keeps the default (and is logged).
    pub fn carica(desk: &Desk, p: Piattaforma) -> OpzioniPiattaforma {
        let mut o = OpzioniPiattaforma::predefinite(p);
        let get = |k: &str| {
            desk.setting(&format!("piattaforma.{}.{k}", p.as_str()))
                .ok()
                .flatten()
                .map(|v| v.trim().to_string())
        };
        let male = |k: &str, v: &str| {
            tracing::warn!(
                chiave = k,
                valore = v,
                "impostazione della piattaforma ignorata"
            );
        };
        if let Some(v) = get("percorso_soap").filter(|v| v.starts_with('/')) {
            o.percorso_soap = v;
        }
        if let Some(v) = get("percorso_token").filter(|v| v.starts_with('/')) {
            o.percorso_token = v;
        }
        if let Some(v) = get("parte_file").filter(|v| !v.is_empty()) {
            o.parte_file = v;
        }
        if let Some(v) = get("limite_caricamento_mb") {
            match v.parse::<u64>() {
                Ok(n) if n > 0 => o.limite_caricamento = n * MB,
                _ => male("limite_caricamento_mb", &v),
            }
        }
        if let Some(v) = get("versioni_rifiutate") {
            o.versioni_rifiutate = v
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect();
        }
        if let Some(v) = get("versione_predefinita") {
            match Version::parse(&v) {
                Some(ver) => o.versione_predefinita = ver,
                None => male("versione_predefinita", &v),
            }
        }
        if let Some(v) = get("margine_token_s") {
            match v.parse::<u64>() {
                Ok(n) => o.margine_token = Duration::from_secs(n),
                _ => male("margine_token_s", &v),
            }
        }
        o
    }

    /// The platform refuses this version (its setting, or a server seen refusing it).
    pub fn rifiuta(&self, v: Version, osservate: &[String]) -> bool {
        let s = v.as_str();
        self.versioni_rifiutate.iter().any(|r| r == s) || osservate.iter().any(|r| r == s)
    }
}

/// Versions a server was seen refusing (recorded by the engine).
pub fn versioni_osservate(desk: &Desk) -> Vec<String> {
    desk.setting(SETTING_VERSIONI_RIFIUTATE_OSSERVATE)
        .ok()
        .flatten()
        .map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

/// Records that a server refused `versione` (once).
pub fn registra_versione_rifiutata(desk: &Desk, versione: &str) {
    let mut v = versioni_osservate(desk);
    if !v.iter().any(|x| x == versione) {
        v.push(versione.to_string());
        if let Err(e) = desk.set_setting(SETTING_VERSIONI_RIFIUTATE_OSSERVATE, &v.join(",")) {
            tracing::warn!("versione rifiutata non registrata: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_spec_findings_and_settings_override_them() {
        let desk = Desk::in_memory().unwrap();
        assert_eq!(resolve(&desk, None).unwrap(), Piattaforma::Mypay);
        assert!(resolve(&desk, Some("marte")).is_err());
        let pu = OpzioniPiattaforma::carica(&desk, Piattaforma::Pu);
        assert_eq!(pu.parte_file, "ingestionFlowFile");
        assert_eq!(pu.limite_caricamento, 50 * MB);
        assert_eq!(pu.versione_predefinita, Version::V1_3);
        let aria = OpzioniPiattaforma::carica(&desk, Piattaforma::Aria);
        assert!(aria.rifiuta(Version::V1_4, &[]));
        assert!(!aria.rifiuta(Version::V1_3, &[]));
        desk.set_setting("piattaforma.pu.parte_file", "file")
            .unwrap();
        desk.set_setting("piattaforma.pu.limite_caricamento_mb", "7")
            .unwrap();
        desk.set_setting("piattaforma.pu.versione_predefinita", "x")
            .unwrap();
        let pu = OpzioniPiattaforma::carica(&desk, Piattaforma::Pu);
        assert_eq!(pu.parte_file, "file");
        assert_eq!(pu.limite_caricamento, 7 * MB);
        assert_eq!(pu.versione_predefinita, Version::V1_3);
        let mypay = OpzioniPiattaforma::carica(&desk, Piattaforma::Mypay);
        assert!(!mypay.rifiuta(Version::V1_4, &[]));
        registra_versione_rifiutata(&desk, "1_4");
        registra_versione_rifiutata(&desk, "1_4");
        assert_eq!(versioni_osservate(&desk), vec!["1_4".to_string()]);
        assert!(mypay.rifiuta(Version::V1_4, &versioni_osservate(&desk)));
    }
}
