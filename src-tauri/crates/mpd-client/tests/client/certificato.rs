//! Issue 17 item 1: a server whose TLS certificate is not trusted (here self-signed, as a
//! wrong address or a man in the middle would present) is reported at once, in Italian, as a
//! certificate problem — not as "MyPay non risponde" retried for minutes.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;

use mpd_client::api::{ApiError, Timeouts};
use mpd_client::{MyPayClient, Secret};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

const CERT: &[u8] = include_bytes!("fixtures/autofirmato.pem");
const KEY: &[u8] = include_bytes!("fixtures/autofirmato.key");

/// A TLS server on a free loopback port with the self-signed certificate, answering every
/// connection (the client is expected to drop each one during the handshake).
fn server() -> (String, Arc<std::sync::atomic::AtomicUsize>) {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from_pem_slice(CERT).unwrap()],
            PrivateKeyDer::from_pem_slice(KEY).unwrap(),
        )
        .unwrap();
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let connessioni = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let contate = connessioni.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            contate.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let config = config.clone();
            std::thread::spawn(move || {
                let conn = rustls::ServerConnection::new(config).unwrap();
                let mut tls = rustls::StreamOwned::new(conn, stream);
                let mut buf = [0u8; 4096];
                if tls.read(&mut buf).is_ok() {
                    let _ = tls.write_all(
                        b"HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\n\r\n",
                    );
                }
            });
        }
    });
    (format!("https://127.0.0.1:{port}/ws/pa/"), connessioni)
}

#[test]
fn an_untrusted_certificate_is_reported_as_such_and_not_retried() {
    let (url, connessioni) = server();
    let client = MyPayClient::new(&url, "c_demo", Secret::new("pw"), &Timeouts::default()).unwrap();
    let e = client.autorizza_import().unwrap_err();
    assert!(
        matches!(&e, ApiError::Certificato(m) if m.contains("autorità non riconosciuta")),
        "{e:?}"
    );
    assert!(!e.is_transient(), "a refused certificate is not retried");
    let testo = e.to_string();
    assert!(
        testo.starts_with("il certificato di sicurezza del server di MyPay non è valido"),
        "{testo}"
    );
    assert_eq!(connessioni.load(std::sync::atomic::Ordering::SeqCst), 1);
}
