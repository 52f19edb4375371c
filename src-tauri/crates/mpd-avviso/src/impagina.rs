//! The notice's layout: which module goes on which page ([`piano`], pure and tested), and how
//! each module is drawn.
//!
//! Module order (Allegato 2): 1 Intestazione (on every page) → 2.1 Ente creditore /
//! 2.2 Destinatario → 3.1 Quanto e quando pagare? / 3.2 Dove pagare? → 4 Dati per il
//! pagamento: the rata unica, then the instalments → the Bollettino Postale PA after each
//! payment when the Ente collects on a postal account.
//!
//! Pages, as decided here (the standard leaves the choice within its rules), first as a plan
//! ([`piano`]) and then measured ([`impagina`]):
//! * page 1 holds modules 1–3 and the rata unica (with its bollettino); without a rata unica
//!   the instalments start on page 1 ("rate già a pagina 1" is allowed since 3.0), else on
//!   page 2;
//! * the instalments go in groups of 3 when their number is a multiple of 3, else in groups
//!   of 2 when it is even, else of 3 (5 → 3 + 2, the last group keeping its layout with an
//!   empty place), so 2- and 3-layouts never mix; with a postal account each group is followed
//!   by its bollettini, side by side in the same layout;
//! * groups follow one another on a page while they fit ("ripetendo lo stesso modulo
//!   all'interno della stessa pagina", to minimise pages); a block that would run into the
//!   footer starts the next page, and a group's bollettini never leave their group.

use krilla::image::Image;

use crate::codici::{codice_a_gruppi, data_it, datamatrix_payload, importo_it_cifre, qr_di};
use crate::disegno::{Colore, MM, Stile, Tela, a_capo, larghezza};
use crate::modello::{Avviso, CanaleOnline, Pagamento};
use crate::testi::{Testi, con_numero};

/// A4 width, points.
pub const LARGHEZZA: f32 = 595.28;
/// A4 height, points.
pub const ALTEZZA: f32 = 841.89;
const MARGINE: f32 = 34.0;
const CONTENUTO: f32 = LARGHEZZA - 2.0 * MARGINE;
/// The QR code and the Data Matrix: 25 × 25 mm.
pub const LATO_CODICE: f32 = 25.0 * MM;

/// What a page of a notice holds, below the header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Blocco {
    /// Modules 2 and 3: Ente, recipient, amount and due date, where to pay.
    Informazioni,
    /// The rata unica's payment block.
    RataUnica,
    /// The rata unica's Bollettino Postale PA.
    BollettinoRataUnica,
    /// A group of instalments side by side: `colonne` places (2 or 3), the instalments'
    /// indexes (0-based) in the first places.
    Gruppo {
        /// The layout: 2 or 3 places.
        colonne: usize,
        /// The instalments drawn, 0-based.
        rate: Vec<usize>,
    },
    /// The Bollettini Postali PA of a group, in the group's layout.
    BollettiniGruppo {
        /// The layout: 2 or 3 places.
        colonne: usize,
        /// The instalments, 0-based.
        rate: Vec<usize>,
    },
}

/// The places per group of `n` instalments: 3 for multiples of 3, else 2 for even numbers,
/// else 3.
pub fn colonne(n: usize) -> usize {
    if n.is_multiple_of(3) {
        3
    } else if n.is_multiple_of(2) {
        2
    } else {
        3
    }
}

/// The plan of `avviso` before measuring: page 1 (modules 2–3 and the rata unica, or the
/// instalments when there is no rata unica), then one page with every group; [`impagina`]
/// cuts it where the blocks do not fit.
pub fn piano(avviso: &Avviso) -> Vec<Vec<Blocco>> {
    let poste = avviso.poste.is_some();
    let n = avviso.rate.len();
    let mut prima = vec![Blocco::Informazioni];
    if avviso.rata_unica.is_some() {
        prima.push(Blocco::RataUnica);
        if poste {
            prima.push(Blocco::BollettinoRataUnica);
        }
    }
    let mut gruppi = Vec::new();
    if n > 0 {
        let k = colonne(n);
        for inizio in (0..n).step_by(k) {
            let rate: Vec<usize> = (inizio..(inizio + k).min(n)).collect();
            gruppi.push(Blocco::Gruppo {
                colonne: k,
                rate: rate.clone(),
            });
            if poste {
                gruppi.push(Blocco::BollettiniGruppo { colonne: k, rate });
            }
        }
    }
    if avviso.rata_unica.is_none() {
        prima.extend(gruppi);
        vec![prima]
    } else if gruppi.is_empty() {
        vec![prima]
    } else {
        vec![prima, gruppi]
    }
}

/// What the drawing of one notice needs besides the page.
pub struct Contesto<'a> {
    /// The notice.
    pub avviso: &'a Avviso,
    /// The fixed texts.
    pub testi: &'a Testi,
    /// The Ente's logo, decoded once.
    pub logo: Option<&'a Image>,
    /// The Data Matrix symbol's side in modules (`None`: the smallest square that fits).
    pub moduli_data_matrix: Option<usize>,
}

fn scadenza(t: &Testi, p: &Pagamento) -> String {
    match p.scadenza {
        Some(d) => format!("{} {}", t.entro_il, data_it(d)),
        None => t.senza_scadenza.clone(),
    }
}

fn cbill(a: &Avviso) -> &str {
    a.ente.cbill.as_deref().unwrap_or("-")
}

/// The pages of the notice in `c` as they are drawn: [`piano`]'s pages, each cut where its
/// blocks would run into the footer (long texts at their limits, a rata unica with its
/// bollettino), the rest moving to a page of its own after it.
pub fn impagina(c: &Contesto<'_>) -> Vec<Vec<Blocco>> {
    let limite = ALTEZZA - 30.0;
    let mut tela = Tela::a_vuoto();
    let mut pagine: Vec<Vec<Blocco>> = Vec::new();
    for blocchi in piano(c.avviso) {
        let mut pagina: Vec<Blocco> = Vec::new();
        let mut y = intestazione(&mut tela, c, !pagine.is_empty());
        for b in blocchi {
            // Each block returns where the next one starts, 10 points below its end.
            let mut fine = blocco(&mut tela, c, y, &b).unwrap_or(y);
            if fine - 10.0 > limite && !pagina.is_empty() {
                // Bollettini that do not fit take their payment block along, so that the
                // two halves of an option stay on one page.
                let insieme = matches!(
                    (&b, pagina.last()),
                    (Blocco::BollettinoRataUnica, Some(Blocco::RataUnica))
                        | (Blocco::BollettiniGruppo { .. }, Some(Blocco::Gruppo { .. }))
                );
                let mut nuova = Vec::new();
                if insieme && pagina.len() > 1 {
                    nuova.extend(pagina.pop());
                }
                pagine.push(std::mem::take(&mut pagina));
                y = intestazione(&mut tela, c, true);
                for prima in &nuova {
                    y = blocco(&mut tela, c, y, prima).unwrap_or(y);
                }
                pagina = nuova;
                fine = blocco(&mut tela, c, y, &b).unwrap_or(y);
            }
            y = fine;
            pagina.push(b);
        }
        pagine.push(pagina);
    }
    pagine
}

/// Draws `b` from `y`; returns where the next block starts.
fn blocco(tela: &mut Tela<'_, '_>, c: &Contesto<'_>, y: f32, b: &Blocco) -> Result<f32, String> {
    let ru = c.avviso.rata_unica.as_ref();
    Ok(match b {
        Blocco::Informazioni => informazioni(tela, c, y),
        Blocco::RataUnica => match ru {
            Some(p) => pagamento(tela, c, y, p, &c.testi.rata_unica)?,
            None => y,
        },
        Blocco::BollettinoRataUnica => match ru {
            Some(p) => bollettino(tela, c, y, p, &c.testi.rata_unica)?,
            None => y,
        },
        Blocco::Gruppo { colonne, rate } => gruppo(tela, c, y, *colonne, rate)?,
        Blocco::BollettiniGruppo { colonne, rate } => {
            bollettini_gruppo(tela, c, y, *colonne, rate)?
        }
    })
}

/// Draws page `numero` (1-based) of `totale` of a notice: the header, then `blocchi`.
pub fn disegna_pagina(
    tela: &mut Tela<'_, '_>,
    c: &Contesto<'_>,
    blocchi: &[Blocco],
    numero: usize,
    totale: usize,
) -> Result<(), String> {
    let mut y = intestazione(tela, c, numero > 1);
    for b in blocchi {
        y = blocco(tela, c, y, b)?;
    }
    let piede = c
        .testi
        .pagina
        .replace("{n}", &numero.to_string())
        .replace("{m}", &totale.to_string());
    tela.testo_a_destra(
        LARGHEZZA - MARGINE,
        ALTEZZA - 18.0,
        Stile::Regolare,
        7.0,
        Colore::Grigio,
        &piede,
    );
    Ok(())
}

/// Module 1, on every page: title, subject, the Ente's logo and the pagoPA mark. On the
/// following pages a line names the recipient too, so a page that comes loose is still
/// recognisable. Returns where the next module starts.
fn intestazione(tela: &mut Tela<'_, '_>, c: &Contesto<'_>, seguito: bool) -> f32 {
    let a = c.avviso;
    let destra = LARGHEZZA - MARGINE;
    // The Ente's logo at the right, the pagoPA mark (a text wordmark in Blu pagoPA: the
    // official logo file is not shipped) to its left.
    let mut x_marchio = destra;
    if let Some(logo) = c.logo {
        let bytes = a.ente.logo.as_deref().unwrap_or_default();
        tela.logo(destra - 54.0, 26.0, 54.0, 54.0, logo, bytes);
        x_marchio = destra - 64.0;
    }
    tela.testo_a_destra(x_marchio, 58.0, Stile::Nero, 20.0, Colore::Blu, "pagoPA");
    let misura = x_marchio - larghezza("pagoPA", Stile::Nero, 20.0) - 16.0 - MARGINE;
    tela.testo(
        MARGINE,
        48.0,
        Stile::Nero,
        19.0,
        Colore::Nero,
        &c.testi.titolo,
    );
    let mut y = 66.0;
    for riga in a_capo(&a.oggetto, Stile::Grassetto, 12.0, misura)
        .iter()
        .take(2)
    {
        tela.testo(MARGINE, y, Stile::Grassetto, 12.0, Colore::Nero, riga);
        y += 14.0;
    }
    y = y.max(88.0);
    if seguito {
        let chi = match &a.destinatario.codice_fiscale {
            Some(cf) => format!(
                "{} {} – {} {}",
                c.testi.etichetta_destinatario, a.destinatario.nome, c.testi.codice_fiscale, cf
            ),
            None => format!("{} {}", c.testi.etichetta_destinatario, a.destinatario.nome),
        };
        tela.testo(MARGINE, y + 2.0, Stile::Regolare, 9.0, Colore::Nero, &chi);
        y += 10.0;
    }
    tela.rettangolo(MARGINE, y + 4.0, CONTENUTO, 0.8, Colore::Nero);
    y + 16.0
}

/// Modules 2.1/2.2 and 3.1/3.2, in two columns.
fn informazioni(tela: &mut Tela<'_, '_>, c: &Contesto<'_>, y0: f32) -> f32 {
    let a = c.avviso;
    let t = c.testi;
    let colonna = (CONTENUTO - 24.0) / 2.0;
    let xd = MARGINE + colonna + 24.0;

    // 2.1 Ente creditore.
    let etichetta = |tela: &mut Tela<'_, '_>, x: f32, y: f32, titolo: &str, cf: Option<&str>| {
        tela.testo(x, y, Stile::Nero, 8.5, Colore::Nero, titolo);
        if let Some(cf) = cf {
            let xc = x + colonna;
            tela.testo_a_destra(xc, y, Stile::Mono, 8.5, Colore::Nero, cf);
            let w = larghezza(cf, Stile::Mono, 8.5);
            tela.testo_a_destra(
                xc - w - 4.0,
                y,
                Stile::Regolare,
                7.5,
                Colore::Nero,
                &t.codice_fiscale,
            );
        }
    };
    let mut ys = y0 + 8.0;
    etichetta(
        tela,
        MARGINE,
        ys,
        &t.ente_creditore,
        Some(&a.ente.codice_fiscale),
    );
    ys += 16.0;
    for (testo, stile, corpo, interlinea) in [
        (&a.ente.nome, Stile::Grassetto, 12.0, 14.0),
        (&a.ente.settore, Stile::Regolare, 10.0, 12.0),
        (&a.ente.info, Stile::Regolare, 8.5, 10.5),
    ] {
        ys = tela.paragrafo(MARGINE, ys, colonna, stile, corpo, interlinea, testo);
    }

    // 2.2 Destinatario.
    let mut yd = y0 + 8.0;
    etichetta(
        tela,
        xd,
        yd,
        &t.destinatario,
        a.destinatario.codice_fiscale.as_deref(),
    );
    yd = tela.paragrafo(
        xd,
        yd + 16.0,
        colonna,
        Stile::Grassetto,
        12.0,
        14.0,
        &a.destinatario.nome,
    );
    for riga in &a.destinatario.indirizzo {
        yd = tela.paragrafo(xd, yd, colonna, Stile::Regolare, 10.0, 12.0, riga);
    }

    // 3.1 / 3.2 on a light grey band.
    let y1 = ys.max(yd) + 6.0;
    let importo_totale = a
        .rata_unica
        .as_ref()
        .map(|p| p.importo_centesimi)
        .unwrap_or_else(|| a.rate.iter().map(|p| p.importo_centesimi).sum());
    let prima = a.rata_unica.as_ref().or(a.rate.first());
    let n = a.rate.len();
    let info_rate = match (a.rata_unica.is_some(), n) {
        (_, 0) => None,
        (true, n) => Some(con_numero(&t.rate_intero, n)),
        (false, n) => Some(con_numero(&t.rate_solo, n)),
    };
    // Height first (the band is drawn under the text).
    let nota = a_capo(&t.nota_importo, Stile::Regolare, 7.5, colonna - 8.0);
    let canale = match a.ente.canale_online {
        None => String::new(),
        Some(CanaleOnline::Sito) => t.canale_sito.replace("{ente}", &a.ente.nome),
        Some(CanaleOnline::App) => t.canale_app.replace("{ente}", &a.ente.nome),
        Some(CanaleOnline::SitoOApp) => t.canale_sito_app.replace("{ente}", &a.ente.nome),
    };
    let online = t.online.replace("{canale}", &canale);
    let online = a_capo(&online, Stile::Regolare, 8.5, colonna - 8.0);
    let territorio = match &a.ente.canale_fisico {
        Some(fisico) if !fisico.trim().is_empty() => format!("{}, {}", fisico.trim(), t.territorio),
        _ => t.territorio.clone(),
    };
    let territorio = a_capo(&territorio, Stile::Regolare, 8.5, colonna - 8.0);
    let sinistra =
        16.0 + 26.0 + if info_rate.is_some() { 13.0 } else { 0.0 } + nota.len() as f32 * 9.0;
    let destra =
        16.0 + 13.0 + online.len() as f32 * 10.5 + 6.0 + 13.0 + territorio.len() as f32 * 10.5;
    let alto = sinistra.max(destra) + 10.0;
    tela.rettangolo(MARGINE, y1, CONTENUTO, alto, Colore::GrigioChiaro);

    let mut yq = y1 + 16.0;
    tela.testo(
        MARGINE + 8.0,
        yq,
        Stile::Nero,
        9.5,
        Colore::Nero,
        &t.quanto_quando,
    );
    yq += 24.0;
    let cifra = format!("{} {}", importo_it_cifre(importo_totale), t.euro);
    tela.testo(MARGINE + 8.0, yq, Stile::Nero, 18.0, Colore::Nero, &cifra);
    if let Some(p) = prima {
        let w = larghezza(&cifra, Stile::Nero, 18.0);
        tela.testo(
            MARGINE + 8.0 + w + 8.0,
            yq,
            Stile::Grassetto,
            11.0,
            Colore::Nero,
            &scadenza(t, p),
        );
    }
    yq += 2.0;
    if let Some(info) = &info_rate {
        yq += 13.0;
        tela.testo(MARGINE + 8.0, yq, Stile::Semi, 9.5, Colore::Nero, info);
    }
    yq += 11.0;
    for riga in &nota {
        tela.testo(MARGINE + 8.0, yq, Stile::Regolare, 7.5, Colore::Nero, riga);
        yq += 9.0;
    }

    let mut yw = y1 + 16.0;
    tela.testo(xd, yw, Stile::Nero, 9.5, Colore::Nero, &t.dove_pagare);
    yw += 14.0;
    for (titolo, righe) in [
        (&t.online_titolo, &online),
        (&t.territorio_titolo, &territorio),
    ] {
        tela.testo(xd, yw, Stile::Grassetto, 9.0, Colore::Nero, titolo);
        yw += 11.0;
        for riga in righe {
            tela.testo(xd, yw, Stile::Regolare, 8.5, Colore::Nero, riga);
            yw += 10.5;
        }
        yw += 4.0;
    }

    let y2 = y1 + alto + 16.0;
    tela.testo(MARGINE, y2, Stile::Semi, 9.5, Colore::Nero, &t.porzione);
    y2 + 8.0
}

/// A label over its value (a code, in the mono face), at `(x, y)`; returns the baseline under
/// the value.
fn voce(tela: &mut Tela<'_, '_>, x: f32, y: f32, etichetta: &str, valore: &str, corpo: f32) -> f32 {
    tela.testo(x, y, Stile::Regolare, 7.0, Colore::Nero, etichetta);
    tela.testo(x, y + corpo + 2.0, Stile::Mono, corpo, Colore::Nero, valore);
    y + corpo + 2.0 + 12.0
}

/// The top of a payment or bollettino block: a grey strip with `etichetta` at the left and
/// the option's name and due date at the right. The frame comes last ([`chiudi`]), when the
/// block's height is known.
fn riquadro(
    tela: &mut Tela<'_, '_>,
    c: &Contesto<'_>,
    y0: f32,
    etichetta: &str,
    titolo: &str,
    p: &Pagamento,
) {
    tela.rettangolo(MARGINE, y0, CONTENUTO, 20.0, Colore::GrigioChiaro);
    tela.testo(
        MARGINE + 8.0,
        y0 + 14.0,
        Stile::Nero,
        9.5,
        Colore::Nero,
        etichetta,
    );
    let destra = LARGHEZZA - MARGINE - 8.0;
    let scad = scadenza(c.testi, p);
    tela.testo_a_destra(
        destra,
        y0 + 14.0,
        Stile::Grassetto,
        9.5,
        Colore::Nero,
        &scad,
    );
    let w = larghezza(&scad, Stile::Grassetto, 9.5);
    tela.testo_a_destra(
        destra - w - 6.0,
        y0 + 14.0,
        Stile::Nero,
        9.5,
        Colore::Nero,
        titolo,
    );
}

/// "Euro" and the amount, right-aligned, at the top of a block's right column; returns where
/// the column goes on.
fn importo_a_destra(
    tela: &mut Tela<'_, '_>,
    c: &Contesto<'_>,
    xr: f32,
    y: f32,
    p: &Pagamento,
) -> f32 {
    tela.testo(xr, y, Stile::Regolare, 7.0, Colore::Nero, &c.testi.euro);
    tela.testo_a_destra(
        LARGHEZZA - MARGINE - 8.0,
        y + 10.0,
        Stile::Nero,
        16.0,
        Colore::Nero,
        &importo_it_cifre(p.importo_centesimi),
    );
    y + 26.0
}

/// A label over a value in bold wrapped to `misura`; returns where the next one goes.
fn testo_etichettato(
    tela: &mut Tela<'_, '_>,
    x: f32,
    y: f32,
    misura: f32,
    etichetta: &str,
    valore: &str,
) -> f32 {
    tela.testo(x, y, Stile::Regolare, 7.0, Colore::Nero, etichetta);
    let mut yy = y + 10.0;
    for riga in a_capo(valore, Stile::Grassetto, 8.5, misura) {
        tela.testo(x, yy, Stile::Grassetto, 8.5, Colore::Nero, &riga);
        yy += 10.0;
    }
    yy + 2.0
}

/// Frames the block from `y0` down to the lowest of `fondi` (at least `minimo` high, plus a
/// margin); returns where the next block starts.
fn chiudi(tela: &mut Tela<'_, '_>, y0: f32, minimo: f32, fondi: &[f32]) -> f32 {
    let fondo = fondi.iter().fold(y0 + minimo, |a, b| a.max(*b + 6.0));
    tela.cornice(MARGINE, y0, CONTENUTO, fondo - y0, 0.8, Colore::Nero);
    fondo + 10.0
}

/// Where a block's columns start: after the code, the middle one, the right one, and the
/// middle one's measure.
fn colonne_blocco() -> (f32, f32, f32) {
    let xm = MARGINE + 8.0 + LATO_CODICE + 12.0;
    let xr = LARGHEZZA - MARGINE - 8.0 - 150.0;
    (xm, xr, xr - xm - 12.0)
}

/// The codes of one option in a column: its notice code, then `seconda` (the CBILL code, or
/// the bollettino's document type), then the Ente's fiscal code.
fn codici_opzione(
    tela: &mut Tela<'_, '_>,
    c: &Contesto<'_>,
    x: f32,
    y: f32,
    p: &Pagamento,
    seconda: (&str, &str),
    corpo: f32,
) -> f32 {
    let t = c.testi;
    let y = voce(
        tela,
        x,
        y,
        &t.etichetta_codice,
        &codice_a_gruppi(&p.codice),
        corpo,
    );
    let y = voce(tela, x, y, seconda.0, seconda.1, corpo);
    voce(
        tela,
        x,
        y,
        &t.etichetta_cf_ente,
        &c.avviso.ente.codice_fiscale,
        corpo,
    )
}

/// The rata unica's payment block: QR code, recipient, Ente, subject, amount, CBILL, notice
/// code, Ente's CF.
fn pagamento(
    tela: &mut Tela<'_, '_>,
    c: &Contesto<'_>,
    y0: f32,
    p: &Pagamento,
    titolo: &str,
) -> Result<f32, String> {
    let a = c.avviso;
    let t = c.testi;
    riquadro(tela, c, y0, &t.banche, titolo, p);
    let yq = y0 + 28.0;
    tela.qr(MARGINE + 8.0, yq, LATO_CODICE, &qr_di(a, p))?;

    let (xm, xr, misura) = colonne_blocco();
    let mut y = tela.paragrafo(
        xm,
        yq + 7.0,
        misura,
        Stile::Regolare,
        7.0,
        8.5,
        &t.istruzione_qr,
    );
    y += 4.0;
    y = testo_etichettato(
        tela,
        xm,
        y,
        misura,
        &t.etichetta_destinatario,
        &a.destinatario.nome,
    );
    y = testo_etichettato(tela, xm, y, misura, &t.etichetta_ente, &a.ente.nome);
    y = testo_etichettato(tela, xm, y, misura, &t.etichetta_oggetto, &a.oggetto);

    let yr = importo_a_destra(tela, c, xr, yq + 6.0, p);
    let yr = codici_opzione(tela, c, xr, yr, p, (&t.etichetta_cbill, cbill(a)), 9.5);
    Ok(chiudi(tela, y0, 136.0, &[y, yr, yq + LATO_CODICE]))
}

/// A band of `colonne` framed places under a grey strip (`etichetta` at the left, `destra` at
/// the right): `posto(tela, x, largo, y, i)` draws instalment `i` in the place at `x`, `largo`
/// wide, from baseline `y`, and returns where its text ends. Every place gets the height of the
/// tallest; a place without an instalment stays empty, keeping the layout.
#[allow(clippy::too_many_arguments)]
fn fascia(
    tela: &mut Tela<'_, '_>,
    y0: f32,
    colonne: usize,
    rate: &[usize],
    etichetta: &str,
    destra: &str,
    minimo: f32,
    mut posto: impl FnMut(&mut Tela<'_, '_>, f32, f32, f32, usize) -> Result<f32, String>,
) -> Result<f32, String> {
    tela.rettangolo(MARGINE, y0, CONTENUTO, 20.0, Colore::GrigioChiaro);
    tela.testo(
        MARGINE + 8.0,
        y0 + 14.0,
        Stile::Nero,
        9.5,
        Colore::Nero,
        etichetta,
    );
    let x_destra = LARGHEZZA - MARGINE - 8.0;
    tela.testo_a_destra(x_destra, y0 + 14.0, Stile::Nero, 9.5, Colore::Nero, destra);
    let largo = CONTENUTO / colonne as f32;
    let mut fondo = y0 + minimo;
    for (k, &i) in rate.iter().enumerate() {
        let x = MARGINE + k as f32 * largo;
        fondo = fondo.max(posto(tela, x, largo, y0 + 38.0, i)? + 6.0);
    }
    for k in 0..colonne {
        let x = MARGINE + k as f32 * largo;
        tela.cornice(x, y0 + 20.0, largo, fondo - y0 - 20.0, 0.8, Colore::Nero);
    }
    Ok(fondo + 10.0)
}

/// The top of an instalment's place: its number, due date and amount; returns where the code
/// goes.
fn testa_rata(tela: &mut Tela<'_, '_>, c: &Contesto<'_>, x: f32, y: f32, i: usize) -> f32 {
    let t = c.testi;
    let p = &c.avviso.rate[i];
    tela.testo(
        x,
        y,
        Stile::Nero,
        10.5,
        Colore::Nero,
        &con_numero(&t.rata, i + 1),
    );
    tela.testo(
        x,
        y + 13.0,
        Stile::Grassetto,
        9.0,
        Colore::Nero,
        &scadenza(t, p),
    );
    let importo = importo_it_cifre(p.importo_centesimi);
    tela.testo(x, y + 33.0, Stile::Nero, 15.0, Colore::Nero, &importo);
    let w = larghezza(&importo, Stile::Nero, 15.0);
    tela.testo(
        x + w + 4.0,
        y + 33.0,
        Stile::Regolare,
        8.0,
        Colore::Nero,
        &t.euro,
    );
    y + 41.0
}

/// A group of instalments side by side in `colonne` places: each with its number, due date,
/// amount, QR code, notice code, CBILL and the Ente's fiscal code.
fn gruppo(
    tela: &mut Tela<'_, '_>,
    c: &Contesto<'_>,
    y0: f32,
    colonne: usize,
    rate: &[usize],
) -> Result<f32, String> {
    let a = c.avviso;
    let t = c.testi;
    fascia(
        tela,
        y0,
        colonne,
        rate,
        &t.banche,
        &t.rate,
        200.0,
        |tela, x, largo, y, i| {
            let p = &a.rate[i];
            let y = testa_rata(tela, c, x + 10.0, y, i);
            tela.qr(
                x + (largo - LATO_CODICE) / 2.0,
                y,
                LATO_CODICE,
                &qr_di(a, p),
            )?;
            let y = y + LATO_CODICE + 14.0;
            Ok(codici_opzione(
                tela,
                c,
                x + 10.0,
                y,
                p,
                (&t.etichetta_cbill, cbill(a)),
                9.0,
            ))
        },
    )
}

/// The Bollettini Postali PA of a group, in the group's layout: each with Poste's Data Matrix,
/// the account and its holder, the recipient, the codes and Poste's authorisation (the
/// subject is in the header and in the Data Matrix).
fn bollettini_gruppo(
    tela: &mut Tela<'_, '_>,
    c: &Contesto<'_>,
    y0: f32,
    colonne: usize,
    rate: &[usize],
) -> Result<f32, String> {
    let a = c.avviso;
    let t = c.testi;
    let Some(conto) = &a.poste else {
        return Ok(y0);
    };
    fascia(
        tela,
        y0,
        colonne,
        rate,
        &t.bollettino,
        &t.rate,
        200.0,
        |tela, x, largo, y, i| {
            let p = &a.rate[i];
            let (xi, misura) = (x + 10.0, largo - 20.0);
            let y = testa_rata(tela, c, xi, y, i);
            let payload = datamatrix_payload(a, conto, p);
            let xd = x + (largo - LATO_CODICE) / 2.0;
            tela.datamatrix(xd, y, LATO_CODICE, &payload, c.moduli_data_matrix)?;
            let mut y = y + LATO_CODICE + 14.0;
            y = voce(tela, xi, y, &t.sul_conto, &conto.numero, 9.0);
            y = testo_etichettato(tela, xi, y, misura, &t.intestato_a, &conto.intestatario);
            y = testo_etichettato(
                tela,
                xi,
                y,
                misura,
                &t.etichetta_destinatario,
                &a.destinatario.nome,
            );
            y = codici_opzione(tela, c, xi, y, p, (&t.tipo, "896"), 9.0);
            for riga in a_capo(&conto.autorizzazione, Stile::Regolare, 6.5, misura) {
                tela.testo(xi, y, Stile::Regolare, 6.5, Colore::Nero70, &riga);
                y += 8.0;
            }
            Ok(y)
        },
    )
}

/// The rata unica's Bollettino Postale PA: Poste's Data Matrix (TD 896), the account, the
/// amount, recipient, subject, notice code, and Poste's authorisation at 70 % black.
fn bollettino(
    tela: &mut Tela<'_, '_>,
    c: &Contesto<'_>,
    y0: f32,
    p: &Pagamento,
    titolo: &str,
) -> Result<f32, String> {
    let a = c.avviso;
    let t = c.testi;
    let Some(conto) = &a.poste else {
        return Ok(y0);
    };
    riquadro(tela, c, y0, &t.bollettino, titolo, p);
    let yq = y0 + 28.0;
    let payload = datamatrix_payload(a, conto, p);
    tela.datamatrix(
        MARGINE + 8.0,
        yq,
        LATO_CODICE,
        &payload,
        c.moduli_data_matrix,
    )?;

    let (xm, xr, misura) = colonne_blocco();
    let mut y = voce(tela, xm, yq + 6.0, &t.sul_conto, &conto.numero, 9.5);
    y = testo_etichettato(tela, xm, y, misura, &t.intestato_a, &conto.intestatario);
    y = testo_etichettato(
        tela,
        xm,
        y,
        misura,
        &t.etichetta_destinatario,
        &a.destinatario.nome,
    );
    y = testo_etichettato(tela, xm, y, misura, &t.etichetta_oggetto, &a.oggetto);

    let yr = importo_a_destra(tela, c, xr, yq + 6.0, p);
    let yr = codici_opzione(tela, c, xr, yr, p, (&t.tipo, "896"), 9.5);

    // Poste's notes under everything else.
    let yn = y.max(yr).max(yq + LATO_CODICE + 8.0) + 4.0;
    let x = MARGINE + 8.0;
    tela.testo(
        x,
        yn,
        Stile::Regolare,
        6.5,
        Colore::Nero,
        &t.bollettino_sotto,
    );
    tela.testo(
        x,
        yn + 10.0,
        Stile::Regolare,
        6.5,
        Colore::Nero70,
        &conto.autorizzazione,
    );
    Ok(chiudi(tela, y0, 150.0, &[yn + 10.0]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_of_two_or_three_never_mixed() {
        assert_eq!(colonne(2), 2);
        assert_eq!(colonne(3), 3);
        assert_eq!(colonne(4), 2);
        assert_eq!(colonne(5), 3);
        assert_eq!(colonne(6), 3);
        assert_eq!(colonne(7), 3);
        assert_eq!(colonne(8), 2);
        assert_eq!(colonne(12), 3);
    }
}
