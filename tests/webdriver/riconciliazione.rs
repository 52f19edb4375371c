//! Issue 16 in the real window: the Riconciliazione screen. Three debts are sent to the MyPay
//! emulator, paid there and their receipts synced (the CLI, as another scenario does it in the
//! window); the clerk then opens Riconciliazione (every payment «pagato», no flow yet), picks
//! two FdR files in the page: one reports a receipt as it is, another with a different amount
//! and an IUV this Ente never had; the other declares more than its rows. The screen shows the
//! outcome, the totals by state with the anomalies, the anomalies with their reason, the FdR
//! with their quadratura, one FdR's rows; at 1200×800 and 1024×700, nothing cut, axe clean.

use anyhow::{Context, Result, bail, ensure};
use serde_json::Value;

use super::{
    ENTE, IPA, PASSWORD, Run, SIZE_SMALL, T_UI, Variant, nav, niente_tagliato, resize, shots_for,
};
use crate::app::{Emulator, Setup, Workspace};
use crate::wd::{Session, tid, wait_for};

const IUF1: &str = "2030-01-15ABI03069-S150001";
const IUF2: &str = "2030-01-15ABI03069-S150002";
/// An IUV no debt of this Ente has.
const IUV_IGNOTO: &str = "99000000000000001";

/// An FdR for the scenario's Ente with the rows `(iuv, iur, amount, esito)` and the declared
/// total given (as tests/e2e/riconciliazione.rs writes them).
fn fdr(iuf: &str, totale: &str, righe: &[(&str, &str, &str, u8)]) -> String {
    let mut x = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<FlussoRiversamento xmlns="http://www.digitpa.gov.it/schemas/2011/Pagamenti/">
  <versioneOggetto>1.0</versioneOggetto>
  <identificativoFlusso>{iuf}</identificativoFlusso>
  <dataOraFlusso>2030-01-16T09:12:33</dataOraFlusso>
  <identificativoUnivocoRegolamento>TRN20300115</identificativoUnivocoRegolamento>
  <dataRegolamento>2030-01-15</dataRegolamento>
  <istitutoMittente><identificativoUnivocoMittente><tipoIdentificativoUnivoco>B</tipoIdentificativoUnivoco><codiceIdentificativoUnivoco>ABI03069</codiceIdentificativoUnivoco></identificativoUnivocoMittente><denominazioneMittente>Banca di Prova</denominazioneMittente></istitutoMittente>
  <istitutoRicevente><identificativoUnivocoRicevente><tipoIdentificativoUnivoco>G</tipoIdentificativoUnivoco><codiceIdentificativoUnivoco>00123456789</codiceIdentificativoUnivoco></identificativoUnivocoRicevente></istitutoRicevente>
  <numeroTotalePagamenti>{}</numeroTotalePagamenti>
  <importoTotalePagamenti>{totale}</importoTotalePagamenti>
"#,
        righe.len()
    );
    for (iuv, iur, importo, esito) in righe {
        x.push_str(&format!(
            "  <datiSingoliPagamenti><identificativoUnivocoVersamento>{iuv}</identificativoUnivocoVersamento><identificativoUnivocoRiscossione>{iur}</identificativoUnivocoRiscossione><indiceDatiSingoloPagamento>1</indiceDatiSingoloPagamento><singoloImportoPagato>{importo}</singoloImportoPagato><codiceEsitoSingoloPagamento>{esito}</codiceEsitoSingoloPagamento><dataEsitoSingoloPagamento>2030-01-14</dataEsitoSingoloPagamento></datiSingoliPagamenti>\n"
        ));
    }
    x.push_str("</FlussoRiversamento>\n");
    x
}

/// `1234` → `12,34 €` (the scenario's amounts stay below a thousand euros).
pub(super) fn euro_it(cents: i64) -> String {
    format!("{},{:02} €", cents / 100, cents % 100)
}

/// A receipt as `receipts list --json` gives it.
pub(super) struct Ricevuta {
    pub(super) iuv: String,
    pub(super) iur: String,
    pub(super) cents: i64,
}

/// Three debts sent, loaded, paid on the emulator (with `sim pay`'s further arguments
/// `pagamento`, e.g. a date) and their receipts synced.
pub(super) fn tre_ricevute(
    ws: &Workspace,
    emu: &Emulator,
    pagamento: &[&str],
) -> Result<Vec<Ricevuta>> {
    let csv = mpd_e2e::tracciato(
        mpd_domain::Version::V1_4,
        &[
            mpd_e2e::row("RIC-1", "RSSMRA80A01H501U", "10.00"),
            mpd_e2e::row("RIC-2", "VRDLGU75B02F205A", "20.00"),
            mpd_e2e::row("RIC-3", "02342520158", "30.00"),
        ],
    );
    let file = ws.path("dovuti.csv");
    std::fs::write(&file, csv)?;
    ws.cli(&["debts", "import", file.to_str().context("path")?])?;
    ws.cli_env(&["sync"], &[("MYPAY_DESK_PASSWORD", PASSWORD)])?;
    let mut pay = vec![
        "sim", "pay", "--url", &emu.url, "--ente", IPA, "--share", "1", "--seed", "1",
    ];
    pay.extend_from_slice(pagamento);
    let v = ws.cli_json_nodb(&pay)?;
    let pagati = v["pagati"].as_array().map_or(0, Vec::len);
    ensure!(pagati == 3, "the emulator paid {pagati} debts, not 3: {v}");
    // MyPay's export covers whole seconds up to its own clock: a payment of this very second
    // comes with the next sync, as for a clerk.
    for _ in 0..8 {
        mpd_e2e::after_this_second();
        ws.cli_env(&["sync"], &[("MYPAY_DESK_PASSWORD", PASSWORD)])?;
        let v: Value = serde_json::from_str(&ws.cli(&["--json", "receipts", "list"])?)?;
        let ricevute: Vec<Ricevuta> = v
            .as_array()
            .context("receipts list: not an array")?
            .iter()
            .map(|r| Ricevuta {
                iuv: r["iuv"].as_str().unwrap_or_default().to_string(),
                iur: r["iur"].as_str().unwrap_or_default().to_string(),
                cents: r["importo_cents"].as_i64().unwrap_or_default(),
            })
            .collect();
        if ricevute.len() == 3 {
            return Ok(ricevute);
        }
    }
    bail!("the three receipts did not come with eight syncs")
}

/// The cells of the totals' row of `stato`, joined with « | ».
pub(super) fn totale(s: &Session, stato: &str) -> Result<String> {
    let v = s.script(
        "const tr = document.querySelector(`[data-testid=\"riconciliazione-totali\"] tr[data-stato=\"${arguments[0]}\"]`); \
         return tr ? [...tr.children].map(c => c.innerText.trim()).join(' | ') : null",
        vec![Value::from(stato)],
    )?;
    v.as_str()
        .map(str::to_string)
        .with_context(|| format!("no totals row for {stato}"))
}

/// `data-attr` of every element of `testid`.
pub(super) fn attributi(s: &Session, testid: &str, attr: &str) -> Result<Vec<String>> {
    let v = s.script(
        "return [...document.querySelectorAll(`[data-testid=\"${arguments[0]}\"]`)].map(e => e.getAttribute(arguments[1]))",
        vec![Value::from(testid), Value::from(attr)],
    )?;
    Ok(v.as_array()
        .context("not an array")?
        .iter()
        .map(|x| x.as_str().unwrap_or_default().to_string())
        .collect())
}

/// Picks `file` in the page's chooser and waits for the import's outcome.
fn importa(r: &mut Run, file: &std::path::Path, atteso: &str) -> Result<()> {
    let input = r.s.testid("riconciliazione-file", T_UI)?;
    r.s.send_keys(&input, file.to_str().context("path")?)?;
    let mut ultimo = String::new();
    let esito = wait_for("the import's outcome", T_UI, || {
        let e = r.s.testid("riconciliazione-esito", T_UI)?;
        ultimo = r.s.text(&e)?;
        Ok(ultimo.starts_with(atteso).then_some(()))
    });
    esito.with_context(|| format!("the outcome reads {ultimo:?}"))
}

pub fn riconciliazione_fdr(setup: &Setup, v: &Variant) -> Result<()> {
    let ws = Workspace::new(setup)?;
    let profile = ws.path("ente.toml");
    std::fs::write(&profile, ENTE)?;
    let emu = Emulator::start(&ws, &profile)?;
    ws.ente_and_connection(&profile, &emu.url)?;
    let ricevute = tre_ricevute(&ws, &emu, &[])?;
    let cents = |c: i64| format!("{}.{:02}", c / 100, c % 100);
    let (a, b) = (&ricevute[0], &ricevute[1]);
    // FdR 1: `a` as paid, `b` with one euro more, an IUV unknown here; it squares.
    let fdr1 = ws.path("flusso-banca-1.xml");
    std::fs::write(
        &fdr1,
        fdr(
            IUF1,
            &cents(a.cents + b.cents + 100 + 500),
            &[
                (&a.iuv, &a.iur, &cents(a.cents), 0),
                (&b.iuv, &b.iur, &cents(b.cents + 100), 0),
                (IUV_IGNOTO, "IURIGNOTO1", "5.00", 0),
            ],
        ),
    )?;
    // FdR 2: declares 12.00 for a row of 10.00: it does not square.
    let fdr2 = ws.path("flusso-banca-2.xml");
    std::fs::write(
        &fdr2,
        fdr(
            IUF2,
            "12.00",
            &[("98000000000000001", "IURIGNOTO2", "10.00", 0)],
        ),
    )?;

    let (_driver, session) = v.open(setup, &ws, &[])?;
    let mut r = Run {
        s: &session,
        shots: shots_for(setup, v.name)?,
        scenario: v.name,
    };
    r.step("Riconciliazione: ricevute senza flussi", |r| {
        r.s.testid("nav-home", super::T_START)?;
        nav(r.s, "riconciliazione")?;
        r.s.wait_visible(&tid("riconciliazione-fdr-vuoto"), T_UI)?;
        ensure!(
            totale(r.s, "pagato")? == "Pagati, in attesa del flusso | 3 | 60,00 €",
            "{}",
            totale(r.s, "pagato")?
        );
        r.shot("riconciliazione-senza-flussi")?;
        Ok(())
    })?;
    r.step("Riconciliazione: due flussi importati", |r| {
        importa(
            r,
            &fdr1,
            "1 flusso di rendicontazione importato con 3 pagamenti.",
        )?;
        importa(
            r,
            &fdr2,
            "1 flusso di rendicontazione importato con 1 pagamento.",
        )?;
        r.s.wait_count(&tid("riconciliazione-fdr-riga"), 2, T_UI)?;
        for (stato, atteso) in [
            (
                "pagato",
                format!(
                    "Pagati, in attesa del flusso | 1 | {}",
                    euro_it(ricevute[2].cents)
                ),
            ),
            (
                "rendicontato",
                format!(
                    "Rendicontati, in attesa della tesoreria | 1 | {}",
                    euro_it(a.cents)
                ),
            ),
            (
                "importo_diverso",
                format!(
                    "Rendicontati con importo diverso\nanomalia | 1 | {}",
                    euro_it(b.cents)
                ),
            ),
            (
                "senza_ricevuta",
                "Rendicontati senza ricevuta\nanomalia | 2 | 15,00 €".to_string(),
            ),
        ] {
            let t = totale(r.s, stato)?;
            ensure!(
                t.replace(' ', "").replace('\n', "") == atteso.replace(' ', "").replace('\n', ""),
                "{stato}: {t:?}, expected {atteso:?}"
            );
        }
        // The list starts from the anomalies, each with its reason.
        let stati = attributi(r.s, "riconciliazione-pagamento", "data-stato")?;
        ensure!(
            stati == ["importo_diverso", "senza_ricevuta", "senza_ricevuta"],
            "anomalies listed: {stati:?}"
        );
        let elenco = r.s.text(&r.s.testid("riconciliazione-pagamenti", T_UI)?)?;
        ensure!(
            elenco.contains(&format!("il flusso «{IUF1}» riporta")) && elenco.contains(IUV_IGNOTO),
            "{elenco}"
        );
        let fdr = r.s.text(&r.s.testid("riconciliazione-fdr", T_UI)?)?;
        ensure!(
            fdr.contains("non quadra")
                && fdr.contains("(10,00 €) non è il totale dichiarato (12,00 €)"),
            "{fdr}"
        );
        let tesoreria = attributi(r.s, "fdr-tesoreria", "data-testid")?;
        ensure!(tesoreria.len() == 2, "{tesoreria:?}");
        r.s.script(crate::wd::IN_CIMA, vec![])?;
        r.shot("riconciliazione-1200")?;
        let totali = r.s.testid("riconciliazione-pagamenti", T_UI)?;
        r.s.script(
            "arguments[0].scrollIntoView({block: 'start'})",
            vec![totali.json()],
        )?;
        r.shot("riconciliazione-anomalie-1200")?;
        Ok(())
    })?;
    r.step("Riconciliazione: le righe di un flusso", |r| {
        let apri = r.s.wait(
            &format!(
                "{}[data-iuf=\"{IUF1}\"] {}",
                tid("riconciliazione-fdr-riga"),
                tid("riconciliazione-fdr-apri")
            ),
            T_UI,
        )?;
        r.s.click(&apri)?;
        r.s.wait_count(&tid("riconciliazione-fdr-riga-dettaglio"), 3, T_UI)?;
        let stati = attributi(r.s, "riconciliazione-fdr-riga-dettaglio", "data-stato")?;
        ensure!(
            stati == ["rendicontato", "importo_diverso", "senza_ricevuta"],
            "{stati:?}"
        );
        let d = r.s.testid("riconciliazione-fdr-dettaglio", T_UI)?;
        r.s.script(
            "arguments[0].scrollIntoView({block: 'start'})",
            vec![d.json()],
        )?;
        r.shot("riconciliazione-flusso-1200")?;
        Ok(())
    })?;
    r.step("Riconciliazione: il filtro per stato", |r| {
        let filtro = r.s.testid("riconciliazione-filtro", T_UI)?;
        r.s.select_value(&filtro, "tutti")?;
        r.s.wait_count(&tid("riconciliazione-pagamento"), 5, T_UI)?;
        r.s.select_value(&filtro, "rendicontato")?;
        let iuv = wait_for("one payment rendicontato", T_UI, || {
            let v = attributi(r.s, "riconciliazione-pagamento", "data-iuv")?;
            Ok((v.len() == 1).then_some(v))
        })?;
        ensure!(iuv == [a.iuv.clone()], "{iuv:?}");
        Ok(())
    })?;
    r.step("Riconciliazione a 1024×700", |r| {
        resize(r.s, SIZE_SMALL)?;
        r.s.script(crate::wd::IN_CIMA, vec![])?;
        niente_tagliato(r.s, "riconciliazione a 1024×700")?;
        r.shot("riconciliazione-1024")?;
        let d = r.s.testid("riconciliazione-fdr", T_UI)?;
        r.s.script(
            "arguments[0].scrollIntoView({block: 'start'})",
            vec![d.json()],
        )?;
        r.shot("riconciliazione-flussi-1024")?;
        Ok(())
    })?;
    session.close()?;
    drop(emu);
    Ok(())
}
