//! Issue 17 item 2: a server that drips its answer (a byte every 100 ms, for ever) cannot hold
//! a call: the SOAP call, the download and the upload each end at their deadline for the whole
//! exchange with a timeout, which the engine retries or reports like any network fault.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::Duration;

use mpd_client::api::{ApiError, Timeouts};
use mpd_client::{MyPayClient, Secret};

/// A loopback HTTP server that sends the headers of a long answer, then one byte at a time.
fn gocciolante() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                let mut buf = [0u8; 65536];
                let _ = stream.read(&mut buf);
                let _ = stream.write_all(
                    b"HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\ncontent-length: 1000000\r\n\r\n",
                );
                while stream.write_all(b"<").is_ok() {
                    std::thread::sleep(Duration::from_millis(100));
                }
            });
        }
    });
    format!("http://127.0.0.1:{port}")
}

fn client(base: &str) -> MyPayClient {
    let t = Timeouts {
        connect: Duration::from_secs(2),
        soap: Duration::from_secs(1),
        transfer: Duration::from_secs(1),
    };
    MyPayClient::new(&format!("{base}/ws/pa/"), "c_demo", Secret::new("pw"), &t).unwrap()
}

/// Runs `f` on a thread; a call still running after 30 s is the bug (the deadline is 1 s).
fn entro<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(30))
        .expect("the call was still running 30 s after its 1 s deadline")
}

fn scaduto(e: &ApiError) -> bool {
    matches!(e, ApiError::Network(m) if m == "tempo scaduto") && e.is_transient()
}

#[test]
fn a_dripping_answer_ends_at_the_deadline_of_the_call() {
    let base = gocciolante();
    let c = client(&base);
    let e = entro(move || c.autorizza_import().unwrap_err());
    assert!(scaduto(&e), "{e:?}");

    let c = client(&base);
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("esito.zip");
    let url = format!("{base}/public/mybox/x.zip");
    let d = dest.clone();
    let e = entro(move || {
        c.download(
            &url,
            mpd_client::api::Scaricamento::Esito,
            &d,
            &mut |_, _| {},
        )
        .unwrap_err()
    });
    assert!(scaduto(&e), "{e:?}");
    assert!(!dest.exists() && !dest.with_extension("part").exists());

    let c = client(&base);
    let url = format!("{base}/public/mybox/x.zip");
    let e = entro(move || c.download_bytes(&url).unwrap_err());
    assert!(scaduto(&e), "{e:?}");

    let c = client(&base);
    let zip = dir.path().join("c_demo-X-1_4.zip");
    std::fs::write(&zip, b"PK").unwrap();
    let url = format!("{base}/public/mybox/upload");
    let e = entro(move || c.upload(&url, "token", &zip).unwrap_err());
    assert!(scaduto(&e), "{e:?}");
}
