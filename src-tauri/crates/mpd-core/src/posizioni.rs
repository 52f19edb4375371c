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

/// A change to the options of a stored position (the window's «Rate», the CLI's
/// `debts position`): the rules of the position are checked again on the whole before
/// anything is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CambioRata {
    /// A new amount and/or due date for one option (`None`: as stored), as the clerk typed them.
    Modifica {
        rata: Rata,
        importo: Option<String>,
        scadenza: Option<String>,
    },
    /// A new instalment after the last one, with the payer and payment type of the others.
    Aggiungi {
        importo: String,
        scadenza: Option<String>,
    },
    /// Removes an option: one MyPay holds is cancelled there by an `A` row in the next flow,
    /// one it does not is cancelled here; the instalments after it move up by one.
    Rimuovi { rata: Rata },
}

/// The causale `causale` of an option renamed `rata` in a position of `n_rate` instalments,
/// when it ends as this application writes it ("… rata 2 di 3", "… rata 2"); else unchanged.
fn causale_rinumerata(causale: &str, rata: Rata, n_rate: usize) -> String {
    let Rata::N(n) = rata else {
        return causale.to_string();
    };
    let parole: Vec<&str> = causale.split(' ').collect();
    let numero = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let l = parole.len();
    let (testa, di) = if l >= 4
        && parole[l - 4] == "rata"
        && numero(parole[l - 3])
        && parole[l - 2] == "di"
        && numero(parole[l - 1])
    {
        (l - 4, true)
    } else if l >= 2 && parole[l - 2] == "rata" && numero(parole[l - 1]) {
        (l - 2, false)
    } else {
        return causale.to_string();
    };
    let mut out = parole[..testa].join(" ");
    if !out.is_empty() {
        out.push(' ');
    }
    if di {
        out.push_str(&format!("rata {n} di {n_rate}"));
    } else {
        out.push_str(&format!("rata {n}"));
    }
    out
}

/// The fields a new option copies from another of its position: the payer, its address, the
/// payment type (amount, due date, causale and IUD are the new option's own).
fn campi_del_pagatore(r: &RawRow) -> DebtInput {
    let t = |c: Column| {
        let v = r.get(c).trim();
        (!v.is_empty()).then(|| v.to_string())
    };
    DebtInput {
        codice: t(Column::CodiceIdentificativoUnivoco),
        tipo_pagatore: t(Column::TipoIdentificativoUnivoco),
        anagrafica: t(Column::AnagraficaPagatore),
        tipo_dovuto: t(Column::TipoDovuto),
        email: t(Column::EmailPagatore),
        indirizzo: t(Column::IndirizzoPagatore),
        civico: t(Column::CivicoPagatore),
        cap: t(Column::CapPagatore),
        localita: t(Column::LocalitaPagatore),
        provincia: t(Column::ProvinciaPagatore),
        nazione: t(Column::NazionePagatore),
        ..Default::default()
    }
}

/// A change refused as a whole (the position is settled, the option is not there…).
fn rifiuta<T>(messaggio: String) -> Result<T> {
    Err(StoreError::NotAllowed(messaggio).into())
}

/// One option of a position as it would be after a change.
struct Prevista {
    rata: Rata,
    /// The stored debt (none: the option to add).
    iud: Option<String>,
    row: RawRow,
    /// Changed or new: checked again as a debt.
    cambiata: bool,
}

impl Desk {
    /// Changes the options of the position `codice_o_iud` (its code, or the IUD of one of its
    /// debts): the [`CambioRata`]s together, in order, options named by their number as
    /// stored (new instalments go after the last). Refused while one of its options is paid
    /// (the position is settled) or on its way to MyPay (waiting for the outcome of a flow).
    /// The instalments are numbered 1, 2, 3… again (each causale "… rata k di N" with them),
    /// then every changed debt and the position's rules are checked on the result: with a
    /// problem nothing is written and each problem names its option. A debt MyPay holds goes
    /// out as an `M` row when its amount, due date or causale change, as an `A` row when
    /// removed.
    pub fn cambia_posizione(
        &mut self,
        codice_o_iud: &str,
        cambi: &[CambioRata],
    ) -> Result<EsitoPosizione> {
        let p = match self.store.posizione(codice_o_iud)? {
            Some(p) => p,
            None => self
                .store
                .posizione_del_dovuto(codice_o_iud)?
                .ok_or_else(|| StoreError::DovutoNotFound(codice_o_iud.to_string()))?,
        };
        if cambi.is_empty() {
            return Ok(EsitoPosizione::Salvata {
                posizione: Box::new(PosizioneVista::da(p)),
            });
        }
        if p.opzioni.iter().any(|o| o.stato == DovutoStato::Paid) {
            return rifiuta(format!(
                "la posizione {} ha già una rata pagata: le sue rate non si possono più cambiare",
                p.codice
            ));
        }
        if let Some(o) = p.opzioni.iter().find(|o| o.stato == DovutoStato::Sent) {
            return rifiuta(format!(
                "la {} della posizione {} è in un flusso in attesa dell'esito di MyPay: \
                 le rate si potranno cambiare dopo l'esito",
                o.rata.etichetta(),
                p.codice
            ));
        }
        let tipi = self.store.tipi_dovuto()?;
        // The options still alive (neither cancelled nor being cancelled), as stored.
        let mut previste: Vec<Prevista> = Vec::new();
        for o in p.opzioni.iter().filter(|o| !o.annullata()) {
            let d = self
                .store
                .dovuto(&o.iud)?
                .ok_or_else(|| StoreError::DovutoNotFound(o.iud.clone()))?;
            // Checked for every option before anything is written (the store would refuse
            // the one in question only after the others were changed).
            if d.pagamento_iniziato_at.is_some() {
                return rifiuta(format!(
                    "il pagamento della {} della posizione {} è iniziato: le rate non si possono \
                     più cambiare finché non se ne conosce l'esito",
                    o.rata.etichetta(),
                    p.codice
                ));
            }
            previste.push(Prevista {
                rata: o.rata,
                iud: Some(o.iud.clone()),
                row: d.row,
                cambiata: false,
            });
        }
        let non_c_e = |rata: Rata| {
            rifiuta(format!(
                "la posizione {} non ha una {} da cambiare (o è già annullata)",
                p.codice,
                rata.etichetta()
            ))
        };
        let mut problemi: Vec<ProblemaOpzione> = Vec::new();
        let riferisci = |rata: Rata| {
            move |pr: Problem| ProblemaOpzione {
                rata: Some(rata),
                etichetta: rata.etichetta(),
                problema: pr,
            }
        };
        let mut rimosse: Vec<String> = Vec::new();
        for cambio in cambi {
            // A stored option, by its stored number.
            let trova = |previste: &[Prevista], rata: Rata| {
                previste
                    .iter()
                    .position(|x| x.iud.is_some() && x.rata == rata)
            };
            match cambio {
                CambioRata::Modifica {
                    rata,
                    importo,
                    scadenza,
                } => {
                    let Some(i) = trova(&previste, *rata) else {
                        return non_c_e(*rata);
                    };
                    let iud = previste[i].iud.clone().unwrap_or_default();
                    let campi = DebtInput {
                        importo: importo.clone(),
                        scadenza: scadenza.clone(),
                        ..Default::default()
                    };
                    match input::apply(&campi, &previste[i].row, &tipi, || iud.clone()) {
                        Ok(row) => {
                            previste[i].row = row;
                            previste[i].cambiata = true;
                        }
                        Err(e) => problemi.extend(
                            crate::debts::input_problems(e)
                                .into_iter()
                                .map(riferisci(*rata)),
                        ),
                    }
                }
                CambioRata::Aggiungi { importo, scadenza } => {
                    let ultima = previste.iter().map(|x| x.rata.numero()).max().unwrap_or(0);
                    let Some(modello) = previste.first() else {
                        return rifiuta(format!(
                            "la posizione {} non ha più opzioni da pagare: non si possono aggiungere rate",
                            p.codice
                        ));
                    };
                    let rata = Rata::N(ultima + 1);
                    let mut campi = campi_del_pagatore(&modello.row);
                    campi.iud = Some(format!("{}R{:02}", self.new_iud(), rata.numero()));
                    campi.importo = Some(importo.clone());
                    campi.scadenza = scadenza.clone();
                    // "… rata N di N": the numbering below makes every "di N" right.
                    let oggetto = p.oggetto.trim();
                    let n = rata.numero();
                    campi.causale = Some(if oggetto.is_empty() {
                        format!("rata {n} di {n}")
                    } else {
                        format!("{oggetto} - rata {n} di {n}")
                    });
                    match input::apply(&campi, &RawRow::default(), &tipi, String::new) {
                        Ok(row) => previste.push(Prevista {
                            rata,
                            iud: None,
                            row,
                            cambiata: true,
                        }),
                        Err(e) => problemi.extend(
                            crate::debts::input_problems(e)
                                .into_iter()
                                .map(riferisci(rata)),
                        ),
                    }
                }
                CambioRata::Rimuovi { rata } => {
                    let Some(i) = trova(&previste, *rata) else {
                        return non_c_e(*rata);
                    };
                    let x = previste.remove(i);
                    rimosse.extend(x.iud);
                }
            }
        }
        if previste.is_empty() {
            return rifiuta(format!(
                "senza opzioni la posizione {} non avrebbe niente da pagare: \
                 per non farla pagare si annullano i suoi dovuti",
                p.codice
            ));
        }
        let n_rate = previste.iter().filter(|x| !x.rata.is_unica()).count();
        if n_rate > posizione::MAX_RATE as usize {
            return rifiuta(format!(
                "una posizione ha al massimo {} rate",
                posizione::MAX_RATE
            ));
        }
        // The instalments numbered 1, 2, 3… again, each causale with the new numbers.
        previste.sort_by_key(|x| x.rata);
        let mut n = 0u8;
        for x in previste.iter_mut() {
            if x.rata.is_unica() {
                continue;
            }
            n += 1;
            x.rata = Rata::N(n);
            let causale = causale_rinumerata(x.row.get(Column::CausaleVersamento), x.rata, n_rate);
            if causale != x.row.get(Column::CausaleVersamento) {
                x.row.set(Column::CausaleVersamento, causale);
                x.cambiata = true;
            }
        }
        for x in previste.iter().filter(|x| x.cambiata) {
            let (errori, _avvisi) = self.check(&x.row, x.iud.as_deref())?;
            problemi.extend(errori.into_iter().map(riferisci(x.rata)));
        }
        if problemi.is_empty() {
            let regole = regole_di(&tipi, &p.tipo_dovuto);
            let opzioni: Vec<Opzione<'_>> = previste
                .iter()
                .map(|x| Opzione {
                    rata: x.rata,
                    codice_pagatore: x.row.get(Column::CodiceIdentificativoUnivoco),
                    importo_cents: input::cents(x.row.get(Column::ImportoDovuto)).unwrap_or(0),
                    scadenza: dates::parse_date_strict(x.row.get(Column::DataScadenzaPagamento))
                        .ok(),
                })
                .collect();
            problemi.extend(
                posizione::controlla(&opzioni, &regole)
                    .into_iter()
                    .map(problema_posizione),
            );
        }
        if !problemi.is_empty() {
            return Ok(EsitoPosizione::NonValida { problemi });
        }
        // Written: the removed options first (their numbers freed), then the others in order
        // (each number is free when it is given: instalments only move up).
        let now = self.now();
        for iud in &rimosse {
            self.store.cancel_dovuto(iud, now)?;
            self.store.stacca_opzione(iud, now)?;
        }
        // An option cancelled before (by the clerk, or once the other way was paid) leaves its
        // number to the one that takes it now, and the position: it is no longer one of its
        // ways of paying.
        for o in p.opzioni.iter().filter(|o| o.annullata()) {
            if previste.iter().any(|x| x.rata == o.rata) {
                self.store.stacca_opzione(&o.iud, now)?;
            }
        }
        let bozze = p
            .opzioni
            .iter()
            .filter(|o| !o.annullata())
            .all(|o| o.stato == DovutoStato::Draft);
        for x in previste {
            match &x.iud {
                Some(iud) => {
                    let d = self
                        .store
                        .dovuto(iud)?
                        .ok_or_else(|| StoreError::DovutoNotFound(iud.clone()))?;
                    if p.opzioni.iter().any(|o| &o.iud == iud && o.rata != x.rata) {
                        self.store.rinumera_opzione(iud, x.rata, now)?;
                    }
                    if d.row != x.row {
                        self.store
                            .update_dovuto(iud, &Desk::to_new(x.row, d.stato), now)?;
                    }
                }
                None => {
                    let stato = if bozze {
                        DovutoStato::Draft
                    } else {
                        DovutoStato::Ready
                    };
                    let mut nuovo = Desk::to_new(x.row, stato);
                    nuovo.posizione = Some(PosizioneDi {
                        codice: p.codice.clone(),
                        rata: x.rata,
                        oggetto: p.oggetto.clone(),
                    });
                    self.store.insert_dovuti(&[nuovo], now)?;
                }
            }
        }
        let p = self
            .store
            .posizione(&p.codice)?
            .ok_or_else(|| StoreError::DovutoNotFound(p.codice.clone()))?;
        Ok(EsitoPosizione::Salvata {
            posizione: Box::new(PosizioneVista::da(p)),
        })
    }

    /// The positions the debts `iuds` belong to (a page of the list), by IUD; debts on their
    /// own are left out.
    pub fn posizioni_dei_dovuti(
        &self,
        iuds: &[String],
    ) -> Result<std::collections::HashMap<String, std::sync::Arc<PosizioneVista>>> {
        let codici = self.store.codici_posizione_dei_dovuti(iuds)?;
        let mut lette: std::collections::HashMap<String, std::sync::Arc<PosizioneVista>> =
            Default::default();
        let mut out = std::collections::HashMap::new();
        for (iud, codice) in codici {
            let p = match lette.get(&codice) {
                Some(p) => p.clone(),
                None => {
                    let Some(p) = self.store.posizione(&codice)? else {
                        continue;
                    };
                    let p = std::sync::Arc::new(PosizioneVista::da(p));
                    lette.insert(codice, p.clone());
                    p
                }
            };
            out.insert(iud, p);
        }
        Ok(out)
    }

    /// The position `codice_o_iud` names (its code or one of its debts' IUD), or the debt with
    /// this IUD as a position of one (its only option the rata unica, its code the IUD): what
    /// a notice is printed from.
    pub fn posizione_o_dovuto(&self, codice_o_iud: &str) -> Result<Option<PosizioneVista>> {
        if let Some(p) = self.posizione(codice_o_iud)? {
            return Ok(Some(p));
        }
        let Some(d) = self.store.dovuto(codice_o_iud)? else {
            return Ok(None);
        };
        let r = &d.row;
        let record = PosizioneRecord {
            id: 0,
            codice: d.iud.clone(),
            codice_pagatore: r.get(Column::CodiceIdentificativoUnivoco).to_string(),
            tipo_dovuto: r.get(Column::TipoDovuto).to_string(),
            oggetto: r.get(Column::CausaleVersamento).to_string(),
            opzioni: vec![mpd_store::posizioni::OpzioneRecord {
                rata: Rata::Unica,
                iud: d.iud.clone(),
                iuv: r.get(Column::CodIuv).to_string(),
                stato: d.stato,
                azione_pendente: d.azione_pendente,
                importo_cents: d.importo_cents,
                data_scadenza: r.get(Column::DataScadenzaPagamento).to_string(),
                anagrafica: r.get(Column::AnagraficaPagatore).to_string(),
            }],
        };
        Ok(Some(PosizioneVista::da(record)))
    }
}

#[cfg(test)]
#[path = "posizioni_tests.rs"]
mod tests;
