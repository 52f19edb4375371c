//! XSD datatypes as MyPay reads and writes them in SOAP bodies: `xsd:boolean`, `xsd:date`,
//! `xsd:dateTime` (JAXB's lenient reading, local wall time), and the tracciato's boolean.
//! A leaf: it names no other module of the crate.

use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, TimeZone};

/// A tracciato boolean (`true`/`false`, any case).
pub fn boolean_free(s: &str) -> bool {
    s.trim().eq_ignore_ascii_case("true")
}

/// `xsd:boolean`: `true` or `1`.
pub fn boolean(s: Option<&str>) -> bool {
    matches!(s.map(str::trim), Some("true") | Some("1"))
}

/// `xsd:date`, with or without a zone (the zone is dropped, as JAXB's day is local).
pub fn parse_xsd_date(s: Option<&str>) -> Option<NaiveDate> {
    let s = s?.trim();
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

/// `xsd:dateTime` to local wall time: a zone, if given, is converted; none means local.
pub fn parse_xsd_datetime(s: Option<&str>) -> Option<NaiveDateTime> {
    let s = s?.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt.with_timezone(&Local).naive_local());
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(t);
        }
    }
    // A bare date is a valid lexical form for JAXB's lenient parser: midnight.
    parse_xsd_date(Some(s)).and_then(|d| d.and_hms_opt(0, 0, 0))
}

/// Local wall time as `xsd:dateTime` with its offset, as JAXB writes an `XMLGregorianCalendar`.
pub fn format_xsd_datetime(t: NaiveDateTime) -> String {
    match Local.from_local_datetime(&t).earliest() {
        Some(dt) => dt.format("%Y-%m-%dT%H:%M:%S%.3f%:z").to_string(),
        None => t.format("%Y-%m-%dT%H:%M:%S").to_string(),
    }
}
