//! Codice fiscale of persons (16 characters, with omocodia) and of legal persons (11 digits).
//!
//! We do not use the `codice_fiscale` crate: it panics on some inputs, overflows its checksum,
//! rejects omocodic and lower-case codes and is slow (see notes/crates.md). This module mirrors
//! the formal checks of MyPay's `CFUtilities` (a port of the Agenzia delle Entrate program), so a
//! code we accept is one MyPay accepts and vice versa. Input is upper-cased first, as MyPay does;
//! nothing here allocates or panics, whatever the input.

use crate::lookup;
use crate::piva::{self, PivaError};

/// Why a codice fiscale is not valid. Positions are 1-based, as a clerk would count them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CfError {
    /// Neither 16 characters nor 11 digits.
    WrongLength { len: usize },
    /// A letter was expected at this position.
    LetterExpected { position: usize },
    /// A digit (or an omocodia letter L M N P Q R S T U V) was expected at this position.
    DigitExpected { position: usize },
    /// Position 9 is not one of the month letters A B C D E H L M P R S T.
    InvalidMonth,
    /// Day (positions 10–11) not in 1–31 (men) or 41–71 (women).
    InvalidDay,
    /// Day and month do not form a real date (e.g. 31 April, 29 February of a non-leap year).
    InvalidDate,
    /// Position 12 (first character of the comune code) not in A–M or Z.
    InvalidPlace,
    /// Positions 13–15 are `000`.
    ZeroPlace,
    /// The check character (position 16) is wrong.
    WrongCheckChar { expected: char },
    /// An 11-digit code failed the numeric check.
    Numeric(PivaError),
}

/// The message of a wrong check character: the code must be copied again from the document.
pub const CF_CONTROLLO: &str = "il carattere di controllo (l'ultimo) non corrisponde agli altri: almeno un carattere è sbagliato. Va ricopiato dal documento (tessera sanitaria o carta d'identità); correggerlo a intuito può dare il codice di un'altra persona";

impl CfError {
    /// Italian explanation, without the field name (the caller adds it).
    pub fn message_it(&self) -> String {
        match self {
            CfError::WrongLength { len } => format!(
                "deve avere 16 caratteri (persona fisica) oppure 11 cifre (partita IVA / codice numerico); ne ha {len}"
            ),
            CfError::LetterExpected { position } => format!("al carattere {position} ci deve essere una lettera"),
            CfError::DigitExpected { position } => format!("al carattere {position} ci deve essere una cifra"),
            CfError::InvalidMonth => {
                "il 9° carattere (mese di nascita) deve essere una delle lettere A B C D E H L M P R S T".to_string()
            }
            CfError::InvalidDay => {
                "i caratteri 10-11 (giorno di nascita) devono essere tra 01 e 31, o tra 41 e 71 per le donne".to_string()
            }
            CfError::InvalidDate => "giorno e mese di nascita non formano una data esistente".to_string(),
            CfError::InvalidPlace => {
                "il 12° carattere (codice del comune di nascita) deve essere una lettera tra A e M, oppure Z per i nati all'estero".to_string()
            }
            CfError::ZeroPlace => "il codice del comune di nascita non può finire con 000".to_string(),
            // Never the expected character: "fixing" the last one would turn a typo in the
            // middle into someone else's valid code (issue 13).
            CfError::WrongCheckChar { .. } => CF_CONTROLLO.to_string(),
            CfError::Numeric(e) => e.message_it(),
        }
    }
}

/// Which kind of codice fiscale passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CfKind {
    /// 16-character personal code.
    Persona,
    /// 11-digit numeric code.
    Numerico,
}

/// Omocodia letters: digit `d` is replaced by `OMOCODIA[d]`.
const OMOCODIA: &[u8; 10] = b"LMNPQRSTUV";
/// 0-based positions that hold digits (or omocodia letters).
const NUMERIC_POS: [usize; 7] = [6, 7, 9, 10, 12, 13, 14];
const LETTER_POS: [usize; 6] = [0, 1, 2, 3, 4, 5];
const MONTHS: &[u8; 12] = b"ABCDEHLMPRST";
/// Values of A..Z (and of 0..9, which map to A..J) at odd 1-based positions.
const ODD: [u32; 26] = [
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
];

fn omocodia_digit(c: u8) -> Option<u8> {
    OMOCODIA.iter().position(|&o| o == c).map(|p| p as u8)
}

/// Digit value of a numeric position, decoding omocodia letters.
fn digit_value(c: u8) -> Option<u8> {
    if c.is_ascii_digit() {
        Some(c - b'0')
    } else {
        omocodia_digit(c)
    }
}

/// Upper-cases `code` into a 16-byte buffer, or `None` if it is not 16 ASCII characters.
fn upper16(code: &str) -> Option<[u8; 16]> {
    let b = code.as_bytes();
    if b.len() != 16 || !b.is_ascii() {
        return None;
    }
    Some(std::array::from_fn(|i| b[i].to_ascii_uppercase()))
}

/// Check character of the first 15 characters (upper-case ASCII letters/digits), or `None` if a
/// character is neither. Uses a `u32` sum: the `u8` sum of the broken crate overflows.
pub fn check_char(first15: &[u8]) -> Option<char> {
    if first15.len() != 15 {
        return None;
    }
    let mut sum = 0u32;
    for (i, &c) in first15.iter().enumerate() {
        let idx = match c {
            b'0'..=b'9' => (c - b'0') as usize,
            b'A'..=b'Z' => (c - b'A') as usize,
            _ => return None,
        };
        // 1-based odd positions are 0-based even indices.
        sum += if i % 2 == 0 { ODD[idx] } else { idx as u32 };
    }
    Some(char::from(b'A' + (sum % 26) as u8))
}

fn days_in_month(month: u8, yy: u8) -> u8 {
    match month {
        2 => {
            // MyPay only knows the two-digit year: 29 February is valid when it is divisible by 4.
            if yy.is_multiple_of(4) { 29 } else { 28 }
        }
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// MyPay's formal check of a 16-character codice fiscale (case-insensitive).
pub fn check_cf16(code: &str) -> Result<(), CfError> {
    let Some(cf) = upper16(code) else {
        return Err(CfError::WrongLength {
            len: code.chars().count(),
        });
    };
    for p in LETTER_POS {
        if !cf[p].is_ascii_uppercase() {
            return Err(CfError::LetterExpected { position: p + 1 });
        }
    }
    for p in NUMERIC_POS {
        if digit_value(cf[p]).is_none() {
            return Err(CfError::DigitExpected { position: p + 1 });
        }
    }
    let Some(month) = MONTHS.iter().position(|&m| m == cf[8]) else {
        return Err(CfError::InvalidMonth);
    };
    let dv = |p: usize| digit_value(cf[p]).unwrap_or(0);
    let yy = dv(6) * 10 + dv(7);
    let mut day = dv(9) * 10 + dv(10);
    if day > 40 {
        day -= 40;
    }
    if !(1..=31).contains(&day) {
        return Err(CfError::InvalidDay);
    }
    if day > days_in_month(month as u8 + 1, yy) {
        return Err(CfError::InvalidDate);
    }
    if !(matches!(cf[11], b'A'..=b'M') || cf[11] == b'Z') {
        return Err(CfError::InvalidPlace);
    }
    if &cf[12..15] == b"000" {
        return Err(CfError::ZeroPlace);
    }
    if !cf[15].is_ascii_uppercase() {
        return Err(CfError::LetterExpected { position: 16 });
    }
    let expected = check_char(&cf[..15]).unwrap_or('?');
    if char::from(cf[15]) != expected {
        return Err(CfError::WrongCheckChar { expected });
    }
    Ok(())
}

/// 11-digit numeric codice fiscale: the P.IVA checksum.
pub fn check_cf11(code: &str) -> Result<(), CfError> {
    piva::check_piva(code).map_err(CfError::Numeric)
}

/// A 16-character code or an 11-digit one, each with MyPay's checks.
pub fn check_cf(code: &str) -> Result<CfKind, CfError> {
    if code.len() == 11 && code.bytes().all(|b| b.is_ascii_digit()) {
        return check_cf11(code).map(|()| CfKind::Numerico);
    }
    if code.len() == 16 {
        return check_cf16(code).map(|()| CfKind::Persona);
    }
    Err(CfError::WrongLength {
        len: code.chars().count(),
    })
}

/// The code with omocodia letters turned back into digits (upper case), or `None` if it is not
/// a formally valid 16-character code.
pub fn decode_omocodia(code: &str) -> Option<[u8; 16]> {
    check_cf16(code).ok()?;
    let mut cf = upper16(code)?;
    for p in NUMERIC_POS {
        cf[p] = b'0' + digit_value(cf[p])?;
    }
    Some(cf)
}

/// Belfiore code (positions 12–15, omocodia decoded) of a valid 16-character code.
pub fn belfiore(code: &str) -> Option<[u8; 4]> {
    let cf = decode_omocodia(code)?;
    Some([cf[11], cf[12], cf[13], cf[14]])
}

/// What we know of the birth place of a codice fiscale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BelfioreStatus {
    /// A comune of the shipped table.
    Comune(&'static lookup::Comune),
    /// `Z` + 3 digits: a foreign country (the table of those codes is not shipped).
    Estero,
    /// Not in the table: possibly a typo, possibly a table older than the code.
    Sconosciuto,
}

/// Looks up the Belfiore code of a valid 16-character codice fiscale; `None` if the code is not
/// formally valid.
pub fn belfiore_status(code: &str) -> Option<BelfioreStatus> {
    let b = belfiore(code)?;
    if b[0] == b'Z' {
        return Some(BelfioreStatus::Estero);
    }
    let s = std::str::from_utf8(&b).ok()?;
    Some(match lookup::comune_by_belfiore(s) {
        Some(c) => BelfioreStatus::Comune(c),
        None => BelfioreStatus::Sconosciuto,
    })
}

#[cfg(test)]
mod tests;
