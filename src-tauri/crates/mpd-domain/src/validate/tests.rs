//! Tests of `validate`: the worked examples of the specs, boundaries, and hostile input.

use super::*;
use crate::model::Rule;
use proptest::prelude::*;

fn ente() -> Ente {
    Ente {
        codice_ipa: "c_x123".into(),
        codice_fiscale: "01199250158".into(),
        denominazione: "Comune di Prova".into(),
        codice_segregazione: "12".into(),
    }
}

fn tipo(codice: &str) -> TipoDovuto {
    TipoDovuto {
        codice: codice.into(),
        descrizione: codice.into(),
        dati_specifici_riscossione: "9/0101100IM/".into(),
        attivo: true,
        cf_anonimo: false,
        scadenza_obbligatoria: false,
        stampa_data_scadenza: false,
        causale_predefinita: None,
        importo_predefinito: None,
        scadenza_predefinita: None,
        posizioni: Default::default(),
    }
}

fn tipi() -> Vec<TipoDovuto> {
    let mut anon = tipo("ANON");
    anon.cf_anonimo = true;
    let mut obb = tipo("OBBL");
    obb.scadenza_obbligatoria = true;
    let mut stampa = tipo("STAMPA");
    stampa.stampa_data_scadenza = true;
    let mut off = tipo("SPENTO");
    off.attivo = false;
    vec![tipo("TARI"), anon, obb, stampa, off]
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 1).unwrap()
}

/// A row that passes every check, for `version`.
fn good_row(version: Version) -> RawRow {
    let mut r = RawRow::default();
    r.set(Column::Iud, "TARI-2025-0001");
    r.set(Column::TipoIdentificativoUnivoco, "F");
    r.set(Column::CodiceIdentificativoUnivoco, "RSSMRA80A01H501U");
    r.set(Column::AnagraficaPagatore, "Mario Rossi");
    r.set(Column::IndirizzoPagatore, "Via Roma");
    r.set(Column::CivicoPagatore, "1");
    r.set(Column::CapPagatore, "20121");
    r.set(Column::LocalitaPagatore, "Milano");
    r.set(Column::ProvinciaPagatore, "MI");
    r.set(Column::NazionePagatore, "IT");
    r.set(Column::EmailPagatore, "mario.rossi@example.it");
    r.set(Column::DataScadenzaPagamento, "2025-12-31");
    r.set(Column::ImportoDovuto, "100.00");
    r.set(Column::TipoDovuto, "TARI");
    r.set(Column::CausaleVersamento, "TARI 2025 rata unica");
    r.set(Column::DatiSpecificiRiscossione, "9/0101100IM/");
    r.set(Column::Azione, "I");
    if version == Version::V1_4 {
        r.set(Column::FlagMultiBeneficiario, "false");
    }
    r
}

fn multi_row() -> RawRow {
    let mut r = good_row(Version::V1_4);
    r.set(Column::FlagMultiBeneficiario, "true");
    r.set(Column::CodiceFiscaleEnteSecondario, "02342520158");
    r.set(Column::DenominazioneEnteSecondario, "Unione dei Comuni");
    r.set(
        Column::IbanAccreditoEnteSecondario,
        "IT60X0542811101000000123456",
    );
    r.set(Column::NazioneEnteSecondario, "IT");
    r.set(Column::ProvinciaEnteSecondario, "BG");
    r.set(Column::CapEnteSecondario, "24121");
    r.set(
        Column::DatiSpecificiRiscossioneEnteSecondario,
        "9/0101100IM/",
    );
    r.set(Column::ImportoVersamentoEnteSecondario, "10.00");
    r
}

fn run(row: &RawRow, v: Version) -> (Vec<Finding>, Vec<Finding>) {
    let e = ente();
    let t = tipi();
    let ctx = RowContext::new(&e, &t, v, today());
    (mypay_findings(row, &ctx), strict_findings(row, &ctx))
}

fn mypay_codes(row: &RawRow, v: Version) -> Vec<String> {
    run(row, v).0.into_iter().map(|f| f.code).collect()
}

fn strict_codes(row: &RawRow, v: Version) -> Vec<String> {
    run(row, v).1.into_iter().map(|f| f.code).collect()
}

fn with(v: Version, edits: &[(Column, &str)]) -> RawRow {
    let mut r = if v == Version::V1_4 && edits.iter().any(|(c, _)| is_secondary(*c)) {
        multi_row()
    } else {
        good_row(v)
    };
    for (c, val) in edits {
        r.set(*c, *val);
    }
    r
}

#[test]
fn good_rows_are_clean_in_every_version() {
    for v in Version::ALL {
        let (m, s) = run(&good_row(v), v);
        assert!(m.is_empty(), "{v}: {m:?}");
        assert!(s.is_empty(), "{v}: {s:?}");
    }
    let (m, s) = run(&multi_row(), Version::V1_4);
    assert!(m.is_empty() && s.is_empty(), "{m:?} {s:?}");
}

#[test]
fn syntax_missing_and_too_long_stop_the_row() {
    let r = with(
        Version::V1_2,
        &[
            (Column::Iud, ""),
            (Column::AnagraficaPagatore, &"x".repeat(71)),
            (Column::CodIuv, "bad"),
        ],
    );
    let (m, _) = run(&r, Version::V1_2);
    assert!(
        m.iter()
            .all(|f| f.code == codes::SINTASSI_CSV && f.rule == Rule::MyPay)
    );
    assert_eq!(
        m.len(),
        2,
        "semantic checks (IUV) do not run after a syntax error"
    );
    let rif = render_rifiuto(&m, &r, Version::V1_2).unwrap();
    assert_eq!(rif.cod_rifiuto, "PAA_IMPORT_SINTASSI_CSV");
    assert_eq!(
        rif.de_rifiuto,
        "|IUD NON PRESENTE|ANAGRAFICA_PAGATORE TROPPO GRANDE"
    );
}

#[test]
fn syntax_formats() {
    let r = with(
        Version::V1_3,
        &[
            (Column::DataScadenzaPagamento, "31/12/2025"),
            (Column::ImportoDovuto, "12,50"),
            (Column::FlagGeneraIuv, "si"),
        ],
    );
    let (m, _) = run(&r, Version::V1_3);
    let rif = render_rifiuto(&m, &r, Version::V1_3).unwrap();
    assert_eq!(
        rif.de_rifiuto,
        "|dataScadenzaPagamento:wrong DATE pattern or wrong DATE data|IMPORTO_DOVUTO NON CONFROME: 12,50|FLAG_GENERA_IUV NON CONFORME"
    );
    // Date mandatory in 1_0/1_1 only.
    let r = with(Version::V1_0, &[(Column::DataScadenzaPagamento, "")]);
    assert_eq!(
        render_rifiuto(&run(&r, Version::V1_0).0, &r, Version::V1_0)
            .unwrap()
            .de_rifiuto,
        "|DATA_SCADENZA_PAGAMENTO NON PRESENTE"
    );
    assert!(
        mypay_codes(
            &with(Version::V1_2, &[(Column::DataScadenzaPagamento, "")]),
            Version::V1_2
        )
        .is_empty()
    );
    // Causale: 140 in 1_0, 1024 later.
    let long = "c".repeat(141);
    assert_eq!(
        mypay_codes(
            &with(Version::V1_0, &[(Column::CausaleVersamento, &long)]),
            Version::V1_0
        ),
        [codes::SINTASSI_CSV]
    );
    assert!(
        mypay_codes(
            &with(Version::V1_1, &[(Column::CausaleVersamento, &long)]),
            Version::V1_1
        )
        .is_empty()
    );
    // Azione missing / too long are syntax problems.
    let r = with(Version::V1_0, &[(Column::Azione, "II")]);
    assert_eq!(
        render_rifiuto(&run(&r, Version::V1_0).0, &r, Version::V1_0)
            .unwrap()
            .de_rifiuto,
        "|AZIONE TROPPO GRANDE"
    );
    let r = with(Version::V1_4, &[(Column::FlagMultiBeneficiario, "yes")]);
    assert_eq!(
        render_rifiuto(&run(&r, Version::V1_4).0, &r, Version::V1_4)
            .unwrap()
            .de_rifiuto,
        "|FLAG_MULTI_BENEFICIARIO NON CONFORME"
    );
    // Multi-beneficiary mandatory columns.
    let r = with(Version::V1_4, &[(Column::DenominazioneEnteSecondario, "")]);
    assert_eq!(
        render_rifiuto(&run(&r, Version::V1_4).0, &r, Version::V1_4)
            .unwrap()
            .de_rifiuto,
        "|DENOMINAZIONE_ENTE_SECONDARIO NON PRESENTE"
    );
}

#[test]
fn column_count_findings() {
    assert!(mypay_column_count_finding(20, Version::V1_0).is_none());
    let many = mypay_column_count_finding(21, Version::V1_0).unwrap();
    let few = mypay_column_count_finding(19, Version::V1_0).unwrap();
    let r = RawRow::default();
    assert_eq!(
        render_rifiuto(&[many], &r, Version::V1_0)
            .unwrap()
            .de_rifiuto,
        "|Too many columns"
    );
    assert_eq!(
        render_rifiuto(&[few], &r, Version::V1_0)
            .unwrap()
            .de_rifiuto,
        "|ERRORE GENERICO NELLA LETTURA DELLA RIGA DEL CSV"
    );
}

#[test]
fn azione() {
    let r = with(
        Version::V1_0,
        &[(Column::Azione, "X"), (Column::Iud, "000abc")],
    );
    let (m, _) = run(&r, Version::V1_0);
    assert_eq!(m.len(), 1, "semantic checks do not run after a bad azione");
    assert_eq!(m[0].code, codes::AZIONE);
    let rif = render_rifiuto(&m, &r, Version::V1_0).unwrap();
    assert_eq!(rif.cod_rifiuto, "PAA_IMPORT_SINTASSI_CSV_AZIONE");
    assert_eq!(
        rif.de_rifiuto,
        "Errore sintassi CSV campo azione. Per maggiori informazioni fare riferimento al manuale 'Integrazione Ente'"
    );
    assert_eq!(
        mypay_codes(
            &with(Version::V1_0, &[(Column::Azione, "i")]),
            Version::V1_0
        ),
        [codes::AZIONE]
    );
}

#[test]
fn iud_code() {
    let r = with(Version::V1_0, &[(Column::Iud, "000123")]);
    assert_eq!(mypay_codes(&r, Version::V1_0), [codes::IUD]);
    let rif = render_rifiuto(&run(&r, Version::V1_0).0, &r, Version::V1_0).unwrap();
    assert_eq!(rif.cod_rifiuto, "|PAA_IMPORT_SINTASSI_CSV_IUD");
    assert_eq!(
        rif.de_rifiuto,
        "|Errore sintassi CSV campo IUD. Per maggiori informazioni fare riferimento al manuale 'Integrazione Ente'"
    );
}

#[test]
fn iuv_code_and_strict_iuv() {
    let v = Version::V1_3;
    assert_eq!(
        mypay_codes(&with(v, &[(Column::CodIuv, "12000000000000119")]), v),
        [codes::IUV]
    );
    assert_eq!(
        mypay_codes(&with(v, &[(Column::CodIuv, "123456789012345")]), v),
        [codes::IUV]
    );
    assert_eq!(
        mypay_codes(&with(v, &[(Column::CodIuv, "1234")]), v),
        [codes::IUV]
    );
    // MyPay accepts wrong check digits; we do not.
    let r = with(v, &[(Column::CodIuv, "12010000000000100")]);
    assert!(mypay_codes(&r, v).is_empty());
    assert_eq!(strict_codes(&r, v), [codes::MPD_IUV_NON_VALIDO]);
    let good = crate::iuv::generate_iuv17("12", "01", 5).unwrap();
    let r = with(v, &[(Column::CodIuv, &good)]);
    assert!(mypay_codes(&r, v).is_empty() && strict_codes(&r, v).is_empty());
    // validate_row does not repeat the IUV problem.
    let e = ente();
    let t = tipi();
    let ctx = RowContext::new(&e, &t, v, today());
    let all = validate_row(&with(v, &[(Column::CodIuv, "1234")]), &ctx);
    assert_eq!(
        all.iter().map(|f| f.code.as_str()).collect::<Vec<_>>(),
        [codes::IUV]
    );
}

#[test]
fn tipo_dovuto_codes() {
    let v = Version::V1_0;
    assert_eq!(
        mypay_codes(&with(v, &[(Column::TipoDovuto, "NOPE")]), v),
        [codes::TIPO_DOVUTO_INESISTENTE]
    );
    assert_eq!(
        mypay_codes(&with(v, &[(Column::TipoDovuto, "SPENTO")]), v),
        [codes::TIPO_DOVUTO_INESISTENTE]
    );
    assert_eq!(
        mypay_codes(&with(v, &[(Column::TipoDovuto, "MARCA_BOLLO_DIGITALE")]), v),
        [codes::TIPO_DOVUTO_MARCA_DA_BOLLO]
    );
    let (m, _) = run(&with(v, &[(Column::TipoDovuto, "SPENTO")]), v);
    assert!(m[0].message.contains("non è attivo"));
}

#[test]
fn payer_codes_and_cf_quirk() {
    let v = Version::V1_1;
    let r = with(
        v,
        &[(Column::CodiceIdentificativoUnivoco, "RSSMRA60D20F205R")],
    );
    assert_eq!(mypay_codes(&r, v), [codes::COD_FISC]);
    let rif = render_rifiuto(&run(&r, v).0, &r, v).unwrap();
    assert_eq!(
        rif.cod_rifiuto, "PAA_IMPORT_SINTASSI_CSV_COD_FISC",
        "no leading pipe"
    );
    assert!(
        rif.de_rifiuto
            .starts_with("Errore sintassi CSV campo codiceIdentificativoUnivoco")
    );
    assert!(
        run(&r, v).0[0]
            .message
            .contains("Va ricopiato dal documento")
    );
    // Lower case and omocodia are accepted.
    assert!(
        mypay_codes(
            &with(
                v,
                &[
                    (Column::CodiceIdentificativoUnivoco, "rssmraulalmhrlmd"),
                    (Column::TipoIdentificativoUnivoco, "f")
                ]
            ),
            v
        )
        .is_empty()
    );
    // G needs a P.IVA.
    assert_eq!(
        mypay_codes(&with(v, &[(Column::TipoIdentificativoUnivoco, "G")]), v),
        [codes::P_IVA]
    );
    assert!(
        mypay_codes(
            &with(
                v,
                &[
                    (Column::TipoIdentificativoUnivoco, "G"),
                    (Column::CodiceIdentificativoUnivoco, "01199250158")
                ]
            ),
            v
        )
        .is_empty()
    );
    // G with 00000000000: MyPay accepts, we do not.
    let r = with(
        v,
        &[
            (Column::TipoIdentificativoUnivoco, "G"),
            (Column::CodiceIdentificativoUnivoco, "00000000000"),
        ],
    );
    assert!(mypay_codes(&r, v).is_empty());
    assert_eq!(strict_codes(&r, v), [codes::MPD_PIVA_NON_VALIDA]);
    // F with an 11-digit code with a wrong check digit: only our rule catches it.
    let r = with(v, &[(Column::CodiceIdentificativoUnivoco, "01199250159")]);
    assert!(mypay_codes(&r, v).is_empty());
    assert_eq!(strict_codes(&r, v), [codes::MPD_CF_NUMERICO_NON_VALIDO]);
    // Neither F nor G.
    assert_eq!(
        mypay_codes(&with(v, &[(Column::TipoIdentificativoUnivoco, "X")]), v),
        [codes::ID_UNIV_FG]
    );
}

#[test]
fn anonimo() {
    let v = Version::V1_2;
    let r = with(v, &[(Column::CodiceIdentificativoUnivoco, "ANONIMO")]);
    assert_eq!(mypay_codes(&r, v), [codes::COD_FISC]);
    assert_eq!(strict_codes(&r, v), [codes::MPD_ANONIMO_NON_AMMESSO]);
    let e = ente();
    let t = tipi();
    let ctx = RowContext::new(&e, &t, v, today());
    assert_eq!(validate_row(&r, &ctx).len(), 1, "not reported twice");
    let r = with(
        v,
        &[
            (Column::CodiceIdentificativoUnivoco, "anonimo"),
            (Column::TipoDovuto, "ANON"),
        ],
    );
    assert!(mypay_codes(&r, v).is_empty() && strict_codes(&r, v).is_empty());
}

#[test]
fn address_codes() {
    let v = Version::V1_0;
    assert_eq!(
        mypay_codes(&with(v, &[(Column::CivicoPagatore, "1°")]), v),
        [codes::CIVICO]
    );
    assert_eq!(
        mypay_codes(&with(v, &[(Column::NazionePagatore, "XX")]), v),
        [codes::NAZ]
    );
    assert_eq!(
        mypay_codes(&with(v, &[(Column::ProvinciaPagatore, "ZZ")]), v),
        [codes::PROV]
    );
    assert_eq!(
        mypay_codes(&with(v, &[(Column::CapPagatore, "20 121")]), v),
        [codes::CAP]
    );
    assert_eq!(
        mypay_codes(&with(v, &[(Column::EmailPagatore, "mario rossi@x.it")]), v),
        [codes::EMAIL]
    );
    // Province only checked for Italy by MyPay; our rule also checks it with no nazione.
    let r = with(
        v,
        &[
            (Column::ProvinciaPagatore, "ZZ"),
            (Column::NazionePagatore, ""),
        ],
    );
    assert!(mypay_codes(&r, v).is_empty());
    assert_eq!(strict_codes(&r, v), [codes::MPD_PROVINCIA_SCONOSCIUTA]);
    let r = with(v, &[(Column::CapPagatore, "2012")]);
    assert!(mypay_codes(&r, v).is_empty());
    assert_eq!(strict_codes(&r, v), [codes::MPD_CAP_NON_VALIDO]);
    let r = with(
        v,
        &[
            (Column::CapPagatore, "SW1A1AA"),
            (Column::NazionePagatore, "GB"),
            (Column::ProvinciaPagatore, ""),
        ],
    );
    assert!(mypay_codes(&r, v).is_empty() && strict_codes(&r, v).is_empty());
    let r = with(v, &[(Column::EmailPagatore, "mario@localhost")]);
    assert!(mypay_codes(&r, v).is_empty());
    assert_eq!(strict_codes(&r, v), [codes::MPD_EMAIL_NON_VALIDA]);
}

#[test]
fn due_date_codes() {
    let v = Version::V1_2;
    let r = with(
        v,
        &[
            (Column::DataScadenzaPagamento, ""),
            (Column::TipoDovuto, "OBBL"),
        ],
    );
    assert_eq!(mypay_codes(&r, v), [codes::DATA_SCADENZA_NON_PRESENTE]);
    // DB rule: stampa_data_scadenza needs a date; scadenza_obbligatoria forbids past dates.
    let r = with(
        v,
        &[
            (Column::DataScadenzaPagamento, ""),
            (Column::TipoDovuto, "STAMPA"),
        ],
    );
    assert_eq!(mypay_codes(&r, v), [codes::DATA_SCADENZA_OBBLIGATORIA]);
    let rif = render_rifiuto(&run(&r, v).0, &r, v).unwrap();
    assert_eq!(
        rif.cod_rifiuto,
        "|PAA_IMPORT_DATA_SCADENZA_PAGAMENTO_OBBLIGATORIA"
    );
    let r = with(
        v,
        &[
            (Column::DataScadenzaPagamento, "2025-05-31"),
            (Column::TipoDovuto, "OBBL"),
        ],
    );
    assert_eq!(mypay_codes(&r, v), [codes::DATA_SCADENZA_OBBLIGATORIA]);
    assert!(
        mypay_codes(
            &with(
                v,
                &[
                    (Column::DataScadenzaPagamento, "2025-06-01"),
                    (Column::TipoDovuto, "OBBL")
                ]
            ),
            v
        )
        .is_empty()
    );
    // Not for cancellations.
    assert!(
        mypay_codes(
            &with(
                v,
                &[
                    (Column::DataScadenzaPagamento, ""),
                    (Column::TipoDovuto, "STAMPA"),
                    (Column::Azione, "A")
                ]
            ),
            v
        )
        .is_empty()
    );
    // Past date without the flag: only our warning.
    let r = with(v, &[(Column::DataScadenzaPagamento, "2025-05-31")]);
    let (m, s) = run(&r, v);
    assert!(m.is_empty());
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].code, codes::MPD_DATA_SCADENZA_PASSATA);
    assert_eq!(s[0].severity, Severity::Warning);
    // 2023-02-29: MyPay takes it (as 1 March), we do not.
    let r = with(v, &[(Column::DataScadenzaPagamento, "2027-02-29")]);
    assert!(mypay_codes(&r, v).is_empty());
    let (_, s) = run(&r, v);
    assert_eq!(s[0].code, codes::MPD_DATA_NON_VALIDA);
    assert!(s[0].message.contains("01/03/2027"));
    assert!(
        strict_codes(
            &with(v, &[(Column::DataScadenzaPagamento, "2028-02-29")]),
            v
        )
        .is_empty()
    );
}

#[test]
fn amount_codes() {
    let v = Version::V1_0;
    let r = with(v, &[(Column::ImportoDovuto, "0")]);
    assert_eq!(mypay_codes(&r, v), [codes::IMPORTO]);
    let rif = render_rifiuto(&run(&r, v).0, &r, v).unwrap();
    assert_eq!(rif.cod_rifiuto, "|PAA_IMPORT_SINTASSI_CSV_IMPORTO");
    assert!(
        rif.de_rifiuto
            .starts_with(" Errore sintassi CSV campo importoDovuto"),
        "leading space"
    );
    assert_eq!(
        mypay_codes(&with(v, &[(Column::ImportoDovuto, "1000000000.00")]), v),
        [codes::IMPORTO]
    );
    assert!(mypay_codes(&with(v, &[(Column::ImportoDovuto, "999999999.99")]), v).is_empty());
    for (amount, mypay_ok) in [
        ("-5", true),
        ("1.234", true),
        ("1e2", true),
        ("0.01", false),
    ] {
        let r = with(v, &[(Column::ImportoDovuto, amount)]);
        assert!(mypay_codes(&r, v).is_empty(), "{amount}");
        let strict = strict_codes(&r, v);
        assert_eq!(strict.is_empty(), !mypay_ok, "{amount}: {strict:?}");
    }
    assert_eq!(
        mypay_codes(&with(v, &[(Column::CommissioneCaricoPa, "1000000000")]), v),
        [codes::COMMISSIONI_PA]
    );
    assert_eq!(
        strict_codes(&with(v, &[(Column::CommissioneCaricoPa, "1.5e1")]), v),
        [codes::MPD_COMMISSIONE_NON_VALIDA]
    );
}

#[test]
fn tipo_versamento_and_taxonomy() {
    let v = Version::V1_0;
    for ok in ["", "ALL", "all", "BBT|PO", "OBEP"] {
        assert!(
            mypay_codes(&with(v, &[(Column::TipoVersamento, ok)]), v).is_empty(),
            "{ok}"
        );
    }
    for bad in ["ALL|PO", "XYZ", "BBT|", "BBT,PO"] {
        assert_eq!(
            mypay_codes(&with(v, &[(Column::TipoVersamento, bad)]), v),
            [codes::TIPO_VERS],
            "{bad}"
        );
    }
    assert_eq!(
        mypay_codes(
            &with(v, &[(Column::DatiSpecificiRiscossione, "9/01 01/")]),
            v
        ),
        [codes::DATI_RISCOSS]
    );
    let r = with(v, &[(Column::DatiSpecificiRiscossione, "9/0101100XX/")]);
    assert!(mypay_codes(&r, v).is_empty());
    assert_eq!(strict_codes(&r, v), [codes::MPD_TASSONOMIA_NON_VALIDA]);
    let r = with(v, &[(Column::DatiSpecificiRiscossione, "9/0101999IM/")]);
    let (_, s) = run(&r, v);
    assert_eq!(s[0].code, codes::MPD_TASSONOMIA_SCONOSCIUTA);
    assert_eq!(s[0].severity, Severity::Warning);
    let (_, s) = run(
        &with(v, &[(Column::DatiSpecificiRiscossione, "2/capitolo123")]),
        v,
    );
    assert_eq!(s[0].code, codes::MPD_TASSONOMIA_FORMATO_VECCHIO);
}

const BIL: &str = "<bilancio><capitolo><codCapitolo>C1</codCapitolo><accertamento><codAccertamento>A1</codAccertamento><importo>60.00</importo></accertamento><accertamento><importo>40.00</importo></accertamento></capitolo></bilancio>";

#[test]
fn bilancio_codes() {
    let v = Version::V1_2;
    let r = with(v, &[(Column::Bilancio, BIL)]);
    assert!(mypay_codes(&r, v).is_empty() && strict_codes(&r, v).is_empty());
    assert_eq!(
        mypay_codes(
            &with(
                v,
                &[(Column::Bilancio, BIL), (Column::ImportoDovuto, "99.99")]
            ),
            v
        ),
        [codes::BILANCIO]
    );
    assert_eq!(
        mypay_codes(&with(v, &[(Column::Bilancio, "<bilancio>")]), v),
        [codes::BILANCIO]
    );
    // Ignored in 1_0/1_1, where the column does not exist.
    assert!(
        mypay_codes(
            &with(Version::V1_1, &[(Column::Bilancio, "<x>")]),
            Version::V1_1
        )
        .is_empty()
    );
    let three = BIL.replace("60.00", "59.995").replace("40.00", "40.005");
    let r = with(v, &[(Column::Bilancio, &three)]);
    assert!(mypay_codes(&r, v).is_empty());
    assert_eq!(strict_codes(&r, v), [codes::MPD_BILANCIO_NON_VALIDO]);
}

#[test]
fn multi_beneficiary_codes() {
    let v = Version::V1_4;
    let cases: [(Column, &str, &str); 9] = [
        (
            Column::CodiceFiscaleEnteSecondario,
            "02342520159",
            codes::COD_FISC_ENTE_SECONDARIO,
        ),
        (
            Column::IbanAccreditoEnteSecondario,
            "IT60X054281110100000012345",
            codes::IBAN_ENTE_SECONDARIO,
        ),
        (
            Column::CivicoEnteSecondario,
            "n°1",
            codes::CIVICO_ENTE_SECONDARIO,
        ),
        (
            Column::NazioneEnteSecondario,
            "QQ",
            codes::NAZ_ENTE_SECONDARIO,
        ),
        (
            Column::ProvinciaEnteSecondario,
            "ZZ",
            codes::PROV_ENTE_SECONDARIO,
        ),
        (
            Column::CapEnteSecondario,
            "24-121",
            codes::CAP_ENTE_SECONDARIO,
        ),
        (
            Column::DatiSpecificiRiscossioneEnteSecondario,
            "9/9999999IM/",
            codes::DATI_RISCOSS_ENTE_SECONDARIO,
        ),
        (
            Column::ImportoVersamentoEnteSecondario,
            "0",
            codes::IMPORTO_VERS_ENTE_SECONDARIO,
        ),
        (
            Column::DatiSpecificiRiscossioneEnteSecondario,
            "2/abc",
            codes::DATI_RISCOSS_ENTE_SECONDARIO,
        ),
    ];
    for (col, value, code) in cases {
        assert_eq!(
            mypay_codes(&with(v, &[(col, value)]), v),
            [code],
            "{col:?}={value}"
        );
    }
    // The secondary columns are ignored when the flag is off.
    let mut r = good_row(v);
    r.set(Column::IbanAccreditoEnteSecondario, "short");
    assert!(mypay_codes(&r, v).is_empty() && strict_codes(&r, v).is_empty());
    // IBAN: MyPay checks only the length; pipe quirk in the rendering.
    let r = with(
        v,
        &[(
            Column::IbanAccreditoEnteSecondario,
            "IT61X0542811101000000123456",
        )],
    );
    assert!(mypay_codes(&r, v).is_empty());
    assert_eq!(strict_codes(&r, v), [codes::MPD_IBAN_NON_VALIDO]);
    let r = with(
        v,
        &[
            (Column::IbanAccreditoEnteSecondario, "IT6"),
            (Column::ImportoVersamentoEnteSecondario, "0"),
        ],
    );
    let rif = render_rifiuto(&run(&r, v).0, &r, v).unwrap();
    assert_eq!(
        rif.cod_rifiuto,
        "PAA_IMPORT_SINTASSI_CSV_IBAN_ACCREDITO_ENTE_SECONDARIO|PAA_IMPORT_SINTASSI_CSV_IMPORTO_VERS_ENTE_SECONDARIO"
    );
    // Strict: secondary amount must leave something to the main Ente.
    let r = with(v, &[(Column::ImportoVersamentoEnteSecondario, "100.00")]);
    assert_eq!(
        strict_codes(&r, v),
        [codes::MPD_IMPORTO_ENTE_SECONDARIO_ECCEDENTE]
    );
    let r = with(v, &[(Column::ImportoVersamentoEnteSecondario, "10.001")]);
    assert_eq!(
        strict_codes(&r, v),
        [codes::MPD_IMPORTO_ENTE_SECONDARIO_NON_VALIDO]
    );
    let r = with(v, &[(Column::CodiceFiscaleEnteSecondario, "00000000000")]);
    assert_eq!(
        strict_codes(&r, v),
        [codes::MPD_CF_ENTE_SECONDARIO_NON_VALIDO]
    );
}

#[test]
fn several_semantic_codes_are_concatenated() {
    let v = Version::V1_0;
    let r = with(
        v,
        &[
            (Column::Iud, "000x"),
            (Column::CodiceIdentificativoUnivoco, "RSSMRA60D20F205R"),
            (Column::ImportoDovuto, "0"),
            (Column::CapPagatore, "2 0"),
        ],
    );
    let rif = render_rifiuto(&run(&r, v).0, &r, v).unwrap();
    assert_eq!(
        rif.cod_rifiuto,
        "|PAA_IMPORT_SINTASSI_CSV_IUDPAA_IMPORT_SINTASSI_CSV_COD_FISC|PAA_IMPORT_SINTASSI_CSV_CAP|PAA_IMPORT_SINTASSI_CSV_IMPORTO"
    );
    let m = "Per maggiori informazioni fare riferimento al manuale 'Integrazione Ente'";
    assert_eq!(
        rif.de_rifiuto,
        format!(
            "|Errore sintassi CSV campo IUD. {m}Errore sintassi CSV campo codiceIdentificativoUnivoco. {m}|Errore sintassi CSV campo capPagatore. {m} Errore sintassi CSV campo importoDovuto. {m}"
        )
    );
    assert!(render_rifiuto(&[], &r, v).is_none());
}

#[test]
fn iud_tracker() {
    let mut t = IudTracker::new();
    // A rejected row does not count.
    assert!(t.observe("A1", false).is_none());
    assert!(t.observe("A1", true).is_none());
    let dup = t.observe("A1", true).unwrap();
    assert_eq!(dup.code, codes::IUD_DUPLICATO);
    assert_eq!(t.len(), 1);
    let rif = render_rifiuto(&[dup], &RawRow::default(), Version::V1_0).unwrap();
    assert_eq!(rif.cod_rifiuto, "PAA_IMPORT_IUD_DUPLICATO");
    assert_eq!(
        rif.de_rifiuto,
        "Errore IUD duplicato all''interno dello stesso flusso"
    );
    let db = mypay_iud_duplicato_db("A1");
    assert_eq!(
        render_rifiuto(&[db], &RawRow::default(), Version::V1_0).unwrap(),
        Rifiuto {
            cod_rifiuto: "|PAA_IMPORT_IUD_DUPLICATO".into(),
            de_rifiuto: "|IUD attivo presente nel database, non si accettano dovuti duplicati"
                .into()
        }
    );
    let f = iud_gia_presente("A1");
    assert_eq!(f.code, codes::MPD_IUD_GIA_PRESENTE);
    assert_eq!(f.rule, Rule::Strict);
    assert!(f.message.contains("A1"));
}

#[test]
fn control_characters_and_semicolons() {
    let v = Version::V1_0;
    let r = with(v, &[(Column::CausaleVersamento, "riga1\nriga2")]);
    assert_eq!(strict_codes(&r, v), [codes::MPD_CARATTERI_NON_AMMESSI]);
    let r = with(v, &[(Column::CausaleVersamento, "TARI; acconto")]);
    let (_, s) = run(&r, v);
    assert_eq!(s[0].code, codes::MPD_PUNTO_E_VIRGOLA);
    assert_eq!(s[0].severity, Severity::Warning);
}

#[test]
fn belfiore_warning() {
    let v = Version::V1_0;
    let body = b"RSSMRA80A01M999";
    let code = format!(
        "{}{}",
        std::str::from_utf8(body).unwrap(),
        crate::cf::check_char(body).unwrap()
    );
    let (m, s) = run(&with(v, &[(Column::CodiceIdentificativoUnivoco, &code)]), v);
    assert!(m.is_empty());
    assert_eq!(s[0].code, codes::MPD_CF_COMUNE_SCONOSCIUTO);
    assert_eq!(s[0].severity, Severity::Warning);
}

#[test]
fn messages_name_the_field_in_italian() {
    let v = Version::V1_0;
    let (m, _) = run(&with(v, &[(Column::ImportoDovuto, "0")]), v);
    assert!(m[0].message.starts_with("Importo: "), "{}", m[0].message);
}

#[test]
fn throughput_smoke() {
    // Not a benchmark (debug build): guards against accidental quadratic work per row.
    let e = ente();
    let t = tipi();
    let ctx = RowContext::new(&e, &t, Version::V1_4, today());
    let row = multi_row();
    crate::lookup::warm_up();
    let start = std::time::Instant::now();
    let mut n = 0;
    for _ in 0..20_000 {
        n += validate_row(&row, &ctx).len();
    }
    assert_eq!(n, 0);
    assert!(start.elapsed().as_secs() < 10);
}

/// `cargo test -p mpd-domain --release -- --ignored million --nocapture`: one million rows.
#[test]
#[ignore]
fn million_rows_release() {
    let e = ente();
    let t = tipi();
    let ctx = RowContext::new(&e, &t, Version::V1_4, today());
    let mut row = multi_row();
    row.set(
        Column::Bilancio,
        BIL.replace("60.00", "100.00")
            .replace("<accertamento><importo>40.00</importo></accertamento>", ""),
    );
    crate::lookup::warm_up();
    let start = std::time::Instant::now();
    let mut n = 0;
    for _ in 0..1_000_000 {
        n += validate_row(std::hint::black_box(&row), &ctx).len();
    }
    println!(
        "1,000,000 rows (1_4, multi-beneficiary, bilancio): {:?}, {n} findings",
        start.elapsed()
    );
    let row = good_row(Version::V1_4);
    let start = std::time::Instant::now();
    for _ in 0..1_000_000 {
        n += validate_row(std::hint::black_box(&row), &ctx).len();
    }
    println!(
        "1,000,000 rows (1_4, simple): {:?}, {n} findings",
        start.elapsed()
    );
}

fn any_field() -> impl Strategy<Value = String> {
    prop_oneof![
        ".*",
        "[0-9.,eE+-]{0,16}",
        "[A-Za-z0-9]{0,20}",
        Just(String::new()),
        Just("true".to_string()),
        Just("I".to_string()),
        Just("F".to_string()),
        Just("<bilancio><capitolo>".to_string()),
    ]
}

proptest! {
    #[test]
    fn validate_row_never_panics(fields in proptest::collection::vec(any_field(), 35), vi in 0usize..5, multi in any::<bool>()) {
        let version = Version::ALL[vi];
        let mut row = RawRow::default();
        for (i, f) in fields.into_iter().enumerate() {
            row.fields[i] = f;
        }
        if multi {
            row.set(Column::FlagMultiBeneficiario, "true");
        }
        let e = ente();
        let t = tipi();
        let ctx = RowContext::new(&e, &t, version, today());
        let out = validate_row(&row, &ctx);
        let _ = render_rifiuto(&out, &row, version);
        for f in &out {
            prop_assert!(!f.message.is_empty());
        }
    }

    #[test]
    fn single_field_fuzz_on_good_row(col in 0usize..35, value in ".*", vi in 0usize..5) {
        let version = Version::ALL[vi];
        let mut row = if version == Version::V1_4 { multi_row() } else { good_row(version) };
        row.fields[col] = value;
        let e = ente();
        let t = tipi();
        let ctx = RowContext::new(&e, &t, version, today());
        let out = validate_row(&row, &ctx);
        let _ = render_rifiuto(&out, &row, version);
    }

    #[test]
    fn checkers_never_panic(s in ".*") {
        let _ = crate::cf::check_cf(&s);
        let _ = crate::cf::belfiore_status(&s);
        let _ = crate::piva::check_piva_strict(&s);
        let _ = crate::iuv::rf_is_valid(&s);
        let _ = crate::iuv::notice_is_valid(&s);
        let _ = crate::iuv::check_supplied_iuv(&s, "12");
        let _ = crate::iban::check_iban(&s);
        let _ = crate::money::parse_it(&s);
        let _ = crate::money::mypay_parse_amount(&s);
        let _ = crate::money::check_amount_strict(&s);
        let _ = crate::dates::mypay_parse_date(&s);
        let _ = crate::dates::parse_it(&s);
        let _ = crate::taxonomy::check_taxonomy(&s, NaiveDate::MIN);
        let _ = crate::taxonomy::mypay_dati_riscossione_secondario_ok(&s);
        let _ = crate::bilancio::parse_bilancio(&s);
    }

    #[test]
    fn cf_check_char_roundtrip(body in "[A-Z]{6}[0-9]{2}[ABCDEHLMPRST][0-2][1-8][A-M][0-9]{2}[1-9]") {
        let c = crate::cf::check_char(body.as_bytes()).unwrap();
        let code = format!("{body}{c}");
        prop_assert!(crate::cf::check_cf16(&code).is_ok(), "{}", code);
    }
}
