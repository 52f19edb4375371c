//! Flows (flussi) built from pending debts, and their per-row outcome.
//!
//! A flow is recorded in the same transaction that moves its debts to `sent`, so a debt is
//! never in two flows in flight at once. Outcomes arrive per IUD (MyPay's `_SCARTI` rows are
//! unordered and carry only the raw line, spec §4.9), and a flow never holds the same IUD twice.

use mpd_domain::Azione;
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::{DovutoStato, Now, Result, Store, StoreError, audit_in};

/// Where a flow is on its way to MyPay.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlussoStato {
    /// Zip written, not sent yet.
    Built,
    /// `paaSILAutorizzaImportFlusso` answered; tokens stored.
    Authorised,
    /// MyBox accepted the upload.
    Uploaded,
    /// MyPay is processing it.
    Processing,
    /// Processed: per-row outcomes applied (some rows may be rejected).
    Done,
    /// MyPay refused the whole file; its debts are ready to be sent again.
    Aborted,
}

impl FlussoStato {
    pub fn as_str(self) -> &'static str {
        match self {
            FlussoStato::Built => "built",
            FlussoStato::Authorised => "authorised",
            FlussoStato::Uploaded => "uploaded",
            FlussoStato::Processing => "processing",
            FlussoStato::Done => "done",
            FlussoStato::Aborted => "aborted",
        }
    }
    pub fn label_it(self) -> &'static str {
        match self {
            FlussoStato::Built => "pronto per l'invio",
            FlussoStato::Authorised => "autorizzato",
            FlussoStato::Uploaded => "file caricato su MyPay",
            FlussoStato::Processing => "in elaborazione",
            FlussoStato::Done => "elaborato",
            FlussoStato::Aborted => "rifiutato",
        }
    }
    pub fn parse(s: &str) -> Option<FlussoStato> {
        [
            FlussoStato::Built,
            FlussoStato::Authorised,
            FlussoStato::Uploaded,
            FlussoStato::Processing,
            FlussoStato::Done,
            FlussoStato::Aborted,
        ]
        .into_iter()
        .find(|f| f.as_str() == s)
    }
}

/// A flow to record.
#[derive(Clone, Debug)]
pub struct NewFlusso {
    pub nome: String,
    pub iuf: String,
    pub versione: String,
    pub percorso_zip: String,
    pub byte_zip: i64,
    pub byte_csv: i64,
    /// The debts it carries, in file order (row 1 first), with the action of each row.
    pub righe: Vec<(i64, Azione)>,
}

/// A stored flow.
#[derive(Clone, Debug, Serialize)]
pub struct FlussoRecord {
    pub id: i64,
    pub nome: String,
    pub iuf: String,
    pub versione: String,
    pub stato: FlussoStato,
    pub percorso_zip: String,
    pub righe: i64,
    pub byte_zip: i64,
    pub byte_csv: i64,
    pub creato_at: String,
    pub aggiornato_at: String,
    pub request_token: Option<String>,
    pub esito_codice: Option<String>,
    pub esito_messaggio: Option<String>,
    pub righe_caricate: i64,
    pub righe_scartate: i64,
}

/// The outcome of one row, keyed by IUD.
#[derive(Clone, Debug)]
pub enum RigaEsito {
    /// Loaded; the IUV MyPay assigned, if any.
    Caricato { iud: String, iuv: Option<String> },
    /// Rejected with MyPay's code and text, plus our Italian explanation.
    Scartato {
        iud: String,
        cod_rifiuto: String,
        de_rifiuto: String,
        spiegazione: String,
    },
}

const SELECT: &str = "SELECT f.id, f.nome, f.iuf, f.versione, f.stato, f.percorso_zip, f.righe, f.byte_zip, f.byte_csv,
    f.creato_at, f.aggiornato_at, f.request_token, f.esito_codice, f.esito_messaggio,
    (SELECT COUNT(*) FROM flusso_riga r WHERE r.flusso_id = f.id AND r.esito = 'caricato'),
    (SELECT COUNT(*) FROM flusso_riga r WHERE r.flusso_id = f.id AND r.esito = 'scartato')
    FROM flusso f";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<FlussoRecord> {
    let stato: String = r.get(4)?;
    Ok(FlussoRecord {
        id: r.get(0)?,
        nome: r.get(1)?,
        iuf: r.get(2)?,
        versione: r.get(3)?,
        stato: FlussoStato::parse(&stato).unwrap_or(FlussoStato::Built),
        percorso_zip: r.get(5)?,
        righe: r.get(6)?,
        byte_zip: r.get(7)?,
        byte_csv: r.get(8)?,
        creato_at: r.get(9)?,
        aggiornato_at: r.get(10)?,
        request_token: r.get(11)?,
        esito_codice: r.get(12)?,
        esito_messaggio: r.get(13)?,
        righe_caricate: r.get(14)?,
        righe_scartate: r.get(15)?,
    })
}

impl Store {
    /// Records flows and moves their debts to `sent`, all in one transaction.
    pub fn record_flussi(&mut self, flussi: &[NewFlusso], now: Now) -> Result<Vec<i64>> {
        let now_text = now.to_rfc3339();
        let tx = self.conn.transaction()?;
        let mut ids = Vec::with_capacity(flussi.len());
        for f in flussi {
            tx.execute(
                "INSERT INTO flusso (nome, iuf, versione, stato, percorso_zip, righe, byte_zip, byte_csv, creato_at, aggiornato_at)
                 VALUES (?1, ?2, ?3, 'built', ?4, ?5, ?6, ?7, ?8, ?8)",
                params![f.nome, f.iuf, f.versione, f.percorso_zip, f.righe.len() as i64, f.byte_zip, f.byte_csv, now_text],
            )?;
            let id = tx.last_insert_rowid();
            {
                let mut riga = tx.prepare_cached(
                    "INSERT INTO flusso_riga (flusso_id, riga, dovuto_id, azione) VALUES (?1, ?2, ?3, ?4)",
                )?;
                let mut sent = tx.prepare_cached(
                    "UPDATE dovuto SET stato = 'sent', ultimo_flusso_id = ?2, aggiornato_at = ?3 WHERE id = ?1",
                )?;
                for (n, (dovuto_id, azione)) in f.righe.iter().enumerate() {
                    riga.execute(params![id, n as i64 + 1, dovuto_id, azione.as_str()])?;
                    sent.execute(params![dovuto_id, id, now_text])?;
                }
            }
            audit_in(
                &tx,
                now,
                "flusso.crea",
                &f.nome,
                &format!("{} righe", f.righe.len()),
            )?;
            ids.push(id);
        }
        tx.commit()?;
        Ok(ids)
    }

    /// All flows, newest first.
    pub fn flussi(&self) -> Result<Vec<FlussoRecord>> {
        let mut stmt = self
            .conn()
            .prepare(&format!("{SELECT} ORDER BY f.id DESC"))?;
        let rows = stmt.query_map([], from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A flow by id or by name.
    pub fn flusso(&self, id_or_name: &str) -> Result<Option<FlussoRecord>> {
        let by_id = id_or_name.parse::<i64>().ok();
        Ok(self
            .conn()
            .query_row(
                &format!("{SELECT} WHERE f.id = ?1 OR f.nome = ?2"),
                params![by_id, id_or_name],
                from_row,
            )
            .optional()?)
    }

    /// Moves a flow along (authorised, uploaded, processing…), storing the request token.
    pub fn set_flusso_stato(
        &self,
        id: i64,
        stato: FlussoStato,
        request_token: Option<&str>,
        now: Now,
    ) -> Result<()> {
        let n = self.conn().execute(
            "UPDATE flusso SET stato = ?2, request_token = COALESCE(?3, request_token), aggiornato_at = ?4 WHERE id = ?1",
            params![id, stato.as_str(), request_token, now.to_rfc3339()],
        )?;
        if n == 0 {
            return Err(StoreError::FlussoNotFound(id.to_string()));
        }
        self.audit(now, "flusso.stato", &id.to_string(), stato.as_str())
    }

    /// Applies MyPay's per-row outcome of a processed flow, in one transaction.
    ///
    /// Returns the IUDs named by `esiti` that are not rows of this flow (they are ignored).
    pub fn apply_esiti(
        &mut self,
        flusso_id: i64,
        esiti: &[RigaEsito],
        now: Now,
    ) -> Result<Vec<String>> {
        let now_text = now.to_rfc3339();
        let tx = self.conn.transaction()?;
        let mut unknown = Vec::new();
        {
            let mut find = tx.prepare_cached(
                "SELECT r.riga, r.dovuto_id, r.azione FROM flusso_riga r JOIN dovuto d ON d.id = r.dovuto_id
                 WHERE r.flusso_id = ?1 AND d.iud = ?2",
            )?;
            for esito in esiti {
                let iud = match esito {
                    RigaEsito::Caricato { iud, .. } | RigaEsito::Scartato { iud, .. } => iud,
                };
                let found: Option<(i64, i64, String)> = find
                    .query_row(params![flusso_id, iud], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                    })
                    .optional()?;
                let Some((riga, dovuto_id, azione)) = found else {
                    unknown.push(iud.clone());
                    continue;
                };
                match esito {
                    RigaEsito::Caricato { iuv, .. } => {
                        tx.execute(
                            "UPDATE flusso_riga SET esito = 'caricato' WHERE flusso_id = ?1 AND riga = ?2",
                            params![flusso_id, riga],
                        )?;
                        let stato = if azione == "A" {
                            DovutoStato::Cancelled
                        } else {
                            DovutoStato::Loaded
                        };
                        tx.execute(
                            "UPDATE dovuto SET stato = ?2, azione_pendente = NULL, rifiuto_codice = NULL,
                                rifiuto_messaggio = NULL, aggiornato_at = ?3,
                                iuv = CASE WHEN iuv = '' AND ?4 IS NOT NULL THEN ?4 ELSE iuv END
                             WHERE id = ?1",
                            params![dovuto_id, stato.as_str(), now_text, iuv.as_deref().filter(|s| !s.is_empty())],
                        )?;
                    }
                    RigaEsito::Scartato {
                        cod_rifiuto,
                        de_rifiuto,
                        spiegazione,
                        ..
                    } => {
                        tx.execute(
                            "UPDATE flusso_riga SET esito = 'scartato', cod_rifiuto = ?3, de_rifiuto = ?4
                             WHERE flusso_id = ?1 AND riga = ?2",
                            params![flusso_id, riga, cod_rifiuto, de_rifiuto],
                        )?;
                        tx.execute(
                            "UPDATE dovuto SET stato = 'rejected', rifiuto_codice = ?2, rifiuto_messaggio = ?3,
                                aggiornato_at = ?4 WHERE id = ?1",
                            params![dovuto_id, cod_rifiuto, spiegazione, now_text],
                        )?;
                    }
                }
            }
        }
        tx.execute(
            "UPDATE flusso SET stato = 'done', aggiornato_at = ?2 WHERE id = ?1",
            params![flusso_id, now_text],
        )?;
        audit_in(
            &tx,
            now,
            "flusso.esito",
            &flusso_id.to_string(),
            &format!("{} esiti", esiti.len()),
        )?;
        tx.commit()?;
        Ok(unknown)
    }

    /// MyPay refused the whole file: the flow is aborted and its debts go back to where they
    /// were before it (ready for inserts, loaded with their pending change otherwise).
    pub fn abort_flusso(
        &mut self,
        flusso_id: i64,
        codice: &str,
        messaggio: &str,
        now: Now,
    ) -> Result<()> {
        let now_text = now.to_rfc3339();
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE flusso SET stato = 'aborted', esito_codice = ?2, esito_messaggio = ?3, aggiornato_at = ?4 WHERE id = ?1",
            params![flusso_id, codice, messaggio, now_text],
        )?;
        tx.execute(
            "UPDATE dovuto SET stato = CASE azione_pendente WHEN 'I' THEN 'ready' ELSE 'loaded' END,
                aggiornato_at = ?2
             WHERE stato = 'sent' AND id IN (SELECT dovuto_id FROM flusso_riga WHERE flusso_id = ?1)",
            params![flusso_id, now_text],
        )?;
        audit_in(&tx, now, "flusso.rifiutato", &flusso_id.to_string(), codice)?;
        tx.commit()?;
        Ok(())
    }

    /// The rows of a flow with their outcome: (row, IUD, azione, esito, cod_rifiuto, de_rifiuto).
    pub fn righe_flusso(&self, flusso_id: i64) -> Result<Vec<RigaFlusso>> {
        let mut stmt = self.conn().prepare(
            "SELECT r.riga, d.iud, r.azione, r.esito, r.cod_rifiuto, r.de_rifiuto, d.sorgente_riga
             FROM flusso_riga r JOIN dovuto d ON d.id = r.dovuto_id WHERE r.flusso_id = ?1 ORDER BY r.riga",
        )?;
        let rows = stmt.query_map(params![flusso_id], |r| {
            Ok(RigaFlusso {
                riga: r.get(0)?,
                iud: r.get(1)?,
                azione: r.get(2)?,
                esito: r.get(3)?,
                cod_rifiuto: r.get(4)?,
                de_rifiuto: r.get(5)?,
                sorgente_riga: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// One row of a flow and its outcome.
#[derive(Clone, Debug, Serialize)]
pub struct RigaFlusso {
    pub riga: i64,
    pub iud: String,
    pub azione: String,
    pub esito: String,
    pub cod_rifiuto: Option<String>,
    pub de_rifiuto: Option<String>,
    /// The row in the clerk's own sheet this debt came from.
    pub sorgente_riga: Option<i64>,
}
