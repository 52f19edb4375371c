//! Many notices in one PDF for duplex printing: every notice starts on an odd page (a blank
//! page is put before it when needed), and each notice's pages are reported so a manifest can
//! say where it is.
//!
//! krilla builds a document in memory and writes it whole at the end ([`Lotto::scrivi`]):
//! pages are serialised (content streams compressed) as they are added, fonts and their
//! subsets once per document, so memory grows by about the compressed size of each page.
//! README "Payment notices" gives the figures measured with `examples/lotto.rs`; a caller
//! with a very large campaign writes several print files (one `Lotto` per N notices).

use std::io::Write;

use krilla::Document;
use krilla::page::PageSettings;

use crate::disegno::Tela;
use crate::impagina::{ALTEZZA, Contesto, LARGHEZZA, disegna_pagina, impagina};
use crate::modello::Avviso;
use crate::{Errore, Opzioni, documento, prepara};

/// Where one notice sits in a batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PosizioneAvviso {
    /// Its first page in the batch's PDF, 1-based (always odd).
    pub prima_pagina: usize,
    /// Its own pages (blank pages not counted).
    pub pagine: usize,
    /// Blank pages put before it so that it starts on an odd page (0 or 1).
    pub bianche_prima: usize,
}

/// A batch of notices being drawn into one PDF.
pub struct Lotto {
    doc: Document,
    opzioni: Opzioni,
    pagine: usize,
    avvisi: usize,
}

impl Lotto {
    /// An empty batch.
    pub fn new(opzioni: Opzioni) -> Lotto {
        Lotto::con_titolo(opzioni, "Avvisi di pagamento pagoPA")
    }

    /// An empty batch whose PDF is titled `titolo`.
    pub fn con_titolo(opzioni: Opzioni, titolo: &str) -> Lotto {
        Lotto {
            doc: documento(&opzioni, titolo),
            opzioni,
            pagine: 0,
            avvisi: 0,
        }
    }

    /// Adds `avviso`, after checking it: a notice with problems is refused whole
    /// ([`Errore::Dati`]) and the batch stays as it was.
    pub fn aggiungi(&mut self, avviso: &Avviso) -> Result<PosizioneAvviso, Errore> {
        let logo = prepara(avviso, &self.opzioni)?;
        let contesto = Contesto {
            avviso,
            testi: &self.opzioni.testi,
            logo: logo.as_ref(),
            moduli_data_matrix: self.opzioni.moduli_data_matrix,
        };
        let pagine = impagina(&contesto);
        let impostazioni = PageSettings::from_wh(LARGHEZZA, ALTEZZA)
            .ok_or_else(|| Errore::Pdf("formato A4 non valido".into()))?;
        let bianche_prima = self.pagine % 2;
        if bianche_prima == 1 {
            let pagina = self.doc.start_page_with(impostazioni.clone());
            pagina.finish();
            self.pagine += 1;
        }
        let prima_pagina = self.pagine + 1;
        let totale = pagine.len();
        for (n, blocchi) in pagine.iter().enumerate() {
            let mut pagina = self.doc.start_page_with(impostazioni.clone());
            let mut superficie = pagina.surface();
            let esito = disegna_pagina(
                &mut Tela::new(&mut superficie),
                &contesto,
                blocchi,
                n + 1,
                totale,
            );
            superficie.finish();
            pagina.finish();
            self.pagine += 1;
            // Codes are checked by `prepara`, so drawing them does not fail in practice; if it
            // ever did, the page is already in the document and the batch cannot go on.
            esito.map_err(Errore::Pdf)?;
        }
        self.avvisi += 1;
        Ok(PosizioneAvviso {
            prima_pagina,
            pagine: totale,
            bianche_prima,
        })
    }

    /// Pages so far, blank ones included.
    pub fn pagine(&self) -> usize {
        self.pagine
    }

    /// Notices so far.
    pub fn avvisi(&self) -> usize {
        self.avvisi
    }

    /// Writes the PDF to `out`; returns its size in bytes.
    pub fn scrivi<W: Write>(self, mut out: W) -> Result<usize, Errore> {
        let bytes = self.doc.finish().map_err(|e| {
            Errore::Pdf(match e {
                krilla::error::KrillaError::Validation(v) => format!(
                    "il documento non rispetta PDF/A-2b ({} problemi); si può generare senza PDF/A",
                    v.len()
                ),
                krilla::error::KrillaError::Font(..) => {
                    "un carattere non si può incorporare nel PDF".to_string()
                }
                _ => "la libreria PDF ha rifiutato il documento".to_string(),
            })
        })?;
        out.write_all(&bytes).map_err(|e| {
            Errore::Scrittura(
                match e.kind() {
                    std::io::ErrorKind::PermissionDenied => "permesso negato",
                    std::io::ErrorKind::NotFound => "cartella inesistente",
                    std::io::ErrorKind::StorageFull => "disco pieno",
                    _ => "errore del disco o della cartella",
                }
                .to_string(),
            )
        })?;
        Ok(bytes.len())
    }
}
