//! MyPay's fault codes as a clerk sees them: for every code an Italian explanation and what to
//! do next. Covers the Ente service's catalogue (spec §2.6), the file-level import codes MyPay
//! reports instead of a state (§4.7), the database codes (§4.5) and the row codes of `_SCARTI`
//! (§4.8). A test checks the table against the spec's list.

/// One code: what it means for the clerk, and what to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FaultInfo {
    pub code: &'static str,
    pub spiegazione: &'static str,
    pub azione: &'static str,
}

const fn f(code: &'static str, spiegazione: &'static str, azione: &'static str) -> FaultInfo {
    FaultInfo {
        code,
        spiegazione,
        azione,
    }
}

/// MyPay does not recognise the Ente or its service password (the front ends point the clerk
/// to where the password is set).
pub const ENTE_NON_VALIDO: &str = "PAA_ENTE_NON_VALIDO";

const CONTROLLA_DOVUTO: &str = "Corregga il dovuto e lo invii di nuovo.";
const RIPROVA: &str = "Riprovi più tardi; se si ripete, segnali il giorno e l'ora all'assistenza di MyPay della Regione.";
const ASSISTENZA: &str = "Segnali il giorno, l'ora e l'operazione all'assistenza di MyPay della Regione (i dettagli sono nel registro dell'applicazione).";

/// Every known code.
pub const CATALOGUE: &[FaultInfo] = &[
    // Ente service (spec §2.6)
    f(
        ENTE_NON_VALIDO,
        "MyPay non riconosce l'Ente o la password del servizio (oppure l'Ente non è ancora attivo).",
        "Controllare il codice IPA nel profilo dell'Ente e reimpostare la password del servizio.",
    ),
    f(
        "PAA_STATO_ENTE_NON_VALIDO",
        "L'Ente risulta su MyPay in uno stato che non consente l'operazione (non ancora attivo).",
        "Chieda alla Regione di attivare l'Ente su MyPay.",
    ),
    f(
        "PAA_REQUEST_TOKEN_NON_VALIDO",
        "MyPay non conosce la richiesta indicata (il file non è arrivato o la richiesta è di un altro Ente).",
        "Il flusso va inviato di nuovo: MyPay Desk lo fa da sé quando è sicuro.",
    ),
    f(
        "PAA_DATE_FROM_NON_VALIDO",
        "La data di inizio dell'estrazione delle ricevute manca o non è valida.",
        "Indichi una data di inizio nel formato GG/MM/AAAA.",
    ),
    f(
        "PAA_DATE_TO_NON_VALIDO",
        "La data di fine dell'estrazione delle ricevute manca o non è valida.",
        "Indichi una data di fine nel formato GG/MM/AAAA.",
    ),
    f(
        "PAA_INTERVALLO_DATE_NON_VALIDO",
        "La data di fine è precedente alla data di inizio.",
        "Corregga l'intervallo di date.",
    ),
    f(
        "PAA_VERSIONE_TRACCIATO_NON_VALIDA",
        "La versione del tracciato di export richiesta non è tra quelle ammesse (1.0–1.3).",
        ASSISTENZA,
    ),
    f(
        "PAA_IDENTIFICATIVO_TIPO_DOVUTO_NON_VALIDO",
        "Il tipo dovuto non esiste su MyPay per questo Ente o non è attivo.",
        "Confrontare i tipi dovuto del profilo dell'Ente con quelli configurati su MyPay.",
    ),
    f(
        "PAA_IDENTIFICATIVO_TIPO_DOVUTO_NON_ABILITATO",
        "Il tipo dovuto esiste ma non è abilitato su MyPay.",
        "Chieda alla Regione di abilitare il tipo dovuto.",
    ),
    f(
        "PAA_IDENTIFICATIVO_TIPO_DOVUTO_NON_INSERITO",
        "Non è stato indicato alcun tipo dovuto per l'estrazione.",
        "Indichi almeno un tipo dovuto.",
    ),
    f(
        "CODE_PAA_PASSWORD_ALLINEAMENTO_MYPIVOT_NON_VALIDA",
        "La password di allineamento con MyPivot non è valida.",
        "Non usi la password MyPivot, oppure chieda quella corretta alla Regione.",
    ),
    f(
        "PAA_XML_NON_VALIDO",
        "I dati inviati non rispettano lo schema di MyPay.",
        CONTROLLA_DOVUTO,
    ),
    f(
        "PAA_AZIONE_NON_VALIDO",
        "L'azione richiesta sul dovuto non è tra quelle ammesse (inserimento, modifica, annullamento, stampa).",
        ASSISTENZA,
    ),
    f(
        "PAA_IUV_NON_VALIDO",
        "Lo IUV non è valido, non è pagabile o non è noto a MyPay.",
        "Controlli lo IUV; per un dovuto nuovo lasci che sia MyPay a generarlo.",
    ),
    f(
        "PAA_IUV_SCADUTO",
        "Il dovuto con questo IUV è scaduto e non si può più pagare.",
        "Crei un nuovo dovuto con una nuova scadenza.",
    ),
    f(
        "PAA_IUD_NON_VALIDO",
        "Lo IUD (identificativo del dovuto) manca, inizia con 000 o non è noto a MyPay.",
        "Usi uno IUD diverso, che non inizi con 000.",
    ),
    f(
        "PAA_IUD_DUPLICATO",
        "Lo IUD è già stato usato su MyPay per questo Ente.",
        "Usi uno IUD nuovo: MyPay non ne accetta mai due uguali.",
    ),
    f(
        "PAA_IMPORTO_SINGOLO_VERSAMENTO_NON_VALIDO",
        "L'importo è zero, troppo alto, o la commissione a carico dell'Ente è troppo alta.",
        CONTROLLA_DOVUTO,
    ),
    f(
        "PAA_IMPORTO_BILANCIO_NON_VALIDO",
        "La somma degli importi del bilancio non è uguale all'importo del dovuto.",
        "Corregga il bilancio in modo che la somma sia pari all'importo.",
    ),
    f(
        "PAA_IDENT_TIPO_DOVUTO_NON_PRESENTE",
        "Manca il tipo dovuto.",
        "Indichi il tipo dovuto.",
    ),
    f(
        "PAA_SOGG_PAG_NON_VALORIZZATO",
        "Mancano i dati del pagatore.",
        "Indichi codice fiscale e nome del pagatore.",
    ),
    f(
        "PAA_TIPO_VERSAMENTO_NON_VALIDO",
        "Il tipo di versamento non è valido.",
        "Lasci vuoto il tipo di versamento (vale «ALL»).",
    ),
    f(
        "PAA_CAUSALE_NON_PRESENTE",
        "Manca la causale.",
        "Scriva la causale del dovuto.",
    ),
    f(
        "PAA_DATI_SPECIFICI_RISCOSSIONE_NON_VALIDO",
        "I dati specifici di riscossione (codice tassonomico) non sono validi.",
        "Controlli il codice tassonomico del tipo dovuto.",
    ),
    f(
        "PAA_CODICE_FISCALE_NON_VALIDO",
        "Il codice fiscale del pagatore non è valido.",
        "Corregga il codice fiscale.",
    ),
    f(
        "PAA_P_IVA_NON_VALIDO",
        "La partita IVA del pagatore non è valida.",
        "Corregga la partita IVA.",
    ),
    f(
        "PAA_TIPO_IDENTIFICATIVO_PAGATORE_NON_VALIDO",
        "Il tipo di pagatore deve essere F (persona fisica) o G (persona giuridica).",
        "Indichi F o G.",
    ),
    f(
        "PAA_CODICE_IDENTIFICATIVO_PAGATORE_NON_PRESENTE",
        "Manca il codice fiscale o la partita IVA del pagatore.",
        "Indichi il codice del pagatore.",
    ),
    f(
        "PAA_MARCA_BOLLO_DIGITALE_NON_VALIDA",
        "I dati della marca da bollo digitale non sono validi.",
        CONTROLLA_DOVUTO,
    ),
    f(
        "PAA_IMPORTO_MARCA_BOLLO_DIGITALE_NON_VALIDA",
        "L'importo della marca da bollo digitale non è valido.",
        CONTROLLA_DOVUTO,
    ),
    f(
        "PAA_ANAGRAFICA_NON_VALIDA",
        "L'anagrafica del pagatore è incompleta (e-mail, indirizzo, CAP o nazione).",
        "Completi l'anagrafica del pagatore.",
    ),
    f(
        "PAA_LIMITAZIONE_ENTI_SECONDARI_ERROR",
        "È ammesso un solo ente secondario per dovuto.",
        "Lasci un solo ente secondario.",
    ),
    f(
        "PAA_LIMITE_MASSIMO_DOVUTI_MULTIBENEFICIARI",
        "Troppi dovuti multibeneficiario nella stessa richiesta.",
        "Invii i dovuti multibeneficiario separatamente.",
    ),
    f(
        "PAA_LIMITE_MASSIMO_DOVUTI_ENTI_SECONDARI",
        "Troppi dovuti per enti secondari nella stessa richiesta.",
        "Invii meno dovuti per volta.",
    ),
    f(
        "PAA_ENTE_SECONDARIO_NON_VALIDO",
        "L'ente secondario non è valido.",
        "Controlli codice fiscale e IBAN dell'ente secondario.",
    ),
    f(
        "PAA_ERRORE_RECUPERO_DOVUTI_ENTI_SECONDARI",
        "MyPay non è riuscito a leggere i dati dell'ente secondario.",
        RIPROVA,
    ),
    f(
        "PAA_ID_SESSION_NON_VALIDO",
        "La sessione di pagamento indicata non esiste.",
        "Controlli l'identificativo della sessione.",
    ),
    f(
        "PAA_PAGAMENTO_NON_INIZIATO",
        "Il pagamento non è ancora iniziato.",
        "Nessuna azione: il dovuto è ancora da pagare.",
    ),
    f(
        "PAA_PAGAMENTO_IN_CORSO",
        "Il pagamento è in corso.",
        "Attenda qualche minuto e controlli di nuovo.",
    ),
    f(
        "PAA_PAGAMENTO_ANNULLATO",
        "Il pagamento è stato annullato.",
        "Il cittadino può ripetere il pagamento.",
    ),
    f(
        "PAA_PAGAMENTO_SCADUTO",
        "La sessione di pagamento o il dovuto sono scaduti.",
        "Il cittadino deve avviare un nuovo pagamento.",
    ),
    f(
        "PAA_SYSTEM_ERROR",
        "MyPay ha avuto un errore interno (o il dovuto non è nello stato richiesto).",
        RIPROVA,
    ),
    f(
        "PAA_IUV_DUPLICATO",
        "Lo IUV è già usato da un altro dovuto.",
        "Lasci che sia MyPay a generare lo IUV.",
    ),
    f(
        "PAA_DATI_NON_TROVATI",
        "MyPay non ha trovato dati per la richiesta.",
        "Controlli i dati della ricerca.",
    ),
    f(
        "PAA_SERVIZIO_NON_IMPLEMENTATO",
        "Il servizio non è disponibile su questo MyPay.",
        ASSISTENZA,
    ),
    f(
        "PAA_NUMERO_DOVUTI_PER_IUV_NON_VALIDO",
        "Allo stesso IUV corrispondono troppi dovuti.",
        ASSISTENZA,
    ),
    // File-level import codes, reported by the status call instead of a state (spec §4.7)
    f(
        "PAA_IMPORT_NO_FILE_AUTH",
        "MyPay non ha trovato l'autorizzazione del file caricato.",
        "Invii di nuovo il flusso.",
    ),
    f(
        "PAA_IMPORT_NO_FILE_MD5",
        "MyPay non ha trovato l'impronta del file caricato.",
        "Invii di nuovo il flusso.",
    ),
    f(
        "PAA_IMPORT_NO_MATCH_AUTH",
        "Il file caricato non corrisponde alla richiesta autorizzata.",
        "Invii di nuovo il flusso.",
    ),
    f(
        "PAA_IMPORT_NOME_FILE_ERR",
        "Il nome del file del flusso non è nel formato atteso da MyPay.",
        "Il flusso va ricreato.",
    ),
    f(
        "PAA_IMPORT_ENTE_ERR",
        "Il flusso è intestato a un Ente diverso da quello autorizzato.",
        "Controlli il codice IPA del profilo dell'Ente e ricrei il flusso.",
    ),
    f(
        "PAA_IMPORT_FILE_VERSIONE_ERR",
        "La versione del tracciato del flusso non è accettata da MyPay.",
        "Prepari di nuovo i flussi: MyPay Desk userà una versione accettata (1_3 se il Suo Ente è passato alla Piattaforma Unitaria).",
    ),
    // Piattaforma Unitaria (issue 15): the states of `paaSILChiediStatoImportFlusso` with no
    // MyPay equivalent, and the fileshare's refusals of an upload.
    f(
        "ERROR_LOAD",
        "La Piattaforma Unitaria non è riuscita a caricare il file del flusso.",
        "I dovuti del flusso tornano pronti: prepari di nuovo i flussi e li reinvii; se si ripete, avvisi l'assistenza della Regione.",
    ),
    f(
        "WARNING",
        "La Piattaforma Unitaria ha elaborato il flusso con delle segnalazioni ma non ha restituito l'esito delle singole righe.",
        "Controlli i dovuti del flusso sul portale della Piattaforma Unitaria: quelli caricati vi risultano; gli altri tornano pronti e si possono reinviare.",
    ),
    f(
        "FILE_ALREADY_EXISTS",
        "Un file con lo stesso nome è già stato caricato e accettato (ad esempio dopo il ripristino di una copia di sicurezza dell'archivio).",
        "I dovuti del flusso tornano pronti: prepari di nuovo i flussi, MyPay Desk darà loro un nome nuovo; prima controlli sul portale che non siano già caricati.",
    ),
    f(
        "INVALID_FILE_NAME",
        "Il nome del file del flusso non è accettato dalla Piattaforma Unitaria (deve terminare con la versione del tracciato).",
        "Il flusso va ricreato.",
    ),
    f(
        "MPD_FILE_TROPPO_GRANDE",
        "Il file del flusso supera la dimensione massima che la piattaforma accetta.",
        "I dovuti del flusso tornano pronti: li prepari di nuovo in flussi più piccoli (ad esempio un tipo dovuto alla volta).",
    ),
    f(
        "PAA_IMPORT_NO_MATCH_MD5",
        "Il file si è danneggiato dopo il caricamento (impronta diversa).",
        "Invii di nuovo il flusso.",
    ),
    f(
        "PAA_IMPORT_ERROR",
        "Errore durante l'elaborazione del flusso o di una riga.",
        RIPROVA,
    ),
    f(
        "PAA_IMPORT_NO_CSV",
        "Lo zip del flusso non contiene il file CSV atteso.",
        "Il flusso va ricreato.",
    ),
    f(
        "PAA_IMPORT_FLUSSO_IN_CARICAMENTO",
        "Un flusso con lo stesso identificativo è ancora in caricamento.",
        "Attenda la fine del caricamento precedente e riprovi.",
    ),
    f(
        "PAA_IMPORT_FLUSSO_DUPLICATO",
        "Un flusso con lo stesso identificativo (IUF) è già stato caricato.",
        "Ricrei il flusso: MyPay Desk userà un nuovo identificativo.",
    ),
    f(
        "PAA_IMPORT_FLUSSO_ERRORE_GENERICO",
        "MyPay non è riuscito a registrare il flusso.",
        RIPROVA,
    ),
    f(
        "PAA_IMPORT_ERRORE_GENERICO",
        "Errore generico nell'elaborazione del flusso.",
        RIPROVA,
    ),
    f(
        "PAA_IMPORT_ERROR_UPDATE_FLUSSO",
        "MyPay non è riuscito ad aggiornare il flusso.",
        RIPROVA,
    ),
    f(
        "PAA_IMPORT_ERROR_UPDATE_IMPORT_DOVUTI",
        "MyPay non è riuscito ad aggiornare la richiesta di importazione.",
        RIPROVA,
    ),
    // Database codes (spec §4.5)
    f(
        "PAA_IMPORT_COD_TIPO_DOVUTO_INESISTENTE",
        "Il tipo dovuto non esiste su MyPay.",
        "Controlli i tipi dovuto dell'Ente.",
    ),
    f(
        "PAA_IMPORT_OPERATORE_NO_PERMESSI",
        "L'utente del servizio non ha i permessi per questo tipo dovuto.",
        "Chieda alla Regione di abilitare il tipo dovuto per l'utente WS.",
    ),
    f(
        "PAA_IMPORT_DATA_SCADENZA_PAGAMENTO_OBBLIGATORIA",
        "Per questo tipo dovuto la scadenza è obbligatoria.",
        "Indichi la data di scadenza.",
    ),
    f(
        "PAA_IMPORT_IUD_DUPLICATO",
        "Lo IUD è già presente su MyPay.",
        "Usi uno IUD nuovo, oppure modifichi il dovuto esistente.",
    ),
    f(
        "PAA_IMPORT_IUV_DUPLICATO",
        "Lo IUV è già usato da un altro dovuto.",
        "Lasci che sia MyPay a generare lo IUV.",
    ),
    f(
        "PAA_IMPORT_DOVUTO_NON_PRESENTE",
        "Il dovuto da modificare o annullare non esiste su MyPay (o non è più da pagare).",
        "Controlli lo IUD; un dovuto pagato non si può modificare.",
    ),
    f(
        "PAA_IMPORT_TIPO_DOVUTO_NON_MODIFICABILE",
        "Il tipo dovuto di un dovuto esistente non si può cambiare.",
        "Annulli il dovuto e ne crei uno nuovo.",
    ),
    f(
        "PAA_IMPORT_IUV_NO_NULLABLE",
        "Lo IUV di un dovuto esistente non si può togliere.",
        "Lasci lo IUV assegnato.",
    ),
    // Row codes of _SCARTI (spec §4.4, §4.8)
    f(
        "PAA_IMPORT_SINTASSI_CSV",
        "La riga non si legge: numero di campi, separatori o virgolette errati.",
        CONTROLLA_DOVUTO,
    ),
    f(
        "PAA_IMPORT_SINTASSI_CSV_AZIONE",
        "L'azione della riga non è I, M o A.",
        CONTROLLA_DOVUTO,
    ),
    f(
        "PAA_IMPORT_SINTASSI_CSV_IUD",
        "Lo IUD manca o inizia con 000.",
        CONTROLLA_DOVUTO,
    ),
    f(
        "PAA_IMPORT_SINTASSI_CSV_IUV",
        "Lo IUV non è valido.",
        "Lasci vuoto lo IUV e lo faccia generare a MyPay.",
    ),
    f(
        "PAA_IMPORT_SINTASSI_CSV_TIPO_DOVUTO_INESISTENTE",
        "Il tipo dovuto non esiste o non è attivo su MyPay.",
        "Controlli i tipi dovuto dell'Ente.",
    ),
    f(
        "PAA_IMPORT_SINTASSI_CSV_TIPO_DOVUTO_NON_ATTIVO_PER_ENTE",
        "Il tipo dovuto non è attivo per l'Ente.",
        "Chieda alla Regione di attivarlo.",
    ),
    f(
        "PAA_IMPORT_SINTASSI_CSV_TIPO_DOVUTO_NON_VALIDO_MARCA_DA_BOLLO",
        "La marca da bollo digitale non si può caricare con un flusso.",
        "Usi un altro tipo dovuto.",
    ),
    f(
        "PAA_IMPORT_SINTASSI_CSV_TIPO_DOVUTO",
        "Errore nel controllo del tipo dovuto.",
        RIPROVA,
    ),
    f(
        "PAA_IMPORT_SINTASSI_CSV_COD_FISC",
        "Il codice fiscale del pagatore non è valido.",
        "Corregga il codice fiscale.",
    ),
    f(
        "PAA_IMPORT_SINTASSI_CSV_P_IVA",
        "La partita IVA del pagatore non è valida.",
        "Corregga la partita IVA.",
    ),
    f(
        "PAA_IMPORT_SINTASSI_CSV_ID_UNIV_FG",
        "Il tipo di pagatore deve essere F o G.",
        CONTROLLA_DOVUTO,
    ),
    f(
        "PAA_IMPORT_SINTASSI_CSV_COD_FISC_P_IVA",
        "Errore nel controllo del codice del pagatore.",
        RIPROVA,
    ),
    f(
        "PAA_IMPORT_SINTASSI_CSV_INDIRIZZO",
        "L'indirizzo del pagatore non è valido.",
        CONTROLLA_DOVUTO,
    ),
    f(
        "PAA_IMPORT_SINTASSI_CSV_CIVICO",
        "Il numero civico non è valido.",
        CONTROLLA_DOVUTO,
    ),
    f(
        "PAA_IMPORT_SINTASSI_CSV_NAZ",
        "La nazione non è valida (due lettere, es. IT).",
        CONTROLLA_DOVUTO,
    ),
    f(
        "PAA_IMPORT_SINTASSI_CSV_PROV",
        "La provincia non è valida (sigla di due lettere).",
        CONTROLLA_DOVUTO,
    ),
    f(
        "PAA_IMPORT_SINTASSI_CSV_CAP",
        "Il CAP non è valido.",
        CONTROLLA_DOVUTO,
    ),
    f(
        "PAA_IMPORT_SINTASSI_CSV_EMAIL",
        "L'indirizzo e-mail non è valido.",
        CONTROLLA_DOVUTO,
    ),
    f(
        "PAA_IMPORT_SINTASSI_CSV_NAZ_PROV_CAP",
        "Errore nel controllo di nazione, provincia e CAP.",
        RIPROVA,
    ),
    f(
        "PAA_IMPORT_SINTASSI_CSV_DATA_SCADENZA_PAGAMENTO_NON_PRESENTE",
        "Manca la scadenza, obbligatoria per questo tipo dovuto.",
        "Indichi la data di scadenza.",
    ),
    f(
        "PAA_IMPORT_SINTASSI_CSV_DATA_SCADENZA_PAGAMENTO",
        "La data di scadenza non è valida.",
        CONTROLLA_DOVUTO,
    ),
    f(
        "PAA_IMPORT_SINTASSI_CSV_IMPORTO",
        "L'importo è zero o troppo alto.",
        CONTROLLA_DOVUTO,
    ),
    f(
        "PAA_IMPORT_SINTASSI_CSV_COMMISSIONI_PA",
        "La commissione a carico dell'Ente è troppo alta.",
        CONTROLLA_DOVUTO,
    ),
    f(
        "PAA_IMPORT_SINTASSI_CSV_TIPO_VERS",
        "Il tipo di versamento non è valido.",
        "Lasci vuoto il tipo di versamento.",
    ),
    f(
        "PAA_IMPORT_SINTASSI_CSV_DATI_RISCOSS",
        "I dati specifici di riscossione (codice tassonomico) non sono validi.",
        "Controlli il codice tassonomico del tipo dovuto.",
    ),
    f(
        "PAA_IMPORT_SINTASSI_CSV_BILANCIO",
        "Il bilancio non è leggibile o la sua somma non è pari all'importo.",
        "Corregga il bilancio.",
    ),
    f(
        "PAA_IMPORT_SINTASSI_CSV_COD_FISC_ENTE_SECONDARIO",
        "Il codice fiscale dell'ente secondario non è valido.",
        CONTROLLA_DOVUTO,
    ),
    f(
        "PAA_IMPORT_SINTASSI_CSV_IBAN_ACCREDITO_ENTE_SECONDARIO",
        "L'IBAN dell'ente secondario non è valido.",
        CONTROLLA_DOVUTO,
    ),
    f(
        "PAA_IMPORT_SINTASSI_CSV_INDIRIZZO_ENTE_SECONDARIO",
        "L'indirizzo dell'ente secondario non è valido.",
        CONTROLLA_DOVUTO,
    ),
    f(
        "PAA_IMPORT_SINTASSI_CSV_CIVICO_ENTE_SECONDARIO",
        "Il civico dell'ente secondario non è valido.",
        CONTROLLA_DOVUTO,
    ),
    f(
        "PAA_IMPORT_SINTASSI_CSV_NAZ_ENTE_SECONDARIO",
        "La nazione dell'ente secondario non è valida.",
        CONTROLLA_DOVUTO,
    ),
    f(
        "PAA_IMPORT_SINTASSI_CSV_PROV_ENTE_SECONDARIO",
        "La provincia dell'ente secondario non è valida.",
        CONTROLLA_DOVUTO,
    ),
    f(
        "PAA_IMPORT_SINTASSI_CSV_CAP_ENTE_SECONDARIO",
        "Il CAP dell'ente secondario non è valido.",
        CONTROLLA_DOVUTO,
    ),
    f(
        "PAA_IMPORT_SINTASSI_CSV_DATI_RISCOSS_ENTE_SECONDARIO",
        "I dati di riscossione dell'ente secondario non sono validi.",
        CONTROLLA_DOVUTO,
    ),
    f(
        "PAA_IMPORT_SINTASSI_CSV_IMPORTO_VERS_ENTE_SECONDARIO",
        "L'importo per l'ente secondario non è valido.",
        CONTROLLA_DOVUTO,
    ),
];

/// The tracciato `versione` refused by the platform (`PAA_IMPORT_FILE_VERSIONE_ERR`): what
/// happened and what the clerk can do, for the platform the connection names.
pub fn spiega_versione_rifiutata(
    piattaforma: crate::piattaforma::Piattaforma,
    versione: &str,
) -> String {
    use crate::piattaforma::Piattaforma;
    let v = if versione.is_empty() {
        "usato"
    } else {
        versione
    };
    match piattaforma {
        Piattaforma::Mypay => format!(
            "Il Suo Ente risulta passato alla Piattaforma Unitaria: MyPay rifiuta il tracciato \
             {v}. I dovuti del flusso tornano pronti e nulla è stato caricato. Scelga nelle \
             impostazioni di connessione la piattaforma «MyPay tramite il middleware regionale \
             (ARIA)» e prepari di nuovo i flussi: MyPay Desk userà il tracciato 1_3 (i dovuti con \
             un ente secondario restano in attesa, perché richiedono il tracciato 1_4)."
        ),
        Piattaforma::Aria | Piattaforma::Pu => format!(
            "Il Suo Ente è sulla Piattaforma Unitaria, che per ora rifiuta il tracciato {v}. I \
             dovuti del flusso tornano pronti e nulla è stato caricato: prepari di nuovo i flussi, \
             MyPay Desk userà il tracciato 1_3 (i dovuti con un ente secondario restano in attesa \
             finché la Regione non abilita il tracciato che li accoglie)."
        ),
    }
}

/// The version in `PAA_IMPORT_FILE_VERSIONE_ERR(1_4)`, if any.
pub fn versione_del_codice(code: &str) -> Option<&str> {
    let start = code.find('(')? + 1;
    let end = code[start..].find(')')? + start;
    Some(code[start..end].trim()).filter(|v| !v.is_empty())
}

/// The code without MyPay's decorations: `PAA_IMPORT_FILE_VERSIONE_ERR(1_9)` and the stray
/// `)` of `PAA_IMPORT_ERROR_UPDATE_FLUSSO)` become the bare code.
pub fn normalise(code: &str) -> &str {
    let code = code.trim().trim_start_matches('|');
    let end = code.find(['(', ')', ' ']).unwrap_or(code.len());
    &code[..end]
}

/// The entry for a code, if known.
pub fn lookup(code: &str) -> Option<&'static FaultInfo> {
    let code = normalise(code);
    CATALOGUE.iter().find(|i| i.code == code)
}

/// A sentence for the clerk: explanation and action, or MyPay's own text for an unknown code.
pub fn explain(code: &str, mypay_text: &str) -> String {
    match lookup(code) {
        Some(i) => format!("{} {}", i.spiegazione, i.azione),
        None => {
            // The clerk reads no code: it goes to the log, for the Region's support.
            tracing::warn!(
                codice = code,
                testo = mypay_text.trim(),
                "codice di MyPay senza spiegazione"
            );
            SCONOSCIUTO.to_string()
        }
    }
}

/// What the clerk reads for a code this table does not know (the code goes to the log).
pub const SCONOSCIUTO: &str = "MyPay ha rifiutato la richiesta senza un motivo che MyPay Desk \
     sappia spiegare. Riprovi più tardi; se si ripete, segnali all'assistenza di MyPay della \
     Regione il giorno, l'ora e l'operazione (il codice ricevuto è nel registro dell'applicazione).";

/// A file MyBox refused (`[{"codice", "descrizione"}]`): the code's explanation when known,
/// else the general sentence; never the code itself.
pub fn explain_upload(code: &str, descrizione: &str) -> String {
    match lookup(code) {
        Some(i) => format!("MyPay ha rifiutato il file. {} {}", i.spiegazione, i.azione),
        None => {
            tracing::warn!(
                codice = code,
                testo = descrizione.trim(),
                "file rifiutato da MyPay con un codice senza spiegazione"
            );
            "MyPay ha rifiutato il file del flusso. Riprovi l'invio più tardi; se si ripete, \
             segnali all'assistenza di MyPay della Regione il giorno, l'ora e il nome del flusso \
             (il codice ricevuto è nel registro dell'applicazione)."
                .to_string()
        }
    }
}

/// The Italian explanation of the codes of one `_SCARTI` row (`|`-separated), one sentence each.
pub fn explain_rifiuto(codes: &[String], de_rifiuto: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in codes {
        let s = match lookup(c) {
            Some(i) => format!("{} {}", i.spiegazione, i.azione),
            None => explain(c, ""),
        };
        if !parts.contains(&s) {
            parts.push(s);
        }
    }
    if parts.is_empty() {
        return if de_rifiuto.trim().is_empty() {
            "MyPay ha scartato la riga senza indicarne il motivo: controlli i dati del dovuto e lo \
             invii di nuovo."
                .to_string()
        } else {
            format!("MyPay ha scartato la riga: «{}».", de_rifiuto.trim())
        };
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The codes of spec §2.6 (and those declared but never produced), as listed there.
    const SPEC_2_6: &[&str] = &[
        "PAA_ENTE_NON_VALIDO",
        "PAA_STATO_ENTE_NON_VALIDO",
        "PAA_REQUEST_TOKEN_NON_VALIDO",
        "PAA_DATE_FROM_NON_VALIDO",
        "PAA_DATE_TO_NON_VALIDO",
        "PAA_INTERVALLO_DATE_NON_VALIDO",
        "PAA_VERSIONE_TRACCIATO_NON_VALIDA",
        "PAA_IDENTIFICATIVO_TIPO_DOVUTO_NON_VALIDO",
        "PAA_IDENTIFICATIVO_TIPO_DOVUTO_NON_ABILITATO",
        "PAA_IDENTIFICATIVO_TIPO_DOVUTO_NON_INSERITO",
        "CODE_PAA_PASSWORD_ALLINEAMENTO_MYPIVOT_NON_VALIDA",
        "PAA_XML_NON_VALIDO",
        "PAA_AZIONE_NON_VALIDO",
        "PAA_IUV_NON_VALIDO",
        "PAA_IUV_SCADUTO",
        "PAA_IUD_NON_VALIDO",
        "PAA_IUD_DUPLICATO",
        "PAA_IMPORTO_SINGOLO_VERSAMENTO_NON_VALIDO",
        "PAA_IMPORTO_BILANCIO_NON_VALIDO",
        "PAA_IDENT_TIPO_DOVUTO_NON_PRESENTE",
        "PAA_SOGG_PAG_NON_VALORIZZATO",
        "PAA_TIPO_VERSAMENTO_NON_VALIDO",
        "PAA_CAUSALE_NON_PRESENTE",
        "PAA_DATI_SPECIFICI_RISCOSSIONE_NON_VALIDO",
        "PAA_CODICE_FISCALE_NON_VALIDO",
        "PAA_P_IVA_NON_VALIDO",
        "PAA_TIPO_IDENTIFICATIVO_PAGATORE_NON_VALIDO",
        "PAA_CODICE_IDENTIFICATIVO_PAGATORE_NON_PRESENTE",
        "PAA_MARCA_BOLLO_DIGITALE_NON_VALIDA",
        "PAA_IMPORTO_MARCA_BOLLO_DIGITALE_NON_VALIDA",
        "PAA_ANAGRAFICA_NON_VALIDA",
        "PAA_LIMITAZIONE_ENTI_SECONDARI_ERROR",
        "PAA_LIMITE_MASSIMO_DOVUTI_MULTIBENEFICIARI",
        "PAA_LIMITE_MASSIMO_DOVUTI_ENTI_SECONDARI",
        "PAA_ENTE_SECONDARIO_NON_VALIDO",
        "PAA_ERRORE_RECUPERO_DOVUTI_ENTI_SECONDARI",
        "PAA_ID_SESSION_NON_VALIDO",
        "PAA_PAGAMENTO_NON_INIZIATO",
        "PAA_PAGAMENTO_IN_CORSO",
        "PAA_PAGAMENTO_ANNULLATO",
        "PAA_PAGAMENTO_SCADUTO",
        "PAA_SYSTEM_ERROR",
        "PAA_IUV_DUPLICATO",
        "PAA_DATI_NON_TROVATI",
        "PAA_SERVIZIO_NON_IMPLEMENTATO",
        "PAA_NUMERO_DOVUTI_PER_IUV_NON_VALIDO",
        // PAA_IMPORT_* of ImportaDovuto (§2.5.6 pass-through, meanings in §4.8)
        "PAA_IMPORT_COD_TIPO_DOVUTO_INESISTENTE",
        "PAA_IMPORT_OPERATORE_NO_PERMESSI",
        "PAA_IMPORT_DATA_SCADENZA_PAGAMENTO_OBBLIGATORIA",
        "PAA_IMPORT_IUD_DUPLICATO",
        "PAA_IMPORT_IUV_DUPLICATO",
        "PAA_IMPORT_DOVUTO_NON_PRESENTE",
        "PAA_IMPORT_TIPO_DOVUTO_NON_MODIFICABILE",
        "PAA_IMPORT_IUV_NO_NULLABLE",
    ];

    /// Codes named in a section of the spec: words made of capitals, digits and `_` that start
    /// with `PAA_` or `CODE_PAA_` (the `PAA_IMPORT_*` wildcard excluded).
    fn codes_in(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for word in text.split(|c: char| {
            !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '*')
        }) {
            if (word.starts_with("PAA_") || word.starts_with("CODE_PAA_"))
                && !word.ends_with('*')
                && !word.ends_with('_')
            {
                out.push(word.to_string());
            }
        }
        out
    }

    #[test]
    fn every_code_of_the_spec_is_explained() {
        let mut missing: Vec<String> = SPEC_2_6
            .iter()
            .filter(|c| lookup(c).is_none())
            .map(|c| c.to_string())
            .collect();
        // When the shared spec is next to the checkout, read its lists too (§2.6, §4.7, §4.8).
        let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../../shared/spec/mypay-ente-interface.md");
        if let Ok(text) = std::fs::read_to_string(spec) {
            for (start, end) in [("### 2.6", "### 2.7"), ("### 4.7", "### 4.9")] {
                let (Some(a), Some(b)) = (text.find(start), text.find(end)) else {
                    panic!("section {start} not found in the spec");
                };
                for code in codes_in(&text[a..b]) {
                    if lookup(&code).is_none() && !missing.contains(&code) {
                        missing.push(code);
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "codes without an explanation: {missing:?}"
        );
    }

    #[test]
    fn entries_are_complete_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for i in CATALOGUE {
            assert!(seen.insert(i.code), "duplicate {}", i.code);
            assert!(
                i.spiegazione.ends_with('.') && i.azione.ends_with('.'),
                "{}",
                i.code
            );
            // The clerk reads these: no code of MyPay inside them.
            assert!(
                !i.spiegazione.contains("PAA_") && !i.azione.contains("PAA_"),
                "{}",
                i.code
            );
        }
    }

    #[test]
    fn decorated_codes_are_found() {
        assert_eq!(
            normalise("PAA_IMPORT_FILE_VERSIONE_ERR(1_9)"),
            "PAA_IMPORT_FILE_VERSIONE_ERR"
        );
        assert_eq!(
            normalise("PAA_IMPORT_ERROR_UPDATE_FLUSSO)"),
            "PAA_IMPORT_ERROR_UPDATE_FLUSSO"
        );
        assert_eq!(
            normalise("|PAA_IMPORT_IUD_DUPLICATO"),
            "PAA_IMPORT_IUD_DUPLICATO"
        );
        assert!(lookup("PAA_IMPORT_ENTE_ERR(a,b)").is_some());
        // An unknown code: the general sentence, never the code nor MyPay's raw text (issue 13
        // item 17: both go to the log).
        let ignoto = explain("PAA_XYZ", "java.lang.NullPointerException");
        assert!(
            ignoto.starts_with("MyPay ha rifiutato la richiesta"),
            "{ignoto}"
        );
        assert!(
            !ignoto.contains("PAA_") && !ignoto.contains("java"),
            "{ignoto}"
        );
        let file = explain_upload("PAA_ZZZ", "Errore generico");
        assert!(!file.contains("PAA_") && file.contains("flusso"), "{file}");
        let noto = explain_upload("PAA_IMPORT_NO_CSV", "x");
        assert!(noto.starts_with("MyPay ha rifiutato il file.") && !noto.contains("PAA_"));
        let s = explain_rifiuto(
            &[
                "PAA_IMPORT_SINTASSI_CSV_CAP".into(),
                "PAA_IMPORT_SINTASSI_CSV_EMAIL".into(),
            ],
            "",
        );
        assert!(s.contains("CAP") && s.contains("e-mail"), "{s}");
        // No code and no text: still a sentence with what to do, never an empty line.
        assert!(explain_rifiuto(&[], " ").contains("senza indicarne il motivo"));
    }
}
