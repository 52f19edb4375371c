//! A tiny HTTP/1.1 client for the emulator's own `/sim/` endpoints (`mypay-desk sim pay`), so
//! the CLI needs no HTTP stack. Plain `http://` only, one request per connection, bounded
//! answer size and timeouts.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use crate::error::EmulatorError;
use crate::payments::{PayRequest, PayResponse};

const MAX_ANSWER: u64 = 64 * 1024 * 1024;

fn err(m: impl std::fmt::Display) -> EmulatorError {
    EmulatorError::Other(m.to_string())
}

/// `POST <base_url><path>` with a JSON body; returns status and body.
pub fn post_json(base_url: &str, path: &str, body: &str) -> Result<(u16, String), EmulatorError> {
    let rest = base_url
        .trim_end_matches('/')
        .strip_prefix("http://")
        .ok_or_else(|| {
            err(format!(
                "indirizzo «{base_url}» non valido: serve http://host:porta"
            ))
        })?;
    let (host_port, prefix) = match rest.split_once('/') {
        Some((h, p)) => (h, format!("/{p}")),
        None => (rest, String::new()),
    };
    let addr = host_port
        .to_socket_addrs()
        .map_err(|e| err(format!("{host_port}: {e}")))?
        .next()
        .ok_or_else(|| err(format!("{host_port}: indirizzo non risolto")))?;
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(10))
        .map_err(|e| err(format!("connessione a {host_port}: {e}")))?;
    s.set_read_timeout(Some(Duration::from_secs(300)))
        .map_err(err)?;
    s.set_write_timeout(Some(Duration::from_secs(30)))
        .map_err(err)?;
    write!(
        s,
        "POST {prefix}{path} HTTP/1.1\r\nHost: {host_port}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .map_err(err)?;
    let mut raw = Vec::new();
    s.take(MAX_ANSWER).read_to_end(&mut raw).map_err(err)?;
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| err("risposta HTTP incompleta"))?;
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| err("risposta HTTP non valida"))?;
    let chunked = head.lines().any(|l| {
        l.to_ascii_lowercase()
            .starts_with("transfer-encoding: chunked")
    });
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_string()
    };
    Ok((status, body))
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

/// Asks a running emulator to pay open debts (`POST /sim/pay`).
pub fn remote_pay(base_url: &str, req: &PayRequest) -> Result<PayResponse, EmulatorError> {
    let body = serde_json::to_string(req).map_err(err)?;
    let (status, text) = post_json(base_url, "/sim/pay", &body)?;
    if status != 200 {
        let msg = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v.get("errore").and_then(|e| e.as_str()).map(String::from))
            .unwrap_or(text);
        return Err(err(format!("l'emulatore ha risposto {status}: {msg}")));
    }
    serde_json::from_str(&text).map_err(|e| err(format!("risposta non valida: {e}")))
}

/// Asks a running emulator to cancel a loaded flow, as MyPay's operator would from its web UI
/// (`POST /sim/flussi/annulla`); returns how many open debts were cancelled.
pub fn remote_annulla(base_url: &str, ente: &str, iuf: &str) -> Result<u64, EmulatorError> {
    let body = serde_json::json!({ "ente": ente, "iuf": iuf }).to_string();
    let (status, text) = post_json(base_url, "/sim/flussi/annulla", &body)?;
    let v: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| err(format!("risposta non valida: {e}")))?;
    if status != 200 {
        let msg = v
            .get("errore")
            .and_then(|e| e.as_str())
            .unwrap_or(&text)
            .to_string();
        return Err(err(format!("l'emulatore ha risposto {status}: {msg}")));
    }
    v.get("annullati")
        .and_then(|n| n.as_u64())
        .ok_or_else(|| err("risposta senza «annullati»"))
}

/// Asks a running emulator for the treasury journal of its settlements (`POST /sim/tesoreria`).
pub fn remote_tesoreria(
    base_url: &str,
    req: &crate::tesoreria::RichiestaTesoreria,
) -> Result<crate::tesoreria::Tesoreria, EmulatorError> {
    let body = serde_json::to_string(req).map_err(err)?;
    let (status, text) = post_json(base_url, "/sim/tesoreria", &body)?;
    if status != 200 {
        let msg = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v.get("errore").and_then(|e| e.as_str()).map(String::from))
            .unwrap_or(text);
        return Err(err(format!("l'emulatore ha risposto {status}: {msg}")));
    }
    serde_json::from_str(&text).map_err(|e| err(format!("risposta non valida: {e}")))
}
