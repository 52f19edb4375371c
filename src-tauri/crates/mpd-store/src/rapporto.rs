//! The figures of the one-page report for the ragioneria and the mayor: expected, collected,
//! outstanding and overdue amounts by payment type and by month of the due date, and the
//! payers with overdue debts.
//!
//! * Expected: every debt except drafts (still being prepared) and cancelled ones; those two
//!   are counted apart ([`Aggregati::bozze`], [`Aggregati::annullati`]).
//! * Collected: what the receipts matched to the paid debts say (a paid debt without a stored
//!   receipt counts its own amount).
//! * Outstanding: the amount of the expected debts not paid yet.
//! * Overdue: debts loaded on MyPay (payable), not paid, due before `oggi` (passed in, never
//!   read from the clock).
//!
//! A due date that cannot be read (empty, or not a date) leaves its debt out of the months
//! and is counted apart ([`Aggregati::senza_scadenza`]); such a debt is never overdue.
//!
//! The database groups the debts by type, due date and state (a few thousand groups at most,
//! even for a million debts); the groups are summed here. Amounts are integer cents.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use mpd_domain::dates::mypay_parse_date;
use rusqlite::params;
use serde::Serialize;

use crate::{DovutoStato, Result, Store};

/// The amounts of one group of expected debts (a payment type, a month, all of them).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Importi {
    /// Expected debts.
    pub dovuti: i64,
    pub atteso_cents: i64,
    /// Paid debts and what their receipts say was collected.
    pub pagati: i64,
    pub incassato_cents: i64,
    /// Expected debts not paid yet and their amount.
    pub da_incassare: i64,
    pub residuo_cents: i64,
    /// Overdue debts (loaded, not paid, due before the report's date) and their amount.
    pub scaduti: i64,
    pub scaduto_cents: i64,
}

impl Importi {
    fn aggiungi(&mut self, g: &Gruppo, scaduto: bool) {
        self.dovuti += g.numero;
        self.atteso_cents += g.importo_cents;
        if g.stato == DovutoStato::Paid {
            self.pagati += g.numero;
            self.incassato_cents += g.incassato_cents;
        } else {
            self.da_incassare += g.numero;
            self.residuo_cents += g.importo_cents;
        }
        if scaduto {
            self.scaduti += g.numero;
            self.scaduto_cents += g.importo_cents;
        }
    }
}

/// Debts left out of the expected amounts (drafts, cancelled ones): how many, what total.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Esclusi {
    pub dovuti: i64,
    pub importo_cents: i64,
}

/// A payer with overdue debts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Moroso {
    pub codice_pagatore: String,
    /// The name on the payer's oldest overdue debt.
    pub anagrafica: String,
    pub dovuti: i64,
    pub importo_cents: i64,
    pub scadenza_piu_vecchia: NaiveDate,
}

/// Every figure of the report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Aggregati {
    pub totale: Importi,
    /// By payment type code, in code order.
    pub per_tipo: Vec<(String, Importi)>,
    /// By month of the due date (`YYYY-MM`), oldest first.
    pub per_mese: Vec<(String, Importi)>,
    /// Expected debts whose due date is missing or unreadable (in the totals and the types,
    /// not in the months).
    pub senza_scadenza: Importi,
    pub bozze: Esclusi,
    pub annullati: Esclusi,
    /// Payers with overdue debts, largest amount first (then by code).
    pub morosi: Vec<Moroso>,
}

/// One group of debts as the database sums it.
struct Gruppo {
    tipo: String,
    scadenza: String,
    stato: DovutoStato,
    numero: i64,
    importo_cents: i64,
    incassato_cents: i64,
}

impl Store {
    /// The report's figures on `oggi` (see the module's documentation for the rules).
    pub fn rapporto(&self, oggi: NaiveDate) -> Result<Aggregati> {
        let mut stmt = self.conn().prepare(
            "SELECT d.tipo_dovuto, d.data_scadenza, d.stato, COUNT(*), COALESCE(SUM(d.importo_cents), 0),
                    COALESCE(SUM(CASE WHEN d.stato = 'paid' THEN
                        COALESCE((SELECT SUM(r.importo_cents) FROM ricevuta r WHERE r.dovuto_id = d.id),
                                 d.importo_cents) END), 0)
             FROM dovuto d NOT INDEXED GROUP BY d.tipo_dovuto, d.data_scadenza, d.stato",
        )?;
        let gruppi = stmt.query_map([], |r| {
            let stato: String = r.get(2)?;
            Ok(Gruppo {
                tipo: r.get(0)?,
                scadenza: r.get(1)?,
                stato: DovutoStato::parse(&stato).unwrap_or(DovutoStato::Draft),
                numero: r.get(3)?,
                importo_cents: r.get(4)?,
                incassato_cents: r.get(5)?,
            })
        })?;
        let mut a = Aggregati::default();
        let mut per_tipo: BTreeMap<String, Importi> = BTreeMap::new();
        let mut per_mese: BTreeMap<String, Importi> = BTreeMap::new();
        for g in gruppi {
            let g = g?;
            let escluso = match g.stato {
                DovutoStato::Draft => Some(&mut a.bozze),
                DovutoStato::Cancelled => Some(&mut a.annullati),
                _ => None,
            };
            if let Some(e) = escluso {
                e.dovuti += g.numero;
                e.importo_cents += g.importo_cents;
                continue;
            }
            let scadenza = mypay_parse_date(g.scadenza.trim());
            let scaduto = g.stato == DovutoStato::Loaded && scadenza.is_some_and(|d| d < oggi);
            a.totale.aggiungi(&g, scaduto);
            per_tipo
                .entry(g.tipo.clone())
                .or_default()
                .aggiungi(&g, scaduto);
            match scadenza {
                Some(d) => per_mese
                    .entry(d.format("%Y-%m").to_string())
                    .or_default()
                    .aggiungi(&g, scaduto),
                None => a.senza_scadenza.aggiungi(&g, scaduto),
            }
        }
        a.per_tipo = per_tipo.into_iter().collect();
        a.per_mese = per_mese.into_iter().collect();
        a.morosi = self.morosi(oggi)?;
        Ok(a)
    }

    /// Payers with debts loaded on MyPay, not paid, due before `oggi`.
    fn morosi(&self, oggi: NaiveDate) -> Result<Vec<Moroso>> {
        // The text comparison narrows the range through the (stato, data_scadenza) index; the
        // date is then read properly, so an odd spelling is never taken for overdue.
        let mut stmt = self.conn().prepare(
            "SELECT codice_pagatore, anagrafica, data_scadenza, importo_cents FROM dovuto
             WHERE stato = 'loaded' AND data_scadenza <> '' AND data_scadenza < ?1
             ORDER BY data_scadenza, id",
        )?;
        let rows = stmt.query_map(params![oggi.format("%Y-%m-%d").to_string()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })?;
        let mut per_codice: HashMap<String, Moroso> = HashMap::new();
        for row in rows {
            let (codice, anagrafica, scadenza, cents) = row?;
            let Some(d) = mypay_parse_date(scadenza.trim()).filter(|d| *d < oggi) else {
                continue;
            };
            let m = per_codice.entry(codice.clone()).or_insert(Moroso {
                codice_pagatore: codice,
                anagrafica,
                dovuti: 0,
                importo_cents: 0,
                scadenza_piu_vecchia: d,
            });
            m.dovuti += 1;
            m.importo_cents += cents;
            m.scadenza_piu_vecchia = m.scadenza_piu_vecchia.min(d);
        }
        let mut out: Vec<Moroso> = per_codice.into_values().collect();
        out.sort_by(|x, y| {
            y.importo_cents
                .cmp(&x.importo_cents)
                .then_with(|| x.codice_pagatore.cmp(&y.codice_pagatore))
        });
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use mpd_domain::{Column, Ente, RawRow};

    use super::*;
    use crate::{NewDovuto, NewRicevuta, Now};

    fn now() -> Now {
        Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap()
    }

    fn oggi() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    fn debt(
        iud: &str,
        tipo: &str,
        cf: &str,
        nome: &str,
        scadenza: &str,
        cents: i64,
        stato: DovutoStato,
    ) -> NewDovuto {
        let mut row = RawRow::default();
        row.set(Column::Iud, iud);
        row.set(Column::TipoIdentificativoUnivoco, "F");
        row.set(Column::CodiceIdentificativoUnivoco, cf);
        row.set(Column::AnagraficaPagatore, nome);
        row.set(Column::DataScadenzaPagamento, scadenza);
        row.set(Column::TipoDovuto, tipo);
        row.set(Column::CausaleVersamento, "Causale");
        row.set(Column::DatiSpecificiRiscossione, "9/0101100IM/");
        NewDovuto {
            row,
            importo_cents: cents,
            commissione_cents: None,
            stato,
            sorgente: None,
            posizione: None,
        }
    }

    /// Paid (with a receipt for a different amount), overdue (two payers, one with two debts),
    /// loaded but not yet due, cancelled, draft, an unreadable due date, a rejected one.
    fn fixture() -> Store {
        use DovutoStato::*;
        let mut s = Store::open_in_memory().unwrap();
        let ente = Ente {
            codice_ipa: "c_x123".into(),
            codice_fiscale: "00123456789".into(),
            denominazione: "Comune di Esempio".into(),
            codice_segregazione: "12".into(),
        };
        s.save_ente(&ente, "{}", &[], now()).unwrap();
        let a = "RSSMRA80A01H501U";
        let b = "BNCLRA85M41F205X";
        s.insert_dovuti(
            &[
                debt("P1", "TARI", a, "ROSSI MARIO", "2026-10-31", 10_000, Loaded),
                debt("S1", "TARI", a, "ROSSI MARIO", "2026-09-30", 5_000, Loaded),
                debt("S2", "TARI", a, "ROSSI MARIO", "2026-10-31", 2_550, Loaded),
                debt(
                    "S3",
                    "MENSA",
                    b,
                    "BIANCHI LAURA",
                    "2026-11-26",
                    20_000,
                    Loaded,
                ),
                debt(
                    "N1",
                    "MENSA",
                    b,
                    "BIANCHI LAURA",
                    "2026-11-27",
                    3_000,
                    Loaded,
                ),
                debt(
                    "N2",
                    "MENSA",
                    b,
                    "BIANCHI LAURA",
                    "2026-12-15",
                    4_000,
                    Ready,
                ),
                debt(
                    "R1",
                    "MENSA",
                    a,
                    "ROSSI MARIO",
                    "2026-08-31",
                    1_000,
                    Rejected,
                ),
                debt(
                    "C1",
                    "TARI",
                    a,
                    "ROSSI MARIO",
                    "2026-09-30",
                    7_000,
                    Cancelled,
                ),
                debt("D1", "TARI", b, "BIANCHI LAURA", "2026-09-30", 9_000, Draft),
                debt("U1", "TARI", a, "ROSSI MARIO", "31/09/2026", 1_234, Loaded),
            ],
            now(),
        )
        .unwrap();
        s.upsert_ricevute(
            [NewRicevuta {
                iuv: "IUVP1".into(),
                iur: "IUR1".into(),
                iud: "P1".into(),
                importo_cents: 9_900,
                data_esito: "2026-10-20".into(),
                ..Default::default()
            }],
            now(),
        )
        .unwrap();
        s
    }

    fn importi(v: [i64; 8]) -> Importi {
        Importi {
            dovuti: v[0],
            atteso_cents: v[1],
            pagati: v[2],
            incassato_cents: v[3],
            da_incassare: v[4],
            residuo_cents: v[5],
            scaduti: v[6],
            scaduto_cents: v[7],
        }
    }

    #[test]
    fn expected_collected_outstanding_and_overdue_by_type_and_month() {
        let a = fixture().rapporto(oggi()).unwrap();
        // Expected: everything but the draft and the cancelled debt.
        let atteso = 10_000 + 5_000 + 2_550 + 20_000 + 3_000 + 4_000 + 1_000 + 1_234;
        let residuo = atteso - 10_000;
        assert_eq!(
            a.totale,
            importi([8, atteso, 1, 9_900, 7, residuo, 3, 27_550])
        );
        assert_eq!(
            a.bozze,
            Esclusi {
                dovuti: 1,
                importo_cents: 9_000
            }
        );
        assert_eq!(
            a.annullati,
            Esclusi {
                dovuti: 1,
                importo_cents: 7_000
            }
        );
        assert_eq!(
            a.per_tipo,
            vec![
                (
                    "MENSA".into(),
                    importi([4, 28_000, 0, 0, 4, 28_000, 1, 20_000])
                ),
                (
                    "TARI".into(),
                    importi([4, 18_784, 1, 9_900, 3, 8_784, 2, 7_550])
                ),
            ]
        );
        let mesi: Vec<&str> = a.per_mese.iter().map(|(m, _)| m.as_str()).collect();
        assert_eq!(
            mesi,
            ["2026-08", "2026-09", "2026-10", "2026-11", "2026-12"]
        );
        assert_eq!(
            a.per_mese[2].1,
            importi([2, 12_550, 1, 9_900, 1, 2_550, 1, 2_550])
        );
        // Due today is not overdue yet.
        assert_eq!(
            a.per_mese[3].1,
            importi([2, 23_000, 0, 0, 2, 23_000, 1, 20_000])
        );
        // The unreadable date: in the totals, not in the months, never overdue.
        assert_eq!(a.senza_scadenza, importi([1, 1_234, 0, 0, 1, 1_234, 0, 0]));
        let mese_totale: i64 = a.per_mese.iter().map(|(_, i)| i.atteso_cents).sum();
        assert_eq!(
            mese_totale + a.senza_scadenza.atteso_cents,
            a.totale.atteso_cents
        );
        assert_eq!(
            a.morosi,
            vec![
                Moroso {
                    codice_pagatore: "BNCLRA85M41F205X".into(),
                    anagrafica: "BIANCHI LAURA".into(),
                    dovuti: 1,
                    importo_cents: 20_000,
                    scadenza_piu_vecchia: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
                },
                Moroso {
                    codice_pagatore: "RSSMRA80A01H501U".into(),
                    anagrafica: "ROSSI MARIO".into(),
                    dovuti: 2,
                    importo_cents: 7_550,
                    scadenza_piu_vecchia: NaiveDate::from_ymd_opt(2026, 9, 30).unwrap(),
                },
            ]
        );
    }

    #[test]
    fn the_date_decides_what_is_overdue() {
        let s = fixture();
        let prima = s
            .rapporto(NaiveDate::from_ymd_opt(2026, 9, 1).unwrap())
            .unwrap();
        assert_eq!((prima.totale.scaduti, prima.morosi.len()), (0, 0));
        let dopo = s
            .rapporto(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap())
            .unwrap();
        // The ready debt is not on MyPay: never overdue; the unreadable date neither.
        assert_eq!(dopo.totale.scaduti, 4);
        assert_eq!(dopo.totale.scaduto_cents, 5_000 + 2_550 + 20_000 + 3_000);
    }

    #[test]
    fn an_empty_database_gives_zeros() {
        let s = Store::open_in_memory().unwrap();
        assert_eq!(s.rapporto(oggi()).unwrap(), Aggregati::default());
    }
}
