//! Tests of `iuv`: the worked examples of the specs, boundaries, and hostile input.

use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn worked_notice_examples() {
    for n in [
        "322201151398574181",
        "002160020399398578",
        "301000000000000144",
        "312000000000000119",
    ] {
        assert!(notice_is_valid(n), "{n}");
    }
    assert!(!notice_is_valid("322201151398574182"));
    assert!(!notice_is_valid("470000008800999051"));
    assert!(!notice_is_valid("344012345678901233"));
    assert_eq!(
        check_digits(3, "22", "2011513985741").as_deref(),
        Some("81")
    );
    assert_eq!(
        check_digits(0, "02", "1600203993985").as_deref(),
        Some("78")
    );
    assert_eq!(
        check_digits(3, "01", "0000000000001").as_deref(),
        Some("44")
    );
    assert_eq!(
        iuv_from_notice("002160020399398578"),
        Some("160020399398578")
    );
    assert_eq!(
        iuv_from_notice("322201151398574181"),
        Some("22201151398574181")
    );
}

#[test]
fn generation_and_display() {
    // MyPay's own series: seg 12, prefix 00, counter 1.
    let iuv = generate_iuv17("12", "00", 1).unwrap();
    assert_eq!(iuv, "12000000000000119");
    assert_eq!(notice_from_iuv17(&iuv).unwrap(), "312000000000000119");
    assert!(iuv17_is_valid(&iuv));
    assert_eq!(
        format_notice("301000000000000144"),
        "3010 0000 0000 0001 44"
    );
    assert_eq!(format_notice("301000000000000144").len(), 22);
    assert!(generate_iuv17("1", "00", 1).is_err());
    assert!(generate_iuv17("12", "0a", 1).is_err());
    assert!(generate_iuv17("12", "01", 100_000_000_000).is_err());
    let ours = generate_iuv17("12", "01", 99_999_999_999).unwrap();
    assert_eq!(check_supplied_iuv(&ours, "12"), Ok(()));
}

#[test]
fn strict_supplied_iuv() {
    assert_eq!(check_supplied_iuv("12000000000000119", "12"), Ok(()));
    assert_eq!(
        check_supplied_iuv("1200000000000011", "12"),
        Err(IuvError::NotIuv17)
    );
    assert_eq!(
        check_supplied_iuv("1200000000000011A", "12"),
        Err(IuvError::NotIuv17)
    );
    assert!(matches!(
        check_supplied_iuv("12000000000000119", "13"),
        Err(IuvError::WrongSegregation { .. })
    ));
    assert_eq!(
        check_supplied_iuv("12000000000000118", "12"),
        Err(IuvError::WrongCheckDigits {
            expected: "19".into()
        })
    );
}

#[test]
fn mypay_validaiuv() {
    let ctx = MyPayIuvContext {
        segregazione: "12",
        flag_genera_iuv: false,
        azione: Some(Azione::Inserimento),
        today: d("2025-01-10"),
        iuv15_limit: d("2024-04-30"),
    };
    assert!(mypay_iuv_ok("", &ctx));
    // 17: own segregation code and not MyPay's 00 series; check digits are not verified.
    assert!(mypay_iuv_ok("12010000000000199", &ctx));
    assert!(!mypay_iuv_ok("12000000000000119", &ctx));
    assert!(!mypay_iuv_ok("13010000000000199", &ctx));
    assert!(mypay_iuv_ok(
        "13000000000000199",
        &MyPayIuvContext {
            flag_genera_iuv: true,
            ..ctx
        }
    ));
    // 15: rejected for inserts after the limit date, accepted before or for M/A.
    assert!(!mypay_iuv_ok("123456789012345", &ctx));
    assert!(mypay_iuv_ok(
        "123456789012345",
        &MyPayIuvContext {
            today: d("2024-04-29"),
            ..ctx
        }
    ));
    assert!(mypay_iuv_ok(
        "123456789012345",
        &MyPayIuvContext {
            azione: Some(Azione::Modifica),
            ..ctx
        }
    ));
    assert!(!mypay_iuv_ok(
        "003456789012345",
        &MyPayIuvContext {
            azione: Some(Azione::Modifica),
            ..ctx
        }
    ));
    // 25
    assert!(mypay_iuv_ok("RF45w9xxxxxxxxxxxxxxxxxxx", &ctx));
    assert!(mypay_iuv_ok("RF123499xxxxxxxxxxxxx0000", &ctx));
    assert!(!mypay_iuv_ok("RF123412xxxxxxxxxxxxx0000", &ctx));
    assert!(!mypay_iuv_ok("1234", &ctx));
}

#[test]
fn rf_examples() {
    assert_eq!(rf_build("w9").as_deref(), Some("RF45w9"));
    assert_eq!(
        rf_build("539007547034").as_deref(),
        Some("RF18539007547034")
    );
    assert!(rf_is_valid("RF45w9"));
    assert!(rf_is_valid("RF18539007547034"));
    assert!(!rf_is_valid("RF19539007547034"));
    assert!(!rf_is_valid("RF45"));
    assert!(!rf_is_valid("RF45é9"));
}

#[test]
fn notice_number_of_an_iuv17_and_of_a_legacy_iuv15() {
    // Spec vectors (pagopa-domain.md §1): aux 3 and aux 0 with application code 02.
    assert_eq!(
        notice_from_iuv("22201151398574181", "22").as_deref(),
        Some("322201151398574181")
    );
    let n = notice_from_iuv("160020399398578", "02").unwrap();
    assert_eq!(n, "002160020399398578");
    assert!(notice_is_valid(&n));
    assert_eq!(iuv_from_notice(&n), Some("160020399398578"));
    for (iuv, code) in [
        ("", "12"),
        ("RF18539007547034", "12"),
        ("160020399398578", ""),
        ("12345", "12"),
    ] {
        assert_eq!(notice_from_iuv(iuv, code), None, "{iuv}");
    }
}
