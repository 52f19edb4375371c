//! The pagoPA payment notice of one position (issue 14 items 4 and 5, one position at a time;
//! the batch of a campaign comes next): the options still payable, each with the notice
//! number of its IUV, drawn by `mpd-avviso`. The Ente's notice data (office, contacts, CBILL,
//! its own desk) come from the profile's `[avviso]` section.

use std::path::Path;

use mpd_avviso::{Avviso, Destinatario, EnteAvviso, Opzioni, Pagamento};
use mpd_core::posizioni::PosizioneVista;
use mpd_domain::Column;
use mpd_domain::posizione::StatoPosizione;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::App;
use crate::errore::{Codice, Errore, Risultato};

/// The profile's `[avviso]` section: what the notice says of the Ente beyond its name and code.
#[derive(Debug, Default, Deserialize)]
struct DatiAvvisoEnte {
    #[serde(default)]
    settore: String,
    #[serde(default)]
    info: String,
    #[serde(default)]
    cbill: Option<String>,
    #[serde(default)]
    canale_fisico: Option<String>,
}

/// A notice written.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AvvisoStampato {
    pub file: String,
    /// Pages of the PDF.
    pub pagine: usize,
    /// Payment options on it (rata unica and instalments still payable).
    pub opzioni: usize,
}

fn non_stampabile(messaggio: String) -> Errore {
    Errore::new(Codice::NonConsentito, messaggio)
}

/// Writes the notice of the position `codice_o_iud` (its code, or the IUD of one of its debts;
/// a debt on its own is a position of one) to `percorso` as PDF.
pub fn stampa_posizione(
    app: &App,
    codice_o_iud: &str,
    percorso: &Path,
) -> Risultato<AvvisoStampato> {
    let chiave = codice_o_iud.trim();
    let (avviso, oggi) = app.con_desk(|desk| {
        let vista = desk.ente_view()?.ok_or_else(|| {
            Errore::new(
                Codice::EnteMancante,
                "nessun Ente configurato: prima i dati dell'Ente",
            )
        })?;
        let dati: DatiAvvisoEnte = vista
            .extra
            .get("avviso")
            .cloned()
            .map(serde_json::from_value)
            .transpose()
            .map_err(|e| {
                Errore::non_valido(format!(
                    "la sezione «avviso» del profilo dell'Ente non è valida: {e}"
                ))
            })?
            .unwrap_or_default();
        let posizione: PosizioneVista = desk.posizione_o_dovuto(chiave)?.ok_or_else(|| {
            Errore::new(
                Codice::DovutoInesistente,
                format!("nessuna posizione «{chiave}», né un dovuto con questo IUD"),
            )
        })?;
        match posizione.stato {
            StatoPosizione::Pagata | StatoPosizione::PagamentoDoppio { .. } => {
                return Err(non_stampabile(format!(
                    "la posizione {} è già pagata: non c'è un avviso da stampare",
                    posizione.codice
                )));
            }
            StatoPosizione::Annullata => {
                return Err(non_stampabile(format!(
                    "la posizione {} è annullata: non c'è un avviso da stampare",
                    posizione.codice
                )));
            }
            _ => {}
        }
        let segregazione = vista.ente.codice_segregazione.clone();
        let mut rata_unica = None;
        let mut rate = Vec::new();
        let mut primo_iud = None;
        for o in posizione.opzioni.iter().filter(|o| {
            !matches!(
                o.stato,
                mpd_core::DovutoStato::Paid | mpd_core::DovutoStato::Cancelled
            )
        }) {
            if o.iuv.is_empty() {
                return Err(non_stampabile(format!(
                    "la {} della posizione {} non ha ancora l'IUV: invii il flusso a MyPay, attenda l'esito e stampi poi l'avviso",
                    o.etichetta, posizione.codice
                )));
            }
            let scadenza = mpd_domain::dates::parse_date_strict(&o.scadenza).ok();
            let pagamento =
                Pagamento::da_iuv(&o.iuv, &segregazione, o.importo_cents.max(0) as u64, scadenza)
                    .ok_or_else(|| {
                        non_stampabile(format!(
                            "l'IUV {} della {} non si può stampare su un avviso pagoPA",
                            o.iuv, o.etichetta
                        ))
                    })?;
            primo_iud.get_or_insert(o.iud.clone());
            if o.rata.is_unica() {
                rata_unica = Some(pagamento);
            } else {
                rate.push(pagamento);
            }
        }
        let Some(iud) = primo_iud else {
            return Err(non_stampabile(format!(
                "la posizione {} non ha opzioni da pagare",
                posizione.codice
            )));
        };
        let d = desk
            .dovuto(&iud)?
            .ok_or_else(|| Errore::new(Codice::DovutoInesistente, format!("dovuto {iud}")))?;
        let r = &d.row;
        let via = [r.get(Column::IndirizzoPagatore), r.get(Column::CivicoPagatore)]
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let provincia = r.get(Column::ProvinciaPagatore).trim();
        let citta = [
            r.get(Column::CapPagatore).trim().to_string(),
            r.get(Column::LocalitaPagatore).trim().to_string(),
            if provincia.is_empty() {
                String::new()
            } else {
                format!("({provincia})")
            },
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
        let codice_pagatore = r.get(Column::CodiceIdentificativoUnivoco).trim();
        let avviso = Avviso {
            ente: EnteAvviso {
                nome: vista.ente.denominazione.clone(),
                settore: dati.settore,
                info: dati.info,
                codice_fiscale: vista.ente.codice_fiscale.clone(),
                cbill: dati.cbill,
                canale_online: None,
                canale_fisico: dati.canale_fisico,
                logo: None,
            },
            destinatario: Destinatario {
                codice_fiscale: (!codice_pagatore.is_empty()
                    && !codice_pagatore.eq_ignore_ascii_case("ANONIMO"))
                .then(|| codice_pagatore.to_uppercase()),
                nome: r.get(Column::AnagraficaPagatore).trim().to_string(),
                indirizzo: [via, citta].into_iter().filter(|s| !s.is_empty()).collect(),
            },
            oggetto: posizione.oggetto.clone(),
            rata_unica,
            rate,
            poste: None,
            lingua: Default::default(),
        };
        Ok((avviso, desk.today()))
    })?;
    let errore = |e: mpd_avviso::Errore| match e {
        mpd_avviso::Errore::Dati(_) => Errore::non_valido(e.to_string()),
        other => Errore::scrittura_documento(percorso, &other),
    };
    // Drawn once: the batch writer says how many pages the notice took.
    let mut lotto = mpd_avviso::Lotto::con_titolo(Opzioni::new(oggi), &avviso.oggetto);
    let posto = lotto.aggiungi(&avviso).map_err(errore)?;
    let mut pdf = Vec::new();
    lotto.scrivi(&mut pdf).map_err(errore)?;
    std::fs::write(percorso, &pdf).map_err(|e| Errore::scrittura(percorso, &e))?;
    Ok(AvvisoStampato {
        file: percorso.display().to_string(),
        pagine: posto.pagine,
        opzioni: avviso.rata_unica.iter().count() + avviso.rate.len(),
    })
}

/// The types of this module the window sees.
#[cfg(test)]
pub(crate) fn tipi_ts(cfg: &ts_rs::Config) -> Result<(), ts_rs::ExportError> {
    AvvisoStampato::export_all(cfg)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::posizioni::{ImportoScadenza, NuovaPosizione, crea};

    fn app(dir: &Path) -> App {
        let app = App::new(
            Some(dir.join("db.sqlite")),
            crate::ConnectOptions::default(),
            Box::leak(Box::<mpd_client::credentials::MemoryStore>::default()),
        );
        crate::home::avvia_demo(&app).unwrap();
        app
    }

    fn posizione(app: &App) {
        let p = NuovaPosizione {
            codice: Some("TARI-2027-0001".into()),
            oggetto: Some("TARI 2027".into()),
            pagatore: crate::dovuti::CampiDovuto {
                codice_pagatore: Some("RSSMRA80A01H501U".into()),
                anagrafica: Some("Mario Rossi".into()),
                tipo: Some("TARI".into()),
                causale: Some("TARI 2027".into()),
                indirizzo: Some("Via Roma".into()),
                civico: Some("12".into()),
                cap: Some("20100".into()),
                localita: Some("Milano".into()),
                provincia: Some("MI".into()),
                ..Default::default()
            },
            unica: Some(ImportoScadenza {
                importo: "240,00".into(),
                scadenza: Some("30/04/2030".into()),
            }),
            rate: ["30/04/2030", "31/07/2030", "31/10/2030"]
                .iter()
                .map(|s| ImportoScadenza {
                    importo: "80,00".into(),
                    scadenza: Some(s.to_string()),
                })
                .collect(),
        };
        assert!(matches!(
            crea(app, p, false).unwrap(),
            mpd_core::posizioni::EsitoPosizione::Salvata { .. }
        ));
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
                            mpd_domain::iuv::generate_iuv17("01", "55", 9_000 + i as u64).unwrap(),
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
    fn a_loaded_position_prints_its_notice_and_one_without_iuvs_says_why() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(dir.path());
        posizione(&app);
        let pdf = dir.path().join("avviso.pdf");
        // Not on MyPay yet: no IUVs, no notice.
        let e = stampa_posizione(&app, "TARI-2027-0001", &pdf).unwrap_err();
        assert_eq!(e.codice, Codice::NonConsentito);
        assert!(
            e.messaggio.contains("non ha ancora l'IUV"),
            "{}",
            e.messaggio
        );
        assert!(!pdf.exists());
        carica(&app, dir.path());
        let a = stampa_posizione(&app, "TARI-2027-0001", &pdf).unwrap();
        assert_eq!((a.opzioni, a.pagine), (4, 2), "{a:?}");
        let bytes = std::fs::read(&pdf).unwrap();
        assert!(bytes.starts_with(b"%PDF"));
        // The notice of any of its debts is the same position's.
        let iud = crate::posizioni::elenco(&app, None, None, None).unwrap()[0].opzioni[3]
            .iud
            .clone();
        assert_eq!(stampa_posizione(&app, &iud, &pdf).unwrap().opzioni, 4);
        assert_eq!(
            stampa_posizione(&app, "NESSUNA", &pdf).unwrap_err().codice,
            Codice::DovutoInesistente
        );
    }
}
