//! The only door from the layers above (`mpd-client`'s sync engine, `mpd-app`) to the local
//! database: the reads and state changes they need, as methods of [`Desk`]. The store (`mpd_store::Store`)
//! itself is not reachable from outside this crate (only test code gets it, through the
//! `test-support` feature), so every way the database is touched from above is listed here.
//!
//! Each method is the store's own operation, unchanged: its rules and SQL live in `mpd-store`.

use std::path::Path;

use chrono::NaiveDate;
use mpd_domain::{Ente, TipoDovuto};
use mpd_store::eliminazioni::{BozzeEliminate, ImportazioneAnnullata, SorgenteRecord};
use mpd_store::mypay::RicevutaDettaglio;
use mpd_store::rapporto::Aggregati;
use mpd_store::{
    DovutoFilter, DovutoRecord, DovutoStato, ExportRichiesta, FlussoRecord, InvioRecord, Now,
    RicevutaRecord, RigaEsito, RigaFlusso,
};

use crate::Desk;

impl Desk {
    // --- The Ente, its payment types and settings; the backup copy.

    /// Every payment type, active or not, ordered by code.
    pub fn tipi_dovuto(&self) -> mpd_store::Result<Vec<TipoDovuto>> {
        self.store.tipi_dovuto()
    }

    /// The Ente profile, if one was saved.
    pub fn ente(&self) -> mpd_store::Result<Option<Ente>> {
        self.store.ente()
    }

    /// Copies the whole database into `dest` (a consistent snapshot, safe while in use).
    pub fn backup_to(&self, dest: &Path) -> mpd_store::Result<()> {
        self.store.backup_to(dest)
    }

    /// Saves the Ente profile and its payment types in one transaction.
    ///
    /// Types present in the store but missing from `tipi` are deactivated, not deleted: debts
    /// may still refer to them.
    pub fn save_ente(
        &mut self,
        ente: &Ente,
        extra_json: &str,
        tipi: &[TipoDovuto],
        now: Now,
    ) -> mpd_store::Result<()> {
        self.store.save_ente(ente, extra_json, tipi, now)
    }

    /// A setting (environment, export cursor…); never a credential.
    pub fn setting(&self, key: &str) -> mpd_store::Result<Option<String>> {
        self.store.setting(key)
    }

    pub fn set_setting(&self, key: &str, value: &str) -> mpd_store::Result<()> {
        self.store.set_setting(key, value)
    }

    // --- Debts.

    /// SQLite's plan for the page query of `filter` (`EXPLAIN QUERY PLAN`, one line per step):
    /// for the benchmark, which shows why a query is slow.
    pub fn piano_dovuti(&self, filter: &DovutoFilter) -> mpd_store::Result<Vec<String>> {
        self.store.piano_dovuti(filter)
    }

    /// Forgets the ids of the last free-text search, so that the next one reads them again:
    /// for the benchmark, which times a search as the first of its kind.
    pub fn dimentica_ricerca(&self) {
        self.store.dimentica_ricerca()
    }

    /// The IUDs of the debts matching `filter` (its `limit` and `offset` are ignored), oldest
    /// first, in one query: what a bulk action on «every debt of the filter» acts on. At most
    /// `max + 1` are read, so that a caller sees a filter wider than its cap without reading
    /// every match.
    pub fn iud_dovuti(&self, filter: &DovutoFilter, max: usize) -> mpd_store::Result<Vec<String>> {
        self.store.iud_dovuti(filter, max)
    }

    /// The debt with this IUD.
    pub fn dovuto(&self, iud: &str) -> mpd_store::Result<Option<DovutoRecord>> {
        self.store.dovuto(iud)
    }

    /// Debts the next flow must carry: ready ones (I) and loaded ones with a pending M or A.
    pub fn dovuti_da_inviare(&self) -> mpd_store::Result<Vec<DovutoRecord>> {
        self.store.dovuti_da_inviare()
    }

    // --- Notes on drafts.

    /// The draft with a note (problems to fix) that comes after `dopo` in the list's order
    /// (by id), going round to the first; never `dopo` itself. `None` when no other draft has
    /// problems.
    pub fn prossima_bozza_con_nota(&self, dopo: &str) -> mpd_store::Result<Option<String>> {
        self.store.prossima_bozza_con_nota(dopo)
    }

    /// The IUDs of the debts that carry a note, among `iuds`.
    pub fn con_nota(
        &self,
        iuds: &[String],
    ) -> mpd_store::Result<std::collections::HashSet<String>> {
        self.store.con_nota(iuds)
    }

    // --- Imports and draft deletion.

    /// The last import still recorded (the newest not undone).
    pub fn ultima_sorgente(&self) -> mpd_store::Result<Option<SorgenteRecord>> {
        self.store.ultima_sorgente()
    }

    /// Deletes the drafts among `iuds` that were never sent and have no IUV, in one
    /// transaction; every other IUD is refused with its reason (unknown, not a draft, already
    /// in a flow…). An IUD asked twice counts once.
    pub fn elimina_bozze(
        &mut self,
        iuds: &[String],
        now: Now,
    ) -> mpd_store::Result<BozzeEliminate> {
        self.store.elimina_bozze(iuds, now)
    }

    /// Undoes the import `id`: deletes all its debts and its record, in one transaction, if
    /// none was ever sent; otherwise deletes nothing and lists those already sent. `None`
    /// when no import has that id.
    pub fn annulla_importazione(
        &mut self,
        id: i64,
        now: Now,
    ) -> mpd_store::Result<Option<ImportazioneAnnullata>> {
        self.store.annulla_importazione(id, now)
    }

    // --- Flows and their outcomes.

    /// MyPay refused the whole file: the flow is aborted and its debts go back to where they
    /// were before it (ready for inserts, loaded with their pending change otherwise).
    pub fn abort_flusso(
        &mut self,
        flusso_id: i64,
        codice: &str,
        messaggio: &str,
        now: Now,
    ) -> mpd_store::Result<()> {
        self.store.abort_flusso(flusso_id, codice, messaggio, now)
    }

    /// A flow by id or by name.
    pub fn flusso(&self, id_or_name: &str) -> mpd_store::Result<Option<FlussoRecord>> {
        self.store.flusso(id_or_name)
    }

    /// Applies MyPay's per-row outcome of a processed flow, in one transaction.
    ///
    /// Returns the IUDs named by `esiti` that are not rows of this flow (they are ignored).
    pub fn apply_esiti(
        &mut self,
        flusso_id: i64,
        esiti: &[RigaEsito],
        now: Now,
    ) -> mpd_store::Result<Vec<String>> {
        self.store.apply_esiti(flusso_id, esiti, now)
    }

    /// The rows of a flow with their outcome: (row, IUD, azione, esito, cod_rifiuto, de_rifiuto).
    pub fn righe_flusso(&self, flusso_id: i64) -> mpd_store::Result<Vec<RigaFlusso>> {
        self.store.righe_flusso(flusso_id)
    }

    // --- The exchange with MyPay: submissions, the counter, receipt exports.

    /// MyPay does not know the request token: the upload never landed. The flow goes back to
    /// `built` and needs a new authorisation.
    pub fn reset_autorizzazione(&mut self, flusso_id: i64, now: Now) -> mpd_store::Result<()> {
        self.store.reset_autorizzazione(flusso_id, now)
    }

    /// Flows whose submission is not finished (built, authorised, uploaded, processing), oldest first.
    pub fn flussi_in_corso(&self) -> mpd_store::Result<Vec<FlussoRecord>> {
        self.store.flussi_in_corso()
    }

    /// A debt created, changed or cancelled at the counter (`paaSILImportaDovuto`, not a
    /// flow): the local copy follows MyPay's answer, with the IUV it assigned.
    pub fn set_dovuto_sportello(
        &mut self,
        iud: &str,
        stato: DovutoStato,
        iuv: Option<&str>,
        now: Now,
    ) -> mpd_store::Result<()> {
        self.store.set_dovuto_sportello(iud, stato, iuv, now)
    }

    /// MyBox accepted the file (or MyPay already knows the request token).
    pub fn set_caricato(
        &mut self,
        flusso_id: i64,
        stato_mypay: Option<&str>,
        now: Now,
    ) -> mpd_store::Result<()> {
        self.store.set_caricato(flusso_id, stato_mypay, now)
    }

    /// The client's state of a flow (default when nothing was persisted yet).
    pub fn invio(&self, flusso_id: i64) -> mpd_store::Result<InvioRecord> {
        self.store.invio(flusso_id)
    }

    /// An upload is about to start: from now on its outcome must be asked before another.
    pub fn set_upload_tentato(&self, flusso_id: i64, now: Now) -> mpd_store::Result<()> {
        self.store.set_upload_tentato(flusso_id, now)
    }

    /// `paaSILAutorizzaImportFlusso` answered: the flow is authorised with these tokens.
    pub fn set_autorizzazione(
        &mut self,
        flusso_id: i64,
        request_token: &str,
        upload_url: &str,
        authorization_token: &str,
        now: Now,
    ) -> mpd_store::Result<()> {
        self.store.set_autorizzazione(
            flusso_id,
            request_token,
            upload_url,
            authorization_token,
            now,
        )
    }

    /// The MyBox upload URL stored with a flow's authorisation.
    pub fn flusso_upload_url(&self, flusso_id: i64) -> mpd_store::Result<Option<String>> {
        self.store.flusso_upload_url(flusso_id)
    }

    /// The booked export not yet finished, if any (the oldest).
    pub fn export_aperta(&self) -> mpd_store::Result<Option<ExportRichiesta>> {
        self.store.export_aperta()
    }

    /// Closes an export (`importata`, `vuota`, `errore`); for an incremental one that was read,
    /// the cursor moves to its end in the same transaction.
    pub fn chiudi_export(
        &mut self,
        id: i64,
        stato: &str,
        file: Option<&str>,
        riepilogo_json: Option<&str>,
        now: Now,
    ) -> mpd_store::Result<()> {
        self.store
            .chiudi_export(id, stato, file, riepilogo_json, now)
    }

    /// Records a booked export.
    pub fn add_export(
        &self,
        request_token: &str,
        incrementale: bool,
        date_from: &str,
        date_to: Option<&str>,
        now: Now,
    ) -> mpd_store::Result<i64> {
        self.store
            .add_export(request_token, incrementale, date_from, date_to, now)
    }

    /// The recorded steps of a flow (authorised, uploaded, processing, outcome, refusal, state
    /// changes), oldest first: the timeline the window draws.
    pub fn audit_flusso(&self, flusso_id: i64) -> mpd_store::Result<Vec<mpd_store::AuditEntry>> {
        self.store.audit_flusso(flusso_id)
    }

    /// Exports, newest first.
    pub fn export_richieste(&self, limit: usize) -> mpd_store::Result<Vec<ExportRichiesta>> {
        self.store.export_richieste(limit)
    }

    /// One stored receipt with what the list leaves out: reason, payment type, outcome, PSP
    /// code, payer of record and the RT itself (base64, as MyPay sent it).
    pub fn ricevuta_dettaglio(&self, id: i64) -> mpd_store::Result<Option<RicevutaDettaglio>> {
        self.store.ricevuta_dettaglio(id)
    }

    /// A step failed (network, MyPay down): the error is kept for `flow status`; the flow stays
    /// where it was and the next `sync` resumes it.
    pub fn set_errore_invio(
        &self,
        flusso_id: i64,
        errore: &str,
        now: Now,
    ) -> mpd_store::Result<()> {
        self.store.set_errore_invio(flusso_id, errore, now)
    }

    /// MyPay reported a state while processing (`LOAD_IMPORT`, `IMPORT_IN_ELAB`).
    pub fn set_in_elaborazione(
        &mut self,
        flusso_id: i64,
        stato_mypay: &str,
        now: Now,
    ) -> mpd_store::Result<()> {
        self.store.set_in_elaborazione(flusso_id, stato_mypay, now)
    }

    // --- Receipts.

    /// The receipt matched to each of `iuds` that has one (the newest, when several are):
    /// the paid amount and date of an exported list of debts, without reading every receipt.
    pub fn ricevute_dei_dovuti(
        &self,
        iuds: &[String],
    ) -> mpd_store::Result<std::collections::HashMap<String, RicevutaRecord>> {
        self.store.ricevute_dei_dovuti(iuds)
    }

    // --- Contribution.

    /// Deletes a tracked amount (typed by mistake).
    pub fn delete_contributo_importo(&self, id: i64, now: Now) -> mpd_store::Result<()> {
        self.store.delete_contributo_importo(id, now)
    }

    // --- The report.

    /// The report's figures on `oggi` (see the module's documentation for the rules).
    pub fn rapporto(&self, oggi: NaiveDate) -> mpd_store::Result<Aggregati> {
        self.store.rapporto(oggi)
    }
}
