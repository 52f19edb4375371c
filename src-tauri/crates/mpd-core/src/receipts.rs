//! Reading an export of paid positions (zip or CSV, versions 1.0–1.3, with or without
//! `ricevuta`) into the store: each receipt stored once (IUV + IUR) and matched to its debt.
//!
//! The file is streamed into one transaction: a row that cannot be read stops the import and
//! nothing is stored, with an Italian message naming the row and the column.

use std::io::{BufReader, Read};
use std::path::Path;
use std::sync::Mutex;

use chrono::Datelike;
use mpd_store::{NewRicevuta, UpsertSummary};
use mpd_tracciato::export::{ExportReader, ExportRow, ExportVersion};
use mpd_tracciato::flow_zip::{FlowZipReader, ZipLimits};
use rust_decimal::Decimal;

use crate::files::open_file;
use crate::store_thread::with_store_thread;
use crate::{CoreError, Desk, Result};

fn cents(d: Decimal) -> Option<i64> {
    i64::try_from((d * Decimal::ONE_HUNDRED).round_dp(0)).ok()
}

/// `data.format("%Y-%m-%d")` without chrono's format interpreter (once per receipt) for the
/// years 0–9999, which print the same either way.
fn iso_date_text(data: chrono::NaiveDate) -> String {
    if (0..=9999).contains(&data.year()) {
        format!("{:04}-{:02}-{:02}", data.year(), data.month(), data.day())
    } else {
        data.format("%Y-%m-%d").to_string()
    }
}

/// One export row as a receipt to store.
pub fn to_ricevuta(row: &ExportRow) -> std::result::Result<NewRicevuta, String> {
    let importo = row.singolo_importo_pagato().map_err(|e| e.to_string())?;
    let data = row
        .data_esito_singolo_pagamento()
        .map_err(|e| e.to_string())?;
    let iuv = if row.cod_iuv().is_empty() {
        row.identificativo_univoco_versamento()
    } else {
        row.cod_iuv()
    };
    if iuv.is_empty() || row.iur().is_empty() {
        return Err(format!(
            "riga {}: mancano lo IUV o lo IUR (identificativoUnivocoRiscoss)",
            row.row()
        ));
    }
    Ok(NewRicevuta {
        iuv: iuv.to_string(),
        iur: row.iur().to_string(),
        iud: row.cod_iud().to_string(),
        importo_cents: cents(importo)
            .ok_or_else(|| format!("riga {}: importo fuori scala", row.row()))?,
        data_esito: iso_date_text(data),
        esito: row.esito_singolo_pagamento().to_string(),
        psp_id: row.psp_id().to_string(),
        psp_nome: row.psp_name().to_string(),
        codice_pagatore: row.pagatore_cf().to_string(),
        anagrafica_pagatore: row.pagatore_nome().to_string(),
        codice_versante: row.versante_cf().to_string(),
        tipo_dovuto: row.tipo_dovuto().to_string(),
        causale: row.causale_versamento().to_string(),
        rt_base64: row.rt().filter(|s| !s.is_empty()).map(str::to_string),
    })
}

impl Desk {
    /// `receipts import`: an export file downloaded from MyPay (or by the client).
    pub fn import_export(&mut self, path: &Path) -> Result<UpsertSummary> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".zip") {
            let mut zip = FlowZipReader::open_path(path, &ZipLimits::default())
                .map_err(|e| crate::file_non_valido(&name, &e))?;
            let csv = zip.csv().map_err(|e| crate::file_non_valido(&name, &e))?;
            self.import_export_stream(&name, BufReader::with_capacity(1 << 20, csv))
        } else {
            let file = open_file(path)?;
            self.import_export_stream(&name, BufReader::with_capacity(1 << 20, file))
        }
    }

    /// Reads an export CSV from any stream into the store.
    pub fn import_export_stream<R: Read>(&mut self, name: &str, src: R) -> Result<UpsertSummary> {
        let mut reader = ExportReader::new(src).map_err(|e| crate::file_non_valido(name, &e))?;
        // The 1.0 and 1.1 layouts have the same columns: only the file name tells them apart.
        if let Ok(n) = mpd_tracciato::export::ExportName::parse(name) {
            reader.set_version(n.version);
        } else if name.contains("-1_1") {
            reader.set_version(ExportVersion::V1_1);
        }
        let failure: Mutex<Option<String>> = Mutex::new(None);
        let now = self.now();
        // The store works on another thread while this one reads and converts the next rows
        // (about a fifth of the work), so both cores are busy. A read failure ends the stream
        // early; the transaction is then rolled back.
        let summary = with_store_thread(
            &mut self.store,
            |store, receipts| {
                store.upsert_ricevute_checked(
                    receipts,
                    || failure.lock().ok().and_then(|f| f.clone()),
                    now,
                )
            },
            |send| {
                let mut row = reader.new_row();
                let problem = loop {
                    match reader.read_row(&mut row) {
                        Ok(false) => break None,
                        Ok(true) => match to_ricevuta(&row) {
                            Ok(r) => {
                                if !send(r) {
                                    break None;
                                }
                            }
                            Err(e) => break Some(e),
                        },
                        Err(e) => break Some(e.to_string()),
                    }
                };
                if let (Some(p), Ok(mut slot)) = (problem, failure.lock()) {
                    *slot = Some(p);
                }
            },
        )?;
        match summary {
            Ok(mut s) => {
                // Paid one way: the other way of paying is cancelled (issue 14).
                if s.pagato > 0 {
                    s.annullate_per_posizione = self.allinea_posizioni()?.len() as u64;
                }
                Ok(s)
            }
            Err(why) => Err(CoreError::Invalid(format!(
                "{name}: {why}; nessuna ricevuta importata"
            ))),
        }
    }
}
