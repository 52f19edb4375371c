//! Debt positions (issue 14): a payer's rata unica and instalments for one subject. Creating
//! one from the payer's fields and the options' amounts and due dates, listing them with their
//! state, showing one. The rules are mpd-domain's `posizione`, applied by mpd-core.

use mpd_core::input::DebtInput;
use mpd_core::posizioni::{EsitoPosizione, PosizioneInput, PosizioneVista};
use mpd_domain::posizione::{MAX_RATE, Rata};
use mpd_store::posizioni::FiltroPosizioni;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::App;
use crate::errore::{Codice, Errore, Risultato};

/// Most positions a list returns at once.
const MAX_ELENCO: usize = 10_000;

/// One option to create: its amount and due date as the clerk typed them.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ImportoScadenza {
    pub importo: String,
    #[serde(default)]
    pub scadenza: Option<String>,
}

/// A position to create: the payer's fields shared by every option (the causale is the
/// subject's: each option adds "rata unica" or "rata 2 di 3" to it), the rata unica and the
/// instalments in order.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NuovaPosizione {
    #[serde(default)]
    pub codice: Option<String>,
    #[serde(default)]
    pub oggetto: Option<String>,
    pub pagatore: crate::dovuti::CampiDovuto,
    #[serde(default)]
    pub unica: Option<ImportoScadenza>,
    #[serde(default)]
    pub rate: Vec<ImportoScadenza>,
}

/// The causale of one option: the subject's, with the option named.
fn causale(base: &str, rata: Rata, n_rate: usize) -> String {
    let base = base.trim();
    let quale = match rata {
        Rata::Unica => "rata unica".to_string(),
        Rata::N(n) => format!("rata {n} di {n_rate}"),
    };
    if base.is_empty() {
        quale
    } else {
        format!("{base} - {quale}")
    }
}

/// Creates a position with a debt per option, ready for the next flow (or drafts with
/// `bozza`); nothing is saved when a rule is broken, and each problem names its option.
pub fn crea(app: &App, p: NuovaPosizione, bozza: bool) -> Risultato<EsitoPosizione> {
    if p.rate.len() > MAX_RATE as usize {
        return Err(Errore::non_valido(format!(
            "una posizione ha al massimo {MAX_RATE} rate"
        )));
    }
    let base = p.pagatore.causale.clone().unwrap_or_default();
    let n_rate = p.rate.len();
    let opzione = |rata: Rata, o: &ImportoScadenza| {
        let mut campi: DebtInput = p.pagatore.clone().into();
        campi.iud = None;
        campi.iuv = None;
        campi.importo = Some(o.importo.clone());
        campi.scadenza = o.scadenza.clone();
        campi.causale = Some(causale(&base, rata, n_rate));
        (rata, campi)
    };
    let mut opzioni = Vec::with_capacity(n_rate + 1);
    if let Some(u) = &p.unica {
        opzioni.push(opzione(Rata::Unica, u));
    }
    for (i, r) in p.rate.iter().enumerate() {
        opzioni.push(opzione(Rata::N(i as u8 + 1), r));
    }
    let input = PosizioneInput {
        codice: p.codice,
        oggetto: p
            .oggetto
            .or_else(|| (!base.trim().is_empty()).then(|| base.trim().to_string())),
        opzioni,
    };
    app.con_desk(|desk| Ok(desk.crea_posizione(&input, bozza)?))
}

/// The positions of a payment type and/or a payer (all: both empty), by code.
pub fn elenco(
    app: &App,
    tipo: Option<&str>,
    codice_pagatore: Option<&str>,
    limite: Option<usize>,
) -> Risultato<Vec<PosizioneVista>> {
    let filtro = FiltroPosizioni {
        tipo_dovuto: tipo
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(Into::into),
        codice_pagatore: codice_pagatore
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(Into::into),
        da_allineare: false,
        limite: limite.unwrap_or(MAX_ELENCO).min(MAX_ELENCO),
    };
    app.con_desk(|desk| Ok(desk.posizioni(&filtro)?))
}

/// The position with this code, or the one the debt with this IUD belongs to.
pub fn dettaglio(app: &App, codice_o_iud: &str) -> Risultato<PosizioneVista> {
    let chiave = codice_o_iud.trim();
    app.con_desk(|desk| {
        desk.posizione(chiave)?.ok_or_else(|| {
            Errore::new(
                Codice::DovutoInesistente,
                format!(
                    "nessuna posizione «{chiave}», né un dovuto con questo IUD in una posizione"
                ),
            )
        })
    })
}

/// One option of a position, for the window.
#[derive(Debug, Clone, Serialize, TS)]
pub struct OpzionePosizione {
    /// 0 the rata unica, 1–12 an instalment.
    pub rata: u8,
    /// "rata unica", "rata 2".
    pub etichetta: String,
    pub iud: String,
    pub iuv: String,
    /// The debt's state, in Italian.
    pub stato: String,
    #[ts(type = "number")]
    pub importo_cents: i64,
    /// `YYYY-MM-DD`, or empty.
    pub scadenza: String,
}

/// A position for the window: its options and its derived state in words.
#[derive(Debug, Clone, Serialize, TS)]
pub struct VistaPosizione {
    pub codice: String,
    pub oggetto: String,
    /// "da pagare", "pagata in parte (1 di 3)", "pagata", "annullata", "pagamento doppio".
    pub stato: String,
    /// Paid both ways: how much to refund.
    #[ts(type = "number | null")]
    pub da_rimborsare_cents: Option<i64>,
    /// How much less the rata unica costs than the instalments together.
    #[ts(type = "number")]
    pub sconto_cents: i64,
    pub opzioni: Vec<OpzionePosizione>,
}

impl From<PosizioneVista> for VistaPosizione {
    fn from(p: PosizioneVista) -> VistaPosizione {
        VistaPosizione {
            da_rimborsare_cents: match p.stato {
                mpd_domain::posizione::StatoPosizione::PagamentoDoppio {
                    da_rimborsare_cents,
                } => Some(da_rimborsare_cents),
                _ => None,
            },
            stato: p.etichetta,
            sconto_cents: p.sconto_cents,
            opzioni: p
                .opzioni
                .into_iter()
                .map(|o| OpzionePosizione {
                    rata: o.rata.numero(),
                    etichetta: o.etichetta,
                    iud: o.iud,
                    iuv: o.iuv,
                    stato: o.stato.label_it().to_string(),
                    importo_cents: o.importo_cents,
                    scadenza: o.scadenza,
                })
                .collect(),
            codice: p.codice,
            oggetto: p.oggetto,
        }
    }
}

/// The position the debt `iud` belongs to, for its form (none: a debt on its own).
pub fn del_dovuto(app: &App, iud: &str) -> Risultato<Option<VistaPosizione>> {
    let iud = iud.trim();
    app.con_desk(|desk| {
        Ok(desk
            .posizione(iud)?
            .filter(|p| p.opzioni.iter().any(|o| o.iud == iud))
            .map(VistaPosizione::from))
    })
}

/// The types of this module the window sees.
#[cfg(test)]
pub(crate) fn tipi_ts(cfg: &ts_rs::Config) -> Result<(), ts_rs::ExportError> {
    VistaPosizione::export_all(cfg)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(dir: &std::path::Path) -> App {
        let app = App::new(
            Some(dir.join("db.sqlite")),
            crate::ConnectOptions::default(),
            Box::leak(Box::<mpd_client::credentials::MemoryStore>::default()),
        );
        crate::home::avvia_demo(&app).unwrap();
        app
    }

    fn tari() -> NuovaPosizione {
        NuovaPosizione {
            codice: Some("TARI-2027-0001".into()),
            oggetto: None,
            pagatore: crate::dovuti::CampiDovuto {
                codice_pagatore: Some("RSSMRA80A01H501U".into()),
                anagrafica: Some("Mario Rossi".into()),
                tipo: Some("TARI".into()),
                causale: Some("TARI 2027".into()),
                ..Default::default()
            },
            unica: Some(ImportoScadenza {
                importo: "240,00".into(),
                scadenza: Some("30/04/2027".into()),
            }),
            rate: ["30/04/2027", "31/07/2027", "31/10/2027"]
                .iter()
                .map(|s| ImportoScadenza {
                    importo: "80,00".into(),
                    scadenza: Some(s.to_string()),
                })
                .collect(),
        }
    }

    #[test]
    fn a_tari_position_is_created_listed_and_shown() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(dir.path());
        let EsitoPosizione::Salvata { posizione } = crea(&app, tari(), false).unwrap() else {
            panic!("not saved")
        };
        assert_eq!(posizione.oggetto, "TARI 2027");
        assert_eq!(posizione.opzioni.len(), 4);
        let l = elenco(&app, Some("TARI"), None, None).unwrap();
        assert_eq!(l.len(), 1);
        assert_eq!(l[0].etichetta, "da pagare");
        let iud = &l[0].opzioni[2].iud;
        let d = dettaglio(&app, iud).unwrap();
        assert_eq!(d.codice, "TARI-2027-0001");
        // Each option's causale names it.
        let dovuto = crate::dovuti::scheda(&app, iud).unwrap();
        assert!(
            dovuto
                .valori
                .values()
                .any(|v| v == "TARI 2027 - rata 2 di 3"),
            "{:?}",
            dovuto.valori
        );
        assert!(elenco(&app, Some("MENSA"), None, None).unwrap().is_empty());
        // The form of any of its debts shows the position; a debt on its own has none.
        let v = del_dovuto(&app, iud).unwrap().unwrap();
        assert_eq!(
            (v.codice.as_str(), v.stato.as_str()),
            ("TARI-2027-0001", "da pagare")
        );
        assert_eq!(
            v.opzioni.iter().map(|o| o.rata).collect::<Vec<_>>(),
            [0, 1, 2, 3]
        );
        assert_eq!(v.opzioni[1].stato, "pronto");
        let solo = crate::dovuti::elenco(&app, &Default::default()).unwrap();
        let altro = solo
            .iter()
            .find(|d| !l[0].opzioni.iter().any(|o| o.iud == d.dovuto.iud))
            .unwrap();
        assert!(del_dovuto(&app, &altro.dovuto.iud).unwrap().is_none());
        // A position's code is not a debt's IUD.
        assert!(del_dovuto(&app, "TARI-2027-0001").unwrap().is_none());
        assert_eq!(
            dettaglio(&app, "NESSUNA").unwrap_err().codice,
            Codice::DovutoInesistente
        );
    }

    #[test]
    fn a_broken_rule_saves_nothing_and_names_the_option() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(dir.path());
        let mut p = tari();
        p.rate[1].importo = "0,00".into();
        let EsitoPosizione::NonValida { problemi } = crea(&app, p, false).unwrap() else {
            panic!("saved")
        };
        assert!(
            problemi.iter().any(|x| x.etichetta == "rata 2"),
            "{problemi:#?}"
        );
        assert!(elenco(&app, None, None, None).unwrap().is_empty());
    }
}
