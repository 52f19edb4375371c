//! Debt positions (issue 14): a payer's rata unica and instalments for one subject. Creating
//! one from the payer's fields and the options' amounts and due dates, listing them with their
//! state, showing one. The rules are mpd-domain's `posizione`, applied by mpd-core.

use mpd_core::input::DebtInput;
use mpd_core::posizioni::{
    CambioRata, EsitoPosizione, PosizioneInput, PosizioneVista, ProblemaOpzione,
};
use mpd_domain::posizione::{MAX_RATE, Rata};
use mpd_store::posizioni::FiltroPosizioni;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::App;
use crate::errore::{Codice, Errore, Risultato};

/// Most positions a list returns at once.
const MAX_ELENCO: usize = 10_000;

/// One option to create: its amount and due date as the clerk typed them.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct ImportoScadenza {
    pub importo: String,
    #[serde(default)]
    #[ts(optional)]
    pub scadenza: Option<String>,
}

/// A position to create: the payer's fields shared by every option (the causale is the
/// subject's: each option adds "rata unica" or "rata 2 di 3" to it), the rata unica and the
/// instalments in order.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct NuovaPosizione {
    #[serde(default)]
    #[ts(optional)]
    pub codice: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub oggetto: Option<String>,
    pub pagatore: crate::dovuti::CampiDovuto,
    #[serde(default)]
    #[ts(optional)]
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

/// A problem of a position, for the window: the option it is about and its field.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ProblemaRata {
    /// 0 the rata unica, 1–12 an instalment, none the whole position.
    pub rata: Option<u8>,
    /// "rata unica", "rata 2" (empty: the whole position).
    pub etichetta: String,
    /// The form field: `importo`, `scadenza`, `codice_pagatore`, `anagrafica`, `tipo`,
    /// `causale`…, `rata` (the numbering), `posizione` (its code); none: the whole row.
    pub campo: Option<String>,
    pub messaggio: String,
}

/// The form field a problem's field is shown at: a tracciato column's, or the position's own.
fn campo_del_form(campo: &str) -> String {
    if let Some(c) = mpd_domain::Column::ALL.iter().find(|c| c.name() == campo) {
        return mpd_core::bozze::form_key(*c).unwrap_or(campo).to_string();
    }
    match campo {
        "codice" => "codice_pagatore".into(),
        altro => altro.into(),
    }
}

impl From<ProblemaOpzione> for ProblemaRata {
    fn from(p: ProblemaOpzione) -> ProblemaRata {
        ProblemaRata {
            rata: p.rata.map(Rata::numero),
            etichetta: p.etichetta,
            campo: p.problema.campo.as_deref().map(campo_del_form),
            messaggio: p.problema.messaggio,
        }
    }
}

/// A position created or changed, for the window: saved (as it is now), or the problems and
/// nothing saved.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "esito", rename_all = "snake_case")]
pub enum EsitoRate {
    Salvata { posizione: VistaPosizione },
    NonValida { problemi: Vec<ProblemaRata> },
}

impl From<EsitoPosizione> for EsitoRate {
    fn from(e: EsitoPosizione) -> EsitoRate {
        match e {
            EsitoPosizione::Salvata { posizione } => EsitoRate::Salvata {
                posizione: (*posizione).into(),
            },
            EsitoPosizione::NonValida { problemi } => EsitoRate::NonValida {
                problemi: problemi.into_iter().map(ProblemaRata::from).collect(),
            },
        }
    }
}

/// The window's «Nuova posizione»: [`crea`], its outcome as the window shows it.
pub fn crea_dal_form(app: &App, p: NuovaPosizione, bozza: bool) -> Risultato<EsitoRate> {
    Ok(crea(app, p, bozza)?.into())
}

/// The option numbered `rata` (0: rata unica), or an argument error.
fn rata(n: u8) -> Risultato<Rata> {
    Rata::da_numero(n).ok_or_else(|| {
        Errore::argomento(format!(
            "rata {n}: 0 è la rata unica, le rate vanno da 1 a {MAX_RATE}"
        ))
    })
}

/// One change to a position's options, as a front end sends it (amounts and dates as the
/// clerk typed them; options by their number as stored, 0 the rata unica).
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(tag = "cambio", rename_all = "snake_case")]
pub enum CambioRate {
    /// A new amount and/or due date (missing or empty: as stored).
    Modifica {
        rata: u8,
        #[serde(default)]
        #[ts(optional)]
        importo: Option<String>,
        #[serde(default)]
        #[ts(optional)]
        scadenza: Option<String>,
    },
    /// A new instalment after the last one.
    Aggiungi {
        importo: String,
        #[serde(default)]
        #[ts(optional)]
        scadenza: Option<String>,
    },
    /// Removes the option: cancelled here, or by an `A` row in the next flow when MyPay
    /// holds it; the instalments after it move up.
    Rimuovi { rata: u8 },
}

fn testo(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl CambioRate {
    fn al_core(&self) -> Risultato<CambioRata> {
        Ok(match self {
            CambioRate::Modifica {
                rata: n,
                importo,
                scadenza,
            } => {
                let (importo, scadenza) = (testo(importo), testo(scadenza));
                if importo.is_none() && scadenza.is_none() {
                    return Err(Errore::argomento(format!(
                        "{}: indicare il nuovo importo o la nuova scadenza",
                        rata(*n)?.etichetta()
                    )));
                }
                CambioRata::Modifica {
                    rata: rata(*n)?,
                    importo,
                    scadenza,
                }
            }
            CambioRate::Aggiungi { importo, scadenza } => CambioRata::Aggiungi {
                importo: importo.trim().to_string(),
                scadenza: testo(scadenza),
            },
            CambioRate::Rimuovi { rata: n } => CambioRata::Rimuovi { rata: rata(*n)? },
        })
    }
}

/// Changes the options of a position not settled yet (its code, or the IUD of one of its
/// debts): the changes together, in order; the position's rules are checked again on the
/// result and nothing is saved with a problem (each names its option). A debt MyPay holds
/// goes out as an `M` row in the next flow when changed, as an `A` row when removed.
pub fn cambia_rate(app: &App, posizione: &str, cambi: &[CambioRate]) -> Risultato<EsitoPosizione> {
    let chiave = posizione.trim();
    if chiave.is_empty() {
        return Err(Errore::argomento("manca la posizione"));
    }
    if cambi.is_empty() {
        return Err(Errore::argomento(
            "nessun cambiamento: indicare quale rata modificare, aggiungere o togliere",
        ));
    }
    let cambi = cambi
        .iter()
        .map(CambioRate::al_core)
        .collect::<Risultato<Vec<_>>>()?;
    app.con_desk(|desk| Ok(desk.cambia_posizione(chiave, &cambi)?))
}

/// [`cambia_rate`] for the window.
pub fn cambia_rate_dal_form(
    app: &App,
    posizione: &str,
    cambi: &[CambioRate],
) -> Risultato<EsitoRate> {
    Ok(cambia_rate(app, posizione, cambi)?.into())
}

/// The types of this module the window sees.
#[cfg(test)]
pub(crate) fn tipi_ts(cfg: &ts_rs::Config) -> Result<(), ts_rs::ExportError> {
    VistaPosizione::export_all(cfg)?;
    EsitoRate::export_all(cfg)?;
    NuovaPosizione::export_all(cfg)?;
    CambioRate::export_all(cfg)?;
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
        )
        .con_frase_archivio(Some(mpd_store::testing::CHIAVE_DI_PROVA));
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

    fn salvata(e: EsitoRate) -> VistaPosizione {
        match e {
            EsitoRate::Salvata { posizione } => posizione,
            EsitoRate::NonValida { problemi } => panic!("{problemi:#?}"),
        }
    }

    fn problemi(e: EsitoRate) -> Vec<(String, Option<String>)> {
        match e {
            EsitoRate::Salvata { posizione } => panic!("saved: {posizione:#?}"),
            EsitoRate::NonValida { problemi } => problemi
                .into_iter()
                .map(|p| (p.etichetta, p.campo))
                .collect(),
        }
    }

    fn modifica(rata: u8, importo: Option<&str>, scadenza: Option<&str>) -> CambioRate {
        CambioRate::Modifica {
            rata,
            importo: importo.map(Into::into),
            scadenza: scadenza.map(Into::into),
        }
    }

    fn aggiungi(importo: &str, scadenza: &str) -> CambioRate {
        CambioRate::Aggiungi {
            importo: importo.into(),
            scadenza: Some(scadenza.into()),
        }
    }

    /// (rata, amount in cents, due date, causale) of each option of the position.
    fn opzioni(app: &App) -> Vec<(u8, i64, String, String)> {
        let p = dettaglio(app, "TARI-2027-0001").unwrap();
        p.opzioni
            .iter()
            .map(|o| {
                let causale = crate::dovuti::scheda(app, &o.iud)
                    .unwrap()
                    .valori
                    .get("causale")
                    .cloned()
                    .unwrap_or_default();
                (
                    o.rata.numero(),
                    o.importo_cents,
                    o.scadenza.clone(),
                    causale,
                )
            })
            .collect()
    }

    #[test]
    fn an_instalment_is_changed_added_and_removed_with_the_rules_checked_again() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(dir.path());
        crea(&app, tari(), false).unwrap();
        let prima = opzioni(&app);
        let cambia = |cambi: &[CambioRate]| cambia_rate_dal_form(&app, "TARI-2027-0001", cambi);

        // Each broken rule names its option and field; nothing is saved.
        let sbagliati = [
            // The instalments no longer add up to the rata unica (no discount for TARI).
            (
                vec![modifica(2, Some("90,00"), None)],
                ("rata unica", "importo"),
            ),
            // Instalment 3 due before instalment 2.
            (
                vec![modifica(3, None, Some("01/05/2027"))],
                ("rata 3", "scadenza"),
            ),
            // Not an amount.
            (
                vec![modifica(2, Some("ottanta"), None)],
                ("rata 2", "importo"),
            ),
            // Not a date.
            (
                vec![aggiungi("80,00", "31/02/2028")],
                ("rata 4", "scadenza"),
            ),
            // A fourth instalment without raising the rata unica.
            (
                vec![aggiungi("80,00", "31/01/2028")],
                ("rata unica", "importo"),
            ),
            // Removing instalment 1 leaves 2 and 3, 160 € against 240 €.
            (
                vec![CambioRate::Rimuovi { rata: 1 }],
                ("rata unica", "importo"),
            ),
        ];
        for (cambi, (etichetta, campo)) in sbagliati {
            let p = problemi(cambia(&cambi).unwrap());
            assert!(
                p.iter()
                    .any(|(e, c)| e == etichetta && c.as_deref() == Some(campo)),
                "{cambi:?}: {p:#?}"
            );
            assert_eq!(opzioni(&app), prima, "{cambi:?} saved something");
        }
        // An option that is not there, a number that is no option.
        assert_eq!(
            cambia(&[CambioRate::Rimuovi { rata: 7 }])
                .unwrap_err()
                .codice,
            Codice::NonConsentito
        );
        assert_eq!(
            cambia(&[CambioRate::Rimuovi { rata: 13 }])
                .unwrap_err()
                .codice,
            Codice::Argomento
        );

        // Together: the rata unica raised and a fourth instalment added.
        let v = salvata(
            cambia(&[
                modifica(0, Some("320,00"), None),
                aggiungi("80,00", "31/01/2028"),
            ])
            .unwrap(),
        );
        assert_eq!(v.stato, "da pagare");
        let o = opzioni(&app);
        assert_eq!(o.len(), 5, "{o:#?}");
        assert_eq!((o[0].0, o[0].1), (0, 32_000));
        assert_eq!(
            (o[4].0, o[4].1, o[4].2.as_str(), o[4].3.as_str()),
            (4, 8_000, "2028-01-31", "TARI 2027 - rata 4 di 4")
        );
        // The other instalments' causali count four now.
        assert_eq!(o[1].3, "TARI 2027 - rata 1 di 4");
        assert_eq!(o[3].3, "TARI 2027 - rata 3 di 4");
        // The new instalment is ready like the others, with its own IUD.
        let nuova = &v.opzioni[4];
        assert_eq!(nuova.stato, "pronto");
        assert!(v.opzioni[..4].iter().all(|x| x.iud != nuova.iud));

        // Instalment 2 removed and the rata unica lowered: 3 and 4 move up.
        let tolta = v.opzioni[2].iud.clone();
        salvata(
            cambia(&[
                CambioRate::Rimuovi { rata: 2 },
                modifica(0, Some("240,00"), None),
            ])
            .unwrap(),
        );
        let o = opzioni(&app);
        assert_eq!(
            o.iter()
                .map(|x| (x.0, x.2.as_str(), x.3.as_str()))
                .collect::<Vec<_>>(),
            [
                (0, "2027-04-30", "TARI 2027 - rata unica"),
                (1, "2027-04-30", "TARI 2027 - rata 1 di 3"),
                (2, "2027-10-31", "TARI 2027 - rata 2 di 3"),
                (3, "2028-01-31", "TARI 2027 - rata 3 di 3"),
            ]
        );
        // Never sent: cancelled here, out of the position.
        assert_eq!(
            crate::dovuti::scheda(&app, &tolta).unwrap().stato,
            "cancelled"
        );
        assert!(del_dovuto(&app, &tolta).unwrap().is_none());
        // The last option cannot go: the position would have nothing to pay.
        let e = cambia(&[
            CambioRate::Rimuovi { rata: 0 },
            CambioRate::Rimuovi { rata: 1 },
            CambioRate::Rimuovi { rata: 2 },
            CambioRate::Rimuovi { rata: 3 },
        ])
        .unwrap_err();
        assert_eq!(e.codice, Codice::NonConsentito, "{e:?}");
    }

    /// MyPay loads the debts waiting to go, each with an IUV.
    fn carica(app: &App, dir: &std::path::Path, da: u64) {
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
                            mpd_domain::iuv::generate_iuv17("12", "55", da + i as u64).unwrap(),
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

    #[test]
    fn on_mypay_a_changed_option_goes_as_an_m_row_and_a_removed_one_as_an_a_row() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(dir.path());
        crea(&app, tari(), false).unwrap();
        // The demo's own debts go too; only the position's rows matter here.
        carica(&app, dir.path(), 1_000);
        let v = del_dovuto(
            &app,
            &dettaglio(&app, "TARI-2027-0001").unwrap().opzioni[0].iud,
        )
        .unwrap()
        .unwrap();
        assert!(v.opzioni.iter().all(|o| o.stato == "caricato"), "{v:#?}");
        let iud: Vec<String> = v.opzioni.iter().map(|o| o.iud.clone()).collect();

        // Instalment 1 removed, the rata unica lowered to match, instalment 3 a month later.
        salvata(
            cambia_rate_dal_form(
                &app,
                "TARI-2027-0001",
                &[
                    CambioRate::Rimuovi { rata: 1 },
                    modifica(0, Some("160,00"), None),
                    modifica(3, None, Some("30/11/2027")),
                ],
            )
            .unwrap(),
        );
        let flusso = app
            .con_desk(|desk| {
                let r = desk
                    .build_flows(mpd_domain::Version::V1_4, Some(&dir.path().join("flussi2")))
                    .unwrap();
                let mut righe = Vec::new();
                for f in r.flussi {
                    righe.extend(desk.store().righe_flusso(f.id).unwrap());
                }
                Ok(righe)
            })
            .unwrap();
        let azione = |iud: &str| {
            flusso
                .iter()
                .find(|r| r.iud == iud)
                .map(|r| r.azione.clone())
                .unwrap_or_else(|| format!("not in the flow: {flusso:#?}"))
        };
        assert_eq!(azione(&iud[1]), "A");
        // The rata unica's amount, and the two instalments left (renumbered, their causali
        // saying "di 2" now): M rows.
        assert_eq!(azione(&iud[0]), "M");
        assert_eq!(azione(&iud[2]), "M");
        assert_eq!(azione(&iud[3]), "M");
        assert_eq!(flusso.len(), 4, "{flusso:#?}");

        // A debt on its own (the counter's, say) prints as a position of one: its notice
        // from the debt form or the Sportello.
        let solo = crate::dovuti::elenco(&app, &Default::default())
            .unwrap()
            .into_iter()
            .find(|d| {
                d.dovuto.stato == mpd_core::DovutoStato::Loaded && !iud.contains(&d.dovuto.iud)
            })
            .unwrap();
        let pdf = dir.path().join("solo.pdf");
        let a = crate::avvisi::stampa_posizione(&app, &solo.dovuto.iud, &pdf).unwrap();
        assert_eq!((a.opzioni, a.pagine), (1, 1), "{a:?}");
        assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));

        // Waiting for MyPay's outcome: no change.
        let e = cambia_rate(
            &app,
            "TARI-2027-0001",
            &[modifica(1, None, Some("01/05/2027"))],
        )
        .unwrap_err();
        assert_eq!(e.codice, Codice::NonConsentito);
        assert!(e.messaggio.contains("in attesa"), "{}", e.messaggio);
    }

    #[test]
    fn a_page_of_the_list_tells_each_option_its_position() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(dir.path());
        crea(&app, tari(), false).unwrap();
        let pagina = crate::dovuti::pagina(
            &app,
            &crate::dovuti::FiltroDovuti {
                limit: Some(500),
                ..Default::default()
            },
        )
        .unwrap();
        let delle: Vec<_> = pagina
            .righe
            .iter()
            .filter_map(|r| r.posizione.as_ref())
            .collect();
        assert_eq!(delle.len(), 4);
        assert_eq!(
            delle
                .iter()
                .map(|p| (p.rata, p.etichetta.as_str()))
                .collect::<Vec<_>>(),
            [
                (0, "rata unica"),
                (1, "rata 1"),
                (2, "rata 2"),
                (3, "rata 3")
            ]
        );
        let p = delle[2];
        assert_eq!(
            (
                p.codice.as_str(),
                p.stato.as_str(),
                p.importo_cents,
                p.opzioni
            ),
            ("TARI-2027-0001", "da pagare", 24_000, 4)
        );
        // The demo's debts are on their own.
        assert!(
            pagina
                .righe
                .iter()
                .filter(|r| r.posizione.is_none())
                .count()
                > 0
        );
        // Without the rata unica the position costs its instalments together.
        cambia_rate(&app, "TARI-2027-0001", &[CambioRate::Rimuovi { rata: 0 }]).unwrap();
        let pagina = crate::dovuti::pagina(
            &app,
            &crate::dovuti::FiltroDovuti {
                limit: Some(500),
                ..Default::default()
            },
        )
        .unwrap();
        let p = pagina
            .righe
            .iter()
            .filter_map(|r| r.posizione.as_ref())
            .next()
            .unwrap();
        assert_eq!((p.importo_cents, p.opzioni, p.rata), (24_000, 3, 1));
    }
}
