//! Retention: old files go, recent ones and a pending flow's stay, the setting round-trips.

use std::time::{Duration, SystemTime};

use mpd_domain::Version;

use super::*;

/// A desk on a file with five demo debts, its clock pinned.
fn desk(dir: &Path, now: DateTime<Utc>) -> Desk {
    let mut d = Desk::open(
        Some(&dir.join("desk.sqlite")),
        &mpd_store::testing::chiave(),
    )
    .unwrap()
    .with_now(now);
    d.setup_demo(5).unwrap();
    d
}

fn ora() -> DateTime<Utc> {
    "2027-06-30T10:00:00Z".parse().unwrap()
}

/// A file at `p` last modified `giorni` days before [`ora`].
fn file_vecchio(p: &Path, giorni: u64, byte: usize) {
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, vec![b'x'; byte]).unwrap();
    invecchia(p, giorni);
}

fn invecchia(p: &Path, giorni: u64) {
    let t = SystemTime::from(ora()) - Duration::from_secs(giorni * 86_400);
    std::fs::File::options()
        .write(true)
        .open(p)
        .unwrap()
        .set_modified(t)
        .unwrap();
}

#[test]
fn old_files_go_new_ones_and_pending_flows_stay() {
    let dir = tempfile::tempdir().unwrap();
    let mut d = desk(dir.path(), ora());
    // A flow built long ago and never sent: its outcome is not known, it stays.
    let built = d.build_flows(Version::V1_4, None).unwrap();
    let in_attesa = PathBuf::from(&built.flussi[0].percorso);
    invecchia(&in_attesa, 800);
    let nome = in_attesa.file_stem().unwrap().to_str().unwrap().to_string();
    let flussi = d.default_flows_dir();
    let esito_in_attesa = flussi.join("esiti").join(format!("{nome}_IUV.zip"));
    file_vecchio(&esito_in_attesa, 800, 10);

    let vecchi = [
        flussi.join("c_x-VECCHIO-1_4.zip"),
        flussi.join("esiti/c_x-VECCHIO-1_4_SCARTI.zip"),
        dir.path().join("ricevute/export-1.zip"),
        dir.path().join("avvisi/avviso_01000000000000001.pdf"),
        dir.path()
            .join("rendicontazione/2026-06-01ABI03069-S000001.xml"),
        dir.path()
            .join("rendicontazione/quadrature/2026-06-01ABI03069-Q000001.xml"),
    ];
    for p in &vecchi {
        file_vecchio(p, 366, 1000);
    }
    let recenti = [
        flussi.join("c_x-RECENTE-1_4.zip"),
        dir.path().join("avvisi/avviso_01000000000000002.pdf"),
    ];
    for p in &recenti {
        file_vecchio(p, 364, 1000);
    }
    // Not the app's retained folders: never looked at.
    let db = dir.path().join("desk.sqlite");
    invecchia(&db, 900);
    let altro = dir.path().join("emulatore-demo/stato.bin");
    file_vecchio(&altro, 900, 10);

    let p = d.applica_conservazione().unwrap();
    assert_eq!((p.file, p.byte, p.trattenuti), (6, 6000, 2), "{p:?}");
    for v in &vecchi {
        assert!(!v.exists(), "{}", v.display());
    }
    for k in recenti
        .iter()
        .chain([&in_attesa, &esito_in_attesa, &db, &altro])
    {
        assert!(k.exists(), "{}", k.display());
    }
    // The store keeps its rows: the pending flow is still recorded, the debts are there.
    assert_eq!(d.store().flussi().unwrap().len(), 1);
    assert_eq!(d.ultima_pulizia().unwrap(), Some(p));
}

#[test]
fn never_deletes_nothing_and_the_clean_up_runs_once_a_day() {
    let dir = tempfile::tempdir().unwrap();
    let d = desk(dir.path(), ora());
    let vecchio = dir.path().join("avvisi/avviso_1.pdf");
    file_vecchio(&vecchio, 5000, 10);
    d.set_conservazione(Conservazione::Sempre).unwrap();
    assert_eq!(d.conservazione_periodica().unwrap().unwrap().file, 0);
    assert!(vecchio.exists());
    d.set_conservazione(Conservazione::Giorni(GIORNI_PREDEFINITI))
        .unwrap();
    // Already ran today: not again until tomorrow.
    assert_eq!(d.conservazione_periodica().unwrap(), None);
    assert!(vecchio.exists());
    let domani = desk(dir.path(), ora() + chrono::Duration::days(1));
    assert_eq!(domani.conservazione_periodica().unwrap().unwrap().file, 1);
    assert!(!vecchio.exists());
}

#[test]
fn the_setting_round_trips_and_is_checked() {
    let d = Desk::in_memory().unwrap();
    assert_eq!(d.conservazione().unwrap(), Conservazione::Giorni(365));
    assert_eq!(d.conservazione().unwrap().descrizione(), "1 anno");
    for c in [
        Conservazione::Sempre,
        Conservazione::Giorni(90),
        Conservazione::Giorni(730),
    ] {
        d.set_conservazione(c).unwrap();
        assert_eq!(d.conservazione().unwrap(), c);
    }
    assert_eq!(Conservazione::Giorni(730).descrizione(), "2 anni");
    assert_eq!(Conservazione::scelta(None).unwrap(), Conservazione::Sempre);
    for g in [0, 29, 3651] {
        assert!(Conservazione::scelta(Some(g)).is_err(), "{g}");
    }
}
