//! The *flussi di rendicontazione* (FdR) a PSP sends the Ente (issue 16): stored per flow and
//! per reported transfer, read back for the matching and for each flow's *quadratura*.
//!
//! Idempotent by IUF (compared whatever its case, as MyPivot does): the same flow stored again
//! adds nothing; a newer version of it (later `data_ora_flusso`) replaces the older one's rows,
//! as MyPivot's re-delivery does; an older version is ignored. Several flows are stored in one
//! transaction: all or none.

use rusqlite::{OptionalExtension, params};

use crate::{Now, Result, Store, audit_in};

/// One reported transfer (`datiSingoliPagamenti`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewRigaFdr {
    /// 1-based position in the flow.
    pub numero: i64,
    pub iuv: String,
    pub iur: String,
    pub indice: Option<u8>,
    pub importo_cents: i64,
    /// `codiceEsitoSingoloPagamento`: 0, 3, 4, 8 or 9.
    pub esito: u8,
    /// `yyyy-mm-dd`.
    pub data_esito: String,
}

/// A flow to store.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewFdr {
    pub iuf: String,
    pub psp_id: String,
    pub versione_oggetto: String,
    /// `yyyy-mm-ddThh:mm:ss`, so that text order is time order.
    pub data_ora_flusso: String,
    pub iur_regolamento: String,
    /// `yyyy-mm-dd`.
    pub data_regolamento: String,
    pub mittente_tipo: String,
    pub mittente_codice: String,
    pub mittente_nome: String,
    pub bic_riversamento: String,
    pub ricevente_codice: String,
    pub ricevente_nome: String,
    pub numero_dichiarato: i64,
    pub importo_dichiarato_cents: i64,
    /// The file it came from (its name only).
    pub file: String,
    pub righe: Vec<NewRigaFdr>,
}

/// What storing one flow did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SalvataggioFdr {
    /// A flow not seen before.
    Nuovo,
    /// The same version was already stored: nothing added.
    GiaPresente,
    /// A newer version of a stored flow: its rows replace the older ones.
    Sostituito,
    /// An older version than the stored one: ignored.
    Superato,
}

/// A stored flow with what its quadratura needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FdrRecord {
    pub id: i64,
    pub iuf: String,
    pub psp_id: String,
    pub mittente_nome: String,
    pub data_ora_flusso: String,
    pub data_regolamento: String,
    pub iur_regolamento: String,
    pub numero_dichiarato: i64,
    pub importo_dichiarato_cents: i64,
    /// Every row, esito 3 included.
    pub righe: i64,
    /// Rows with esito 3 (revoked): kept, out of the totals.
    pub righe_escluse: i64,
    /// Sum of the rows without esito 3.
    pub somma_cents: i64,
    pub file: String,
    pub importato_at: String,
}

/// One stored row with its flow's IUF, for the matching.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RigaFdrRecord {
    pub id: i64,
    pub fdr_id: i64,
    pub iuf: String,
    pub numero: i64,
    pub iuv: String,
    pub iur: String,
    pub indice: Option<u8>,
    pub importo_cents: i64,
    pub esito: u8,
    pub data_esito: String,
    pub data_regolamento: String,
}

impl Store {
    /// Stores the flows in one transaction; one outcome per flow, in order. The same IUF twice
    /// in `flussi` counts as the first stored and the second judged against it.
    pub fn salva_fdr(&mut self, flussi: &[NewFdr], now: Now) -> Result<Vec<SalvataggioFdr>> {
        let now_text = now.to_rfc3339();
        let tx = self.conn.transaction()?;
        let mut esiti = Vec::with_capacity(flussi.len());
        for f in flussi {
            let esistente: Option<(i64, String)> = tx
                .query_row(
                    "SELECT id, data_ora_flusso FROM fdr WHERE iuf = ?1",
                    params![f.iuf],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let esito = match &esistente {
                None => SalvataggioFdr::Nuovo,
                Some((_, d)) if *d == f.data_ora_flusso => SalvataggioFdr::GiaPresente,
                Some((_, d)) if *d > f.data_ora_flusso => SalvataggioFdr::Superato,
                Some(_) => SalvataggioFdr::Sostituito,
            };
            esiti.push(esito);
            if !matches!(esito, SalvataggioFdr::Nuovo | SalvataggioFdr::Sostituito) {
                continue;
            }
            if let Some((id, _)) = esistente {
                tx.execute("DELETE FROM fdr_riga WHERE fdr_id = ?1", params![id])?;
                tx.execute("DELETE FROM fdr WHERE id = ?1", params![id])?;
            }
            tx.execute(
                "INSERT INTO fdr (iuf, psp_id, versione_oggetto, data_ora_flusso, iur_regolamento,
                    data_regolamento, mittente_tipo, mittente_codice, mittente_nome, bic_riversamento,
                    ricevente_codice, ricevente_nome, numero_dichiarato, importo_dichiarato_cents,
                    file, importato_at, righe, righe_escluse, somma_cents)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                    ?17, ?18, ?19)",
                params![
                    f.iuf,
                    f.psp_id,
                    f.versione_oggetto,
                    f.data_ora_flusso,
                    f.iur_regolamento,
                    f.data_regolamento,
                    f.mittente_tipo,
                    f.mittente_codice,
                    f.mittente_nome,
                    f.bic_riversamento,
                    f.ricevente_codice,
                    f.ricevente_nome,
                    f.numero_dichiarato,
                    f.importo_dichiarato_cents,
                    f.file,
                    now_text,
                    f.righe.len() as i64,
                    f.righe.iter().filter(|r| r.esito == 3).count() as i64,
                    f.righe
                        .iter()
                        .filter(|r| r.esito != 3)
                        .map(|r| r.importo_cents)
                        .sum::<i64>()
                ],
            )?;
            let fdr_id = tx.last_insert_rowid();
            {
                let mut ins = tx.prepare_cached(
                    "INSERT INTO fdr_riga (fdr_id, numero, iuv, iur, indice, importo_cents, esito, data_esito)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )?;
                for r in &f.righe {
                    ins.execute(params![
                        fdr_id,
                        r.numero,
                        r.iuv,
                        r.iur,
                        r.indice,
                        r.importo_cents,
                        r.esito,
                        r.data_esito
                    ])?;
                }
            }
            audit_in(
                &tx,
                now,
                if esito == SalvataggioFdr::Nuovo {
                    "fdr.importa"
                } else {
                    "fdr.sostituisci"
                },
                &f.iuf,
                &format!("{} righe da {}", f.righe.len(), f.file),
            )?;
        }
        tx.commit()?;
        Ok(esiti)
    }

    /// The `data_ora_flusso` of the stored version of a flow (IUF whatever its case), if any:
    /// a download skips a listed version that is not newer.
    pub fn fdr_data_ora(&self, iuf: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT data_ora_flusso FROM fdr WHERE iuf = ?1",
                params![iuf],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The day of the earliest receipt (`yyyy-mm-dd`), if any: where a first download of the
    /// FdR may start.
    pub fn prima_ricevuta(&self) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT MIN(substr(data_esito, 1, 10)) FROM ricevuta",
                [],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
    }

    /// Every stored flow with its rows counted and summed (esito 3 apart; kept with the flow
    /// when stored), newest settlement first.
    pub fn fdr(&self) -> Result<Vec<FdrRecord>> {
        let mut stmt = self.conn().prepare(
            "SELECT f.id, f.iuf, f.psp_id, f.mittente_nome, f.data_ora_flusso, f.data_regolamento,
                f.iur_regolamento, f.numero_dichiarato, f.importo_dichiarato_cents,
                f.righe, f.righe_escluse, f.somma_cents, f.file, f.importato_at
             FROM fdr f ORDER BY f.data_regolamento DESC, f.iuf",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(FdrRecord {
                id: r.get(0)?,
                iuf: r.get(1)?,
                psp_id: r.get(2)?,
                mittente_nome: r.get(3)?,
                data_ora_flusso: r.get(4)?,
                data_regolamento: r.get(5)?,
                iur_regolamento: r.get(6)?,
                numero_dichiarato: r.get(7)?,
                importo_dichiarato_cents: r.get(8)?,
                righe: r.get(9)?,
                righe_escluse: r.get(10)?,
                somma_cents: r.get(11)?,
                file: r.get(12)?,
                importato_at: r.get(13)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every stored row with its flow's IUF and settlement date, in flow and row order.
    pub fn righe_fdr(&self) -> Result<Vec<RigaFdrRecord>> {
        let mut stmt = self
            .conn()
            .prepare(&format!("SELECT {COLONNE_RIGA} ORDER BY f.id, r.numero"))?;
        let rows = stmt.query_map([], riga_fdr)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// The columns of a [`RigaFdrRecord`], `FROM` included (`r` the row, `f` its flow).
pub(crate) const COLONNE_RIGA: &str = "r.id, f.iuf, r.numero, r.iuv, r.iur, r.indice, r.importo_cents,
    r.esito, r.data_esito, f.data_regolamento, r.fdr_id FROM fdr_riga r JOIN fdr f ON f.id = r.fdr_id";

pub(crate) fn riga_fdr(r: &rusqlite::Row<'_>) -> rusqlite::Result<RigaFdrRecord> {
    Ok(RigaFdrRecord {
        id: r.get(0)?,
        iuf: r.get(1)?,
        numero: r.get(2)?,
        iuv: r.get(3)?,
        iur: r.get(4)?,
        indice: r.get(5)?,
        importo_cents: r.get(6)?,
        esito: r.get(7)?,
        data_esito: r.get(8)?,
        data_regolamento: r.get(9)?,
        fdr_id: r.get(10)?,
    })
}

#[cfg(test)]
mod tests;
