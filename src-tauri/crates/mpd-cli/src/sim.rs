//! `mypay-desk sim`: the MyPay emulator (mpd-emulator) started by hand, and `sim pay`, which asks
//! a running emulator to pay open debts as citizens would.
//!
//! Arguments live here rather than in `args` so the emulator's options stay in one file.

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use mpd_emulator::{Emulator, EmulatorOptions, EnteConfig, FaultConfig, PayRequest};

use crate::output::Out;

/// Emulatore di MyPay (SOAP, MyBox, elaborazione dei flussi, pagamenti simulati)
#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SimArgs {
    #[command(subcommand)]
    pub command: Option<SimCmd>,
    /// Porta su cui ascoltare (0 = una libera)
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Indirizzo su cui ascoltare
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Cartella dello stato dell'emulatore (predefinita: «emulatore» nella cartella dati)
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Profilo di un Ente (TOML con password); ripetibile. Senza: un Ente dimostrativo
    #[arg(long = "config", value_name = "FILE")]
    pub configs: Vec<PathBuf>,
    /// URL pubblico da scrivere nelle risposte (predefinito: http://indirizzo:porta)
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
    /// Intervallo dell'elaborazione dei flussi, in millisecondi
    #[arg(long, default_value_t = 1000, value_name = "MS")]
    pub batch_ms: u64,
    /// Guasti: ritardo aggiunto a ogni risposta, in millisecondi
    #[arg(long, default_value_t = 0, value_name = "MS")]
    pub latency_ms: u64,
    /// Guasti: quota di richieste che ricevono un errore HTTP (0–1)
    #[arg(long, default_value_t = 0.0, value_name = "QUOTA")]
    pub http_errors: f64,
    /// Guasti: codice di quegli errori (500 o 503)
    #[arg(long, value_name = "CODICE")]
    pub http_error_status: Option<u16>,
    /// Guasti: quota di caricamenti con connessione interrotta (0–1)
    #[arg(long, default_value_t = 0.0, value_name = "QUOTA")]
    pub drop_upload: f64,
    /// Guasti: quota di scaricamenti con connessione interrotta (0–1)
    #[arg(long, default_value_t = 0.0, value_name = "QUOTA")]
    pub drop_download: f64,
    /// Guasti: quota di scaricamenti con zip troncato (0–1)
    #[arg(long, default_value_t = 0.0, value_name = "QUOTA")]
    pub truncate_zip: f64,
    /// Guasti: durata dei token in secondi (scadenza anticipata)
    #[arg(long, value_name = "SECONDI")]
    pub token_ttl: Option<i64>,
    /// Guasti: elaborazioni ferme per N secondi
    #[arg(long, default_value_t = 0, value_name = "SECONDI")]
    pub stuck: u64,
    /// Guasti: dopo l'elaborazione un import resta IMPORT_IN_ELAB (e il flusso in caricamento)
    /// per N secondi, come MyPay in attesa della sincronizzazione con pagoPA
    #[arg(long, default_value_t = 0, value_name = "SECONDI")]
    pub sync: u64,
    /// Seme dei guasti casuali (per ripetere una prova)
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub fault_seed: u64,
    /// Piattaforma emulata: mypay, aria (MyPay tramite il middleware regionale, con la
    /// Piattaforma Unitaria dietro), pu (Piattaforma Unitaria: token OAuth2, fileshare)
    #[arg(long, default_value = "mypay", value_name = "PIATTAFORMA")]
    pub platform: String,
    /// Versioni del tracciato rifiutate al caricamento, separate da virgole (predefinite:
    /// 1_4,1_5 con aria, nessuna con pu)
    #[arg(long, value_name = "VERSIONI")]
    pub versioni_rifiutate: Option<String>,
    /// pu: nome della parte multipart del file
    #[arg(long, default_value = "ingestionFlowFile", value_name = "NOME")]
    pub parte_file: String,
    /// pu: dimensione massima di un caricamento, in MB
    #[arg(long, default_value_t = 50, value_name = "MB")]
    pub limite_mb: u64,
    /// aria/pu: operazioni risposte «non è una operazione supportata», separate da virgole
    #[arg(long, value_name = "OPERAZIONI")]
    pub non_supportate: Option<String>,
    /// Guasti, pu: i token smettono di funzionare dopo N secondi (qualunque sia expires_in)
    #[arg(long, value_name = "SECONDI")]
    pub pu_token_ttl: Option<i64>,
    /// Guasti, aria/pu: i prossimi N caricamenti finiscono in ERROR_LOAD
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub import_in_errore: u32,
    /// Guasti, aria/pu: le prossime N richieste di ricevute finiscono EXPORT_CANCELLATO
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub export_annullati: u32,
    /// Anomalie da piantare nei prossimi flussi di rendicontazione, una volta ciascuna,
    /// separate da virgole: mancante, importo_diverso, doppio, esito9, iuv_sconosciuto,
    /// ripubblicato, altro_ente (dove sono finite: GET /sim/fdr)
    #[arg(long, value_name = "ANOMALIE")]
    pub fdr_anomalie: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum SimCmd {
    /// Paga dovuti aperti di un Ente su un emulatore in esecuzione
    Pay {
        /// Indirizzo dell'emulatore, es. http://127.0.0.1:8080
        #[arg(long)]
        url: String,
        /// Codice IPA dell'Ente
        #[arg(long)]
        ente: String,
        /// Quota dei dovuti aperti da pagare (0–1)
        #[arg(long, default_value_t = 0.7)]
        share: f64,
        /// Seme delle scelte (stesso seme, stessi pagamenti)
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Data del pagamento (AAAA-MM-GG; predefinita: oggi)
        #[arg(long)]
        data: Option<chrono::NaiveDate>,
        /// Paga proprio questi dovuti (IUD; ripetibile) invece di una quota a caso: ad esempio
        /// la rata unica di una posizione e la prima rata di un'altra
        #[arg(long)]
        iud: Vec<String>,
        /// Quota delle famiglie paganti che pagano in entrambi i modi (la rata unica e la
        /// prima rata): il pagamento doppio da rimborsare
        #[arg(long, default_value_t = 0.0, value_name = "QUOTA")]
        double: f64,
        /// Paga ogni dovuto per conto suo, senza riconoscere le famiglie (le opzioni di uno
        /// stesso avviso pagate a caso, anche in entrambi i modi)
        #[arg(long)]
        independent: bool,
    },
    /// Scrive il giornale di cassa della tesoreria per i riversamenti dei flussi di
    /// rendicontazione di un emulatore in esecuzione (un movimento per flusso), in CSV
    /// (MyPivot tipo C) o OPI (giornale di cassa SIOPE+)
    Tesoreria {
        /// Indirizzo dell'emulatore, es. http://127.0.0.1:8080
        #[arg(long)]
        url: String,
        /// Codice IPA dell'Ente
        #[arg(long)]
        ente: String,
        /// csv oppure opi
        #[arg(long, default_value = "csv", value_name = "FORMATO")]
        format: String,
        /// File da scrivere
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Seme delle causali (stesso seme, stesso giornale)
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Anomalie separate da virgole: corto (un movimento 0,50 in meno), rfb (un
        /// riversamento singolo /RFB/), estraneo (un bonifico che non c'entra), storno (solo
        /// opi: lo storno di un movimento)
        #[arg(long, value_name = "ANOMALIE")]
        anomalie: Option<String>,
        /// opi: l'esercizio (predefinito: l'anno dell'ultimo movimento)
        #[arg(long, value_name = "ANNO")]
        esercizio: Option<i32>,
    },
    /// Annulla un flusso caricato su un emulatore in esecuzione (in MyPay lo fa l'operatore
    /// dal back office): i suoi dovuti ancora da pagare vengono annullati
    Annulla {
        /// Indirizzo dell'emulatore, es. http://127.0.0.1:8080
        #[arg(long)]
        url: String,
        /// Codice IPA dell'Ente
        #[arg(long)]
        ente: String,
        /// Identificativo univoco del flusso (la parte centrale del nome del file)
        #[arg(long)]
        iuf: String,
    },
}

pub fn run(args: &SimArgs, o: &mut Out<'_>) -> Result<i32> {
    if let Some(SimCmd::Annulla { url, ente, iuf }) = &args.command {
        let n = mpd_emulator::remote_annulla(url, ente, iuf)?;
        if o.json {
            o.json_value(&serde_json::json!({ "annullati": n }))?;
        } else {
            writeln!(
                o.out,
                "Flusso {iuf} annullato: {}.",
                mpd_domain::testo::conta(
                    n,
                    "dovuto da pagare annullato",
                    "dovuti da pagare annullati"
                )
            )?;
        }
        return Ok(0);
    }
    if let Some(SimCmd::Tesoreria {
        url,
        ente,
        format,
        out,
        seed,
        anomalie,
        esercizio,
    }) = &args.command
    {
        let anomalie = anomalie
            .as_deref()
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(|a| {
                mpd_emulator::AnomaliaTesoreria::parse(a).with_context(|| {
                    format!("anomalia «{a}» sconosciuta: corto, rfb, estraneo o storno")
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let t = mpd_emulator::remote_tesoreria(
            url,
            &mpd_emulator::RichiestaTesoreria {
                ente: ente.clone(),
                formato: format.clone(),
                seme: *seed,
                anomalie,
                esercizio: *esercizio,
            },
        )?;
        std::fs::write(out, t.testo.as_bytes())
            .with_context(|| format!("impossibile scrivere {}", out.display()))?;
        if o.json {
            o.json_value(&serde_json::json!({
                "file": out.display().to_string(),
                "voci": t.voci,
                "totale_cents": t.totale_cents,
                "esercizio": t.esercizio,
                "escluse": t.escluse,
                "anomalie": t.anomalie,
            }))?;
        } else {
            writeln!(
                o.out,
                "Giornale di cassa scritto in {}: {}, totale {} €.",
                out.display(),
                mpd_domain::testo::conta(t.voci, "movimento", "movimenti"),
                mpd_domain::money::format_it(rust_decimal::Decimal::new(t.totale_cents, 2))
            )?;
            if t.escluse > 0 {
                writeln!(
                    o.out,
                    "{} di altri esercizi non {} nel file.",
                    mpd_domain::testo::conta(t.escluse, "movimento", "movimenti"),
                    if t.escluse == 1 { "è" } else { "sono" }
                )?;
            }
            for a in &t.anomalie {
                writeln!(
                    o.out,
                    "  anomalia {}: bolletta {} {}",
                    a.tipo.nome(),
                    a.numero,
                    a.riferimento
                )?;
            }
        }
        return Ok(0);
    }
    if let Some(SimCmd::Pay {
        url,
        ente,
        share,
        seed,
        data,
        iud,
        double,
        independent,
    }) = &args.command
    {
        let resp = mpd_emulator::remote_pay(
            url,
            &PayRequest {
                ente: ente.clone(),
                share: Some(*share),
                seed: Some(*seed),
                data: *data,
                iud: iud.clone(),
                indipendenti: *independent,
                doppi: Some(*double),
            },
        )?;
        if o.json {
            o.json_value(&resp)?;
        } else {
            writeln!(
                o.out,
                "{} {} su {} {}.",
                mpd_domain::testo::parola(resp.pagati.len(), "Pagato", "Pagati"),
                mpd_domain::testo::conta(resp.pagati.len(), "dovuto", "dovuti"),
                mpd_domain::testo::numero(resp.aperti),
                mpd_domain::testo::parola(resp.aperti, "aperto", "aperti")
            )?;
            for p in &resp.pagati {
                writeln!(
                    o.out,
                    "  {}  IUV {}  {} €  {}  IUR {}",
                    p.iud, p.iuv, p.importo, p.psp, p.iur
                )?;
            }
            if !resp.famiglie.is_empty() {
                let quante =
                    |m: mpd_emulator::Modo| resp.famiglie.iter().filter(|f| f.modo == m).count();
                writeln!(
                    o.out,
                    "{} degli avvisi con più rate: {} la rata unica, {} a rate, {} in entrambi i modi.",
                    mpd_domain::testo::conta(
                        resp.famiglie.len(),
                        "famiglia ha pagato",
                        "famiglie hanno pagato"
                    ),
                    mpd_domain::testo::numero(quante(mpd_emulator::Modo::RataUnica)),
                    mpd_domain::testo::numero(quante(mpd_emulator::Modo::Rate)),
                    mpd_domain::testo::numero(quante(mpd_emulator::Modo::Doppio)),
                )?;
            }
        }
        return Ok(0);
    }
    let data_dir = match &args.data {
        Some(d) => d.clone(),
        None => mpd_core::paths::default_data_dir()
            .context("cartella dati dell'utente non trovata: usi --data")?
            .join("emulatore"),
    };
    let mut enti = Vec::new();
    for file in &args.configs {
        enti.push(EnteConfig::from_file(file)?);
    }
    let piattaforma = mpd_emulator::Piattaforma::parse(&args.platform).with_context(|| {
        format!(
            "piattaforma «{}» sconosciuta: usi mypay, aria o pu",
            args.platform
        )
    })?;
    let lista = |s: &str| -> Vec<String> {
        s.split(',')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(String::from)
            .collect()
    };
    let mut options = EmulatorOptions::new(&data_dir).con_piattaforma(piattaforma);
    if let Some(v) = &args.versioni_rifiutate {
        options.versioni_rifiutate = lista(v);
    }
    if let Some(v) = &args.non_supportate {
        options.operazioni_non_supportate = lista(v);
    }
    options.parte_file = args.parte_file.clone();
    options.limite_caricamento_pu = args.limite_mb.max(1) * 1024 * 1024;
    options.bind = args.bind;
    options.port = args.port;
    options.enti = enti;
    options.public_url = args.public_url.clone();
    options.batch_interval = Duration::from_millis(args.batch_ms.max(10));
    options.faults = FaultConfig {
        seed: args.fault_seed,
        latency_ms: args.latency_ms,
        http_error_rate: args.http_errors,
        http_error_status: args.http_error_status,
        drop_upload_rate: args.drop_upload,
        drop_download_rate: args.drop_download,
        truncate_zip_rate: args.truncate_zip,
        token_ttl_secs: args.token_ttl,
        stuck_secs: args.stuck,
        sync_secs: args.sync,
        pu_token_ttl_secs: args.pu_token_ttl,
        import_in_errore: args.import_in_errore,
        export_annullati: args.export_annullati,
        fdr_anomalie: args
            .fdr_anomalie
            .as_deref()
            .map(lista)
            .unwrap_or_default()
            .iter()
            .map(|a| {
                mpd_emulator::AnomaliaFdr::parse(a).with_context(|| {
                    format!(
                        "anomalia «{a}» sconosciuta: mancante, importo_diverso, doppio, esito9, iuv_sconosciuto, ripubblicato o altro_ente"
                    )
                })
            })
            .collect::<Result<Vec<_>>>()?,
    };
    let handle = Emulator::start(options)?;
    if o.json {
        let enti: Vec<_> = handle
            .enti
            .iter()
            .map(|e| serde_json::json!({ "codiceIpa": e.ente.codice_ipa, "denominazione": e.ente.denominazione }))
            .collect();
        o.json_value(&serde_json::json!({
            "url": handle.base_url,
            "wsdl": handle.wsdl_url(),
            "dati": data_dir.display().to_string(),
            "piattaforma": args.platform.trim().to_ascii_lowercase(),
            "enti": enti,
        }))?;
    } else {
        writeln!(
            o.out,
            "Emulatore di MyPay in ascolto su {}",
            handle.base_url
        )?;
        writeln!(o.out, "  WSDL:  {}", handle.wsdl_url())?;
        writeln!(o.out, "  dati:  {}", data_dir.display())?;
        writeln!(
            o.out,
            "  piattaforma: {}",
            args.platform.trim().to_ascii_lowercase()
        )?;
        for e in &handle.enti {
            writeln!(
                o.out,
                "  Ente:  {} ({})",
                e.ente.codice_ipa, e.ente.denominazione
            )?;
        }
        writeln!(o.out, "Ctrl+C per fermarlo.")?;
    }
    o.out.flush()?;
    handle.wait();
    Ok(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn sim_pay_talks_to_a_running_emulator() {
        let dir = tempfile::tempdir().unwrap();
        let handle =
            mpd_emulator::Emulator::start(mpd_emulator::EmulatorOptions::new(dir.path())).unwrap();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let args = [
            "mypay-desk",
            "sim",
            "pay",
            "--url",
            &handle.base_url,
            "--ente",
            "c_demo",
            "--share",
            "1",
        ];
        let code = crate::run_con_frase_archivio(
            args.iter().map(Into::into).collect(),
            &mut out,
            &mut err,
            Some(crate::tests_chiave()),
        );
        assert_eq!(code, 0, "{}", String::from_utf8_lossy(&err));
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "Pagati 0 dovuti su 0 aperti.\n"
        );
        let args = [
            "mypay-desk",
            "sim",
            "pay",
            "--url",
            &handle.base_url,
            "--ente",
            "c_ignoto",
        ];
        let (mut out, mut err) = (Vec::new(), Vec::new());
        assert_eq!(
            crate::run_con_frase_archivio(
                args.iter().map(Into::into).collect(),
                &mut out,
                &mut err,
                Some(crate::tests_chiave()),
            ),
            2
        );
        assert!(String::from_utf8_lossy(&err).contains("c_ignoto"));
    }

    #[test]
    fn sim_annulla_reports_a_flow_the_emulator_does_not_have() {
        let dir = tempfile::tempdir().unwrap();
        let handle =
            mpd_emulator::Emulator::start(mpd_emulator::EmulatorOptions::new(dir.path())).unwrap();
        let args = [
            "mypay-desk",
            "sim",
            "annulla",
            "--url",
            &handle.base_url,
            "--ente",
            "c_demo",
            "--iuf",
            "TARI2027",
        ];
        let (mut out, mut err) = (Vec::new(), Vec::new());
        assert_eq!(
            crate::run_con_frase_archivio(
                args.iter().map(Into::into).collect(),
                &mut out,
                &mut err,
                Some(crate::tests_chiave()),
            ),
            2
        );
        let err = String::from_utf8_lossy(&err);
        assert!(err.contains("404") && err.contains("TARI2027"), "{err}");
    }
}
