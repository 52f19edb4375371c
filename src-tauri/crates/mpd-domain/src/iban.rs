//! IBAN of the secondary beneficiary (multi-beneficiary debts, tracciato 1_4).
//!
//! MyPay only checks that the IBAN is 27 characters long (`isValidIban`), so a typo reaches
//! pagoPA and the money cannot be credited. Our strict check is the full ISO 13616 one
//! (mod 97 and the country's BBAN format) through `iban_validate`; Italian IBANs are 27 chars.

use iban::Iban;

/// Why an IBAN is not valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IbanError {
    /// Not the IBAN shape or wrong check digits (mod 97) or BBAN format.
    Invalid,
    /// An Italian IBAN that is not 27 characters.
    WrongItalianLength { len: usize },
}

impl IbanError {
    /// Italian explanation, without the field name.
    pub fn message_it(&self) -> String {
        match self {
            IbanError::Invalid => "non è un IBAN valido (le cifre di controllo non corrispondono o il formato è errato): ricopiarlo dal documento della banca, senza spazi".to_string(),
            IbanError::WrongItalianLength { len } => {
                format!("un IBAN italiano ha 27 caratteri, questo ne ha {len}")
            }
        }
    }
}

/// MyPay's check: exactly 27 characters, nothing else.
pub fn mypay_iban_ok(iban: &str) -> bool {
    iban.chars().count() == 27
}

/// Strict check: electronic format (no spaces), ISO 13616 mod 97, 27 characters for `IT`.
pub fn check_iban(iban: &str) -> Result<(), IbanError> {
    if iban.bytes().any(|b| b == b' ') {
        return Err(IbanError::Invalid);
    }
    if iban.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("IT")) && iban.chars().count() != 27 {
        return Err(IbanError::WrongItalianLength {
            len: iban.chars().count(),
        });
    }
    iban.parse::<Iban>()
        .map(|_| ())
        .map_err(|_| IbanError::Invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn italian_ibans() {
        assert_eq!(check_iban("IT60X0542811101000000123456"), Ok(()));
        assert_eq!(
            check_iban("IT61X0542811101000000123456"),
            Err(IbanError::Invalid)
        );
        assert_eq!(
            check_iban("IT60X054281110100000012345"),
            Err(IbanError::WrongItalianLength { len: 26 })
        );
        assert_eq!(
            check_iban("IT60 X054 2811 1010 0000 0123 456"),
            Err(IbanError::Invalid)
        );
        assert!(mypay_iban_ok("IT61X0542811101000000123456"));
        assert!(!mypay_iban_ok("IT60X054281110100000012345"));
        assert_eq!(check_iban("DE89370400440532013000"), Ok(()));
        assert_eq!(check_iban("ÀÀ"), Err(IbanError::Invalid));
        assert_eq!(check_iban(""), Err(IbanError::Invalid));
    }
}
