// Generated from the Rust types of mpd-app by ts-rs: do not edit by hand.
// Refresh: MPD_AGGIORNA_BINDINGS=1 cargo test -p mpd-app bindings

/**
 * The first rows of a file and the proposed mapping, before importing.
 */
export type Anteprima = { file: string, sorgente: Sorgente, 
/**
 * Set when the file is a MyPay tracciato CSV (imported as such, no mapping).
 */
tracciato: string | null, riga_intestazione: number | null, intestazioni: Array<string>, mappatura: Mappatura, mappatura_salvata: boolean, 
/**
 * Mandatory fields with no column and no default, in Italian.
 */
mancanti: Array<string>, righe: Array<RigaAnteprima>, 
/**
 * The fields the mapping offers.
 */
campi: Array<CampoFoglio>, };

/**
 * What a submission reports while it runs.
 */
export type Avanzamento = { "tipo": "flusso", indice: number, totale: number, nome: string, } | { "tipo": "evento", evento: EventoSync, };

/**
 * How far a check or an import is.
 */
export type AvanzamentoImportazione = { fase: FaseImportazione, righe: number, totale: number | null, };

/**
 * The form's fields as the clerk typed them (`None`: leave as stored).
 */
export type CampiDovuto = { codice_pagatore?: string, tipo_pagatore?: string, anagrafica?: string, importo?: string, scadenza?: string, tipo?: string, causale?: string, email?: string, indirizzo?: string, civico?: string, cap?: string, localita?: string, provincia?: string, nazione?: string, iuv?: string, };

/**
 * A field the mapping can feed, for the window's selects.
 */
export type CampoFoglio = { chiave: string, etichetta: string, 
/**
 * The sheet must feed it (or one of `alternative`).
 */
obbligatorio: boolean, 
/**
 * Fields that may take its place (the payer's name from «cognome» and «nome»).
 */
alternative: Array<string>, };

/**
 * What kind of failure, for a front end to branch on (never on the message's text).
 */
export type Codice = "argomento" | "non_valido" | "ente_mancante" | "profilo_ente" | "dovuto_inesistente" | "flusso_inesistente" | "non_consentito" | "database" | "database_occupato" | "database_recente" | "cartella_dati" | "lettura_file" | "scrittura_file" | "file_non_valido" | "ripristino" | "adesione" | "impostazioni" | "password_mancante" | "password_rifiutata" | "portachiavi" | "mypay_non_raggiunto" | "mypay_guasto" | "mypay_rifiuto" | "esito_incerto" | "rinviato" | "annullato" | "occupato" | "invio_incompleto" | "solo_demo" | "interno";

/**
 * A column of the sheet and the field it feeds.
 */
export type ColonnaAbbinata = { campo: string, 
/**
 * 0-based column index.
 */
colonna: number, 
/**
 * The header as the clerk wrote it.
 */
intestazione: string, 
/**
 * The column's letter (`C`).
 */
lettera: string, };

/**
 * What "Prepara i flussi" would send: per payment type and in all (issue 13: the clerk sees
 * what goes before preparing, and may send one type only).
 */
export type DaInviare = { tipi: Array<GruppoDaInviare>, numero: number, importo_cents: number, };

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
 * A debt left out of the flows, and why (it stays waiting).
 */
export type Escluso = { riga: number, iud: string, problemi: Array<Problema>, };

/**
 * The outcome of a bulk action on one debt.
 */
export type EsitoAzione = { iud: string, ok: boolean, messaggio: string, };

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
 * What saving the form did.
 */
export type EsitoScheda = { salvato: boolean, 
/**
 * Problems of what was sent (errors stopped a non-draft debt from being saved).
 */
problemi: Array<Segnalazione>, 
/**
 * The debt as stored now.
 */
scheda: SchedaDovuto, };

/**
 * A step recorded in the flow's history.
 */
export type EventoFlusso = { at: string, azione: string, oggetto: string, dettaglio: string, };

/**
 * Something the UI may show. `Step` is emitted right after a state was persisted.
 */
export type EventoSync = { "tipo": "step", oggetto: string, passo: string, } | { "tipo": "progress", fase: string, byte: number, totale: number | null, righe: number, } | { "tipo": "retry", operazione: string, tentativo: number, errore: string, attesa_ms: number, } | { "tipo": "waiting", oggetto: string, stato: string, };

/**
 * The phase of a check or an import.
 */
export type FaseImportazione = "verifica" | "salvataggio";

/**
 * A file received as bytes, now on disk.
 */
export type FileCaricato = { percorso: string, nome: string, byte: number, };

/**
 * The filters of a list of debts and, for a page, where it starts and how long it is.
 */
export type FiltroDovuti = { 
/**
 * The state's English name (`ready`, `paid`…) or Italian label (`pronto`, `pagato`…).
 */
stato?: string, 
/**
 * Code of the payment type.
 */
tipo?: string, 
/**
 * IUD, payer code or name, causale.
 */
testo?: string, 
/**
 * Due date from, `YYYY-MM-DD`, inclusive.
 */
scadenzaDal?: string, 
/**
 * Due date up to, `YYYY-MM-DD`, inclusive.
 */
scadenzaAl?: string, offset: number, 
/**
 * At most this many debts (a page: 1 to [`MAX_PAGINA`]; a whole list: none = all).
 */
limit?: number, };

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
 * A worksheet of a workbook.
 */
export type Foglio = { nome: string, nascosto: boolean, };

/**
 * How a sheet was read.
 */
export type FoglioLetto = { formato: string, foglio: string, 
/**
 * The header's row number (the clerk's).
 */
riga_intestazione: number, mappatura: Mappatura, 
/**
 * The mapping came from one saved for this layout.
 */
mappatura_salvata: boolean, 
/**
 * Notes on the file (sheet chosen, formulas, merged cells, encoding…).
 */
note: Array<string>, };

/**
 * What the import reads and offers.
 */
export type Formati = { 
/**
 * Extensions of the files read, without the dot.
 */
estensioni: Array<string>, campi: Array<CampoFoglio>, };

/**
 * The debts of one payment type waiting to go to MyPay.
 */
export type GruppoDaInviare = { 
/**
 * The payment type's code.
 */
tipo: string, 
/**
 * Its description, as the Ente named it.
 */
descrizione: string, 
/**
 * New debts (rows `I`).
 */
nuovi: number, 
/**
 * Changes of debts already on MyPay (rows `M`).
 */
modifiche: number, 
/**
 * Cancellations of debts already on MyPay (rows `A`).
 */
annullamenti: number, 
/**
 * The amount of the new and changed debts, in cents.
 */
importo_cents: number, };

/**
 * How a summary should look.
 */
export type Livello = "successo" | "avviso" | "errore";

/**
 * Which column feeds which field.
 */
export type Mappatura = { colonne: Array<ColonnaAbbinata>, };

/**
 * A page of debts and, for the first page, how many match in all.
 */
export type PaginaDovuti = { 
/**
 * Counted on the first page only (`offset` 0): scrolling keeps the count it has.
 */
totale: number | null, offset: number, righe: Array<RigaDovuto>, };

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
 * What a check or an import found and did.
 */
export type Resoconto = { file: string, versione: string, righe_lette: number, righe_valide: number, importate: number, 
/**
 * Invalid rows kept as draft debts (also counted in `importate`).
 */
bozze?: number, 
/**
 * Rows with at least one error.
 */
errori: Array<RigaResoconto>, 
/**
 * Rows with only warnings (imported).
 */
avvisi: Array<RigaResoconto>, 
/**
 * How a spreadsheet was read and mapped (absent for a MyPay tracciato CSV).
 */
foglio?: FoglioLetto, };

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
 * One row of a preview, cells as shown.
 */
export type RigaAnteprima = { riga: number, celle: Array<string>, };

/**
 * One row of the window's table.
 */
export type RigaDovuto = { iud: string, stato: StatoDovuto, etichetta: string, iuv: string, codice_pagatore: string, anagrafica: string, 
/**
 * `YYYY-MM-DD` or empty.
 */
scadenza: string, importo_cents: number, tipo: string, causale: string, rifiuto: string | null, 
/**
 * A draft with problems to fix (kept by an import, or saved with errors).
 */
da_correggere: boolean, };

/**
 * The problems of one row of the file.
 */
export type RigaResoconto = { 
/**
 * The clerk's row number in the sheet (the header is row 1).
 */
riga: number, iud: string, problemi: Array<Problema>, 
/**
 * The row was kept as a draft debt under `iud`.
 */
bozza?: boolean, };

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
 * What the clerk chose for a file.
 */
export type Scelte = { 
/**
 * The file, an absolute path.
 */
percorso: string, 
/**
 * The sheet to read (default: the one that looks like a debt list).
 */
foglio?: string, 
/**
 * The payment type of rows that do not name one.
 */
tipo?: string, 
/**
 * `campo=COLONNA` (header or letter) or `campo=-` pairs over the proposed mapping.
 */
abbinamenti?: Array<string>, };

/**
 * A debt as the edit form shows it.
 */
export type SchedaDovuto = { iud: string, stato: StatoDovuto, etichetta: string, 
/**
 * The clerk may change it (the store still has the last word).
 */
modificabile: boolean, 
/**
 * Form field (see [`CampiDovuto`]) → value as the clerk writes it (`1.234,56`,
 * `31/12/2026`); a value that could not be read is shown as typed.
 */
valori: Partial<Record<keyof CampiDovuto, string>>, 
/**
 * Current problems (a draft's note, else the rules applied now).
 */
problemi: Array<Segnalazione>, 
/**
 * `file.xlsx, riga 7` for a debt that came from an import.
 */
origine: string | null, 
/**
 * MyPay's rejection, if any.
 */
rifiuto: string | null, 
/**
 * A draft with no error: it can be marked ready.
 */
pronto_possibile: boolean, };

/**
 * One problem of a debt, tied to a form field when `chiave` is set.
 */
export type Segnalazione = { codice: string, 
/**
 * The form field (`codice_pagatore`, `importo`, `scadenza`…).
 */
chiave: string | null, 
/**
 * The field as the clerk knows it (the sheet's header, or the column's name).
 */
campo: string | null, 
/**
 * The value as typed.
 */
valore: string | null, messaggio: string, grave: boolean, };

/**
 * How a file was opened.
 */
export type Sorgente = { 
/**
 * `xlsx`, `xls`, `ods` or `csv`, from the content.
 */
formato: string, 
/**
 * Worksheets of a workbook (empty for text files).
 */
fogli: Array<Foglio>, 
/**
 * The sheet read (empty for text files).
 */
foglio: string, 
/**
 * Encoding and separator of a text file.
 */
codifica: string | null, separatore: string | null, 
/**
 * Things the clerk should know about the file.
 */
note: Array<string>, };

/**
 * The states of a debt, as the window receives them.
 */
export type StatoDovuto = "draft" | "ready" | "sent" | "loaded" | "rejected" | "paid" | "cancelled";

/**
 * The states of a flow, as the window receives them.
 */
export type StatoFlusso = "built" | "authorised" | "uploaded" | "processing" | "done" | "aborted";
