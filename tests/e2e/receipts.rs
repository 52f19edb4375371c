//! `receipts import` of an export of paid positions: stored once, matched to the debts.

use chrono::NaiveDate;
use mpd_domain::Version;
use mpd_e2e::{Env, row, tracciato};
use mpd_tracciato::export::{
    ExportLayout, ExportName, ExportVersion, ExportWriter, write_export_zip,
};

pub(crate) fn export_zip(
    env: &Env,
    version: ExportVersion,
    ricevuta: bool,
    payments: &[(&str, &str, &str)],
) -> std::path::PathBuf {
    let ente = env.desk().require_ente().unwrap();
    let layout = ExportLayout::new(version, ricevuta);
    let mut w = ExportWriter::new(Vec::new(), layout).unwrap();
    for (i, (iud, iur, importo)) in payments.iter().enumerate() {
        let debt = env
            .desk()
            .store()
            .dovuto(iud)
            .unwrap()
            .map(|d| d.row)
            .unwrap_or_else(|| row(iud, "RSSMRA80A01H501U", importo));
        let iuv = format!("120000000000{:05}", i + 1);
        let p = mpd_core::synth::Payment {
            ente: &ente,
            row: &debt,
            iuf: "MPD1",
            num_riga: i + 1,
            iuv: &iuv,
            iur,
            importo,
            paid_on: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            psp: ("ABI03069", "Intesa Sanpaolo"),
            rt_base64: ricevuta.then_some("PFJUPjwvUlQ+"),
        };
        w.write_fields(mpd_core::synth::export_fields(layout, &p))
            .unwrap();
    }
    let csv = w.finish().unwrap();
    let name = ExportName::parse(&format!(
        "c_x123-42_ESTRAZIONE_DOVUTI_20261121101500-{}",
        version.as_str().replace('.', "_")
    ))
    .unwrap();
    let path = env.path(&name.zip_name());
    write_export_zip(std::fs::File::create(&path).unwrap(), &name, &csv, 6).unwrap();
    path
}

#[test]
fn receipts_are_matched_stored_once_and_debts_become_paid() {
    for (version, ricevuta) in [
        (ExportVersion::V1_1, false),
        (ExportVersion::V1_2, true),
        (ExportVersion::V1_3, true),
    ] {
        let env = Env::with_ente();
        let file = env.write(
            "in.csv",
            &tracciato(
                Version::V1_4,
                &[
                    row("P-1", "RSSMRA80A01H501U", "10.00"),
                    row("P-2", "02342520158", "20.00"),
                ],
            ),
        );
        assert_eq!(
            env.cli(&["debts", "import", file.to_str().unwrap()]).code,
            0
        );
        let zip = export_zip(
            &env,
            version,
            ricevuta,
            &[
                ("P-1", "IUR1", "10.00"),
                ("P-2", "IUR2", "15.00"),
                ("X-9", "IUR3", "7.00"),
            ],
        );
        let (code, v) = env.json(&["receipts", "import", zip.to_str().unwrap()]);
        assert_eq!(code, 0, "{v}");
        assert_eq!(
            (
                v["nuove"].as_u64(),
                v["pagato"].as_u64(),
                v["importo_diverso"].as_u64(),
                v["sconosciuto"].as_u64()
            ),
            (Some(3), Some(1), Some(1), Some(1)),
            "{v}"
        );
        let (_, again) = env.json(&["receipts", "import", zip.to_str().unwrap()]);
        assert_eq!(
            (again["nuove"].as_u64(), again["gia_presenti"].as_u64()),
            (Some(0), Some(3))
        );
        let list = env.json(&["debts", "list"]).1;
        assert_eq!(list[0]["stato"], "paid");
        assert_eq!(list[0]["ricevuta"]["iur"], "IUR1");
        assert_eq!(list[1]["ricevuta"]["abbinamento"], "importo_diverso");
        let text = env.cli(&["receipts", "list"]).out;
        assert!(
            text.contains("10,00 €") && text.contains("sconosciuto"),
            "{text}"
        );
    }
}

#[test]
fn a_bad_row_stores_nothing_and_names_the_row() {
    let env = Env::with_ente();
    let ente = env.desk().require_ente().unwrap();
    let layout = ExportLayout::new(ExportVersion::V1_3, false);
    let mut w = ExportWriter::new(Vec::new(), layout).unwrap();
    let debt = row("P-1", "RSSMRA80A01H501U", "10.00");
    for (i, importo) in ["10.00", "dieci"].iter().enumerate() {
        let iur = format!("IUR{i}");
        let p = mpd_core::synth::Payment {
            ente: &ente,
            row: &debt,
            iuf: "F",
            num_riga: i + 1,
            iuv: "12000000000000001",
            iur: &iur,
            importo,
            paid_on: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            psp: ("X", "Y"),
            rt_base64: None,
        };
        w.write_fields(mpd_core::synth::export_fields(layout, &p))
            .unwrap();
    }
    let file = env.write("export.csv", &w.finish().unwrap());
    let r = env.cli(&["receipts", "import", file.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(
        r.err.contains("riga 2")
            && r.err.contains("singoloImportoPagato")
            && r.err.contains("nessuna ricevuta"),
        "{}",
        r.err
    );
    assert_eq!(env.desk().store().count_ricevute().unwrap(), 0);
}
