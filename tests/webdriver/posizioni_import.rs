//! Issue 14 item 2 in the real window: a TARI roll in the wide shape (one row per household,
//! the rata unica and three instalments in columns of their own) chosen in Importa: the
//! preview maps each option's columns, the report says how many positions and payment options
//! it read, and Dovuti lists one row per position, expanded to its four options.

use anyhow::{Context, Result, ensure};

use super::{ENTE, Run, T_UI, Variant, nav, shots_for};
use crate::app::{Setup, Workspace};
use crate::wd::tid;

const RUOLO: &str = "Codice fiscale;Cognome e nome;Tipo dovuto;Causale;Importo rata unica;\
Scadenza rata unica;Importo 1ª rata;Scadenza 1ª rata;Importo 2ª rata;Scadenza 2ª rata;\
Importo 3ª rata;Scadenza 3ª rata\n\
RSSMRA80A01H501U;Rossi Mario;TARI;TARI 2030;240,00;30/04/2030;80,00;30/04/2030;80,00;31/07/2030;80,00;31/10/2030\n\
02342520158;Ditta Srl;TARI;TARI 2030;1.000,00;30/04/2030;333,33;30/04/2030;333,33;31/07/2030;333,34;31/10/2030\n";

pub fn ruolo_con_rate(setup: &Setup, v: &Variant) -> Result<()> {
    let ws = Workspace::new(setup)?;
    let profile = ws.path("ente.toml");
    std::fs::write(&profile, ENTE)?;
    ws.cli(&["ente", "set", profile.to_str().context("path")?])?;
    let ruolo = ws.path("ruolo-tari-2030.csv");
    std::fs::write(&ruolo, RUOLO)?;
    let (_driver, session) = v.open(setup, &ws, &[])?;
    let mut r = Run {
        s: &session,
        shots: shots_for(setup, v.name)?,
        scenario: v.name,
    };
    r.step("Importa: le colonne delle rate abbinate", |r| {
        r.s.testid("nav-home", super::T_START)?;
        nav(r.s, "importa")?;
        let input = r.s.testid("importa-file", T_UI)?;
        r.s.send_keys(&input, ruolo.to_str().context("path")?)?;
        r.s.testid("importa-anteprima", T_UI)?;
        for (lettera, campo) in [
            ("E", "importo_rata_unica"),
            ("F", "scadenza_rata_unica"),
            ("G", "importo_rata_1"),
            ("L", "scadenza_rata_3"),
        ] {
            let c = r.s.testid(&format!("importa-colonna-{lettera}"), T_UI)?;
            let v = r.s.property(&c, "value")?;
            ensure!(
                v == campo,
                "column {lettera} is mapped to {v:?}, not {campo}"
            );
        }
        let conferma = r.s.testid("importa-conferma", T_UI)?;
        ensure!(
            r.s.attr(&conferma, "disabled")?.is_none(),
            "«Importa» is disabled: a mandatory field looks missing"
        );
        r.shot("importa-ruolo-con-rate")?;
        Ok(())
    })?;
    r.step("Importa: il resoconto conta posizioni e opzioni", |r| {
        r.s.click_testid("importa-conferma", T_UI)?;
        r.s.testid("importa-report", T_UI)?;
        let p = r.s.wait_visible(&tid("importa-posizioni"), T_UI)?;
        let testo = r.s.text(&p)?;
        ensure!(
            testo == "Posizioni: 2, con 8 opzioni di pagamento (rata unica e rate)",
            "{testo:?}"
        );
        r.shot("importa-posizioni")?;
        Ok(())
    })?;
    r.step(
        "Dovuti: una riga per posizione, espansa alle sue opzioni",
        |r| {
            nav(r.s, "dovuti")?;
            let righe = r.s.wait_count(&tid("posizione-riga"), 2, T_UI)?;
            let testi: Vec<String> = righe
                .iter()
                .map(|e| r.s.text(e).unwrap_or_default())
                .collect();
            for importo in ["240,00 €", "1.000,00 €"] {
                ensure!(
                    testi
                        .iter()
                        .any(|t| t.contains(importo) && t.contains("4 opzioni")),
                    "no position of {importo} with 4 options: {testi:?}"
                );
            }
            r.shot("dovuti-ruolo-con-rate")?;
            r.s.click(&righe[0])?;
            r.s.wait_count(&tid("dovuto-riga"), 4, T_UI)?;
            r.shot("dovuti-ruolo-espanso")?;
            Ok(())
        },
    )?;
    session.close()?;
    Ok(())
}
