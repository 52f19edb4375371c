//! The Ente as a notice shows it, built in one place from the profile: its name and fiscal
//! code, the `[avviso]` fields (office, contacts, CBILL code, its own desk, the logo read from
//! the data folder) and the postal account of the notice's payment type (then every option gets
//! its Bollettino Postale PA with Poste's Data Matrix). The fields are checked when the profile
//! is saved (mpd-core `ente_file::avviso`); the notice checks them again against the standard.

use mpd_avviso::{ContoPostale, EnteAvviso};
use mpd_core::Desk;
use mpd_core::EnteView;
use mpd_core::ente_file::avviso;

use crate::errore::{Codice, Errore, Risultato};

/// The Ente of a notice (its logo read from the data folder, or from the archive's copy).
pub(crate) fn ente_avviso(desk: &Desk, vista: &EnteView) -> Risultato<EnteAvviso> {
    let dati = avviso::dati(&vista.extra);
    let logo = match dati.logo.as_deref() {
        None => None,
        Some(nome) => Some(desk.logo(nome)?.ok_or_else(|| {
            Errore::new(
                Codice::NonValido,
                format!(
                    "il logo dell'Ente «{nome}» non è più nella cartella dei dati: lo scelga di nuovo nei dati dell'Ente (sezione «Avviso di pagamento»)"
                ),
            )
        })?),
    };
    Ok(EnteAvviso {
        nome: vista.ente.denominazione.clone(),
        settore: dati.settore,
        info: dati.info,
        codice_fiscale: vista.ente.codice_fiscale.clone(),
        cbill: dati.cbill,
        canale_online: None,
        canale_fisico: dati.canale_fisico,
        logo,
    })
}

/// The postal account of payment type `tipo` in the profile's data `extra`, if it has one:
/// then every option of its notices gets the Bollettino Postale PA.
pub(crate) fn conto(extra: &serde_json::Value, tipo: &str) -> Option<ContoPostale> {
    avviso::conto(extra, tipo.trim()).map(|c| ContoPostale {
        numero: c.numero,
        intestatario: c.intestatario,
        autorizzazione: c.autorizzazione,
    })
}

/// What the tests of the notices share: an application on the demo Ente with one TARI
/// position (rata unica and 3 instalments) loaded at MyPay with its IUVs.
#[cfg(test)]
pub(crate) mod prova {
    use std::path::Path;

    use crate::App;
    use crate::posizioni::{ImportoScadenza, NuovaPosizione, crea};

    pub const CODICE: &str = "TARI-2027-0001";

    pub fn app(dir: &Path) -> App {
        let app = App::new(
            Some(dir.join("db.sqlite")),
            crate::ConnectOptions::default(),
            Box::leak(Box::<mpd_client::credentials::MemoryStore>::default()),
        )
        .con_frase_archivio(Some(mpd_store::testing::CHIAVE_DI_PROVA));
        crate::home::avvia_demo(&app).unwrap();
        app
    }

    /// The position, not yet sent.
    pub fn posizione(app: &App) {
        let p = NuovaPosizione {
            codice: Some(CODICE.into()),
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
    pub fn carica(app: &App, dir: &Path) {
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
}

#[cfg(test)]
mod tests {
    use super::prova::{CODICE, app, carica, posizione};
    use crate::adesione::{ente_logo, ente_modulo, ente_salva};
    use crate::errore::Codice;
    use std::process::Command;

    /// The Data Matrix symbols on page `pagina` of `pdf` (pdftoppm at 200 dpi, then dmtxread,
    /// as mpd-avviso's tests read them).
    fn datamatrix(pdf: &std::path::Path, pagina: usize, attesi: usize) -> Vec<String> {
        let base = pdf.with_file_name(format!("datamatrix-{pagina}"));
        let n = pagina.to_string();
        let ok = Command::new("pdftoppm")
            .args([
                "-png",
                "-gray",
                "-r",
                "200",
                "-singlefile",
                "-f",
                &n,
                "-l",
                &n,
            ])
            .arg(pdf)
            .arg(&base)
            .status()
            .expect("pdftoppm (poppler-utils, installed by .ci/setup)");
        assert!(ok.success());
        let out = Command::new("dmtxread")
            .args(["-n", "-s", "s", "-N", &attesi.to_string(), "-m", "20000"])
            .arg(base.with_extension("png"))
            .output()
            .expect("dmtxread (dmtx-utils, installed by .ci/setup)");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.starts_with("codfase="))
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn a_type_with_a_postal_account_gets_the_bollettino_with_its_data_matrix() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(dir.path());
        posizione(&app);
        carica(&app, dir.path());
        // Without an account: no bollettino.
        let (senza, _) = super::super::avviso_di(&app, CODICE).unwrap();
        assert!(senza.poste.is_none() && senza.ente.cbill.is_none());

        let mut m = ente_modulo(&app).unwrap();
        let tari = m.tipi.iter_mut().find(|t| t.codice == "TARI").unwrap();
        tari.conto_postale = "1234567".into();
        tari.intestatario_conto_postale = "Comune Dimostrativo".into();
        tari.autorizzazione_poste = "AUT. DB/SISB/E 123456 DEL 01/02/2026".into();
        m.avviso.cbill = "a0edt".into();
        m.avviso.settore = "Ufficio Tributi".into();
        let stemma = dir.path().join("stemma.png");
        std::fs::write(&stemma, mpd_core_png()).unwrap();
        m.avviso.logo = ente_logo(&app, &stemma).unwrap();
        let s = ente_salva(&app, m).unwrap();
        assert!(s.salvato, "{:?}", s.errori);

        let (a, _) = super::super::avviso_di(&app, CODICE).unwrap();
        let conto = a.poste.clone().expect("the TARI account on the notice");
        assert_eq!(conto.numero, "000001234567");
        assert_eq!(a.ente.cbill.as_deref(), Some("A0EDT"));
        assert_eq!(a.ente.settore, "Ufficio Tributi");
        assert!(a.ente.logo.is_some());

        let pdf = dir.path().join("avviso.pdf");
        let stampato = super::super::stampa_posizione(&app, CODICE, &pdf).unwrap();
        // The page with the rata unica's bollettino: its Data Matrix is Poste's 256 characters.
        let piano =
            mpd_avviso::pagine(&a, &mpd_avviso::Opzioni::new(chrono::NaiveDate::MIN)).unwrap();
        assert_eq!(piano.len(), stampato.pagine);
        let pagina = 1 + piano
            .iter()
            .position(|p| p.contains(&mpd_avviso::Blocco::BollettinoRataUnica))
            .expect("a bollettino for the rata unica");
        let letti = datamatrix(&pdf, pagina, 1);
        let atteso =
            mpd_avviso::codici::datamatrix_payload(&a, &conto, a.rata_unica.as_ref().unwrap());
        assert_eq!(letti, vec![atteso]);
        assert!(letti[0].contains("12000001234567"), "{}", letti[0]);
        assert!(stampato.pagine >= 2);

        // The logo's file gone from the data folder (an archive restored on another
        // computer: the archive travels, the data folder's files do not): printed from the
        // archive's copy, and the file written back.
        let logo = dir.path().join("logo-ente.png");
        // (The archive holding another logo under that name — the file replaced by hand, or
        // none, chosen before the archive kept it — takes the file's at the next notice.)
        app.con_desk(|d| Ok(d.set_setting(mpd_core::SETTING_LOGO, "logo-ente.png:dmVjY2hpbw==")?))
            .unwrap();
        super::super::stampa_posizione(&app, CODICE, &pdf).unwrap();
        std::fs::remove_file(&logo).unwrap();
        super::super::stampa_posizione(&app, CODICE, &pdf).unwrap();
        assert_eq!(std::fs::read(&logo).unwrap(), mpd_core_png());
        // Neither the file nor the archive's copy: the clerk is told what to do.
        std::fs::remove_file(&logo).unwrap();
        app.con_desk(|d| Ok(d.set_setting(mpd_core::SETTING_LOGO, "")?))
            .unwrap();
        let e = super::super::stampa_posizione(&app, CODICE, &pdf).unwrap_err();
        assert_eq!(e.codice, Codice::NonValido);
        assert!(
            e.messaggio.contains("lo scelga di nuovo"),
            "{}",
            e.messaggio
        );
        // A damaged logo is the profile's to fix, not a file the clerk could close.
        std::fs::write(dir.path().join("logo-ente.png"), b"\x89PNG rotto").unwrap();
        let e = super::super::stampa_posizione(&app, CODICE, &pdf).unwrap_err();
        assert_eq!(e.codice, Codice::NonValido);
        assert!(
            e.messaggio.contains("danneggiato") && e.messaggio.contains("scelga di nuovo il logo"),
            "{}",
            e.messaggio
        );
        assert!(
            !e.messaggio.contains("impossibile scrivere"),
            "{}",
            e.messaggio
        );
    }

    /// A 1 × 1 PNG.
    fn mpd_core_png() -> Vec<u8> {
        vec![
            137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1,
            8, 6, 0, 0, 0, 31, 21, 196, 137, 0, 0, 0, 13, 73, 68, 65, 84, 120, 218, 99, 100, 96,
            248, 95, 15, 0, 2, 135, 1, 128, 235, 71, 186, 146, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66,
            96, 130,
        ]
    }
}
