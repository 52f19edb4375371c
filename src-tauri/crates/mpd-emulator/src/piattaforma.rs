//! Which platform the emulator plays (issue 15, spec `piattaforma-unitaria.md` §1.2), and the
//! in-memory state of PU's differences:
//!
//! * `mypay`: MyPay as it is (the rest of the crate);
//! * `aria`: Regione Lombardia's middleware with the Ente moved to PU: MyPay's SOAP paths and
//!   password, the upload at `/api/upload/flusso` refusing the versions PU cannot take yet
//!   (`PAA_IMPORT_FILE_VERSIONE_ERR`), PU's states, PU's rule on reused names, and the
//!   operations PU lacks answered with a fault;
//! * `pu`: PU's own SOAP at `/pu/sil/soap/payments/PagamentiTelematiciDovutiPagati` behind an
//!   OAuth2 Bearer token (`/pu/auth/oauth/token`, parameters in the query string), the upload
//!   as multipart to the fileshare (`ingestionFlowFile`, 50 MB), Bearer-protected downloads.
//!
//! Tokens and waiting requests live in memory only: a restarted emulator forgets them, as a
//! client must survive anyway. A leaf: it names no other module.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The platform played.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Piattaforma {
    #[default]
    Mypay,
    Aria,
    Pu,
}

impl Piattaforma {
    pub fn parse(s: &str) -> Option<Piattaforma> {
        match s.trim().to_ascii_lowercase().as_str() {
            "mypay" => Some(Piattaforma::Mypay),
            "aria" => Some(Piattaforma::Aria),
            "pu" => Some(Piattaforma::Pu),
            _ => None,
        }
    }

    /// PU is behind it: its states, name rule and missing operations.
    pub fn pu(self) -> bool {
        self != Piattaforma::Mypay
    }
}

/// PU's in-memory state.
#[derive(Default)]
pub struct StatoPu {
    /// Bearer tokens: the Ente's IPA code and the instant the token stops working.
    token: Mutex<HashMap<String, (String, Instant)>>,
    /// Requests authorised whose file has not arrived (`WAITING_FILE`): token → Ente id.
    attese: Mutex<HashMap<String, i64>>,
    /// Export bookings cancelled (`EXPORT_CANCELLATO`).
    export_annullate: Mutex<HashSet<String>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl StatoPu {
    /// A new token for `ipa`, valid `validita`.
    pub fn nuovo_token(&self, ipa: &str, validita: Duration) -> String {
        let t = format!("pu.{}", uuid::Uuid::new_v4().simple());
        lock(&self.token).insert(t.clone(), (ipa.to_string(), Instant::now() + validita));
        t
    }

    /// Every token issued, expired ones too.
    pub fn rilasciati(&self) -> Vec<String> {
        lock(&self.token).keys().cloned().collect()
    }

    /// The Ente of a valid token.
    pub fn verifica(&self, token: &str) -> Option<String> {
        let map = lock(&self.token);
        map.get(token)
            .filter(|(_, fino)| Instant::now() < *fino)
            .map(|(ipa, _)| ipa.clone())
    }

    pub fn attendi_file(&self, request_token: &str, ente_id: i64) {
        lock(&self.attese).insert(request_token.to_string(), ente_id);
    }

    /// The Ente of a request still waiting for its file.
    pub fn in_attesa(&self, request_token: &str) -> Option<i64> {
        lock(&self.attese).get(request_token).copied()
    }

    /// The file arrived: the request no longer waits.
    pub fn arrivato(&self, request_token: &str) {
        lock(&self.attese).remove(request_token);
    }

    pub fn annulla_export(&self, token: &str) {
        lock(&self.export_annullate).insert(token.to_string());
    }

    pub fn export_annullata(&self, token: &str) -> bool {
        lock(&self.export_annullate).contains(token)
    }
}

/// The tracciato version at the end of a flow's file name (`c_x-IUF-1_4.zip` → `1_4`), as
/// MyPay and PU read it.
pub fn versione_del_nome(file_name: &str) -> Option<&str> {
    let stem = file_name.strip_suffix(".zip").unwrap_or(file_name);
    stem.rsplit('-').next().filter(|v| v.contains('_'))
}
