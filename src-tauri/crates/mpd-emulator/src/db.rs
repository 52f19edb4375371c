//! The emulator's private SQLite state (`<data>/emulator.sqlite`): every query lives here.
//!
//! This is not the app's store (mpd-store): the emulator is a separate fake server, and its
//! tables mirror MyPay's own (`mygov_import_dovuti`, `mygov_flusso`, `mygov_dovuto`,
//! `mygov_identificativo_univoco`, carts, receipts, `mygov_export_dovuti`) only as far as the
//! Ente interface needs. Times are naive local datetimes `yyyy-MM-ddTHH:mm:ss` (MyPay stores
//! `timestamp(0)` without zone), so text order is time order.
//!
//! Tables are created with `IF NOT EXISTS`: the schema is small and private, a restart keeps the
//! state, and a schema change can start from an empty data folder.

use std::path::Path;

use chrono::NaiveDateTime;
use mpd_domain::RawRow;
use rusqlite::{OptionalExtension, params};

/// The emulator's database connection: the other modules name it through here and pass it
/// back to this module's functions, which hold every SQL statement of the emulator.
pub use rusqlite::Connection;

use crate::error::EmulatorError;

const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ente (
    id INTEGER PRIMARY KEY,
    cod_ipa TEXT NOT NULL UNIQUE,
    iuv_counter INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS import_req (
    request_token TEXT PRIMARY KEY,
    ente_id INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    stato TEXT NOT NULL,
    cod_errore TEXT,
    flusso_id INTEGER,
    created TEXT NOT NULL,
    not_before TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS flusso (
    id INTEGER PRIMARY KEY,
    ente_id INTEGER NOT NULL,
    iuf TEXT NOT NULL,
    nome_file TEXT NOT NULL,
    stato TEXT NOT NULL,
    percorso TEXT,
    righe_totali INTEGER NOT NULL DEFAULT 0,
    righe_ok INTEGER NOT NULL DEFAULT 0,
    pdf INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS flusso_nome ON flusso(nome_file);
CREATE TABLE IF NOT EXISTS iud (ente_id INTEGER NOT NULL, iud TEXT NOT NULL, PRIMARY KEY (ente_id, iud)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS iuv (ente_id INTEGER NOT NULL, iuv TEXT NOT NULL, PRIMARY KEY (ente_id, iuv)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dovuto (
    id INTEGER PRIMARY KEY,
    ente_id INTEGER NOT NULL,
    iuf TEXT NOT NULL,
    num_riga INTEGER NOT NULL,
    iud TEXT NOT NULL,
    iuv TEXT,
    stato TEXT NOT NULL,
    attuale INTEGER NOT NULL,
    cf TEXT NOT NULL,
    riga TEXT NOT NULL,
    id_session TEXT,
    modified TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS dovuto_iud ON dovuto(ente_id, iud);
CREATE INDEX IF NOT EXISTS dovuto_iuv ON dovuto(ente_id, iuv);
CREATE INDEX IF NOT EXISTS dovuto_cf ON dovuto(cf);
CREATE INDEX IF NOT EXISTS dovuto_session ON dovuto(id_session);
CREATE INDEX IF NOT EXISTS dovuto_iuf ON dovuto(ente_id, iuf);
CREATE TABLE IF NOT EXISTS dovuto_flusso_annullato (dovuto_id INTEGER PRIMARY KEY);
CREATE TABLE IF NOT EXISTS carrello (
    id_session_carrello TEXT PRIMARY KEY,
    ente_id INTEGER NOT NULL,
    sessioni TEXT NOT NULL,
    back_url TEXT,
    landing_id TEXT NOT NULL UNIQUE,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS export_scaduti (
    id INTEGER PRIMARY KEY,
    request_token TEXT NOT NULL UNIQUE,
    ente_id INTEGER NOT NULL,
    stato TEXT NOT NULL,
    data_scadenza TEXT NOT NULL,
    tipi TEXT NOT NULL,
    file_name TEXT,
    created TEXT NOT NULL,
    not_before TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessione (
    id_session TEXT PRIMARY KEY,
    ente_id INTEGER NOT NULL,
    stato TEXT NOT NULL,
    dovuti TEXT NOT NULL,
    back_url TEXT,
    landing_id TEXT NOT NULL UNIQUE,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pagamento (
    id INTEGER PRIMARY KEY,
    ente_id INTEGER NOT NULL,
    dovuto_id INTEGER NOT NULL,
    id_session TEXT,
    iuv TEXT NOT NULL,
    iur TEXT NOT NULL,
    ccp TEXT NOT NULL,
    importo TEXT NOT NULL,
    data_esito TEXT NOT NULL,
    data_ora TEXT NOT NULL,
    esito TEXT NOT NULL,
    psp_tipo TEXT NOT NULL,
    psp_id TEXT NOT NULL,
    psp_nome TEXT NOT NULL,
    id_msg TEXT NOT NULL,
    rt TEXT NOT NULL,
    tipo_firma TEXT NOT NULL,
    modified TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS pagamento_data ON pagamento(ente_id, data_esito);
CREATE INDEX IF NOT EXISTS pagamento_mod ON pagamento(ente_id, modified);
CREATE INDEX IF NOT EXISTS pagamento_dovuto ON pagamento(dovuto_id);
CREATE TABLE IF NOT EXISTS flusso_spc (
    id INTEGER PRIMARY KEY,
    ente_id INTEGER NOT NULL,
    tipo TEXT NOT NULL,
    psp TEXT NOT NULL,
    psp_nome TEXT NOT NULL,
    iuf TEXT NOT NULL,
    data_ora_flusso TEXT NOT NULL,
    data_regolamento TEXT NOT NULL,
    file_rel TEXT NOT NULL,
    dimensione INTEGER NOT NULL,
    stato TEXT NOT NULL,
    dt_creazione TEXT NOT NULL,
    pubblicato INTEGER NOT NULL,
    importo_cents INTEGER NOT NULL,
    pagamenti INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS flusso_spc_creazione ON flusso_spc(ente_id, tipo, dt_creazione);
CREATE INDEX IF NOT EXISTS flusso_spc_iuf ON flusso_spc(psp, iuf);
CREATE TABLE IF NOT EXISTS pagamento_rendicontato (
    pagamento_id INTEGER PRIMARY KEY,
    flusso_spc_id INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS fdr_anomalia (
    ente_id INTEGER NOT NULL,
    tipo TEXT NOT NULL,
    iuf TEXT NOT NULL,
    iuv TEXT NOT NULL,
    dettaglio TEXT NOT NULL,
    PRIMARY KEY (ente_id, tipo)
);
CREATE TABLE IF NOT EXISTS export_req (
    id INTEGER PRIMARY KEY,
    request_token TEXT NOT NULL UNIQUE,
    ente_id INTEGER NOT NULL,
    stato TEXT NOT NULL,
    date_from TEXT NOT NULL,
    date_to TEXT NOT NULL,
    incrementale INTEGER NOT NULL,
    ricevuta INTEGER NOT NULL,
    versione TEXT NOT NULL,
    tipo_dovuto TEXT,
    file_name TEXT,
    created TEXT NOT NULL,
    not_before TEXT NOT NULL
);
"#;

/// Time format of every datetime column.
pub const TS: &str = "%Y-%m-%dT%H:%M:%S";

pub fn ts(t: NaiveDateTime) -> String {
    t.format(TS).to_string()
}

fn sql(e: rusqlite::Error) -> EmulatorError {
    EmulatorError::Db(e.to_string())
}

type Result<T> = std::result::Result<T, EmulatorError>;

/// Opens (and creates) the database.
pub fn open(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path).map_err(sql)?;
    conn.execute_batch(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;",
    )
    .map_err(sql)?;
    conn.execute_batch(SCHEMA).map_err(sql)?;
    Ok(conn)
}

/// A value of the `meta` table, created by `init` the first time.
pub fn meta_or_init(conn: &Connection, key: &str, init: impl FnOnce() -> String) -> Result<String> {
    if let Some(v) = conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()
        .map_err(sql)?
    {
        return Ok(v);
    }
    let v = init();
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)",
        params![key, v],
    )
    .map_err(sql)?;
    Ok(v)
}

/// The Ente's `mygovEnteId`, created on first sight (stable across restarts).
pub fn ente_id(conn: &Connection, cod_ipa: &str) -> Result<i64> {
    conn.execute(
        "INSERT INTO ente (cod_ipa) VALUES (?1) ON CONFLICT(cod_ipa) DO NOTHING",
        [cod_ipa],
    )
    .map_err(sql)?;
    conn.query_row("SELECT id FROM ente WHERE cod_ipa = ?1", [cod_ipa], |r| {
        r.get(0)
    })
    .map_err(sql)
}

/// Next value of the Ente's IUV17 counter (`00` + 11 digits, per Ente, never reused).
pub fn next_iuv_counter(conn: &Connection, ente_id: i64) -> Result<u64> {
    conn.query_row(
        "UPDATE ente SET iuv_counter = iuv_counter + 1 WHERE id = ?1 RETURNING iuv_counter",
        [ente_id],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n as u64)
    .map_err(sql)
}

// ---------------------------------------------------------------------------------------------
// Import requests and flussi

#[derive(Clone, Debug)]
pub struct ImportReq {
    pub request_token: String,
    pub ente_id: i64,
    pub file_name: String,
    pub stato: String,
    pub cod_errore: Option<String>,
    pub flusso_id: Option<i64>,
}

fn import_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ImportReq> {
    Ok(ImportReq {
        request_token: r.get(0)?,
        ente_id: r.get(1)?,
        file_name: r.get(2)?,
        stato: r.get(3)?,
        cod_errore: r.get(4)?,
        flusso_id: r.get(5)?,
    })
}

const IMPORT_COLS: &str = "request_token, ente_id, file_name, stato, cod_errore, flusso_id";

pub fn import_exists(conn: &Connection, token: &str) -> Result<bool> {
    conn.query_row(
        "SELECT 1 FROM import_req WHERE request_token = ?1",
        [token],
        |_| Ok(()),
    )
    .optional()
    .map(|o| o.is_some())
    .map_err(sql)
}

pub fn insert_import(
    conn: &Connection,
    token: &str,
    ente_id: i64,
    file_name: &str,
    now: NaiveDateTime,
    not_before: NaiveDateTime,
) -> Result<()> {
    conn.execute(
        "INSERT INTO import_req (request_token, ente_id, file_name, stato, created, not_before) \
         VALUES (?1, ?2, ?3, 'LOAD_IMPORT', ?4, ?5)",
        params![token, ente_id, file_name, ts(now), ts(not_before)],
    )
    .map_err(sql)?;
    Ok(())
}

pub fn import_by_token(conn: &Connection, token: &str) -> Result<Option<ImportReq>> {
    conn.query_row(
        &format!("SELECT {IMPORT_COLS} FROM import_req WHERE request_token = ?1"),
        [token],
        import_row,
    )
    .optional()
    .map_err(sql)
}

/// Imports waiting for the batch (MyPay takes at most `limit` per run).
pub fn pending_imports(
    conn: &Connection,
    now: NaiveDateTime,
    limit: usize,
) -> Result<Vec<ImportReq>> {
    let mut st = conn
        .prepare(&format!(
            "SELECT {IMPORT_COLS} FROM import_req WHERE stato = 'LOAD_IMPORT' AND not_before <= ?1 \
             ORDER BY created, rowid LIMIT ?2"
        ))
        .map_err(sql)?;
    st.query_map(params![ts(now), limit as i64], import_row)
        .map_err(sql)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(sql)
}

pub fn set_import_state(
    conn: &Connection,
    token: &str,
    stato: &str,
    cod_errore: Option<&str>,
    flusso_id: Option<i64>,
) -> Result<()> {
    conn.execute(
        "UPDATE import_req SET stato = ?2, cod_errore = ?3, flusso_id = COALESCE(?4, flusso_id) \
         WHERE request_token = ?1",
        params![token, stato, cod_errore, flusso_id],
    )
    .map_err(sql)?;
    Ok(())
}

/// Whether any flusso (of any Ente) has this file name (MyPay's upload check 4).
pub fn flusso_name_exists(conn: &Connection, nome_file: &str) -> Result<bool> {
    conn.query_row(
        "SELECT 1 FROM flusso WHERE nome_file = ?1 LIMIT 1",
        [nome_file],
        |_| Ok(()),
    )
    .optional()
    .map(|o| o.is_some())
    .map_err(sql)
}

/// PU's rule on a reused file name: blocked while an upload of that name exists that did not
/// end in ERROR (aborted) or WARNING (processed with rows refused).
pub fn nome_pu_bloccato(conn: &Connection, file_name: &str) -> Result<bool> {
    conn.query_row(
        "SELECT 1 FROM import_req i LEFT JOIN flusso f ON f.id = i.flusso_id
         WHERE i.file_name = ?1 AND i.stato <> 'IMPORT_ABORTITO'
           AND NOT (i.stato = 'IMPORT_ESEGUITO' AND f.righe_totali > f.righe_ok) LIMIT 1",
        [file_name],
        |_| Ok(()),
    )
    .optional()
    .map(|o| o.is_some())
    .map_err(sql)
}

/// Whether the Ente has a loaded flusso with this IUF.
pub fn iuf_loaded(conn: &Connection, ente_id: i64, iuf: &str) -> Result<bool> {
    conn.query_row(
        "SELECT 1 FROM flusso WHERE ente_id = ?1 AND iuf = ?2 AND stato = 'CARICATO' LIMIT 1",
        params![ente_id, iuf],
        |_| Ok(()),
    )
    .optional()
    .map(|o| o.is_some())
    .map_err(sql)
}

pub fn insert_flusso(
    conn: &Connection,
    ente_id: i64,
    iuf: &str,
    nome_file: &str,
    now: NaiveDateTime,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO flusso (ente_id, iuf, nome_file, stato, created) VALUES (?1, ?2, ?3, 'LOAD_FLOW', ?4)",
        params![ente_id, iuf, nome_file, ts(now)],
    )
    .map_err(sql)?;
    Ok(conn.last_insert_rowid())
}

#[derive(Clone, Debug)]
pub struct FlussoRec {
    pub id: i64,
    pub nome_file: String,
    pub stato: String,
    pub percorso: Option<String>,
    pub righe_totali: i64,
    pub righe_ok: i64,
    pub pdf: i64,
}

pub fn update_flusso(conn: &Connection, f: &FlussoRec) -> Result<()> {
    conn.execute(
        "UPDATE flusso SET stato = ?2, percorso = ?3, righe_totali = ?4, righe_ok = ?5, pdf = ?6 WHERE id = ?1",
        params![f.id, f.stato, f.percorso, f.righe_totali, f.righe_ok, f.pdf],
    )
    .map_err(sql)?;
    Ok(())
}

pub fn flusso(conn: &Connection, id: i64) -> Result<Option<FlussoRec>> {
    conn.query_row(
        "SELECT id, nome_file, stato, percorso, righe_totali, righe_ok, pdf FROM flusso WHERE id = ?1",
        [id],
        |r| {
            Ok(FlussoRec {
                id: r.get(0)?,
                nome_file: r.get(1)?,
                stato: r.get(2)?,
                percorso: r.get(3)?,
                righe_totali: r.get(4)?,
                righe_ok: r.get(5)?,
                pdf: r.get(6)?,
            })
        },
    )
    .optional()
    .map_err(sql)
}

// ---------------------------------------------------------------------------------------------
// IUD / IUV registry (mygov_identificativo_univoco)

pub fn iud_registered(conn: &Connection, ente_id: i64, iud: &str) -> Result<bool> {
    conn.prepare_cached("SELECT 1 FROM iud WHERE ente_id = ?1 AND iud = ?2")
        .and_then(|mut st| st.exists(params![ente_id, iud]))
        .map_err(sql)
}

pub fn register_iud(conn: &Connection, ente_id: i64, iud: &str) -> Result<()> {
    conn.prepare_cached("INSERT OR IGNORE INTO iud (ente_id, iud) VALUES (?1, ?2)")
        .and_then(|mut st| st.execute(params![ente_id, iud]))
        .map_err(sql)?;
    Ok(())
}

pub fn iuv_registered(conn: &Connection, ente_id: i64, iuv: &str) -> Result<bool> {
    conn.prepare_cached("SELECT 1 FROM iuv WHERE ente_id = ?1 AND iuv = ?2")
        .and_then(|mut st| st.exists(params![ente_id, iuv]))
        .map_err(sql)
}

pub fn register_iuv(conn: &Connection, ente_id: i64, iuv: &str) -> Result<()> {
    conn.prepare_cached("INSERT OR IGNORE INTO iuv (ente_id, iuv) VALUES (?1, ?2)")
        .and_then(|mut st| st.execute(params![ente_id, iuv]))
        .map_err(sql)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Debts

/// Debt states used by the emulator (MyPay's `tipo = dovuto` codes).
pub mod stato {
    pub const DA_PAGARE: &str = "INSERIMENTO_DOVUTO";
    pub const PAGAMENTO_INIZIATO: &str = "PAGAMENTO_INIZIATO";
    pub const COMPLETATO: &str = "COMPLETATO";
    pub const ANNULLATO: &str = "ANNULLATO";
}

#[derive(Clone, Debug)]
pub struct DovutoRec {
    pub id: i64,
    pub ente_id: i64,
    pub iuf: String,
    pub num_riga: i64,
    pub iud: String,
    pub iuv: Option<String>,
    pub stato: String,
    pub riga: RawRow,
    pub id_session: Option<String>,
    /// Last modification (`yyyy-MM-ddTHH:mm:ss`).
    pub modified: String,
}

const DOVUTO_COLS: &str = "id, ente_id, iuf, num_riga, iud, iuv, stato, riga, id_session, modified";

fn dovuto_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DovutoRec> {
    let riga: String = r.get(7)?;
    Ok(DovutoRec {
        id: r.get(0)?,
        ente_id: r.get(1)?,
        iuf: r.get(2)?,
        num_riga: r.get(3)?,
        iud: r.get(4)?,
        iuv: r.get(5)?,
        stato: r.get(6)?,
        riga: serde_json::from_str(&riga).unwrap_or_default(),
        id_session: r.get(8)?,
        modified: r.get(9)?,
    })
}

pub struct NewDovuto<'a> {
    pub ente_id: i64,
    pub iuf: &'a str,
    pub num_riga: i64,
    pub iuv: Option<&'a str>,
    pub riga: &'a RawRow,
    pub now: NaiveDateTime,
}

pub fn insert_dovuto(conn: &Connection, d: &NewDovuto<'_>) -> Result<i64> {
    let riga = serde_json::to_string(d.riga).map_err(|e| EmulatorError::Db(e.to_string()))?;
    let iud = d.riga.get(mpd_domain::Column::Iud);
    let cf = d
        .riga
        .get(mpd_domain::Column::CodiceIdentificativoUnivoco)
        .to_uppercase();
    conn.prepare_cached(
        "INSERT INTO dovuto (ente_id, iuf, num_riga, iud, iuv, stato, attuale, cf, riga, modified) \
         VALUES (?1, ?2, ?3, ?4, ?5, 'INSERIMENTO_DOVUTO', 1, ?6, ?7, ?8)",
    )
    .and_then(|mut st| {
        st.execute(params![
            d.ente_id,
            d.iuf,
            d.num_riga,
            iud,
            d.iuv.filter(|s| !s.is_empty()),
            cf,
            riga,
            ts(d.now)
        ])
    })
    .map_err(sql)?;
    Ok(conn.last_insert_rowid())
}

/// The current record of a debt by IUD (any state), most recent first.
pub fn current_by_iud(conn: &Connection, ente_id: i64, iud: &str) -> Result<Option<DovutoRec>> {
    conn.prepare_cached(&format!(
        "SELECT {DOVUTO_COLS} FROM dovuto WHERE ente_id = ?1 AND iud = ?2 AND attuale = 1 \
         ORDER BY id DESC LIMIT 1"
    ))
    .and_then(|mut st| st.query_row(params![ente_id, iud], dovuto_row).optional())
    .map_err(sql)
}

/// Current records with this IUV.
pub fn current_by_iuv(conn: &Connection, ente_id: i64, iuv: &str) -> Result<Vec<DovutoRec>> {
    let mut st = conn
        .prepare_cached(&format!(
            "SELECT {DOVUTO_COLS} FROM dovuto WHERE ente_id = ?1 AND iuv = ?2 AND attuale = 1 ORDER BY id"
        ))
        .map_err(sql)?;
    st.query_map(params![ente_id, iuv], dovuto_row)
        .map_err(sql)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(sql)
}

pub fn dovuto(conn: &Connection, id: i64) -> Result<Option<DovutoRec>> {
    conn.query_row(
        &format!("SELECT {DOVUTO_COLS} FROM dovuto WHERE id = ?1"),
        [id],
        dovuto_row,
    )
    .optional()
    .map_err(sql)
}

/// The current debt carrying this idSession (set by `paaSILChiediPosizioniAperte`).
pub fn dovuto_by_session(conn: &Connection, id_session: &str) -> Result<Option<DovutoRec>> {
    conn.query_row(
        &format!(
            "SELECT {DOVUTO_COLS} FROM dovuto WHERE id_session = ?1 AND attuale = 1 ORDER BY id DESC LIMIT 1"
        ),
        [id_session],
        dovuto_row,
    )
    .optional()
    .map_err(sql)
}

/// Open debts ("da pagare") of a payer, in any Ente or in one.
pub fn open_by_cf(conn: &Connection, cf: &str, ente_id: Option<i64>) -> Result<Vec<DovutoRec>> {
    let mut st = conn
        .prepare(&format!(
            "SELECT {DOVUTO_COLS} FROM dovuto WHERE cf = ?1 AND attuale = 1 \
             AND stato = 'INSERIMENTO_DOVUTO' AND (?2 IS NULL OR ente_id = ?2) ORDER BY id"
        ))
        .map_err(sql)?;
    st.query_map(params![cf.to_uppercase(), ente_id], dovuto_row)
        .map_err(sql)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(sql)
}

/// Open debts of an Ente, in insertion order.
pub fn open_of_ente(conn: &Connection, ente_id: i64) -> Result<Vec<DovutoRec>> {
    let mut st = conn
        .prepare(&format!(
            "SELECT {DOVUTO_COLS} FROM dovuto WHERE ente_id = ?1 AND attuale = 1 \
             AND stato = 'INSERIMENTO_DOVUTO' ORDER BY id"
        ))
        .map_err(sql)?;
    st.query_map([ente_id], dovuto_row)
        .map_err(sql)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(sql)
}

/// Moves a current record to history (M: replaced; A: cancelled, `stato` = `ANNULLATO`).
pub fn to_history(
    conn: &Connection,
    id: i64,
    stato: Option<&str>,
    now: NaiveDateTime,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE dovuto SET attuale = 0, stato = COALESCE(?2, stato), modified = ?3 WHERE id = ?1",
    )
    .and_then(|mut st| st.execute(params![id, stato, ts(now)]))
    .map_err(sql)?;
    Ok(())
}

pub fn set_dovuto_state(
    conn: &Connection,
    id: i64,
    stato: &str,
    iuv: Option<&str>,
    id_session: Option<&str>,
    now: NaiveDateTime,
) -> Result<()> {
    conn.execute(
        "UPDATE dovuto SET stato = ?2, iuv = COALESCE(?3, iuv), id_session = COALESCE(?4, id_session), \
         modified = ?5 WHERE id = ?1",
        params![id, stato, iuv, id_session, ts(now)],
    )
    .map_err(sql)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Payment sessions (carts)

#[derive(Clone, Debug)]
pub struct Sessione {
    pub id_session: String,
    pub ente_id: i64,
    pub stato: String,
    pub dovuti: Vec<i64>,
    pub back_url: Option<String>,
    pub landing_id: String,
}

fn sessione_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Sessione> {
    let dovuti: String = r.get(3)?;
    Ok(Sessione {
        id_session: r.get(0)?,
        ente_id: r.get(1)?,
        stato: r.get(2)?,
        dovuti: serde_json::from_str(&dovuti).unwrap_or_default(),
        back_url: r.get(4)?,
        landing_id: r.get(5)?,
    })
}

const SESSIONE_COLS: &str = "id_session, ente_id, stato, dovuti, back_url, landing_id";

pub fn insert_sessione(conn: &Connection, s: &Sessione, now: NaiveDateTime) -> Result<()> {
    conn.execute(
        "INSERT INTO sessione (id_session, ente_id, stato, dovuti, back_url, landing_id, created) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            s.id_session,
            s.ente_id,
            s.stato,
            serde_json::to_string(&s.dovuti).unwrap_or_default(),
            s.back_url,
            s.landing_id,
            ts(now)
        ],
    )
    .map_err(sql)?;
    Ok(())
}

pub fn sessione(conn: &Connection, id_session: &str) -> Result<Option<Sessione>> {
    conn.query_row(
        &format!("SELECT {SESSIONE_COLS} FROM sessione WHERE id_session = ?1"),
        [id_session],
        sessione_row,
    )
    .optional()
    .map_err(sql)
}

pub fn sessione_by_landing(conn: &Connection, landing_id: &str) -> Result<Option<Sessione>> {
    conn.query_row(
        &format!("SELECT {SESSIONE_COLS} FROM sessione WHERE landing_id = ?1"),
        [landing_id],
        sessione_row,
    )
    .optional()
    .map_err(sql)
}

pub fn set_sessione_state(conn: &Connection, id_session: &str, stato: &str) -> Result<()> {
    conn.execute(
        "UPDATE sessione SET stato = ?2 WHERE id_session = ?1",
        params![id_session, stato],
    )
    .map_err(sql)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Payments (receipts)

#[derive(Clone, Debug)]
pub struct Pagamento {
    pub id: i64,
    pub ente_id: i64,
    pub dovuto_id: i64,
    pub id_session: Option<String>,
    pub iuv: String,
    pub iur: String,
    pub ccp: String,
    pub importo: String,
    pub data_esito: String,
    pub data_ora: String,
    pub esito: String,
    pub psp_tipo: String,
    pub psp_id: String,
    pub psp_nome: String,
    pub id_msg: String,
    pub rt: String,
    pub tipo_firma: String,
    pub modified: String,
}

const PAGAMENTO_COLS: &str = "id, ente_id, dovuto_id, id_session, iuv, iur, ccp, importo, data_esito, \
     data_ora, esito, psp_tipo, psp_id, psp_nome, id_msg, rt, tipo_firma, modified";

fn pagamento_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Pagamento> {
    Ok(Pagamento {
        id: r.get(0)?,
        ente_id: r.get(1)?,
        dovuto_id: r.get(2)?,
        id_session: r.get(3)?,
        iuv: r.get(4)?,
        iur: r.get(5)?,
        ccp: r.get(6)?,
        importo: r.get(7)?,
        data_esito: r.get(8)?,
        data_ora: r.get(9)?,
        esito: r.get(10)?,
        psp_tipo: r.get(11)?,
        psp_id: r.get(12)?,
        psp_nome: r.get(13)?,
        id_msg: r.get(14)?,
        rt: r.get(15)?,
        tipo_firma: r.get(16)?,
        modified: r.get(17)?,
    })
}

pub fn insert_pagamento(conn: &Connection, p: &Pagamento) -> Result<i64> {
    conn.prepare_cached(&format!(
        "INSERT INTO pagamento ({}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
        PAGAMENTO_COLS.trim_start_matches("id, ")
    ))
    .and_then(|mut st| {
        st.execute(params![
            p.ente_id,
            p.dovuto_id,
            p.id_session,
            p.iuv,
            p.iur,
            p.ccp,
            p.importo,
            p.data_esito,
            p.data_ora,
            p.esito,
            p.psp_tipo,
            p.psp_id,
            p.psp_nome,
            p.id_msg,
            p.rt,
            p.tipo_firma,
            p.modified
        ])
    })
    .map_err(sql)?;
    Ok(conn.last_insert_rowid())
}

/// Replaces the attesting institution, IUR, amount and context code of a payment (registered
/// by the Ente with `paaSILRegistraPagamento`).
pub fn update_pagamento_ente_data(conn: &Connection, p: &Pagamento) -> Result<()> {
    conn.execute(
        "UPDATE pagamento SET iur = ?2, psp_tipo = ?3, psp_id = ?4, psp_nome = ?5, importo = ?6, ccp = ?7 WHERE id = ?1",
        params![p.id, p.iur, p.psp_tipo, p.psp_id, p.psp_nome, p.importo, p.ccp],
    )
    .map_err(sql)?;
    Ok(())
}

pub fn pagamenti_of_dovuto(conn: &Connection, dovuto_id: i64) -> Result<Vec<Pagamento>> {
    let mut st = conn
        .prepare_cached(&format!(
            "SELECT {PAGAMENTO_COLS} FROM pagamento WHERE dovuto_id = ?1 ORDER BY id"
        ))
        .map_err(sql)?;
    st.query_map([dovuto_id], pagamento_row)
        .map_err(sql)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(sql)
}

/// What an export selects (spec §5.2).
pub enum ExportSelection<'a> {
    /// Payment outcome date between two days, both inclusive (`yyyy-MM-dd`).
    PaymentDays { from: &'a str, to: &'a str },
    /// Last modification in `[from, to)`.
    Modified { from: &'a str, to: &'a str },
}

/// Paid positions of an Ente for an export, with their debts, in payment order.
pub fn export_rows(
    conn: &Connection,
    ente_id: i64,
    selection: &ExportSelection<'_>,
    tipo_dovuto: Option<&str>,
    each: impl FnMut(Pagamento, DovutoRec) -> Result<()>,
) -> Result<()> {
    export_rows_where(
        conn,
        "p.ente_id = ?1 AND (?4 IS NULL OR json_extract(d.riga, '$.tipoDovuto') = ?4)",
        rusqlite::types::Value::Integer(ente_id),
        selection,
        tipo_dovuto,
        each,
    )
}

/// Paid multi-beneficiary positions (of any Ente) whose secondary beneficiary has this fiscal
/// code: the rows of the `EXPORT_ENTE_SECONDARIO` export of that Ente.
pub fn export_rows_secondary(
    conn: &Connection,
    codice_fiscale: &str,
    selection: &ExportSelection<'_>,
    each: impl FnMut(Pagamento, DovutoRec) -> Result<()>,
) -> Result<()> {
    export_rows_where(
        conn,
        "upper(json_extract(d.riga, '$.codiceFiscaleEnteSecondario')) = upper(?1) \
         AND lower(json_extract(d.riga, '$.flagMultiBeneficiario')) = 'true' AND ?4 IS NULL",
        rusqlite::types::Value::Text(codice_fiscale.to_string()),
        selection,
        None,
        each,
    )
}

fn export_rows_where(
    conn: &Connection,
    who: &str,
    who_value: rusqlite::types::Value,
    selection: &ExportSelection<'_>,
    tipo_dovuto: Option<&str>,
    mut each: impl FnMut(Pagamento, DovutoRec) -> Result<()>,
) -> Result<()> {
    let (column, op_to, from, to) = match selection {
        ExportSelection::PaymentDays { from, to } => ("p.data_esito", "<=", *from, *to),
        ExportSelection::Modified { from, to } => ("p.modified", "<", *from, *to),
    };
    let cols_p = PAGAMENTO_COLS
        .split(", ")
        .map(|c| format!("p.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    let cols_d = DOVUTO_COLS
        .split(", ")
        .map(|c| format!("d.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    let mut st = conn
        .prepare(&format!(
            "SELECT {cols_p}, {cols_d} FROM pagamento p JOIN dovuto d ON d.id = p.dovuto_id \
             WHERE {who} AND {column} >= ?2 AND {column} {op_to} ?3 \
             AND CAST(p.importo AS REAL) > 0 \
             AND d.id NOT IN (SELECT dovuto_id FROM dovuto_flusso_annullato) \
             ORDER BY p.id"
        ))
        .map_err(sql)?;
    let mut rows = st
        .query(params![who_value, from, to, tipo_dovuto])
        .map_err(sql)?;
    while let Some(r) = rows.next().map_err(sql)? {
        let p = pagamento_row(r).map_err(sql)?;
        let riga: String = r.get(18 + 7).map_err(sql)?;
        let d = DovutoRec {
            id: r.get(18).map_err(sql)?,
            ente_id: r.get(19).map_err(sql)?,
            iuf: r.get(20).map_err(sql)?,
            num_riga: r.get(21).map_err(sql)?,
            iud: r.get(22).map_err(sql)?,
            iuv: r.get(23).map_err(sql)?,
            stato: r.get(24).map_err(sql)?,
            riga: serde_json::from_str(&riga).unwrap_or_default(),
            id_session: r.get(26).map_err(sql)?,
            modified: r.get(27).map_err(sql)?,
        };
        each(p, d)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Export requests

#[derive(Clone, Debug)]
pub struct ExportReq {
    pub id: i64,
    pub request_token: String,
    pub ente_id: i64,
    pub stato: String,
    pub date_from: String,
    pub date_to: String,
    pub incrementale: bool,
    pub ricevuta: bool,
    pub versione: String,
    pub tipo_dovuto: Option<String>,
    pub file_name: Option<String>,
}

const EXPORT_COLS: &str = "id, request_token, ente_id, stato, date_from, date_to, incrementale, \
     ricevuta, versione, tipo_dovuto, file_name";

fn export_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ExportReq> {
    Ok(ExportReq {
        id: r.get(0)?,
        request_token: r.get(1)?,
        ente_id: r.get(2)?,
        stato: r.get(3)?,
        date_from: r.get(4)?,
        date_to: r.get(5)?,
        incrementale: r.get(6)?,
        ricevuta: r.get(7)?,
        versione: r.get(8)?,
        tipo_dovuto: r.get(9)?,
        file_name: r.get(10)?,
    })
}

#[allow(clippy::too_many_arguments)]
pub fn insert_export(
    conn: &Connection,
    token: &str,
    ente_id: i64,
    date_from: &str,
    date_to: &str,
    incrementale: bool,
    ricevuta: bool,
    versione: &str,
    tipo_dovuto: Option<&str>,
    now: NaiveDateTime,
    not_before: NaiveDateTime,
) -> Result<()> {
    conn.execute(
        "INSERT INTO export_req (request_token, ente_id, stato, date_from, date_to, incrementale, \
         ricevuta, versione, tipo_dovuto, created, not_before) \
         VALUES (?1, ?2, 'LOAD_EXPORT', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            token,
            ente_id,
            date_from,
            date_to,
            incrementale,
            ricevuta,
            versione,
            tipo_dovuto,
            ts(now),
            ts(not_before)
        ],
    )
    .map_err(sql)?;
    Ok(())
}

pub fn export_by_token(conn: &Connection, token: &str) -> Result<Option<ExportReq>> {
    conn.query_row(
        &format!("SELECT {EXPORT_COLS} FROM export_req WHERE request_token = ?1"),
        [token],
        export_row,
    )
    .optional()
    .map_err(sql)
}

pub fn pending_exports(
    conn: &Connection,
    now: NaiveDateTime,
    limit: usize,
) -> Result<Vec<ExportReq>> {
    pending_requests(conn, "export_req", EXPORT_COLS, now, limit, export_row)
}

pub fn set_export_state(
    conn: &Connection,
    id: i64,
    stato: &str,
    file_name: Option<&str>,
) -> Result<()> {
    set_request_state(conn, "export_req", id, stato, file_name)
}

/// Export requests of `table` (`export_req`, `export_scaduti`) waiting for the batch whose
/// `not_before` has come, oldest first.
fn pending_requests<T>(
    conn: &Connection,
    table: &str,
    cols: &str,
    now: NaiveDateTime,
    limit: usize,
    row: fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    let mut st = conn
        .prepare(&format!(
            "SELECT {cols} FROM {table} WHERE stato = 'LOAD_EXPORT' AND not_before <= ?1 \
             ORDER BY id LIMIT ?2"
        ))
        .map_err(sql)?;
    st.query_map(params![ts(now), limit as i64], row)
        .map_err(sql)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(sql)
}

/// Moves an export request of `table` to `stato`, recording its file once there is one.
fn set_request_state(
    conn: &Connection,
    table: &str,
    id: i64,
    stato: &str,
    file_name: Option<&str>,
) -> Result<()> {
    conn.execute(
        &format!(
            "UPDATE {table} SET stato = ?2, file_name = COALESCE(?3, file_name) WHERE id = ?1"
        ),
        params![id, stato, file_name],
    )
    .map_err(sql)?;
    Ok(())
}

/// Runs `f` in one transaction.
///
/// `BEGIN IMMEDIATE`: the server and its batch use two connections in WAL mode, and a deferred
/// transaction that reads and then writes cannot wait for the other writer (SQLite answers
/// "database is locked" at once instead of calling the busy handler). Taking the write lock
/// up front lets `busy_timeout` do its job.
pub fn transaction<T>(
    conn: &mut Connection,
    f: impl FnOnce(&Connection) -> Result<T>,
) -> Result<T> {
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(sql)?;
    let out = f(&tx)?;
    tx.commit().map_err(sql)?;
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Multi-Ente carts (paaSILInviaCarrelloDovuti)

#[derive(Clone, Debug)]
pub struct Carrello {
    pub id_session_carrello: String,
    pub ente_id: i64,
    /// The idSession of each Ente's cart, in request order.
    pub sessioni: Vec<String>,
    pub back_url: Option<String>,
    pub landing_id: String,
}

fn carrello_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Carrello> {
    let sessioni: String = r.get(2)?;
    Ok(Carrello {
        id_session_carrello: r.get(0)?,
        ente_id: r.get(1)?,
        sessioni: serde_json::from_str(&sessioni).unwrap_or_default(),
        back_url: r.get(3)?,
        landing_id: r.get(4)?,
    })
}

const CARRELLO_COLS: &str = "id_session_carrello, ente_id, sessioni, back_url, landing_id";

pub fn insert_carrello(conn: &Connection, c: &Carrello, now: NaiveDateTime) -> Result<()> {
    conn.execute(
        "INSERT INTO carrello (id_session_carrello, ente_id, sessioni, back_url, landing_id, created) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            c.id_session_carrello,
            c.ente_id,
            serde_json::to_string(&c.sessioni).unwrap_or_default(),
            c.back_url,
            c.landing_id,
            ts(now)
        ],
    )
    .map_err(sql)?;
    Ok(())
}

pub fn carrello(conn: &Connection, id: &str) -> Result<Option<Carrello>> {
    conn.query_row(
        &format!("SELECT {CARRELLO_COLS} FROM carrello WHERE id_session_carrello = ?1"),
        [id],
        carrello_row,
    )
    .optional()
    .map_err(sql)
}

pub fn carrello_by_landing(conn: &Connection, landing_id: &str) -> Result<Option<Carrello>> {
    conn.query_row(
        &format!("SELECT {CARRELLO_COLS} FROM carrello WHERE landing_id = ?1"),
        [landing_id],
        carrello_row,
    )
    .optional()
    .map_err(sql)
}

// ---------------------------------------------------------------------------------------------
// Exports of expired debts (paaSILPrenotaExportFlussoScaduti)

#[derive(Clone, Debug)]
pub struct ScadutiReq {
    pub id: i64,
    pub request_token: String,
    pub ente_id: i64,
    pub stato: String,
    pub data_scadenza: String,
    pub tipi: Vec<String>,
    pub file_name: Option<String>,
}

const SCADUTI_COLS: &str = "id, request_token, ente_id, stato, data_scadenza, tipi, file_name";

fn scaduti_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ScadutiReq> {
    let tipi: String = r.get(5)?;
    Ok(ScadutiReq {
        id: r.get(0)?,
        request_token: r.get(1)?,
        ente_id: r.get(2)?,
        stato: r.get(3)?,
        data_scadenza: r.get(4)?,
        tipi: serde_json::from_str(&tipi).unwrap_or_default(),
        file_name: r.get(6)?,
    })
}

pub fn insert_scaduti(
    conn: &Connection,
    token: &str,
    ente_id: i64,
    data_scadenza: &str,
    tipi: &[String],
    now: NaiveDateTime,
    not_before: NaiveDateTime,
) -> Result<()> {
    conn.execute(
        "INSERT INTO export_scaduti (request_token, ente_id, stato, data_scadenza, tipi, created, not_before) \
         VALUES (?1, ?2, 'LOAD_EXPORT', ?3, ?4, ?5, ?6)",
        params![
            token,
            ente_id,
            data_scadenza,
            serde_json::to_string(tipi).unwrap_or_default(),
            ts(now),
            ts(not_before)
        ],
    )
    .map_err(sql)?;
    Ok(())
}

pub fn scaduti_by_token(conn: &Connection, token: &str) -> Result<Option<ScadutiReq>> {
    conn.query_row(
        &format!("SELECT {SCADUTI_COLS} FROM export_scaduti WHERE request_token = ?1"),
        [token],
        scaduti_row,
    )
    .optional()
    .map_err(sql)
}

pub fn pending_scaduti(
    conn: &Connection,
    now: NaiveDateTime,
    limit: usize,
) -> Result<Vec<ScadutiReq>> {
    pending_requests(
        conn,
        "export_scaduti",
        SCADUTI_COLS,
        now,
        limit,
        scaduti_row,
    )
}

pub fn set_scaduti_state(
    conn: &Connection,
    id: i64,
    stato: &str,
    file_name: Option<&str>,
) -> Result<()> {
    set_request_state(conn, "export_scaduti", id, stato, file_name)
}

/// Open debts of an Ente whose due date is before `data_scadenza` (`yyyy-MM-dd`), of the
/// given payment types, in insertion order.
pub fn expired_debts(
    conn: &Connection,
    ente_id: i64,
    data_scadenza: &str,
    tipi: &[String],
    mut each: impl FnMut(DovutoRec) -> Result<()>,
) -> Result<()> {
    let mut st = conn
        .prepare(&format!(
            "SELECT {DOVUTO_COLS} FROM dovuto WHERE ente_id = ?1 AND attuale = 1 \
             AND stato = 'INSERIMENTO_DOVUTO' \
             AND json_extract(riga, '$.dataScadenzaPagamento') <> '' \
             AND json_extract(riga, '$.dataScadenzaPagamento') < ?2 \
             AND json_extract(riga, '$.tipoDovuto') IN (SELECT value FROM json_each(?3)) ORDER BY id"
        ))
        .map_err(sql)?;
    let tipi = serde_json::to_string(tipi).unwrap_or_default();
    let mut rows = st
        .query(params![ente_id, data_scadenza, tipi])
        .map_err(sql)?;
    while let Some(r) = rows.next().map_err(sql)? {
        each(dovuto_row(r).map_err(sql)?)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Payment history of a person (paaSILChiediStoricoPagamenti)

/// Payments of a payer (fiscal code) made in `[from, to)` (payment date and time), in any
/// Ente or in one, oldest first.
pub fn payments_of_person(
    conn: &Connection,
    cf: &str,
    ente_id: Option<i64>,
    from: &str,
    to: &str,
) -> Result<Vec<(Pagamento, DovutoRec)>> {
    let cols_p = PAGAMENTO_COLS
        .split(", ")
        .map(|c| format!("p.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    let mut st = conn
        .prepare(&format!(
            "SELECT {cols_p}, d.id FROM pagamento p JOIN dovuto d ON d.id = p.dovuto_id \
             WHERE d.cf = ?1 AND (?2 IS NULL OR p.ente_id = ?2) AND p.data_ora >= ?3 AND p.data_ora < ?4 \
             ORDER BY p.data_ora, p.id"
        ))
        .map_err(sql)?;
    let pairs = st
        .query_map(params![cf.to_uppercase(), ente_id, from, to], |r| {
            Ok((pagamento_row(r)?, r.get::<_, i64>(18)?))
        })
        .map_err(sql)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(sql)?;
    let mut out = Vec::new();
    for (p, did) in pairs {
        if let Some(d) = dovuto(conn, did)? {
            out.push((p, d));
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Annulment of a flow

/// Cancels a loaded flow: the flusso becomes `ANNULLATO` and its debts still "da pagare" move
/// to history as `ANNULLATO`. Returns the number of debts cancelled, or `None` when the Ente
/// has no loaded flow with that IUF.
pub fn annulla_flusso(
    conn: &Connection,
    ente_id: i64,
    iuf: &str,
    now: NaiveDateTime,
) -> Result<Option<usize>> {
    let updated = conn
        .execute(
            "UPDATE flusso SET stato = 'ANNULLATO' WHERE ente_id = ?1 AND iuf = ?2 AND stato = 'CARICATO'",
            params![ente_id, iuf],
        )
        .map_err(sql)?;
    if updated == 0 {
        return Ok(None);
    }
    // Every debt of the flow leaves the exports (they select debts of loaded flows only), also
    // after the IUF is loaded again by another file.
    conn.execute(
        "INSERT OR IGNORE INTO dovuto_flusso_annullato (dovuto_id) \
         SELECT id FROM dovuto WHERE ente_id = ?1 AND iuf = ?2",
        params![ente_id, iuf],
    )
    .map_err(sql)?;
    let n = conn
        .execute(
            "UPDATE dovuto SET attuale = 0, stato = 'ANNULLATO', modified = ?3 \
             WHERE ente_id = ?1 AND iuf = ?2 AND attuale = 1 AND stato = 'INSERIMENTO_DOVUTO'",
            params![ente_id, iuf, ts(now)],
        )
        .map_err(sql)?;
    Ok(Some(n))
}

/// Whether the Ente has a flow with this IUF still being loaded (`LOAD_FLOW`) created after
/// `since` (MyPay: modified less than 24 h ago).
pub fn iuf_in_caricamento(
    conn: &Connection,
    ente_id: i64,
    iuf: &str,
    since: NaiveDateTime,
) -> Result<bool> {
    conn.query_row(
        "SELECT 1 FROM flusso WHERE ente_id = ?1 AND iuf = ?2 AND stato = 'LOAD_FLOW' AND created > ?3 LIMIT 1",
        params![ente_id, iuf, ts(since)],
        |_| Ok(()),
    )
    .optional()
    .map(|o| o.is_some())
    .map_err(sql)
}

pub fn set_flusso_state(conn: &Connection, id: i64, stato: &str) -> Result<()> {
    conn.execute(
        "UPDATE flusso SET stato = ?2 WHERE id = ?1",
        params![id, stato],
    )
    .map_err(sql)?;
    Ok(())
}

/// Keeps a processed import `IMPORT_IN_ELAB` until `until` (pagoPA sync), with its result.
pub fn hold_import(
    conn: &Connection,
    token: &str,
    cod_errore: &str,
    flusso_id: i64,
    until: NaiveDateTime,
) -> Result<()> {
    conn.execute(
        "UPDATE import_req SET cod_errore = ?2, flusso_id = ?3, not_before = ?4 WHERE request_token = ?1",
        params![token, cod_errore, flusso_id, ts(until)],
    )
    .map_err(sql)?;
    Ok(())
}

/// Held imports whose sync time is over: `(requestToken, flusso id)`.
pub fn synced_imports(conn: &Connection, now: NaiveDateTime) -> Result<Vec<(String, i64)>> {
    let mut st = conn
        .prepare(
            "SELECT request_token, flusso_id FROM import_req WHERE stato = 'IMPORT_IN_ELAB' \
             AND flusso_id IS NOT NULL AND not_before <= ?1",
        )
        .map_err(sql)?;
    st.query_map([ts(now)], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(sql)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(sql)
}

pub fn finish_held_import(conn: &Connection, token: &str) -> Result<()> {
    conn.execute(
        "UPDATE import_req SET stato = 'IMPORT_ESEGUITO' WHERE request_token = ?1",
        [token],
    )
    .map_err(sql)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// FdR (PagamentiTelematiciFlussiSPC, issue 16): MyPay's `mygov_flusso_rend_spc` and
// `mygov_flusso_quad_spc` in one table (`tipo` R or Q), the payments already reported, the
// anomalies planted.

/// A payment not yet in any FdR.
#[derive(Clone, Debug)]
pub struct DaRendicontare {
    pub id: i64,
    pub iuv: String,
    pub iur: String,
    pub importo: String,
    pub data_esito: String,
    pub psp_tipo: String,
    pub psp_id: String,
    pub psp_nome: String,
}

/// The Ente's executed payments not yet in any FdR, oldest first.
pub fn da_rendicontare(conn: &Connection, ente_id: i64) -> Result<Vec<DaRendicontare>> {
    let mut st = conn
        .prepare(
            "SELECT p.id, p.iuv, p.iur, p.importo, p.data_esito, p.psp_tipo, p.psp_id, p.psp_nome
             FROM pagamento p WHERE p.ente_id = ?1 AND p.esito = 'ESEGUITO'
               AND NOT EXISTS (SELECT 1 FROM pagamento_rendicontato r WHERE r.pagamento_id = p.id)
             ORDER BY p.id",
        )
        .map_err(sql)?;
    st.query_map([ente_id], |r| {
        Ok(DaRendicontare {
            id: r.get(0)?,
            iuv: r.get(1)?,
            iur: r.get(2)?,
            importo: r.get(3)?,
            data_esito: r.get(4)?,
            psp_tipo: r.get(5)?,
            psp_id: r.get(6)?,
            psp_nome: r.get(7)?,
        })
    })
    .map_err(sql)?
    .collect::<rusqlite::Result<Vec<_>>>()
    .map_err(sql)
}

/// One stored FdR (or quadratura) version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlussoSpc {
    pub id: i64,
    pub ente_id: i64,
    pub tipo: String,
    pub psp: String,
    pub psp_nome: String,
    pub iuf: String,
    pub data_ora_flusso: String,
    pub data_regolamento: String,
    pub file_rel: String,
    pub dimensione: i64,
    pub stato: String,
    pub dt_creazione: String,
    pub pubblicato: bool,
    pub importo_cents: i64,
    pub pagamenti: i64,
}

const FLUSSO_SPC_COLS: &str = "id, ente_id, tipo, psp, psp_nome, iuf, data_ora_flusso, \
    data_regolamento, file_rel, dimensione, stato, dt_creazione, pubblicato, importo_cents, pagamenti";

fn flusso_spc_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<FlussoSpc> {
    Ok(FlussoSpc {
        id: r.get(0)?,
        ente_id: r.get(1)?,
        tipo: r.get(2)?,
        psp: r.get(3)?,
        psp_nome: r.get(4)?,
        iuf: r.get(5)?,
        data_ora_flusso: r.get(6)?,
        data_regolamento: r.get(7)?,
        file_rel: r.get(8)?,
        dimensione: r.get(9)?,
        stato: r.get(10)?,
        dt_creazione: r.get(11)?,
        pubblicato: r.get::<_, i64>(12)? != 0,
        importo_cents: r.get(13)?,
        pagamenti: r.get(14)?,
    })
}

/// Stores a flow version; returns its id.
pub fn insert_flusso_spc(conn: &Connection, f: &FlussoSpc) -> Result<i64> {
    conn.execute(
        "INSERT INTO flusso_spc (ente_id, tipo, psp, psp_nome, iuf, data_ora_flusso, data_regolamento,
            file_rel, dimensione, stato, dt_creazione, pubblicato, importo_cents, pagamenti)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            f.ente_id,
            f.tipo,
            f.psp,
            f.psp_nome,
            f.iuf,
            f.data_ora_flusso,
            f.data_regolamento,
            f.file_rel,
            f.dimensione,
            f.stato,
            f.dt_creazione,
            f.pubblicato as i64,
            f.importo_cents,
            f.pagamenti
        ],
    )
    .map_err(sql)?;
    Ok(conn.last_insert_rowid())
}

/// Marks payments reported in a flow.
pub fn segna_rendicontati(conn: &Connection, flusso_id: i64, pagamenti: &[i64]) -> Result<()> {
    let mut st = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO pagamento_rendicontato (pagamento_id, flusso_spc_id) VALUES (?1, ?2)",
        )
        .map_err(sql)?;
    for p in pagamenti {
        st.execute(params![p, flusso_id]).map_err(sql)?;
    }
    Ok(())
}

/// How many R flows (of any Ente, published or not) a PSP has for a settlement day: the next
/// one's number is this plus one (IUF unique per PSP).
pub fn flussi_spc_del_giorno(conn: &Connection, psp: &str, regolamento: &str) -> Result<i64> {
    conn.query_row(
        "SELECT COUNT(DISTINCT iuf) FROM flusso_spc WHERE tipo = 'R' AND psp = ?1 AND data_regolamento = ?2",
        params![psp, regolamento],
        |r| r.get(0),
    )
    .map_err(sql)
}

/// MyPay's list query (forced mode `D`): the Ente's flows of `tipo` in state OK acquired
/// between `from` and `to` (both included), for one PSP or all (`""`; `Q` ignores the PSP),
/// ordered `dt_creazione ASC, id DESC`. Withheld flows are not there.
pub fn elenco_flussi_spc(
    conn: &Connection,
    ente_id: i64,
    tipo: &str,
    psp: &str,
    from: &str,
    to: &str,
) -> Result<Vec<FlussoSpc>> {
    let mut st = conn
        .prepare(&format!(
            "SELECT {FLUSSO_SPC_COLS} FROM flusso_spc
             WHERE ente_id = ?1 AND tipo = ?2 AND stato = 'OK' AND pubblicato = 1
               AND dt_creazione >= ?3 AND dt_creazione <= ?4
               AND (?2 = 'Q' OR ?5 = '' OR psp = ?5)
             ORDER BY dt_creazione ASC, id DESC"
        ))
        .map_err(sql)?;
    st.query_map(params![ente_id, tipo, from, to, psp], flusso_spc_row)
        .map_err(sql)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(sql)
}

/// MyPay's lookup of one flow: exact PSP (ignored for `Q`), IUF and timestamp, state not KO.
pub fn flusso_spc(
    conn: &Connection,
    ente_id: i64,
    tipo: &str,
    psp: &str,
    iuf: &str,
    data_ora: &str,
) -> Result<Vec<FlussoSpc>> {
    let mut st = conn
        .prepare(&format!(
            "SELECT {FLUSSO_SPC_COLS} FROM flusso_spc
             WHERE ente_id = ?1 AND tipo = ?2 AND (?2 = 'Q' OR psp = ?3) AND iuf = ?4
               AND data_ora_flusso = ?5 AND stato <> 'KO' AND pubblicato = 1"
        ))
        .map_err(sql)?;
    st.query_map(params![ente_id, tipo, psp, iuf, data_ora], flusso_spc_row)
        .map_err(sql)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(sql)
}

/// Every R flow of the Ente, withheld ones too, in acquisition order (the treasury's source).
pub fn flussi_spc_tutti(conn: &Connection, ente_id: i64) -> Result<Vec<FlussoSpc>> {
    let mut st = conn
        .prepare(&format!(
            "SELECT {FLUSSO_SPC_COLS} FROM flusso_spc WHERE ente_id = ?1 AND tipo = 'R'
             ORDER BY data_regolamento, iuf, data_ora_flusso"
        ))
        .map_err(sql)?;
    st.query_map([ente_id], flusso_spc_row)
        .map_err(sql)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(sql)
}

/// An anomaly planted: what, in which flow, on which IUV.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AnomaliaPiantata {
    pub tipo: String,
    pub iuf: String,
    pub iuv: String,
    pub dettaglio: String,
}

pub fn insert_anomalia(conn: &Connection, ente_id: i64, a: &AnomaliaPiantata) -> Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO fdr_anomalia (ente_id, tipo, iuf, iuv, dettaglio) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![ente_id, a.tipo, a.iuf, a.iuv, a.dettaglio],
    )
    .map_err(sql)?;
    Ok(())
}

pub fn anomalie(conn: &Connection, ente_id: i64) -> Result<Vec<AnomaliaPiantata>> {
    let mut st = conn
        .prepare(
            "SELECT tipo, iuf, iuv, dettaglio FROM fdr_anomalia WHERE ente_id = ?1 ORDER BY tipo",
        )
        .map_err(sql)?;
    st.query_map([ente_id], |r| {
        Ok(AnomaliaPiantata {
            tipo: r.get(0)?,
            iuf: r.get(1)?,
            iuv: r.get(2)?,
            dettaglio: r.get(3)?,
        })
    })
    .map_err(sql)?
    .collect::<rusqlite::Result<Vec<_>>>()
    .map_err(sql)
}

/// The Ente's first executed payment: IUV, amount, date.
pub fn primo_pagamento(
    conn: &Connection,
    ente_id: i64,
) -> Result<Option<(String, String, String)>> {
    conn.query_row(
        "SELECT iuv, importo, data_esito FROM pagamento WHERE ente_id = ?1 AND esito = 'ESEGUITO' ORDER BY id LIMIT 1",
        [ente_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .optional()
    .map_err(sql)
}
