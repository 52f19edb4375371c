//! The preview of a notice for the window: its first page as SVG, drawn by `mpd-avviso`
//! through the same layout and code as the PDF.

use mpd_avviso::Opzioni;

use super::avviso_di;
use crate::App;
use crate::errore::{Codice, Errore, Risultato};

/// The first page of the notice of position `codice_posizione` (its code, or the IUD of one of
/// its debts), as an SVG document: what the PDF will show, fonts embedded.
pub fn anteprima(app: &App, codice_posizione: &str) -> Risultato<String> {
    let (avviso, oggi) = avviso_di(app, codice_posizione.trim())?;
    mpd_avviso::anteprima_svg(&avviso, &Opzioni::new(oggi), 1).map_err(|e| match e {
        mpd_avviso::Errore::Dati(_) | mpd_avviso::Errore::Logo(_) => {
            Errore::non_valido(e.to_string())
        }
        other => {
            tracing::warn!(dettaglio = %other, "anteprima dell'avviso non disegnata");
            Errore::new(
                Codice::Interno,
                "l'anteprima dell'avviso non si è potuta disegnare",
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::avvisi::ente::prova::{CODICE, app, carica, posizione};

    #[test]
    fn the_preview_is_the_first_page_of_the_positions_notice() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(dir.path());
        posizione(&app);
        // Not on MyPay yet: the same reason as the PDF.
        let e = anteprima(&app, CODICE).unwrap_err();
        assert_eq!(e.codice, Codice::NonConsentito);
        assert!(
            e.messaggio.contains("non ha ancora l'IUV"),
            "{}",
            e.messaggio
        );
        carica(&app, dir.path());
        let svg = anteprima(&app, CODICE).unwrap();
        assert!(svg.starts_with("<svg ") && svg.trim_end().ends_with("</svg>"));
        let (a, _) = super::super::avviso_di(&app, CODICE).unwrap();
        let ru = a.rata_unica.as_ref().unwrap();
        // The first page: the rata unica's code in groups of 4 and its amount, the header.
        let codice = mpd_avviso::codici::codice_a_gruppi(&ru.codice);
        assert!(
            svg.contains(&format!(">{codice}</text>")),
            "missing {codice}"
        );
        assert!(svg.contains(">240,00</text>"));
        assert!(svg.contains(">AVVISO DI PAGAMENTO</text>"));
        assert!(svg.contains(">Pagina 1 di 2</text>"), "page footer");
        assert_eq!(
            anteprima(&app, "NESSUNA").unwrap_err().codice,
            Codice::DovutoInesistente
        );
    }
}
