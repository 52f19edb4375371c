//! Issue 14 item 6 in the real window: the Avvisi screen. Three TARI 2030 households loaded at
//! MyPay (their IUVs set in the store, as MyPay's outcome would) and one still waiting for
//! them; the screen shows three notices and the one skipped with its reason, generates into a
//! temporary folder with its progress bar, and ends with the folder's button. At 1024×700,
//! axe on each screenshot.

use anyhow::{Context, Result, ensure};
use mpd_store::RigaEsito;

use super::{ENTE, Run, T_REMOTE, T_UI, Variant, nav, shots_for};
use crate::app::{Setup, Workspace};
use crate::wd::{tid, wait_for};

fn posizione(ws: &Workspace, codice: &str, cf: &str, nome: &str, cap: &str) -> Result<()> {
    ws.cli(&[
        "debts",
        "add-position",
        "--codice",
        codice,
        "--cf",
        cf,
        "--nome",
        nome,
        "--tipo",
        "TARI",
        "--causale",
        "TARI 2030",
        "--indirizzo",
        "Via Roma",
        "--civico",
        "1",
        "--cap",
        cap,
        "--localita",
        "Milano",
        "--provincia",
        "MI",
        "--unica",
        "240,00@30/04/2030",
        "--rata",
        "80,00@30/04/2030",
        "--rata",
        "80,00@31/07/2030",
        "--rata",
        "80,00@31/10/2030",
    ])?;
    Ok(())
}

pub fn avvisi_campagna(setup: &Setup, v: &Variant) -> Result<()> {
    let ws = Workspace::new(setup)?;
    // The notice's QR code carries the Ente's fiscal code: it must pass its check digit.
    let profile = ws.path("ente.toml");
    std::fs::write(&profile, ENTE.replace("00123456789", "02342520158"))?;
    ws.cli(&["ente", "set", profile.to_str().context("path")?])?;
    posizione(&ws, "T-1", "RSSMRA80A01H501U", "Rossi Mario", "20100")?;
    posizione(&ws, "T-2", "VRDLGU75B02F205A", "Verdi Luigi", "10100")?;
    posizione(&ws, "T-3", "BNCGNN70A41F205Y", "Bianchi Giovanna", "30100")?;
    {
        // MyPay loads the flow: each debt gets its IUV.
        let mut desk = mpd_core::Desk::open(Some(&ws.db()), &mpd_core::testing::chiave())?;
        let r = desk.build_flows(mpd_domain::Version::V1_4, Some(&ws.path("flussi")))?;
        for f in r.flussi {
            let esiti: Vec<RigaEsito> = desk
                .store()
                .righe_flusso(f.id)?
                .into_iter()
                .enumerate()
                .map(|(i, r)| RigaEsito::Caricato {
                    iud: r.iud,
                    iuv: mpd_domain::iuv::generate_iuv17("12", "00", 300 + i as u64).ok(),
                })
                .collect();
            let now = desk.now();
            desk.store_mut().apply_esiti(f.id, &esiti, now)?;
        }
    }
    posizione(&ws, "T-4", "NREPLA85C43F205Y", "Neri Paola", "40100")?;
    let out = ws.path("avvisi");

    let (_driver, session) = v.open(setup, &ws, &[])?;
    let mut r = Run {
        s: &session,
        shots: shots_for(setup, v.name)?,
        scenario: v.name,
    };
    r.step(
        "Avvisi: la campagna TARI 2030 e la posizione senza IUV",
        |r| {
            r.s.set_window_size(1024, 700)?;
            nav(r.s, "avvisi")?;
            let tipo = r.s.wait(&tid("avvisi-tipo"), T_UI)?;
            r.s.select_value(&tipo, "TARI")?;
            let anno = r.s.wait(&tid("avvisi-anno"), T_UI)?;
            r.s.fill(&anno, "2030")?;
            wait_for("the plan of TARI 2030", T_UI, || {
                let e =
                    r.s.find(&format!("{}[data-pronto=\"si\"]", tid("avvisi-piano")))?;
                let Some(e) = e else { return Ok(None) };
                let t = r.s.text(&e)?;
                Ok(
                    t.contains("3 avvisi da stampare, con 12 codici di pagamento")
                        .then_some(()),
                )
            })?;
            let esclusi = r.s.wait(&tid("avvisi-esclusi-senza_iuv"), T_UI)?;
            let t = r.s.text(&esclusi)?;
            ensure!(
                t.contains("1 posizione in attesa dello IUV da MyPay"),
                "{t}"
            );
            r.s.click(&r.s.wait(
                &format!("{} summary", tid("avvisi-esclusi-senza_iuv")),
                T_UI,
            )?)?;
            wait_for("the skipped position listed", T_UI, || {
                Ok(r.s
                    .text(&esclusi)?
                    .contains("Neri Paola (T-4)")
                    .then_some(()))
            })?;
            // The first notice in print order, as an image the clerk can look at.
            let img = r.s.wait(&tid("avvisi-anteprima-immagine"), T_REMOTE)?;
            wait_for("the preview drawn", T_UI, || {
                let w = r.s.property(&img, "naturalWidth")?;
                Ok((w.parse::<f64>().unwrap_or(0.0) > 100.0).then_some(()))
            })?;
            r.s.script(
                "arguments[0].scrollIntoView({block: 'start'})",
                vec![img.json()],
            )?;
            r.shot("avvisi-anteprima-1024")?;
            Ok(())
        },
    )?;
    r.step(
        "Avvisi: generati nella cartella, con la barra e il pulsante per aprirla",
        |r| {
            let cartella = r.s.wait(&tid("avvisi-cartella"), T_UI)?;
            r.s.fill(&cartella, out.to_str().context("path")?)?;
            r.s.click_testid("avvisi-genera", T_UI)?;
            let esito = r.s.wait_visible(&tid("avvisi-esito"), T_REMOTE)?;
            // The outcome is drawn at once (no fade); its text may still take a moment.
            wait_for("the outcome's text", T_UI, || {
                Ok(r.s.text(&esito)?.contains("3 avvisi salvati").then_some(()))
            })?;
            r.s.wait_visible(&tid("avvisi-apri-cartella"), T_UI)?;
            r.shot("avvisi-esito-1024")?;
            let mut file: Vec<String> = std::fs::read_dir(&out)?
                .map(|e| Ok(e?.file_name().to_string_lossy().into_owned()))
                .collect::<Result<_>>()?;
            file.sort();
            ensure!(
                file.len() == 6,
                "3 notices, 1 print file, 2 manifests: {file:?}"
            );
            for f in [
                "manifesto_TARI_2030.csv",
                "manifesto_TARI_2030.xlsx",
                "stampa_TARI_2030_001.pdf",
            ] {
                ensure!(file.iter().any(|x| x == f), "{f} missing: {file:?}");
            }
            ensure!(
                file.iter().any(|x| x.starts_with("VRDLGU75B02F205A_")),
                "{file:?}"
            );
            Ok(())
        },
    )?;
    session.close()?;
    Ok(())
}
