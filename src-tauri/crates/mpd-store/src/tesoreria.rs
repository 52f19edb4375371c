//! The treasury journals (*giornale di cassa*) and their entries (issue 16).
//!
//! An entry is one per `(anno, bolletta)`, as MyPivot's `mygov_flusso_tesoreria` is unique on
//! them, whatever journal it came in. A journal is one per identity (mpd-tracciato's
//! `Giornale::identita`): storing one
//!
//! * with an identity and fingerprint already stored adds nothing ([`EsitoGiornale::GiaPresente`]);
//! * with a stored identity and another fingerprint is a **corrected journal**: its entries
//!   replace the old ones, and the old journal's entries it no longer has are removed
//!   ([`EsitoGiornale::Sostituito`]);
//! * else is new. An entry already stored by another journal with the same `(anno, bolletta)`
//!   is updated in place (a later export of the same days) and counted as replaced when its
//!   content changed.
//!
//! A storno (OPI `STORNATO`) removes the entry it reverses; one whose entry is not stored is
//! reported back ([`SalvataggioGiornale::storni_mancanti`]), nothing else. One transaction per
//! journal.

use std::collections::HashSet;

use rusqlite::{OptionalExtension, params};

use crate::{Now, Result, Store, audit_in};

/// One entry (or storno) to store.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NuovoMovimento {
    pub riga: i64,
    pub anno: i32,
    pub bolletta: String,
    /// `yyyy-mm-dd`.
    pub data_contabile: String,
    pub data_valuta: String,
    pub importo_cents: i64,
    pub ordinante: String,
    pub causale: String,
    pub iuf: Option<String>,
    pub iuv: Option<String>,
    /// How the causale was read.
    pub lettura: String,
    pub sospeso_data: Option<String>,
    pub sospeso_codice: Option<String>,
    /// Reverses the entry `(anno, bolletta)` instead of being one.
    pub storno: bool,
}

/// A journal to store.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NuovoGiornale {
    /// `csv`, `xls`, `opi`, `poste`.
    pub formato: String,
    pub identita: String,
    pub impronta: String,
    /// The file it came from (its name only).
    pub file: String,
    pub movimenti: Vec<NuovoMovimento>,
}

/// What storing a journal did as a whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EsitoGiornale {
    Nuovo,
    GiaPresente,
    Sostituito,
}

/// A storno whose entry is not stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StornoMancante {
    pub riga: i64,
    pub anno: i32,
    pub bolletta: String,
}

/// What storing a journal did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SalvataggioGiornale {
    pub esito: EsitoGiornale,
    /// Entries not stored before.
    pub aggiunti: usize,
    /// Entries stored before with other content, now replaced.
    pub sostituiti: usize,
    /// Entries stored before, the same.
    pub invariati: usize,
    /// Entries of the old version of a corrected journal it no longer has.
    pub rimossi: usize,
    /// Entries removed by a storno.
    pub stornati: usize,
    pub storni_mancanti: Vec<StornoMancante>,
}

/// A stored entry with its journal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MovimentoRecord {
    pub id: i64,
    pub formato: String,
    pub file: String,
    pub riga: i64,
    pub anno: i32,
    pub bolletta: String,
    pub data_contabile: String,
    pub data_valuta: String,
    pub importo_cents: i64,
    pub ordinante: String,
    pub causale: String,
    pub iuf: Option<String>,
    pub iuv: Option<String>,
    pub lettura: String,
    pub sospeso_data: Option<String>,
    pub sospeso_codice: Option<String>,
}

type Contenuto = (
    String,
    String,
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn contenuto(m: &NuovoMovimento) -> Contenuto {
    (
        m.data_contabile.clone(),
        m.data_valuta.clone(),
        m.importo_cents,
        m.ordinante.clone(),
        m.causale.clone(),
        m.iuf.clone(),
        m.iuv.clone(),
        m.sospeso_data.clone(),
        m.sospeso_codice.clone(),
    )
}

impl Store {
    /// Stores a treasury journal in one transaction (module doc).
    pub fn salva_giornale(&mut self, g: &NuovoGiornale, now: Now) -> Result<SalvataggioGiornale> {
        let now_text = now.to_rfc3339();
        let tx = self.conn.transaction()?;
        let esistente: Option<(i64, String)> = tx
            .query_row(
                "SELECT id, impronta FROM tesoreria_giornale WHERE identita = ?1",
                params![g.identita],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let mut esito = SalvataggioGiornale {
            esito: EsitoGiornale::Nuovo,
            aggiunti: 0,
            sostituiti: 0,
            invariati: 0,
            rimossi: 0,
            stornati: 0,
            storni_mancanti: Vec::new(),
        };
        let giornale_id = match esistente {
            Some((_, impronta)) if impronta == g.impronta => {
                esito.esito = EsitoGiornale::GiaPresente;
                return Ok(esito);
            }
            Some((id, _)) => {
                esito.esito = EsitoGiornale::Sostituito;
                tx.execute(
                    "UPDATE tesoreria_giornale SET impronta = ?2, file = ?3, importato_at = ?4, formato = ?5
                     WHERE id = ?1",
                    params![id, g.impronta, g.file, now_text, g.formato],
                )?;
                id
            }
            None => {
                tx.execute(
                    "INSERT INTO tesoreria_giornale (formato, identita, impronta, file, importato_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![g.formato, g.identita, g.impronta, g.file, now_text],
                )?;
                tx.last_insert_rowid()
            }
        };
        let mut visti: HashSet<(i32, &str)> = HashSet::new();
        {
            let mut trova = tx.prepare_cached(
                "SELECT id, data_contabile, data_valuta, importo_cents, ordinante, causale, iuf, iuv,
                    sospeso_data, sospeso_codice
                 FROM tesoreria_movimento WHERE anno = ?1 AND bolletta = ?2",
            )?;
            let mut inserisci = tx.prepare_cached(
                "INSERT INTO tesoreria_movimento (giornale_id, riga, anno, bolletta, data_contabile,
                    data_valuta, importo_cents, ordinante, causale, iuf, iuv, lettura, sospeso_data,
                    sospeso_codice)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            )?;
            let mut aggiorna = tx.prepare_cached(
                "UPDATE tesoreria_movimento SET giornale_id = ?2, riga = ?3, data_contabile = ?4,
                    data_valuta = ?5, importo_cents = ?6, ordinante = ?7, causale = ?8, iuf = ?9,
                    iuv = ?10, lettura = ?11, sospeso_data = ?12, sospeso_codice = ?13
                 WHERE id = ?1",
            )?;
            let mut elimina = tx.prepare_cached(
                "DELETE FROM tesoreria_movimento WHERE anno = ?1 AND bolletta = ?2",
            )?;
            for m in &g.movimenti {
                if m.storno {
                    if elimina.execute(params![m.anno, m.bolletta])? == 0 {
                        esito.storni_mancanti.push(StornoMancante {
                            riga: m.riga,
                            anno: m.anno,
                            bolletta: m.bolletta.clone(),
                        });
                    } else {
                        esito.stornati += 1;
                    }
                    visti.remove(&(m.anno, m.bolletta.as_str()));
                    continue;
                }
                visti.insert((m.anno, m.bolletta.as_str()));
                let trovato: Option<(i64, Contenuto)> = trova
                    .query_row(params![m.anno, m.bolletta], |r| {
                        Ok((
                            r.get(0)?,
                            (
                                r.get(1)?,
                                r.get(2)?,
                                r.get(3)?,
                                r.get(4)?,
                                r.get(5)?,
                                r.get(6)?,
                                r.get(7)?,
                                r.get(8)?,
                                r.get(9)?,
                            ),
                        ))
                    })
                    .optional()?;
                match trovato {
                    None => {
                        inserisci.execute(params![
                            giornale_id,
                            m.riga,
                            m.anno,
                            m.bolletta,
                            m.data_contabile,
                            m.data_valuta,
                            m.importo_cents,
                            m.ordinante,
                            m.causale,
                            m.iuf,
                            m.iuv,
                            m.lettura,
                            m.sospeso_data,
                            m.sospeso_codice
                        ])?;
                        esito.aggiunti += 1;
                    }
                    Some((id, vecchio)) => {
                        if vecchio == contenuto(m) {
                            esito.invariati += 1;
                        } else {
                            esito.sostituiti += 1;
                        }
                        aggiorna.execute(params![
                            id,
                            giornale_id,
                            m.riga,
                            m.data_contabile,
                            m.data_valuta,
                            m.importo_cents,
                            m.ordinante,
                            m.causale,
                            m.iuf,
                            m.iuv,
                            m.lettura,
                            m.sospeso_data,
                            m.sospeso_codice
                        ])?;
                    }
                }
            }
        }
        if esito.esito == EsitoGiornale::Sostituito {
            let vecchi: Vec<(i64, i32, String)> = {
                let mut stmt = tx.prepare(
                    "SELECT id, anno, bolletta FROM tesoreria_movimento WHERE giornale_id = ?1",
                )?;
                stmt.query_map(params![giornale_id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?
                .collect::<std::result::Result<_, _>>()?
            };
            for (id, anno, bolletta) in vecchi {
                if !visti.contains(&(anno, bolletta.as_str())) {
                    tx.execute("DELETE FROM tesoreria_movimento WHERE id = ?1", params![id])?;
                    esito.rimossi += 1;
                }
            }
        }
        audit_in(
            &tx,
            now,
            if esito.esito == EsitoGiornale::Nuovo {
                "tesoreria.importa"
            } else {
                "tesoreria.sostituisci"
            },
            &g.identita,
            &format!(
                "{} aggiunti, {} sostituiti, {} rimossi, {} stornati da {}",
                esito.aggiunti, esito.sostituiti, esito.rimossi, esito.stornati, g.file
            ),
        )?;
        tx.commit()?;
        Ok(esito)
    }

    /// Every stored treasury entry, by accounting date then bolletta.
    pub fn movimenti_tesoreria(&self) -> Result<Vec<MovimentoRecord>> {
        let mut stmt = self.conn().prepare(
            "SELECT m.id, g.formato, g.file, m.riga, m.anno, m.bolletta, m.data_contabile,
                m.data_valuta, m.importo_cents, m.ordinante, m.causale, m.iuf, m.iuv, m.lettura,
                m.sospeso_data, m.sospeso_codice
             FROM tesoreria_movimento m JOIN tesoreria_giornale g ON g.id = m.giornale_id
             ORDER BY m.data_contabile, m.anno, m.bolletta",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(MovimentoRecord {
                id: r.get(0)?,
                formato: r.get(1)?,
                file: r.get(2)?,
                riga: r.get(3)?,
                anno: r.get(4)?,
                bolletta: r.get(5)?,
                data_contabile: r.get(6)?,
                data_valuta: r.get(7)?,
                importo_cents: r.get(8)?,
                ordinante: r.get(9)?,
                causale: r.get(10)?,
                iuf: r.get(11)?,
                iuv: r.get(12)?,
                lettura: r.get(13)?,
                sospeso_data: r.get(14)?,
                sospeso_codice: r.get(15)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests;
