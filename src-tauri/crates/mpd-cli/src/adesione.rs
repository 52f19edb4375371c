//! `ente check`, `adesione …` and `contributo …` (issue 7): the handlers (their arguments are
//! in `args`). Each handler makes one call to `mpd_app::adesione` or
//! `mpd_app::contributo` (the window's commands call the same functions) and prints the result.
//! Exit codes follow the CLI's rule: 1 when the profile has errors (nothing written), 2 when the
//! command could not run.

use anyhow::{Result, bail};

use mpd_app::adesione::{self, Gravita, PassoRegistrato, ProblemaProfilo};
use mpd_app::contributo::{self, EsitoContributo, SimulazioneContributo, ValoreVoce, VoceNuova};
use mpd_app::{App, Codice, Errore};

use crate::args::{AdesioneCmd, CalcolaArgs, Cli, ContributoCmd, SpesaCmd};
use crate::contesto;
use crate::output::Out;

fn euro(d: rust_decimal::Decimal) -> String {
    mpd_domain::money::format_it(d)
}

/// An mpd-app error about a field the clerk typed, with the option that carries it.
fn con_opzione(e: Errore, opzioni: &[(&str, &str)]) -> anyhow::Error {
    if e.codice == Codice::NonValido
        && let Some((_, flag)) = opzioni
            .iter()
            .find(|(campo, _)| e.messaggio.starts_with(campo))
    {
        return anyhow::anyhow!("{flag}: {e}");
    }
    e.into()
}

fn print_problemi(o: &mut Out<'_>, problemi: &[ProblemaProfilo]) -> Result<()> {
    for p in problemi {
        let g = match p.gravita {
            Gravita::Errore => "errore",
            Gravita::Avviso => "avviso",
        };
        writeln!(o.out, "{g:<7} {}: {}", p.campo, p.messaggio)?;
        writeln!(o.out, "        perché conta: {}", p.perche)?;
    }
    Ok(())
}

/// `ente show`.
pub fn ente_show(cli: &Cli, o: &mut Out<'_>) -> Result<i32> {
    match adesione::ente_mostra(&contesto::app(cli)) {
        Ok(view) => crate::output::ente(o, &view)?,
        Err(e) if e.codice == Codice::EnteMancante => {
            bail!("{e}: lo carichi con «mypay-desk ente set <file.toml>»")
        }
        Err(e) => return Err(e.into()),
    }
    Ok(0)
}

/// `ente set FILE`.
pub fn ente_set(cli: &Cli, file: &std::path::Path, o: &mut Out<'_>) -> Result<i32> {
    let r = adesione::ente_importa(&contesto::app(cli), file)?;
    for w in &r.avvisi {
        writeln!(o.err, "attenzione: {w}")?;
    }
    if o.json {
        o.json_value(&r)?;
    } else {
        writeln!(
            o.out,
            "Profilo salvato: {} ({}), {}.",
            r.ente.ente.denominazione,
            r.ente.ente.codice_ipa,
            mpd_domain::testo::conta(r.ente.tipi_dovuto.len(), "tipo dovuto", "tipi dovuto")
        )?;
    }
    Ok(0)
}

/// `ente check`.
pub fn ente_check(cli: &Cli, o: &mut Out<'_>) -> Result<i32> {
    let v = adesione::ente_completezza(&contesto::app(cli))?;
    let errori = v.errori().count();
    if o.json {
        o.json_value(&v)?;
    } else {
        if v.completo {
            writeln!(
                o.out,
                "Profilo completo per l'adesione ({}).",
                mpd_domain::testo::conta(v.problemi.len(), "avviso", "avvisi")
            )?;
        } else {
            writeln!(
                o.out,
                "Profilo incompleto: {} e {}. I documenti si generano quando non ci sono errori.",
                mpd_domain::testo::conta(errori, "errore", "errori"),
                mpd_domain::testo::conta(v.problemi.len() - errori, "avviso", "avvisi")
            )?;
        }
        print_problemi(o, &v.problemi)?;
    }
    Ok(if v.completo { 0 } else { 1 })
}

pub fn run_adesione(cli: &Cli, cmd: &AdesioneCmd, o: &mut Out<'_>) -> Result<i32> {
    let app = contesto::app(cli);
    match cmd {
        AdesioneCmd::Documenti { out } => {
            let esito = adesione::documenti(&app, out)?;
            if o.json {
                o.json_value(&esito)?;
            } else if esito.completo {
                writeln!(
                    o.out,
                    "Documenti scritti in {}:",
                    esito.cartella.as_deref().unwrap_or_default()
                )?;
                for f in &esito.file {
                    let nome = std::path::Path::new(f)
                        .file_name()
                        .unwrap_or_default()
                        .to_string_lossy();
                    writeln!(o.out, "  {nome}")?;
                }
                if !esito.avvisi.is_empty() {
                    writeln!(o.out, "Da verificare:")?;
                    print_problemi(o, &esito.avvisi)?;
                }
            } else {
                writeln!(
                    o.out,
                    "Nessun documento scritto: il profilo ha {} da correggere.",
                    mpd_domain::testo::conta(esito.mancanti.len(), "errore", "errori")
                )?;
                print_problemi(o, &esito.mancanti)?;
            }
            Ok(if esito.completo { 0 } else { 1 })
        }
        AdesioneCmd::Passo { passo, data, nota } => {
            let passi = adesione::passo_registra(&app, passo, data, nota.as_deref())
                .map_err(|e| con_opzione(e, &[("Data", "--data"), ("Nota", "--nota")]))?;
            print_passi(o, &passi)?;
            Ok(0)
        }
        AdesioneCmd::Stato => {
            print_passi(o, &adesione::passi(&app)?)?;
            Ok(0)
        }
    }
}

fn print_passi(o: &mut Out<'_>, passi: &[PassoRegistrato]) -> Result<()> {
    if o.json {
        return o.json_value(&passi);
    }
    for p in passi {
        let data = p
            .data
            .map(|d| d.format("%d/%m/%Y").to_string())
            .unwrap_or_else(|| "—".into());
        writeln!(
            o.out,
            "{:<18} {:<10} {}{}",
            p.passo.code(),
            data,
            p.nome,
            p.nota
                .as_ref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default()
        )?;
    }
    Ok(())
}

fn print_esito(o: &mut Out<'_>, e: &EsitoContributo) -> Result<()> {
    writeln!(o.out, "{}", e.motivo)?;
    writeln!(o.out, "Misura: {} (regole «{}»)", e.atto, e.misura)?;
    if let Some(s) = e.spesa {
        writeln!(o.out, "Spesa stimata: {}", euro(s))?;
    }
    if let (Some(a), Some(s)) = (e.spesa_ammessa, e.spesa)
        && a != s
    {
        writeln!(o.out, "Spesa ammessa: {}", euro(a))?;
    }
    if let Some(c) = e.contributo {
        writeln!(o.out, "Contributo: {}", euro(c))?;
    }
    if e.provvisorio {
        writeln!(o.out, "Risultato provvisorio.")?;
    }
    for a in &e.avvisi {
        writeln!(o.out, "attenzione: {a}")?;
    }
    if !e.da_verificare.is_empty() {
        writeln!(
            o.out,
            "{} punti della misura da verificare sull'atto: «mypay-desk contributo misura».",
            e.da_verificare.len()
        )?;
    }
    Ok(())
}

const OPZIONI_CALCOLO: [(&str, &str); 4] = [
    ("Tipo di ente", "--tipo-ente"),
    ("Popolazione", "--popolazione"),
    ("Modalità", "--modalita"),
    ("Spesa stimata", "--spesa"),
];

fn calcola(app: &App, a: &CalcolaArgs, o: &mut Out<'_>) -> Result<i32> {
    let esito = match &a.tipo_ente {
        Some(t) => {
            let Some(m) = &a.modalita else {
                bail!("--modalita: obbligatoria con --tipo-ente (es. base,per-flussi)");
            };
            let s = SimulazioneContributo {
                tipo_ente: t.clone(),
                popolazione: a.popolazione.map(|p| p.to_string()).unwrap_or_default(),
                modalita: m
                    .split(',')
                    .map(str::trim)
                    .filter(|m| !m.is_empty())
                    .map(str::to_string)
                    .collect(),
                spesa: a.spesa.clone().unwrap_or_default(),
            };
            contributo::simula(app, &s).map_err(|e| con_opzione(e, &OPZIONI_CALCOLO))?
        }
        None => {
            let c = match contributo::calcola(app, a.spesa.as_deref()) {
                Ok(c) => c,
                Err(e) if e.codice == Codice::NonValido && e.messaggio.contains("tipo di ente") => {
                    bail!("{e}: veda «mypay-desk ente check»")
                }
                Err(e) => return Err(con_opzione(e, &OPZIONI_CALCOLO)),
            };
            if o.json {
                o.json_value(&c)?;
                return Ok(0);
            }
            c.esito
        }
    };
    if o.json {
        o.json_value(&esito)?;
    } else {
        print_esito(o, &esito)?;
    }
    Ok(0)
}

fn print_misura(o: &mut Out<'_>, misura: &contributo::Misura) -> Result<()> {
    writeln!(
        o.out,
        "{} – {} (regole «{}», versione {})",
        misura.atto, misura.nome, misura.id, misura.versione
    )?;
    writeln!(o.out, "Fonte: {}", misura.fonte)?;
    let ammesse: Vec<&str> = misura.modalita_ammesse.iter().map(|m| m.nome()).collect();
    writeln!(o.out, "Modalità ammesse: {}", ammesse.join(", "))?;
    for (i, r) in misura.regole.iter().enumerate() {
        let soglia = r
            .popolazione_max
            .map(|s| format!(", fino a {} abitanti", thousands(s)))
            .unwrap_or_default();
        writeln!(
            o.out,
            "  {}. {}%: {}{soglia}",
            i + 1,
            r.percentuale,
            r.descrizione
        )?;
    }
    writeln!(
        o.out,
        "  altrimenti {}%: altri enti pubblici",
        misura.percentuale_altri_enti
    )?;
    writeln!(
        o.out,
        "Massimale: {}",
        misura
            .massimale
            .map(euro)
            .unwrap_or_else(|| "non indicato".into())
    )?;
    for c in &misura.costi_standard {
        let v = c
            .importo
            .map(euro)
            .unwrap_or_else(|| "importo da inserire".into());
        writeln!(
            o.out,
            "Costo standard «{}»: {v}{} – {}",
            c.codice,
            if c.da_verificare {
                " (da verificare)"
            } else {
                ""
            },
            c.descrizione
        )?;
    }
    if !misura.da_verificare.is_empty() {
        writeln!(o.out, "Da verificare sull'atto:")?;
        for d in &misura.da_verificare {
            writeln!(o.out, "  – {d}")?;
        }
    }
    Ok(())
}

pub fn run_contributo(cli: &Cli, cmd: &ContributoCmd, o: &mut Out<'_>) -> Result<i32> {
    let app = contesto::app(cli);
    match cmd {
        ContributoCmd::Calcola(a) => calcola(&app, a, o),
        ContributoCmd::Misura {
            esporta,
            carica,
            predefinita,
        } => {
            let misura = if let Some(path) = carica {
                contributo::misura_carica(&app, path)?
            } else if *predefinita {
                contributo::misura_predefinita(&app)?
            } else if let Some(path) = esporta {
                contributo::misura_esporta(&app, path)?
            } else {
                contributo::misura(&app)?
            };
            if o.json {
                o.json_value(&misura)?;
                return Ok(0);
            }
            print_misura(o, &misura)?;
            if let Some(path) = esporta {
                writeln!(
                    o.out,
                    "Regole scritte in {}: le modifichi e le ricarichi con --carica.",
                    path.display()
                )?;
            }
            Ok(0)
        }
        ContributoCmd::Spesa(SpesaCmd::Aggiungi {
            descrizione,
            fornitore,
            riferimento,
            data,
            importo,
            costo_standard,
            quantita,
        }) => {
            let voce = VoceNuova {
                descrizione: descrizione.clone(),
                fornitore: fornitore.clone(),
                riferimento: riferimento.clone(),
                data: data.clone(),
                importo: importo.clone(),
                costo_standard: costo_standard.clone(),
                quantita: *quantita,
            };
            let id = contributo::voce_aggiungi(&app, &voce)
                .map_err(|e| {
                    con_opzione(
                        e,
                        &[
                            ("Descrizione", "--descrizione"),
                            ("Fornitore", "--fornitore"),
                            ("Riferimento", "--riferimento"),
                            ("Importo", "--importo"),
                            ("Costo standard", "--costo-standard"),
                            ("Numero di servizi", "--quantita"),
                            ("Data", "--data"),
                        ],
                    )
                })?
                .numero;
            if o.json {
                o.json_value(&serde_json::json!({ "numero": id }))?;
            } else {
                writeln!(o.out, "Voce di spesa n. {id} aggiunta.")?;
            }
            Ok(0)
        }
        ContributoCmd::Spesa(SpesaCmd::Elenco) => {
            let stima = contributo::voci(&app)?;
            if o.json {
                o.json_value(&stima)?;
                return Ok(0);
            }
            for r in &stima.righe {
                let tipo = match &r.voce.valore {
                    ValoreVoce::Preventivo { .. } => "preventivo".to_string(),
                    ValoreVoce::CostoStandard { codice, quantita } => {
                        format!("{codice} × {quantita}")
                    }
                };
                let importo = r.importo.map(euro).unwrap_or_else(|| "—".into());
                writeln!(
                    o.out,
                    "{:>3}  {:<40} {:<28} {:>14}",
                    r.voce.id.unwrap_or_default(),
                    r.voce.descrizione,
                    tipo,
                    importo
                )?;
                if let Some(n) = &r.nota {
                    writeln!(o.out, "     {n}")?;
                }
            }
            writeln!(
                o.out,
                "Totale spesa stimata: {}{}",
                euro(stima.totale),
                if stima.incompleta { " (parziale)" } else { "" }
            )?;
            Ok(0)
        }
        ContributoCmd::Spesa(SpesaCmd::Elimina { numero }) => {
            contributo::voce_elimina(&app, *numero)?;
            if o.json {
                o.json_value(&serde_json::json!({ "eliminata": numero }))?;
            } else {
                writeln!(o.out, "Voce di spesa n. {numero} eliminata.")?;
            }
            Ok(0)
        }
        ContributoCmd::Importo {
            tipo,
            importo,
            data,
            riferimento,
        } => {
            let m = contributo::importo_aggiungi(&app, tipo, importo, data, riferimento.as_deref())
                .map_err(|e| {
                    con_opzione(
                        e,
                        &[
                            ("Importo", "--importo"),
                            ("Data", "--data"),
                            ("Riferimento", "--riferimento"),
                        ],
                    )
                })?
                .movimento;
            if o.json {
                o.json_value(&m)?;
            } else {
                writeln!(
                    o.out,
                    "Registrato: {} {} il {}.",
                    m.tipo.code(),
                    euro(m.importo),
                    m.data.format("%d/%m/%Y")
                )?;
            }
            Ok(0)
        }
        ContributoCmd::Importi => {
            let list = contributo::importi(&app)?;
            if o.json {
                o.json_value(&list)?;
                return Ok(0);
            }
            for m in &list {
                writeln!(
                    o.out,
                    "{}  {:<10} {:>14}  {}",
                    m.data.format("%d/%m/%Y"),
                    m.tipo.code(),
                    euro(m.importo),
                    m.riferimento.as_deref().unwrap_or("")
                )?;
            }
            Ok(0)
        }
        ContributoCmd::Riepilogo { out } => {
            let s = contributo::riepilogo_scrivi(&app, out)?;
            let r = &s.riepilogo;
            if o.json {
                o.json_value(&s)?;
            } else {
                writeln!(o.out, "{}", r.esito.motivo)?;
                writeln!(
                    o.out,
                    "Richiesto {}, concesso {}, incassato {}, da incassare {}.",
                    euro(r.totali.richiesto),
                    euro(r.totali.concesso),
                    euro(r.totali.incassato),
                    euro(r.totali.da_incassare)
                )?;
                for f in &s.file {
                    writeln!(o.out, "Scritto {}", f.display())?;
                }
            }
            Ok(0)
        }
    }
}

fn thousands(n: u32) -> String {
    mpd_core::adesione::format_int(n.into())
}
