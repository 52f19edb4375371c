//! The causale parser on the spec's table (§3.6) and more variants seen in real journals: each
//! row asserts MyPivot's reading and ours.

use super::*;

/// `(causale, MyPivot IUF, MyPivot IUV, our IUF, our IUV)`.
type Caso = (
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
);

const IUF: &str = "2024-05-13BPPIITRRXXX-S240513000123";

const CASI: &[Caso] = &[
    // §3.6, row by row.
    (
        "/PUR/LGPE-RIVERSAMENTO/URI/2024-05-13BPPIITRRXXX-S240513000123",
        Some(IUF),
        None,
        Some(IUF),
        None,
    ),
    (
        "RI1/PUR/LGPE-RIVERSAMENTO/URI/2021-03-17SIGPITM1XXX-S005147952 BONIFICO A VOSTRO FAVORE TRN 0306912345",
        Some("2021-03-17SIGPITM1XXX-S005147952"),
        None,
        Some("2021-03-17SIGPITM1XXX-S005147952"),
        None,
    ),
    (
        "/PUR/LGPE - RIVERSAMENTO/URI/2024-05-13BPPIITRRXXX-S240513000123",
        Some(IUF),
        None,
        Some(IUF),
        None,
    ),
    (
        "PUR LGPE-RIVERSAMENTO URI 2024-05-13BPPIITRRXXX-S240513000123",
        Some(IUF),
        None,
        Some(IUF),
        None,
    ),
    (
        "/PUR/LGPE-RIVERSAMENTO/URI/2024-05- 13BPPIITRRXXX-S240513000123",
        Some(IUF),
        None,
        Some(IUF),
        None,
    ),
    (
        "/PUR/LGPE-RIVERSAMENTO/URI/20 24-05-13BPPIITRRXXX-S240513000123",
        Some("20"),
        None,
        Some(IUF),
        None,
    ),
    (
        "/PUR/LGPE-RIVERSAMENTO/URI/2021-0 3-17SIGPITM1XXX-S005147952",
        None,
        None,
        Some("2021-03-17SIGPITM1XXX-S005147952"),
        None,
    ),
    (
        "/PUR/LGPE-RIVERSAMENTO/TXT/1/URI/2024-05-13BPPIITRRXXX-S240513000123",
        None,
        None,
        Some(IUF),
        None,
    ),
    (
        "ACCREDITI VARI /PUR/LGPE-RIVERSAMENTO/URI/2024-05-13BPPIITRRXXX- S240513000123 /BEN",
        Some(IUF),
        None,
        Some(IUF),
        None,
    ),
    (
        "ACCREDITI VARI /PUR/LGPE-RIVERSAMENTO/URI/2024-05-13BPPIITRRXXX-S240513000123 /BEN. EFFETTIVO",
        Some("2024-05-13BPPIITRRXXX-S240513000123/BEN."),
        None,
        Some(IUF),
        None,
    ),
    (
        "/RFS/RF23000000000000000012345/150.00",
        None,
        Some("RF23000000000000000012345"),
        None,
        Some("RF23000000000000000012345"),
    ),
    (
        "/RFS/RF23 0000 0000 0000 0000 1234 5/150.00",
        None,
        Some("RF23000000000000000012345"),
        None,
        Some("RF23000000000000000012345"),
    ),
    (
        "/RFB/000000000012345/150.00/TXT/TARI 2024",
        None,
        Some("000000000012345"),
        None,
        Some("000000000012345"),
    ),
    (
        "RFB 000000000012345 150,00 TARI",
        None,
        Some("000000000012345"),
        None,
        Some("000000000012345"),
    ),
    // More variants.
    (
        "/PUR/LGPE-RIVERSAMENTO/URI/2024-05-14BCITITMM-S240514000123",
        Some("2024-05-14BCITITMM-S240514000123"),
        None,
        Some("2024-05-14BCITITMM-S240514000123"),
        None,
    ),
    (
        "/PUR/LGPE- RIVERSAMENTO/URI/2024-05-13BPPIITRRXXX-S240513000123",
        Some(IUF),
        None,
        Some(IUF),
        None,
    ),
    (
        "/PUR/LGPE -RIVERSAMENTO/URI/2024-05-13BPPIITRRXXX-S240513000123",
        Some(IUF),
        None,
        Some(IUF),
        None,
    ),
    (
        "/PUR/L GPE-RIVERSAMENTO/URI/2024-05-13BPPIITRRXXX-S240513000123",
        Some(IUF),
        None,
        Some(IUF),
        None,
    ),
    (
        // Lower case (a bank that rewrites the remittance): MyPivot's markers are case-sensitive.
        "/pur/lgpe-riversamento/uri/2024-05-13BPPIITRRXXX-S240513000123",
        None,
        None,
        Some(IUF),
        None,
    ),
    (
        // A line wrap right after the date.
        "/PUR/LGPE-RIVERSAMENTO/URI/2024-05-13\nBPPIITRRXXX-S240513000123",
        Some("2024-05-13"),
        None,
        Some(IUF),
        None,
    ),
    (
        // A wrap after the PSP's dash, without ACCREDITI VARI: MyPivot keeps the first half.
        "/PUR/LGPE-RIVERSAMENTO/URI/2024-05-13BPPIITRRXXX- S240513000123",
        Some("2024-05-13BPPIITRRXXX-"),
        None,
        Some(IUF),
        None,
    ),
    (
        "/PUR/LGPE-RIVERSAMENTO/TXT/12/URI/2024-05-13BPPIITRRXXX-S240513000123 RIVERSAMENTO PAGOPA",
        None,
        None,
        Some(IUF),
        None,
    ),
    (
        // An RFB inside a name: MyPivot makes an IUV of it, we do not.
        "BONIFICO DA CARFB SRL SALDO FATTURA 12",
        None,
        Some("SRL"),
        None,
        None,
    ),
    ("BONIFICO FATTURA 12 DEL 2024", None, None, None, None),
    (
        "/RFB/01240000000099999/80.00/TXT/TARI 2024",
        None,
        Some("01240000000099999"),
        None,
        Some("01240000000099999"),
    ),
    (
        "/RFB/01240000000099999",
        None,
        Some("01240000000099999"),
        None,
        Some("01240000000099999"),
    ),
    (
        // An IUV with a space in it (a wrap): MyPivot keeps it as is.
        "/RFB/0124000000 0099999/80.00",
        None,
        Some("0124000000 0099999"),
        None,
        Some("01240000000099999"),
    ),
    (
        // Both a flow and an IUV: MyPivot drops the entry from its view; we keep both.
        "/PUR/LGPE-RIVERSAMENTO/URI/2024-05-13BPPIITRRXXX-S240513000123 /RFB/01240000000099999",
        Some(IUF),
        Some("01240000000099999"),
        Some(IUF),
        Some("01240000000099999"),
    ),
    (
        // An old IUF without date: both accept it.
        "/PUR/LGPE-RIVERSAMENTO/URI/BCITITMMS240514000123",
        Some("BCITITMMS240514000123"),
        None,
        Some("BCITITMMS240514000123"),
        None,
    ),
];

#[test]
fn every_variant_read_as_mypivot_and_as_we_do() {
    assert!(CASI.len() >= 20);
    for (causale, pivot_iuf, pivot_iuv, iuf, iuv) in CASI {
        let l = leggi(causale);
        assert_eq!(
            l.mypivot.iuf.as_deref(),
            *pivot_iuf,
            "MyPivot IUF of {causale:?}"
        );
        assert_eq!(
            l.mypivot.iuv.as_deref(),
            *pivot_iuv,
            "MyPivot IUV of {causale:?}"
        );
        assert_eq!(l.iuf.as_deref(), *iuf, "our IUF of {causale:?}");
        assert_eq!(l.iuv.as_deref(), *iuv, "our IUV of {causale:?}");
        assert!(!l.spiegazione.is_empty());
    }
}

#[test]
fn each_reading_says_how() {
    let l = leggi("/PUR/LGPE-RIVERSAMENTO/URI/2024-05- 13BPPIITRRXXX-S240513000123");
    assert_eq!(
        l.spiegazione,
        "IUF letto dopo /PUR/LGPE-RIVERSAMENTO/URI/, spazio nella data rimosso"
    );
    let l = leggi("/PUR/LGPE-RIVERSAMENTO/URI/20 24-05-13BPPIITRRXXX-S240513000123");
    assert_eq!(
        l.spiegazione,
        "IUF letto dopo /PUR/LGPE-RIVERSAMENTO/URI/, spazio nella data rimosso (MyPivot leggerebbe lo IUF «20»)"
    );
    let l = leggi("/PUR/LGPE-RIVERSAMENTO/TXT/1/URI/2024-05-13BPPIITRRXXX-S240513000123");
    assert_eq!(
        l.spiegazione,
        "IUF letto dopo /PUR/LGPE-RIVERSAMENTO/URI/, «/TXT/n/» prima dell'URI ignorato (MyPivot non troverebbe lo IUF)"
    );
    let l = leggi("/PUR/LGPE - RIVERSAMENTO/URI/2024-05-13BPPIITRRXXX-S240513000123");
    assert!(
        l.spiegazione.contains("spazi nel marcatore"),
        "{}",
        l.spiegazione
    );
    let l = leggi(
        "ACCREDITI VARI /PUR/LGPE-RIVERSAMENTO/URI/2024-05-13BPPIITRRXXX- S240513000123 /BEN",
    );
    assert!(
        l.spiegazione.contains("a capo ricomposto"),
        "{}",
        l.spiegazione
    );
    let l = leggi("PUR LGPE-RIVERSAMENTO URI 2024-05-13BPPIITRRXXX-S240513000123");
    assert_eq!(l.spiegazione, "IUF letto dopo «PUR LGPE-RIVERSAMENTO URI»");
    let l = leggi("/RFS/RF23 0000 0000 0000 0000 1234 5/150.00");
    assert_eq!(
        l.spiegazione,
        "IUV letto dopo /RFS/, spazi nel codice tolti"
    );
    let l = leggi("RFB 000000000012345 150,00 TARI");
    assert_eq!(l.spiegazione, "IUV letto dopo «RFB » (forma con spazi)");
    let l = leggi("BONIFICO FATTURA 12");
    assert!(l.spiegazione.starts_with("nessun riferimento pagoPA"));
}

#[test]
fn psp_from_the_iuf_as_mypivot() {
    assert_eq!(
        mypivot_psp_da_iuf("2024-05-13BPPIITRRXXX-S240513000123").as_deref(),
        Some("BPPIITRRXXX")
    );
    assert_eq!(
        mypivot_psp_da_iuf("2024-05-14BCITITMM-S240514000123").as_deref(),
        Some("BCITITMM")
    );
}

#[test]
fn nothing_panics_on_odd_text() {
    for s in [
        "",
        "LGPE-RIVERSAMENTO",
        "/PUR/LGPE-RIVERSAMENTO/URI/",
        "RFS",
        "RFB",
        "/RFS/",
        "ACCREDITI VARI",
        "àèìòù € /PUR/LGPE-RIVERSAMENTO/URI/ü",
        "RFSé",
    ] {
        let _ = leggi(s);
    }
}
