// Generated from the Rust types of mpd-app by ts-rs: do not edit by hand.
// Refresh: MPD_AGGIORNA_BINDINGS=1 cargo test -p mpd-app bindings

/**
 * How a receipt relates to the local debts.
 */
export type Abbinamento = "pagato" | "importo_diverso" | "sconosciuto" | "doppio";

/**
 * Where MyPay is.
 */
export type Ambiente = "demo" | "collaudo" | "produzione" | "custom";

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
campi: Array<CampoFoglio>, 
/**
 * Columns the proposed mapping left out, and why (a column that only numbers the rows).
 */
colonne_escluse: Array<ColonnaEsclusa>, };

/**
 * What needs the clerk's attention.
 */
export type Attenzione = { dovuti_scartati: number, dovuti_pronti: number, flussi_in_attesa: number, };

/**
 * What a submission reports while it runs.
 */
export type Avanzamento = { "tipo": "flusso", indice: number, totale: number, nome: string, } | { "tipo": "evento", evento: EventoSync, };

/**
 * How far a run is: notices drawn of the total.
 */
export type AvanzamentoAvvisi = { fatti: number, totale: number, };

/**
 * What a download of FdR reports while it runs.
 */
export type AvanzamentoFdr = { "tipo": "evento", evento: EventoSync, };

/**
 * How far a check or an import is.
 */
export type AvanzamentoImportazione = { fase: FaseImportazione, righe: number, totale: number | null, };

/**
 * What a download reports while it runs.
 */
export type AvanzamentoRicevute = { "tipo": "evento", evento: EventoSync, };

/**
 * A notice written.
 */
export type AvvisoStampato = { file: string, 
/**
 * Pages of the PDF.
 */
pagine: number, 
/**
 * Payment options on it (rata unica and instalments still payable).
 */
opzioni: number, };

/**
 * A debt «Elimina bozze» did not delete, and why.
 */
export type BozzaRifiutata = { iud: string, motivo: string, };

/**
 * What «Elimina bozze» did.
 */
export type BozzeEliminate = { 
/**
 * The IUDs deleted, in the order given.
 */
eliminate: Array<string>, 
/**
 * The IUDs not deleted (not a draft, already sent, with an IUV, unknown), with the reason.
 */
rifiutate: Array<BozzaRifiutata>, };

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
 * One change to a position's options, as a front end sends it (amounts and dates as the
 * clerk typed them; options by their number as stored, 0 the rata unica).
 */
export type CambioRate = { "cambio": "modifica", rata: number, importo?: string, scadenza?: string, } | { "cambio": "aggiungi", importo: string, scadenza?: string, } | { "cambio": "rimuovi", rata: number, };

/**
 * Which positions get a notice: of a payment type and/or whose first due date falls in a
 * year, or those of one payer. Empty fields do not filter.
 */
export type Campagna = { 
/**
 * The payment type's code ("TARI").
 */
tipo: string | null, 
/**
 * The year of the position's first due date.
 */
anno: number | null, 
/**
 * The payer's fiscal code or partita IVA.
 */
codice_fiscale: string | null, };

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
 * A payment type's default chapter, for payments whose debt has no `bilancio`.
 */
export type CapitoloTipo = { tipo_dovuto: string, capitolo: string, articolo: string, accertamento: string, ufficio: string, };

/**
 * The archive's recovery code, for the clerk to write down and keep apart from the computer:
 * with it a backup opens on another computer.
 */
export type ChiaveRipristino = { 
/**
 * The random key as 64 hexadecimal digits in groups of four, or the clerk's passphrase.
 */
testo: string, 
/**
 * `testo` is the clerk's own passphrase.
 */
frase: boolean, };

/**
 * What kind of failure, for a front end to branch on (never on the message's text).
 */
export type Codice = "argomento" | "non_valido" | "ente_mancante" | "profilo_ente" | "dovuto_inesistente" | "dovuto_duplicato" | "flusso_inesistente" | "non_consentito" | "database" | "database_occupato" | "database_recente" | "cartella_dati" | "lettura_file" | "scrittura_file" | "file_non_valido" | "file_gia_importato" | "ripristino" | "adesione" | "impostazioni" | "password_mancante" | "password_rifiutata" | "portachiavi" | "chiave_archivio" | "portachiavi_archivio" | "credenziali_pu" | "non_supportata" | "mypay_non_raggiunto" | "mypay_guasto" | "mypay_rifiuto" | "esito_incerto" | "rinviato" | "annullato" | "occupato" | "invio_incompleto" | "solo_demo" | "interno";

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
 * A column of the sheet the proposed mapping left out.
 */
export type ColonnaEsclusa = { 
/**
 * The column's letter (`A`).
 */
lettera: string, 
/**
 * Its header as the clerk wrote it.
 */
intestazione: string, 
/**
 * Why it was left out, in Italian.
 */
motivo: string, };

/**
 * The completeness check: what is missing or wrong, and why it matters.
 */
export type Completezza = { 
/**
 * No errors: the documents can be written.
 */
completo: boolean, problemi: Array<ProblemaProfilo>, };

/**
 * How long the app keeps its own files (flows, result files, MyPay's exports, the counter's
 * notice PDFs), and the last clean-up.
 */
export type Conservazione = { 
/**
 * Days; `null`: never deleted.
 */
giorni: number | null, 
/**
 * The same in Italian («1 anno», «sempre (…)»).
 */
descrizione: string, 
/**
 * The shortest and longest period in days.
 */
giorni_minimi: number, giorni_massimi: number, 
/**
 * The last clean-up, if one ran.
 */
ultima_pulizia: Pulizia | null, };

/**
 * A standard cost of the rules in use, for the expense item editor.
 */
export type CostoVista = { codice: string, descrizione: string, importo: string | null, da_verificare: boolean, };

/**
 * What "Prepara i flussi" would send: per payment type and in all (issue 13: the clerk sees
 * what goes before preparing, and may send one type only).
 */
export type DaInviare = { tipi: Array<GruppoDaInviare>, numero: number, importo_cents: number, };

/**
 * One FdR: its quadratura and its rows.
 */
export type DettaglioFdr = { fdr: FdrVista, righe: Array<RigaFdrVista>, };

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
 * A page of the payments' list, with the totals of every payment.
 */
export type ElencoPagamenti = { 
/**
 * Every state in order with its count and amount, over all payments (zero ones too).
 */
totali: Array<TotaleStato>, 
/**
 * The filter applied: `anomalie`, `tutti` or a state's code.
 */
filtro: string, 
/**
 * How many payments the filter takes.
 */
numero: number, 
/**
 * The page shown, from 0 (the last one when the page asked is past it).
 */
pagina: number, 
/**
 * How many pages the filter's payments take (at least 1).
 */
pagine: number, 
/**
 * The page's payments with their reasons, in the list's order (receipts newest first,
 * then the FdR rows no receipt claims).
 */
pagamenti: Array<PagamentoVista>, };

/**
 * The Ente's codes.
 */
export type Ente = { codice_ipa: string, codice_fiscale: string, denominazione: string, 
/**
 * Two digits, the prefix of the Ente's IUV17.
 */
codice_segregazione: string, };

/**
 * The Ente and its payment types.
 */
export type EnteView = { ente: Ente, tipi_dovuto: Array<TipoDovuto>, 
/**
 * The rest of the profile (adhesion data), as stored.
 */
extra: unknown, };

/**
 * An operation's failure: its code and the clerk's message. Serialised as the window has
 * always received it: `{ codice, messaggio }`.
 */
export type Errore = { codice: Codice, messaggio: string, };

/**
 * A field of a form that is not acceptable: `campo` is the form's key (`codice_fiscale`,
 * `conti.0.iban`, `tipi.1.tassonomia`), `messaggio` names the field for the clerk and says why.
 */
export type ErroreCampo = { campo: string, messaggio: string, };

/**
 * Debts left out of the expected amounts.
 */
export type EsclusiRapporto = { dovuti: number, importo_cents: number, };

/**
 * A debt left out of the flows, and why (it stays waiting).
 */
export type Escluso = { riga: number, iud: string, problemi: Array<Problema>, };

/**
 * What [`genera`] wrote.
 */
export type EsitoAvvisi = { cartella: string, avvisi: number, opzioni: number, file_stampa: Array<FileStampa>, manifesto_csv: string, manifesto_xlsx: string, 
/**
 * The households' PDFs together, in bytes.
 */
byte_avvisi: number, esclusi: Array<PosizioneEsclusa>, 
/**
 * The manifest: one row per household, in print order.
 */
righe: Array<RigaManifesto>, };

/**
 * The outcome of a bulk action on one debt.
 */
export type EsitoAzione = { iud: string, ok: boolean, messaggio: string, };

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
 * What an export wrote.
 */
export type EsitoEsportazione = { percorso: string, 
/**
 * Rows written (payments, proposal lines, MyPivot rows: the file's main content).
 */
righe: number, 
/**
 * The export as the clerk reads it.
 */
testo: string, };

/**
 * What importing one FdR file did.
 */
export type EsitoFdr = "nuovo" | "gia_presente" | "sostituito" | "superato";

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
 * What importing the journal did as a whole.
 */
export type EsitoGiornaleVista = "nuovo" | "gia_presente" | "sostituito";

/**
 * What an import of FdR files did.
 */
export type EsitoImportazioneFdr = { flussi: Array<FdrImportato>, riepilogo: Riepilogo, };

/**
 * What importing a treasury journal did.
 */
export type EsitoImportazioneTesoreria = { file: string, 
/**
 * `csv`, `xls`, `opi`, `poste`.
 */
formato: string, 
/**
 * The format as the clerk reads it.
 */
formato_nome: string, 
/**
 * The format was recognised from the content.
 */
riconosciuto: boolean, esito: EsitoGiornaleVista, aggiunti: number, sostituiti: number, 
/**
 * Entries of the old version of a corrected journal it no longer has.
 */
rimossi: number, 
/**
 * Entries removed by a storno.
 */
storni_applicati: number, 
/**
 * Rows refused: storni whose entry is not here.
 */
rifiutate: Array<RigaNonPresa>, 
/**
 * Rows the format leaves out on purpose (debits, other documents, no pagoPA reference).
 */
ignorate: Array<RigaNonPresa>, 
/**
 * How the file was read (encoding, separator, columns).
 */
note: Array<string>, riepilogo: Riepilogo, };

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
 * What a treasury entry matched.
 */
export type EsitoMovimentoVista = "abbinato" | "importo_diverso" | "sconosciuto" | "senza_riferimento";

/**
 * A position created or changed, for the window: saved (as it is now), or the problems and
 * nothing saved.
 */
export type EsitoRate = { "esito": "salvata", posizione: VistaPosizione, } | { "esito": "non_valida", problemi: Array<ProblemaRata>, };

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
 * The outcome of a restore.
 */
export type EsitoRipristino = { info: InfoBackup, 
/**
 * The previous database, kept as `<db>.prima-del-ripristino`.
 */
copia_precedente: string | null, };

/**
 * What a download of FdR from MyPay did.
 */
export type EsitoScaricamentoFdr = { 
/**
 * The acquisition days asked (`yyyy-mm-dd`); none when already up to date.
 */
dal: string | null, al: string | null, 
/**
 * Days completed.
 */
giorni: number, 
/**
 * Flows MyPay listed.
 */
elencati: number, 
/**
 * Flows stored for the first time, and newer versions that replaced a stored one.
 */
nuovi: number, sostituiti: number, 
/**
 * Listed flows already stored: not downloaded again.
 */
gia_presenti: number, 
/**
 * Payments in the flows stored.
 */
pagamenti: number, 
/**
 * Quadrature kept as files (not read).
 */
quadrature: number, 
/**
 * Flows MyPay gave that cannot be imported, set aside (their days completed all the same).
 */
scartati: Array<FlussoScartato>, 
/**
 * The last day whose flows are all stored (`yyyy-mm-dd`): the next download starts after.
 */
fino_a: string | null, 
/**
 * The clerk stopped it: what was stored stays, the next download resumes.
 */
annullato: boolean, riepilogo: Riepilogo, };

/**
 * The outcome of a download: what it did, or that the clerk stopped it (what was read is
 * saved; the next download resumes).
 */
export type EsitoScarico = { esito: EsitoRicevute | null, annullato: boolean, };

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
 * The phase of a check or an import.
 */
export type FaseImportazione = "verifica" | "salvataggio";

/**
 * One imported file.
 */
export type FdrImportato = { file: string, iuf: string, 
/**
 * The PSP's id, from the IUF.
 */
psp: string, pagamenti: number, esito: EsitoFdr, };

/**
 * One FdR with its quadratura.
 */
export type FdrVista = { iuf: string, 
/**
 * The PSP's id, from the IUF.
 */
psp: string, 
/**
 * The PSP's name as the flow gives it (may be empty).
 */
psp_nome: string, 
/**
 * `yyyy-mm-dd`: when the PSP settled the money (one SCT).
 */
data_regolamento: string, 
/**
 * The SCT's reference (TRN/CRO).
 */
iur_regolamento: string, numero_dichiarato: number, importo_dichiarato_cents: number, 
/**
 * Payments counted (esito 3 apart).
 */
numero_pagamenti: number, 
/**
 * Sum of the payments (esito 3 apart).
 */
somma_cents: number, 
/**
 * Payments revoked (esito 3): kept, out of the totals.
 */
revocati: number, 
/**
 * The sum and the count agree with the declared ones.
 */
quadra: boolean, 
/**
 * Why it does or does not.
 */
motivo: string, 
/**
 * The sum of the treasury entries with its IUF (none: not in the treasury yet).
 */
importo_tesoreria_cents: number | null, 
/**
 * The treasury amount equals the declared total.
 */
incassato: boolean, 
/**
 * The treasury side in words (the bollette, or what is missing).
 */
motivo_tesoreria: string, file: string, };

/**
 * A file received as bytes, now on disk.
 */
export type FileCaricato = { percorso: string, nome: string, byte: number, };

/**
 * A file given to the reconciliation and what it is.
 */
export type FileRiconosciuto = { percorso: string, 
/**
 * The file's name, as the clerk knows it.
 */
nome: string, tipo: TipoFile, 
/**
 * What it is, or why it is neither, in words.
 */
motivo: string, };

/**
 * One merged print file written.
 */
export type FileStampa = { file: string, avvisi: number, 
/**
 * Pages, blank ones included.
 */
pagine: number, byte: number, };

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
 * A flow downloaded from MyPay that the import refused (another Ente's, unreadable).
 */
export type FlussoScartato = { iuf: string, 
/**
 * Its acquisition day (`yyyy-mm-dd`).
 */
giorno: string, 
/**
 * The downloaded file, kept in the data folder's `rendicontazione/`.
 */
file: string, 
/**
 * Why it was refused.
 */
motivo: string, };

/**
 * A flow as the Home lists it.
 */
export type FlussoVista = { nome: string, stato: StatoFlusso, 
/**
 * Italian label of the state.
 */
etichetta: string, righe: number, righe_scartate: number, };

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
 * The document to write.
 */
export type FormatoRapporto = "pdf" | "xlsx";

/**
 * How serious a [`ProblemaProfilo`] is: an error stops the documents, a warning does not.
 */
export type Gravita = "errore" | "avviso";

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
 * Rows of the file that repeat one row of the same file or one debt already in the archive
 * (same payer, payment type, amount, due date and causale).
 */
export type GruppoDuplicati = { 
/**
 * The row of the file they repeat (imported as usual).
 */
riga: number | null, 
/**
 * The debt of the archive they repeat.
 */
iud_archivio: string | null, 
/**
 * The repeating rows (the clerk's row numbers).
 */
righe: Array<number>, 
/**
 * The drafts they were kept as ([`importa_comunque`] makes them ready); empty when
 * nothing was stored or they were imported anyway.
 */
bozze: Array<string>, 
/**
 * Payer, amount, due date and causale.
 */
descrizione: string, };

/**
 * The skipped positions of one reason.
 */
export type GruppoEsclusi = { motivo: MotivoEsclusione, 
/**
 * "già pagate", "senza IUV: …".
 */
descrizione: string, quante: number, };

/**
 * An import as recorded: the file, when, how many of its debts are still in the archive.
 */
export type Importazione = { id: number, file: string, 
/**
 * RFC 3339 UTC.
 */
importata_il: string, 
/**
 * Rows read from the file.
 */
righe: number, 
/**
 * Its debts still in the archive.
 */
dovuti: number, };

/**
 * What «Annulla questa importazione» removed.
 */
export type ImportazioneAnnullata = { importazione: Importazione, 
/**
 * The IUDs of the debts deleted.
 */
eliminati: Array<string>, };

/**
 * Amounts of one group of expected debts (cents; counts of debts).
 */
export type ImportiRapporto = { dovuti: number, atteso_cents: number, pagati: number, incassato_cents: number, da_incassare: number, residuo_cents: number, scaduti: number, scaduto_cents: number, };

/**
 * An amount recorded and what the contribution shows now.
 */
export type ImportoRegistrato = { movimento: Movimento, stato: StatoContributo, };

/**
 * One option to create: its amount and due date as the clerk typed them.
 */
export type ImportoScadenza = { importo: string, scadenza?: string, };

/**
 * The settings: default environment, stored addresses, where the password stands, where the
 * data live.
 */
export type Impostazioni = { 
/**
 * The default environment (stored).
 */
ambiente: Ambiente, 
/**
 * Every environment's stored address (the demo has none: its emulator starts on demand).
 */
urls: Array<UrlAmbiente>, codice_ipa: string | null, 
/**
 * The password of the default environment (on PU: the client secret).
 */
password: StatoPassword, 
/**
 * The platform (issue 15): MyPay, MyPay through ARIA's middleware, PU.
 */
piattaforma: Piattaforma, 
/**
 * The same in Italian.
 */
piattaforma_it: string, 
/**
 * PU's client id of the default environment (not a secret).
 */
client_id: string | null, cartella_dati: string | null, database: string | null, };

/**
 * What a backup file holds, shown before a restore.
 */
export type InfoBackup = { 
/**
 * Migration level of the file.
 */
livello: number, 
/**
 * Level of this version: a lower one is upgraded when the file is opened.
 */
livello_attuale: number, codice_ipa: string | null, denominazione: string | null, dovuti: number, flussi: number, 
/**
 * Last recorded operation (RFC 3339), if any.
 */
ultima_operazione: string | null, };

/**
 * What the open connection points to (never the password).
 */
export type InfoConnessione = { ambiente: Ambiente, indirizzo: string, piattaforma: Piattaforma, 
/**
 * Where the password came from (Italian, as the CLI prints it).
 */
password_da: string, 
/**
 * Where the password came from, as a code for the window's own words (the CLI's text
 * names an environment variable, which the window never shows).
 */
origine_password: PasswordSource, demo: boolean, };

/**
 * What pagoPA does with a debt, by its taxonomy code's prefix, as to SEPA Request To Pay.
 */
export type InvioRtp = "inviato" | "escluso" | "non-documentato";

/**
 * How a summary should look.
 */
export type Livello = "successo" | "avviso" | "errore";

/**
 * Which column feeds which field.
 */
export type Mappatura = { colonne: Array<ColonnaAbbinata>, };

/**
 * Expected and collected amounts of one month (`YYYY-MM` of the due date), in cents.
 */
export type MeseTotali = { mese: string, atteso_cents: number, incassato_cents: number, };

/**
 * The rules in use, as the screen shows them.
 */
export type MisuraVista = { nome: string, atto: string, versione: string, da_verificare: Array<string>, costi_standard: Array<CostoVista>, massimale: string | null, 
/**
 * Edited by the clerk rather than the shipped preset.
 */
personalizzata: boolean, };

/**
 * What the pagoPA notice says of the Ente: office, contacts, CBILL code, its own desk, the
 * logo (a file name in the data folder, set by [`ente_logo`]).
 */
export type ModuloAvviso = { settore: string, 
/**
 * The contacts (site, phone, e-mail).
 */
info: string, cbill: string, 
/**
 * The Ente's own desk that takes payments ("Presso lo Sportello Tributi").
 */
canale_fisico: string, logo: string, };

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
modalita: Array<string>, legale_rappresentante: string, referente_amministrativo: ModuloReferente, referente_tecnico: ModuloReferente, conti: Array<ModuloConto>, tipi: Array<ModuloTipo>, 
/**
 * What the payment notice says of the Ente.
 */
avviso: ModuloAvviso, };

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
modalita: string, 
/**
 * The postal account the type collects on: its notices get the Bollettino Postale PA.
 */
conto_postale: string, intestatario_conto_postale: string, 
/**
 * Poste's "stampa in proprio" authorisation.
 */
autorizzazione_poste: string, };

/**
 * A payer with overdue debts, for the reminders.
 */
export type Moroso = { codice_pagatore: string, anagrafica: string, dovuti: number, importo_cents: number, 
/**
 * `YYYY-MM-DD`.
 */
scadenza_piu_vecchia: string, };

/**
 * Why a position gets no notice.
 */
export type MotivoEsclusione = "gia_pagata" | "annullata" | "senza_iuv" | "dati_mancanti";

/**
 * A requested, granted or received amount with its date and reference.
 */
export type Movimento = { id: number | null, tipo: "richiesto" | "concesso" | "incassato", importo: string, data: string, riferimento: string | null, };

/**
 * One treasury entry with its match.
 */
export type MovimentoVista = { 
/**
 * `csv`, `xls`, `opi`, `poste`.
 */
formato: string, file: string, riga: number, anno: number, bolletta: string, 
/**
 * `yyyy-mm-dd`.
 */
data_contabile: string, data_valuta: string, importo_cents: number, ordinante: string, causale: string, iuf: string | null, iuv: string | null, 
/**
 * How the causale was read.
 */
lettura: string, 
/**
 * The provisional receipt to regularise (OPI), when there is one.
 */
sospeso: string | null, esito: EsitoMovimentoVista, 
/**
 * The FdR it matched.
 */
iuf_abbinato: string | null, 
/**
 * The payments it matched by IUV.
 */
iuv_abbinati: Array<string>, 
/**
 * What it matched, or why not.
 */
motivo: string, 
/**
 * For an entry matched to nothing: the likely FdR.
 */
suggerimenti: Array<SuggerimentoVista>, };

/**
 * A position to create: the payer's fields shared by every option (the causale is the
 * subject's: each option adds "rata unica" or "rata 2 di 3" to it), the rata unica and the
 * instalments in order.
 */
export type NuovaPosizione = { codice?: string, oggetto?: string, pagatore: CampiDovuto, unica?: ImportoScadenza, rate: Array<ImportoScadenza>, };

/**
 * One option of a position, for the window.
 */
export type OpzionePosizione = { 
/**
 * 0 the rata unica, 1–12 an instalment.
 */
rata: number, 
/**
 * "rata unica", "rata 2".
 */
etichetta: string, iud: string, iuv: string, 
/**
 * The debt's state, in Italian.
 */
stato: string, importo_cents: number, 
/**
 * `YYYY-MM-DD`, or empty.
 */
scadenza: string, };

/**
 * How [`genera`] writes.
 */
export type OpzioniLotto = { 
/**
 * The destination folder (created if missing).
 */
cartella: string, 
/**
 * The households' file names: [`MODELLO_NOME`] when empty; placeholders [`SEGNAPOSTI`].
 */
modello_nome: string | null, 
/**
 * Notices per print file: [`PER_FILE`] when empty.
 */
per_file: number | null, };

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
 * One payment with its state, its allocation and MyPivot's labels.
 */
export type PagamentoEtichettato = { tipo_dovuto: string, 
/**
 * The chapters its amount goes to («capitolo non indicato» when none).
 */
capitoli: Array<string>, 
/**
 * MyPivot's labels (`RT_IUF`, `IUF_NO_TES`…), not exclusive.
 */
etichette: Array<string>, iuv: string, iur: string, 
/**
 * The receipt's amount, when there is one.
 */
importo_cents: number | null, 
/**
 * The amount the FdR reports (the first row's, when reported twice).
 */
importo_rendicontato_cents: number | null, 
/**
 * `yyyy-mm-dd`: the receipt's date, else the FdR row's.
 */
data_esito: string, 
/**
 * The FdR reporting it (one IUF per row).
 */
iuf: Array<string>, 
/**
 * The FdR rows' outcome codes (0, 4, 8, 9).
 */
esiti: Array<number>, 
/**
 * The local debt the receipt paid, if any.
 */
dovuto_iud: string | null, 
/**
 * The treasury bollette that cashed it (`anno/numero`).
 */
bollette: Array<string>, pagatore: string, stato: StatoPagamento, 
/**
 * The state as the clerk reads it.
 */
etichetta: string, anomalia: boolean, 
/**
 * Why it is in this state.
 */
motivo: string, };

/**
 * One payment code of a household, as the manifest lists it.
 */
export type PagamentoManifesto = { 
/**
 * 0 the rata unica, 1–12 an instalment.
 */
rata: number, 
/**
 * "rata unica", "rata 2".
 */
etichetta: string, 
/**
 * The 18-digit notice code.
 */
codice_avviso: string, importo_cents: number, 
/**
 * `80,00`.
 */
importo: string, 
/**
 * `30/04/2027`, or empty.
 */
scadenza: string, };

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
 * One payment in the reconciliation.
 */
export type PagamentoVista = { iuv: string, iur: string, 
/**
 * The receipt's amount, when there is one.
 */
importo_cents: number | null, 
/**
 * The amount the FdR reports (the first row's, when reported twice).
 */
importo_rendicontato_cents: number | null, 
/**
 * `yyyy-mm-dd`: the receipt's date, else the FdR row's.
 */
data_esito: string, 
/**
 * The FdR reporting it (one IUF per row).
 */
iuf: Array<string>, 
/**
 * The FdR rows' outcome codes (0, 4, 8, 9).
 */
esiti: Array<number>, 
/**
 * The local debt the receipt paid, if any.
 */
dovuto_iud: string | null, 
/**
 * The treasury bollette that cashed it (`anno/numero`).
 */
bollette: Array<string>, pagatore: string, stato: StatoPagamento, 
/**
 * The state as the clerk reads it.
 */
etichetta: string, anomalia: boolean, 
/**
 * Why it is in this state.
 */
motivo: string, };

/**
 * A page of debts and, for the first page, how many match in all.
 */
export type PaginaDovuti = { 
/**
 * Counted on the first page only (`offset` 0): scrolling keeps the count it has.
 */
totale: number | null, offset: number, righe: Array<RigaDovuto>, };

/**
 * What the Home shows.
 */
export type Panoramica = { versione: string, database: string, ente: EnteView | null, 
/**
 * The environment in use is the demo one (the embedded emulator: nothing reaches a real
 * MyPay) and an Ente is configured: the window shows a DEMO badge. The demo Ente moved
 * to another environment (collaudo, produzione, custom) is not a demo any more.
 */
demo: boolean, dovuti_per_stato: Array<StatoVista>, mensile: Array<MeseTotali>, flussi_recenti: Array<FlussoVista>, attenzione: Attenzione, 
/**
 * Last receipt download (`dd/mm/yyyy HH:MM`, local time), if any.
 */
ultima_sincronizzazione: string | null, };

/**
 * An adhesion step with the date recorded, if any.
 */
export type PassoRegistrato = { 
/**
 * `delibera`, `pec-inviata`, `riscontro-regione`, `pre-esercizio`, `esercizio`.
 */
passo: string, nome: string, data: string | null, nota: string | null, };

/**
 * What removing the password did.
 */
export type PasswordCancellata = { 
/**
 * There was one (false: nothing was stored).
 */
cancellata: boolean, password: StatoPassword, };

/**
 * Where the password came from (said to the clerk; the password itself never is).
 */
export type PasswordSource = "keyring" | "environment" | "demo";

/**
 * What a run would write.
 */
export type PianoAvvisi = { campagna: Campagna, 
/**
 * Households with a notice.
 */
avvisi: number, 
/**
 * Payment options on them (each a payment code).
 */
opzioni: number, 
/**
 * Positions without a notice, grouped by reason (in the order of [`MotivoEsclusione`]).
 */
gruppi_esclusi: Array<GruppoEsclusi>, 
/**
 * Each of them, with its reason.
 */
esclusi: Array<PosizioneEsclusa>, 
/**
 * Notices per print file.
 */
per_file: number, 
/**
 * The merged print files, in order.
 */
file_stampa: Array<string>, 
/**
 * The manifest's files (CSV, XLSX).
 */
manifesto: Array<string>, 
/**
 * The position whose notice comes first in the print file (for the preview).
 */
prima_posizione: string | null, };

/**
 * The platform a connection talks to.
 */
export type Piattaforma = "mypay" | "aria" | "pu";

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
 * A position that gets no notice.
 */
export type PosizioneEsclusa = { posizione: string, codice_fiscale: string, nominativo: string, motivo: MotivoEsclusione, 
/**
 * Why, in the clerk's words.
 */
messaggio: string, };

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
 * A payment type's taxonomy prefix for the clerk: what it means, what of that is inferred,
 * and a warning when the prefix looks unintended for how the type is used.
 */
export type PrefissoTipo = { 
/**
 * `9/`.
 */
prefisso: string, invio_rtp: InvioRtp, 
/**
 * What a debt of this prefix does (Italian).
 */
significato: string, 
/**
 * What is still to verify (Italian, shown after «Da verificare:»): the part of the meaning
 * that is inferred or unverified rather than read in a source.
 */
dedotto: string | null, 
/**
 * MyPay's import check takes the prefix (the profile can be saved with it).
 */
accettato_da_mypay: boolean, 
/**
 * Why the prefix looks unintended for this type (Italian), if it does.
 */
avviso: string | null, 
/**
 * The heuristic behind [`Self::avviso`], said plainly.
 */
avviso_perche: string | null, };

/**
 * What "Prepara i flussi" did.
 */
export type Preparazione = { versione: string, flussi: Array<FlussoPreparato>, righe_i: number, righe_m: number, righe_a: number, esclusi: Array<Escluso>, riepilogo: Riepilogo, };

/**
 * The first-start setup's answers.
 */
export type PrimoAvvio = { denominazione: string, codice_ipa: string, codice_fiscale: string, codice_segregazione: string, ambiente: Ambiente, url: string, 
/**
 * Optional: stored in the keyring only (on PU: the client secret).
 */
password: string, 
/**
 * The platform: mypay (default when empty), aria, pu.
 */
piattaforma: Piattaforma | '', 
/**
 * PU's client id (not a secret).
 */
client_id: string, };

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
 * A problem of a position, for the window: the option it is about and its field.
 */
export type ProblemaRata = { 
/**
 * 0 the rata unica, 1–12 an instalment, none the whole position.
 */
rata: number | null, 
/**
 * "rata unica", "rata 2" (empty: the whole position).
 */
etichetta: string, 
/**
 * The form field: `importo`, `scadenza`, `codice_pagatore`, `anagrafica`, `tipo`,
 * `causale`…, `rata` (the numbering), `posizione` (its code); none: the whole row.
 */
campo: string | null, messaggio: string, };

/**
 * The proposta di reversale of one provisional receipt.
 */
export type PropostaReversale = { esercizio: string, numero_bolletta: string, data: string, ordinante: string, causale: string, importo_cents: number, coperto_cents: number, residuo_cents: number, pagamenti: number, 
/**
 * The proposal as the clerk reads it.
 */
motivo: string, 
/**
 * Lines adding up to the receipt's amount.
 */
righe: Array<RigaReversale>, };

/**
 * What a clean-up deleted, for the clerk.
 */
export type Pulizia = { 
/**
 * When (RFC 3339, UTC).
 */
quando: string, file: number, 
/**
 * Megabytes deleted, one decimal, Italian (`"12,3"`).
 */
megabyte: string, 
/**
 * Old files kept because their flow's outcome is not known yet.
 */
trattenuti: number, 
/**
 * «Eliminati 3 file (1,2 MB)…», for both front ends.
 */
testo: string, };

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
 * The matching's rules where the spec infers MyPivot's behaviour.
 */
export type RegoleRiconciliazione = { 
/**
 * An FdR row without transfer index is the first transfer (else, as in MyPivot, it
 * matches no receipt).
 */
indice_mancante_primo: boolean, 
/**
 * An esito-9 row (paid without RPT) with no receipt is reconciled from the flow (else it
 * is an anomaly).
 */
esito9_rendicontato: boolean, };

/**
 * The days after which a missing step is an anomaly.
 */
export type RegoleTesoreria = { 
/**
 * A payment with no FdR this many days after it was made is «non rendicontato».
 */
giorni_rendicontazione: number, 
/**
 * An FdR not in the treasury this many days after its settlement is «non incassato».
 */
giorni_incasso: number, 
/**
 * How far apart an entry and an FdR may be for a suggestion.
 */
giorni_suggerimento: number, };

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
foglio?: FoglioLetto, 
/**
 * Probable duplicates, one group per row or debt they repeat.
 */
duplicati: Array<GruppoDuplicati>, 
/**
 * Debt positions read (a row with instalments, or the rows of one position code), valid
 * or not; 0 for a file of plain debts.
 */
posizioni: number, 
/**
 * Their options (rata unica and instalments), one debt each.
 */
opzioni: number, };

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
 * The whole reconciliation with MyPivot's labels: every payment (those in `stato` only, when
 * given) with its state, reason, chapters and labels; every treasury entry with its match or
 * why not; the totals by state (over all payments).
 */
export type RiconciliazioneEtichettata = { pagamenti: Array<PagamentoEtichettato>, movimenti: Array<MovimentoVista>, totali: Array<TotaleStato>, };

/**
 * The whole reconciliation: every payment, every treasury entry, the totals by state.
 */
export type RiconciliazioneVista = { pagamenti: Array<PagamentoVista>, movimenti: Array<MovimentoVista>, 
/**
 * Every state in order, with its count and amount (zero ones too).
 */
totali: Array<TotaleStato>, };

/**
 * The sentence that sums up a piece of work, and how it should look.
 */
export type Riepilogo = { livello: Livello, testo: string, };

/**
 * What reading receipts did: rows read, new, already stored, and how the new ones matched.
 */
export type RiepilogoRicevute = { lette: number, nuove: number, gia_presenti: number, pagato: number, importo_diverso: number, sconosciuto: number, doppio: number, 
/**
 * Options of positions cancelled because their position was paid the other way.
 */
annullate_per_posizione: number, };

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
da_correggere: boolean, 
/**
 * The position this debt is an option of (none: a debt on its own).
 */
posizione?: RigaPosizione, };

/**
 * One row of an FdR with the verdict on its payment.
 */
export type RigaFdrVista = { 
/**
 * The row's position in the flow, from 1.
 */
numero: number, iuv: string, iur: string, 
/**
 * `indiceDatiSingoloPagamento`, when the flow gives it.
 */
indice: number | null, importo_cents: number, 
/**
 * The outcome code: 0 paid, 3 revoked, 4 Stand-In, 8 Stand-In without RPT, 9 without RPT.
 */
esito: number, 
/**
 * `yyyy-mm-dd`.
 */
data_esito: string, 
/**
 * The state of the payment the row reports; `None` for a revoked row (esito 3).
 */
stato: StatoPagamento | null, 
/**
 * The state as the clerk reads it.
 */
etichetta: string, anomalia: boolean, 
/**
 * Why.
 */
motivo: string, };

/**
 * One household of the manifest.
 */
export type RigaManifesto = { posizione: string, codice_fiscale: string, nominativo: string, indirizzo: string, cap: string, localita: string, provincia: string, 
/**
 * E-mail or PEC, where known.
 */
email: string, pagamenti: Array<PagamentoManifesto>, 
/**
 * Pages of its notice.
 */
pagine: number, 
/**
 * Its own PDF's file name.
 */
file: string, 
/**
 * The print file it is in, and its first page there (odd).
 */
file_stampa: string, prima_pagina: number, };

/**
 * A row not taken, with its row, field (when there is one) and why.
 */
export type RigaNonPresa = { riga: number, campo: string, messaggio: string, };

/**
 * The position of a row of the list (issue 14): the list shows its options grouped.
 */
export type RigaPosizione = { codice: string, oggetto: string, 
/**
 * "da pagare", "pagata in parte (1 di 3)", "pagata", "annullata", "pagamento doppio".
 */
stato: string, 
/**
 * What the position costs: its rata unica, or its instalments together without one
 * (cancelled options left out).
 */
importo_cents: number, 
/**
 * Its options, cancelled ones included.
 */
opzioni: number, 
/**
 * This row's option: 0 the rata unica, 1–12 an instalment.
 */
rata: number, 
/**
 * "rata unica", "rata 2".
 */
etichetta: string, };

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
bozza?: boolean, 
/**
 * The payer's name as the row has it (empty when the row could not be read).
 */
pagatore: string, 
/**
 * The amount as the row has it, in Italian (`1.234,56 €`), or as written when it is not
 * a number; empty when the row has none.
 */
importo: string, };

/**
 * One line of a reversal proposal, as the accounting package takes it.
 */
export type RigaReversale = { esercizio: string, numero_bolletta: string, 
/**
 * `yyyy-mm-dd`: the provisional receipt's accounting date.
 */
data: string, 
/**
 * Empty on the residue line and for payments without a chapter.
 */
capitolo: string, articolo: string, accertamento: string, importo_cents: number, descrizione: string, 
/**
 * The part of the receipt no payment covers (or, negative, their excess).
 */
residuo: boolean, };

/**
 * An item with its value under the rules in use.
 */
export type RigaStima = { voce: VoceSpesa, importo: string | null, 
/**
 * Why the value is missing or to be verified.
 */
nota: string | null, };

/**
 * The outcome of saving a form: nothing is stored while there are errors.
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
abbinamenti?: Array<string>, 
/**
 * Import probable duplicates (rows repeating another row of the file or a debt already
 * in the archive) as ready instead of keeping them apart, and a file already imported.
 */
anche_duplicati?: boolean, };

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
pronto_possibile: boolean, 
/**
 * MyPay already holds the debt ([`su_mypay`]): IUV and payment type are read-only.
 */
su_mypay: boolean, };

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
 * How the archive is protected, for Impostazioni and `archivio stato`.
 */
export type StatoArchivio = { 
/**
 * The database file.
 */
percorso: string, 
/**
 * Always true for a database on disk once opened (a plain one is encrypted on opening).
 */
cifrato: boolean, 
/**
 * The key is a passphrase chosen by the clerk (no keyring), not a random key kept in the
 * keyring.
 */
frase: boolean, };

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
 * The states of a debt, as the window receives them.
 */
export type StatoDovuto = "draft" | "ready" | "sent" | "loaded" | "rejected" | "paid" | "cancelled";

/**
 * The states of a flow, as the window receives them.
 */
export type StatoFlusso = "built" | "authorised" | "uploaded" | "processing" | "done" | "aborted";

/**
 * How far the upkeep of the debts' indexes is (shown while it is behind).
 */
export type StatoIndici = { dovuti: number, 
/**
 * Debts not in the search index yet (found by a slower scan meanwhile).
 */
da_indicizzare: number, 
/**
 * Secondary indexes a very large load dropped and not built again yet.
 */
indici_da_ricostruire: number, 
/**
 * The upkeep is running.
 */
in_corso: boolean, 
/**
 * Why the last run stopped, if it failed.
 */
errore: string | null, };

/**
 * A payment's state in the reconciliation.
 */
export type StatoPagamento = "pagato" | "rendicontato" | "importo_diverso" | "senza_ricevuta" | "doppio" | "non_rendicontato" | "incassato" | "incasso_diverso" | "non_incassato";

/**
 * Where the password stands, never the password itself.
 */
export type StatoPassword = { 
/**
 * The keyring entry of this Ente and environment (`c_x123@collaudo`); `None` in the demo
 * or before the Ente is configured.
 */
account: string | null, 
/**
 * A password for this Ente and environment is in the keyring.
 */
memorizzata: boolean, 
/**
 * Where the next connection takes it from, if anywhere.
 */
origine: PasswordSource | null, 
/**
 * The same in Italian.
 */
fonte: string | null, 
/**
 * The OS keyring answered (false: no keyring service on this machine).
 */
portachiavi_disponibile: boolean, 
/**
 * One sentence for the clerk.
 */
messaggio: string, };

/**
 * One state of the debts with its Italian label and totals.
 */
export type StatoVista = { 
/**
 * DovutoStato code: draft ready sent loaded rejected paid cancelled.
 */
stato: string, etichetta: string, numero: number, 
/**
 * Cents, for the front end to format (`1.234,56 €`).
 */
importo_cents: number, };

/**
 * The estimated expense: the items and their sum.
 */
export type Stima = { righe: Array<RigaStima>, totale: string, 
/**
 * Some item has no value (a standard cost still empty in the rules): the sum is partial.
 */
incompleta: boolean, };

/**
 * A likely match (not applied).
 */
export type SuggerimentoVista = { iuf: string, motivo: string, };

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
 * A payment type of the Ente.
 */
export type TipoDovuto = { codice: string, descrizione: string, 
/**
 * Taxonomy / accounting code, e.g. `9/0101100IM/`.
 */
dati_specifici_riscossione: string, attivo: boolean, 
/**
 * `ANONIMO` is accepted as payer code.
 */
cf_anonimo: boolean, 
/**
 * The due date is mandatory and must not be in the past.
 */
scadenza_obbligatoria: boolean, 
/**
 * The due date is printed on the notice.
 */
stampa_data_scadenza: boolean, 
/**
 * Causale for imported rows without one.
 */
causale_predefinita?: string, 
/**
 * Amount for imported rows without one (`"12.50"`).
 */
importo_predefinito?: string, 
/**
 * Due date for imported rows without one (`YYYY-MM-DD`).
 */
scadenza_predefinita?: string, 
/**
 * In a position the rata unica may cost less than the instalments together (issue 14);
 * absent: it may not.
 */
sconto_rata_unica?: boolean, };

/**
 * What a file given to the reconciliation is.
 */
export type TipoFile = "fdr" | "tesoreria" | "altro";

/**
 * How many payments are in a state, and their amount.
 */
export type TotaleStato = { stato: StatoPagamento, etichetta: string, anomalia: boolean, numero: number, 
/**
 * The receipts' amounts (the FdR's, for a payment without receipt).
 */
importo_cents: number, };

/**
 * One group's collected amount.
 */
export type TotaleVista = { 
/**
 * The group's code: a payment type, a chapter (`capitolo/articolo`), an accertamento, a
 * month (`yyyy-mm`); empty when not given.
 */
chiave: string, 
/**
 * The group as the clerk reads it («capitolo non indicato», «maggio 2024»…).
 */
etichetta: string, 
/**
 * Payments with an amount in the group (a payment split over two chapters counts in both).
 */
pagamenti: number, importo_cents: number, };

/**
 * The collected amounts (every receipt, and the esito-9 payments reconciled from the flow).
 */
export type Totali = { pagamenti: number, totale_cents: number, per_tipo: Array<TotaleVista>, per_capitolo: Array<TotaleVista>, per_accertamento: Array<TotaleVista>, per_mese: Array<TotaleVista>, };

/**
 * Totals of the tracked amounts.
 */
export type TotaliVista = { richiesto: string, concesso: string, incassato: string, };

/**
 * One environment's stored address.
 */
export type UrlAmbiente = { ambiente: Ambiente, url: string | null, };

/**
 * A position for the window: its options and its derived state in words.
 */
export type VistaPosizione = { codice: string, oggetto: string, 
/**
 * "da pagare", "pagata in parte (1 di 3)", "pagata", "annullata", "pagamento doppio".
 */
stato: string, 
/**
 * Paid both ways: how much to refund.
 */
da_rimborsare_cents: number | null, 
/**
 * How much less the rata unica costs than the instalments together.
 */
sconto_cents: number, opzioni: Array<OpzionePosizione>, };

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
