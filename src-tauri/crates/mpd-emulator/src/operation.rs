//! What every SOAP operation shares: how it stops early ([`Failure`], [`OpResult`], business
//! faults), the Ente named by the header, MyPay's Ente/password check (`verificaEnte`), and the
//! MyBox download URLs it answers. The operations themselves are in `ops` (flows and the
//! dispatch), `single`, `cart`, `scaduti` and `storico`, all above this module.

use crate::config::EnteConfig;
use crate::soap::{Fault, Reply, Request};
use crate::state::State;

/// How an operation stops early.
pub enum Failure {
    /// A business fault, in the body, HTTP 200.
    Business(Box<Reply>),
    /// An exception: SOAP Fault, HTTP 500.
    Soap(String),
}

impl Failure {
    pub fn reply(r: Reply) -> Failure {
        Failure::Business(Box::new(r))
    }
}

impl From<crate::error::EmulatorError> for Failure {
    fn from(e: crate::error::EmulatorError) -> Self {
        Failure::Soap(e.to_string())
    }
}

pub type OpResult = Result<Reply, Failure>;

pub fn business(op: &str, code: &str, string: impl Into<String>, id: &str) -> Failure {
    Failure::reply(Reply::fault(op, Fault::new(code, string, id)))
}

/// The Ente named by the header (a missing header is a NullPointerException in MyPay).
pub fn header_ipa(req: &Request) -> Result<&str, Failure> {
    req.header_cod_ipa
        .as_deref()
        .ok_or_else(|| Failure::Soap("java.lang.NullPointerException".into()))
}

/// MyPay's `verificaEnte` (spec §2.3): Ente by exact IPA code, optionally its state, then the
/// password. `reply` builds the fault reply (some operations add `esito` = `KO`).
pub fn verifica_ente<'s>(
    state: &'s State,
    op: &str,
    cod_ipa: &str,
    password: Option<&str>,
    check_state: bool,
) -> Result<(&'s EnteConfig, i64), Fault> {
    let Some((ente, id)) = state.ente(cod_ipa) else {
        return Err(Fault::new(
            "PAA_ENTE_NON_VALIDO",
            format!("Codice IPA Ente [{cod_ipa}] non valido o password errata"),
            cod_ipa,
        ));
    };
    if check_state && ente.stato == "INSERITO" {
        return Err(Fault::new(
            "PAA_ENTE_NON_VALIDO",
            format!("Stato Ente non valido: {}", ente.stato),
            cod_ipa,
        ));
    }
    // PU's SOAP takes a Bearer token instead; the body's password is not read (spec §1.2).
    if !con_bearer() && !ente.password_ok(password) {
        return Err(Fault::new(
            "PAA_ENTE_NON_VALIDO",
            format!("Password non valida per ente [{cod_ipa}]"),
            cod_ipa,
        ));
    }
    let _ = op;
    Ok((ente, id))
}

std::thread_local! {
    /// The request being served came with a valid PU Bearer token (set by the PU route for
    /// the duration of one SOAP call, on the blocking thread that serves it).
    static BEARER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Serves `f` as a request authenticated by a PU Bearer token.
pub fn servi_con_bearer<T>(f: impl FnOnce() -> T) -> T {
    BEARER.with(|b| b.set(true));
    let out = f();
    BEARER.with(|b| b.set(false));
    out
}

fn con_bearer() -> bool {
    BEARER.with(|b| b.get())
}

/// `<base>/public/mybox/download/{id}?type=…&securityToken=…&filename=…`; on PU the
/// fileshare's Bearer-protected `<base>/pu/fileshare/download/{id}?…`.
pub fn download_url(state: &State, kind: &str, ente_id: i64, filename: &str) -> String {
    let token = state
        .tokens
        .download(kind, ente_id, filename, state.download_ttl());
    let path = if state.piattaforma() == crate::piattaforma::Piattaforma::Pu {
        "pu/fileshare/download"
    } else {
        "public/mybox/download"
    };
    format!(
        "{}/{path}/{ente_id}?type={kind}&securityToken={token}&filename={}",
        state.base_url,
        percent_encode(filename)
    )
}

/// Encodes what a query value cannot carry as is (names are ASCII; `/` stays readable).
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
