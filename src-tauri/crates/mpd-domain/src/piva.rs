//! Partita IVA and numeric (11-digit) codice fiscale.
//!
//! MyPay accepts any 11 digits whose Luhn-like check digit is right. `00000000000` passes that
//! checksum, so our strict rule also rejects codes whose first 7 digits (the progressive number)
//! are all zero, as the Agenzia delle Entrate program does (spec pagopa-domain §3.2).

/// Why an 11-digit code is not valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PivaError {
    /// Not exactly 11 characters.
    WrongLength { len: usize },
    /// Contains something other than the digits 0–9.
    NotDigits,
    /// The last digit is not the check digit of the first ten.
    WrongCheckDigit { expected: u8 },
    /// The first 7 digits are all zero (strict rule only).
    ZeroProgressive,
}

/// The message of a wrong check digit: the number must be copied again from the document.
pub const PIVA_CONTROLLO: &str = "la cifra di controllo (l'ultima) non corrisponde alle altre: almeno una cifra è sbagliata. Va ricopiata dal documento (visura, fattura, atto); correggerla a intuito può dare il numero di un altro soggetto";

impl PivaError {
    /// Italian explanation, without the field name (the caller adds it).
    pub fn message_it(&self) -> String {
        match self {
            PivaError::WrongLength { len } => {
                format!("deve avere esattamente 11 cifre, ne ha {len}")
            }
            PivaError::NotDigits => {
                "deve contenere solo cifre (11 cifre, senza spazi né lettere)".to_string()
            }
            // Never the expected digit: "fixing" the last one would turn a typo into another
            // body's valid number (issue 13).
            PivaError::WrongCheckDigit { .. } => PIVA_CONTROLLO.to_string(),
            PivaError::ZeroProgressive => {
                "le prime 7 cifre non possono essere tutte zero: non è una partita IVA reale"
                    .to_string()
            }
        }
    }
}

/// The check digit for the first 10 digits (each `0..=9`).
fn check_digit(first10: &[u8]) -> u8 {
    let mut sum = 0u32;
    for (i, &d) in first10.iter().enumerate() {
        let mut v = u32::from(d);
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    ((10 - sum % 10) % 10) as u8
}

/// MyPay's check (`Utilities.isValidPIVA`): 11 digits with the right check digit.
pub fn check_piva(code: &str) -> Result<(), PivaError> {
    let b = code.as_bytes();
    if !b.iter().all(u8::is_ascii_digit) {
        return Err(PivaError::NotDigits);
    }
    if b.len() != 11 {
        return Err(PivaError::WrongLength {
            len: code.chars().count(),
        });
    }
    let digits: [u8; 11] = std::array::from_fn(|i| b[i] - b'0');
    let expected = check_digit(&digits[..10]);
    if expected != digits[10] {
        return Err(PivaError::WrongCheckDigit { expected });
    }
    Ok(())
}

/// [`check_piva`] plus our rule: the first 7 digits must not all be zero.
pub fn check_piva_strict(code: &str) -> Result<(), PivaError> {
    check_piva(code)?;
    if code.as_bytes()[..7].iter().all(|&c| c == b'0') {
        return Err(PivaError::ZeroProgressive);
    }
    Ok(())
}

/// `true` when [`check_piva`] accepts `code`.
pub fn is_valid_piva(code: &str) -> bool {
    check_piva(code).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worked_examples() {
        for ok in ["86334519757", "02342520158", "01199250158", "99999000013"] {
            assert_eq!(check_piva(ok), Ok(()), "{ok}");
            assert_eq!(check_piva_strict(ok), Ok(()), "{ok}");
        }
        assert_eq!(check_piva("00000000000"), Ok(()));
        assert_eq!(
            check_piva_strict("00000000000"),
            Err(PivaError::ZeroProgressive)
        );
    }

    #[test]
    fn failures() {
        assert_eq!(
            check_piva("86334519758"),
            Err(PivaError::WrongCheckDigit { expected: 7 })
        );
        assert_eq!(
            check_piva("8633451975"),
            Err(PivaError::WrongLength { len: 10 })
        );
        assert_eq!(check_piva("8633451975A"), Err(PivaError::NotDigits));
        assert_eq!(check_piva(""), Err(PivaError::WrongLength { len: 0 }));
        assert_eq!(check_piva("١٢٣"), Err(PivaError::NotDigits));
        assert!(!PivaError::NotDigits.message_it().is_empty());
    }
}
