//! `paaSILChiediStoricoPagamenti` (spec §2.5.12): the payment history of a person.
//!
//! As `paaSILChiediPosizioniAperte`, the password checked is the admin Ente's
//! (`pa.codIpaEntePredefinito`, `fault.id` = that code) and `codIpaEnte` only filters. The
//! window is `[dataFrom, dataTo)` on the payment date and time (`dataTo` absent ⇒ now), and the
//! `dateTo` used is answered, to chain calls. Each payment is answered with its
//! `PagatiConRicevuta` XML in **single** base64 (`ctPagatiConRicevuta`), its receipt (`rt`),
//! and the Ente's code and name.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;

use crate::State;
use crate::db;
use crate::ops::{
    Failure, OpResult, business, format_xsd_datetime, parse_xsd_datetime, verifica_ente,
};
use crate::single::{pagati_xml, t};
use crate::soap::{Reply, Request};
use crate::xml::esc;

pub fn storico(state: &State, req: &Request) -> OpResult {
    const OP: &str = "paaSILChiediStoricoPagamenti";
    let b = &req.body;
    let admin = state
        .options
        .admin_ente
        .clone()
        .unwrap_or_else(|| state.enti[0].ente.codice_ipa.clone());
    verifica_ente(state, OP, &admin, b.text_of("password"), false)
        .map_err(|f| Failure::reply(Reply::fault(OP, f)))?;
    let filter = match b
        .text_of("codIpaEnte")
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(ipa) => match state.ente(ipa) {
            Some((_, id)) => Some(id),
            None => {
                return Err(business(
                    OP,
                    "PAA_ENTE_NON_VALIDO",
                    format!("Codice IPA Ente [{ipa}] non valido"),
                    &admin,
                ));
            }
        },
        None => None,
    };
    let person = b.child("identificativoUnivocoPersonaFG");
    let tipo = person
        .map(|p| t(p, "tipoIdentificativoUnivoco"))
        .unwrap_or("");
    if tipo != "F" && tipo != "G" {
        return Err(business(
            OP,
            "PAA_TIPO_IDENTIFICATIVO_PAGATORE_NON_VALIDO",
            "Tipo identificativo pagatore non valido",
            &admin,
        ));
    }
    let codice = person
        .map(|p| t(p, "codiceIdentificativoUnivoco"))
        .unwrap_or("");
    if codice.is_empty() {
        return Err(business(
            OP,
            "PAA_CODICE_IDENTIFICATIVO_PAGATORE_NON_PRESENTE",
            "Codice identificativo pagatore non presente",
            &admin,
        ));
    }
    let from = parse_xsd_datetime(b.text_of("dataFrom"));
    let to = match b.text_of("dataTo").map(str::trim).filter(|s| !s.is_empty()) {
        None => Some(state.now()),
        s => parse_xsd_datetime(s),
    };
    let (Some(from), Some(to)) = (from, to) else {
        return Err(business(
            OP,
            "PAA_INTERVALLO_DATE_NON_VALIDO",
            "L'intervallo data inizio e data fine non è valido",
            &admin,
        ));
    };
    if to < from {
        return Err(business(
            OP,
            "PAA_INTERVALLO_DATE_NON_VALIDO",
            "L'intervallo data inizio e data fine non è valido",
            &admin,
        ));
    }
    let conn = state.lock_db();
    let items = db::payments_of_person(&conn, codice, filter, &db::ts(from), &db::ts(to))?;
    let mut reply = Reply::new(OP).field("dateTo", &format_xsd_datetime(to));
    for (p, d) in items {
        let Some(ente) = state.ente_by_id(p.ente_id) else {
            continue;
        };
        let rt = B64.encode(p.rt.as_bytes());
        let xml = pagati_xml(&ente.ente, &[(p, d)], true);
        reply = reply.raw(&format!(
            "<paaSILStoricoPagamenti><ctPagatiConRicevuta>{}</ctPagatiConRicevuta><rt>{rt}</rt>\
             <codIpaEnte>{}</codIpaEnte><deNomeEnte>{}</deNomeEnte></paaSILStoricoPagamenti>",
            B64.encode(xml.as_bytes()),
            esc(&ente.ente.codice_ipa),
            esc(&ente.ente.denominazione),
        ));
    }
    Ok(reply)
}
