//! The notice's fixed texts, kept as data in `assets/avviso/testi-it.toml` (compiled in).
//!
//! The standard's exact wording was read only in part, so the texts are data a later release
//! (or a caller, through [`crate::Opzioni::testi`]) can correct without touching the layout.

use serde::{Deserialize, Serialize};

const ITALIANO: &str = include_str!("../../../../assets/avviso/testi-it.toml");

/// Every fixed text of the notice. `{n}` and `{m}` are replaced by numbers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct Testi {
    pub titolo: String,
    pub ente_creditore: String,
    pub destinatario: String,
    pub codice_fiscale: String,
    pub quanto_quando: String,
    pub dove_pagare: String,
    pub entro_il: String,
    pub senza_scadenza: String,
    pub rate_intero: String,
    pub rate_solo: String,
    pub nota_importo: String,
    pub online_titolo: String,
    pub online: String,
    pub canale_sito: String,
    pub canale_app: String,
    pub canale_sito_app: String,
    pub territorio_titolo: String,
    pub territorio: String,
    pub porzione: String,
    pub banche: String,
    pub rata_unica: String,
    pub rata: String,
    pub rate: String,
    pub istruzione_qr: String,
    pub etichetta_destinatario: String,
    pub etichetta_ente: String,
    pub etichetta_oggetto: String,
    pub etichetta_cbill: String,
    pub etichetta_codice: String,
    pub etichetta_cf_ente: String,
    pub euro: String,
    pub bollettino: String,
    pub bollettino_sotto: String,
    pub sul_conto: String,
    pub intestato_a: String,
    pub tipo: String,
    pub pagina: String,
}

impl Testi {
    /// The Italian texts shipped with the app.
    pub fn italiano() -> Testi {
        // The file is compiled in and a unit test parses it, so this cannot fail at run time.
        toml::from_str(ITALIANO).unwrap_or_else(|e| panic!("assets/avviso/testi-it.toml: {e}"))
    }
}

impl Default for Testi {
    fn default() -> Self {
        Testi::italiano()
    }
}

/// `testo` with `{n}` replaced.
pub fn con_numero(testo: &str, n: usize) -> String {
    testo.replace("{n}", &n.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_shipped_texts_parse() {
        let t = super::Testi::italiano();
        assert_eq!(t.titolo, "AVVISO DI PAGAMENTO");
        assert_eq!(super::con_numero(&t.rata, 2), "2ª RATA");
    }
}
