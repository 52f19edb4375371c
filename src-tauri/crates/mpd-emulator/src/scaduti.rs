//! The export of expired unpaid debts (spec §2.5.12): `paaSILPrenotaExportFlussoScaduti`
//! books it, the batch builds it, `paaSILChiediStatoExportFlussoScaduti` reports it.
//!
//! * Booking: Ente and password without the state check; no `dataScadenza` ⇒
//!   `PAA_DATE_FROM_NON_VALIDO`; an empty `tipiDovuto` list (`;`-separated) ⇒
//!   `PAA_IDENTIFICATIVO_TIPO_DOVUTO_NON_INSERITO`; a code unknown to the Ente ⇒
//!   `PAA_IDENTIFICATIVO_TIPO_DOVUTO_NON_VALIDO`.
//! * File: `DATA/<codIpa>/EXPORT_DOVUTI_SCADUTI/<yyyy-MM>/EXP_SCADUTI_<token>.zip` holding
//!   `EXP_SCADUTI_<token>.csv`, whose 22-column header is MyPay's property
//!   `task.exportFlussoScaduti.export.csv.columns`; one line per debt still "da pagare" of those
//!   types whose due date is before `dataScadenza`. Fields are written as the other exports
//!   are (`;`, every field in double quotes) **[INFERRED]**.
//! * Status: `LOAD_EXPORT`, `EXPORT_IN_ELAB`, `EXPORT_ESEGUITO` (then `nomeFile`, `downloadUrl`
//!   of type `FLUSSI_EXPORT_SCADUTI`, `pathFile`). While the export is not ready only `stato`
//!   is answered, as for `paaSILChiediStatoExportFlusso`.

use std::fs;
use std::io::Write;

use crate::db::Connection;
use mpd_domain::Column;

use crate::datatypes::boolean_free;
use crate::db::{self, DovutoRec, ScadutiReq};
use crate::error::EmulatorError;
use crate::operation::{OpResult, business, download_url, header_ipa, verifica_ente};
use crate::soap::{Reply, Request};
use crate::state::State;

/// MyPay's `task.exportFlussoScaduti.export.csv.columns`.
pub const COLUMNS: [&str; 22] = [
    "IUD",
    "codIuv",
    "dataCreazione",
    "tipoIdentificativoUnivoco",
    "codiceIdentificativoUnivoco",
    "anagraficaPagatore",
    "indirizzoPagatore",
    "civicoPagatore",
    "capPagatore",
    "localitaPagatore",
    "provinciaPagatore",
    "nazionePagatore",
    "mailPagatore",
    "dataEsecuzionePagamento",
    "importoDovuto",
    "commissioneCaricoPa",
    "tipoDovuto",
    "tipoVersamento",
    "causaleVersamento",
    "datiSpecificiRiscossione",
    "bilancio",
    "flgGeneraIuv",
];

pub fn prenota(state: &State, req: &Request) -> OpResult {
    const OP: &str = "paaSILPrenotaExportFlussoScaduti";
    let ipa = header_ipa(req)?;
    let b = &req.body;
    let (ente, ente_id) = verifica_ente(state, OP, ipa, b.text_of("password"), false)
        .map_err(|f| crate::operation::Failure::reply(Reply::fault(OP, f)))?;
    let Some(data) = crate::datatypes::parse_xsd_date(b.text_of("dataScadenza")) else {
        return Err(business(
            OP,
            "PAA_DATE_FROM_NON_VALIDO",
            "Data scadenza non valida",
            ipa,
        ));
    };
    let tipi: Vec<String> = b
        .text_of("tipiDovuto")
        .unwrap_or("")
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    if tipi.is_empty() {
        return Err(business(
            OP,
            "PAA_IDENTIFICATIVO_TIPO_DOVUTO_NON_INSERITO",
            "Nessun tipo dovuto indicato",
            ipa,
        ));
    }
    if let Some(t) = tipi
        .iter()
        .find(|t| !ente.tipi.iter().any(|x| &x.codice == *t))
    {
        return Err(business(
            OP,
            "PAA_IDENTIFICATIVO_TIPO_DOVUTO_NON_VALIDO",
            format!("Identificativo tipo dovuto [{t}] non valido per l'ente [{ipa}]"),
            ipa,
        ));
    }
    let token = uuid::Uuid::new_v4().to_string();
    db::insert_scaduti(
        &state.lock_db(),
        &token,
        ente_id,
        &data.format("%Y-%m-%d").to_string(),
        &tipi,
        state.now(),
        state.not_before(),
    )?;
    Ok(Reply::new(OP).field("requestToken", &token))
}

pub fn stato(state: &State, req: &Request) -> OpResult {
    const OP: &str = "paaSILChiediStatoExportFlussoScaduti";
    let ipa = header_ipa(req)?;
    let token = req.body.text_of("requestToken").unwrap_or("").trim();
    let row = db::scaduti_by_token(&state.lock_db(), token)?;
    let (_, ente_id) = verifica_ente(state, OP, ipa, req.body.text_of("password"), false)
        .map_err(|f| crate::operation::Failure::reply(Reply::fault(OP, f)))?;
    let Some(row) = row.filter(|r| r.ente_id == ente_id) else {
        return Err(business(
            OP,
            "PAA_REQUEST_TOKEN_NON_VALIDO",
            format!("nessun record trovato per Ente [{ipa}] e requestToken [{token}]"),
            ipa,
        ));
    };
    let mut reply = Reply::new(OP).field("stato", &row.stato);
    if row.stato == "EXPORT_ESEGUITO"
        && let Some(f) = row.file_name.as_deref()
    {
        let (path, name) = f.rsplit_once('/').unwrap_or(("", f));
        reply = reply
            .field("nomeFile", name)
            .field(
                "downloadUrl",
                &download_url(state, "FLUSSI_EXPORT_SCADUTI", ente_id, f),
            )
            .field("pathFile", path);
    }
    Ok(reply)
}

/// Builds a booked export (called by the batch).
pub fn process(state: &State, conn: &mut Connection, req: &ScadutiReq) {
    let _ = db::set_scaduti_state(conn, req.id, "EXPORT_IN_ELAB", None);
    match build(state, conn, req) {
        Ok(file) => {
            let _ = db::set_scaduti_state(conn, req.id, "EXPORT_ESEGUITO", Some(&file));
        }
        Err(e) => {
            tracing::warn!("export scaduti {}: {e}", req.request_token);
            let _ = db::set_scaduti_state(conn, req.id, "ERROR_EXPORT", None);
        }
    }
}

fn quoted(out: &mut Vec<u8>, fields: &[&str]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(b';');
        }
        out.push(b'"');
        out.extend_from_slice(f.replace('"', "\"\"").as_bytes());
        out.push(b'"');
    }
    out.push(b'\n');
}

fn line(d: &DovutoRec) -> Vec<String> {
    let r = &d.riga;
    let genera = boolean_free(r.get(Column::FlagGeneraIuv));
    vec![
        d.iud.clone(),
        d.iuv.clone().unwrap_or_default(),
        d.modified.get(..10).unwrap_or("").to_string(),
        r.get(Column::TipoIdentificativoUnivoco).to_uppercase(),
        r.get(Column::CodiceIdentificativoUnivoco).to_uppercase(),
        r.get(Column::AnagraficaPagatore).into(),
        r.get(Column::IndirizzoPagatore).into(),
        r.get(Column::CivicoPagatore).into(),
        r.get(Column::CapPagatore).into(),
        r.get(Column::LocalitaPagatore).into(),
        r.get(Column::ProvinciaPagatore).to_uppercase(),
        r.get(Column::NazionePagatore).into(),
        r.get(Column::EmailPagatore).into(),
        r.get(Column::DataScadenzaPagamento).into(),
        crate::payments::importo(d),
        r.get(Column::CommissioneCaricoPa).into(),
        r.get(Column::TipoDovuto).into(),
        match r.get(Column::TipoVersamento) {
            "" => "ALL".into(),
            v => v.into(),
        },
        r.get(Column::CausaleVersamento).into(),
        r.get(Column::DatiSpecificiRiscossione).into(),
        r.get(Column::Bilancio).into(),
        genera.to_string(),
    ]
}

fn build(state: &State, conn: &Connection, req: &ScadutiReq) -> Result<String, EmulatorError> {
    let ente = state
        .ente_by_id(req.ente_id)
        .ok_or_else(|| EmulatorError::Other("ente sconosciuto".into()))?;
    let mut csv = Vec::new();
    quoted(&mut csv, &COLUMNS);
    db::expired_debts(conn, req.ente_id, &req.data_scadenza, &req.tipi, |d| {
        let l = line(&d);
        quoted(&mut csv, &l.iter().map(String::as_str).collect::<Vec<_>>());
        Ok(())
    })?;
    let name = format!("EXP_SCADUTI_{}", req.request_token);
    let rel = format!(
        "/EXPORT_DOVUTI_SCADUTI/{}/{name}.zip",
        state.now().format("%Y-%m")
    );
    let path = state
        .ente_dir(&ente.ente.codice_ipa)
        .join(rel.trim_start_matches('/'));
    let io = |e: std::io::Error| EmulatorError::Other(e.to_string());
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(io)?;
    }
    let mut zip = zip::ZipWriter::new(fs::File::create(&path).map_err(io)?);
    zip.start_file(
        format!("{name}.csv"),
        zip::write::SimpleFileOptions::default(),
    )
    .map_err(|e| EmulatorError::Other(e.to_string()))?;
    zip.write_all(&csv).map_err(io)?;
    zip.finish()
        .map_err(|e| EmulatorError::Other(e.to_string()))?;
    Ok(rel)
}
