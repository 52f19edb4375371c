//! The MyPay client's resumable state (issue 5): what a flow's submission and a receipts
//! download have reached, persisted before and after each step so that a crash or a kill at
//! any point, followed by a restart, resumes without uploading a flow twice or losing a result.
//!
//! * `flusso_invio`: per flow, the MyBox upload token (a bearer token for one upload, valid an
//!   hour; never the clerk's password), whether an upload was started (its outcome must then
//!   be asked to MyPay before another is tried), the last state MyPay reported, retries.
//! * `export_richiesta`: booked exports of paid positions and where each one is.
//! * Counter debts (`paaSILImportaDovuto`) are ordinary debts, marked loaded with their IUV.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use crate::{DovutoStato, FlussoRecord, FlussoStato, Now, Result, Store, StoreError, audit_in};

/// The fields of a receipt shown in its detail.
#[derive(Clone, Debug, Serialize)]
pub struct RicevutaDettaglio {
    pub causale: String,
    pub tipo_dovuto: String,
    pub esito: String,
    pub psp_id: String,
    pub codice_versante: String,
    pub rt_base64: Option<String>,
    pub ricevuto_at: String,
}

/// The client's state of one flow's submission.
#[derive(Clone, Debug, Default, Serialize)]
pub struct InvioRecord {
    pub flusso_id: i64,
    #[serde(skip)]
    pub authorization_token: Option<String>,
    pub autorizzato_at: Option<String>,
    /// An upload was started with the current token and its outcome is not known.
    pub upload_tentato: bool,
    pub stato_mypay: Option<String>,
    pub tentativi: i64,
    pub ultimo_errore: Option<String>,
}

/// A booked export of paid positions.
#[derive(Clone, Debug, Serialize)]
pub struct ExportRichiesta {
    pub id: i64,
    pub request_token: String,
    pub incrementale: bool,
    pub date_from: String,
    /// The end MyPay actually used (incremental) or the one asked for.
    pub date_to: Option<String>,
    /// `prenotata`, `importata`, `vuota`, `errore`.
    pub stato: String,
    pub file: Option<String>,
    pub riepilogo_json: Option<String>,
    pub creato_at: String,
    pub aggiornato_at: String,
}

/// Setting key of the incremental export cursor (MyPay's own `dateTo` text of the last window).
pub const SETTING_EXPORT_CURSOR: &str = "mypay.export.cursore";

impl Store {
    /// Flows whose submission is not finished (built, authorised, uploaded, processing), oldest first.
    pub fn flussi_in_corso(&self) -> Result<Vec<FlussoRecord>> {
        let mut all = self.flussi()?;
        all.retain(|f| !matches!(f.stato, FlussoStato::Done | FlussoStato::Aborted));
        all.reverse();
        Ok(all)
    }

    /// The client's state of a flow (default when nothing was persisted yet).
    pub fn invio(&self, flusso_id: i64) -> Result<InvioRecord> {
        Ok(self
            .conn()
            .query_row(
                "SELECT flusso_id, authorization_token, autorizzato_at, upload_tentato, stato_mypay, tentativi, ultimo_errore
                 FROM flusso_invio WHERE flusso_id = ?1",
                params![flusso_id],
                |r| {
                    Ok(InvioRecord {
                        flusso_id: r.get(0)?,
                        authorization_token: r.get(1)?,
                        autorizzato_at: r.get(2)?,
                        upload_tentato: r.get(3)?,
                        stato_mypay: r.get(4)?,
                        tentativi: r.get(5)?,
                        ultimo_errore: r.get(6)?,
                    })
                },
            )
            .optional()?
            .unwrap_or(InvioRecord {
                flusso_id,
                ..Default::default()
            }))
    }

    fn ensure_invio(conn: &rusqlite::Connection, flusso_id: i64, now: &str) -> Result<()> {
        conn.execute(
            "INSERT INTO flusso_invio (flusso_id, aggiornato_at) VALUES (?1, ?2) ON CONFLICT(flusso_id) DO NOTHING",
            params![flusso_id, now],
        )?;
        Ok(())
    }

    /// `paaSILAutorizzaImportFlusso` answered: the flow is authorised with these tokens.
    pub fn set_autorizzazione(
        &mut self,
        flusso_id: i64,
        request_token: &str,
        upload_url: &str,
        authorization_token: &str,
        now: Now,
    ) -> Result<()> {
        let now_text = now.to_rfc3339();
        let tx = self.conn.transaction()?;
        let n = tx.execute(
            "UPDATE flusso SET stato = 'authorised', request_token = ?2, upload_url = ?3, aggiornato_at = ?4 WHERE id = ?1",
            params![flusso_id, request_token, upload_url, now_text],
        )?;
        if n == 0 {
            return Err(StoreError::FlussoNotFound(flusso_id.to_string()));
        }
        Store::ensure_invio(&tx, flusso_id, &now_text)?;
        tx.execute(
            "UPDATE flusso_invio SET authorization_token = ?2, autorizzato_at = ?3, upload_tentato = 0,
                stato_mypay = NULL, aggiornato_at = ?3 WHERE flusso_id = ?1",
            params![flusso_id, authorization_token, now_text],
        )?;
        audit_in(&tx, now, "flusso.autorizzato", &flusso_id.to_string(), "")?;
        tx.commit()?;
        Ok(())
    }

    /// An upload is about to start: from now on its outcome must be asked before another.
    pub fn set_upload_tentato(&self, flusso_id: i64, now: Now) -> Result<()> {
        let now_text = now.to_rfc3339();
        Store::ensure_invio(self.conn(), flusso_id, &now_text)?;
        self.conn().execute(
            "UPDATE flusso_invio SET upload_tentato = 1, aggiornato_at = ?2 WHERE flusso_id = ?1",
            params![flusso_id, now_text],
        )?;
        Ok(())
    }

    /// MyBox accepted the file (or MyPay already knows the request token).
    pub fn set_caricato(
        &mut self,
        flusso_id: i64,
        stato_mypay: Option<&str>,
        now: Now,
    ) -> Result<()> {
        let now_text = now.to_rfc3339();
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE flusso SET stato = 'uploaded', aggiornato_at = ?2 WHERE id = ?1 AND stato IN ('built', 'authorised')",
            params![flusso_id, now_text],
        )?;
        Store::ensure_invio(&tx, flusso_id, &now_text)?;
        tx.execute(
            "UPDATE flusso_invio SET upload_tentato = 0, authorization_token = NULL,
                stato_mypay = COALESCE(?2, stato_mypay), ultimo_errore = NULL, aggiornato_at = ?3 WHERE flusso_id = ?1",
            params![flusso_id, stato_mypay, now_text],
        )?;
        audit_in(&tx, now, "flusso.caricato", &flusso_id.to_string(), "")?;
        tx.commit()?;
        Ok(())
    }

    /// MyPay reported a state while processing (`LOAD_IMPORT`, `IMPORT_IN_ELAB`).
    pub fn set_in_elaborazione(
        &mut self,
        flusso_id: i64,
        stato_mypay: &str,
        now: Now,
    ) -> Result<()> {
        let now_text = now.to_rfc3339();
        let tx = self.conn.transaction()?;
        let moved = tx.execute(
            "UPDATE flusso SET stato = 'processing', aggiornato_at = ?2 WHERE id = ?1 AND stato <> 'processing'",
            params![flusso_id, now_text],
        )?;
        if moved > 0 {
            audit_in(
                &tx,
                now,
                "flusso.in_elaborazione",
                &flusso_id.to_string(),
                stato_mypay,
            )?;
        }
        Store::ensure_invio(&tx, flusso_id, &now_text)?;
        tx.execute(
            "UPDATE flusso_invio SET stato_mypay = ?2, aggiornato_at = ?3 WHERE flusso_id = ?1",
            params![flusso_id, stato_mypay, now_text],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// MyPay does not know the request token: the upload never landed. The flow goes back to
    /// `built` and needs a new authorisation.
    pub fn reset_autorizzazione(&mut self, flusso_id: i64, now: Now) -> Result<()> {
        let now_text = now.to_rfc3339();
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE flusso SET stato = 'built', request_token = NULL, upload_url = NULL, aggiornato_at = ?2 WHERE id = ?1",
            params![flusso_id, now_text],
        )?;
        Store::ensure_invio(&tx, flusso_id, &now_text)?;
        tx.execute(
            "UPDATE flusso_invio SET authorization_token = NULL, autorizzato_at = NULL, upload_tentato = 0,
                stato_mypay = NULL, aggiornato_at = ?2 WHERE flusso_id = ?1",
            params![flusso_id, now_text],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// A step failed (network, MyPay down): the error is kept for `flow status`; the flow stays
    /// where it was and the next `sync` resumes it.
    pub fn set_errore_invio(&self, flusso_id: i64, errore: &str, now: Now) -> Result<()> {
        let now_text = now.to_rfc3339();
        Store::ensure_invio(self.conn(), flusso_id, &now_text)?;
        self.conn().execute(
            "UPDATE flusso_invio SET tentativi = tentativi + 1, ultimo_errore = ?2, aggiornato_at = ?3 WHERE flusso_id = ?1",
            params![flusso_id, errore, now_text],
        )?;
        Ok(())
    }

    /// The recorded steps of a flow (authorised, uploaded, processing, outcome, refusal, state
    /// changes), oldest first: the timeline the window draws.
    pub fn audit_flusso(&self, flusso_id: i64) -> Result<Vec<crate::AuditEntry>> {
        let mut stmt = self.conn().prepare(
            "SELECT at, azione, oggetto, dettaglio FROM audit
             WHERE oggetto = ?1 AND azione LIKE 'flusso.%' ORDER BY id",
        )?;
        let rows = stmt.query_map(params![flusso_id.to_string()], |r| {
            Ok(crate::AuditEntry {
                at: r.get(0)?,
                azione: r.get(1)?,
                oggetto: r.get(2)?,
                dettaglio: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One stored receipt with what the list leaves out: reason, payment type, outcome, PSP
    /// code, payer of record and the RT itself (base64, as MyPay sent it).
    pub fn ricevuta_dettaglio(&self, id: i64) -> Result<Option<RicevutaDettaglio>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT causale, tipo_dovuto, esito, psp_id, codice_versante, rt_base64, ricevuto_at
                 FROM ricevuta WHERE id = ?1",
                params![id],
                |r| {
                    Ok(RicevutaDettaglio {
                        causale: r.get(0)?,
                        tipo_dovuto: r.get(1)?,
                        esito: r.get(2)?,
                        psp_id: r.get(3)?,
                        codice_versante: r.get(4)?,
                        rt_base64: r.get(5)?,
                        ricevuto_at: r.get(6)?,
                    })
                },
            )
            .optional()?)
    }

    /// The booked export not yet finished, if any (the oldest).
    pub fn export_aperta(&self) -> Result<Option<ExportRichiesta>> {
        Ok(self
            .conn()
            .query_row(
                &format!("{EXPORT_SELECT} WHERE stato = 'prenotata' ORDER BY id LIMIT 1"),
                [],
                export_from_row,
            )
            .optional()?)
    }

    /// Exports, newest first.
    pub fn export_richieste(&self, limit: usize) -> Result<Vec<ExportRichiesta>> {
        let mut stmt = self
            .conn()
            .prepare(&format!("{EXPORT_SELECT} ORDER BY id DESC LIMIT ?1"))?;
        let rows = stmt.query_map(params![limit as i64], export_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Records a booked export.
    pub fn add_export(
        &self,
        request_token: &str,
        incrementale: bool,
        date_from: &str,
        date_to: Option<&str>,
        now: Now,
    ) -> Result<i64> {
        let now_text = now.to_rfc3339();
        self.conn().execute(
            "INSERT INTO export_richiesta (request_token, incrementale, date_from, date_to, stato, creato_at, aggiornato_at)
             VALUES (?1, ?2, ?3, ?4, 'prenotata', ?5, ?5)",
            params![request_token, incrementale, date_from, date_to, now_text],
        )?;
        Ok(self.conn().last_insert_rowid())
    }

    /// Closes an export (`importata`, `vuota`, `errore`); for an incremental one that was read,
    /// the cursor moves to its end in the same transaction.
    pub fn chiudi_export(
        &mut self,
        id: i64,
        stato: &str,
        file: Option<&str>,
        riepilogo_json: Option<&str>,
        now: Now,
    ) -> Result<()> {
        let now_text = now.to_rfc3339();
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE export_richiesta SET stato = ?2, file = COALESCE(?3, file), riepilogo_json = ?4, aggiornato_at = ?5 WHERE id = ?1",
            params![id, stato, file, riepilogo_json, now_text],
        )?;
        // A failed or cancelled export read nothing: the cursor stays.
        if stato != "errore" && stato != "annullata" {
            tx.execute(
                "INSERT INTO impostazione (chiave, valore)
                 SELECT ?2, date_to FROM export_richiesta WHERE id = ?1 AND incrementale = 1 AND date_to IS NOT NULL
                 ON CONFLICT(chiave) DO UPDATE SET valore = excluded.valore",
                params![id, SETTING_EXPORT_CURSOR],
            )?;
        }
        audit_in(&tx, now, "ricevute.export", &id.to_string(), stato)?;
        tx.commit()?;
        Ok(())
    }

    /// A debt created, changed or cancelled at the counter (`paaSILImportaDovuto`, not a
    /// flow): the local copy follows MyPay's answer, with the IUV it assigned.
    pub fn set_dovuto_sportello(
        &mut self,
        iud: &str,
        stato: DovutoStato,
        iuv: Option<&str>,
        now: Now,
    ) -> Result<()> {
        let n = self.conn().execute(
            "UPDATE dovuto SET stato = ?2, azione_pendente = NULL, aggiornato_at = ?3,
                iuv = COALESCE(?4, iuv), rifiuto_codice = NULL, rifiuto_messaggio = NULL WHERE iud = ?1",
            params![iud, stato.as_str(), now.to_rfc3339(), iuv],
        )?;
        if n == 0 {
            return Err(StoreError::DovutoNotFound(iud.to_string()));
        }
        self.audit(now, "sportello.stato", iud, stato.as_str())
    }
}

const EXPORT_SELECT: &str =
    "SELECT id, request_token, incrementale, date_from, date_to, stato, file, riepilogo_json,
    creato_at, aggiornato_at FROM export_richiesta";

fn export_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ExportRichiesta> {
    Ok(ExportRichiesta {
        id: r.get(0)?,
        request_token: r.get(1)?,
        incrementale: r.get(2)?,
        date_from: r.get(3)?,
        date_to: r.get(4)?,
        stato: r.get(5)?,
        file: r.get(6)?,
        riepilogo_json: r.get(7)?,
        creato_at: r.get(8)?,
        aggiornato_at: r.get(9)?,
    })
}

impl Store {
    /// The MyBox upload URL stored with a flow's authorisation.
    pub fn flusso_upload_url(&self, flusso_id: i64) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT upload_url FROM flusso WHERE id = ?1",
                params![flusso_id],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
    }
}

#[cfg(test)]
mod tests_piattaforma {
    use super::*;

    /// Issue 15: an export the platform cancelled read nothing: the cursor stays.
    #[test]
    fn a_cancelled_export_keeps_the_cursor() {
        let mut s = Store::open_in_memory().unwrap();
        let now = chrono::Utc::now();
        let id = s
            .add_export(
                "t1",
                true,
                "2000-01-01T00:00:00",
                Some("2030-01-01T00:00:00"),
                now,
            )
            .unwrap();
        s.chiudi_export(id, "annullata", None, None, now).unwrap();
        assert_eq!(s.setting(SETTING_EXPORT_CURSOR).unwrap(), None);
    }
}
