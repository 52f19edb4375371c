//! Free-text search of the debts and the upkeep of their indexes.
//!
//! The Dovuti screen's search box finds a substring of the IUD, payer code, name or causale.
//! Scanning a million debts for it takes a quarter of a second or more, so the four columns
//! are indexed by a trigram FTS5 table, `dovuto_ricerca` (migration 7). Building that index
//! costs about 20 µs per debt: nothing for the few thousand debts of a normal import, which
//! index their rows in their own transaction, but some twenty seconds for a million. A very
//! large bulk insert therefore leaves its rows, and the secondary indexes it dropped, to an
//! **upkeep** done in small steps ([`Store::passo_manutenzione`]) that the window runs in the
//! background and the CLI runs at the end of its command; so does a very large export, for the
//! indexes on the debts' state it dropped.
//!
//! The search is always complete: debts not indexed yet (`id > ricerca_indice.fino_a`) are
//! scanned with `LIKE`, which is only slow while the upkeep is behind. Texts shorter than
//! three characters have no trigram and are scanned too.

use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde::Serialize;

use crate::{Result, Store};

/// How far the upkeep of the debts' indexes is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Manutenzione {
    /// Debts in the store.
    pub dovuti: i64,
    /// Debts not in the search index yet (found by a slower scan meanwhile).
    pub da_indicizzare: i64,
    /// Secondary indexes a very large load dropped and that are not built again yet.
    pub indici_da_ricostruire: i64,
}

impl Manutenzione {
    /// Nothing left to do.
    pub fn completa(&self) -> bool {
        self.da_indicizzare == 0 && self.indici_da_ricostruire == 0
    }
}

/// How the search box's free text is matched (see [`Store::dovuti`]). The text is split into
/// words, and a debt matches when it holds every word, in any order and in any of the four
/// columns: "maria bianchi" finds "BIANCHI MARIA" (issue 13).
pub(crate) struct TestoLibero {
    /// FTS5 query: each word as a quoted string (a substring, through its trigrams), all of
    /// them required; `None` when a word is too short to have a trigram (then every debt is
    /// scanned with the patterns).
    pub fts: Option<String>,
    /// One `LIKE` pattern per word, `\` escaping `%` and `_`.
    pub like: Vec<String>,
}

impl TestoLibero {
    pub fn of(testo: &str) -> TestoLibero {
        let parole: Vec<&str> = testo.split_whitespace().collect();
        let parole = if parole.is_empty() {
            vec![testo]
        } else {
            parole
        };
        let fts = parole.iter().all(|p| p.chars().count() >= 3).then(|| {
            parole
                .iter()
                .map(|p| format!("\"{}\"", p.replace('"', "\"\"")))
                .collect::<Vec<_>>()
                .join(" AND ")
        });
        let like = parole
            .iter()
            .map(|p| {
                let mut like = String::with_capacity(p.len() + 2);
                like.push('%');
                for c in p.chars() {
                    if matches!(c, '%' | '_' | '\\') {
                        like.push('\\');
                    }
                    like.push(c);
                }
                like.push('%');
                like
            })
            .collect();
        TestoLibero { fts, like }
    }
}

/// The `LIKE` condition on the four searched columns of `alias`: every pattern of
/// `?{n}`…`?{n + parole - 1}` in one of them.
pub(crate) fn like_sql(alias: &str, n: usize, parole: usize) -> String {
    let parti: Vec<String> = (n..n + parole.max(1))
        .map(|n| {
            format!(
                "({alias}iud LIKE ?{n} ESCAPE '\\' OR {alias}codice_pagatore LIKE ?{n} ESCAPE '\\' \
                 OR {alias}anagrafica LIKE ?{n} ESCAPE '\\' OR {alias}causale LIKE ?{n} ESCAPE '\\')"
            )
        })
        .collect();
    format!("({})", parti.join(" AND "))
}

/// The ids (column `mid`) matching the FTS query `?{m}` or, among debts not indexed yet, the
/// patterns from `?{n}` (see [`like_sql`]): a compound SELECT, ascending when ordered by its
/// column.
pub(crate) fn ids_sql(m: usize, n: usize, parole: usize) -> String {
    format!(
        "SELECT rowid AS mid FROM dovuto_ricerca WHERE dovuto_ricerca MATCH ?{m} \
         UNION ALL SELECT d.id FROM dovuto d WHERE d.id > (SELECT fino_a FROM ricerca_indice) AND {}",
        like_sql("d.", n, parole)
    )
}

/// The ids a free-text search matched, in order, kept for the next page of the same search.
///
/// The Dovuti screen asks a search's count and first page, then a page at a time as the clerk
/// scrolls; each page of common words («Sanzioni amministrative», 250,000 debts) walked the
/// search index again up to its offset (0.15 s a page at 1,000,000 encrypted debts). The ids
/// are read once (2 MB for 250,000) and every later page of the same search is a slice of
/// them, as long as the database has not changed: `PRAGMA data_version` (a commit of another
/// connection) and this connection's `total_changes()` (its own writes) are part of the key.
pub(crate) struct RicercaRecente {
    chiave: (String, Vec<String>, i64, u64),
    ids: std::sync::Arc<Vec<i64>>,
}

impl Store {
    /// The ids matching the FTS query `fts` or, among debts not indexed yet, the patterns
    /// `like` (as [`ids_sql`]), ascending: from [`RicercaRecente`] when it is the same search
    /// on an unchanged database.
    pub(crate) fn ids_ricerca(
        &self,
        fts: &str,
        like: &[String],
    ) -> Result<std::sync::Arc<Vec<i64>>> {
        let versione: i64 = self
            .conn()
            .pragma_query_value(None, "data_version", |r| r.get(0))?;
        let chiave = (
            fts.to_string(),
            like.to_vec(),
            versione,
            self.conn().total_changes(),
        );
        let mut recente = self
            .ricerca_recente
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(r) = recente.as_ref().filter(|r| r.chiave == chiave) {
            return Ok(r.ids.clone());
        }
        let sql = format!("{} ORDER BY 1", ids_sql(1, 2, like.len()));
        let mut args: Vec<&dyn rusqlite::ToSql> = vec![&chiave.0];
        args.extend(like.iter().map(|l| l as &dyn rusqlite::ToSql));
        let mut stmt = self.conn().prepare(&sql)?;
        let ids: Vec<i64> = stmt
            .query_map(args.as_slice(), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let ids = std::sync::Arc::new(ids);
        *recente = Some(RicercaRecente {
            chiave,
            ids: ids.clone(),
        });
        Ok(ids)
    }

    /// Forgets [`RicercaRecente`]: the next search reads its ids again.
    pub fn dimentica_ricerca(&self) {
        *self
            .ricerca_recente
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    }
}

/// Debts one upkeep step indexes: about half a second of work, so that a write of the clerk's
/// (which waits for the step's transaction) waits at most that long.
pub const PASSO_RIGHE: usize = 20_000;

impl Store {
    /// What the upkeep still has to do.
    pub fn manutenzione(&self) -> Result<Manutenzione> {
        let conn = self.conn();
        let (dovuti, da_indicizzare) = conn.query_row(
            "SELECT (SELECT COUNT(*) FROM dovuto),
                    (SELECT COUNT(*) FROM dovuto WHERE id > (SELECT fino_a FROM ricerca_indice))",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let indici_da_ricostruire =
            conn.query_row("SELECT COUNT(*) FROM indice_differito", [], |r| r.get(0))?;
        Ok(Manutenzione {
            dovuti,
            da_indicizzare,
            indici_da_ricostruire,
        })
    }

    /// Gathers the query planner's statistics on the debts (`ANALYZE`, every row: 0.6 s at
    /// 1,000,000 debts). Without them SQLite guesses how selective each index is, and with
    /// the state, type and due date filters together it picked an index that left 60,000 rows
    /// to read (138 ms instead of 6 ms; `mpd-bench dovuti`). The upkeep ends with it.
    pub fn analizza(&self) -> Result<()> {
        self.conn()
            .execute_batch("PRAGMA analysis_limit = 0; ANALYZE dovuto;")?;
        Ok(())
    }

    /// Whether the planner has statistics on the debts ([`Store::analizza`]).
    pub fn ha_statistiche(&self) -> Result<bool> {
        let table: bool = self.conn().query_row(
            "SELECT EXISTS(SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1')",
            [],
            |r| r.get(0),
        )?;
        Ok(table
            && self.conn().query_row(
                "SELECT EXISTS(SELECT 1 FROM sqlite_stat1 WHERE tbl = 'dovuto')",
                [],
                |r| r.get(0),
            )?)
    }

    /// One step of upkeep, in its own short transaction: first a dropped index is built again
    /// (the filters need them most), then up to `righe` debts go into the search index.
    /// Returns what is left.
    pub fn passo_manutenzione(&mut self, righe: usize) -> Result<Manutenzione> {
        self.with_bulk_cache(|store| {
            let tx = store
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let differito: Option<(String, String)> = tx
                .query_row(
                    "SELECT nome, sql FROM indice_differito ORDER BY nome LIMIT 1",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if let Some((nome, sql)) = differito {
                let exists: bool = tx.query_row(
                    "SELECT EXISTS(SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?1)",
                    params![nome],
                    |r| r.get(0),
                )?;
                if !exists {
                    tx.execute_batch(&sql)?;
                }
                tx.execute(
                    "DELETE FROM indice_differito WHERE nome = ?1",
                    params![nome],
                )?;
            } else {
                indicizza_fino(&tx, Some(righe))?;
            }
            tx.commit()?;
            Ok(())
        })?;
        self.manutenzione()
    }
}

/// Puts debts after the index's mark into the search index, up to `righe` of them (all when
/// `None`), and moves the mark. Runs inside the caller's write transaction.
pub(crate) fn indicizza_fino(conn: &rusqlite::Connection, righe: Option<usize>) -> Result<usize> {
    let fino_a: i64 = conn.query_row("SELECT fino_a FROM ricerca_indice", [], |r| r.get(0))?;
    let fine: Option<i64> = match righe {
        Some(n) if n > 0 => conn
            .query_row(
                "SELECT MAX(id) FROM (SELECT id FROM dovuto WHERE id > ?1 ORDER BY id LIMIT ?2)",
                params![fino_a, n as i64],
                |r| r.get(0),
            )
            .optional()?
            .flatten(),
        Some(_) => None,
        None => conn.query_row("SELECT MAX(id) FROM dovuto", [], |r| r.get(0))?,
    };
    let Some(fine) = fine.filter(|f| *f > fino_a) else {
        return Ok(0);
    };
    let n = conn.execute(
        "INSERT INTO dovuto_ricerca (rowid, iud, codice_pagatore, anagrafica, causale)
         SELECT id, iud, codice_pagatore, anagrafica, causale FROM dovuto WHERE id > ?1 AND id <= ?2",
        params![fino_a, fine],
    )?;
    conn.execute("UPDATE ricerca_indice SET fino_a = ?1", params![fine])?;
    Ok(n)
}

/// Whether every debt is in the search index (then a small insert indexes its own rows).
pub(crate) fn indice_al_passo(conn: &rusqlite::Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT (SELECT fino_a FROM ricerca_indice) >= COALESCE((SELECT MAX(id) FROM dovuto), 0)",
        [],
        |r| r.get(0),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_pattern_escapes_wildcards_and_fts_quotes_the_text() {
        let t = TestoLibero::of("50%_a\\b");
        assert_eq!(t.like, ["%50\\%\\_a\\\\b%"]);
        assert_eq!(TestoLibero::of("d\"ar").fts.as_deref(), Some("\"d\"\"ar\""));
        assert_eq!(
            TestoLibero::of("àb").fts,
            None,
            "two characters have no trigram"
        );
        assert!(
            TestoLibero::of("àbc").fts.is_some(),
            "three characters, four bytes"
        );
    }

    #[test]
    fn words_are_matched_each_in_any_order() {
        let t = TestoLibero::of("  maria   bianchi ");
        assert_eq!(t.like, ["%maria%", "%bianchi%"]);
        assert_eq!(t.fts.as_deref(), Some("\"maria\" AND \"bianchi\""));
        // A word too short for a trigram: every debt is scanned with the patterns.
        assert_eq!(TestoLibero::of("de rossi").fts, None);
        assert!(like_sql("", 3, 2).contains("?4"));
    }
}
