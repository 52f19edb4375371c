//! Amounts: MyPay's reading of an amount, our strict tracciato format, display and clerk input.
//!
//! Amounts are `rust_decimal::Decimal`, never floats. The one exception is [`mypay_parse_amount`],
//! which deliberately reproduces Java's `Double.valueOf` because that is what MyPay runs: it
//! accepts `12`, `1e2`, `12.5d` and rejects `12,50`; it does not reject negative amounts.

use rust_decimal::{Decimal, RoundingStrategy};

/// Largest amount pagoPA and MyPay accept: 999 999 999,99 €.
pub const MAX_AMOUNT: Decimal = Decimal::from_parts(1_215_752_191, 23, 0, false, 2);

/// Why an amount is not acceptable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmountError {
    /// Empty.
    Missing,
    /// Not a number in the expected format.
    NotANumber,
    /// Uses a comma as decimal separator where a dot is required.
    CommaSeparator,
    /// More than two decimals.
    TooManyDecimals,
    /// Zero (or negative) where a positive amount is required.
    NotPositive,
    /// Negative.
    Negative,
    /// Above 999 999 999,99.
    TooLarge,
}

impl AmountError {
    /// Italian explanation, without the field name.
    pub fn message_it(&self) -> String {
        match self {
            AmountError::Missing => "manca l'importo".to_string(),
            AmountError::NotANumber => "non è un importo valido: scrivere solo cifre e il punto per i decimali, ad esempio 1234.50".to_string(),
            AmountError::CommaSeparator => "ha la virgola per i decimali: nel file va usato il punto, ad esempio 12.50 invece di 12,50".to_string(),
            AmountError::TooManyDecimals => "ha più di due decimali: arrotondare ai centesimi, ad esempio 1.23".to_string(),
            AmountError::NotPositive => "deve essere maggiore di zero (almeno 0.01)".to_string(),
            AmountError::Negative => "non può essere negativo".to_string(),
            AmountError::TooLarge => "supera l'importo massimo di 999999999.99 euro".to_string(),
        }
    }
}

/// Java `Double.valueOf` grammar (after trimming): optional sign, digits with an optional dot,
/// optional exponent, optional `f`/`d` suffix; or `NaN` / `Infinity`. Hex floats are left out.
fn java_double_syntax(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i = 1;
    }
    let rest = &s[i..];
    if rest == "NaN" || rest == "Infinity" {
        return true;
    }
    let start_int = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - start_int;
    let mut frac_digits = 0;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let s2 = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        frac_digits = i - s2;
    }
    if int_digits + frac_digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let s3 = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == s3 {
            return false;
        }
    }
    if i < b.len() && matches!(b[i], b'f' | b'F' | b'd' | b'D') {
        i += 1;
    }
    i == b.len()
}

/// MyPay's reading of an amount (`Double.valueOf`), or `None` when Java would throw.
pub fn mypay_parse_amount(s: &str) -> Option<f64> {
    // Java's Double.valueOf trims ASCII whitespace and control characters.
    let t = s.trim_matches(|c: char| c <= ' ');
    if !java_double_syntax(t) {
        return None;
    }
    let core = t.trim_end_matches(['f', 'F', 'd', 'D']);
    match core {
        "NaN" | "+NaN" | "-NaN" => Some(f64::NAN),
        "Infinity" | "+Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        _ => core.parse::<f64>().ok(),
    }
}

/// `v <= 999999999.99` as Java's `!(v > MAX)`: NaN is not above the maximum.
fn not_above_max(v: f64) -> bool {
    v.partial_cmp(&999_999_999.99) != Some(std::cmp::Ordering::Greater)
}

/// MyPay's amount rule for `importoDovuto` and the secondary amount: `≠ 0` and `≤ 999999999.99`
/// (compared as doubles, so NaN and negatives slip through, as in MyPay).
pub fn mypay_amount_ok(v: f64) -> bool {
    v != 0.0 && not_above_max(v)
}

/// MyPay's rule for `commissioneCaricoPa`: only `≤ 999999999.99`.
pub fn mypay_commissione_ok(v: f64) -> bool {
    not_above_max(v)
}

/// Strict tracciato format: digits, optionally a dot and one or two decimals. No sign, no
/// exponent, no comma. Zero is allowed here; see [`check_amount_strict`].
pub fn parse_tracciato_amount(s: &str) -> Result<Decimal, AmountError> {
    if s.is_empty() {
        return Err(AmountError::Missing);
    }
    let b = s.as_bytes();
    if b[0] == b'-' {
        return Err(AmountError::Negative);
    }
    let (int, frac) = match s.find('.') {
        Some(p) => (&s[..p], Some(&s[p + 1..])),
        None => (s, None),
    };
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|c| c.is_ascii_digit());
    if !digits(int) || frac.is_some_and(|f| !digits(f)) {
        if s.contains(',') && !s.contains('.') {
            return Err(AmountError::CommaSeparator);
        }
        return Err(AmountError::NotANumber);
    }
    if frac.is_some_and(|f| f.len() > 2) {
        return Err(AmountError::TooManyDecimals);
    }
    if int.len() > 9 && int.trim_start_matches('0').len() > 9 {
        return Err(AmountError::TooLarge);
    }
    let d: Decimal = s.parse().map_err(|_| AmountError::NotANumber)?;
    if d > MAX_AMOUNT {
        return Err(AmountError::TooLarge);
    }
    Ok(d)
}

/// Strict amount of a debt: tracciato format, `> 0`, `≤ 999999999.99`, at most 2 decimals.
pub fn check_amount_strict(s: &str) -> Result<Decimal, AmountError> {
    let d = parse_tracciato_amount(s)?;
    if d.is_zero() {
        return Err(AmountError::NotPositive);
    }
    Ok(d)
}

fn round2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Tracciato format: `1234.50` (rounded half away from zero to cents).
pub fn format_tracciato(d: Decimal) -> String {
    let mut r = round2(d);
    r.rescale(2);
    r.to_string()
}

/// Italian display: `1.234,50 €`.
pub fn format_it(d: Decimal) -> String {
    let s = format_tracciato(d.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let mut out = String::with_capacity(s.len() + s.len() / 3 + 4);
    if d.is_sign_negative() && !round2(d).is_zero() {
        out.push('-');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    out.push(',');
    out.push_str(frac);
    out.push_str(" €");
    out
}

/// Lenient parser for what a clerk types: `1.234,56`, `1234,56`, `1234.56`, `€ 12,00`,
/// `12,00 €`, `1 234,56`. The last of `.`/`,` followed by 1–2 digits is the decimal separator;
/// a single `.` followed by exactly 3 digits is read as a thousands separator (Italian usage:
/// `1.234` = milleduecentotrentaquattro). A leading `-` is kept; range checks are the caller's.
pub fn parse_it(input: &str) -> Result<Decimal, AmountError> {
    let mut buf = String::with_capacity(input.len());
    for c in input.chars() {
        match c {
            '€' | ' ' | '\u{a0}' | '\u{202f}' | '\'' => {}
            _ => buf.push(c),
        }
    }
    let s = buf
        .trim_start_matches("EUR")
        .trim_end_matches("EUR")
        .trim_end_matches("euro");
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if s.is_empty() {
        return Err(AmountError::Missing);
    }
    if !s
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
    {
        return Err(AmountError::NotANumber);
    }
    let last_sep = s.rfind(['.', ',']);
    let (int_part, frac_part) = match last_sep {
        None => (s, ""),
        Some(p) => {
            let sep = s.as_bytes()[p];
            let after = &s[p + 1..];
            let count_sep = s.bytes().filter(|&b| b == sep).count();
            let other = if sep == b'.' { b',' } else { b'.' };
            let has_other = s.bytes().any(|b| b == other);
            // A lone separator followed by exactly 3 digits, or a separator that repeats, is
            // a thousands separator; otherwise it is the decimal one.
            let is_thousands = !has_other && (count_sep > 1 || (sep == b'.' && after.len() == 3));
            if is_thousands {
                (s, "")
            } else {
                (&s[..p], after)
            }
        }
    };
    // Validate thousands grouping in the integer part, then drop the separators.
    let int_sep = int_part.bytes().find(|&b| b == b'.' || b == b',');
    let mut digits = String::with_capacity(int_part.len() + 3);
    if let Some(sep) = int_sep {
        let groups: Vec<&str> = int_part.split(char::from(sep)).collect();
        let ok = !groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..]
                .iter()
                .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
        if !ok
            || int_part
                .bytes()
                .any(|b| (b == b'.' || b == b',') && b != sep)
        {
            return Err(AmountError::NotANumber);
        }
        groups.iter().for_each(|g| digits.push_str(g));
    } else {
        digits.push_str(int_part);
    }
    if digits.is_empty() && frac_part.is_empty() {
        return Err(AmountError::NotANumber);
    }
    if !frac_part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AmountError::NotANumber);
    }
    if frac_part.len() > 2 {
        return Err(AmountError::TooManyDecimals);
    }
    if digits.is_empty() {
        digits.push('0');
    }
    if digits.trim_start_matches('0').len() > 12 {
        return Err(AmountError::TooLarge);
    }
    if !frac_part.is_empty() {
        digits.push('.');
        digits.push_str(frac_part);
    }
    let d: Decimal = digits.parse().map_err(|_| AmountError::NotANumber)?;
    Ok(if neg { -d } else { d })
}

#[cfg(test)]
mod tests;
