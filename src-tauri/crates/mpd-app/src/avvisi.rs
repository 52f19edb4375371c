//! The pagoPA payment notice of one position (issue 14 items 4 and 5): the options still
//! payable, each with the notice number of its IUV, drawn by `mpd-avviso`. The Ente's notice
//! data (office, contacts, CBILL, its own desk, logo, the payment type's postal account) come
//! from the profile, read in one place ([`ente_stampa`], through `ente`). A campaign's batch
//! (every household's notice, the merged print files, the manifest) is [`lotto`]; the first
//! page as SVG for the window, [`anteprima`].

mod anteprima;
mod ente;
pub mod lotto;

use std::path::Path;

pub use anteprima::anteprima;
use mpd_avviso::{Avviso, Destinatario, EnteAvviso, Opzioni, Pagamento};
use mpd_core::Desk;
use mpd_core::posizioni::PosizioneVista;
use mpd_domain::Column;
use mpd_domain::posizione::StatoPosizione;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::App;
use crate::errore::{Codice, Errore, Risultato};

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

/// The Ente's part of every notice, the code that turns its IUVs into notice numbers, and the
/// profile's data the payment type's postal account is read from. Built once per notice or
/// campaign (the logo is read from the data folder once).
pub(crate) struct EnteStampa {
    pub ente: EnteAvviso,
    /// The Ente's application (segregation) code, for notice numbers of 15-digit IUVs.
    pub segregazione: String,
    /// The profile's extra data (the `[avviso]` section, the payment types' accounts).
    extra: serde_json::Value,
}

/// The Ente's data for the notices, from the profile.
pub(crate) fn ente_stampa(desk: &Desk) -> Risultato<EnteStampa> {
    let vista = desk.ente_view()?.ok_or_else(|| {
        Errore::new(
            Codice::EnteMancante,
            "nessun Ente configurato: prima i dati dell'Ente",
        )
    })?;
    let ente = ente::ente_avviso(desk, &vista)?;
    Ok(EnteStampa {
        ente,
        segregazione: vista.ente.codice_segregazione.clone(),
        extra: vista.extra,
    })
}

/// Why a position gets no notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MotivoEsclusione {
    /// Paid (or paid both ways).
    GiaPagata,
    /// Cancelled.
    Annullata,
    /// An option to pay has no IUV yet: MyPay has not loaded it.
    SenzaIuv,
    /// The notice cannot be drawn from the data: a missing name or address, an IUV that
    /// cannot be printed, a value over the standard's limits.
    DatiMancanti,
}

impl MotivoEsclusione {
    /// The reason in words, for a group of skipped positions.
    pub fn descrizione(self) -> &'static str {
        match self {
            MotivoEsclusione::GiaPagata => "già pagate",
            MotivoEsclusione::Annullata => "annullate",
            MotivoEsclusione::SenzaIuv => "senza IUV: MyPay non li ha ancora assegnati",
            MotivoEsclusione::DatiMancanti => "dati mancanti o non validi",
        }
    }
}

/// A position that gets no notice, and why in the clerk's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NonStampabile {
    pub motivo: MotivoEsclusione,
    pub messaggio: String,
}

/// Where a notice is mailed and the rest of the payer's contacts (for the manifest).
#[derive(Debug, Clone, Default)]
pub(crate) struct Recapito {
    pub via: String,
    pub cap: String,
    pub localita: String,
    pub provincia: String,
    pub email: String,
}

/// A position's notice, ready to draw, with what the batch needs besides.
#[derive(Debug, Clone)]
pub(crate) struct AvvisoPosizione {
    pub posizione: String,
    pub avviso: Avviso,
    pub recapito: Recapito,
    /// The label of each payment of [`Avviso::pagamenti`], in order ("rata unica", "rata 2"),
    /// and its number (0 the rata unica).
    pub etichette: Vec<(u8, String)>,
}

/// The notice of `posizione`: its options still to pay, each with the notice number of its
/// IUV, the payer of its first one. `Ok(Err(_))`: the position gets no notice, and why.
pub(crate) fn avviso_posizione(
    desk: &Desk,
    ente: &EnteStampa,
    posizione: &PosizioneVista,
) -> Risultato<Result<AvvisoPosizione, NonStampabile>> {
    let no = |motivo, messaggio| Ok(Err(NonStampabile { motivo, messaggio }));
    match posizione.stato {
        StatoPosizione::Pagata | StatoPosizione::PagamentoDoppio { .. } => {
            return no(
                MotivoEsclusione::GiaPagata,
                format!(
                    "la posizione {} è già pagata: non c'è un avviso da stampare",
                    posizione.codice
                ),
            );
        }
        StatoPosizione::Annullata => {
            return no(
                MotivoEsclusione::Annullata,
                format!(
                    "la posizione {} è annullata: non c'è un avviso da stampare",
                    posizione.codice
                ),
            );
        }
        _ => {}
    }
    let mut rata_unica = None;
    let mut rate = Vec::new();
    let mut etichette = Vec::new();
    let mut primo_iud = None;
    for o in posizione.opzioni.iter().filter(|o| {
        !matches!(
            o.stato,
            mpd_core::DovutoStato::Paid | mpd_core::DovutoStato::Cancelled
        )
    }) {
        if o.iuv.is_empty() {
            return no(
                MotivoEsclusione::SenzaIuv,
                format!(
                    "la {} della posizione {} non ha ancora l'IUV: invii il flusso a MyPay, attenda l'esito e stampi poi l'avviso",
                    o.etichetta, posizione.codice
                ),
            );
        }
        let scadenza = mpd_domain::dates::parse_date_strict(&o.scadenza).ok();
        let Some(pagamento) = Pagamento::da_iuv(
            &o.iuv,
            &ente.segregazione,
            o.importo_cents.max(0) as u64,
            scadenza,
        ) else {
            return no(
                MotivoEsclusione::DatiMancanti,
                format!(
                    "l'IUV {} della {} non si può stampare su un avviso pagoPA",
                    o.iuv, o.etichetta
                ),
            );
        };
        primo_iud.get_or_insert(o.iud.clone());
        if o.rata.is_unica() {
            rata_unica = Some(pagamento);
            etichette.insert(0, (o.rata.numero(), o.etichetta.clone()));
        } else {
            rate.push(pagamento);
            etichette.push((o.rata.numero(), o.etichetta.clone()));
        }
    }
    let Some(iud) = primo_iud else {
        return no(
            MotivoEsclusione::GiaPagata,
            format!("la posizione {} non ha opzioni da pagare", posizione.codice),
        );
    };
    let d = desk
        .dovuto(&iud)?
        .ok_or_else(|| Errore::new(Codice::DovutoInesistente, format!("dovuto {iud}")))?;
    let r = &d.row;
    let recapito = Recapito {
        via: [
            r.get(Column::IndirizzoPagatore),
            r.get(Column::CivicoPagatore),
        ]
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" "),
        cap: r.get(Column::CapPagatore).trim().to_string(),
        localita: r.get(Column::LocalitaPagatore).trim().to_string(),
        provincia: r.get(Column::ProvinciaPagatore).trim().to_string(),
        email: r.get(Column::EmailPagatore).trim().to_string(),
    };
    let citta = [
        recapito.cap.clone(),
        recapito.localita.clone(),
        if recapito.provincia.is_empty() {
            String::new()
        } else {
            format!("({})", recapito.provincia)
        },
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(" ");
    let codice_pagatore = r.get(Column::CodiceIdentificativoUnivoco).trim();
    let avviso = Avviso {
        ente: ente.ente.clone(),
        destinatario: Destinatario {
            codice_fiscale: (!codice_pagatore.is_empty()
                && !codice_pagatore.eq_ignore_ascii_case("ANONIMO"))
            .then(|| codice_pagatore.to_uppercase()),
            nome: r.get(Column::AnagraficaPagatore).trim().to_string(),
            indirizzo: [recapito.via.clone(), citta]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect(),
        },
        oggetto: posizione.oggetto.clone(),
        rata_unica,
        rate,
        poste: ente::conto(&ente.extra, r.get(Column::TipoDovuto)),
        lingua: Default::default(),
    };
    Ok(Ok(AvvisoPosizione {
        posizione: posizione.codice.clone(),
        avviso,
        recapito,
        etichette,
    }))
}

/// The notice of the position `chiave` (its code, or the IUD of one of its debts; a debt on its
/// own is a position of one) and today's date: what printing and the preview draw.
fn avviso_di(app: &App, chiave: &str) -> Risultato<(Avviso, chrono::NaiveDate)> {
    app.con_desk(|desk| {
        let ente = ente_stampa(desk)?;
        let posizione: PosizioneVista = desk.posizione_o_dovuto(chiave)?.ok_or_else(|| {
            Errore::new(
                Codice::DovutoInesistente,
                format!("nessuna posizione «{chiave}», né un dovuto con questo IUD"),
            )
        })?;
        let avviso = avviso_posizione(desk, &ente, &posizione)?
            .map_err(|n| non_stampabile(n.messaggio))?
            .avviso;
        Ok((avviso, desk.today()))
    })
}

/// A notice that could not be drawn or written, in the clerk's words: data the standard
/// refuses and an unreadable logo are the profile's or the debt's to fix (the logo is not a
/// file the clerk could close); anything else is the file being written.
pub(crate) fn errore_avviso(percorso: &Path, e: mpd_avviso::Errore) -> Errore {
    match e {
        mpd_avviso::Errore::Dati(_) => Errore::non_valido(e.to_string()),
        mpd_avviso::Errore::Logo(perche) => Errore::non_valido(format!(
            "{perche}: scelga di nuovo il logo in «Ente e adesione» (PNG o JPEG fino a 1 MB), \
             oppure lo tolga, e ristampi l'avviso"
        )),
        other => Errore::scrittura_documento(percorso, &other),
    }
}

/// Writes the notice of the position `codice_o_iud` (its code, or the IUD of one of its debts;
/// a debt on its own is a position of one) to `percorso` as PDF.
pub fn stampa_posizione(
    app: &App,
    codice_o_iud: &str,
    percorso: &Path,
) -> Risultato<AvvisoStampato> {
    let (avviso, oggi) = avviso_di(app, codice_o_iud.trim())?;
    let errore = |e| errore_avviso(percorso, e);
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
    lotto::tipi_ts(cfg)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::ente::prova::{app, carica, posizione};
    use super::*;

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
