//! `ente capitolo` and `reconcile` (issue 16 item 4) through the CLI: the default chapter, the
//! collected amounts by chapter, each payment's MyPivot labels, and the three files (the
//! workbook, the reversal proposals, MyPivot's 1.4 zip).

use std::io::Read;

use mpd_domain::Version;
use mpd_e2e::{Env, row, tracciato};
use mpd_tracciato::export::ExportVersion;

use crate::receipts::export_zip;

fn leggi_zip(path: &std::path::Path, voce: Option<&str>) -> (Vec<String>, String) {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let nomi: Vec<String> = z.file_names().map(|n| n.unwrap().to_string()).collect();
    let nome = voce.map_or_else(|| nomi[0].clone(), str::to_string);
    let mut s = String::new();
    z.by_name(&nome).unwrap().read_to_string(&mut s).unwrap();
    (nomi, s)
}

#[test]
fn reconcile_totals_labels_and_exports() {
    let env = Env::with_ente();
    // The receipts are dated; with no FdR coming here they would turn «non rendicontato» after
    // 10 days: this test is about the accounting side, so the days are wide.
    let r = env.cli(&[
        "treasury",
        "rules",
        "--giorni-rendicontazione",
        "366",
        "--giorni-incasso",
        "366",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
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
        ExportVersion::V1_3,
        false,
        &[("P-1", "IUR1", "10.00"), ("P-2", "IUR2", "20.00")],
    );
    assert_eq!(
        env.cli(&["receipts", "import", zip.to_str().unwrap()]).code,
        0
    );
    let tipo = "TARI";

    // No chapter yet: everything is «capitolo non indicato».
    let (code, t) = env.json(&["reconcile", "totals", "--by", "capitolo"]);
    assert_eq!(code, 0, "{t}");
    assert_eq!(t["totale_cents"], 3000);
    assert_eq!(t["per_capitolo"][0]["etichetta"], "capitolo non indicato");

    let r = env.cli(&[
        "ente",
        "capitolo",
        tipo,
        "--capitolo",
        "3010",
        "--accertamento",
        "2026/15",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.out.contains("capitolo 3010, accertamento 2026/15"),
        "{}",
        r.out
    );
    let (_, t) = env.json(&["reconcile", "totals"]);
    assert_eq!(t["per_capitolo"][0]["chiave"], "3010", "{t}");
    assert_eq!(t["per_accertamento"][0]["importo_cents"], 3000);
    let testo = env.cli(&["reconcile", "totals", "--by", "mese"]).out;
    assert!(
        testo.contains("Per mese") && !testo.contains("Per capitolo"),
        "{testo}"
    );
    assert_eq!(env.cli(&["reconcile", "totals", "--by", "anno"]).code, 2);

    // Each payment's labels: receipts without FdR wait for it.
    let (_, r) = env.json(&["reconcile"]);
    let p = r["pagamenti"].as_array().unwrap();
    assert_eq!(p.len(), 2);
    assert!(
        p.iter()
            .all(|x| x["etichette"] == serde_json::json!(["RT_NO_IUF"])),
        "{p:?}"
    );
    assert!(
        p.iter()
            .all(|x| x["capitoli"] == serde_json::json!(["3010"]))
    );

    let xlsx = env.path("riconciliazione.xlsx");
    let r = env.cli(&["reconcile", "export", "--out", xlsx.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.out.contains("2 pagamenti, 0 anomalie"), "{}", r.out);
    let (_, workbook) = leggi_zip(&xlsx, Some("xl/workbook.xml"));
    for foglio in [
        "Riepilogo",
        "Pagamenti",
        "Anomalie",
        "Proposte di reversale",
    ] {
        assert!(
            workbook.contains(&format!("name=\"{foglio}\"")),
            "{workbook}"
        );
    }

    let csv = env.path("reversali.csv");
    let r = env.cli(&["reconcile", "reversali", "--out", csv.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.out.contains("Nessuna proposta di reversale"), "{}", r.out);
    assert!(std::fs::read_to_string(&csv).unwrap().contains(
        "Esercizio;Numero bolletta;Data;Capitolo;Articolo;Accertamento;Importo;Descrizione"
    ));
    assert_eq!(
        env.cli(&[
            "reconcile",
            "reversali",
            "--out",
            env.path("x.txt").to_str().unwrap()
        ])
        .code,
        2
    );

    let mp = env.path("mypivot.zip");
    let r = env.cli(&["reconcile", "mypivot", "--out", mp.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{r:?}");
    let (nomi, s) = leggi_zip(&mp, None);
    assert!(nomi[0].contains("_ESTRAZIONE_RICONCILIAZIONE_") && nomi[0].ends_with("-1.4.csv"));
    let righe: Vec<&str> = s.lines().collect();
    assert_eq!(righe[0].split(';').count(), 141);
    assert_eq!(righe.len(), 3, "{s}");
    let r = env.cli(&[
        "reconcile",
        "mypivot",
        "--senza-notifiche",
        "--out",
        mp.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    let (_, s) = leggi_zip(&mp, None);
    assert_eq!(s.lines().next().unwrap().split(';').count(), 120);
}
