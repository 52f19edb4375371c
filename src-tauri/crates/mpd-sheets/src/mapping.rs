//! Which column of the clerk's sheet feeds which field of a debt.
//!
//! * The header row is the row, among the first [`HEADER_SEARCH_ROWS`], whose cells name the
//!   most distinct fields ([`find_header`]): a title block above it ("Comune di …, Ruolo TARI
//!   2027") is skipped.
//! * A header names a field when, normalised ([`crate::text::normalize_header`]), it equals
//!   one of the field's synonyms (Italian and English, plus MyPay's own column name) or starts
//!   with one followed by more words (`Importo TARI 2027`). Exact matches win.
//! * Name and surname in two columns are joined as `Cognome Nome` (the order of Italian
//!   registry lists) unless a single name column exists.
//! * The clerk overrides with `campo=colonna` pairs ([`Mapping::apply_override`]): the column
//!   by its header text or by its letter (`C`); an empty column unmaps the field.
//! * A confirmed mapping is saved under [`layout_key`]: the normalised headers in order, so the
//!   same sheet layout next month gets the same mapping back.

use mpd_domain::Column;
use serde::{Deserialize, Serialize};

use crate::cell::{Cell, SheetRow, column_index, column_letter};
use crate::text::normalize_header;

/// How many rows from the top may hold the header.
pub const HEADER_SEARCH_ROWS: usize = 30;

/// A field of a debt the clerk's sheet can feed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Codice,
    Anagrafica,
    Cognome,
    Nome,
    Importo,
    Scadenza,
    TipoDovuto,
    Causale,
    TipoPagatore,
    Email,
    Indirizzo,
    Civico,
    Cap,
    Comune,
    Provincia,
    Nazione,
    Iud,
    Iuv,
    /// The position a row belongs to (long shape: one row per option).
    Posizione,
    /// Which option of its position a row is (long shape): 0 or «U» the rata unica, 1–12.
    Rata,
    /// The amount of one option (wide shape: one row per household): 0 the rata unica.
    ImportoRata(u8),
    /// The due date of one option (wide shape): 0 the rata unica.
    ScadenzaRata(u8),
}

/// The fields that are not an option's amount or due date.
const SEMPLICI: [Field; 20] = [
    Field::Codice,
    Field::Anagrafica,
    Field::Cognome,
    Field::Nome,
    Field::Importo,
    Field::Scadenza,
    Field::TipoDovuto,
    Field::Causale,
    Field::TipoPagatore,
    Field::Email,
    Field::Indirizzo,
    Field::Civico,
    Field::Cap,
    Field::Comune,
    Field::Provincia,
    Field::Nazione,
    Field::Iud,
    Field::Iuv,
    Field::Posizione,
    Field::Rata,
];

/// Keys of the options' amounts and due dates (index 0: the rata unica).
const CHIAVI_IMPORTO: [&str; 13] = [
    "importo_rata_unica",
    "importo_rata_1",
    "importo_rata_2",
    "importo_rata_3",
    "importo_rata_4",
    "importo_rata_5",
    "importo_rata_6",
    "importo_rata_7",
    "importo_rata_8",
    "importo_rata_9",
    "importo_rata_10",
    "importo_rata_11",
    "importo_rata_12",
];
const CHIAVI_SCADENZA: [&str; 13] = [
    "scadenza_rata_unica",
    "scadenza_rata_1",
    "scadenza_rata_2",
    "scadenza_rata_3",
    "scadenza_rata_4",
    "scadenza_rata_5",
    "scadenza_rata_6",
    "scadenza_rata_7",
    "scadenza_rata_8",
    "scadenza_rata_9",
    "scadenza_rata_10",
    "scadenza_rata_11",
    "scadenza_rata_12",
];
const ETICHETTE_IMPORTO: [&str; 13] = [
    "rata unica: importo",
    "rata 1: importo",
    "rata 2: importo",
    "rata 3: importo",
    "rata 4: importo",
    "rata 5: importo",
    "rata 6: importo",
    "rata 7: importo",
    "rata 8: importo",
    "rata 9: importo",
    "rata 10: importo",
    "rata 11: importo",
    "rata 12: importo",
];
const ETICHETTE_SCADENZA: [&str; 13] = [
    "rata unica: scadenza",
    "rata 1: scadenza",
    "rata 2: scadenza",
    "rata 3: scadenza",
    "rata 4: scadenza",
    "rata 5: scadenza",
    "rata 6: scadenza",
    "rata 7: scadenza",
    "rata 8: scadenza",
    "rata 9: scadenza",
    "rata 10: scadenza",
    "rata 11: scadenza",
    "rata 12: scadenza",
];

/// How the rows of a sheet make debts, told by its mapped columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Forma {
    /// One row, one debt (a position of one).
    Semplice,
    /// One row per household: the options' amounts and due dates in columns of their own
    /// («Importo rata unica», «Importo rata 1», «Scadenza 1ª rata»…).
    Larga,
    /// One row per option: a column names the position, one numbers the option.
    Lunga,
}

impl Field {
    /// Every field: the plain ones, then each option's amount and due date.
    pub const ALL: [Field; 46] = {
        let mut a = [Field::Codice; 46];
        let mut i = 0;
        while i < SEMPLICI.len() {
            a[i] = SEMPLICI[i];
            i += 1;
        }
        let mut n = 0;
        while n <= 12 {
            a[SEMPLICI.len() + 2 * n] = Field::ImportoRata(n as u8);
            a[SEMPLICI.len() + 2 * n + 1] = Field::ScadenzaRata(n as u8);
            n += 1;
        }
        a
    };

    /// The option (0: the rata unica) whose amount or due date this field is.
    pub fn opzione(self) -> Option<u8> {
        match self {
            Field::ImportoRata(n) | Field::ScadenzaRata(n) => Some(n),
            _ => None,
        }
    }

    /// The key used in `--mapping campo=colonna` and in JSON.
    pub fn key(self) -> &'static str {
        match self {
            Field::Codice => "codice",
            Field::Anagrafica => "anagrafica",
            Field::Cognome => "cognome",
            Field::Nome => "nome",
            Field::Importo => "importo",
            Field::Scadenza => "scadenza",
            Field::TipoDovuto => "tipo_dovuto",
            Field::Causale => "causale",
            Field::TipoPagatore => "tipo_pagatore",
            Field::Email => "email",
            Field::Indirizzo => "indirizzo",
            Field::Civico => "civico",
            Field::Cap => "cap",
            Field::Comune => "comune",
            Field::Provincia => "provincia",
            Field::Nazione => "nazione",
            Field::Iud => "iud",
            Field::Iuv => "iuv",
            Field::Posizione => "posizione",
            Field::Rata => "rata",
            Field::ImportoRata(n) => CHIAVI_IMPORTO
                .get(n as usize)
                .copied()
                .unwrap_or("importo_rata"),
            Field::ScadenzaRata(n) => CHIAVI_SCADENZA
                .get(n as usize)
                .copied()
                .unwrap_or("scadenza_rata"),
        }
    }

    /// Parses a key, with the obvious aliases (`cf`, `tipo`, `localita`).
    pub fn from_key(s: &str) -> Option<Field> {
        let k = normalize_header(s).replace(' ', "_");
        let alias = match k.as_str() {
            "cf" | "codice_fiscale" | "piva" | "p_iva" => Some(Field::Codice),
            "nominativo" | "ragione_sociale" => Some(Field::Anagrafica),
            "tipo" => Some(Field::TipoDovuto),
            "localita" | "citta" => Some(Field::Comune),
            "data_scadenza" => Some(Field::Scadenza),
            "codice_posizione" | "codice_avviso" => Some(Field::Posizione),
            "numero_rata" | "n_rata" => Some(Field::Rata),
            _ => None,
        };
        alias.or_else(|| Field::ALL.into_iter().find(|f| f.key() == k))
    }

    /// What the field is, for the clerk.
    pub fn label_it(self) -> &'static str {
        match self {
            Field::Codice => "codice fiscale / partita IVA",
            Field::Anagrafica => "cognome e nome / ragione sociale",
            Field::Cognome => "cognome",
            Field::Nome => "nome",
            Field::Importo => "importo",
            Field::Scadenza => "data di scadenza",
            Field::TipoDovuto => "tipo dovuto",
            Field::Causale => "causale",
            Field::TipoPagatore => "tipo pagatore (F/G)",
            Field::Email => "e-mail",
            Field::Indirizzo => "indirizzo",
            Field::Civico => "numero civico",
            Field::Cap => "CAP",
            Field::Comune => "comune",
            Field::Provincia => "provincia",
            Field::Nazione => "nazione",
            Field::Iud => "IUD (identificativo del dovuto)",
            Field::Iuv => "IUV",
            Field::Posizione => "codice della posizione (avviso)",
            Field::Rata => "numero della rata (0 o U = rata unica)",
            Field::ImportoRata(n) => ETICHETTE_IMPORTO
                .get(n as usize)
                .copied()
                .unwrap_or("rata: importo"),
            Field::ScadenzaRata(n) => ETICHETTE_SCADENZA
                .get(n as usize)
                .copied()
                .unwrap_or("rata: scadenza"),
        }
    }

    /// The tracciato column the field fills (name and surname both fill the payer's name; an
    /// option's amount and due date fill the amount and due date of that option's debt). The
    /// position and the option's number fill none: they group the rows.
    pub fn column(self) -> Option<Column> {
        Some(match self {
            Field::Codice => Column::CodiceIdentificativoUnivoco,
            Field::Anagrafica | Field::Cognome | Field::Nome => Column::AnagraficaPagatore,
            Field::Importo => Column::ImportoDovuto,
            Field::Scadenza => Column::DataScadenzaPagamento,
            Field::TipoDovuto => Column::TipoDovuto,
            Field::Causale => Column::CausaleVersamento,
            Field::TipoPagatore => Column::TipoIdentificativoUnivoco,
            Field::Email => Column::EmailPagatore,
            Field::Indirizzo => Column::IndirizzoPagatore,
            Field::Civico => Column::CivicoPagatore,
            Field::Cap => Column::CapPagatore,
            Field::Comune => Column::LocalitaPagatore,
            Field::Provincia => Column::ProvinciaPagatore,
            Field::Nazione => Column::NazionePagatore,
            Field::Iud => Column::Iud,
            Field::Iuv => Column::CodIuv,
            Field::ImportoRata(_) => Column::ImportoDovuto,
            Field::ScadenzaRata(_) => Column::DataScadenzaPagamento,
            Field::Posizione | Field::Rata => return None,
        })
    }

    /// Normalised header texts that name this field.
    pub fn synonyms(self) -> &'static [&'static str] {
        match self {
            Field::Codice => &[
                "codice fiscale",
                "cf",
                "c f",
                "cod fiscale",
                "cod fisc",
                "codice fiscale partita iva",
                "codice fiscale p iva",
                "cf piva",
                "cf p iva",
                "c f p iva",
                "c f partita iva",
                "cf partita iva",
                "codice fiscale piva",
                "partita iva",
                "p iva",
                "piva",
                "codice fiscale pagatore",
                "cf pagatore",
                "codice fiscale contribuente",
                "codice fiscale debitore",
                "fiscal code",
                "tax code",
                "tax id",
                "vat number",
                "codiceidentificativounivoco",
                "codice identificativo univoco",
            ],
            Field::Anagrafica => &[
                "cognome e nome",
                "nome e cognome",
                "cognome nome",
                "nome cognome",
                "nominativo",
                "ragione sociale",
                "cognome e nome ragione sociale",
                "cognome nome ragione sociale",
                "nominativo ragione sociale",
                "denominazione",
                "intestatario",
                "contribuente",
                "pagatore",
                "debitore",
                "anagrafica",
                "anagrafica pagatore",
                "utente",
                "full name",
                "name",
                "payer",
                "anagraficapagatore",
            ],
            Field::Cognome => &["cognome", "last name", "surname", "family name"],
            Field::Nome => &["nome", "first name", "given name"],
            Field::Importo => &[
                "importo",
                "importo euro",
                "importo dovuto",
                "importo da pagare",
                "importo totale",
                "totale",
                "totale dovuto",
                "da pagare",
                "dovuto",
                "somma",
                "euro",
                "eur",
                "amount",
                "importodovuto",
            ],
            Field::Scadenza => &[
                "scadenza",
                "data scadenza",
                "data di scadenza",
                "scadenza pagamento",
                "data scadenza pagamento",
                "entro il",
                "pagare entro",
                "due date",
                "expiry date",
                "datascadenzapagamento",
            ],
            Field::TipoDovuto => &[
                "tipo dovuto",
                "tipo",
                "tipologia",
                "tipologia dovuto",
                "servizio",
                "tributo",
                "payment type",
                "tipodovuto",
            ],
            Field::Causale => &[
                "causale",
                "causale versamento",
                "causale del versamento",
                "causale pagamento",
                "descrizione",
                "oggetto",
                "motivo",
                "motivazione",
                "description",
                "reason",
                "causaleversamento",
            ],
            Field::TipoPagatore => &[
                "tipo pagatore",
                "tipo soggetto",
                "tipo persona",
                "persona fisica giuridica",
                "f g",
                "tipoidentificativounivoco",
            ],
            Field::Email => &[
                "email",
                "e mail",
                "mail",
                "pec",
                "indirizzo email",
                "indirizzo e mail",
                "posta elettronica",
                "email pec",
                "emailpagatore",
            ],
            Field::Indirizzo => &[
                "indirizzo",
                "via",
                "residenza",
                "indirizzo di residenza",
                "indirizzo residenza",
                "address",
                "street",
                "indirizzopagatore",
            ],
            Field::Civico => &[
                "civico",
                "n civico",
                "numero civico",
                // Never a bare "N.", "Nr.", "Num.", "N°" or "#": in a clerk's sheet that is the
                // row number, and it went to MyPay as every payer's house number (issue 13).
                "house number",
                "civicopagatore",
            ],
            Field::Cap => &[
                "cap",
                "c a p",
                "codice avviamento postale",
                "zip",
                "zip code",
                "postal code",
                "cappagatore",
            ],
            Field::Comune => &[
                "comune",
                "comune di residenza",
                "comune residenza",
                "citta",
                "localita",
                "city",
                "town",
                "localitapagatore",
            ],
            Field::Provincia => &[
                "provincia",
                "prov",
                "pr",
                "sigla provincia",
                "province",
                "provinciapagatore",
            ],
            Field::Nazione => &[
                "nazione",
                "paese",
                "stato",
                "country",
                "naz",
                "nazionepagatore",
            ],
            Field::Iud => &[
                "iud",
                "id",
                "id dovuto",
                "identificativo dovuto",
                "codice dovuto",
            ],
            Field::Iuv => &["iuv", "codice iuv", "codiuv"],
            Field::Posizione => &[
                "posizione",
                "codice posizione",
                "cod posizione",
                "id posizione",
                "identificativo posizione",
                "numero posizione",
                "posizione debitoria",
                "codice posizione debitoria",
                "codice avviso",
                "cod avviso",
            ],
            Field::Rata => &[
                "rata",
                "numero rata",
                "n rata",
                "nr rata",
                "num rata",
                "rata n",
                "rata nr",
                "rata numero",
            ],
            // Recognised by [`opzione_di`], not by a list: «Importo 1ª rata», «Rata 1»…
            Field::ImportoRata(_) | Field::ScadenzaRata(_) => &[],
        }
    }
}

/// Ordinal words up to the twelfth (`prima` rata, `seconda` rata…).
const ORDINALI: [&str; 12] = [
    "prima",
    "seconda",
    "terza",
    "quarta",
    "quinta",
    "sesta",
    "settima",
    "ottava",
    "nona",
    "decima",
    "undicesima",
    "dodicesima",
];

/// An instalment's number as a header writes it: `3`, `3a`, `3ª`, `3o` (`3°` is normalised to
/// `3`), `terza`.
fn numero_rata(t: &str) -> Option<u8> {
    let cifre = t.trim_end_matches(['a', 'ª', 'o', 'º']);
    let n = if !cifre.is_empty() && cifre.bytes().all(|b| b.is_ascii_digit()) {
        cifre.parse::<u8>().ok()?
    } else {
        ORDINALI.iter().position(|o| *o == t)? as u8 + 1
    };
    (1..=12).contains(&n).then_some(n)
}

/// The option a normalised header names, and whether it is its due date (else its amount):
/// «Importo rata unica», «Unica soluzione», «Rata 1», «1ª rata», «Importo 2a rata €»,
/// «Scadenza rata 3», «Data scadenza 3ª rata», «Scadenza unica soluzione».
fn opzione_di(h: &str) -> Option<(u8, bool)> {
    let mut rest = h;
    let mut scadenza = false;
    for p in ["data di scadenza ", "data scadenza ", "scadenza ", "scad "] {
        if let Some(r) = rest.strip_prefix(p) {
            rest = r;
            scadenza = true;
            break;
        }
    }
    if !scadenza {
        for p in ["importo ", "imp "] {
            if let Some(r) = rest.strip_prefix(p) {
                rest = r;
                break;
            }
        }
    }
    for s in [" euro", " eur"] {
        if let Some(r) = rest.strip_suffix(s) {
            rest = r;
        }
    }
    let rest = rest.strip_prefix("in ").unwrap_or(rest);
    if matches!(
        rest,
        "rata unica" | "unica soluzione" | "soluzione unica" | "unica rata" | "pagamento unico"
    ) {
        return Some((0, scadenza));
    }
    let parole: Vec<&str> = rest.split(' ').collect();
    let n = match parole.as_slice() {
        ["rata", n] | ["rata", "n" | "nr" | "num" | "numero", n] | [n, "rata"] => numero_rata(n)?,
        _ => return None,
    };
    Some((n, scadenza))
}

/// How strongly a header names a field: 2 exact, 1 prefix, 0 not at all.
fn match_score(header: &str, field: Field) -> u8 {
    let mut best = 0;
    for s in field.synonyms() {
        if header == *s {
            return 2;
        }
        // Short synonyms (`n`, `pr`, `cf`) only match exactly: `n` would match anything.
        if s.len() >= 4 && header.starts_with(s) && header.as_bytes().get(s.len()) == Some(&b' ') {
            best = 1;
        }
    }
    best
}

/// The best field a header names, if any.
pub fn field_for_header(header: &str) -> Option<(Field, u8)> {
    let h = normalize_header(header);
    if h.is_empty() {
        return None;
    }
    if let Some((n, scadenza)) = opzione_di(&h) {
        let f = if scadenza {
            Field::ScadenzaRata(n)
        } else {
            Field::ImportoRata(n)
        };
        return Some((f, 2));
    }
    SEMPLICI
        .into_iter()
        .map(|f| (f, match_score(&h, f)))
        .filter(|(_, s)| *s > 0)
        .max_by_key(|(f, s)| (*s, std::cmp::Reverse(*f)))
}

/// How many distinct fields the cells of a row name (text cells only).
pub fn header_score(cells: &[Cell]) -> usize {
    let mut seen = Vec::new();
    for c in cells {
        if let Cell::Text(t) = c
            && let Some((f, _)) = field_for_header(t)
            && !seen.contains(&f)
        {
            seen.push(f);
        }
    }
    seen.len()
}

/// The index (in `rows`) of the header row: the row naming most fields; ties go to the first.
pub fn find_header(rows: &[SheetRow]) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (i, r) in rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
        let s = header_score(&r.cells);
        if s > 0 && best.is_none_or(|(_, b)| s > b) {
            best = Some((i, s));
        }
    }
    best.map(|(i, _)| i)
}

/// One field fed by one column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappedColumn {
    pub campo: Field,
    /// 0-based column index.
    pub colonna: usize,
    /// The header as the clerk wrote it.
    pub intestazione: String,
    /// The column's letter (`C`), for the clerk.
    pub lettera: String,
}

/// Which column feeds which field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    pub colonne: Vec<MappedColumn>,
}

impl Mapping {
    pub fn get(&self, field: Field) -> Option<&MappedColumn> {
        self.colonne.iter().find(|c| c.campo == field)
    }

    pub fn has(&self, field: Field) -> bool {
        self.get(field).is_some()
    }

    pub fn set(&mut self, field: Field, col: usize, headers: &[String]) {
        self.remove(field);
        self.colonne.push(MappedColumn {
            campo: field,
            colonna: col,
            intestazione: headers.get(col).cloned().unwrap_or_default(),
            lettera: column_letter(col),
        });
        self.colonne.sort_by_key(|c| c.campo);
    }

    pub fn remove(&mut self, field: Field) {
        self.colonne.retain(|c| c.campo != field);
    }

    /// The header of the column feeding `field`.
    pub fn header_of(&self, field: Field) -> Option<&str> {
        self.get(field).map(|c| c.intestazione.as_str())
    }

    /// How the sheet's rows make debts: wide when a column holds an option's amount or due
    /// date, long when a column names the position or numbers the option, else one debt a row.
    pub fn forma(&self) -> Forma {
        if self.colonne.iter().any(|c| c.campo.opzione().is_some()) {
            Forma::Larga
        } else if self.has(Field::Posizione) || self.has(Field::Rata) {
            Forma::Lunga
        } else {
            Forma::Semplice
        }
    }

    /// The options (0: the rata unica) whose amount or due date has a column, in order.
    pub fn opzioni(&self) -> Vec<u8> {
        let mut out: Vec<u8> = self
            .colonne
            .iter()
            .filter_map(|c| c.campo.opzione())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The clerk's `campo=colonna`. The column is a header (as written, any case or
    /// punctuation) or a letter; empty or `-` unmaps the field.
    pub fn apply_override(&mut self, pair: &str, headers: &[String]) -> Result<(), String> {
        let Some((k, v)) = pair.split_once('=') else {
            return Err(format!(
                "«{pair}»: scriva campo=colonna, ad esempio importo=\"Importo €\" oppure importo=C"
            ));
        };
        let field = Field::from_key(k).ok_or_else(|| {
            format!(
                "campo «{}» sconosciuto: usi uno tra {}",
                k.trim(),
                Field::ALL
                    .iter()
                    .map(|f| f.key())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?;
        let v = v.trim().trim_matches('"');
        if v.is_empty() || v == "-" {
            self.remove(field);
            return Ok(());
        }
        let wanted = normalize_header(v);
        let by_header = headers
            .iter()
            .position(|h| normalize_header(h) == wanted && !wanted.is_empty());
        let col = by_header
            .or_else(|| column_index(v).filter(|&c| c < headers.len().max(1) + 64))
            .ok_or_else(|| {
                format!(
                    "colonna «{v}» non trovata: le intestazioni sono {}",
                    headers
                        .iter()
                        .enumerate()
                        .filter(|(_, h)| !h.is_empty())
                        .map(|(i, h)| format!("{} «{h}»", column_letter(i)))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?;
        self.set(field, col, headers);
        Ok(())
    }

    /// Re-reads the saved mapping against `headers`: a column whose header changed is dropped.
    pub fn rebased(&self, headers: &[String]) -> Mapping {
        let mut m = Mapping::default();
        for c in &self.colonne {
            if headers
                .get(c.colonna)
                .is_some_and(|h| normalize_header(h) == normalize_header(&c.intestazione))
            {
                m.set(c.campo, c.colonna, headers);
            }
        }
        m
    }
}

/// The mapping proposed for `headers`: each field its best column, each column one field.
pub fn propose(headers: &[String]) -> Mapping {
    let mut candidates: Vec<(u8, usize, Field)> = headers
        .iter()
        .enumerate()
        .filter_map(|(i, h)| field_for_header(h).map(|(f, s)| (s, i, f)))
        .collect();
    // Exact matches first, then left to right.
    candidates.sort_by_key(|(s, i, _)| (std::cmp::Reverse(*s), *i));
    let mut m = Mapping::default();
    let mut used = Vec::new();
    for (_, i, f) in candidates {
        if m.has(f) || used.contains(&i) {
            continue;
        }
        used.push(i);
        m.set(f, i, headers);
    }
    // A single name column makes separate name/surname columns redundant.
    if m.has(Field::Anagrafica) {
        m.remove(Field::Nome);
        m.remove(Field::Cognome);
    }
    m
}

/// A column the proposed mapping left out, and why (the preview says it to the clerk).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColonnaEsclusa {
    /// 0-based column index.
    pub colonna: usize,
    pub lettera: String,
    pub intestazione: String,
    /// Why it was left out, in Italian.
    pub motivo: String,
}

/// How many data rows must run 1, 2, 3… before a column is taken for a row counter.
const MIN_CONTATORE: usize = 3;

/// True when the values of column `col` in `rows` (blank rows skipped) are whole numbers that
/// go up by one from the first, for at least [`MIN_CONTATORE`] rows: a row counter ("N.",
/// "#", "Progressivo"), never data of a debt.
pub fn is_row_counter(rows: &[SheetRow], col: usize) -> bool {
    let mut expected: Option<i64> = None;
    let mut seen = 0;
    for row in rows.iter().filter(|r| !r.is_blank()) {
        let n = match row.get(col) {
            Cell::Number(x) if x.fract() == 0.0 && x.abs() < 1e12 => *x as i64,
            Cell::Text(t) => match t.trim().trim_end_matches('.').parse::<i64>() {
                Ok(n) => n,
                Err(_) => return false,
            },
            // A total row at the bottom may leave the counter empty: stop there.
            Cell::Empty => break,
            _ => return false,
        };
        if expected.is_some_and(|e| e != n) {
            return false;
        }
        expected = Some(n + 1);
        seen += 1;
    }
    seen >= MIN_CONTATORE
}

/// The fields a row counter is mistaken for: a number with no unit and no decimals. Amounts,
/// codes and dates that happen to run 1, 2, 3 in a small list stay mapped.
const CAMPI_CONTATORE: [Field; 2] = [Field::Civico, Field::Iud];

/// Removes from `m` the house number or IUD fed by a row counter (see [`is_row_counter`]) in
/// the first data `rows`, and says which columns were left out and why.
pub fn drop_row_counters(m: &mut Mapping, rows: &[SheetRow]) -> Vec<ColonnaEsclusa> {
    let contatori: Vec<MappedColumn> = m
        .colonne
        .iter()
        .filter(|c| CAMPI_CONTATORE.contains(&c.campo) && is_row_counter(rows, c.colonna))
        .cloned()
        .collect();
    contatori
        .into_iter()
        .map(|c| {
            m.remove(c.campo);
            ColonnaEsclusa {
                motivo: format!(
                    "i valori vanno 1, 2, 3…: numera le righe, non è {}",
                    c.campo.label_it()
                ),
                colonna: c.colonna,
                lettera: c.lettera,
                intestazione: c.intestazione,
            }
        })
        .collect()
}

/// The columns of `headers` that the proposed mapping `m` leaves unmapped although they run
/// 1, 2, 3… in the first data `rows` (a bare «N.», «#», «Nr.» numbering the rows): the preview
/// says why they are left out, as it does for the ones [`drop_row_counters`] removed, so the
/// clerk does not wonder whether a column was forgotten (issue 13).
pub fn unmapped_row_counters(
    m: &Mapping,
    headers: &[String],
    rows: &[SheetRow],
) -> Vec<ColonnaEsclusa> {
    (0..headers.len())
        .filter(|&col| !m.colonne.iter().any(|c| c.colonna == col))
        .filter(|&col| is_row_counter(rows, col))
        .map(|col| ColonnaEsclusa {
            colonna: col,
            lettera: column_letter(col),
            intestazione: headers[col].clone(),
            motivo: "i valori vanno 1, 2, 3…: numera le righe".to_string(),
        })
        .collect()
}

/// The key a confirmed mapping is saved under: the normalised headers, in order.
pub fn layout_key(headers: &[String]) -> String {
    let mut parts: Vec<String> = headers.iter().map(|h| normalize_header(h)).collect();
    while parts.last().is_some_and(String::is_empty) {
        parts.pop();
    }
    parts.join("|")
}

/// The header texts of a header row (empty cells as empty strings).
pub fn headers_of(row: &SheetRow) -> Vec<String> {
    row.cells
        .iter()
        .map(|c| crate::text::clean_text(&c.display()))
        .collect()
}
