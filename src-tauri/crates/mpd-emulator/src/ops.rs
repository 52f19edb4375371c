//! The operations of `PagamentiTelematiciDovutiPagati` (spec §2.4, §2.5), dispatched on the
//! payload root element, with MyPay's checks in MyPay's order and its fault codes (§2.6).
//!
//! This module holds the dispatch and the flow operations (import authorisation and status,
//! export booking and status); the single-debt operations are in `single`, and what every
//! operation shares (failures, the Ente/password check) in `operation`, below them all.

use chrono::NaiveDate;

use crate::datatypes::{boolean, format_xsd_datetime, parse_xsd_date, parse_xsd_datetime};
use crate::db;
use crate::operation::{Failure, OpResult, business, download_url, header_ipa, verifica_ente};
use crate::piattaforma::Piattaforma;
use crate::soap::{self, EnvelopeError, Reply, Request};
use crate::state::State;
use crate::{cart, flussi_spc, scaduti, single, storico};

/// What the HTTP layer sends back.
pub enum Outcome {
    /// HTTP 200 with a response element (possibly carrying a business fault).
    Reply(Reply),
    /// HTTP 500 with a `SOAP-ENV:Fault` (an unhandled exception in MyPay).
    SoapFault { code: &'static str, message: String },
    /// HTTP 404, empty body: Spring-WS found no endpoint.
    NotFound,
    /// HTTP 400, empty body: not XML.
    BadRequest,
}

impl Outcome {
    /// Status code and body.
    pub fn into_http(self) -> (u16, String) {
        match self {
            Outcome::Reply(r) => (200, r.envelope()),
            Outcome::SoapFault { code, message } => (500, soap::soap_fault(code, &message)),
            Outcome::NotFound => (404, String::new()),
            Outcome::BadRequest => (400, String::new()),
        }
    }
}

/// Handles one SOAP request body.
pub fn handle(state: &State, body: &[u8]) -> Outcome {
    let Ok(text) = std::str::from_utf8(body) else {
        return Outcome::BadRequest;
    };
    let req = match soap::parse_request(text) {
        Ok(r) => r,
        Err(EnvelopeError::Xml(e)) => {
            tracing::debug!("SOAP non leggibile: {e}");
            return Outcome::BadRequest;
        }
        Err(EnvelopeError::VersionMismatch) => {
            return Outcome::SoapFault {
                code: "VersionMismatch",
                message: "Invalid SOAP Envelope: expected SOAP 1.1".into(),
            };
        }
        Err(EnvelopeError::NoBody) => {
            return Outcome::SoapFault {
                code: "Client",
                message: "SOAP Body mancante".into(),
            };
        }
        Err(EnvelopeError::NoEndpoint(root)) => {
            tracing::debug!("nessun endpoint per {root}");
            return Outcome::NotFound;
        }
    };
    // PagamentiTelematiciFlussiSPC: same address, its own namespace (MyPay and ARIA's
    // middleware, which forwards MyPay's `/ws` paths; PU's own SOAP has no such service).
    if req.ns == soap::PPT_PA {
        let result = match req.operation.as_str() {
            _ if state.piattaforma() == Piattaforma::Pu => return Outcome::NotFound,
            flussi_spc::ELENCO => flussi_spc::elenco(state, &req),
            flussi_spc::FLUSSO => flussi_spc::flusso(state, &req),
            _ => return Outcome::NotFound,
        };
        return esito(result);
    }
    if state.piattaforma().pu() {
        let op = req.operation.as_str();
        // PU's endpoint answers these with a fault (spec §1.2); the `…Scaduti` pair has no
        // `@PayloadRoot` in PU: a SOAP fault.
        if state
            .options
            .operazioni_non_supportate
            .iter()
            .any(|o| o == op)
        {
            let ipa = req.header_cod_ipa.clone().unwrap_or_default();
            return Outcome::Reply(Reply::fault(
                op,
                crate::soap::Fault::new(
                    "PAA_SYSTEM_ERROR",
                    format!("{op} non è una operazione supportata"),
                    &ipa,
                ),
            ));
        }
        if op.ends_with("ExportFlussoScaduti") {
            return Outcome::SoapFault {
                code: "Server",
                message: format!("No endpoint mapping found for {op}"),
            };
        }
    }
    let result = match req.operation.as_str() {
        "paaSILAutorizzaImportFlusso" => autorizza_import(state, &req),
        "paaSILChiediStatoImportFlusso" => stato_import(state, &req),
        "paaSILPrenotaExportFlusso" => prenota_export(state, &req, false),
        "paaSILPrenotaExportFlussoIncrementaleConRicevuta" => prenota_export(state, &req, true),
        "paaSILChiediStatoExportFlusso" => stato_export(state, &req),
        "paaSILImportaDovuto" => single::importa_dovuto(state, &req),
        "paaSILChiediPosizioniAperte" => single::posizioni_aperte(state, &req),
        "paaSILChiediPagati" => single::chiedi_pagati(state, &req, false),
        "paaSILChiediPagatiConRicevuta" => single::chiedi_pagati(state, &req, true),
        "paaSILVerificaAvviso" => single::verifica_avviso(state, &req),
        "paaSILInviaDovuti" => single::invia_dovuti(state, &req),
        "paaSILRegistraPagamento" => single::registra_pagamento(state, &req),
        "paaSILInviaCarrelloDovuti" => cart::invia_carrello(state, &req),
        "paaSILChiediEsitoCarrelloDovuti" => cart::esito_carrello(state, &req),
        "paaSILPrenotaExportFlussoScaduti" => scaduti::prenota(state, &req),
        "paaSILChiediStatoExportFlussoScaduti" => scaduti::stato(state, &req),
        "paaSILChiediStoricoPagamenti" => storico::storico(state, &req),
        // paaSILChiediAvvisiPendenti is in the WSDL but MyPay has no endpoint for it (no
        // `@PayloadRoot`), and neither for any other root: Spring-WS's MessageDispatcher throws
        // NoEndpointFoundException, which `WebServiceMessageReceiverObjectSupport` turns into
        // `endpointNotFound()` on the HTTP connection: status 404, empty body. That is exactly
        // how MyPay answers an operation it does not support.
        _ => return Outcome::NotFound,
    };
    esito(result)
}

fn esito(result: OpResult) -> Outcome {
    match result {
        Ok(reply) => Outcome::Reply(reply),
        Err(Failure::Soap(message)) => Outcome::SoapFault {
            code: "Server",
            message,
        },
        Err(Failure::Business(reply)) => Outcome::Reply(*reply),
    }
}

// ---------------------------------------------------------------------------------------------
// Import

fn autorizza_import(state: &State, req: &Request) -> OpResult {
    const OP: &str = "paaSILAutorizzaImportFlusso";
    let ipa = header_ipa(req)?;
    let (ente, _) = verifica_ente(state, OP, ipa, req.body.text_of("password"), false)
        .map_err(|f| Failure::reply(Reply::fault(OP, f)))?;
    let request_token = uuid::Uuid::new_v4().to_string();
    let token = state
        .tokens
        .upload(&request_token, &ente.ente.codice_ipa, state.upload_ttl());
    let ente_id = state.ente(&ente.ente.codice_ipa).map(|e| e.1).unwrap_or(0);
    match state.piattaforma() {
        Piattaforma::Mypay => Ok(Reply::new(OP)
            .field(
                "uploadUrl",
                &format!("{}/public/mybox/uploadFlusso", state.base_url),
            )
            .field("authorizationToken", &token)
            .field("requestToken", &request_token)
            .field("importPath", "/IMPORT")),
        // ARIA rewrites PU's uploadUrl to its own upload proxy (spec §1.2).
        Piattaforma::Aria => {
            state.pu.attendi_file(&request_token, ente_id);
            Ok(Reply::new(OP)
                .field(
                    "uploadUrl",
                    &format!("{}/api/upload/flusso", state.base_url),
                )
                .field("authorizationToken", &token)
                .field("requestToken", &request_token)
                .field("importPath", "/IMPORT"))
        }
        // PU: requestToken = ingestionFlowFileId, the fileshare URL, constant placeholders.
        Piattaforma::Pu => {
            state.pu.attendi_file(&request_token, ente_id);
            Ok(Reply::new(OP)
                .field(
                    "uploadUrl",
                    &format!(
                        "{}/pu/fileshare/organization/{ente_id}/ingestionflowfiles?ingestionFlowFileId={request_token}&ingestionFlowFileType=DP_INSTALLMENTS&fileOrigin=SIL",
                        state.base_url
                    ),
                )
                .field("authorizationToken", "AUTHORIZATIONTOKEN")
                .field("requestToken", &request_token)
                .field("importPath", "/IMPORTPATH"))
        }
    }
}

/// PU's `IngestionFlowFileLegacyStatus` of an import (spec §1.2): `FILE_SCARICATO`,
/// `FILE_IN_CARICAMENTO`, `FILE_CARICATO`, `ERROR_LOAD`, and `WARNING` for a file processed
/// with rows refused — that WARNING still carries the result links is [INFERRED].
fn stato_pu(row: &db::ImportReq, scartate: i64) -> &'static str {
    match row.stato.as_str() {
        "LOAD_IMPORT" => "FILE_SCARICATO",
        "IMPORT_IN_ELAB" => "FILE_IN_CARICAMENTO",
        "IMPORT_ESEGUITO" if scartate > 0 => "WARNING",
        "IMPORT_ESEGUITO" => "FILE_CARICATO",
        _ => "ERROR_LOAD",
    }
}

/// The import or export request of `token`, refused with MyPay's messages when there is none
/// or when it belongs to another Ente.
fn richiesta_dell_ente<T>(
    op: &str,
    ipa: &str,
    token: &str,
    ente_id: i64,
    row: Option<T>,
    owner: impl Fn(&T) -> i64,
) -> Result<T, Failure> {
    let Some(row) = row else {
        return Err(business(
            op,
            "PAA_REQUEST_TOKEN_NON_VALIDO",
            format!("nessun record trovato per Ente [{ipa}] e requestToken [{token}]"),
            ipa,
        ));
    };
    if owner(&row) != ente_id {
        return Err(business(
            op,
            "PAA_REQUEST_TOKEN_NON_VALIDO",
            format!("Ente [{ipa}] non autorizzato per requestToken [{token}]"),
            ipa,
        ));
    }
    Ok(row)
}

fn stato_import(state: &State, req: &Request) -> OpResult {
    const OP: &str = "paaSILChiediStatoImportFlusso";
    let ipa = header_ipa(req)?;
    let token = req.body.text_of("requestToken").unwrap_or("").trim();
    let row = db::import_by_token(&state.lock_db(), token)?;
    let (_, ente_id) = verifica_ente(state, OP, ipa, req.body.text_of("password"), false)
        .map_err(|f| Failure::reply(Reply::fault(OP, f)))?;
    if row.is_none() && state.pu.in_attesa(token) == Some(ente_id) {
        return Ok(Reply::new(OP).field("stato", "WAITING_FILE"));
    }
    let row = richiesta_dell_ente(OP, ipa, token, ente_id, row, |r| r.ente_id)?;
    if state.piattaforma().pu() {
        let f = match row.flusso_id {
            Some(fid) => db::flusso(&state.lock_db(), fid)?,
            None => None,
        };
        let scartate = f.as_ref().map_or(0, |f| f.righe_totali - f.righe_ok);
        let stato = stato_pu(&row, scartate);
        let reply = Reply::new(OP).field("stato", stato);
        return Ok(match (f, stato) {
            (Some(f), "FILE_CARICATO" | "WARNING") => {
                con_link_esiti(state, req, ente_id, &f, reply)
            }
            _ => reply,
        });
    }
    // [QUIRK] a non-blank error code is reported instead of the state.
    let stato = match row.cod_errore.as_deref().map(str::trim) {
        Some(code) if !code.is_empty() => code.to_string(),
        _ => row.stato.clone(),
    };
    let mut reply = Reply::new(OP).field("stato", &stato);
    if row.stato == "IMPORT_ESEGUITO"
        && let Some(fid) = row.flusso_id
        && let Some(f) = db::flusso(&state.lock_db(), fid)?
    {
        reply = con_link_esiti(state, req, ente_id, &f, reply);
    }
    Ok(reply)
}

/// The links to a loaded flow's results the request asks for (rejected rows, IUVs, notices),
/// each only when there is something in it: MyPay's and PU's answers alike.
fn con_link_esiti(
    state: &State,
    req: &Request,
    ente_id: i64,
    f: &db::FlussoRec,
    mut reply: Reply,
) -> Reply {
    let base = format!(
        "{}/{}",
        f.percorso.clone().unwrap_or_default(),
        f.nome_file.trim_end_matches(".zip")
    );
    let url =
        |suffix: &str| download_url(state, "FLUSSI_IMPORT", ente_id, &format!("{base}{suffix}"));
    if boolean(req.body.text_of("fileScarti")) && f.righe_totali - f.righe_ok > 0 {
        reply = reply.field("urlFileScarti", &url("_SCARTI.zip"));
    }
    if boolean(req.body.text_of("fileIUV")) && f.righe_ok > 0 {
        reply = reply.field("urlFileIUV", &url("_IUV.zip"));
    }
    if boolean(req.body.text_of("fileAvvisi")) && f.pdf > 0 {
        reply = reply.field("urlFileAvvisi", &url("_AVVISI_PDF.zip"));
    }
    reply
}

// ---------------------------------------------------------------------------------------------
// Export

fn prenota_export(state: &State, req: &Request, incrementale_op: bool) -> OpResult {
    let op = if incrementale_op {
        "paaSILPrenotaExportFlussoIncrementaleConRicevuta"
    } else {
        "paaSILPrenotaExportFlusso"
    };
    let ipa = header_ipa(req)?;
    let b = &req.body;
    let (ente, ente_id) = verifica_ente(state, op, ipa, b.text_of("password"), true)
        .map_err(|f| Failure::reply(Reply::fault(op, f)))?;
    let (from, to, incrementale, ricevuta) = if incrementale_op {
        let from = parse_xsd_datetime(b.text_of("dateFrom"));
        let to = match b.text_of("dateTo") {
            None => Some(state.now()),
            s => parse_xsd_datetime(s),
        };
        (
            from,
            to,
            boolean(b.text_of("incrementale")),
            boolean(b.text_of("ricevuta")),
        )
    } else {
        let day = |s| parse_xsd_date(s).and_then(|d: NaiveDate| d.and_hms_opt(0, 0, 0));
        (
            day(b.text_of("dateFrom")),
            day(b.text_of("dateTo")),
            false,
            false,
        )
    };
    let Some(from) = from else {
        return Err(business(
            op,
            "PAA_DATE_FROM_NON_VALIDO",
            "Data inizio non valida",
            ipa,
        ));
    };
    let Some(to) = to else {
        return Err(business(
            op,
            "PAA_DATE_TO_NON_VALIDO",
            "Data fine non valida",
            ipa,
        ));
    };
    if to < from {
        return Err(business(
            op,
            "PAA_INTERVALLO_DATE_NON_VALIDO",
            "L'intervallo data inizio e data fine non è valido",
            ipa,
        ));
    }
    if incrementale_op {
        let pw = b.text_of("passwordMypivot").map(str::trim).unwrap_or("");
        if !pw.is_empty() && Some(pw) != state.options.mypivot_password.as_deref() {
            // [QUIRK] the code starts with CODE_ and the id is the password given.
            return Err(business(
                op,
                "CODE_PAA_PASSWORD_ALLINEAMENTO_MYPIVOT_NON_VALIDA",
                "Password allineamento MyPivot non valida",
                pw,
            ));
        }
    }
    let tipo = b
        .text_of("identificativoTipoDovuto")
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if let Some(t) = tipo
        && t != "EXPORT_ENTE_SECONDARIO"
        && !ente.tipi.iter().any(|x| x.codice == t)
    {
        return Err(business(
            op,
            "PAA_IDENTIFICATIVO_TIPO_DOVUTO_NON_VALIDO",
            format!("Identificativo tipo dovuto [{t}] non valido per l'ente [{ipa}]"),
            ipa,
        ));
    }
    let versione = match b.text_of("versioneTracciato").map(str::trim) {
        None | Some("") => "1.0",
        Some(v) => v,
    };
    if !["1.0", "1.1", "1.2", "1.3"].contains(&versione) {
        return Err(business(
            op,
            "PAA_VERSIONE_TRACCIATO_NON_VALIDA",
            format!("Versione tracciato [{versione}] non valida"),
            ipa,
        ));
    }
    let (date_from, date_to) = if incrementale {
        (db::ts(from), db::ts(to))
    } else {
        (
            from.date().format("%Y-%m-%d").to_string(),
            to.date().format("%Y-%m-%d").to_string(),
        )
    };
    let token = uuid::Uuid::new_v4().to_string();
    if state.piattaforma().pu() {
        let mut f = state.faults();
        if f.config.export_annullati > 0 {
            f.config.export_annullati -= 1;
            state.pu.annulla_export(&token);
        }
    }
    db::insert_export(
        &state.lock_db(),
        &token,
        ente_id,
        &date_from,
        &date_to,
        incrementale,
        ricevuta,
        versione,
        tipo,
        state.now(),
        state.not_before(),
    )?;
    let mut reply = Reply::new(op).field("requestToken", &token);
    if incrementale_op {
        reply = reply.field("dateTo", &format_xsd_datetime(to));
    }
    Ok(reply)
}

fn stato_export(state: &State, req: &Request) -> OpResult {
    const OP: &str = "paaSILChiediStatoExportFlusso";
    let ipa = header_ipa(req)?;
    let token = req.body.text_of("requestToken").unwrap_or("").trim();
    let row = db::export_by_token(&state.lock_db(), token)?;
    let (ente, ente_id) = verifica_ente(state, OP, ipa, req.body.text_of("password"), false)
        .map_err(|f| Failure::reply(Reply::fault(OP, f)))?;
    let row = richiesta_dell_ente(OP, ipa, token, ente_id, row, |r| r.ente_id)?;
    let _ = ente;
    if state.pu.export_annullata(token) {
        return Ok(Reply::new(OP).field("stato", "EXPORT_CANCELLATO"));
    }
    if row.stato == "EXPORT_ESEGUITO" {
        return Ok(match row.file_name {
            None => Reply::new(OP).field("stato", "EXPORT_ESEGUITO_NESSUN_DOVUTO_TROVATO"),
            Some(f) => Reply::new(OP).field("stato", "EXPORT_ESEGUITO").field(
                "downloadUrl",
                &download_url(state, "FLUSSI_EXPORT", ente_id, &f),
            ),
        });
    }
    Ok(Reply::new(OP).field("stato", &row.stato))
}
