//! No trace of the MyPay password after a full run (issue 5, reliability): the data folder
//! (database, WAL, flow zips, downloaded files), the logs (every crate at TRACE, written to a
//! file in the data folder) and standard output and error of every command are scanned for the
//! password, its base64 forms (at each alignment) and its hex form; and for the archive's key
//! (its recovery code, its hexadecimal digits, its raw bytes).
//!
//! The run: `connection set` / `show` for a custom environment pointing at an emulator started
//! in-process, debts added, `flow build`, `flow submit`, `flow status`, payments on the
//! emulator, `receipts download` (incremental and by dates), `counter new`, `counter lookup`,
//! `sync`, the JSON lists, with the password from `MYPAY_DESK_PASSWORD`, and a MyPay that
//! refuses it; then the same engine through an in-memory credential store, its events
//! rendered by the CLI's progress printer, and a wrong password in that store.
//!
//! Then the same whole run on the Piattaforma Unitaria (issue 15, platform `pu`), in a data
//! folder of its own, with the client secret from `MYPAY_DESK_CLIENT_SECRET`, a PU that refuses
//! it, and the secret in an in-memory store (right and wrong): the client secret is looked for
//! as the password is (and percent-encoded, since it travels in the token request's query
//! string), and so is every Bearer token the emulator issued, which lives in memory only.
//!
//! Its own test binary: it sets process environment variables and installs a global log
//! subscriber.

use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use mpd_client::credentials::{self, CredentialStore, ENV_PASSWORD, MemoryStore};
use mpd_client::piattaforma::ENV_CLIENT_SECRET;
use mpd_client::{Event, Secret};
use mpd_e2e::{Env, Run};

const PASSWORD: &str = "Pw-Segreta-E2e-Q7zX!";
const WRONG: &str = "Pw-Sbagliata-E2e-K3vM?";
const CF: &str = "RSSMRA80A01H501U";
/// PU's client secret of the Ente, and one PU does not know.
const CLIENT_SECRET: &str = "Pu-Segreto-Client-E2e/R5t+";
const WRONG_SECRET: &str = "Pu-Segreto-Errato-E2e/J2w+";

/// The byte strings that betray `pw`: itself, hex, and base64 of it at the three alignments
/// it can have inside a longer base64 text (the characters that depend on the neighbours cut).
fn needles(pw: &str) -> Vec<Vec<u8>> {
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut out = vec![
        pw.as_bytes().to_vec(),
        // Percent-encoded, as in a query string (PU's token request).
        pw.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
            .into_bytes(),
        pw.bytes()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
            .into_bytes(),
    ];
    for k in 0..3usize {
        let mut bytes = vec![0u8; k];
        bytes.extend_from_slice(pw.as_bytes());
        let enc = b64.encode(&bytes);
        let skip = (k * 4).div_ceil(3);
        let keep = (bytes.len() / 3) * 4;
        out.push(enc.as_bytes()[skip..keep].to_vec());
    }
    out
}

fn find(hay: &[u8], needle: &[u8]) -> bool {
    needle.len() <= hay.len() && hay.windows(needle.len()).any(|w| w == needle)
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[derive(Clone)]
struct LogFile(Arc<Mutex<std::fs::File>>);

impl Write for LogFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.lock().unwrap().flush()
    }
}

fn must(r: &Run, what: &str) {
    assert_eq!(r.code, 0, "{what}: {r:?}");
}

#[test]
fn no_trace_of_the_password_in_data_logs_or_output() {
    // The workspace denies unsafe code; this binary's only test sets the variable the CLI
    // reads before it starts any thread (logger, emulator), which is what makes it sound.
    // SAFETY: no other thread exists yet in this process (one test, first statement).
    #[allow(unsafe_code)]
    unsafe {
        std::env::set_var(ENV_PASSWORD, PASSWORD);
        std::env::set_var(ENV_CLIENT_SECRET, CLIENT_SECRET);
    };
    let env = Env::with_ente();
    let log_path = env.path("mypay-desk.log");
    let log = LogFile(Arc::new(Mutex::new(
        std::fs::File::create(&log_path).unwrap(),
    )));
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("trace"))
        .with_writer(move || log.clone())
        .with_ansi(false)
        .init();

    // MyPay: the emulator, in its own folder (it is the server: it knows the password).
    let emu_dir = tempfile::tempdir().unwrap();
    let emu = {
        let desk = env.desk();
        let mut options = mpd_emulator::EmulatorOptions::new(emu_dir.path().join("emu"));
        options.batch_interval = Duration::from_millis(20);
        options.enti = vec![mpd_emulator::EnteConfig {
            ente: desk.require_ente().unwrap(),
            tipi: desk.store().tipi_dovuto().unwrap(),
            password: Some(PASSWORD.to_string()),
            stato: "ESERCIZIO".into(),
            client_id: String::new(),
            client_secret: None,
        }];
        mpd_emulator::Emulator::start(options).unwrap()
    };
    let base = emu.base_url.clone();
    let ipa = env.desk().require_ente().unwrap().codice_ipa;

    let mut runs: Vec<(String, String)> = Vec::new();
    let mut cli = |args: &[&str]| {
        let r = env.cli(args);
        runs.push((r.out.clone(), r.err.clone()));
        r
    };
    must(
        &cli(&["--env", "custom", "--base-url", &base, "connection", "set"]),
        "connection set",
    );
    let show = cli(&["connection", "show"]);
    must(&show, "connection show");
    assert!(
        format!("{}{}", show.out, show.err).contains("MYPAY_DESK_PASSWORD"),
        "the source is said: {show:?}"
    );
    must(
        &cli(&["--json", "connection", "show"]),
        "connection show --json",
    );
    sent_paid_and_receipted(&mut cli, &env, &base, &ipa, "S", 3);

    // The counter, then a sync with nothing left to do.
    let nuovo = [
        "counter",
        "new",
        "--cf",
        CF,
        "--nome",
        "Mario Rossi",
        "--importo",
        "12,50",
        "--scadenza",
        "31/03/2027",
        "--tipo",
        "TARI",
        "--causale",
        "Diritti di segreteria",
    ];
    must(&cli(&nuovo), "counter new");
    // The same debt again for the same payer: refused, saying how to create it anyway.
    let di_nuovo = cli(&nuovo);
    assert_ne!(di_nuovo.code, 0, "{di_nuovo:?}");
    assert!(
        di_nuovo
            .err
            .contains("esiste già un dovuto uguale per questo pagatore")
            && di_nuovo.err.contains("--anche-se-duplicato"),
        "{di_nuovo:?}"
    );
    must(&cli(&["counter", "lookup", CF]), "counter lookup");
    must(
        &cli(&["--json", "counter", "lookup", CF]),
        "counter lookup --json",
    );
    must(&cli(&["sync"]), "sync");
    must(&cli(&["--json", "debts", "list"]), "debts list");
    must(&cli(&["--json", "receipts", "list"]), "receipts list");

    // The password refused: a second MyPay that expects another one. The error is explained
    // and does not echo what was sent.
    let emu2_dir = tempfile::tempdir().unwrap();
    let emu2 = {
        let desk = env.desk();
        let mut options = mpd_emulator::EmulatorOptions::new(emu2_dir.path().join("emu"));
        options.enti = vec![mpd_emulator::EnteConfig {
            ente: desk.require_ente().unwrap(),
            tipi: desk.store().tipi_dovuto().unwrap(),
            password: Some("Attesa-Dal-Server-2".to_string()),
            stato: "ESERCIZIO".into(),
            client_id: String::new(),
            client_secret: None,
        }];
        mpd_emulator::Emulator::start(options).unwrap()
    };
    let refused = cli(&[
        "--env",
        "custom",
        "--base-url",
        &emu2.base_url,
        "counter",
        "lookup",
        CF,
    ]);
    assert_ne!(refused.code, 0, "{refused:?}");
    assert!(refused.err.contains("password"), "explained: {refused:?}");
    emu2.stop();

    // The same work through an in-memory credential store (what the window's tests and a
    // keyring look like to the engine), events rendered by the CLI's progress printer.
    let opts = mpd_app::connessione::ConnectOptions {
        env: Some("custom".into()),
        base_url: Some(base.clone()),
        ..Default::default()
    };
    let account = credentials::account(&ipa, "custom");
    let rendered = through_a_store(
        &env,
        &mut cli,
        &opts,
        &account,
        [PASSWORD, WRONG],
        mpd_domain::Version::V1_4,
        "TARI-M1",
    );

    // The scan.
    let mut haystacks: Vec<(String, Vec<u8>)> = Vec::new();
    for (i, (out, err)) in runs.iter().enumerate() {
        haystacks.push((format!("run {i} stdout"), out.clone().into_bytes()));
        haystacks.push((format!("run {i} stderr"), err.clone().into_bytes()));
    }
    haystacks.push(("in-memory store run".into(), rendered));
    let pu = whole_run_on_pu();
    haystacks.extend(pu.outputs);
    let mut paths = Vec::new();
    files(env.dir.path(), &mut paths);
    files(pu.env.dir.path(), &mut paths);
    assert!(
        paths
            .iter()
            .any(|p| p.extension().is_some_and(|e| e == "zip")),
        "flow zips are in the data folder: {paths:?}"
    );
    for p in &paths {
        haystacks.push((p.display().to_string(), std::fs::read(p).unwrap()));
    }
    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(
        log.contains("paaSILAutorizzaImportFlusso"),
        "the log captured the SOAP calls"
    );
    let total: usize = haystacks.iter().map(|(_, h)| h.len()).sum();
    eprintln!(
        "scanned {} outputs and files, {total} bytes ({} of logs)",
        haystacks.len(),
        log.len()
    );
    assert!(
        log.contains("richiesta del token della Piattaforma Unitaria"),
        "the log captured PU's token requests"
    );
    assert!(
        pu.tokens.len() >= 2,
        "the emulators issued tokens: {}",
        pu.tokens.len()
    );
    let mut leaks = Vec::new();
    // The archive's key too (issue 17 item 7): its recovery code, its 64 hexadecimal digits in
    // either case, and its 32 bytes as they are (0x7E 0x57: "~W").
    let chiave = mpd_core::testing::CHIAVE_DI_PROVA;
    let cifre = chiave.replace('-', "");
    let secrets = [PASSWORD, WRONG, CLIENT_SECRET, WRONG_SECRET]
        .into_iter()
        .map(String::from)
        .chain([
            chiave.to_string(),
            cifre.clone(),
            cifre.to_lowercase(),
            "~W".repeat(16),
        ])
        .chain(pu.tokens);
    for pw in secrets {
        for n in needles(&pw) {
            for (name, hay) in &haystacks {
                if find(hay, &n) {
                    leaks.push(format!("{name}: {}", String::from_utf8_lossy(&n)));
                }
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "password, client secret, token or the archive's key found in: {leaks:#?}"
    );
    // The scan can fail: each form is found where it is (base64 inside a longer text too).
    let b64 = base64::engine::general_purpose::STANDARD;
    for pre in ["", "a", "ab"] {
        let text = b64.encode(format!("{pre}<password>{PASSWORD}</password>"));
        assert!(
            needles(PASSWORD).iter().any(|n| find(text.as_bytes(), n)),
            "{text}"
        );
    }
    // And the client secret as the token request's query string carries it.
    let query = "?client_id=c_x123SIL_MyPayDesk&client_secret=Pu-Segreto-Client-E2e%2FR5t%2B&grant_type=client_credentials";
    assert!(
        needles(CLIENT_SECRET)
            .iter()
            .any(|n| find(query.as_bytes(), n)),
        "{query}"
    );
    emu.stop();
}

/// What the run on PU left: its data folder, what it printed, and every token issued.
struct RunOnPu {
    env: Env,
    outputs: Vec<(String, Vec<u8>)>,
    tokens: Vec<String>,
}

fn emulator_pu(dir: &Path, env: &Env, secret: &str) -> mpd_emulator::EmulatorHandle {
    let desk = env.desk();
    let ente = desk.require_ente().unwrap();
    let mut options = mpd_emulator::EmulatorOptions::new(dir.join("emu"))
        .con_piattaforma(mpd_emulator::Piattaforma::Pu);
    options.batch_interval = Duration::from_millis(20);
    options.enti = vec![mpd_emulator::EnteConfig {
        client_id: mpd_emulator::client_id_predefinito(&ente.codice_ipa),
        client_secret: Some(secret.to_string()),
        ente,
        tipi: desk.store().tipi_dovuto().unwrap(),
        password: Some(PASSWORD.to_string()),
        stato: "ESERCIZIO".into(),
    }];
    mpd_emulator::Emulator::start(options).unwrap()
}

/// The whole run on PU (issue 15): connection set with the client id, debts, flow built,
/// sent and checked, payments, receipts (incremental and by dates), counter new, lookup and
/// cancel, sync, lists; the client secret from `MYPAY_DESK_CLIENT_SECRET`, then a PU that
/// refuses it, then the engine through an in-memory store holding it (and a wrong one).
fn whole_run_on_pu() -> RunOnPu {
    let env = Env::with_ente();
    let ipa = env.desk().require_ente().unwrap().codice_ipa;
    let client_id = mpd_emulator::client_id_predefinito(&ipa);
    let emu_dir = tempfile::tempdir().unwrap();
    let emu = emulator_pu(emu_dir.path(), &env, CLIENT_SECRET);
    let base = emu.base_url.clone();
    let mut outputs: Vec<(String, Vec<u8>)> = Vec::new();
    let mut cli = |args: &[&str]| {
        let r = env.cli(args);
        outputs.push((format!("pu: {args:?} stdout"), r.out.clone().into_bytes()));
        outputs.push((format!("pu: {args:?} stderr"), r.err.clone().into_bytes()));
        r
    };
    must(
        &cli(&[
            "--env",
            "custom",
            "--base-url",
            &base,
            "--platform",
            "pu",
            "connection",
            "set",
            "--client-id",
            &client_id,
        ]),
        "pu: connection set",
    );
    let show = cli(&["connection", "show"]);
    must(&show, "pu: connection show");
    assert!(
        show.out.contains("MYPAY_DESK_CLIENT_SECRET"),
        "the source is said: {show:?}"
    );
    sent_paid_and_receipted(&mut cli, &env, &base, &ipa, "P", 5);
    let nuovo = cli(&[
        "--json",
        "counter",
        "new",
        "--cf",
        CF,
        "--nome",
        "Mario Rossi",
        "--importo",
        "12,50",
        "--scadenza",
        "31/03/2027",
        "--tipo",
        "TARI",
        "--causale",
        "Diritti di segreteria",
    ]);
    must(&nuovo, "pu: counter new");
    let iud = nuovo.json()["iud"].as_str().unwrap().to_string();
    must(&cli(&["counter", "lookup", CF]), "pu: counter lookup");
    must(&cli(&["counter", "cancel", &iud]), "pu: counter cancel");
    must(&cli(&["sync"]), "pu: sync");
    must(&cli(&["--json", "debts", "list"]), "pu: debts list");
    must(&cli(&["--json", "receipts", "list"]), "pu: receipts list");

    // The secret refused: a PU that expects another one. Explained, not echoed.
    let emu2_dir = tempfile::tempdir().unwrap();
    let emu2 = emulator_pu(emu2_dir.path(), &env, "Atteso-Dal-Server-Pu-3");
    let refused = cli(&[
        "--env",
        "custom",
        "--base-url",
        &emu2.base_url,
        "counter",
        "lookup",
        CF,
    ]);
    assert_ne!(refused.code, 0, "{refused:?}");
    assert!(refused.err.contains("segreto"), "explained: {refused:?}");

    // The engine through an in-memory store holding the secret (the keyring, to the engine),
    // then a wrong one; nothing from the environment.
    let opts = mpd_app::connessione::ConnectOptions {
        env: Some("custom".into()),
        base_url: Some(base.clone()),
        piattaforma: Some("pu".into()),
        ..Default::default()
    };
    let account = credentials::account_pu(&ipa, "custom");
    let rendered = through_a_store(
        &env,
        &mut cli,
        &opts,
        &account,
        [CLIENT_SECRET, WRONG_SECRET],
        mpd_domain::Version::V1_3,
        "TARI-P9",
    );
    outputs.push(("pu: in-memory store run".into(), rendered));
    let mut tokens = emu.token_pu_rilasciati();
    tokens.extend(emu2.token_pu_rilasciati());
    emu.stop();
    emu2.stop();
    RunOnPu {
        env,
        outputs,
        tokens,
    }
}

/// `debts add` of a TARI debt of Mario Rossi.
fn add_debt(cli: &mut dyn FnMut(&[&str]) -> Run, iud: &str, importo: &str) {
    must(
        &cli(&[
            "debts",
            "add",
            "--iud",
            iud,
            "--cf",
            CF,
            "--nome",
            "Mario Rossi",
            "--importo",
            importo,
            "--scadenza",
            "31/03/2027",
            "--tipo",
            "TARI",
        ]),
        "debts add",
    );
}

/// Three debts added (`TARI-<prefix>0…2`), their flow built, sent and checked; every citizen
/// pays; the receipts come back, incrementally and by dates.
fn sent_paid_and_receipted(
    cli: &mut dyn FnMut(&[&str]) -> Run,
    env: &Env,
    base: &str,
    ipa: &str,
    prefix: &str,
    seed: u64,
) {
    for (i, importo) in ["10,00", "25,50", "1.234,56"].iter().enumerate() {
        add_debt(cli, &format!("TARI-{prefix}{i}"), importo);
    }
    must(&cli(&["flow", "build"]), "flow build");
    let submit = cli(&["flow", "submit", "--all"]);
    must(&submit, "flow submit");
    must(&cli(&["--json", "flow", "status"]), "flow status");
    let (_, loaded) = env.json(&["debts", "list", "--state", "loaded"]);
    assert_eq!(
        loaded.as_array().map(Vec::len),
        Some(3),
        "the flow reached the platform: {submit:?}"
    );
    let paid = mpd_emulator::remote_pay(
        base,
        &mpd_emulator::PayRequest {
            ente: ipa.to_string(),
            share: Some(1.0),
            seed: Some(seed),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(paid.pagati.len(), 3);
    mpd_e2e::after_this_second();
    must(&cli(&["receipts", "download"]), "receipts download");
    let today = chrono::Local::now().date_naive();
    let (from, to) = (
        (today - chrono::Days::new(1))
            .format("%d/%m/%Y")
            .to_string(),
        (today + chrono::Days::new(1))
            .format("%d/%m/%Y")
            .to_string(),
    );
    must(
        &cli(&[
            "--json", "receipts", "download", "--from", &from, "--to", &to,
        ]),
        "receipts download by dates",
    );
    let (_, ricevute) = env.json(&["receipts", "list"]);
    assert_eq!(ricevute.as_array().map(Vec::len), Some(3), "{ricevute}");
}

/// The same work through an in-memory credential store (what the window's tests and a keyring
/// look like to the engine), with events rendered by the CLI's progress printer: a debt `iud`
/// added and synced with the credential `right` in the store at `account`; then `wrong` there,
/// refused, explained and not echoed. What it all rendered.
fn through_a_store(
    env: &Env,
    cli: &mut dyn FnMut(&[&str]) -> Run,
    opts: &mpd_app::connessione::ConnectOptions,
    account: &str,
    [right, wrong]: [&str; 2],
    version: mpd_domain::Version,
    iud: &str,
) -> Vec<u8> {
    let mut rendered: Vec<u8> = Vec::new();
    let mut desk = env.desk();
    add_debt(cli, iud, "7,00");
    let store = MemoryStore::default();
    store.set(account, &Secret::new(right)).unwrap();
    let conn = mpd_app::connessione::connect(&mut desk, opts, &store).unwrap();
    assert_eq!(conn.source, mpd_client::PasswordSource::Keyring);
    writeln!(rendered, "{}\n{conn:?}", conn.describe()).unwrap();
    let mut printer_out: Vec<u8> = Vec::new();
    let report = {
        let mut printer = mpd_cli::progress::printer(&mut printer_out, false);
        let mut on_event = |e: &Event| printer(e);
        let mut engine = conn.engine(&mut desk, &mut on_event);
        engine.sync(version).unwrap()
    };
    assert!(report.errori.is_empty(), "{:?}", report.errori);
    assert_eq!(report.flussi.iter().map(|f| f.caricate).sum::<i64>(), 1);
    assert!(!printer_out.is_empty(), "the printer wrote the steps");
    rendered.extend_from_slice(&printer_out);
    writeln!(
        rendered,
        "{report:?}\n{}",
        serde_json::to_string(&report).unwrap()
    )
    .unwrap();
    let wrong_store = MemoryStore::default();
    wrong_store.set(account, &Secret::new(wrong)).unwrap();
    let conn = mpd_app::connessione::connect(&mut desk, opts, &wrong_store).unwrap();
    let mut sink = |_: &Event| {};
    let mut engine = conn.engine(&mut desk, &mut sink);
    let err = engine.counter_lookup(CF).unwrap_err();
    writeln!(rendered, "{err}\n{err:?}").unwrap();
    rendered
}
