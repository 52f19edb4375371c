//! Printing results: Italian text for people (amounts `1.234,56 €`, dates `dd/mm/yyyy`), or
//! one JSON document with `--json`.

use std::io::Write;

use anyhow::Result;
use mpd_app::dovuti::DovutoConRicevuta;
use mpd_app::flussi::Problema;
use mpd_app::flussi::{FlussoRiga, Preparazione};
use mpd_app::importa::{Anteprima, Resoconto, RigaResoconto};
use mpd_app::ricevute::{RicevutaRiga, RiepilogoRicevute};
use mpd_app::riconciliazione::{
    DettaglioFdr, ElencoPagamenti, EsitoFdr, EsitoImportazioneFdr, FdrVista, RegoleRiconciliazione,
};
use mpd_app::tesoreria::{
    EsitoImportazioneTesoreria, EsitoMovimentoVista, MovimentoVista, RegoleTesoreria,
};
use mpd_core::debts::DebtOutcome;
use mpd_core::flows::CheckReport;
use mpd_core::posizioni::{EsitoPosizione, PosizioneVista};
use mpd_core::{DovutoRecord, EnteView};
use mpd_domain::Column;
use rust_decimal::Decimal;
use serde::Serialize;

pub struct Out<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
    pub json: bool,
}

impl Out<'_> {
    pub fn json_value<T: Serialize>(&mut self, v: &T) -> Result<()> {
        serde_json::to_writer_pretty(&mut *self.out, v)?;
        writeln!(self.out)?;
        Ok(())
    }
}

pub(crate) fn euro(cents: i64) -> String {
    mpd_domain::money::format_it(Decimal::new(cents, 2))
}

pub(crate) fn data_it(iso: &str) -> String {
    match chrono::NaiveDate::parse_from_str(iso.get(..10).unwrap_or(iso), "%Y-%m-%d") {
        Ok(d) => d.format("%d/%m/%Y").to_string(),
        Err(_) => iso.to_string(),
    }
}

pub fn ente(o: &mut Out<'_>, view: &EnteView) -> Result<()> {
    if o.json {
        return o.json_value(view);
    }
    let e = &view.ente;
    writeln!(o.out, "{}", e.denominazione)?;
    writeln!(o.out, "  codice IPA:            {}", e.codice_ipa)?;
    writeln!(o.out, "  codice fiscale:        {}", e.codice_fiscale)?;
    writeln!(o.out, "  codice segregazione:   {}", e.codice_segregazione)?;
    writeln!(o.out, "Tipi dovuto ({}):", view.tipi_dovuto.len())?;
    for t in &view.tipi_dovuto {
        let mut flags = Vec::new();
        if !t.attivo {
            flags.push("non attivo");
        }
        if t.cf_anonimo {
            flags.push("ammette ANONIMO");
        }
        if t.scadenza_obbligatoria {
            flags.push("scadenza obbligatoria");
        }
        writeln!(
            o.out,
            "  {:<12} {:<40} {}  {}",
            t.codice,
            t.descrizione,
            t.dati_specifici_riscossione,
            flags.join(", ")
        )?;
    }
    Ok(())
}

/// A debt for scripts: state, IUV, amount and the matched receipt, besides the row.
pub fn debt_json(d: &DovutoRecord) -> serde_json::Value {
    serde_json::json!({
        "iud": d.iud,
        "stato": d.stato,
        "azione_pendente": d.azione_pendente,
        "iuv": d.row.get(Column::CodIuv),
        "importo": mpd_domain::money::format_tracciato(Decimal::new(d.importo_cents, 2)),
        "codice_pagatore": d.row.get(Column::CodiceIdentificativoUnivoco),
        "anagrafica": d.row.get(Column::AnagraficaPagatore),
        "tipo_dovuto": d.row.get(Column::TipoDovuto),
        "scadenza": d.row.get(Column::DataScadenzaPagamento),
        "causale": d.row.get(Column::CausaleVersamento),
        "flusso_id": d.ultimo_flusso_id,
        "rifiuto_codice": d.rifiuto_codice,
        "rifiuto_messaggio": d.rifiuto_messaggio,
        "sorgente_riga": d.sorgente_riga,
    })
}

pub fn debt_outcome(o: &mut Out<'_>, outcome: &DebtOutcome, done: &str) -> Result<i32> {
    if o.json {
        o.json_value(outcome)?;
    }
    match outcome {
        DebtOutcome::Salvato { dovuto, avvisi } => {
            if !o.json {
                writeln!(
                    o.out,
                    "{done}: IUD {}, {} {}, stato {}.",
                    dovuto.iud,
                    dovuto.row.get(Column::AnagraficaPagatore),
                    euro(dovuto.importo_cents),
                    dovuto.stato.label_it()
                )?;
                for p in avvisi {
                    writeln!(
                        o.err,
                        "attenzione: {}: {}",
                        p.campo.as_deref().unwrap_or("dovuto"),
                        p.messaggio
                    )?;
                }
            }
            Ok(0)
        }
        DebtOutcome::NonValido { problemi } => {
            if !o.json {
                writeln!(o.err, "Dovuto non salvato. Da correggere:")?;
                for p in problemi {
                    writeln!(
                        o.err,
                        "  - {}: {} [{}]",
                        p.campo.as_deref().unwrap_or("dovuto"),
                        p.messaggio,
                        p.codice
                    )?;
                }
            }
            Ok(1)
        }
    }
}

/// `debts add-position`: the position saved, or what to fix option by option (exit 1).
pub fn posizione_creata(o: &mut Out<'_>, esito: &EsitoPosizione) -> Result<i32> {
    esito_posizione(o, esito, "Posizione creata.")
}

/// The outcome of `debts position … --set-rata/--add-rata/--remove-rata`.
pub fn posizione_cambiata(o: &mut Out<'_>, esito: &EsitoPosizione) -> Result<i32> {
    esito_posizione(
        o,
        esito,
        "Rate cambiate (quelle già su MyPay partono col prossimo flusso).",
    )
}

fn esito_posizione(o: &mut Out<'_>, esito: &EsitoPosizione, fatto: &str) -> Result<i32> {
    if o.json {
        o.json_value(esito)?;
    }
    match esito {
        EsitoPosizione::Salvata { posizione } => {
            if !o.json {
                writeln!(o.out, "{fatto}")?;
                posizioni(o, std::slice::from_ref(posizione))?;
            }
            Ok(0)
        }
        EsitoPosizione::NonValida { problemi } => {
            if !o.json {
                writeln!(o.err, "Posizione non salvata. Da correggere:")?;
                for p in problemi {
                    let dove = match (p.etichetta.as_str(), p.problema.campo.as_deref()) {
                        ("", Some(c)) => c.to_string(),
                        ("", None) => "posizione".to_string(),
                        (r, Some(c)) => format!("{r}, {c}"),
                        (r, None) => r.to_string(),
                    };
                    writeln!(o.err, "  - {dove}: {}", p.problema.messaggio)?;
                }
            }
            Ok(1)
        }
    }
}

/// Positions with their options, one block each.
pub fn posizioni(o: &mut Out<'_>, list: &[PosizioneVista]) -> Result<()> {
    if o.json {
        return o.json_value(&list);
    }
    if list.is_empty() {
        writeln!(o.out, "Nessuna posizione.")?;
    }
    for p in list {
        writeln!(
            o.out,
            "{} — {} ({}), {}: {}",
            p.codice, p.anagrafica, p.codice_pagatore, p.oggetto, p.etichetta
        )?;
        if let mpd_domain::posizione::StatoPosizione::PagamentoDoppio {
            da_rimborsare_cents,
        } = p.stato
        {
            writeln!(o.out, "  da rimborsare: {}", euro(da_rimborsare_cents))?;
        }
        if p.sconto_cents > 0 {
            writeln!(
                o.out,
                "  sconto per il pagamento in unica soluzione: {}",
                euro(p.sconto_cents)
            )?;
        }
        for op in &p.opzioni {
            writeln!(
                o.out,
                "  {:<11} {:>14}  {:<10}  {:<9}  IUD {}{}",
                op.etichetta,
                euro(op.importo_cents),
                data_it(&op.scadenza),
                op.stato.label_it(),
                op.iud,
                if op.iuv.is_empty() {
                    String::new()
                } else {
                    format!(", IUV {}", op.iuv)
                }
            )?;
        }
    }
    Ok(())
}

pub fn debts(o: &mut Out<'_>, list: &[DovutoConRicevuta]) -> Result<()> {
    if o.json {
        let items: Vec<serde_json::Value> = list
            .iter()
            .map(|d| {
                let mut v = debt_json(&d.dovuto);
                v["ricevuta"] = serde_json::to_value(&d.ricevuta).unwrap_or_default();
                v
            })
            .collect();
        return o.json_value(&items);
    }
    let debts: Vec<&DovutoRecord> = list.iter().map(|d| &d.dovuto).collect();
    if debts.is_empty() {
        writeln!(o.out, "Nessun dovuto.")?;
        return Ok(());
    }
    writeln!(
        o.out,
        "{:<28} {:<10} {:<17} {:<30} {:>14} {:<10}",
        "IUD", "STATO", "CODICE", "PAGATORE", "IMPORTO", "SCADENZA"
    )?;
    for d in &debts {
        let mut stato = d.stato.label_it().to_string();
        if let Some(a) = d
            .azione_pendente
            .filter(|a| *a != mpd_domain::Azione::Inserimento)
        {
            stato.push_str(&format!(" ({})", a.as_str()));
        }
        let nome: String = d
            .row
            .get(Column::AnagraficaPagatore)
            .chars()
            .take(30)
            .collect();
        writeln!(
            o.out,
            "{:<28} {:<10} {:<17} {:<30} {:>14} {:<10}",
            d.iud,
            stato,
            d.row.get(Column::CodiceIdentificativoUnivoco),
            nome,
            euro(d.importo_cents),
            data_it(d.row.get(Column::DataScadenzaPagamento)),
        )?;
        if let Some(m) = &d.rifiuto_messaggio {
            writeln!(o.out, "    scartato: {m}")?;
        }
    }
    writeln!(
        o.out,
        "{}.",
        mpd_domain::testo::conta(debts.len(), "dovuto", "dovuti")
    )?;
    Ok(())
}

fn row_problems(o: &mut Out<'_>, rows: &[RigaResoconto], label: &str) -> Result<()> {
    for r in rows {
        let iud = if r.iud.is_empty() {
            String::new()
        } else {
            format!(" (IUD {})", r.iud)
        };
        let chi: Vec<&str> = [r.pagatore.as_str(), r.importo.as_str()]
            .into_iter()
            .filter(|t| !t.is_empty())
            .collect();
        let chi = if chi.is_empty() {
            String::new()
        } else {
            format!(" — {}", chi.join(", "))
        };
        writeln!(o.out, "  {label} {}{chi}{iud}:", r.riga)?;
        for p in &r.problemi {
            problem_line(
                o,
                p.campo.as_deref(),
                p.valore.as_deref(),
                &p.messaggio,
                &p.codice,
            )?;
        }
    }
    Ok(())
}

/// «Elimina bozze»: what was deleted, then each refusal and its reason (on stderr).
pub fn bozze_eliminate(o: &mut Out<'_>, r: &mpd_app::dovuti::BozzeEliminate) -> Result<()> {
    for x in &r.rifiutate {
        writeln!(o.err, "{}: {}", x.iud, x.motivo)?;
    }
    match r.eliminate.len() {
        0 => writeln!(o.out, "Nessuna bozza eliminata.")?,
        1 => writeln!(o.out, "1 bozza eliminata.")?,
        n => writeln!(o.out, "{} bozze eliminate.", mpd_domain::testo::numero(n))?,
    }
    if !r.rifiutate.is_empty() {
        writeln!(
            o.err,
            "Gli altri dovuti restano: si possono annullare con `mypay-desk debts cancel IUD`."
        )?;
    }
    Ok(())
}

/// «Annulla questa importazione»: which import and how many debts went.
pub fn importazione_annullata(
    o: &mut Out<'_>,
    r: &mpd_app::importa::ImportazioneAnnullata,
) -> Result<()> {
    let n = r.eliminati.len();
    let quanti = if n == 1 {
        "1 dovuto eliminato".to_string()
    } else {
        format!("{} dovuti eliminati", mpd_domain::testo::numero(n))
    };
    writeln!(
        o.out,
        "Importazione n. {} di «{}» ({}) annullata: {quanti}.",
        r.importazione.id,
        r.importazione.file,
        data_it(&r.importazione.importata_il)
    )?;
    Ok(())
}

fn problem_line(
    o: &mut Out<'_>,
    campo: Option<&str>,
    valore: Option<&str>,
    messaggio: &str,
    codice: &str,
) -> Result<()> {
    let campo = campo.unwrap_or("riga");
    let valore = valore.map(|v| format!(" «{v}»")).unwrap_or_default();
    writeln!(o.out, "    - {campo}{valore}: {messaggio} [{codice}]")?;
    Ok(())
}

/// Prints warnings one row at a time when few, grouped by code when many: a clerk scanning
/// 500 identical warnings misses the one that matters.
fn warnings_grouped(o: &mut Out<'_>, rows: &[(usize, String, &Problema)]) -> Result<()> {
    const ONE_BY_ONE: usize = 10;
    if rows.len() <= ONE_BY_ONE {
        for (row, iud, p) in rows {
            let campo = p.campo.as_deref().unwrap_or("riga");
            writeln!(
                o.out,
                "  riga {row} (IUD {iud}): {campo}: {} [{}]",
                p.messaggio, p.codice
            )?;
        }
        return Ok(());
    }
    let mut groups: Vec<(&str, &str, Vec<usize>)> = Vec::new();
    for (row, _, p) in rows {
        match groups
            .iter_mut()
            .find(|g| g.0 == p.codice && g.1 == p.messaggio)
        {
            Some(g) => g.2.push(*row),
            None => groups.push((&p.codice, &p.messaggio, vec![*row])),
        }
    }
    for (code, message, lines) in groups {
        let sample: Vec<String> = lines.iter().take(8).map(usize::to_string).collect();
        let more = if lines.len() > 8 { ", …" } else { "" };
        writeln!(
            o.out,
            "  {} ({}{more}): {message} [{code}]",
            mpd_domain::testo::conta(lines.len(), "riga", "righe"),
            sample.join(", ")
        )?;
    }
    Ok(())
}

pub fn import_report(o: &mut Out<'_>, r: &Resoconto, valid_only: bool) -> Result<()> {
    if o.json {
        return o.json_value(r);
    }
    match &r.foglio {
        Some(f) => {
            writeln!(
                o.out,
                "File {} ({}, foglio «{}», intestazione alla riga {})",
                r.file, f.formato, f.foglio, f.riga_intestazione
            )?;
            let cols: Vec<String> = f
                .mappatura
                .colonne
                .iter()
                .map(|c| format!("{} ← {} «{}»", c.campo, c.lettera, c.intestazione))
                .collect();
            writeln!(
                o.out,
                "  colonne{}: {}",
                if f.mappatura_salvata {
                    " (abbinamento salvato)"
                } else {
                    ""
                },
                cols.join(", ")
            )?;
            for n in &f.note {
                writeln!(o.out, "  nota: {n}")?;
            }
        }
        None => writeln!(o.out, "File {} (tracciato {})", r.file, r.versione)?,
    }
    writeln!(o.out, "  righe lette:   {}", r.righe_lette)?;
    if r.posizioni > 0 {
        writeln!(
            o.out,
            "  posizioni:     {} ({} tra rata unica e rate)",
            r.posizioni,
            mpd_domain::testo::conta(r.opzioni, "opzione", "opzioni")
        )?;
    }
    writeln!(o.out, "  righe valide:  {}", r.righe_valide)?;
    writeln!(o.out, "  righe errate:  {}", r.errori.len())?;
    writeln!(o.out, "  importate:     {}", r.importate)?;
    duplicate_groups(o, r)?;
    if !r.errori.is_empty() {
        writeln!(o.out, "Errori:")?;
        row_problems(o, &r.errori, "riga")?;
        let mut codici: Vec<&str> = r
            .errori
            .iter()
            .flat_map(|e| e.problemi.iter().map(|p| p.codice.as_str()))
            .collect();
        codici.sort_unstable();
        codici.dedup();
        for s in codici
            .into_iter()
            .filter_map(crate::suggerimenti::suggerimento_problema)
        {
            writeln!(o.out, "suggerimento: {s}")?;
        }
        if !valid_only {
            writeln!(
                o.out,
                "Nessun dovuto importato: corregga le righe errate, oppure usi --valid-only per importare solo quelle valide."
            )?;
        }
    }
    if !r.avvisi.is_empty() {
        writeln!(o.out, "Avvisi (le righe sono comunque valide):")?;
        let flat: Vec<_> = r
            .avvisi
            .iter()
            .flat_map(|a| a.problemi.iter().map(move |p| (a.riga, a.iud.clone(), p)))
            .collect();
        warnings_grouped(o, &flat)?;
    }
    Ok(())
}

/// The probable duplicates of an import, one line per group.
fn duplicate_groups(o: &mut Out<'_>, r: &Resoconto) -> Result<()> {
    if r.duplicati.is_empty() {
        return Ok(());
    }
    writeln!(
        o.out,
        "Righe uguali ad altre (stesso pagatore, tipo dovuto, importo, scadenza e causale):"
    )?;
    for g in &r.duplicati {
        let righe = g
            .righe
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let (righe, uguali) = if g.righe.len() == 1 {
            (format!("riga {righe}"), "uguale")
        } else {
            (format!("righe {righe}"), "uguali")
        };
        let a_cosa = match (&g.riga, &g.iud_archivio) {
            (Some(prima), _) => format!("alla riga {prima} del file"),
            (None, Some(iud)) => format!("al dovuto IUD {iud} già in archivio"),
            (None, None) => "a un dovuto già in archivio".to_string(),
        };
        writeln!(o.out, "  {righe}: {uguali} {a_cosa} — {}", g.descrizione)?;
    }
    Ok(())
}

pub fn build_report(o: &mut Out<'_>, r: &Preparazione) -> Result<()> {
    if o.json {
        return o.json_value(r);
    }
    if r.flussi.is_empty() && r.esclusi.is_empty() {
        writeln!(o.out, "Nessun dovuto da inviare.")?;
        return Ok(());
    }
    for f in &r.flussi {
        writeln!(
            o.out,
            "Flusso {} ({}, {} byte): {}",
            f.nome,
            mpd_domain::testo::conta(f.righe, "riga", "righe"),
            mpd_domain::testo::numero(f.byte_zip),
            f.percorso
        )?;
    }
    writeln!(
        o.out,
        "Righe: {} nuove (I), {} modifiche (M), {} annullamenti (A).",
        r.righe_i, r.righe_m, r.righe_a
    )?;
    if !r.esclusi.is_empty() {
        writeln!(o.out, "Esclusi dal flusso (restano da inviare):")?;
        for r in &r.esclusi {
            let iud = if r.iud.is_empty() {
                String::new()
            } else {
                format!(" (IUD {})", r.iud)
            };
            writeln!(o.out, "  riga sorgente {}{iud}:", r.riga)?;
            for p in &r.problemi {
                problem_line(
                    o,
                    p.campo.as_deref(),
                    p.valore.as_deref(),
                    &p.messaggio,
                    &p.codice,
                )?;
            }
        }
    }
    Ok(())
}

pub fn check_report(o: &mut Out<'_>, r: &CheckReport) -> Result<()> {
    if o.json {
        return o.json_value(r);
    }
    writeln!(
        o.out,
        "File {} (tracciato {}): {}, {}.",
        r.file,
        r.version,
        mpd_domain::testo::conta(r.rows, "riga", "righe"),
        mpd_domain::testo::conta(r.rejected.len(), "scartata", "scartate")
    )?;
    for row in &r.rejected {
        writeln!(o.out, "  riga {} (IUD {}) scartata:", row.row, row.iud)?;
        for (code, msg) in row.codes.iter().zip(&row.messages) {
            writeln!(o.out, "    - {msg} [{code}]")?;
        }
    }
    if !r.warnings.is_empty() {
        writeln!(o.out, "Avvisi (MyPay caricherebbe comunque queste righe):")?;
        let problems: Vec<(usize, String, Problema)> = r
            .warnings
            .iter()
            .flat_map(|w| {
                w.codes.iter().zip(&w.messages).map(move |(c, m)| {
                    let p = Problema {
                        codice: c.clone(),
                        campo: None,
                        valore: None,
                        messaggio: m.clone(),
                        grave: false,
                    };
                    (w.row, w.iud.clone(), p)
                })
            })
            .collect();
        let refs: Vec<_> = problems
            .iter()
            .map(|(r, i, p)| (*r, i.clone(), p))
            .collect();
        warnings_grouped(o, &refs)?;
    }
    Ok(())
}

/// `flow pending`: the debts waiting to go, per payment type.
pub fn da_inviare(o: &mut Out<'_>, d: &mpd_app::flussi::DaInviare) -> Result<()> {
    if o.json {
        return o.json_value(d);
    }
    if d.tipi.is_empty() {
        writeln!(o.out, "Nessun dovuto in attesa di invio.")?;
        return Ok(());
    }
    for g in &d.tipi {
        writeln!(
            o.out,
            "{:<20} {:>6} nuovi  {:>6} modifiche  {:>6} annullamenti  {:>16}",
            g.tipo,
            g.nuovi,
            g.modifiche,
            g.annullamenti,
            euro(g.importo_cents)
        )?;
    }
    writeln!(
        o.out,
        "Totale: {}, {}. Per inviarne un tipo solo: «mypay-desk flow build --tipo CODICE».",
        mpd_domain::testo::conta(d.numero, "dovuto", "dovuti"),
        euro(d.importo_cents)
    )?;
    Ok(())
}

pub fn flows(o: &mut Out<'_>, flows: &[FlussoRiga]) -> Result<()> {
    if o.json {
        return o.json_value(&flows);
    }
    if flows.is_empty() {
        writeln!(o.out, "Nessun flusso.")?;
    }
    for f in flows {
        writeln!(
            o.out,
            "{:>4}  {:<45} {:<20} {:>7} righe  {} caricate, {} scartate  {}",
            f.id,
            f.nome,
            f.etichetta,
            f.righe,
            f.caricate,
            f.scartate,
            data_it(&f.creato_at)
        )?;
    }
    Ok(())
}

/// Options of positions the receipts cancelled (the position was paid the other way).
pub fn annullate_per_posizione(o: &mut Out<'_>, n: u64) -> Result<()> {
    if n > 0 {
        writeln!(
            o.out,
            "  {}: la loro posizione è stata pagata nell'altro modo.",
            mpd_domain::testo::conta(n as usize, "rata annullata", "rate annullate")
        )?;
    }
    Ok(())
}

pub fn receipts_summary(o: &mut Out<'_>, s: &RiepilogoRicevute) -> Result<()> {
    if o.json {
        return o.json_value(s);
    }
    writeln!(
        o.out,
        "Ricevute lette: {}, nuove: {}, già presenti: {}.",
        s.lette, s.nuove, s.gia_presenti
    )?;
    writeln!(
        o.out,
        "  pagate: {}, con importo diverso: {}, sconosciute in locale: {}, pagate due volte: {}.",
        s.pagato, s.importo_diverso, s.sconosciuto, s.doppio
    )?;
    annullate_per_posizione(o, s.annullate_per_posizione)?;
    Ok(())
}

/// `fdr import`: the summary, then one line per file.
pub fn fdr_importati(o: &mut Out<'_>, e: &EsitoImportazioneFdr) -> Result<i32> {
    if o.json {
        o.json_value(e)?;
        return Ok(0);
    }
    writeln!(o.out, "{}", e.riepilogo.testo)?;
    for f in &e.flussi {
        let esito = match f.esito {
            EsitoFdr::Nuovo => "importato",
            EsitoFdr::GiaPresente => "già presente",
            EsitoFdr::Sostituito => "nuova versione, sostituisce la precedente",
            EsitoFdr::Superato => "versione più vecchia di quella presente, ignorato",
        };
        writeln!(
            o.out,
            "  {}  {}  PSP {}  {}: {esito}",
            f.file,
            f.iuf,
            f.psp,
            mpd_domain::testo::conta(f.pagamenti, "pagamento", "pagamenti")
        )?;
    }
    Ok(0)
}

/// `fdr list`: each flow with its quadratura.
pub fn fdr(o: &mut Out<'_>, list: &[FdrVista]) -> Result<i32> {
    if o.json {
        o.json_value(&list)?;
        return Ok(0);
    }
    if list.is_empty() {
        writeln!(o.out, "Nessun flusso di rendicontazione.")?;
    }
    for f in list {
        writeln!(
            o.out,
            "{:<35} PSP {:<12} regolato il {}  {:>5} pag. {:>14}  dichiarati {:>5} {:>14}  {}",
            f.iuf,
            f.psp,
            data_it(&f.data_regolamento),
            f.numero_pagamenti,
            euro(f.somma_cents),
            f.numero_dichiarato,
            euro(f.importo_dichiarato_cents),
            if f.quadra { "quadra" } else { "NON QUADRA" }
        )?;
        if !f.quadra {
            writeln!(o.out, "    {}", f.motivo)?;
        }
        if f.revocati > 0 {
            writeln!(
                o.out,
                "    {} (esito 3) esclusi dai totali",
                mpd_domain::testo::conta(f.revocati, "pagamento revocato", "pagamenti revocati")
            )?;
        }
    }
    Ok(0)
}

/// `fdr show`: the flow's quadratura, then one line per row with its payment's state.
pub fn fdr_dettaglio(o: &mut Out<'_>, d: &DettaglioFdr) -> Result<i32> {
    if o.json {
        o.json_value(d)?;
        return Ok(0);
    }
    fdr(o, std::slice::from_ref(&d.fdr))?;
    for r in &d.righe {
        writeln!(
            o.out,
            "  {:>4} {:<17} {:<24} {:>14} {}  esito {}  {}: {}",
            r.numero,
            r.iuv,
            r.iur,
            euro(r.importo_cents),
            data_it(&r.data_esito),
            r.esito,
            r.etichetta,
            r.motivo
        )?;
    }
    Ok(0)
}

/// `fdr payments`: each payment's state and reason (JSON: the payments only, a page's when
/// asked), then which page this is when there are several.
pub fn fdr_pagamenti(o: &mut Out<'_>, elenco: &ElencoPagamenti) -> Result<i32> {
    let list = &elenco.pagamenti;
    if o.json {
        o.json_value(&list)?;
        return Ok(0);
    }
    if list.is_empty() {
        writeln!(o.out, "Nessun pagamento.")?;
    }
    for p in list {
        let importo = p
            .importo_cents
            .or(p.importo_rendicontato_cents)
            .map(euro)
            .unwrap_or_default();
        writeln!(
            o.out,
            "{:<17} {:<24} {:>14} {}  {}: {}",
            p.iuv,
            p.iur,
            importo,
            data_it(&p.data_esito),
            p.etichetta,
            p.motivo
        )?;
    }
    if elenco.pagine > 1 {
        writeln!(
            o.out,
            "Pagina {} di {} ({}).",
            elenco.pagina + 1,
            elenco.pagine,
            mpd_domain::testo::conta(elenco.numero, "pagamento", "pagamenti")
        )?;
    }
    Ok(0)
}

/// `treasury import`: what the journal added, replaced, reversed, and the rows not taken.
pub fn tesoreria_importata(o: &mut Out<'_>, e: &EsitoImportazioneTesoreria) -> Result<i32> {
    if o.json {
        o.json_value(e)?;
        return Ok(0);
    }
    writeln!(o.out, "{}", e.riepilogo.testo)?;
    for n in &e.note {
        writeln!(o.out, "  {n}")?;
    }
    for r in &e.rifiutate {
        writeln!(o.out, "  riga {}, «{}»: {}", r.riga, r.campo, r.messaggio)?;
    }
    for r in e.ignorate.iter().take(20) {
        writeln!(o.out, "  riga {} lasciata fuori: {}", r.riga, r.messaggio)?;
    }
    if e.ignorate.len() > 20 {
        writeln!(
            o.out,
            "  … e altre {} righe lasciate fuori",
            e.ignorate.len() - 20
        )?;
    }
    Ok(0)
}

fn esito_movimento(e: EsitoMovimentoVista) -> &'static str {
    match e {
        EsitoMovimentoVista::Abbinato => "abbinato",
        EsitoMovimentoVista::ImportoDiverso => "importo diverso",
        EsitoMovimentoVista::Sconosciuto => "riferimento sconosciuto",
        EsitoMovimentoVista::SenzaRiferimento => "senza riferimento pagoPA",
    }
}

pub(crate) fn righe_movimenti(o: &mut Out<'_>, list: &[MovimentoVista]) -> Result<()> {
    for m in list {
        writeln!(
            o.out,
            "{}/{:<10} {} {:>14}  {}: {}",
            m.anno,
            m.bolletta,
            data_it(&m.data_contabile),
            euro(m.importo_cents),
            esito_movimento(m.esito),
            m.motivo
        )?;
        if !m.lettura.is_empty() {
            writeln!(o.out, "    causale: {}", m.lettura)?;
        }
        for s in &m.suggerimenti {
            writeln!(o.out, "    forse il flusso {}: {}", s.iuf, s.motivo)?;
        }
    }
    Ok(())
}

/// `treasury list`: each entry with what it matched, or why not and the suggestions.
pub fn movimenti_tesoreria(o: &mut Out<'_>, list: &[MovimentoVista]) -> Result<i32> {
    if o.json {
        o.json_value(&list)?;
        return Ok(0);
    }
    if list.is_empty() {
        writeln!(o.out, "Nessun movimento di tesoreria.")?;
    }
    righe_movimenti(o, list)?;
    Ok(0)
}

/// `treasury rules`: the days in force.
pub fn regole_tesoreria(o: &mut Out<'_>, r: &RegoleTesoreria) -> Result<i32> {
    if o.json {
        o.json_value(r)?;
        return Ok(0);
    }
    writeln!(
        o.out,
        "Un pagamento senza flusso di rendicontazione dopo {} giorni è «non rendicontato»",
        r.giorni_rendicontazione
    )?;
    writeln!(
        o.out,
        "Un flusso senza movimento di tesoreria {} giorni dopo il regolamento è «non incassato»",
        r.giorni_incasso
    )?;
    writeln!(
        o.out,
        "Suggerimenti per movimenti e flussi a non più di {} giorni di distanza",
        r.giorni_suggerimento
    )?;
    Ok(0)
}

/// `fdr rules`: the matching's rules in force.
pub fn regole_riconciliazione(o: &mut Out<'_>, r: &RegoleRiconciliazione) -> Result<i32> {
    if o.json {
        o.json_value(r)?;
        return Ok(0);
    }
    writeln!(
        o.out,
        "Riga del flusso senza indice del trasferimento: {}",
        if r.indice_mancante_primo {
            "è il primo trasferimento (primo)"
        } else {
            "non si abbina a nessuna ricevuta, come in MyPivot (nessuno)"
        }
    )?;
    writeln!(
        o.out,
        "Riga con esito 9 senza ricevuta: {}",
        if r.esito9_rendicontato {
            "rendicontata dai dati del flusso, come in MyPivot (rendicontato)"
        } else {
            "anomalia da verificare (anomalia)"
        }
    )?;
    Ok(0)
}

pub fn receipts(o: &mut Out<'_>, list: &[RicevutaRiga]) -> Result<()> {
    if o.json {
        return o.json_value(&list);
    }
    if list.is_empty() {
        writeln!(o.out, "Nessuna ricevuta.")?;
    }
    for r in list {
        writeln!(
            o.out,
            "{:<17} {:<24} {:>14} {}  {:<28} {}",
            r.iuv,
            r.iur,
            euro(r.importo_cents),
            data_it(&r.data_esito),
            r.pagatore.chars().take(28).collect::<String>(),
            r.etichetta
        )?;
    }
    Ok(())
}

pub fn sheet_preview(o: &mut Out<'_>, p: &Anteprima) -> Result<()> {
    if o.json {
        return o.json_value(p);
    }
    let s = &p.sorgente;
    match &p.tracciato {
        Some(v) => writeln!(
            o.out,
            "File {}: CSV nel tracciato MyPay {v}, importato così com'è.",
            p.file
        )?,
        None => writeln!(
            o.out,
            "File {} ({}{}), intestazione alla riga {}",
            p.file,
            s.formato,
            if s.foglio.is_empty() {
                String::new()
            } else {
                format!(", foglio «{}»", s.foglio)
            },
            p.riga_intestazione.unwrap_or(0)
        )?,
    }
    if let (Some(c), Some(sep)) = (&s.codifica, &s.separatore) {
        writeln!(o.out, "  codifica {c}, separatore: {sep}")?;
    }
    for n in &s.note {
        writeln!(o.out, "  nota: {n}")?;
    }
    if s.fogli.iter().filter(|f| !f.nascosto).count() > 1 {
        writeln!(
            o.out,
            "  suggerimento: «--sheet NOME» legge un altro foglio"
        )?;
    }
    if p.tracciato.is_none() {
        writeln!(
            o.out,
            "Abbinamento delle colonne{}:",
            if p.mappatura_salvata {
                " (salvato)"
            } else {
                " (proposto)"
            }
        )?;
        for c in &p.mappatura.colonne {
            writeln!(
                o.out,
                "  {:<14} ← {} «{}»",
                c.campo, c.lettera, c.intestazione
            )?;
        }
        let unused: Vec<String> = p
            .intestazioni
            .iter()
            .enumerate()
            // The columns left out on purpose are listed below, with why.
            .filter(|(i, h)| {
                !h.is_empty()
                    && !p.mappatura.colonne.iter().any(|c| c.colonna == *i)
                    && !p
                        .colonne_escluse
                        .iter()
                        .any(|c| c.lettera == mpd_core::sheets::column_letter(*i))
            })
            .map(|(i, h)| format!("{} «{h}»", mpd_core::sheets::column_letter(i)))
            .collect();
        if !unused.is_empty() {
            writeln!(o.out, "  non usate: {}", unused.join(", "))?;
        }
        for c in &p.colonne_escluse {
            writeln!(
                o.out,
                "  lasciata fuori: {} «{}»: {}",
                c.lettera, c.intestazione, c.motivo
            )?;
        }
        for m in &p.mancanti {
            writeln!(o.out, "  da sistemare: {m}")?;
        }
        if !p.mancanti.is_empty() {
            let s = crate::suggerimenti::suggerimento_problema(
                mpd_core::sheets::codes::COLONNA_MANCANTE,
            );
            writeln!(o.out, "  suggerimento: {}", s.unwrap_or_default())?;
        }
    }
    writeln!(o.out, "Prime righe:")?;
    for r in &p.righe {
        writeln!(o.out, "  {:>6}: {}", r.riga, r.celle.join(" | "))?;
    }
    Ok(())
}

/// `notices plan`: how many notices, what is skipped and why, the files a run writes.
pub fn piano_avvisi(o: &mut Out<'_>, p: &mpd_app::avvisi::lotto::PianoAvvisi) -> Result<()> {
    if o.json {
        return o.json_value(p);
    }
    writeln!(
        o.out,
        "{} con {}.",
        mpd_domain::testo::conta(p.avvisi, "avviso da stampare", "avvisi da stampare"),
        mpd_domain::testo::conta(p.opzioni, "codice di pagamento", "codici di pagamento")
    )?;
    for g in &p.gruppi_esclusi {
        writeln!(
            o.out,
            "Escluse {}: {}.",
            g.descrizione,
            mpd_domain::testo::numero(g.quante)
        )?;
    }
    for e in &p.esclusi {
        writeln!(o.out, "  - {}", e.messaggio)?;
    }
    if p.avvisi > 0 {
        writeln!(
            o.out,
            "File di stampa ({} avvisi ciascuno al massimo): {}.",
            mpd_domain::testo::numero(p.per_file),
            p.file_stampa.join(", ")
        )?;
        writeln!(o.out, "Manifesto: {}.", p.manifesto.join(", "))?;
    }
    Ok(())
}

/// `notices build`: what was written (`--json`: the whole manifest).
pub fn avvisi_generati(o: &mut Out<'_>, e: &mpd_app::avvisi::lotto::EsitoAvvisi) -> Result<()> {
    if o.json {
        return o.json_value(e);
    }
    writeln!(
        o.out,
        "{} in {} ({}).",
        mpd_domain::testo::conta(e.avvisi, "avviso scritto", "avvisi scritti"),
        e.cartella,
        mpd_domain::testo::conta(e.opzioni, "codice di pagamento", "codici di pagamento")
    )?;
    for f in &e.file_stampa {
        writeln!(
            o.out,
            "  {}: {}, {}",
            f.file,
            mpd_domain::testo::conta(f.avvisi, "avviso", "avvisi"),
            mpd_domain::testo::conta(f.pagine, "pagina", "pagine")
        )?;
    }
    writeln!(
        o.out,
        "  Manifesto: {}, {}",
        e.manifesto_csv, e.manifesto_xlsx
    )?;
    if !e.esclusi.is_empty() {
        writeln!(
            o.out,
            "{} senza avviso:",
            mpd_domain::testo::conta(e.esclusi.len(), "posizione", "posizioni")
        )?;
        for x in &e.esclusi {
            writeln!(o.out, "  - {}", x.messaggio)?;
        }
    }
    Ok(())
}
