//! The reconciliation kept in the store (issue 16's benchmark targets): the columns the matching
//! reads (and nothing else), each payment's state as the last run left it, and what changed
//! since, so that a new day recomputes only the IUVs it touched.
//!
//! The schema (migration 13) says how: `riconciliazione_pagamento` holds one row per payment,
//! clustered by IUV; `riconciliazione_modifica` the IUV and IUF that triggers on receipts, FdR
//! rows, FdR and treasury entries record once a run exists; `riconciliazione_esecuzione` the
//! last run's day and rules.

use chrono::{Datelike, NaiveDate};
use mpd_domain::riconciliazione::Stato;
use rusqlite::{OptionalExtension, params, params_from_iter};

use crate::rendicontazione::{COLONNE_RIGA, RigaFdrRecord, riga_fdr};
use crate::{Result, Store};

/// The most host parameters in one `IN (…)` (SQLite allows 32,766).
const PARTE: usize = 5_000;

/// A receipt as the matching reads it: no payer, no causale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RicevutaDaAbbinare {
    pub id: i64,
    pub iuv: String,
    pub iur: String,
    pub importo_cents: i64,
    /// The payment day; `None` when the stored text is not a date.
    pub giorno: Option<NaiveDate>,
}

/// An FdR row as the matching reads it: its flow by id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RigaDaAbbinare {
    pub id: i64,
    pub fdr_id: i64,
    pub numero: i64,
    pub iuv: String,
    pub iur: String,
    pub indice: Option<u8>,
    pub importo_cents: i64,
    pub esito: u8,
    pub giorno: Option<NaiveDate>,
}

/// One payment's state as a run left it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatoSalvato {
    /// Its receipt's id (none: FdR rows no receipt claims).
    pub ricevuta_id: Option<i64>,
    /// Its FdR rows' ids, in the flows' order.
    pub righe: Box<[i64]>,
    pub stato: Stato,
    /// The receipt's amount, else the first row's.
    pub importo_cents: i64,
    /// The day from which the rules' «N days» change its state with nothing else changing.
    pub scadenza: Option<NaiveDate>,
    /// Its first row's flow and position (the order of the rows no receipt claims).
    pub fdr_id: Option<i64>,
    pub numero: Option<i64>,
}

impl StatoSalvato {
    /// Its key within its IUV: the receipt's id, else minus its first row's id.
    fn chiave(&self) -> i64 {
        self.ricevuta_id
            .unwrap_or_else(|| -self.righe.first().copied().unwrap_or_default())
    }
}

/// The last run: its day and rules (as the caller writes them), and how many payments it
/// left (written by [`Store::salva_riconciliazione`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EsecuzioneRiconciliazione {
    pub oggi: NaiveDate,
    pub regole: String,
    pub pagamenti: i64,
}

/// What changed since the last run: distinct IUV and IUF, up to the change `fino_a`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Modifiche {
    pub fino_a: i64,
    pub iuv: Vec<String>,
    pub iuf: Vec<String>,
}

fn giorno(testo: &str) -> Option<NaiveDate> {
    testo
        .get(..10)
        .and_then(|t| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok())
}

fn codice_stato(s: Stato) -> i64 {
    Stato::TUTTI
        .iter()
        .position(|t| *t == s)
        .unwrap_or_default() as i64
}

fn da_codice(n: i64) -> Stato {
    usize::try_from(n)
        .ok()
        .and_then(|i| Stato::TUTTI.get(i).copied())
        .unwrap_or(Stato::Pagato)
}

/// The packed state: the receipt's id (0: none), the amount, the first row's flow and
/// position (0: none), the deadline (days from the Common Era, 0: none), each an 8-byte
/// little-endian integer; the state (its position in `Stato::TUTTI`), one byte; then the rows'
/// ids, 8 bytes each.
fn impacchetta(s: &StatoSalvato) -> Vec<u8> {
    let mut b = Vec::with_capacity(41 + 8 * s.righe.len());
    for n in [
        s.ricevuta_id.unwrap_or(0),
        s.importo_cents,
        s.fdr_id.unwrap_or(0),
        s.numero.unwrap_or(0),
        s.scadenza.map_or(0, |d| i64::from(d.num_days_from_ce())),
    ] {
        b.extend_from_slice(&n.to_le_bytes());
    }
    b.push(codice_stato(s.stato) as u8);
    for r in &s.righe {
        b.extend_from_slice(&r.to_le_bytes());
    }
    b
}

fn spacchetta(b: &[u8]) -> Option<StatoSalvato> {
    let intero = |i: usize| -> Option<i64> {
        Some(i64::from_le_bytes(
            b.get(i * 8..i * 8 + 8)?.try_into().ok()?,
        ))
    };
    let fdr_id = intero(2)?;
    Some(StatoSalvato {
        ricevuta_id: Some(intero(0)?).filter(|&n| n != 0),
        importo_cents: intero(1)?,
        fdr_id: (fdr_id != 0).then_some(fdr_id),
        numero: (fdr_id != 0).then_some(intero(3)?),
        stato: da_codice(i64::from(*b.get(40)?)),
        righe: b
            .get(41..)?
            .chunks_exact(8)
            .map(|c| i64::from_le_bytes(c.try_into().expect("8 byte")))
            .collect(),
        scadenza: Some(intero(4)?)
            .filter(|&d| d != 0)
            .and_then(|d| i32::try_from(d).ok())
            .and_then(NaiveDate::from_num_days_from_ce_opt),
    })
}

fn ricevuta_da_abbinare(r: &rusqlite::Row<'_>) -> rusqlite::Result<RicevutaDaAbbinare> {
    let data: String = r.get(4)?;
    Ok(RicevutaDaAbbinare {
        id: r.get(0)?,
        iuv: r.get(1)?,
        iur: r.get(2)?,
        importo_cents: r.get(3)?,
        giorno: giorno(&data),
    })
}

fn riga_da_abbinare(r: &rusqlite::Row<'_>) -> rusqlite::Result<RigaDaAbbinare> {
    let data: String = r.get(8)?;
    Ok(RigaDaAbbinare {
        id: r.get(0)?,
        fdr_id: r.get(1)?,
        numero: r.get(2)?,
        iuv: r.get(3)?,
        iur: r.get(4)?,
        indice: r.get(5)?,
        importo_cents: r.get(6)?,
        esito: r.get(7)?,
        giorno: giorno(&data),
    })
}

const RICEVUTE: &str = "SELECT id, iuv, iur, importo_cents, data_esito FROM ricevuta";
const RIGHE: &str =
    "SELECT id, fdr_id, numero, iuv, iur, indice, importo_cents, esito, data_esito FROM fdr_riga";

impl Store {
    /// Every receipt as the matching reads it, newest first.
    pub fn ricevute_da_abbinare(&self) -> Result<Vec<RicevutaDaAbbinare>> {
        self.tutte(
            &format!("{RICEVUTE} ORDER BY id DESC"),
            ricevuta_da_abbinare,
        )
    }

    /// The receipts with one of `iuv`, newest first.
    pub fn ricevute_da_abbinare_con_iuv(&self, iuv: &[String]) -> Result<Vec<RicevutaDaAbbinare>> {
        let mut out = self.per_parti(RICEVUTE, "iuv", iuv, ricevuta_da_abbinare)?;
        out.sort_by_key(|r| std::cmp::Reverse(r.id));
        Ok(out)
    }

    /// Every FdR row as the matching reads it, in flow and row order.
    pub fn righe_da_abbinare(&self) -> Result<Vec<RigaDaAbbinare>> {
        self.tutte(
            &format!("{RIGHE} ORDER BY fdr_id, numero"),
            riga_da_abbinare,
        )
    }

    /// Every row `sql` gives.
    fn tutte<T>(
        &self,
        sql: &str,
        riga: impl Fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        let mut stmt = self.conn().prepare(sql)?;
        let rows = stmt.query_map([], riga)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The FdR rows with one of `iuv`, in flow and row order.
    pub fn righe_da_abbinare_con_iuv(&self, iuv: &[String]) -> Result<Vec<RigaDaAbbinare>> {
        let mut out = self.per_parti(RIGHE, "iuv", iuv, riga_da_abbinare)?;
        out.sort_by_key(|r| (r.fdr_id, r.numero));
        Ok(out)
    }

    /// The stored FdR rows with one of `iuv`, with their flow's IUF, in flow and row order.
    pub fn righe_fdr_con_iuv(&self, iuv: &[String]) -> Result<Vec<RigaFdrRecord>> {
        let mut out = self.per_parti(&format!("SELECT {COLONNE_RIGA}"), "r.iuv", iuv, riga_fdr)?;
        out.sort_by_key(|r| (r.fdr_id, r.numero));
        Ok(out)
    }

    /// The rows of one flow (by id), in order.
    pub fn righe_fdr_del_flusso(&self, fdr_id: i64) -> Result<Vec<RigaFdrRecord>> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {COLONNE_RIGA} WHERE r.fdr_id = ?1 ORDER BY r.numero"
        ))?;
        let rows = stmt.query_map(params![fdr_id], riga_fdr)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The distinct IUV of the receipts and FdR rows given by id.
    pub fn iuv_di(&self, ricevute: &[i64], righe: &[i64]) -> Result<Vec<String>> {
        let mut out = self.iuv_distinti("ricevuta", "id", ricevute)?;
        out.extend(self.iuv_distinti("fdr_riga", "id", righe)?);
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    /// The distinct IUV of the rows of the flows given by id.
    pub fn iuv_dei_flussi(&self, fdr: &[i64]) -> Result<Vec<String>> {
        self.iuv_distinti("fdr_riga", "fdr_id", fdr)
    }

    /// The distinct IUV of `tabella`'s rows with `colonna` among `valori`.
    fn iuv_distinti(&self, tabella: &str, colonna: &str, valori: &[i64]) -> Result<Vec<String>> {
        let mut out: Vec<String> = self.per_parti(
            &format!("SELECT iuv FROM {tabella}"),
            colonna,
            valori,
            |r| r.get(0),
        )?;
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    /// `sql WHERE colonna IN (valori)`, a part of the values at a time.
    pub(crate) fn per_parti<T, V: rusqlite::ToSql>(
        &self,
        sql: &str,
        colonna: &str,
        valori: &[V],
        riga: impl Fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        let mut out = Vec::new();
        for parte in valori.chunks(PARTE) {
            let segnaposti = vec!["?"; parte.len()].join(",");
            let mut stmt = self
                .conn()
                .prepare(&format!("{sql} WHERE {colonna} IN ({segnaposti})"))?;
            let rows = stmt.query_map(params_from_iter(parte.iter()), &riga)?;
            for r in rows {
                out.push(r?);
            }
        }
        Ok(out)
    }

    /// The last run, if any.
    pub fn esecuzione_riconciliazione(&self) -> Result<Option<EsecuzioneRiconciliazione>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT oggi, regole, pagamenti FROM riconciliazione_esecuzione WHERE id = 1",
                [],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, i64>(2)?,
                    ))
                },
            )
            .optional()?
            .and_then(|(oggi, regole, pagamenti)| {
                Some(EsecuzioneRiconciliazione {
                    oggi: NaiveDate::from_num_days_from_ce_opt(i32::try_from(oggi).ok()?)?,
                    regole,
                    pagamenti,
                })
            }))
    }

    /// What changed since the last run (distinct IUV and IUF, empty ones left out).
    pub fn modifiche_riconciliazione(&self) -> Result<Modifiche> {
        let fino_a: i64 = self.conn().query_row(
            "SELECT COALESCE(MAX(id), 0) FROM riconciliazione_modifica",
            [],
            |r| r.get(0),
        )?;
        let distinti = |colonna: &str| -> Result<Vec<String>> {
            let mut stmt = self.conn().prepare(&format!(
                "SELECT DISTINCT {colonna} FROM riconciliazione_modifica
                 WHERE id <= ?1 AND {colonna} IS NOT NULL AND {colonna} <> ''"
            ))?;
            let rows = stmt.query_map(params![fino_a], |r| r.get(0))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        Ok(Modifiche {
            fino_a,
            iuv: distinti("iuv")?,
            iuf: distinti("iuf")?,
        })
    }

    /// The IUV of the payments whose deadline is `oggi` or earlier.
    pub fn iuv_in_scadenza(&self, oggi: NaiveDate) -> Result<Vec<String>> {
        let mut stmt = self.conn().prepare(
            "SELECT DISTINCT iuv FROM riconciliazione_pagamento
             WHERE scadenza IS NOT NULL AND scadenza <= ?1",
        )?;
        let rows = stmt.query_map(params![i64::from(oggi.num_days_from_ce())], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Writes a run in one transaction: the payments of the IUV `ricalcolati` (every payment
    /// when `None`) replaced by `stati` (each with its IUV), the changes up to
    /// `modifiche_fino_a` forgotten, the run recorded (its `pagamenti` counted here).
    pub fn salva_riconciliazione(
        &self,
        ricalcolati: Option<&[String]>,
        stati: &mut [(String, StatoSalvato)],
        esecuzione: &EsecuzioneRiconciliazione,
        modifiche_fino_a: i64,
        now: crate::Now,
    ) -> Result<()> {
        let tx = self.conn().unchecked_transaction()?;
        let mut pagamenti = match ricalcolati {
            None => {
                tx.execute("DELETE FROM riconciliazione_pagamento", [])?;
                0
            }
            Some(iuv) => {
                let mut restano = self
                    .esecuzione_riconciliazione()?
                    .map_or(0, |e| e.pagamenti);
                for parte in iuv.chunks(PARTE) {
                    let segnaposti = vec!["?"; parte.len()].join(",");
                    restano -= tx.execute(
                        &format!(
                            "DELETE FROM riconciliazione_pagamento WHERE iuv IN ({segnaposti})"
                        ),
                        params_from_iter(parte.iter()),
                    )? as i64;
                }
                restano
            }
        };
        pagamenti += stati.len() as i64;
        // In the table's order: each insert appends to the B-tree.
        stati.sort_unstable_by(|(a, x), (b, y)| (a, x.chiave()).cmp(&(b, y.chiave())));
        {
            let mut ins = tx.prepare(
                "INSERT INTO riconciliazione_pagamento (iuv, chiave, scadenza, stato)
                 VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (iuv, s) in stati.iter() {
                ins.execute(params![
                    iuv,
                    s.chiave(),
                    s.scadenza.map(|d| i64::from(d.num_days_from_ce())),
                    impacchetta(s)
                ])?;
            }
        }
        tx.execute(
            "DELETE FROM riconciliazione_modifica WHERE id <= ?1",
            params![modifiche_fino_a],
        )?;
        tx.execute(
            "INSERT INTO riconciliazione_esecuzione (id, oggi, regole, pagamenti, eseguita_at)
             VALUES (1, ?1, ?2, ?3, ?4)
             ON CONFLICT (id) DO UPDATE SET oggi = excluded.oggi, regole = excluded.regole,
                pagamenti = excluded.pagamenti, eseguita_at = excluded.eseguita_at",
            params![
                i64::from(esecuzione.oggi.num_days_from_ce()),
                esecuzione.regole,
                pagamenti,
                now.to_rfc3339()
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Forgets the last run: the next one starts from scratch.
    pub fn dimentica_riconciliazione(&self) -> Result<()> {
        self.conn().execute_batch(
            "BEGIN IMMEDIATE;
             DELETE FROM riconciliazione_esecuzione;
             DELETE FROM riconciliazione_pagamento;
             DELETE FROM riconciliazione_modifica;
             COMMIT;",
        )?;
        Ok(())
    }

    /// Every payment's state as the last run left it (in the table's order, by IUV).
    pub fn stati_riconciliazione(&self) -> Result<Vec<StatoSalvato>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT stato FROM riconciliazione_pagamento")?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let b = r.get_ref(0)?.as_blob().map_err(rusqlite::Error::from)?;
            out.push(spacchetta(b).ok_or_else(|| {
                rusqlite::Error::InvalidColumnType(0, "stato".into(), rusqlite::types::Type::Blob)
            })?);
        }
        Ok(out)
    }
}
