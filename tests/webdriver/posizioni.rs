//! Issue 14 in the real window: a TARI position (rata unica and three instalments) created from
//! the command line; opening one of its debts in Dovuti shows the whole position in the debt's
//! form, with its state, every option and the button that prints its notice. And a position
//! created in the window («Nuova posizione…» with its «Rate» part), seen grouped in Dovuti and
//! expanded to its options, its instalments opened for a change.

use anyhow::{Context, Result, ensure};

use super::{ENTE, Run, T_UI, Variant, nav, shots_for};
use crate::app::{Setup, Workspace};
use crate::wd::{tid, wait_for};

pub fn posizione_nel_dovuto(setup: &Setup, v: &Variant) -> Result<()> {
    let ws = Workspace::new(setup)?;
    let profile = ws.path("ente.toml");
    std::fs::write(&profile, ENTE)?;
    ws.cli(&["ente", "set", profile.to_str().context("path")?])?;
    ws.cli(&[
        "debts",
        "add-position",
        "--codice",
        "TARI-2027-0001",
        "--cf",
        "RSSMRA80A01H501U",
        "--nome",
        "Rossi Mario",
        "--tipo",
        "TARI",
        "--causale",
        "TARI 2027",
        "--unica",
        "240,00@30/04/2030",
        "--rata",
        "80,00@30/04/2030",
        "--rata",
        "80,00@31/07/2030",
        "--rata",
        "80,00@31/10/2030",
    ])?;
    let (_driver, session) = v.open(setup, &ws, &[])?;
    let mut r = Run {
        s: &session,
        shots: shots_for(setup, v.name)?,
        scenario: v.name,
    };
    r.step("Dovuti: le quattro opzioni della posizione", |r| {
        // One row stands for the position; expanded, its four options.
        nav(r.s, "dovuti")?;
        let riga = r.s.wait(
            &format!(
                "{}[data-posizione=\"TARI-2027-0001\"]",
                tid("posizione-riga")
            ),
            T_UI,
        )?;
        r.s.click(&riga)?;
        r.s.wait_count(&tid("dovuto-riga"), 4, T_UI)?;
        Ok(())
    })?;
    r.step(
        "Dovuti: il modulo di una rata mostra la sua posizione",
        |r| {
            let riga =
                r.s.wait(&format!("{}[data-iud$=\"R02\"]", tid("dovuto-riga")), T_UI)?;
            r.s.click(&riga)?;
            let sezione = r.s.wait_visible(&tid("dovuto-posizione"), T_UI)?;
            let stato = r.s.wait(&tid("posizione-stato"), T_UI)?;
            ensure!(
                r.s.text(&stato)? == "da pagare",
                "state {:?}",
                r.s.text(&stato)?
            );
            let testo = r.s.text(&sezione)?;
            ensure!(
                testo.contains("Posizione TARI-2027-0001") && testo.contains("TARI 2027"),
                "{testo}"
            );
            let righe = wait_for("the four options", T_UI, || {
                let v = r.s.within(&sezione, "tbody tr")?;
                Ok((v.len() == 4).then_some(v))
            })?;
            let corrente: Vec<String> = righe
                .iter()
                .filter(|e| r.s.attr(e, "aria-current").ok().flatten().as_deref() == Some("true"))
                .map(|e| r.s.text(e).unwrap_or_default())
                .collect();
            ensure!(
                corrente.len() == 1 && corrente[0].starts_with("rata 2"),
                "the debt opened is marked: {corrente:?}"
            );
            r.s.wait_visible(&tid("dovuto-posizione-avviso"), T_UI)?;
            r.shot("dovuto-posizione")?;
            Ok(())
        },
    )?;
    session.close()?;
    Ok(())
}

/// A position created in the window: payer, subject, rata unica and three instalments typed in
/// «Nuova posizione…» (the live sum checked against the rata unica), then seen in Dovuti as one
/// row with its state and amount, expanded to its four options; one of them opened, its
/// position's instalments opened for a change.
pub fn posizione_dalla_finestra(setup: &Setup, v: &Variant) -> Result<()> {
    let ws = Workspace::new(setup)?;
    let profile = ws.path("ente.toml");
    std::fs::write(&profile, ENTE)?;
    ws.cli(&["ente", "set", profile.to_str().context("path")?])?;
    let (_driver, session) = v.open(setup, &ws, &[])?;
    let mut r = Run {
        s: &session,
        shots: shots_for(setup, v.name)?,
        scenario: v.name,
    };
    r.step(
        "Dovuti: «Nuova posizione…» con rata unica e tre rate",
        |r| {
            nav(r.s, "dovuti")?;
            r.s.click_testid("dovuti-nuova-posizione", T_UI)?;
            r.s.wait_visible(&tid("nuova-posizione"), T_UI)?;
            let campo = |css: &str, testo: &str| -> Result<()> {
                let e = r.s.wait(css, T_UI)?;
                r.s.fill(&e, testo)
            };
            campo("#np-codice_pagatore", "RSSMRA80A01H501U")?;
            campo("#np-anagrafica", "Rossi Mario")?;
            let tipo = r.s.wait("#np-tipo", T_UI)?;
            r.s.select_value(&tipo, "TARI")?;
            campo("#np-causale", "TARI 2030")?;
            campo("#np-indirizzo", "Via Roma")?;
            campo("#np-civico", "12")?;
            campo("#np-cap", "30100")?;
            campo("#np-provincia", "VE")?;
            campo("#np-localita", "Venezia")?;
            campo("#np-codice", "TARI-2030-0100")?;
            campo(&tid("rate-unica-importo"), "240,00")?;
            campo(&tid("rate-unica-scadenza"), "30/04/2030")?;
            r.s.click_testid("rate-aggiungi", T_UI)?;
            let importi = r.s.wait_count(&tid("rate-rata-importo"), 3, T_UI)?;
            let scadenze = r.s.wait_count(&tid("rate-rata-scadenza"), 3, T_UI)?;
            for (i, d) in ["30/04/2030", "31/07/2030", "31/10/2030"]
                .iter()
                .enumerate()
            {
                r.s.fill(&importi[i], if i == 1 { "90,00" } else { "80,00" })?;
                r.s.fill(&scadenze[i], d)?;
            }
            // 250 € against 240 €: said live, at the rata unica.
            let somma = r.s.wait(&tid("rate-somma"), T_UI)?;
            wait_for("the sum against the rata unica", T_UI, || {
                let t = r.s.text(&somma)?;
                Ok(t.contains("10,00 € più della rata unica").then_some(()))
            })?;
            r.shot("nuova-posizione-somma-diversa")?;
            r.s.fill(&importi[1], "80,00")?;
            wait_for("the sum equal to the rata unica", T_UI, || {
                let t = r.s.text(&somma)?;
                Ok((t == "3 rate, in tutto 240,00 €: uguale alla rata unica.").then_some(()))
            })?;
            ensure!(
                r.s.within(&r.s.wait(&tid("nuova-posizione"), T_UI)?, ".is-invalid")?
                    .is_empty(),
                "no field in error"
            );
            r.shot("nuova-posizione")?;
            r.s.click_testid("nuova-posizione-crea", T_UI)?;
            let esito = r.s.wait_visible(&tid("dovuti-esito"), T_UI)?;
            let t = r.s.text(&esito)?;
            ensure!(
                t.contains("Posizione TARI-2030-0100 creata: 4 dovuti"),
                "{t}"
            );
            Ok(())
        },
    )?;
    r.step(
        "Dovuti: la posizione in una riga, poi le sue opzioni",
        |r| {
            let riga = r.s.wait(
                &format!(
                    "{}[data-posizione=\"TARI-2030-0100\"]",
                    tid("posizione-riga")
                ),
                T_UI,
            )?;
            let t = r.s.text(&riga)?;
            ensure!(
                t.contains("da pagare") && t.contains("240,00 €") && t.contains("4 opzioni"),
                "{t}"
            );
            ensure!(
                r.s.all(&tid("dovuto-riga"))?.is_empty(),
                "the options stay hidden until the position is expanded"
            );
            r.shot("dovuti-posizione-raggruppata")?;
            r.s.click(&riga)?;
            let righe = r.s.wait_count(&tid("dovuto-riga"), 4, T_UI)?;
            let opzioni: Vec<String> =
                r.s.all(&tid("posizione-opzione"))?
                    .iter()
                    .map(|e| r.s.text(e).unwrap_or_default())
                    .collect();
            ensure!(
                opzioni == ["Rata unica", "Rata 1", "Rata 2", "Rata 3"],
                "{opzioni:?}"
            );
            r.shot("dovuti-posizione-espansa")?;
            // The third row is instalment 2: its form shows the position, its instalments change.
            r.s.click(&righe[2])?;
            r.s.wait_visible(&tid("dovuto-posizione"), T_UI)?;
            r.s.click_testid("dovuto-posizione-modifica-rate", T_UI)?;
            let editor = r.s.wait_visible(&tid("dovuto-posizione-rate"), T_UI)?;
            let importi = r.s.within(&editor, &tid("rate-rata-importo"))?;
            ensure!(importi.len() == 3, "{} instalments", importi.len());
            ensure!(
                r.s.property(&importi[1], "value")? == "80,00",
                "instalment 2 as stored"
            );
            r.shot("dovuto-posizione-modifica-rate")?;
            // A fourth instalment and the rata unica raised to match: saved together.
            let unica = r.s.within(&editor, &tid("rate-unica-importo"))?;
            r.s.fill(unica.first().context("rata unica")?, "320,00")?;
            r.s.click_testid("rate-aggiungi", T_UI)?;
            let importi = r.s.wait_count(&tid("rate-rata-importo"), 4, T_UI)?;
            let scadenze = r.s.wait_count(&tid("rate-rata-scadenza"), 4, T_UI)?;
            r.s.fill(&importi[3], "80,00")?;
            r.s.fill(&scadenze[3], "31/01/2031")?;
            r.s.click_testid("dovuto-posizione-salva-rate", T_UI)?;
            let esito = r.s.wait_visible(&tid("dovuto-posizione-esito"), T_UI)?;
            let t = r.s.text(&esito)?;
            ensure!(
                t.contains("Rate della posizione TARI-2030-0100 salvate"),
                "{t}"
            );
            let sezione = r.s.wait(&tid("dovuto-posizione"), T_UI)?;
            let righe = wait_for("the five options", T_UI, || {
                let v = r.s.within(&sezione, "tbody tr")?;
                Ok((v.len() == 5).then_some(v))
            })?;
            let ultima = r.s.text(&righe[4])?;
            ensure!(
                ultima.contains("rata 4") && ultima.contains("31/01/2031"),
                "{ultima}"
            );
            r.shot("dovuto-posizione-rate-salvate")?;
            Ok(())
        },
    )?;
    session.close()?;
    Ok(())
}
