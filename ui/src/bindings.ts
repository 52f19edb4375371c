// Generated from the Rust types of mpd-app by ts-rs: do not edit by hand.
// Refresh: MPD_AGGIORNA_BINDINGS=1 cargo test -p mpd-app bindings

/**
 * How a receipt relates to the local debts.
 */
export type Abbinamento = "pagato" | "importo_diverso" | "sconosciuto" | "doppio";

/**
 * What a submission reports while it runs.
 */
export type Avanzamento = { "tipo": "flusso", indice: number, totale: number, nome: string, } | { "tipo": "evento", evento: EventoSync, };

/**
 * What a download reports while it runs.
 */
export type AvanzamentoRicevute = { "tipo": "evento", evento: EventoSync, };

/**
 * What kind of failure, for a front end to branch on (never on the message's text).
 */
export type Codice = "argomento" | "non_valido" | "ente_mancante" | "profilo_ente" | "dovuto_inesistente" | "flusso_inesistente" | "non_consentito" | "database" | "database_occupato" | "database_recente" | "lettura_file" | "scrittura_file" | "file_non_valido" | "ripristino" | "adesione" | "impostazioni" | "password_mancante" | "portachiavi" | "mypay_non_raggiunto" | "mypay_guasto" | "mypay_rifiuto" | "annullato" | "occupato" | "invio_incompleto" | "solo_demo" | "interno";

/**
 * A flow with its recorded steps (for the timeline) and its rejected rows.
 */
export type DettaglioFlusso = { flusso: FlussoRiga, 
/**
 * Audit entries of the flow, oldest first (`flusso.autorizzato`, `flusso.caricato`,
 * `flusso.in_elaborazione`, `flusso.esito`, `flusso.rifiutato`).
 */
eventi: Array<EventoFlusso>, scarti: Array<Scarto>, };

/**
 * The counter form, as the clerk typed it (amount `1.234,56`, due date `dd/mm/yyyy`): missing
 * or blank = not given; on a change, not given = keep the current value. There is no IUV: MyPay
 * generates it.
 */
export type DovutoSportello = { 
/**
 * The debt's IUD at creation (default: generated); on a change it cannot differ.
 */
iud?: string, 
/**
 * Codice fiscale or partita IVA (or ANONIMO where the payment type allows it).
 */
codice_pagatore?: string, 
/**
 * F natural person, G legal person (default: from the code).
 */
tipo_pagatore?: string, anagrafica?: string, importo?: string, scadenza?: string, 
/**
 * The payment type's code (default: the only active one).
 */
tipo?: string, causale?: string, email?: string, indirizzo?: string, civico?: string, cap?: string, localita?: string, provincia?: string, nazione?: string, };

/**
 * An operation's failure: its code and the clerk's message. Serialised as the window has
 * always received it: `{ codice, messaggio }`.
 */
export type Errore = { codice: Codice, messaggio: string, };

/**
 * A debt left out of the flows, and why (it stays waiting).
 */
export type Escluso = { riga: number, iud: string, problemi: Array<Problema>, };

/**
 * One flow's outcome in a submission.
 */
export type EsitoFlusso = { id: number, nome: string, esito: EsitoFlussoTipo, stato: StatoFlusso, 
/**
 * The flow's state in words.
 */
stato_it: string, righe: number, caricate: number, scartate: number, 
/**
 * File-level refusal explained in Italian.
 */
esito_messaggio: string | null, 
/**
 * Why it was not sent (the last error after the retries).
 */
errore: Errore | null, 
/**
 * The notices zip, when asked for.
 */
avvisi: string | null, 
/**
 * Its rejected rows, explained.
 */
scarti: Array<Scarto>, };

/**
 * How one flow of a submission ended.
 */
export type EsitoFlussoTipo = "elaborato" | "rifiutato" | "in_attesa" | "non_inviato" | "annullato";

/**
 * The report of a submission.
 */
export type EsitoInvio = { 
/**
 * Flows built first (with `prepara`).
 */
flussi_preparati: number, 
/**
 * Every flow asked for, in order, with its outcome.
 */
flussi: Array<EsitoFlusso>, 
/**
 * The clerk cancelled: what was done is saved, the rest resumes next time.
 */
annullato: boolean, riepilogo: Riepilogo, };

/**
 * What a download did.
 */
export type EsitoRicevute = { 
/**
 * The exports read (local ids).
 */
esportazioni: Array<number>, 
/**
 * The files downloaded.
 */
file: Array<string>, riepilogo: RiepilogoRicevute, 
/**
 * Where the next incremental download starts.
 */
cursore: string | null, 
/**
 * MyPay is still preparing the export: the next download finishes it.
 */
in_attesa: boolean, };

/**
 * The outcome of a download: what it did, or that the clerk stopped it (what was read is
 * saved; the next download resumes).
 */
export type EsitoScarico = { esito: EsitoRicevute | null, annullato: boolean, };

/**
 * A debt created or changed at the counter.
 */
export type EsitoSportello = { iud: string, iuv: string | null, 
/**
 * The 18-digit notice number the citizen pays with.
 */
numero_avviso: string | null, url_avviso: string | null, 
/**
 * The notice PDF saved in the notices folder, when MyPay gave a link and it downloaded.
 */
pdf: string | null, };

/**
 * A step recorded in the flow's history.
 */
export type EventoFlusso = { at: string, azione: string, oggetto: string, dettaglio: string, };

/**
 * Something the UI may show. `Step` is emitted right after a state was persisted.
 */
export type EventoSync = { "tipo": "step", oggetto: string, passo: string, } | { "tipo": "progress", fase: string, byte: number, totale: number | null, righe: number, } | { "tipo": "retry", operazione: string, tentativo: number, errore: string, attesa_ms: number, } | { "tipo": "waiting", oggetto: string, stato: string, };

/**
 * A flow just built.
 */
export type FlussoPreparato = { id: number, nome: string, percorso: string, righe: number, byte_zip: number, byte_csv: number, };

/**
 * A flow as the list shows it.
 */
export type FlussoRiga = { id: number, nome: string, 
/**
 * FlussoStato code: built authorised uploaded processing done aborted.
 */
stato: StatoFlusso, etichetta: string, versione: string, righe: number, caricate: number, scartate: number, creato_at: string, aggiornato_at: string, 
/**
 * File-level refusal explained in Italian.
 */
esito_messaggio: string | null, 
/**
 * The state MyPay last reported (LOAD_IMPORT, IMPORT_IN_ELAB…).
 */
stato_mypay: string | null, 
/**
 * The last failed step (network, MyPay down) and how many times it failed.
 */
ultimo_errore: string | null, tentativi: number, };

/**
 * How a summary should look.
 */
export type Livello = "successo" | "avviso" | "errore";

/**
 * What the live payment check found.
 */
export type PagamentiPagatore = { pagamenti: Array<PagamentoMyPay>, 
/**
 * Debts asked about.
 */
controllati: number, 
/**
 * Debts left unasked (over the limit).
 */
non_controllati: number, 
/**
 * Debts whose answer could not be read (the message, per IUV).
 */
errori: Array<string>, };

/**
 * What the emulator paid.
 */
export type PagamentiSimulati = { 
/**
 * The Ente's open debts at MyPay.
 */
aperti: number, 
/**
 * Those it paid.
 */
pagati: number, };

/**
 * A payment of the payer found among the downloaded receipts.
 */
export type Pagamento = { iuv: string, iud: string, importo_cents: number, data_esito: string, psp: string, 
/**
 * The receipt's match in words.
 */
esito: string, };

/**
 * A payment MyPay reports now for one of the payer's debts.
 */
export type PagamentoMyPay = { iud: string, iuv: string, 
/**
 * As MyPay writes it (`12.50`).
 */
importo: string | null, 
/**
 * `yyyy-mm-dd`.
 */
data_esito: string | null, iur: string | null, 
/**
 * `codiceEsitoPagamento`: 0 paid, 2 partially paid.
 */
codice_esito: string | null, };

/**
 * A position of the payer still to be paid at MyPay.
 */
export type PosizioneAperta = { 
/**
 * The Ente it belongs to (MyPay answers for every Ente).
 */
cod_ipa: string, ente: string, url_pagamento: string | null, iud: string | null, iuv: string | null, 
/**
 * As MyPay writes it (`12.50`).
 */
importo: string | null, causale: string | null, tipo_dovuto: string | null, scadenza: string | null, };

/**
 * What the counter finds for a payer.
 */
export type PosizioniPagatore = { 
/**
 * The payer code, normalised.
 */
codice: string, 
/**
 * Open positions at MyPay.
 */
aperte: Array<PosizioneAperta>, 
/**
 * Payments among the receipts downloaded so far.
 */
pagamenti: Array<Pagamento>, 
/**
 * Payments MyPay reports now for the payer's debts not yet paid here
 * (`paaSILChiediPagatiConRicevuta` by IUV, newest debts first).
 */
pagamenti_mypay: PagamentiPagatore, };

/**
 * What "Prepara i flussi" did.
 */
export type Preparazione = { versione: string, flussi: Array<FlussoPreparato>, righe_i: number, righe_m: number, righe_a: number, esclusi: Array<Escluso>, riepilogo: Riepilogo, };

/**
 * One problem of a row, as the clerk reads it.
 */
export type Problema = { 
/**
 * MyPay's rule code or ours (for the log and scripts; the window does not show it).
 */
codice: string, 
/**
 * The column header, as in the file.
 */
campo: string | null, valore: string | null, messaggio: string, 
/**
 * It stops the row (else a warning).
 */
grave: boolean, };

/**
 * A receipt's detail, RT included.
 */
export type RicevutaDettaglio = { causale: string, tipo_dovuto: string, esito: string, psp_id: string, codice_versante: string, 
/**
 * The RT base64 as MyPay sent it (sometimes encoded twice, sometimes XML already).
 */
rt_base64: string | null, ricevuto_at: string, };

/**
 * A receipt as the list shows it.
 */
export type RicevutaRiga = { id: number, iuv: string, iur: string, iud: string, importo_cents: number, 
/**
 * `yyyy-mm-dd`.
 */
data_esito: string, psp: string, codice_pagatore: string, pagatore: string, 
/**
 * How it matched the local debts.
 */
esito: Abbinamento, 
/**
 * The match in words.
 */
etichetta: string, 
/**
 * The local debt it matched, if any.
 */
dovuto_iud: string | null, };

/**
 * What a submission was asked to do.
 */
export type RichiestaInvio = { 
/**
 * Flows by id or name; empty: every unfinished flow, oldest first.
 */
flussi: Array<string>, 
/**
 * Build flows from the debts waiting to go first (the "re-send" of corrected rows).
 */
prepara: boolean, 
/**
 * Also download the payment notices' PDF (`_AVVISI_PDF`).
 */
avvisi: boolean, };

/**
 * The sentence that sums up a piece of work, and how it should look.
 */
export type Riepilogo = { livello: Livello, testo: string, };

/**
 * What reading receipts did: rows read, new, already stored, and how the new ones matched.
 */
export type RiepilogoRicevute = { lette: number, nuove: number, gia_presenti: number, pagato: number, importo_diverso: number, sconosciuto: number, doppio: number, };

/**
 * A rejected row: the clerk's source row, MyPay's code and the Italian explanation.
 */
export type Scarto = { 
/**
 * Row of the flow file.
 */
riga: number, iud: string, 
/**
 * Row of the clerk's sheet the debt came from, if imported.
 */
sorgente_riga: number | null, codice: string | null, 
/**
 * Our explanation, else MyPay's own text.
 */
spiegazione: string, 
/**
 * The debt's state now (rejected until fixed; ready once corrected).
 */
stato_dovuto: string | null, };

/**
 * The states of a flow, as the window receives them.
 */
export type StatoFlusso = "built" | "authorised" | "uploaded" | "processing" | "done" | "aborted";
