// The window's help as data (issue 13 item 22): for each section a short explanation of what the
// screen is for and its usual steps, with the glossary terms it uses, and the glossary itself.
// Written for the clerk of a small comune, in the formal register ("Lei"). Every definition
// follows the project's specs (shared/spec/pagopa-domain.md, mypay-ente-interface.md,
// riconciliazione.md, adesione-e-contributo.md) and the behaviour described in README.md:
// change it there first when a rule changes. The panel that shows it is `screens/Aiuto.tsx`.

/** One term of the glossary. */
export interface VoceGlossario {
  /** Stable id, used by the sections' `termini` lists. */
  id: string
  /** The term as the clerk meets it on screen. */
  termine: string
  /** Other names of the same thing (also searched). */
  sinonimi?: string[]
  /** One or two plain sentences. */
  definizione: string
}

/** The help of one section of the window. */
export interface AiutoSezione {
  titolo: string
  /** Two to five short sentences: what the screen is for and the usual steps. */
  testo: string[]
  /** Ids of the glossary terms the screen uses, in the order they matter. */
  termini: string[]
}

export const GLOSSARIO: VoceGlossario[] = [
  {
    id: 'dovuto',
    termine: 'Dovuto',
    sinonimi: ['posizione debitoria'],
    definizione:
      'Una somma che una persona o un’impresa deve pagare all’Ente, per esempio una rata della TARI o la retta della mensa. Ogni dovuto ha un pagatore, un importo, una scadenza, un tipo dovuto e una causale.',
  },
  {
    id: 'iud',
    termine: 'IUD',
    sinonimi: ['Identificativo Univoco del Dovuto'],
    definizione:
      'Identificativo Univoco del Dovuto: il codice con cui l’Ente riconosce ciascun dovuto, diverso per ogni dovuto. È lungo al massimo 35 caratteri e non può iniziare con «000», che MyPay riserva ai propri codici.',
  },
  {
    id: 'iuv',
    termine: 'IUV',
    sinonimi: ['Identificativo Univoco di Versamento'],
    definizione:
      'Identificativo Univoco di Versamento: il codice pagoPA del pagamento di un dovuto, unico per l’Ente e mai riutilizzato. Di norma lo genera MyPay quando accetta il dovuto; è contenuto nel numero avviso.',
  },
  {
    id: 'numero-avviso',
    termine: 'Numero avviso',
    definizione:
      'Il codice di 18 cifre stampato sull’avviso di pagamento, in gruppi di quattro (per esempio 3010 0000 0000 0001 44); di norma è la cifra 3 seguita dallo IUV. Insieme al codice fiscale dell’Ente permette al cittadino di pagare presso qualsiasi PSP.',
  },
  {
    id: 'codice-avviso',
    termine: 'Codice avviso',
    sinonimi: ['NAV'],
    definizione: 'Altro nome del numero avviso (si trova anche come NAV): sono le stesse 18 cifre.',
  },
  {
    id: 'avviso',
    termine: 'Avviso di pagamento',
    sinonimi: ['avviso pagoPA'],
    definizione:
      'Il documento pagoPA (un PDF da stampare o inviare) che dice al cittadino quanto pagare, entro quando e come: riporta l’Ente, il destinatario, l’importo, la scadenza, il numero avviso e il codice QR. Se l’Ente incassa anche su un conto corrente postale, contiene pure il bollettino postale.',
  },
  {
    id: 'flusso',
    termine: 'Flusso',
    sinonimi: ['flusso dei dovuti', 'IUF'],
    definizione:
      'Il file (un archivio zip) con cui MyPay Desk invia a MyPay molti dovuti insieme, da inserire, modificare o annullare. Il suo nome unisce codice IPA, identificativo del flusso (IUF) e versione del tracciato, per esempio c_x123-TARI2027-1_4.',
  },
  {
    id: 'tracciato',
    termine: 'Tracciato',
    definizione:
      'Lo schema delle colonne che MyPay richiede nei file dei dovuti (versioni da 1_0 a 1_4) e in quelli dei pagamenti. MyPay Desk lo scrive e lo legge da sé: Lei può lavorare con i suoi fogli Excel.',
  },
  {
    id: 'scarto',
    termine: 'Scarto',
    sinonimi: ['scartato', 'riga scartata', 'rifiuto'],
    definizione:
      'Una riga di un flusso che MyPay ha rifiutato, con un codice e la spiegazione del motivo (per esempio un codice fiscale non valido). Le altre righe vengono caricate comunque; il dovuto scartato va corretto e inviato di nuovo.',
  },
  {
    id: 'tipo-dovuto',
    termine: 'Tipo dovuto',
    definizione:
      'La categoria del pagamento (per esempio TARI, IMU, mensa), configurata per l’Ente su MyPay: un tipo che MyPay non conosce o non ha attivo fa scartare la riga. Dal tipo dipendono la tassonomia, se la scadenza è obbligatoria e se è ammesso un pagatore anonimo.',
  },
  {
    id: 'tassonomia',
    termine: 'Tassonomia',
    sinonimi: ['codice tassonomico', 'dati specifici di riscossione'],
    definizione:
      'Il codice pagoPA che classifica il servizio per cui si paga, per esempio 9/0101100IM/ (comune, tributi, imposta). Ogni tipo dovuto ne ha uno, scelto dall’elenco ufficiale fornito con l’applicazione.',
  },
  {
    id: 'codice-fiscale',
    termine: 'Codice fiscale / partita IVA del pagatore',
    sinonimi: ['codice fiscale', 'partita IVA', 'P.IVA', 'CF', 'pagatore', 'ANONIMO'],
    definizione:
      'Il codice di chi deve pagare: per una persona fisica (F) di norma il codice fiscale di 16 caratteri, per una persona giuridica (G), come un’impresa, la partita IVA o il codice fiscale di 11 cifre. MyPay ne verifica il carattere di controllo; «ANONIMO» è accettato solo per una persona fisica e se il tipo dovuto lo permette.',
  },
  {
    id: 'ricevuta',
    termine: 'Ricevuta (RT)',
    sinonimi: ['RT', 'Ricevuta Telematica', 'pagamento'],
    definizione:
      'La prova di un pagamento: la Ricevuta Telematica che MyPay Desk scarica da MyPay. Dice chi ha pagato, quanto, quando e quale dovuto (tramite IUD e IUV), con lo IUR del PSP.',
  },
  {
    id: 'iur',
    termine: 'IUR',
    sinonimi: ['Identificativo Univoco di Riscossione'],
    definizione:
      'Identificativo Univoco di Riscossione: il riferimento che il PSP assegna al singolo pagamento incassato, come il CRO o il TRN di un bonifico. Compare nella ricevuta.',
  },
  {
    id: 'esito',
    termine: 'Esito',
    definizione:
      'Il risultato di un’operazione: di un flusso (accettato o rifiutato da MyPay, con le righe caricate e quelle scartate), di una singola riga o di un pagamento (eseguito o non eseguito).',
  },
  {
    id: 'mypay',
    termine: 'MyPay',
    definizione:
      'La piattaforma regionale che collega l’Ente a pagoPA: riceve i dovuti, genera IUV e avvisi, raccoglie i pagamenti e ne restituisce le ricevute. MyPay Desk lavora con MyPay per conto dell’Ente.',
  },
  {
    id: 'pagopa',
    termine: 'pagoPA',
    definizione:
      'Il sistema nazionale dei pagamenti verso la pubblica amministrazione, gestito da PagoPA S.p.A. Con il numero avviso il cittadino paga presso un PSP a sua scelta.',
  },
  {
    id: 'psp',
    termine: 'PSP',
    sinonimi: ['Prestatore di Servizi di Pagamento'],
    definizione:
      'Prestatore di Servizi di Pagamento: la banca, l’ufficio postale o un altro operatore abilitato a pagoPA presso cui il cittadino paga. Il PSP attesta il pagamento e versa il denaro all’Ente.',
  },
  {
    id: 'ente',
    termine: 'Ente',
    sinonimi: ['ente creditore'],
    definizione:
      'L’ente creditore, cioè l’amministrazione che incassa: per esempio il suo Comune. MyPay lo riconosce dal codice IPA; sull’avviso compare il suo codice fiscale di 11 cifre.',
  },
  {
    id: 'codice-ipa',
    termine: 'Codice IPA',
    definizione:
      'Il codice con cui l’Ente è iscritto all’Indice delle Pubbliche Amministrazioni (IPA), per esempio c_x123. MyPay lo usa per riconoscere l’Ente, e compare all’inizio del nome di ogni flusso.',
  },
  {
    id: 'codice-segregazione',
    termine: 'Codice di segregazione',
    sinonimi: ['codice segregazione'],
    definizione:
      'Due cifre assegnate da PagoPA S.p.A. a ciascun sistema che genera gli IUV dell’Ente, perché due sistemi non producano mai lo stesso codice. Sono le cifre 2 e 3 del numero avviso; va inserito come lo comunica MyPay.',
  },
  {
    id: 'ambiente',
    termine: 'Ambiente (demo, collaudo, produzione)',
    sinonimi: ['ambiente', 'demo', 'collaudo', 'produzione'],
    definizione:
      'Il MyPay a cui la finestra si collega: «demo» è un MyPay simulato dentro l’applicazione, con dati inventati che non escono dal computer; «collaudo» è il MyPay di prova, per le verifiche prima di partire; «produzione» è quello vero, con i pagamenti reali dei cittadini.',
  },
  {
    id: 'bozza',
    termine: 'Bozza',
    definizione:
      'Un dovuto salvato solo sul computer e non ancora pronto, anche con errori da correggere: nulla di quanto scritto va perso. Non parte con i flussi finché non è segnato come pronto.',
  },
  {
    id: 'pronto',
    termine: 'Pronto',
    definizione:
      'Un dovuto completo e senza errori che attende il prossimo flusso: «Prepara i flussi» raccoglie tutti i dovuti pronti.',
  },
  {
    id: 'inviato',
    termine: 'Inviato',
    definizione:
      'Un dovuto partito in un flusso che attende la risposta di MyPay. Finché la risposta non arriva non si può annullare.',
  },
  {
    id: 'caricato',
    termine: 'Caricato',
    definizione:
      'Un dovuto che MyPay ha accettato: ha il suo IUV e il cittadino lo può pagare. Se lo si modifica, la modifica parte con il prossimo flusso.',
  },
  {
    id: 'rendicontazione',
    termine: 'Rendicontazione',
    sinonimi: ['flusso di rendicontazione', 'FdR'],
    definizione:
      'Il flusso di rendicontazione (FdR) è l’elenco con cui un PSP comunica all’Ente quali pagamenti ha versato con un certo bonifico, con IUV, IUR e importo di ciascuno; serve a far quadrare gli incassi con il conto di tesoreria. Non va confuso con i flussi dei dovuti che MyPay Desk invia a MyPay.',
  },
  {
    id: 'causale',
    termine: 'Causale',
    definizione:
      'Il testo che spiega al cittadino che cosa paga, per esempio «TARI 2027 - rata 1». Compare sull’avviso e nella ricevuta.',
  },
  {
    id: 'scadenza',
    termine: 'Scadenza',
    definizione:
      'La data entro cui pagare, scritta gg/mm/aaaa. Se il tipo dovuto ha la scadenza obbligatoria, MyPay rifiuta il pagamento dal giorno dopo; altrimenti la data è solo indicativa.',
  },
  {
    id: 'abbinamento',
    termine: 'Abbinamento',
    definizione:
      'Il legame tra una ricevuta scaricata e il dovuto sul computer: «Pagato», «Importo diverso» (pagata una somma diversa da quella dovuta), «Sconosciuto in locale» (nessun dovuto corrispondente) o «Pagato due volte».',
  },
]

/** The help of each section: keys are the ids of `SEZIONI` in App.tsx, plus "primo-avvio" (the
 *  window before an Ente exists). */
export const AIUTO: Record<string, AiutoSezione> = {
  'primo-avvio': {
    titolo: 'Primo avvio',
    testo: [
      'Prima di iniziare, MyPay Desk ha bisogno dei dati del suo Ente.',
      'Con «Prova con dati dimostrativi» può esplorare la finestra con un Ente di prova e dovuti inventati: nulla viene inviato a MyPay, e ogni schermata è marcata DEMO.',
      'Con «Configura l’Ente» inserisca in tre passi denominazione, codice IPA, codice fiscale e codice di segregazione, poi l’ambiente e l’indirizzo di MyPay, infine la password del servizio (può inserirla anche più tardi).',
    ],
    termini: ['ente', 'codice-ipa', 'codice-segregazione', 'ambiente', 'mypay'],
  },
  home: {
    titolo: 'Home',
    testo: [
      'La Home riassume la situazione dei dovuti del suo Ente.',
      'Vede quanti dovuti ci sono in ogni stato e, per ogni mese di scadenza, quanto era atteso e quanto è stato incassato.',
      'Il riquadro «Da controllare» conta i dovuti scartati da MyPay, quelli pronti da inviare e i flussi in attesa di esito: prosegua da Dovuti o da Flussi.',
    ],
    termini: ['dovuto', 'bozza', 'pronto', 'caricato', 'scarto', 'flusso', 'esito', 'scadenza'],
  },
  dovuti: {
    titolo: 'Dovuti',
    testo: [
      'Qui trova tutti i dovuti del suo Ente, con filtri per stato, tipo dovuto e scadenza e una ricerca per nome, codice fiscale, causale o IUD; uno IUV o un numero avviso completo trova subito il dovuto.',
      'Con un clic apre la scheda del dovuto: la corregga e prema «Salva»; spunti «Se non ci sono errori, segna come pronto» perché parta con il prossimo flusso.',
      'Una bozza si salva anche con errori; il pallino rosso nell’elenco indica le bozze da correggere.',
      'Selezioni più righe e prema «Segna come pronti» o «Annulla dovuti»: per ogni dovuto la finestra dice che cosa ha fatto e, se non ha potuto, perché.',
      'Una posizione (per esempio la TARI di una famiglia: rata unica e rate) è una riga sola con il suo stato e il suo importo; con Invio o un clic mostra le sue rate, ciascuna un dovuto. «Nuova posizione…» ne crea una: pagatore, oggetto e, nella parte «Rate», la rata unica e le rate con importo e scadenza; la somma delle rate si confronta con la rata unica mentre scrive. Nella scheda di una rata, finché nessuna è pagata, «Modifica le rate…» cambia importi e scadenze, aggiunge o toglie rate; quelle già su MyPay partono con il prossimo flusso. «Stampa l’avviso pagoPA…» salva l’avviso della posizione in PDF.',
    ],
    termini: ['dovuto', 'iud', 'iuv', 'numero-avviso', 'codice-fiscale', 'tipo-dovuto', 'causale', 'scadenza', 'bozza', 'pronto', 'inviato', 'caricato'],
  },
  importa: {
    titolo: 'Importa dovuti',
    testo: [
      'Qui carica molti dovuti insieme da un foglio Excel, LibreOffice o CSV, per esempio il ruolo della TARI.',
      'Trascini il file nella finestra o prema «Scegli file…»; con «Scarica il modello Excel» ottiene un foglio già pronto da compilare.',
      'Le colonne si abbinano da sole: le controlli e scelga il tipo dovuto se il foglio non lo indica; poi prema «Importa», oppure «Solo verifica» per un controllo che non salva nulla.',
      'Le righe valide diventano dovuti pronti per il prossimo flusso; quelle con errori diventano bozze da correggere in Dovuti.',
      'Per un ruolo con le rate scriva una riga per famiglia con le colonne «Importo rata unica», «Scadenza rata unica», «Importo 1ª rata», «Scadenza 1ª rata» e così via (il modello Excel le ha già): ogni riga diventa una posizione con la rata unica e le rate, e il resoconto dice quante posizioni ha letto.',
    ],
    termini: ['dovuto', 'tipo-dovuto', 'codice-fiscale', 'causale', 'scadenza', 'pronto', 'bozza', 'tracciato'],
  },
  flussi: {
    titolo: 'Flussi',
    testo: [
      'Qui invia a MyPay i dovuti pronti e ne segue l’esito.',
      '«Prepara i flussi» raccoglie i dovuti pronti, e le modifiche e gli annullamenti in attesa, in uno o più flussi; «Invia a MyPay» li porta fino all’esito, con una barra di avanzamento.',
      '«Annulla» si ferma al primo punto sicuro: ciò che è stato fatto resta salvato e il prossimo invio riprende da lì.',
      'Per ogni flusso vede i passi e le righe scartate da MyPay con il motivo: un clic apre il dovuto da correggere, poi prema «Prepara e invia i dovuti corretti».',
    ],
    termini: ['flusso', 'pronto', 'inviato', 'caricato', 'scarto', 'esito', 'iuv', 'tracciato'],
  },
  ricevute: {
    titolo: 'Ricevute',
    testo: [
      'Qui scarica da MyPay i pagamenti incassati e li abbina ai dovuti.',
      '«Scarica ricevute» porta tutto ciò che MyPay ha incassato dall’ultimo scaricamento.',
      'Ogni ricevuta mostra il suo abbinamento; un clic apre il dettaglio con la ricevuta telematica e il collegamento al dovuto.',
      '«Esporta in Excel» salva l’elenco delle ricevute in un file a sua scelta.',
    ],
    termini: ['ricevuta', 'abbinamento', 'iuv', 'iud', 'iur', 'psp', 'esito'],
  },
  riconciliazione: {
    titolo: 'Riconciliazione',
    testo: [
      'Qui confronta i flussi di rendicontazione dei PSP con le ricevute scaricate da MyPay: per ogni pagamento vede lo stato e, se qualcosa non torna, il motivo.',
      '«Scarica i flussi da MyPay» scarica i flussi che MyPay ha ricevuto dall’ultimo giorno completo fino a ieri; la barra mostra i giorni completati e i flussi salvati. «Annulla» si ferma al flusso successivo: quanto già salvato resta e il prossimo scaricamento riprende da lì. Con «Scegli i giorni» scarica i flussi ricevuti da MyPay in giorni a scelta, ad esempio più vecchi.',
      '«Importa flussi…» legge i file XML dei flussi (anche più di uno insieme); può anche trascinarli nella finestra. Un flusso già importato non si aggiunge di nuovo.',
      'Il grafico e la tabella contano i pagamenti e gli importi per stato; un clic su uno stato mostra quei pagamenti nell’elenco, che parte dalle anomalie.',
      'Ogni flusso mostra la quadratura: la somma delle righe accanto al totale dichiarato dal PSP e l’importo arrivato in tesoreria; un clic sul flusso apre le sue righe. «Importa il giornale di cassa…» legge il giornale della tesoreria (CSV, Excel della banca, OPI, Poste; un file trascinato nella finestra va da sé ai flussi o alla tesoreria): ogni movimento dice che cosa ha abbinato o perché no, con suggerimenti mai applicati. «Proposte di reversale» ripartisce ogni provvisorio per capitolo e accertamento, da salvare in Excel o CSV; «Esportazioni» salva i file per la ragioneria e per MyPivot.',
    ],
    termini: ['rendicontazione', 'ricevuta', 'psp', 'iuv', 'iur', 'esito'],
  },
  sportello: {
    titolo: 'Sportello',
    testo: [
      'Qui crea subito su MyPay un dovuto per il cittadino che ha davanti.',
      'Compili pagatore, importo, scadenza, tipo dovuto e causale e prema «Crea il dovuto e l’avviso»: MyPay genera lo IUV e la finestra mostra il numero avviso e apre l’avviso in PDF.',
      'Lo stesso dovuto si può modificare o annullare finché non è pagato.',
      '«Cerca», con un codice fiscale o una partita IVA, mostra le posizioni aperte del cittadino su MyPay e i suoi pagamenti.',
    ],
    termini: ['dovuto', 'iuv', 'numero-avviso', 'avviso', 'codice-fiscale', 'tipo-dovuto', 'causale', 'scadenza', 'ricevuta'],
  },
  avvisi: {
    titolo: 'Avvisi di pagamento',
    testo: [
      'Qui stampa gli avvisi pagoPA di una campagna, per esempio la TARI di un anno: scelga il tipo dovuto e l’anno della prima scadenza.',
      'La finestra dice quanti avvisi ci sono e quali posizioni restano senza avviso, e perché: già pagate, annullate, in attesa dello IUV da MyPay, con dati mancanti.',
      'Scelga la cartella e prema «Genera gli avvisi»: un PDF per famiglia, i file di stampa ordinati per CAP e indirizzo (ogni avviso su una pagina dispari, per la stampa fronte-retro) e il manifesto in Excel e CSV per la spedizione.',
      '«Annulla» ferma la generazione senza lasciare file a metà; alla fine «Apri la cartella» mostra i file.',
    ],
    termini: ['avviso', 'codice-avviso', 'iuv', 'tipo-dovuto', 'scadenza', 'codice-fiscale'],
  },
  ente: {
    titolo: 'Ente e adesione',
    testo: [
      'Qui tiene i dati del suo Ente che servono a MyPay e all’adesione a pagoPA.',
      'Compili codici, PEC, indirizzo, referenti, conti e tipi dovuto, con la tassonomia scelta dall’elenco: ogni campo è controllato mentre scrive.',
      'Il riquadro in alto dice che cosa manca ancora e perché serve.',
      '«Genera documenti» prepara l’atto di adesione, il modulo informativa e il promemoria PEC; più sotto registri le date dei passi dell’adesione.',
    ],
    termini: ['ente', 'codice-ipa', 'codice-segregazione', 'tipo-dovuto', 'tassonomia', 'mypay', 'pagopa'],
  },
  contributo: {
    titolo: 'Contributo regionale',
    testo: [
      'Qui calcola il contributo regionale alle spese di adesione del suo Ente.',
      'Vede la percentuale con il motivo, la spesa stimata e il contributo che ne deriva; i valori predefiniti ancora da verificare sono segnalati.',
      'Registri gli importi richiesti, concessi e incassati con data e riferimento; «Riepilogo PDF» e «Riepilogo Excel» salvano il riepilogo dove sceglie.',
      'Nel riquadro «Simulazione» può provare altri valori senza cambiare i dati dell’Ente.',
    ],
    termini: ['ente', 'mypay', 'pagopa'],
  },
  impostazioni: {
    titolo: 'Impostazioni',
    testo: [
      'Qui imposta il collegamento a MyPay e custodisce i dati del computer.',
      'Scelga l’ambiente e l’indirizzo di MyPay, salvi la password del servizio nel portachiavi di Windows e prema «Verifica connessione»: la password non viene più mostrata né scritta nei file.',
      '«Salva copia di sicurezza…» conserva una copia dei dati; «Ripristina da una copia…» la riporta, dopo averle mostrato che cosa contiene.',
    ],
    termini: ['ambiente', 'mypay', 'codice-ipa'],
  },
  rapporto: {
    titolo: 'Resoconto',
    testo: [
      'Il resoconto riassume per la ragioneria o per il sindaco le entrate del suo Ente: quanto è atteso, quanto è stato incassato, quanto resta da incassare e quanto è già scaduto, per tipo dovuto e per mese.',
      'L’elenco dei debitori con dovuti scaduti serve per i solleciti: per ciascuno il numero di dovuti, l’importo e la scadenza più vecchia.',
      'Con «Salva PDF…» ottiene una pagina da stampare o allegare; con «Salva Excel…» gli stessi dati in un foglio di calcolo.',
    ],
    termini: ['dovuto', 'tipo-dovuto', 'scadenza', 'ricevuta', 'caricato'],
  },
}

/** The glossary entry with this id. */
export function voce(id: string): VoceGlossario | undefined {
  return GLOSSARIO.find((v) => v.id === id)
}

/** The help of a section (the Home's if the id is unknown, so the panel always has something). */
export function aiutoDi(sezione: string): AiutoSezione {
  return AIUTO[sezione] ?? AIUTO.home
}

/** Lower case, without accents and typographic apostrophes: "Attività" ~ "attivita". */
function normalizza(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’‘]/g, "'")
    .toLowerCase()
}

/** The glossary entries matching every word of `testo` (in the term, its other names or its
 *  definition, any case, with or without accents), best first: a term named exactly so, then
 *  terms whose name has words starting so, then the other names, then the definitions. The
 *  whole glossary, in order, for an empty text. */
export function cercaGlossario(testo: string): VoceGlossario[] {
  const cercato = normalizza(testo).trim().replace(/\s+/g, ' ')
  const parole = cercato.split(' ').filter(Boolean)
  if (parole.length === 0) return GLOSSARIO
  const punteggio = (v: VoceGlossario): number | null => {
    const nomi = [v.termine, ...(v.sinonimi ?? [])].map(normalizza)
    const nome = nomi.join(' ')
    const paroleNome = nome.split(/[^a-z0-9]+/)
    if (nomi.includes(cercato)) return 0
    if (parole.every((p) => paroleNome.some((w) => w.startsWith(p)))) return 1
    if (parole.every((p) => nome.includes(p))) return 2
    const tutto = `${nome} ${normalizza(v.definizione)}`
    return parole.every((p) => tutto.includes(p)) ? 3 : null
  }
  return GLOSSARIO.map((v) => ({ v, p: punteggio(v) }))
    .filter((x): x is { v: VoceGlossario; p: number } => x.p !== null)
    .sort((a, b) => a.p - b.p)
    .map((x) => x.v)
}
