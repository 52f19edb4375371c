//! The finance office's side of the reconciliation (issue 16 item 4): where each payment goes in
//! the budget, the collected amounts by payment type, chapter, accertamento and month, and the
//! **proposta di reversale** that closes a treasury provisional receipt (spec riconciliazione
//! §5.1–§5.2, §6.2 point 1).
//!
//! * [`imputa`]: a payment's allocation ([`Imputazione`]). From the debt's `bilancio` (one line
//!   per capitolo × accertamento, split as the bilancio splits the amount); else the payment
//!   type's default chapter ([`Voce`], from the Ente's profile); else «capitolo non indicato».
//!   When the amount paid is not the bilancio's total (a payment of another amount), the lines
//!   are scaled to it with the largest-remainder rule ([`ripartisci`]), so they always add up
//!   to the cent.
//! * [`totali`] / [`riepilogo`]: sums of integer cents, so every grouping adds up exactly to the
//!   grand total.
//! * [`Provvisorio`]: a treasury provisional receipt (a *bolletta*), the input of the reversal
//!   proposals and of MyPivot's labels ([`crate::mypivot`]). The treasury import is another
//!   part of issue 16; these functions only read what it gives.
//! * [`proposte`]: for each provisional receipt with an IUF or an IUV, the payments it covers
//!   (the IUF's FdR rows, or the single transfer's IUV), their split by chapter and
//!   accertamento, and the residue when they do not cover the entry. The residue is a line of
//!   its own, so the lines of a proposal always add up to the receipt's amount.
//!
//! No IO, no clock: dates come in with the data.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::bilancio::parse_bilancio;
use crate::money;
use crate::testo::conta;

/// Where an amount goes in the budget. Empty text is "not given".
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Voce {
    /// Budget chapter (`codCapitolo`); empty: «capitolo non indicato».
    pub capitolo: String,
    /// Article of the chapter, when the Ente's accounting uses one.
    pub articolo: String,
    /// The accertamento (`codAccertamento`).
    pub accertamento: String,
    /// The office the chapter belongs to (`codUfficio`).
    pub ufficio: String,
}

impl Voce {
    /// The chapter (and article) as the clerk reads it, «capitolo non indicato» when absent.
    pub fn capitolo_leggibile(&self) -> String {
        match (self.capitolo.is_empty(), self.articolo.is_empty()) {
            (true, _) => CAPITOLO_NON_INDICATO.to_string(),
            (false, true) => self.capitolo.clone(),
            (false, false) => format!("{}/{}", self.capitolo, self.articolo),
        }
    }
}

/// What the clerk reads for an amount whose chapter no one gave.
pub const CAPITOLO_NON_INDICATO: &str = "capitolo non indicato";

/// Where an allocation came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Origine {
    /// The debt's `bilancio`.
    Bilancio,
    /// The payment type's default chapter (the Ente's profile).
    Predefinito,
    /// Neither: «capitolo non indicato».
    NonIndicato,
}

impl Origine {
    /// The origin as the clerk reads it.
    pub fn etichetta(self) -> &'static str {
        match self {
            Origine::Bilancio => "bilancio del dovuto",
            Origine::Predefinito => "capitolo predefinito del tipo dovuto",
            Origine::NonIndicato => CAPITOLO_NON_INDICATO,
        }
    }
}

/// One line of a payment's allocation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imputazione {
    pub voce: Voce,
    pub importo_cents: i64,
    pub origine: Origine,
}

/// Splits `importo_cents` over `pesi` in proportion (largest remainder: the cents left by the
/// rounding down go to the largest fractions, the earlier line first on a tie). The result adds
/// up to `importo_cents` exactly; weights that add up to zero or less give everything to the
/// first line.
pub fn ripartisci(importo_cents: i64, pesi: &[i64]) -> Vec<i64> {
    let totale: i128 = pesi.iter().map(|&p| i128::from(p)).sum();
    if pesi.is_empty() {
        return Vec::new();
    }
    if totale <= 0 {
        let mut v = vec![0; pesi.len()];
        v[0] = importo_cents;
        return v;
    }
    let importo = i128::from(importo_cents);
    let mut quote: Vec<i128> = Vec::with_capacity(pesi.len());
    let mut resti: Vec<(i128, usize)> = Vec::with_capacity(pesi.len());
    for (i, &p) in pesi.iter().enumerate() {
        let prodotto = importo * i128::from(p);
        let q = prodotto.div_euclid(totale);
        quote.push(q);
        resti.push((prodotto.rem_euclid(totale), i));
    }
    let mut mancano = importo - quote.iter().sum::<i128>();
    // Largest remainder first; on a tie the earlier line.
    resti.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in resti.iter().cycle() {
        if mancano <= 0 {
            break;
        }
        quote[*i] += 1;
        mancano -= 1;
    }
    quote.into_iter().map(|q| q as i64).collect()
}

/// A payment's allocation: from `bilancio` (the debt's XML, empty when none), else from the
/// payment type's default chapter `predefinito`, else «capitolo non indicato». The lines add up
/// to `importo_cents`. A bilancio that cannot be read, or whose amounts add up to zero, counts
/// as absent (the debt's form and its import already refuse one).
pub fn imputa(importo_cents: i64, bilancio: &str, predefinito: Option<&Voce>) -> Vec<Imputazione> {
    if let Some(righe) = righe_bilancio(bilancio) {
        let pesi: Vec<i64> = righe.iter().map(|(_, c)| *c).collect();
        let importi = ripartisci(importo_cents, &pesi);
        return righe
            .into_iter()
            .zip(importi)
            .map(|((voce, _), importo_cents)| Imputazione {
                voce,
                importo_cents,
                origine: Origine::Bilancio,
            })
            .collect();
    }
    match predefinito.filter(|v| !v.capitolo.trim().is_empty()) {
        Some(v) => vec![Imputazione {
            voce: v.clone(),
            importo_cents,
            origine: Origine::Predefinito,
        }],
        None => vec![Imputazione {
            voce: Voce::default(),
            importo_cents,
            origine: Origine::NonIndicato,
        }],
    }
}

/// The bilancio's lines, the same chapter and accertamento merged, in the order first met; None
/// when absent, unreadable or adding up to zero.
fn righe_bilancio(bilancio: &str) -> Option<Vec<(Voce, i64)>> {
    if bilancio.trim().is_empty() {
        return None;
    }
    let b = parse_bilancio(bilancio).ok()?;
    let mut righe: Vec<(Voce, i64)> = Vec::new();
    for c in &b.capitoli {
        for a in &c.accertamenti {
            let importo: Decimal = a.importo.trim().parse().ok()?;
            let cents = i64::try_from((importo * Decimal::ONE_HUNDRED).round_dp(0)).ok()?;
            let voce = Voce {
                capitolo: c.cod_capitolo.trim().to_string(),
                articolo: String::new(),
                accertamento: a.cod_accertamento.unwrap_or("").trim().to_string(),
                ufficio: c.cod_ufficio.unwrap_or("").trim().to_string(),
            };
            match righe.iter_mut().find(|(v, _)| *v == voce) {
                Some((_, c)) => *c += cents,
                None => righe.push((voce, cents)),
            }
        }
    }
    (righe.iter().map(|(_, c)| c).sum::<i64>() > 0).then_some(righe)
}

/// A collected payment as the finance office sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pagamento {
    pub iuv: String,
    pub iur: String,
    /// The payment type's code (empty when unknown).
    pub tipo_dovuto: String,
    /// The payment's date (the receipt's outcome date).
    pub data: Option<NaiveDate>,
    pub importo_cents: i64,
    /// Its allocation ([`imputa`]), adding up to `importo_cents`.
    pub imputazioni: Vec<Imputazione>,
    /// The FdR rows that report it: the flow's IUF and the amount reported.
    pub rendicontazioni: Vec<(String, i64)>,
}

/// How collected amounts are grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Raggruppamento {
    Tipo,
    Capitolo,
    Accertamento,
    Mese,
}

impl Raggruppamento {
    /// Every grouping, in the order the summary shows them.
    pub const TUTTI: [Raggruppamento; 4] = [
        Raggruppamento::Tipo,
        Raggruppamento::Capitolo,
        Raggruppamento::Accertamento,
        Raggruppamento::Mese,
    ];

    /// The grouping's code, as the front ends name it.
    pub fn codice(self) -> &'static str {
        match self {
            Raggruppamento::Tipo => "tipo",
            Raggruppamento::Capitolo => "capitolo",
            Raggruppamento::Accertamento => "accertamento",
            Raggruppamento::Mese => "mese",
        }
    }

    /// The grouping a front end named.
    pub fn parse(codice: &str) -> Option<Raggruppamento> {
        Raggruppamento::TUTTI
            .into_iter()
            .find(|r| r.codice() == codice)
    }
}

/// One group's collected amount.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Totale {
    /// The group: a payment type's code, a chapter (`capitolo` or `capitolo/articolo`), an
    /// accertamento, a month (`yyyy-mm`); empty when not given.
    pub chiave: String,
    /// Payments with an amount in the group (a payment split over two chapters counts in both).
    pub pagamenti: usize,
    pub importo_cents: i64,
}

fn chiave_capitolo(v: &Voce) -> String {
    if v.articolo.is_empty() {
        v.capitolo.clone()
    } else {
        format!("{}/{}", v.capitolo, v.articolo)
    }
}

/// The collected amounts grouped `per`, sorted by key with "not given" (empty key) last. The
/// amounts add up to the payments' total exactly, whatever the grouping.
pub fn totali(pagamenti: &[Pagamento], per: Raggruppamento) -> Vec<Totale> {
    let mut gruppi: BTreeMap<String, (BTreeSet<usize>, i64)> = BTreeMap::new();
    for (n, p) in pagamenti.iter().enumerate() {
        let mut aggiungi = |chiave: String, cents: i64| {
            let g = gruppi.entry(chiave).or_default();
            g.0.insert(n);
            g.1 += cents;
        };
        match per {
            Raggruppamento::Tipo => aggiungi(p.tipo_dovuto.clone(), p.importo_cents),
            Raggruppamento::Mese => aggiungi(
                p.data
                    .map(|d| d.format("%Y-%m").to_string())
                    .unwrap_or_default(),
                p.importo_cents,
            ),
            Raggruppamento::Capitolo => {
                for i in &p.imputazioni {
                    aggiungi(chiave_capitolo(&i.voce), i.importo_cents);
                }
            }
            Raggruppamento::Accertamento => {
                for i in &p.imputazioni {
                    aggiungi(i.voce.accertamento.clone(), i.importo_cents);
                }
            }
        }
    }
    let mut out: Vec<Totale> = gruppi
        .into_iter()
        .map(|(chiave, (ns, importo_cents))| Totale {
            chiave,
            pagamenti: ns.len(),
            importo_cents,
        })
        .collect();
    // "Not given" last: the empty key sorts first in the map.
    if out.first().is_some_and(|t| t.chiave.is_empty()) {
        let vuoto = out.remove(0);
        out.push(vuoto);
    }
    out
}

/// Every grouping of the collected amounts, and the grand total.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Riepilogo {
    pub pagamenti: usize,
    pub totale_cents: i64,
    pub per_tipo: Vec<Totale>,
    pub per_capitolo: Vec<Totale>,
    pub per_accertamento: Vec<Totale>,
    pub per_mese: Vec<Totale>,
}

/// The collected amounts by payment type, chapter, accertamento and month.
pub fn riepilogo(pagamenti: &[Pagamento]) -> Riepilogo {
    Riepilogo {
        pagamenti: pagamenti.len(),
        totale_cents: pagamenti.iter().map(|p| p.importo_cents).sum(),
        per_tipo: totali(pagamenti, Raggruppamento::Tipo),
        per_capitolo: totali(pagamenti, Raggruppamento::Capitolo),
        per_accertamento: totali(pagamenti, Raggruppamento::Accertamento),
        per_mese: totali(pagamenti, Raggruppamento::Mese),
    }
}

/// Where a treasury entry was read from: MyPivot keeps the bank's XLS movements (`T`) apart
/// from the giornale di cassa (CSV, OPI, Poste: `C`, `O`, `Y`), and joins them differently
/// (spec §4.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Fonte {
    /// The bank's XLS/XLSX movements (MyPivot's `T`).
    Xls,
    /// The giornale di cassa: CSV, OPI/SIOPE+ XML, Poste statement (`C`, `O`, `Y`).
    Giornale,
}

/// A treasury provisional receipt (*bolletta*, *provvisorio/sospeso di entrata*): what the
/// treasury import gives the reconciliation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provvisorio {
    pub fonte: Fonte,
    /// The financial year (`esercizio`, `anno bolletta`).
    pub anno: String,
    /// The receipt's number (`numero bolletta`, `numero_bolletta_quietanza`).
    pub numero: String,
    /// The accounting date (`data contabile`, `data_movimento`).
    pub data_contabile: Option<NaiveDate>,
    pub data_valuta: Option<NaiveDate>,
    pub importo_cents: i64,
    /// Who sent the money (`denominazione ordinante`, `anagrafica_cliente`).
    pub ordinante: String,
    pub causale: String,
    /// The FdR's IUF read from the causale (a cumulative transfer).
    pub iuf: Option<String>,
    /// The IUV read from the causale (a single payment's transfer).
    pub iuv: Option<String>,
    /// When it was imported (MyPivot's optional one-year window, [`crate::mypivot`]).
    pub acquisito: Option<NaiveDate>,
}

/// One line of a reversal proposal: a chapter × accertamento and its amount.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RigaProposta {
    /// Empty chapter on the residue line and for payments without a chapter.
    pub voce: Voce,
    pub importo_cents: i64,
    /// The payments with an amount on this line.
    pub pagamenti: usize,
    /// The residue: the part of the receipt no payment here covers (positive) or the excess of
    /// the payments over it (negative).
    pub residuo: bool,
    /// What the line is, for the accounting package's description field.
    pub descrizione: String,
}

/// The proposta di reversale of one provisional receipt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proposta {
    /// The provisional receipt (index into the receipts given).
    pub provvisorio: usize,
    /// Lines sorted by chapter, article and accertamento, the residue last; they add up to the
    /// receipt's amount.
    pub righe: Vec<RigaProposta>,
    /// The payments covered (indexes into the payments given).
    pub pagamenti: Vec<usize>,
    /// Sum of the covered payments.
    pub coperto_cents: i64,
    /// The receipt's amount minus the covered payments.
    pub residuo_cents: i64,
    /// The proposal as the clerk reads it.
    pub motivo: String,
}

fn euro(cents: i64) -> String {
    money::format_it(Decimal::new(cents, 2))
}

/// The reversal proposals of the provisional receipts that carry an IUF or an IUV (in their
/// order; a receipt with neither is not a pagoPA transfer and gets none). Through the IUF: the
/// payments reported in that FdR (the IUF compared without regard to case, as MyPivot), each for
/// the amount the FdR reports; through the IUV: the payments of that IUV, for their amount.
pub fn proposte(provvisori: &[Provvisorio], pagamenti: &[Pagamento]) -> Vec<Proposta> {
    let mut per_iuf: HashMap<String, Vec<(usize, i64)>> = HashMap::new();
    let mut per_iuv: HashMap<&str, Vec<usize>> = HashMap::new();
    for (n, p) in pagamenti.iter().enumerate() {
        for (iuf, cents) in &p.rendicontazioni {
            per_iuf
                .entry(iuf.to_ascii_uppercase())
                .or_default()
                .push((n, *cents));
        }
        per_iuv.entry(p.iuv.as_str()).or_default().push(n);
    }
    provvisori
        .iter()
        .enumerate()
        .filter_map(|(k, prov)| {
            let (coperti, riferimento): (Vec<(usize, i64)>, String) =
                if let Some(iuf) = prov.iuf.as_deref().filter(|s| !s.is_empty()) {
                    (
                        per_iuf
                            .get(&iuf.to_ascii_uppercase())
                            .cloned()
                            .unwrap_or_default(),
                        format!("flusso {iuf}"),
                    )
                } else if let Some(iuv) = prov.iuv.as_deref().filter(|s| !s.is_empty()) {
                    (
                        per_iuv
                            .get(iuv)
                            .map(|v| v.iter().map(|&n| (n, pagamenti[n].importo_cents)).collect())
                            .unwrap_or_default(),
                        format!("IUV {iuv}"),
                    )
                } else {
                    return None;
                };
            Some(proposta(k, prov, pagamenti, &coperti, &riferimento))
        })
        .collect()
}

/// A proposal's line being built: its voce, amount, payments and payment types.
type Linea<'a> = (Voce, i64, BTreeSet<usize>, BTreeSet<&'a str>);

/// One receipt's proposal from the payments it covers, each with the amount covered.
fn proposta(
    k: usize,
    prov: &Provvisorio,
    pagamenti: &[Pagamento],
    coperti: &[(usize, i64)],
    riferimento: &str,
) -> Proposta {
    // (voce) -> (amount, payments, payment types)
    let mut linee: BTreeMap<(String, String, String), Linea<'_>> = BTreeMap::new();
    for &(n, cents) in coperti {
        let p = &pagamenti[n];
        let pesi: Vec<i64> = p.imputazioni.iter().map(|i| i.importo_cents).collect();
        let importi = if p.imputazioni.is_empty() {
            Vec::new()
        } else {
            ripartisci(cents, &pesi)
        };
        let mut righe: Vec<(Voce, i64)> = p
            .imputazioni
            .iter()
            .zip(importi)
            .map(|(i, c)| (i.voce.clone(), c))
            .collect();
        if righe.is_empty() {
            righe.push((Voce::default(), cents));
        }
        for (voce, c) in righe {
            let chiave = (
                voce.capitolo.clone(),
                voce.articolo.clone(),
                voce.accertamento.clone(),
            );
            let l = linee
                .entry(chiave)
                .or_insert_with(|| (voce, 0, BTreeSet::new(), BTreeSet::new()));
            l.1 += c;
            l.2.insert(n);
            l.3.insert(p.tipo_dovuto.as_str());
        }
    }
    let coperto_cents: i64 = coperti.iter().map(|(_, c)| c).sum();
    let residuo_cents = prov.importo_cents - coperto_cents;
    let mut righe: Vec<RigaProposta> = Vec::with_capacity(linee.len() + 1);
    for (_, (voce, importo_cents, ns, tipi)) in linee {
        let tipi: Vec<&str> = tipi.into_iter().filter(|t| !t.is_empty()).collect();
        let mut descrizione = String::new();
        if !tipi.is_empty() {
            descrizione.push_str(&tipi.join(", "));
            descrizione.push_str(": ");
        }
        descrizione.push_str(&format!(
            "{}, {riferimento}",
            conta(ns.len(), "pagamento", "pagamenti")
        ));
        if voce.capitolo.is_empty() {
            descrizione.push_str(" (capitolo da indicare)");
        }
        righe.push(RigaProposta {
            voce,
            importo_cents,
            pagamenti: ns.len(),
            residuo: false,
            descrizione,
        });
    }
    // The lines without a chapter after those with one (the map sorts them first).
    righe.sort_by_key(|r| r.voce.capitolo.is_empty());
    if residuo_cents != 0 {
        righe.push(RigaProposta {
            voce: Voce::default(),
            importo_cents: residuo_cents,
            pagamenti: 0,
            residuo: true,
            descrizione: if residuo_cents > 0 {
                format!("residuo non coperto dai pagamenti del {riferimento}")
            } else {
                format!("pagamenti del {riferimento} oltre l'importo del provvisorio")
            },
        });
    }
    let motivo = if coperti.is_empty() {
        format!(
            "nessun pagamento del {riferimento} tra quelli importati: l'intero importo ({}) resta da imputare",
            euro(prov.importo_cents)
        )
    } else if residuo_cents == 0 {
        format!(
            "{} del {riferimento} coprono esattamente il provvisorio ({})",
            conta(coperti.len(), "pagamento", "pagamenti"),
            euro(prov.importo_cents)
        )
    } else if residuo_cents > 0 {
        format!(
            "{} del {riferimento} coprono {} dei {} del provvisorio: restano {} da imputare",
            conta(coperti.len(), "pagamento", "pagamenti"),
            euro(coperto_cents),
            euro(prov.importo_cents),
            euro(residuo_cents)
        )
    } else {
        format!(
            "{} del {riferimento} sommano {}, più dei {} del provvisorio: verifichi il riversamento con il tesoriere",
            conta(coperti.len(), "pagamento", "pagamenti"),
            euro(coperto_cents),
            euro(prov.importo_cents)
        )
    };
    let mut pagamenti_coperti: Vec<usize> = coperti.iter().map(|(n, _)| *n).collect();
    pagamenti_coperti.dedup();
    Proposta {
        provvisorio: k,
        righe,
        pagamenti: pagamenti_coperti,
        coperto_cents,
        residuo_cents,
        motivo,
    }
}

#[cfg(test)]
mod tests;
