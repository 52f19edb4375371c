//! The notice as a reader sees it: the PDF rendered to images (`pdftoppm`) and its codes
//! decoded back (QR with `zbarimg`, Data Matrix with `dmtxread`), its text (`pdftotext`), its
//! page counts (`pdfinfo`), and a golden file of where every word sits.
//!
//! The tools come from Debian's `poppler-utils`, `zbar-tools` and `dmtx-utils`, installed by
//! `.ci/setup`; a missing tool fails the test with what to install, never skips it.
//!
//! Golden layout: `tests/avviso/golden/*.txt`. After a deliberate layout change, rewrite them
//! with `MPD_AGGIORNA_GOLDEN=1 cargo test -p mpd-avviso --test avviso golden` and look at the
//! diff (and at the PNGs that `esempi_in_target` writes).

mod anteprima;
mod esempi;
mod strumenti;

use chrono::NaiveDate;
use mpd_avviso::codici::{codice_a_gruppi, datamatrix_payload, qr_di};
use mpd_avviso::{Avviso, Errore, Lotto, Opzioni, render};

use esempi::{avviso, con_poste};
use strumenti::{cartella, decodifica_datamatrix, decodifica_qr, pagine_pdf, parole, testo_pdf};

fn opzioni() -> Opzioni {
    Opzioni::new(NaiveDate::from_ymd_opt(2027, 1, 10).unwrap())
}

fn scrivi(nome: &str, a: &Avviso) -> std::path::PathBuf {
    let pdf = render(a, &opzioni()).unwrap_or_else(|e| panic!("{nome}: {e}"));
    let p = cartella().join(format!("{nome}.pdf"));
    std::fs::write(&p, pdf).unwrap();
    p
}

#[test]
fn page_counts_of_0_2_3_and_5_instalments() {
    // Rata unica on page 1, then the groups (2s or 3s, 5 = 3 + 2) two to a page.
    for (n, attese) in [(0, 1), (2, 2), (3, 2), (4, 2), (5, 2), (12, 3)] {
        let a = avviso(true, n);
        assert_eq!(
            mpd_avviso::pagine(&a, &opzioni()).unwrap().len(),
            attese,
            "{n} rate"
        );
        let p = scrivi(&format!("pagine-ru-{n}"), &a);
        assert_eq!(pagine_pdf(&p), attese, "{n} rate: pagine del PDF");
    }
    // Without a rata unica the first group is on page 1; 5 instalments span two pages.
    for (n, attese) in [(2, 1), (3, 1), (5, 2)] {
        let p = scrivi(&format!("pagine-senza-ru-{n}"), &avviso(false, n));
        assert_eq!(pagine_pdf(&p), attese, "{n} rate senza rata unica");
    }
    // With a postal account every group is followed by its bollettini, on the same page.
    for (n, attese) in [(0, 1), (3, 2), (5, 3)] {
        let a = con_poste(avviso(true, n));
        let pagine = mpd_avviso::pagine(&a, &opzioni()).unwrap();
        assert_eq!(pagine.len(), attese, "{n} rate con bollettino: {pagine:?}");
        for pagina in &pagine {
            for (i, b) in pagina.iter().enumerate() {
                if let mpd_avviso::Blocco::BollettiniGruppo { rate, .. } = b {
                    assert!(
                        matches!(&pagina[i - 1], mpd_avviso::Blocco::Gruppo { rate: r, .. } if r == rate),
                        "{pagine:?}"
                    );
                }
            }
        }
        let p = scrivi(&format!("pagine-poste-{n}"), &a);
        assert_eq!(
            pagine_pdf(&p),
            attese,
            "{n} rate con bollettino: pagine del PDF"
        );
    }
}

#[test]
fn text_shows_codes_in_groups_amounts_and_dates_in_italian() {
    let a = avviso(true, 5);
    let p = scrivi("testo-ru-5", &a);
    let testo = testo_pdf(&p);
    for pag in a.pagamenti() {
        let gruppi = codice_a_gruppi(&pag.codice);
        assert_eq!(gruppi.len(), 22);
        assert!(testo.contains(&gruppi), "manca {gruppi}");
        let importo = mpd_avviso::codici::importo_it_cifre(pag.importo_centesimi);
        assert!(testo.contains(&importo), "manca {importo}");
        let data = pag.scadenza.unwrap().format("%d/%m/%Y").to_string();
        assert!(testo.contains(&format!("entro il {data}")), "manca {data}");
    }
    // 1.234,56 € and a thousands separator: the rata unica of the fixture.
    assert!(testo.contains("1.234,56 Euro"), "{testo}");
    assert!(testo.contains("Puoi pagare per intero oppure in 5 rate."));
    assert!(testo.contains("1ª RATA") && testo.contains("5ª RATA"));
    assert!(testo.contains("Comune di Sant’Ambrogio di Valpolicella"));
    assert!(testo.contains("Niccolò Dell’Acqua"));
    // "Dove pagare?" names the Ente's own site and desk.
    assert!(
        testo.contains("oppure sul sito di Comune di Sant’Ambrogio"),
        "{testo}"
    );
    assert!(
        testo.contains("Presso Lo Sportello Tributi, presso Banche"),
        "{testo}"
    );
    // The header on every page: the title is there once per page (rata unica, two groups).
    assert_eq!(testo.matches("AVVISO DI PAGAMENTO").count(), 2);
}

#[test]
fn every_qr_code_decodes_to_its_payload() {
    let a = avviso(true, 5);
    let p = scrivi("qr-ru-5", &a);
    let mut letti = Vec::new();
    for pagina in 1..=pagine_pdf(&p) {
        letti.extend(decodifica_qr(&p, pagina));
    }
    let mut attesi: Vec<String> = a.pagamenti().map(|pag| qr_di(&a, pag)).collect();
    letti.sort();
    attesi.sort();
    assert_eq!(letti, attesi);
    assert_eq!(attesi[0].split('|').count(), 5);
}

#[test]
fn every_data_matrix_decodes_to_posts_256_characters() {
    let a = con_poste(avviso(true, 2));
    let p = scrivi("datamatrix-ru-2", &a);
    let conto = a.poste.clone().unwrap();
    let mut letti = Vec::new();
    let mut qr = Vec::new();
    let piano = mpd_avviso::pagine(&a, &opzioni()).unwrap();
    assert_eq!(pagine_pdf(&p), piano.len());
    for (i, blocchi) in piano.iter().enumerate() {
        let pagina = i + 1;
        let bollettini: usize = blocchi
            .iter()
            .map(|b| match b {
                mpd_avviso::Blocco::BollettinoRataUnica => 1,
                mpd_avviso::Blocco::BollettiniGruppo { rate, .. } => rate.len(),
                _ => 0,
            })
            .sum();
        letti.extend(
            decodifica_datamatrix(&p, pagina, bollettini)
                .into_iter()
                .map(|(testo, _)| testo),
        );
        qr.extend(decodifica_qr(&p, pagina));
    }
    let mut attesi: Vec<String> = a
        .pagamenti()
        .map(|pag| datamatrix_payload(&a, &conto, pag))
        .collect();
    letti.sort();
    attesi.sort();
    assert_eq!(letti, attesi);
    assert!(attesi.iter().all(|s| s.len() == 256));
    assert_eq!(
        qr.len(),
        3,
        "each option keeps its QR code next to the bollettino"
    );
    let testo = testo_pdf(&p);
    assert!(testo.contains("BOLLETTINO POSTALE PA"));
    assert!(testo.contains(&conto.autorizzazione));
}

#[test]
fn the_data_matrix_size_is_a_setting() {
    // Poste's manual fixes the symbol size; it is a setting until it is known.
    let a = con_poste(avviso(true, 0));
    let mut o = opzioni();
    o.moduli_data_matrix = Some(52);
    let p = cartella().join("datamatrix-52.pdf");
    std::fs::write(&p, render(&a, &o).unwrap()).unwrap();
    let letti = decodifica_datamatrix(&p, 1, 1);
    assert_eq!(letti.len(), 1);
    assert_eq!(letti[0].1, "52 x 52");
    let conto = a.poste.clone().unwrap();
    assert_eq!(
        letti[0].0,
        datamatrix_payload(&a, &conto, a.rata_unica.as_ref().unwrap())
    );
    // A size too small for 256 characters, or not an ECC200 square, is refused before drawing.
    for m in [40, 53] {
        o.moduli_data_matrix = Some(m);
        let Err(Errore::Dati(problemi)) = render(&a, &o) else {
            panic!("{m} accepted");
        };
        assert_eq!(problemi[0].campo, "Conto corrente postale, Data Matrix");
    }
}

#[test]
fn the_model_travels_as_json_and_builds_codes_from_iuvs() {
    let a = con_poste(avviso(true, 2));
    let json = serde_json::to_string(&a).unwrap();
    let indietro: Avviso = serde_json::from_str(&json).unwrap();
    assert_eq!(indietro, a);
    // Optional parts may be left out.
    let minimo: Avviso = serde_json::from_str(
        r#"{"ente":{"nome":"Comune di Prova","codice_fiscale":"01199250158"},
            "destinatario":{"nome":"Mario Rossi"},"oggetto":"Canone 2027",
            "rata_unica":{"codice":"301000000000000144","importo_centesimi":15000}}"#,
    )
    .unwrap();
    assert!(minimo.verifica().is_empty(), "{:?}", minimo.verifica());
    assert_eq!(minimo.lingua, mpd_avviso::Lingua::It);
    // An IUV17 becomes aux digit 3 + IUV; a legacy IUV15 takes the application code.
    let p = mpd_avviso::Pagamento::da_iuv("01000000000000144", "", 100, None).unwrap();
    assert_eq!(p.codice, "301000000000000144");
    let p = mpd_avviso::Pagamento::da_iuv("160020399398578", "02", 100, None).unwrap();
    assert_eq!(p.codice, "002160020399398578");
    assert!(mpd_avviso::Pagamento::da_iuv("RF45w9", "02", 100, None).is_none());
}

#[test]
fn batch_starts_every_notice_on_an_odd_page_and_reports_its_pages() {
    let mut lotto = Lotto::new(opzioni());
    let mut posizioni = Vec::new();
    for n in [0, 2, 0, 5, 3] {
        posizioni.push(lotto.aggiungi(&avviso(true, n)).unwrap());
    }
    // A notice with problems is refused whole and leaves the batch as it was.
    let mut rotto = avviso(true, 2);
    rotto.oggetto = "TASSA RIFIUTI ANNO 2027".into();
    let prima = lotto.pagine();
    assert!(matches!(lotto.aggiungi(&rotto), Err(Errore::Dati(_))));
    assert_eq!(lotto.pagine(), prima);

    let pagine: Vec<(usize, usize, usize)> = posizioni
        .iter()
        .map(|p| (p.prima_pagina, p.pagine, p.bianche_prima))
        .collect();
    // 1 page (1), blank (2), 2 pages (3-4), 1 page (5), blank (6), 2 pages (7-8, 9-10).
    assert_eq!(
        pagine,
        vec![(1, 1, 0), (3, 2, 1), (5, 1, 0), (7, 2, 1), (9, 2, 0)]
    );
    assert!(posizioni.iter().all(|p| p.prima_pagina % 2 == 1));
    let file = cartella().join("lotto.pdf");
    let f = std::fs::File::create(&file).unwrap();
    assert_eq!(lotto.pagine(), 10);
    lotto.scrivi(f).unwrap();
    assert_eq!(pagine_pdf(&file), 10);
    // Every page but the blank ones carries the header.
    let testo = testo_pdf(&file);
    assert_eq!(testo.matches("AVVISO DI PAGAMENTO").count(), 8);
}

#[test]
fn problems_are_refused_with_the_field_never_truncated() {
    let mut a = avviso(true, 3);
    a.oggetto = "x".repeat(91);
    a.ente.nome = "y".repeat(101);
    a.destinatario.nome = "z".repeat(71);
    a.rate[1].codice = "301000000000000145".into(); // wrong check digits
    a.rate[2].scadenza = a.rate[0].scadenza;
    a.rate[0].importo_centesimi = 0;
    a.ente.canale_fisico = Some("S".repeat(51));
    let Err(Errore::Dati(problemi)) = render(&a, &opzioni()) else {
        panic!("accepted");
    };
    let campi: Vec<&str> = problemi.iter().map(|p| p.campo.as_str()).collect();
    assert_eq!(
        campi,
        vec![
            "Ente, denominazione",
            "Ente, dove si paga presso l'Ente",
            "Destinatario, nome e cognome o ragione sociale",
            "Oggetto",
            "Rata 1, importo",
            "Rata 2, codice avviso",
            "Rata 3, scadenza",
        ],
        "{problemi:?}"
    );
    assert!(problemi[3].messaggio.contains("91") && problemi[3].messaggio.contains("90"));
    let messaggio = Errore::Dati(problemi).to_string();
    assert!(messaggio.starts_with("l'avviso non si può stampare: Ente, denominazione: "));

    // Capitals are refused, acronyms are not.
    let mut b = avviso(true, 0);
    b.oggetto = "TASSA RIFIUTI 2027".into();
    assert_eq!(b.verifica()[0].campo, "Oggetto");
    b.oggetto = "TARI 2027 – acconto e saldo".into();
    assert!(b.verifica().is_empty());
    // One instalment alone is a rata unica; a postal amount has 10 digits.
    let mut c = con_poste(avviso(false, 2));
    c.rate.truncate(1);
    c.rate[0].importo_centesimi = 10_000_000_000;
    let campi: Vec<String> = c.verifica().into_iter().map(|p| p.campo).collect();
    assert_eq!(campi, vec!["Rate", "Rata 1, importo"]);
}

#[test]
fn a_notice_is_pdf_a_with_embedded_fonts_and_the_logo() {
    let mut a = avviso(true, 2);
    a.ente.logo = Some(esempi::logo_png());
    let p = scrivi("logo-ru-2", &a);
    let bytes = std::fs::read(&p).unwrap();
    let s = String::from_utf8_lossy(&bytes);
    assert!(s.contains("pdfaid:part"), "PDF/A identification missing");
    let fonts = strumenti::font_pdf(&p);
    assert!(
        fonts.contains("TitilliumWeb") && fonts.contains("RobotoMono"),
        "{fonts}"
    );
    assert!(
        !fonts.lines().skip(2).any(|l| l.contains(" no  ")),
        "a font is not embedded:\n{fonts}"
    );
    assert_eq!(strumenti::immagini_pdf(&p), 2, "the logo on both pages");
    // The logo must be an image: anything else is refused with the field.
    a.ente.logo = Some(b"GIF89a".to_vec());
    assert!(matches!(render(&a, &opzioni()), Err(Errore::Logo(_))));
    // A damaged PNG too, before anything is drawn.
    a.ente.logo = Some(esempi::logo_png()[..40].to_vec());
    let Err(e @ Errore::Logo(_)) = render(&a, &opzioni()) else {
        panic!("damaged logo accepted");
    };
    assert!(e.to_string().contains("danneggiato"), "{e}");
}

/// Every word inside the page's margins and above its footer, and no two words overlapping.
fn dentro_e_senza_sovrapposizioni(p: &std::path::Path) {
    let larghezza = mpd_avviso::impagina::LARGHEZZA;
    let altezza = mpd_avviso::impagina::ALTEZZA;
    let parole = strumenti::riquadri(p);
    for (pagina, x0, x1, _, y, parola) in &parole {
        assert!(
            *x0 >= 30.0 && *x1 <= larghezza - 30.0 && *y <= altezza - 12.0,
            "{}: page {pagina}: '{parola}' at {x0}-{x1}, {y} is off the page",
            p.display()
        );
    }
    // pdftotext's boxes span the fonts' whole line height (Titillium's ascender and descender
    // make 1.5 em): keep the ink, from cap height to descender, and forgive 0.5 pt of side
    // bearings.
    let inchiostro = |w: &strumenti::Parola| {
        let h = w.4 - w.3;
        (w.1 + 0.5, w.2 - 0.5, w.3 + 0.28 * h, w.4 - 0.12 * h)
    };
    for (i, a) in parole.iter().enumerate() {
        for b in &parole[i + 1..] {
            let (ax0, ax1, ay0, ay1) = inchiostro(a);
            let (bx0, bx1, by0, by1) = inchiostro(b);
            let sovrapposte = a.0 == b.0 && ax0 < bx1 && bx0 < ax1 && ay0 < by1 && by0 < ay1;
            assert!(
                !sovrapposte,
                "{}: page {}: '{}' overlaps '{}'",
                p.display(),
                a.0,
                a.5,
                b.5
            );
        }
    }
}

#[test]
fn the_longest_texts_stay_inside_the_page() {
    // Every field at its limit, wide letters, a postal account and instalments.
    let mut a = con_poste(avviso(false, 3));
    a.ente.nome = format!("Comune di {}", "Wolkenstein ".repeat(8))
        .trim()
        .chars()
        .take(100)
        .collect();
    a.ente.settore = "W".repeat(50);
    a.ente.info = "Mw ".repeat(33) + "M";
    a.destinatario.nome = "Mwmwmwmw ".repeat(8).chars().take(70).collect();
    a.destinatario.codice_fiscale = None;
    a.destinatario.indirizzo = vec!["W".repeat(60), "Wm ".repeat(20), "M".repeat(18)];
    a.oggetto = "Tassa sui rifiuti ".repeat(5).chars().take(90).collect();
    a.poste.as_mut().unwrap().intestatario = "Mw".repeat(25);
    a.rate[2].scadenza = None;
    let problemi = a.verifica();
    assert!(problemi.is_empty(), "{problemi:?}");
    let p = scrivi("limiti", &a);
    dentro_e_senza_sovrapposizioni(&p);
    // With a rata unica too, and a six times longer instruction text (texts are data), page 1
    // cannot hold the rata unica's bollettino: it moves on and takes the rata unica along.
    let mut con_ru = a.clone();
    con_ru.rata_unica = avviso(true, 0).rata_unica;
    let mut o = opzioni();
    o.testi.istruzione_qr = o.testi.istruzione_qr.repeat(6);
    let pagine = mpd_avviso::pagine(&con_ru, &o).unwrap();
    use mpd_avviso::Blocco::{
        BollettiniGruppo, BollettinoRataUnica, Gruppo, Informazioni, RataUnica,
    };
    let tre = vec![0, 1, 2];
    assert_eq!(
        pagine,
        [
            vec![Informazioni],
            vec![RataUnica, BollettinoRataUnica],
            vec![
                Gruppo {
                    colonne: 3,
                    rate: tre.clone()
                },
                BollettiniGruppo {
                    colonne: 3,
                    rate: tre
                },
            ],
        ]
    );
    let p2 = cartella().join("limiti-ru.pdf");
    std::fs::write(&p2, render(&con_ru, &o).unwrap()).unwrap();
    assert_eq!(pagine_pdf(&p2), pagine.len());
    dentro_e_senza_sovrapposizioni(&p2);
    // The same holds for the sample notices.
    dentro_e_senza_sovrapposizioni(&scrivi("limiti-ru-5", &avviso(true, 5)));
    dentro_e_senza_sovrapposizioni(&scrivi("limiti-poste", &con_poste(avviso(true, 3))));
    let testo = testo_pdf(&p);
    assert!(testo.contains("senza scadenza"));
    assert!(!testo.contains("Cod. Fiscale RSS"));
}

#[test]
fn golden_layout_of_the_sample_notices() {
    for (nome, a) in [
        ("ru-3", avviso(true, 3)),
        ("poste-ru-2", con_poste(avviso(true, 2))),
    ] {
        let p = scrivi(&format!("golden-{nome}"), &a);
        let attuale = parole(&p);
        let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/avviso/golden")
            .join(format!("{nome}.txt"));
        if std::env::var_os("MPD_AGGIORNA_GOLDEN").is_some() {
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(&file, &attuale).unwrap();
            continue;
        }
        let atteso = std::fs::read_to_string(&file).unwrap_or_else(|_| {
            panic!(
                "{} missing: MPD_AGGIORNA_GOLDEN=1 cargo test -p mpd-avviso --test avviso golden",
                file.display()
            )
        });
        if atteso != attuale {
            let diff: Vec<String> = atteso
                .lines()
                .zip(attuale.lines())
                .filter(|(x, y)| x != y)
                .take(8)
                .map(|(x, y)| format!("- {x}\n+ {y}"))
                .collect();
            panic!(
                "the layout of {nome} moved (first differences below; {} vs {} words). If on purpose: MPD_AGGIORNA_GOLDEN=1 cargo test -p mpd-avviso --test avviso golden\n{}",
                atteso.lines().count(),
                attuale.lines().count(),
                diff.join("\n")
            );
        }
    }
}

/// Writes sample notices and their first pages as PNG into `target/mpd-avviso/`, for a person
/// to look at.
#[test]
fn esempi_in_target() {
    let mut a = con_poste(avviso(true, 3));
    a.ente.logo = Some(esempi::logo_png());
    for (nome, a) in [("esempio-poste-ru-3", a), ("esempio-ru-5", avviso(true, 5))] {
        let p = scrivi(nome, &a);
        strumenti::png(&p, &cartella().join(nome));
    }
}
