//! Debt positions (issue 14): one payer's payment options for one subject ("TARI 2027" of a
//! household): an optional single payment (*rata unica*) and 1–12 instalments, each a debt of
//! its own with its IUD and, once MyPay assigns it, its IUV. MyPay's tracciato cannot group
//! them: the grouping is ours, and so are its rules, here as pure functions:
//!
//! * [`controlla`]: the checks of a position (one payer, amounts, due dates in order, the
//!   instalments adding up to the rata unica unless the payment type allows a discount);
//! * [`stato`]: the position's state from its options' states (da pagare, pagata in parte,
//!   pagata, annullata, pagamento doppio with the amount to refund);
//! * [`da_annullare`]: which options to cancel at MyPay once one is paid (the other way of
//!   paying), when the payment type asks for it.
//!
//! A debt outside any position is a position of one; these rules hold for it trivially.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::{dates, money};

/// The most instalments a position may have.
pub const MAX_RATE: u8 = 12;

/// Which option of its position a debt is. Stored and written as a number: 0 is the rata
/// unica, 1–12 an instalment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "u8", try_from = "u8")]
pub enum Rata {
    Unica,
    N(u8),
}

impl Rata {
    /// 0 for the rata unica, else the instalment's number.
    pub fn numero(self) -> u8 {
        match self {
            Rata::Unica => 0,
            Rata::N(n) => n,
        }
    }

    /// The option numbered `n` (0: rata unica), if `n` is one.
    pub fn da_numero(n: u8) -> Option<Rata> {
        match n {
            0 => Some(Rata::Unica),
            1..=MAX_RATE => Some(Rata::N(n)),
            _ => None,
        }
    }

    /// "rata unica", "rata 2".
    pub fn etichetta(self) -> String {
        match self {
            Rata::Unica => "rata unica".into(),
            Rata::N(n) => format!("rata {n}"),
        }
    }

    pub fn is_unica(self) -> bool {
        self == Rata::Unica
    }
}

impl From<Rata> for u8 {
    fn from(r: Rata) -> u8 {
        r.numero()
    }
}

impl TryFrom<u8> for Rata {
    type Error = String;
    fn try_from(n: u8) -> Result<Rata, String> {
        Rata::da_numero(n).ok_or_else(|| format!("rata {n}: le rate vanno da 1 a {MAX_RATE}"))
    }
}

/// A payment type's rules for positions (in the Ente profile, per payment type).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegolePosizioni {
    /// The rata unica may cost less than the instalments together (a discount for paying at
    /// once); the difference is stated on the notice. Off: they must be equal.
    #[serde(default)]
    pub sconto_rata_unica: bool,
    /// Paying the rata unica cancels the unpaid instalments at MyPay, and paying an instalment
    /// cancels the rata unica, so that nobody pays twice. On unless the payment type says not.
    #[serde(default = "si")]
    pub annulla_alternative: bool,
}

fn si() -> bool {
    true
}

impl Default for RegolePosizioni {
    fn default() -> Self {
        RegolePosizioni {
            sconto_rata_unica: false,
            annulla_alternative: true,
        }
    }
}

/// One option of a position as [`controlla`] sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opzione<'a> {
    pub rata: Rata,
    pub codice_pagatore: &'a str,
    pub importo_cents: i64,
    pub scadenza: Option<NaiveDate>,
}

/// A broken rule of a position: the option it is about (none: the whole position), the
/// field (`codice`, `importo`, `scadenza`, `rata`) and an Italian sentence saying what to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProblemaPosizione {
    pub rata: Option<Rata>,
    pub campo: &'static str,
    pub messaggio: String,
}

fn euro(cents: i64) -> String {
    money::format_it(Decimal::new(cents, 2))
}

/// Every broken rule of a position, in the order of its options (nothing: it is fine).
pub fn controlla(opzioni: &[Opzione<'_>], regole: &RegolePosizioni) -> Vec<ProblemaPosizione> {
    let mut out = Vec::new();
    let mut p = |rata: Option<Rata>, campo: &'static str, messaggio: String| {
        out.push(ProblemaPosizione {
            rata,
            campo,
            messaggio,
        })
    };
    if opzioni.is_empty() {
        p(
            None,
            "rata",
            "la posizione non ha né una rata unica né rate: indicare almeno un importo".into(),
        );
        return out;
    }
    let mut ordinate: Vec<&Opzione<'_>> = opzioni.iter().collect();
    ordinate.sort_by_key(|o| o.rata);
    // The same option twice.
    for w in ordinate.windows(2) {
        if w[0].rata == w[1].rata {
            p(
                Some(w[1].rata),
                "rata",
                format!(
                    "la {} compare due volte nella stessa posizione: ogni rata va indicata una volta sola",
                    w[1].rata.etichetta()
                ),
            );
        }
    }
    let rate: Vec<&Opzione<'_>> = ordinate
        .iter()
        .copied()
        .filter(|o| !o.rata.is_unica())
        .collect();
    // Instalments numbered 1, 2, 3… without gaps.
    for (i, o) in rate.iter().enumerate() {
        let atteso = i as u8 + 1;
        if o.rata.numero() > atteso && (i == 0 || rate[i - 1].rata.numero() < atteso) {
            p(
                Some(o.rata),
                "rata",
                format!("manca la rata {atteso}: le rate vanno numerate 1, 2, 3… senza salti"),
            );
        }
    }
    // One payer.
    let primo = ordinate[0];
    for o in &ordinate[1..] {
        if !o
            .codice_pagatore
            .trim()
            .eq_ignore_ascii_case(primo.codice_pagatore.trim())
        {
            p(
                Some(o.rata),
                "codice",
                format!(
                    "la {} è intestata a {}, la {} a {}: tutte le rate di una posizione vanno allo stesso pagatore",
                    o.rata.etichetta(),
                    o.codice_pagatore.trim(),
                    primo.rata.etichetta(),
                    primo.codice_pagatore.trim()
                ),
            );
        }
    }
    // Amounts.
    for o in &ordinate {
        if o.importo_cents < 1 {
            p(
                Some(o.rata),
                "importo",
                format!(
                    "la {} deve essere di almeno 0,01 € (è {})",
                    o.rata.etichetta(),
                    euro(o.importo_cents)
                ),
            );
        }
    }
    // Due dates of the instalments strictly ascending.
    let mut prima: Option<(&Opzione<'_>, NaiveDate)> = None;
    for o in &rate {
        let Some(d) = o.scadenza else { continue };
        if let Some((q, dq)) = prima
            && d <= dq
        {
            p(
                Some(o.rata),
                "scadenza",
                format!(
                    "la {} scade il {}, non dopo la {} ({}): le scadenze delle rate vanno in ordine crescente",
                    o.rata.etichetta(),
                    dates::format_it(d),
                    q.rata.etichetta(),
                    dates::format_it(dq)
                ),
            );
        }
        prima = Some((o, d));
    }
    // The instalments add up to the rata unica (or more, with a discount for paying at once).
    if let Some(unica) = ordinate.iter().find(|o| o.rata.is_unica())
        && !rate.is_empty()
        && rate.iter().all(|o| o.importo_cents > 0)
        && unica.importo_cents > 0
    {
        let somma: i64 = rate.iter().map(|o| o.importo_cents).sum();
        let ok = if regole.sconto_rata_unica {
            unica.importo_cents <= somma
        } else {
            unica.importo_cents == somma
        };
        if !ok {
            let perche = if regole.sconto_rata_unica {
                "con lo sconto per il pagamento in unica soluzione la rata unica può costare meno delle rate insieme, mai di più"
            } else {
                "le rate devono sommare esattamente la rata unica (questo tipo dovuto non prevede sconti per il pagamento in unica soluzione)"
            };
            p(
                Some(Rata::Unica),
                "importo",
                format!(
                    "la rata unica è {}, le rate insieme {}: {perche}",
                    euro(unica.importo_cents),
                    euro(somma)
                ),
            );
        }
    }
    out
}

/// One option of a stored position, for [`stato`] and [`da_annullare`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatoOpzione {
    pub rata: Rata,
    pub importo_cents: i64,
    pub pagata: bool,
    /// Cancelled, or its cancellation is already on its way to MyPay.
    pub annullata: bool,
}

/// The state of a position, derived from its options.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "stato", rename_all = "snake_case")]
pub enum StatoPosizione {
    /// Nothing paid yet.
    DaPagare,
    /// `pagate` of the `rate` instalments paid.
    PagataInParte { pagate: u8, rate: u8 },
    /// The rata unica, or every instalment, paid.
    Pagata,
    /// Every option cancelled, none paid.
    Annullata,
    /// Paid both ways: the rata unica and at least one instalment. The citizen paid
    /// `da_rimborsare_cents` more than the position asked.
    PagamentoDoppio { da_rimborsare_cents: i64 },
}

impl StatoPosizione {
    /// "da pagare", "pagata in parte (1 di 3)", "pagata", "annullata", "pagamento doppio".
    pub fn etichetta(self) -> String {
        match self {
            StatoPosizione::DaPagare => "da pagare".into(),
            StatoPosizione::PagataInParte { pagate, rate } => {
                format!("pagata in parte ({pagate} di {rate})")
            }
            StatoPosizione::Pagata => "pagata".into(),
            StatoPosizione::Annullata => "annullata".into(),
            StatoPosizione::PagamentoDoppio { .. } => "pagamento doppio".into(),
        }
    }
}

/// The state of a position from its options (an empty position is cancelled).
pub fn stato(opzioni: &[StatoOpzione]) -> StatoPosizione {
    let unica = opzioni.iter().find(|o| o.rata.is_unica());
    let rate: Vec<&StatoOpzione> = opzioni.iter().filter(|o| !o.rata.is_unica()).collect();
    let rate_pagate = rate.iter().filter(|o| o.pagata).count();
    let unica_pagata = unica.is_some_and(|u| u.pagata);
    if unica_pagata && rate_pagate > 0 {
        let pagato: i64 = opzioni
            .iter()
            .filter(|o| o.pagata)
            .map(|o| o.importo_cents)
            .sum();
        let somma_rate: i64 = rate.iter().map(|o| o.importo_cents).sum();
        let unica = unica.map_or(0, |u| u.importo_cents);
        // Whoever paid every instalment and the rata unica owed the cheaper of the two ways;
        // otherwise the rata unica settled the position.
        let dovuto = if rate_pagate == rate.len() {
            unica.min(somma_rate)
        } else {
            unica
        };
        return StatoPosizione::PagamentoDoppio {
            da_rimborsare_cents: pagato - dovuto,
        };
    }
    if unica_pagata || (!rate.is_empty() && rate_pagate == rate.len()) {
        return StatoPosizione::Pagata;
    }
    if rate_pagate > 0 {
        return StatoPosizione::PagataInParte {
            pagate: rate_pagate as u8,
            rate: rate.len() as u8,
        };
    }
    if opzioni.iter().all(|o| o.annullata) {
        return StatoPosizione::Annullata;
    }
    StatoPosizione::DaPagare
}

/// The options to cancel at MyPay now, so that nobody pays twice: once the rata unica is paid,
/// every instalment neither paid nor cancelled; once an instalment is paid, the rata unica if
/// neither paid nor cancelled. Nothing when the payment type keeps them (`regole`).
pub fn da_annullare(opzioni: &[StatoOpzione], regole: &RegolePosizioni) -> Vec<Rata> {
    if !regole.annulla_alternative {
        return Vec::new();
    }
    let aperta = |o: &&StatoOpzione| !o.pagata && !o.annullata;
    let unica_pagata = opzioni.iter().any(|o| o.rata.is_unica() && o.pagata);
    let rata_pagata = opzioni.iter().any(|o| !o.rata.is_unica() && o.pagata);
    if unica_pagata {
        opzioni
            .iter()
            .filter(|o| !o.rata.is_unica())
            .filter(aperta)
            .map(|o| o.rata)
            .collect()
    } else if rata_pagata {
        opzioni
            .iter()
            .filter(|o| o.rata.is_unica())
            .filter(aperta)
            .map(|o| o.rata)
            .collect()
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<NaiveDate> {
        Some(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
    }

    fn op(rata: u8, cf: &'static str, cents: i64, scadenza: &str) -> Opzione<'static> {
        Opzione {
            rata: Rata::da_numero(rata).unwrap(),
            codice_pagatore: cf,
            importo_cents: cents,
            scadenza: d(scadenza),
        }
    }

    const CF: &str = "RSSMRA80A01H501U";

    #[test]
    fn a_tari_position_with_three_instalments_is_fine() {
        let p = [
            op(0, CF, 30_000, "2027-04-30"),
            op(1, CF, 10_000, "2027-04-30"),
            op(2, CF, 10_000, "2027-07-31"),
            op(3, CF, 10_000, "2027-10-31"),
        ];
        assert!(controlla(&p, &RegolePosizioni::default()).is_empty());
        // A position of one, and instalments without a rata unica.
        assert!(controlla(&p[..1], &RegolePosizioni::default()).is_empty());
        assert!(controlla(&p[1..], &RegolePosizioni::default()).is_empty());
    }

    #[test]
    fn each_rule_names_the_option_and_the_field() {
        let r = RegolePosizioni::default();
        let campi = |p: &[Opzione<'_>], r: &RegolePosizioni| -> Vec<(Option<u8>, &'static str)> {
            controlla(p, r)
                .into_iter()
                .map(|x| (x.rata.map(Rata::numero), x.campo))
                .collect()
        };
        // Another payer on instalment 2.
        let p = [
            op(1, CF, 100, "2027-01-31"),
            op(2, "BNCLGU75B02F205X", 100, "2027-02-28"),
        ];
        assert_eq!(campi(&p, &r), [(Some(2), "codice")]);
        let m = &controlla(&p, &r)[0].messaggio;
        assert!(
            m.contains("BNCLGU75B02F205X") && m.contains("stesso pagatore"),
            "{m}"
        );
        // Zero amount.
        let p = [op(1, CF, 0, "2027-01-31"), op(2, CF, 100, "2027-02-28")];
        assert_eq!(campi(&p, &r), [(Some(1), "importo")]);
        assert!(controlla(&p, &r)[0].messaggio.contains("0,01 €"));
        // Due dates not ascending (equal counts as not ascending).
        let p = [op(1, CF, 100, "2027-03-31"), op(2, CF, 100, "2027-03-31")];
        assert_eq!(campi(&p, &r), [(Some(2), "scadenza")]);
        let m = &controlla(&p, &r)[0].messaggio;
        assert!(
            m.contains("31/03/2027") && m.contains("ordine crescente"),
            "{m}"
        );
        // A gap in the numbering, and the same instalment twice.
        let p = [op(1, CF, 100, "2027-01-31"), op(3, CF, 100, "2027-03-31")];
        assert_eq!(campi(&p, &r), [(Some(3), "rata")]);
        assert!(controlla(&p, &r)[0].messaggio.contains("manca la rata 2"));
        let p = [op(1, CF, 100, "2027-01-31"), op(1, CF, 100, "2027-03-31")];
        assert!(campi(&p, &r).contains(&(Some(1), "rata")));
        // Nothing at all.
        assert_eq!(campi(&[], &r), [(None, "rata")]);
    }

    #[test]
    fn the_instalments_add_up_to_the_rata_unica_unless_a_discount_is_allowed() {
        let p = [
            op(0, CF, 28_500, "2027-04-30"),
            op(1, CF, 15_000, "2027-04-30"),
            op(2, CF, 15_000, "2027-07-31"),
        ];
        let senza = RegolePosizioni::default();
        let con = RegolePosizioni {
            sconto_rata_unica: true,
            ..Default::default()
        };
        let e = controlla(&p, &senza);
        assert_eq!(e.len(), 1);
        assert_eq!((e[0].rata, e[0].campo), (Some(Rata::Unica), "importo"));
        assert!(e[0].messaggio.contains("285,00 €") && e[0].messaggio.contains("300,00 €"));
        assert!(controlla(&p, &con).is_empty());
        // Never more than the instalments, discount or not.
        let p = [
            op(0, CF, 30_001, "2027-04-30"),
            op(1, CF, 30_000, "2027-04-30"),
        ];
        assert_eq!(controlla(&p, &con).len(), 1);
    }

    fn so(rata: u8, cents: i64, pagata: bool, annullata: bool) -> StatoOpzione {
        StatoOpzione {
            rata: Rata::da_numero(rata).unwrap(),
            importo_cents: cents,
            pagata,
            annullata,
        }
    }

    #[test]
    fn the_state_follows_what_was_paid() {
        let aperta = [
            so(0, 300, false, false),
            so(1, 150, false, false),
            so(2, 150, false, false),
        ];
        assert_eq!(stato(&aperta), StatoPosizione::DaPagare);
        let una = [
            so(0, 300, false, true),
            so(1, 150, true, false),
            so(2, 150, false, false),
        ];
        assert_eq!(
            stato(&una),
            StatoPosizione::PagataInParte { pagate: 1, rate: 2 }
        );
        assert_eq!(stato(&una).etichetta(), "pagata in parte (1 di 2)");
        let tutte = [
            so(0, 300, false, true),
            so(1, 150, true, false),
            so(2, 150, true, false),
        ];
        assert_eq!(stato(&tutte), StatoPosizione::Pagata);
        let unica = [
            so(0, 300, true, false),
            so(1, 150, false, true),
            so(2, 150, false, true),
        ];
        assert_eq!(stato(&unica), StatoPosizione::Pagata);
        let annullata = [so(0, 300, false, true), so(1, 150, false, true)];
        assert_eq!(stato(&annullata), StatoPosizione::Annullata);
        // A position of one.
        assert_eq!(stato(&[so(0, 300, true, false)]), StatoPosizione::Pagata);
        assert_eq!(stato(&[so(1, 300, false, false)]), StatoPosizione::DaPagare);
    }

    #[test]
    fn paying_both_ways_is_flagged_with_the_amount_to_refund() {
        // The rata unica and one instalment: the instalment is refunded.
        let p = [
            so(0, 28_500, true, false),
            so(1, 15_000, true, false),
            so(2, 15_000, false, false),
        ];
        assert_eq!(
            stato(&p),
            StatoPosizione::PagamentoDoppio {
                da_rimborsare_cents: 15_000
            }
        );
        // Everything: the cheaper way was owed (the discounted rata unica).
        let p = [
            so(0, 28_500, true, false),
            so(1, 15_000, true, false),
            so(2, 15_000, true, false),
        ];
        assert_eq!(
            stato(&p),
            StatoPosizione::PagamentoDoppio {
                da_rimborsare_cents: 30_000
            }
        );
    }

    #[test]
    fn the_other_way_of_paying_is_cancelled_when_the_type_asks() {
        let r = RegolePosizioni::default();
        let unica = [
            so(0, 300, true, false),
            so(1, 150, false, false),
            so(2, 150, true, false),
            so(3, 150, false, true),
        ];
        assert_eq!(da_annullare(&unica, &r), [Rata::N(1)]);
        let rata = [
            so(0, 300, false, false),
            so(1, 150, true, false),
            so(2, 150, false, false),
        ];
        assert_eq!(da_annullare(&rata, &r), [Rata::Unica]);
        let nulla = [so(0, 300, false, false), so(1, 150, false, false)];
        assert!(da_annullare(&nulla, &r).is_empty());
        let tiene = RegolePosizioni {
            annulla_alternative: false,
            ..Default::default()
        };
        assert!(da_annullare(&rata, &tiene).is_empty());
    }

    #[test]
    fn rata_numbers_and_serde() {
        assert_eq!(Rata::da_numero(0), Some(Rata::Unica));
        assert_eq!(Rata::da_numero(12), Some(Rata::N(12)));
        assert_eq!(Rata::da_numero(13), None);
        assert_eq!(serde_json::to_string(&Rata::N(3)).unwrap(), "3");
        assert_eq!(serde_json::from_str::<Rata>("0").unwrap(), Rata::Unica);
        assert!(serde_json::from_str::<Rata>("13").is_err());
        let r: RegolePosizioni = toml::from_str("sconto_rata_unica = true").unwrap();
        assert!(r.sconto_rata_unica && r.annulla_alternative);
    }
}
