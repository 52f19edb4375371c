//! Dates: MyPay's lenient `yyyy-MM-dd`, our strict reading, and the Italian `dd/mm/yyyy`.
//!
//! MyPay parses `dataScadenzaPagamento` with a lenient Java `SimpleDateFormat`: a 10-character
//! value whose day or month overflows is silently moved (`2024-02-30` becomes 1 March). A clerk
//! who typed 30 February surely did not mean 1 March, so our strict rule wants a real date.

use chrono::{Datelike, Months, NaiveDate};

/// Why a date is not acceptable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateError {
    /// Not in the expected pattern.
    Format,
    /// In the pattern but not a calendar date (e.g. 30 February).
    NotARealDate,
}

impl DateError {
    /// Italian explanation, without the field name; `pattern` is the expected format.
    pub fn message_it(&self, pattern: &str) -> String {
        match self {
            DateError::Format => format!("non è una data nel formato {pattern}"),
            DateError::NotARealDate => {
                "non è una data esistente nel calendario (controllare giorno e mese)".to_string()
            }
        }
    }
}

fn digits_value(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 9 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// MyPay's reading: exactly 10 characters, three `-`-separated numbers, and Java's lenient
/// overflow (month 13 is January of the next year, day 0 is the last day of the previous month).
/// Approximation: Java would also take signs inside the numbers; such values are rejected here.
pub fn mypay_parse_date(s: &str) -> Option<NaiveDate> {
    if s.len() != 10 || s.chars().count() != 10 {
        return None;
    }
    // Fast path: a real date reads the same leniently and strictly.
    if let Ok(d) = parse_date_strict(s)
        && d.year() > 0
    {
        return Some(d);
    }
    let mut parts = s.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let (y, m, d) = (digits_value(y)?, digits_value(m)?, digits_value(d)?);
    if y == 0 {
        return None;
    }
    let first = NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, 1, 1)?;
    // Lenient: start from 1 January, add (month - 1) months and (day - 1) days, both may be -1.
    let months = first.checked_add_months(Months::new(m.max(1) - 1))?;
    let months = if m == 0 {
        months.checked_sub_months(Months::new(1))?
    } else {
        months
    };
    let date = if d == 0 {
        months.pred_opt()?
    } else {
        months.checked_add_days(chrono::Days::new(u64::from(d - 1)))?
    };
    Some(date)
}

/// Strict tracciato date: `yyyy-mm-dd`, exactly 10 characters, a real calendar date.
pub fn parse_date_strict(s: &str) -> Result<NaiveDate, DateError> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return Err(DateError::Format);
    }
    let n = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
    NaiveDate::from_ymd_opt(n(0..4) as i32, n(5..7), n(8..10)).ok_or(DateError::NotARealDate)
}

/// Tracciato format `yyyy-mm-dd`.
pub fn format_tracciato(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// Italian display `dd/mm/yyyy`.
pub fn format_it(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
}

/// Italian input `dd/mm/yyyy` (also `d/m/yyyy`, and `.` or `-` as separators).
pub fn parse_it(s: &str) -> Result<NaiveDate, DateError> {
    let s = s.trim();
    let sep = s
        .chars()
        .find(|c| matches!(c, '/' | '.' | '-'))
        .ok_or(DateError::Format)?;
    let mut parts = s.split(sep);
    let (Some(d), Some(m), Some(y), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(DateError::Format);
    };
    let ok = |p: &str, min: usize, max: usize| {
        p.len() >= min && p.len() <= max && p.bytes().all(|b| b.is_ascii_digit())
    };
    if !ok(d, 1, 2) || !ok(m, 1, 2) || !ok(y, 4, 4) {
        return Err(DateError::Format);
    }
    let n = |p: &str| p.parse::<u32>().unwrap_or(0);
    NaiveDate::from_ymd_opt(n(y) as i32, n(m), n(d)).ok_or(DateError::NotARealDate)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn mypay_lenient() {
        assert_eq!(mypay_parse_date("2024-02-29"), Some(d(2024, 2, 29)));
        assert_eq!(mypay_parse_date("2023-02-29"), Some(d(2023, 3, 1)));
        assert_eq!(mypay_parse_date("2024-02-30"), Some(d(2024, 3, 1)));
        assert_eq!(mypay_parse_date("2024-13-01"), Some(d(2025, 1, 1)));
        assert_eq!(mypay_parse_date("2024-00-10"), Some(d(2023, 12, 10)));
        assert_eq!(mypay_parse_date("2024-03-00"), Some(d(2024, 2, 29)));
        assert_eq!(mypay_parse_date("2024-1-011"), Some(d(2024, 1, 11)));
        assert_eq!(mypay_parse_date("2024-1-1"), None);
        assert_eq!(mypay_parse_date("24/01/2024"), None);
        assert_eq!(mypay_parse_date("2024-01-1x"), None);
        assert_eq!(mypay_parse_date("0000-01-01"), None);
        assert_eq!(mypay_parse_date("2024-99-99"), Some(d(2032, 6, 7)));
    }

    #[test]
    fn strict() {
        assert_eq!(parse_date_strict("2024-02-29"), Ok(d(2024, 2, 29)));
        assert_eq!(
            parse_date_strict("2023-02-29"),
            Err(DateError::NotARealDate)
        );
        assert_eq!(parse_date_strict("2024-1-011"), Err(DateError::Format));
        assert_eq!(parse_date_strict("2024-01-01 "), Err(DateError::Format));
        assert_eq!(parse_date_strict("2024/01/01"), Err(DateError::Format));
        assert_eq!(parse_date_strict("àààà"), Err(DateError::Format));
    }

    #[test]
    fn italian() {
        assert_eq!(format_it(d(2024, 3, 5)), "05/03/2024");
        assert_eq!(format_tracciato(d(2024, 3, 5)), "2024-03-05");
        assert_eq!(parse_it("05/03/2024"), Ok(d(2024, 3, 5)));
        assert_eq!(parse_it("5/3/2024"), Ok(d(2024, 3, 5)));
        assert_eq!(parse_it("29/02/2023"), Err(DateError::NotARealDate));
        assert_eq!(parse_it("2024-03-05"), Err(DateError::Format));
        assert_eq!(parse_it("05/03/24"), Err(DateError::Format));
        assert_eq!(parse_it(""), Err(DateError::Format));
        assert!(
            DateError::Format
                .message_it("gg/mm/aaaa")
                .contains("gg/mm/aaaa")
        );
    }
}
