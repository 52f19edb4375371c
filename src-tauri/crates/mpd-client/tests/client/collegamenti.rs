//! Issue 17 item 6: the links in MyPay's answers are followed only to the configured server,
//! and a download bigger than any file of its kind is stopped (and not tried again).

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use mpd_client::api::{ApiError, Scaricamento, Timeouts};
use mpd_client::{MyPayClient, Secret};

/// A loopback HTTP server answering every request with `risposta(n)` (n: the request's
/// number); returns its base address and how many connections it received.
fn server(
    ip: &str,
    risposta: impl Fn() -> Vec<Vec<u8>> + Send + Sync + 'static,
) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind(format!("{ip}:0")).unwrap();
    let port = listener.local_addr().unwrap().port();
    let contate = Arc::new(AtomicUsize::new(0));
    let c = contate.clone();
    let risposta = Arc::new(risposta);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            c.fetch_add(1, Ordering::SeqCst);
            let risposta = risposta.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 65536];
                let _ = stream.read(&mut buf);
                for pezzo in risposta() {
                    if stream.write_all(&pezzo).is_err() {
                        return;
                    }
                }
            });
        }
    });
    (format!("http://{ip}:{port}"), contate)
}

fn client(base: &str) -> MyPayClient {
    MyPayClient::new(
        &format!("{base}/ws/pa/"),
        "c_demo",
        Secret::new("pw"),
        &Timeouts::default(),
    )
    .unwrap()
}

#[test]
fn links_to_another_server_are_not_followed() {
    let (mypay, contatti_mypay) = server("127.0.0.1", || {
        vec![b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n[]".to_vec()]
    });
    // Another host (127.0.0.2) and another port of the same host: both elsewhere.
    let (altrove, contatti) = server("127.0.0.2", || {
        vec![b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n[]".to_vec()]
    });
    let (porta, contatti_porta) = server("127.0.0.1", || {
        vec![b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n[]".to_vec()]
    });
    let c = client(&mypay);
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("c_demo-X-1_4.zip");
    std::fs::write(&zip, b"PK").unwrap();
    for base in [&altrove, &porta] {
        let e = c
            .upload(&format!("{base}/public/mybox/uploadFlusso"), "t", &zip)
            .unwrap_err();
        assert!(matches!(e, ApiError::LinkEsterno { .. }), "{e:?}");
        assert!(!e.is_transient());
        assert!(
            e.to_string()
                .contains("solo con l'indirizzo di MyPay configurato")
        );
        let dest = dir.path().join("esito.zip");
        let e = c
            .download(
                &format!("{base}/public/mybox/download/1"),
                Scaricamento::Esito,
                &dest,
                &mut |_, _| {},
            )
            .unwrap_err();
        assert!(matches!(e, ApiError::LinkEsterno { .. }), "{e:?}");
        let e = c.download_bytes(&format!("{base}/a.pdf")).unwrap_err();
        assert!(matches!(e, ApiError::LinkEsterno { .. }), "{e:?}");
    }
    assert_eq!(
        contatti.load(Ordering::SeqCst),
        0,
        "nothing went to the other host"
    );
    assert_eq!(
        contatti_porta.load(Ordering::SeqCst),
        0,
        "nothing went to the other port"
    );
    // The configured server itself is reached (its answer here is not MyBox's).
    let e = c.upload(&format!("{mypay}/public/mybox/uploadFlusso"), "t", &zip);
    assert!(!matches!(e, Err(ApiError::LinkEsterno { .. })), "{e:?}");
    assert_eq!(contatti_mypay.load(Ordering::SeqCst), 1);
}

#[test]
fn a_download_bigger_than_its_kind_is_stopped() {
    // A declared size past the limit: refused before reading.
    let (base, _) = server("127.0.0.1", || {
        vec![
            b"HTTP/1.1 200 OK\r\ncontent-length: 3000000000\r\n\r\n".to_vec(),
            vec![0u8; 1024],
        ]
    });
    let c = client(&base);
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("esito.zip");
    let e = c
        .download(
            &format!("{base}/x"),
            Scaricamento::Esito,
            &dest,
            &mut |_, _| {},
        )
        .unwrap_err();
    assert!(
        matches!(e, ApiError::TroppoGrande { limite_mb: 256, .. }),
        "{e:?}"
    );
    assert!(!e.is_transient(), "not downloaded again on each retry");
    assert!(!dest.exists() && !dest.with_extension("part").exists());

    // No declared size (chunked), more than a notice can be: stopped while reading.
    let (base, _) = server("127.0.0.1", || {
        let mut v = vec![b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n".to_vec()];
        let pezzo = vec![b'x'; 1 << 20];
        for _ in 0..20 {
            let mut c = format!("{:x}\r\n", pezzo.len()).into_bytes();
            c.extend_from_slice(&pezzo);
            c.extend_from_slice(b"\r\n");
            v.push(c);
        }
        v.push(b"0\r\n\r\n".to_vec());
        v
    });
    let c = client(&base);
    let e = c.download_bytes(&format!("{base}/avviso.pdf")).unwrap_err();
    assert!(
        matches!(e, ApiError::TroppoGrande { limite_mb: 16, .. }),
        "{e:?}"
    );
    let e = c
        .download(
            &format!("{base}/x"),
            Scaricamento::Avviso,
            &dest,
            &mut |_, _| {},
        )
        .unwrap_err();
    assert!(
        matches!(e, ApiError::TroppoGrande { limite_mb: 16, .. }),
        "{e:?}"
    );
    assert!(!dest.exists() && !dest.with_extension("part").exists());
}
