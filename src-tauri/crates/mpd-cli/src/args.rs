//! Command-line arguments (clap derive). Help texts are Italian: the clerk reads them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// MyPay Desk: dovuti e ricevute pagoPA per gli Enti su MyPay.
#[derive(Parser, Debug)]
#[command(name = "mypay-desk", version, long_about = None)]
pub struct Cli {
    /// File del database locale (predefinito: la cartella dati dell'utente)
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Stampa un unico documento JSON, per gli script
    #[arg(long, global = true)]
    pub json: bool,
    #[command(flatten)]
    pub remote: crate::remote::RemoteOpts,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
#[allow(clippy::large_enum_variant)] // parsed once per process: size does not matter
pub enum Command {
    /// Profilo dell'Ente e tipi dovuto
    #[command(subcommand)]
    Ente(EnteCmd),
    /// Dovuti: inserimento, elenco, importazione, modifica, annullamento
    #[command(subcommand)]
    Debts(DebtsCmd),
    /// Flussi di importazione per MyPay
    #[command(subcommand)]
    Flow(FlowCmd),
    /// Ricevute dei pagamenti
    #[command(subcommand)]
    Receipts(ReceiptsCmd),
    /// Dati sintetici realistici (per prove e benchmark)
    #[command(subcommand)]
    Generate(GenerateCmd),
    /// Emulatore di MyPay per prove e dimostrazioni, e pagamenti simulati (`sim pay`)
    Sim(crate::sim::SimArgs),
    /// Invia a MyPay i flussi in attesa, poi scarica le nuove ricevute
    Sync(crate::remote::SyncArgs),
    /// Sportello: un dovuto creato subito su MyPay, annullato, o le posizioni di un pagatore
    #[command(subcommand)]
    Counter(crate::remote::CounterCmd),
    /// Password del servizio MyPay nel portachiavi del sistema
    #[command(subcommand)]
    Credentials(crate::remote::CredentialsCmd),
    /// Ambiente e indirizzi di MyPay
    #[command(subcommand)]
    Connection(crate::remote::ConnectionCmd),
    /// Adesione a MyPay: documenti da firmare e inviare via PEC, passi dell'adesione
    #[command(subcommand)]
    Adesione(crate::adesione::AdesioneCmd),
    /// Contributo regionale per l'adesione: calcolo, voci di spesa, importi, riepilogo
    #[command(subcommand)]
    Contributo(crate::adesione::ContributoCmd),
    /// Resoconto delle entrate (atteso, incassato, da incassare, scaduto; debitori), in PDF o Excel
    Report(ReportArgs),
}

/// `report`: the one-page report for the ragioneria or the mayor.
#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Salva il resoconto in PDF (una pagina A4) in questo file
    #[arg(long, value_name = "FILE")]
    pub pdf: Option<PathBuf>,
    /// Salva il resoconto in un foglio Excel (.xlsx) in questo file
    #[arg(long, value_name = "FILE")]
    pub xlsx: Option<PathBuf>,
    /// Data del resoconto, GG/MM/AAAA (predefinita: oggi): è scaduto ciò che scade prima
    #[arg(long, value_name = "GG/MM/AAAA", value_parser = data_it)]
    pub data: Option<chrono::NaiveDate>,
}

fn data_it(s: &str) -> Result<chrono::NaiveDate, String> {
    mpd_domain::dates::parse_it(s).map_err(|e| e.message_it("GG/MM/AAAA"))
}

#[derive(Subcommand, Debug)]
pub enum EnteCmd {
    /// Mostra il profilo dell'Ente e i suoi tipi dovuto
    Show,
    /// Carica profilo e tipi dovuto da un file TOML (vedi README)
    Set { file: PathBuf },
    /// Controlla che il profilo sia completo per l'adesione e dice cosa manca e perché
    Check,
}

#[derive(Subcommand, Debug)]
pub enum DebtsCmd {
    /// Aggiunge un dovuto
    Add(DebtFields),
    /// Elenca i dovuti
    List {
        /// Stato: draft, ready, sent, loaded, rejected, paid, cancelled (o bozza, pronto, inviato…)
        #[arg(long)]
        state: Option<String>,
        /// Cerca in IUD, codice fiscale, nome, causale
        #[arg(long)]
        cerca: Option<String>,
        /// Al massimo N dovuti
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Importa un foglio (.xlsx .xls .ods .csv .txt) o un CSV in un tracciato MyPay (1_0…1_4)
    Import {
        file: PathBuf,
        /// Importa le righe valide anche se altre sono errate
        #[arg(long)]
        valid_only: bool,
        /// Solo verifica: legge, abbina e controlla ogni riga e stampa il resoconto senza scrivere nulla
        #[arg(long, conflicts_with = "valid_only")]
        check: bool,
        /// Foglio da leggere (predefinito: quello che sembra un elenco di dovuti)
        #[arg(long, value_name = "NOME")]
        sheet: Option<String>,
        /// Tipo dovuto delle righe che non lo indicano
        #[arg(long, value_name = "CODICE")]
        tipo: Option<String>,
        /// Abbinamento campo=colonna (per intestazione o lettera, es. importo=C); viene ricordato
        #[arg(long, value_name = "CAMPO=COLONNA", num_args = 1..)]
        mapping: Vec<String>,
    },
    /// Mostra le prime righe di un foglio e l'abbinamento proposto delle colonne
    Preview {
        file: PathBuf,
        #[arg(long, value_name = "NOME")]
        sheet: Option<String>,
        #[arg(long, value_name = "CODICE")]
        tipo: Option<String>,
        #[arg(long, value_name = "CAMPO=COLONNA", num_args = 1..)]
        mapping: Vec<String>,
    },
    /// Scrive il modello Excel per preparare i dovuti
    Template {
        /// File da scrivere (predefinito: modello-dovuti.xlsx)
        #[arg(long, default_value = "modello-dovuti.xlsx")]
        out: PathBuf,
    },
    /// Esporta i dovuti in un file Excel
    Export {
        #[arg(long)]
        out: PathBuf,
        /// Stato: draft, ready, sent, loaded, rejected, paid, cancelled (o bozza, pronto, inviato…)
        #[arg(long)]
        state: Option<String>,
    },
    /// Modifica un dovuto (se già caricato su MyPay partirà come riga M)
    Edit {
        /// IUD del dovuto da modificare
        #[arg(value_name = "IUD")]
        dovuto: String,
        #[command(flatten)]
        fields: DebtFields,
    },
    /// Annulla un dovuto (se già caricato su MyPay partirà come riga A)
    Cancel { iud: String },
    /// Rende pronti per l'invio i dovuti in bozza
    Ready {
        /// IUD dei dovuti; senza, tutte le bozze
        iud: Vec<String>,
    },
}

/// Fields of a debt as the clerk types them (amounts like 1.234,56; dates dd/mm/yyyy).
#[derive(Args, Debug, Default, Clone)]
pub struct DebtFields {
    /// Identificativo del dovuto (predefinito: generato)
    #[arg(long)]
    pub iud: Option<String>,
    /// Codice fiscale o partita IVA del pagatore (o ANONIMO se il tipo lo consente)
    #[arg(long)]
    pub cf: Option<String>,
    /// F persona fisica, G persona giuridica (predefinito: dedotto dal codice)
    #[arg(long)]
    pub tipo_pagatore: Option<String>,
    /// Nome e cognome o ragione sociale
    #[arg(long)]
    pub nome: Option<String>,
    /// Importo, es. 1.234,56 o 1234.56
    #[arg(long)]
    pub importo: Option<String>,
    /// Scadenza, es. 31/12/2026
    #[arg(long)]
    pub scadenza: Option<String>,
    /// Codice del tipo dovuto (predefinito: l'unico attivo)
    #[arg(long)]
    pub tipo: Option<String>,
    #[arg(long)]
    pub causale: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
    #[arg(long)]
    pub indirizzo: Option<String>,
    #[arg(long)]
    pub civico: Option<String>,
    #[arg(long)]
    pub cap: Option<String>,
    #[arg(long)]
    pub localita: Option<String>,
    #[arg(long)]
    pub provincia: Option<String>,
    #[arg(long)]
    pub nazione: Option<String>,
    /// IUV già assegnato (di norma lo genera MyPay)
    #[arg(long)]
    pub iuv: Option<String>,
    /// Salva come bozza (non parte col prossimo flusso)
    #[arg(long)]
    pub bozza: bool,
}

#[derive(Subcommand, Debug)]
pub enum FlowCmd {
    /// Scrive i flussi (zip) dei dovuti da inviare e li segna come inviati
    Build {
        /// Versione del tracciato: 1_0, 1_1, 1_2, 1_3, 1_4
        #[arg(long, default_value = "1_4")]
        version: String,
        /// Cartella dei file zip (predefinita: «flussi» accanto al database)
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Controlla un flusso zip come farebbe MyPay, più le nostre regole più severe
    Check { zip: PathBuf },
    /// Elenca i flussi
    List,
    /// Invia i flussi a MyPay e ne applica l'esito (riprende da dove si era fermato)
    Submit(crate::remote::SubmitArgs),
    /// Stato dei flussi su MyPay (tentativi, errori, righe scartate)
    Status {
        /// Id o nome del flusso
        flusso: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum ReceiptsCmd {
    /// Importa un export dei pagati (zip o CSV, versioni 1.0–1.3)
    Import { file: PathBuf },
    /// Scarica da MyPay le ricevute (novità dall'ultima volta, o un intervallo di date)
    Download(crate::remote::DownloadArgs),
    /// Elenca le ricevute
    List {
        #[arg(long)]
        limit: Option<usize>,
    },
}

#[derive(Subcommand, Debug)]
pub enum GenerateCmd {
    /// Scrive un CSV di dovuti sintetici in un tracciato MyPay
    Debts {
        #[arg(long, default_value_t = 1000)]
        count: usize,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value = "1_4")]
        version: String,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[cfg(test)]
mod tests {
    #[test]
    fn arguments_are_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
