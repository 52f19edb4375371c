//! `reconcile` (the reconciliation's outputs for the finance office, issue 16 item 4) and
//! `ente capitolo` (a payment type's default chapter). Each handler makes one call into
//! `mpd_app::contabilita` and prints.

use anyhow::Result;
use mpd_app::contabilita::{self, CapitoloTipo, EsitoEsportazione, TotaleVista};

use crate::args::{CapitoloArgs, Cli, ReconcileArgs, ReconcileCmd};
use crate::contesto;
use crate::output::{Out, data_it, euro};

/// `reconcile [export|reversali|mypivot|totals]`.
pub fn reconcile(cli: &Cli, a: &ReconcileArgs, o: &mut Out<'_>) -> Result<i32> {
    let app = contesto::app(cli);
    match &a.cmd {
        None => completa(
            o,
            &contabilita::riconciliazione_etichettata(&app, a.state.as_deref())?,
        ),
        Some(ReconcileCmd::Export { out }) => esportato(
            o,
            &contabilita::esporta_riconciliazione(&app, &assoluto(out))?,
        ),
        Some(ReconcileCmd::Reversali { out }) => {
            esportato(o, &contabilita::salva_proposte(&app, &assoluto(out))?)
        }
        Some(ReconcileCmd::Mypivot {
            out,
            senza_notifiche,
            finestra,
        }) => esportato(
            o,
            &contabilita::esporta_mypivot(&app, &assoluto(out), !senza_notifiche, *finestra)?,
        ),
        Some(ReconcileCmd::Totals { by }) => {
            let per = by.as_deref().map(contabilita::raggruppamento).transpose()?;
            let t = contabilita::totali(&app)?;
            if o.json {
                o.json_value(&t)?;
                return Ok(0);
            }
            writeln!(
                o.out,
                "Incassato: {} in {}.",
                euro(t.totale_cents),
                mpd_domain::testo::conta(t.pagamenti, "pagamento", "pagamenti")
            )?;
            for (codice, titolo, gruppo) in [
                ("tipo", "Per tipo dovuto", &t.per_tipo),
                ("capitolo", "Per capitolo", &t.per_capitolo),
                ("accertamento", "Per accertamento", &t.per_accertamento),
                ("mese", "Per mese", &t.per_mese),
            ] {
                if per.is_some_and(|p| p.codice() != codice) {
                    continue;
                }
                gruppo_totali(o, titolo, gruppo)?;
            }
            Ok(0)
        }
    }
}

/// A relative path is the clerk's, from the current folder.
fn assoluto(p: &std::path::Path) -> std::path::PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

fn esportato(o: &mut Out<'_>, e: &EsitoEsportazione) -> Result<i32> {
    if o.json {
        o.json_value(e)?;
    } else {
        writeln!(o.out, "{}", e.testo)?;
    }
    Ok(0)
}

fn gruppo_totali(o: &mut Out<'_>, titolo: &str, gruppo: &[TotaleVista]) -> Result<()> {
    writeln!(o.out, "{titolo}:")?;
    for v in gruppo {
        writeln!(
            o.out,
            "  {:<32} {:>6} pag. {:>16}",
            v.etichetta,
            v.pagamenti,
            euro(v.importo_cents)
        )?;
    }
    Ok(())
}

/// The bare `reconcile`: payments (with MyPivot's labels in brackets), treasury entries,
/// totals by state.
fn completa(o: &mut Out<'_>, r: &contabilita::RiconciliazioneEtichettata) -> Result<i32> {
    if o.json {
        o.json_value(r)?;
        return Ok(0);
    }
    writeln!(o.out, "Pagamenti:")?;
    pagamenti(o, &r.pagamenti)?;
    writeln!(o.out, "\nMovimenti di tesoreria:")?;
    if r.movimenti.is_empty() {
        writeln!(o.out, "Nessun movimento di tesoreria.")?;
    }
    crate::output::righe_movimenti(o, &r.movimenti)?;
    writeln!(o.out, "\nTotali per stato:")?;
    for t in r.totali.iter().filter(|t| t.numero > 0) {
        writeln!(
            o.out,
            "  {:<45} {:>9} {:>16}",
            t.etichetta,
            mpd_domain::testo::numero(t.numero),
            euro(t.importo_cents)
        )?;
    }
    Ok(0)
}

fn pagamenti(o: &mut Out<'_>, list: &[contabilita::PagamentoEtichettato]) -> Result<i32> {
    if o.json {
        o.json_value(&list)?;
        return Ok(0);
    }
    if list.is_empty() {
        writeln!(o.out, "Nessun pagamento.")?;
    }
    for p in list {
        let v = &p.pagamento;
        let importo = v
            .importo_cents
            .or(v.importo_rendicontato_cents)
            .map(euro)
            .unwrap_or_default();
        writeln!(
            o.out,
            "{:<17} {:<24} {:>14} {}  {}: {}  [{}]",
            v.iuv,
            v.iur,
            importo,
            data_it(&v.data_esito),
            v.etichetta,
            v.motivo,
            p.etichette.join(", ")
        )?;
    }
    Ok(0)
}

/// `ente capitolo [TIPO] [--capitolo C [--articolo A] [--accertamento X] [--ufficio U]]`.
pub fn ente_capitolo(cli: &Cli, a: &CapitoloArgs, o: &mut Out<'_>) -> Result<i32> {
    let app = contesto::app(cli);
    let tutti = match (&a.tipo, &a.capitolo) {
        (Some(tipo), Some(capitolo)) => contabilita::imposta_capitolo_tipo(
            &app,
            CapitoloTipo {
                tipo_dovuto: tipo.clone(),
                capitolo: capitolo.clone(),
                articolo: a.articolo.clone().unwrap_or_default(),
                accertamento: a.accertamento.clone().unwrap_or_default(),
                ufficio: a.ufficio.clone().unwrap_or_default(),
            },
        )?,
        _ => contabilita::capitoli_tipi(&app)?,
    };
    let scelti: Vec<&CapitoloTipo> = tutti
        .iter()
        .filter(|c| a.tipo.as_ref().is_none_or(|t| *t == c.tipo_dovuto))
        .collect();
    if o.json {
        o.json_value(&scelti)?;
        return Ok(0);
    }
    if scelti.is_empty() {
        match &a.tipo {
            Some(t) => writeln!(o.out, "Tipo dovuto {t}: nessun capitolo predefinito.")?,
            None => writeln!(o.out, "Nessun tipo dovuto ha un capitolo predefinito.")?,
        }
    }
    for c in scelti {
        let mut riga = format!("{}: capitolo {}", c.tipo_dovuto, c.capitolo);
        for (nome, v) in [
            ("articolo", &c.articolo),
            ("accertamento", &c.accertamento),
            ("ufficio", &c.ufficio),
        ] {
            if !v.is_empty() {
                riga.push_str(&format!(", {nome} {v}"));
            }
        }
        writeln!(o.out, "{riga}")?;
    }
    Ok(0)
}
