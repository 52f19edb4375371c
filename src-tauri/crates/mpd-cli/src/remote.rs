//! The commands that talk to MyPay: `flow submit`, `flow status`, `receipts download`, `sync`,
//! `counter …`, `credentials set|clear`, `connection show|set`, and the global `--env` and
//! `--base-url` (their arguments are in `args`).
//!
//! `--env demo` starts the emulator in-process (state next to the database) serving the stored
//! Ente with the demo password; on a fresh machine it also saves the demo Ente and a few sample
//! debts, so `mypay-desk --env demo sync` works with nothing else running.
//!
//! The password is read from standard input by `credentials set` (never from a flag), kept in
//! the OS keyring, or taken from `MYPAY_DESK_PASSWORD`; the source is said, the password never.

use std::io::Write;

use anyhow::{Result, bail};

use mpd_client::Event;
use mpd_client::credentials;

use mpd_app::flussi::{self, EsitoFlusso, EsitoFlussoTipo, RichiestaInvio};
use mpd_app::impostazioni;
use mpd_app::{App, Lavoro};
use mpd_app::{ricevute, sportello};

use crate::args::{
    Cli, ConnectionCmd, CounterCmd, CredentialsCmd, DebtFields, DownloadArgs, SubmitArgs, SyncArgs,
};
use crate::contesto::{app, upkeep};
use crate::output::Out;

/// Events as progress on stderr: a bar on a terminal, lines otherwise (see [`crate::progress`]).
fn progress_printer<'a>(err: &'a mut dyn Write, json: bool) -> impl FnMut(&Event) + 'a {
    crate::progress::printer(err, json)
}

/// Prints the connection line (on stderr: stdout stays clean for `--json`).
fn announce_app(o: &mut Out<'_>, app: &App) -> Result<()> {
    if let Some(d) = app.descrizione_connessione() {
        for n in &d.note {
            writeln!(o.err, "{n}")?;
        }
        writeln!(o.err, "{}", d.riga)?;
    }
    Ok(())
}

fn flow_line(o: &mut Out<'_>, f: &mpd_client::sync::submit::FlowOutcome) -> Result<()> {
    write!(o.out, "Flusso {} ({}): {}", f.id, f.nome, f.stato_it)?;
    if f.caricate + f.scartate > 0 {
        write!(
            o.out,
            ", {}, {}",
            mpd_domain::testo::conta(f.caricate, "riga caricata", "righe caricate"),
            mpd_domain::testo::conta(f.scartate, "scartata", "scartate")
        )?;
    }
    if f.in_attesa {
        write!(
            o.out,
            " — MyPay lo sta ancora elaborando: riprenderà con «mypay-desk sync»"
        )?;
    }
    writeln!(o.out, ".")?;
    if let Some(m) = &f.esito_messaggio {
        writeln!(o.out, "  {m}")?;
    }
    Ok(())
}

fn scarti_lines(o: &mut Out<'_>, scarti: &[flussi::Scarto]) -> Result<()> {
    for r in scarti {
        let riga = r
            .sorgente_riga
            .map(|n| format!("riga {n} del file"))
            .unwrap_or_else(|| format!("riga {} del flusso", r.riga));
        writeln!(o.out, "  scartato {} ({riga}): {}", r.iud, r.spiegazione)?;
    }
    Ok(())
}

fn rejected_rows(o: &mut Out<'_>, app: &App, flusso_id: i64) -> Result<()> {
    let d = flussi::dettaglio(app, &flusso_id.to_string())?;
    scarti_lines(o, &d.scarti)
}

fn esito_line(o: &mut Out<'_>, f: &EsitoFlusso) -> Result<()> {
    write!(o.out, "Flusso {} ({}): ", f.id, f.nome)?;
    match f.esito {
        EsitoFlussoTipo::NonInviato => write!(o.out, "non inviato")?,
        EsitoFlussoTipo::Annullato => write!(o.out, "non inviato (invio annullato)")?,
        _ => write!(o.out, "{}", f.stato_it)?,
    }
    if f.caricate + f.scartate > 0 {
        write!(
            o.out,
            ", {}, {}",
            mpd_domain::testo::conta(f.caricate, "riga caricata", "righe caricate"),
            mpd_domain::testo::conta(f.scartate, "scartata", "scartate")
        )?;
    }
    if f.esito == EsitoFlussoTipo::InAttesa {
        write!(
            o.out,
            " — MyPay lo sta ancora elaborando: riprenderà con «mypay-desk sync»"
        )?;
    }
    writeln!(o.out, ".")?;
    if let Some(m) = &f.esito_messaggio {
        writeln!(o.out, "  {m}")?;
    }
    if let Some(e) = &f.errore {
        writeln!(o.out, "  {}", e.messaggio)?;
    }
    scarti_lines(o, &f.scarti)
}

pub fn flow_submit(cli: &Cli, a: &SubmitArgs, o: &mut Out<'_>) -> Result<i32> {
    let app = app(cli);
    let richiesta = RichiestaInvio {
        flussi: a.flusso.iter().cloned().collect(),
        prepara: false,
        avvisi: a.avvisi,
    };
    let esito = {
        let mut printer = progress_printer(o.err, o.json);
        let lavoro = Lavoro::new(
            |e: flussi::Avanzamento| {
                if let flussi::Avanzamento::Evento { evento } = &e {
                    printer(evento)
                }
            },
            Default::default(),
        );
        flussi::invia(&app, &richiesta, &lavoro)
    };
    let esito = match esito {
        Ok(e) => e,
        Err(e) if e.codice == mpd_app::Codice::FlussoInesistente => {
            bail!("{e}: l'elenco dei flussi è in «mypay-desk flow list»")
        }
        Err(e) => return Err(e.into()),
    };
    announce_app(o, &app)?;
    if o.json {
        o.json_value(&esito)?;
    } else {
        for f in &esito.flussi {
            esito_line(o, f)?;
        }
        if esito.flussi.is_empty() {
            writeln!(
                o.out,
                "Nessun flusso da inviare: prepari i flussi con «mypay-desk flow build»."
            )?;
        }
    }
    if esito.riepilogo.livello == flussi::Livello::Errore || !esito.flussi.is_empty() {
        let dove = if esito.riepilogo.livello == flussi::Livello::Errore {
            &mut *o.err
        } else {
            &mut *o.out
        };
        if !o.json || esito.riepilogo.livello == flussi::Livello::Errore {
            writeln!(dove, "{}", esito.riepilogo.testo)?;
        }
    }
    Ok(exit_code(&esito))
}

/// 2 when a flow did not go (the clerk retries later), 1 when MyPay refused a flow or some
/// rows (the clerk corrects them), 0 otherwise.
fn exit_code(esito: &flussi::EsitoInvio) -> i32 {
    if esito.non_inviati().next().is_some() {
        2
    } else if esito.da_correggere() {
        1
    } else {
        0
    }
}

pub fn flow_status(cli: &Cli, id: Option<&str>, o: &mut Out<'_>) -> Result<i32> {
    let app = app(cli);
    let flows = match id {
        Some(id) => vec![flussi::dettaglio(&app, id)?],
        None => flussi::elenco(&app)?
            .into_iter()
            .map(|f| flussi::DettaglioFlusso {
                flusso: f,
                eventi: Vec::new(),
                scarti: Vec::new(),
            })
            .collect(),
    };
    if o.json {
        let items: Vec<serde_json::Value> = flows
            .iter()
            .map(|d| serde_json::json!({ "flusso": d.flusso, "scarti": d.scarti }))
            .collect();
        o.json_value(&items)?;
        return Ok(0);
    }
    if flows.is_empty() {
        writeln!(o.out, "Nessun flusso.")?;
    }
    for d in &flows {
        let f = &d.flusso;
        write!(o.out, "Flusso {} ({}): {}", f.id, f.nome, f.etichetta)?;
        if let Some(st) = &f.stato_mypay {
            write!(o.out, " [MyPay: {st}]")?;
        }
        writeln!(
            o.out,
            ", {}: {} {}, {} {}.",
            mpd_domain::testo::conta(f.righe, "riga", "righe"),
            mpd_domain::testo::numero(f.caricate),
            mpd_domain::testo::parola(f.caricate, "caricata", "caricate"),
            mpd_domain::testo::numero(f.scartate),
            mpd_domain::testo::parola(f.scartate, "scartata", "scartate")
        )?;
        if let Some(m) = &f.esito_messaggio {
            writeln!(o.out, "  {m}")?;
        }
        if let Some(e) = &f.ultimo_errore {
            writeln!(o.out, "  ultimo errore ({} tentativi): {e}", f.tentativi)?;
        }
        scarti_lines(o, &d.scarti)?;
    }
    Ok(0)
}

fn receipts_text(o: &mut Out<'_>, r: &ricevute::EsitoRicevute) -> Result<()> {
    let s = &r.riepilogo;
    writeln!(
        o.out,
        "Ricevute: {} lette, {} nuove, {} già presenti; pagati {}, importo diverso {}, sconosciuti {}, doppi {}.",
        s.lette, s.nuove, s.gia_presenti, s.pagato, s.importo_diverso, s.sconosciuto, s.doppio
    )?;
    crate::output::annullate_per_posizione(o, s.annullate_per_posizione)?;
    if r.in_attesa {
        writeln!(
            o.out,
            "MyPay sta ancora preparando l'export: riprenderà con «mypay-desk sync»."
        )?;
    }
    Ok(())
}

pub fn receipts_download(cli: &Cli, a: &DownloadArgs, o: &mut Out<'_>) -> Result<i32> {
    let app = app(cli);
    let esito = {
        let mut printer = progress_printer(o.err, o.json);
        let lavoro = Lavoro::new(
            |ricevute::AvanzamentoRicevute::Evento { evento }| printer(&evento),
            Default::default(),
        );
        ricevute::scarica(&app, a.from.as_deref(), a.to.as_deref(), &lavoro)?
    };
    announce_app(o, &app)?;
    // Nothing cancels a command-line download: the outcome is always there.
    let r = esito.esito.unwrap_or_default();
    if o.json {
        o.json_value(&r)?;
    } else {
        receipts_text(o, &r)?;
    }
    upkeep(o, &app)?;
    Ok(0)
}

/// `fdr download`: the FdR since the last complete day (or of the days given), with progress.
pub fn fdr_download(
    cli: &Cli,
    from: Option<&str>,
    to: Option<&str>,
    o: &mut Out<'_>,
) -> Result<i32> {
    let app = app(cli);
    let esito = {
        let mut printer = progress_printer(o.err, o.json);
        let lavoro = Lavoro::new(
            |mpd_app::riconciliazione::AvanzamentoFdr::Evento { evento }| printer(&evento),
            Default::default(),
        );
        mpd_app::riconciliazione::scarica(&app, from, to, &lavoro)?
    };
    announce_app(o, &app)?;
    if o.json {
        o.json_value(&esito)?;
    } else {
        writeln!(o.out, "{}", esito.riepilogo.testo)?;
        if esito.quadrature > 0 {
            writeln!(
                o.out,
                "{} conservati nella cartella dei dati (non letti).",
                mpd_domain::testo::conta(
                    esito.quadrature,
                    "flusso di quadratura",
                    "flussi di quadratura"
                )
            )?;
        }
        for s in &esito.scartati {
            writeln!(
                o.out,
                "Messo da parte il flusso {} (giorno di acquisizione {}): {}. Il file è conservato in {}.",
                s.iuf,
                crate::output::data_it(&s.giorno),
                s.motivo,
                s.file
            )?;
        }
        if let Some(d) = &esito.fino_a {
            let d = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_else(|_| d.clone());
            writeln!(o.out, "Flussi completi fino al giorno di acquisizione {d}.")?;
        }
    }
    Ok(0)
}

pub fn sync(cli: &Cli, a: &SyncArgs, o: &mut Out<'_>) -> Result<i32> {
    let version = a.version.as_deref();
    let app = app(cli);
    let report = {
        let mut printer = progress_printer(o.err, o.json);
        let lavoro = Lavoro::new(|e: Event| printer(&e), Default::default());
        flussi::sincronizza(&app, version, &lavoro)?
    };
    announce_app(o, &app)?;
    if o.json {
        o.json_value(&report)?;
    } else {
        if report.flussi_creati > 0 {
            writeln!(
                o.out,
                "{} {} con i dovuti in attesa.",
                mpd_domain::testo::parola(report.flussi_creati, "Creato", "Creati"),
                mpd_domain::testo::conta(report.flussi_creati, "flusso", "flussi")
            )?;
        }
        for f in &report.flussi {
            flow_line(o, f)?;
            rejected_rows(o, &app, f.id)?;
        }
        if report.flussi.is_empty() {
            writeln!(o.out, "Nessun flusso da inviare.")?;
        }
        if let Some(r) = &report.ricevute {
            receipts_text(o, &r.clone().into())?;
        }
    }
    for e in &report.errori {
        writeln!(o.err, "errore: {e}")?;
    }
    upkeep(o, &app)?;
    Ok(if report.errori.is_empty() { 0 } else { 2 })
}

/// The counter form from the command line's debt fields. The IUV is MyPay's to generate and
/// a counter debt is never a draft: those two flags are refused rather than ignored.
fn counter_form(f: &DebtFields) -> Result<sportello::DovutoSportello> {
    if f.iuv.is_some() {
        bail!("allo sportello l'IUV lo genera MyPay: tolga --iuv");
    }
    if f.bozza {
        bail!(
            "allo sportello il dovuto va subito su MyPay: per una bozza usi «mypay-desk debts add --bozza»"
        );
    }
    Ok(sportello::DovutoSportello {
        iud: f.iud.clone(),
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
    })
}

fn counter_outcome(o: &mut Out<'_>, r: &sportello::EsitoSportello, fatto: &str) -> Result<()> {
    if o.json {
        return o.json_value(r);
    }
    writeln!(o.out, "Dovuto {} {fatto} su MyPay.", r.iud)?;
    if let Some(iuv) = &r.iuv {
        writeln!(o.out, "  IUV: {iuv}")?;
    }
    if let Some(n) = &r.numero_avviso {
        writeln!(o.out, "  Numero avviso: {n}")?;
    }
    match (&r.pdf, &r.url_avviso) {
        (Some(p), _) => writeln!(o.out, "  Avviso PDF: {p}")?,
        (None, Some(u)) => writeln!(o.out, "  Avviso: {u}")?,
        _ => {}
    }
    Ok(())
}

pub fn counter(cli: &Cli, c: &CounterCmd, o: &mut Out<'_>) -> Result<i32> {
    let app = app(cli);
    match c {
        CounterCmd::New {
            fields,
            anche_se_duplicato,
        } => {
            let r = sportello::crea(&app, counter_form(fields)?, *anche_se_duplicato)?;
            announce_app(o, &app)?;
            counter_outcome(o, &r, "creato")?;
        }
        CounterCmd::Modify { dovuto, fields } => {
            let r = sportello::modifica(&app, dovuto, counter_form(fields)?)?;
            announce_app(o, &app)?;
            counter_outcome(o, &r, "modificato")?;
        }
        CounterCmd::Cancel { iud } => {
            sportello::annulla(&app, iud)?;
            announce_app(o, &app)?;
            if o.json {
                o.json_value(&serde_json::json!({ "iud": iud, "annullato": true }))?;
            } else {
                writeln!(o.out, "Dovuto {iud} annullato su MyPay.")?;
            }
        }
        CounterCmd::Lookup { codice } => {
            let list = sportello::posizioni_aperte(&app, codice)?;
            announce_app(o, &app)?;
            if o.json {
                o.json_value(&list)?;
            } else if list.is_empty() {
                writeln!(o.out, "Nessuna posizione aperta.")?;
            } else {
                for p in &list {
                    writeln!(
                        o.out,
                        "{}  IUV {}  {} €  {}  scadenza {}  ({})",
                        p.iud.as_deref().unwrap_or("-"),
                        p.iuv.as_deref().unwrap_or("-"),
                        p.importo.as_deref().unwrap_or("-"),
                        p.causale.as_deref().unwrap_or(""),
                        p.scadenza.as_deref().unwrap_or("-"),
                        p.ente
                    )?;
                }
            }
        }
    }
    Ok(0)
}

/// The hint the CLI adds to an error of the settings (the message names no command).
fn settings_hint(e: mpd_app::Errore) -> anyhow::Error {
    match e.codice {
        mpd_app::Codice::NonConsentito => anyhow::anyhow!(
            "{e} (scelga l'ambiente con --env collaudo, --env produzione o --env custom)"
        ),
        mpd_app::Codice::Impostazioni => anyhow::anyhow!(
            "{e} (lo indichi con «mypay-desk connection set --env AMBIENTE --base-url URL»)"
        ),
        mpd_app::Codice::EnteMancante => {
            anyhow::anyhow!("{e} (lo carichi con «mypay-desk ente set <file.toml>»)")
        }
        _ => e.into(),
    }
}

pub fn credentials(cli: &Cli, c: &CredentialsCmd, o: &mut Out<'_>) -> Result<i32> {
    let app = app(cli);
    match c {
        CredentialsCmd::Set => {
            let mut account = String::new();
            let stato = impostazioni::password_salva(&app, |a| {
                account = a.to_string();
                if !o.json {
                    let _ = writeln!(
                        o.err,
                        "{} per {a} (una riga sullo standard input):",
                        if a.ends_with("#pu") {
                            "Segreto del client della Piattaforma Unitaria"
                        } else {
                            "Password del servizio MyPay"
                        }
                    );
                }
                Ok(credentials::read_password_line(std::io::stdin().lock())?)
            })
            .map_err(settings_hint)?;
            if o.json {
                o.json_value(&serde_json::json!({
                    "account": stato.account.as_deref().unwrap_or(&account),
                    "salvata": true
                }))?;
            } else {
                writeln!(
                    o.out,
                    "Password salvata nel portachiavi del sistema per {account}."
                )?;
            }
        }
        CredentialsCmd::Clear => {
            let r = impostazioni::password_cancella(&app).map_err(settings_hint)?;
            let account = r.password.account.unwrap_or_default();
            if o.json {
                o.json_value(
                    &serde_json::json!({ "account": account, "cancellata": r.cancellata }),
                )?;
            } else if r.cancellata {
                writeln!(o.out, "Password cancellata dal portachiavi per {account}.")?;
            } else {
                writeln!(o.out, "Nessuna password salvata per {account}.")?;
            }
        }
    }
    Ok(0)
}

pub fn connection(cli: &Cli, c: &ConnectionCmd, o: &mut Out<'_>) -> Result<i32> {
    let app = app(cli);
    let s = match c {
        ConnectionCmd::Set { client_id } => impostazioni::salva(
            &app,
            cli.remote.env.as_deref(),
            cli.remote.base_url.as_deref(),
            cli.remote.platform.as_deref(),
            client_id.as_deref(),
        )
        .map_err(settings_hint)?,
        ConnectionCmd::Show => impostazioni::stato(&app)?,
    };
    if o.json {
        let urls: serde_json::Map<String, serde_json::Value> = s
            .urls
            .iter()
            .map(|u| (u.ambiente.to_string(), serde_json::json!(u.url)))
            .collect();
        o.json_value(&serde_json::json!({
            "ambiente": s.ambiente,
            "indirizzi": urls,
            "piattaforma": s.piattaforma,
            "client_id": s.client_id,
            "password": s.password.origine
        }))?;
    } else {
        writeln!(o.out, "Ambiente predefinito: {}", s.ambiente)?;
        writeln!(o.out, "Piattaforma: {}", s.piattaforma_it)?;
        if let Some(id) = &s.client_id {
            writeln!(
                o.out,
                "Identificativo del client della Piattaforma Unitaria: {id}"
            )?;
        }
        for u in &s.urls {
            writeln!(
                o.out,
                "  {}: {}",
                u.ambiente,
                u.url.as_deref().unwrap_or("(non impostato)")
            )?;
        }
        // The library's words name no environment variable; a script's user needs its name.
        // On pu the credential is the client secret, from its own variable.
        let (credenziale, variabile, mancante) = if s.piattaforma == mpd_client::Piattaforma::Pu {
            (
                "Segreto del client",
                "variabile d'ambiente MYPAY_DESK_CLIENT_SECRET",
                "non impostato («mypay-desk credentials set»)",
            )
        } else {
            (
                "Password",
                "variabile d'ambiente MYPAY_DESK_PASSWORD",
                "non impostata («mypay-desk credentials set»)",
            )
        };
        let fonte = match s.password.origine {
            Some(mpd_client::credentials::PasswordSource::Environment) => Some(variabile),
            _ => s.password.fonte,
        };
        writeln!(o.out, "{credenziale}: {}", fonte.unwrap_or(mancante))?;
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_send_with_a_flow_not_sent_exits_2_and_one_with_rejections_1() {
        use mpd_app::flussi::{EsitoFlusso, EsitoFlussoTipo, EsitoInvio, riepilogo};
        let f = |esito, scartate| EsitoFlusso {
            id: 1,
            nome: "c_demo-1".into(),
            esito,
            stato: "done",
            stato_it: "elaborato",
            righe: 2,
            caricate: 2 - scartate,
            scartate,
            esito_messaggio: None,
            errore: None,
            avvisi: None,
            scarti: Vec::new(),
        };
        let esito = |flussi: Vec<EsitoFlusso>| EsitoInvio {
            flussi_preparati: 0,
            riepilogo: riepilogo(0, &flussi, false),
            flussi,
            annullato: false,
        };
        assert_eq!(
            super::exit_code(&esito(vec![f(EsitoFlussoTipo::NonInviato, 0)])),
            2
        );
        assert_eq!(
            super::exit_code(&esito(vec![f(EsitoFlussoTipo::Elaborato, 1)])),
            1
        );
        assert_eq!(
            super::exit_code(&esito(vec![f(EsitoFlussoTipo::Rifiutato, 0)])),
            1
        );
        assert_eq!(
            super::exit_code(&esito(vec![f(EsitoFlussoTipo::Elaborato, 0)])),
            0
        );
        assert_eq!(super::exit_code(&esito(vec![])), 0);
    }

    fn run(args: &[&str]) -> (i32, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = crate::run_con_frase_archivio(
            args.iter().map(Into::into).collect(),
            &mut out,
            &mut err,
            Some(crate::tests_chiave()),
        );
        (
            code,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    #[test]
    fn demo_sync_works_on_a_fresh_machine_and_lists_outcomes() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("dati").join("db.sqlite");
        let db = db.to_str().unwrap();
        let (code, out, err) = run(&["mypay-desk", "--db", db, "--env", "demo", "sync"]);
        assert_eq!(code, 0, "{out}\n{err}");
        assert!(
            err.contains("password da: password dell'ambiente dimostrativo"),
            "{err}"
        );
        assert!(out.contains("elaborato"), "{out}");
        let (code, out, _) = run(&["mypay-desk", "--db", db, "--json", "debts", "list"]);
        assert_eq!(code, 0);
        let list: serde_json::Value = serde_json::from_str(&out).unwrap();
        let items = list.as_array().unwrap();
        assert_eq!(items.len(), 20);
        for d in items {
            assert_eq!(d["stato"], "loaded", "{d}");
            assert!(d["iuv"].as_str().unwrap().len() >= 15, "{d}");
            assert!(d.get("ricevuta").is_some());
        }
        let (code, out, _) = run(&["mypay-desk", "--db", db, "flow", "status"]);
        assert_eq!(code, 0);
        assert!(out.contains("20 caricate"), "{out}");
        let (code, _, err) = run(&[
            "mypay-desk",
            "--db",
            db,
            "--env",
            "demo",
            "credentials",
            "set",
        ]);
        assert_eq!(code, 2);
        assert!(err.contains("password nota"), "{err}");
    }

    #[test]
    fn counter_new_modify_and_lookup_in_demo() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db.sqlite");
        let db = db.to_str().unwrap();
        let scadenza = (chrono::Local::now().date_naive() + chrono::Days::new(40))
            .format("%d/%m/%Y")
            .to_string();
        let (code, out, err) = run(&[
            "mypay-desk",
            "--db",
            db,
            "--env",
            "demo",
            "--json",
            "counter",
            "new",
            "--cf",
            "BNCGVN70A01H501H",
            "--nome",
            "Giovanni Bianchi",
            "--importo",
            "15,00",
            "--tipo",
            "TARI",
            "--causale",
            "TARI allo sportello",
            "--scadenza",
            &scadenza,
        ]);
        assert_eq!(code, 0, "{out}\n{err}");
        let created: serde_json::Value = serde_json::from_str(&out).unwrap();
        let iud = created["iud"].as_str().unwrap().to_string();
        let iuv = created["iuv"].as_str().unwrap().to_string();

        let (code, out, err) = run(&[
            "mypay-desk",
            "--db",
            db,
            "--env",
            "demo",
            "counter",
            "modify",
            &iud,
            "--importo",
            "18,40",
            "--causale",
            "TARI allo sportello (rettifica)",
        ]);
        assert_eq!(code, 0, "{out}\n{err}");
        assert!(
            out.contains(&format!("Dovuto {iud} modificato su MyPay.")),
            "{out}"
        );
        assert!(out.contains(&format!("IUV: {iuv}")), "the IUV stays: {out}");

        let (code, out, _) = run(&[
            "mypay-desk",
            "--db",
            db,
            "--env",
            "demo",
            "--json",
            "counter",
            "lookup",
            "BNCGVN70A01H501H",
        ]);
        assert_eq!(code, 0);
        let open: serde_json::Value = serde_json::from_str(&out).unwrap();
        let p = open
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["iud"] == iud.as_str())
            .unwrap_or_else(|| panic!("{out}"));
        assert_eq!(p["importo"], "18.40");
        assert_eq!(p["causale"], "TARI allo sportello (rettifica)");

        // A debt still waiting in the list is changed there, not at the counter.
        let (code, out, _) = run(&["mypay-desk", "--db", db, "--json", "debts", "list"]);
        assert_eq!(code, 0);
        let list: serde_json::Value = serde_json::from_str(&out).unwrap();
        let ready = list
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["stato"] == "ready")
            .expect("the demo's sample debts are ready");
        let (code, _, err) = run(&[
            "mypay-desk",
            "--db",
            db,
            "--env",
            "demo",
            "counter",
            "modify",
            ready["iud"].as_str().unwrap(),
            "--importo",
            "1,00",
        ]);
        assert_eq!(code, 2);
        assert!(err.contains("non caricato su MyPay"), "{err}");
    }

    #[test]
    fn a_server_without_password_is_explained() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db.sqlite");
        let db = db.to_str().unwrap();
        let (code, _, _) = run(&[
            "mypay-desk",
            "--db",
            db,
            "--env",
            "demo",
            "connection",
            "show",
        ]);
        assert_eq!(code, 0);
        let (_, _, err) = run(&["mypay-desk", "--db", db, "--env", "collaudo", "sync"]);
        assert!(err.contains("connection set --env collaudo"), "{err}");
    }
}
