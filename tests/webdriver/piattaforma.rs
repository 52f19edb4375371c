//! Issue 15, done when: switching the Ente's connection from *mypay* to *pu* in Impostazioni is
//! all a clerk has to do on the day the Ente moves. The emulator plays PU (`sim --platform pu`,
//! the client secret in its profile); the window runs with `MYPAY_DESK_CLIENT_SECRET` (as a
//! headless run would: the keyring is not there under Xvfb). In Impostazioni the clerk picks
//! «Piattaforma Unitaria», types the client id, saves and checks the connection; the CLI then
//! reads the same settings. At 1200×800 and 1024×700, nothing cut.

use anyhow::{Result, ensure};

use super::{ENTE, Run, SIZE_SMALL, T_REMOTE, T_UI, Variant, nav, resize, shots_for};
use crate::app::{Emulator, Setup, Workspace};
use crate::wd::{tid, wait_for};

const CLIENT_ID: &str = "c_e2eSIL_MyPayDesk";
const CLIENT_SECRET: &str = "Wd-Segreto-Client-Pu-8Hn3";

/// Scrolls to the credential's section (the client secret's, on PU).
fn al_segreto(r: &mut Run) -> Result<()> {
    let segreto =
        r.s.wait_visible(&tid("impostazioni-password-stato"), T_UI)?;
    r.s.script(
        "arguments[0].scrollIntoView({block: 'center'})",
        vec![segreto.json()],
    )?;
    Ok(())
}

pub fn passaggio_a_pu(setup: &Setup, v: &Variant) -> Result<()> {
    let ws = Workspace::new(setup)?;
    let profile = ws.path("ente.toml");
    std::fs::write(
        &profile,
        ENTE.replace(
            "pec = ",
            &format!("client_id = \"{CLIENT_ID}\"\nclient_secret = \"{CLIENT_SECRET}\"\npec = "),
        ),
    )?;
    let emu = Emulator::start_with(&ws, &profile, 0, &["--platform", "pu"])?;
    ws.ente_and_connection(&profile, &emu.url)?;
    let (_driver, session) = v.open(setup, &ws, &[("MYPAY_DESK_CLIENT_SECRET", CLIENT_SECRET)])?;
    let mut r = Run {
        s: &session,
        shots: shots_for(setup, v.name)?,
        scenario: v.name,
    };
    r.step(
        "Impostazioni: la Piattaforma Unitaria e il suo client",
        |r| {
            nav(r.s, "impostazioni")?;
            let scelta = r.s.wait_visible(&tid("impostazioni-piattaforma"), T_UI)?;
            ensure!(
                r.s.property(&scelta, "value")? == "mypay",
                "the stored platform is MyPay"
            );
            r.s.select_value(&scelta, "pu")?;
            let id = r.s.wait_visible(&tid("impostazioni-client-id"), T_UI)?;
            r.s.fill(&id, CLIENT_ID)?;
            r.shot("impostazioni-pu-1200")?;
            r.s.click_testid("impostazioni-salva", T_UI)?;
            let esito = r.s.wait_visible("#imp-collegamento-esito", T_UI)?;
            let testo = r.s.text(&esito)?;
            ensure!(
            testo == "Ambiente salvato: la prossima operazione con la Piattaforma Unitaria userà queste impostazioni.",
            "{testo}"
        );
            let v = ws.cli(&["--json", "connection", "show"])?;
            let v: serde_json::Value = serde_json::from_str(&v)?;
            ensure!(
                v["piattaforma"] == "pu" && v["client_id"] == CLIENT_ID,
                "the CLI reads what the window saved: {v}"
            );
            r.shot("impostazioni-pu-salvata-1200")?;
            Ok(())
        },
    )?;
    r.step("Impostazioni: verifica della connessione con PU", |r| {
        r.s.click_testid("impostazioni-verifica", T_UI)?;
        let testo = wait_for("the check to answer", T_REMOTE, || {
            let Some(e) = r.s.find("#imp-collegamento-esito")? else {
                return Ok(None);
            };
            let t = r.s.text(&e)?;
            Ok((!t.trim().is_empty() && !t.starts_with("Ambiente salvato")).then_some(t))
        })?;
        ensure!(
            testo.starts_with("Connessione pronta") && testo.contains("Piattaforma Unitaria"),
            "{testo}"
        );
        r.shot("impostazioni-pu-verificata-1200")?;
        al_segreto(r)?;
        r.shot("impostazioni-pu-segreto-1200")?;
        Ok(())
    })?;
    r.step("Impostazioni su PU a 1024×700", |r| {
        resize(r.s, SIZE_SMALL)?;
        r.s.script(crate::wd::IN_CIMA, vec![])?;
        super::niente_tagliato(r.s, "impostazioni a 1024×700")?;
        r.shot("impostazioni-pu-1024")?;
        al_segreto(r)?;
        r.shot("impostazioni-pu-segreto-1024")?;
        Ok(())
    })?;
    session.close()?;
    drop(emu);
    Ok(())
}
