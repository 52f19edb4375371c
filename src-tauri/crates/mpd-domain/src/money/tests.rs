//! Tests of `money`: the worked examples of the specs, boundaries, and hostile input.

use super::*;
use rust_decimal_macros::dec;

#[test]
fn max_amount_constant() {
    assert_eq!(MAX_AMOUNT, dec!(999999999.99));
}

#[test]
fn mypay_view() {
    assert_eq!(mypay_parse_amount("12"), Some(12.0));
    assert_eq!(mypay_parse_amount("12.5"), Some(12.5));
    assert_eq!(mypay_parse_amount("1e2"), Some(100.0));
    assert_eq!(mypay_parse_amount(".5"), Some(0.5));
    assert_eq!(mypay_parse_amount("5."), Some(5.0));
    assert_eq!(mypay_parse_amount("12.5d"), Some(12.5));
    assert_eq!(mypay_parse_amount("-5"), Some(-5.0));
    assert_eq!(mypay_parse_amount("12,50"), None);
    assert_eq!(mypay_parse_amount("1.234,50"), None);
    assert_eq!(mypay_parse_amount(""), None);
    assert_eq!(mypay_parse_amount("."), None);
    assert_eq!(mypay_parse_amount("1e"), None);
    assert_eq!(mypay_parse_amount("inf"), None);
    assert!(mypay_parse_amount("NaN").unwrap().is_nan());
    assert!(!mypay_amount_ok(0.0));
    assert!(mypay_amount_ok(0.01));
    assert!(mypay_amount_ok(999_999_999.99));
    assert!(!mypay_amount_ok(1_000_000_000.0));
    assert!(mypay_amount_ok(-5.0), "MyPay does not reject negatives");
    assert!(mypay_amount_ok(1.234), "MyPay rounds, does not reject");
}

#[test]
fn strict_boundaries() {
    assert_eq!(check_amount_strict("0"), Err(AmountError::NotPositive));
    assert_eq!(check_amount_strict("0.00"), Err(AmountError::NotPositive));
    assert_eq!(check_amount_strict("0.01"), Ok(dec!(0.01)));
    assert_eq!(check_amount_strict("999999999.99"), Ok(dec!(999999999.99)));
    assert_eq!(
        check_amount_strict("1000000000.00"),
        Err(AmountError::TooLarge)
    );
    assert_eq!(
        check_amount_strict("99999999999999999999999999999999"),
        Err(AmountError::TooLarge)
    );
    assert_eq!(
        check_amount_strict("1.234"),
        Err(AmountError::TooManyDecimals)
    );
    assert_eq!(
        check_amount_strict("12,50"),
        Err(AmountError::CommaSeparator)
    );
    assert_eq!(check_amount_strict("-5"), Err(AmountError::Negative));
    assert_eq!(check_amount_strict("1e2"), Err(AmountError::NotANumber));
    assert_eq!(check_amount_strict("12."), Err(AmountError::NotANumber));
    assert_eq!(check_amount_strict(""), Err(AmountError::Missing));
    assert_eq!(check_amount_strict("12"), Ok(dec!(12)));
    assert_eq!(parse_tracciato_amount("0"), Ok(dec!(0)));
}

#[test]
fn formatting() {
    assert_eq!(format_tracciato(dec!(1234.5)), "1234.50");
    assert_eq!(format_tracciato(dec!(12)), "12.00");
    assert_eq!(format_tracciato(dec!(2.345)), "2.35");
    assert_eq!(format_it(dec!(1234.5)), "1.234,50 €");
    assert_eq!(format_it(dec!(999999999.99)), "999.999.999,99 €");
    assert_eq!(format_it(dec!(0.5)), "0,50 €");
    assert_eq!(format_it(dec!(123)), "123,00 €");
    assert_eq!(format_it(dec!(-1234)), "-1.234,00 €");
}

#[test]
fn italian_input() {
    assert_eq!(parse_it("1.234,56"), Ok(dec!(1234.56)));
    assert_eq!(parse_it("1234,56"), Ok(dec!(1234.56)));
    assert_eq!(parse_it("1234.56"), Ok(dec!(1234.56)));
    assert_eq!(parse_it("€ 12,00"), Ok(dec!(12.00)));
    assert_eq!(parse_it("12,00 €"), Ok(dec!(12.00)));
    assert_eq!(parse_it("1.234"), Ok(dec!(1234)));
    assert_eq!(parse_it("1.234.567"), Ok(dec!(1234567)));
    assert_eq!(parse_it("1,234.56"), Ok(dec!(1234.56)));
    assert_eq!(parse_it("1 234,5"), Ok(dec!(1234.5)));
    assert_eq!(parse_it("-5"), Ok(dec!(-5)));
    assert_eq!(parse_it(",5"), Ok(dec!(0.5)));
    assert_eq!(parse_it("12,345"), Err(AmountError::TooManyDecimals));
    assert_eq!(parse_it("12.34.5"), Err(AmountError::NotANumber));
    assert_eq!(parse_it("abc"), Err(AmountError::NotANumber));
    assert_eq!(parse_it(""), Err(AmountError::Missing));
    assert_eq!(parse_it("€"), Err(AmountError::Missing));
    assert!(!AmountError::CommaSeparator.message_it().is_empty());
}
