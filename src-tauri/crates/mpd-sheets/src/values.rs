//! Cell values into tracciato text: amounts, dates, codes, free text.
//!
//! Amounts never pass through float arithmetic. An Excel numeric cell is an IEEE double; its
//! shortest round-trip decimal form (Rust's `{}` for `f64`) is exactly what Excel shows with
//! enough decimals, so `0.1 + 0.2` arrives as `0.30000000000000004`, is parsed as a
//! `Decimal`, and is rounded to cents (`0.30`). Values whose extra decimals are real (`12.345`)
//! are rounded too, and the caller is told so it can warn the clerk.
//!
//! Codes (codice fiscale, P.IVA, IUV, CAP) typed into a cell formatted as number have already
//! lost their leading zeros, and beyond 15 significant digits their last digits: the first is
//! repaired where the length is known (CAP 5, P.IVA 11) and reported, the second is an error.

use chrono::{Datelike, NaiveDate};
use mpd_domain::money;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::cell::Cell;

/// The text of a number as an Italian spreadsheet shows it: integers without `,0`, otherwise
/// the shortest decimal that reads back as the same double, with a decimal comma (`120,5`, as
/// the clerk sees the cell; never re-read as a number: amounts, dates and codes are read from
/// the double itself).
pub fn number_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}").replace('.', ",")
    }
}

/// The exact decimal Excel shows for a double (see the module doc); `None` for NaN/∞ or
/// magnitudes a `Decimal` cannot hold.
pub fn decimal_from_f64(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    let text = format!("{f}");
    text.parse::<Decimal>()
        .ok()
        .or_else(|| Decimal::from_scientific(&text).ok())
}

/// An amount read from a cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Amount {
    /// Rounded to cents, commercial rounding.
    pub value: Decimal,
    /// The value before rounding, when the cell had real decimals beyond the cents.
    pub rounded_from: Option<Decimal>,
}

impl Amount {
    /// As the tracciato writes it: `1234.50`.
    pub fn tracciato(&self) -> String {
        money::format_tracciato(self.value)
    }
}

/// Reads an amount: numeric cells through `Decimal`, text the way Italians type it.
/// The error is an Italian sentence saying how to fix the cell.
pub fn amount(cell: &Cell) -> Result<Amount, String> {
    match cell {
        Cell::Number(f) => {
            let d = decimal_from_f64(*f).ok_or_else(|| {
                "non è un importo valido: scriva un numero, ad esempio 120,50".to_string()
            })?;
            let r = d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
            // Differences below a millionth of a euro are float noise from a formula
            // (0.1 + 0.2), not decimals the clerk meant: round silently.
            let noise = Decimal::new(1, 6);
            let rounded_from = ((d - r).abs() >= noise).then_some(d);
            Ok(Amount {
                value: r,
                rounded_from,
            })
        }
        Cell::Text(s) => {
            let d = money::parse_it(s).map_err(|e| match e {
                money::AmountError::TooManyDecimals => {
                    "ha più di due decimali: arrotonda ai centesimi, ad esempio 12,35".to_string()
                }
                money::AmountError::NotANumber | money::AmountError::CommaSeparator => {
                    "non è un importo: scriva solo cifre, con la virgola per i decimali, ad esempio 1.234,56".to_string()
                }
                other => other.message_it(),
            })?;
            Ok(Amount {
                value: d.round_dp(2),
                rounded_from: None,
            })
        }
        Cell::Empty => Err("manca l'importo".to_string()),
        Cell::Date(_) => Err("è una data, non un importo: controlli la colonna".to_string()),
        Cell::Bool(_) => Err("è un valore VERO/FALSO, non un importo".to_string()),
        Cell::Error(e) => Err(format!(
            "la cella contiene l'errore di formula {e}: corregga la formula o scriva l'importo"
        )),
    }
}

/// Excel's serial date (1900 system, with its fictitious 29/02/1900) into a date.
pub fn excel_serial_date(serial: f64) -> Option<NaiveDate> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    // From 1 March 1900 on, day 0 is 30/12/1899 because Excel counts 29/02/1900.
    let epoch = if days >= 61 {
        NaiveDate::from_ymd_opt(1899, 12, 30)?
    } else {
        NaiveDate::from_ymd_opt(1899, 12, 31)?
    };
    epoch.checked_add_signed(chrono::Duration::days(days))
}

const DATE_HELP: &str = "la scriva come gg/mm/aaaa, ad esempio 31/12/2026";

/// Reads a date: date cells, Excel serial numbers, `dd/mm/yyyy`, `d/m/yy`, `yyyy-mm-dd`
/// (also with `.` or `-`, and with a time after it, which is ignored).
pub fn date(cell: &Cell) -> Result<NaiveDate, String> {
    match cell {
        Cell::Date(d) => Ok(*d),
        Cell::Number(f) => excel_serial_date(*f)
            .ok_or_else(|| format!("«{}» non è una data: {DATE_HELP}", number_text(*f))),
        Cell::Text(s) => date_text(s),
        Cell::Empty => Err(format!("manca la data: {DATE_HELP}")),
        Cell::Bool(_) => Err(format!("non è una data: {DATE_HELP}")),
        Cell::Error(e) => Err(format!(
            "la cella contiene l'errore di formula {e}: {DATE_HELP}"
        )),
    }
}

/// A date typed as text (see [`date`]).
pub fn date_text(s: &str) -> Result<NaiveDate, String> {
    let t = s.trim();
    let t = t.split([' ', 'T']).next().unwrap_or(t);
    let bad = || format!("«{s}» non è una data valida: {DATE_HELP}");
    let sep = t
        .chars()
        .find(|c| matches!(c, '/' | '.' | '-'))
        .ok_or_else(bad)?;
    let parts: Vec<&str> = t.split(sep).collect();
    let [a, b, c] = parts.as_slice() else {
        return Err(bad());
    };
    let digits = |p: &str| !p.is_empty() && p.len() <= 4 && p.bytes().all(|x| x.is_ascii_digit());
    if !digits(a) || !digits(b) || !digits(c) {
        return Err(bad());
    }
    let n = |p: &str| p.parse::<u32>().unwrap_or(0);
    let (y, m, d) = if a.len() == 4 {
        (n(a) as i32, n(b), n(c))
    } else if a.len() <= 2 && b.len() <= 2 && (c.len() == 4 || c.len() == 2) {
        // Two-digit years are this century's: clerks' due dates are never in the 1900s.
        let y = if c.len() == 2 {
            2000 + n(c) as i32
        } else {
            n(c) as i32
        };
        (y, n(b), n(a))
    } else {
        return Err(bad());
    };
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| {
        format!("«{s}» non esiste nel calendario (controlli giorno e mese): {DATE_HELP}")
    })
}

/// What kind of code a column holds; decides how a numeric cell is repaired.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeKind {
    /// Codice fiscale or partita IVA: a number is a P.IVA that lost its leading zeros.
    CodiceFiscale,
    /// 5 digits.
    Cap,
    /// 17 (or 15) digits: beyond Excel's 15 significant digits.
    Iuv,
    /// Anything else (IUD, civico, province…): the number's digits as they are.
    Other,
}

/// A code read from a cell, with the warning to give when the cell was a number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Code {
    pub text: String,
    pub warning: Option<String>,
}

/// Reads a code. Text is cleaned ([`crate::text::clean_code`]); numbers are checked for
/// lost digits (see the module doc).
pub fn code(cell: &Cell, kind: CodeKind) -> Result<Code, String> {
    match cell {
        Cell::Text(s) => Ok(Code {
            text: crate::text::clean_code(s),
            warning: None,
        }),
        Cell::Empty => Ok(Code {
            text: String::new(),
            warning: None,
        }),
        Cell::Number(f) => {
            let as_text = "formatta la colonna come Testo e riscrivi il codice";
            if !f.is_finite() || *f < 0.0 || f.fract() != 0.0 {
                return Err(format!("«{}» non è un codice: {as_text}", number_text(*f)));
            }
            if *f >= 1e15 || kind == CodeKind::Iuv {
                return Err(format!(
                    "il codice è salvato come numero ({}) e Excel ne ha perso le ultime cifre \
                     (oltre 15 cifre): {as_text}",
                    number_text(*f)
                ));
            }
            let digits = format!("{}", *f as u64);
            let width = match kind {
                CodeKind::Cap => 5,
                CodeKind::CodiceFiscale => 11,
                _ => 0,
            };
            if digits.len() < width {
                let padded = format!("{digits:0>width$}");
                Ok(Code {
                    warning: Some(format!(
                        "il codice è salvato come numero e ha perso gli zeri iniziali: letto come «{padded}»; \
                         lo controlli e formatti la colonna come Testo"
                    )),
                    text: padded,
                })
            } else {
                Ok(Code {
                    text: digits,
                    warning: (kind != CodeKind::Other).then(|| {
                        "il codice è salvato come numero: formatta la colonna come Testo per non perdere zeri iniziali"
                            .to_string()
                    }),
                })
            }
        }
        Cell::Date(d) => Err(format!(
            "«{}» è una data, non un codice: controlli la colonna",
            d.format("%d/%m/%Y")
        )),
        Cell::Bool(_) => Err("è un valore VERO/FALSO, non un codice".to_string()),
        Cell::Error(e) => Err(format!("la cella contiene l'errore di formula {e}")),
    }
}

/// Free text from any cell: numbers as shown, dates as `dd/mm/yyyy`, whitespace collapsed.
pub fn text(cell: &Cell) -> String {
    match cell {
        Cell::Text(s) => crate::text::clean_text(s),
        other => other.display(),
    }
}

/// The payer type: `F`/`G`, or words a clerk uses ("persona fisica", "ditta").
pub fn tipo_pagatore(cell: &Cell) -> Result<String, String> {
    let t = crate::text::normalize_header(&cell.display());
    let v = match t.as_str() {
        "" => "",
        "f" | "pf" | "fisica" | "persona fisica" | "privato" | "cittadino" => "F",
        "g" | "pg" | "giuridica" | "persona giuridica" | "ditta" | "azienda" | "impresa"
        | "societa" | "ente" => "G",
        _ => {
            return Err(format!(
                "«{}» non è un tipo di pagatore: scriva F (persona fisica) o G (persona giuridica)",
                cell.display()
            ));
        }
    };
    Ok(v.to_string())
}

/// The year of a date, for causale templates.
pub fn year(d: NaiveDate) -> i32 {
    d.year()
}
