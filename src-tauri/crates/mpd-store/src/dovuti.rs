//! Debts (dovuti) and their lifecycle.
//!
//! ```text
//!  draft ──► ready ──► sent ──► loaded ──► paid
//!              ▲         │        │  ▲
//!              │         ▼        │  │ (edit ⇒ pending M, delete ⇒ pending A, next flow)
//!              └──── rejected     ▼  │
//!                              sent ─┴──► cancelled
//! ```
//!
//! `azione_pendente` says what the next flow must carry for the debt: `I` for a debt MyPay has
//! never loaded, `M` for a loaded debt the clerk changed, `A` for one the clerk deleted. MyPay
//! accepts `M` and `A` only for debts still "da pagare" (spec §4.5), so a debt whose payment
//! has started can be neither changed nor cancelled, and the clerk is told why.

use mpd_domain::{Azione, Column, RawRow};
use rusqlite::{OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};

use crate::ricerca::{self, TestoLibero};
use crate::{Now, Result, Store, StoreError, audit_in};

/// Where a debt is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DovutoStato {
    /// Being prepared; not sent by the next flow.
    Draft,
    /// Valid and waiting for the next flow.
    Ready,
    /// In a flow whose outcome is not known yet.
    Sent,
    /// Loaded on MyPay ("da pagare").
    Loaded,
    /// MyPay (or our check) rejected it; fix and send again.
    Rejected,
    /// A receipt says it is paid.
    Paid,
    /// Cancelled (on MyPay, or before it was ever sent).
    Cancelled,
}

impl DovutoStato {
    pub const ALL: [DovutoStato; 7] = [
        DovutoStato::Draft,
        DovutoStato::Ready,
        DovutoStato::Sent,
        DovutoStato::Loaded,
        DovutoStato::Rejected,
        DovutoStato::Paid,
        DovutoStato::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DovutoStato::Draft => "draft",
            DovutoStato::Ready => "ready",
            DovutoStato::Sent => "sent",
            DovutoStato::Loaded => "loaded",
            DovutoStato::Rejected => "rejected",
            DovutoStato::Paid => "paid",
            DovutoStato::Cancelled => "cancelled",
        }
    }

    /// The Italian word the clerk sees.
    pub fn label_it(self) -> &'static str {
        match self {
            DovutoStato::Draft => "bozza",
            DovutoStato::Ready => "pronto",
            DovutoStato::Sent => "inviato",
            DovutoStato::Loaded => "caricato",
            DovutoStato::Rejected => "scartato",
            DovutoStato::Paid => "pagato",
            DovutoStato::Cancelled => "annullato",
        }
    }

    /// Accepts the English name or the Italian label.
    pub fn parse(s: &str) -> Option<DovutoStato> {
        let s = s.trim().to_lowercase();
        DovutoStato::ALL
            .into_iter()
            .find(|st| st.as_str() == s || st.label_it() == s)
    }
}

/// A debt to insert.
#[derive(Clone, Debug)]
pub struct NewDovuto {
    /// The row's text; `ImportoDovuto` and `CommissioneCaricoPa` are taken from the cents below.
    pub row: RawRow,
    pub importo_cents: i64,
    pub commissione_cents: Option<i64>,
    pub stato: DovutoStato,
    /// The imported file and the row number in the clerk's own sheet.
    pub sorgente: Option<(i64, i64)>,
    /// The position the debt belongs to, and which option of it it is (none: a position of
    /// one).
    pub posizione: Option<PosizioneDi>,
}

/// Where a new debt goes among positions: the position's code (created with the first of its
/// debts, whose payer and payment type it takes) and the option.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PosizioneDi {
    pub codice: String,
    pub rata: mpd_domain::posizione::Rata,
    /// The subject printed on the notice ("TARI 2027").
    pub oggetto: String,
}

/// A stored debt.
#[derive(Clone, Debug, Serialize)]
pub struct DovutoRecord {
    pub id: i64,
    pub iud: String,
    pub stato: DovutoStato,
    pub azione_pendente: Option<Azione>,
    /// The debt as a tracciato row (amounts as `0.00`, azione from `azione_pendente` or `I`).
    pub row: RawRow,
    pub importo_cents: i64,
    pub sorgente_id: Option<i64>,
    pub sorgente_riga: Option<i64>,
    pub ultimo_flusso_id: Option<i64>,
    pub rifiuto_codice: Option<String>,
    pub rifiuto_messaggio: Option<String>,
    pub pagamento_iniziato_at: Option<String>,
    pub creato_at: String,
    pub aggiornato_at: String,
}

/// How many debts are in each state, and their total.
#[derive(Clone, Debug, Serialize)]
pub struct StateCount {
    pub stato: DovutoStato,
    pub numero: i64,
    pub importo_cents: i64,
}

/// Expected and collected amounts of one month (`YYYY-MM` of the due date).
#[derive(Clone, Debug, Serialize)]
pub struct MonthTotals {
    pub mese: String,
    pub atteso_cents: i64,
    pub incassato_cents: i64,
}

/// A piece of SQL and its arguments (`?1`, `?2`… in order).
pub(crate) type Sql = (String, Vec<Box<dyn rusqlite::ToSql>>);

/// The WHERE condition of `filter` and its arguments.
///
/// `iud_esatto`: the search text is the IUD of a stored debt (see [`Store::iud_esatto`]), so
/// it is looked up through the unique index instead of scanning for substrings.
pub(crate) fn filter_sql(filter: &DovutoFilter, iud_esatto: bool) -> Sql {
    let mut sql = String::from("1 = 1");
    let mut args: Vec<Box<dyn rusqlite::ToSql>> = Vec::new();
    if let Some(stato) = filter.stato {
        args.push(Box::new(stato.as_str()));
        sql += &format!(" AND stato = ?{}", args.len());
    }
    if let Some(tipo) = &filter.tipo_dovuto {
        args.push(Box::new(tipo.clone()));
        sql += &format!(" AND tipo_dovuto = ?{}", args.len());
    }
    if let Some(testo) = filter.testo.as_ref().filter(|t| !t.trim().is_empty()) {
        let testo = testo.trim();
        let ricerca = if iud_esatto {
            Ricerca::Iud
        } else {
            Ricerca::of(testo)
        };
        match ricerca {
            Ricerca::Iud => {
                args.push(Box::new(testo.to_string()));
                sql += &format!(" AND iud = ?{}", args.len());
            }
            Ricerca::CodicePagatore(code) => {
                // A whole codice fiscale or partita IVA: the payer index, and the IUD.
                args.push(Box::new(code));
                args.push(Box::new(testo.to_string()));
                let n = args.len();
                sql += &format!(" AND (codice_pagatore = ?{m} OR iud = ?{n})", m = n - 1);
            }
            Ricerca::Iuv(iuv, senza_aux) => {
                args.push(Box::new(iuv));
                args.push(Box::new(senza_aux));
                let n = args.len();
                // `iuv <> ''` lets SQLite use the partial index on iuv.
                sql += &format!(
                    " AND ((iuv <> '' AND iuv IN (?{m}, ?{n})) OR iud = ?{m})",
                    m = n - 1
                );
            }
            Ricerca::Testo => {
                let t = TestoLibero::of(testo);
                let parole = t.like.len();
                let n = args.len() + 1;
                for like in t.like {
                    args.push(Box::new(like));
                }
                match t.fts {
                    Some(fts) => {
                        args.push(Box::new(fts));
                        sql += &format!(" AND id IN ({})", ricerca::ids_sql(args.len(), n, parole));
                    }
                    None => sql += &format!(" AND {}", ricerca::like_sql("", n, parole)),
                }
            }
        }
    }
    if let Some(d) = &filter.scadenza_dal {
        args.push(Box::new(d.clone()));
        sql += &format!(" AND data_scadenza >= ?{}", args.len());
    }
    if let Some(d) = &filter.scadenza_al {
        args.push(Box::new(d.clone()));
        sql += &format!(
            " AND data_scadenza <> '' AND data_scadenza <= ?{}",
            args.len()
        );
    }
    (sql, args)
}

/// How the search box's text is matched. A whole codice fiscale, partita IVA or IUV is looked
/// up through its index; anything else is a substring of IUD, payer code, name or causale,
/// case and accents ignored, found through the trigram index of [`crate::ricerca`].
#[derive(Debug, PartialEq, Eq)]
enum Ricerca {
    /// 16 letters and digits shaped as a codice fiscale, or 11 digits: uppercased.
    CodicePagatore(String),
    /// 15 to 18 digits: an IUV, or (18 digits starting with 3) a notice number, whose IUV is
    /// what follows the aux digit.
    Iuv(String, String),
    /// The whole IUD of a stored debt (decided by a lookup, not by shape).
    Iud,
    Testo,
}

impl Ricerca {
    fn of(testo: &str) -> Ricerca {
        let digits = testo.bytes().all(|b| b.is_ascii_digit());
        if testo.len() == 11 && digits {
            return Ricerca::CodicePagatore(testo.to_string());
        }
        if (15..=18).contains(&testo.len()) && digits {
            let senza_aux = match testo.strip_prefix('3') {
                Some(iuv) if testo.len() == 18 => iuv.to_string(),
                _ => testo.to_string(),
            };
            return Ricerca::Iuv(testo.to_string(), senza_aux);
        }
        let upper = testo.to_ascii_uppercase();
        let b = upper.as_bytes();
        // Letters where a codice fiscale has letters (positions 1-6, 9, 12, 16); digits or
        // omocodia letters elsewhere.
        let cf_shape = b.len() == 16
            && b.iter().all(u8::is_ascii_alphanumeric)
            && [0, 1, 2, 3, 4, 5, 8, 11, 15]
                .iter()
                .all(|&i| b[i].is_ascii_alphabetic());
        if cf_shape {
            Ricerca::CodicePagatore(upper)
        } else {
            Ricerca::Testo
        }
    }
}

/// What to list.
#[derive(Clone, Debug, Default)]
pub struct DovutoFilter {
    /// Due date from (`YYYY-MM-DD`, inclusive).
    pub scadenza_dal: Option<String>,
    /// Due date up to (`YYYY-MM-DD`, inclusive).
    pub scadenza_al: Option<String>,
    pub stato: Option<DovutoStato>,
    pub tipo_dovuto: Option<String>,
    /// Matches IUD, payer code or name, causale (case-insensitive substring); a whole
    /// codice fiscale, partita IVA or IUV matches that field exactly (or an equal IUD).
    pub testo: Option<String>,
    pub limit: Option<usize>,
    pub offset: usize,
}

const SELECT: &str = "SELECT id, iud, stato, azione_pendente, iuv, tipo_pagatore, codice_pagatore, anagrafica,
    indirizzo, civico, cap, localita, provincia, nazione, email, data_scadenza, importo_cents, commissione_cents,
    tipo_dovuto, tipo_versamento, causale, dati_specifici, bilancio, genera_iuv, ente_secondario_json,
    sorgente_id, sorgente_riga, ultimo_flusso_id, rifiuto_codice, rifiuto_messaggio, pagamento_iniziato_at,
    creato_at, aggiornato_at FROM dovuto";

/// The 13 secondary-beneficiary columns of tracciato 1_4, stored together.
const SECONDARIO: [Column; 13] = [
    Column::CodiceFiscaleEnteSecondario,
    Column::DenominazioneEnteSecondario,
    Column::IbanAccreditoEnteSecondario,
    Column::IndirizzoEnteSecondario,
    Column::CivicoEnteSecondario,
    Column::CapEnteSecondario,
    Column::LocalitaEnteSecondario,
    Column::ProvinciaEnteSecondario,
    Column::NazioneEnteSecondario,
    Column::DatiSpecificiRiscossioneEnteSecondario,
    Column::CausaleVersamentoEnteSecondario,
    Column::ImportoVersamentoEnteSecondario,
    Column::FlagMultiBeneficiario,
];

/// Page cache (KiB) of bulk writes ([`Store::insert_dovuti_from`], receipts): enough for the
/// indexes of a few million debts, well within a desktop's memory.
pub const BULK_CACHE_KIB: i64 = 192 * 1024;

/// Formats cents as the tracciato wants them: `1234.50`.
pub fn cents_to_text(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

fn secondario_json(row: &RawRow) -> Option<String> {
    if !row
        .get(Column::FlagMultiBeneficiario)
        .eq_ignore_ascii_case("true")
    {
        return None;
    }
    let values: Vec<&str> = SECONDARIO.iter().map(|c| row.get(*c)).collect();
    Some(serde_json::to_string(&values).expect("a list of strings always serializes"))
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<DovutoRecord> {
    let stato: String = r.get(2)?;
    let stato = DovutoStato::parse(&stato).unwrap_or(DovutoStato::Draft);
    let azione: Option<String> = r.get(3)?;
    let azione = azione.as_deref().and_then(Azione::parse);
    let mut row = RawRow::default();
    let iud: String = r.get(1)?;
    row.set(Column::Iud, iud.clone());
    let text_cols = [
        (4, Column::CodIuv),
        (5, Column::TipoIdentificativoUnivoco),
        (6, Column::CodiceIdentificativoUnivoco),
        (7, Column::AnagraficaPagatore),
        (8, Column::IndirizzoPagatore),
        (9, Column::CivicoPagatore),
        (10, Column::CapPagatore),
        (11, Column::LocalitaPagatore),
        (12, Column::ProvinciaPagatore),
        (13, Column::NazionePagatore),
        (14, Column::EmailPagatore),
        (15, Column::DataScadenzaPagamento),
        (18, Column::TipoDovuto),
        (19, Column::TipoVersamento),
        (20, Column::CausaleVersamento),
        (21, Column::DatiSpecificiRiscossione),
        (22, Column::Bilancio),
    ];
    for (i, c) in text_cols {
        row.set(c, r.get::<_, String>(i)?);
    }
    let importo_cents: i64 = r.get(16)?;
    row.set(Column::ImportoDovuto, cents_to_text(importo_cents));
    let commissione: Option<i64> = r.get(17)?;
    row.set(
        Column::CommissioneCaricoPa,
        commissione.map(cents_to_text).unwrap_or_default(),
    );
    let genera: bool = r.get(23)?;
    row.set(Column::FlagGeneraIuv, if genera { "true" } else { "" });
    let secondario: Option<String> = r.get(24)?;
    if let Some(values) = secondario.and_then(|j| serde_json::from_str::<Vec<String>>(&j).ok()) {
        for (c, v) in SECONDARIO.iter().zip(values) {
            row.set(*c, v);
        }
    }
    row.set(
        Column::Azione,
        azione.unwrap_or(Azione::Inserimento).as_str(),
    );
    Ok(DovutoRecord {
        id: r.get(0)?,
        iud,
        stato,
        azione_pendente: azione,
        row,
        importo_cents,
        sorgente_id: r.get(25)?,
        sorgente_riga: r.get(26)?,
        ultimo_flusso_id: r.get(27)?,
        rifiuto_codice: r.get(28)?,
        rifiuto_messaggio: r.get(29)?,
        pagamento_iniziato_at: r.get(30)?,
        creato_at: r.get(31)?,
        aggiornato_at: r.get(32)?,
    })
}

impl Store {
    /// Records an imported file; its id goes into each debt's `sorgente`.
    pub fn add_sorgente(
        &self,
        nome_file: &str,
        formato: &str,
        righe: i64,
        now: Now,
    ) -> Result<i64> {
        self.conn().execute(
            "INSERT INTO sorgente (nome_file, formato, righe, importato_at) VALUES (?1, ?2, ?3, ?4)",
            params![nome_file, formato, righe, now.to_rfc3339()],
        )?;
        Ok(self.conn().last_insert_rowid())
    }

    /// Forgets an imported file whose debts were never stored (its import failed or was
    /// cancelled after it was recorded); one that any debt refers to is kept.
    pub fn remove_sorgente_unused(&self, id: i64) -> Result<()> {
        self.conn().execute(
            "DELETE FROM sorgente WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM dovuto WHERE sorgente_id = ?1)",
            params![id],
        )?;
        Ok(())
    }

    /// How many imported files are recorded.
    pub fn count_sorgenti(&self) -> Result<i64> {
        Ok(self
            .conn()
            .query_row("SELECT COUNT(*) FROM sorgente", [], |r| r.get(0))?)
    }

    /// The file name of an imported source.
    pub fn sorgente_nome(&self, id: i64) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT nome_file FROM sorgente WHERE id = ?1",
                params![id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Inserts debts in one transaction: all of them or none.
    pub fn insert_dovuti<'a>(
        &mut self,
        dovuti: impl IntoIterator<Item = &'a NewDovuto>,
        now: Now,
    ) -> Result<usize> {
        self.insert_dovuti_from(dovuti.into_iter().map(|d| Ok(d.clone())), now)
    }

    /// Inserts debts produced one by one (a file read a second time), in one transaction.
    /// An `Err` from the source rolls everything back and is returned as
    /// [`StoreError::NotAllowed`]: nothing is half-written.
    pub fn insert_dovuti_from(
        &mut self,
        dovuti: impl IntoIterator<Item = std::result::Result<NewDovuto, String>>,
        now: Now,
    ) -> Result<usize> {
        self.with_bulk_cache(|store| {
            store.insert_dovuti_tx(dovuti.into_iter().map(|d| d.map(|d| (d, None))), now)
        })
    }

    /// As [`Store::insert_dovuti_from`], each debt with an optional draft note (JSON, see
    /// [`crate::note`]) written in the same transaction.
    pub fn insert_dovuti_annotati_from(
        &mut self,
        dovuti: impl IntoIterator<Item = std::result::Result<(NewDovuto, Option<String>), String>>,
        now: Now,
    ) -> Result<usize> {
        self.with_bulk_cache(|store| store.insert_dovuti_tx(dovuti, now))
    }

    /// Runs a bulk write with a page cache of [`BULK_CACHE_KIB`], then restores the previous
    /// size. With SQLite's default 2 MB cache, a transaction touching hundreds of MB (a
    /// million debts and their indexes, a million receipts) spills dirty pages to the WAL
    /// and reads them back over and over; with room for the working set each page is
    /// written once. The memory is given back when the cache shrinks again.
    pub(crate) fn with_bulk_cache<T>(
        &mut self,
        work: impl FnOnce(&mut Store) -> Result<T>,
    ) -> Result<T> {
        let previous: i64 = self
            .conn
            .pragma_query_value(None, "cache_size", |r| r.get(0))?;
        self.conn
            .pragma_update(None, "cache_size", -BULK_CACHE_KIB)?;
        let result = work(self);
        let restored = self.conn.pragma_update(None, "cache_size", previous);
        let value = result?;
        restored?;
        Ok(value)
    }

    fn insert_dovuti_tx(
        &mut self,
        dovuti: impl IntoIterator<Item = std::result::Result<(NewDovuto, Option<String>), String>>,
        now: Now,
    ) -> Result<usize> {
        let now_text = now.to_rfc3339();
        let tx = self.conn.transaction()?;
        let mut count = 0;
        // A bulk load into a table no bigger than the load itself is faster without the
        // secondary indexes, built once afterwards (a sort instead of a million random B-tree
        // insertions) by the upkeep of `ricerca`, outside the load: the debts are stored and
        // usable as soon as the load commits, and the filters get their speed back seconds
        // later. The DDL is inside the transaction, so a failed load restores them. A small
        // load puts its rows in the search index here; a bulk load leaves them to the upkeep.
        let existing: i64 = tx.query_row("SELECT COUNT(*) FROM dovuto", [], |r| r.get(0))?;
        let search_up_to_date = ricerca::indice_al_passo(&tx)?;
        let mut dropped = false;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO dovuto (iud, stato, azione_pendente, iuv, tipo_pagatore, codice_pagatore, anagrafica,
                    indirizzo, civico, cap, localita, provincia, nazione, email, data_scadenza, importo_cents,
                    commissione_cents, tipo_dovuto, tipo_versamento, causale, dati_specifici, bilancio, genera_iuv,
                    ente_secondario_json, sorgente_id, sorgente_riga, creato_at, aggiornato_at)
                 VALUES (?1, ?2, 'I', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
                    ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?26)",
            )?;
            let mut note_stmt = tx.prepare_cached(
                "INSERT INTO dovuto_nota (dovuto_id, nota_json, creato_at) VALUES (last_insert_rowid(), ?1, ?2)",
            )?;
            let mut posizione_stmt = tx.prepare_cached(
                "INSERT INTO posizione (codice, codice_pagatore, tipo_dovuto, oggetto, creato_at)
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(codice) DO NOTHING",
            )?;
            let mut opzione_stmt = tx.prepare_cached(
                "UPDATE dovuto SET posizione_id = (SELECT id FROM posizione WHERE codice = ?2), rata = ?3
                 WHERE id = ?1",
            )?;
            for d in dovuti {
                let (d, nota) = d.map_err(StoreError::NotAllowed)?;
                let r = &d.row;
                let (sorgente_id, sorgente_riga) = d.sorgente.unzip();
                stmt.execute(params![
                    r.get(Column::Iud),
                    d.stato.as_str(),
                    r.get(Column::CodIuv),
                    r.get(Column::TipoIdentificativoUnivoco),
                    r.get(Column::CodiceIdentificativoUnivoco),
                    r.get(Column::AnagraficaPagatore),
                    r.get(Column::IndirizzoPagatore),
                    r.get(Column::CivicoPagatore),
                    r.get(Column::CapPagatore),
                    r.get(Column::LocalitaPagatore),
                    r.get(Column::ProvinciaPagatore),
                    r.get(Column::NazionePagatore),
                    r.get(Column::EmailPagatore),
                    r.get(Column::DataScadenzaPagamento),
                    d.importo_cents,
                    d.commissione_cents,
                    r.get(Column::TipoDovuto),
                    r.get(Column::TipoVersamento),
                    r.get(Column::CausaleVersamento),
                    r.get(Column::DatiSpecificiRiscossione),
                    r.get(Column::Bilancio),
                    r.get(Column::FlagGeneraIuv).eq_ignore_ascii_case("true"),
                    secondario_json(r),
                    sorgente_id,
                    sorgente_riga,
                    now_text,
                ])?;
                let id = tx.last_insert_rowid();
                if let Some(nota) = nota {
                    note_stmt.execute(params![nota, now_text])?;
                }
                if let Some(p) = &d.posizione {
                    posizione_stmt.execute(params![
                        p.codice,
                        r.get(Column::CodiceIdentificativoUnivoco),
                        r.get(Column::TipoDovuto),
                        p.oggetto,
                        now_text
                    ])?;
                    opzione_stmt.execute(params![id, p.codice, p.rata.numero()])?;
                }
                count += 1;
                if !dropped && count >= BULK_LOAD_ROWS && count as i64 >= existing {
                    defer_secondary_indexes(&tx)?;
                    dropped = true;
                }
            }
        }
        if !dropped && search_up_to_date {
            ricerca::indicizza_fino(&tx, None)?;
        }
        audit_in(&tx, now, "dovuti.inserisci", "", &format!("{count} dovuti"))?;
        tx.commit()?;
        Ok(count)
    }

    /// Names and SQL of the secondary indexes of `dovuto` (the UNIQUE index on IUD has no SQL
    /// of its own and is never dropped: it is what refuses a duplicate IUD during the load).
    #[cfg(test)]
    pub(crate) fn secondary_indexes(&self) -> Result<Vec<(String, String)>> {
        secondary_indexes(&self.conn)
    }

    /// Every IUD in the store (for duplicate checks on import).
    pub fn all_iuds(&self) -> Result<std::collections::HashSet<String>> {
        let mut stmt = self.conn().prepare("SELECT iud FROM dovuto")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The debt with this IUD.
    pub fn dovuto(&self, iud: &str) -> Result<Option<DovutoRecord>> {
        Ok(self
            .conn()
            .query_row(&format!("{SELECT} WHERE iud = ?1"), params![iud], from_row)
            .optional()?)
    }

    /// The debt with this IUV.
    pub fn dovuto_by_iuv(&self, iuv: &str) -> Result<Option<DovutoRecord>> {
        Ok(self
            .conn()
            .query_row(&format!("{SELECT} WHERE iuv = ?1"), params![iuv], from_row)
            .optional()?)
    }

    /// Whether the filter's search text, a single word that is not a whole code or IUV, is
    /// the IUD of a stored debt: then the search shows that debt (one index lookup) rather
    /// than every debt containing the text, which would scan the whole table.
    fn iud_esatto(&self, filter: &DovutoFilter) -> Result<bool> {
        let Some(testo) = filter.testo.as_deref().map(str::trim) else {
            return Ok(false);
        };
        if testo.is_empty()
            || testo.contains(char::is_whitespace)
            || Ricerca::of(testo) != Ricerca::Testo
        {
            return Ok(false);
        }
        Ok(self.conn().query_row(
            "SELECT EXISTS(SELECT 1 FROM dovuto WHERE iud = ?1)",
            params![testo],
            |r| r.get(0),
        )?)
    }

    /// The FTS query and `LIKE` pattern of a filter's free text, when the search index serves
    /// it (not a whole code, IUV or stored IUD; three characters or more).
    fn testo_indicizzato(&self, filter: &DovutoFilter) -> Result<Option<(String, Vec<String>)>> {
        let Some(testo) = filter.testo.as_deref().map(str::trim) else {
            return Ok(None);
        };
        if Ricerca::of(testo) != Ricerca::Testo || self.iud_esatto(filter)? {
            return Ok(None);
        }
        let t = TestoLibero::of(testo);
        Ok(t.fts.map(|fts| (fts, t.like)))
    }

    /// As [`Store::testo_indicizzato`], for a filter that is free text and nothing else: the
    /// search index alone then answers the count and hands out the page's ids in order
    /// (joining every match with the table first took 0.1–0.3 s at 1,000,000 debts).
    fn solo_testo(&self, filter: &DovutoFilter) -> Result<Option<(String, Vec<String>)>> {
        if altri_filtri(filter) {
            return Ok(None);
        }
        self.testo_indicizzato(filter)
    }

    /// Free text with other filters, when every debt is in the search index (the usual case;
    /// otherwise the general form of [`filter_sql`] also scans those not indexed yet): the
    /// `FROM … WHERE …` that walks the matches in id order straight from the index, each
    /// checked against the other filters, and its arguments. A page stops as soon as it is
    /// full instead of collecting every match first (paid + a surname 28 → 2 ms at
    /// 1,000,000 debts), and a count reads each match once.
    fn testo_e_filtri(&self, filter: &DovutoFilter) -> Result<Option<Sql>> {
        if !altri_filtri(filter) {
            return Ok(None);
        }
        let Some((fts, _)) = self.testo_indicizzato(filter)? else {
            return Ok(None);
        };
        if !ricerca::indice_al_passo(self.conn())? {
            return Ok(None);
        }
        let rest = DovutoFilter {
            testo: None,
            limit: None,
            offset: 0,
            ..filter.clone()
        };
        // `cond` names no searched column (there is no text in `rest`), so nothing in it is
        // ambiguous between the two tables.
        let (cond, mut args) = filter_sql(&rest, false);
        args.push(Box::new(fts));
        let sql = format!(
            "FROM dovuto_ricerca CROSS JOIN dovuto d ON d.id = dovuto_ricerca.rowid \
             WHERE dovuto_ricerca MATCH ?{} AND {cond}",
            args.len()
        );
        Ok(Some((sql, args)))
    }

    /// The SQL of the page (or whole list) of `filter`, and its arguments.
    fn page_sql(&self, filter: &DovutoFilter) -> Result<Sql> {
        let page = match filter.limit {
            Some(limit) => format!(" LIMIT {limit} OFFSET {}", filter.offset),
            None => String::new(),
        };
        if let Some((fts, like)) = self.solo_testo(filter)? {
            if let Some(limit) = filter.limit.filter(|l| *l <= PAGINA_DA_RICERCA) {
                // A page of the search's ids, read once for all its pages (`ids_ricerca`).
                let ids = self.ids_ricerca(&fts, &like)?;
                let pagina: Vec<String> = ids
                    .iter()
                    .skip(filter.offset)
                    .take(limit)
                    .map(i64::to_string)
                    .collect();
                return Ok((
                    format!("{SELECT} WHERE id IN ({}) ORDER BY id", pagina.join(",")),
                    Vec::new(),
                ));
            }
            let sql = format!(
                "{SELECT} WHERE id IN ({} ORDER BY 1{page}) ORDER BY id",
                ricerca::ids_sql(1, 2, like.len())
            );
            let mut args: Vec<Box<dyn rusqlite::ToSql>> = vec![Box::new(fts)];
            args.extend(
                like.into_iter()
                    .map(|l| Box::new(l) as Box<dyn rusqlite::ToSql>),
            );
            return Ok((sql, args));
        }
        if filter.limit.is_some()
            && let Some((matches, args)) = self.testo_e_filtri(filter)?
        {
            let sql = format!(
                "{SELECT} WHERE id IN (SELECT dovuto_ricerca.rowid {matches} \
                 ORDER BY dovuto_ricerca.rowid{page}) ORDER BY id"
            );
            return Ok((sql, args));
        }
        let (cond, args) = filter_sql(filter, self.iud_esatto(filter)?);
        if filter.limit.is_some() && filter.offset > 0 {
            // The page's ids first, then its rows: `OFFSET` skips ids in the narrowest index
            // that serves the filter (`dovuto_id` when there is none) instead of whole rows,
            // each skipped row otherwise read from disk and decrypted (`V12` in schema.rs).
            return Ok((
                format!(
                    "{SELECT} WHERE id IN (SELECT id FROM dovuto WHERE {cond} ORDER BY id{page}) \
                     ORDER BY id"
                ),
                args,
            ));
        }
        Ok((format!("{SELECT} WHERE {cond} ORDER BY id{page}"), args))
    }

    /// Debts matching `filter`, oldest first.
    pub fn dovuti(&self, filter: &DovutoFilter) -> Result<Vec<DovutoRecord>> {
        let (sql, args) = self.page_sql(filter)?;
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The IUDs of the debts matching `filter` (its `limit` and `offset` are ignored), oldest
    /// first, in one query: what a bulk action on «every debt of the filter» acts on. At most
    /// `max + 1` are read, so that a caller sees a filter wider than its cap without reading
    /// every match.
    pub fn iud_dovuti(&self, filter: &DovutoFilter, max: usize) -> Result<Vec<String>> {
        let f = DovutoFilter {
            limit: Some(max.saturating_add(1)),
            offset: 0,
            ..filter.clone()
        };
        let (sql, args) = self.page_sql(&f)?;
        let mut stmt = self
            .conn()
            .prepare(&format!("SELECT iud FROM ({sql}) ORDER BY id"))?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// SQLite's plan for the page query of `filter` (`EXPLAIN QUERY PLAN`, one line per step):
    /// for the benchmark, which shows why a query is slow.
    pub fn piano_dovuti(&self, filter: &DovutoFilter) -> Result<Vec<String>> {
        let (sql, args) = self.page_sql(filter)?;
        let mut stmt = self.conn().prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| r.get(3))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many debts match `filter` (its `limit` and `offset` are ignored): the size of a
    /// paged list.
    pub fn count_dovuti(&self, filter: &DovutoFilter) -> Result<i64> {
        if let Some((fts, like)) = self.solo_testo(filter)? {
            if filter.limit.is_some() {
                // The screen's count of a search, before its pages: the ids its pages slice.
                return Ok(self.ids_ricerca(&fts, &like)?.len() as i64);
            }
            let sql = format!(
                "SELECT (SELECT COUNT(*) FROM dovuto_ricerca WHERE dovuto_ricerca MATCH ?1)
                      + (SELECT COUNT(*) FROM dovuto WHERE id > (SELECT fino_a FROM ricerca_indice) AND {})",
                ricerca::like_sql("", 2, like.len())
            );
            let mut args: Vec<Box<dyn rusqlite::ToSql>> = vec![Box::new(fts)];
            args.extend(
                like.into_iter()
                    .map(|l| Box::new(l) as Box<dyn rusqlite::ToSql>),
            );
            return Ok(self.conn().query_row(
                &sql,
                rusqlite::params_from_iter(args.iter()),
                |r| r.get(0),
            )?);
        }
        if let Some((matches, args)) = self.testo_e_filtri(filter)? {
            return Ok(self.conn().query_row(
                &format!("SELECT COUNT(*) {matches}"),
                rusqlite::params_from_iter(args.iter()),
                |r| r.get(0),
            )?);
        }
        let (cond, args) = filter_sql(filter, self.iud_esatto(filter)?);
        let sql = format!("SELECT COUNT(*) FROM dovuto WHERE {cond}");
        Ok(self
            .conn()
            .query_row(&sql, rusqlite::params_from_iter(args.iter()), |r| r.get(0))?)
    }

    /// Expected (every debt neither cancelled nor a draft, as the report counts) and collected
    /// (paid) cents per month of the due date (`YYYY-MM`), oldest first. Debts without a due date, or whose due date is not a
    /// real `YYYY-MM-DD` date (a draft typed as `31/03/2027` or `2027-02-30`), are left out: a
    /// junk month would otherwise take a place of the Home's chart.
    pub fn totals_by_month(&self) -> Result<Vec<MonthTotals>> {
        let mut stmt = self.conn().prepare(
            "SELECT data_scadenza,
                    COALESCE(SUM(CASE WHEN stato NOT IN ('cancelled', 'draft') THEN importo_cents END), 0),
                    COALESCE(SUM(CASE WHEN stato = 'paid' THEN importo_cents END), 0)
             FROM dovuto WHERE data_scadenza <> '' GROUP BY data_scadenza",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        let mut per_mese: std::collections::BTreeMap<String, (i64, i64)> = Default::default();
        for row in rows {
            let (scadenza, atteso, incassato) = row?;
            let Ok(d) = mpd_domain::dates::parse_date_strict(scadenza.trim()) else {
                continue;
            };
            if chrono::Datelike::year(&d) < 1 {
                continue;
            }
            let m = per_mese.entry(d.format("%Y-%m").to_string()).or_default();
            m.0 += atteso;
            m.1 += incassato;
        }
        Ok(per_mese
            .into_iter()
            .map(|(mese, (atteso_cents, incassato_cents))| MonthTotals {
                mese,
                atteso_cents,
                incassato_cents,
            })
            .collect())
    }

    /// Number and total of debts per state (states with none are omitted).
    pub fn count_by_state(&self) -> Result<Vec<StateCount>> {
        let mut stmt = self.conn().prepare(
            // A plain scan: through an index on (stato, …) the amounts would be read in random
            // order (2.3 s instead of 0.3 s at 1,000,000 debts).
            "SELECT stato, COUNT(*), COALESCE(SUM(importo_cents), 0) FROM dovuto NOT INDEXED GROUP BY stato",
        )?;
        let rows = stmt.query_map([], |r| {
            let s: String = r.get(0)?;
            Ok(StateCount {
                stato: DovutoStato::parse(&s).unwrap_or(DovutoStato::Draft),
                numero: r.get(1)?,
                importo_cents: r.get(2)?,
            })
        })?;
        let mut out: Vec<StateCount> = rows.collect::<Result<_, _>>()?;
        out.sort_by_key(|c| DovutoStato::ALL.iter().position(|s| *s == c.stato));
        Ok(out)
    }

    /// Debts the next flow must carry: ready ones (I) and loaded ones with a pending M or A.
    pub fn dovuti_da_inviare(&self) -> Result<Vec<DovutoRecord>> {
        let mut stmt = self.conn().prepare(&format!(
            "{SELECT} WHERE (stato = 'ready' AND azione_pendente = 'I')
                OR (stato = 'loaded' AND azione_pendente IN ('M', 'A')) ORDER BY id"
        ))?;
        let rows = stmt.query_map([], from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Replaces a debt's content, following the lifecycle rules of this module.
    ///
    /// The IUD cannot change. A loaded debt gets a pending `M`; MyPay forbids changing its
    /// tipo dovuto and its IUV once set, so those are refused here already.
    pub fn update_dovuto(&mut self, iud: &str, new: &NewDovuto, now: Now) -> Result<DovutoRecord> {
        let old = self
            .dovuto(iud)?
            .ok_or_else(|| StoreError::DovutoNotFound(iud.to_string()))?;
        if new.row.get(Column::Iud) != iud {
            return Err(StoreError::NotAllowed(format!(
                "l'IUD di un dovuto non si può cambiare (da «{iud}» a «{}»): annulli il dovuto e ne crei uno nuovo",
                new.row.get(Column::Iud)
            )));
        }
        refuse_if_locked(&old, "modificato")?;
        let (stato, azione) = match (old.stato, old.azione_pendente) {
            (DovutoStato::Draft | DovutoStato::Ready, _) => (new.stato, Azione::Inserimento),
            (DovutoStato::Rejected, Some(Azione::Inserimento) | None) => {
                (DovutoStato::Ready, Azione::Inserimento)
            }
            (DovutoStato::Rejected, Some(_)) | (DovutoStato::Loaded, _) => {
                if old.azione_pendente == Some(Azione::Annullamento) {
                    return Err(StoreError::NotAllowed(format!(
                        "il dovuto IUD «{iud}» ha già un annullamento in attesa di invio: non si può modificare"
                    )));
                }
                if old.row.get(Column::TipoDovuto) != new.row.get(Column::TipoDovuto) {
                    return Err(StoreError::NotAllowed(format!(
                        "il dovuto IUD «{iud}» è già caricato su MyPay: il tipo dovuto non si può cambiare \
                         (MyPay lo rifiuterebbe); lo annulli e ne crei uno nuovo"
                    )));
                }
                let old_iuv = old.row.get(Column::CodIuv);
                if !old_iuv.is_empty() && old_iuv != new.row.get(Column::CodIuv) {
                    return Err(StoreError::NotAllowed(format!(
                        "il dovuto IUD «{iud}» ha già lo IUV {old_iuv}: MyPay non permette di cambiarlo né di toglierlo"
                    )));
                }
                (DovutoStato::Loaded, Azione::Modifica)
            }
            (s, _) => unreachable_state(iud, s)?,
        };
        let r = &new.row;
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE dovuto SET stato = ?2, azione_pendente = ?3, iuv = ?4, tipo_pagatore = ?5, codice_pagatore = ?6,
                anagrafica = ?7, indirizzo = ?8, civico = ?9, cap = ?10, localita = ?11, provincia = ?12, nazione = ?13,
                email = ?14, data_scadenza = ?15, importo_cents = ?16, commissione_cents = ?17, tipo_dovuto = ?18,
                tipo_versamento = ?19, causale = ?20, dati_specifici = ?21, bilancio = ?22, genera_iuv = ?23,
                ente_secondario_json = ?24, rifiuto_codice = NULL, rifiuto_messaggio = NULL, aggiornato_at = ?25
             WHERE iud = ?1",
            params![
                iud,
                stato.as_str(),
                azione.as_str(),
                r.get(Column::CodIuv),
                r.get(Column::TipoIdentificativoUnivoco),
                r.get(Column::CodiceIdentificativoUnivoco),
                r.get(Column::AnagraficaPagatore),
                r.get(Column::IndirizzoPagatore),
                r.get(Column::CivicoPagatore),
                r.get(Column::CapPagatore),
                r.get(Column::LocalitaPagatore),
                r.get(Column::ProvinciaPagatore),
                r.get(Column::NazionePagatore),
                r.get(Column::EmailPagatore),
                r.get(Column::DataScadenzaPagamento),
                new.importo_cents,
                new.commissione_cents,
                r.get(Column::TipoDovuto),
                r.get(Column::TipoVersamento),
                r.get(Column::CausaleVersamento),
                r.get(Column::DatiSpecificiRiscossione),
                r.get(Column::Bilancio),
                r.get(Column::FlagGeneraIuv).eq_ignore_ascii_case("true"),
                secondario_json(r),
                now.to_rfc3339(),
            ],
        )?;
        audit_in(
            &tx,
            now,
            "dovuto.modifica",
            iud,
            &format!("azione pendente {}", azione.as_str()),
        )?;
        tx.commit()?;
        self.dovuto(iud)?
            .ok_or_else(|| StoreError::DovutoNotFound(iud.to_string()))
    }

    /// Deletes a debt as the clerk sees it: one never sent is cancelled at once; one loaded on
    /// MyPay gets a pending `A` for the next flow.
    pub fn cancel_dovuto(&mut self, iud: &str, now: Now) -> Result<DovutoRecord> {
        let old = self
            .dovuto(iud)?
            .ok_or_else(|| StoreError::DovutoNotFound(iud.to_string()))?;
        refuse_if_locked(&old, "annullato")?;
        let (stato, azione): (DovutoStato, Option<Azione>) = match (old.stato, old.azione_pendente)
        {
            (DovutoStato::Draft | DovutoStato::Ready, _) => (DovutoStato::Cancelled, None),
            (DovutoStato::Rejected, Some(Azione::Inserimento) | None) => {
                (DovutoStato::Cancelled, None)
            }
            (DovutoStato::Rejected, Some(_)) | (DovutoStato::Loaded, _) => {
                (DovutoStato::Loaded, Some(Azione::Annullamento))
            }
            (s, _) => unreachable_state(iud, s)?,
        };
        self.conn.execute(
            "UPDATE dovuto SET stato = ?2, azione_pendente = ?3, aggiornato_at = ?4 WHERE iud = ?1",
            params![
                iud,
                stato.as_str(),
                azione.map(Azione::as_str),
                now.to_rfc3339()
            ],
        )?;
        self.audit(
            now,
            "dovuto.annulla",
            iud,
            azione.map_or("annullato localmente", |_| "annullamento da inviare"),
        )?;
        self.dovuto(iud)?
            .ok_or_else(|| StoreError::DovutoNotFound(iud.to_string()))
    }

    /// Moves drafts to ready. Returns how many changed.
    pub fn mark_ready(&mut self, iuds: &[String], now: Now) -> Result<usize> {
        let tx = self.conn.transaction()?;
        let mut n = 0;
        for iud in iuds {
            n += tx.execute(
                "UPDATE dovuto SET stato = 'ready', aggiornato_at = ?2 WHERE iud = ?1 AND stato = 'draft'",
                params![iud, now.to_rfc3339()],
            )?;
        }
        audit_in(&tx, now, "dovuti.pronti", "", &format!("{n} dovuti"))?;
        tx.commit()?;
        Ok(n)
    }

    /// Records that a payment has started for the debt (from MyPay's open positions).
    pub fn mark_payment_started(&self, iud: &str, now: Now) -> Result<()> {
        self.conn().execute(
            "UPDATE dovuto SET pagamento_iniziato_at = ?2 WHERE iud = ?1 AND pagamento_iniziato_at IS NULL",
            params![iud, now.to_rfc3339()],
        )?;
        Ok(())
    }
}

/// Whether `filter` has any filter besides the free text.
fn altri_filtri(filter: &DovutoFilter) -> bool {
    filter.stato.is_some()
        || filter.tipo_dovuto.is_some()
        || filter.scadenza_dal.is_some()
        || filter.scadenza_al.is_some()
}

/// Pages up to this size are cut from [`Store::ids_ricerca`] (the window's pages are 200 rows);
/// a larger one (a bulk action's selection) is a query of its own.
const PAGINA_DA_RICERCA: usize = 5_000;

/// Rows after which a bulk insert drops the secondary indexes (if the table is no bigger).
pub(crate) const BULK_LOAD_ROWS: usize = 50_000;

fn secondary_indexes(conn: &rusqlite::Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'dovuto' AND sql IS NOT NULL ORDER BY name",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Drops the secondary indexes and records them in `indice_differito`, in the load's
/// transaction: the upkeep ([`Store::passo_manutenzione`]) builds them again after the load.
fn defer_secondary_indexes(conn: &rusqlite::Connection) -> Result<()> {
    // A UNIQUE index is a rule, not a speed-up: it stays (one debt per option of a position).
    defer_indexes(conn, |name| name != INDICE_RATA)
}

/// The index that keeps one debt per option of a position.
const INDICE_RATA: &str = "dovuto_posizione_rata";

/// As [`defer_secondary_indexes`], for the indexes whose name `which` accepts.
pub(crate) fn defer_indexes(
    conn: &rusqlite::Connection,
    which: impl Fn(&str) -> bool,
) -> Result<()> {
    for (name, sql) in secondary_indexes(conn)? {
        if !which(&name) {
            continue;
        }
        conn.execute_batch(&format!("DROP INDEX \"{name}\""))?;
        conn.execute(
            "INSERT OR REPLACE INTO indice_differito (nome, sql) VALUES (?1, ?2)",
            params![name, sql],
        )?;
    }
    Ok(())
}

fn refuse_if_locked(old: &DovutoRecord, verb: &str) -> Result<()> {
    let iud = &old.iud;
    if let Some(at) = &old.pagamento_iniziato_at {
        let day = at.get(..10).unwrap_or(at);
        return Err(StoreError::NotAllowed(format!(
            "il dovuto IUD «{iud}» non può essere {verb}: il pagamento è iniziato ({day}) e MyPay accetta modifiche \
             e annullamenti solo per dovuti ancora da pagare"
        )));
    }
    let why = match old.stato {
        DovutoStato::Sent => {
            "è in un flusso in attesa di esito: attenda l'esito di MyPay, poi riprovi"
        }
        DovutoStato::Paid => {
            "risulta già pagato: MyPay accetta modifiche e annullamenti solo per dovuti ancora da pagare"
        }
        DovutoStato::Cancelled => "è già annullato",
        _ => return Ok(()),
    };
    Err(StoreError::NotAllowed(format!(
        "il dovuto IUD «{iud}» non può essere {verb}: {why}"
    )))
}

fn unreachable_state<T>(iud: &str, s: DovutoStato) -> Result<T> {
    Err(StoreError::NotAllowed(format!(
        "il dovuto IUD «{iud}» è nello stato «{}»: operazione non ammessa",
        s.label_it()
    )))
}
