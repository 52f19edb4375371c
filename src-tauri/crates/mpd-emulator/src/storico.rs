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

use crate::datatypes::{format_xsd_datetime, parse_xsd_datetime};
use crate::db;
use crate::operation::{OpResult, business};
use crate::single::{pagati_xml, richiesta_pagatore};
use crate::soap::{Reply, Request};
use crate::state::State;
use crate::xml::esc;

pub fn storico(state: &State, req: &Request) -> OpResult {
    const OP: &str = "paaSILChiediStoricoPagamenti";
    let b = &req.body;
    let (admin, filter, codice) = richiesta_pagatore(state, OP, b)?;
    let codice = codice.as_str();
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
