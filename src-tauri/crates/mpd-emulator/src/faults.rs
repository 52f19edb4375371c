//! Fault injection for tests and demos, set by flags at start or at run time through
//! `GET`/`PUT /sim/faults` (JSON of [`FaultConfig`]).
//!
//! Every random decision is drawn from one RNG seeded with [`FaultConfig::seed`], in request
//! order, so a failing run can be replayed with the same seed (setting the faults again
//! restarts the sequence). Faults touch only MyPay's own paths (`/ws`, `/public`), never `/sim`.

use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

/// What can go wrong, and how often (rates are 0.0–1.0).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultConfig {
    /// Seed of the decisions below.
    pub seed: u64,
    /// Added to every response of MyPay's paths.
    pub latency_ms: u64,
    /// Share of requests answered with an HTTP error instead of being served.
    pub http_error_rate: f64,
    /// The status of those errors: 500 or 503 (default 503).
    pub http_error_status: Option<u16>,
    /// Share of uploads whose connection is dropped after part of the body was read.
    pub drop_upload_rate: f64,
    /// Share of downloads whose connection is dropped mid-body.
    pub drop_download_rate: f64,
    /// Share of downloads that serve a zip cut in half (with a consistent Content-Length).
    pub truncate_zip_rate: f64,
    /// Lifetime of new upload and download tokens, in seconds, instead of 1 h / 2 h.
    pub token_ttl_secs: Option<i64>,
    /// Imports and exports wait this long before the batch picks them up.
    pub stuck_secs: u64,
    /// After processing, an import stays `IMPORT_IN_ELAB` and its flow `LOAD_FLOW` this long,
    /// as in MyPay with the pagoPA GPD sync enabled (spec §6.1); meanwhile another file with
    /// the same IUF is refused with `PAA_IMPORT_FLUSSO_IN_CARICAMENTO`.
    pub sync_secs: u64,
    /// PU (issue 15): a token stops working after this many seconds, whatever its `expires_in`
    /// says (a token revoked or expired early: the client must renew it on a 401).
    pub pu_token_ttl_secs: Option<i64>,
    /// aria/pu: the next N imports end in `ERROR_LOAD` (a file-level error).
    pub import_in_errore: u32,
    /// aria/pu: the next N export bookings end `EXPORT_CANCELLATO`.
    pub export_annullati: u32,
    /// Anomalies planted in the next FdR acquired from the simulated payments (issue 16),
    /// each once: it leaves this list when planted (`GET /sim/fdr` says where).
    pub fdr_anomalie: Vec<AnomaliaFdr>,
}

/// An anomaly the emulator can plant in the FdR it builds from the simulated payments (spec
/// riconciliazione §7.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnomaliaFdr {
    /// A flow never published: its payments are settled (the treasury sees the transfer) but
    /// never reported.
    Mancante,
    /// A row reported with another amount than the payment's.
    ImportoDiverso,
    /// A payment reported twice (a second row with the same IUV, IUR and index).
    Doppio,
    /// A row with esito 9 (paid without RPT) for an IUV of the Ente with no payment here.
    Esito9,
    /// A row for an IUV the Ente never issued.
    IuvSconosciuto,
    /// A flow published again: same IUF, a later `dataOraFlusso` (the next morning), acquired
    /// at the following midnight.
    Ripubblicato,
    /// A flow addressed to another Ente (another receiver codice fiscale), as a PSP's mistake
    /// would: listed and downloadable, refused by the import as MyPivot refuses it.
    AltroEnte,
}

impl AnomaliaFdr {
    pub const TUTTE: [AnomaliaFdr; 7] = [
        AnomaliaFdr::Mancante,
        AnomaliaFdr::ImportoDiverso,
        AnomaliaFdr::Doppio,
        AnomaliaFdr::Esito9,
        AnomaliaFdr::IuvSconosciuto,
        AnomaliaFdr::Ripubblicato,
        AnomaliaFdr::AltroEnte,
    ];

    /// Its name (`mancante`, `importo_diverso`…), as flags and JSON write it.
    pub fn nome(self) -> &'static str {
        match self {
            AnomaliaFdr::Mancante => "mancante",
            AnomaliaFdr::ImportoDiverso => "importo_diverso",
            AnomaliaFdr::Doppio => "doppio",
            AnomaliaFdr::Esito9 => "esito9",
            AnomaliaFdr::IuvSconosciuto => "iuv_sconosciuto",
            AnomaliaFdr::Ripubblicato => "ripubblicato",
            AnomaliaFdr::AltroEnte => "altro_ente",
        }
    }

    /// The anomaly named (`-` and `_` alike).
    pub fn parse(s: &str) -> Option<AnomaliaFdr> {
        let s = s.trim().to_ascii_lowercase().replace('-', "_");
        AnomaliaFdr::TUTTE.into_iter().find(|a| a.nome() == s)
    }
}

/// One decision for a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Serve,
    HttpError(u16),
    Drop,
    Truncate,
}

/// The live configuration and its RNG.
pub struct Faults {
    pub config: FaultConfig,
    rng: StdRng,
}

/// What kind of request asks for a decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Soap,
    Upload,
    Download,
    Other,
}

impl Faults {
    pub fn new(config: FaultConfig) -> Faults {
        let rng = StdRng::seed_from_u64(config.seed);
        Faults { config, rng }
    }

    pub fn set(&mut self, config: FaultConfig) {
        *self = Faults::new(config);
    }

    pub fn latency(&self) -> Duration {
        Duration::from_millis(self.config.latency_ms)
    }

    fn roll(&mut self, rate: f64) -> bool {
        rate > 0.0 && self.rng.random::<f64>() < rate
    }

    /// Decides the fate of one request.
    pub fn decide(&mut self, kind: Kind) -> Decision {
        if self.roll(self.config.http_error_rate) {
            let status = match self.config.http_error_status {
                Some(500) => 500,
                _ => 503,
            };
            return Decision::HttpError(status);
        }
        match kind {
            Kind::Upload if self.roll(self.config.drop_upload_rate) => Decision::Drop,
            Kind::Download if self.roll(self.config.drop_download_rate) => Decision::Drop,
            Kind::Download if self.roll(self.config.truncate_zip_rate) => Decision::Truncate,
            _ => Decision::Serve,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_decisions() {
        let cfg = FaultConfig {
            seed: 42,
            http_error_rate: 0.3,
            drop_download_rate: 0.3,
            ..Default::default()
        };
        let run = |cfg: &FaultConfig| {
            let mut f = Faults::new(cfg.clone());
            (0..50)
                .map(|_| f.decide(Kind::Download))
                .collect::<Vec<_>>()
        };
        assert_eq!(run(&cfg), run(&cfg));
        assert!(run(&cfg).contains(&Decision::HttpError(503)));
        assert!(
            run(&FaultConfig::default())
                .iter()
                .all(|d| *d == Decision::Serve)
        );
    }
}
