//! Dati specifici di riscossione and the pagoPA taxonomy code.
//!
//! MyPay checks the column with a loose regex (`[0129]/\S{3,138}`, which also admits the old
//! RPT-era forms `0/…`, `1/…`, `2/…`) and the secondary beneficiary's value with
//! `9/\d{2}\d{2}\d{3}\w{2}/\S{0,129}` plus a lookup of the code. Our strict rule wants a real
//! taxonomy code `<6|7|8|9>/<ente 2><macro-area 2><service 3><IM|TS|SP|SA|AP>/` (optionally
//! followed by more text, as MyPay appends the IUV), and looks it up in the shipped table. The
//! table may be older than MyPay's, so an unknown code is a warning, not an error.
//! The regexes are written by hand: one pass over the bytes, no allocation.

use chrono::NaiveDate;

use crate::lookup;

/// Java's `\s`: space, tab, newline, vertical tab, form feed, carriage return.
fn java_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\u{b}' | '\u{c}' | '\r')
}

/// MyPay's `[0129]{1}\/\S{3,138}` (whole string).
pub fn mypay_dati_riscossione_ok(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || !matches!(b[0], b'0' | b'1' | b'2' | b'9') || b[1] != b'/' {
        return false;
    }
    let rest = &s[2..];
    let n = rest.chars().count();
    (3..=138).contains(&n) && !rest.chars().any(java_space)
}

/// `\d{7}` followed by two `\w` characters (ASCII word characters).
fn core_mypay(b: &[u8]) -> bool {
    b.len() == 9
        && b[..7].iter().all(u8::is_ascii_digit)
        && b[7..9]
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

/// MyPay's check of `datiSpecificiRiscossioneEnteSecondario`: regex
/// `9\/\d{2}\d{2}\d{3}\w{2}\/\S{0,129}`, then the prefix up to the last `/` must be a code of
/// the `tassonomia` table.
pub fn mypay_dati_riscossione_secondario_ok(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 12
        || !s.is_char_boundary(12)
        || b[0] != b'9'
        || b[1] != b'/'
        || !core_mypay(&b[2..11])
        || b[11] != b'/'
    {
        return false;
    }
    let tail = &s[12..];
    if tail.chars().count() > 129 || tail.chars().any(java_space) {
        return false;
    }
    let prefix = &s[..=s.rfind('/').unwrap_or(11)];
    lookup::tassonomia(prefix).is_some()
}

/// `<d7><IM|TS|SP|SA|AP>` exactly (9 bytes).
fn core_strict(b: &[u8]) -> bool {
    b.len() == 9
        && b[..7].iter().all(u8::is_ascii_digit)
        && matches!(&b[7..9], b"IM" | b"TS" | b"SP" | b"SA" | b"AP")
}

/// `9/` + strict core + `/` (12 bytes), as in the shipped table.
pub(crate) fn is_taxonomy_core(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 12 && b[0] == b'9' && b[1] == b'/' && core_strict(&b[2..11]) && b[11] == b'/'
}

/// Why a value is not a pagoPA taxonomy code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaxonomyError {
    /// An old RPT-era form (`0/`, `1/`, `2/`), not a taxonomy code.
    LegacyForm,
    /// Not `<6-9>/<7 digits><IM|TS|SP|SA|AP>/`.
    Format,
}

impl TaxonomyError {
    /// Italian explanation, without the field name.
    pub fn message_it(&self) -> String {
        match self {
            TaxonomyError::LegacyForm => "non è un codice della tassonomia pagoPA (formato 9/0101100IM/): è una vecchia forma che pagoPA non usa più; indicare il codice tassonomico del tipo dovuto".to_string(),
            TaxonomyError::Format => "deve essere un codice della tassonomia pagoPA nel formato 9/ + 7 cifre + motivo (IM, TS, SP, SA o AP) + /, ad esempio 9/0101100IM/".to_string(),
        }
    }
}

/// What the shipped table says of a well-formed code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaxonomyStatus {
    /// In the table and valid on the given date.
    Valid,
    /// In the table, but not valid on the given date.
    OutOfValidity,
    /// Not in the table (which may be older than MyPay's).
    Unknown,
}

/// Strict check: the taxonomy format, then the table (validity checked on `on`).
pub fn check_taxonomy(s: &str, on: NaiveDate) -> Result<TaxonomyStatus, TaxonomyError> {
    let b = s.as_bytes();
    if b.len() >= 2 && matches!(b[0], b'0' | b'1' | b'2') && b[1] == b'/' {
        return Err(TaxonomyError::LegacyForm);
    }
    if b.len() < 12
        || !matches!(b[0], b'6'..=b'9')
        || b[1] != b'/'
        || !core_strict(&b[2..11])
        || b[11] != b'/'
    {
        return Err(TaxonomyError::Format);
    }
    if s[12..].chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(TaxonomyError::Format);
    }
    // The table lists the `9/` form; the 6/7/8 prefixes (SEPA Request-to-Pay) share the codes.
    let mut key = [0u8; 12];
    key.copy_from_slice(&b[..12]);
    key[0] = b'9';
    let key = std::str::from_utf8(&key).unwrap_or_default();
    Ok(match lookup::tassonomia(key) {
        None => TaxonomyStatus::Unknown,
        Some(v) if v.iter().any(|p| p.inizio <= on && on <= p.fine) => TaxonomyStatus::Valid,
        Some(_) => TaxonomyStatus::OutOfValidity,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 6, 1).unwrap()
    }

    #[test]
    fn mypay_regex() {
        assert!(mypay_dati_riscossione_ok("9/0101100IM/"));
        assert!(mypay_dati_riscossione_ok("2/abc"));
        assert!(mypay_dati_riscossione_ok("1/xyz"));
        assert!(!mypay_dati_riscossione_ok("9/ab"));
        assert!(!mypay_dati_riscossione_ok("9/0101 100IM/"));
        assert!(!mypay_dati_riscossione_ok("3/0101100IM/"));
        assert!(!mypay_dati_riscossione_ok("8/0101100IM/"));
        assert!(!mypay_dati_riscossione_ok(&format!(
            "9/{}",
            "a".repeat(139)
        )));
        assert!(mypay_dati_riscossione_ok(&format!("9/{}", "a".repeat(138))));
    }

    #[test]
    fn mypay_secondary() {
        assert!(mypay_dati_riscossione_secondario_ok("9/0101100IM/"));
        assert!(mypay_dati_riscossione_secondario_ok("9/0101100IM/extra"));
        assert!(!mypay_dati_riscossione_secondario_ok("9/9999999IM/"));
        assert!(!mypay_dati_riscossione_secondario_ok("9/0101100IM"));
        assert!(!mypay_dati_riscossione_secondario_ok("2/0101100IM/"));
        assert!(!mypay_dati_riscossione_secondario_ok("9/0101100IM/a/b"));
    }

    #[test]
    fn strict() {
        assert_eq!(
            check_taxonomy("9/0101100IM/", today()),
            Ok(TaxonomyStatus::Valid)
        );
        assert_eq!(
            check_taxonomy("6/0101100IM/", today()),
            Ok(TaxonomyStatus::Valid)
        );
        assert_eq!(
            check_taxonomy("9/0101100IM/12345", today()),
            Ok(TaxonomyStatus::Valid)
        );
        assert_eq!(
            check_taxonomy("9/0101999IM/", today()),
            Ok(TaxonomyStatus::Unknown)
        );
        assert_eq!(
            check_taxonomy("9/0101100XX/", today()),
            Err(TaxonomyError::Format)
        );
        assert_eq!(
            check_taxonomy("9/0101100im/", today()),
            Err(TaxonomyError::Format)
        );
        assert_eq!(
            check_taxonomy("5/0101100IM/", today()),
            Err(TaxonomyError::Format)
        );
        assert_eq!(
            check_taxonomy("2/abc", today()),
            Err(TaxonomyError::LegacyForm)
        );
        assert_eq!(
            check_taxonomy("9/0101100IM/", NaiveDate::from_ymd_opt(1800, 1, 1).unwrap()),
            Ok(TaxonomyStatus::OutOfValidity)
        );
        assert_eq!(
            check_taxonomy("9/0101100IMà", today()),
            Err(TaxonomyError::Format)
        );
    }
}
