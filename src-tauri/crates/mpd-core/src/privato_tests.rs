//! Issue 17 item 7: the database was `0644` in `0755` folders. Everything the desk writes into
//! its own folders is private to the user; what the clerk names elsewhere is left to the OS.

#![cfg(unix)]

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;

use mpd_domain::Version;

use crate::Desk;

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

fn sidecar(db: &Path, s: &str) -> std::path::PathBuf {
    let mut n = db.as_os_str().to_os_string();
    n.push(s);
    n.into()
}

#[test]
fn the_database_its_folder_flows_and_backups_are_private() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dati/desk.sqlite");
    let mut desk = Desk::open(Some(&db), &mpd_store::testing::chiave()).unwrap();
    desk.setup_demo(5).unwrap();
    assert_eq!(mode(db.parent().unwrap()), 0o700);
    assert_eq!(mode(&db), 0o600);
    for s in ["-wal", "-shm"] {
        assert_eq!(mode(&sidecar(&db, s)), 0o600, "{s}");
    }
    let built = desk.build_flows(Version::V1_4, None).unwrap();
    let zip = Path::new(&built.flussi[0].percorso);
    assert_eq!(mode(zip.parent().unwrap()), 0o700);
    assert_eq!(mode(zip), 0o600);
    let copia = dir.path().join("copia.sqlite");
    desk.backup_to(&copia).unwrap();
    assert_eq!(mode(&copia), 0o600);
}

#[test]
fn what_an_older_version_left_readable_is_tightened_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.sqlite");
    drop(Desk::open(Some(&db), &mpd_store::testing::chiave()).unwrap());
    for p in [db.clone(), sidecar(&db, "-wal"), sidecar(&db, "-shm")] {
        if p.exists() {
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
    }
    let flussi = dir.path().join("flussi");
    std::fs::create_dir(&flussi).unwrap();
    std::fs::set_permissions(&flussi, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut desk = Desk::open(Some(&db), &mpd_store::testing::chiave()).unwrap();
    assert_eq!(mode(&db), 0o600);
    desk.setup_demo(3).unwrap();
    desk.build_flows(Version::V1_4, None).unwrap();
    assert_eq!(mode(&flussi), 0o700);
}

#[test]
fn a_folder_the_clerk_names_keeps_what_the_os_gives() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = Desk::open(
        Some(&dir.path().join("desk.sqlite")),
        &mpd_store::testing::chiave(),
    )
    .unwrap();
    desk.setup_demo(3).unwrap();
    let suo = dir.path().join("consegna");
    std::fs::create_dir(&suo).unwrap();
    std::fs::set_permissions(&suo, std::fs::Permissions::from_mode(0o755)).unwrap();
    let built = desk.build_flows(Version::V1_4, Some(&suo)).unwrap();
    assert_eq!(mode(&suo), 0o755);
    // The umask's choice, not ours: at least not narrowed to the owner by the app.
    let zip = Path::new(&built.flussi[0].percorso);
    let umask_default = 0o666 & !umask();
    assert_eq!(mode(zip), umask_default);
}

/// The process's umask, read from a file created with the default mode.
fn umask() -> u32 {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("u");
    std::fs::File::create(&p).unwrap();
    0o666 & !mode(&p)
}
