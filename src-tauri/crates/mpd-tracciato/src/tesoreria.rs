//! The Ente's treasury journal (*giornale di cassa*): the money that reached the treasury, as
//! MyPivot reads it (spec riconciliazione §3) and a little more leniently (§7.2).
//!
//! One module per format, each into the same canonical record, [`Movimento`] (spec §7.1
//! `TreasuryMov`):
//!
//! | format | module | MyPivot type | what is kept |
//! |---|---|---|---|
//! | CSV giornale di cassa | [`csv`] | C | every credit row; columns mapped by header or position |
//! | bank movements XLS/XLSX (sheet `MOVIMENTI`) | [`xls`] | T | `SEGNO` `+` rows with an IUF or IUV |
//! | OPI / SIOPE+ giornale di cassa XML 1.4–1.8 | [`opi`] | O | `ENTRATA` + `SOSPESO ENTRATA` + `ESEGUITO`; `STORNATO` reverses |
//! | Poste estratto conto CSV | [`poste`] | Y | credits with an IUF or IUV |
//!
//! [`riconosci`] tells the format from the content. The IUF and IUV come from the causale
//! through mpd-domain's [`mpd_domain::causale::leggi`] (MyPivot's reading alongside).
//!
//! A row that cannot be read (a date, an amount, a missing field) is a [`Problema`] naming the
//! row and the field; a file with any problem is refused whole ([`ErroreTesoreria`]), so that
//! nothing is half-stored. Rows a format leaves out on purpose (debits, other documents) are
//! counted in [`Giornale::ignorate`] with the reason.
//!
//! **Identity of a journal** ([`Giornale::identita`]), used by the store to tell a re-import
//! (same identity, same [`Giornale::impronta`]: nothing added) from a corrected journal (same
//! identity, other content: it replaces the old one): an OPI flow is
//! `opi:<identificativo_flusso_BT>:<pagina>`; the other formats carry no identifier, so theirs
//! is the period they cover, `<formato>:<first date>..<last date>` (a bank exporting the same
//! days again exports a correction). Entries are keyed by `(anno, bolletta)` whatever the
//! journal; Poste and bank rows have no bolletta, so theirs is made from their content
//! ([`bolletta_sintetica`]).

pub mod csv;
pub mod opi;
pub mod poste;
pub mod xls;

use std::fmt;

use chrono::{Datelike, NaiveDate};
use mpd_domain::causale;
use rust_decimal::Decimal;

/// Most problems reported for one file.
pub const MAX_PROBLEMI: usize = 50;

/// The format of a treasury journal (MyPivot's type letter in [`Formato::lettera`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Formato {
    /// CSV giornale di cassa (type C).
    Csv,
    /// The bank's movements as XLS/XLSX (type T).
    Xls,
    /// OPI / SIOPE+ giornale di cassa XML (type O).
    Opi,
    /// Poste's estratto conto CSV (type Y).
    Poste,
}

impl Formato {
    pub const TUTTI: [Formato; 4] = [Formato::Csv, Formato::Xls, Formato::Opi, Formato::Poste];

    /// The format's code: `csv`, `xls`, `opi`, `poste`.
    pub fn codice(self) -> &'static str {
        match self {
            Formato::Csv => "csv",
            Formato::Xls => "xls",
            Formato::Opi => "opi",
            Formato::Poste => "poste",
        }
    }

    /// MyPivot's type letter (C, T, O, Y).
    pub fn lettera(self) -> char {
        match self {
            Formato::Csv => 'C',
            Formato::Xls => 'T',
            Formato::Opi => 'O',
            Formato::Poste => 'Y',
        }
    }

    /// The format from its code.
    pub fn da_codice(codice: &str) -> Option<Formato> {
        Formato::TUTTI
            .into_iter()
            .find(|f| f.codice().eq_ignore_ascii_case(codice.trim()))
    }

    /// The format as the clerk reads it.
    pub fn nome(self) -> &'static str {
        match self {
            Formato::Csv => "giornale di cassa CSV",
            Formato::Xls => "movimenti bancari Excel",
            Formato::Opi => "giornale di cassa OPI",
            Formato::Poste => "estratto conto Poste",
        }
    }
}

/// A provisional receipt still to be regularised (OPI `sospeso_da_regolarizzare`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sospeso {
    pub data: Option<NaiveDate>,
    pub codice: String,
}

/// One treasury entry (spec §7.1 `TreasuryMov`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Movimento {
    pub formato: Formato,
    /// The row (CSV, sheet) or line (XML) it was read from, 1-based.
    pub riga: usize,
    /// Year of the bolletta (OPI `esercizio`).
    pub anno: i32,
    /// The bolletta (or provisional receipt) number within the year.
    pub bolletta: String,
    pub data_contabile: NaiveDate,
    pub data_valuta: NaiveDate,
    /// Positive: money in.
    pub importo: Decimal,
    pub ordinante: String,
    pub causale: String,
    pub iuf: Option<String>,
    pub iuv: Option<String>,
    /// How the causale was read (Italian).
    pub lettura: String,
    pub sospeso: Option<Sospeso>,
    /// An OPI `STORNATO`: it reverses the entry `(anno, bolletta)` and is not an entry itself.
    pub storno: bool,
}

/// A row left out on purpose, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ignorata {
    pub riga: usize,
    pub motivo: String,
}

/// A whole journal as read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Giornale {
    pub formato: Formato,
    /// Who the journal is: a corrected journal has the same identity (module doc).
    pub identita: String,
    /// The content's fingerprint: the same journal again has the same one.
    pub impronta: String,
    /// Entries and storni in file order.
    pub movimenti: Vec<Movimento>,
    pub ignorate: Vec<Ignorata>,
    /// Things the clerk should know about the file (encoding, separator, mapping).
    pub note: Vec<String>,
}

/// A row that cannot be read: its row (or line), its field, what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problema {
    /// 0 for the file as a whole.
    pub riga: usize,
    pub campo: String,
    pub messaggio: String,
}

impl fmt::Display for Problema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.riga, self.campo.is_empty()) {
            (0, true) => write!(f, "{}", self.messaggio),
            (0, false) => write!(f, "«{}»: {}", self.campo, self.messaggio),
            (r, true) => write!(f, "riga {r}: {}", self.messaggio),
            (r, false) => write!(f, "riga {r}, «{}»: {}", self.campo, self.messaggio),
        }
    }
}

/// Why a journal cannot be read: every problem found (up to [`MAX_PROBLEMI`]).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", .problemi.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
pub struct ErroreTesoreria {
    pub problemi: Vec<Problema>,
}

impl ErroreTesoreria {
    pub(crate) fn file(messaggio: impl Into<String>) -> ErroreTesoreria {
        ErroreTesoreria {
            problemi: vec![Problema {
                riga: 0,
                campo: String::new(),
                messaggio: messaggio.into(),
            }],
        }
    }
}

/// Collects problems up to the cap.
#[derive(Default)]
pub(crate) struct Problemi(pub Vec<Problema>);

impl Problemi {
    pub fn push(&mut self, riga: usize, campo: &str, messaggio: impl Into<String>) {
        if self.0.len() < MAX_PROBLEMI {
            self.0.push(Problema {
                riga,
                campo: campo.to_string(),
                messaggio: messaggio.into(),
            });
        }
    }

    pub fn pieno(&self) -> bool {
        self.0.len() >= MAX_PROBLEMI
    }

    pub fn esito<T>(self, ok: T) -> Result<T, ErroreTesoreria> {
        if self.0.is_empty() {
            Ok(ok)
        } else {
            Err(ErroreTesoreria { problemi: self.0 })
        }
    }
}

/// The format of a journal from its first bytes: a workbook (zip or OLE) is [`Formato::Xls`],
/// XML is [`Formato::Opi`], a text whose first line is `<label>;<IBAN>` is
/// [`Formato::Poste`], any other text [`Formato::Csv`].
pub fn riconosci(inizio: &[u8]) -> Formato {
    if inizio.starts_with(b"PK\x03\x04")
        || inizio.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
    {
        return Formato::Xls;
    }
    let senza_bom = inizio.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(inizio);
    let primo = senza_bom
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(&b""[..], |i| &senza_bom[i..]);
    if primo.starts_with(b"<") {
        return Formato::Opi;
    }
    let riga = primo
        .split(|&b| b == b'\n')
        .next()
        .unwrap_or_default()
        .strip_suffix(b"\r")
        .unwrap_or_else(|| primo.split(|&b| b == b'\n').next().unwrap_or_default());
    if poste::riga_iban(&String::from_utf8_lossy(riga)).is_some() {
        Formato::Poste
    } else {
        Formato::Csv
    }
}

/// Reads a text or XML journal in the format given; a workbook ([`Formato::Xls`]) is read by
/// rows ([`xls::leggi_righe`]), not from bytes.
pub fn leggi_testo(
    formato: Formato,
    bytes: &[u8],
    mappatura: &[String],
) -> Result<Giornale, ErroreTesoreria> {
    match formato {
        Formato::Csv => csv::leggi(bytes, mappatura),
        Formato::Opi => opi::leggi(bytes),
        Formato::Poste => poste::leggi(bytes),
        Formato::Xls => Err(ErroreTesoreria::file(
            "un file Excel si legge dalle righe del suo foglio, non come testo",
        )),
    }
}

/// The text of a file: UTF-8 (BOM dropped) when it is valid UTF-8, else the single-byte
/// encoding given (Latin-1 files from Italian banks).
pub(crate) fn testo(bytes: &[u8], altrimenti: &'static encoding_rs::Encoding) -> (String, String) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(t) => (t.to_string(), "UTF-8".to_string()),
        Err(_) => {
            let (t, _, _) = altrimenti.decode(bytes);
            (t.into_owned(), altrimenti.name().to_string())
        }
    }
}

/// An amount as banks and clerks write it: `1.234,56`, `1234,56`, `1234.56`, `€ 12,00`.
pub fn importo(s: &str) -> Result<Decimal, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err("manca l'importo".into());
    }
    let d = mpd_domain::money::parse_it(t).map_err(|_| {
        format!("«{t}» non è un importo: si aspetta ad esempio 1.234,56 oppure 1234.56")
    })?;
    if d.scale() > 2 && d.round_dp(2) != d {
        return Err(format!("«{t}» ha più di due decimali"));
    }
    Ok(d)
}

/// A date as banks write it: `dd/mm/yyyy` (or `dd-mm-yyyy`, `dd.mm.yyyy`), `yyyy-mm-dd`
/// (a time after it ignored), `yyyymmdd[hhmmss]` (how MyPivot's reader renders an Excel date).
pub fn data(s: &str) -> Result<NaiveDate, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err("manca la data".into());
    }
    let sbagliata = || format!("«{t}» non è una data: si aspetta gg/mm/aaaa oppure aaaa-mm-gg");
    let b = t.as_bytes();
    let giorno = if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' {
        NaiveDate::parse_from_str(&t[..10], "%Y-%m-%d").ok()
    } else if b.len() >= 8 && b[..8].iter().all(u8::is_ascii_digit) && !t.contains(['/', '.']) {
        NaiveDate::parse_from_str(&t[..8], "%Y%m%d").ok()
    } else {
        let norm: String = t
            .split_whitespace()
            .next()
            .unwrap_or("")
            .chars()
            .map(|c| if c == '-' || c == '.' { '/' } else { c })
            .collect();
        NaiveDate::parse_from_str(&norm, "%d/%m/%Y").ok()
    };
    giorno.ok_or_else(sbagliata)
}

/// A bolletta made from an entry's content, for formats that carry none (Poste, bank rows
/// without a reference): a letter, the day and an FNV-1a hash of amount and causale, so that
/// the same row exported again has the same key. `n` tells apart identical rows of one day.
pub fn bolletta_sintetica(
    lettera: char,
    giorno: NaiveDate,
    importo: Decimal,
    causale: &str,
    n: usize,
) -> String {
    use std::hash::Hasher;
    let mut h = fnv::FnvHasher::default();
    h.write(importo.normalize().to_string().as_bytes());
    h.write(b"|");
    h.write(causale.as_bytes());
    let base = format!(
        "{lettera}{}-{:06x}",
        giorno.format("%Y%m%d"),
        h.finish() & 0xFF_FFFF
    );
    if n > 0 { format!("{base}-{n}") } else { base }
}

/// The fingerprint of a list of entries (FNV-1a over their fields).
pub(crate) fn impronta(movimenti: &[Movimento]) -> String {
    use std::hash::Hasher;
    let mut h = fnv::FnvHasher::default();
    for m in movimenti {
        for parte in [
            m.anno.to_string(),
            m.bolletta.clone(),
            m.data_contabile.to_string(),
            m.data_valuta.to_string(),
            m.importo.normalize().to_string(),
            m.ordinante.clone(),
            m.causale.clone(),
            u8::from(m.storno).to_string(),
            m.sospeso
                .as_ref()
                .map(|s| {
                    let data = s.data.map(|d| d.to_string()).unwrap_or_default();
                    format!("{data}|{}", s.codice)
                })
                .unwrap_or_default(),
        ] {
            h.write(parte.as_bytes());
            h.write(&[0]);
        }
    }
    format!("{:016x}", h.finish())
}

/// The identity of a journal without one of its own: its format and the days it covers.
pub(crate) fn identita_periodo(formato: Formato, movimenti: &[Movimento]) -> String {
    let primo = movimenti.iter().map(|m| m.data_contabile).min();
    let ultimo = movimenti.iter().map(|m| m.data_contabile).max();
    match (primo, ultimo) {
        (Some(a), Some(b)) => format!("{}:{a}..{b}", formato.codice()),
        _ => format!("{}:vuoto", formato.codice()),
    }
}

/// Fills the IUF, IUV and their explanation of an entry from its causale (or another text).
pub(crate) fn riferimenti(testo: &str) -> (Option<String>, Option<String>, String) {
    let l = causale::leggi(testo);
    (l.iuf, l.iuv, l.spiegazione)
}

/// The year of a date.
pub(crate) fn anno(d: NaiveDate) -> i32 {
    d.year()
}

/// Text cut to `n` characters (for a name MyPivot keeps to 30 characters, we keep more).
pub(crate) fn taglia(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

#[cfg(test)]
mod tests;
