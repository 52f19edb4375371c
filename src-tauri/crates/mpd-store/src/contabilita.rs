//! What the finance office's reconciliation reads besides the receipts and the FdR (issue 16
//! item 4): each receipt's payment type, causale and dates, and the debt it paid with its
//! `bilancio` and payer (the budget chapters, MyPivot's I and E blocks). Read only.

use std::collections::HashMap;

use rusqlite::params;

use crate::{Result, Store};

/// A local debt as the accounting side needs it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DovutoContabile {
    pub iud: String,
    pub iuv: String,
    pub stato: String,
    pub importo_cents: i64,
    pub commissione_cents: Option<i64>,
    pub tipo_dovuto: String,
    pub tipo_versamento: String,
    pub causale: String,
    pub dati_specifici: String,
    /// The `<bilancio>` XML, empty when none.
    pub bilancio: String,
    pub tipo_pagatore: String,
    pub codice_pagatore: String,
    pub anagrafica: String,
    pub indirizzo: String,
    pub civico: String,
    pub cap: String,
    pub localita: String,
    pub provincia: String,
    pub nazione: String,
    pub email: String,
    /// RFC 3339: the debt's last change.
    pub aggiornato_at: String,
}

/// A receipt's accounting data, by the receipt's id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RicevutaContabile {
    /// The receipt's payment type, else its debt's.
    pub tipo_dovuto: String,
    pub causale: String,
    pub psp_id: String,
    pub codice_versante: String,
    /// RFC 3339: when the receipt was stored.
    pub ricevuto_at: String,
    /// The debt it paid, if any.
    pub dovuto: Option<DovutoContabile>,
}

const COLONNE_DOVUTO: &str =
    "d.iud, d.iuv, d.stato, d.importo_cents, d.commissione_cents, d.tipo_dovuto,
    d.tipo_versamento, d.causale, d.dati_specifici, d.bilancio, d.tipo_pagatore, d.codice_pagatore,
    d.anagrafica, d.indirizzo, d.civico, d.cap, d.localita, d.provincia, d.nazione, d.email,
    d.aggiornato_at";

fn dovuto_da(r: &rusqlite::Row<'_>, da: usize) -> rusqlite::Result<DovutoContabile> {
    Ok(DovutoContabile {
        iud: r.get(da)?,
        iuv: r.get(da + 1)?,
        stato: r.get(da + 2)?,
        importo_cents: r.get(da + 3)?,
        commissione_cents: r.get(da + 4)?,
        tipo_dovuto: r.get(da + 5)?,
        tipo_versamento: r.get(da + 6)?,
        causale: r.get(da + 7)?,
        dati_specifici: r.get(da + 8)?,
        bilancio: r.get(da + 9)?,
        tipo_pagatore: r.get(da + 10)?,
        codice_pagatore: r.get(da + 11)?,
        anagrafica: r.get(da + 12)?,
        indirizzo: r.get(da + 13)?,
        civico: r.get(da + 14)?,
        cap: r.get(da + 15)?,
        localita: r.get(da + 16)?,
        provincia: r.get(da + 17)?,
        nazione: r.get(da + 18)?,
        email: r.get(da + 19)?,
        aggiornato_at: r.get(da + 20)?,
    })
}

impl Store {
    /// Every receipt's accounting data, by the receipt's id.
    pub fn ricevute_contabili(&self) -> Result<HashMap<i64, RicevutaContabile>> {
        let sql = format!(
            "SELECT r.id, COALESCE(NULLIF(r.tipo_dovuto, ''), d.tipo_dovuto, ''), r.causale, r.psp_id,
                r.codice_versante, r.ricevuto_at, d.id, {COLONNE_DOVUTO}
             FROM ricevuta r LEFT JOIN dovuto d ON d.id = r.dovuto_id"
        );
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map([], |r| {
            let con_dovuto: Option<i64> = r.get(6)?;
            Ok((
                r.get::<_, i64>(0)?,
                RicevutaContabile {
                    tipo_dovuto: r.get(1)?,
                    causale: r.get(2)?,
                    psp_id: r.get(3)?,
                    codice_versante: r.get(4)?,
                    ricevuto_at: r.get(5)?,
                    dovuto: match con_dovuto {
                        Some(_) => Some(dovuto_da(r, 7)?),
                        None => None,
                    },
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The local debts of these IUVs (for FdR rows that have no receipt), by IUV.
    pub fn dovuti_contabili_per_iuv(
        &self,
        iuv: &[String],
    ) -> Result<HashMap<String, DovutoContabile>> {
        let sql = format!("SELECT {COLONNE_DOVUTO} FROM dovuto d WHERE d.iuv = ?1 AND d.iuv <> ''");
        let mut stmt = self.conn().prepare(&sql)?;
        let mut out = HashMap::new();
        for i in iuv {
            if let Some(d) = stmt
                .query_map(params![i], |r| dovuto_da(r, 0))?
                .next()
                .transpose()?
            {
                out.insert(i.clone(), d);
            }
        }
        Ok(out)
    }
}
