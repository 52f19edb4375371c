//! Reading an export of paid positions (zip or CSV, versions 1.0–1.3, with or without
//! `ricevuta`) into the store: each receipt stored once (IUV + IUR) and matched to its debt.
//!
//! The file is streamed into one transaction: a row that cannot be read stops the import and
//! nothing is stored, with an Italian message naming the row and the column.

use std::cell::RefCell;
use std::io::{BufReader, Read};
use std::path::Path;

use mpd_store::{NewRicevuta, UpsertSummary};
use mpd_tracciato::export::{ExportReader, ExportRow, ExportVersion};
use mpd_tracciato::flow_zip::{FlowZipReader, ZipLimits};
use rust_decimal::Decimal;

use crate::{CoreError, Desk, Result};

fn cents(d: Decimal) -> Option<i64> {
    i64::try_from((d * Decimal::ONE_HUNDRED).round_dp(0)).ok()
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
        data_esito: data.format("%Y-%m-%d").to_string(),
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
                .map_err(|e| CoreError::Invalid(format!("{name}: {e}")))?;
            let csv = zip
                .csv()
                .map_err(|e| CoreError::Invalid(format!("{name}: {e}")))?;
            self.import_export_stream(&name, BufReader::with_capacity(1 << 20, csv))
        } else {
            let file = crate::flows::open_file(path)?;
            self.import_export_stream(&name, BufReader::with_capacity(1 << 20, file))
        }
    }

    /// Reads an export CSV from any stream into the store.
    pub fn import_export_stream<R: Read>(&mut self, name: &str, src: R) -> Result<UpsertSummary> {
        let mut reader =
            ExportReader::new(src).map_err(|e| CoreError::Invalid(format!("{name}: {e}")))?;
        // The 1.0 and 1.1 layouts have the same columns: only the file name tells them apart.
        if let Ok(n) = mpd_tracciato::export::ExportName::parse(name) {
            reader.set_version(n.version);
        } else if name.contains("-1_1") {
            reader.set_version(ExportVersion::V1_1);
        }
        let failure: RefCell<Option<String>> = RefCell::new(None);
        let mut row = reader.new_row();
        let receipts = std::iter::from_fn(|| {
            if failure.borrow().is_some() {
                return None;
            }
            match reader.read_row(&mut row) {
                Ok(false) => None,
                Ok(true) => match to_ricevuta(&row) {
                    Ok(r) => Some(r),
                    Err(e) => {
                        *failure.borrow_mut() = Some(e);
                        None
                    }
                },
                Err(e) => {
                    *failure.borrow_mut() = Some(e.to_string());
                    None
                }
            }
        });
        let now = self.now();
        // A read failure ends the iterator early; the transaction is then rolled back below.
        let summary =
            self.store
                .upsert_ricevute_checked(receipts, || failure.borrow().clone(), now)?;
        match summary {
            Ok(s) => Ok(s),
            Err(why) => Err(CoreError::Invalid(format!(
                "{name}: {why}; nessuna ricevuta importata"
            ))),
        }
    }
}
