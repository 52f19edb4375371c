//! Adding, editing, cancelling debts one at a time, and the synthetic CSV.

use std::io::{BufWriter, Write};
use std::path::Path;

use mpd_domain::validate;
use mpd_domain::{Column, Finding, RawRow, Version};
use mpd_store::{DovutoRecord, DovutoStato, NewDovuto, StoreError};
use serde::Serialize;

use crate::input::{self, DebtInput};
use crate::report::{Problem, problem};
use crate::{CoreError, Desk, Result};

/// The outcome of adding or editing a debt.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "esito", rename_all = "snake_case")]
pub enum DebtOutcome {
    /// Stored; warnings did not stop it.
    Salvato {
        dovuto: Box<DovutoRecord>,
        avvisi: Vec<Problem>,
    },
    /// Not stored: what to fix, field by field.
    NonValido { problemi: Vec<Problem> },
}

impl Desk {
    pub(crate) fn new_iud(&self) -> String {
        // Unique for the Ente: a timestamp to the millisecond plus a three-digit tail. The tail
        // is a sequence of this process started at random (a random tail alone collided when a
        // script created thousands of debts in a few seconds: two in one millisecond drew the
        // same number), so two IUDs of one process differ unless a thousand are made in one
        // millisecond, and two processes rarely meet. A clash is still caught by the IUD check.
        static SEQUENZA: std::sync::LazyLock<std::sync::atomic::AtomicU32> =
            std::sync::LazyLock::new(|| {
                std::sync::atomic::AtomicU32::new(rand::random::<u32>() % 1000)
            });
        let coda = SEQUENZA.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % 1000;
        format!("MPD{}{coda:03}", self.now().format("%Y%m%d%H%M%S%3f"))
    }

    pub(crate) fn check(
        &self,
        row: &RawRow,
        except_iud: Option<&str>,
    ) -> Result<(Vec<Problem>, Vec<Problem>)> {
        let rules = self.rules(Version::V1_4)?;
        let mut findings = validate::validate_row(row, &rules.context());
        let iud = row.get(Column::Iud);
        if except_iud != Some(iud) && self.store.dovuto(iud)?.is_some() {
            findings.push(validate::iud_gia_presente(iud));
        }
        let (errors, warnings): (Vec<Finding>, Vec<Finding>) =
            findings.into_iter().partition(Finding::is_error);
        Ok((
            errors.iter().map(|f| problem(f, Some(row))).collect(),
            warnings.iter().map(|f| problem(f, Some(row))).collect(),
        ))
    }

    pub(crate) fn to_new(row: RawRow, stato: DovutoStato) -> NewDovuto {
        let importo_cents = input::cents(row.get(Column::ImportoDovuto)).unwrap_or(0);
        let commissione_cents = input::cents(row.get(Column::CommissioneCaricoPa));
        NewDovuto {
            row,
            importo_cents,
            commissione_cents,
            stato,
            sorgente: None,
            posizione: None,
        }
    }

    /// `debts add`.
    pub fn add_debt(&mut self, input: &DebtInput, draft: bool) -> Result<DebtOutcome> {
        let tipi = self.store.tipi_dovuto()?;
        let row = match input::apply(input, &RawRow::default(), &tipi, || self.new_iud()) {
            Ok(row) => row,
            Err(errors) => {
                return Ok(DebtOutcome::NonValido {
                    problemi: input_problems(errors),
                });
            }
        };
        let (errors, avvisi) = self.check(&row, None)?;
        if !errors.is_empty() {
            return Ok(DebtOutcome::NonValido { problemi: errors });
        }
        let iud = row.get(Column::Iud).to_string();
        let stato = if draft {
            DovutoStato::Draft
        } else {
            DovutoStato::Ready
        };
        let now = self.now();
        self.store.insert_dovuti(&[Desk::to_new(row, stato)], now)?;
        let dovuto = self
            .store
            .dovuto(&iud)?
            .ok_or(StoreError::DovutoNotFound(iud))?;
        Ok(DebtOutcome::Salvato {
            dovuto: Box::new(dovuto),
            avvisi,
        })
    }

    /// `debts edit`: the given fields replace the stored ones; the whole row is checked again.
    pub fn edit_debt(&mut self, iud: &str, input: &DebtInput) -> Result<DebtOutcome> {
        let old = self
            .store
            .dovuto(iud)?
            .ok_or_else(|| StoreError::DovutoNotFound(iud.to_string()))?;
        let tipi = self.store.tipi_dovuto()?;
        let row = match input::apply(input, &old.row, &tipi, || iud.to_string()) {
            Ok(row) => row,
            Err(errors) => {
                return Ok(DebtOutcome::NonValido {
                    problemi: input_problems(errors),
                });
            }
        };
        let (errors, avvisi) = self.check(&row, Some(iud))?;
        if !errors.is_empty() {
            return Ok(DebtOutcome::NonValido { problemi: errors });
        }
        let now = self.now();
        let draft = old.stato == DovutoStato::Draft;
        let stato = if draft {
            DovutoStato::Draft
        } else {
            DovutoStato::Ready
        };
        // The row is valid now: a draft's note of past problems no longer applies, but for
        // a probable duplicate whose compared fields did not change.
        let duplicati = if draft {
            self.duplicati_rimasti(iud, &old.row, &row)?
        } else {
            Vec::new()
        };
        let nota = if duplicati.is_empty() {
            None
        } else {
            let nota = crate::nota::NotaBozza {
                origine: self.nota(iud)?.and_then(|n| n.origine),
                problemi: duplicati,
            };
            Some(serde_json::to_string(&nota).map_err(|e| CoreError::Invalid(e.to_string()))?)
        };
        let dovuto = self
            .store
            .update_dovuto(iud, &Desk::to_new(row, stato), now)?;
        self.store.set_nota_dovuto(iud, nota.as_deref(), now)?;
        Ok(DebtOutcome::Salvato {
            dovuto: Box::new(dovuto),
            avvisi,
        })
    }

    /// `debts cancel`.
    pub fn cancel_debt(&mut self, iud: &str) -> Result<DovutoRecord> {
        let now = self.now();
        Ok(self.store.cancel_dovuto(iud, now)?)
    }

    /// `debts ready`: drafts become ready; with no IUD, every draft. A draft with problems
    /// (one kept by an import, or saved with errors) stays a draft: see
    /// [`Desk::mark_ready_checked`] for the reason of each.
    pub fn mark_ready(&mut self, iuds: &[String]) -> Result<usize> {
        let iuds: Vec<String> = if iuds.is_empty() {
            let filter = mpd_store::DovutoFilter {
                stato: Some(DovutoStato::Draft),
                ..Default::default()
            };
            self.store
                .dovuti(&filter)?
                .into_iter()
                .map(|d| d.iud)
                .collect()
        } else {
            iuds.to_vec()
        };
        let drafts: Vec<String> = iuds
            .into_iter()
            .filter(|i| {
                self.store
                    .dovuto(i)
                    .ok()
                    .flatten()
                    .is_some_and(|d| d.stato == DovutoStato::Draft)
            })
            .collect();
        Ok(self
            .mark_ready_checked(&drafts)?
            .iter()
            .filter(|e| e.ok)
            .count())
    }

    /// `generate debts`: a tracciato CSV of synthetic debts for the stored Ente (or a demo one).
    pub fn generate_debts_csv(
        &self,
        out: &Path,
        version: Version,
        count: usize,
        seed: u64,
    ) -> Result<usize> {
        let (ente, tipi) = match self.store.ente()? {
            Some(e) => (e, self.store.tipi_dovuto()?),
            None => (demo_ente(), crate::synth::tipi_demo()),
        };
        let file = std::fs::File::create(out).map_err(|source| CoreError::Write {
            path: out.display().to_string(),
            source,
        })?;
        let write_err =
            |e: mpd_tracciato::import::ImportWriteError| CoreError::Invalid(e.to_string());
        let mut w =
            mpd_tracciato::ImportWriter::new(BufWriter::with_capacity(1 << 20, file), version)
                .map_err(write_err)?;
        let mut generator = crate::synth::Generator::new(seed, &ente, &tipi, self.today());
        for _ in 0..count {
            w.write_row(&generator.next_row(version))
                .map_err(write_err)?;
        }
        let mut inner = w.finish().map_err(write_err)?;
        inner.flush().map_err(|source| CoreError::Write {
            path: out.display().to_string(),
            source,
        })?;
        Ok(count)
    }
}

impl Desk {
    /// First start in demo mode: stores the demo Ente (if none) and, when there are no debts,
    /// imports `count` synthetic ones. Returns how many debts were imported.
    pub fn setup_demo(&mut self, count: usize) -> Result<usize> {
        if self.store.ente()?.is_none() {
            let now = self.now();
            self.store.save_ente(
                &demo_ente(),
                crate::adesione::DEMO_EXTRA_JSON,
                &crate::synth::tipi_demo(),
                now,
            )?;
        }
        if self.debt_counts()?.iter().any(|c| c.numero > 0) {
            return Ok(0);
        }
        // Unique per call: two desks of one process (the tests, the window and its CLI session)
        // may seed at the same time.
        static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        // A private temporary folder of random name, removed on the way out (also on error).
        let dir =
            mpd_privato::temporanea("mypay-desk-demo-").map_err(|source| CoreError::Write {
                path: std::env::temp_dir().display().to_string(),
                source,
            })?;
        let csv = dir.path().join(format!("dovuti-demo-{n}.csv"));
        self.generate_debts_csv(&csv, Version::V1_4, count, 1)?;
        Ok(self.import_tracciato(&csv, true)?.importate)
    }
}

/// The demo Ente, used when no profile is stored.
pub fn demo_ente() -> mpd_domain::Ente {
    mpd_domain::Ente {
        codice_ipa: "c_demo".into(),
        // 11 digits with a right check digit, so that the demo's adhesion check passes.
        codice_fiscale: "00123456782".into(),
        denominazione: "Comune Dimostrativo".into(),
        codice_segregazione: "12".into(),
    }
}

pub(crate) fn input_problems(errors: Vec<input::InputError>) -> Vec<Problem> {
    errors
        .into_iter()
        .map(|e| Problem {
            codice: "MPD_INPUT".into(),
            campo: Some(e.campo.to_string()),
            valore: None,
            messaggio: e.messaggio,
            grave: true,
        })
        .collect()
}
