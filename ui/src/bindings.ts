// Generated from the Rust types of mpd-app by ts-rs: do not edit by hand.
// Refresh: MPD_AGGIORNA_BINDINGS=1 cargo test -p mpd-app bindings

/**
 * What a submission reports while it runs.
 */
export type Avanzamento = { "tipo": "flusso", indice: number, totale: number, nome: string, } | { "tipo": "evento", evento: EventoSync, };

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
 * An operation's failure: its code and the clerk's message. Serialised as the window has
 * always received it: `{ codice, messaggio }`.
 */
export type Errore = { codice: Codice, messaggio: string, };

/**
 * Debts left out of the expected amounts.
 */
export type EsclusiRapporto = { dovuti: number, importo_cents: number, };

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
 * The document to write.
 */
export type FormatoRapporto = "pdf" | "xlsx";

/**
 * Amounts of one group of expected debts (cents; counts of debts).
 */
export type ImportiRapporto = { dovuti: number, atteso_cents: number, pagati: number, incassato_cents: number, da_incassare: number, residuo_cents: number, scaduti: number, scaduto_cents: number, };

/**
 * How a summary should look.
 */
export type Livello = "successo" | "avviso" | "errore";

/**
 * A payer with overdue debts, for the reminders.
 */
export type Moroso = { codice_pagatore: string, anagrafica: string, dovuti: number, importo_cents: number, 
/**
 * `YYYY-MM-DD`.
 */
scadenza_piu_vecchia: string, };

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
 * The report.
 */
export type Rapporto = { 
/**
 * The Ente's name (empty when no Ente is configured).
 */
ente: string, 
/**
 * The report's date, `YYYY-MM-DD`: overdue means due before it.
 */
data: string, totale: ImportiRapporto, per_tipo: Array<RapportoTipo>, per_mese: Array<RapportoMese>, 
/**
 * Expected debts whose due date is missing or unreadable: in the totals, not the months.
 */
senza_scadenza: ImportiRapporto, bozze: EsclusiRapporto, annullati: EsclusiRapporto, 
/**
 * Largest amount first.
 */
morosi: Array<Moroso>, 
/**
 * The footnotes: what is counted and what is not.
 */
note: Array<string>, };

/**
 * One month's amounts (month of the due date).
 */
export type RapportoMese = { 
/**
 * `YYYY-MM`.
 */
mese: string, 
/**
 * `novembre 2026`.
 */
etichetta: string, importi: ImportiRapporto, };

/**
 * One payment type's amounts.
 */
export type RapportoTipo = { tipo_dovuto: string, 
/**
 * The type's description from the Ente's catalogue (the code when unknown).
 */
descrizione: string, importi: ImportiRapporto, };

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
