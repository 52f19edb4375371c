//! Issue 16 in the real window: the treasury in Riconciliazione. Three debts are sent to the
//! MyPay emulator, paid there and their receipts synced (the CLI); the clerk picks in the page
//! an FdR reporting two of them, then the treasury journal, a CSV written here: one bolletta
//! whose causale names the FdR's IUF, one whose IUF matches nothing. The screen shows the
//! journal's outcome, the two payments «Incassati in tesoreria», the FdR's treasury amount,
//! the entries with their match or why not, the reversal proposal of the bolletta; «Salva in
//! CSV…» writes the proposals where the save dialog says (the system's dialog is answered by
//! the test: the page's IPC request for `plugin:dialog|save` gets the path, everything else is
//! the real window and the real command). At 1200×800 and 1024×700, nothing cut, axe clean.

use anyhow::{Context, Result, ensure};
use serde_json::Value;

use super::riconciliazione::{Ricevuta, attributi, totale, tre_ricevute};
use super::{ENTE, Run, SIZE_SMALL, T_UI, Variant, nav, niente_tagliato, resize, shots_for};
use crate::app::{Emulator, Setup, Workspace};
use crate::wd::{Session, tid, wait_for};

const IUF: &str = "2030-01-15ABI03069-S150001";
/// An IUF no FdR here has (its last characters wrong): an entry matched to nothing.
const IUF_IGNOTO: &str = "2030-01-15ABI03069-S150091";

/// `1234` → `12,34` (the journal's and the screen's amounts stay below a thousand euros).
fn virgola(cents: i64) -> String {
    format!("{},{:02}", cents / 100, cents % 100)
}

/// An FdR for the scenario's Ente reporting `righe` as paid (esito 0), its total declared.
fn fdr(righe: &[&Ricevuta]) -> String {
    let totale: i64 = righe.iter().map(|r| r.cents).sum();
    let punto = |c: i64| format!("{}.{:02}", c / 100, c % 100);
    let mut x = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<FlussoRiversamento xmlns="http://www.digitpa.gov.it/schemas/2011/Pagamenti/">
  <versioneOggetto>1.0</versioneOggetto>
  <identificativoFlusso>{IUF}</identificativoFlusso>
  <dataOraFlusso>2030-01-16T09:12:33</dataOraFlusso>
  <identificativoUnivocoRegolamento>TRN20300115</identificativoUnivocoRegolamento>
  <dataRegolamento>2030-01-15</dataRegolamento>
  <istitutoMittente><identificativoUnivocoMittente><tipoIdentificativoUnivoco>B</tipoIdentificativoUnivoco><codiceIdentificativoUnivoco>ABI03069</codiceIdentificativoUnivoco></identificativoUnivocoMittente><denominazioneMittente>Banca di Prova</denominazioneMittente></istitutoMittente>
  <istitutoRicevente><identificativoUnivocoRicevente><tipoIdentificativoUnivoco>G</tipoIdentificativoUnivoco><codiceIdentificativoUnivoco>00123456789</codiceIdentificativoUnivoco></identificativoUnivocoRicevente></istitutoRicevente>
  <numeroTotalePagamenti>{}</numeroTotalePagamenti>
  <importoTotalePagamenti>{}</importoTotalePagamenti>
"#,
        righe.len(),
        punto(totale)
    );
    for r in righe {
        x.push_str(&format!(
            "  <datiSingoliPagamenti><identificativoUnivocoVersamento>{}</identificativoUnivocoVersamento><identificativoUnivocoRiscossione>{}</identificativoUnivocoRiscossione><indiceDatiSingoloPagamento>1</indiceDatiSingoloPagamento><singoloImportoPagato>{}</singoloImportoPagato><codiceEsitoSingoloPagamento>0</codiceEsitoSingoloPagamento><dataEsitoSingoloPagamento>2030-01-14</dataEsitoSingoloPagamento></datiSingoliPagamenti>\n",
            r.iuv, r.iur, punto(r.cents)
        ));
    }
    x.push_str("</FlussoRiversamento>\n");
    x
}

/// Picks `file` in the page's chooser `input` and waits for an outcome starting with `atteso`.
fn scegli(r: &mut Run, input: &str, file: &std::path::Path, atteso: &str) -> Result<()> {
    let e = r.s.testid(input, T_UI)?;
    r.s.send_keys(&e, file.to_str().context("path")?)?;
    let mut ultimo = String::new();
    let esito = wait_for("the import's outcome", T_UI, || {
        let e = r.s.testid("riconciliazione-esito", T_UI)?;
        ultimo = r.s.text(&e)?;
        Ok(ultimo.starts_with(atteso).then_some(()))
    });
    esito.with_context(|| format!("the outcome reads {ultimo:?}"))
}

/// Answers the next save dialogs with `percorso`: the page's IPC request for
/// `plugin:dialog|save` (Tauri's custom protocol, a `fetch`) gets it as the dialog's answer.
fn rispondi_salva(s: &Session, percorso: &std::path::Path) -> Result<()> {
    s.script(
        "const percorso = arguments[0]; \
         if (!window.__mpdFetch) window.__mpdFetch = window.fetch; \
         window.fetch = (url, init) => String(url).includes('plugin%3Adialog%7Csave') \
           ? Promise.resolve(new Response(JSON.stringify(percorso), \
               { headers: { 'Tauri-Response': 'ok', 'Content-Type': 'application/json' } })) \
           : window.__mpdFetch(url, init); \
         return true",
        vec![Value::from(percorso.to_str().context("path")?)],
    )?;
    Ok(())
}

/// Scrolls the element of `testid` to the top of the window.
fn in_cima(s: &Session, testid: &str) -> Result<()> {
    let e = s.testid(testid, T_UI)?;
    s.script(
        "arguments[0].scrollIntoView({block: 'start'})",
        vec![e.json()],
    )?;
    Ok(())
}

pub fn riconciliazione_tesoreria(setup: &Setup, v: &Variant) -> Result<()> {
    let ws = Workspace::new(setup)?;
    let profile = ws.path("ente.toml");
    std::fs::write(&profile, ENTE)?;
    let emu = Emulator::start(&ws, &profile)?;
    ws.ente_and_connection(&profile, &emu.url)?;
    let ricevute = tre_ricevute(&ws, &emu, &[])?;
    let (a, b) = (&ricevute[0], &ricevute[1]);
    let incassati = a.cents + b.cents;
    let flusso = ws.path("flusso-banca.xml");
    std::fs::write(&flusso, fdr(&[a, b]))?;
    // The treasury journal as the bank exports it: MyPivot's default columns, Italian dates
    // and amounts; the first causale names the FdR's IUF.
    let giornale = ws.path("giornale-di-cassa.csv");
    std::fs::write(
        &giornale,
        format!(
            "anno;numero;data_contabile;ordinante;causale;importo;data_valuta\n\
             2030;15;16/01/2030;BANCA DI PROVA SPA;/PUR/LGPE-RIVERSAMENTO/URI/{IUF};{};16/01/2030\n\
             2030;16;16/01/2030;BANCA DI PROVA SPA;/PUR/LGPE-RIVERSAMENTO/URI/{IUF_IGNOTO};12,00;16/01/2030\n",
            virgola(incassati)
        ),
    )?;
    let proposte = ws.path("proposte di reversale.csv");

    let (_driver, session) = v.open(setup, &ws, &[])?;
    let mut r = Run {
        s: &session,
        shots: shots_for(setup, v.name)?,
        scenario: v.name,
    };
    r.step("Riconciliazione: il flusso, poi il giornale di cassa", |r| {
        r.s.testid("nav-home", super::T_START)?;
        nav(r.s, "riconciliazione")?;
        r.s.wait_visible(&tid("riconciliazione-tesoreria-vuoto"), T_UI)?;
        scegli(
            r,
            "riconciliazione-file",
            &flusso,
            "1 flusso di rendicontazione importato con 2 pagamenti.",
        )?;
        scegli(
            r,
            "riconciliazione-tesoreria-file",
            &giornale,
            "Giornale importato (giornale di cassa CSV): 2 movimenti aggiunti.",
        )?;
        let esito = r.s.text(&r.s.testid("riconciliazione-esito", T_UI)?)?;
        ensure!(
            esito.contains("giornale-di-cassa.csv: giornale di cassa CSV, formato riconosciuto dal contenuto."),
            "{esito}"
        );
        let t = wait_for("two payments incassati", T_UI, || {
            let t = totale(r.s, "incassato")?;
            Ok(t.contains(" | 2 | ").then_some(t))
        })?;
        ensure!(
            t == format!("Incassati in tesoreria | 2 | {} €", virgola(incassati)),
            "{t}"
        );
        ensure!(
            totale(r.s, "pagato")?.starts_with("Pagati, in attesa del flusso | 1 |"),
            "{}",
            totale(r.s, "pagato")?
        );
        ensure!(
            attributi(r.s, "fdr-tesoreria", "data-incassato")? == ["si"],
            "the FdR's treasury column"
        );
        let fdr = r.s.text(&r.s.testid("fdr-tesoreria", T_UI)?)?;
        ensure!(fdr.contains(&format!("{} €", virgola(incassati))), "{fdr}");
        r.s.script(crate::wd::IN_CIMA, vec![])?;
        r.shot("tesoreria-importata-1200")?;
        Ok(())
    })?;
    r.step(
        "Riconciliazione: i movimenti e la proposta di reversale",
        |r| {
            let esiti = attributi(r.s, "riconciliazione-movimento", "data-esito")?;
            let bollette = attributi(r.s, "riconciliazione-movimento", "data-bolletta")?;
            ensure!(
                bollette == ["2030/16", "2030/15"] && esiti == ["sconosciuto", "abbinato"],
                "entries {bollette:?} {esiti:?}"
            );
            let movimenti = r.s.text(&r.s.testid("riconciliazione-movimenti", T_UI)?)?;
            ensure!(
                movimenti.contains("IUF letto dopo /PUR/LGPE-RIVERSAMENTO/URI/")
                    && movimenti.contains("BANCA DI PROVA SPA"),
                "{movimenti}"
            );
            in_cima(r.s, "riconciliazione-movimenti")?;
            r.shot("tesoreria-movimenti-1200")?;
            let proposta = r.s.wait(
                &format!(
                    "{}[data-bolletta=\"2030/15\"]",
                    tid("riconciliazione-proposta")
                ),
                T_UI,
            )?;
            let testo = r.s.text(&proposta)?;
            ensure!(
                testo.contains(&format!(
                    "Bolletta 2030/15 del 16/01/2030: {} €",
                    virgola(incassati)
                )),
                "{testo}"
            );
            let righe =
                r.s.within(&proposta, &tid("riconciliazione-proposta-riga"))?;
            ensure!(!righe.is_empty(), "no line in the proposal: {testo}");
            in_cima(r.s, "riconciliazione-proposte")?;
            r.shot("tesoreria-proposte-1200")?;
            Ok(())
        },
    )?;
    r.step("Riconciliazione: le proposte salvate in CSV", |r| {
        rispondi_salva(r.s, &proposte)?;
        r.s.click_testid("riconciliazione-proposte-csv", T_UI)?;
        let mut ultimo = String::new();
        let esito = wait_for("the proposals saved", T_UI, || {
            ultimo = r.s.text(&r.s.testid("riconciliazione-esito", T_UI)?)?;
            Ok(ultimo.contains("salvate in").then_some(()))
        });
        esito.with_context(|| format!("the outcome reads {ultimo:?}"))?;
        ensure!(ultimo.contains(&proposte.display().to_string()), "{ultimo}");
        let csv = std::fs::read_to_string(&proposte)
            .with_context(|| format!("{} not written", proposte.display()))?;
        let csv = csv.trim_start_matches('\u{feff}');
        ensure!(
            csv.starts_with(
                "Esercizio;Numero bolletta;Data;Capitolo;Articolo;Accertamento;Importo;Descrizione"
            ),
            "{csv}"
        );
        // The bolletta of the FdR, covered exactly (the debts have no chapter: one line);
        // the one of the unknown IUF, all residue.
        let righe: Vec<&str> = csv.lines().skip(1).collect();
        ensure!(
            righe.len() == 2
                && righe[0].starts_with(&format!("2030;15;16/01/2030;;;;{};", virgola(incassati)))
                && righe[1].starts_with("2030;16;16/01/2030;;;;12,00;residuo"),
            "{csv}"
        );
        Ok(())
    })?;
    r.step("Riconciliazione con la tesoreria a 1024×700", |r| {
        resize(r.s, SIZE_SMALL)?;
        r.s.script(crate::wd::IN_CIMA, vec![])?;
        niente_tagliato(r.s, "riconciliazione con la tesoreria a 1024×700")?;
        r.shot("tesoreria-1024")?;
        in_cima(r.s, "riconciliazione-movimenti")?;
        niente_tagliato(r.s, "movimenti di tesoreria a 1024×700")?;
        r.shot("tesoreria-movimenti-1024")?;
        in_cima(r.s, "riconciliazione-proposte")?;
        r.shot("tesoreria-proposte-1024")?;
        Ok(())
    })?;
    session.close()?;
    drop(emu);
    Ok(())
}
