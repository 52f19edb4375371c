//! Shared setup: an emulator in a temporary folder, a desk with the demo Ente plus a payment
//! type MyPay does not know (so some rows are rejected), synthetic debts, a scaled-down config.

use std::path::{Path, PathBuf};
use std::time::Duration;

use mpd_client::config::{Backoff, SyncConfig};
use mpd_client::{Ambiente, Connessione, MyPayClient, Secret};
use mpd_core::Desk;
use mpd_domain::TipoDovuto;
use mpd_emulator::{Emulator, EmulatorHandle, EmulatorOptions, FaultConfig};

/// Distinctive, so a scan of files and output can find any leak.
pub const PASSWORD: &str = "Segreta-Distintiva-9f3K";
/// A payment type the desk has and the emulator's Ente has not: MyPay rejects its rows.
pub const TIPO_IGNOTO: &str = "TIPO_SOLO_LOCALE";

pub struct World {
    pub dir: tempfile::TempDir,
    pub emu: EmulatorHandle,
    pub db: PathBuf,
}

pub fn config() -> SyncConfig {
    let ms = Duration::from_millis;
    SyncConfig {
        timeouts: mpd_client::api::Timeouts {
            connect: Duration::from_secs(2),
            soap: Duration::from_secs(10),
            transfer: Duration::from_secs(10),
        },
        retry: Backoff {
            initial: ms(1),
            max: ms(20),
            max_attempts: 12,
        },
        poll: Backoff {
            initial: ms(5),
            max: ms(40),
            max_attempts: u32::MAX,
        },
        max_wait: Duration::from_secs(20),
        seed: Some(7),
        ..SyncConfig::default()
    }
}

pub fn start(faults: FaultConfig) -> World {
    let dir = tempfile::tempdir().unwrap();
    let mut options = EmulatorOptions::new(dir.path().join("emu"));
    options.batch_interval = Duration::from_millis(15);
    options.faults = faults;
    let mut ente = mpd_emulator::EnteConfig::demo();
    ente.password = Some(PASSWORD.to_string());
    options.enti = vec![ente];
    let emu = Emulator::start(options).unwrap();
    let db = dir.path().join("dati").join("mypay-desk.sqlite");
    World { dir, emu, db }
}

/// A desk with the demo Ente (+ [`TIPO_IGNOTO`]) and `n` ready synthetic debts.
pub fn prepare_desk(world: &World, n: usize, seed: u64) -> Desk {
    let mut desk = Desk::open(Some(&world.db), &mpd_core::testing::chiave()).unwrap();
    let mut tipi = mpd_core::synth::tipi_demo();
    let mut extra: TipoDovuto = tipi[0].clone();
    extra.codice = TIPO_IGNOTO.into();
    extra.descrizione = "Tipo non configurato su MyPay".into();
    tipi.push(extra);
    let now = desk.now();
    desk.store_mut()
        .save_ente(&mpd_core::debts::demo_ente(), "{}", &tipi, now)
        .unwrap();
    let csv = world.dir.path().join(format!("debiti-{seed}.csv"));
    desk.generate_debts_csv(&csv, mpd_domain::Version::V1_4, n, seed)
        .unwrap();
    let report = desk.import_tracciato(&csv, true).unwrap();
    assert!(report.importate > 0, "no debts imported");
    desk
}

pub fn client(world: &World) -> MyPayClient {
    let conn = Connessione::new(Ambiente::Custom, &world.emu.base_url);
    MyPayClient::new(
        &conn.soap_url(),
        "c_demo",
        Secret::new(PASSWORD),
        &config().timeouts,
    )
    .unwrap()
}

/// Uploads accepted by the emulator per file name, from its own database.
pub fn uploads_per_file(world: &World) -> Vec<(String, i64)> {
    let conn =
        rusqlite::Connection::open(world.dir.path().join("emu").join("emulator.sqlite")).unwrap();
    let mut stmt = conn
        .prepare("SELECT file_name, COUNT(*) FROM import_req GROUP BY file_name ORDER BY file_name")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Pays a share of the open debts on the emulator; returns how many receipts it made.
pub fn pay(world: &World, share: f64, seed: u64) -> usize {
    let request = mpd_emulator::PayRequest {
        ente: "c_demo".into(),
        share: Some(share),
        seed: Some(seed),
        data: None,
        iud: Vec::new(),
        ..Default::default()
    };
    // The emulator's own control endpoint sometimes answers "database is locked" while its
    // batch writes (an emulator limitation, not the client's): its transaction rolled back,
    // so asking again is safe.
    let mut tries = 0;
    let resp = loop {
        match mpd_emulator::remote_pay(&world.emu.base_url, &request) {
            Ok(r) => break r,
            Err(e) if tries < 10 => {
                tries += 1;
                eprintln!("sim pay: {e}; riprovo");
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(e) => panic!("sim pay: {e}"),
        }
    };
    // MyPay's incremental window is half-open at its clock, in seconds: a payment made in the
    // very second of a booking belongs to the next window. Let that second pass.
    let second = chrono::Local::now().timestamp();
    while chrono::Local::now().timestamp() == second {
        std::thread::sleep(Duration::from_millis(10));
    }
    resp.pagati.len()
}

/// Every file under `dir`, recursively.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// Asserts the end state: no debt left `sent`/`ready`, every flow finished, no file uploaded twice.
pub fn assert_settled(world: &World, desk: &Desk) {
    for c in desk.debt_counts().unwrap() {
        assert!(
            matches!(
                c.stato,
                mpd_core::DovutoStato::Loaded
                    | mpd_core::DovutoStato::Rejected
                    | mpd_core::DovutoStato::Paid
            ),
            "{} debts still {:?}",
            c.numero,
            c.stato
        );
    }
    for f in desk.flows().unwrap() {
        assert_eq!(
            f.stato,
            mpd_core::FlussoStato::Done,
            "flow {} is {:?}",
            f.nome,
            f.stato
        );
        assert_eq!(
            f.righe,
            f.righe_caricate + f.righe_scartate,
            "flow {} has rows without outcome",
            f.nome
        );
    }
    for (name, n) in uploads_per_file(world) {
        assert_eq!(n, 1, "{name} uploaded {n} times");
    }
}
