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
    pub remote: RemoteOpts,
    #[command(subcommand)]
    pub command: Command,
    /// Not an option: the archive's passphrase or recovery code, from `MYPAY_DESK_DB_PASSPHRASE`
    /// (read by the caller of [`crate::run`]; a flag would show in the process list).
    #[arg(skip)]
    pub frase_archivio: Option<mpd_app::Secret>,
    /// Not an option: the instant the desk takes as now, given by tests through
    /// [`crate::run_alle`] (so that fixtures with fixed dates never age); the real clock else.
    #[arg(skip)]
    pub ora: Option<chrono::DateTime<chrono::Utc>>,
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
    /// Flussi di rendicontazione dei PSP (FdR): importazione, quadratura, stato dei pagamenti
    #[command(subcommand)]
    Fdr(FdrCmd),
    /// Giornale di tesoreria (giornale di cassa CSV, movimenti bancari Excel, OPI, estratto
    /// conto Poste): importazione, movimenti con il loro abbinamento, regole dei giorni
    #[command(subcommand)]
    Treasury(TreasuryCmd),
    /// Riconciliazione: per ogni pagamento IUV, IUR, importo, stato, motivo ed etichette MyPivot;
    /// per ogni movimento di tesoreria cosa abbina o perché no; incassi per capitolo, proposte di
    /// reversale, esportazioni
    Reconcile(ReconcileArgs),
    /// Dati sintetici realistici (per prove e benchmark)
    #[command(subcommand)]
    Generate(GenerateCmd),
    /// Emulatore di MyPay per prove e dimostrazioni, e pagamenti simulati (`sim pay`)
    Sim(crate::sim::SimArgs),
    /// Invia a MyPay i flussi in attesa, poi scarica le nuove ricevute
    Sync(SyncArgs),
    /// Sportello: un dovuto creato subito su MyPay, annullato, o le posizioni di un pagatore
    #[command(subcommand)]
    Counter(CounterCmd),
    /// Password del servizio MyPay nel portachiavi del sistema
    #[command(subcommand)]
    Credentials(CredentialsCmd),
    /// Ambiente e indirizzi di MyPay
    #[command(subcommand)]
    Connection(ConnectionCmd),
    /// Adesione a MyPay: documenti da firmare e inviare via PEC, passi dell'adesione
    #[command(subcommand)]
    Adesione(AdesioneCmd),
    /// Contributo regionale per l'adesione: calcolo, voci di spesa, importi, riepilogo
    #[command(subcommand)]
    Contributo(ContributoCmd),
    /// Resoconto delle entrate (atteso, incassato, da incassare, scaduto; debitori), in PDF o Excel
    Report(ReportArgs),
    /// Avvisi pagoPA di una campagna: un PDF per famiglia, i file di stampa, il manifesto
    #[command(subcommand)]
    Notices(NoticesCmd),
    /// Per quanto tempo si conservano flussi, esiti, export e avvisi nelle cartelle dell'app
    #[command(subcommand)]
    Retention(RetentionCmd),
    /// L'archivio cifrato: come è protetto, la sua chiave di ripristino
    #[command(subcommand)]
    Archive(ArchiveCmd),
}

/// L'archivio locale, cifrato: la chiave è nel portachiavi del sistema, oppure è la frase
/// segreta data nella variabile MYPAY_DESK_DB_PASSPHRASE
#[derive(Subcommand, Debug)]
pub enum ArchiveCmd {
    /// Dice dov'è l'archivio, se è cifrato e con quale chiave
    Show,
    /// Stampa la chiave di ripristino dell'archivio: la scriva e la conservi lontano dal
    /// computer; serve per aprire le copie di sicurezza su un altro computer
    Key,
}

/// Conservazione dei file dell'app (flussi, file di esito, export di MyPay, avvisi dello sportello)
#[derive(Subcommand, Debug)]
pub enum RetentionCmd {
    /// Mostra il periodo di conservazione e l'ultima pulizia
    Show,
    /// Imposta il periodo: --days N (da 30 a 3650) oppure --never
    Set {
        /// Giorni di conservazione, poi i file vengono eliminati
        #[arg(
            long,
            value_name = "N",
            conflicts_with = "never",
            required_unless_present = "never"
        )]
        days: Option<u32>,
        /// Non eliminare mai i file
        #[arg(long)]
        never: bool,
    },
    /// Elimina ora i file più vecchi del periodo (mai quelli di flussi senza esito)
    Apply,
}

/// `notices`: the notices of a campaign (issue 14 item 5).
#[derive(Subcommand, Debug)]
pub enum NoticesCmd {
    /// Scrive gli avvisi della campagna: un PDF per famiglia, i file di stampa uniti (ordinati
    /// per CAP e indirizzo, ogni avviso su pagina dispari) e il manifesto CSV e Excel
    Build(NoticesBuildArgs),
    /// Dice che cosa scriverebbe `notices build`, senza scrivere nulla: avvisi, posizioni
    /// escluse e perché, file
    Plan(NoticesPlanArgs),
}

/// Which positions get a notice.
#[derive(Args, Debug)]
pub struct CampagnaArgs {
    /// Solo questo tipo dovuto (ad esempio TARI)
    #[arg(long, value_name = "CODICE")]
    pub tipo: Option<String>,
    /// Solo le posizioni la cui prima scadenza cade in quest'anno
    #[arg(long, value_name = "AAAA")]
    pub anno: Option<i32>,
    /// Solo le posizioni di questo pagatore (codice fiscale o partita IVA)
    #[arg(long)]
    pub cf: Option<String>,
    /// Avvisi per file di stampa (predefinito 2.000)
    #[arg(long, value_name = "N")]
    pub per_file: Option<usize>,
}

/// `notices build`.
#[derive(Args, Debug)]
pub struct NoticesBuildArgs {
    #[command(flatten)]
    pub campagna: CampagnaArgs,
    /// Cartella in cui scrivere gli avvisi (creata se manca)
    #[arg(long, value_name = "CARTELLA")]
    pub out: PathBuf,
    /// Nome dei PDF delle famiglie, con {cf}, {codice} (primo codice avviso), {posizione}
    /// (predefinito: {cf}_{codice}.pdf)
    #[arg(long, value_name = "MODELLO")]
    pub nome: Option<String>,
    /// Non scrive nulla: come `notices plan`
    #[arg(long)]
    pub dry_run: bool,
}

/// `notices plan`.
#[derive(Args, Debug)]
pub struct NoticesPlanArgs {
    #[command(flatten)]
    pub campagna: CampagnaArgs,
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
    /// Capitolo predefinito di un tipo dovuto (per i pagamenti il cui dovuto non ha il
    /// bilancio); senza opzioni lo mostra, senza tipo mostra quelli di tutti i tipi
    Capitolo(CapitoloArgs),
}

/// `ente capitolo`: a payment type's default chapter, article, accertamento and office.
#[derive(clap::Args, Debug)]
pub struct CapitoloArgs {
    /// Il codice del tipo dovuto (es. TARI)
    pub tipo: Option<String>,
    /// Capitolo di bilancio; vuoto ("") toglie il capitolo predefinito del tipo
    #[arg(long, requires = "tipo")]
    pub capitolo: Option<String>,
    /// Articolo del capitolo, se la contabilità dell'Ente lo usa
    #[arg(long, requires = "capitolo")]
    pub articolo: Option<String>,
    /// Accertamento
    #[arg(long, requires = "capitolo")]
    pub accertamento: Option<String>,
    /// Ufficio a cui appartiene il capitolo
    #[arg(long, requires = "capitolo")]
    pub ufficio: Option<String>,
}

/// `reconcile`: the reconciliation; without a subcommand, each payment with its state, reason
/// and MyPivot labels.
#[derive(clap::Args, Debug)]
pub struct ReconcileArgs {
    #[command(subcommand)]
    pub cmd: Option<ReconcileCmd>,
    /// Solo i pagamenti in questo stato (pagato, non_rendicontato, rendicontato,
    /// non_incassato, incassato, importo_diverso, incasso_diverso, senza_ricevuta, doppio)
    #[arg(long, value_name = "STATO")]
    pub state: Option<String>,
}

/// `reconcile …`: the finance office's outputs (issue 16 item 4).
#[derive(Subcommand, Debug)]
pub enum ReconcileCmd {
    /// Salva la riconciliazione in un file Excel: riepilogo degli incassi, pagamenti con stato,
    /// motivo ed etichette MyPivot, anomalie con cosa fare, proposte di reversale
    Export {
        /// Il file .xlsx da scrivere
        #[arg(long, value_name = "FILE.xlsx")]
        out: PathBuf,
    },
    /// Salva le proposte di reversale dei provvisori di tesoreria (una riga per bolletta,
    /// capitolo e accertamento) in Excel (.xlsx) o CSV (.csv, separato da ;)
    Reversali {
        /// Il file .xlsx o .csv da scrivere
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Salva l'estrazione per MyPivot (tracciato 1.4) in un file .zip
    Mypivot {
        /// Il file .zip da scrivere
        #[arg(long, value_name = "FILE.zip")]
        out: PathBuf,
        /// Senza le colonne dei dovuti dell'Ente (120 colonne invece di 141)
        #[arg(long)]
        senza_notifiche: bool,
        /// Solo i dati acquisiti dopo il 1° gennaio dell'anno scorso, come MyPivot
        #[arg(long)]
        finestra: bool,
    },
    /// Incassi per tipo dovuto, capitolo, accertamento e mese
    Totals {
        /// Un solo raggruppamento: tipo, capitolo, accertamento o mese
        #[arg(long, value_name = "RAGGRUPPAMENTO")]
        by: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum DebtsCmd {
    /// Aggiunge un dovuto
    Add(DebtFields),
    /// Crea una posizione: rata unica e/o rate dello stesso pagatore per lo stesso oggetto
    /// (es. la TARI di una famiglia), un dovuto per ogni opzione
    AddPosition {
        /// Codice della posizione (predefinito: generato)
        #[arg(long)]
        codice: Option<String>,
        /// Oggetto stampato sull'avviso (predefinito: la causale)
        #[arg(long)]
        oggetto: Option<String>,
        /// Rata unica: importo e scadenza, es. 240,00@30/04/2027
        #[arg(long, value_name = "IMPORTO@SCADENZA")]
        unica: Option<String>,
        /// Una rata, nell'ordine: importo e scadenza, es. 80,00@31/07/2027 (ripetibile)
        #[arg(long, value_name = "IMPORTO@SCADENZA")]
        rata: Vec<String>,
        /// Pagatore, tipo dovuto, causale e indirizzo, comuni a tutte le opzioni (l'importo e la
        /// scadenza vengono da --unica e --rata)
        #[command(flatten)]
        campi: DebtFields,
    },
    /// Elenca le posizioni (rata unica e rate) con il loro stato
    Positions {
        /// Solo questo tipo dovuto
        #[arg(long, value_name = "CODICE")]
        tipo: Option<String>,
        /// Solo questo pagatore (codice fiscale o partita IVA)
        #[arg(long)]
        cf: Option<String>,
        /// Al massimo N posizioni
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Mostra una posizione (per codice, o per l'IUD di una sua opzione); con --set-rata,
    /// --add-rata e --remove-rata ne cambia le rate (tutto insieme, solo se le regole della
    /// posizione restano rispettate; le rate già su MyPay partono col flusso successivo)
    Position {
        codice: String,
        /// Cambia importo e/o scadenza della rata N (0 = rata unica), es. --set-rata 2 90,00@31/07/2027,
        /// --set-rata 0 270,00@ o --set-rata 3 @30/11/2027 (ripetibile)
        #[arg(long = "set-rata", num_args = 2, value_names = ["N", "IMPORTO@SCADENZA"])]
        set_rata: Vec<String>,
        /// Aggiunge una rata dopo l'ultima: importo e scadenza, es. 80,00@31/01/2028 (ripetibile)
        #[arg(long = "add-rata", value_name = "IMPORTO@SCADENZA")]
        add_rata: Vec<String>,
        /// Toglie la rata N (0 = rata unica): annullata, o annullata su MyPay col flusso
        /// successivo; le rate dopo scalano di uno (ripetibile)
        #[arg(long = "remove-rata", value_name = "N")]
        remove_rata: Vec<u8>,
    },
    /// Stampa in PDF l'avviso pagoPA di una posizione (per codice, o per l'IUD di un suo dovuto)
    Notice {
        codice: String,
        /// File PDF da scrivere
        #[arg(long)]
        out: PathBuf,
    },
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
        /// Importa come pronte anche le righe uguali a un'altra riga del file o a un dovuto già
        /// in archivio (stesso pagatore, tipo, importo, scadenza e causale)
        #[arg(long)]
        anche_duplicati: bool,
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
    /// Esporta in un file Excel (.xlsx) i dovuti che corrispondono ai filtri, con IUV, numero avviso e pagamento
    Export {
        /// File da scrivere (.xlsx)
        #[arg(long)]
        out: PathBuf,
        /// Stato: draft, ready, sent, loaded, rejected, paid, cancelled (o bozza, pronto, inviato…)
        #[arg(long)]
        state: Option<String>,
        /// Codice del tipo dovuto
        #[arg(long, value_name = "CODICE")]
        tipo: Option<String>,
        /// Cerca in IUD, codice fiscale, nome, causale (parole in qualsiasi ordine)
        #[arg(long)]
        cerca: Option<String>,
        /// Scadenza dal, GG/MM/AAAA (compreso)
        #[arg(long, value_name = "GG/MM/AAAA", value_parser = data_it)]
        dal: Option<chrono::NaiveDate>,
        /// Scadenza al, GG/MM/AAAA (compreso)
        #[arg(long, value_name = "GG/MM/AAAA", value_parser = data_it)]
        al: Option<chrono::NaiveDate>,
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
    /// Elimina definitivamente bozze mai inviate (mai in un flusso, senza IUV); gli altri dovuti si possono solo annullare
    Delete {
        /// IUD delle bozze da eliminare
        #[arg(required = true)]
        iud: Vec<String>,
    },
    /// Annulla un'importazione: elimina tutti i dovuti che ha creato, se nessuno è già stato inviato
    ImportUndo {
        /// Numero dell'importazione (predefinito: l'ultima)
        id: Option<i64>,
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
        /// Versione del tracciato: 1_0, 1_1, 1_2, 1_3, 1_4 (predefinita: quella della
        /// piattaforma, 1_4 su MyPay, 1_3 dove 1_4 è rifiutato; 1_4 per i dovuti con ente secondario)
        #[arg(long)]
        version: Option<String>,
        /// Cartella dei file zip (predefinita: «flussi» accanto al database)
        #[arg(long)]
        out: Option<PathBuf>,
        /// Solo i dovuti di questo tipo dovuto (codice, ad esempio TARI)
        #[arg(long, value_name = "TIPO")]
        tipo: Option<String>,
    },
    /// Mostra i dovuti in attesa di invio, per tipo dovuto: quanti e per quale importo
    Pending,
    /// Controlla un flusso zip come farebbe MyPay, più le nostre regole più severe
    Check { zip: PathBuf },
    /// Elenca i flussi
    List,
    /// Invia i flussi a MyPay e ne applica l'esito (riprende da dove si era fermato)
    Submit(SubmitArgs),
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
    Download(DownloadArgs),
    /// Elenca le ricevute
    List {
        #[arg(long)]
        limit: Option<usize>,
    },
}

/// `fdr`: the PSPs' flussi di rendicontazione (issue 16, first part).
#[derive(Subcommand, Debug)]
pub enum FdrCmd {
    /// Importa uno o più flussi di rendicontazione XML (FlussoRiversamento, ogni versione):
    /// tutti, o nessuno se uno è errato; un flusso già importato non viene aggiunto di nuovo
    Import {
        /// I file XML dei flussi
        #[arg(required = true, value_name = "FILE")]
        file: Vec<PathBuf>,
    },
    /// Scarica da MyPay i flussi di rendicontazione: dal giorno dopo l'ultimo completato fino
    /// a ieri (la prima volta dal giorno della prima ricevuta, al più 90 giorni indietro), o
    /// quelli acquisiti da MyPay nelle date indicate; se si interrompe, riprende da dove si è
    /// fermato
    Download {
        /// Primo giorno di acquisizione da MyPay (GG/MM/AAAA o AAAA-MM-GG)
        #[arg(long, requires = "to")]
        from: Option<String>,
        /// Ultimo giorno di acquisizione (compreso)
        #[arg(long, requires = "from")]
        to: Option<String>,
    },
    /// Elenca i flussi importati con la quadratura: somma e numero dei pagamenti contro il
    /// totale e il numero dichiarati
    List,
    /// Mostra un flusso importato: la quadratura e ogni riga, con lo stato del pagamento e il
    /// motivo
    Show {
        /// L'identificativo del flusso (IUF), come lo elenca «fdr list»
        #[arg(value_name = "IUF")]
        iuf: String,
    },
    /// Stato di ogni pagamento nella riconciliazione, con il motivo
    Payments {
        /// Solo i pagamenti in questo stato: pagato, non_rendicontato, rendicontato,
        /// non_incassato, incassato, importo_diverso, incasso_diverso, senza_ricevuta, doppio;
        /// oppure anomalie (ogni stato che ferma il percorso) o tutti (predefinito)
        #[arg(long, value_name = "STATO")]
        state: Option<String>,
        /// Solo la pagina N (da 1) di 50 pagamenti, come nella finestra
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        page: Option<u32>,
    },
    /// Mostra o cambia le regole dell'abbinamento dove il comportamento di MyPivot è dedotto
    Rules {
        /// Una riga del flusso senza indiceDatiSingoloPagamento: «primo» trasferimento
        /// (predefinito) o «nessuno», che non si abbina a nessuna ricevuta (come MyPivot)
        #[arg(long, value_name = "REGOLA")]
        indice_mancante: Option<IndiceMancante>,
        /// Una riga con esito 9 senza ricevuta: «rendicontato» dal flusso (predefinito, come
        /// MyPivot) o «anomalia»
        #[arg(long, value_name = "REGOLA")]
        esito9: Option<Esito9>,
    },
}

/// `treasury`: the treasury journal (issue 16).
#[derive(Subcommand, Debug)]
pub enum TreasuryCmd {
    /// Importa un giornale di tesoreria; il formato si riconosce dal contenuto se non indicato.
    /// Lo stesso giornale importato di nuovo non aggiunge nulla, uno corretto sostituisce il
    /// precedente, uno storno toglie il movimento che annulla
    Import {
        file: PathBuf,
        /// Formato del file
        #[arg(long, value_name = "FORMATO")]
        format: Option<FormatoTesoreria>,
        /// Per il CSV: abbinamento campo=colonna (per intestazione, lettera o numero, es.
        /// importo=F); i campi sono anno, bolletta, data_contabile, ordinante, causale,
        /// importo, data_valuta
        #[arg(long, value_name = "CAMPO=COLONNA", num_args = 1..)]
        mapping: Vec<String>,
    },
    /// Elenca i movimenti di tesoreria con cosa abbinano, o perché no e i suggerimenti
    List,
    /// Mostra o cambia i giorni dopo i quali un passo mancante è un'anomalia
    Rules {
        /// Giorni dal pagamento entro cui attendere il flusso di rendicontazione (predefinito 10)
        #[arg(long, value_name = "GIORNI")]
        giorni_rendicontazione: Option<i64>,
        /// Giorni dal regolamento del flusso entro cui attendere l'incasso (predefinito 10)
        #[arg(long, value_name = "GIORNI")]
        giorni_incasso: Option<i64>,
        /// Distanza in giorni fra movimento e flusso per i suggerimenti (predefinito 3)
        #[arg(long, value_name = "GIORNI")]
        giorni_suggerimento: Option<i64>,
    },
}

/// `treasury import --format`.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum FormatoTesoreria {
    Csv,
    Xls,
    Opi,
    Poste,
}

impl FormatoTesoreria {
    pub fn codice(self) -> &'static str {
        match self {
            FormatoTesoreria::Csv => "csv",
            FormatoTesoreria::Xls => "xls",
            FormatoTesoreria::Opi => "opi",
            FormatoTesoreria::Poste => "poste",
        }
    }
}

/// `fdr rules --indice-mancante`.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum IndiceMancante {
    Primo,
    Nessuno,
}

/// `fdr rules --esito9`.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum Esito9 {
    Rendicontato,
    Anomalia,
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

// The commands that talk to MyPay (handlers in `remote`).

/// Global options of the connection.
#[derive(Args, Debug, Clone, Default)]
pub struct RemoteOpts {
    /// Ambiente di MyPay: demo (emulatore integrato), collaudo, produzione, custom
    #[arg(long, global = true, value_name = "AMBIENTE")]
    pub env: Option<String>,
    /// Indirizzo di un server compatibile con MyPay (SOAP in URL/ws/pa/)
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// Piattaforma: mypay, aria (MyPay tramite il middleware regionale), pu (Piattaforma Unitaria)
    #[arg(long, global = true, value_name = "PIATTAFORMA")]
    pub platform: Option<String>,
}

/// `flow submit`.
#[derive(Args, Debug)]
pub struct SubmitArgs {
    /// Tutti i flussi non ancora conclusi (predefinito se non si indica un flusso)
    #[arg(long, conflicts_with = "flusso")]
    pub all: bool,
    /// Id o nome del flusso
    pub flusso: Option<String>,
    /// Scarica anche gli avvisi di pagamento in PDF (_AVVISI_PDF)
    #[arg(long)]
    pub avvisi: bool,
}

/// `receipts download`.
#[derive(Args, Debug)]
pub struct DownloadArgs {
    /// Data iniziale dei pagamenti (GG/MM/AAAA o AAAA-MM-GG)
    #[arg(long, requires = "to", conflicts_with = "incremental")]
    pub from: Option<String>,
    /// Data finale dei pagamenti (compresa)
    #[arg(long, requires = "from")]
    pub to: Option<String>,
    /// Solo le novità dall'ultimo scaricamento (predefinito)
    #[arg(long)]
    pub incremental: bool,
}

/// `sync`.
#[derive(Args, Debug)]
pub struct SyncArgs {
    /// Versione del tracciato dei nuovi flussi (predefinita: quella della piattaforma)
    #[arg(long)]
    pub version: Option<String>,
}

#[derive(Subcommand, Debug)]
#[allow(clippy::large_enum_variant)] // parsed once per process: size does not matter
pub enum CounterCmd {
    /// Crea un dovuto su MyPay allo sportello: IUV, numero avviso e PDF dell'avviso
    New {
        #[command(flatten)]
        fields: DebtFields,
        /// Crea il dovuto anche se il pagatore ne ha già uno uguale aperto (stesso tipo,
        /// importo e scadenza, non pagato né annullato)
        #[arg(long)]
        anche_se_duplicato: bool,
    },
    /// Modifica su MyPay un dovuto già caricato e non pagato (stesso IUD e IUV; nuovo avviso)
    Modify {
        /// IUD del dovuto da modificare
        #[arg(value_name = "IUD")]
        dovuto: String,
        #[command(flatten)]
        fields: DebtFields,
    },
    /// Annulla su MyPay un dovuto creato allo sportello e non ancora pagato
    Cancel { iud: String },
    /// Posizioni aperte di un pagatore su MyPay
    Lookup {
        /// Codice fiscale o partita IVA
        codice: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum CredentialsCmd {
    /// Salva la password del servizio nel portachiavi del sistema (la legge dallo standard input)
    Set,
    /// Cancella la password dal portachiavi
    Clear,
}

#[derive(Subcommand, Debug)]
pub enum ConnectionCmd {
    /// Mostra ambiente, indirizzi e origine della password
    Show,
    /// Imposta l'ambiente predefinito e, se dati, il suo indirizzo, la piattaforma e
    /// l'identificativo del client della Piattaforma Unitaria (--env, --base-url, --platform)
    Set {
        /// Identificativo del client SIL dell'Ente sulla Piattaforma Unitaria (piattaforma pu)
        #[arg(long, value_name = "ID")]
        client_id: Option<String>,
    },
}

// Adhesion and contribution (handlers in `adesione`).

/// Adesione a MyPay: documenti e passi
#[derive(Subcommand, Debug)]
pub enum AdesioneCmd {
    /// Scrive Atto di adesione, Modulo informativa Ente e promemoria (ODT e PDF) in una cartella
    Documenti {
        /// Cartella dei documenti (creata se manca)
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Registra la data di un passo: delibera, pec-inviata, riscontro-regione, pre-esercizio, esercizio
    Passo {
        passo: String,
        /// Data, es. 15/01/2027
        #[arg(long)]
        data: String,
        #[arg(long)]
        nota: Option<String>,
    },
    /// Mostra i passi dell'adesione e le date registrate
    Stato,
}

/// Contributo regionale: calcolo, voci di spesa, importi, riepilogo
#[derive(Subcommand, Debug)]
pub enum ContributoCmd {
    /// Percentuale, motivo e contributo: del profilo salvato o, con --tipo-ente, di un caso ipotetico
    Calcola(CalcolaArgs),
    /// Le regole del contributo in uso (predefinite: DGR X/6911/2017); esporta, carica o ripristina
    Misura {
        /// Scrive le regole in uso in un file TOML da modificare
        #[arg(long, value_name = "FILE", conflicts_with_all = ["carica", "predefinita"])]
        esporta: Option<PathBuf>,
        /// Carica regole modificate da un file TOML
        #[arg(long, value_name = "FILE", conflicts_with = "predefinita")]
        carica: Option<PathBuf>,
        /// Torna alle regole fornite con l'app
        #[arg(long)]
        predefinita: bool,
    },
    /// Voci della spesa stimata
    #[command(subcommand)]
    Spesa(SpesaCmd),
    /// Registra un importo richiesto, concesso o incassato
    Importo {
        /// richiesto, concesso o incassato
        tipo: String,
        /// Importo, es. 9.600,00
        #[arg(long)]
        importo: String,
        /// Data, es. 15/01/2027
        #[arg(long)]
        data: String,
        /// Riferimento (protocollo della domanda, decreto, reversale…)
        #[arg(long)]
        riferimento: Option<String>,
    },
    /// Elenca gli importi richiesti, concessi e incassati
    Importi,
    /// Scrive il riepilogo del contributo (PDF e XLSX) in una cartella
    Riepilogo {
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
}

#[derive(Args, Debug)]
pub struct CalcolaArgs {
    /// Caso ipotetico: comune, comune-montano, unione-comuni, comunita-montana, area-protetta, natura-2000, altro
    #[arg(long, value_name = "TIPO")]
    pub tipo_ente: Option<String>,
    /// Abitanti (caso ipotetico)
    #[arg(long, requires = "tipo_ente")]
    pub popolazione: Option<u32>,
    /// Modalità separate da virgole: base, per-flussi, presso-ente (caso ipotetico)
    #[arg(long, requires = "tipo_ente")]
    pub modalita: Option<String>,
    /// Spesa stimata, es. 12000.00 o 12.000,00 (senza: per il profilo, la somma delle voci di spesa)
    #[arg(long)]
    pub spesa: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum SpesaCmd {
    /// Aggiunge una voce: un preventivo (--importo) o un costo standard × quantità
    Aggiungi {
        #[arg(long)]
        descrizione: String,
        #[arg(long)]
        fornitore: Option<String>,
        /// Numero del preventivo, CIG…
        #[arg(long)]
        riferimento: Option<String>,
        #[arg(long)]
        data: Option<String>,
        /// Importo del preventivo, es. 7.320,00
        #[arg(long, conflicts_with = "costo_standard")]
        importo: Option<String>,
        /// Codice di un costo standard della misura (vedi «contributo misura»)
        #[arg(long, value_name = "CODICE")]
        costo_standard: Option<String>,
        /// Numero di servizi per il costo standard
        #[arg(long, requires = "costo_standard")]
        quantita: Option<u32>,
    },
    /// Elenca le voci e il totale
    Elenco,
    /// Elimina una voce
    Elimina { numero: i64 },
}

#[cfg(test)]
mod tests {
    #[test]
    fn arguments_are_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
