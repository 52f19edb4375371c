//! The treasury journal (*giornale di cassa*) of the settlements behind the emulator's FdR
//! (`mypay-desk sim tesoreria`, issue 16 item 5, spec riconciliazione §3): one entry per flow
//! (the PSP's cumulative transfer), withheld flows included (the money arrives even when the
//! FdR never does), dated on the settlement day, for the flow's total, ordered by the PSP.
//!
//! Two formats:
//!
//! * `csv`: MyPivot's type C in its default column order
//!   `anno;numero;data_contabile;ordinante;causale;importo;data_valuta` (§3.1), ISO dates, dot
//!   decimals, a header row;
//! * `opi`: the OPI/SIOPE+ `flusso_giornale_di_cassa` (1.6.1 essentials, §3.3), one
//!   `movimento_conto_evidenza` per entry: `ENTRATA` / `SOSPESO ENTRATA` / `ESEGUITO`, its
//!   `numero_bolletta_quietanza`, `esercizio`, `causale`, `cliente/anagrafica_cliente` = the
//!   PSP's name. One document holds one `esercizio`: entries of other years are left out
//!   (counted in [`Tesoreria::escluse`]).
//!
//! The causale is `/PUR/LGPE-RIVERSAMENTO/URI/<IUF>` or one of the real-world variants of
//! §3.6 (spacing around the dash, the `/TXT/1/URI/` form, a line wrap inside the date, the
//! `ACCREDITI VARI … /BEN` form with a wrap after the dash, `RI1/…` followed by the bank's text,
//! `PUR LGPE-RIVERSAMENTO URI …`): the first entries take each variant once, in an order drawn
//! from the seed, the others draw at random; the same seed gives the same journal.
//!
//! Anomalies planted on request ([`AnomaliaTesoreria`]): an entry 0.50 short, a `/RFB/`
//! single transfer of one payment, an unrelated transfer, a storno (OPI only) of an earlier
//! entry. [`Tesoreria::anomalie`] says where each went.

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

use crate::db::{self, FlussoSpc};
use crate::error::EmulatorError;
use crate::rendicontazione;
use crate::state::State;
use crate::xml::esc;

/// An anomaly of the journal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnomaliaTesoreria {
    /// One entry 0.50 short of its flow's total.
    Corto,
    /// One payment transferred alone: `/RFB/<IUV>/<amount>`.
    Rfb,
    /// A transfer unrelated to pagoPA (`BONIFICO FATTURA 12`).
    Estraneo,
    /// An earlier entry reversed (OPI `STORNATO`).
    Storno,
}

impl AnomaliaTesoreria {
    /// Its name, as flags write it.
    pub fn nome(self) -> &'static str {
        match self {
            AnomaliaTesoreria::Corto => "corto",
            AnomaliaTesoreria::Rfb => "rfb",
            AnomaliaTesoreria::Estraneo => "estraneo",
            AnomaliaTesoreria::Storno => "storno",
        }
    }

    pub fn parse(s: &str) -> Option<AnomaliaTesoreria> {
        match s.trim().to_ascii_lowercase().as_str() {
            "corto" => Some(AnomaliaTesoreria::Corto),
            "rfb" => Some(AnomaliaTesoreria::Rfb),
            "estraneo" => Some(AnomaliaTesoreria::Estraneo),
            "storno" => Some(AnomaliaTesoreria::Storno),
            _ => None,
        }
    }
}

/// `POST /sim/tesoreria` body.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RichiestaTesoreria {
    pub ente: String,
    /// `csv` or `opi`.
    pub formato: String,
    #[serde(default)]
    pub seme: u64,
    #[serde(default)]
    pub anomalie: Vec<AnomaliaTesoreria>,
    /// OPI: the year written (default: the latest entry's).
    #[serde(default)]
    pub esercizio: Option<i32>,
}

/// Where an anomaly of the journal went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoceAnomala {
    pub tipo: AnomaliaTesoreria,
    /// The bolletta's number.
    pub numero: u32,
    /// The flow (or, for `rfb`, the IUV) it concerns; empty for `estraneo`.
    pub riferimento: String,
}

/// The journal written.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Tesoreria {
    pub testo: String,
    /// Entries written (a storno counts as one).
    pub voci: usize,
    /// Sum of the entries' amounts (a storno subtracts what it reverses), in cents.
    pub totale_cents: i64,
    pub esercizio: Option<i32>,
    /// Entries of other years left out of an OPI document.
    pub escluse: usize,
    pub anomalie: Vec<VoceAnomala>,
}

/// One entry.
#[derive(Clone, Debug)]
struct Voce {
    numero: u32,
    data: String,
    ordinante: String,
    causale: String,
    importo_cents: i64,
    storno: bool,
}

fn euro(cents: i64) -> String {
    let segno = if cents < 0 { "-" } else { "" };
    format!("{segno}{}.{:02}", cents.abs() / 100, cents.abs() % 100)
}

/// Number of causale variants.
const VARIANTI: usize = 7;

/// The causale of a cumulative transfer for `iuf` in variant `v` (0 is the standard form).
pub fn causale(iuf: &str, v: usize, trn: &str) -> String {
    // A wrap inside the date (after `yyyy-MM-`) and after the IUF's dash.
    let (data, resto) = iuf.split_at(iuf.len().min(8));
    let (prima, dopo) = iuf.rsplit_once('-').unwrap_or((iuf, ""));
    match v % VARIANTI {
        1 => format!("/PUR/LGPE - RIVERSAMENTO/URI/{iuf}"),
        2 => format!("/PUR/LGPE-RIVERSAMENTO/TXT/1/URI/{iuf}"),
        3 => format!("/PUR/LGPE-RIVERSAMENTO/URI/{data} {resto}"),
        4 => format!("ACCREDITI VARI /PUR/LGPE-RIVERSAMENTO/URI/{prima}- {dopo} /BEN"),
        5 => format!("RI1/PUR/LGPE-RIVERSAMENTO/URI/{iuf} BONIFICO A VOSTRO FAVORE TRN {trn}"),
        6 => format!("PUR LGPE-RIVERSAMENTO URI {iuf}"),
        _ => format!("/PUR/LGPE-RIVERSAMENTO/URI/{iuf}"),
    }
}

/// The journal of an Ente's settlements so far.
pub fn giornale(state: &State, req: &RichiestaTesoreria) -> Result<Tesoreria, EmulatorError> {
    let (ente, ente_id) = state.ente(&req.ente).ok_or_else(|| {
        EmulatorError::Other(format!("Ente «{}» sconosciuto all'emulatore", req.ente))
    })?;
    let opi = match req.formato.trim().to_ascii_lowercase().as_str() {
        "csv" => false,
        "opi" => true,
        altro => {
            return Err(EmulatorError::Other(format!(
                "formato «{altro}» sconosciuto: csv oppure opi"
            )));
        }
    };
    if !opi && req.anomalie.contains(&AnomaliaTesoreria::Storno) {
        return Err(EmulatorError::Other(
            "lo storno di una bolletta esiste solo nel giornale OPI".into(),
        ));
    }
    rendicontazione::acquisisci(state, ente_id, state.now())?;
    let (flussi, primo_pagamento) = {
        let conn = state.lock_db();
        (
            db::flussi_spc_tutti(&conn, ente_id)?,
            db::primo_pagamento(&conn, ente_id)?,
        )
    };
    // The latest version of each flow (a re-published flow is one transfer).
    let mut ultimi: Vec<FlussoSpc> = Vec::new();
    for f in flussi {
        match ultimi.iter_mut().find(|u| u.iuf == f.iuf) {
            Some(u) if u.data_ora_flusso < f.data_ora_flusso => *u = f,
            Some(_) => {}
            None => ultimi.push(f),
        }
    }
    let mut rng = StdRng::seed_from_u64(req.seme);
    let mut ordine: Vec<usize> = (0..VARIANTI).collect();
    ordine.shuffle(&mut rng);
    let mut voci: Vec<Voce> = Vec::new();
    for (i, f) in ultimi.iter().enumerate() {
        let v = if i < VARIANTI {
            ordine[i]
        } else {
            rng.random_range(0..VARIANTI)
        };
        let trn = format!("{:011}", rng.random_range(0..100_000_000_000u64));
        voci.push(Voce {
            numero: 0,
            data: f.data_regolamento.clone(),
            ordinante: f.psp_nome.to_uppercase(),
            causale: causale(&f.iuf, v, &trn),
            importo_cents: f.importo_cents,
            storno: false,
        });
    }
    let mut anomalie = Vec::new();
    let riferimenti: Vec<String> = ultimi.iter().map(|f| f.iuf.clone()).collect();
    let mut chi: Vec<Option<usize>> = vec![None; voci.len()];
    for (i, c) in chi.iter_mut().enumerate() {
        *c = Some(i);
    }
    for a in &req.anomalie {
        match a {
            AnomaliaTesoreria::Corto if !voci.is_empty() => {
                let i = rng.random_range(0..voci.len());
                voci[i].importo_cents -= 50;
                anomalie.push((*a, i, riferimenti[i].clone()));
            }
            AnomaliaTesoreria::Rfb => {
                if let Some((iuv, importo, data)) = &primo_pagamento {
                    let importo = &rendicontazione::cents(importo);
                    voci.push(Voce {
                        numero: 0,
                        data: data.clone(),
                        ordinante: "ROSSI MARIO".into(),
                        causale: format!("/RFB/{iuv}/{}/TXT/PAGAMENTO AVVISO", euro(*importo)),
                        importo_cents: *importo,
                        storno: false,
                    });
                    chi.push(None);
                    anomalie.push((*a, voci.len() - 1, iuv.clone()));
                }
            }
            AnomaliaTesoreria::Estraneo => {
                let data = voci
                    .last()
                    .map(|v| v.data.clone())
                    .unwrap_or_else(|| state.now().date().format("%Y-%m-%d").to_string());
                voci.push(Voce {
                    numero: 0,
                    data,
                    ordinante: "VERDI SRL".into(),
                    causale: "BONIFICO FATTURA 12".into(),
                    importo_cents: 120_000,
                    storno: false,
                });
                chi.push(None);
                anomalie.push((*a, voci.len() - 1, String::new()));
            }
            AnomaliaTesoreria::Storno if !ultimi.is_empty() => {
                let i = rng.random_range(0..ultimi.len());
                let mut s = voci[i].clone();
                s.storno = true;
                s.data = voci.last().map(|v| v.data.clone()).unwrap_or(s.data);
                voci.push(s);
                chi.push(Some(i));
                anomalie.push((*a, voci.len() - 1, riferimenti[i].clone()));
            }
            _ => {}
        }
    }
    // Bolletta numbers in date order; a storno carries the number of the entry it reverses.
    let mut ordinati: Vec<usize> = (0..voci.len()).filter(|&i| !voci[i].storno).collect();
    ordinati.sort_by(|&a, &b| voci[a].data.cmp(&voci[b].data).then(a.cmp(&b)));
    for (n, &i) in ordinati.iter().enumerate() {
        voci[i].numero = 1001 + n as u32;
    }
    for i in 0..voci.len() {
        if voci[i].storno
            && let Some(Some(j)) = chi.get(i)
        {
            voci[i].numero = voci[*j].numero;
        }
    }
    let anomalie: Vec<VoceAnomala> = anomalie
        .into_iter()
        .map(|(tipo, i, riferimento)| VoceAnomala {
            tipo,
            numero: voci[i].numero,
            riferimento,
        })
        .collect();
    let anno = |v: &Voce| v.data.get(..4).and_then(|a| a.parse::<i32>().ok());
    let esercizio = req.esercizio.or_else(|| voci.iter().filter_map(anno).max());
    let (dentro, escluse): (Vec<&Voce>, Vec<&Voce>) = if opi {
        voci.iter().partition(|v| anno(v) == esercizio)
    } else {
        (voci.iter().collect(), Vec::new())
    };
    let totale_cents = dentro
        .iter()
        .map(|v| {
            if v.storno {
                -v.importo_cents
            } else {
                v.importo_cents
            }
        })
        .sum();
    let testo = if opi {
        opi_xml(&ente.ente, esercizio.unwrap_or(0), &dentro, state)
    } else {
        csv(&dentro)?
    };
    Ok(Tesoreria {
        testo,
        voci: dentro.len(),
        totale_cents,
        esercizio,
        escluse: escluse.len(),
        anomalie,
    })
}

fn csv(voci: &[&Voce]) -> Result<String, EmulatorError> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let e = |e: csv::Error| EmulatorError::Other(e.to_string());
    w.write_record([
        "anno",
        "numero",
        "data_contabile",
        "ordinante",
        "causale",
        "importo",
        "data_valuta",
    ])
    .map_err(e)?;
    for v in voci {
        w.write_record([
            v.data.get(..4).unwrap_or(""),
            &v.numero.to_string(),
            &v.data,
            &v.ordinante,
            &v.causale,
            &euro(v.importo_cents),
            &v.data,
        ])
        .map_err(e)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| EmulatorError::Other(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| EmulatorError::Other(e.to_string()))
}

fn opi_xml(ente: &mpd_domain::Ente, esercizio: i32, voci: &[&Voce], state: &State) -> String {
    let ora = state.now();
    let id_flusso = format!("GDC{}{}", esc(&ente.codice_ipa), ora.format("%Y%m%d%H%M%S"));
    let data_rif = voci
        .iter()
        .map(|v| v.data.as_str())
        .max()
        .unwrap_or("")
        .to_string();
    let mut movimenti = String::new();
    for v in voci {
        let operazione = if v.storno { "STORNATO" } else { "ESEGUITO" };
        movimenti.push_str(&format!(
            "<movimento_conto_evidenza>\
<tipo_movimento>ENTRATA</tipo_movimento><tipo_documento>SOSPESO ENTRATA</tipo_documento>\
<tipo_operazione>{operazione}</tipo_operazione><numero_documento>{n}</numero_documento>\
<progressivo_documento>1</progressivo_documento><importo>{importo}</importo>\
<numero_bolletta_quietanza>{n}</numero_bolletta_quietanza><data_movimento>{data}</data_movimento>\
<data_valuta_ente>{data}</data_valuta_ente><cliente><anagrafica_cliente>{cliente}</anagrafica_cliente></cliente>\
<causale>{causale}</causale>\
<sospeso_da_regolarizzare><data_effettiva_sospeso>{data}</data_effettiva_sospeso>\
<codice_gestionale_provvisorio>1100</codice_gestionale_provvisorio></sospeso_da_regolarizzare>\
</movimento_conto_evidenza>\n",
            n = v.numero,
            importo = euro(v.importo_cents),
            data = esc(&v.data),
            cliente = esc(&v.ordinante),
            causale = esc(&v.causale),
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<flusso_giornale_di_cassa xmlns=\"http://tesoreria.bancaditalia.it/\">\n\
<testata_messaggio><codice_ABI_BT>03069</codice_ABI_BT><identificativo_flusso_BT>{id_flusso}</identificativo_flusso_BT>\
<data_ora_creazione_flusso>{ora}</data_ora_creazione_flusso><codice_ente>{cf}</codice_ente>\
<descrizione_ente>{den}</descrizione_ente><codice_ente_BT>{ipa}</codice_ente_BT></testata_messaggio>\n\
<identificativo_flusso_BT>{id_flusso}</identificativo_flusso_BT><pagina>1</pagina><pagine_totali>1</pagine_totali>\
<esercizio>{esercizio}</esercizio><data_riferimento_GdC>{data_rif}</data_riferimento_GdC>\n\
<informazioni_conto_evidenza><conto_evidenza>1</conto_evidenza>\
<descrizione_conto_evidenza>CONTO DI TESORERIA</descrizione_conto_evidenza>\n{movimenti}</informazioni_conto_evidenza>\n\
</flusso_giornale_di_cassa>\n",
        ora = ora.format("%Y-%m-%dT%H:%M:%S"),
        cf = esc(&ente.codice_fiscale),
        den = esc(&ente.denominazione),
        ipa = esc(&ente.codice_ipa),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_keeps_the_iuf_recoverable() {
        let iuf = "2024-05-14BCITITMM-1";
        let tutte: Vec<String> = (0..VARIANTI)
            .map(|v| causale(iuf, v, "00000000001"))
            .collect();
        assert_eq!(tutte[0], "/PUR/LGPE-RIVERSAMENTO/URI/2024-05-14BCITITMM-1");
        assert_eq!(
            tutte[1],
            "/PUR/LGPE - RIVERSAMENTO/URI/2024-05-14BCITITMM-1"
        );
        assert_eq!(
            tutte[2],
            "/PUR/LGPE-RIVERSAMENTO/TXT/1/URI/2024-05-14BCITITMM-1"
        );
        assert_eq!(tutte[3], "/PUR/LGPE-RIVERSAMENTO/URI/2024-05- 14BCITITMM-1");
        assert_eq!(
            tutte[4],
            "ACCREDITI VARI /PUR/LGPE-RIVERSAMENTO/URI/2024-05-14BCITITMM- 1 /BEN"
        );
        assert!(
            tutte[5].starts_with("RI1/PUR/LGPE-RIVERSAMENTO/URI/2024-05-14BCITITMM-1 BONIFICO")
        );
        assert_eq!(tutte[6], "PUR LGPE-RIVERSAMENTO URI 2024-05-14BCITITMM-1");
        // Whatever the spacing, the IUF's characters are all there, in order.
        for c in &tutte {
            let compatto: String = c.chars().filter(|c| !c.is_whitespace()).collect();
            assert!(compatto.contains("2024-05-14BCITITMM-1"), "{c}");
        }
    }

    #[test]
    fn amounts_are_written_with_a_dot() {
        assert_eq!(euro(22350), "223.50");
        assert_eq!(euro(5), "0.05");
        assert_eq!(euro(-50), "-0.50");
    }
}
