//! MyBox (spec §3) and the import batch (spec §4.4–§4.9, §6.1).
//!
//! * `upload`: the on-the-spot checks of `POST /public/mybox/uploadFlusso` (§3.1). The answer is
//!   always HTTP 200 with a JSON array of one object, success or `{codice, descrizione}`.
//! * `download`: `GET /public/mybox/download/{enteId}` (§3.2): 401 expired token, 418 missing
//!   file, 500 other errors.
//! * `batch_loop`: every `batch_interval`, up to 3 uploaded files go
//!   `LOAD_IMPORT → IMPORT_IN_ELAB → IMPORT_ESEGUITO | IMPORT_ABORTITO` (file-level error codes
//!   of §4.7 stored in `cod_errore`), and booked exports are built (`export`).
//!
//! Rows are judged by mpd-domain's `mypay_findings` (MyPay's own rules, not our stricter ones),
//! rendered with MyPay's exact `cod_rifiuto`/`de_rifiuto`, then the I/M/A semantics of §4.5 run
//! against the emulator's own debts. Each row is independent; the whole file is one transaction.

use std::fs::{self, File};
use std::io::{BufReader, Cursor};
use std::path::{Component, Path};
use std::sync::Arc;

use crate::db::Connection;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use md5::{Digest, Md5};
use mpd_domain::validate::{codes, mypay_column_count_finding, mypay_iud_duplicato_db};
use mpd_domain::{Azione, Column, Finding, IudTracker, RawRow, RowContext, Version};
use mpd_tracciato::import::RowSyntaxKind;
use mpd_tracciato::{
    FlowZipReader, ImportReader, IuvWriter, ScartiWriter, ZipLimits, ZipReadError,
};
use rand::SeedableRng;
use rand::seq::SliceRandom;

use crate::config::EnteConfig;
use crate::db::{self, stato};
use crate::error::EmulatorError;
use crate::export;
use crate::notice::{self, Notice};
use crate::state::State;
use crate::tokens::TokenError;

// ---------------------------------------------------------------------------------------------
// Upload

/// The JSON error of the upload: HTTP 200, `[{"codice": …, "descrizione": "[uid] …"}]`.
pub fn upload_error(codice: &str, message: &str) -> Response {
    let uid = uuid::Uuid::new_v4().simple().to_string();
    Json(serde_json::json!([{
        "codice": codice,
        "descrizione": format!("[{}] {message}", &uid[..12]),
    }]))
    .into_response()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A plain file name (no directories, no `..`): MyPay would join it to a path.
fn safe_file_name(name: &str) -> bool {
    !name.is_empty()
        && !name.contains(['/', '\\', ':', '\0'])
        && name != "."
        && name != ".."
        && name.len() <= 255
}

/// Handles an upload whose multipart parts were read (`files`: name, content type, bytes).
pub fn upload(
    state: &State,
    token: Option<&str>,
    files: Vec<(String, String, Vec<u8>)>,
) -> Response {
    let claims = match token.map(|t| state.tokens.verify(t.trim())) {
        Some(Ok(c)) if c.kind == "ws" => c,
        Some(Err(TokenError::Expired)) => {
            return upload_error("500", "authorizationToken scaduto");
        }
        _ => return upload_error("500", "authorizationToken non valido"),
    };
    if claims.upload_type.as_deref() != Some("FLUSSI_IMPORT") {
        return upload_error("500", "tipo di upload non valido");
    }
    let Some((ente, ente_id)) = claims.ente.as_deref().and_then(|ipa| state.ente(ipa)) else {
        return upload_error("500", "ente non valido");
    };
    if files.is_empty() {
        return upload_error("500", "request multipart non valida, file non presente");
    }
    let non_empty: Vec<_> = files.into_iter().filter(|f| !f.2.is_empty()).collect();
    if non_empty.is_empty() {
        return upload_error("500", "request multipart non valida, file vuoto");
    }
    if non_empty.len() > 1 {
        return upload_error(
            "500",
            &format!(
                "request multipart non valida, file presenti: {}",
                non_empty.len()
            ),
        );
    }
    let Some((file_name, content_type, data)) = non_empty.into_iter().next() else {
        return upload_error("500", "request multipart non valida, file non presente");
    };
    let request_token = claims.sub.clone();
    match upload_inner(state, ente, ente_id, &request_token, &file_name, &data) {
        Ok(()) => Json(serde_json::json!([{
            "fileName": file_name,
            "fileSize": data.len().to_string(),
            "fileType": content_type,
        }]))
        .into_response(),
        Err((codice, message)) => upload_error(codice, &message),
    }
}

fn upload_inner(
    state: &State,
    ente: &EnteConfig,
    ente_id: i64,
    request_token: &str,
    file_name: &str,
    data: &[u8],
) -> Result<(), (&'static str, String)> {
    let internal = |e: &dyn std::fmt::Display| ("500", e.to_string());
    let conn = state.lock_db();
    if db::import_exists(&conn, request_token).map_err(|e| internal(&e))? {
        return Err(("500", "Request token già usato".into()));
    }
    // MyPay would write outside its folder with such a name; the emulator refuses it.
    if !safe_file_name(file_name) {
        return Err((
            "400",
            format!("Il nome del file [{file_name}] non è valido."),
        ));
    }
    // [QUIRK] the file is stored before it is validated; a rejected file stays there.
    let dir = state.ente_dir(&ente.ente.codice_ipa).join("IMPORT");
    fs::create_dir_all(&dir).map_err(|e| internal(&e))?;
    let path = dir.join(file_name);
    fs::write(&path, data).map_err(|e| internal(&e))?;
    fs::write(
        dir.join(format!("{file_name}.md5")),
        hex(&Md5::digest(data)),
    )
    .map_err(|e| internal(&e))?;
    fs::write(dir.join(format!("{file_name}.auth")), request_token).map_err(|e| internal(&e))?;
    // validateFile, in MyPay's order.
    let lower = file_name.to_ascii_lowercase();
    if !lower.ends_with(".zip") {
        return Err((
            "400",
            format!("Il formato del file [{file_name}] deve essere lo zip."),
        ));
    }
    let stem = &file_name[..file_name.len() - 4];
    if let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(data)) {
        for i in 0..zip.len().min(1000) {
            let Ok(entry) = zip.by_index_raw(i) else {
                continue;
            };
            let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
            if !name.starts_with(&format!("{stem}.")) {
                return Err((
                    "400",
                    format!(
                        "Il nome del file contenuto [{name}] deve essere uguale al nome dello zip [{file_name}]."
                    ),
                ));
            }
        }
    }
    if !file_name.starts_with(&ente.ente.codice_ipa) {
        return Err((
            "400",
            format!("Il nome del file [{file_name}] deve iniziare col codice dell'ente."),
        ));
    }
    if state.piattaforma().pu() {
        // PU: a name already uploaded is refused, unless that upload ended in ERROR or
        // WARNING (the old file is archived and the new one taken, spec §1.3).
        if db::nome_pu_bloccato(&conn, file_name).map_err(|e| internal(&e))? {
            return Err((
                "FILE_ALREADY_EXISTS",
                format!("File {file_name} already exists"),
            ));
        }
    } else if db::flusso_name_exists(&conn, file_name).map_err(|e| internal(&e))? {
        return Err((
            "400",
            format!("Lo stesso nome di file [{file_name}] esiste gia'."),
        ));
    }
    db::insert_import(
        &conn,
        request_token,
        ente_id,
        file_name,
        state.now(),
        state.not_before(),
    )
    .map_err(|e| internal(&e))?;
    state.pu.arrivato(request_token);
    Ok(())
}

/// ARIA's upload proxy (`POST /api/upload/flusso`, spec §1.2): MyBox's call, with the
/// tracciato version checked first — PU cannot take 1_4 or 1_5 yet.
pub fn upload_aria(
    state: &State,
    token: Option<&str>,
    files: Vec<(String, String, Vec<u8>)>,
) -> Response {
    for (name, _, _) in &files {
        if let Some(v) = crate::piattaforma::versione_del_nome(name)
            && state.options.versioni_rifiutate.iter().any(|r| r == v)
        {
            return upload_error(
                &format!("PAA_IMPORT_FILE_VERSIONE_ERR({v})"),
                &format!("Versione tracciato {v} riconosciuta ma attualmente rifiutata"),
            );
        }
    }
    upload(state, token, files)
}

/// PU fileshare's JSON error: `{code, message}` with an HTTP status.
fn errore_pu(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(serde_json::json!({ "code": code, "message": message })),
    )
        .into_response()
}

/// `POST /pu/fileshare/organization/{org}/ingestionflowfiles?ingestionFlowFileId=…` with the
/// file in the part already read: `201 {ingestionFlowFileId}`, or PU's refusals (the request
/// not waiting for a file, a name without a valid version, a name reused).
pub fn upload_pu(
    state: &State,
    org: i64,
    request_token: &str,
    file_name: &str,
    data: &[u8],
) -> Response {
    let Some(ente) = state.ente_by_id(org) else {
        return errore_pu(StatusCode::NOT_FOUND, "NOT_FOUND", "organization not found");
    };
    if state.pu.in_attesa(request_token) != Some(org) {
        return errore_pu(
            StatusCode::BAD_REQUEST,
            "INVALID_STATUS",
            "ingestionFlowFile not in status WAITING_FILE",
        );
    }
    let versione_ok = crate::piattaforma::versione_del_nome(file_name).is_some_and(|v| {
        ["1_0", "1_1", "1_2", "1_3", "1_4", "2_0"].contains(&v)
            && !state.options.versioni_rifiutate.iter().any(|r| r == v)
    });
    if !versione_ok || file_name.contains("..") {
        return errore_pu(
            StatusCode::BAD_REQUEST,
            "INVALID_FILE_NAME",
            "File name must contain a valid version",
        );
    }
    match upload_inner(state, ente, org, request_token, file_name, data) {
        Ok(()) => (
            StatusCode::CREATED,
            Json(serde_json::json!({ "ingestionFlowFileId": request_token })),
        )
            .into_response(),
        Err(("FILE_ALREADY_EXISTS", m)) => {
            errore_pu(StatusCode::CONFLICT, "FILE_ALREADY_EXISTS", &m)
        }
        Err((_, m)) => errore_pu(StatusCode::BAD_REQUEST, "INVALID_FILE", &m),
    }
}

// ---------------------------------------------------------------------------------------------
// Download

fn mybox_error(status: StatusCode, message: &str) -> Box<Response> {
    let body = Json(serde_json::json!({
        "status": status.as_u16(),
        "message": message,
        "errorUID": uuid::Uuid::new_v4().simple().to_string(),
    }));
    Box::new((status, body).into_response())
}

/// Checks the token and reads the file: `(basename, bytes)` or the error response.
pub fn download(
    state: &State,
    ente_id: &str,
    kind: &str,
    token: &str,
    filename: &str,
) -> Result<(String, Vec<u8>), Box<Response>> {
    let claims = match state.tokens.verify(token) {
        Ok(c) => c,
        Err(TokenError::Expired) => {
            return Err(Box::new(
                (
                    StatusCode::UNAUTHORIZED,
                    "Token download scaduto, si prega di ricaricare la pagina e ripetere l'operazione.",
                )
                    .into_response(),
            ));
        }
        Err(TokenError::Invalid) => {
            return Err(mybox_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "codice sicurezza non valido",
            ));
        }
    };
    if claims.kind != "sec" || claims.sub != "<ANONIMO>" {
        return Err(mybox_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "codice sicurezza non valido",
        ));
    }
    // [QUIRK] for FLUSSI_IMPORT the oid is not compared: any valid download token works.
    let legato =
        kind.starts_with("FLUSSI_EXPORT") || kind == "FLUSSI_RENDIC" || kind == "FLUSSI_QUADR";
    if legato && claims.oid.as_deref() != Some(&format!("{kind}|{ente_id}|{filename}")) {
        return Err(mybox_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "codice sicurezza non valido",
        ));
    }
    let Some(ente) = ente_id
        .parse::<i64>()
        .ok()
        .and_then(|id| state.ente_by_id(id))
    else {
        return Err(mybox_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "ente non valido",
        ));
    };
    let rel = Path::new(filename.trim_start_matches('/'));
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) || filename.contains('\\') {
        return Err(mybox_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "percorso del file non valido",
        ));
    }
    let path = state.ente_dir(&ente.ente.codice_ipa).join(rel);
    match fs::read(&path) {
        Ok(bytes) if path.is_file() => {
            let name = rel
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok((name, bytes))
        }
        // MyPay maps its NotFoundException to 418.
        _ => Err(mybox_error(
            StatusCode::IM_A_TEAPOT,
            &format!("file non trovato: {filename}"),
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// Batch

/// The batch: runs every `batch_interval` on the blocking pool with its own connection.
pub async fn batch_loop(state: Arc<State>) {
    let mut tick = tokio::time::interval(state.options.batch_interval);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let st = state.clone();
        let _ = tokio::task::spawn_blocking(move || run_batch(&st)).await;
    }
}

fn run_batch(state: &State) {
    let Ok(mut conn) = db::open(&state.db_path) else {
        return;
    };
    let now = state.now();
    // MyPay's ImportFlussoTask takes at most 3 files per run.
    if let Ok(list) = db::pending_imports(&conn, now, 3) {
        for req in list {
            process_import(state, &mut conn, &req);
        }
    }
    // Imports whose pagoPA sync is over.
    if let Ok(list) = db::synced_imports(&conn, now) {
        for (token, flusso_id) in list {
            let _ = db::set_flusso_state(&conn, flusso_id, "CARICATO");
            let _ = db::finish_held_import(&conn, &token);
        }
    }
    if let Ok(list) = db::pending_exports(&conn, now, 10) {
        for req in list {
            export::process(state, &mut conn, &req);
        }
    }
    if let Ok(list) = db::pending_scaduti(&conn, now, 10) {
        for req in list {
            crate::scaduti::process(state, &mut conn, &req);
        }
    }
}

/// How a file-level step ends the import.
enum Abort {
    /// `IMPORT_ABORTITO` with this `cod_errore`.
    Code(String),
    /// [QUIRK] MyPay crashes before any status update: the import stays `IMPORT_IN_ELAB`.
    Stuck,
}

impl From<EmulatorError> for Abort {
    fn from(_: EmulatorError) -> Self {
        Abort::Code("PAA_IMPORT_ERRORE_GENERICO".into())
    }
}

fn process_import(state: &State, conn: &mut Connection, req: &db::ImportReq) {
    match import_file(state, conn, req) {
        Ok(()) => {}
        Err(Abort::Stuck) => {}
        Err(Abort::Code(code)) => {
            let _ = db::set_import_state(
                conn,
                &req.request_token,
                "IMPORT_ABORTITO",
                Some(&code),
                None,
            );
        }
    }
}

fn import_file(state: &State, conn: &mut Connection, req: &db::ImportReq) -> Result<(), Abort> {
    let ente = state
        .ente_by_id(req.ente_id)
        .ok_or_else(|| Abort::Code("PAA_IMPORT_ERRORE_GENERICO".into()))?;
    let ipa = &ente.ente.codice_ipa;
    let dir = state.ente_dir(ipa).join("IMPORT");
    let zip_path = dir.join(&req.file_name);
    let auth = fs::read_to_string(dir.join(format!("{}.auth", req.file_name)))
        .map_err(|_| Abort::Code("PAA_IMPORT_NO_FILE_AUTH".into()))?;
    let md5 = fs::read_to_string(dir.join(format!("{}.md5", req.file_name)))
        .map_err(|_| Abort::Code("PAA_IMPORT_NO_FILE_MD5".into()))?;
    if auth.trim() != req.request_token {
        return Err(Abort::Code("PAA_IMPORT_NO_MATCH_AUTH".into()));
    }
    db::set_import_state(conn, &req.request_token, "IMPORT_IN_ELAB", None, None)?;
    if state.piattaforma().pu() {
        let mut f = state.faults();
        if f.config.import_in_errore > 0 {
            f.config.import_in_errore -= 1;
            return Err(Abort::Code("PAA_IMPORT_ERRORE_GENERICO".into()));
        }
    }
    let stem = &req.file_name[..req.file_name.len().saturating_sub(4)];
    let parts: Vec<&str> = stem.split('-').collect();
    if parts.len() < 2 {
        return Err(Abort::Stuck);
    }
    if parts.len() != 3 {
        return Err(Abort::Code(format!("PAA_IMPORT_NOME_FILE_ERR({stem})")));
    }
    if !parts[0].eq_ignore_ascii_case(ipa) {
        return Err(Abort::Code(format!(
            "PAA_IMPORT_ENTE_ERR({},{ipa})",
            parts[0]
        )));
    }
    let version = Version::parse(parts[2])
        .ok_or_else(|| Abort::Code(format!("PAA_IMPORT_FILE_VERSIONE_ERR({})", parts[2])))?;
    let iuf = parts[1];
    let bytes = fs::read(&zip_path).map_err(|_| Abort::Code("PAA_IMPORT_ERROR".into()))?;
    if hex(&Md5::digest(&bytes)) != md5.trim() {
        return Err(Abort::Code("PAA_IMPORT_NO_MATCH_MD5".into()));
    }
    // The batch looks for exactly `<nome>.csv`; FlowZipReader also refuses zip slip and bombs.
    let zip_name = format!("{stem}.zip");
    let zip = FlowZipReader::open(Cursor::new(&bytes), &zip_name, &ZipLimits::default()).map_err(
        |e| match e {
            ZipReadError::MissingEntry { .. } => Abort::Code("PAA_IMPORT_NO_CSV".into()),
            _ => Abort::Code("PAA_IMPORT_ERROR".into()),
        },
    )?;
    if iuf.len() > mpd_tracciato::flow_name::IUF_MAX_LEN {
        return Err(Abort::Code("PAA_IMPORT_FLUSSO_ERRORE_GENERICO".into()));
    }
    let now = state.now();
    // update_insert_flusso: a flow with this IUF still being loaded (LOAD_FLOW, less than 24 h
    // old: another file still in processing or waiting for the pagoPA sync) blocks this one.
    // PU keys an upload by its file, not by the IUF: its own name rule ran at upload.
    if !state.piattaforma().pu() {
        if db::iuf_in_caricamento(conn, req.ente_id, iuf, now - chrono::Duration::hours(24))? {
            return Err(Abort::Code("PAA_IMPORT_FLUSSO_IN_CARICAMENTO".into()));
        }
        if db::iuf_loaded(conn, req.ente_id, iuf)? {
            return Err(Abort::Code("PAA_IMPORT_FLUSSO_DUPLICATO".into()));
        }
    }
    let flusso_id = db::insert_flusso(conn, req.ente_id, iuf, &req.file_name, now)?;
    let out = load_flusso(
        state, conn, req, ente, flusso_id, zip, stem, iuf, version, &dir, &zip_path, now,
    );
    if out.is_err() {
        // A file-level error after the flow was created: MyPay marks it ERRORE_CARICAMENTO.
        let _ = db::set_flusso_state(conn, flusso_id, "ERRORE_CARICAMENTO");
    }
    out
}

/// The part of the import after the flow row exists: rows, result files, final states.
#[allow(clippy::too_many_arguments)]
fn load_flusso(
    state: &State,
    conn: &mut Connection,
    req: &db::ImportReq,
    ente: &EnteConfig,
    flusso_id: i64,
    mut zip: FlowZipReader<Cursor<&Vec<u8>>>,
    stem: &str,
    iuf: &str,
    version: Version,
    dir: &Path,
    zip_path: &Path,
    now: chrono::NaiveDateTime,
) -> Result<(), Abort> {
    let ipa = &ente.ente.codice_ipa;
    let month = now.format("%Y_%m").to_string();
    let percorso = format!("/IMPORT_ELABORATI/{month}/{stem}");
    let out_dir = state.ente_dir(ipa).join(percorso.trim_start_matches('/'));
    let csv = zip
        .csv()
        .map_err(|_| Abort::Code("PAA_IMPORT_ERROR".into()))?;
    let reader = ImportReader::new(BufReader::with_capacity(1 << 20, csv), version)
        .map_err(|_| Abort::Code("PAA_IMPORT_NO_CSV".into()))?;
    let mut avvisi = notice::AvvisiBuilder::new(&ente.ente);
    let outcome = db::transaction(conn, |tx| {
        Ok(judge_rows(
            state,
            tx,
            ente,
            req.ente_id,
            iuf,
            version,
            reader,
            now,
            &mut avvisi,
        ))
    })?
    .map_err(Abort::Code)?;
    // Output files.
    fs::create_dir_all(&out_dir).map_err(|_| Abort::Code("PAA_IMPORT_ERROR".into()))?;
    let mut cod_errore = String::new();
    let write = |suffix: &str, csv: &[u8]| -> std::io::Result<()> {
        let name = format!("{stem}{suffix}");
        let file = File::create(out_dir.join(format!("{name}.zip")))?;
        mpd_tracciato::flow_zip::write_single_entry_zip(file, &format!("{name}.csv"), csv, 6)
            .map(|_| ())
            .map_err(std::io::Error::other)
    };
    let mut scarti = outcome.scarti;
    if state.options.shuffle_scarti {
        // [QUIRK] MyPay collects rejected rows in a HashMap: their order is not the file's.
        let seed = req
            .request_token
            .bytes()
            .fold(7u64, |h, b| h.wrapping_mul(31) ^ u64::from(b));
        scarti.shuffle(&mut rand::rngs::StdRng::seed_from_u64(seed));
    }
    if !scarti.is_empty() {
        let mut w = ScartiWriter::new(Vec::new(), &outcome.header)
            .map_err(|_| Abort::Code("PAA_IMPORT_ERROR".into()))?;
        for (raw, cod, de) in &scarti {
            if w.write(raw, cod, de).is_err() {
                cod_errore = "PAA_IMPORT_ERROR".into();
            }
        }
        let csv = w.finish().unwrap_or_default();
        if write("_SCARTI", &csv).is_err() {
            cod_errore = "PAA_IMPORT_ERROR".into();
        }
    }
    if outcome.loaded > 0 && write("_IUV", &outcome.iuv_csv).is_err() {
        cod_errore = "PAA_IMPORT_ERROR".into();
    }
    let mut pdf = 0;
    if !avvisi.is_empty() {
        let n = avvisi.len() as i64;
        let written = File::create(out_dir.join(format!("{stem}_AVVISI_PDF.zip")))
            .map_err(|e| e.to_string())
            .and_then(|f| avvisi.finish(std::io::BufWriter::with_capacity(1 << 20, f)));
        match written {
            Ok(()) => pdf = n,
            Err(_) => cod_errore = "PAA_IMPORT_ERROR".into(),
        }
    }
    let _ = fs::rename(zip_path, out_dir.join(&req.file_name));
    for ext in ["md5", "auth"] {
        let _ = fs::remove_file(dir.join(format!("{}.{ext}", req.file_name)));
    }
    // With a pagoPA sync to wait for (MyPay with GPD enabled, emulated by the `sync_secs`
    // fault), the flow stays LOAD_FLOW and the import IMPORT_IN_ELAB until the batch ends it.
    let sync_secs = state.faults().config.sync_secs;
    db::update_flusso(
        conn,
        &db::FlussoRec {
            id: flusso_id,
            nome_file: req.file_name.clone(),
            stato: if sync_secs > 0 {
                "LOAD_FLOW"
            } else {
                "CARICATO"
            }
            .into(),
            percorso: Some(percorso),
            righe_totali: outcome.total as i64,
            righe_ok: outcome.loaded as i64,
            pdf,
        },
    )?;
    if sync_secs > 0 {
        db::hold_import(
            conn,
            &req.request_token,
            &cod_errore,
            flusso_id,
            now + chrono::Duration::seconds(sync_secs as i64),
        )?;
        return Ok(());
    }
    // On success MyPay stores an empty cod_errore, so the state code is shown.
    db::set_import_state(
        conn,
        &req.request_token,
        "IMPORT_ESEGUITO",
        Some(&cod_errore),
        Some(flusso_id),
    )?;
    Ok(())
}

struct Outcome {
    header: String,
    total: usize,
    loaded: usize,
    scarti: Vec<(String, String, String)>,
    iuv_csv: Vec<u8>,
}

#[allow(clippy::too_many_arguments)]
fn judge_rows<R: std::io::BufRead>(
    state: &State,
    tx: &Connection,
    ente: &EnteConfig,
    ente_id: i64,
    iuf: &str,
    version: Version,
    reader: ImportReader<R>,
    now: chrono::NaiveDateTime,
    avvisi: &mut notice::AvvisiBuilder,
) -> Result<Outcome, String> {
    let header = reader.header().to_string();
    let mut iuv_writer =
        IuvWriter::new(Vec::new(), version, &header).map_err(|_| "PAA_IMPORT_ERROR".to_string())?;
    let ctx = RowContext::new(&ente.ente, &ente.tipi, version, now.date());
    let mut tracker = IudTracker::new();
    let mut out = Outcome {
        header: header.clone(),
        total: 0,
        loaded: 0,
        scarti: Vec::new(),
        iuv_csv: Vec::new(),
    };
    for record in reader {
        let record = record.map_err(|_| "PAA_IMPORT_ERROR".to_string())?;
        out.total += 1;
        let verdict = match record.fields {
            Err(e) => Err(syntax_rifiuto(&e.kind, &ctx, version)),
            Ok(row) => judge_row(
                state,
                tx,
                ente,
                ente_id,
                iuf,
                record.row,
                row,
                &ctx,
                &mut tracker,
                now,
            ),
        };
        match verdict {
            Ok((row, notice)) => {
                out.loaded += 1;
                if iuv_writer.write_row(&row).is_err() {
                    // A loaded row that cannot be written back (a line break in a field).
                    continue;
                }
                if let Some(n) = notice {
                    avvisi.push(n);
                }
            }
            Err((cod, de)) => out.scarti.push((record.raw, cod, de)),
        }
    }
    out.iuv_csv = iuv_writer.finish().unwrap_or_default();
    Ok(out)
}

fn rendered(findings: &[Finding], row: &RawRow, version: Version) -> (String, String) {
    mpd_domain::render_rifiuto(findings, row, version)
        .map(|r| (r.cod_rifiuto, r.de_rifiuto))
        .unwrap_or_else(|| ("PAA_IMPORT_ERROR".into(), "|ERRORE".into()))
}

fn syntax_rifiuto(
    kind: &RowSyntaxKind,
    ctx: &RowContext<'_>,
    version: Version,
) -> (String, String) {
    match kind {
        RowSyntaxKind::TooManyColumns { found, partial, .. } => {
            let mut f: Vec<Finding> = mpd_domain::mypay_findings(partial, ctx)
                .into_iter()
                .filter(|f| f.code == codes::SINTASSI_CSV)
                .collect();
            f.extend(mypay_column_count_finding(*found, version));
            rendered(&f, partial, version)
        }
        RowSyntaxKind::TooFewColumns { found, .. } => {
            let f: Vec<Finding> = mypay_column_count_finding(*found, version)
                .into_iter()
                .collect();
            rendered(&f, &RawRow::default(), version)
        }
        _ => (
            codes::SINTASSI_CSV.to_string(),
            format!("|{}", mpd_tracciato::import::MYPAY_GENERIC_ROW_ERROR),
        ),
    }
}

fn db_code(code: &str, de: &str) -> (String, String) {
    (format!("|{code}"), format!("|{de}"))
}

#[allow(clippy::too_many_arguments)]
fn judge_row(
    state: &State,
    tx: &Connection,
    ente: &EnteConfig,
    ente_id: i64,
    iuf: &str,
    num_riga: usize,
    mut row: RawRow,
    ctx: &RowContext<'_>,
    tracker: &mut IudTracker,
    now: chrono::NaiveDateTime,
) -> Result<(RawRow, Option<Notice>), (String, String)> {
    let version = ctx.version;
    let findings = mpd_domain::mypay_findings(&row, ctx);
    if findings.iter().any(|f| f.code == codes::SINTASSI_CSV) {
        return Err(rendered(&findings, &row, version));
    }
    let iud = row.get(Column::Iud).to_string();
    if let Some(dup) = tracker.check(&iud) {
        return Err(rendered(&[dup], &row, version));
    }
    if !findings.is_empty() {
        return Err(rendered(&findings, &row, version));
    }
    let azione =
        Azione::parse(row.get(Column::Azione)).ok_or_else(|| db_code(codes::AZIONE, "azione"))?;
    let dberr = |e: EmulatorError| {
        (
            "PAA_IMPORT_ERROR".to_string(),
            format!("|CODICE PAA_IMPORT_ERROR DESCRIZIONE {e}"),
        )
    };
    let genera = version >= Version::V1_3
        && row
            .get(Column::FlagGeneraIuv)
            .trim()
            .eq_ignore_ascii_case("true");
    match azione {
        Azione::Inserimento => {
            // Step 5: MyPay generates the IUV before the DB function runs.
            if genera && row.get(Column::CodIuv).is_empty() {
                let n = db::next_iuv_counter(tx, ente_id).map_err(dberr)?;
                let iuv = mpd_domain::iuv::generate_iuv17(&ente.ente.codice_segregazione, "00", n)
                    .map_err(|e| {
                        (
                            "PAA_IMPORT_ERROR".to_string(),
                            format!("|CODICE PAA_SYSTEM_ERROR DESCRIZIONE {}", e.message_it()),
                        )
                    })?;
                row.set(Column::CodIuv, iuv);
            }
            if db::iud_registered(tx, ente_id, &iud).map_err(dberr)? {
                return Err(rendered(&[mypay_iud_duplicato_db(&iud)], &row, version));
            }
            let iuv = row.get(Column::CodIuv).to_string();
            if !iuv.is_empty() && db::iuv_registered(tx, ente_id, &iuv).map_err(dberr)? {
                return Err(db_code(
                    "PAA_IMPORT_IUV_DUPLICATO",
                    "IUV duplicato presente nel database",
                ));
            }
            db::register_iud(tx, ente_id, &iud).map_err(dberr)?;
            if !iuv.is_empty() {
                db::register_iuv(tx, ente_id, &iuv).map_err(dberr)?;
            }
            insert(tx, ente_id, iuf, num_riga, &row, now).map_err(dberr)?;
        }
        Azione::Modifica | Azione::Annullamento => {
            let Some(cur) = db::current_by_iud(tx, ente_id, &iud).map_err(dberr)? else {
                return Err((
                    "PAA_IMPORT_ERROR".into(),
                    format!(
                        "|CODICE PAA_IMPORT_ERROR DESCRIZIONE Dovuto non trovato per IUD [{iud}] e codice IPA Ente [{}]",
                        ente.ente.codice_ipa
                    ),
                ));
            };
            if cur.stato != stato::DA_PAGARE {
                let what = if azione == Azione::Modifica {
                    "modificarlo"
                } else {
                    "annullarlo"
                };
                return Err(db_code(
                    "PAA_IMPORT_DOVUTO_NON_PRESENTE",
                    &format!("Dovuto non presente o in pagamento nel database, impossibile {what}"),
                ));
            }
            if azione == Azione::Annullamento {
                db::to_history(tx, cur.id, Some(stato::ANNULLATO), now).map_err(dberr)?;
            } else {
                if cur.riga.get(Column::TipoDovuto) != row.get(Column::TipoDovuto) {
                    return Err(db_code(
                        "PAA_IMPORT_TIPO_DOVUTO_NON_MODIFICABILE",
                        "Non è possibile modificare il tipo dovuto",
                    ));
                }
                let new_iuv = row.get(Column::CodIuv).to_string();
                match cur.iuv.as_deref() {
                    Some(old) if new_iuv.is_empty() => {
                        let _ = old;
                        return Err(db_code(
                            "PAA_IMPORT_IUV_NO_NULLABLE",
                            "Il codice iuv non può essere annullato",
                        ));
                    }
                    Some(old) if old != new_iuv => {
                        return Err(db_code(
                            "PAA_IMPORT_IUV_DUPLICATO",
                            "Non è possibile modificare il codice iuv",
                        ));
                    }
                    None if !new_iuv.is_empty() => {
                        if db::iuv_registered(tx, ente_id, &new_iuv).map_err(dberr)? {
                            return Err(db_code(
                                "PAA_IMPORT_IUV_DUPLICATO",
                                "IUV duplicato presente nel database",
                            ));
                        }
                        db::register_iuv(tx, ente_id, &new_iuv).map_err(dberr)?;
                    }
                    _ => {}
                }
                db::to_history(tx, cur.id, None, now).map_err(dberr)?;
                insert(tx, ente_id, iuf, num_riga, &row, now).map_err(dberr)?;
            }
        }
    }
    tracker.mark_loaded(&iud);
    let notice = (genera && azione != Azione::Annullamento && !row.get(Column::CodIuv).is_empty())
        .then(|| Notice::from_row(&row));
    let _ = state;
    Ok((row, notice))
}

fn insert(
    tx: &Connection,
    ente_id: i64,
    iuf: &str,
    num_riga: usize,
    row: &RawRow,
    now: chrono::NaiveDateTime,
) -> Result<i64, EmulatorError> {
    let iuv = row.get(Column::CodIuv);
    db::insert_dovuto(
        tx,
        &db::NewDovuto {
            ente_id,
            iuf,
            num_riga: num_riga as i64,
            iuv: (!iuv.is_empty()).then_some(iuv),
            riga: row,
            now,
        },
    )
}
