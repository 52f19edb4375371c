//! Routes of the emulator (axum). MyPay's own paths are `/ws/**` (SOAP, WSDL, XSD) and
//! `/public/**` (MyBox upload and download, landing pages); the emulator's controls live under
//! `/sim/` so they can never collide with MyPay's.
//!
//! Work that touches SQLite or files runs on the blocking pool. Fault injection is a
//! middleware on MyPay's paths only.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, Request, State as AxState};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use crate::faults::{Decision, FaultConfig, Kind};
use crate::piattaforma::Piattaforma;
use crate::state::State;
use crate::{import, ops, payments};

/// Largest SOAP request accepted (MyPay's container default is of the same order).
pub const SOAP_BODY_LIMIT: usize = 5 * 1024 * 1024;
/// MyPay's `spring.servlet.multipart.max-request-size` = 10MB.
pub const UPLOAD_LIMIT: u64 = 10 * 1024 * 1024;
/// Past this an oversized upload is cut off without reading the rest.
const DRAIN_LIMIT: u64 = 64 * 1024 * 1024;

type S = AxState<Arc<State>>;

const WSDL: &str = include_str!("../../../../assets/contract/pa-per-ente.wsdl");
const XSD: &str = include_str!("../../../../assets/contract/PagInf_Dovuti_Pagati_6_2_0.xsd");

pub fn router(state: Arc<State>) -> Router {
    let mypay = Router::new()
        .route("/ws/pa/PagamentiTelematiciDovutiPagati.wsdl", get(wsdl))
        .route("/ws/pa/PagInf_Dovuti_Pagati_6_2_0.xsd", get(xsd))
        .route("/ws", post(soap))
        .route("/ws/", post(soap))
        .route("/ws/{*rest}", post(soap))
        .route(
            "/public/mybox/uploadFlusso",
            post(upload).layer(DefaultBodyLimit::disable()),
        )
        .route("/public/mybox/download/{ente_id}", get(download))
        // Issue 15: ARIA's upload proxy, PU's token, SOAP, fileshare (each answers 404 on
        // the other platforms).
        .route(
            "/api/upload/flusso",
            post(upload_aria).layer(DefaultBodyLimit::disable()),
        )
        .route("/pu/auth/oauth/token", post(token_pu))
        .route(
            "/pu/sil/soap/payments/PagamentiTelematiciDovutiPagati",
            post(soap_pu),
        )
        .route(
            "/pu/fileshare/organization/{org}/ingestionflowfiles",
            post(upload_pu).layer(DefaultBodyLimit::disable()),
        )
        .route("/pu/fileshare/download/{ente_id}", get(download_pu))
        .route(
            "/public/landing/inviaDovuti",
            get(payments::landing_page).post(payments::landing_pay),
        )
        .route("/public/landing/avviso", get(payments::landing_avviso))
        .route(
            "/public/landing/precaricato",
            get(payments::landing_precaricato),
        )
        .layer(middleware::from_fn_with_state(state.clone(), inject_faults));
    let sim = Router::new()
        .route("/sim/pay", post(sim_pay))
        .route(
            "/sim/faults",
            get(get_faults).put(put_faults).post(put_faults),
        )
        .route("/sim/status", get(status))
        .route("/sim/flussi/annulla", post(sim_annulla_flusso))
        .route("/sim/fdr", get(sim_fdr))
        .route("/sim/tesoreria", post(sim_tesoreria));
    mypay
        .merge(sim)
        .layer(DefaultBodyLimit::max(SOAP_BODY_LIMIT))
        .with_state(state)
}

async fn inject_faults(AxState(state): S, mut req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let kind = if path.starts_with("/ws") || path.starts_with("/pu/sil/soap") {
        Kind::Soap
    } else if path.starts_with("/public/mybox/upload")
        || path.starts_with("/api/upload")
        || path.starts_with("/pu/fileshare/organization")
    {
        Kind::Upload
    } else if path.starts_with("/public/mybox/download")
        || path.starts_with("/pu/fileshare/download")
    {
        Kind::Download
    } else {
        Kind::Other
    };
    let (latency, decision) = {
        let mut f = state.faults();
        (f.latency(), f.decide(kind))
    };
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    if let Decision::HttpError(code) = decision {
        let status = StatusCode::from_u16(code).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
        return (status, "Service Unavailable").into_response();
    }
    req.extensions_mut().insert(decision);
    next.run(req).await
}

/// A response whose body fails at once: hyper drops the connection mid-response.
pub fn dropped_connection() -> Response {
    Response::new(Body::from_stream(TwoStep(None, false)))
}

async fn wsdl(AxState(state): S) -> Response {
    let text = WSDL.replace(
        "<soap:address location=\"/ws/pa/\"/>",
        &format!("<soap:address location=\"{}/ws/pa/\"/>", state.base_url),
    );
    ([(header::CONTENT_TYPE, "text/xml;charset=UTF-8")], text).into_response()
}

async fn xsd() -> Response {
    ([(header::CONTENT_TYPE, "text/xml;charset=UTF-8")], XSD).into_response()
}

async fn soap(AxState(state): S, body: Bytes) -> Response {
    // PU has no `/ws` paths.
    if state.piattaforma() == Piattaforma::Pu {
        return StatusCode::NOT_FOUND.into_response();
    }
    soap_answer(state, body, false).await
}

/// Serves a SOAP body (with a PU Bearer token already checked when `bearer`).
async fn soap_answer(state: Arc<State>, body: Bytes, bearer: bool) -> Response {
    let out = tokio::task::spawn_blocking(move || {
        if bearer {
            crate::operation::servi_con_bearer(|| ops::handle(&state, &body).into_http())
        } else {
            ops::handle(&state, &body).into_http()
        }
    })
    .await;
    let (status, text) = out.unwrap_or((500, String::new()));
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if text.is_empty() {
        return status.into_response();
    }
    (
        status,
        [(header::CONTENT_TYPE, "text/xml;charset=utf-8")],
        text,
    )
        .into_response()
}

// ---------------------------------------------------------------------------------------------
// MyBox

#[derive(Deserialize)]
struct UploadQuery {
    #[serde(rename = "authorizationToken")]
    authorization_token: Option<String>,
}

/// The parts of an upload: the `authorizationToken` text part, and the files as (part name,
/// file name, content type, bytes).
type Parti = (Option<String>, Vec<(String, String, String, Vec<u8>)>);

/// Reads an upload's multipart body up to `limit` bytes of file (past it the rest is drained,
/// up to DRAIN_LIMIT, so the client reads the refusal instead of a reset connection).
async fn leggi_parti(
    headers: &HeaderMap,
    decision: Option<axum::Extension<Decision>>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
    limit: u64,
    too_big: &(dyn Fn(u64) -> Response + Sync),
) -> Result<Parti, Response> {
    if let Some(len) = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        && len > DRAIN_LIMIT
    {
        return Err(too_big(len));
    }
    let drop = matches!(decision.map(|d| d.0), Some(Decision::Drop));
    let mut multipart = multipart.map_err(|_| {
        import::upload_error("500", "request multipart non valida, file non presente")
    })?;
    let mut token = None;
    let mut files = Vec::new();
    let mut total: u64 = 0;
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => return Err(import::upload_error("500", "request multipart non valida")),
        };
        let name = field.name().unwrap_or("").to_string();
        let file_name = field.file_name().map(str::to_string);
        let content_type = field
            .content_type()
            .unwrap_or("application/octet-stream")
            .to_string();
        let mut data = Vec::new();
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    total += chunk.len() as u64;
                    if total > DRAIN_LIMIT {
                        return Err(too_big(total));
                    }
                    if total > limit {
                        continue;
                    }
                    data.extend_from_slice(&chunk);
                    if drop {
                        return Err(dropped_connection());
                    }
                }
                Ok(None) => break,
                Err(_) => return Err(import::upload_error("500", "request multipart non valida")),
            }
        }
        match file_name {
            Some(f) => files.push((name, f, content_type, data)),
            None if name == "authorizationToken" => {
                token = Some(String::from_utf8_lossy(&data).trim().to_string())
            }
            None => {}
        }
    }
    if total > limit {
        return Err(too_big(total));
    }
    Ok((token, files))
}

/// MyBox's answer to an upload over its limit: a 400 from Spring's error controller.
fn mybox_too_big(size: u64) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(serde_json::json!({
            "status": 400,
            "error": "Bad Request",
            "message": format!("dimensione file ({size}) superiore a quella consentita ({UPLOAD_LIMIT})"),
            "path": "/public/mybox/uploadFlusso",
        })),
    )
        .into_response()
}

/// `POST /public/mybox/uploadFlusso`: always HTTP 200 with a JSON array (except the size limit,
/// a 400 from Spring's error controller). ARIA's proxy (`/api/upload/flusso`) is the same call.
async fn upload(
    AxState(state): S,
    Query(q): Query<UploadQuery>,
    headers: HeaderMap,
    decision: Option<axum::Extension<Decision>>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    if state.piattaforma() == Piattaforma::Pu {
        return StatusCode::NOT_FOUND.into_response();
    }
    let (token, files) =
        match leggi_parti(&headers, decision, multipart, UPLOAD_LIMIT, &mybox_too_big).await {
            Ok(p) => p,
            Err(r) => return r,
        };
    let token = token.or(q.authorization_token);
    let files = files.into_iter().map(|(_, f, c, d)| (f, c, d)).collect();
    let out =
        tokio::task::spawn_blocking(move || import::upload(&state, token.as_deref(), files)).await;
    out.unwrap_or_else(|_| import::upload_error("500", "errore interno"))
}

/// `POST /api/upload/flusso`: ARIA's upload proxy (aria only; 100 MB).
async fn upload_aria(
    AxState(state): S,
    Query(q): Query<UploadQuery>,
    headers: HeaderMap,
    decision: Option<axum::Extension<Decision>>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    if state.piattaforma() != Piattaforma::Aria {
        return StatusCode::NOT_FOUND.into_response();
    }
    let limit = 100 * 1024 * 1024;
    let (token, files) =
        match leggi_parti(&headers, decision, multipart, limit, &mybox_too_big).await {
            Ok(p) => p,
            Err(r) => return r,
        };
    let token = token.or(q.authorization_token);
    let files = files.into_iter().map(|(_, f, c, d)| (f, c, d)).collect();
    let out =
        tokio::task::spawn_blocking(move || import::upload_aria(&state, token.as_deref(), files))
            .await;
    out.unwrap_or_else(|_| import::upload_error("500", "errore interno"))
}

/// The Ente of the request's PU Bearer token, or PU's 401.
fn bearer(state: &State, headers: &HeaderMap) -> Result<String, Box<Response>> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .and_then(|t| state.pu.verifica(t.trim()))
        .ok_or_else(|| {
            Box::new(
                (
                    StatusCode::UNAUTHORIZED,
                    Json(serde_json::json!({ "code": "UNAUTHORIZED", "message": "invalid token" })),
                )
                    .into_response(),
            )
        })
}

#[derive(Deserialize)]
struct TokenQuery {
    client_id: Option<String>,
    client_secret: Option<String>,
    grant_type: Option<String>,
    scope: Option<String>,
}

/// `POST /pu/auth/oauth/token?client_id=…&client_secret=…&grant_type=client_credentials&scope=openid`
/// (pu only). A form body instead of the query string gets 404, as ARIA observed (spec §1.2).
async fn token_pu(AxState(state): S, Query(q): Query<TokenQuery>, body: Bytes) -> Response {
    if state.piattaforma() != Piattaforma::Pu || !body.is_empty() {
        return StatusCode::NOT_FOUND.into_response();
    }
    if q.grant_type.as_deref() != Some("client_credentials") || q.scope.as_deref() != Some("openid")
    {
        return (
            StatusCode::BAD_REQUEST,
            Json(serde_json::json!({ "error": "invalid_request" })),
        )
            .into_response();
    }
    let (id, secret) = (
        q.client_id.unwrap_or_default(),
        q.client_secret.unwrap_or_default(),
    );
    let Some(ente) = state.enti.iter().find(|e| e.client_ok(&id, &secret)) else {
        return (
            StatusCode::UNAUTHORIZED,
            Json(serde_json::json!({ "error": "invalid_client" })),
        )
            .into_response();
    };
    let token = state
        .pu
        .nuovo_token(&ente.ente.codice_ipa, state.pu_token_ttl());
    Json(serde_json::json!({
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": state.options.pu_expires_in,
    }))
    .into_response()
}

/// `POST /pu/sil/soap/payments/PagamentiTelematiciDovutiPagati` (pu only): MyPay's SOAP
/// behind a Bearer token; the body's password is not read.
async fn soap_pu(AxState(state): S, headers: HeaderMap, body: Bytes) -> Response {
    if state.piattaforma() != Piattaforma::Pu {
        return StatusCode::NOT_FOUND.into_response();
    }
    if let Err(r) = bearer(&state, &headers) {
        return *r;
    }
    soap_answer(state, body, true).await
}

#[derive(Deserialize)]
struct IngestionQuery {
    #[serde(rename = "ingestionFlowFileId")]
    id: Option<String>,
}

/// `POST /pu/fileshare/organization/{org}/ingestionflowfiles` (pu only): Bearer, the file in
/// the configured part (`ingestionFlowFile`), PU's size limit (413).
async fn upload_pu(
    AxState(state): S,
    Path(org): Path<i64>,
    Query(q): Query<IngestionQuery>,
    headers: HeaderMap,
    decision: Option<axum::Extension<Decision>>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    if state.piattaforma() != Piattaforma::Pu {
        return StatusCode::NOT_FOUND.into_response();
    }
    if let Err(r) = bearer(&state, &headers) {
        return *r;
    }
    let limit = state.options.limite_caricamento_pu;
    let too_big = move |size: u64| {
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            Json(serde_json::json!({
                "code": "MAX_UPLOAD_SIZE_EXCEEDED",
                "message": format!("file size {size} exceeds {limit}"),
            })),
        )
            .into_response()
    };
    let (_, files) = match leggi_parti(&headers, decision, multipart, limit, &too_big).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let parte = state.options.parte_file.clone();
    let Some((_, file_name, _, data)) = files.into_iter().find(|f| f.0 == parte) else {
        return (
            StatusCode::BAD_REQUEST,
            Json(serde_json::json!({
                "code": "BAD_REQUEST",
                "message": format!("Required part '{parte}' is not present."),
            })),
        )
            .into_response();
    };
    let id = q.id.unwrap_or_default();
    let out =
        tokio::task::spawn_blocking(move || import::upload_pu(&state, org, &id, &file_name, &data))
            .await;
    out.unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

/// `GET /pu/fileshare/download/{enteId}?…` (pu only): MyBox's download behind a Bearer token.
async fn download_pu(
    AxState(state): S,
    Path(ente_id): Path<String>,
    Query(q): Query<DownloadQuery>,
    headers: HeaderMap,
    decision: Option<axum::Extension<Decision>>,
) -> Response {
    if state.piattaforma() != Piattaforma::Pu {
        return StatusCode::NOT_FOUND.into_response();
    }
    if let Err(r) = bearer(&state, &headers) {
        return *r;
    }
    download(AxState(state), Path(ente_id), Query(q), decision).await
}

#[derive(Deserialize)]
struct DownloadQuery {
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(rename = "securityToken")]
    security_token: Option<String>,
    filename: Option<String>,
}

/// `GET /public/mybox/download/{enteId}`.
async fn download(
    AxState(state): S,
    Path(ente_id): Path<String>,
    Query(q): Query<DownloadQuery>,
    decision: Option<axum::Extension<Decision>>,
) -> Response {
    let decision = decision.map(|d| d.0).unwrap_or(Decision::Serve);
    let out = tokio::task::spawn_blocking(move || {
        import::download(
            &state,
            &ente_id,
            q.kind.as_deref().unwrap_or(""),
            q.security_token.as_deref().unwrap_or(""),
            q.filename.as_deref().unwrap_or(""),
        )
    })
    .await;
    let (name, bytes) = match out {
        Ok(Ok(v)) => v,
        Ok(Err(resp)) => return *resp,
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let mut bytes = bytes;
    match decision {
        Decision::Drop => {
            // Headers promise the whole file; the connection dies after half of it.
            let half = Bytes::from(bytes[..bytes.len() / 2].to_vec());
            let len = bytes.len();
            let mut resp = Response::new(Body::from_stream(TwoStep(Some(half), false)));
            set_download_headers(resp.headers_mut(), &name, len);
            return resp;
        }
        Decision::Truncate => bytes.truncate(bytes.len() / 2),
        _ => {}
    }
    let len = bytes.len();
    let mut resp = Response::new(Body::from(bytes));
    set_download_headers(resp.headers_mut(), &name, len);
    resp
}

fn set_download_headers(h: &mut HeaderMap, name: &str, len: usize) {
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    if let Ok(v) = HeaderValue::from_str(&len.to_string()) {
        h.insert(header::CONTENT_LENGTH, v);
    }
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename={name}")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
}

/// Yields its first chunk (if any), then an error: the connection is cut mid-body.
struct TwoStep(Option<Bytes>, bool);

impl futures_core::Stream for TwoStep {
    type Item = Result<Bytes, std::io::Error>;
    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        if let Some(b) = self.0.take() {
            return std::task::Poll::Ready(Some(Ok(b)));
        }
        if !self.1 {
            self.1 = true;
            return std::task::Poll::Ready(Some(Err(std::io::Error::other(
                "connessione interrotta",
            ))));
        }
        std::task::Poll::Ready(None)
    }
}

// ---------------------------------------------------------------------------------------------
// /sim

async fn sim_pay(AxState(state): S, Json(req): Json<payments::PayRequest>) -> Response {
    let out = tokio::task::spawn_blocking(move || payments::pay(&state, &req)).await;
    match out {
        Ok(Ok(resp)) => Json(resp).into_response(),
        Ok(Err(e)) => (
            StatusCode::BAD_REQUEST,
            Json(serde_json::json!({ "errore": e.to_string() })),
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// `POST /sim/flussi/annulla` body.
#[derive(Deserialize)]
struct AnnullaFlusso {
    ente: String,
    iuf: String,
}

/// Annulment of a loaded flow. MyPay offers it only to the operator, in its back-office web
/// UI (no SOAP operation, no MyBox call), so the emulator exposes it here, outside MyPay's
/// paths, as the operator's action: the flow becomes `ANNULLATO`, its debts still "da pagare"
/// are cancelled (history, `ANNULLATO`), paid ones stay paid but leave the exports (which
/// select only debts of `CARICATO` flows), and the IUF may be loaded again.
async fn sim_annulla_flusso(AxState(state): S, Json(req): Json<AnnullaFlusso>) -> Response {
    let out = tokio::task::spawn_blocking(move || {
        let Some((_, ente_id)) = state.ente(&req.ente) else {
            return Err(format!("Ente «{}» sconosciuto all'emulatore", req.ente));
        };
        let now = state.now();
        let mut conn = state.lock_db();
        crate::db::transaction(&mut conn, |tx| {
            crate::db::annulla_flusso(tx, ente_id, &req.iuf, now)
        })
        .map_err(|e| e.to_string())?
        .ok_or_else(|| {
            format!(
                "nessun flusso caricato con IUF «{}» per l'Ente «{}»",
                req.iuf, req.ente
            )
        })
    })
    .await;
    match out {
        Ok(Ok(n)) => Json(serde_json::json!({ "annullati": n })).into_response(),
        Ok(Err(e)) => (
            StatusCode::NOT_FOUND,
            Json(serde_json::json!({ "errore": e })),
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

#[derive(Deserialize)]
struct FdrQuery {
    ente: Option<String>,
}

/// `GET /sim/fdr?ente=<codIpa>`: the FdR built so far (MyPay's acquisition run first), the
/// anomalies planted and those still to plant.
async fn sim_fdr(AxState(state): S, Query(q): Query<FdrQuery>) -> Response {
    let out = tokio::task::spawn_blocking(move || {
        let ipa = q
            .ente
            .unwrap_or_else(|| state.enti[0].ente.codice_ipa.clone());
        let Some((_, ente_id)) = state.ente(&ipa) else {
            return Err(format!("Ente «{ipa}» sconosciuto all'emulatore"));
        };
        crate::rendicontazione::acquisisci(&state, ente_id, state.now())
            .map_err(|e| e.to_string())?;
        let conn = state.lock_db();
        let flussi = crate::db::flussi_spc_tutti(&conn, ente_id).map_err(|e| e.to_string())?;
        let piantate = crate::db::anomalie(&conn, ente_id).map_err(|e| e.to_string())?;
        drop(conn);
        let flussi: Vec<_> = flussi
            .iter()
            .map(|f| {
                serde_json::json!({
                    "iuf": f.iuf, "psp": f.psp, "dataOraFlusso": f.data_ora_flusso,
                    "dataRegolamento": f.data_regolamento, "acquisito": f.dt_creazione,
                    "pubblicato": f.pubblicato, "importoCents": f.importo_cents,
                    "pagamenti": f.pagamenti,
                })
            })
            .collect();
        let da_piantare = state.faults().config.fdr_anomalie.clone();
        Ok(serde_json::json!({ "flussi": flussi, "anomalie": piantate, "daPiantare": da_piantare }))
    })
    .await;
    match out {
        Ok(Ok(v)) => Json(v).into_response(),
        Ok(Err(e)) => (
            StatusCode::NOT_FOUND,
            Json(serde_json::json!({ "errore": e })),
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// `POST /sim/tesoreria`: the treasury journal of the settlements behind the FdR.
async fn sim_tesoreria(
    AxState(state): S,
    Json(req): Json<crate::tesoreria::RichiestaTesoreria>,
) -> Response {
    let out = tokio::task::spawn_blocking(move || crate::tesoreria::giornale(&state, &req)).await;
    match out {
        Ok(Ok(t)) => Json(t).into_response(),
        Ok(Err(e)) => (
            StatusCode::BAD_REQUEST,
            Json(serde_json::json!({ "errore": e.to_string() })),
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

async fn get_faults(AxState(state): S) -> Json<FaultConfig> {
    Json(state.faults().config.clone())
}

async fn put_faults(AxState(state): S, Json(cfg): Json<FaultConfig>) -> Json<FaultConfig> {
    state.faults().set(cfg.clone());
    Json(cfg)
}

async fn status(AxState(state): S) -> Json<serde_json::Value> {
    let enti: Vec<_> = state
        .enti
        .iter()
        .zip(&state.ente_ids)
        .map(|(e, id)| {
            serde_json::json!({
                "codIpa": e.ente.codice_ipa,
                "mygovEnteId": id,
                "denominazione": e.ente.denominazione,
                "stato": e.stato,
            })
        })
        .collect();
    Json(serde_json::json!({ "baseUrl": state.base_url, "enti": enti }))
}
