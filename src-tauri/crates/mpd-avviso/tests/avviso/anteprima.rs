//! The SVG preview (`anteprima_svg`): the same page as the PDF, read back as XML: its text, its
//! QR codes decoded from the drawn modules (rqrr on a bitmap of the paths' rectangles), the
//! logo and the fonts it carries.

use mpd_avviso::codici::{codice_a_gruppi, importo_it_cifre, qr_di};
use mpd_avviso::{Avviso, Errore, anteprima_svg, numero_pagine};
use quick_xml::Reader;
use quick_xml::events::Event;

use crate::esempi::{avviso, con_poste, logo_png};
use crate::strumenti::{cartella, decodifica_qr, pagine_pdf};
use crate::{opzioni, scrivi};

/// What a test needs of an SVG page: every `<text>` (its content), every `<path>` (`d`,
/// `fill`), every `<image>`'s `href`, the `<style>` text.
#[derive(Default, Debug)]
struct Pagina {
    testi: Vec<String>,
    percorsi: Vec<(String, String)>,
    immagini: Vec<String>,
    stile: String,
    radice: String,
}

fn attributo(e: &quick_xml::events::BytesStart<'_>, nome: &str) -> Option<String> {
    e.attributes()
        .map(|a| a.expect("well-formed attribute"))
        .find(|a| a.key.as_ref() == nome)
        .map(|a| a.value.to_string())
}

/// Reads `svg` with quick-xml; panics on anything that is not well-formed.
fn leggi(svg: &str) -> Pagina {
    let mut r = Reader::from_str(svg);
    let mut p = Pagina::default();
    let mut pila: Vec<String> = Vec::new();
    let mut testo = String::new();
    loop {
        match r
            .read_event()
            .unwrap_or_else(|e| panic!("SVG not well-formed: {e}"))
        {
            Event::Start(e) => {
                let nome = e.local_name().as_ref().to_string();
                if pila.is_empty() {
                    p.radice = nome.clone();
                }
                if nome == "text" {
                    testo.clear();
                }
                pila.push(nome);
            }
            Event::Empty(e) => match e.local_name().as_ref() {
                "path" => p
                    .percorsi
                    .push((attributo(&e, "d").unwrap(), attributo(&e, "fill").unwrap())),
                "image" => p.immagini.push(attributo(&e, "href").unwrap()),
                _ => {}
            },
            Event::Text(t) => match pila.last().map(String::as_str) {
                Some("text") => testo.push_str(&t.xml10_content()),
                Some("style") => p.stile.push_str(&t.xml10_content()),
                _ => {}
            },
            Event::GeneralRef(g) => {
                let c = match &*g {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    other => panic!("unexpected entity {other:?}"),
                };
                if pila.last().map(String::as_str) == Some("text") {
                    testo.push(c);
                }
            }
            Event::End(_) if pila.pop().as_deref() == Some("text") => {
                p.testi.push(std::mem::take(&mut testo));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(pila.is_empty(), "SVG truncated");
    p
}

fn pagine_svg(a: &Avviso) -> Vec<Pagina> {
    let n = numero_pagine(a, &opzioni()).unwrap();
    (1..=n)
        .map(|i| leggi(&anteprima_svg(a, &opzioni(), i).unwrap()))
        .collect()
}

/// The rectangles of a path written as `M x y h w v h h -w z` runs.
fn rettangoli(d: &str) -> Vec<(f32, f32, f32, f32)> {
    d.split('M')
        .filter(|s| !s.is_empty())
        .map(|s| {
            let s = s.trim_end_matches('z');
            let (xy, resto) = s.split_once('h').unwrap();
            let (x, y) = xy.split_once(' ').unwrap();
            let (w, resto) = resto.split_once('v').unwrap();
            let (h, _) = resto.split_once('h').unwrap();
            (
                x.parse().unwrap(),
                y.parse().unwrap(),
                w.parse().unwrap(),
                h.parse().unwrap(),
            )
        })
        .collect()
}

/// Every QR code of a page, decoded by rqrr from a bitmap of its black paths with many
/// rectangles (the matrices), 6 pixels a point with a white margin.
fn qr_della_pagina(p: &Pagina) -> Vec<String> {
    let mut letti = Vec::new();
    for (d, fill) in &p.percorsi {
        let r = rettangoli(d);
        if fill != "#000000" || r.len() < 30 {
            continue;
        }
        let x0 = r.iter().map(|r| r.0).fold(f32::MAX, f32::min) - 8.0;
        let y0 = r.iter().map(|r| r.1).fold(f32::MAX, f32::min) - 8.0;
        let x1 = r.iter().map(|r| r.0 + r.2).fold(f32::MIN, f32::max) + 8.0;
        let y1 = r.iter().map(|r| r.1 + r.3).fold(f32::MIN, f32::max) + 8.0;
        let scala = 6.0;
        let (w, h) = (((x1 - x0) * scala) as usize, ((y1 - y0) * scala) as usize);
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |px, py| {
            let (x, y) = (x0 + px as f32 / scala, y0 + py as f32 / scala);
            if r.iter()
                .any(|&(rx, ry, rw, rh)| x >= rx && x < rx + rw && y >= ry && y < ry + rh)
            {
                0
            } else {
                255
            }
        });
        for g in img.detect_grids() {
            if let Ok((_, testo)) = g.decode() {
                letti.push(testo);
            }
        }
    }
    letti
}

#[test]
fn the_preview_is_well_formed_svg_with_every_code_and_amount() {
    let a = avviso(true, 5);
    let pagine = pagine_svg(&a);
    assert_eq!(pagine.len(), 2);
    for p in &pagine {
        assert_eq!(p.radice, "svg");
        // Header on every page.
        assert!(
            p.testi.iter().any(|t| t == "AVVISO DI PAGAMENTO"),
            "{:?}",
            p.testi
        );
    }
    let tutto: Vec<&String> = pagine.iter().flat_map(|p| &p.testi).collect();
    for pag in a.pagamenti() {
        let gruppi = codice_a_gruppi(&pag.codice);
        assert!(tutto.iter().any(|t| **t == gruppi), "missing {gruppi}");
        let importo = importo_it_cifre(pag.importo_centesimi);
        assert!(
            tutto.iter().any(|t| t.contains(&importo)),
            "missing {importo}"
        );
    }
    assert!(tutto.iter().any(|t| t.as_str() == "1.234,56 Euro"));
    // Text with an apostrophe and an ampersand survives the escaping.
    let mut b = avviso(true, 0);
    b.ente.settore = "Ufficio Tributi & Entrate <TARI>".into();
    let p = leggi(&anteprima_svg(&b, &opzioni(), 1).unwrap());
    assert!(
        p.testi
            .iter()
            .any(|t| t == "Ufficio Tributi & Entrate <TARI>"),
        "{:?}",
        p.testi
    );
    assert!(p.testi.iter().any(|t| t.contains("Sant’Ambrogio")));
    // Pages are counted from 1; one past the end is refused with the count.
    assert!(matches!(
        anteprima_svg(&a, &opzioni(), 3),
        Err(Errore::Pagina {
            pagina: 3,
            pagine: 2
        })
    ));
    assert!(matches!(
        anteprima_svg(&a, &opzioni(), 0),
        Err(Errore::Pagina { .. })
    ));
    // A notice with problems is refused as the PDF is.
    let mut rotto = avviso(true, 2);
    rotto.oggetto = String::new();
    assert!(matches!(
        anteprima_svg(&rotto, &opzioni(), 1),
        Err(Errore::Dati(_))
    ));
}

#[test]
fn the_previews_qr_codes_decode_to_the_pdfs_payloads() {
    let a = avviso(true, 5);
    let pdf = scrivi("anteprima-qr-ru-5", &a);
    assert_eq!(pagine_pdf(&pdf), numero_pagine(&a, &opzioni()).unwrap());
    for (i, p) in pagine_svg(&a).iter().enumerate() {
        let mut svg = qr_della_pagina(p);
        let mut dal_pdf = decodifica_qr(&pdf, i + 1);
        svg.sort();
        dal_pdf.sort();
        assert!(
            !svg.is_empty(),
            "page {}: no QR code read in the SVG",
            i + 1
        );
        assert_eq!(svg, dal_pdf, "page {}", i + 1);
    }
    let mut attesi: Vec<String> = a.pagamenti().map(|p| qr_di(&a, p)).collect();
    let mut letti: Vec<String> = pagine_svg(&a).iter().flat_map(qr_della_pagina).collect();
    attesi.sort();
    letti.sort();
    assert_eq!(letti, attesi);
}

#[test]
fn the_preview_carries_the_logo_the_fonts_and_the_postal_block() {
    let mut a = con_poste(avviso(true, 0));
    a.ente.logo = Some(logo_png());
    let svg = anteprima_svg(&a, &opzioni(), 1).unwrap();
    std::fs::write(cartella().join("anteprima-poste-logo.svg"), &svg).unwrap();
    let p = leggi(&svg);
    assert_eq!(p.immagini.len(), 1);
    assert!(p.immagini[0].starts_with("data:image/png;base64,iVBORw0KGgo"));
    // Each face used is embedded once, under a family of its own.
    for peso in [400, 700, 900] {
        assert!(
            p.stile.contains(&format!(
                "font-family:'MPD Avviso Titillium';font-weight:{peso}"
            )),
            "{peso}"
        );
    }
    assert!(
        p.stile
            .contains("font-family:'MPD Avviso Roboto Mono';font-weight:700")
    );
    assert_eq!(p.stile.matches("@font-face").count(), 5);
    assert!(
        p.testi.iter().any(|t| t == "BOLLETTINO POSTALE PA"),
        "{:?}",
        p.testi
    );
    assert!(
        p.testi
            .iter()
            .any(|t| t == &a.poste.as_ref().unwrap().autorizzazione)
    );
    // The QR code and the Data Matrix: two matrices of modules.
    let matrici = p
        .percorsi
        .iter()
        .filter(|(d, f)| f == "#000000" && rettangoli(d).len() >= 30)
        .count();
    assert_eq!(matrici, 2);
    // Without a logo there is no image.
    let senza = leggi(&anteprima_svg(&con_poste(avviso(true, 0)), &opzioni(), 1).unwrap());
    assert!(senza.immagini.is_empty());
}
