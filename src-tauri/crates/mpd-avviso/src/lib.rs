//! The pagoPA payment notice (avviso di pagamento, standard 3.5.1) as PDF, drawn here with no
//! remote service.
//!
//! * [`Avviso`] (`modello`) is one notice's data: the Ente, the recipient, the subject, an
//!   optional rata unica and 0 or 2–12 instalments, the optional postal account. Serde, so the
//!   layers above can store or pass it as it is. [`Avviso::verifica`] checks the standard's
//!   limits and returns every [`Problema`] with its field, in Italian.
//! * [`render`] draws one notice into the bytes of a PDF; [`Lotto`] draws many into one PDF
//!   for duplex printing (each starting on an odd page) and says where each one is;
//!   [`anteprima_svg`] draws one page as SVG for a preview, through the same layout code.
//! * `codici`: the QR payload (`PAGOPA|002|…`), Poste's 256-character Data Matrix payload,
//!   the Italian formats of codes, amounts and dates; `impagina`: which module goes on which
//!   page and how it is drawn; `disegno`: fonts, text, vector codes, the logo; `testi`: the
//!   fixed texts, kept as data in `assets/avviso/testi-it.toml`.
//!
//! The PDF is A4, UTF-8 text in Titillium Web and Roboto Mono (embedded subsets, searchable),
//! QR codes and Data Matrix as vector squares, PDF/A-2b by default ([`Opzioni::pdfa`]).
//!
//! Architecture: no tauri, no SQL, no clock (the creation date is passed in
//! [`Opzioni::creato_il`]), no IO but the writer [`Lotto::scrivi`] is given. Messages name no
//! front end's command or button.

pub mod codici;
pub mod disegno;
pub mod impagina;
pub mod lotto;
pub mod modello;
pub mod testi;

use chrono::{Datelike, NaiveDate};
use krilla::configure::{Archival, ConfigurationBuilder};
use krilla::image::Image;
use krilla::metadata::{DateTime, Metadata};
use krilla::{Document, SerializeSettings};

pub use impagina::{Blocco, piano};
pub use lotto::{Lotto, PosizioneAvviso};
pub use modello::{
    Avviso, CanaleOnline, ContoPostale, Destinatario, EnteAvviso, Lingua, Pagamento, Problema,
};
pub use testi::Testi;

/// Why a notice could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum Errore {
    /// The notice's data break the standard's limits: every problem, with its field.
    #[error("l'avviso non si può stampare: {}", elenco(.0))]
    Dati(Vec<Problema>),
    /// The Ente's logo cannot be read.
    #[error("logo dell'Ente: {0}")]
    Logo(String),
    /// The PDF library refused the document.
    #[error("PDF dell'avviso non generato: {0}")]
    Pdf(String),
    /// Writing the PDF failed.
    #[error("PDF degli avvisi non scritto: {0}")]
    Scrittura(String),
    /// The preview of a page that the notice does not have.
    #[error("l'avviso ha {pagine} pagine: la pagina {pagina} non c'è")]
    Pagina {
        /// The page asked for, 1-based.
        pagina: usize,
        /// The notice's pages.
        pagine: usize,
    },
    /// The preview could not be drawn.
    #[error("anteprima dell'avviso non disegnata: {0}")]
    Anteprima(String),
}

fn elenco(problemi: &[Problema]) -> String {
    problemi
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// How notices are drawn.
#[derive(Clone, Debug)]
pub struct Opzioni {
    /// The creation date written in the PDF's metadata (PDF/A needs one).
    pub creato_il: NaiveDate,
    /// PDF/A-2b (archival); krilla refuses the document if something breaks it.
    pub pdfa: bool,
    /// The fixed texts ([`Testi::italiano`] unless a caller corrects them).
    pub testi: Testi,
    /// The Poste Data Matrix's side in modules, a square ECC200 size (for example 52). Poste's
    /// "stampa in proprio" manual fixes it and was not available (spec §2.4), so it is a
    /// setting: `None` draws the smallest square symbol that holds the 256 characters
    /// (48 × 48 or 52 × 52 for real payloads).
    pub moduli_data_matrix: Option<usize>,
}

impl Opzioni {
    /// PDF/A-2b, Italian texts, created on `creato_il`.
    pub fn new(creato_il: NaiveDate) -> Opzioni {
        Opzioni {
            creato_il,
            pdfa: true,
            testi: Testi::italiano(),
            moduli_data_matrix: None,
        }
    }
}

/// A krilla document with the notices' metadata and, when asked, the PDF/A-2b validator.
fn documento(opzioni: &Opzioni, titolo: &str) -> Document {
    let mut impostazioni = SerializeSettings::default();
    if opzioni.pdfa
        && let Ok(configurazione) = ConfigurationBuilder::new()
            .with_archival_validator(Archival::A2_B)
            .finish()
    {
        impostazioni.configuration = configurazione;
    }
    let mut doc = Document::new_with(impostazioni);
    let d = opzioni.creato_il;
    doc.set_metadata(
        Metadata::new()
            .title(titolo.to_string())
            .language("it-IT".into())
            .creator("MyPay Desk".into())
            .creation_date(
                DateTime::new(u16::try_from(d.year()).unwrap_or(2000))
                    .month(d.month() as u8)
                    .day(d.day() as u8),
            ),
    );
    doc
}

/// Checks `avviso` (and the options) and decodes its logo: what every drawing needs first,
/// so that drawing itself does not fail halfway through a batch.
fn prepara(avviso: &Avviso, opzioni: &Opzioni) -> Result<Option<Image>, Errore> {
    if !disegno::verifica_caratteri() {
        return Err(Errore::Pdf("caratteri dell'avviso non leggibili".into()));
    }
    let mut problemi = avviso.verifica();
    if let (Some(conto), Some(m)) = (&avviso.poste, opzioni.moduli_data_matrix) {
        let simbolo = disegno::simbolo_quadrato(m);
        let entra = simbolo.is_some_and(|s| {
            avviso.pagamenti().all(|p| {
                let payload = codici::datamatrix_payload(avviso, conto, p);
                datamatrix::DataMatrix::encode(
                    payload.as_bytes(),
                    datamatrix::SymbolList::with_whitelist([s]),
                )
                .is_ok()
            })
        });
        if !entra {
            problemi.push(Problema {
                campo: "Conto corrente postale, Data Matrix".into(),
                messaggio: format!(
                    "un simbolo di {m}×{m} moduli non è una dimensione ECC200 quadrata o non contiene i 256 caratteri di Poste"
                ),
            });
        }
    }
    if !problemi.is_empty() {
        return Err(Errore::Dati(problemi));
    }
    avviso
        .ente
        .logo
        .as_deref()
        .map(disegno::immagine_logo)
        .transpose()
        .map_err(Errore::Logo)
}

/// The pages `avviso` will have, each as the blocks it holds below the header (what
/// [`Lotto::aggiungi`] draws): for a preview, or to know where each bollettino is.
pub fn pagine(avviso: &Avviso, opzioni: &Opzioni) -> Result<Vec<Vec<Blocco>>, Errore> {
    let logo = prepara(avviso, opzioni)?;
    Ok(impagina::impagina(&impagina::Contesto {
        avviso,
        testi: &opzioni.testi,
        logo: logo.as_ref(),
        moduli_data_matrix: opzioni.moduli_data_matrix,
    }))
}

/// Page `pagina` (1-based) of `avviso` as an SVG document, for a preview: the same layout and
/// drawing code as the PDF ([`disegno::Tela`] writing SVG instead of PDF), in points on an A4
/// page, text as `<text>` in the embedded notice fonts (see [`disegno::Svg`]). Its page count
/// is [`numero_pagine`].
pub fn anteprima_svg(avviso: &Avviso, opzioni: &Opzioni, pagina: usize) -> Result<String, Errore> {
    let logo = prepara(avviso, opzioni)?;
    let contesto = impagina::Contesto {
        avviso,
        testi: &opzioni.testi,
        logo: logo.as_ref(),
        moduli_data_matrix: opzioni.moduli_data_matrix,
    };
    let pagine = impagina::impagina(&contesto);
    let Some(blocchi) = pagina.checked_sub(1).and_then(|i| pagine.get(i)) else {
        return Err(Errore::Pagina {
            pagina,
            pagine: pagine.len(),
        });
    };
    let mut svg = disegno::Svg::new();
    impagina::disegna_pagina(
        &mut disegno::Tela::svg(&mut svg),
        &contesto,
        blocchi,
        pagina,
        pagine.len(),
    )
    .map_err(Errore::Anteprima)?;
    Ok(svg.documento(
        impagina::LARGHEZZA,
        impagina::ALTEZZA,
        &format!("{} – {}", opzioni.testi.titolo, avviso.oggetto),
    ))
}

/// How many pages `avviso` has (what [`anteprima_svg`] can show, what the PDF will have).
pub fn numero_pagine(avviso: &Avviso, opzioni: &Opzioni) -> Result<usize, Errore> {
    Ok(pagine(avviso, opzioni)?.len())
}

/// One notice as the bytes of a PDF file.
pub fn render(avviso: &Avviso, opzioni: &Opzioni) -> Result<Vec<u8>, Errore> {
    let mut lotto = Lotto::con_titolo(opzioni.clone(), &avviso.oggetto);
    lotto.aggiungi(avviso)?;
    let mut out = Vec::new();
    lotto.scrivi(&mut out)?;
    Ok(out)
}
