//! Receipts of paid debts, idempotent on (IUV, IUR), matched to the local debts.
//!
//! Matching, per receipt: by IUD first (the export carries it), then by IUV.
//! * [`Abbinamento::Pagato`]: the debt exists and the amount paid equals its amount;
//! * [`Abbinamento::ImportoDiverso`]: the debt exists but the amount differs;
//! * [`Abbinamento::Sconosciuto`]: no local debt (paid on a debt created elsewhere);
//! * [`Abbinamento::Doppio`]: the debt already had another receipt (paid twice).
//!
//! The same receipt read twice (same IUV and IUR) is stored once and counted as a duplicate.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::{Now, Result, Store, audit_in};

/// How a receipt relates to the local debts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Abbinamento {
    Pagato,
    ImportoDiverso,
    Sconosciuto,
    Doppio,
}

impl Abbinamento {
    pub fn as_str(self) -> &'static str {
        match self {
            Abbinamento::Pagato => "pagato",
            Abbinamento::ImportoDiverso => "importo_diverso",
            Abbinamento::Sconosciuto => "sconosciuto",
            Abbinamento::Doppio => "doppio",
        }
    }
    pub fn label_it(self) -> &'static str {
        match self {
            Abbinamento::Pagato => "pagato",
            Abbinamento::ImportoDiverso => "pagato con importo diverso",
            Abbinamento::Sconosciuto => "pagato ma sconosciuto in locale",
            Abbinamento::Doppio => "pagato due volte",
        }
    }
    fn parse(s: &str) -> Abbinamento {
        match s {
            "importo_diverso" => Abbinamento::ImportoDiverso,
            "sconosciuto" => Abbinamento::Sconosciuto,
            "doppio" => Abbinamento::Doppio,
            _ => Abbinamento::Pagato,
        }
    }
}

/// A receipt read from an export.
#[derive(Clone, Debug, Default)]
pub struct NewRicevuta {
    pub iuv: String,
    pub iur: String,
    pub iud: String,
    pub importo_cents: i64,
    /// `yyyy-mm-dd`.
    pub data_esito: String,
    pub esito: String,
    pub psp_id: String,
    pub psp_nome: String,
    pub codice_pagatore: String,
    pub anagrafica_pagatore: String,
    pub codice_versante: String,
    pub tipo_dovuto: String,
    pub causale: String,
    pub rt_base64: Option<String>,
}

/// A stored receipt.
#[derive(Clone, Debug, Serialize)]
pub struct RicevutaRecord {
    pub id: i64,
    pub iuv: String,
    pub iur: String,
    pub iud: String,
    pub importo_cents: i64,
    pub data_esito: String,
    pub psp_nome: String,
    pub codice_pagatore: String,
    pub anagrafica_pagatore: String,
    pub abbinamento: Abbinamento,
    pub dovuto_iud: Option<String>,
}

/// What an upsert did.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct UpsertSummary {
    pub lette: u64,
    pub nuove: u64,
    pub gia_presenti: u64,
    pub pagato: u64,
    pub importo_diverso: u64,
    pub sconosciuto: u64,
    pub doppio: u64,
    /// Options of positions cancelled because their position was paid the other way (filled
    /// by mpd-core after the receipts are stored).
    pub annullate_per_posizione: u64,
}

/// Debts marked paid by one export after which the indexes on the state are left to the
/// upkeep: a daily download marks tens; rebuilding the three indexes costs about 1.5 s per
/// million debts, in the background.
const BULK_PAID_ROWS: usize = 2_000;

/// New receipts after which a load stops logging each one for the reconciliation through the
/// trigger and logs them all at once at its end (see [`RegistroSospeso`]).
const BULK_NEW_ROWS: u64 = 2_000;

/// The reconciliation's change log for new receipts, suspended for the rest of a large load.
///
/// The trigger `ric_ricevuta_nuova` makes each receipt's INSERT a statement that writes two
/// tables, so SQLite keeps a statement journal for it: a copy of every page the insert
/// touches, about a tenth of a large import's time. Past [`BULK_NEW_ROWS`] the trigger is
/// dropped in the load's own transaction and the receipts stored after that point are
/// logged by one statement at the end, where the trigger is created again from its own
/// text: the log ends the same, and a crash or a rollback undoes the three together.
struct RegistroSospeso {
    /// The trigger's `CREATE` text as the schema holds it.
    sql: String,
    /// The last receipt the trigger logged.
    fino_a: i64,
}

impl RegistroSospeso {
    const TRIGGER: &'static str = "ric_ricevuta_nuova";

    fn sospendi(tx: &rusqlite::Transaction<'_>) -> Result<Self> {
        let sql: String = tx.query_row(
            "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?1",
            params![Self::TRIGGER],
            |r| r.get(0),
        )?;
        let fino_a = tx.last_insert_rowid();
        tx.execute_batch(&format!("DROP TRIGGER {}", Self::TRIGGER))?;
        Ok(Self { sql, fino_a })
    }

    fn riprendi(self, tx: &rusqlite::Transaction<'_>) -> Result<()> {
        // What the trigger would have written, row by row, for the receipts since.
        tx.execute(
            "INSERT INTO riconciliazione_modifica (iuv)
             SELECT iuv FROM ricevuta
             WHERE id > ?1 AND EXISTS (SELECT 1 FROM riconciliazione_esecuzione)
             ORDER BY id",
            params![self.fino_a],
        )?;
        tx.execute_batch(&self.sql)?;
        Ok(())
    }
}

impl Store {
    /// Stores receipts (once each) and matches them to debts, in one transaction.
    pub fn upsert_ricevute<I>(&mut self, ricevute: I, now: Now) -> Result<UpsertSummary>
    where
        I: IntoIterator<Item = NewRicevuta>,
    {
        Ok(self
            .upsert_ricevute_checked(ricevute, || None, now)?
            .expect("no failure is ever reported"))
    }

    /// Like [`Store::upsert_ricevute`] for a source that may fail midway: once the receipts
    /// are consumed, `failed` is asked whether the source stopped on an error; if so the
    /// transaction is rolled back and the error returned as `Ok(Err(..))`.
    pub fn upsert_ricevute_checked<I>(
        &mut self,
        ricevute: I,
        failed: impl FnOnce() -> Option<String>,
        now: Now,
    ) -> Result<std::result::Result<UpsertSummary, String>>
    where
        I: IntoIterator<Item = NewRicevuta>,
    {
        self.with_bulk_cache(|store| store.upsert_ricevute_tx(ricevute, failed, now))
    }

    fn upsert_ricevute_tx<I>(
        &mut self,
        ricevute: I,
        failed: impl FnOnce() -> Option<String>,
        now: Now,
    ) -> Result<std::result::Result<UpsertSummary, String>>
    where
        I: IntoIterator<Item = NewRicevuta>,
    {
        let now_text = now.to_rfc3339();
        let tx = self.conn.transaction()?;
        let mut s = UpsertSummary::default();
        let mut updated = 0;
        let mut registro: Option<RegistroSospeso> = None;
        {
            // Three statements per receipt: one look-up that also says whether the debt already
            // has a receipt, the insert (which tells a duplicate by changing no row), and the
            // debt's new state. `iuv <> ''` lets SQLite use the partial index `dovuto_iuv`
            // (without it every unknown IUV scans the whole table); the IUV looked up is never
            // empty, so the result is the same.
            const DEBT: &str =
                "d.id, d.importo_cents, EXISTS (SELECT 1 FROM ricevuta r WHERE r.dovuto_id = d.id)";
            let mut by_iud =
                tx.prepare_cached(&format!("SELECT {DEBT} FROM dovuto d WHERE d.iud = ?1"))?;
            let mut by_iuv = tx.prepare_cached(&format!(
                "SELECT {DEBT} FROM dovuto d WHERE d.iuv = ?1 AND d.iuv <> ''"
            ))?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO ricevuta (iuv, iur, iud, importo_cents, data_esito, esito, psp_id, psp_nome, codice_pagatore,
                    anagrafica_pagatore, codice_versante, tipo_dovuto, causale, rt_base64, dovuto_id, abbinamento, ricevuto_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
                 ON CONFLICT (iuv, iur) DO NOTHING",
            )?;
            let mut paid = tx.prepare_cached(
                "UPDATE dovuto SET stato = 'paid', azione_pendente = NULL, aggiornato_at = ?2 WHERE id = ?1",
            )?;
            let debt_of = |x: &rusqlite::Row<'_>| Ok((x.get(0)?, x.get(1)?, x.get(2)?));
            for r in ricevute {
                s.lette += 1;
                // (id, amount in cents, already has a receipt)
                let mut debt: Option<(i64, i64, bool)> = None;
                if !r.iud.is_empty() {
                    debt = by_iud.query_row(params![r.iud], debt_of).optional()?;
                }
                if debt.is_none() && !r.iuv.is_empty() {
                    debt = by_iuv.query_row(params![r.iuv], debt_of).optional()?;
                }
                let abbinamento = match debt {
                    None => Abbinamento::Sconosciuto,
                    Some((_, _, true)) => Abbinamento::Doppio,
                    Some((_, cents, _)) if cents != r.importo_cents => Abbinamento::ImportoDiverso,
                    Some(_) => Abbinamento::Pagato,
                };
                let dovuto_id = debt.map(|(id, _, _)| id);
                let inserted = insert.execute(params![
                    r.iuv,
                    r.iur,
                    r.iud,
                    r.importo_cents,
                    r.data_esito,
                    r.esito,
                    r.psp_id,
                    r.psp_nome,
                    r.codice_pagatore,
                    r.anagrafica_pagatore,
                    r.codice_versante,
                    r.tipo_dovuto,
                    r.causale,
                    r.rt_base64,
                    dovuto_id,
                    abbinamento.as_str(),
                    now_text,
                ])?;
                if inserted == 0 {
                    // Same IUV and IUR already stored: the same receipt read again.
                    s.gia_presenti += 1;
                    continue;
                }
                if s.nuove + 1 == BULK_NEW_ROWS {
                    registro = Some(RegistroSospeso::sospendi(&tx)?);
                }
                if let Some(id) = dovuto_id {
                    paid.execute(params![id, now_text])?;
                    updated += 1;
                    if updated == BULK_PAID_ROWS {
                        // A very large export (a first download, a year of payments): each
                        // debt paid moves in every index on its state, three random B-tree
                        // writes; past this many, the upkeep rebuilds those indexes once after
                        // the transaction instead (16 s → 7.6 s for 1,000,000 receipts).
                        crate::dovuti::defer_indexes(&tx, |name| name.starts_with("dovuto_stato"))?;
                    }
                }
                s.nuove += 1;
                match abbinamento {
                    Abbinamento::Pagato => s.pagato += 1,
                    Abbinamento::ImportoDiverso => s.importo_diverso += 1,
                    Abbinamento::Sconosciuto => s.sconosciuto += 1,
                    Abbinamento::Doppio => s.doppio += 1,
                }
            }
        }
        if let Some(why) = failed() {
            return Ok(Err(why)); // dropping `tx` rolls back
        }
        if let Some(registro) = registro {
            registro.riprendi(&tx)?;
        }
        audit_in(
            &tx,
            now,
            "ricevute.importa",
            "",
            &format!("{} lette, {} nuove", s.lette, s.nuove),
        )?;
        if updated >= BULK_PAID_ROWS {
            // The indexes were left to the upkeep, which will run: so is the checkpoint that
            // copies this transaction's pages from the WAL into the database (about a second
            // per million receipts, most of it waiting for the disk). The pages are safe in the
            // WAL once committed; the upkeep's first step, or closing the archive, copies them.
            let previous: i64 = tx.pragma_query_value(None, "wal_autocheckpoint", |r| r.get(0))?;
            tx.pragma_update(None, "wal_autocheckpoint", 0)?;
            let committed = tx.commit();
            let restored = self
                .conn
                .pragma_update(None, "wal_autocheckpoint", previous);
            committed?;
            restored?;
        } else {
            tx.commit()?;
        }
        Ok(Ok(s))
    }

    /// Receipts, newest first.
    pub fn ricevute(&self, limit: Option<usize>) -> Result<Vec<RicevutaRecord>> {
        let sql = format!(
            "SELECT {COLONNE}
             FROM ricevuta r LEFT JOIN dovuto d ON d.id = r.dovuto_id ORDER BY r.id DESC{}",
            limit.map(|l| format!(" LIMIT {l}")).unwrap_or_default()
        );
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map([], ricevuta_record)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The receipt matched to each of `iuds` that has one (the newest, when several are):
    /// the paid amount and date of an exported list of debts, without reading every receipt.
    pub fn ricevute_dei_dovuti(
        &self,
        iuds: &[String],
    ) -> Result<std::collections::HashMap<String, RicevutaRecord>> {
        let mut out = std::collections::HashMap::new();
        // SQLite's default limit of host parameters is 32766; a page of an export is smaller.
        for parte in iuds.chunks(5_000) {
            let segnaposti = vec!["?"; parte.len()].join(",");
            let sql = format!(
                "SELECT {COLONNE}
                 FROM ricevuta r JOIN dovuto d ON d.id = r.dovuto_id
                 WHERE d.iud IN ({segnaposti}) ORDER BY r.id DESC"
            );
            let mut stmt = self.conn().prepare(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(parte.iter()), ricevuta_record)?;
            for r in rows {
                let r = r?;
                if let Some(iud) = r.dovuto_iud.clone() {
                    out.entry(iud).or_insert(r);
                }
            }
        }
        Ok(out)
    }

    /// The receipts with one of `iuv`, newest first.
    pub fn ricevute_con_iuv(&self, iuv: &[String]) -> Result<Vec<RicevutaRecord>> {
        let mut out = self.per_parti(
            &format!("SELECT {COLONNE} FROM ricevuta r LEFT JOIN dovuto d ON d.id = r.dovuto_id"),
            "r.iuv",
            iuv,
            ricevuta_record,
        )?;
        out.sort_by_key(|r| std::cmp::Reverse(r.id));
        Ok(out)
    }

    /// Number of stored receipts.
    pub fn count_ricevute(&self) -> Result<i64> {
        Ok(self
            .conn()
            .query_row("SELECT COUNT(*) FROM ricevuta", [], |r| r.get(0))?)
    }
}

/// The columns of a [`RicevutaRecord`] (`r` the receipt, `d` its debt).
const COLONNE: &str = "r.id, r.iuv, r.iur, r.iud, r.importo_cents, r.data_esito, r.psp_nome,
    r.codice_pagatore, r.anagrafica_pagatore, r.abbinamento, d.iud";

fn ricevuta_record(r: &rusqlite::Row<'_>) -> rusqlite::Result<RicevutaRecord> {
    let abb: String = r.get(9)?;
    Ok(RicevutaRecord {
        id: r.get(0)?,
        iuv: r.get(1)?,
        iur: r.get(2)?,
        iud: r.get(3)?,
        importo_cents: r.get(4)?,
        data_esito: r.get(5)?,
        psp_nome: r.get(6)?,
        codice_pagatore: r.get(7)?,
        anagrafica_pagatore: r.get(8)?,
        abbinamento: Abbinamento::parse(&abb),
        dovuto_iud: r.get(10)?,
    })
}
