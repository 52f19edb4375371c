//! Issue 14 item 4 in the real window: the Ente form's part for the payment notices (office,
//! contacts, CBILL code, the Ente's desk, the logo) and a payment type's postal account, loaded
//! from a profile file, checked as the clerk types, at 1024×700; then a payment type's taxonomy
//! prefix and its warning (issue 15 item 5), at 1024×700 and 1200×800.

use anyhow::{Context, Result, ensure};

use super::{ENTE, Run, SIZE_SMALL, T_UI, Variant, nav, resize, shots_for};
use crate::app::{Setup, Workspace};
use crate::wd::{tid, wait_for};

/// A 1 × 1 PNG standing in for the comune's crest.
const PNG: [u8; 70] = [
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0,
    0, 0, 31, 21, 196, 137, 0, 0, 0, 13, 73, 68, 65, 84, 120, 218, 99, 100, 96, 248, 95, 15, 0, 2,
    135, 1, 128, 235, 71, 186, 146, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

pub fn ente_avviso(setup: &Setup, v: &Variant) -> Result<()> {
    let ws = Workspace::new(setup)?;
    std::fs::write(ws.path("stemma.png"), PNG)?;
    let profile = ws.path("ente.toml");
    let testo = ENTE.replace(
        "scadenza_obbligatoria = true\n",
        "scadenza_obbligatoria = true\nconto_postale = \"1234567\"\nintestatario_conto_postale = \"Comune di Prova WebDriver\"\nautorizzazione_poste = \"AUT. DB/SISB/E 123456 DEL 01/02/2026\"\n",
    ) + "\n[avviso]\nsettore = \"Ufficio Tributi\"\ninfo = \"www.comune.prova.it – tel. 045 1234567 – tributi@comune.prova.it\"\ncbill = \"A0EDT\"\ncanale_fisico = \"Presso lo Sportello Tributi\"\nlogo = \"stemma.png\"\n";
    std::fs::write(&profile, testo)?;
    ws.cli(&["ente", "set", profile.to_str().context("path")?])?;
    let (_driver, session) = v.open(setup, &ws, &[])?;
    resize(&session, SIZE_SMALL)?;
    let mut r = Run {
        s: &session,
        shots: shots_for(setup, v.name)?,
        scenario: v.name,
    };
    r.step("Ente: la parte dell'avviso di pagamento dal profilo", |r| {
        nav(r.s, "ente")?;
        let parte = r.s.wait_visible(&tid("ente-avviso"), T_UI)?;
        r.s.script(
            "arguments[0].scrollIntoView({block: 'start'})",
            vec![parte.json()],
        )?;
        let cbill = r.s.wait("#ente-avviso-cbill", T_UI)?;
        ensure!(
            r.s.property(&cbill, "value")? == "A0EDT",
            "CBILL {:?}",
            r.s.property(&cbill, "value")?
        );
        let logo = r.s.wait(&tid("ente-avviso-logo"), T_UI)?;
        ensure!(
            r.s.text(&logo)? == "logo-ente.png",
            "logo {:?}",
            r.s.text(&logo)?
        );
        let conto = r.s.wait("#ente-tipi-1-conto_postale", T_UI)?;
        ensure!(
            r.s.property(&conto, "value")? == "000001234567",
            "conto {:?}",
            r.s.property(&conto, "value")?
        );
        r.shot("ente-avviso-1024")?;
        // The payment types are in code order: TARI, second, with its postal account.
        r.s.script(
            "arguments[0].scrollIntoView({block: 'center'})",
            vec![conto.json()],
        )?;
        r.shot("ente-conto-postale-1024")?;
        Ok(())
    })?;
    r.step(
        "Ente: un codice CBILL sbagliato e il conto senza autorizzazione",
        |r| {
            let cbill = r.s.wait("#ente-avviso-cbill", T_UI)?;
            r.s.fill(&cbill, "A0ED")?;
            let aut = r.s.wait("#ente-tipi-1-autorizzazione_poste", T_UI)?;
            r.s.fill(&aut, "")?;
            r.s.click_testid("ente-salva", T_UI)?;
            let esito = r.s.wait_visible(&tid("ente-salvataggio"), T_UI)?;
            let testo = wait_for("the save to be refused", T_UI, || {
                let t = r.s.text(&esito)?;
                Ok(t.contains("non è stato salvato").then_some(t))
            })?;
            ensure!(
                testo.contains("Codice CBILL «A0ED»: sono 5 lettere o cifre")
                    && testo
                        .contains("Autorizzazione di Poste alla stampa in proprio: obbligatoria"),
                "{testo}"
            );
            let parte = r.s.wait_visible(&tid("ente-avviso"), T_UI)?;
            r.s.script(
                "arguments[0].scrollIntoView({block: 'start'})",
                vec![parte.json()],
            )?;
            r.shot("ente-avviso-errori-1024")?;
            Ok(())
        },
    )?;
    // Issue 15 item 5: under each payment type's code, its prefix and what it means; a type
    // paid at once at the Ente with 9/ gets the warning (the form is not saved).
    r.step("Ente: il prefisso della tassonomia e l'avviso", |r| {
        let prefisso = r.s.wait_visible(&tid("ente-tipi-0-prefisso"), T_UI)?;
        let testo = r.s.text(&prefisso)?;
        ensure!(
            testo.starts_with("Prefisso 9/: dal 1° marzo 2026 pagoPA invia il dovuto"),
            "{testo}"
        );
        r.s.script(
            "arguments[0].scrollIntoView({block: 'center'})",
            vec![prefisso.json()],
        )?;
        r.shot("ente-prefisso-1024")?;
        let modalita = r.s.wait("#ente-tipi-0-modalita", T_UI)?;
        r.s.select_value(&modalita, "presso-ente")?;
        let avviso =
            r.s.wait_visible(&tid("ente-tipi-0-prefisso-avviso"), T_UI)?;
        let testo = r.s.text(&avviso)?;
        ensure!(testo.contains("si paga subito presso l'Ente"), "{testo}");
        r.s.script(
            "arguments[0].scrollIntoView({block: 'center'})",
            vec![avviso.json()],
        )?;
        r.shot("ente-prefisso-avviso-1024")?;
        resize(r.s, super::SIZE_WINDOW)?;
        let avviso =
            r.s.wait_visible(&tid("ente-tipi-0-prefisso-avviso"), T_UI)?;
        r.s.script(
            "arguments[0].scrollIntoView({block: 'center'})",
            vec![avviso.json()],
        )?;
        r.shot("ente-prefisso-avviso-1200")?;
        Ok(())
    })?;
    session.close()?;
    Ok(())
}
