//! Debt positions (issue 14): creating one (its options checked as debts and as a position,
//! stored with their debts in one transaction), reading them with their derived state, and
//! keeping MyPay aligned once an option is paid (the other way of paying is cancelled: an
//! `A` row in the next flow for a debt MyPay holds, at once for one it does not).
//!
//! The rules are mpd-domain's `posizione`; the storage is mpd-store's `posizioni`.

use mpd_domain::posizione::{
    self, Opzione, ProblemaPosizione, Rata, RegolePosizioni, StatoOpzione, StatoPosizione,
};
use mpd_domain::{Column, RawRow, dates};
use mpd_store::posizioni::{FiltroPosizioni, PosizioneRecord};
use mpd_store::{DovutoStato, PosizioneDi, StoreError};
use serde::Serialize;

use crate::input::{self, DebtInput};
use crate::report::Problem;
use crate::{Desk, Result};

/// A position to create: its options as the debt form has them, and its subject.
#[derive(Clone, Debug, Default)]
pub struct PosizioneInput {
    /// The clerk's name for the position; made from the first IUD when empty.
    pub codice: Option<String>,
    /// The subject printed on the notice ("TARI 2027"); the rata unica's causale when empty.
    pub oggetto: Option<String>,
    pub opzioni: Vec<(Rata, DebtInput)>,
}

/// A problem of a position to create: the option it is about (none: the whole position) and
/// the problem, with its field, as the debt form reports it.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ProblemaOpzione {
    pub rata: Option<Rata>,
    pub etichetta: String,
    pub problema: Problem,
}

/// The outcome of creating a position.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "esito", rename_all = "snake_case")]
pub enum EsitoPosizione {
    Salvata { posizione: Box<PosizioneVista> },
    NonValida { problemi: Vec<ProblemaOpzione> },
}

/// One option of a position, for a list.
#[derive(Clone, Debug, Serialize)]
pub struct OpzioneVista {
    pub rata: Rata,
    /// "rata unica", "rata 2".
    pub etichetta: String,
    pub iud: String,
    pub iuv: String,
    pub stato: DovutoStato,
    pub importo_cents: i64,
    /// `YYYY-MM-DD`, or empty.
    pub scadenza: String,
}

/// A position with its derived state.
#[derive(Clone, Debug, Serialize)]
pub struct PosizioneVista {
    pub codice: String,
    pub codice_pagatore: String,
    pub anagrafica: String,
    pub tipo_dovuto: String,
    pub oggetto: String,
    pub stato: StatoPosizione,
    /// "da pagare", "pagata in parte (1 di 3)", …
    pub etichetta: String,
    pub opzioni: Vec<OpzioneVista>,
    /// How much less the rata unica costs than the instalments together (0: no discount).
    pub sconto_cents: i64,
}

/// What the alignment after a payment did to one option.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Allineamento {
    pub posizione: String,
    pub iud: String,
    pub rata: Rata,
    /// Cancelled here at once (never on MyPay) or to be cancelled by the next flow.
    pub con_prossimo_flusso: bool,
}

fn stati(p: &PosizioneRecord) -> Vec<StatoOpzione> {
    p.opzioni
        .iter()
        .map(|o| StatoOpzione {
            rata: o.rata,
            importo_cents: o.importo_cents,
            pagata: o.stato == DovutoStato::Paid,
            annullata: o.annullata(),
        })
        .collect()
}

impl PosizioneVista {
    fn da(p: PosizioneRecord) -> PosizioneVista {
        let stato = posizione::stato(&stati(&p));
        let unica = p
            .opzioni
            .iter()
            .find(|o| o.rata.is_unica())
            .map(|o| o.importo_cents);
        let rate: Vec<i64> = p
            .opzioni
            .iter()
            .filter(|o| !o.rata.is_unica())
            .map(|o| o.importo_cents)
            .collect();
        let sconto_cents = match unica {
            Some(u) if !rate.is_empty() => (rate.iter().sum::<i64>() - u).max(0),
            _ => 0,
        };
        PosizioneVista {
            anagrafica: p
                .opzioni
                .first()
                .map(|o| o.anagrafica.clone())
                .unwrap_or_default(),
            etichetta: stato.etichetta(),
            stato,
            sconto_cents,
            opzioni: p
                .opzioni
                .into_iter()
                .map(|o| OpzioneVista {
                    etichetta: o.rata.etichetta(),
                    rata: o.rata,
                    iud: o.iud,
                    iuv: o.iuv,
                    stato: o.stato,
                    importo_cents: o.importo_cents,
                    scadenza: o.data_scadenza,
                })
                .collect(),
            codice: p.codice,
            codice_pagatore: p.codice_pagatore,
            tipo_dovuto: p.tipo_dovuto,
            oggetto: p.oggetto,
        }
    }
}

fn problema_posizione(p: ProblemaPosizione) -> ProblemaOpzione {
    ProblemaOpzione {
        rata: p.rata,
        etichetta: p.rata.map(Rata::etichetta).unwrap_or_default(),
        problema: Problem {
            codice: "MPD_POSIZIONE".into(),
            campo: Some(p.campo.into()),
            valore: None,
            messaggio: p.messaggio,
            grave: true,
        },
    }
}

/// The causale of one option of a position: the subject's, with the option named
/// ("TARI 2027 - rata unica", "TARI 2027 - rata 2 di 3"), as `debts add-position` writes it.
pub fn causale_opzione(base: &str, rata: Rata, n_rate: usize) -> String {
    let base = base.trim();
    let quale = match rata {
        Rata::Unica => "rata unica".to_string(),
        Rata::N(n) => format!("rata {n} di {n_rate}"),
    };
    if base.is_empty() {
        quale
    } else {
        format!("{base} - {quale}")
    }
}

/// The code of a position the clerk's sheet gives no code for (a wide row): its natural key,
/// so that importing the same roll again finds it in the archive instead of creating it twice.
/// The key is the payer, the payment type, the year (of the first due date) and the causale:
/// `TARI-2027-RSSMRA80A01H501U-1a2b3c`, the causale as a short stable hash (FNV-1a of its
/// words in lower case) so that two subjects of one payer and year stay apart.
pub fn codice_naturale(
    codice_pagatore: &str,
    tipo: &str,
    causale: &str,
    anno: Option<i32>,
) -> String {
    let mut h: u32 = 0x811c_9dc5;
    let parole = causale
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    for b in parole.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    let cf = codice_pagatore.trim().to_uppercase();
    let tipo = tipo.trim();
    match anno {
        Some(a) => format!("{tipo}-{a}-{cf}-{:06x}", h & 0x00ff_ffff),
        None => format!("{tipo}-{cf}-{:06x}", h & 0x00ff_ffff),
    }
}

/// The rules for positions of payment type `tipo` among `tipi` (the default ones for an
/// unknown type).
fn regole_di(tipi: &[mpd_domain::TipoDovuto], tipo: &str) -> RegolePosizioni {
    tipi.iter()
        .find(|t| t.codice == tipo)
        .map(|t| t.posizioni)
        .unwrap_or_default()
}

impl Desk {
    /// Creates a position with its options (`debts add-position`, the window's form): each
    /// option is checked as a debt and the whole as a position; saved, in one transaction,
    /// only without errors. Each option gets an IUD made from one base (`…U` for the rata
    /// unica, `…R01`… for the instalments).
    pub fn crea_posizione(
        &mut self,
        input: &PosizioneInput,
        bozza: bool,
    ) -> Result<EsitoPosizione> {
        let tipi = self.store.tipi_dovuto()?;
        let base = self.new_iud();
        let mut problemi: Vec<ProblemaOpzione> = Vec::new();
        let mut righe: Vec<(Rata, RawRow)> = Vec::new();
        for (rata, campi) in &input.opzioni {
            let mut campi = campi.clone();
            if campi.iud.as_deref().is_none_or(|i| i.trim().is_empty()) {
                campi.iud = Some(match rata {
                    Rata::Unica => format!("{base}U"),
                    Rata::N(n) => format!("{base}R{n:02}"),
                });
            }
            let riferisci = |p: Problem| ProblemaOpzione {
                rata: Some(*rata),
                etichetta: rata.etichetta(),
                problema: p,
            };
            match input::apply(&campi, &RawRow::default(), &tipi, || base.clone()) {
                Ok(row) => {
                    let (errori, _avvisi) = self.check(&row, None)?;
                    problemi.extend(errori.into_iter().map(riferisci));
                    righe.push((*rata, row));
                }
                Err(errors) => {
                    problemi.extend(
                        crate::debts::input_problems(errors)
                            .into_iter()
                            .map(riferisci),
                    );
                }
            }
        }
        let tipo = righe
            .first()
            .map(|(_, r)| r.get(Column::TipoDovuto).to_string())
            .unwrap_or_default();
        if righe.iter().any(|(_, r)| r.get(Column::TipoDovuto) != tipo) {
            problemi.push(problema_posizione(ProblemaPosizione {
                rata: None,
                campo: "tipo",
                messaggio: "tutte le rate di una posizione hanno lo stesso tipo dovuto".into(),
            }));
        }
        let opzioni: Vec<Opzione<'_>> = righe
            .iter()
            .map(|(rata, r)| Opzione {
                rata: *rata,
                codice_pagatore: r.get(Column::CodiceIdentificativoUnivoco),
                importo_cents: input::cents(r.get(Column::ImportoDovuto)).unwrap_or(0),
                scadenza: dates::parse_date_strict(r.get(Column::DataScadenzaPagamento)).ok(),
            })
            .collect();
        if righe.len() == input.opzioni.len() {
            let regole = regole_di(&tipi, &tipo);
            problemi.extend(
                posizione::controlla(&opzioni, &regole)
                    .into_iter()
                    .map(problema_posizione),
            );
        }
        let codice = input
            .codice
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .unwrap_or_else(|| base.clone());
        if self.store.posizione(&codice)?.is_some() {
            problemi.push(problema_posizione(ProblemaPosizione {
                rata: None,
                campo: "posizione",
                messaggio: format!(
                    "la posizione «{codice}» esiste già: sceglierne un altro codice o lasciarlo vuoto"
                ),
            }));
        }
        if !problemi.is_empty() {
            return Ok(EsitoPosizione::NonValida { problemi });
        }
        let oggetto = input
            .oggetto
            .as_deref()
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(str::to_string)
            .unwrap_or_else(|| {
                righe
                    .iter()
                    .min_by_key(|(r, _)| *r)
                    .map(|(_, r)| r.get(Column::CausaleVersamento).to_string())
                    .unwrap_or_default()
            });
        let stato = if bozza {
            DovutoStato::Draft
        } else {
            DovutoStato::Ready
        };
        let nuovi: Vec<mpd_store::NewDovuto> = righe
            .into_iter()
            .map(|(rata, row)| {
                let mut d = Desk::to_new(row, stato);
                d.posizione = Some(PosizioneDi {
                    codice: codice.clone(),
                    rata,
                    oggetto: oggetto.clone(),
                });
                d
            })
            .collect();
        let now = self.now();
        self.store.insert_dovuti(&nuovi, now)?;
        let p = self
            .store
            .posizione(&codice)?
            .ok_or_else(|| StoreError::DovutoNotFound(codice.clone()))?;
        Ok(EsitoPosizione::Salvata {
            posizione: Box::new(PosizioneVista::da(p)),
        })
    }

    /// The positions `filtro` asks for, with their state.
    pub fn posizioni(&self, filtro: &FiltroPosizioni) -> Result<Vec<PosizioneVista>> {
        Ok(self
            .store
            .posizioni(filtro)?
            .into_iter()
            .map(PosizioneVista::da)
            .collect())
    }

    /// The position with this code, or the one the debt with this IUD belongs to.
    pub fn posizione(&self, codice_o_iud: &str) -> Result<Option<PosizioneVista>> {
        let p = match self.store.posizione(codice_o_iud)? {
            Some(p) => Some(p),
            None => self.store.posizione_del_dovuto(codice_o_iud)?,
        };
        Ok(p.map(PosizioneVista::da))
    }

    /// After payments: in every position with a paid option, cancels the other way of paying
    /// where its payment type asks (see mpd-domain `posizione::da_annullare`): a debt MyPay
    /// holds gets an `A` row in the next flow, one it does not is cancelled here. A debt on its
    /// way to MyPay is left for the next time. Returns what it did, in order.
    pub fn allinea_posizioni(&mut self) -> Result<Vec<Allineamento>> {
        let filtro = FiltroPosizioni {
            da_allineare: true,
            ..Default::default()
        };
        let tipi = self.store.tipi_dovuto()?;
        let mut fatto = Vec::new();
        for p in self.store.posizioni(&filtro)? {
            let regole = regole_di(&tipi, &p.tipo_dovuto);
            for rata in posizione::da_annullare(&stati(&p), &regole) {
                let Some(o) = p.opzioni.iter().find(|o| o.rata == rata) else {
                    continue;
                };
                let now = self.now();
                match self.store.cancel_dovuto(&o.iud, now) {
                    Ok(d) => fatto.push(Allineamento {
                        posizione: p.codice.clone(),
                        iud: o.iud.clone(),
                        rata,
                        con_prossimo_flusso: d.stato != DovutoStato::Cancelled,
                    }),
                    // Sent and waiting for MyPay's answer, or a payment under way: next time.
                    Err(StoreError::NotAllowed(m)) => {
                        tracing::info!(iud = %o.iud, "allineamento rinviato: {m}");
                    }
                    Err(e) => return Err(e.into()),
                }
            }
        }
        Ok(fatto)
    }
}

#[cfg(test)]
#[path = "posizioni_tests.rs"]
mod tests;
