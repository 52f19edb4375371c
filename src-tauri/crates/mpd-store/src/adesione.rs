//! Queries of the adhesion and the regional contribution (issue 7): the dates of the adhesion
//! steps, the expense items, the requested/granted/received amounts.
//!
//! The store keeps plain records (codes as text, money as cents, dates as `yyyy-mm-dd`);
//! mpd-adesione owns their meaning, mpd-core converts. Deleting an item is a real delete: the
//! estimate is a working draft, and the audit log keeps what was done.

use chrono::NaiveDate;
use rusqlite::params;
use serde::Serialize;

use crate::{Now, Result, Store, StoreError, audit_in};

/// A recorded adhesion step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PassoRecord {
    pub passo: String,
    pub data: NaiveDate,
    pub nota: Option<String>,
}

/// An expense item: a quote (`importo_cents`) or a standard cost (`costo_standard` × `quantita`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VoceRecord {
    pub id: i64,
    pub descrizione: String,
    pub fornitore: Option<String>,
    pub riferimento: Option<String>,
    pub data: Option<NaiveDate>,
    pub importo_cents: Option<i64>,
    pub costo_standard: Option<String>,
    pub quantita: Option<u32>,
}

/// A requested, granted or received amount.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ImportoRecord {
    pub id: i64,
    pub tipo: String,
    pub importo_cents: i64,
    pub data: NaiveDate,
    pub riferimento: Option<String>,
}

fn date(s: String) -> NaiveDate {
    // Written by this module as yyyy-mm-dd; a hand-edited bad value reads as the epoch rather
    // than failing every listing.
    NaiveDate::parse_from_str(&s, "%Y-%m-%d").unwrap_or_default()
}

impl Store {
    /// Records (or replaces) the date of an adhesion step.
    pub fn set_adesione_passo(
        &self,
        passo: &str,
        data: NaiveDate,
        nota: Option<&str>,
        now: Now,
    ) -> Result<()> {
        self.conn().execute(
            "INSERT INTO adesione_passo (passo, data, nota, aggiornato_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(passo) DO UPDATE SET data = ?2, nota = ?3, aggiornato_at = ?4",
            params![passo, data.to_string(), nota, now.to_rfc3339()],
        )?;
        audit_in(self.conn(), now, "adesione.passo", passo, &data.to_string())
    }

    /// Every recorded step.
    pub fn adesione_passi(&self) -> Result<Vec<PassoRecord>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT passo, data, nota FROM adesione_passo ORDER BY data, passo")?;
        let rows = stmt.query_map([], |r| {
            Ok(PassoRecord {
                passo: r.get(0)?,
                data: date(r.get(1)?),
                nota: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Adds an expense item; returns its id. `id` of `voce` is ignored.
    pub fn add_contributo_voce(&self, voce: &VoceRecord, now: Now) -> Result<i64> {
        self.conn().execute(
            "INSERT INTO contributo_voce (descrizione, fornitore, riferimento, data, importo_cents, costo_standard, quantita, creato_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                voce.descrizione,
                voce.fornitore,
                voce.riferimento,
                voce.data.map(|d| d.to_string()),
                voce.importo_cents,
                voce.costo_standard,
                voce.quantita,
                now.to_rfc3339()
            ],
        )?;
        let id = self.conn().last_insert_rowid();
        audit_in(
            self.conn(),
            now,
            "contributo.voce",
            &id.to_string(),
            &voce.descrizione,
        )?;
        Ok(id)
    }

    /// Every expense item, in the order entered.
    pub fn contributo_voci(&self) -> Result<Vec<VoceRecord>> {
        let mut stmt = self.conn().prepare(
            "SELECT id, descrizione, fornitore, riferimento, data, importo_cents, costo_standard, quantita FROM contributo_voce ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(VoceRecord {
                id: r.get(0)?,
                descrizione: r.get(1)?,
                fornitore: r.get(2)?,
                riferimento: r.get(3)?,
                data: r.get::<_, Option<String>>(4)?.map(date),
                importo_cents: r.get(5)?,
                costo_standard: r.get(6)?,
                quantita: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Deletes an expense item.
    pub fn delete_contributo_voce(&self, id: i64, now: Now) -> Result<()> {
        let n = self
            .conn()
            .execute("DELETE FROM contributo_voce WHERE id = ?1", params![id])?;
        if n == 0 {
            return Err(StoreError::NotAllowed(format!(
                "nessuna voce di spesa con numero {id}"
            )));
        }
        audit_in(
            self.conn(),
            now,
            "contributo.voce.elimina",
            &id.to_string(),
            "",
        )
    }

    /// Deletes a tracked amount (typed by mistake).
    pub fn delete_contributo_importo(&self, id: i64, now: Now) -> Result<()> {
        let n = self
            .conn()
            .execute("DELETE FROM contributo_importo WHERE id = ?1", params![id])?;
        if n == 0 {
            return Err(StoreError::NotAllowed(format!(
                "nessun importo registrato con numero {id}"
            )));
        }
        audit_in(
            self.conn(),
            now,
            "contributo.importo.elimina",
            &id.to_string(),
            "",
        )
    }

    /// Records a requested, granted or received amount; returns its id.
    pub fn add_contributo_importo(
        &self,
        tipo: &str,
        importo_cents: i64,
        data: NaiveDate,
        riferimento: Option<&str>,
        now: Now,
    ) -> Result<i64> {
        self.conn().execute(
            "INSERT INTO contributo_importo (tipo, importo_cents, data, riferimento, creato_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![tipo, importo_cents, data.to_string(), riferimento, now.to_rfc3339()],
        )?;
        let id = self.conn().last_insert_rowid();
        audit_in(
            self.conn(),
            now,
            "contributo.importo",
            tipo,
            &importo_cents.to_string(),
        )?;
        Ok(id)
    }

    /// Every tracked amount, by date.
    pub fn contributo_importi(&self) -> Result<Vec<ImportoRecord>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT id, tipo, importo_cents, data, riferimento FROM contributo_importo ORDER BY data, id")?;
        let rows = stmt.query_map([], |r| {
            Ok(ImportoRecord {
                id: r.get(0)?,
                tipo: r.get(1)?,
                importo_cents: r.get(2)?,
                data: date(r.get(3)?),
                riferimento: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
