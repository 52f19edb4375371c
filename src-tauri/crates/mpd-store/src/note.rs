//! Draft notes: what was wrong with a debt kept as a draft.
//!
//! An invalid row of an imported sheet is kept as a draft rather than lost, with the findings
//! of its import (the cell as typed, the header, the message); a draft saved from the window
//! with errors keeps the errors of that save. The note is opaque JSON owned by mpd-core
//! (`bozze`); the store only keeps one per debt and drops it with the debt.

use rusqlite::{OptionalExtension, params};

use crate::{Now, Result, Store};

impl Store {
    /// The note of the debt with this IUD, if any.
    pub fn nota_dovuto(&self, iud: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT n.nota_json FROM dovuto_nota n JOIN dovuto d ON d.id = n.dovuto_id WHERE d.iud = ?1",
                params![iud],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Replaces the note of a debt; `None` removes it. Unknown IUDs change nothing.
    pub fn set_nota_dovuto(&self, iud: &str, nota: Option<&str>, now: Now) -> Result<()> {
        match nota {
            None => {
                self.conn().execute(
                    "DELETE FROM dovuto_nota WHERE dovuto_id = (SELECT id FROM dovuto WHERE iud = ?1)",
                    params![iud],
                )?;
            }
            Some(json) => {
                self.conn().execute(
                    "INSERT INTO dovuto_nota (dovuto_id, nota_json, creato_at)
                     SELECT id, ?2, ?3 FROM dovuto WHERE iud = ?1
                     ON CONFLICT(dovuto_id) DO UPDATE SET nota_json = ?2, creato_at = ?3",
                    params![iud, json, now.to_rfc3339()],
                )?;
            }
        }
        Ok(())
    }

    /// The IUDs of the debts that carry a note, among `iuds`.
    pub fn con_nota(&self, iuds: &[String]) -> Result<std::collections::HashSet<String>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT d.iud FROM dovuto d JOIN dovuto_nota n ON n.dovuto_id = d.id WHERE d.iud = ?1",
        )?;
        let mut out = std::collections::HashSet::new();
        for iud in iuds {
            if let Some(i) = stmt
                .query_row(params![iud], |r| r.get::<_, String>(0))
                .optional()?
            {
                out.insert(i);
            }
        }
        Ok(out)
    }

    /// The draft with a note (problems to fix) that comes after `dopo` in the list's order
    /// (by id), going round to the first; never `dopo` itself. `None` when no other draft has
    /// problems.
    pub fn prossima_bozza_con_nota(&self, dopo: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT d.iud FROM dovuto d JOIN dovuto_nota n ON n.dovuto_id = d.id
                 WHERE d.stato = 'draft' AND d.iud <> ?1
                 ORDER BY d.id <= COALESCE((SELECT id FROM dovuto WHERE iud = ?1), 0), d.id
                 LIMIT 1",
                params![dopo],
                |r| r.get(0),
            )
            .optional()?)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use mpd_domain::{Column, RawRow};

    use crate::{DovutoStato, NewDovuto, Store};

    fn debt(iud: &str) -> NewDovuto {
        let mut row = RawRow::default();
        row.set(Column::Iud, iud);
        row.set(Column::CodiceIdentificativoUnivoco, "RSSMRA80A01H501U");
        row.set(Column::TipoIdentificativoUnivoco, "F");
        row.set(Column::AnagraficaPagatore, "Mario Rossi");
        row.set(Column::TipoDovuto, "TARI");
        row.set(Column::CausaleVersamento, "TARI");
        NewDovuto {
            row,
            importo_cents: 100,
            commissione_cents: None,
            stato: DovutoStato::Draft,
            sorgente: None,
            posizione: None,
        }
    }

    #[test]
    fn notes_go_in_with_their_debt_and_can_be_replaced_and_removed() {
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 10, 0, 0).unwrap();
        let mut s = Store::open_in_memory().unwrap();
        let n = s
            .insert_dovuti_annotati_from(
                vec![
                    Ok((debt("A"), Some("{\"x\":1}".to_string()))),
                    Ok((debt("B"), None)),
                ],
                now,
            )
            .unwrap();
        assert_eq!(n, 2);
        assert_eq!(s.nota_dovuto("A").unwrap().as_deref(), Some("{\"x\":1}"));
        assert_eq!(s.nota_dovuto("B").unwrap(), None);
        s.set_nota_dovuto("B", Some("[]"), now).unwrap();
        s.set_nota_dovuto("A", Some("[1]"), now).unwrap();
        assert_eq!(s.nota_dovuto("A").unwrap().as_deref(), Some("[1]"));
        let with = s.con_nota(&["A".into(), "B".into(), "C".into()]).unwrap();
        assert_eq!(with.len(), 2);
        s.set_nota_dovuto("A", None, now).unwrap();
        assert_eq!(s.nota_dovuto("A").unwrap(), None);
        // A failed load writes neither debts nor notes.
        let err = s.insert_dovuti_annotati_from(
            vec![
                Ok((debt("C"), Some("{}".to_string()))),
                Err("stop".to_string()),
            ],
            now,
        );
        assert!(err.is_err());
        assert!(s.dovuto("C").unwrap().is_none());
    }

    #[test]
    fn the_next_draft_to_fix_follows_the_current_one_and_goes_round() {
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 10, 0, 0).unwrap();
        let mut s = Store::open_in_memory().unwrap();
        let mut pronto = debt("R");
        pronto.stato = DovutoStato::Ready;
        s.insert_dovuti_annotati_from(
            vec![
                Ok((debt("A"), Some("{}".to_string()))),
                Ok((debt("B"), None)),
                Ok((pronto, Some("{}".to_string()))),
                Ok((debt("C"), Some("{}".to_string()))),
            ],
            now,
        )
        .unwrap();
        let next = |i: &str| s.prossima_bozza_con_nota(i).unwrap();
        assert_eq!(
            next("A").as_deref(),
            Some("C"),
            "B has no problems, R is no draft"
        );
        assert_eq!(next("B").as_deref(), Some("C"));
        assert_eq!(next("C").as_deref(), Some("A"), "goes round");
        assert_eq!(next("ZZZ").as_deref(), Some("A"));
        s.set_nota_dovuto("A", None, now).unwrap();
        assert_eq!(next("C"), None, "no other draft to fix");
    }
}
