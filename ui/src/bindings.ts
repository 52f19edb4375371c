// Generated from the Rust types of mpd-app by ts-rs: do not edit by hand.
// Refresh: MPD_AGGIORNA_BINDINGS=1 cargo test -p mpd-app bindings

/**
 * What a submission reports while it runs.
 */
export type Avanzamento = { "tipo": "flusso", indice: number, totale: number, nome: string, } | { "tipo": "evento", evento: EventoSync, };

/**
 * The contribution of the stored profile, with the estimate it used (none when the expense
 * was given instead of the items').
 */
export type CalcoloProfilo = { stima: Stima | null, 
/**
 * The rules' id and act.
 */
misura: string, atto: string, ammissibile: boolean, percentuale: number, 
/**
 * One sentence: "80%: comune montano con 4.200 abitanti, soglia 5.000".
 */
motivo: string, 
/**
 * Number (from 1) of the rule that applied, if one did.
 */
regola: number | null, tipo_ente: string, popolazione: number | null, modalita: Array<string>, 
/**
 * An input is missing or undated: the result must be confirmed (the warnings say why).
 */
provvisorio: boolean, 
/**
 * Decimal amounts as text (`"9600.00"`).
 */
spesa: string | null, 
/**
 * The expense after the cap, if the rules have one.
 */
spesa_ammessa: string | null, contributo: string | null, arrotondamento: "commerciale" | "difetto", avvisi: Array<string>, da_verificare: Array<string>, };

/**
 * What kind of failure, for a front end to branch on (never on the message's text).
 */
export type Codice = "argomento" | "non_valido" | "ente_mancante" | "profilo_ente" | "dovuto_inesistente" | "flusso_inesistente" | "non_consentito" | "database" | "database_occupato" | "database_recente" | "lettura_file" | "scrittura_file" | "file_non_valido" | "ripristino" | "adesione" | "impostazioni" | "password_mancante" | "portachiavi" | "mypay_non_raggiunto" | "mypay_guasto" | "mypay_rifiuto" | "annullato" | "occupato" | "invio_incompleto" | "solo_demo" | "interno";

/**
 * The completeness check: what is missing or wrong, and why it matters.
 */
export type Completezza = { 
/**
 * No errors: the documents can be written.
 */
completo: boolean, problemi: Array<ProblemaProfilo>, };

/**
 * A standard cost of the rules in use, for the expense item editor.
 */
export type CostoVista = { codice: string, descrizione: string, importo: string | null, da_verificare: boolean, };

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
 * A field that is not acceptable: `campo` is the form's key (`codice_fiscale`, `conti.0.iban`,
 * `tipi.1.tassonomia`), `messaggio` names the field for the clerk and says why.
 */
export type ErroreCampo = { campo: string, messaggio: string, };

/**
 * A debt left out of the flows, and why (it stays waiting).
 */
export type Escluso = { riga: number, iud: string, problemi: Array<Problema>, };

/**
 * The result of a computation, with its reason.
 */
export type EsitoContributo = { 
/**
 * The rules' id and act.
 */
misura: string, atto: string, ammissibile: boolean, percentuale: number, 
/**
 * One sentence: "80%: comune montano con 4.200 abitanti, soglia 5.000".
 */
motivo: string, 
/**
 * Number (from 1) of the rule that applied, if one did.
 */
regola: number | null, tipo_ente: string, popolazione: number | null, modalita: Array<string>, 
/**
 * An input is missing or undated: the result must be confirmed (the warnings say why).
 */
provvisorio: boolean, 
/**
 * Decimal amounts as text (`"9600.00"`).
 */
spesa: string | null, 
/**
 * The expense after the cap, if the rules have one.
 */
spesa_ammessa: string | null, contributo: string | null, arrotondamento: "commerciale" | "difetto", avvisi: Array<string>, da_verificare: Array<string>, };

/**
 * The outcome of writing the adhesion documents: the files written, or what is missing.
 */
export type EsitoDocumenti = { 
/**
 * The profile had no errors and the documents were written.
 */
completo: boolean, cartella: string | null, file: Array<string>, 
/**
 * Errors of the completeness check: no document was written.
 */
mancanti: Array<ProblemaProfilo>, 
/**
 * Warnings printed in the documents as things to verify.
 */
avvisi: Array<ProblemaProfilo>, };

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
 * How serious a [`ProblemaProfilo`] is: an error stops the documents, a warning does not.
 */
export type Gravita = "errore" | "avviso";

/**
 * An amount recorded and what the contribution shows now.
 */
export type ImportoRegistrato = { movimento: Movimento, stato: StatoContributo, };

/**
 * How a summary should look.
 */
export type Livello = "successo" | "avviso" | "errore";

/**
 * The rules in use, as the screen shows them.
 */
export type MisuraVista = { nome: string, atto: string, versione: string, da_verificare: Array<string>, costi_standard: Array<CostoVista>, massimale: string | null, 
/**
 * Edited by the clerk rather than the shipped preset.
 */
personalizzata: boolean, };

/**
 * An account the Ente collects on.
 */
export type ModuloConto = { iban: string, 
/**
 * `tesoreria` or `postale`.
 */
tipo: string, intestatario: string, descrizione: string, };

/**
 * The whole profile as the window's form: every value as typed, so a form sent back with
 * errors loses nothing.
 */
export type ModuloEnte = { denominazione: string, codice_ipa: string, codice_fiscale: string, codice_segregazione: string, pec: string, indirizzo: string, 
/**
 * A kind of Ente's code ([`TabelleAdesione::tipi_ente`]), or empty.
 */
tipo_ente: string, codice_istat: string, popolazione: string, popolazione_fonte: string, 
/**
 * `gg/mm/aaaa`.
 */
popolazione_data: string, 
/**
 * Mode codes ([`TabelleAdesione::modalita`]).
 */
modalita: Array<string>, legale_rappresentante: string, referente_amministrativo: ModuloReferente, referente_tecnico: ModuloReferente, conti: Array<ModuloConto>, tipi: Array<ModuloTipo>, };

/**
 * A contact person.
 */
export type ModuloReferente = { nome: string, codice_fiscale: string, email: string, telefono: string, ruolo: string, };

/**
 * A payment type with its adhesion data.
 */
export type ModuloTipo = { codice: string, descrizione: string, 
/**
 * The taxonomy code as MyPay wants it: `9/0101101IM/`.
 */
tassonomia: string, attivo: boolean, 
/**
 * Anonymous payer allowed.
 */
cf_anonimo: boolean, scadenza_obbligatoria: boolean, stampa_data_scadenza: boolean, importo_predefinito: string, causale_predefinita: string, scadenza_predefinita: string, iban: string, 
/**
 * Accounting chapter.
 */
capitolo: string, 
/**
 * `base`, `per-flussi`, `presso-ente` or empty (the Ente's mode).
 */
modalita: string, };

/**
 * A requested, granted or received amount with its date and reference.
 */
export type Movimento = { id: number | null, tipo: "richiesto" | "concesso" | "incassato", importo: string, data: string, riferimento: string | null, };

/**
 * An adhesion step with the date recorded, if any.
 */
export type PassoRegistrato = { 
/**
 * `delibera`, `pec-inviata`, `riscontro-regione`, `pre-esercizio`, `esercizio`.
 */
passo: string, nome: string, data: string | null, nota: string | null, };

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
 * One thing missing or wrong in the profile: the field (as named in the profile file), what
 * is wrong and why it matters for the adhesion or the contribution.
 */
export type ProblemaProfilo = { campo: string, gravita: Gravita, messaggio: string, perche: string, };

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
 * An item with its value under the rules in use.
 */
export type RigaStima = { voce: VoceSpesa, importo: string | null, 
/**
 * Why the value is missing or to be verified.
 */
nota: string | null, };

/**
 * The outcome of a save: nothing is stored while there are errors.
 */
export type Salvataggio = { salvato: boolean, errori: Array<ErroreCampo>, 
/**
 * Things worth knowing that did not stop the save.
 */
avvisi: Array<string>, };

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
 * A what-if as the clerk types it.
 */
export type SimulazioneContributo = { 
/**
 * A kind of Ente's code.
 */
tipo_ente: string, 
/**
 * Inhabitants as typed (`4.200`); empty: not given.
 */
popolazione: string, 
/**
 * Mode codes; none: no admissible mode (0%).
 */
modalita: Array<string>, 
/**
 * Expense as typed (`12.000,00`); empty: the rate only.
 */
spesa: string, };

/**
 * Everything the contribution shows: the computation (or why there is none), the estimate,
 * the amounts and the rules in use.
 */
export type StatoContributo = { 
/**
 * The computation for the stored profile; `None` when it cannot be computed (then
 * `calcolo_errore` says why, e.g. the kind of Ente is missing).
 */
calcolo: CalcoloProfilo | null, calcolo_errore: string | null, stima: Stima, importi: Array<Movimento>, totali: TotaliVista, misura: MisuraVista, };

/**
 * The states of a flow, as the window receives them.
 */
export type StatoFlusso = "built" | "authorised" | "uploaded" | "processing" | "done" | "aborted";

/**
 * The estimated expense: the items and their sum.
 */
export type Stima = { righe: Array<RigaStima>, totale: string, 
/**
 * Some item has no value (a standard cost still empty in the rules): the sum is partial.
 */
incompleta: boolean, };

/**
 * The pick lists of the profile and of the what-if, from the rules' own types.
 */
export type TabelleAdesione = { 
/**
 * Kinds of Ente, as the contribution rules name them.
 */
tipi_ente: Array<VoceTabella>, 
/**
 * Adhesion modes.
 */
modalita: Array<VoceTabella>, };

/**
 * Totals of the tracked amounts.
 */
export type TotaliVista = { richiesto: string, concesso: string, incassato: string, };

/**
 * An expense item added: its number and what the contribution shows now.
 */
export type VoceAggiunta = { numero: number, stato: StatoContributo, };

/**
 * An expense item as typed: a quote (`importo`) or a standard cost × quantity.
 */
export type VoceNuova = { descrizione: string, fornitore?: string, riferimento?: string, 
/**
 * `gg/mm/aaaa`.
 */
data?: string, importo?: string, 
/**
 * A standard cost's code ([`CostoVista::codice`]).
 */
costo_standard?: string, 
/**
 * Number of services for the standard cost (default 1).
 */
quantita?: number, };

/**
 * One item of the estimated expense.
 */
export type VoceSpesa = { id: number | null, descrizione: string, fornitore: string | null, 
/**
 * Quote number, CIG or other reference.
 */
riferimento: string | null, data: string | null, } & ({ "tipo": "preventivo", importo: string, } | { "tipo": "costo-standard", codice: string, quantita: number, });

/**
 * One entry of a pick list: the code files and rules use, the name the clerk reads.
 */
export type VoceTabella = { codice: string, nome: string, };

/**
 * One service of the pagoPA taxonomy.
 */
export type VoceTassonomia = { 
/**
 * `9/0101101IM/`: what a payment type's `dati_specifici_riscossione` carries.
 */
codice: string, 
/**
 * `Mense scolastiche`.
 */
nome: string, 
/**
 * The kind of body the code is meant for (`COMUNE/UNIONE DI COMUNI`, …).
 */
ente: string, 
/**
 * Valid today.
 */
valido: boolean, };
