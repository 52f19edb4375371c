//! Issue 14 in the real window: a TARI position (rata unica and three instalments) created from
//! the command line; opening one of its debts in Dovuti shows the whole position in the debt's
//! form, with its state, every option and the button that prints its notice.

use anyhow::{Context, Result, ensure};

use super::{ENTE, Run, T_UI, Variant, shots_for, wait_dovuti};
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
        wait_dovuti(r.s, "the position's four debts", T_UI, |rows| {
            rows.len() == 4
        })?;
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
