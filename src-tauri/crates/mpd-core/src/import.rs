//! `debts import`: a CSV in any MyPay tracciato version into the store, all or nothing.
//!
//! The file is read twice, streaming, so memory stays bounded whatever its size: the first
//! pass validates every row (MyPay's rules, ours, duplicates inside the file and against the
//! store) and builds the report; the second inserts the valid rows in one transaction, and
//! only if no row is invalid (or the clerk asked for `--valid-only`).
//!
//! Row numbers in the report are the file's line numbers, which is what the clerk sees in a
//! spreadsheet (the header is line 1).

use std::collections::HashSet;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use mpd_domain::validate::{self, IudTracker};
use mpd_domain::{Azione, Column, Finding, RawRow, Severity};
use mpd_store::{DovutoStato, NewDovuto};
use mpd_tracciato::import::ImportReader;
use serde::Serialize;

use crate::{CoreError, Desk, Result};

/// One problem of a row, as the clerk reads it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Problem {
    pub codice: String,
    /// The column header, as in the file.
    pub campo: Option<String>,
    pub valore: Option<String>,
    pub messaggio: String,
    pub grave: bool,
}

/// The problems of one row.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RowReport {
    /// Line of the file (the clerk's spreadsheet row; the header is line 1).
    pub riga: usize,
    pub iud: String,
    pub problemi: Vec<Problem>,
}

/// What `debts import` did.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub file: String,
    pub versione: String,
    pub righe_lette: usize,
    pub righe_valide: usize,
    pub importate: usize,
    /// Rows with at least one error (they are never imported).
    pub errori: Vec<RowReport>,
    /// Rows with only warnings (imported).
    pub avvisi: Vec<RowReport>,
    /// How a spreadsheet was read and mapped (absent for a MyPay tracciato CSV).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub foglio: Option<crate::sheets::SheetSummary>,
}

impl ImportReport {
    pub fn has_errors(&self) -> bool {
        !self.errori.is_empty()
    }
}

pub(crate) fn problem(f: &Finding, row: Option<&RawRow>) -> Problem {
    Problem {
        codice: f.code.clone(),
        campo: f.column.map(|c| c.name().to_string()),
        valore: f
            .column
            .and_then(|c| row.map(|r| r.get(c).to_string()))
            .filter(|v| !v.is_empty()),
        messaggio: f.message.clone(),
        grave: f.severity == Severity::Error,
    }
}

fn open(path: &Path) -> Result<BufReader<File>> {
    File::open(path)
        .map(|f| BufReader::with_capacity(1 << 20, f))
        .map_err(|source| CoreError::Read {
            path: path.display().to_string(),
            source,
        })
}

impl Desk {
    /// Imports a tracciato CSV. With `valid_only` the valid rows go in even if others are bad.
    pub fn import_tracciato(&mut self, path: &Path, valid_only: bool) -> Result<ImportReport> {
        let reader = ImportReader::detect(open(path)?)
            .map_err(|e| CoreError::Invalid(format!("{}: {e}", path.display())))?;
        let version = reader.version();
        let rules = self.rules(version)?;
        let ctx = rules.context();
        let in_store = self.store.all_iuds()?;
        let mut tracker = IudTracker::default();
        let mut report = ImportReport {
            file: path.display().to_string(),
            versione: version.as_str().to_string(),
            righe_lette: 0,
            righe_valide: 0,
            importate: 0,
            errori: Vec::new(),
            avvisi: Vec::new(),
            foglio: None,
        };
        let mut invalid_lines: HashSet<usize> = HashSet::new();
        for record in reader {
            let record =
                record.map_err(|e| CoreError::Invalid(format!("{}: {e}", path.display())))?;
            report.righe_lette += 1;
            let row = match record.fields {
                Ok(row) => row,
                Err(e) => {
                    invalid_lines.insert(record.line);
                    report.errori.push(RowReport {
                        riga: record.line,
                        iud: String::new(),
                        problemi: vec![Problem {
                            codice: "PAA_IMPORT_SINTASSI_CSV".into(),
                            campo: None,
                            valore: None,
                            messaggio: format!(
                                "{}: controlla i separatori «;» e le virgolette",
                                e.kind
                            ),
                            grave: true,
                        }],
                    });
                    continue;
                }
            };
            let mut findings = validate::validate_row(&row, &ctx);
            let iud = row.get(Column::Iud).to_string();
            if let Some(f) = tracker.check(&iud) {
                findings.push(f);
            }
            if in_store.contains(&iud) {
                findings.push(validate::iud_gia_presente(&iud));
            }
            if Azione::parse(row.get(Column::Azione)).is_some_and(|a| a != Azione::Inserimento) {
                findings.push(Finding::strict(
                    "MPD_AZIONE_NON_IMPORTABILE",
                    Some(Column::Azione),
                    format!(
                        "la riga chiede l'azione «{}»: per modificare o annullare un dovuto già presente usa \
                         «mypay-desk debts edit» o «debts cancel»; qui si importano solo nuovi dovuti (azione I)",
                        row.get(Column::Azione)
                    ),
                ));
            }
            let is_error = findings.iter().any(Finding::is_error);
            if is_error {
                invalid_lines.insert(record.line);
            } else {
                report.righe_valide += 1;
                tracker.mark_loaded(&iud);
            }
            if !findings.is_empty() {
                let rr = RowReport {
                    riga: record.line,
                    iud,
                    problemi: findings.iter().map(|f| problem(f, Some(&row))).collect(),
                };
                if is_error {
                    report.errori.push(rr)
                } else {
                    report.avvisi.push(rr)
                }
            }
        }
        if report.has_errors() && !valid_only || report.righe_valide == 0 {
            return Ok(report);
        }

        let now = self.now();
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let sorgente = self.store.add_sorgente(
            &file_name,
            &format!("tracciato {}", version),
            report.righe_lette as i64,
            now,
        )?;
        let second = ImportReader::new(open(path)?, version)
            .map_err(|e| CoreError::Invalid(format!("{}: {e}", path.display())))?;
        let rows = second.filter_map(|record| match record {
            Err(e) => Some(Err(format!(
                "il file è cambiato durante l'importazione: {e}"
            ))),
            Ok(r) if invalid_lines.contains(&r.line) => None,
            Ok(r) => match r.fields {
                Err(e) => Some(Err(format!(
                    "il file è cambiato durante l'importazione: {e}"
                ))),
                Ok(mut row) => {
                    let importo = crate::input::cents(row.get(Column::ImportoDovuto));
                    let commissione = crate::input::cents(row.get(Column::CommissioneCaricoPa));
                    row.set(
                        Column::CodiceIdentificativoUnivoco,
                        row.get(Column::CodiceIdentificativoUnivoco).to_uppercase(),
                    );
                    row.set(
                        Column::ProvinciaPagatore,
                        row.get(Column::ProvinciaPagatore).to_uppercase(),
                    );
                    Some(
                        importo
                            .ok_or_else(|| format!("riga {}: importo illeggibile", r.line))
                            .map(|importo_cents| NewDovuto {
                                row,
                                importo_cents,
                                commissione_cents: commissione,
                                stato: DovutoStato::Ready,
                                sorgente: Some((sorgente, r.line as i64)),
                            }),
                    )
                }
            },
        });
        // SQLite inserts on another thread while this one reads and converts the next rows.
        report.importate = crate::receipts::with_store_thread(
            &mut self.store,
            |store, rows| store.insert_dovuti_from(rows, now),
            |send| {
                for row in rows {
                    if !send(row) {
                        break;
                    }
                }
            },
        )?;
        Ok(report)
    }
}
