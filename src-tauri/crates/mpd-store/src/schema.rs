//! Versioned migrations of the local database.
//!
//! Each entry of [`MIGRATIONS`] is applied once, in order, and recorded in SQLite's
//! `user_version` by `rusqlite_migration`. Never edit a migration that has shipped: add one.
//!
//! Money is stored as integer cents (`*_cents`), dates as ISO text (`yyyy-mm-dd`), instants as
//! RFC 3339 UTC text. Credentials are never stored here (they live in the OS keyring).

use rusqlite_migration::{M, Migrations};

const V1: &str = r#"
CREATE TABLE ente (
    id                  INTEGER PRIMARY KEY CHECK (id = 1),
    codice_ipa          TEXT NOT NULL,
    codice_fiscale      TEXT NOT NULL,
    denominazione       TEXT NOT NULL,
    codice_segregazione TEXT NOT NULL,
    -- Adhesion data and anything richer, as JSON owned by mpd-core (shape documented there).
    extra_json          TEXT NOT NULL DEFAULT '{}',
    updated_at          TEXT NOT NULL
);

CREATE TABLE tipo_dovuto (
    codice                     TEXT PRIMARY KEY,
    descrizione                TEXT NOT NULL,
    dati_specifici_riscossione TEXT NOT NULL,
    attivo                     INTEGER NOT NULL,
    cf_anonimo                 INTEGER NOT NULL,
    scadenza_obbligatoria      INTEGER NOT NULL,
    stampa_data_scadenza       INTEGER NOT NULL,
    extra_json                 TEXT NOT NULL DEFAULT '{}'
);

-- Where debts came from: one row per imported file, so a rejected row can be traced back to
-- the row the clerk typed.
CREATE TABLE sorgente (
    id          INTEGER PRIMARY KEY,
    nome_file   TEXT NOT NULL,
    formato     TEXT NOT NULL,
    righe       INTEGER NOT NULL,
    importato_at TEXT NOT NULL
);

CREATE TABLE flusso (
    id              INTEGER PRIMARY KEY,
    nome            TEXT NOT NULL UNIQUE,      -- <codIpa>-<IUF>-<versione>
    iuf             TEXT NOT NULL,
    versione        TEXT NOT NULL,
    stato           TEXT NOT NULL,             -- see FlussoStato
    percorso_zip    TEXT NOT NULL,
    righe           INTEGER NOT NULL,
    byte_zip        INTEGER NOT NULL,
    byte_csv        INTEGER NOT NULL,
    creato_at       TEXT NOT NULL,
    aggiornato_at   TEXT NOT NULL,
    -- Filled by the MyPay client (issue 5): persisted before and after each step.
    request_token   TEXT,
    upload_url      TEXT,
    esito_codice    TEXT,
    esito_messaggio TEXT
);

CREATE TABLE dovuto (
    id                  INTEGER PRIMARY KEY,
    iud                 TEXT NOT NULL UNIQUE,
    stato               TEXT NOT NULL,         -- see DovutoStato
    azione_pendente     TEXT,                  -- I, M, A: what the next flow must carry
    iuv                 TEXT NOT NULL DEFAULT '',
    tipo_pagatore       TEXT NOT NULL,
    codice_pagatore     TEXT NOT NULL,
    anagrafica          TEXT NOT NULL,
    indirizzo           TEXT NOT NULL DEFAULT '',
    civico              TEXT NOT NULL DEFAULT '',
    cap                 TEXT NOT NULL DEFAULT '',
    localita            TEXT NOT NULL DEFAULT '',
    provincia           TEXT NOT NULL DEFAULT '',
    nazione             TEXT NOT NULL DEFAULT '',
    email               TEXT NOT NULL DEFAULT '',
    data_scadenza       TEXT NOT NULL DEFAULT '',
    importo_cents       INTEGER NOT NULL,
    commissione_cents   INTEGER,
    tipo_dovuto         TEXT NOT NULL,
    tipo_versamento     TEXT NOT NULL DEFAULT '',
    causale             TEXT NOT NULL,
    dati_specifici      TEXT NOT NULL,
    bilancio            TEXT NOT NULL DEFAULT '',
    genera_iuv          INTEGER NOT NULL DEFAULT 0,
    -- The 13 secondary-beneficiary fields of tracciato 1_4 as a JSON array, or NULL.
    ente_secondario_json TEXT,
    sorgente_id         INTEGER REFERENCES sorgente(id),
    sorgente_riga       INTEGER,               -- row number in the clerk's own sheet
    ultimo_flusso_id    INTEGER REFERENCES flusso(id),
    rifiuto_codice      TEXT,
    rifiuto_messaggio   TEXT,
    pagamento_iniziato_at TEXT,
    creato_at           TEXT NOT NULL,
    aggiornato_at       TEXT NOT NULL
);
CREATE INDEX dovuto_stato ON dovuto(stato);
CREATE INDEX dovuto_iuv ON dovuto(iuv) WHERE iuv <> '';
CREATE INDEX dovuto_codice_pagatore ON dovuto(codice_pagatore);

CREATE TABLE flusso_riga (
    flusso_id   INTEGER NOT NULL REFERENCES flusso(id) ON DELETE CASCADE,
    riga        INTEGER NOT NULL,              -- data row number in the flow, from 1 as MyPay counts
    dovuto_id   INTEGER NOT NULL REFERENCES dovuto(id),
    azione      TEXT NOT NULL,
    esito       TEXT NOT NULL DEFAULT 'in_attesa', -- in_attesa, caricato, scartato
    cod_rifiuto TEXT,
    de_rifiuto  TEXT,
    PRIMARY KEY (flusso_id, riga)
);
CREATE INDEX flusso_riga_dovuto ON flusso_riga(dovuto_id);

CREATE TABLE ricevuta (
    id                  INTEGER PRIMARY KEY,
    iuv                 TEXT NOT NULL,
    iur                 TEXT NOT NULL,
    iud                 TEXT NOT NULL DEFAULT '',
    importo_cents       INTEGER NOT NULL,
    data_esito          TEXT NOT NULL,
    esito               TEXT NOT NULL DEFAULT '',
    psp_id              TEXT NOT NULL DEFAULT '',
    psp_nome            TEXT NOT NULL DEFAULT '',
    codice_pagatore     TEXT NOT NULL DEFAULT '',
    anagrafica_pagatore TEXT NOT NULL DEFAULT '',
    codice_versante     TEXT NOT NULL DEFAULT '',
    tipo_dovuto         TEXT NOT NULL DEFAULT '',
    causale             TEXT NOT NULL DEFAULT '',
    rt_base64           TEXT,
    dovuto_id           INTEGER REFERENCES dovuto(id),
    abbinamento         TEXT NOT NULL,         -- see Abbinamento
    ricevuto_at         TEXT NOT NULL,
    UNIQUE (iuv, iur)
);
CREATE INDEX ricevuta_dovuto ON ricevuta(dovuto_id);

CREATE TABLE audit (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    azione   TEXT NOT NULL,
    oggetto  TEXT NOT NULL,
    dettaglio TEXT NOT NULL DEFAULT ''
);

CREATE TABLE impostazione (
    chiave TEXT PRIMARY KEY,
    valore TEXT NOT NULL
);
"#;

/// Column mappings of the clerk's spreadsheets (issue 3), one per sheet layout.
const V2: &str = r#"
CREATE TABLE mappatura_foglio (
    -- The normalised headers of the sheet, in order, joined by '|' (mpd-sheets layout_key).
    layout          TEXT PRIMARY KEY,
    -- mpd_sheets::Mapping as JSON: field, column index, header as written.
    mappatura_json  TEXT NOT NULL,
    aggiornato_at   TEXT NOT NULL
);
"#;

/// The MyPay client's resumable state (issue 5): see `mypay.rs`. Holds no credential: the
/// upload token is a one-upload bearer token valid an hour; the password lives in the keyring.
const V3: &str = r#"
CREATE TABLE flusso_invio (
    flusso_id           INTEGER PRIMARY KEY REFERENCES flusso(id) ON DELETE CASCADE,
    authorization_token TEXT,
    autorizzato_at      TEXT,
    -- 1 once an upload started with the current token: its outcome is asked before another.
    upload_tentato      INTEGER NOT NULL DEFAULT 0,
    stato_mypay         TEXT,
    tentativi           INTEGER NOT NULL DEFAULT 0,
    ultimo_errore       TEXT,
    aggiornato_at       TEXT NOT NULL
);

CREATE TABLE export_richiesta (
    id             INTEGER PRIMARY KEY,
    request_token  TEXT NOT NULL UNIQUE,
    incrementale   INTEGER NOT NULL,
    date_from      TEXT NOT NULL,
    date_to        TEXT,
    stato          TEXT NOT NULL,              -- prenotata, importata, vuota, errore
    file           TEXT,
    riepilogo_json TEXT,
    creato_at      TEXT NOT NULL,
    aggiornato_at  TEXT NOT NULL
);
"#;

/// Adhesion and regional contribution (issue 7): see `adesione.rs`. The dates of the adhesion
/// steps, the expense items of the estimate and the requested/granted/received amounts. The
/// adhesion profile itself stays in `ente.extra_json`; an edited contribution rules file is the
/// setting `contributo.misura_toml`.
const V4: &str = r#"
CREATE TABLE adesione_passo (
    passo         TEXT PRIMARY KEY,            -- delibera, pec-inviata, riscontro-regione, pre-esercizio, esercizio
    data          TEXT NOT NULL,               -- yyyy-mm-dd
    nota          TEXT,
    aggiornato_at TEXT NOT NULL
);

CREATE TABLE contributo_voce (
    id              INTEGER PRIMARY KEY,
    descrizione     TEXT NOT NULL,
    fornitore       TEXT,
    riferimento     TEXT,                      -- quote number, CIG…
    data            TEXT,
    -- A supplier quote has importo_cents; a standard cost has codice and quantita (its amount
    -- comes from the rules, which may change).
    importo_cents   INTEGER,
    costo_standard  TEXT,
    quantita        INTEGER,
    creato_at       TEXT NOT NULL,
    CHECK ((importo_cents IS NOT NULL) <> (costo_standard IS NOT NULL))
);

CREATE TABLE contributo_importo (
    id            INTEGER PRIMARY KEY,
    tipo          TEXT NOT NULL CHECK (tipo IN ('richiesto', 'concesso', 'incassato')),
    importo_cents INTEGER NOT NULL,
    data          TEXT NOT NULL,
    riferimento   TEXT,
    creato_at     TEXT NOT NULL
);
"#;

/// Draft notes (issue 3/6): what was wrong with a debt kept as a draft (an invalid row of an
/// imported sheet, or a draft saved with errors), as JSON owned by mpd-core (`bozze`). Deleted
/// with the debt, replaced on each save, removed when the debt becomes valid.
const V5: &str = r#"
CREATE TABLE dovuto_nota (
    dovuto_id   INTEGER PRIMARY KEY REFERENCES dovuto(id) ON DELETE CASCADE,
    nota_json   TEXT NOT NULL,
    creato_at   TEXT NOT NULL
);
"#;

/// Indexes behind the Dovuti screen's filters on payment type and due date (measured by
/// `mpd-bench dovuti`: both scanned the table, over 100 ms at 1,000,000 debts). Type and due
/// date together are one index, so that the two filters combined are one range. Like every
/// secondary index of `dovuto`, they are dropped and rebuilt around very large bulk inserts.
const V6: &str = r#"
CREATE INDEX dovuto_tipo ON dovuto(tipo_dovuto, data_scadenza);
CREATE INDEX dovuto_scadenza ON dovuto(data_scadenza);
"#;

/// The Dovuti screen's free-text search and the upkeep that very large loads leave behind
/// (see [`crate::ricerca`]).
///
/// `dovuto_ricerca` is a trigram FTS5 index over the four searched columns, with `dovuto` as
/// its content: substring search (`"ross"` finds ROSSI and PIEROSSI), case and accents ignored.
/// Debts with `id <= ricerca_indice.fino_a` are in it; newer ones, not indexed yet, are
/// scanned. Small inserts index their rows in the same transaction; after a very large one
/// the window indexes them in the background. The triggers keep indexed rows in step with
/// their edits.
///
/// `indice_differito` holds the secondary indexes of `dovuto` that a very large bulk insert
/// dropped and left for the background upkeep to build again (name and `CREATE INDEX` text,
/// written in the load's own transaction, so a crash cannot lose them).
const V7: &str = r#"
CREATE VIRTUAL TABLE dovuto_ricerca USING fts5(
    iud, codice_pagatore, anagrafica, causale,
    content = 'dovuto', content_rowid = 'id',
    tokenize = 'trigram remove_diacritics 1'
);

CREATE TABLE ricerca_indice (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    fino_a INTEGER NOT NULL
);
INSERT INTO ricerca_indice (id, fino_a) VALUES (1, 0);

CREATE TRIGGER dovuto_ricerca_modifica
AFTER UPDATE OF iud, codice_pagatore, anagrafica, causale ON dovuto
WHEN old.id <= (SELECT fino_a FROM ricerca_indice)
    AND (old.iud IS NOT new.iud OR old.codice_pagatore IS NOT new.codice_pagatore
         OR old.anagrafica IS NOT new.anagrafica OR old.causale IS NOT new.causale)
BEGIN
    INSERT INTO dovuto_ricerca (dovuto_ricerca, rowid, iud, codice_pagatore, anagrafica, causale)
        VALUES ('delete', old.id, old.iud, old.codice_pagatore, old.anagrafica, old.causale);
    INSERT INTO dovuto_ricerca (rowid, iud, codice_pagatore, anagrafica, causale)
        VALUES (new.id, new.iud, new.codice_pagatore, new.anagrafica, new.causale);
END;

CREATE TRIGGER dovuto_ricerca_elimina
AFTER DELETE ON dovuto
WHEN old.id <= (SELECT fino_a FROM ricerca_indice)
BEGIN
    INSERT INTO dovuto_ricerca (dovuto_ricerca, rowid, iud, codice_pagatore, anagrafica, causale)
        VALUES ('delete', old.id, old.iud, old.codice_pagatore, old.anagrafica, old.causale);
END;

CREATE TABLE indice_differito (
    nome TEXT PRIMARY KEY,
    sql  TEXT NOT NULL
);
"#;

/// Indexes for the Dovuti screen's state filter combined with a due date range or a payment
/// type (`mpd-bench dovuti`: paid + type + month 110 ms, ready + type 560 ms at 1,000,000
/// debts, because the state index alone leaves every row of that state to be read). State
/// first, so that each combination is one range; `dovuto_stato` stays for the state alone,
/// whose page it gives in id order without a sort.
const V8: &str = r#"
CREATE INDEX dovuto_stato_scadenza ON dovuto(stato, data_scadenza);
CREATE INDEX dovuto_stato_tipo ON dovuto(stato, tipo_dovuto, data_scadenza);
"#;

/// Debt positions (issue 14): one payer's payment options for one subject ("TARI 2027" of a
/// household). A debt belongs to at most one position, as its rata unica (`rata` 0) or its
/// instalment `rata` (1–12); a debt outside any position is a position of one. `codice` is the
/// clerk's name for the position (a sheet's "Codice avviso" or "Posizione") or one made at
/// import. A position whose last debt is deleted (a draft removed, an import undone) goes with
/// it.
const V9: &str = r#"
CREATE TABLE posizione (
    id              INTEGER PRIMARY KEY,
    codice          TEXT NOT NULL UNIQUE,
    codice_pagatore TEXT NOT NULL,
    tipo_dovuto     TEXT NOT NULL,
    oggetto         TEXT NOT NULL DEFAULT '',
    creato_at       TEXT NOT NULL
);
ALTER TABLE dovuto ADD COLUMN posizione_id INTEGER REFERENCES posizione(id);
ALTER TABLE dovuto ADD COLUMN rata INTEGER;
CREATE UNIQUE INDEX dovuto_posizione_rata ON dovuto(posizione_id, rata)
    WHERE posizione_id IS NOT NULL;

CREATE TRIGGER posizione_vuota
AFTER DELETE ON dovuto
WHEN old.posizione_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM dovuto WHERE posizione_id = old.posizione_id)
BEGIN
    DELETE FROM posizione WHERE id = old.posizione_id;
END;
"#;

/// Reconciliation (issue 16): the *flussi di rendicontazione* (FdR) the PSPs send, one row per
/// flow (`iuf` unique whatever its case, as MyPivot compares it) and one per reported transfer.
/// Amounts in cents; `esito` is `codiceEsitoSingoloPagamento` (0, 3, 4, 8, 9); `indice` is
/// NULL when the flow left it out. A newer version of a flow (same IUF, later
/// `data_ora_flusso`) replaces the older one's rows.
const V10: &str = r#"
CREATE TABLE fdr (
    id                       INTEGER PRIMARY KEY,
    iuf                      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    psp_id                   TEXT NOT NULL,
    versione_oggetto         TEXT NOT NULL,
    data_ora_flusso          TEXT NOT NULL,
    iur_regolamento          TEXT NOT NULL,
    data_regolamento         TEXT NOT NULL,
    mittente_tipo            TEXT NOT NULL,
    mittente_codice          TEXT NOT NULL,
    mittente_nome            TEXT NOT NULL DEFAULT '',
    bic_riversamento         TEXT NOT NULL DEFAULT '',
    ricevente_codice         TEXT NOT NULL,
    ricevente_nome           TEXT NOT NULL DEFAULT '',
    numero_dichiarato        INTEGER NOT NULL,
    importo_dichiarato_cents INTEGER NOT NULL,
    file                     TEXT NOT NULL DEFAULT '',
    importato_at             TEXT NOT NULL
);
CREATE TABLE fdr_riga (
    id            INTEGER PRIMARY KEY,
    fdr_id        INTEGER NOT NULL REFERENCES fdr(id) ON DELETE CASCADE,
    numero        INTEGER NOT NULL,
    iuv           TEXT NOT NULL,
    iur           TEXT NOT NULL,
    indice        INTEGER,
    importo_cents INTEGER NOT NULL,
    esito         INTEGER NOT NULL,
    data_esito    TEXT NOT NULL
);
CREATE INDEX fdr_riga_fdr ON fdr_riga(fdr_id);
CREATE INDEX fdr_riga_iuv ON fdr_riga(iuv, iur);
"#;

/// Issue 16: the treasury journals and their entries. An entry is one per `(anno, bolletta)`
/// whatever the journal it came in; a journal is one per identity (an OPI flow's
/// `identificativo_flusso_BT` and page, else the format and the days covered), its
/// `impronta` telling the same journal again from a corrected one.
const V11: &str = r#"
CREATE TABLE tesoreria_giornale (
    id           INTEGER PRIMARY KEY,
    formato      TEXT NOT NULL,
    identita     TEXT NOT NULL UNIQUE,
    impronta     TEXT NOT NULL,
    file         TEXT NOT NULL DEFAULT '',
    importato_at TEXT NOT NULL
);
CREATE TABLE tesoreria_movimento (
    id             INTEGER PRIMARY KEY,
    giornale_id    INTEGER NOT NULL REFERENCES tesoreria_giornale(id) ON DELETE CASCADE,
    riga           INTEGER NOT NULL,
    anno           INTEGER NOT NULL,
    bolletta       TEXT NOT NULL,
    data_contabile TEXT NOT NULL,
    data_valuta    TEXT NOT NULL,
    importo_cents  INTEGER NOT NULL,
    ordinante      TEXT NOT NULL DEFAULT '',
    causale        TEXT NOT NULL DEFAULT '',
    iuf            TEXT,
    iuv            TEXT,
    lettura        TEXT NOT NULL DEFAULT '',
    sospeso_data   TEXT,
    sospeso_codice TEXT,
    UNIQUE (anno, bolletta)
);
CREATE INDEX tesoreria_movimento_giornale ON tesoreria_movimento(giornale_id);
"#;

/// The Dovuti screen's scroll far into a long list (issue 17 item 7, `mpd-bench cifratura`): a
/// page at `OFFSET` 500,000 read and skipped half the table's rows, every page of them
/// decrypted — 0.3 s at 1,000,000 debts, 0.6 s to the last page. The ids of a page are taken
/// from this index instead (two integers an entry, about 22 times fewer pages than the rows),
/// then only the page's 200 rows are read. Like every secondary index of `dovuto`, dropped
/// and rebuilt around very large bulk inserts.
const V12: &str = r#"
CREATE INDEX dovuto_id ON dovuto(id);
"#;

/// Issue 16's benchmark targets: the reconciliation kept in the store, so that a new day
/// recomputes only what it touched.
///
/// * `fdr` keeps its rows' count and sum (written with the rows, which never change apart from
///   the flow): the quadratura no longer groups every row of every flow.
/// * `riconciliazione_pagamento`: each payment's state as the last run left it (one row per
///   receipt, or per group of FdR rows no receipt claims), clustered by IUV, since a run
///   recomputes whole IUVs; `scadenza` the day (days from the Common Era, as chrono counts
///   them) from which the rules' «N days» change its state with nothing else changing; the
///   state itself packed in one BLOB (mpd-store's `riconciliazione`), since the next run reads
///   every row back and one column per row is the cheapest to read.
/// * `riconciliazione_esecuzione`: the last run (its day, its rules, how many payments).
/// * `riconciliazione_modifica`: the IUV and IUF every change to receipts, FdR rows, FdR and
///   treasury entries touched since that run, written by triggers (so no writer can forget
///   it) and only once a run exists (a first bulk load pays nothing). An entry updated in place
///   counts only when its IUF, IUV or amount changed: the rest is only in the reasons, which
///   are built when shown.
const V13: &str = r#"
ALTER TABLE fdr ADD COLUMN righe INTEGER NOT NULL DEFAULT 0;
ALTER TABLE fdr ADD COLUMN righe_escluse INTEGER NOT NULL DEFAULT 0;
ALTER TABLE fdr ADD COLUMN somma_cents INTEGER NOT NULL DEFAULT 0;
UPDATE fdr SET
    righe = (SELECT COUNT(*) FROM fdr_riga r WHERE r.fdr_id = fdr.id),
    righe_escluse = (SELECT COUNT(*) FROM fdr_riga r WHERE r.fdr_id = fdr.id AND r.esito = 3),
    somma_cents = (SELECT COALESCE(SUM(r.importo_cents), 0) FROM fdr_riga r
                   WHERE r.fdr_id = fdr.id AND r.esito <> 3);

CREATE TABLE riconciliazione_pagamento (
    iuv      TEXT NOT NULL,
    chiave   INTEGER NOT NULL,   -- the receipt's id, else minus the first row's id
    scadenza INTEGER,
    stato    BLOB NOT NULL,      -- see mpd-store's riconciliazione::StatoSalvato
    PRIMARY KEY (iuv, chiave)
) WITHOUT ROWID;
CREATE INDEX riconciliazione_pagamento_scadenza ON riconciliazione_pagamento(scadenza)
    WHERE scadenza IS NOT NULL;

CREATE TABLE riconciliazione_esecuzione (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    oggi        INTEGER NOT NULL,
    regole      TEXT NOT NULL,
    pagamenti   INTEGER NOT NULL,   -- rows of riconciliazione_pagamento (COUNT(*) reads them all)
    eseguita_at TEXT NOT NULL
);

CREATE TABLE riconciliazione_modifica (
    id  INTEGER PRIMARY KEY,
    iuv TEXT,
    iuf TEXT
);

CREATE TRIGGER ric_ricevuta_nuova AFTER INSERT ON ricevuta
WHEN EXISTS (SELECT 1 FROM riconciliazione_esecuzione)
BEGIN INSERT INTO riconciliazione_modifica (iuv) VALUES (NEW.iuv); END;
CREATE TRIGGER ric_ricevuta_tolta AFTER DELETE ON ricevuta
WHEN EXISTS (SELECT 1 FROM riconciliazione_esecuzione)
BEGIN INSERT INTO riconciliazione_modifica (iuv) VALUES (OLD.iuv); END;
CREATE TRIGGER ric_ricevuta_cambiata AFTER UPDATE OF iuv, iur, importo_cents, data_esito ON ricevuta
WHEN EXISTS (SELECT 1 FROM riconciliazione_esecuzione)
BEGIN INSERT INTO riconciliazione_modifica (iuv) VALUES (OLD.iuv), (NEW.iuv); END;

CREATE TRIGGER ric_riga_nuova AFTER INSERT ON fdr_riga
WHEN EXISTS (SELECT 1 FROM riconciliazione_esecuzione)
BEGIN INSERT INTO riconciliazione_modifica (iuv) VALUES (NEW.iuv); END;
CREATE TRIGGER ric_riga_tolta AFTER DELETE ON fdr_riga
WHEN EXISTS (SELECT 1 FROM riconciliazione_esecuzione)
BEGIN INSERT INTO riconciliazione_modifica (iuv) VALUES (OLD.iuv); END;
CREATE TRIGGER ric_riga_cambiata AFTER UPDATE ON fdr_riga
WHEN EXISTS (SELECT 1 FROM riconciliazione_esecuzione)
BEGIN INSERT INTO riconciliazione_modifica (iuv) VALUES (OLD.iuv), (NEW.iuv); END;

CREATE TRIGGER ric_fdr_nuovo AFTER INSERT ON fdr
WHEN EXISTS (SELECT 1 FROM riconciliazione_esecuzione)
BEGIN INSERT INTO riconciliazione_modifica (iuf) VALUES (NEW.iuf); END;
CREATE TRIGGER ric_fdr_tolto AFTER DELETE ON fdr
WHEN EXISTS (SELECT 1 FROM riconciliazione_esecuzione)
BEGIN INSERT INTO riconciliazione_modifica (iuf) VALUES (OLD.iuf); END;
CREATE TRIGGER ric_fdr_cambiato AFTER UPDATE ON fdr
WHEN EXISTS (SELECT 1 FROM riconciliazione_esecuzione)
BEGIN INSERT INTO riconciliazione_modifica (iuf) VALUES (OLD.iuf), (NEW.iuf); END;

CREATE TRIGGER ric_movimento_nuovo AFTER INSERT ON tesoreria_movimento
WHEN EXISTS (SELECT 1 FROM riconciliazione_esecuzione)
BEGIN INSERT INTO riconciliazione_modifica (iuv, iuf) VALUES (NEW.iuv, NEW.iuf); END;
CREATE TRIGGER ric_movimento_tolto AFTER DELETE ON tesoreria_movimento
WHEN EXISTS (SELECT 1 FROM riconciliazione_esecuzione)
BEGIN INSERT INTO riconciliazione_modifica (iuv, iuf) VALUES (OLD.iuv, OLD.iuf); END;
CREATE TRIGGER ric_movimento_cambiato AFTER UPDATE ON tesoreria_movimento
WHEN EXISTS (SELECT 1 FROM riconciliazione_esecuzione)
    AND (OLD.iuf IS NOT NEW.iuf OR OLD.iuv IS NOT NEW.iuv OR OLD.importo_cents <> NEW.importo_cents)
BEGIN INSERT INTO riconciliazione_modifica (iuv, iuf) VALUES (OLD.iuv, OLD.iuf), (NEW.iuv, NEW.iuf); END;
"#;

/// Version 14: the search index's leaves at most ~3,900 bytes instead of FTS5's 4,050, so that
/// each fits the page it is written to: one in a 4 KiB page of SQLCipher 4's format (4,016
/// bytes left after the IV and HMAC; a bigger leaf spilled into an overflow page of its own)
/// and two in an 8 KiB page of the current one (8,144 bytes left; bigger leaves took a page
/// each). With 4,050 the index of a million debts took 415 MB encrypted in 4 KiB pages and
/// 732 MB in 8 KiB pages. Leaves written from now on take the new size; existing ones as
/// the index merges them.
const V14: &str = r#"
INSERT INTO dovuto_ricerca (dovuto_ricerca, rank) VALUES ('pgsz', 3900);
"#;

/// Number of migrations: the `user_version` of an up-to-date database.
pub const LATEST: i64 = 14;

/// All migrations, oldest first.
pub fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(V1),
        M::up(V2),
        M::up(V3),
        M::up(V4),
        M::up(V5),
        M::up(V6),
        M::up(V7),
        M::up(V8),
        M::up(V9),
        M::up(V10),
        M::up(V11),
        M::up(V12),
        M::up(V13),
        M::up(V14),
    ])
}
