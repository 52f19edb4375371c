//! Issue 16 item 6 in the real window: «Scarica i flussi da MyPay». Three debts are paid on the
//! MyPay emulator twelve days ago (`sim pay --data`, its /sim endpoint) and their receipts
//! synced. The emulator builds the FdR from those payments: settled one or two working days
//! later, acquired by MyPay the day after, so a download up to yesterday lists them all.
//! Without a password the button says where to set it and asks MyPay nothing; with it,
//! «Scegli i giorni» refuses an impossible date, the download since the last day stores the
//! flows, says the last complete day, and the totals show the three payments «Rendicontati, in attesa della tesoreria» (the treasury's
//! days set to their maximum: no journal here);
//! the same days chosen again add nothing. At 1200×800 and 1024×700: nothing cut, axe clean.

use anyhow::{Context, Result, ensure};
use chrono::{Duration, Local};

use super::riconciliazione::{euro_it, totale, tre_ricevute};
use super::{
    ENTE, PASSWORD, Run, SIZE_SMALL, T_REMOTE, T_START, T_UI, Variant, nav, niente_tagliato,
    resize, shots_for,
};
use crate::app::{Emulator, Setup, Workspace};
use crate::wd::{Session, tid, wait_for};

/// Waits until the screen's outcome contains `atteso`, and returns it.
fn esito(s: &Session, atteso: &str, timeout: std::time::Duration) -> Result<String> {
    let mut ultimo = String::new();
    let r = wait_for(&format!("an outcome with {atteso:?}"), timeout, || {
        ultimo = s.text(&s.testid("riconciliazione-esito", T_UI)?)?;
        Ok(ultimo.contains(atteso).then(|| ultimo.clone()))
    });
    r.with_context(|| format!("the outcome reads {ultimo:?}"))
}

/// Waits until the totals' row of `stato` reads `atteso` (spaces and line breaks aside).
fn attendi_totale(s: &Session, stato: &str, atteso: &str) -> Result<()> {
    let norma = |t: &str| t.replace([' ', '\n'], "");
    let mut ultimo = String::new();
    let r = wait_for(&format!("the totals of {stato}"), T_UI, || {
        ultimo = totale(s, stato)?;
        Ok((norma(&ultimo) == norma(atteso)).then_some(()))
    });
    r.with_context(|| format!("{stato}: {ultimo:?}, expected {atteso:?}"))
}

/// Types the days of «Scegli i giorni» (opening it if closed) and presses «Scarica questi
/// giorni».
fn scegli_giorni(s: &Session, dal: &str, al: &str) -> Result<()> {
    let aperto = s.script(
        "return document.querySelector('[data-testid=\"riconciliazione-giorni\"]').open",
        vec![],
    )?;
    if aperto.as_bool() != Some(true) {
        s.click(&s.wait(&format!("{} summary", tid("riconciliazione-giorni")), T_UI)?)?;
    }
    s.fill(&s.testid("riconciliazione-giorni-dal", T_UI)?, dal)?;
    s.fill(&s.testid("riconciliazione-giorni-al", T_UI)?, al)?;
    s.click_testid("riconciliazione-giorni-scarica", T_UI)
}

pub fn riconciliazione_scarica(setup: &Setup, v: &Variant) -> Result<()> {
    let ws = Workspace::new(setup)?;
    let profile = ws.path("ente.toml");
    std::fs::write(&profile, ENTE)?;
    let emu = Emulator::start(&ws, &profile)?;
    ws.ente_and_connection(&profile, &emu.url)?;
    let oggi = Local::now().date_naive();
    let pagati_il = oggi - Duration::days(12);
    let ricevute = tre_ricevute(&ws, &emu, &["--data", &pagati_il.to_string()])?;
    let somma = euro_it(ricevute.iter().map(|r| r.cents).sum());
    // Paid twelve days ago and no treasury journal here: without this, past the default ten
    // days they would be «Non ancora rendicontati», then «Non ancora incassati».
    ws.cli(&[
        "treasury",
        "rules",
        "--giorni-rendicontazione",
        "366",
        "--giorni-incasso",
        "366",
    ])?;
    let it = |d: chrono::NaiveDate| d.format("%d/%m/%Y").to_string();
    let ieri = it(oggi - Duration::days(1));

    // The window without the service's password (no keyring here): the button explains.
    let (driver, session) = v.open(setup, &ws, &[])?;
    let mut r = Run {
        s: &session,
        shots: shots_for(setup, v.name)?,
        scenario: v.name,
    };
    r.step("Scarica senza password: dove impostarla", |r| {
        r.s.testid("nav-home", T_START)?;
        nav(r.s, "riconciliazione")?;
        attendi_totale(
            r.s,
            "pagato",
            &format!("Pagati, in attesa del flusso | 3 | {somma}"),
        )?;
        r.s.click_testid("riconciliazione-scarica-pulsante", T_UI)?;
        esito(r.s, "serve la password del servizio", T_UI)?;
        let vai =
            r.s.wait_visible(&tid("riconciliazione-scarica-vai"), T_UI)?;
        ensure!(r.s.text(&vai)? == "Apri Impostazioni");
        ensure!(
            r.s.find(&tid("riconciliazione-scarica-progresso"))?
                .is_none(),
            "a download started without a password"
        );
        r.shot("riconciliazione-scarica-senza-password")?;
        Ok(())
    })?;
    let shots = r.shots;
    session.close()?;
    drop(driver);

    // With the password, as a clerk who set it.
    let (_driver, session) = v.open(setup, &ws, &[("MYPAY_DESK_PASSWORD", PASSWORD)])?;
    let mut r = Run {
        s: &session,
        shots,
        scenario: v.name,
    };
    r.step("Scegli i giorni: una data impossibile", |r| {
        r.s.testid("nav-home", T_START)?;
        nav(r.s, "riconciliazione")?;
        r.s.wait_visible(&tid("riconciliazione-totali"), T_UI)?;
        scegli_giorni(r.s, "31/02/2026", &ieri)?;
        let errore =
            r.s.wait_visible(&tid("riconciliazione-giorni-dal-errore"), T_UI)?;
        let testo = r.s.text(&errore)?;
        ensure!(testo.starts_with("Dal: data non valida"), "{testo}");
        let dal = r.s.testid("riconciliazione-giorni-dal", T_UI)?;
        ensure!(r.s.attr(&dal, "aria-invalid")?.as_deref() == Some("true"));
        ensure!(
            r.s.find(&tid("riconciliazione-scarica-progresso"))?
                .is_none(),
            "a download started with a wrong date"
        );
        r.shot("riconciliazione-scegli-giorni-errore")?;
        Ok(())
    })?;
    r.step("Scarica i flussi da MyPay: tutti rendicontati", |r| {
        r.s.click_testid("riconciliazione-scarica-pulsante", T_UI)?;
        let testo = esito(r.s, "scaricati da MyPay", T_REMOTE)?;
        ensure!(
            testo.contains("(3 pagamenti, 12 giorni controllati)")
                && testo.contains(&format!(
                    "Flussi completi fino al giorno di acquisizione {ieri}."
                )),
            "{testo}"
        );
        attendi_totale(
            r.s,
            "rendicontato",
            &format!("Rendicontati, in attesa della tesoreria | 3 | {somma}"),
        )?;
        attendi_totale(r.s, "pagato", "Pagati, in attesa del flusso | 0 | 0,00 €")?;
        let conteggi =
            r.s.text(&r.s.testid("riconciliazione-scarica-conteggi", T_UI)?)?;
        ensure!(
            conteggi.starts_with("12 giorni completati · "),
            "{conteggi}"
        );
        let flussi = r.s.all(&tid("riconciliazione-fdr-riga"))?.len();
        ensure!(
            conteggi.ends_with(&format!(
                "{flussi} {} salvat{}",
                if flussi == 1 { "flusso" } else { "flussi" },
                if flussi == 1 { "o" } else { "i" }
            )) && flussi > 0,
            "{conteggi}, {flussi} flows listed"
        );
        r.s.script(crate::wd::IN_CIMA, vec![])?;
        r.shot("riconciliazione-scaricati-1200")?;
        Ok(())
    })?;
    r.step("Gli stessi giorni di nuovo: nulla di nuovo", |r| {
        scegli_giorni(r.s, &it(pagati_il), &ieri)?;
        let testo = esito(r.s, "Giorni di acquisizione controllati", T_REMOTE)?;
        ensure!(
            testo.starts_with(
                "Nessun flusso di rendicontazione nuovo da MyPay (12 giorni controllati)."
            ) && testo.contains("già present")
                && testo.contains(&format!("dal {} al {ieri}", it(pagati_il))),
            "{testo}"
        );
        attendi_totale(
            r.s,
            "rendicontato",
            &format!("Rendicontati, in attesa della tesoreria | 3 | {somma}"),
        )?;
        Ok(())
    })?;
    r.step("Riconciliazione scaricata a 1024×700", |r| {
        resize(r.s, SIZE_SMALL)?;
        r.s.script(crate::wd::IN_CIMA, vec![])?;
        niente_tagliato(r.s, "riconciliazione scaricata a 1024×700")?;
        r.shot("riconciliazione-scaricati-1024")?;
        Ok(())
    })?;
    session.close()?;
    drop(emu);
    Ok(())
}
