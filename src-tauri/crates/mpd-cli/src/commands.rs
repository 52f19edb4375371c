//! One handler per subcommand: each calls `mpd_core` and prints the result.

use std::io::Write;

use anyhow::{Context, Result, bail};
use mpd_core::input::DebtInput;
use mpd_core::sheets::SheetOptions;
use mpd_core::{Desk, DovutoFilter, DovutoStato};
use mpd_domain::Version;

use crate::args::{Cli, Command, DebtFields, DebtsCmd, EnteCmd, FlowCmd, GenerateCmd, ReceiptsCmd};
use crate::output::{self, Out};
use crate::remote;
use mpd_app::flussi;

/// Runs the command; returns the exit code (errors that stop the command bubble up as `Err`).
pub fn dispatch(cli: &Cli, out: &mut dyn Write, err: &mut dyn Write) -> Result<i32> {
    let mut o = Out {
        out,
        err,
        json: cli.json,
    };
    let open = || Desk::open(cli.db.as_deref()).context("apertura del database locale");
    match &cli.command {
        Command::Ente(EnteCmd::Show) => {
            let desk = open()?;
            match desk.ente_view()? {
                Some(view) => output::ente(&mut o, &view)?,
                None => bail!(
                    "nessun profilo dell'Ente: caricalo con «mypay-desk ente set <file.toml>»"
                ),
            }
            Ok(0)
        }
        Command::Ente(EnteCmd::Set { file }) => {
            let mut desk = open()?;
            let warnings = desk.ente_set_file(file)?;
            for w in &warnings {
                writeln!(o.err, "attenzione: {w}")?;
            }
            let view = desk
                .ente_view()?
                .context("profilo appena salvato non trovato")?;
            if o.json {
                o.json_value(&serde_json::json!({ "ente": view, "avvisi": warnings }))?;
            } else {
                writeln!(
                    o.out,
                    "Profilo salvato: {} ({}), {} tipi dovuto.",
                    view.ente.denominazione,
                    view.ente.codice_ipa,
                    view.tipi_dovuto.len()
                )?;
            }
            Ok(0)
        }
        Command::Debts(DebtsCmd::Add(fields)) => {
            let mut desk = open()?;
            let outcome = desk.add_debt(&to_input(fields), fields.bozza)?;
            output::debt_outcome(&mut o, &outcome, "Dovuto aggiunto")
        }
        Command::Debts(DebtsCmd::Edit { dovuto, fields }) => {
            let mut desk = open()?;
            let mut input = to_input(fields);
            if input.iud.as_ref().is_some_and(|new| new != dovuto) {
                bail!(
                    "l'IUD di un dovuto non si può cambiare: annulla il dovuto «{dovuto}» e creane uno nuovo"
                );
            }
            input.iud = Some(dovuto.clone());
            let outcome = desk.edit_debt(dovuto, &input)?;
            output::debt_outcome(&mut o, &outcome, "Dovuto modificato")
        }
        Command::Debts(DebtsCmd::Cancel { iud }) => {
            let mut desk = open()?;
            let record = desk.cancel_debt(iud)?;
            if o.json {
                o.json_value(&output::debt_json(&record))?;
            } else if record.stato == DovutoStato::Cancelled {
                writeln!(
                    o.out,
                    "Dovuto {iud} annullato (non era mai stato inviato a MyPay)."
                )?;
            } else {
                writeln!(
                    o.out,
                    "Dovuto {iud}: l'annullamento partirà con il prossimo flusso (riga A)."
                )?;
            }
            Ok(0)
        }
        Command::Debts(DebtsCmd::Ready { iud }) => {
            let mut desk = open()?;
            let n = desk.mark_ready(iud)?;
            if o.json {
                o.json_value(&serde_json::json!({ "pronti": n }))?;
            } else {
                writeln!(o.out, "{n} dovuti pronti per l'invio.")?;
            }
            Ok(0)
        }
        Command::Debts(DebtsCmd::List {
            state,
            cerca,
            limit,
        }) => {
            let desk = open()?;
            let stato = match state {
                Some(s) => Some(DovutoStato::parse(s).with_context(|| {
                    format!("stato «{s}» sconosciuto: usa draft, ready, sent, loaded, rejected, paid o cancelled")
                })?),
                None => None,
            };
            let filter = DovutoFilter {
                stato,
                testo: cerca.clone(),
                limit: *limit,
                ..Default::default()
            };
            let debts = desk.debts(&filter)?;
            output::debts(&mut o, &desk, &debts)?;
            Ok(0)
        }
        Command::Debts(DebtsCmd::Import {
            file,
            valid_only,
            check,
            sheet,
            tipo,
            mapping,
        }) => {
            let mut desk = open()?;
            let opts = SheetOptions {
                sheet: sheet.clone(),
                tipo: tipo.clone(),
                mapping: mapping.clone(),
                valid_only: *valid_only,
            };
            if *check {
                let report = desk.check_file(file, &opts)?;
                output::import_report(&mut o, &report, true)?;
                if !o.json {
                    let cmd = format!("mypay-desk debts import {}", file.display());
                    if report.has_errors() {
                        writeln!(
                            o.out,
                            "Solo verifica: nessun dato è stato scritto. Correggi le righe errate e importa con «{cmd}», \
                             oppure aggiungi --valid-only per importare solo le righe valide."
                        )?;
                    } else {
                        writeln!(
                            o.out,
                            "Solo verifica: nessun dato è stato scritto. Per importare: «{cmd}»."
                        )?;
                    }
                }
                return Ok(if report.has_errors() { 1 } else { 0 });
            }
            let report = desk.import_file(file, &opts)?;
            output::import_report(&mut o, &report, *valid_only)?;
            upkeep(&mut o, &mut desk)?;
            Ok(if report.has_errors() { 1 } else { 0 })
        }
        Command::Debts(DebtsCmd::Preview {
            file,
            sheet,
            tipo,
            mapping,
        }) => {
            let desk = open()?;
            let opts = SheetOptions {
                sheet: sheet.clone(),
                tipo: tipo.clone(),
                mapping: mapping.clone(),
                valid_only: false,
            };
            let preview = desk.preview_sheet(file, &opts)?;
            output::sheet_preview(&mut o, &preview)?;
            Ok(0)
        }
        Command::Debts(DebtsCmd::Template { out }) => {
            let desk = open()?;
            let path = desk.write_template(out)?;
            if o.json {
                o.json_value(&serde_json::json!({ "file": path.display().to_string() }))?;
            } else {
                writeln!(o.out, "Modello scritto in {}.", path.display())?;
            }
            Ok(0)
        }
        Command::Debts(DebtsCmd::Export { out, state }) => {
            let desk = open()?;
            let stato = match state {
                Some(s) => Some(DovutoStato::parse(s).with_context(|| {
                    format!("stato «{s}» sconosciuto: usa draft, ready, sent, loaded, rejected, paid o cancelled")
                })?),
                None => None,
            };
            let filter = DovutoFilter {
                stato,
                ..Default::default()
            };
            let n = desk.export_debts_xlsx(out, &filter)?;
            if o.json {
                o.json_value(
                    &serde_json::json!({ "file": out.display().to_string(), "dovuti": n }),
                )?;
            } else {
                writeln!(o.out, "Esportati {n} dovuti in {}.", out.display())?;
            }
            Ok(0)
        }
        Command::Flow(FlowCmd::Build { version, out }) => {
            let report = flussi::prepara(&remote::app(cli), Some(version), out.as_deref())?;
            output::build_report(&mut o, &report)?;
            Ok(0)
        }
        Command::Flow(FlowCmd::Check { zip }) => {
            let desk = open()?;
            match desk.check_flow(zip) {
                Ok(report) => {
                    output::check_report(&mut o, &report)?;
                    Ok(if report.rejected.is_empty() { 0 } else { 1 })
                }
                Err(mpd_core::flows::CheckError::Core(e)) => Err(e.into()),
                Err(e) => {
                    if o.json {
                        o.json_value(&serde_json::json!({ "file": zip.display().to_string(), "errore": e.to_string() }))?;
                    }
                    writeln!(o.err, "errore: {}: {e}", zip.display())?;
                    Ok(2)
                }
            }
        }
        Command::Flow(FlowCmd::List) => {
            output::flows(&mut o, &flussi::elenco(&remote::app(cli))?)?;
            Ok(0)
        }
        Command::Receipts(ReceiptsCmd::Import { file }) => {
            let mut desk = open()?;
            let summary = desk.import_export(file)?;
            output::receipts_summary(&mut o, &summary)?;
            upkeep(&mut o, &mut desk)?;
            Ok(0)
        }
        Command::Receipts(ReceiptsCmd::List { limit }) => {
            let desk = open()?;
            output::receipts(&mut o, &desk.receipts(*limit)?)?;
            Ok(0)
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
        Command::Ente(EnteCmd::Check) => crate::adesione::ente_check(&open()?, &mut o),
        Command::Adesione(cmd) => crate::adesione::run_adesione(&open()?, cmd, &mut o),
        Command::Contributo(cmd) => crate::adesione::run_contributo(&open()?, cmd, &mut o),
        Command::Report(a) => report(cli, a, &mut o),
        Command::Generate(GenerateCmd::Debts {
            count,
            out,
            version,
            seed,
        }) => {
            let version = parse_version(version)?;
            let desk = open()?;
            let n = desk.generate_debts_csv(out, version, *count, *seed)?;
            if o.json {
                o.json_value(
                    &serde_json::json!({ "file": out.display().to_string(), "righe": n }),
                )?;
            } else {
                writeln!(
                    o.out,
                    "Scritti {n} dovuti sintetici in {} (tracciato {version}).",
                    out.display()
                )?;
            }
            Ok(0)
        }
    }
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
    let r = rapporto::esporta_tutti(&remote::app(cli), a.data, &file)?;
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

fn parse_version(s: &str) -> Result<Version> {
    Version::parse(s)
        .with_context(|| format!("versione «{s}» sconosciuta: usa 1_0, 1_1, 1_2, 1_3 o 1_4"))
}

pub(crate) fn to_input(f: &DebtFields) -> DebtInput {
    DebtInput {
        iud: f.iud.clone(),
        codice: f.cf.clone(),
        tipo_pagatore: f.tipo_pagatore.clone(),
        anagrafica: f.nome.clone(),
        importo: f.importo.clone(),
        scadenza: f.scadenza.clone(),
        tipo_dovuto: f.tipo.clone(),
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

/// Finishes the upkeep a very large import (of debts or receipts) leaves behind (the debts'
/// indexes and search index; `mpd_store::ricerca`), so that the command ends with everything
/// in place. Progress
/// goes to standard error, nothing with `--json`.
pub(crate) fn upkeep(o: &mut Out<'_>, desk: &mut Desk) -> Result<()> {
    let owed = desk.manutenzione()?;
    if owed.completa() {
        return Ok(());
    }
    let start = std::time::Instant::now();
    let (json, err) = (o.json, &mut *o.err);
    if !json {
        writeln!(
            err,
            "Aggiornamento degli indici dei dovuti ({} da indicizzare per la ricerca)…",
            mpd_core::adesione::format_int(owed.da_indicizzare.unsigned_abs())
        )?;
    }
    let mut last = std::time::Instant::now();
    desk.completa_manutenzione(None, |m| {
        if !json && last.elapsed().as_secs() >= 5 {
            last = std::time::Instant::now();
            let _ = writeln!(
                err,
                "  ancora {} dovuti da indicizzare",
                mpd_core::adesione::format_int(m.da_indicizzare.unsigned_abs())
            );
        }
    })?;
    if !json {
        writeln!(
            err,
            "Indici aggiornati in {:.1} s.",
            start.elapsed().as_secs_f64()
        )?;
    }
    Ok(())
}
