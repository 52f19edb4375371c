//! The export batch (spec §5, §6.3): `LOAD_EXPORT → EXPORT_IN_ELAB → EXPORT_ESEGUITO`, a zipped
//! CSV of paid positions in versions 1.0–1.3 with or without `ricevuta`, written by
//! mpd-tracciato's `ExportWriter` (opencsv style).
//!
//! Selection: by payment outcome date, whole days inclusive, or incremental on the receipt's
//! last modification in `[from, to)`. With no rows the zip is still written but not recorded,
//! so the status call answers the synthetic `EXPORT_ESEGUITO_NESSUN_DOVUTO_TROVATO`.

use std::fs;

use crate::db::Connection;
use base64::Engine;
use mpd_domain::Column;
use mpd_tracciato::export::{
    ExportLayout, ExportName, ExportVersion, ExportWriter, write_export_zip,
};

use crate::db::{self, DovutoRec, ExportReq, ExportSelection, Pagamento};
use crate::error::EmulatorError;
use crate::state::State;

pub fn process(state: &State, conn: &mut Connection, req: &ExportReq) {
    let _ = db::set_export_state(conn, req.id, "EXPORT_IN_ELAB", None);
    match build(state, conn, req) {
        Ok(file) => {
            let _ = db::set_export_state(conn, req.id, "EXPORT_ESEGUITO", file.as_deref());
        }
        Err(e) => {
            tracing::warn!("export {}: {e}", req.request_token);
            let _ = db::set_export_state(conn, req.id, "ERROR_EXPORT", None);
        }
    }
}

/// Builds the export; returns `/EXPORT/<YYYY_MM>/<name>.zip`, or `None` when nothing was found.
fn build(
    state: &State,
    conn: &Connection,
    req: &ExportReq,
) -> Result<Option<String>, EmulatorError> {
    let ente = state
        .ente_by_id(req.ente_id)
        .ok_or_else(|| EmulatorError::Other("ente sconosciuto".into()))?;
    let version = ExportVersion::parse(&req.versione)
        .ok_or_else(|| EmulatorError::Other("versione".into()))?;
    let layout = ExportLayout::new(version, req.ricevuta);
    let columns = layout.columns();
    let mut writer =
        ExportWriter::new(Vec::new(), layout).map_err(|e| EmulatorError::Other(e.to_string()))?;
    let selection = if req.incrementale {
        ExportSelection::Modified {
            from: &req.date_from,
            to: &req.date_to,
        }
    } else {
        ExportSelection::PaymentDays {
            from: &req.date_from,
            to: &req.date_to,
        }
    };
    // The special tipo of secondary-beneficiary receipts selects nothing from the debts.
    let tipo = req.tipo_dovuto.as_deref();
    let mut rows = 0usize;
    if tipo != Some("EXPORT_ENTE_SECONDARIO") {
        db::export_rows(conn, req.ente_id, &selection, tipo, |p, d| {
            rows += 1;
            let fields: Vec<String> = columns
                .iter()
                .map(|c| field(c, &p, &d, &ente.ente))
                .collect();
            writer
                .write_fields(fields)
                .map_err(|e| EmulatorError::Other(e.to_string()))
        })?;
    } else {
        // Receipts where this Ente is the secondary beneficiary of another Ente's debt.
        db::export_rows_secondary(conn, &ente.ente.codice_fiscale, &selection, |p, d| {
            let Some(primary) = state.ente_by_id(d.ente_id) else {
                return Ok(());
            };
            rows += 1;
            let fields: Vec<String> = columns
                .iter()
                .map(|c| secondary_field(c, &p, &d, &primary.ente, &ente.ente))
                .collect();
            writer
                .write_fields(fields)
                .map_err(|e| EmulatorError::Other(e.to_string()))
        })?;
    }
    let csv = writer
        .finish()
        .map_err(|e| EmulatorError::Other(e.to_string()))?;
    let now = state.now();
    let name = ExportName {
        codice_ipa: (version != ExportVersion::V1_0).then(|| ente.ente.codice_ipa.clone()),
        export_id: req.id as u64,
        generated_at: now,
        version,
    };
    let rel = format!("/EXPORT/{}/{}", now.format("%Y_%m"), name.zip_name());
    let path = state
        .ente_dir(&ente.ente.codice_ipa)
        .join(rel.trim_start_matches('/'));
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| EmulatorError::Other(e.to_string()))?;
    }
    let file = fs::File::create(&path).map_err(|e| EmulatorError::Other(e.to_string()))?;
    write_export_zip(file, &name, &csv, 6).map_err(|e| EmulatorError::Other(e.to_string()))?;
    Ok((rows > 0).then_some(rel))
}

/// One export column of a receipt row of `EXPORT_ENTE_SECONDARIO` (spec §5.2, §5.3): the
/// secondary beneficiary's share, taken from the receipt; the primary Ente in the 1.3 columns.
fn secondary_field(
    column: &str,
    p: &Pagamento,
    d: &DovutoRec,
    primary: &mpd_domain::Ente,
    secondary: &mpd_domain::Ente,
) -> String {
    let r = &d.riga;
    let sec_importo = || {
        r.get(Column::ImportoVersamentoEnteSecondario)
            .trim()
            .parse::<rust_decimal::Decimal>()
            .map(|v| format!("{:.2}", v.round_dp(2)))
            .unwrap_or_default()
    };
    match column {
        "identificativoDominio" => primary.codice_fiscale.clone(),
        "enteBenefCodiceIdentificativoUnivoco" => secondary.codice_fiscale.clone(),
        "denominazioneBeneficiario" => secondary.denominazione.clone(),
        "tipoDovuto" => "EXPORT_ENTE_SECONDARIO".into(),
        "singoloImportoPagato" => sec_importo(),
        "causaleVersamento" => {
            let c = r.get(Column::CausaleVersamentoEnteSecondario);
            if c.is_empty() {
                r.get(Column::CausaleVersamento)
                    .chars()
                    .take(1024)
                    .collect()
            } else {
                c.chars().take(1024).collect()
            }
        }
        "datiSpecificiRiscossione" => r.get(Column::DatiSpecificiRiscossioneEnteSecondario).into(),
        "indiceDatiSingoloPagamento" => "2".into(),
        "cod_fiscale_pa1" => primary.codice_fiscale.clone(),
        "de_nome_pa1" => primary.denominazione.clone(),
        "cod_tassonomico_dovuto_pa1" => r.get(Column::DatiSpecificiRiscossione).into(),
        "bilancio" => String::new(),
        other => field(other, p, d, primary),
    }
}

/// One export column of a paid position (spec §5.3).
fn field(column: &str, p: &Pagamento, d: &DovutoRec, ente: &mpd_domain::Ente) -> String {
    let r = &d.riga;
    let data_ora = &p.data_ora;
    match column {
        "iuf" => d.iuf.clone(),
        "numRigaFlusso" => d.num_riga.to_string(),
        "codIud" => d.iud.clone(),
        "codIuv" | "identificativoUnivocoVersamento" => p.iuv.clone(),
        "versioneOggetto" => "6.2.0".into(),
        "identificativoDominio" | "enteBenefCodiceIdentificativoUnivoco" => {
            ente.codice_fiscale.clone()
        }
        "identificativoStazioneRichiedente" => "0007580279_03".into(),
        "identificativoMessaggioRicevuta" => p.id_msg.clone(),
        "dataOraMessaggioRicevuta" => data_ora.clone(),
        "riferimentoMessaggioRichiesta" => format!("RPT{}", p.iuv),
        "riferimentoDataRichiesta" => p.data_esito.clone(),
        "tipoIdentificativoUnivoco" => p.psp_tipo.clone(),
        "codiceIdentificativoUnivoco" => p.psp_id.clone(),
        "denominazioneAttestante" => p.psp_nome.clone(),
        "enteBenefTipoIdentificativoUnivoco" => "G".into(),
        "denominazioneBeneficiario" => ente.denominazione.clone(),
        "soggVersTipoIdentificativoUnivoco" | "soggPagTipoIdentificativoUnivoco" => {
            r.get(Column::TipoIdentificativoUnivoco).to_uppercase()
        }
        "soggVersCodiceIdentificativoUnivoco" | "soggPagCodiceIdentificativoUnivoco" => {
            r.get(Column::CodiceIdentificativoUnivoco).to_uppercase()
        }
        "anagraficaVersante" | "anagraficaPagatore" => r.get(Column::AnagraficaPagatore).into(),
        "indirizzoPagatore" => r.get(Column::IndirizzoPagatore).into(),
        "civicoPagatore" => r.get(Column::CivicoPagatore).into(),
        "capPagatore" => r.get(Column::CapPagatore).into(),
        "localitaPagatore" => r.get(Column::LocalitaPagatore).into(),
        "provinciaPagatore" => r.get(Column::ProvinciaPagatore).into(),
        "nazionePagatore" => r.get(Column::NazionePagatore).into(),
        "emailPagatore" | "emailVersante" => r.get(Column::EmailPagatore).into(),
        "codiceEsitoPagamento" => "0".into(),
        "importoTotalePagato" | "singoloImportoPagato" => p.importo.clone(),
        "codiceContestoPagamento" => p.ccp.clone(),
        "esitoSingoloPagamento" => p.esito.clone(),
        "dataEsitoSingoloPagamento" => p.data_esito.clone(),
        "identificativoUnivocoRiscoss" => p.iur.clone(),
        "causaleVersamento" => r
            .get(Column::CausaleVersamento)
            .chars()
            .take(1024)
            .collect(),
        "datiSpecificiRiscossione" => r.get(Column::DatiSpecificiRiscossione).into(),
        "tipoDovuto" => r.get(Column::TipoDovuto).into(),
        "tipoFirma" => p.tipo_firma.clone(),
        "rt" => base64::engine::general_purpose::STANDARD.encode(p.rt.as_bytes()),
        "indiceDatiSingoloPagamento" => "1".into(),
        "numRtDatiPagDatiSingPagCommissioniApplicatePsp" => "0.00".into(),
        "codRtDatiPagDatiSingPagAllegatoRicevutaTipo" => "ES".into(),
        "blbRtDatiPagDatiSingPagAllegatoRicevutaTest" => p.esito.clone(),
        "bilancio" => r.get(Column::Bilancio).into(),
        _ => String::new(),
    }
}
