//! `PagamentiTelematiciFlussiSPC` (spec riconciliazione §2.2, MyPivot's WSDL): the FdR an Ente
//! downloads from MyPay, at MyPay's `/ws/pa/` address in the namespace
//! `http://www.regione.veneto.it/pagamenti/pa/`, without the `intestazionePPT` header (the IPA
//! code is a body field).
//!
//! Quirks reproduced (§2.4):
//!
//! * the list filters on the day MyPay *acquired* the flow (`dt_creazione`), from `dateFrom`
//!   00:00 to `dateTo` **plus one day** 00:00, both included; an empty PSP means every PSP;
//!   `dataOraFlusso` comes back without zone nor milliseconds and the PSP not at all;
//! * date errors reuse `PAA_ENTE_NON_VALIDO`; a `tipoFlusso` other than exactly `R` or `Q` is the
//!   FESP's `PAA_SYSTEM_ERROR` copied into the answer, with an empty list;
//! * the flow is looked up by exact PSP (an empty one never matches; `Q` ignores it), IUF and
//!   timestamp (a value with milliseconds matches nothing); not found is `stato` `KO` with no
//!   `downloadUrl` although the WSDL requires it; the FESP's fault for a bad `tipoFlusso` is
//!   dropped and `stato` comes back empty;
//! * any other exception is `CODE_PAA_ERRORE_INTERNO` (with the `CODE_` prefix), "Errore
//!   interno a pa", serial 1 (and `stato` `KO` for a flow);
//! * the link is MyBox's `…/public/mybox/download/{mygovEnteId}?type=FLUSSI_RENDIC|FLUSSI_QUADR`
//!   with a JWT bound to `type|id|filename`, valid 2 hours; the file is the raw XML.

use chrono::{Duration, NaiveDateTime};

use crate::datatypes::{parse_xsd_date, parse_xsd_datetime};
use crate::db;
use crate::operation::{Failure, OpResult, download_url, verifica_ente};
use crate::rendicontazione;
use crate::soap::{Fault, Reply, Request};
use crate::state::State;

pub const ELENCO: &str = "paaSILChiediElencoFlussiSPC";
pub const FLUSSO: &str = "paaSILChiediFlussoSPC";

fn errore_interno(ipa: &str) -> Fault {
    let mut f = Fault::new("CODE_PAA_ERRORE_INTERNO", "Errore interno a pa", ipa);
    f.serial = Some(1);
    f
}

/// `paaSILChiediElencoFlussiSPC`.
pub fn elenco(state: &State, req: &Request) -> OpResult {
    let b = &req.body;
    let ipa = b.text_of("codIpaEnte").unwrap_or("");
    let (_, ente_id) = verifica_ente(state, ELENCO, ipa, b.text_of("password"), true)
        .map_err(|f| Failure::reply(Reply::fault(ELENCO, f).in_pa()))?;
    let date_fault = |m: &str| {
        Failure::reply(Reply::fault(ELENCO, Fault::new("PAA_ENTE_NON_VALIDO", m, ipa)).in_pa())
    };
    let Some(from) = parse_xsd_date(b.text_of("dateFrom")) else {
        return Err(date_fault("Data inizio non valida"));
    };
    let Some(to) = parse_xsd_date(b.text_of("dateTo")) else {
        return Err(date_fault("Data fine non valida"));
    };
    if to < from {
        return Err(date_fault("Intervallo data Extraction non valida"));
    }
    let tipo = b.text_of("tipoFlusso").unwrap_or("");
    if tipo != "R" && tipo != "Q" {
        let f = Fault::new(
            "PAA_SYSTEM_ERROR",
            format!("tipo flusso non supportato: {tipo}"),
            "NODO_REGIONALE_CHIEDI_LISTA_FLUSSO_SPC",
        );
        return Ok(Reply::fault(ELENCO, f)
            .in_pa()
            .raw("<elencoFlussiSPC><totRestituiti>0</totRestituiti></elencoFlussiSPC>"));
    }
    let psp = b.text_of("identificativoPsp").unwrap_or("");
    let interno = || Failure::reply(Reply::fault(ELENCO, errore_interno(ipa)).in_pa());
    rendicontazione::acquisisci(state, ente_id, state.now()).map_err(|e| {
        tracing::warn!("emulatore, acquisizione dei flussi: {e}");
        interno()
    })?;
    let (da, a) = (
        from.and_hms_opt(0, 0, 0).map(db::ts).unwrap_or_default(),
        (to + Duration::days(1))
            .and_hms_opt(0, 0, 0)
            .map(db::ts)
            .unwrap_or_default(),
    );
    let flussi = db::elenco_flussi_spc(&state.lock_db(), ente_id, tipo, psp, &da, &a)
        .map_err(|_| interno())?;
    let mut xml = format!(
        "<elencoFlussiSPC><totRestituiti>{}</totRestituiti>",
        flussi.len()
    );
    for f in &flussi {
        // Rebuilt from the stored timestamp: no zone, no milliseconds.
        let t = NaiveDateTime::parse_from_str(&f.data_ora_flusso, db::TS).map_err(|_| interno())?;
        xml.push_str(&format!(
            "<idSPC><identificativoFlusso>{}</identificativoFlusso><dataOraFlusso>{}</dataOraFlusso></idSPC>",
            crate::xml::esc(&f.iuf),
            t.format("%Y-%m-%dT%H:%M:%S")
        ));
    }
    xml.push_str("</elencoFlussiSPC>");
    Ok(Reply::new(ELENCO).in_pa().raw(&xml))
}

/// `paaSILChiediFlussoSPC`.
pub fn flusso(state: &State, req: &Request) -> OpResult {
    let b = &req.body;
    let ipa = b.text_of("codIpaEnte").unwrap_or("");
    let ko = |f: Fault| Failure::reply(Reply::fault(FLUSSO, f).in_pa().field("stato", "KO"));
    let (_, ente_id) =
        verifica_ente(state, FLUSSO, ipa, b.text_of("password"), true).map_err(ko)?;
    let tipo = b.text_of("tipoFlusso").unwrap_or("");
    if tipo != "R" && tipo != "Q" {
        // The FESP's fault is dropped by the SIL layer, which copies only the (null) stato.
        return Ok(Reply::new(FLUSSO).in_pa().field("stato", ""));
    }
    let psp = b.text_of("identificativoPsp").unwrap_or("");
    let iuf = b.text_of("identificativoFlusso").unwrap_or("");
    let Some(data_ora) = parse_xsd_datetime(b.text_of("dataOraFlusso")) else {
        return Ok(Reply::new(FLUSSO).in_pa().field("stato", "KO"));
    };
    // `?::timestamp`: an instant with milliseconds is another instant than the stored one.
    let esatta = if data_ora.and_utc().timestamp_subsec_nanos() == 0 {
        db::ts(data_ora)
    } else {
        data_ora.format("%Y-%m-%dT%H:%M:%S%.f").to_string()
    };
    let trovati = db::flusso_spc(&state.lock_db(), ente_id, tipo, psp, iuf, &esatta)
        .map_err(|_| ko(errore_interno(ipa)))?;
    match trovati.as_slice() {
        [] => Ok(Reply::new(FLUSSO).in_pa().field("stato", "KO")),
        [f] => {
            let kind = if tipo == "R" {
                "FLUSSI_RENDIC"
            } else {
                "FLUSSI_QUADR"
            };
            let url = download_url(state, kind, ente_id, &format!("/{}", f.file_rel));
            Ok(Reply::new(FLUSSO)
                .in_pa()
                .field("stato", "OK")
                .field("downloadUrl", &url))
        }
        // MyPay's DAO: "… is not unique", caught by the SIL layer.
        _ => Err(ko(errore_interno(ipa))),
    }
}
