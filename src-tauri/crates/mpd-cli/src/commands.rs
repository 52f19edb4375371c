//! One handler per subcommand: each calls `mpd_core` and prints the result.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use mpd_core::input::DebtInput;

use crate::args::{
    CampagnaArgs, Cli, Command, DebtFields, DebtsCmd, EnteCmd, Esito9, FdrCmd, FlowCmd,
    GenerateCmd, IndiceMancante, NoticesCmd, ReceiptsCmd, TreasuryCmd,
};
use crate::contesto::{self, upkeep};
use crate::output::{self, Out};
use mpd_app::Lavoro;
use mpd_app::dovuti::{self, FiltroDovuti};
use mpd_app::flussi;
use mpd_app::importa::{self, ModoImportazione, Scelte};
use mpd_app::posizioni;
use mpd_app::riconciliazione;
use mpd_app::tesoreria;

/// Runs the command; returns the exit code (errors that stop the command bubble up as `Err`).
pub fn dispatch(cli: &Cli, out: &mut dyn Write, err: &mut dyn Write) -> Result<i32> {
    let mut o = Out {
        out,
        err,
        json: cli.json,
    };
    match &cli.command {
        Command::Ente(EnteCmd::Show) => crate::adesione::ente_show(cli, &mut o),
        Command::Ente(EnteCmd::Set { file }) => crate::adesione::ente_set(cli, file, &mut o),
        Command::Debts(DebtsCmd::Add(fields)) => {
            let outcome = dovuti::aggiungi(&contesto::app(cli), to_input(fields), fields.bozza)?;
            output::debt_outcome(&mut o, &outcome, "Dovuto aggiunto")
        }
        Command::Debts(DebtsCmd::Edit { dovuto, fields }) => {
            let outcome = dovuti::modifica(&contesto::app(cli), dovuto, to_input(fields))?;
            output::debt_outcome(&mut o, &outcome, "Dovuto modificato")
        }
        Command::Debts(DebtsCmd::Cancel { iud }) => {
            let esiti = dovuti::annulla(&contesto::app(cli), std::slice::from_ref(iud))?;
            let esito = esiti.first().context("nessun esito dell'annullamento")?;
            if !esito.ok {
                bail!("{}", esito.messaggio);
            }
            if o.json {
                o.json_value(esito)?;
            } else {
                writeln!(o.out, "Dovuto {}: {}.", esito.iud, esito.messaggio)?;
            }
            Ok(0)
        }
        Command::Debts(DebtsCmd::Delete { iud }) => {
            let r = dovuti::elimina_bozze(&contesto::app(cli), iud)?;
            if o.json {
                o.json_value(&r)?;
            } else {
                output::bozze_eliminate(&mut o, &r)?;
            }
            Ok(if r.rifiutate.is_empty() { 0 } else { 1 })
        }
        Command::Debts(DebtsCmd::ImportUndo { id }) => {
            let r = mpd_app::importa::annulla_importazione(&contesto::app(cli), *id)?;
            if o.json {
                o.json_value(&r)?;
            } else {
                output::importazione_annullata(&mut o, &r)?;
            }
            Ok(0)
        }
        Command::Debts(DebtsCmd::Ready { iud }) => {
            let app = contesto::app(cli);
            let esiti = if iud.is_empty() {
                dovuti::bozze_pronte(&app)?
            } else {
                dovuti::pronti(&app, iud)?
            };
            let n = esiti.iter().filter(|e| e.ok).count();
            if o.json {
                o.json_value(&serde_json::json!({ "pronti": n, "esiti": esiti }))?;
            } else {
                for e in esiti.iter().filter(|e| !e.ok) {
                    writeln!(o.err, "{}: {}", e.iud, e.messaggio)?;
                }
                writeln!(
                    o.out,
                    "{} per l'invio.",
                    mpd_domain::testo::conta(n, "dovuto pronto", "dovuti pronti")
                )?;
            }
            Ok(0)
        }
        Command::Debts(DebtsCmd::AddPosition {
            codice,
            oggetto,
            unica,
            rata,
            campi,
        }) => {
            if campi.importo.is_some()
                || campi.scadenza.is_some()
                || campi.iud.is_some()
                || campi.iuv.is_some()
            {
                bail!(
                    "in una posizione importo e scadenza vanno con --unica e --rata (es. --rata 80,00@31/07/2027), gli IUD li genera il programma e gli IUV li assegna MyPay: togliere --importo, --scadenza, --iud e --iuv"
                );
            }
            let opzione = |s: &String| -> Result<posizioni::ImportoScadenza> {
                let (importo, scadenza) = s.split_once('@').with_context(|| {
                    format!(
                        "«{s}»: scrivere importo e scadenza separati da @, es. 80,00@31/07/2027"
                    )
                })?;
                Ok(posizioni::ImportoScadenza {
                    importo: importo.trim().to_string(),
                    scadenza: Some(scadenza.trim().to_string()).filter(|d| !d.is_empty()),
                })
            };
            let p = posizioni::NuovaPosizione {
                codice: codice.clone(),
                oggetto: oggetto.clone(),
                pagatore: to_campi(campi),
                unica: unica.as_ref().map(opzione).transpose()?,
                rate: rata.iter().map(opzione).collect::<Result<_>>()?,
            };
            let esito = posizioni::crea(&contesto::app(cli), p, campi.bozza)?;
            output::posizione_creata(&mut o, &esito)
        }
        Command::Debts(DebtsCmd::Positions { tipo, cf, limit }) => {
            let l = posizioni::elenco(&contesto::app(cli), tipo.as_deref(), cf.as_deref(), *limit)?;
            output::posizioni(&mut o, &l)?;
            Ok(0)
        }
        Command::Debts(DebtsCmd::Notice { codice, out }) => {
            let a = mpd_app::avvisi::stampa_posizione(&contesto::app(cli), codice, out)?;
            if o.json {
                o.json_value(&a)?;
            } else {
                writeln!(
                    o.out,
                    "Avviso scritto in {}: {}, {}.",
                    a.file,
                    mpd_domain::testo::conta(
                        a.opzioni,
                        "opzione di pagamento",
                        "opzioni di pagamento"
                    ),
                    mpd_domain::testo::conta(a.pagine, "pagina", "pagine")
                )?;
            }
            Ok(0)
        }
        Command::Debts(DebtsCmd::Position {
            codice,
            set_rata,
            add_rata,
            remove_rata,
        }) => {
            let cambi = cambi_rate(set_rata, add_rata, remove_rata)?;
            if cambi.is_empty() {
                let p = posizioni::dettaglio(&contesto::app(cli), codice)?;
                output::posizioni(&mut o, std::slice::from_ref(&p))?;
                return Ok(0);
            }
            let esito = posizioni::cambia_rate(&contesto::app(cli), codice, &cambi)?;
            output::posizione_cambiata(&mut o, &esito)
        }
        Command::Debts(DebtsCmd::List {
            state,
            cerca,
            limit,
        }) => {
            let filtro = FiltroDovuti {
                stato: state.clone(),
                testo: cerca.clone(),
                limit: *limit,
                ..Default::default()
            };
            output::debts(&mut o, &dovuti::elenco(&contesto::app(cli), &filtro)?)?;
            Ok(0)
        }
        Command::Debts(DebtsCmd::Import {
            file,
            valid_only,
            check,
            sheet,
            tipo,
            mapping,
            anche_duplicati,
        }) => {
            let app = contesto::app(cli);
            let scelte = Scelte {
                anche_duplicati: Some(*anche_duplicati),
                ..scelte(file, sheet, tipo, mapping)?
            };
            if *check {
                let report = importa::verifica(&app, &scelte, &Lavoro::muto())?;
                output::import_report(&mut o, &report, true)?;
                if !o.json {
                    let cmd = format!("mypay-desk debts import {}", file.display());
                    if report.ha_errori() {
                        writeln!(
                            o.out,
                            "Solo verifica: nessun dato è stato scritto. Corregga le righe errate e importi con «{cmd}», \
                             oppure aggiunga --valid-only per importare solo le righe valide."
                        )?;
                    } else {
                        writeln!(
                            o.out,
                            "Solo verifica: nessun dato è stato scritto. Per importare: «{cmd}»."
                        )?;
                    }
                }
                return Ok(if report.ha_errori() { 1 } else { 0 });
            }
            let modo = if *valid_only {
                ModoImportazione::SoloValide
            } else {
                ModoImportazione::TuttoONiente
            };
            let report = importa::esegui(&app, &scelte, modo, &Lavoro::muto())?;
            output::import_report(&mut o, &report, *valid_only)?;
            upkeep(&mut o, &app)?;
            Ok(if report.ha_errori() { 1 } else { 0 })
        }
        Command::Debts(DebtsCmd::Preview {
            file,
            sheet,
            tipo,
            mapping,
        }) => {
            let scelte = scelte(file, sheet, tipo, mapping)?;
            let preview = importa::anteprima(&contesto::app(cli), &scelte)?;
            output::sheet_preview(&mut o, &preview)?;
            Ok(0)
        }
        Command::Debts(DebtsCmd::Template { out }) => {
            let path = importa::modello(&contesto::app(cli), &assoluto(out)?)?;
            if o.json {
                o.json_value(&serde_json::json!({ "file": path.display().to_string() }))?;
            } else {
                writeln!(o.out, "Modello scritto in {}.", path.display())?;
            }
            Ok(0)
        }
        Command::Debts(DebtsCmd::Export {
            out,
            state,
            tipo,
            cerca,
            dal,
            al,
        }) => {
            let iso = |d: &Option<chrono::NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
            let filtro = FiltroDovuti {
                stato: state.clone(),
                tipo: tipo.clone(),
                testo: cerca.clone(),
                scadenza_dal: iso(dal),
                scadenza_al: iso(al),
                ..Default::default()
            };
            let n = dovuti::esporta_filtrati(&contesto::app(cli), &filtro, &assoluto(out)?)?;
            if o.json {
                o.json_value(
                    &serde_json::json!({ "file": out.display().to_string(), "dovuti": n }),
                )?;
            } else {
                let quanti = if n == 1 {
                    "Esportato 1 dovuto".to_string()
                } else {
                    format!("Esportati {} dovuti", mpd_domain::testo::numero(n))
                };
                writeln!(o.out, "{quanti} in {}.", out.display())?;
            }
            Ok(0)
        }
        Command::Flow(FlowCmd::Build { version, out, tipo }) => {
            let report = flussi::prepara(
                &contesto::app(cli),
                version.as_deref(),
                out.as_deref(),
                tipo.as_deref(),
            )?;
            output::build_report(&mut o, &report)?;
            Ok(0)
        }
        Command::Flow(FlowCmd::Check { zip }) => {
            match flussi::controlla_file(&contesto::app(cli), zip) {
                Ok(report) => {
                    output::check_report(&mut o, &report)?;
                    Ok(if report.rejected.is_empty() { 0 } else { 1 })
                }
                Err(e) if e.codice == mpd_app::Codice::FileNonValido => {
                    if o.json {
                        o.json_value(&serde_json::json!({ "file": zip.display().to_string(), "errore": e.messaggio }))?;
                    }
                    writeln!(o.err, "errore: {}: {}", zip.display(), e.messaggio)?;
                    Ok(2)
                }
                Err(e) => Err(e.into()),
            }
        }
        Command::Flow(FlowCmd::Pending) => {
            output::da_inviare(&mut o, &flussi::da_inviare(&contesto::app(cli))?)?;
            Ok(0)
        }
        Command::Flow(FlowCmd::List) => {
            output::flows(&mut o, &flussi::elenco(&contesto::app(cli))?)?;
            Ok(0)
        }
        Command::Receipts(ReceiptsCmd::Import { file }) => {
            let app = contesto::app(cli);
            let summary = mpd_app::ricevute::importa(&app, file)?;
            output::receipts_summary(&mut o, &summary)?;
            upkeep(&mut o, &app)?;
            Ok(0)
        }
        Command::Receipts(ReceiptsCmd::List { limit }) => {
            let list = mpd_app::ricevute::elenco(&contesto::app(cli), None, *limit)?;
            output::receipts(&mut o, &list)?;
            Ok(0)
        }
        Command::Fdr(FdrCmd::Import { file }) => output::fdr_importati(
            &mut o,
            &riconciliazione::importa(&contesto::app(cli), file)?,
        ),
        Command::Fdr(FdrCmd::Download { from, to }) => {
            crate::remote::fdr_download(cli, from.as_deref(), to.as_deref(), &mut o)
        }
        Command::Treasury(TreasuryCmd::Import {
            file,
            format,
            mapping,
        }) => output::tesoreria_importata(
            &mut o,
            &tesoreria::importa(
                &contesto::app(cli),
                file,
                format.map(|f| f.codice()),
                mapping,
            )?,
        ),
        Command::Treasury(TreasuryCmd::List) => {
            output::movimenti_tesoreria(&mut o, &tesoreria::movimenti(&contesto::app(cli))?)
        }
        Command::Treasury(TreasuryCmd::Rules {
            giorni_rendicontazione,
            giorni_incasso,
            giorni_suggerimento,
        }) => {
            let app = contesto::app(cli);
            let regole = match (giorni_rendicontazione, giorni_incasso, giorni_suggerimento) {
                (None, None, None) => tesoreria::regole(&app)?,
                _ => tesoreria::imposta_regole(
                    &app,
                    *giorni_rendicontazione,
                    *giorni_incasso,
                    *giorni_suggerimento,
                )?,
            };
            output::regole_tesoreria(&mut o, &regole)
        }
        Command::Fdr(FdrCmd::List) => {
            output::fdr(&mut o, &riconciliazione::elenco_fdr(&contesto::app(cli))?)
        }
        Command::Fdr(FdrCmd::Show { iuf }) => output::fdr_dettaglio(
            &mut o,
            &riconciliazione::dettaglio_fdr(&contesto::app(cli), iuf)?,
        ),
        Command::Fdr(FdrCmd::Payments { state, page }) => output::fdr_pagamenti(
            &mut o,
            &riconciliazione::elenco_pagamenti(
                &contesto::app(cli),
                Some(state.as_deref().unwrap_or("tutti")),
                page.map(|p| p as usize - 1),
            )?,
        ),
        Command::Fdr(FdrCmd::Rules {
            indice_mancante,
            esito9,
        }) => {
            let app = contesto::app(cli);
            let regole = match (indice_mancante, esito9) {
                (None, None) => riconciliazione::regole(&app)?,
                _ => riconciliazione::imposta_regole(
                    &app,
                    indice_mancante.map(|i| matches!(i, IndiceMancante::Primo)),
                    esito9.map(|e| matches!(e, Esito9::Rendicontato)),
                )?,
            };
            output::regole_riconciliazione(&mut o, &regole)
        }
        Command::Sim(args) => crate::sim::run(args, &mut o),
        Command::Sync(a) => crate::remote::sync(cli, a, &mut o),
        Command::Counter(c) => crate::remote::counter(cli, c, &mut o),
        Command::Credentials(c) => crate::remote::credentials(cli, c, &mut o),
        Command::Connection(c) => crate::remote::connection(cli, c, &mut o),
        Command::Flow(FlowCmd::Submit(a)) => crate::remote::flow_submit(cli, a, &mut o),
        Command::Flow(FlowCmd::Status { flusso }) => {
            crate::remote::flow_status(cli, flusso.as_deref(), &mut o)
        }
        Command::Receipts(ReceiptsCmd::Download(a)) => {
            crate::remote::receipts_download(cli, a, &mut o)
        }
        Command::Ente(EnteCmd::Check) => crate::adesione::ente_check(cli, &mut o),
        Command::Ente(EnteCmd::Capitolo(a)) => crate::riconcilia::ente_capitolo(cli, a, &mut o),
        Command::Reconcile(a) => crate::riconcilia::reconcile(cli, a, &mut o),
        Command::Adesione(cmd) => crate::adesione::run_adesione(cli, cmd, &mut o),
        Command::Contributo(cmd) => crate::adesione::run_contributo(cli, cmd, &mut o),
        Command::Report(a) => report(cli, a, &mut o),
        Command::Retention(c) => retention(cli, c, &mut o),
        Command::Archive(c) => archive(cli, c, &mut o),
        Command::Notices(NoticesCmd::Plan(a)) => notices_plan(cli, &a.campagna, &mut o),
        Command::Notices(NoticesCmd::Build(a)) if a.dry_run => {
            notices_plan(cli, &a.campagna, &mut o)
        }
        Command::Notices(NoticesCmd::Build(a)) => notices_build(cli, a, &mut o),
        Command::Generate(GenerateCmd::Debts {
            count,
            out,
            version,
            seed,
        }) => {
            let n = dovuti::genera(&contesto::app(cli), out, Some(version), *count, *seed)?;
            if o.json {
                o.json_value(
                    &serde_json::json!({ "file": out.display().to_string(), "righe": n }),
                )?;
            } else {
                writeln!(
                    o.out,
                    "{} {} in {} (tracciato {version}).",
                    mpd_domain::testo::parola(n, "Scritto", "Scritti"),
                    mpd_domain::testo::conta(n, "dovuto sintetico", "dovuti sintetici"),
                    out.display()
                )?;
            }
            Ok(0)
        }
    }
}

fn campagna(a: &CampagnaArgs) -> mpd_app::avvisi::lotto::Campagna {
    mpd_app::avvisi::lotto::Campagna {
        tipo: a.tipo.clone(),
        anno: a.anno,
        codice_fiscale: a.cf.clone(),
    }
}

/// `notices plan` (and `notices build --dry-run`): what a run would write.
fn notices_plan(cli: &Cli, a: &CampagnaArgs, o: &mut Out<'_>) -> Result<i32> {
    let piano = mpd_app::avvisi::lotto::prepara(&contesto::app(cli), &campagna(a), a.per_file)?;
    output::piano_avvisi(o, &piano)?;
    Ok(0)
}

/// `notices build`: the notices, the print files and the manifest (as JSON with `--json`).
fn notices_build(cli: &Cli, a: &crate::args::NoticesBuildArgs, o: &mut Out<'_>) -> Result<i32> {
    let opzioni = mpd_app::avvisi::lotto::OpzioniLotto {
        cartella: std::path::absolute(&a.out)
            .unwrap_or_else(|_| a.out.clone())
            .display()
            .to_string(),
        modello_nome: a.nome.clone(),
        per_file: a.campagna.per_file,
    };
    let json = o.json;
    let err = &mut *o.err;
    let lavoro = Lavoro::new(
        |p: mpd_app::avvisi::lotto::AvanzamentoAvvisi| {
            if !json && (p.fatti.is_multiple_of(1000) || p.fatti == p.totale) && p.fatti > 0 {
                let _ = writeln!(
                    err,
                    "Avvisi: {} di {}",
                    mpd_domain::testo::numero(p.fatti),
                    mpd_domain::testo::numero(p.totale)
                );
            }
        },
        std::sync::Arc::default(),
    );
    let esito = mpd_app::avvisi::lotto::genera(
        &contesto::app(cli),
        &campagna(&a.campagna),
        &opzioni,
        &lavoro,
    );
    drop(lavoro);
    output::avvisi_generati(o, &esito?)?;
    Ok(0)
}

/// `report`: the figures on stdout (or the `Rapporto` as JSON), and the PDF and workbook asked for.
fn report(cli: &Cli, a: &crate::args::ReportArgs, o: &mut Out<'_>) -> Result<i32> {
    use mpd_app::rapporto::{self, FormatoRapporto, Importi, euro, numero};
    let mut file = Vec::new();
    if let Some(p) = &a.pdf {
        file.push((FormatoRapporto::Pdf, p.as_path()));
    }
    if let Some(p) = &a.xlsx {
        file.push((FormatoRapporto::Xlsx, p.as_path()));
    }
    let r = rapporto::esporta_tutti(&contesto::app(cli), a.data, &file)?;
    if o.json {
        o.json_value(&r)?;
        return Ok(0);
    }
    let data = chrono::NaiveDate::parse_from_str(&r.data, "%Y-%m-%d")
        .map(mpd_domain::dates::format_it)
        .unwrap_or_else(|_| r.data.clone());
    let ente = if r.ente.is_empty() {
        String::new()
    } else {
        format!(" – {}", r.ente)
    };
    writeln!(o.out, "Resoconto delle entrate{ente}, situazione al {data}")?;
    let t = &r.totale;
    writeln!(
        o.out,
        "  Atteso:       {:>16} (dovuti: {})",
        euro(t.atteso_cents),
        numero(t.dovuti)
    )?;
    writeln!(
        o.out,
        "  Incassato:    {:>16} (pagati: {})",
        euro(t.incassato_cents),
        numero(t.pagati)
    )?;
    writeln!(
        o.out,
        "  Da incassare: {:>16} (dovuti: {})",
        euro(t.residuo_cents),
        numero(t.da_incassare)
    )?;
    writeln!(
        o.out,
        "  Scaduto:      {:>16} (dovuti: {})",
        euro(t.scaduto_cents),
        numero(t.scaduti)
    )?;
    let riga = |nome: &str, i: &Importi| {
        format!(
            "  {nome}: atteso {}, incassato {}, da incassare {}, scaduto {}",
            euro(i.atteso_cents),
            euro(i.incassato_cents),
            euro(i.residuo_cents),
            euro(i.scaduto_cents)
        )
    };
    if !r.per_tipo.is_empty() {
        writeln!(o.out, "Per tipo di dovuto:")?;
        for t in &r.per_tipo {
            writeln!(o.out, "{}", riga(&t.descrizione, &t.importi))?;
        }
    }
    if !r.per_mese.is_empty() || r.senza_scadenza.dovuti > 0 {
        writeln!(o.out, "Per mese di scadenza:")?;
        for m in &r.per_mese {
            writeln!(o.out, "{}", riga(&m.etichetta, &m.importi))?;
        }
        if r.senza_scadenza.dovuti > 0 {
            writeln!(
                o.out,
                "{}",
                riga("scadenza mancante o illeggibile", &r.senza_scadenza)
            )?;
        }
    }
    const MOSTRATI: usize = 20;
    if r.morosi.is_empty() {
        writeln!(o.out, "Nessun dovuto scaduto.")?;
    } else {
        writeln!(
            o.out,
            "Debitori con dovuti scaduti ({}):",
            numero(r.morosi.len() as i64)
        )?;
        for m in r.morosi.iter().take(MOSTRATI) {
            let dal = chrono::NaiveDate::parse_from_str(&m.scadenza_piu_vecchia, "%Y-%m-%d")
                .map(mpd_domain::dates::format_it)
                .unwrap_or_default();
            writeln!(
                o.out,
                "  {:<16}  {:<30}  {:>14}  (dovuti: {}, scaduti dal {dal})",
                m.codice_pagatore,
                m.anagrafica,
                euro(m.importo_cents),
                numero(m.dovuti)
            )?;
        }
        if r.morosi.len() > MOSTRATI {
            writeln!(
                o.out,
                "  … e altri {}: l'elenco completo è nel PDF (--pdf) e nel foglio Excel (--xlsx).",
                r.morosi.len() - MOSTRATI
            )?;
        }
    }
    for n in &r.note {
        writeln!(o.out, "Nota: {n}")?;
    }
    if let Some(p) = &a.pdf {
        writeln!(o.out, "Resoconto salvato in PDF: {}", p.display())?;
    }
    if let Some(p) = &a.xlsx {
        writeln!(o.out, "Resoconto salvato in Excel: {}", p.display())?;
    }
    Ok(0)
}

/// A path as typed, made absolute from the current folder (the application takes absolute
/// paths only).
fn retention(cli: &Cli, c: &crate::args::RetentionCmd, o: &mut Out<'_>) -> Result<i32> {
    use crate::args::RetentionCmd;
    use mpd_app::impostazioni;
    let app = contesto::app(cli);
    let pulizia = match c {
        RetentionCmd::Apply => Some(impostazioni::conservazione_applica(&app)?),
        _ => None,
    };
    let stato = match c {
        RetentionCmd::Set { days, .. } => impostazioni::conservazione_salva(&app, *days)?,
        _ => impostazioni::conservazione(&app)?,
    };
    if o.json {
        o.json_value(&stato)?;
        return Ok(0);
    }
    if let Some(p) = &pulizia {
        writeln!(o.out, "Pulizia: {}.", p.testo)?;
        return Ok(0);
    }
    writeln!(o.out, "Conservazione dei file: {}.", stato.descrizione)?;
    match &stato.ultima_pulizia {
        Some(p) => writeln!(o.out, "Ultima pulizia ({}): {}.", p.quando, p.testo)?,
        None => writeln!(o.out, "Nessuna pulizia ancora eseguita.")?,
    }
    Ok(0)
}

fn archive(cli: &Cli, c: &crate::args::ArchiveCmd, o: &mut Out<'_>) -> Result<i32> {
    use crate::args::ArchiveCmd;
    use mpd_app::archivio;
    let app = contesto::app(cli);
    match c {
        ArchiveCmd::Show => {
            let s = archivio::stato(&app)?;
            if o.json {
                o.json_value(&s)?;
                return Ok(0);
            }
            writeln!(o.out, "Archivio: {}", s.percorso)?;
            writeln!(
                o.out,
                "{}",
                match (s.cifrato, s.frase) {
                    (false, _) => "Non cifrato.",
                    (true, false) =>
                        "Cifrato; la chiave è nel portachiavi del sistema (la chiave di ripristino: «mypay-desk archive key»).",
                    (true, true) => "Cifrato con la frase segreta indicata.",
                }
            )?;
        }
        ArchiveCmd::Key => {
            let k = archivio::chiave_di_ripristino(&app)?;
            if o.json {
                o.json_value(&k)?;
                return Ok(0);
            }
            if k.frase {
                writeln!(
                    o.out,
                    "L'archivio è cifrato con la frase segreta indicata: la chiave di ripristino è la frase stessa."
                )?;
            } else {
                writeln!(o.out, "Chiave di ripristino dell'archivio:")?;
                writeln!(o.out, "{}", k.testo)?;
                writeln!(
                    o.out,
                    "La conservi lontano dal computer: con essa le copie di sicurezza si aprono su un altro computer."
                )?;
            }
        }
    }
    Ok(0)
}

fn assoluto(p: &Path) -> Result<PathBuf> {
    std::path::absolute(p).with_context(|| format!("percorso «{}» non valido", p.display()))
}

/// The file and the choices of `debts import` and `debts preview`.
fn scelte(
    file: &Path,
    sheet: &Option<String>,
    tipo: &Option<String>,
    mapping: &[String],
) -> Result<Scelte> {
    Ok(Scelte {
        percorso: assoluto(file)?.to_string_lossy().into_owned(),
        foglio: sheet.clone(),
        tipo: tipo.clone(),
        abbinamenti: Some(mapping.to_vec()),
        anche_duplicati: None,
    })
}

/// The debt fields as the window's form sends them (a position's shared fields too: its
/// amounts and due dates come from `--unica` and `--rata`).
fn to_campi(f: &DebtFields) -> mpd_app::dovuti::CampiDovuto {
    mpd_app::dovuti::CampiDovuto {
        codice_pagatore: f.cf.clone(),
        tipo_pagatore: f.tipo_pagatore.clone(),
        anagrafica: f.nome.clone(),
        importo: f.importo.clone(),
        scadenza: f.scadenza.clone(),
        tipo: f.tipo.clone(),
        causale: f.causale.clone(),
        email: f.email.clone(),
        indirizzo: f.indirizzo.clone(),
        civico: f.civico.clone(),
        cap: f.cap.clone(),
        localita: f.localita.clone(),
        provincia: f.provincia.clone(),
        nazione: f.nazione.clone(),
        iuv: f.iuv.clone(),
    }
}

pub(crate) fn to_input(f: &DebtFields) -> DebtInput {
    DebtInput {
        iud: f.iud.clone(),
        ..to_campi(f).into()
    }
}

/// `debts position`'s --set-rata, --add-rata and --remove-rata as the changes of one call:
/// removals, then changes, then new instalments (options by their number as stored).
fn cambi_rate(
    set_rata: &[String],
    add_rata: &[String],
    remove_rata: &[u8],
) -> Result<Vec<posizioni::CambioRate>> {
    let importo_scadenza = |s: &str| -> Result<(Option<String>, Option<String>)> {
        let (importo, scadenza) = s.split_once('@').with_context(|| {
            format!("«{s}»: scrivere importo e scadenza separati da @, es. 80,00@31/07/2027")
        })?;
        let testo = |t: &str| Some(t.trim().to_string()).filter(|t| !t.is_empty());
        Ok((testo(importo), testo(scadenza)))
    };
    let mut cambi: Vec<posizioni::CambioRate> = remove_rata
        .iter()
        .map(|&rata| posizioni::CambioRate::Rimuovi { rata })
        .collect();
    for coppia in set_rata.chunks(2) {
        let [n, valori] = coppia else {
            bail!(
                "--set-rata vuole il numero della rata e il nuovo importo@scadenza, es. --set-rata 2 90,00@31/07/2027"
            );
        };
        let rata: u8 = n.trim().parse().with_context(|| {
            format!("--set-rata «{n}»: il numero della rata (0 = rata unica, 1, 2…)")
        })?;
        let (importo, scadenza) = importo_scadenza(valori)?;
        cambi.push(posizioni::CambioRate::Modifica {
            rata,
            importo,
            scadenza,
        });
    }
    for valori in add_rata {
        let (importo, scadenza) = importo_scadenza(valori)?;
        cambi.push(posizioni::CambioRate::Aggiungi {
            importo: importo.unwrap_or_default(),
            scadenza,
        });
    }
    Ok(cambi)
}
