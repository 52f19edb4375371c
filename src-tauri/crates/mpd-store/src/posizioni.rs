//! Debt positions (issue 14): reading them with their options. A position is created with its
//! debts ([`crate::NewDovuto::posizione`], in the same transaction as the debts); its rules and
//! its state are mpd-domain's `posizione`.

use std::collections::{BTreeMap, HashSet};

use mpd_domain::model::Azione;
use mpd_domain::posizione::Rata;
use rusqlite::params;
use serde::Serialize;

use crate::{DovutoStato, Result, Store};

/// A stored position and its options, rata unica first then instalments in order.
#[derive(Clone, Debug, Serialize)]
pub struct PosizioneRecord {
    pub id: i64,
    pub codice: String,
    pub codice_pagatore: String,
    pub tipo_dovuto: String,
    pub oggetto: String,
    pub opzioni: Vec<OpzioneRecord>,
}

/// One option of a stored position: its debt.
#[derive(Clone, Debug, Serialize)]
pub struct OpzioneRecord {
    pub rata: Rata,
    pub iud: String,
    pub iuv: String,
    pub stato: DovutoStato,
    pub azione_pendente: Option<Azione>,
    pub importo_cents: i64,
    pub data_scadenza: String,
    pub anagrafica: String,
}

impl OpzioneRecord {
    /// Cancelled, or its cancellation is on its way to MyPay.
    pub fn annullata(&self) -> bool {
        self.stato == DovutoStato::Cancelled || self.azione_pendente == Some(Azione::Annullamento)
    }
}

/// Which positions to read.
#[derive(Clone, Debug, Default)]
pub struct FiltroPosizioni {
    pub tipo_dovuto: Option<String>,
    pub codice_pagatore: Option<String>,
    /// Only positions with at least one paid option and one neither paid nor cancelled (the
    /// ones the alignment after a payment may have to act on).
    pub da_allineare: bool,
    /// At most this many positions (by code).
    pub limite: usize,
}

const OPZIONI: &str = "SELECT p.id, p.codice, p.codice_pagatore, p.tipo_dovuto, p.oggetto,
        d.rata, d.iud, d.iuv, d.stato, d.azione_pendente, d.importo_cents, d.data_scadenza, d.anagrafica
    FROM posizione p JOIN dovuto d ON d.posizione_id = p.id";

impl Store {
    /// The positions `filtro` asks for, by code.
    pub fn posizioni(&self, filtro: &FiltroPosizioni) -> Result<Vec<PosizioneRecord>> {
        let mut cond = vec!["1 = 1".to_string()];
        let mut args: Vec<String> = Vec::new();
        if let Some(t) = &filtro.tipo_dovuto {
            args.push(t.clone());
            cond.push(format!("p.tipo_dovuto = ?{}", args.len()));
        }
        if let Some(c) = &filtro.codice_pagatore {
            args.push(c.trim().to_uppercase());
            cond.push(format!("UPPER(p.codice_pagatore) = ?{}", args.len()));
        }
        if filtro.da_allineare {
            cond.push(
                "EXISTS (SELECT 1 FROM dovuto x WHERE x.posizione_id = p.id AND x.stato = 'paid')
                 AND EXISTS (SELECT 1 FROM dovuto y WHERE y.posizione_id = p.id
                     AND y.stato NOT IN ('paid', 'cancelled')
                     AND COALESCE(y.azione_pendente, '') <> 'A')"
                    .into(),
            );
        }
        let limite = if filtro.limite == 0 {
            i64::MAX
        } else {
            filtro.limite as i64
        };
        let sql = format!(
            "{OPZIONI} WHERE p.id IN (SELECT p.id FROM posizione p WHERE {} ORDER BY p.codice LIMIT {limite})
             ORDER BY p.codice, d.rata",
            cond.join(" AND ")
        );
        self.leggi_posizioni(&sql, rusqlite::params_from_iter(args.iter()))
    }

    /// The position with this code.
    pub fn posizione(&self, codice: &str) -> Result<Option<PosizioneRecord>> {
        let sql = format!("{OPZIONI} WHERE p.codice = ?1 ORDER BY d.rata");
        Ok(self.leggi_posizioni(&sql, params![codice])?.pop())
    }

    /// The position the debt `iud` belongs to (none: a debt outside positions).
    pub fn posizione_del_dovuto(&self, iud: &str) -> Result<Option<PosizioneRecord>> {
        let sql = format!(
            "{OPZIONI} WHERE p.id = (SELECT posizione_id FROM dovuto WHERE iud = ?1) ORDER BY d.rata"
        );
        Ok(self.leggi_posizioni(&sql, params![iud])?.pop())
    }

    /// Which of `codici` are already positions in the archive.
    pub fn codici_posizione_esistenti(&self, codici: &[String]) -> Result<HashSet<String>> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT codice FROM posizione WHERE codice = ?1")?;
        let mut out = HashSet::new();
        for c in codici {
            if stmt.exists(params![c])? {
                out.insert(c.clone());
            }
        }
        Ok(out)
    }

    /// How many positions the archive holds.
    pub fn conta_posizioni(&self) -> Result<i64> {
        Ok(self
            .conn()
            .query_row("SELECT COUNT(*) FROM posizione", [], |r| r.get(0))?)
    }

    /// The position code of each of `iuds` that belongs to one (a page of the list).
    pub fn codici_posizione_dei_dovuti(
        &self,
        iuds: &[String],
    ) -> Result<std::collections::HashMap<String, String>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT p.codice FROM dovuto d JOIN posizione p ON p.id = d.posizione_id WHERE d.iud = ?1",
        )?;
        let mut out = std::collections::HashMap::new();
        for iud in iuds {
            let mut rows = stmt.query(params![iud])?;
            if let Some(r) = rows.next()? {
                out.insert(iud.clone(), r.get(0)?);
            }
        }
        Ok(out)
    }

    /// Takes the debt `iud` out of its position (an option the clerk removed: the debt stays,
    /// cancelled or with its cancellation on its way to MyPay, as a debt on its own).
    pub fn stacca_opzione(&mut self, iud: &str, now: crate::Now) -> Result<()> {
        self.conn().execute(
            "UPDATE dovuto SET posizione_id = NULL, rata = NULL WHERE iud = ?1",
            params![iud],
        )?;
        self.audit(now, "posizione.rimuovi", iud, "tolto dalla posizione")
    }

    /// Gives the debt `iud` the number `rata` in its position (after an option before it was
    /// removed). The number must be free in the position.
    pub fn rinumera_opzione(&mut self, iud: &str, rata: Rata, now: crate::Now) -> Result<()> {
        self.conn().execute(
            "UPDATE dovuto SET rata = ?2 WHERE iud = ?1 AND posizione_id IS NOT NULL",
            params![iud, rata.numero()],
        )?;
        self.audit(now, "posizione.rinumera", iud, &rata.etichetta())
    }

    fn leggi_posizioni(
        &self,
        sql: &str,
        args: impl rusqlite::Params,
    ) -> Result<Vec<PosizioneRecord>> {
        let mut stmt = self.conn().prepare(sql)?;
        let mut per_id: BTreeMap<(String, i64), PosizioneRecord> = BTreeMap::new();
        let mut rows = stmt.query(args)?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let codice: String = r.get(1)?;
            let p = match per_id.entry((codice.clone(), id)) {
                std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::btree_map::Entry::Vacant(e) => e.insert(PosizioneRecord {
                    id,
                    codice,
                    codice_pagatore: r.get(2)?,
                    tipo_dovuto: r.get(3)?,
                    oggetto: r.get(4)?,
                    opzioni: Vec::new(),
                }),
            };
            let rata: Option<u8> = r.get(5)?;
            let stato: String = r.get(8)?;
            let azione: Option<String> = r.get(9)?;
            p.opzioni.push(OpzioneRecord {
                rata: rata.and_then(Rata::da_numero).unwrap_or(Rata::Unica),
                iud: r.get(6)?,
                iuv: r.get(7)?,
                stato: DovutoStato::parse(&stato).unwrap_or(DovutoStato::Draft),
                azione_pendente: azione.as_deref().and_then(Azione::parse),
                importo_cents: r.get(10)?,
                data_scadenza: r.get(11)?,
                anagrafica: r.get(12)?,
            });
        }
        Ok(per_id.into_values().collect())
    }
}
