//! Multi-Ente carts (spec §2.5.12): `paaSILInviaCarrelloDovuti` starts one web payment for
//! debts of several Enti, `paaSILChiediEsitoCarrelloDovuti` reports the outcome of each Ente's
//! cart.
//!
//! * The outer `password` is the calling Ente's (header), checked without the state check.
//! * Each `elementoListaDovuti` names an Ente and carries, instead of its password,
//!   `sha256Hex("paaSILInviaCarrelloDovuti-" + pa.identificativoIntermediarioPAPassword + "-" +
//!   codiceFiscaleEnte)` (64 hex digits, compared ignoring case); its `dovuti` pass the checks of
//!   `paaSILInviaDovuti`.
//! * Each Ente gets a cart of its own (an idSession, answered by `paaSILChiediPagati` too); the
//!   multi-Ente cart (`idSessionCarrello`) groups them and has one pretend-citizen page.
//! * The outcome's `esito` is the description of the cart's state as MyPay stores it
//!   (`NUOVO`, `PAGATO`, `TRANSAZIONE NON COMPLETATA`…); `pagati` (double base64
//!   `PagatiConRicevuta`) and `rt` only for a cart paid or closed.
//!   [QUIRK] MyPay never fills `codIdentificativoUnivocoCarrello`, which the WSDL calls
//!   mandatory: the emulator omits it too.
//! * `listaDovutiEntiSecondari` is read and its payloads XSD-checked, but the multi-beneficiary
//!   limits of the real service are not emulated.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use sha2::{Digest, Sha256};

use crate::db::{self, DovutoRec, Pagamento};
use crate::operation::{Failure, OpResult, header_ipa, verifica_ente};
use crate::single::{check_dovuti, decode_payload, insert_web_debts, ko, pagati_xml};
use crate::soap::{Fault, Reply, Request};
use crate::state::State;
use crate::xml::esc;
use crate::xsd;

/// What an `elementoListaDovuti` must carry as its password.
pub fn element_password(intermediario: &str, codice_fiscale_ente: &str) -> String {
    let digest = Sha256::digest(format!(
        "paaSILInviaCarrelloDovuti-{intermediario}-{codice_fiscale_ente}"
    ));
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// MyPay's description of a cart state (`anagrafica_stato`, tipo `carrel`).
pub fn de_stato_carrello(code: &str) -> &str {
    match code {
        "NUOVO_CARRELLO" => "NUOVO",
        "PAGATO" => "PAGATO",
        "NON_PAGATO" => "NON PAGATO",
        "PARZ_PAGATO" => "PARZIALMENTE PAGATO",
        "PAGAM_IN_CORSO" => "PAGAMENTO IN CORSO",
        "DECORR_TERM" => "DECORRENZA TERMINI",
        "DECORR_TERM_PARZ" => "DECORRENZA TERMINI PARZIALE",
        "ABORT" => "TRANSAZIONE NON COMPLETATA",
        "SCADUTO" => "CARRELLO SCADUTO",
        "SCADUTO_ELABORATO" => "SCADUTO ELABORATO",
        "PREDISPOSTO" => "PREDISPOSTO",
        other => other,
    }
}

pub fn invia_carrello(state: &State, req: &Request) -> OpResult {
    const OP: &str = "paaSILInviaCarrelloDovuti";
    let ipa = header_ipa(req)?;
    let b = &req.body;
    let (_, caller_id) =
        verifica_ente(state, OP, ipa, b.text_of("password"), false).map_err(|f| ko(OP, f))?;
    let elements: Vec<_> = b
        .child("listaDovuti")
        .map(|l| {
            l.children
                .iter()
                .filter(|c| c.ns.is_none() && c.name == "elementoListaDovuti")
                .collect()
        })
        .unwrap_or_default();
    if elements.is_empty() {
        return Err(ko(
            OP,
            Fault::new("PAA_XML_NON_VALIDO", "XML dei dovuti non valido", ipa)
                .with_description("listaDovuti vuota"),
        ));
    }
    if let Some(secondari) = b.child("listaDovutiEntiSecondari") {
        for el in &secondari.children {
            let payload = el.text_of("dovutiEntiSecondari").and_then(decode_payload);
            let verdict = payload
                .as_deref()
                .ok_or_else(|| "contenuto base64 non valido".to_string())
                .and_then(|x| xsd::validate(x, "DovutiEntiSecondari"));
            if let Err(detail) = verdict {
                return Err(ko(
                    OP,
                    Fault::new("PAA_XML_NON_VALIDO", "XML dei dovuti non valido", ipa)
                        .with_description(detail),
                ));
            }
        }
    }
    let intermediario = state.options.intermediario_password.as_str();
    let mut conn = state.lock_db();
    let mut per_ente = Vec::new();
    for el in elements {
        let cod = el.text_of("codIpaEnte").unwrap_or("").trim();
        let Some((ente, ente_id)) = state.ente(cod) else {
            return Err(ko(
                OP,
                Fault::new(
                    "PAA_ENTE_NON_VALIDO",
                    format!("Codice IPA Ente [{cod}] non valido o password errata"),
                    cod,
                ),
            ));
        };
        let expected = element_password(intermediario, &ente.ente.codice_fiscale);
        let given = el.text_of("password").unwrap_or("").trim();
        if !given.eq_ignore_ascii_case(&expected) {
            return Err(ko(
                OP,
                Fault::new(
                    "PAA_ENTE_NON_VALIDO",
                    format!("Password non valida per ente [{cod}]"),
                    cod,
                ),
            ));
        }
        if ente.stato == "INSERITO" {
            return Err(ko(
                OP,
                Fault::new("PAA_STATO_ENTE_NON_VALIDO", "Stato Ente non valido", cod),
            ));
        }
        let rows = check_dovuti(state, OP, cod, ente, ente_id, &conn, el.text_of("dovuti"))?;
        per_ente.push((ente.ente.codice_ipa.clone(), ente_id, rows));
    }
    let now = state.now();
    let back_url = b
        .text_of("enteSILInviaRispostaPagamentoUrl")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from);
    let id_carrello = crate::single::new_id_session();
    let landing = uuid::Uuid::new_v4().simple().to_string();
    db::transaction(&mut conn, |tx| {
        let mut sessioni = Vec::new();
        for (cod, ente_id, rows) in &per_ente {
            let ids = insert_web_debts(tx, *ente_id, cod, rows, now)?;
            let id_session = crate::single::new_id_session();
            db::insert_sessione(
                tx,
                &db::Sessione {
                    id_session: id_session.clone(),
                    ente_id: *ente_id,
                    stato: "NUOVO_CARRELLO".into(),
                    dovuti: ids,
                    back_url: back_url.clone(),
                    landing_id: uuid::Uuid::new_v4().simple().to_string(),
                },
                now,
            )?;
            sessioni.push(id_session);
        }
        db::insert_carrello(
            tx,
            &db::Carrello {
                id_session_carrello: id_carrello.clone(),
                ente_id: caller_id,
                sessioni,
                back_url: back_url.clone(),
                landing_id: landing.clone(),
            },
            now,
        )
    })?;
    Ok(Reply::new(OP)
        .field("esito", "OK")
        .field("idSessionCarrello", &id_carrello)
        .field("redirect", "1")
        .field(
            "url",
            &format!("{}/public/landing/inviaDovuti?id={landing}", state.base_url),
        ))
}

pub fn esito_carrello(state: &State, req: &Request) -> OpResult {
    const OP: &str = "paaSILChiediEsitoCarrelloDovuti";
    let b = &req.body;
    let ipa = b.text_of("codIpaEnte").unwrap_or("").trim();
    verifica_ente(state, OP, ipa, b.text_of("password"), true)
        .map_err(|f| Failure::reply(Reply::fault(OP, f)))?;
    let id = b.text_of("idSessionCarrello").unwrap_or("").trim();
    let conn = state.lock_db();
    let Some(c) = db::carrello(&conn, id)? else {
        // The id is "n/a" here, not the Ente's IPA code.
        return Err(Failure::reply(Reply::fault(
            OP,
            Fault::new(
                "PAA_ID_SESSION_NON_VALIDO",
                format!("idSession [{id}] non valido"),
                "n/a",
            ),
        )));
    };
    let mut lista = String::from("<listaCarrelli>");
    for sid in &c.sessioni {
        let Some(s) = db::sessione(&conn, sid)? else {
            continue;
        };
        let Some(ente) = state.ente_by_id(s.ente_id) else {
            continue;
        };
        lista.push_str("<rispostaCarrello>");
        lista.push_str(&format!(
            "<esito>{}</esito><codIpaEnte>{}</codIpaEnte>",
            esc(de_stato_carrello(&s.stato)),
            esc(&ente.ente.codice_ipa)
        ));
        if matches!(
            s.stato.as_str(),
            "PAGATO" | "NON_PAGATO" | "DECORR_TERM" | "DECORR_TERM_PARZ"
        ) {
            let mut items: Vec<(Pagamento, DovutoRec)> = Vec::new();
            for did in &s.dovuti {
                if let Some(d) = db::dovuto(&conn, *did)? {
                    for p in db::pagamenti_of_dovuto(&conn, d.id)? {
                        items.push((p, d.clone()));
                    }
                }
            }
            if !items.is_empty() {
                let xml = pagati_xml(&ente.ente, &items, true);
                // [QUIRK] double base64, as for paaSILChiediPagati.
                lista.push_str(&format!(
                    "<pagati>{}</pagati><rt>{}</rt>",
                    B64.encode(B64.encode(xml.as_bytes())),
                    B64.encode(items[0].0.rt.as_bytes())
                ));
            }
        }
        lista.push_str("</rispostaCarrello>");
    }
    lista.push_str("</listaCarrelli>");
    Ok(Reply::new(OP).raw(&lista))
}
