//! Issue 13, items 1–5, through the real window: a roll with a row-number column, a row
//! repeated in the file and one already in the archive; the summary per payment type before
//! preparing and a flow of one type only; a send with MyPay unreachable, then again once it is
//! back; Sportello's locked result, the question before an identical second debt and before a
//! cancellation. One emulator process for the whole scenario (stopped and started again on the
//! same port, with the same data, for the failed send).

use anyhow::{Context, Result, bail, ensure};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

use super::{
    ENTE, PASSWORD, Run, T_REMOTE, T_UI, Variant, flussi_rows, nav, shots_for, tail, wait_dovuti,
    wait_flussi_done,
};
use crate::app::{Emulator, Setup, Workspace};
use crate::wd::{Session, tid, wait_for};

/// The payer already in the archive, and the row of the roll that repeats that debt.
const VERDI: (&str, &str) = ("VRDLGU70T10L219V", "Verdi Luigi");
/// The Sportello's payer.
const NERI: (&str, &str) = ("FRRGLI92C52A944Y", "Ferrari Giulia");

/// A debt of the roll: N., codice fiscale, name, address, amount, causale, type.
type Riga = (
    u32,
    &'static str,
    &'static str,
    &'static str,
    f64,
    &'static str,
    &'static str,
);

/// The roll, as a clerk's Excel file: a title, a blank row, the headers on Excel row 3, then
/// five debts numbered 1–5 in a first column «N.» (Excel rows 4–8). Row 6 repeats row 5;
/// row 7 repeats the debt the archive already holds (see [`archivio`]); row 8 is MENSA.
const RIGHE: [Riga; 5] = [
    (
        1,
        "RSSMRA80A01H501U",
        "Rossi Mario",
        "Via Roma 12",
        120.5,
        "TARI 2027 acconto",
        "TARI",
    ),
    (
        2,
        "BNCNNA85M41F205Q",
        "Bianchi Anna",
        "Via Po 3",
        80.0,
        "TARI 2027 acconto",
        "TARI",
    ),
    (
        3,
        "BNCNNA85M41F205Q",
        "Bianchi Anna",
        "Via Po 3",
        80.0,
        "TARI 2027 acconto",
        "TARI",
    ),
    (
        4,
        VERDI.0,
        VERDI.1,
        "Via Dante 8",
        95.0,
        "TARI 2027 acconto",
        "TARI",
    ),
    (
        5,
        "FRRGLI92C52A944Y",
        "Ferrari Giulia",
        "Piazza Garibaldi 1",
        45.0,
        "Mensa scolastica gennaio 2027",
        "MENSA",
    ),
];
/// The Excel row of the headers; data follow.
const RIGA_INTESTAZIONE: u32 = 3;
/// Excel rows: the repetition inside the file (of the row before it), the repetition of the
/// archive's debt.
const RIGA_DOPPIA: u32 = 6;
const RIGA_ARCHIVIO: u32 = 7;

fn scadenza() -> chrono::NaiveDate {
    chrono::Local::now().date_naive() + chrono::Days::new(120)
}

fn ruolo(path: &Path) -> Result<()> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Ruolo 2027")?;
    ws.write_string_with_format(
        0,
        0,
        "Comune di Prova WebDriver — ruolo TARI e mensa 2027",
        &Format::new().set_bold(),
    )?;
    let head = Format::new().set_bold();
    let headers = [
        "N.",
        "Codice fiscale",
        "Nominativo",
        "Indirizzo",
        "Importo",
        "Scadenza",
        "Causale",
        "Tipo dovuto",
    ];
    let h = RIGA_INTESTAZIONE - 1;
    for (c, t) in headers.iter().enumerate() {
        ws.write_string_with_format(h, c as u16, *t, &head)?;
    }
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for (i, (n, cf, nome, via, importo, causale, tipo)) in RIGHE.iter().enumerate() {
        let r = h + 1 + i as u32;
        ws.write_number(r, 0, *n)?;
        ws.write_string(r, 1, *cf)?;
        ws.write_string(r, 2, *nome)?;
        ws.write_string(r, 3, *via)?;
        ws.write_number(r, 4, *importo)?;
        ws.write_date_with_format(r, 5, scadenza(), &date)?;
        ws.write_string(r, 6, *causale)?;
        ws.write_string(r, 7, *tipo)?;
    }
    wb.save(path)?;
    Ok(())
}

/// The archive's debt that row 7 repeats, imported from the CLI before the window opens.
fn archivio(ws: &Workspace) -> Result<()> {
    let (_, cf, nome, via, importo, causale, tipo) = RIGHE[3];
    let csv = ws.path("archivio.csv");
    std::fs::write(
        &csv,
        format!(
            "Codice fiscale;Nominativo;Indirizzo;Importo;Scadenza;Causale;Tipo dovuto\n\
             {cf};{nome};{via};{};{};{causale};{tipo}\n",
            format!("{importo:.2}").replace('.', ","),
            scadenza().format("%d/%m/%Y"),
        ),
    )?;
    ws.cli(&["debts", "import", csv.to_str().context("path")?])?;
    Ok(())
}

/// The CLI's `--json` answer on the workspace's database (the ground truth).
fn cli_json(ws: &Workspace, args: &[&str]) -> Result<Value> {
    let mut a = vec!["--json"];
    a.extend_from_slice(args);
    let out = ws.cli(&a)?;
    serde_json::from_str(&out).with_context(|| format!("`{}`: not JSON: {out}", args.join(" ")))
}

/// Every debt of the database: IUD → its JSON.
fn debiti(ws: &Workspace) -> Result<BTreeMap<String, Value>> {
    let v = cli_json(ws, &["debts", "list"])?;
    Ok(v.as_array()
        .context("debts list: not an array")?
        .iter()
        .map(|d| (d["iud"].as_str().unwrap_or_default().to_string(), d.clone()))
        .collect())
}

fn stato(d: &Value) -> &str {
    d["stato"].as_str().unwrap_or_default()
}

/// The debts of one payer, by IUD.
fn di(debiti: &BTreeMap<String, Value>, cf: &str) -> Vec<(String, Value)> {
    debiti
        .iter()
        .filter(|(_, d)| d["codice_pagatore"].as_str() == Some(cf))
        .map(|(k, d)| (k.clone(), d.clone()))
        .collect()
}

/// The visible danger alerts of the page, their texts.
fn errori_visibili(s: &Session) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for a in s.all(".alert-danger")? {
        if s.displayed(&a)? {
            out.push(s.text(&a)?.trim().to_string());
        }
    }
    Ok(out)
}

pub fn doppioni_invii_sportello(setup: &Setup, v: &Variant) -> Result<()> {
    let ws = Workspace::new(setup)?;
    let profile = ws.path("ente.toml");
    std::fs::write(&profile, ENTE)?;
    let emu = Emulator::start(&ws, &profile)?;
    println!("  emulator on {}", emu.url);
    ws.ente_and_connection(&profile, &emu.url)?;
    archivio(&ws)?;
    let xlsx = ws.path("ruolo-2027.xlsx");
    ruolo(&xlsx)?;

    let (driver, session) = v.open(setup, &ws, &[("MYPAY_DESK_PASSWORD", PASSWORD)])?;
    let mut r = Run {
        s: &session,
        shots: shots_for(setup, v.name)?,
        scenario: v.name,
    };
    let mut emu = Some(emu);
    let result = passi(&mut r, &ws, &profile, &mut emu, &xlsx);
    if result.is_err() {
        eprintln!(
            "--- emulator log (last 4,000 characters) ---\n{}\n--- tauri-driver log (last 4,000 characters) ---\n{}",
            tail(
                &std::fs::read_to_string(ws.path("emulatore.log")).unwrap_or_default(),
                4000
            ),
            tail(&driver.log_text(), 4000)
        );
    }
    result?;
    session.close()?;
    Ok(())
}

fn passi(
    r: &mut Run<'_>,
    ws: &Workspace,
    profile: &Path,
    emu: &mut Option<Emulator>,
    xlsx: &Path,
) -> Result<()> {
    let prima = debiti(ws)?;
    ensure!(prima.len() == 1, "the archive: {prima:?}");
    let iud_archivio = prima.keys().next().cloned().unwrap_or_default();

    // Item 2: the «N.» column is left out, and the preview says why.
    r.step("Importa: la colonna «N.» non è il civico", |r| {
        r.s.testid("nav-home", super::T_START)?;
        nav(r.s, "importa")?;
        let input = r.s.testid("importa-file", T_UI)?;
        r.s.send_keys(&input, xlsx.to_str().context("path")?)?;
        r.s.testid("importa-anteprima", T_UI)?;
        let a = r.s.testid("importa-colonna-A", T_UI)?;
        let campo = r.s.property(&a, "value")?;
        ensure!(
            campo.is_empty(),
            "column A «N.» (1, 2, 3…) is mapped to {campo:?}"
        );
        // Every other column found its field.
        for l in ["B", "C", "D", "E", "F", "G", "H"] {
            let c = r.s.testid(&format!("importa-colonna-{l}"), T_UI)?;
            ensure!(
                !r.s.property(&c, "value")?.is_empty(),
                "column {l} is not mapped"
            );
        }
        let escluse = r.s.wait_visible(&tid("importa-escluse"), T_UI)?;
        let testo = r.s.text(&escluse)?;
        ensure!(
            testo.contains("«N.»"),
            "importa-escluse does not name the column «N.»: {testo:?}"
        );
        r.shot("importa-colonna-n")?;
        Ok(())
    })?;

    // Item 1: the repetitions are drafts, asked about group by group.
    let mut bozza_file = String::new();
    let mut bozza_archivio = String::new();
    r.step("Importa: le righe uguali restano bozze, una domanda per gruppo", |r| {
        r.s.click_testid("importa-conferma", T_UI)?;
        r.s.testid("importa-report", T_UI)?;
        let gruppi = r.s.wait_count(&tid("importa-gruppo-duplicati"), 2, T_UI)?;
        ensure!(gruppi.len() == 2, "{} duplicate groups", gruppi.len());
        let mut per_righe = BTreeMap::new();
        for g in &gruppi {
            let righe = r.s.attr(g, "data-righe")?.unwrap_or_default();
            let archivio = r.s.attr(g, "data-archivio")?;
            let bottoni = r.s.within(g, &tid("importa-comunque"))?;
            ensure!(
                bottoni.len() == 1,
                "group of rows {righe}: {} «Importa comunque»",
                bottoni.len()
            );
            per_righe.insert(righe, archivio);
        }
        ensure!(
            per_righe.get(&RIGA_DOPPIA.to_string()) == Some(&None),
            "no group for row {RIGA_DOPPIA} repeating row {}: {per_righe:?}",
            RIGA_DOPPIA - 1
        );
        ensure!(
            per_righe.get(&RIGA_ARCHIVIO.to_string()) == Some(&Some(iud_archivio.clone())),
            "no group for row {RIGA_ARCHIVIO} repeating the archive's {iud_archivio}: {per_righe:?}"
        );
        r.shot("importa-doppioni")?;
        // Ground truth: two drafts, the rest ready.
        let d = debiti(ws)?;
        ensure!(d.len() == 1 + RIGHE.len(), "debts after the import: {d:?}");
        let bozze: Vec<&Value> = d.values().filter(|x| stato(x) == "draft").collect();
        ensure!(bozze.len() == 2, "drafts after the import: {bozze:?}");
        for b in bozze {
            let iud = b["iud"].as_str().unwrap_or_default().to_string();
            match b["sorgente_riga"].as_u64() {
                Some(n) if n == u64::from(RIGA_DOPPIA) => bozza_file = iud,
                Some(n) if n == u64::from(RIGA_ARCHIVIO) => bozza_archivio = iud,
                other => bail!("a draft from row {other:?}: {b}"),
            }
        }
        Ok(())
    })?;
    r.step(
        "Importa: «Importa comunque» per la riga uguale all'archivio",
        |r| {
            let g = r.s.wait(
                &format!(
                    "{}[data-righe=\"{RIGA_ARCHIVIO}\"]",
                    tid("importa-gruppo-duplicati")
                ),
                T_UI,
            )?;
            let b = r.s.within(&g, &tid("importa-comunque"))?;
            r.s.click(b.first().context("no «Importa comunque»")?)?;
            wait_for("the group's outcome", T_UI, || {
                Ok((!r.s.within(&g, &tid("importa-duplicati-esito"))?.is_empty()).then_some(()))
            })?;
            // The other group still asks.
            let altro = r.s.wait(
                &format!(
                    "{}[data-righe=\"{RIGA_DOPPIA}\"]",
                    tid("importa-gruppo-duplicati")
                ),
                T_UI,
            )?;
            ensure!(
                r.s.within(&altro, &tid("importa-comunque"))?.len() == 1,
                "the other group lost its «Importa comunque»"
            );
            let d = debiti(ws)?;
            ensure!(
                d.get(&bozza_archivio).map(stato) == Some("ready"),
                "the confirmed row is not ready: {:?}",
                d.get(&bozza_archivio)
            );
            ensure!(
                d.get(&bozza_file).map(stato) == Some("draft"),
                "the other repetition is not a draft any more: {:?}",
                d.get(&bozza_file)
            );
            // The report says what is true now: the confirmed draft left the rows to fix.
            wait_for(
                "the confirmed row to leave the rows with errors",
                T_UI,
                || {
                    let sel = |iud: &str| format!("{}[data-iud=\"{iud}\"]", tid("importa-errore"));
                    let via = r.s.find(&sel(&bozza_archivio))?.is_none();
                    let resta = r.s.find(&sel(&bozza_file))?.is_some();
                    Ok((via && resta).then_some(()))
                },
            )?;
            r.shot("importa-doppioni-confermato")?;
            Ok(())
        },
    )?;
    r.step(
        "Dovuti: gli stati e l'indirizzo senza il numero di riga",
        |r| {
            let attesi: BTreeMap<String, String> = debiti(ws)?
                .into_iter()
                .map(|(k, d)| (k, stato(&d).to_string()))
                .collect();
            let righe = wait_dovuti(r.s, "the six debts as the CLI sees them", T_UI, |m| {
                *m == attesi
            })?;
            ensure!(
                righe.values().filter(|s| *s == "draft").count() == 1,
                "{righe:?}"
            );
            // Rossi's row was N. 1: the form shows the address as typed, no house number 1.
            let rossi = debiti(ws)?
                .into_iter()
                .find(|(_, d)| d["codice_pagatore"].as_str() == Some(RIGHE[0].1))
                .map(|(k, _)| k)
                .context("Rossi's debt")?;
            let riga = r.s.wait(
                &format!("{}[data-iud=\"{rossi}\"]", tid("dovuto-riga")),
                T_UI,
            )?;
            r.s.click(&riga)?;
            let form = r.s.wait_visible(
                &format!("{}[data-iud=\"{rossi}\"]", tid("dovuto-form")),
                T_UI,
            )?;
            let campo = |nome: &str| -> Result<String> {
                let e =
                    r.s.within(&form, &format!("[name=\"{nome}\"]"))?
                        .into_iter()
                        .next()
                        .with_context(|| format!("dovuto-form has no field {nome}"))?;
                r.s.property(&e, "value")
            };
            let civico = campo("civico")?;
            let indirizzo = campo("indirizzo")?;
            println!("    Rossi: indirizzo {indirizzo:?}, civico {civico:?}");
            ensure!(
                civico != RIGHE[0].0.to_string(),
                "the row number went to civico: {civico:?}"
            );
            ensure!(
                format!("{indirizzo} {civico}").contains("Via Roma")
                    && format!("{indirizzo} {civico}").contains("12"),
                "the address is not the sheet's «Via Roma 12»: {indirizzo:?} {civico:?}"
            );
            r.shot("dovuti-indirizzo")?;
            Ok(())
        },
    )?;
    r.step(
        "Importa: lo stesso file, già tutto in archivio, è rifiutato",
        |r| {
            nav(r.s, "importa")?;
            // The last report stays until the next import: start another.
            if r.s.find(&tid("importa-file"))?.is_none() {
                r.s.click_testid("importa-altro-file", T_UI)?;
            }
            let input = r.s.testid("importa-file", T_UI)?;
            r.s.send_keys(&input, xlsx.to_str().context("path")?)?;
            // Refused at the preview or at the import: either way one message, nothing stored.
            let msg = wait_for("the refusal", T_UI, || {
                let e = errori_visibili(r.s)?;
                if !e.is_empty() {
                    return Ok(Some(e));
                }
                if let Some(b) = r.s.find(&tid("importa-conferma"))?
                    && r.s.enabled(&b)?
                    && r.s.attr(&b, "data-cliccato")?.is_none()
                {
                    r.s.script(
                        "arguments[0].setAttribute('data-cliccato', '1')",
                        vec![b.json()],
                    )?;
                    r.s.click(&b)?;
                }
                Ok(None)
            })?;
            ensure!(msg.len() == 1, "more than one error: {msg:?}");
            let testo = &msg[0];
            println!("    refusal: {testo}");
            ensure!(
                !testo.contains('\n') && !testo.contains("--") && testo.len() < 400,
                "not one plain sentence: {testo:?}"
            );
            ensure!(
                r.s.find(&tid("importa-report"))?.is_none(),
                "a report after the refusal"
            );
            let d = debiti(ws)?;
            ensure!(
                d.len() == 1 + RIGHE.len(),
                "the refused file stored debts: {}",
                d.len()
            );
            r.shot("importa-gia-importato")?;
            Ok(())
        },
    )?;

    // Item 5: the summary per type, then one type only.
    let mut flusso = String::new();
    r.step(
        "Flussi: quanti e quanto per tipo, prima di preparare",
        |r| {
            nav(r.s, "flussi")?;
            let attesa = cli_json(ws, &["flow", "pending"])?;
            let tipi = attesa["tipi"].as_array().context("flow pending: tipi")?;
            ensure!(tipi.len() == 2, "pending: {attesa}");
            let tabella = r.s.wait_visible(&tid("flussi-da-inviare"), T_UI)?;
            for t in tipi {
                let codice = t["tipo"].as_str().unwrap_or_default();
                let riga =
                    r.s.within(&tabella, &format!("tr[data-tipo=\"{codice}\"]"))?
                        .into_iter()
                        .next()
                        .with_context(|| format!("no row for {codice} in flussi-da-inviare"))?;
                let celle: Vec<String> =
                    r.s.within(&riga, "td")?
                        .iter()
                        .map(|c| r.s.text(c))
                        .collect::<Result<_>>()?;
                let nuovi = t["nuovi"].as_u64().unwrap_or_default().to_string();
                let cents = t["importo_cents"].as_u64().unwrap_or_default();
                let euro = format!("{},{:02}", cents / 100, cents % 100);
                ensure!(
                    celle.get(1).map(|c| c.trim()) == Some(nuovi.as_str()),
                    "{codice}: count {celle:?}, the CLI says {nuovi}"
                );
                ensure!(
                    celle
                        .get(4)
                        .is_some_and(|c| c.replace('.', "").contains(&euro)),
                    "{codice}: amount {celle:?}, the CLI says {euro}"
                );
            }
            let scelta = r.s.testid("flussi-tipo", T_UI)?;
            r.s.select_value(&scelta, "TARI")?;
            r.shot("flussi-riepilogo")?;
            r.s.click_testid("flussi-prepara", T_UI)?;
            let righe = r.s.wait_count(&tid("flusso-riga"), 1, T_UI)?;
            ensure!(
                righe.len() == 1,
                "{} flows after preparing TARI",
                righe.len()
            );
            flusso = r.s.attr(&righe[0], "data-nome")?.unwrap_or_default();
            // MENSA is still waiting, TARI went into the flow.
            wait_for("the summary to keep MENSA only", T_UI, || {
                let t = r.s.find(&tid("flussi-da-inviare"))?;
                let Some(t) = t else { return Ok(None) };
                let tari = r.s.within(&t, "tr[data-tipo=\"TARI\"]")?.len();
                let mensa = r.s.within(&t, "tr[data-tipo=\"MENSA\"]")?.len();
                Ok((tari == 0 && mensa == 1).then_some(()))
            })?;
            let d = debiti(ws)?;
            for x in d.values() {
                let tipo = x["tipo_dovuto"].as_str().unwrap_or_default();
                if tipo == "MENSA" {
                    ensure!(stato(x) == "ready", "MENSA left ready: {x}");
                    ensure!(x["flusso_id"].is_null(), "MENSA in a flow: {x}");
                } else if stato(x) != "draft" {
                    ensure!(
                        !x["flusso_id"].is_null(),
                        "a ready TARI debt not in the flow: {x}"
                    );
                }
            }
            r.shot("flussi-preparato-tari")?;
            Ok(())
        },
    )?;

    // Item 4: MyPay unreachable.
    let porta = emu.as_ref().context("emulator")?.port()?;
    r.step(
        "Flussi: MyPay non risponde, l'invio finisce in rosso e nulla è perso",
        |r| {
            drop(emu.take());
            r.s.click_testid("flussi-invia", T_UI)?;
            // The send retries for a while, then ends: the button is enabled again.
            let msg = wait_for("the send to end with an error", T_REMOTE, || {
                let e = errori_visibili(r.s)?;
                let libero = match r.s.find(&tid("flussi-invia"))? {
                    Some(b) => r.s.enabled(&b)?,
                    None => false,
                };
                Ok((libero && !e.is_empty()).then_some(e))
            })?;
            println!("    error: {msg:?}");
            ensure!(
                msg.iter().any(|m| m.contains(&flusso)),
                "the error does not name the flow {flusso}: {msg:?}"
            );
            for c in [".alert-success", ".alert-info"] {
                for a in r.s.all(c)? {
                    ensure!(
                        !r.s.displayed(&a)?,
                        "a {c} message next to the error: {}",
                        r.s.text(&a)?
                    );
                }
            }
            let righe = flussi_rows(r.s)?;
            ensure!(
                righe
                    .get(&flusso)
                    .is_some_and(|s| s != "done" && s != "aborted"),
                "the flow is not there to resend: {righe:?}"
            );
            // The send is over: its progress line announces no further attempt.
            if let Some(p) = r.s.find(&tid("flussi-progresso"))? {
                let t = r.s.text(&p)?;
                ensure!(
                    !t.contains("nuovo tentativo"),
                    "the ended send still announces a new attempt: {t:?}"
                );
            }
            r.shot("flussi-invio-fallito")?;
            Ok(())
        },
    )?;
    r.step(
        "Flussi: MyPay di nuovo raggiungibile, il nuovo invio riesce",
        |r| {
            *emu = Some(Emulator::start_on(ws, profile, porta)?);
            r.s.click_testid("flussi-invia", T_UI)?;
            let righe = wait_flussi_done(r.s)?;
            ensure!(righe.contains_key(&flusso), "{righe:?}");
            // The error of the failed send is gone.
            wait_for("no error left", T_UI, || {
                Ok(errori_visibili(r.s)?.is_empty().then_some(()))
            })?;
            r.shot("flussi-reinviato")?;
            let d = wait_for("the TARI debts loaded", T_REMOTE, || {
                let d = debiti(ws)?;
                let ok = d.values().all(|x| {
                    let tipo = x["tipo_dovuto"].as_str().unwrap_or_default();
                    match stato(x) {
                        "draft" => true,
                        "ready" => tipo == "MENSA",
                        "loaded" => tipo == "TARI",
                        _ => false,
                    }
                });
                Ok(ok.then_some(d))
            })?;
            println!(
                "    debts: {:?}",
                d.iter().map(|(k, x)| (k, stato(x))).collect::<Vec<_>>()
            );
            Ok(())
        },
    )?;

    // Item 3: Sportello.
    let compila = |r: &mut Run<'_>| -> Result<()> {
        let form = r.s.wait_visible(&tid("sportello-form"), T_UI)?;
        let campi = [
            ("codice_pagatore", NERI.0.to_string()),
            ("anagrafica", NERI.1.to_string()),
            ("importo", "35,00".to_string()),
            ("scadenza", scadenza().format("%d/%m/%Y").to_string()),
            ("causale", "Diritti di segreteria".to_string()),
        ];
        for (nome, valore) in campi {
            let e =
                r.s.within(&form, &format!("input[name=\"{nome}\"]"))?
                    .into_iter()
                    .next()
                    .with_context(|| format!("sportello-form has no {nome}"))?;
            r.s.fill(&e, &valore)?;
        }
        let tipo = r.s.wait("#s-tipo", T_UI)?;
        r.s.select_value(&tipo, "TARI")?;
        Ok(())
    };
    let sportello_di = |ws: &Workspace| -> Result<Vec<(String, Value)>> {
        Ok(di(&debiti(ws)?, NERI.0)
            .into_iter()
            .filter(|(_, d)| d["causale"].as_str() == Some("Diritti di segreteria"))
            .collect())
    };
    let mut primo = String::new();
    r.step(
        "Sportello: crea il dovuto e l'avviso, il modulo resta sul risultato",
        |r| {
            nav(r.s, "sportello")?;
            compila(r)?;
            r.s.click_testid("sportello-crea", T_UI)?;
            r.s.wait_visible(&tid("sportello-risultato"), T_REMOTE)?;
            let iuv = r.s.text(&r.s.testid("sportello-iuv", T_UI)?)?;
            ensure!(
                iuv.trim().chars().filter(char::is_ascii_digit).count() >= 15,
                "no IUV in the result: {iuv:?}"
            );
            let pagatore = r.s.text(&r.s.testid("sportello-pagatore", T_UI)?)?;
            ensure!(
                pagatore.contains(NERI.1),
                "sportello-pagatore: {pagatore:?}"
            );
            let importo = r.s.text(&r.s.testid("sportello-importo", T_UI)?)?;
            ensure!(importo.contains("35,00"), "sportello-importo: {importo:?}");
            // Locked: no creation button, every field read-only.
            ensure!(
                r.s.find(&tid("sportello-crea"))?.is_none(),
                "«Crea» is still there"
            );
            let form = r.s.testid("sportello-form", T_UI)?;
            for e in r.s.within(&form, "input")? {
                ensure!(
                    r.s.property(&e, "readOnly")? == "true",
                    "a field of the locked form is editable: {:?}",
                    r.s.attr(&e, "name")?
                );
            }
            let creati = sportello_di(ws)?;
            ensure!(creati.len() == 1, "debts of the payer: {creati:?}");
            primo = creati[0].0.clone();
            let risultato = r.s.testid("sportello-risultato", T_UI)?;
            r.s.script(
                "arguments[0].scrollIntoView({block: 'end'})",
                vec![risultato.json()],
            )?;
            r.shot("sportello-bloccato")?;
            Ok(())
        },
    )?;
    r.step(
        "Sportello: annullare chiede conferma; «No» non annulla",
        |r| {
            r.s.click_testid("sportello-annulla", T_UI)?;
            let d = r.s.wait_visible(&tid("sportello-conferma-annulla"), T_UI)?;
            let domanda = r.s.text(&d)?;
            ensure!(
                domanda.contains(NERI.1) && domanda.contains("35,00"),
                "the question does not name payer and amount: {domanda:?}"
            );
            r.shot("sportello-conferma-annulla")?;
            r.s.click_testid("sportello-conferma-annulla-no", T_UI)?;
            wait_for("the question to close", T_UI, || {
                Ok(r.s
                    .find(&tid("sportello-conferma-annulla"))?
                    .is_none()
                    .then_some(()))
            })?;
            let creati = sportello_di(ws)?;
            ensure!(
                creati.len() == 1 && stato(&creati[0].1) != "cancelled",
                "after «No»: {creati:?}"
            );
            r.s.testid("sportello-risultato", T_UI)?;
            Ok(())
        },
    )?;
    r.step(
        "Sportello: lo stesso dovuto una seconda volta chiede prima",
        |r| {
            r.s.click_testid("sportello-nuovo", T_UI)?;
            wait_for("the form open again", T_UI, || {
                Ok(r.s
                    .find(&tid("sportello-risultato"))?
                    .is_none()
                    .then_some(()))
            })?;
            compila(r)?;
            r.s.click_testid("sportello-crea", T_UI)?;
            r.s.wait_visible(&tid("sportello-duplicato"), T_REMOTE)?;
            r.shot("sportello-duplicato")?;
            r.s.click_testid("sportello-duplicato-no", T_UI)?;
            wait_for("the question to close", T_UI, || {
                Ok(r.s
                    .find(&tid("sportello-duplicato"))?
                    .is_none()
                    .then_some(()))
            })?;
            ensure!(
                r.s.find(&tid("sportello-risultato"))?.is_none(),
                "a result after «Annulla»"
            );
            ensure!(sportello_di(ws)?.len() == 1, "created after «Annulla»");
            // Asked again, «Crea comunque» creates the second one.
            r.s.click_testid("sportello-crea", T_UI)?;
            r.s.wait_visible(&tid("sportello-duplicato"), T_REMOTE)?;
            r.s.click_testid("sportello-duplicato-si", T_UI)?;
            r.s.wait_visible(&tid("sportello-risultato"), T_REMOTE)?;
            let creati = sportello_di(ws)?;
            ensure!(creati.len() == 2, "after «Crea comunque»: {creati:?}");
            Ok(())
        },
    )?;
    r.step("Sportello: «Sì, annulla» annulla su MyPay", |r| {
        let secondo = sportello_di(ws)?
            .into_iter()
            .map(|(k, _)| k)
            .find(|k| *k != primo)
            .context("the second debt")?;
        r.s.click_testid("sportello-annulla", T_UI)?;
        r.s.wait_visible(&tid("sportello-conferma-annulla"), T_UI)?;
        r.s.click_testid("sportello-conferma-annulla-si", T_UI)?;
        wait_for("the result to go", T_REMOTE, || {
            Ok(r.s
                .find(&tid("sportello-risultato"))?
                .is_none()
                .then_some(()))
        })?;
        let d = debiti(ws)?;
        let st = |k: &str| d.get(k).map(stato).unwrap_or("(missing)").to_string();
        println!(
            "    first {primo}: {}, second {secondo}: {}",
            st(&primo),
            st(&secondo)
        );
        ensure!(
            st(&secondo) == "cancelled",
            "the second is {}",
            st(&secondo)
        );
        ensure!(st(&primo) != "cancelled", "the first was cancelled too");
        r.s.script(crate::wd::IN_CIMA, vec![])?;
        r.shot("sportello-annullato")?;
        Ok(())
    })?;
    // Dovuti lists the states the CLI sees (the MENSA debt still ready).
    r.step("Dovuti: MENSA ancora pronto, il resto caricato", |r| {
        let attesi: BTreeMap<String, String> = debiti(ws)?
            .into_iter()
            .map(|(k, d)| (k, stato(&d).to_string()))
            .collect();
        let righe = wait_dovuti(r.s, "the states the CLI sees", T_UI, |m| *m == attesi)?;
        println!("    debts: {righe:?}");
        r.shot("dovuti-fine")?;
        Ok(())
    })?;
    Ok(())
}
