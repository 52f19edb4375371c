//! Drafts and the window's debt form: nothing the clerk typed is lost.
//!
//! * An invalid row of an import in [`ImportMode::KeepDrafts`](crate::import::ImportMode) is
//!   stored as a draft debt with a [`NotaBozza`]: where it came from (file, row) and each
//!   problem with the form field it concerns, the header as written and the value as typed.
//! * [`Desk::debt_form`] gives the form a debt's values (Italian amounts and dates) and its
//!   problems; [`Desk::save_debt_form`] saves an edit and checks it again with MyPay's rules
//!   and ours. A draft is saved even with errors (its note then holds them, and a value that
//!   could not be read stays as typed); any other debt is saved only when valid.
//! * [`Desk::mark_ready_checked`] and [`Desk::cancel_many`]: the bulk actions, one outcome per
//!   IUD (a draft with problems stays a draft; the lifecycle's locks are the store's).

use std::collections::{BTreeMap, HashSet};

use mpd_domain::{Column, Finding, RawRow, Version, money, validate};
use mpd_store::{DovutoRecord, DovutoStato, StoreError};
use serde::Serialize;

use crate::input::{self, DebtInput};
pub use crate::nota::{CODICE_INPUT, CODICE_IUD_SOSTITUITO, NotaBozza, Segnalazione, form_key};
use crate::{CoreError, Desk, Result};

/// The form fields, in the order the form shows them.
pub const FORM_FIELDS: [&str; 15] = [
    "codice_pagatore",
    "tipo_pagatore",
    "anagrafica",
    "importo",
    "scadenza",
    "tipo",
    "causale",
    "email",
    "indirizzo",
    "civico",
    "cap",
    "localita",
    "provincia",
    "nazione",
    "iuv",
];

/// The form field of a [`DebtInput`] conversion error (`input::InputError::campo`).
fn input_key(campo: &str) -> &'static str {
    match campo {
        "importo" => "importo",
        "scadenza" => "scadenza",
        "tipo" => "tipo",
        "codice" => "codice_pagatore",
        _ => "anagrafica",
    }
}

/// Whether the form sent field `key`.
fn input_has(input: &DebtInput, key: &str) -> bool {
    match key {
        "importo" => input.importo.is_some(),
        "scadenza" => input.scadenza.is_some(),
        "tipo" => input.tipo_dovuto.is_some(),
        "codice_pagatore" => input.codice.is_some(),
        "tipo_pagatore" => input.tipo_pagatore.is_some(),
        "anagrafica" => input.anagrafica.is_some(),
        "causale" => input.causale.is_some(),
        "email" => input.email.is_some(),
        "indirizzo" => input.indirizzo.is_some(),
        "civico" => input.civico.is_some(),
        "cap" => input.cap.is_some(),
        "localita" => input.localita.is_some(),
        "provincia" => input.provincia.is_some(),
        "nazione" => input.nazione.is_some(),
        "iuv" => input.iuv.is_some(),
        _ => false,
    }
}

fn segnalazione(f: &Finding, row: &RawRow) -> Segnalazione {
    Segnalazione {
        codice: f.code.clone(),
        chiave: f.column.and_then(form_key).map(str::to_string),
        campo: f.column.map(|c| c.label_it().to_string()),
        valore: f
            .column
            .map(|c| row.get(c).to_string())
            .filter(|v| !v.is_empty()),
        messaggio: f.message.clone(),
        grave: f.severity == mpd_domain::Severity::Error,
    }
}

fn row_problems_with(rules: &crate::Rules, row: &RawRow) -> Vec<Segnalazione> {
    validate::validate_row(row, &rules.context())
        .iter()
        .map(|f| segnalazione(f, row))
        .collect()
}

/// A debt as the window's form shows it.
#[derive(Clone, Debug, Serialize)]
pub struct SchedaDovuto {
    pub iud: String,
    /// State code (`draft`, `ready`…).
    pub stato: DovutoStato,
    pub etichetta: &'static str,
    /// The clerk may change it (the store still has the last word).
    pub modificabile: bool,
    /// Field → value as the clerk writes it (`1.234,56`, `31/12/2026`); a value that could
    /// not be read is shown as typed.
    pub valori: BTreeMap<&'static str, String>,
    /// Current problems (a draft's note, else the rules applied now).
    pub problemi: Vec<Segnalazione>,
    /// `file.xlsx, riga 7` for a debt that came from an import.
    pub origine: Option<String>,
    /// MyPay's rejection, if any.
    pub rifiuto: Option<String>,
    /// A draft with no error: it can be marked ready.
    pub pronto_possibile: bool,
}

/// What saving the form did.
#[derive(Clone, Debug, Serialize)]
pub struct EsitoScheda {
    pub salvato: bool,
    /// Problems of what was sent (errors stopped a non-draft debt from being saved).
    pub problemi: Vec<Segnalazione>,
    /// The debt as stored now.
    pub scheda: SchedaDovuto,
}

/// The outcome of a bulk action on one debt.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct EsitoAzione {
    pub iud: String,
    pub ok: bool,
    pub messaggio: String,
}

fn euro_plain(cents: i64) -> String {
    money::format_it(rust_decimal::Decimal::new(cents, 2))
        .trim_end_matches(" €")
        .to_string()
}

fn values_of(d: &DovutoRecord) -> BTreeMap<&'static str, String> {
    let r = &d.row;
    let mut v = BTreeMap::new();
    for key in FORM_FIELDS {
        let text = match key {
            "importo" => euro_plain(d.importo_cents),
            "scadenza" => {
                let iso = r.get(Column::DataScadenzaPagamento);
                chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")
                    .map(|x| x.format("%d/%m/%Y").to_string())
                    .unwrap_or_else(|_| iso.to_string())
            }
            "codice_pagatore" => r.get(Column::CodiceIdentificativoUnivoco).into(),
            "tipo_pagatore" => r.get(Column::TipoIdentificativoUnivoco).into(),
            "anagrafica" => r.get(Column::AnagraficaPagatore).into(),
            "tipo" => r.get(Column::TipoDovuto).into(),
            "causale" => r.get(Column::CausaleVersamento).into(),
            "email" => r.get(Column::EmailPagatore).into(),
            "indirizzo" => r.get(Column::IndirizzoPagatore).into(),
            "civico" => r.get(Column::CivicoPagatore).into(),
            "cap" => r.get(Column::CapPagatore).into(),
            "localita" => r.get(Column::LocalitaPagatore).into(),
            "provincia" => r.get(Column::ProvinciaPagatore).into(),
            "nazione" => r.get(Column::NazionePagatore).into(),
            "iuv" => r.get(Column::CodIuv).into(),
            _ => String::new(),
        };
        v.insert(key, text);
    }
    v
}

impl Desk {
    pub(crate) fn nota(&self, iud: &str) -> Result<Option<NotaBozza>> {
        Ok(self
            .store
            .nota_dovuto(iud)?
            .and_then(|j| serde_json::from_str(&j).ok()))
    }

    /// The probable-duplicate problems of draft `iud`'s note that still hold once its row
    /// goes from `old` to `new`: an import compares payer, payment type, amount, due date and
    /// causale, so while those are unchanged the draft is still the duplicate it was (only
    /// «Importa comunque» says otherwise); once one of them changes, the warning is lifted.
    pub(crate) fn duplicati_rimasti(
        &self,
        iud: &str,
        old: &RawRow,
        new: &RawRow,
    ) -> Result<Vec<Segnalazione>> {
        let uguali = [
            Column::CodiceIdentificativoUnivoco,
            Column::TipoDovuto,
            Column::DataScadenzaPagamento,
            Column::CausaleVersamento,
        ]
        .iter()
        .all(|c| old.get(*c).trim() == new.get(*c).trim())
            && input::cents(old.get(Column::ImportoDovuto))
                == input::cents(new.get(Column::ImportoDovuto));
        if !uguali {
            return Ok(Vec::new());
        }
        Ok(self
            .nota(iud)?
            .map(|n| {
                n.problemi
                    .into_iter()
                    .filter(|p| crate::report::codes::is_duplicate(&p.codice))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// MyPay's rules and ours on a row, as form problems (the IUD itself is not re-checked
    /// against the store: the row is the stored debt).
    fn row_problems(&self, row: &RawRow) -> Result<Vec<Segnalazione>> {
        Ok(row_problems_with(&self.rules(Version::V1_4)?, row))
    }

    /// The debt `iud` for the window's form: values, problems, where it came from.
    pub fn debt_form(&self, iud: &str) -> Result<SchedaDovuto> {
        let d = self
            .store
            .dovuto(iud)?
            .ok_or_else(|| StoreError::DovutoNotFound(iud.to_string()))?;
        let nota = self.nota(iud)?;
        let mut valori = values_of(&d);
        let (problemi, origine) = match nota {
            Some(n) => {
                // A value that could not be stored (an amount in words is stored as 0) is
                // shown as typed.
                // The first problem of a field is the one about what the clerk typed.
                let mut shown: HashSet<&str> = HashSet::new();
                for p in n.problemi.iter().filter(|p| p.grave) {
                    if let (Some(k), Some(v)) = (&p.chiave, &p.valore)
                        && let Some(slot) = FORM_FIELDS.iter().find(|f| **f == k.as_str())
                        && !shown.contains(slot)
                    {
                        let lost = valori.get(slot).is_none_or(|x| x.is_empty())
                            || (*slot == "importo" && d.importo_cents == 0);
                        if p.is_unread_value() || lost {
                            valori.insert(slot, v.clone());
                            shown.insert(slot);
                        }
                    }
                }
                (n.problemi, n.origine)
            }
            None => {
                let current = match d.stato {
                    DovutoStato::Draft | DovutoStato::Ready | DovutoStato::Rejected => {
                        self.row_problems(&d.row)?
                    }
                    _ => Vec::new(),
                };
                (current, None)
            }
        };
        let origine = match (origine, d.sorgente_id) {
            (Some(o), _) => Some(o),
            (None, Some(id)) => self
                .store
                .sorgente_nome(id)?
                .map(|f| match d.sorgente_riga {
                    Some(r) => format!("{f}, riga {r}"),
                    None => f,
                }),
            (None, None) => None,
        };
        let pronto_possibile = d.stato == DovutoStato::Draft && !problemi.iter().any(|p| p.grave);
        Ok(SchedaDovuto {
            modificabile: matches!(
                d.stato,
                DovutoStato::Draft
                    | DovutoStato::Ready
                    | DovutoStato::Rejected
                    | DovutoStato::Loaded
            ) && d.pagamento_iniziato_at.is_none()
                && d.azione_pendente != Some(mpd_domain::Azione::Annullamento),
            iud: d.iud.clone(),
            stato: d.stato,
            etichetta: d.stato.label_it(),
            valori,
            problemi,
            origine,
            rifiuto: d.rifiuto_messaggio.clone(),
            pronto_possibile,
        })
    }

    /// Saves the form of debt `iud`: `input`'s fields replace the stored ones and the whole
    /// row is checked again. A draft is saved even with errors (they become its note; a value
    /// that could not be read is kept as typed) and, with `pronto` and no error, becomes
    /// ready; any other debt is saved only without errors.
    pub fn save_debt_form(
        &mut self,
        iud: &str,
        input: &DebtInput,
        pronto: bool,
    ) -> Result<EsitoScheda> {
        let old = self
            .store
            .dovuto(iud)?
            .ok_or_else(|| StoreError::DovutoNotFound(iud.to_string()))?;
        let tipi = self.store.tipi_dovuto()?;
        let mut input = input.clone();
        input.iud = Some(iud.to_string());
        // Values that cannot be converted are left out (and reported), the rest applied.
        let mut problemi: Vec<Segnalazione> = Vec::new();
        let row = match input::apply(&input, &old.row, &tipi, || iud.to_string()) {
            Ok(row) => Some(row),
            Err(errors) => {
                let mut retry = input.clone();
                for e in &errors {
                    let typed = match e.campo {
                        "importo" => retry.importo.take(),
                        "scadenza" => retry.scadenza.take(),
                        "tipo" => retry.tipo_dovuto.take(),
                        _ => None,
                    };
                    let valore = typed.filter(|t| !t.trim().is_empty());
                    let messaggio = match (e.campo, &valore) {
                        ("importo", Some(v)) => format!(
                            "«{v}» non è un importo: lo scriva in cifre con la virgola per i decimali, \
                             ad esempio 1.234,56"
                        ),
                        _ => e.messaggio.clone(),
                    };
                    problemi.push(Segnalazione {
                        codice: CODICE_INPUT.into(),
                        chiave: Some(input_key(e.campo).into()),
                        campo: Some(e.campo.into()),
                        valore,
                        messaggio,
                        grave: true,
                    });
                }
                input::apply(&retry, &old.row, &tipi, || iud.to_string()).ok()
            }
        };
        let Some(row) = row else {
            return Ok(EsitoScheda {
                salvato: false,
                problemi,
                scheda: self.debt_form(iud)?,
            });
        };
        // A value the clerk typed that could not be stored, and that this save leaves alone,
        // stays in the note (else the next form would show the stored placeholder).
        let carried: Vec<Segnalazione> = match (old.stato, self.nota(iud)?) {
            (DovutoStato::Draft, Some(n)) => n
                .problemi
                .into_iter()
                .filter(|p| {
                    p.grave
                        && p.valore.is_some()
                        && p.chiave.as_deref().is_some_and(|k| {
                            !input_has(&input, k)
                                && (p.is_unread_value()
                                    || (k == "importo" && old.importo_cents == 0)
                                    || (k == "scadenza"
                                        && old.row.get(Column::DataScadenzaPagamento).is_empty()))
                        })
                })
                .collect(),
            _ => Vec::new(),
        };
        // One problem per field whose value was not stored: the stored placeholder's own
        // findings would only confuse.
        let mut unread: HashSet<String> =
            problemi.iter().filter_map(|p| p.chiave.clone()).collect();
        for p in carried {
            if let Some(k) = &p.chiave
                && unread.insert(k.clone())
            {
                problemi.push(p);
            }
        }
        problemi.extend(
            self.row_problems(&row)?
                .into_iter()
                .filter(|p| p.chiave.as_ref().is_none_or(|k| !unread.contains(k))),
        );
        let draft = old.stato == DovutoStato::Draft;
        if draft {
            problemi.extend(self.duplicati_rimasti(iud, &old.row, &row)?);
        }
        let errors = problemi.iter().any(|p| p.grave);
        if errors && !draft {
            return Ok(EsitoScheda {
                salvato: false,
                problemi,
                scheda: self.debt_form(iud)?,
            });
        }
        let stato = if draft && (errors || !pronto) {
            DovutoStato::Draft
        } else {
            DovutoStato::Ready
        };
        let importo_cents = input::cents(row.get(Column::ImportoDovuto)).unwrap_or(0);
        let new = mpd_store::NewDovuto {
            importo_cents,
            commissione_cents: input::cents(row.get(Column::CommissioneCaricoPa)),
            row,
            stato,
            sorgente: None,
            posizione: None,
        };
        let now = self.now();
        match self.store.update_dovuto(iud, &new, now) {
            Ok(_) => {}
            Err(StoreError::NotAllowed(m)) => {
                problemi.push(Segnalazione {
                    codice: "MPD_NON_MODIFICABILE".into(),
                    chiave: None,
                    campo: None,
                    valore: None,
                    messaggio: m,
                    grave: true,
                });
                return Ok(EsitoScheda {
                    salvato: false,
                    problemi,
                    scheda: self.debt_form(iud)?,
                });
            }
            Err(e) => return Err(e.into()),
        }
        let origine = self.nota(iud)?.and_then(|n| n.origine);
        let nota = (errors && draft).then(|| NotaBozza {
            origine,
            problemi: problemi.clone(),
        });
        let json = nota
            .map(|n| serde_json::to_string(&n))
            .transpose()
            .map_err(|e| CoreError::Invalid(e.to_string()))?;
        self.store.set_nota_dovuto(iud, json.as_deref(), now)?;
        Ok(EsitoScheda {
            salvato: true,
            problemi,
            scheda: self.debt_form(iud)?,
        })
    }

    /// Bulk «segna come pronti»: each draft without problems becomes ready; the others stay
    /// drafts and say why. One outcome per IUD, in order.
    pub fn mark_ready_checked(&mut self, iuds: &[String]) -> Result<Vec<EsitoAzione>> {
        let now = self.now();
        let rules = self.rules(Version::V1_4)?;
        let mut out = Vec::with_capacity(iuds.len());
        let mut pronti: Vec<String> = Vec::new();
        for iud in iuds {
            let esito = |ok: bool, messaggio: String| EsitoAzione {
                iud: iud.clone(),
                ok,
                messaggio,
            };
            let Some(d) = self.store.dovuto(iud)? else {
                out.push(esito(false, format!("il dovuto IUD «{iud}» non esiste")));
                continue;
            };
            match d.stato {
                DovutoStato::Draft => {}
                DovutoStato::Ready => {
                    out.push(esito(true, "era già pronto".into()));
                    continue;
                }
                s => {
                    out.push(esito(
                        false,
                        format!(
                            "è nello stato «{}»: solo le bozze si segnano come pronte",
                            s.label_it()
                        ),
                    ));
                    continue;
                }
            }
            let nota = self.nota(iud)?;
            let from_note = nota
                .as_ref()
                .map(|n| n.problemi.iter().filter(|p| p.grave).count())
                .unwrap_or(0);
            let now_errors = row_problems_with(&rules, &d.row)
                .iter()
                .filter(|p| p.grave)
                .count();
            let n = from_note.max(now_errors);
            if n > 0 {
                out.push(esito(
                    false,
                    format!(
                        "resta bozza: {} da correggere (apra il dovuto per {})",
                        mpd_domain::testo::conta(n, "problema", "problemi"),
                        mpd_domain::testo::parola(n, "vederlo", "vederli")
                    ),
                ));
                continue;
            }
            if nota.is_some() {
                // Only warnings were left.
                self.store.set_nota_dovuto(iud, None, now)?;
            }
            pronti.push(iud.clone());
            out.push(esito(true, "pronto per il prossimo flusso".into()));
        }
        // One transaction for the whole selection.
        if !pronti.is_empty() {
            self.store.mark_ready(&pronti, now)?;
        }
        Ok(out)
    }

    /// «Importa comunque» for a group of probable duplicates an import kept as drafts: the
    /// clerk says they are other debts. Each draft loses the note's duplicate problems and
    /// becomes ready as [`Desk::mark_ready_checked`] makes it (a draft with other problems stays
    /// a draft and says why). One outcome per IUD, in order.
    pub fn import_duplicates_anyway(&mut self, iuds: &[String]) -> Result<Vec<EsitoAzione>> {
        let now = self.now();
        for iud in iuds {
            let Some(d) = self.store.dovuto(iud)? else {
                continue;
            };
            if d.stato != DovutoStato::Draft {
                continue;
            }
            let Some(mut nota) = self.nota(iud)? else {
                continue;
            };
            let before = nota.problemi.len();
            nota.problemi
                .retain(|p| !crate::report::codes::is_duplicate(&p.codice));
            if nota.problemi.len() != before {
                let json =
                    serde_json::to_string(&nota).map_err(|e| CoreError::Invalid(e.to_string()))?;
                self.store.set_nota_dovuto(iud, Some(&json), now)?;
            }
        }
        self.mark_ready_checked(iuds)
    }

    /// Bulk «annulla»: each debt cancelled as `debts cancel` does (a debt never sent at once,
    /// a loaded one with an `A` row in the next flow); locked ones say why.
    pub fn cancel_many(&mut self, iuds: &[String]) -> Result<Vec<EsitoAzione>> {
        let mut out = Vec::with_capacity(iuds.len());
        for iud in iuds {
            let esito = match self.cancel_debt(iud) {
                Ok(d) if d.stato == DovutoStato::Cancelled => EsitoAzione {
                    iud: iud.clone(),
                    ok: true,
                    messaggio: "annullato".into(),
                },
                Ok(_) => EsitoAzione {
                    iud: iud.clone(),
                    ok: true,
                    messaggio: "l'annullamento partirà con il prossimo flusso".into(),
                },
                Err(CoreError::Store(
                    e @ (StoreError::NotAllowed(_) | StoreError::DovutoNotFound(_)),
                )) => EsitoAzione {
                    iud: iud.clone(),
                    ok: false,
                    messaggio: e.to_string(),
                },
                Err(e) => return Err(e),
            };
            out.push(esito);
        }
        Ok(out)
    }
}

#[cfg(test)]
#[path = "bozze_tests.rs"]
mod tests;
