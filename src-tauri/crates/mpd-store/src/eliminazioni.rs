//! Deleting what was never sent: drafts the clerk does not want ("Elimina bozze") and
//! everything one import created ("Annulla questa importazione", issue 13 item 9).
//!
//! A debt is **never sent** when no flow ever carried it (no `flusso_riga`, no
//! `ultimo_flusso_id`), no payment started, no receipt is matched to it and it is a draft,
//! ready or cancelled before any flow: MyPay has never heard of it, so deleting it loses
//! nothing but the clerk's own typing. Anything else can only be cancelled, which MyPay must
//! be told of. Deleting a debt removes its draft note (`ON DELETE CASCADE`) and its entry in
//! the search index (trigger `dovuto_ricerca_elimina`); the import record (`sorgente`) stays
//! until its import is undone, so that "the last import" never silently becomes an older one.

use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;

use crate::{DovutoStato, Now, Result, Store, audit_in};

/// An imported file as recorded in `sorgente`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SorgenteRecord {
    pub id: i64,
    pub nome_file: String,
    pub formato: String,
    /// Rows read from the file.
    pub righe: i64,
    /// RFC 3339 UTC.
    pub importato_at: String,
    /// Debts of this import still in the store.
    pub dovuti: i64,
}

/// A debt that could not be deleted, and why (Italian, for the clerk).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rifiuto {
    pub iud: String,
    pub motivo: String,
}

/// What [`Store::elimina_bozze`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BozzeEliminate {
    /// The IUDs deleted, in the order asked.
    pub eliminate: Vec<String>,
    /// The IUDs refused, with the reason, in the order asked.
    pub rifiutate: Vec<Rifiuto>,
}

/// A debt of an import that MyPay already knows of.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DovutoInviato {
    pub iud: String,
    /// The row of the clerk's sheet.
    pub riga: Option<i64>,
    pub stato: DovutoStato,
}

/// What [`Store::annulla_importazione`] did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ImportazioneAnnullata {
    pub sorgente: SorgenteRecord,
    /// The IUDs deleted (none when some debt was already sent).
    pub eliminati: Vec<String>,
    /// Debts of the import already sent: when any, nothing was deleted.
    pub gia_inviati: Vec<DovutoInviato>,
}

/// What keeps a debt from being deleted, if anything.
struct Stato {
    id: i64,
    stato: String,
    iuv: String,
    in_flusso: bool,
    pagamento: bool,
    ricevuta: bool,
    riga: Option<i64>,
}

const STATO_SQL: &str = "SELECT d.id, d.stato, d.iuv,
        d.ultimo_flusso_id IS NOT NULL OR EXISTS (SELECT 1 FROM flusso_riga f WHERE f.dovuto_id = d.id),
        d.pagamento_iniziato_at IS NOT NULL,
        EXISTS (SELECT 1 FROM ricevuta r WHERE r.dovuto_id = d.id),
        d.sorgente_riga, d.iud
    FROM dovuto d";

fn stato_di(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Stato, String)> {
    Ok((
        Stato {
            id: r.get(0)?,
            stato: r.get(1)?,
            iuv: r.get(2)?,
            in_flusso: r.get(3)?,
            pagamento: r.get(4)?,
            ricevuta: r.get(5)?,
            riga: r.get(6)?,
        },
        r.get(7)?,
    ))
}

impl Stato {
    /// Why MyPay may know of the debt (then it can only be cancelled), if it may.
    fn inviato(&self) -> Option<&'static str> {
        if self.in_flusso {
            Some("è già stato in un flusso per MyPay")
        } else if self.pagamento {
            Some("il suo pagamento è iniziato")
        } else if self.ricevuta {
            Some("ha una ricevuta di pagamento")
        } else if !matches!(self.stato.as_str(), "draft" | "ready" | "cancelled") {
            Some("MyPay lo conosce già")
        } else {
            None
        }
    }

    /// Why the draft cannot be deleted, if it cannot.
    fn perche_non_eliminabile(&self) -> Option<String> {
        if let Some(why) = self.inviato() {
            return Some(format!("{why}: si può solo annullare"));
        }
        if self.stato != "draft" {
            let label = DovutoStato::parse(&self.stato).map_or("?", DovutoStato::label_it);
            return Some(format!(
                "non è una bozza (è «{label}»): si eliminano solo le bozze mai inviate"
            ));
        }
        if !self.iuv.trim().is_empty() {
            return Some(
                "ha già un IUV, che potrebbe essere stato comunicato al pagatore: si può solo annullare"
                    .into(),
            );
        }
        None
    }
}

fn elimina_in(tx: &Transaction<'_>, id: i64) -> Result<()> {
    tx.execute("DELETE FROM dovuto WHERE id = ?1", params![id])?;
    Ok(())
}

const SORGENTE_SQL: &str = "SELECT s.id, s.nome_file, s.formato, s.righe, s.importato_at,
        (SELECT COUNT(*) FROM dovuto d WHERE d.sorgente_id = s.id)
    FROM sorgente s";

fn sorgente_di(r: &rusqlite::Row<'_>) -> rusqlite::Result<SorgenteRecord> {
    Ok(SorgenteRecord {
        id: r.get(0)?,
        nome_file: r.get(1)?,
        formato: r.get(2)?,
        righe: r.get(3)?,
        importato_at: r.get(4)?,
        dovuti: r.get(5)?,
    })
}

impl Store {
    /// The import recorded with `id`.
    pub fn sorgente(&self, id: i64) -> Result<Option<SorgenteRecord>> {
        Ok(self
            .conn()
            .query_row(
                &format!("{SORGENTE_SQL} WHERE s.id = ?1"),
                params![id],
                sorgente_di,
            )
            .optional()?)
    }

    /// The last import still recorded (the newest not undone).
    pub fn ultima_sorgente(&self) -> Result<Option<SorgenteRecord>> {
        Ok(self
            .conn()
            .query_row(
                &format!("{SORGENTE_SQL} ORDER BY s.id DESC LIMIT 1"),
                [],
                sorgente_di,
            )
            .optional()?)
    }

    /// Deletes the drafts among `iuds` that were never sent and have no IUV, in one
    /// transaction; every other IUD is refused with its reason (unknown, not a draft, already
    /// in a flow…). An IUD asked twice counts once.
    pub fn elimina_bozze(&mut self, iuds: &[String], now: Now) -> Result<BozzeEliminate> {
        let tx = self.conn.transaction()?;
        let mut out = BozzeEliminate::default();
        let mut visti = std::collections::HashSet::new();
        for iud in iuds {
            if !visti.insert(iud.as_str()) {
                continue;
            }
            let found = tx
                .query_row(
                    &format!("{STATO_SQL} WHERE d.iud = ?1"),
                    params![iud],
                    stato_di,
                )
                .optional()?;
            let motivo = match &found {
                None => Some("nessun dovuto con questo IUD".to_string()),
                Some((s, _)) => s.perche_non_eliminabile(),
            };
            match (found, motivo) {
                (Some((s, _)), None) => {
                    elimina_in(&tx, s.id)?;
                    out.eliminate.push(iud.clone());
                }
                (_, motivo) => out.rifiutate.push(Rifiuto {
                    iud: iud.clone(),
                    motivo: motivo.unwrap_or_default(),
                }),
            }
        }
        if !out.eliminate.is_empty() {
            audit_in(
                &tx,
                now,
                "dovuti.elimina_bozze",
                "",
                &format!(
                    "{} bozze: {}",
                    out.eliminate.len(),
                    out.eliminate.join(", ")
                ),
            )?;
        }
        tx.commit()?;
        Ok(out)
    }

    /// Undoes the import `id`: deletes all its debts and its record, in one transaction, if
    /// none was ever sent; otherwise deletes nothing and lists those already sent. `None`
    /// when no import has that id.
    pub fn annulla_importazione(
        &mut self,
        id: i64,
        now: Now,
    ) -> Result<Option<ImportazioneAnnullata>> {
        let Some(sorgente) = self.sorgente(id)? else {
            return Ok(None);
        };
        let tx = self.conn.transaction()?;
        let debts: Vec<(Stato, String)> = {
            let mut stmt = tx.prepare(&format!(
                "{STATO_SQL} WHERE d.sorgente_id = ?1 ORDER BY d.id"
            ))?;
            let rows = stmt.query_map(params![id], stato_di)?;
            rows.collect::<std::result::Result<_, _>>()?
        };
        let gia_inviati: Vec<DovutoInviato> = debts
            .iter()
            .filter(|(s, _)| s.inviato().is_some())
            .map(|(s, iud)| DovutoInviato {
                iud: iud.clone(),
                riga: s.riga,
                stato: DovutoStato::parse(&s.stato).unwrap_or(DovutoStato::Sent),
            })
            .collect();
        let mut eliminati = Vec::new();
        if gia_inviati.is_empty() {
            for (s, iud) in &debts {
                elimina_in(&tx, s.id)?;
                eliminati.push(iud.clone());
            }
            tx.execute("DELETE FROM sorgente WHERE id = ?1", params![id])?;
            audit_in(
                &tx,
                now,
                "importazione.annulla",
                &sorgente.nome_file,
                &format!("importazione {id}: {} dovuti eliminati", eliminati.len()),
            )?;
        }
        tx.commit()?;
        Ok(Some(ImportazioneAnnullata {
            sorgente,
            eliminati,
            gia_inviati,
        }))
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use mpd_domain::{Column, Ente, RawRow, TipoDovuto};

    use super::*;
    use crate::{DovutoFilter, NewDovuto, NewFlusso};

    fn now() -> Now {
        Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap()
    }

    fn store() -> Store {
        let mut s = Store::open_in_memory().unwrap();
        let ente = Ente {
            codice_ipa: "c_x123".into(),
            codice_fiscale: "00123456789".into(),
            denominazione: "Comune di Esempio".into(),
            codice_segregazione: "12".into(),
        };
        let tari = TipoDovuto {
            codice: "TARI".into(),
            descrizione: "Tassa rifiuti".into(),
            dati_specifici_riscossione: "9/0101100IM/".into(),
            attivo: true,
            cf_anonimo: false,
            scadenza_obbligatoria: true,
            stampa_data_scadenza: false,
            causale_predefinita: None,
            importo_predefinito: None,
            scadenza_predefinita: None,
            posizioni: Default::default(),
        };
        s.save_ente(&ente, "{}", &[tari], now()).unwrap();
        s
    }

    fn debt(iud: &str, stato: DovutoStato, sorgente: Option<(i64, i64)>) -> NewDovuto {
        let mut row = RawRow::default();
        row.set(Column::Iud, iud);
        row.set(Column::TipoIdentificativoUnivoco, "F");
        row.set(Column::CodiceIdentificativoUnivoco, "RSSMRA80A01H501U");
        row.set(Column::AnagraficaPagatore, "Mario Rossi");
        row.set(Column::DataScadenzaPagamento, "2026-12-31");
        row.set(Column::TipoDovuto, "TARI");
        row.set(Column::CausaleVersamento, "TARI 2026");
        row.set(Column::DatiSpecificiRiscossione, "9/0101100IM/");
        row.set(Column::FlagGeneraIuv, "true");
        NewDovuto {
            row,
            importo_cents: 100,
            commissione_cents: None,
            stato,
            sorgente,
            posizione: None,
        }
    }

    fn send(s: &mut Store, name: &str) {
        let righe = s
            .dovuti_da_inviare()
            .unwrap()
            .iter()
            .map(|d| (d.id, d.azione_pendente.unwrap()))
            .collect();
        let f = NewFlusso {
            nome: name.into(),
            iuf: name.into(),
            versione: "1_3".into(),
            percorso_zip: format!("/tmp/{name}.zip"),
            byte_zip: 1,
            byte_csv: 1,
            righe,
        };
        s.record_flussi(&[f], now()).unwrap();
    }

    fn iuds(s: &Store) -> Vec<String> {
        s.dovuti(&DovutoFilter::default())
            .unwrap()
            .into_iter()
            .map(|d| d.iud)
            .collect()
    }

    fn trova(s: &Store, testo: &str) -> usize {
        s.dovuti(&DovutoFilter {
            testo: Some(testo.into()),
            ..Default::default()
        })
        .unwrap()
        .len()
    }

    #[test]
    fn only_never_sent_drafts_are_deleted_with_their_note_and_search_entry() {
        let mut s = store();
        s.insert_dovuti(
            &[
                debt("B1", DovutoStato::Draft, None),
                debt("B2", DovutoStato::Draft, None),
                debt("P1", DovutoStato::Ready, None),
            ],
            now(),
        )
        .unwrap();
        s.set_nota_dovuto("B1", Some("{}"), now()).unwrap();
        // P1 goes in a flow: MyPay knows it, so it can only be cancelled.
        send(&mut s, "F1");
        let mut con_iuv = debt("B3", DovutoStato::Draft, None);
        con_iuv.row.set(Column::CodIuv, "RF12345");
        s.insert_dovuti(&[con_iuv], now()).unwrap();
        assert_eq!(trova(&s, "B1"), 1);

        let asked: Vec<String> = ["B1", "P1", "B3", "NOPE", "B1", "B2"]
            .map(String::from)
            .to_vec();
        let r = s.elimina_bozze(&asked, now()).unwrap();
        assert_eq!(r.eliminate, ["B1", "B2"]);
        let refused: Vec<&str> = r.rifiutate.iter().map(|x| x.iud.as_str()).collect();
        assert_eq!(refused, ["P1", "B3", "NOPE"]);
        assert!(
            r.rifiutate[0].motivo.contains("flusso"),
            "{:?}",
            r.rifiutate
        );
        assert!(r.rifiutate[1].motivo.contains("IUV"), "{:?}", r.rifiutate);
        assert_eq!(iuds(&s), ["P1", "B3"]);
        assert_eq!(
            trova(&s, "B1"),
            0,
            "the search index forgets the deleted draft"
        );
        assert_eq!(s.nota_dovuto("B1").unwrap(), None);
        let n: i64 = s
            .conn()
            .query_row("SELECT COUNT(*) FROM dovuto_nota", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
    }

    #[test]
    fn undo_removes_exactly_one_imports_debts_and_its_record() {
        let mut s = store();
        let a = s.add_sorgente("a.xlsx", "xlsx", 2, now()).unwrap();
        let b = s.add_sorgente("b.xlsx", "xlsx", 2, now()).unwrap();
        s.insert_dovuti(
            &[
                debt("A1", DovutoStato::Ready, Some((a, 2))),
                debt("B1", DovutoStato::Ready, Some((b, 2))),
                debt("B2", DovutoStato::Draft, Some((b, 3))),
                debt("M1", DovutoStato::Ready, None),
            ],
            now(),
        )
        .unwrap();
        s.cancel_dovuto("B1", now()).unwrap();
        assert_eq!(s.ultima_sorgente().unwrap().unwrap().id, b);
        let r = s.annulla_importazione(b, now()).unwrap().unwrap();
        assert!(r.gia_inviati.is_empty());
        assert_eq!(r.eliminati, ["B1", "B2"]);
        assert_eq!(r.sorgente.nome_file, "b.xlsx");
        assert_eq!(iuds(&s), ["A1", "M1"]);
        assert_eq!(s.sorgente(b).unwrap(), None);
        assert_eq!(s.ultima_sorgente().unwrap().unwrap().id, a);
        assert_eq!(s.annulla_importazione(b, now()).unwrap(), None);
    }

    #[test]
    fn undo_refuses_and_deletes_nothing_when_some_debt_was_sent() {
        let mut s = store();
        let a = s.add_sorgente("a.xlsx", "xlsx", 2, now()).unwrap();
        s.insert_dovuti(
            &[
                debt("A1", DovutoStato::Ready, Some((a, 2))),
                debt("A2", DovutoStato::Draft, Some((a, 3))),
            ],
            now(),
        )
        .unwrap();
        send(&mut s, "F1");
        let r = s.annulla_importazione(a, now()).unwrap().unwrap();
        assert!(r.eliminati.is_empty());
        assert_eq!(r.gia_inviati.len(), 1);
        assert_eq!(r.gia_inviati[0].iud, "A1");
        assert_eq!(r.gia_inviati[0].riga, Some(2));
        assert_eq!(iuds(&s), ["A1", "A2"]);
        assert!(s.sorgente(a).unwrap().is_some());
    }
}
