//! Reconciliation, first part (issue 16): each receipt matched to the PSPs' FdR rows, and each
//! payment given **one state with its reason** (spec riconciliazione §4, §7.1).
//!
//! Key: `(IUV, IUR, indice)`, exact and case-sensitive, as MyPivot joins RT and FdR. A receipt
//! of MyPay's export is one transfer, index 1; an FdR row without `indiceDatiSingoloPagamento`
//! counts as index 1 by default (MyPivot never matches it; [`Regole::indice_mancante_primo`]
//! off does the same). Amounts in cents, compared exactly (no tolerance, as MyPivot).
//!
//! Outcome codes (§1.3): 3 (revoked) rows are kept but take no part in the matching nor in the
//! totals; 0 and 4 (Stand-In) are plain payments; 8 (Stand-In without RPT) is one too, so with
//! no receipt it is "reported, no receipt here", its reason saying that the receipt may never
//! come; 9 (paid without RPT) with no receipt is reconciled from the flow itself by default, as
//! MyPivot does with its synthetic RT ([`Regole::esito9_rendicontato`] off makes it an
//! anomaly). Both are the spec's inferences, so they are rules the Ente can change.
//!
//! States: [`Stato::Pagato`] (no FdR row yet), [`Stato::Rendicontato`], and the anomalies this
//! slice can already tell: [`Stato::ImportoDiverso`], [`Stato::SenzaRicevuta`],
//! [`Stato::Doppio`] (more than one FdR row for the same IUV and index, in one flow or several:
//! PU's broader reading of MyPivot's `DOPPI`, which covers the 0 + 9 pair). The treasury's
//! states (incassato and the anomalies that stop it) are added on top by [`crate::incasso`].

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::money;

/// A payment's state in the reconciliation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stato {
    /// Paid (a receipt), not yet in any FdR.
    Pagato,
    /// Paid and reported by the PSP with the same amount.
    Rendicontato,
    /// Reported with another amount than the receipt's.
    ImportoDiverso,
    /// Reported by a PSP, but no receipt here.
    SenzaRicevuta,
    /// Reported more than once.
    Doppio,
    /// Paid, and no FdR after the days the rules allow ([`crate::incasso`]).
    NonRendicontato,
    /// Reported (or transferred on its own) and the money is in the treasury with the same
    /// amount ([`crate::incasso`]).
    Incassato,
    /// The treasury received another amount than the FdR's total (or the payment's, for a
    /// transfer on its own) ([`crate::incasso`]).
    IncassoDiverso,
    /// Reported, and the transfer not in the treasury after the days the rules allow
    /// ([`crate::incasso`]).
    NonIncassato,
}

impl Stato {
    /// Every state, in the order the front ends list them.
    pub const TUTTI: [Stato; 9] = [
        Stato::Pagato,
        Stato::NonRendicontato,
        Stato::Rendicontato,
        Stato::NonIncassato,
        Stato::Incassato,
        Stato::ImportoDiverso,
        Stato::IncassoDiverso,
        Stato::SenzaRicevuta,
        Stato::Doppio,
    ];

    /// The state a code names ([`Stato::codice`]).
    pub fn parse(codice: &str) -> Option<Stato> {
        Stato::TUTTI.into_iter().find(|s| s.codice() == codice)
    }

    /// The state's code (`snake_case`), as the front ends name it.
    pub fn codice(self) -> &'static str {
        match self {
            Stato::Pagato => "pagato",
            Stato::Rendicontato => "rendicontato",
            Stato::ImportoDiverso => "importo_diverso",
            Stato::SenzaRicevuta => "senza_ricevuta",
            Stato::Doppio => "doppio",
            Stato::NonRendicontato => "non_rendicontato",
            Stato::Incassato => "incassato",
            Stato::IncassoDiverso => "incasso_diverso",
            Stato::NonIncassato => "non_incassato",
        }
    }

    /// The state as the clerk reads it.
    pub fn etichetta(self) -> &'static str {
        match self {
            Stato::Pagato => "pagato, non ancora rendicontato",
            Stato::Rendicontato => "rendicontato",
            Stato::ImportoDiverso => "rendicontato con importo diverso",
            Stato::SenzaRicevuta => "rendicontato senza ricevuta",
            Stato::Doppio => "rendicontato più volte",
            Stato::NonRendicontato => "pagato, flusso di rendicontazione in ritardo",
            Stato::Incassato => "incassato in tesoreria",
            Stato::IncassoDiverso => "incassato con importo diverso",
            Stato::NonIncassato => "rendicontato, incasso in ritardo",
        }
    }

    /// An anomaly the clerk should look into.
    pub fn anomalia(self) -> bool {
        matches!(
            self,
            Stato::ImportoDiverso
                | Stato::SenzaRicevuta
                | Stato::Doppio
                | Stato::NonRendicontato
                | Stato::IncassoDiverso
                | Stato::NonIncassato
        )
    }
}

/// The matching's choices where the spec infers MyPivot's behaviour (§1.3, §2.6, §7.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Regole {
    /// An FdR row without `indiceDatiSingoloPagamento` is the first transfer (else, as in
    /// MyPivot, it matches no receipt).
    pub indice_mancante_primo: bool,
    /// An esito-9 row (paid without RPT) with no receipt is reconciled from the flow, as
    /// MyPivot's synthetic receipt (else it is "reported, no receipt here").
    pub esito9_rendicontato: bool,
}

impl Default for Regole {
    fn default() -> Regole {
        Regole {
            indice_mancante_primo: true,
            esito9_rendicontato: true,
        }
    }
}

/// A receipt to match (one transfer, index 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ricevuta {
    pub iuv: String,
    pub iur: String,
    pub importo_cents: i64,
}

/// An FdR row to match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Riga {
    pub iuf: String,
    pub iuv: String,
    pub iur: String,
    pub indice: Option<u8>,
    pub importo_cents: i64,
    pub esito: u8,
}

/// One payment's verdict: the receipt (index into the receipts given), the FdR rows (indexes
/// into the rows given), the state and its reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Esame {
    pub ricevuta: Option<usize>,
    pub righe: Vec<usize>,
    pub stato: Stato,
    pub motivo: String,
}

fn euro(cents: i64) -> String {
    money::format_it(Decimal::new(cents, 2))
}

fn elenco_iuf(righe: &[Riga], indici: &[usize]) -> String {
    let mut iuf: Vec<&str> = indici.iter().map(|&i| righe[i].iuf.as_str()).collect();
    iuf.dedup();
    iuf.iter()
        .map(|i| format!("«{i}»"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The row's transfer index as the matching sees it (`None`: matches no receipt).
fn indice(r: &Riga, regole: &Regole) -> Option<u8> {
    match r.indice {
        None if regole.indice_mancante_primo => Some(1),
        i => i,
    }
}

/// Matches every receipt to the FdR rows: one [`Esame`] per receipt (in their order), then one
/// per FdR row (or group of rows reported twice) that no receipt claims.
pub fn abbina(ricevute: &[Ricevuta], righe: &[Riga], regole: &Regole) -> Vec<Esame> {
    // Active rows by (IUV, index): more than one is a payment reported twice.
    let mut per_iuv: HashMap<(&str, Option<u8>), Vec<usize>> = HashMap::new();
    let mut revocate: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (i, r) in righe.iter().enumerate() {
        if r.esito == 3 {
            revocate.entry((&r.iuv, &r.iur)).or_default().push(i);
        } else {
            per_iuv
                .entry((&r.iuv, indice(r, regole)))
                .or_default()
                .push(i);
        }
    }
    let mut prese = vec![false; righe.len()];
    let mut esami = Vec::with_capacity(ricevute.len());
    for (n, ric) in ricevute.iter().enumerate() {
        let gruppo = per_iuv
            .get(&(ric.iuv.as_str(), Some(1)))
            .map_or(&[][..], |g| g);
        let mie: Vec<usize> = gruppo
            .iter()
            .copied()
            .filter(|&i| righe[i].iur == ric.iur)
            .collect();
        let esame = if gruppo.len() > 1 && !mie.is_empty() {
            for &i in gruppo {
                prese[i] = true;
            }
            Esame {
                ricevuta: Some(n),
                righe: gruppo.to_vec(),
                stato: Stato::Doppio,
                motivo: format!(
                    "lo IUV è rendicontato {} volte (flussi {}): verifichi con il PSP se il pagamento è stato riversato due volte",
                    gruppo.len(),
                    elenco_iuf(righe, gruppo)
                ),
            }
        } else if let Some(&i) = mie.first() {
            prese[i] = true;
            let r = &righe[i];
            if r.importo_cents == ric.importo_cents {
                Esame {
                    ricevuta: Some(n),
                    righe: vec![i],
                    stato: Stato::Rendicontato,
                    motivo: format!("rendicontato nel flusso «{}»", r.iuf),
                }
            } else {
                Esame {
                    ricevuta: Some(n),
                    righe: vec![i],
                    stato: Stato::ImportoDiverso,
                    motivo: format!(
                        "il flusso «{}» riporta {} invece dei {} della ricevuta",
                        r.iuf,
                        euro(r.importo_cents),
                        euro(ric.importo_cents)
                    ),
                }
            }
        } else {
            let motivo = match revocate.get(&(ric.iuv.as_str(), ric.iur.as_str())) {
                Some(rev) => format!(
                    "il flusso {} lo riporta come revocato (esito 3), escluso dai totali: si attende un'altra rendicontazione",
                    elenco_iuf(righe, rev)
                ),
                None => "in attesa del flusso di rendicontazione del PSP".to_string(),
            };
            Esame {
                ricevuta: Some(n),
                righe: Vec::new(),
                stato: Stato::Pagato,
                motivo,
            }
        };
        esami.push(esame);
    }
    // Rows no receipt claimed, in the order of the rows.
    let mut gruppi: Vec<&Vec<usize>> = per_iuv.values().collect();
    gruppi.sort_by_key(|g| g[0]);
    for gruppo in gruppi {
        let libere: Vec<usize> = gruppo.iter().copied().filter(|&i| !prese[i]).collect();
        if libere.is_empty() {
            continue;
        }
        if gruppo.len() > 1 {
            esami.push(Esame {
                ricevuta: None,
                righe: libere,
                stato: Stato::Doppio,
                motivo: format!(
                    "lo IUV è rendicontato {} volte (flussi {}) e non ha una ricevuta qui",
                    gruppo.len(),
                    elenco_iuf(righe, gruppo)
                ),
            });
            continue;
        }
        let i = libere[0];
        let r = &righe[i];
        let (stato, motivo) = match r.esito {
            9 if regole.esito9_rendicontato => (
                Stato::Rendicontato,
                format!(
                    "rendicontato nel flusso «{}» con esito 9 (pagamento senza RPT): MyPay non ha una ricevuta, valgono i dati del flusso",
                    r.iuf
                ),
            ),
            9 => (
                Stato::SenzaRicevuta,
                format!(
                    "rendicontato nel flusso «{}» con esito 9 (pagamento senza RPT), ma nessuna ricevuta qui: verifichi il pagamento con il PSP",
                    r.iuf
                ),
            ),
            8 => (
                Stato::SenzaRicevuta,
                format!(
                    "rendicontato nel flusso «{}» con esito 8 (Stand-In senza RPT), ma nessuna ricevuta qui: la ricevuta potrebbe non arrivare mai; verifichi il pagamento con il PSP",
                    r.iuf
                ),
            ),
            _ => (
                Stato::SenzaRicevuta,
                format!(
                    "rendicontato nel flusso «{}», ma nessuna ricevuta qui: scarichi le ricevute; se manca ancora, lo IUV potrebbe non essere dell'Ente",
                    r.iuf
                ),
            ),
        };
        esami.push(Esame {
            ricevuta: None,
            righe: vec![i],
            stato,
            motivo,
        });
    }
    esami
}

/// An FdR's quadratura: the sum of its rows (esito 3 apart) against its declared total, and
/// their count against the declared count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quadratura {
    /// Both the total and the count agree.
    pub quadra: bool,
    /// Sum of the rows minus the declared total.
    pub differenza_cents: i64,
    /// Rows counted (esito 3 apart) minus the declared count.
    pub differenza_numero: i64,
    pub motivo: String,
}

/// The quadratura of one flow from its declared figures and its rows' count and sum (esito 3
/// apart).
pub fn quadratura(
    numero_dichiarato: i64,
    importo_dichiarato_cents: i64,
    righe_contate: i64,
    somma_cents: i64,
) -> Quadratura {
    let differenza_cents = somma_cents - importo_dichiarato_cents;
    let differenza_numero = righe_contate - numero_dichiarato;
    let mut motivi = Vec::new();
    if differenza_cents != 0 {
        motivi.push(format!(
            "la somma dei pagamenti ({}) non è il totale dichiarato ({})",
            euro(somma_cents),
            euro(importo_dichiarato_cents)
        ));
    }
    if differenza_numero != 0 {
        motivi.push(format!(
            "i pagamenti sono {} ma il flusso ne dichiara {}",
            crate::testo::numero(righe_contate),
            crate::testo::numero(numero_dichiarato)
        ));
    }
    let quadra = motivi.is_empty();
    Quadratura {
        quadra,
        differenza_cents,
        differenza_numero,
        motivo: if quadra {
            "la somma e il numero dei pagamenti corrispondono al dichiarato".into()
        } else {
            motivi.join("; ")
        },
    }
}

#[cfg(test)]
mod tests;
