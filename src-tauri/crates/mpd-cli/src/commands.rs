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
        Command::Ente(EnteCmd::Show) => crate::adesione::ente_show(cli, &mut o),
        Command::Ente(EnteCmd::Set { file }) => crate::adesione::ente_set(cli, file, &mut o),
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
        Command::Ente(EnteCmd::Check) => crate::adesione::ente_check(cli, &mut o),
        Command::Adesione(cmd) => crate::adesione::run_adesione(cli, cmd, &mut o),
        Command::Contributo(cmd) => crate::adesione::run_contributo(cli, cmd, &mut o),
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
