//! IUV, notice number (numero avviso) and ISO 11649 creditor references.
//!
//! * pagoPA check digits: `int(aux ‖ segregation/application code ‖ base) mod 93` on 16 digits.
//! * Our IUV17 layout (aux digit 3): `<segregation 2><prefix 2><counter 11><cc 2>`. MyPay keeps
//!   prefix `00` for its own series, so the app must use another prefix (spec pagopa-domain §2.3).
//! * [`mypay_iuv_ok`] is MyPay's `Utilities.validaIUV`, which does *not* verify check digits;
//!   [`check_supplied_iuv`] is our strict check of an IUV the Ente supplies.
//!
//! Dates are passed in: nothing here reads the clock, so results are reproducible.

use chrono::NaiveDate;

use crate::model::Azione;

/// Why an IUV or notice number is not valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IuvError {
    /// Not exactly 17 digits.
    NotIuv17,
    /// The first two digits are not the Ente's segregation code.
    WrongSegregation { expected: String },
    /// The last two digits are not `base mod 93`.
    WrongCheckDigits { expected: String },
    /// Generation parameters out of range.
    BadParameters(&'static str),
}

impl IuvError {
    /// Italian explanation, without the field name.
    pub fn message_it(&self) -> String {
        match self {
            IuvError::NotIuv17 => "deve essere composto da esattamente 17 cifre".to_string(),
            IuvError::WrongSegregation { expected } => format!(
                "deve iniziare con il codice di segregazione dell'Ente ({expected}); verificare che lo IUV sia di questo Ente"
            ),
            // Never the expected digits (issue 13): an IUV is copied, not computed.
            IuvError::WrongCheckDigits { .. } => {
                "le due cifre di controllo (le ultime) non corrispondono alle altre: lo IUV è stato copiato male. Va ricopiato dall'avviso di pagamento o dalla ricevuta".to_string()
            }
            IuvError::BadParameters(what) => format!("parametri di generazione non validi: {what}"),
        }
    }
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// `int(digits) mod 93` of up to 18 ASCII digits, or `None` if not digits.
pub fn mod93(digits: &str) -> Option<u8> {
    if !all_digits(digits) || digits.len() > 18 {
        return None;
    }
    digits.parse::<u64>().ok().map(|n| (n % 93) as u8)
}

/// The two check digits for `aux ‖ prefix ‖ base` (16 digits in total).
pub fn check_digits(aux: u8, prefix: &str, base: &str) -> Option<String> {
    if aux > 9 || 1 + prefix.len() + base.len() != 16 {
        return None;
    }
    let mut s = String::with_capacity(16);
    s.push(char::from(b'0' + aux));
    s.push_str(prefix);
    s.push_str(base);
    mod93(&s).map(|cc| format!("{cc:02}"))
}

/// `true` for an 18-digit notice number whose check digits are right (aux 0, 2, 3) or whose aux
/// digit is 1 (no check digits defined).
pub fn notice_is_valid(notice: &str) -> bool {
    if notice.len() != 18 || !all_digits(notice) {
        return false;
    }
    match notice.as_bytes()[0] {
        b'0' | b'2' | b'3' => mod93(&notice[..16]) == notice[16..].parse::<u8>().ok(),
        b'1' => true,
        _ => false,
    }
}

/// `true` for 17 digits with the right aux-3 check digits (`3 ‖ first 15` mod 93).
pub fn iuv17_is_valid(iuv: &str) -> bool {
    iuv.len() == 17 && all_digits(iuv) && notice_is_valid(&format!("3{iuv}"))
}

/// Notice number (18 digits) of an IUV17: `3` + IUV.
pub fn notice_from_iuv17(iuv: &str) -> Option<String> {
    (iuv.len() == 17 && all_digits(iuv)).then(|| format!("3{iuv}"))
}

/// Notice number (18 digits) of a numeric IUV: an IUV17 gets aux digit 3 (`3` + IUV); a legacy
/// IUV15 gets aux digit 0 and the Ente's 2-digit application code (`0` + code + IUV), as MyPay
/// prints it. `None` for an IUV that cannot appear on a notice (empty, alphanumeric, RF…).
pub fn notice_from_iuv(iuv: &str, application_code: &str) -> Option<String> {
    if let Some(n) = notice_from_iuv17(iuv) {
        return Some(n);
    }
    (iuv.len() == 15
        && all_digits(iuv)
        && application_code.len() == 2
        && all_digits(application_code))
    .then(|| format!("0{application_code}{iuv}"))
}

/// The IUV inside a notice number: aux 0 drops the application code too.
pub fn iuv_from_notice(notice: &str) -> Option<&str> {
    if notice.len() != 18 || !all_digits(notice) {
        return None;
    }
    Some(if notice.starts_with('0') {
        &notice[3..]
    } else {
        &notice[1..]
    })
}

/// Groups of 4 separated by one space, as printed on the notice: `3010 0000 0000 0001 44`.
pub fn format_notice(notice: &str) -> String {
    let mut out = String::with_capacity(notice.len() + notice.len() / 4);
    for (i, c) in notice.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// Builds `<segregazione><prefix><counter 11 digits><cc>`.
///
/// `prefix` is two digits; `00` is MyPay's own series (only MyPay may use it), so the app
/// passes its own prefix. `counter` must be below 10^11 and never reused for the Ente.
pub fn generate_iuv17(segregazione: &str, prefix: &str, counter: u64) -> Result<String, IuvError> {
    if segregazione.len() != 2 || !all_digits(segregazione) {
        return Err(IuvError::BadParameters(
            "il codice di segregazione deve essere di 2 cifre",
        ));
    }
    if prefix.len() != 2 || !all_digits(prefix) {
        return Err(IuvError::BadParameters(
            "il prefisso deve essere di 2 cifre",
        ));
    }
    if counter >= 100_000_000_000 {
        return Err(IuvError::BadParameters("il progressivo supera le 11 cifre"));
    }
    let base = format!("{segregazione}{prefix}{counter:011}");
    let cc = check_digits(3, "", &base).ok_or(IuvError::BadParameters("cifre"))?;
    Ok(base + &cc)
}

/// What MyPay needs to judge an IUV (`Utilities.validaIUV`).
#[derive(Clone, Copy, Debug)]
pub struct MyPayIuvContext<'a> {
    /// The Ente's 2-digit segregation (application) code.
    pub segregazione: &'a str,
    pub flag_genera_iuv: bool,
    pub azione: Option<Azione>,
    pub today: NaiveDate,
    /// `pa.dataLimiteNuoviIuv15` (2024-04-30 in MyPay's shipped properties).
    pub iuv15_limit: NaiveDate,
}

/// MyPay's `validaIUV` (spec §4.6): blank is fine; 15, 17 and 25 characters have their own
/// rules; any other length is rejected. MyPay does not check the characters or check digits.
pub fn mypay_iuv_ok(iuv: &str, ctx: &MyPayIuvContext<'_>) -> bool {
    if iuv.is_empty() {
        return true;
    }
    let len = iuv.chars().count();
    match len {
        15 => {
            !iuv.starts_with("00")
                && (ctx.azione != Some(Azione::Inserimento) || ctx.today < ctx.iuv15_limit)
        }
        17 => {
            ctx.flag_genera_iuv
                || (iuv.starts_with(ctx.segregazione)
                    && !ctx.segregazione.is_empty()
                    && iuv.get(2..4).is_some_and(|s| s != "00"))
        }
        25 => {
            if iuv.ends_with("0000") {
                iuv.chars().skip(6).take(2).eq("99".chars())
            } else {
                true
            }
        }
        _ => false,
    }
}

/// Strict check of an IUV supplied by the Ente: 17 digits, the Ente's segregation code, right
/// mod-93 check digits.
pub fn check_supplied_iuv(iuv: &str, segregazione: &str) -> Result<(), IuvError> {
    if iuv.len() != 17 || !all_digits(iuv) {
        return Err(IuvError::NotIuv17);
    }
    if !iuv.starts_with(segregazione) || segregazione.len() != 2 {
        return Err(IuvError::WrongSegregation {
            expected: segregazione.to_string(),
        });
    }
    let expected = check_digits(3, "", &iuv[..15]).unwrap_or_default();
    if iuv[15..] != expected {
        return Err(IuvError::WrongCheckDigits { expected });
    }
    Ok(())
}

/// `(number made of the mapped characters of s) mod 97`, computed piecewise (any length).
fn iso7064_mod97(chars: impl Iterator<Item = char>) -> Option<u32> {
    let mut rem = 0u32;
    for c in chars {
        let v = c.to_digit(36)?;
        rem = if v < 10 {
            (rem * 10 + v) % 97
        } else {
            (rem * 100 + v) % 97
        };
    }
    Some(rem)
}

/// ISO 11649 check digits for a reference (letters are case-insensitive).
pub fn rf_check_digits(reference: &str) -> Option<String> {
    if reference.is_empty()
        || reference.len() > 21
        || !reference.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        return None;
    }
    let rem = iso7064_mod97(reference.chars().chain("RF00".chars()))?;
    Some(format!("{:02}", 98 - rem))
}

/// `RF` + check + reference.
pub fn rf_build(reference: &str) -> Option<String> {
    rf_check_digits(reference).map(|cc| format!("RF{cc}{reference}"))
}

/// `true` for a valid ISO 11649 creditor reference (`RF` + 2 digits + 1–21 alphanumerics).
pub fn rf_is_valid(rf: &str) -> bool {
    let b = rf.as_bytes();
    if b.len() < 5 || b.len() > 25 || !b.is_ascii() || !rf[..2].eq_ignore_ascii_case("RF") {
        return false;
    }
    if !b[2].is_ascii_digit()
        || !b[3].is_ascii_digit()
        || !b[4..].iter().all(u8::is_ascii_alphanumeric)
    {
        return false;
    }
    iso7064_mod97(rf[4..].chars().chain(rf[..4].chars())) == Some(1)
}

#[cfg(test)]
mod tests;
