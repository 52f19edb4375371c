//! The wire client of MyPay's Ente interface: SOAP 1.1 operations of
//! `PagamentiTelematiciDovutiPagati` (spec §2) and MyBox upload and download (§3).
//!
//! Requests are written by hand with escaping (only the root element is qualified, children
//! unqualified, spec §2.1); answers are read tolerantly by local name ([`crate::xml`]), with
//! MyPay's quirks: business faults inside a normal HTTP 200 body, mandatory fields missing on a
//! fault, `null` literals, double base64, and MyBox's HTTP 200 with a JSON error.
//!
//! Every call has a connect timeout and a total timeout; TLS certificates are verified (the
//! platform's roots). Envelopes are never logged: they carry the password.

use std::io::{Read, Write};
use std::path::Path;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chrono::{NaiveDate, NaiveDateTime};

use crate::credentials::Secret;
use crate::xml::{self, Element, esc};

// `paaSILVerificaAvviso` and `paaSILChiediPagati` (a payer's payment session): src/pagati.rs.
#[path = "pagati.rs"]
pub mod pagati;

const SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const PPT: &str = "http://www.regione.veneto.it/pagamenti/ente/";
const PPTHEAD: &str = "http://www.regione.veneto.it/pagamenti/ente/ppthead";
const PAY_I: &str = "http://www.regione.veneto.it/schemas/2012/Pagamenti/Ente/";
/// `PagamentiTelematiciFlussiSPC`'s payload namespace (MyPivot's WSDL): same address, no header.
const PPT_PA: &str = "http://www.regione.veneto.it/pagamenti/pa/";

/// Largest SOAP answer read (positions of a payer, PagatiConRicevuta with an RT: far less).
const MAX_SOAP_RESPONSE: u64 = 32 * 1024 * 1024;

/// A business fault (`ppt:faultBean`) or a SOAP `Fault`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    pub code: String,
    pub string: String,
    pub description: Option<String>,
}

/// The reassurance that ends a network error: a summary that says it in its own words drops it.
pub const IN_CODA: &str = "il lavoro resta in coda e riprenderà al prossimo invio a MyPay";

/// Why a call failed. Messages are Italian and never contain the password.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No answer: connection refused or reset, timeout, DNS.
    #[error(
        "MyPay non risponde: controlli la connessione a Internet e l'indirizzo di MyPay; {IN_CODA}"
    )]
    Network(String),
    /// The server's TLS certificate was refused (unknown issuer, expired, another name): not
    /// a network hiccup, so never retried — the clerk hears it at once, as such.
    #[error(
        "il certificato di sicurezza del server di MyPay non è valido ({0}): MyPay Desk non invia \
         dati su una connessione non sicura. Controlli l'indirizzo di MyPay nelle impostazioni; se \
         è giusto, avvisi l'assistenza di MyPay della Regione"
    )]
    Certificato(String),
    /// An HTTP error status without a SOAP answer (a proxy, MyPay down).
    #[error(
        "MyPay non è disponibile in questo momento (errore {status} del servizio): riprovi più tardi"
    )]
    Http { status: u16 },
    /// A SOAP `Fault` (an unhandled exception at MyPay).
    #[error("MyPay ha avuto un errore interno: riprovi più tardi")]
    SoapFault(Fault),
    /// A business fault in the body.
    #[error("{}", crate::faults::explain(&.0.code, &.0.string))]
    Fault(Fault),
    /// An answer that cannot be read (cut, not XML, a required field missing).
    #[error(
        "MyPay ha risposto in un modo che MyPay Desk non sa leggere: riprovi più tardi; se si ripete, \
         segnali l'ora all'assistenza di MyPay della Regione"
    )]
    Malformed(String),
    /// MyBox refused the upload (HTTP 200 with `[{"codice", "descrizione"}]`).
    #[error("{}", crate::faults::explain_upload(codice, descrizione))]
    Upload { codice: String, descrizione: String },
    /// A download link that expired (HTTP 401): ask the status again for a fresh link.
    #[error("il collegamento per scaricare il file è scaduto")]
    LinkExpired,
    /// MyPay's answer pointed the upload or a download at another server than the one
    /// configured: never followed (a file of citizens' data would go, or come, elsewhere).
    #[error(
        "MyPay ha indicato un altro server ({host}) per caricare o scaricare un file: MyPay Desk \
         scambia file solo con l'indirizzo di MyPay configurato. Controlli l'indirizzo nelle \
         impostazioni; se è giusto, avvisi l'assistenza di MyPay della Regione"
    )]
    LinkEsterno { host: String },
    /// A download larger than any file of its kind: stopped, and not tried again.
    #[error(
        "il file che MyPay sta inviando ({cosa}) supera {limite_mb} MB, più di quanto un file del \
         genere possa essere: lo scaricamento è stato interrotto; avvisi l'assistenza di MyPay \
         della Regione"
    )]
    TroppoGrande { cosa: &'static str, limite_mb: u64 },
    /// PU refused the client's credentials (token endpoint) or the token (401 after a renewal).
    #[error(
        "la Piattaforma Unitaria non ha accettato le credenziali del client dell'Ente \
         (identificativo del client e segreto): controlli nelle impostazioni di connessione che \
         siano quelli del «Client SIL» dell'Ente sulla Piattaforma Unitaria e che il segreto non \
         sia stato rigenerato; il lavoro resta in coda"
    )]
    CredenzialiPu { status: u16 },
    /// The platform does not offer the operation (PU's fault "… non è una operazione
    /// supportata"): explained, never retried.
    #[error(
        "{cosa} non è offerta dalla Piattaforma Unitaria, a cui il Suo Ente risulta passato: \
         MyPay Desk non la ripete. Per ora la svolga dal portale della Piattaforma Unitaria o \
         chieda all'assistenza della Regione quando sarà disponibile"
    )]
    NonSupportata {
        operazione: String,
        cosa: &'static str,
    },
    /// A local file could not be read or written.
    #[error(
        "impossibile leggere o scrivere il file {path}: controlli che la cartella dei dati sia accessibile e il disco non sia pieno"
    )]
    Io { path: String, message: String },
}

impl ApiError {
    /// Worth repeating the same (idempotent) step after a pause.
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Network(_)
            | ApiError::Malformed(_)
            | ApiError::SoapFault(_)
            | ApiError::LinkExpired => true,
            ApiError::Http { status } => *status >= 500 || *status == 408 || *status == 429,
            ApiError::Fault(f) => f.code == "PAA_SYSTEM_ERROR",
            ApiError::Upload { .. }
            | ApiError::Io { .. }
            | ApiError::Certificato(_)
            | ApiError::LinkEsterno { .. }
            | ApiError::TroppoGrande { .. }
            | ApiError::CredenzialiPu { .. }
            | ApiError::NonSupportata { .. } => false,
        }
    }

    /// The fault code, if MyPay answered with one.
    pub fn fault_code(&self) -> Option<&str> {
        match self {
            ApiError::Fault(f) => Some(&f.code),
            _ => None,
        }
    }
}

/// The rustls error `err` is or carries inside `io::Error`s (hyper nests two).
fn tls_in<'a>(err: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    if let Some(t) = err.downcast_ref::<rustls::Error>() {
        return Some(t);
    }
    let inner = err.downcast_ref::<std::io::Error>()?.get_ref()?;
    tls_in(inner)
}

/// Why rustls refused the server's certificate, in Italian, if that is what `e` is: the TLS
/// error sits under reqwest's and hyper's, inside an `io::Error` (whose `source` skips it, so
/// its payload is looked at directly).
fn certificato(e: &reqwest::Error) -> Option<String> {
    use rustls::CertificateError as C;
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(rustls::Error::InvalidCertificate(c)) = tls_in(err) {
            return Some(
                match c {
                    C::UnknownIssuer => "rilasciato da un'autorità non riconosciuta",
                    C::Expired | C::ExpiredContext { .. } => "scaduto",
                    C::NotValidYet | C::NotValidYetContext { .. } => "non ancora valido",
                    C::NotValidForName | C::NotValidForNameContext { .. } => {
                        "intestato a un altro indirizzo"
                    }
                    C::Revoked => "revocato",
                    C::BadSignature | C::BadEncoding => "non leggibile",
                    _ => "rifiutato",
                }
                .to_string(),
            );
        }
        cur = err.source();
    }
    None
}

fn net(e: reqwest::Error) -> ApiError {
    if let Some(motivo) = certificato(&e) {
        return ApiError::Certificato(motivo);
    }
    // reqwest's text may quote the URL (never the body); keep only its kind for the clerk.
    let kind = if e.is_timeout() {
        "tempo scaduto"
    } else if e.is_connect() {
        "connessione rifiutata"
    } else if e.is_body() || e.is_decode() {
        "risposta interrotta"
    } else {
        "errore di rete"
    };
    ApiError::Network(kind.to_string())
}

/// What a download is, with the most it may weigh: a result file of a flow (at most 10 MB of
/// debts uploaded, its `_SCARTI` or `_IUV` a fraction more), a receipts export, MyPay's
/// notices of a flow, one notice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scaricamento {
    Esito,
    Ricevute,
    Avvisi,
    Avviso,
    /// A flow of rendicontazione (or quadratura): one PSP's day, raw XML.
    Rendicontazione,
}

impl Scaricamento {
    /// The most bytes accepted.
    pub fn limite(self) -> u64 {
        const MB: u64 = 1024 * 1024;
        match self {
            Scaricamento::Esito => 256 * MB,
            Scaricamento::Ricevute => 1024 * MB,
            Scaricamento::Avvisi => 2048 * MB,
            Scaricamento::Avviso => 16 * MB,
            // mpd-core reads no FdR larger than this.
            Scaricamento::Rendicontazione => mpd_core::riconciliazione::MAX_BYTE_FDR,
        }
    }

    /// The step its progress events name.
    pub fn fase(self) -> &'static str {
        match self {
            Scaricamento::Esito => "esiti",
            Scaricamento::Ricevute => "ricevute",
            Scaricamento::Avvisi => "avvisi",
            Scaricamento::Avviso => "avviso",
            Scaricamento::Rendicontazione => "rendicontazione",
        }
    }

    fn nome(self) -> &'static str {
        match self {
            Scaricamento::Esito => "l'esito di un flusso",
            Scaricamento::Ricevute => "le ricevute",
            Scaricamento::Avvisi => "gli avvisi di un flusso",
            Scaricamento::Avviso => "un avviso",
            Scaricamento::Rendicontazione => "un flusso di rendicontazione",
        }
    }

    fn troppo(self) -> ApiError {
        ApiError::TroppoGrande {
            cosa: self.nome(),
            limite_mb: self.limite() / (1024 * 1024),
        }
    }
}

/// A response body read against a deadline for the whole exchange. reqwest's blocking
/// timeout bounds the wait for the headers and each single read of the body, so a server that
/// drips its answer a byte at a time could hold a call for ever; this stops it when the
/// exchange's time is up, as a timeout (retried, then reported, like any network fault).
struct Scadenza<R> {
    inner: R,
    entro: std::time::Instant,
}

impl<R: Read> Scadenza<R> {
    fn new(inner: R, inizio: std::time::Instant, durata: Duration) -> Scadenza<R> {
        Scadenza {
            inner,
            entro: inizio + durata,
        }
    }

    /// A text answer of at most `limite` bytes (the rest is not read), read before the deadline.
    fn testo(self, limite: u64) -> Result<String, ApiError> {
        let mut text = String::new();
        self.take(limite)
            .read_to_string(&mut text)
            .map_err(|e| lettura(e, "risposta interrotta"))?;
        Ok(text)
    }
}

impl<R: Read> Read for Scadenza<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if std::time::Instant::now() >= self.entro {
            return Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "deadline of the exchange",
            ));
        }
        self.inner.read(buf)
    }
}

/// The error of a body that could not be read whole: past the deadline, a timeout.
fn lettura(e: std::io::Error, interrotta: &str) -> ApiError {
    ApiError::Network(if e.kind() == std::io::ErrorKind::TimedOut {
        "tempo scaduto".into()
    } else {
        interrotta.into()
    })
}

/// Timeouts of the client (all calls have one).
#[derive(Clone, Debug)]
pub struct Timeouts {
    pub connect: Duration,
    /// A SOAP call, end to end (headers and the whole answer).
    pub soap: Duration,
    /// An upload or download, end to end, the whole body included (files up to 10 MB; exports
    /// can be larger).
    pub transfer: Duration,
}

impl Default for Timeouts {
    fn default() -> Timeouts {
        Timeouts {
            connect: Duration::from_secs(10),
            soap: Duration::from_secs(60),
            transfer: Duration::from_secs(600),
        }
    }
}

/// The answer of `paaSILAutorizzaImportFlusso`.
#[derive(Clone, Debug)]
pub struct Autorizzazione {
    pub upload_url: String,
    pub authorization_token: String,
    pub request_token: String,
}

/// The answer of `paaSILChiediStatoImportFlusso`.
#[derive(Clone, Debug, Default)]
pub struct StatoImport {
    /// A state (`LOAD_IMPORT`, `IMPORT_IN_ELAB`, `IMPORT_ESEGUITO`, `IMPORT_ABORTITO`) or, as
    /// MyPay does for file-level failures, an error code in its place.
    pub stato: String,
    pub url_scarti: Option<String>,
    pub url_iuv: Option<String>,
    pub url_avvisi: Option<String>,
}

/// The answer of `paaSILChiediStatoExportFlusso`.
#[derive(Clone, Debug, Default)]
pub struct StatoExport {
    pub stato: String,
    pub download_url: Option<String>,
}

/// One flow listed by `paaSILChiediElencoFlussiSPC`: its IUF and `dataOraFlusso` as MyPay
/// wrote it (sent back as is to ask for the flow).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlussoSpc {
    pub iuf: String,
    pub data_ora: String,
}

/// The answer of `paaSILImportaDovuto`.
#[derive(Clone, Debug, Default)]
pub struct EsitoDovuto {
    pub iuv: Option<String>,
    pub url_avviso: Option<String>,
    pub zip_avviso: Option<Vec<u8>>,
}

/// One open position of a payer (`paaSILChiediPosizioniAperte`), with its `Dovuti` XML read.
#[derive(Clone, Debug, serde::Serialize)]
pub struct PosizioneAperta {
    pub cod_ipa: String,
    pub ente: String,
    pub url_pagamento: Option<String>,
    pub iud: Option<String>,
    pub iuv: Option<String>,
    pub importo: Option<String>,
    pub causale: Option<String>,
    pub tipo_dovuto: Option<String>,
    pub scadenza: Option<String>,
}

/// PU's OAuth2 client credentials (issue 15): the token is asked at `token_url` with the
/// parameters in the query string (PU answers 404 to a form body), kept in memory only,
/// renewed `margine` before it expires and after a 401.
pub struct OAuth {
    pub token_url: String,
    pub client_id: String,
    pub client_secret: Secret,
    pub margine: Duration,
}

/// A token in memory, with the instant it is renewed at.
struct Token {
    valore: Secret,
    rinnova_da: std::time::Instant,
}

/// The client of one Ente at one MyPay.
pub struct MyPayClient {
    http: reqwest::blocking::Client,
    transfer: reqwest::blocking::Client,
    soap_url: String,
    cod_ipa: String,
    password: Secret,
    timeouts: Timeouts,
    /// PU: the Bearer token's credentials and the token (never on disk, never logged).
    oauth: Option<OAuth>,
    token: std::sync::Mutex<Option<Token>>,
    /// Tokens asked so far (tests: a renewal happened).
    token_richiesti: std::sync::atomic::AtomicU32,
    /// The multipart part of the file, the upload limit, PU's fileshare answers.
    parte_file: String,
    limite_caricamento: u64,
    caricamento_pu: bool,
}

impl MyPayClient {
    /// A client for `soap_url` (`…/ws/pa/`).
    pub fn new(
        soap_url: &str,
        cod_ipa: &str,
        password: Secret,
        timeouts: &Timeouts,
    ) -> Result<MyPayClient, ApiError> {
        let build = |total: Duration| {
            reqwest::blocking::Client::builder()
                .connect_timeout(timeouts.connect)
                .timeout(total)
                .user_agent(concat!("mypay-desk/", env!("CARGO_PKG_VERSION")))
                // MyBox links are absolute; a redirect would be a misconfiguration, not a feature.
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| ApiError::Network(format!("client HTTP: {e}")))
        };
        Ok(MyPayClient {
            http: build(timeouts.soap)?,
            transfer: build(timeouts.transfer)?,
            soap_url: soap_url.to_string(),
            cod_ipa: cod_ipa.to_string(),
            password,
            timeouts: timeouts.clone(),
            oauth: None,
            token: std::sync::Mutex::new(None),
            token_richiesti: std::sync::atomic::AtomicU32::new(0),
            parte_file: "file".to_string(),
            limite_caricamento: u64::MAX,
            caricamento_pu: false,
        })
    }

    /// The same client for a platform (issue 15): its upload part and limit, and on PU the
    /// OAuth2 credentials of the Bearer token and the fileshare's answers.
    pub fn per_piattaforma(
        mut self,
        opzioni: &crate::piattaforma::OpzioniPiattaforma,
        oauth: Option<OAuth>,
    ) -> MyPayClient {
        self.parte_file = opzioni.parte_file.clone();
        self.limite_caricamento = opzioni.limite_caricamento;
        self.caricamento_pu = opzioni.piattaforma == crate::piattaforma::Piattaforma::Pu;
        self.oauth = oauth;
        self
    }

    /// How many tokens were asked so far.
    pub fn token_richiesti(&self) -> u32 {
        self.token_richiesti
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// The Bearer token to send (`None` without OAuth): the one in memory while it is fresh,
    /// else a new one. `rinnova` forces a new one (after a 401).
    fn bearer(&self, rinnova: bool) -> Result<Option<Secret>, ApiError> {
        let Some(o) = &self.oauth else {
            return Ok(None);
        };
        let mut guard = self.token.lock().unwrap_or_else(|p| p.into_inner());
        if !rinnova
            && let Some(t) = guard.as_ref()
            && std::time::Instant::now() < t.rinnova_da
        {
            return Ok(Some(t.valore.clone()));
        }
        *guard = None;
        let t = self.richiedi_token(o)?;
        let valore = t.valore.clone();
        *guard = Some(t);
        Ok(Some(valore))
    }

    /// `POST {token_url}?client_id=…&client_secret=…&grant_type=client_credentials&scope=openid`.
    /// The URL carries the secret: it is never logged, and reqwest's errors are reduced to
    /// their kind ([`net`]).
    fn richiedi_token(&self, o: &OAuth) -> Result<Token, ApiError> {
        let url = reqwest::Url::parse_with_params(
            &o.token_url,
            &[
                ("client_id", o.client_id.as_str()),
                ("client_secret", o.client_secret.expose()),
                ("grant_type", "client_credentials"),
                ("scope", "openid"),
            ],
        )
        .map_err(|_| ApiError::Malformed("indirizzo del servizio dei token non valido".into()))?;
        tracing::debug!("richiesta del token della Piattaforma Unitaria");
        self.token_richiesti
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let inizio = std::time::Instant::now();
        let resp = self.http.post(url).send().map_err(net)?;
        let status = resp.status().as_u16();
        let text = Scadenza::new(resp, inizio, self.timeouts.soap).testo(1024 * 1024)?;
        match status {
            200 | 201 => {}
            400 | 401 | 403 => return Err(ApiError::CredenzialiPu { status }),
            _ => return Err(ApiError::Http { status }),
        }
        let v: serde_json::Value = serde_json::from_str(&text).map_err(|_| {
            ApiError::Malformed("risposta del servizio dei token non è JSON".into())
        })?;
        let valore = v
            .get("access_token")
            .and_then(|t| t.as_str())
            .filter(|t| !t.is_empty())
            .ok_or_else(|| ApiError::Malformed("manca access_token".into()))?;
        let vita =
            Duration::from_secs(v.get("expires_in").and_then(|e| e.as_u64()).unwrap_or(3600));
        let margine = o.margine.min(vita / 2);
        Ok(Token {
            valore: Secret::new(valore),
            rinnova_da: inizio + vita - margine,
        })
    }

    /// Sends a request built by `build` with the Bearer token when there is one; after a 401
    /// the token is renewed and the request sent once more.
    fn con_bearer(
        &self,
        build: impl Fn() -> Result<reqwest::blocking::RequestBuilder, ApiError>,
    ) -> Result<reqwest::blocking::Response, ApiError> {
        let mut rinnova = false;
        loop {
            let mut rb = build()?;
            if let Some(t) = self.bearer(rinnova)? {
                rb = rb.bearer_auth(t.expose());
            }
            let resp = rb.send().map_err(net)?;
            if resp.status().as_u16() == 401 && self.oauth.is_some() && !rinnova {
                tracing::debug!("token della Piattaforma Unitaria rifiutato: rinnovo");
                rinnova = true;
                continue;
            }
            return Ok(resp);
        }
    }

    /// A link from MyPay's answers (upload, download) must point at the configured server:
    /// same scheme, host and port as the SOAP address.
    fn link_ammesso(&self, url: &str) -> Result<(), ApiError> {
        let origine = |u: &reqwest::Url| {
            (
                u.scheme().to_ascii_lowercase(),
                u.host_str().map(str::to_ascii_lowercase),
                u.port_or_known_default(),
            )
        };
        let link = reqwest::Url::parse(url)
            .map_err(|_| ApiError::Malformed(format!("collegamento non valido: {url}")))?;
        let base = reqwest::Url::parse(&self.soap_url)
            .map_err(|_| ApiError::Malformed("indirizzo di MyPay non valido".into()))?;
        if origine(&link) == origine(&base) {
            Ok(())
        } else {
            Err(ApiError::LinkEsterno {
                host: link.host_str().unwrap_or_default().to_string(),
            })
        }
    }

    pub fn cod_ipa(&self) -> &str {
        &self.cod_ipa
    }

    /// The envelope of `op`: the header with the IPA code when `header`, the given children.
    fn envelope(&self, op: &str, header: bool, children: &str) -> String {
        let head = if header {
            format!(
                "<soapenv:Header><ppthead:intestazionePPT><codIpaEnte>{}</codIpaEnte></ppthead:intestazionePPT></soapenv:Header>",
                esc(&self.cod_ipa)
            )
        } else {
            "<soapenv:Header/>".to_string()
        };
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"{SOAP11}\" xmlns:ppt=\"{PPT}\" \
             xmlns:ppthead=\"{PPTHEAD}\" xmlns:pay_i=\"{PAY_I}\">{head}<soapenv:Body><ppt:{op}>{children}</ppt:{op}></soapenv:Body></soapenv:Envelope>"
        )
    }

    fn password_field(&self) -> String {
        field("password", self.password.expose())
    }

    /// Posts an envelope and returns the operation's answer element (fault checked).
    fn call(&self, op: &str, header: bool, children: &str) -> Result<Element, ApiError> {
        let body = self.envelope(op, header, children);
        tracing::debug!(operation = op, "chiamata SOAP");
        let inizio = std::time::Instant::now();
        let resp = self.con_bearer(|| {
            Ok(self
                .http
                .post(&self.soap_url)
                .header("Content-Type", "text/xml; charset=utf-8")
                .header("SOAPAction", format!("\"{op}\""))
                .body(body.clone()))
        })?;
        let status = resp.status().as_u16();
        if status == 401 && self.oauth.is_some() {
            return Err(ApiError::CredenzialiPu { status });
        }
        let text = Scadenza::new(resp, inizio, self.timeouts.soap).testo(MAX_SOAP_RESPONSE)?;
        parse_response(op, status, &text)
    }

    /// `paaSILAutorizzaImportFlusso`.
    pub fn autorizza_import(&self) -> Result<Autorizzazione, ApiError> {
        let r = self.call("paaSILAutorizzaImportFlusso", true, &self.password_field())?;
        Ok(Autorizzazione {
            upload_url: required(&r, "uploadUrl")?,
            authorization_token: required(&r, "authorizationToken")?,
            request_token: required(&r, "requestToken")?,
        })
    }

    /// `paaSILChiediStatoImportFlusso`, asking for the result files' links.
    pub fn stato_import(&self, request_token: &str, avvisi: bool) -> Result<StatoImport, ApiError> {
        let children = format!(
            "{}{}{}{}{}",
            field("requestToken", request_token),
            self.password_field(),
            field("fileScarti", "true"),
            field("fileIUV", "true"),
            field("fileAvvisi", if avvisi { "true" } else { "false" }),
        );
        let r = self.call("paaSILChiediStatoImportFlusso", true, &children)?;
        Ok(StatoImport {
            stato: required(&r, "stato")?,
            url_scarti: r.text_of("urlFileScarti"),
            url_iuv: r.text_of("urlFileIUV"),
            url_avvisi: r.text_of("urlFileAvvisi"),
        })
    }

    /// `paaSILPrenotaExportFlusso`: paid positions by payment date (days, inclusive).
    pub fn prenota_export(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        versione: &str,
    ) -> Result<String, ApiError> {
        let children = format!(
            "{}{}{}{}",
            self.password_field(),
            field("dateFrom", &from.format("%Y-%m-%d").to_string()),
            field("dateTo", &to.format("%Y-%m-%d").to_string()),
            field("versioneTracciato", versione),
        );
        let r = self.call("paaSILPrenotaExportFlusso", true, &children)?;
        required(&r, "requestToken")
    }

    /// `paaSILPrenotaExportFlussoIncrementaleConRicevuta`: records changed in `[from, to)`;
    /// returns the request token and the `dateTo` MyPay used (the next window's start).
    /// `from` is an xsd:dateTime text: the previous answer's `dateTo` is sent back exactly
    /// as MyPay wrote it, so windows chain without gaps or overlaps.
    pub fn prenota_export_incrementale(
        &self,
        from: &str,
        to: Option<NaiveDateTime>,
        versione: &str,
    ) -> Result<(String, Option<String>), ApiError> {
        let fmt = |t: NaiveDateTime| t.format("%Y-%m-%dT%H:%M:%S").to_string();
        let children = format!(
            "{}{}{}{}{}{}",
            self.password_field(),
            field("dateFrom", from),
            to.map(|t| field("dateTo", &fmt(t))).unwrap_or_default(),
            field("ricevuta", "true"),
            field("incrementale", "true"),
            field("versioneTracciato", versione),
        );
        let r = self.call(
            "paaSILPrenotaExportFlussoIncrementaleConRicevuta",
            true,
            &children,
        )?;
        Ok((required(&r, "requestToken")?, r.text_of("dateTo")))
    }

    /// `paaSILChiediStatoExportFlusso`.
    pub fn stato_export(&self, request_token: &str) -> Result<StatoExport, ApiError> {
        let children = format!(
            "{}{}",
            self.password_field(),
            field("requestToken", request_token)
        );
        let r = self.call("paaSILChiediStatoExportFlusso", true, &children)?;
        Ok(StatoExport {
            stato: required(&r, "stato")?,
            download_url: r.text_of("downloadUrl"),
        })
    }

    /// `PagamentiTelematiciFlussiSPC`: an operation in its own namespace, no header, the IPA
    /// code and the password in the body.
    fn call_pa(&self, op: &str, children: &str) -> Result<Element, ApiError> {
        let children = format!(
            "{}{}{children}",
            self.password_field(),
            field("codIpaEnte", &self.cod_ipa)
        );
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"{SOAP11}\" \
             xmlns:ppt=\"{PPT_PA}\"><soapenv:Header/><soapenv:Body><ppt:{op}>{children}</ppt:{op}></soapenv:Body></soapenv:Envelope>"
        );
        tracing::debug!(operation = op, "chiamata SOAP");
        let inizio = std::time::Instant::now();
        let resp = self.con_bearer(|| {
            Ok(self
                .http
                .post(&self.soap_url)
                .header("Content-Type", "text/xml; charset=utf-8")
                .header("SOAPAction", format!("\"{op}\""))
                .body(body.clone()))
        })?;
        let status = resp.status().as_u16();
        let text = Scadenza::new(resp, inizio, self.timeouts.soap).testo(MAX_SOAP_RESPONSE)?;
        parse_response(op, status, &text)
    }

    /// `paaSILChiediElencoFlussiSPC`: the flows of `tipo` (`R` rendicontazione, `Q`
    /// quadratura) MyPay acquired from `from` to `to` (days, MyPay adding one to `to`), of
    /// every PSP. The PSP is not in the answer: [`mpd_tracciato::fdr::psp_da_iuf`] gives it.
    pub fn elenco_flussi_spc(
        &self,
        tipo: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<FlussoSpc>, ApiError> {
        let children = format!(
            "{}{}{}{}",
            field("identificativoPsp", ""),
            field("tipoFlusso", tipo),
            field("dateFrom", &from.format("%Y-%m-%d").to_string()),
            field("dateTo", &to.format("%Y-%m-%d").to_string()),
        );
        let r = self.call_pa("paaSILChiediElencoFlussiSPC", &children)?;
        let Some(elenco) = r.child("elencoFlussiSPC") else {
            return Ok(Vec::new());
        };
        elenco
            .all("idSPC")
            .map(|f| {
                Ok(FlussoSpc {
                    iuf: required(f, "identificativoFlusso")?,
                    data_ora: required(f, "dataOraFlusso")?,
                })
            })
            .collect()
    }

    /// `paaSILChiediFlussoSPC`: the MyBox link of one flow, `None` when MyPay answers `KO`
    /// (not found for that PSP, IUF and instant). An empty `stato` is MyPay swallowing an
    /// internal fault: unreadable, so retried.
    pub fn chiedi_flusso_spc(
        &self,
        tipo: &str,
        psp: &str,
        flusso: &FlussoSpc,
    ) -> Result<Option<String>, ApiError> {
        let children = format!(
            "{}{}{}{}",
            field("identificativoPsp", psp),
            field("tipoFlusso", tipo),
            field("identificativoFlusso", &flusso.iuf),
            field("dataOraFlusso", &flusso.data_ora),
        );
        let r = self.call_pa("paaSILChiediFlussoSPC", &children)?;
        match r.text_of("stato").as_deref().map(str::trim) {
            Some("OK") => Ok(Some(required(&r, "downloadUrl")?)),
            Some("KO") => Ok(None),
            _ => Err(ApiError::Malformed(
                "stato del flusso di rendicontazione vuoto".into(),
            )),
        }
    }

    /// `paaSILImportaDovuto` with a `Versamento` XML (see [`versamento_xml`]).
    pub fn importa_dovuto(
        &self,
        versamento: &str,
        genera_iuv: bool,
    ) -> Result<EsitoDovuto, ApiError> {
        let children = format!(
            "{}{}{}",
            self.password_field(),
            field("dovuto", &B64.encode(versamento.as_bytes())),
            field("flagGeneraIuv", if genera_iuv { "true" } else { "false" }),
        );
        let r = self.call("paaSILImportaDovuto", true, &children)?;
        if r.text_of("esito").as_deref() == Some("KO") {
            return Err(ApiError::Malformed(
                "esito KO senza codice di errore".into(),
            ));
        }
        let zip_avviso = match r.text_of("base64ZipAvviso") {
            Some(b) => Some(decode_base64(&b)?),
            None => None,
        };
        Ok(EsitoDovuto {
            iuv: r.text_of("identificativoUnivocoVersamento"),
            url_avviso: r.text_of("urlFileAvviso"),
            zip_avviso,
        })
    }

    /// `paaSILChiediPosizioniAperte` of a payer (`tipo` F or G). MyPay checks the password of
    /// its default Ente here (spec §2.3): the client sends the one it has.
    pub fn posizioni_aperte(
        &self,
        tipo: &str,
        codice: &str,
    ) -> Result<Vec<PosizioneAperta>, ApiError> {
        let children = format!(
            "{}{}<identificativoUnivocoPersonaFG><pay_i:tipoIdentificativoUnivoco>{}</pay_i:tipoIdentificativoUnivoco>\
             <pay_i:codiceIdentificativoUnivoco>{}</pay_i:codiceIdentificativoUnivoco></identificativoUnivocoPersonaFG>",
            self.password_field(),
            field("codIpaEnte", &self.cod_ipa),
            esc(tipo),
            esc(codice),
        );
        let r = self.call("paaSILChiediPosizioniAperte", false, &children)?;
        let mut out = Vec::new();
        for p in r.all("paaSILPosizioniAperte") {
            let dovuti = match p.text_of("dovuti") {
                Some(b) => Some(decode_xml_payload(&b)?),
                None => None,
            };
            let doc = dovuti
                .as_deref()
                .map(xml::parse)
                .transpose()
                .map_err(ApiError::Malformed)?;
            let dsv = doc.as_ref().and_then(|d| d.find("datiSingoloVersamento"));
            let dv = doc.as_ref().and_then(|d| d.find("datiVersamento"));
            out.push(PosizioneAperta {
                cod_ipa: p.text_of("codIpaEnte").unwrap_or_default(),
                ente: p.text_of("deNomeEnte").unwrap_or_default(),
                url_pagamento: p.text_of("urlPagamento"),
                iud: dsv.and_then(|d| d.text_of("identificativoUnivocoDovuto")),
                iuv: dv.and_then(|d| d.text_of("identificativoUnivocoVersamento")),
                importo: dsv.and_then(|d| d.text_of("importoSingoloVersamento")),
                causale: dsv.and_then(|d| d.text_of("causaleVersamento")),
                tipo_dovuto: dsv.and_then(|d| d.text_of("identificativoTipoDovuto")),
                scadenza: dv.and_then(|d| d.text_of("dataEsecuzionePagamento")),
            });
        }
        Ok(out)
    }

    /// `paaSILChiediPagatiConRicevuta` by IUV: the `PagatiConRicevuta` XML (decoded from
    /// MyPay's double base64), or the fault (`PAA_PAGAMENTO_NON_INIZIATO`…).
    pub fn pagati_per_iuv(&self, iuv: &str) -> Result<String, ApiError> {
        let children = format!(
            "{}{}{}",
            field("codIpaEnte", &self.cod_ipa),
            self.password_field(),
            field("identificativoUnivocoVersamento", iuv),
        );
        let r = self.call("paaSILChiediPagatiConRicevuta", false, &children)?;
        decode_xml_payload(&required(&r, "pagati")?)
    }

    /// MyBox upload of a flow zip (spec §3.1): reads the JSON body, never the status alone.
    pub fn upload(
        &self,
        upload_url: &str,
        authorization_token: &str,
        zip: &Path,
    ) -> Result<(), ApiError> {
        self.link_ammesso(upload_url)?;
        let name = zip
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let io = |e: std::io::Error| ApiError::Io {
            path: zip.display().to_string(),
            message: e.to_string(),
        };
        let size = std::fs::metadata(zip).map_err(io)?.len();
        if size > self.limite_caricamento {
            return Err(ApiError::Upload {
                codice: "MPD_FILE_TROPPO_GRANDE".into(),
                descrizione: format!("{size} byte, limite {}", self.limite_caricamento),
            });
        }
        let bytes = std::fs::read(zip).map_err(io)?;
        let form = || -> Result<reqwest::blocking::RequestBuilder, ApiError> {
            let part = reqwest::blocking::multipart::Part::bytes(bytes.clone())
                .file_name(name.clone())
                .mime_str("application/zip")
                .map_err(|e| ApiError::Malformed(e.to_string()))?;
            // PU reads only the file (its authorizationToken is a constant placeholder).
            let mut form = reqwest::blocking::multipart::Form::new();
            if !self.caricamento_pu {
                form = form.text("authorizationToken", authorization_token.to_string());
            }
            Ok(self
                .transfer
                .post(upload_url)
                .multipart(form.part(self.parte_file.clone(), part)))
        };
        let inizio = std::time::Instant::now();
        let resp = self.con_bearer(form)?;
        let status = resp.status().as_u16();
        let text = Scadenza::new(resp, inizio, self.timeouts.transfer).testo(1024 * 1024)?;
        if self.caricamento_pu {
            if status == 401 {
                return Err(ApiError::CredenzialiPu { status });
            }
            return parse_upload_response_pu(status, &text);
        }
        parse_upload_response(status, &text)
    }

    /// Downloads a MyBox link into `dest` (written whole, then renamed: never half a file).
    /// Returns the bytes written and the file name MyPay gave.
    pub fn download(
        &self,
        url: &str,
        tipo: Scaricamento,
        dest: &Path,
        progress: &mut dyn FnMut(u64, Option<u64>),
    ) -> Result<(u64, String), ApiError> {
        self.link_ammesso(url)?;
        let inizio = std::time::Instant::now();
        // On PU a 401 is first the token's (renewed once), then the link's.
        let resp = self.con_bearer(|| Ok(self.transfer.get(url)))?;
        let status = resp.status().as_u16();
        if status == 401 {
            return Err(ApiError::LinkExpired);
        }
        if status != 200 {
            return Err(ApiError::Http { status });
        }
        let expected = resp.content_length();
        if expected.is_some_and(|n| n > tipo.limite()) {
            return Err(tipo.troppo());
        }
        let name = resp
            .headers()
            .get("content-disposition")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split("filename=").nth(1))
            .map(|s| s.trim().trim_matches('"').to_string())
            .unwrap_or_default();
        let io = |e: std::io::Error| ApiError::Io {
            path: dest.display().to_string(),
            message: e.to_string(),
        };
        let mut resp = Scadenza::new(resp, inizio, self.timeouts.transfer);
        let part = dest.with_extension("part");
        // Every download lands in one of the app's own folders: private to the user.
        let mut file = mpd_privato::crea(&part).map_err(io)?;
        let mut buf = vec![0u8; 256 * 1024];
        let mut total: u64 = 0;
        loop {
            let n = match resp.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) => {
                    let _ = std::fs::remove_file(&part);
                    return Err(lettura(e, "scaricamento interrotto"));
                }
            };
            total += n as u64;
            if total > tipo.limite() {
                drop(file);
                let _ = std::fs::remove_file(&part);
                return Err(tipo.troppo());
            }
            file.write_all(&buf[..n]).map_err(io)?;
            progress(total, expected);
        }
        if expected.is_some_and(|e| e != total) {
            let _ = std::fs::remove_file(&part);
            return Err(ApiError::Network("scaricamento incompleto".into()));
        }
        file.sync_all().map_err(io)?;
        drop(file);
        std::fs::rename(&part, dest).map_err(io)?;
        Ok((total, name))
    }

    /// Downloads a small link into memory (a notice PDF).
    pub fn download_bytes(&self, url: &str) -> Result<Vec<u8>, ApiError> {
        self.link_ammesso(url)?;
        let tipo = Scaricamento::Avviso;
        let inizio = std::time::Instant::now();
        let resp = self.con_bearer(|| Ok(self.transfer.get(url)))?;
        let status = resp.status().as_u16();
        if status != 200 {
            return Err(ApiError::Http { status });
        }
        if resp.content_length().is_some_and(|n| n > tipo.limite()) {
            return Err(tipo.troppo());
        }
        let mut out = Vec::new();
        Scadenza::new(resp, inizio, self.timeouts.transfer)
            .take(tipo.limite() + 1)
            .read_to_end(&mut out)
            .map_err(|e| lettura(e, "scaricamento interrotto"))?;
        if out.len() as u64 > tipo.limite() {
            return Err(tipo.troppo());
        }
        Ok(out)
    }
}

/// `<name>escaped</name>`.
fn field(name: &str, value: &str) -> String {
    format!("<{name}>{}</{name}>", esc(value))
}

fn required(r: &Element, name: &str) -> Result<String, ApiError> {
    r.text_of(name)
        .ok_or_else(|| ApiError::Malformed(format!("manca il campo {name}")))
}

/// Reads a SOAP answer: a SOAP `Fault`, a business `fault`, or the operation's answer element.
pub fn parse_response(op: &str, status: u16, text: &str) -> Result<Element, ApiError> {
    let doc = match xml::parse(text) {
        Ok(d) => d,
        Err(e) if status == 200 => return Err(ApiError::Malformed(e)),
        Err(_) => return Err(ApiError::Http { status }),
    };
    let Some(body) = doc.child("Body") else {
        return Err(if status == 200 {
            ApiError::Malformed("manca il Body SOAP".into())
        } else {
            ApiError::Http { status }
        });
    };
    let Some(answer) = body.children.first() else {
        return Err(ApiError::Malformed("Body SOAP vuoto".into()));
    };
    let non_supportata = |testo: &str| {
        let t = testo.to_lowercase();
        (t.contains("non è una operazione supportata") || t.contains("operazione non supportata"))
            .then(|| ApiError::NonSupportata {
                operazione: op.to_string(),
                cosa: cosa_fa(op),
            })
    };
    if answer.name == "Fault" {
        if let Some(e) = non_supportata(&answer.text_of("faultstring").unwrap_or_default()) {
            return Err(e);
        }
        return Err(ApiError::SoapFault(Fault {
            code: answer.text_of("faultcode").unwrap_or_default(),
            string: answer.text_of("faultstring").unwrap_or_default(),
            description: None,
        }));
    }
    if status != 200 {
        return Err(ApiError::Http { status });
    }
    if let Some(f) = answer.child("fault") {
        if let Some(e) = non_supportata(&f.text_of("faultString").unwrap_or_default()) {
            return Err(e);
        }
        return Err(ApiError::Fault(Fault {
            code: f
                .text_of("faultCode")
                .unwrap_or_else(|| "PAA_SYSTEM_ERROR".into()),
            string: f.text_of("faultString").unwrap_or_default(),
            description: f.text_of("description"),
        }));
    }
    if answer.name != format!("{op}Risposta") {
        return Err(ApiError::Malformed(format!(
            "risposta inattesa «{}»",
            answer.name
        )));
    }
    Ok(answer.clone())
}

/// What an operation does, in the clerk's words (for an operation a platform lacks).
fn cosa_fa(op: &str) -> &'static str {
    match op {
        "paaSILChiediPosizioniAperte" => "La ricerca delle posizioni aperte di un pagatore",
        "paaSILImportaDovuto" => "La creazione o modifica di un dovuto allo sportello",
        "paaSILChiediPagatiConRicevuta" | "paaSILChiediPagati" => {
            "La verifica del pagamento di un dovuto"
        }
        "paaSILVerificaAvviso" => "Il pagamento allo sportello",
        "paaSILRegistraPagamento" => "La registrazione di un pagamento ricevuto dall'Ente",
        "paaSILChiediAvvisiPendenti" => "L'elenco degli avvisi in sospeso",
        "paaSILChiediStoricoPagamenti" => "Lo storico dei pagamenti",
        _ => "Questa operazione",
    }
}

/// Reads PU fileshare's upload answer (issue 15): `201 {ingestionFlowFileId}` is success; an
/// error is a status with `{code, message}` (`FILE_ALREADY_EXISTS`, `INVALID_FILE_NAME`…);
/// 413 is the size limit.
pub fn parse_upload_response_pu(status: u16, text: &str) -> Result<(), ApiError> {
    let value: Option<serde_json::Value> = serde_json::from_str(text).ok();
    let campo = |k: &str| {
        value.as_ref().and_then(|v| v.get(k)).map(|c| match c {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    };
    if (200..300).contains(&status) {
        return Ok(());
    }
    if status == 413 {
        return Err(ApiError::Upload {
            codice: "MPD_FILE_TROPPO_GRANDE".into(),
            descrizione: campo("message").unwrap_or_default(),
        });
    }
    if status >= 500 {
        return Err(ApiError::Http { status });
    }
    match campo("code") {
        Some(codice) => Err(ApiError::Upload {
            codice,
            descrizione: campo("message").unwrap_or_default(),
        }),
        None => Err(ApiError::Upload {
            codice: status.to_string(),
            descrizione: campo("message").unwrap_or_default(),
        }),
    }
}

/// Reads MyBox's upload answer: `[{"fileName"…}]` is success, `[{"codice","descrizione"}]` an
/// error, whatever the HTTP status (spec §3.1).
pub fn parse_upload_response(status: u16, text: &str) -> Result<(), ApiError> {
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(_) if status >= 500 || status == 0 => return Err(ApiError::Http { status }),
        Err(_) => {
            return Err(ApiError::Malformed(
                "risposta del caricamento non è JSON".into(),
            ));
        }
    };
    let first = match &value {
        serde_json::Value::Array(a) => a.first().cloned().unwrap_or_default(),
        other => other.clone(),
    };
    if let Some(codice) = first.get("codice") {
        let codice = match codice {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let descrizione = first
            .get("descrizione")
            .and_then(|d| d.as_str())
            .unwrap_or("")
            .to_string();
        // "[uid] message": the uid is MyPay's log reference; keep it, the clerk may need it.
        return Err(ApiError::Upload {
            codice,
            descrizione,
        });
    }
    if first.get("fileName").is_some() {
        return Ok(());
    }
    if let Some(m) = first.get("message").and_then(|m| m.as_str()) {
        return Err(ApiError::Upload {
            codice: status.to_string(),
            descrizione: m.to_string(),
        });
    }
    Err(ApiError::Malformed(
        "risposta del caricamento inattesa".into(),
    ))
}

fn decode_base64(s: &str) -> Result<Vec<u8>, ApiError> {
    let clean: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    B64.decode(clean.as_bytes())
        .map_err(|_| ApiError::Malformed("base64 non valido".into()))
}

/// Decodes base64 "until it is XML" (MyPay double-encodes `pagati`, spec §2.7).
pub fn decode_xml_payload(s: &str) -> Result<String, ApiError> {
    let mut bytes = decode_base64(s)?;
    for _ in 0..3 {
        let text = String::from_utf8_lossy(&bytes);
        let t = text.trim_start_matches('\u{feff}').trim_start();
        if t.starts_with('<') {
            return Ok(t.to_string());
        }
        bytes = decode_base64(t)?;
    }
    Err(ApiError::Malformed("contenuto base64 non è XML".into()))
}

/// One debt for `paaSILImportaDovuto` (spec §7.2). Amounts as `0.00`, dates `yyyy-mm-dd`.
#[derive(Clone, Debug, Default)]
pub struct Versamento {
    pub azione: String,
    pub iud: String,
    pub iuv: Option<String>,
    pub tipo_pagatore: String,
    pub codice_pagatore: String,
    pub anagrafica: String,
    pub email: Option<String>,
    pub scadenza: Option<String>,
    pub importo: String,
    pub tipo_dovuto: String,
    pub causale: String,
    pub dati_specifici: String,
}

/// The `pay_i:Versamento` XML, children in XSD order, all qualified (elementFormDefault).
pub fn versamento_xml(v: &Versamento) -> String {
    let q = |name: &str, value: &str| format!("<pay_i:{name}>{}</pay_i:{name}>", esc(value));
    let mut s = String::new();
    s.push_str(&format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><pay_i:Versamento xmlns:pay_i=\"{PAY_I}\">"
    ));
    s.push_str(&q("versioneOggetto", "6.2.0"));
    s.push_str("<pay_i:soggettoPagatore><pay_i:identificativoUnivocoPagatore>");
    s.push_str(&q("tipoIdentificativoUnivoco", &v.tipo_pagatore));
    s.push_str(&q("codiceIdentificativoUnivoco", &v.codice_pagatore));
    s.push_str("</pay_i:identificativoUnivocoPagatore>");
    s.push_str(&q("anagraficaPagatore", &v.anagrafica));
    if let Some(e) = v.email.as_deref().filter(|e| !e.is_empty()) {
        s.push_str(&q("e-mailPagatore", e));
    }
    s.push_str("</pay_i:soggettoPagatore><pay_i:datiVersamento>");
    if let Some(d) = v.scadenza.as_deref().filter(|d| !d.is_empty()) {
        s.push_str(&q("dataEsecuzionePagamento", d));
    }
    s.push_str(&q("tipoVersamento", "ALL"));
    if let Some(iuv) = v.iuv.as_deref().filter(|i| !i.is_empty()) {
        s.push_str(&q("identificativoUnivocoVersamento", iuv));
    }
    s.push_str(&q("identificativoUnivocoDovuto", &v.iud));
    s.push_str(&q("importoSingoloVersamento", &v.importo));
    s.push_str(&q("identificativoTipoDovuto", &v.tipo_dovuto));
    s.push_str(&q("causaleVersamento", &v.causale));
    s.push_str(&q("datiSpecificiRiscossione", &v.dati_specifici));
    s.push_str("</pay_i:datiVersamento>");
    s.push_str(&q("azione", &v.azione));
    s.push_str("</pay_i:Versamento>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn business_faults_in_a_200_body() {
        let text = "<S:Envelope xmlns:S='http://schemas.xmlsoap.org/soap/envelope/'><S:Body>\
            <ns2:paaSILAutorizzaImportFlussoRisposta xmlns:ns2='x'><fault><faultCode>PAA_ENTE_NON_VALIDO</faultCode>\
            <faultString>Password non valida per ente [c_x]</faultString><id>c_x</id></fault></ns2:paaSILAutorizzaImportFlussoRisposta></S:Body></S:Envelope>";
        let e = parse_response("paaSILAutorizzaImportFlusso", 200, text).unwrap_err();
        assert_eq!(e.fault_code(), Some("PAA_ENTE_NON_VALIDO"));
        assert!(!e.is_transient());
        assert!(e.to_string().contains("reimpostare la password"), "{e}");
    }

    #[test]
    fn soap_faults_http_errors_and_garbage() {
        let text = "<soapenv:Envelope xmlns:soapenv='http://schemas.xmlsoap.org/soap/envelope/'><soapenv:Body><soapenv:Fault>\
            <faultcode>SOAP-ENV:Server</faultcode><faultstring>NullPointerException</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>";
        assert!(matches!(
            parse_response("x", 500, text),
            Err(ApiError::SoapFault(_))
        ));
        assert!(matches!(
            parse_response("x", 503, "Service Unavailable"),
            Err(ApiError::Http { status: 503 })
        ));
        assert!(
            parse_response("x", 200, "<a><b>")
                .unwrap_err()
                .is_transient()
        );
    }

    #[test]
    fn missing_fields_and_null_literals() {
        let text = "<Envelope><Body><paaSILChiediStatoImportFlussoRisposta><stato>IMPORT_ESEGUITO</stato>\
            <urlFileScarti>null</urlFileScarti><urlFileIUV> http://x/iuv </urlFileIUV></paaSILChiediStatoImportFlussoRisposta></Body></Envelope>";
        let r = parse_response("paaSILChiediStatoImportFlusso", 200, text).unwrap();
        assert_eq!(r.text_of("urlFileScarti"), None);
        assert_eq!(r.text_of("urlFileIUV").as_deref(), Some("http://x/iuv"));
        assert!(matches!(
            required(&r, "uploadUrl"),
            Err(ApiError::Malformed(_))
        ));
    }

    #[test]
    fn upload_answers_are_read_from_the_body() {
        assert!(
            parse_upload_response(
                200,
                r#"[{"fileName":"a.zip","fileSize":"10","fileType":"application/zip"}]"#
            )
            .is_ok()
        );
        let e = parse_upload_response(200, r#"[{"codice":"400","descrizione":"[abc] Lo stesso nome di file [a.zip] esiste gia'."}]"#).unwrap_err();
        assert!(matches!(&e, ApiError::Upload { codice, .. } if codice == "400"));
        assert!(matches!(
            parse_upload_response(503, "Service Unavailable"),
            Err(ApiError::Http { status: 503 })
        ));
        assert!(
            parse_upload_response(400, r#"{"status":400,"message":"dimensione file"}"#).is_err()
        );
    }

    #[test]
    fn double_base64_is_decoded_until_xml() {
        let xml = "<Pagati><a>1</a></Pagati>";
        let once = B64.encode(xml);
        let twice = B64.encode(&once);
        assert_eq!(decode_xml_payload(&once).unwrap(), xml);
        assert_eq!(decode_xml_payload(&twice).unwrap(), xml);
        assert!(decode_xml_payload("!!").is_err());
    }
}
