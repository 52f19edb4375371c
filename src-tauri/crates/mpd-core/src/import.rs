//! `debts import`: a CSV in any MyPay tracciato version into the store, all or nothing.
//!
//! The file is read twice, streaming, so memory stays bounded whatever its size: the first
//! pass validates every row (MyPay's rules, ours, duplicates inside the file and against the
//! store) and builds the report; the second inserts the valid rows in one transaction, and
//! only if no row is invalid (or the clerk asked for `--valid-only`).
//!
//! Row numbers in the report are the file's line numbers, which is what the clerk sees in a
//! spreadsheet (the header is line 1).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use mpd_domain::validate::{self, IudTracker};
use mpd_domain::{Azione, Column, Finding};
use mpd_store::{DovutoStato, NewDovuto};
use mpd_tracciato::import::ImportReader;

pub use crate::report::{
    ANNULLATA, ImportHooks, ImportMode, ImportPhase, ImportProgress, ImportReport, Problem,
    RowReport,
};
use crate::report::{PROGRESS_EVERY, problem};
use crate::{CoreError, Desk, Result};

impl Desk {
    /// Imports a tracciato CSV. With `valid_only` the valid rows go in even if others are bad.
    pub fn import_tracciato(&mut self, path: &Path, valid_only: bool) -> Result<ImportReport> {
        self.import_tracciato_with(
            path,
            ImportMode::from_valid_only(valid_only),
            ImportHooks::default(),
        )
    }

    /// Reads and validates a tracciato CSV without writing anything.
    pub fn check_tracciato(&self, path: &Path) -> Result<ImportReport> {
        Ok(self
            .check_tracciato_pass(path, false, ImportHooks::default())?
            .0)
    }

    /// The first pass: every row validated, the report built. With `keep_columns` the columns
    /// of each invalid row's problems are kept too (for the notes of drafts).
    fn check_tracciato_pass(
        &self,
        path: &Path,
        keep_columns: bool,
        hooks: ImportHooks<'_>,
    ) -> Result<(ImportReport, TracciatoPass)> {
        let reader = ImportReader::detect(crate::files::open_buffered(path)?)
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
            bozze: 0,
            errori: Vec::new(),
            avvisi: Vec::new(),
            foglio: None,
        };
        let mut invalid: HashMap<usize, (usize, Vec<Option<Column>>)> = HashMap::new();
        for record in reader {
            let record =
                record.map_err(|e| CoreError::Invalid(format!("{}: {e}", path.display())))?;
            report.righe_lette += 1;
            hooks.tick(ImportPhase::Verifica, report.righe_lette, None)?;
            let row = match record.fields {
                Ok(row) => row,
                Err(e) => {
                    invalid.insert(record.line, (report.errori.len(), Vec::new()));
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
                        bozza: false,
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
                let columns = if keep_columns {
                    findings.iter().map(|f| f.column).collect()
                } else {
                    Vec::new()
                };
                invalid.insert(record.line, (report.errori.len(), columns));
            } else {
                report.righe_valide += 1;
                tracker.mark_loaded(&iud);
            }
            if !findings.is_empty() {
                let rr = RowReport {
                    riga: record.line,
                    iud,
                    problemi: findings.iter().map(|f| problem(f, Some(&row))).collect(),
                    bozza: false,
                };
                if is_error {
                    report.errori.push(rr)
                } else {
                    report.avvisi.push(rr)
                }
            }
        }
        hooks.report(ImportPhase::Verifica, report.righe_lette, None);
        Ok((
            report,
            TracciatoPass {
                version,
                invalid,
                tracker,
                in_store,
            },
        ))
    }

    /// Imports a tracciato CSV in any [`ImportMode`], with progress and cancel.
    pub fn import_tracciato_with(
        &mut self,
        path: &Path,
        mode: ImportMode,
        hooks: ImportHooks<'_>,
    ) -> Result<ImportReport> {
        let keep = mode == ImportMode::KeepDrafts;
        let (mut report, pass) = self.check_tracciato_pass(path, keep, hooks)?;
        if !mode.writes(&report) {
            return Ok(report);
        }
        let TracciatoPass {
            version,
            invalid,
            tracker,
            in_store,
        } = pass;
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
        let iud_prefix = format!("MPD{}", now.format("%y%m%d%H%M%S%3f"));
        let mut drafts = crate::nota::DraftIuds::new(&iud_prefix, &tracker, &in_store);
        let total = report.righe_lette;
        let second = ImportReader::new(crate::files::open_buffered(path)?, version)
            .map_err(|e| CoreError::Invalid(format!("{}: {e}", path.display())))?;
        let errori = &mut report.errori;
        let mut seen = 0usize;
        let rows = second.filter_map(|record| {
            seen += 1;
            if seen.is_multiple_of(PROGRESS_EVERY) {
                if hooks.cancelled() {
                    return Some(Err(ANNULLATA.to_string()));
                }
                hooks.report(ImportPhase::Salvataggio, seen, Some(total));
            }
            match record {
                Err(e) => Some(Err(format!(
                    "il file è cambiato durante l'importazione: {e}"
                ))),
                Ok(r) => {
                    let bad = invalid.get(&r.line);
                    if bad.is_some() && !keep {
                        return None;
                    }
                    let mut row = match r.fields {
                        Ok(row) => row,
                        // A syntax error: nothing to keep but the report.
                        Err(_) if bad.is_some() => return None,
                        Err(e) => {
                            return Some(Err(format!(
                                "il file è cambiato durante l'importazione: {e}"
                            )));
                        }
                    };
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
                    if let Some((idx, columns)) = bad {
                        let rr = &mut errori[*idx];
                        let nota = drafts.keep(&mut row, r.line, &file_name, rr, columns);
                        let importo_cents = importo.unwrap_or(0);
                        return Some(Ok((
                            NewDovuto {
                                row,
                                importo_cents,
                                commissione_cents: commissione,
                                stato: DovutoStato::Draft,
                                sorgente: Some((sorgente, r.line as i64)),
                            },
                            Some(nota),
                        )));
                    }
                    Some(
                        importo
                            .ok_or_else(|| format!("riga {}: importo illeggibile", r.line))
                            .map(|importo_cents| {
                                (
                                    NewDovuto {
                                        row,
                                        importo_cents,
                                        commissione_cents: commissione,
                                        stato: DovutoStato::Ready,
                                        sorgente: Some((sorgente, r.line as i64)),
                                    },
                                    None,
                                )
                            }),
                    )
                }
            }
        });
        // SQLite inserts on another thread while this one reads and converts the next rows.
        let importate = crate::store_thread::with_store_thread(
            &mut self.store,
            |store, rows| store.insert_dovuti_annotati_from(rows, now),
            |send| {
                for row in rows {
                    if !send(row) {
                        break;
                    }
                }
            },
        );
        if importate.is_err() {
            // Nothing was stored: the file's record goes too (a cancelled import leaves no trace).
            let _ = self.store.remove_sorgente_unused(sorgente);
        }
        let importate = importate?;
        report.bozze = drafts.count();
        report.importate = importate;
        hooks.report(ImportPhase::Salvataggio, total, Some(total));
        Ok(report)
    }
}

/// What the first pass of a tracciato import hands the second.
pub(crate) struct TracciatoPass {
    version: mpd_domain::Version,
    /// Invalid lines: index in `errori`, and the column of each problem.
    invalid: HashMap<usize, (usize, Vec<Option<Column>>)>,
    tracker: IudTracker,
    in_store: HashSet<String>,
}
