//! The notices of a campaign on a desk of its own: what is skipped and why, print order,
//! odd first pages, file names, the manifest read back, a cancelled run.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::*;
use crate::posizioni::{ImportoScadenza, NuovaPosizione, crea};

fn app(dir: &Path) -> App {
    let app = App::new(
        Some(dir.join("db.sqlite")),
        crate::ConnectOptions::default(),
        Box::leak(Box::<mpd_client::credentials::MemoryStore>::default()),
    )
    .con_frase_archivio(Some(mpd_store::testing::CHIAVE_DI_PROVA));
    crate::home::avvia_demo(&app).unwrap();
    app
}

struct Famiglia<'a> {
    codice: &'a str,
    cf: &'a str,
    nome: &'a str,
    via: &'a str,
    civico: &'a str,
    cap: &'a str,
    anno: i32,
    rate: bool,
}

fn famiglia(app: &App, f: &Famiglia<'_>) {
    let anno = f.anno;
    let p = NuovaPosizione {
        codice: Some(f.codice.into()),
        oggetto: Some(format!("TARI {anno}")),
        pagatore: crate::dovuti::CampiDovuto {
            codice_pagatore: Some(f.cf.into()),
            anagrafica: Some(f.nome.into()),
            tipo: Some("TARI".into()),
            causale: Some(format!("TARI {anno}")),
            indirizzo: (!f.via.is_empty()).then(|| f.via.into()),
            civico: (!f.civico.is_empty()).then(|| f.civico.into()),
            cap: (!f.cap.is_empty()).then(|| f.cap.into()),
            localita: (!f.cap.is_empty()).then(|| "Milano".into()),
            provincia: Some("MI".into()),
            email: Some(format!("{}@example.it", f.cf.to_lowercase())),
            ..Default::default()
        },
        unica: Some(ImportoScadenza {
            importo: "240,00".into(),
            scadenza: Some(format!("30/04/{anno}")),
        }),
        rate: if f.rate {
            ["30/04", "31/07", "31/10"]
                .iter()
                .map(|s| ImportoScadenza {
                    importo: "80,00".into(),
                    scadenza: Some(format!("{s}/{anno}")),
                })
                .collect()
        } else {
            Vec::new()
        },
    };
    let esito = crea(app, p, false).unwrap();
    assert!(
        matches!(esito, mpd_core::posizioni::EsitoPosizione::Salvata { .. }),
        "{}: {esito:?}",
        f.codice
    );
}

/// MyPay loads the debts waiting to go, each with an IUV.
fn carica(app: &App, dir: &Path) {
    app.con_desk(|desk| {
        let r = desk
            .build_flows(mpd_domain::Version::V1_4, Some(&dir.join("flussi")))
            .unwrap();
        for f in r.flussi {
            let esiti: Vec<mpd_store::RigaEsito> = desk
                .store()
                .righe_flusso(f.id)
                .unwrap()
                .into_iter()
                .enumerate()
                .map(|(i, r)| mpd_store::RigaEsito::Caricato {
                    iud: r.iud,
                    iuv: Some(
                        mpd_domain::iuv::generate_iuv17("01", "55", 7_000 + i as u64).unwrap(),
                    ),
                })
                .collect();
            let now = desk.now();
            desk.store_mut().apply_esiti(f.id, &esiti, now).unwrap();
        }
        Ok(())
    })
    .unwrap();
}

fn paga(app: &App, iud: &str) {
    app.con_desk(|desk| {
        let d = desk.store().dovuto(iud).unwrap().unwrap();
        let r = mpd_store::NewRicevuta {
            iuv: d.row.get(mpd_domain::Column::CodIuv).to_string(),
            iur: format!("IUR{iud}"),
            iud: iud.into(),
            importo_cents: d.importo_cents,
            data_esito: "2030-02-01".into(),
            esito: "0".into(),
            psp_id: "PSP".into(),
            psp_nome: "Banca".into(),
            codice_pagatore: "BNCGNN70A41F205Y".into(),
            anagrafica_pagatore: "Bianchi".into(),
            codice_versante: "BNCGNN70A41F205Y".into(),
            tipo_dovuto: "TARI".into(),
            causale: "TARI".into(),
            rt_base64: None,
        };
        let now = desk.now();
        desk.store_mut().upsert_ricevute([r], now).unwrap();
        Ok(())
    })
    .unwrap();
}

fn opzioni(app: &App, codice: &str) -> Vec<mpd_core::posizioni::OpzioneVista> {
    crate::posizioni::dettaglio(app, codice).unwrap().opzioni
}

/// Seven households of TARI 2030 and one of 2031: three to print, one of each reason to skip.
fn campagna_di_prova(app: &App, dir: &Path) {
    let f = |codice, cf, nome, via, civico, cap, anno, rate| Famiglia {
        codice,
        cf,
        nome,
        via,
        civico,
        cap,
        anno,
        rate,
    };
    for x in [
        f(
            "T-A",
            "RSSMRA80A01H501U",
            "Mario Rossi",
            "Via Roma",
            "12",
            "20100",
            2030,
            true,
        ),
        // Rata unica only: one page, so the next notice needs a blank page before it.
        f(
            "T-B",
            "VRDLGU75B02F205A",
            "Luigi Verdi",
            "Via Po",
            "3",
            "10100",
            2030,
            false,
        ),
        f(
            "T-C",
            "BNCGNN70A41F205Y",
            "Giovanna Bianchi",
            "Via Roma",
            "9",
            "20100",
            2030,
            true,
        ),
        f(
            "T-D",
            "NREPLA85C43F205Y",
            "Paola Neri",
            "",
            "",
            "",
            2030,
            true,
        ),
        f(
            "T-E",
            "GLLFNC60D04F205H",
            "Franco Gialli",
            "Via Larga",
            "1",
            "20121",
            2030,
            true,
        ),
        f(
            "T-F",
            "BLUMRC90E05F205L",
            "Marco Blu",
            "Via Stretta",
            "2",
            "20122",
            2030,
            true,
        ),
        f(
            "T-H",
            "RSSMRA80A01H501U",
            "Mario Rossi",
            "Via Roma",
            "12",
            "20100",
            2031,
            true,
        ),
    ] {
        famiglia(app, &x);
    }
    carica(app, dir);
    // T-E paid its rata unica; T-F cancelled; T-G created after the flow: no IUVs yet.
    paga(app, &opzioni(app, "T-E")[0].iud);
    let iuds: Vec<String> = opzioni(app, "T-F").into_iter().map(|o| o.iud).collect();
    for e in crate::dovuti::annulla(app, &iuds).unwrap() {
        assert!(e.ok, "{}", e.messaggio);
    }
    famiglia(
        app,
        &f(
            "T-G",
            "VLAGRG66H06F205O",
            "Giorgio Viola",
            "Via Dante",
            "5",
            "20123",
            2030,
            true,
        ),
    );
}

fn pdftotext(pdf: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed by .ci/setup");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

fn pagine_pdf(pdf: &Path) -> usize {
    let out = std::process::Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .expect("pdfinfo (poppler-utils)");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap()
}

fn tari_2030() -> Campagna {
    Campagna {
        tipo: Some("TARI".into()),
        anno: Some(2030),
        codice_fiscale: None,
    }
}

#[test]
fn a_campaign_skips_with_reasons_and_writes_sorted_notices_on_odd_pages_with_a_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    campagna_di_prova(&app, dir.path());

    let piano = prepara(&app, &tari_2030(), Some(2)).unwrap();
    assert_eq!((piano.avvisi, piano.opzioni), (3, 9), "{piano:#?}");
    let gruppi: Vec<(MotivoEsclusione, usize)> = piano
        .gruppi_esclusi
        .iter()
        .map(|g| (g.motivo, g.quante))
        .collect();
    assert_eq!(
        gruppi,
        [
            (MotivoEsclusione::GiaPagata, 1),
            (MotivoEsclusione::Annullata, 1),
            (MotivoEsclusione::SenzaIuv, 1),
            (MotivoEsclusione::DatiMancanti, 1),
        ]
    );
    let motivo = |p: &str| piano.esclusi.iter().find(|e| e.posizione == p).unwrap();
    assert_eq!(motivo("T-E").motivo, MotivoEsclusione::GiaPagata);
    assert_eq!(motivo("T-F").motivo, MotivoEsclusione::Annullata);
    assert_eq!(motivo("T-G").motivo, MotivoEsclusione::SenzaIuv);
    assert!(
        motivo("T-D").messaggio.contains("indirizzo"),
        "{:?}",
        motivo("T-D")
    );
    assert_eq!(
        piano.file_stampa,
        ["stampa_TARI_2030_001.pdf", "stampa_TARI_2030_002.pdf"]
    );
    assert_eq!(
        piano.manifesto,
        ["manifesto_TARI_2030.csv", "manifesto_TARI_2030.xlsx"]
    );
    // The plan wrote nothing; the same campaign for one payer holds its one position.
    let uno = Campagna {
        codice_fiscale: Some(" rssmra80a01h501u ".into()),
        ..tari_2030()
    };
    assert_eq!(prepara(&app, &uno, None).unwrap().avvisi, 1);

    let out = dir.path().join("avvisi");
    let passi = std::cell::RefCell::new(Vec::new());
    let lavoro = Lavoro::new(
        |a: AvanzamentoAvvisi| passi.borrow_mut().push((a.fatti, a.totale)),
        Arc::new(AtomicBool::new(false)),
    );
    let opz = OpzioniLotto {
        cartella: out.display().to_string(),
        modello_nome: None,
        per_file: Some(2),
    };
    let esito = genera(&app, &tari_2030(), &opz, &lavoro).unwrap();
    drop(lavoro);
    assert_eq!(passi.into_inner().last(), Some(&(3, 3)));
    // By postcode, then address with house numbers as numbers: Via Roma 9 before Via Roma 12.
    let ordine: Vec<&str> = esito.righe.iter().map(|r| r.posizione.as_str()).collect();
    assert_eq!(ordine, ["T-B", "T-C", "T-A"]);
    // Every notice on an odd page: T-B's one page, a blank, T-C; T-A opens the second file.
    let posti: Vec<(&str, usize, usize)> = esito
        .righe
        .iter()
        .map(|r| (r.file_stampa.as_str(), r.prima_pagina, r.pagine))
        .collect();
    assert_eq!(
        posti,
        [
            ("stampa_TARI_2030_001.pdf", 1, 1),
            ("stampa_TARI_2030_001.pdf", 3, 2),
            ("stampa_TARI_2030_002.pdf", 1, 2),
        ]
    );
    assert_eq!(pagine_pdf(&out.join("stampa_TARI_2030_001.pdf")), 4);
    assert_eq!(esito.file_stampa[0].pagine, 4);
    assert_eq!(pagine_pdf(&out.join("stampa_TARI_2030_002.pdf")), 2);
    // The merged file shows each payment code of its notices (in groups of 4).
    let testo = pdftotext(&out.join("stampa_TARI_2030_001.pdf"));
    for r in &esito.righe[..2] {
        for p in &r.pagamenti {
            let gruppi = mpd_avviso::codici::codice_a_gruppi(&p.codice_avviso);
            assert!(testo.contains(&gruppi), "{gruppi} not in:\n{testo}");
        }
    }
    assert!(
        !testo.contains(&mpd_avviso::codici::codice_a_gruppi(
            &esito.righe[2].pagamenti[0].codice_avviso
        )),
        "T-A is in the second file only"
    );
    // One PDF per household, named <codice fiscale>_<first payment code>.pdf.
    let a = &esito.righe[2];
    assert_eq!(
        a.file,
        format!("RSSMRA80A01H501U_{}.pdf", a.pagamenti[0].codice_avviso)
    );
    assert_eq!(pagine_pdf(&out.join(&a.file)), 2);
    let mut nomi: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    nomi.sort();
    let mut attesi: Vec<String> = esito.righe.iter().map(|r| r.file.clone()).collect();
    attesi.extend(piano.file_stampa.iter().cloned());
    attesi.extend(piano.manifesto.iter().cloned());
    attesi.sort();
    assert_eq!(nomi, attesi, "no staging folder or stray file is left");

    // The manifest as CSV: the household, each code with its amount and due date in Italian.
    let csv = std::fs::read_to_string(out.join("manifesto_TARI_2030.csv")).unwrap();
    let csv = csv.strip_prefix('\u{feff}').expect("BOM for Excel");
    let righe: Vec<Vec<&str>> = csv.lines().map(|l| l.split(';').collect()).collect();
    assert_eq!(
        righe[0],
        [
            "Posizione",
            "Codice fiscale",
            "Nominativo",
            "Indirizzo",
            "CAP",
            "Località",
            "Provincia",
            "E-mail o PEC",
            "Codice avviso rata unica",
            "Importo rata unica",
            "Scadenza rata unica",
            "Codice avviso rata 1",
            "Importo rata 1",
            "Scadenza rata 1",
            "Codice avviso rata 2",
            "Importo rata 2",
            "Scadenza rata 2",
            "Codice avviso rata 3",
            "Importo rata 3",
            "Scadenza rata 3",
            "Pagine",
            "File",
            "File di stampa",
            "Prima pagina",
        ]
    );
    assert_eq!(righe.len(), 4);
    let b = &righe[1];
    assert_eq!(
        &b[..8],
        [
            "T-B",
            "VRDLGU75B02F205A",
            "Luigi Verdi",
            "Via Po 3",
            "10100",
            "Milano",
            "MI",
            "vrdlgu75b02f205a@example.it"
        ]
    );
    assert_eq!(
        &b[9..14],
        ["240,00", "30/04/2030", "", "", ""],
        "no instalments: empty cells"
    );
    let c = &righe[3];
    assert_eq!(c[11], esito.righe[2].pagamenti[1].codice_avviso);
    assert_eq!(&c[12..14], ["80,00", "30/04/2030"]);
    assert_eq!(&c[18..20], ["80,00", "31/10/2030"]);
    assert_eq!(
        &c[20..],
        ["2", a.file.as_str(), "stampa_TARI_2030_002.pdf", "1"]
    );

    // The same as XLSX: amounts as numbers, due dates as dates, codes as text.
    use calamine::{Data, DataType, Reader};
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook(out.join("manifesto_TARI_2030.xlsx")).unwrap();
    let foglio = wb.worksheet_range("Avvisi").unwrap();
    let r: Vec<Vec<Data>> = foglio.rows().map(|r| r.to_vec()).collect();
    assert_eq!(r.len(), 4);
    assert_eq!(r[0][8], Data::String("Codice avviso rata unica".into()));
    assert_eq!(r[3][0], Data::String("T-A".into()));
    assert_eq!(
        r[3][8],
        Data::String(esito.righe[2].pagamenti[0].codice_avviso.clone())
    );
    assert_eq!(r[3][9], Data::Float(240.0));
    assert_eq!(
        r[3][10].as_date(),
        chrono::NaiveDate::from_ymd_opt(2030, 4, 30)
    );
    assert_eq!(r[3][23], Data::String("1".into()));
    assert_eq!(r[1][11], Data::Empty);
}

#[test]
fn a_cancelled_run_leaves_no_file_and_an_empty_campaign_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    campagna_di_prova(&app, dir.path());
    let out = dir.path().join("avvisi");
    let annulla = Arc::new(AtomicBool::new(false));
    let flag = annulla.clone();
    // Cancelled once the second notice is drawn: the first ones' files are gone too.
    let lavoro = Lavoro::new(
        move |a: AvanzamentoAvvisi| {
            if a.fatti == 2 {
                flag.store(true, Ordering::SeqCst);
            }
        },
        annulla,
    );
    let opz = OpzioniLotto {
        cartella: out.display().to_string(),
        modello_nome: None,
        per_file: Some(1),
    };
    let e = genera(&app, &tari_2030(), &opz, &lavoro).unwrap_err();
    assert_eq!(e.codice, Codice::Annullato, "{e:?}");
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0);

    let nessuna = Campagna {
        anno: Some(2040),
        ..tari_2030()
    };
    let e = genera(&app, &nessuna, &opz, &Lavoro::muto()).unwrap_err();
    assert_eq!(e.codice, Codice::NonConsentito);
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0);
    let relativa = OpzioniLotto {
        cartella: "avvisi".into(),
        ..opz
    };
    assert_eq!(
        genera(&app, &tari_2030(), &relativa, &Lavoro::muto())
            .unwrap_err()
            .codice,
        Codice::Argomento
    );
    assert_eq!(
        prepara(&app, &tari_2030(), Some(0)).unwrap_err().codice,
        Codice::Argomento
    );
}

#[test]
fn a_file_name_pattern_is_filled_in_made_safe_and_kept_unique() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    campagna_di_prova(&app, dir.path());
    let out = dir.path().join("avvisi");
    let opz = OpzioniLotto {
        cartella: out.display().to_string(),
        modello_nome: Some("TARI 2030/{posizione} {cf}".into()),
        per_file: None,
    };
    let esito = genera(&app, &tari_2030(), &opz, &Lavoro::muto()).unwrap();
    assert_eq!(esito.righe[0].file, "TARI_2030_T-B_VRDLGU75B02F205A.pdf");
    assert!(out.join("TARI_2030_T-B_VRDLGU75B02F205A.pdf").is_file());
    assert_eq!(esito.file_stampa.len(), 1);

    for sbagliato in ["{cf}.pdf", "{nome}_{codice}"] {
        let opz = OpzioniLotto {
            modello_nome: Some(sbagliato.into()),
            ..opz.clone()
        };
        let e = genera(&app, &tari_2030(), &opz, &Lavoro::muto()).unwrap_err();
        assert_eq!(e.codice, Codice::Argomento, "{sbagliato}");
    }
    assert_eq!(nome_sicuro("../..\\C:é?.pdf"), "_._.._C___.pdf");
    assert_eq!(nome_sicuro(""), "_");
}

/// A staging folder left by a run that was killed is removed by a later run once it is old;
/// a young one (perhaps another window's run) and the clerk's own hidden folders stay.
#[test]
fn staging_folders_of_killed_runs_are_removed_once_old() {
    let dir = tempfile::tempdir().unwrap();
    let morta = dir.path().join(format!("{PREFISSO_APPOGGIO}1-0"));
    let giovane = dir.path().join(format!("{PREFISSO_APPOGGIO}2-0"));
    let altrui = dir.path().join(".cartella-del-comune");
    for d in [&morta, &giovane, &altrui] {
        std::fs::create_dir(d).unwrap();
        std::fs::write(d.join("mezzo.pdf"), b"%PDF-").unwrap();
    }
    // The runs use a day; here an hour (nothing is that old) and then no minimum age at all.
    rimuovi_appoggi_abbandonati(dir.path(), std::time::Duration::from_secs(3600));
    assert!(
        morta.exists() && giovane.exists(),
        "younger than an hour: kept"
    );
    rimuovi_appoggi_abbandonati(dir.path(), std::time::Duration::ZERO);
    assert!(!morta.exists() && !giovane.exists());
    assert!(altrui.join("mezzo.pdf").exists(), "not ours: kept");
}
