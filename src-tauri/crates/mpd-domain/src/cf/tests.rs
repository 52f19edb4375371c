//! Tests of `cf`: the worked examples of the specs, boundaries, and hostile input.

use super::*;

#[test]
fn valid_examples() {
    for cf in [
        "RSSMRA80A01H501U",
        "MRTMTT25D09F205Z",
        "RSSMRA85T10A562S",
        "RSSMRA80A01H50MM",
        "RSSMRAULALMHRLMD",
    ] {
        assert_eq!(check_cf16(cf), Ok(()), "{cf}");
        assert_eq!(check_cf(cf), Ok(CfKind::Persona), "{cf}");
    }
    // MyPay upper-cases: lower case is accepted.
    assert_eq!(check_cf16("rssmra80a01h501u"), Ok(()));
    // Check char computed without overflow on a code with a big sum.
    assert_eq!(check_cf16("XZXZXZ99M69Z404I"), Ok(()));
}

#[test]
fn wrong_check_chars_of_the_spec() {
    assert_eq!(
        check_cf16("RSSMRA60D20F205R"),
        Err(CfError::WrongCheckChar { expected: 'C' })
    );
    assert_eq!(
        check_cf16("FFFCST83A15L113V"),
        Err(CfError::WrongCheckChar { expected: 'Q' })
    );
}

#[test]
fn formal_errors() {
    assert_eq!(
        check_cf16("R5SMRA80A01H501U"),
        Err(CfError::LetterExpected { position: 2 })
    );
    assert_eq!(
        check_cf16("RSSMRA8XA01H501U"),
        Err(CfError::DigitExpected { position: 8 })
    );
    assert_eq!(check_cf16("RSSMRA80F01H501U"), Err(CfError::InvalidMonth));
    assert_eq!(check_cf16("RSSMRA80A32H501U"), Err(CfError::InvalidDay));
    assert_eq!(check_cf16("RSSMRA80A00H501U"), Err(CfError::InvalidDay));
    assert_eq!(check_cf16("RSSMRA80A72H501U"), Err(CfError::InvalidDay));
    assert_eq!(check_cf16("RSSMRA80D31H501U"), Err(CfError::InvalidDate));
    assert_eq!(check_cf16("RSSMRA81B29H501U"), Err(CfError::InvalidDate));
    assert_eq!(check_cf16("RSSMRA80A01N501U"), Err(CfError::InvalidPlace));
    assert_eq!(check_cf16("RSSMRA80A01H000U"), Err(CfError::ZeroPlace));
    assert_eq!(
        check_cf16("RSSMRA80A01H5013"),
        Err(CfError::LetterExpected { position: 16 })
    );
    assert!(matches!(
        check_cf16("RSSMRA80B29H501U"),
        Err(CfError::WrongCheckChar { .. })
    ));
    assert!(matches!(
        check_cf16("RSSMRA80A41H501U"),
        Err(CfError::WrongCheckChar { .. })
    ));
}

#[test]
fn odd_inputs_never_panic() {
    for s in [
        "",
        " ",
        "RSSMRA80A01H501",
        "RSSMRA80A01H501UU",
        "RSSMRA80A01 501U",
        "RSSMRÀ80A01H501",
        "🙂🙂🙂🙂",
        "ANONIMO",
    ] {
        assert!(check_cf(s).is_err(), "{s}");
        assert!(belfiore(s).is_none());
    }
}

#[test]
fn numeric_codes() {
    assert_eq!(check_cf("01199250158"), Ok(CfKind::Numerico));
    assert!(matches!(check_cf("01199250159"), Err(CfError::Numeric(_))));
}

#[test]
fn belfiore_lookup_decodes_omocodia() {
    assert_eq!(belfiore("RSSMRAULALMHRLMD"), Some(*b"H501"));
    assert!(
        matches!(belfiore_status("RSSMRA80A01H50MM"), Some(BelfioreStatus::Comune(c)) if c.nome == "ROMA")
    );
    assert_eq!(
        belfiore_status("XZXZXZ99M69Z404I"),
        Some(BelfioreStatus::Estero)
    );
    let body = b"RSSMRA80A01M999";
    let cf = format!(
        "{}{}",
        std::str::from_utf8(body).unwrap(),
        check_char(body).unwrap()
    );
    assert_eq!(belfiore_status(&cf), Some(BelfioreStatus::Sconosciuto));
}

#[test]
fn a_wrong_check_character_asks_to_copy_the_code_again_and_never_suggests_one() {
    // Suggesting the expected character invited "fixing" the last one, which turns a typo in
    // the middle into someone else's valid code (issue 13).
    let e = CfError::WrongCheckChar { expected: 'C' };
    let m = e.message_it();
    assert!(m.contains("Va ricopiato dal documento"), "{m}");
    assert!(!m.contains("dovrebbe"), "{m}");
    assert!(
        !m.contains(" C ") && !m.contains(" C;") && !m.ends_with(" C"),
        "{m}"
    );
    let e = crate::piva::PivaError::WrongCheckDigit { expected: 7 };
    assert!(!e.message_it().contains('7'), "{}", e.message_it());
    let e = crate::iuv::IuvError::WrongCheckDigits {
        expected: "42".into(),
    };
    assert!(!e.message_it().contains("42"), "{}", e.message_it());
    assert!(e.message_it().contains("ricopiato"), "{}", e.message_it());
}
