//! Modes of what is created and tightened (Unix), and the temporary folder random and gone.

use super::*;

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn created_private_whatever_the_umask_allows() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("a/b/c");
    cartella(&nested).unwrap();
    for p in ["a", "a/b", "a/b/c"] {
        assert_eq!(mode(&dir.path().join(p)), 0o700, "{p}");
    }
    let f = nested.join("f");
    scrivi(&f, b"x").unwrap();
    assert_eq!(mode(&f), 0o600);
    let log = nested.join("log");
    accoda(&log).unwrap();
    assert_eq!(mode(&log), 0o600);
    let db = nested.join("db");
    prepara(&db).unwrap();
    assert_eq!(mode(&db), 0o600);
    let c = nested.join("copia");
    copia(&f, &c).unwrap();
    assert_eq!(mode(&c), 0o600);
    assert!(copia(&f, &c).is_err(), "a copy never replaces a file");
}

#[cfg(unix)]
#[test]
fn what_an_older_version_left_open_is_tightened() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("vecchia");
    std::fs::create_dir(&old).unwrap();
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o755)).unwrap();
    let f = old.join("f");
    std::fs::write(&f, b"x").unwrap();
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
    let g = old.join("g");
    std::fs::write(&g, b"x").unwrap();
    std::fs::set_permissions(&g, std::fs::Permissions::from_mode(0o644)).unwrap();
    cartella(&old).unwrap();
    assert_eq!(mode(&old), 0o700);
    prepara(&f).unwrap();
    assert_eq!(mode(&f), 0o600);
    assert_eq!(
        std::fs::read(&f).unwrap(),
        b"x",
        "prepara keeps the content"
    );
    crea(&g).unwrap();
    assert_eq!(mode(&g), 0o600);
    // A folder that may be the clerk's is created private but not changed if there.
    let suo = dir.path().join("suo");
    std::fs::create_dir(&suo).unwrap();
    std::fs::set_permissions(&suo, std::fs::Permissions::from_mode(0o755)).unwrap();
    crea_cartella(&suo).unwrap();
    assert_eq!(mode(&suo), 0o755);
}

#[test]
fn a_temporary_folder_is_random_private_and_gone_after_use() {
    let a = temporanea("mpd-prova-").unwrap();
    let b = temporanea("mpd-prova-").unwrap();
    assert_ne!(a.path(), b.path());
    let nome = a.path().file_name().unwrap().to_str().unwrap().to_string();
    assert!(nome.starts_with("mpd-prova-") && nome.len() > "mpd-prova-".len() + 4);
    #[cfg(unix)]
    assert_eq!(mode(a.path()), 0o700);
    let dentro = a.path().join("lista.csv");
    scrivi(&dentro, b"CF;Nome\n").unwrap();
    let path = a.path().to_path_buf();
    drop(a);
    assert!(!path.exists());
    // Also when the work in it failed: the handle is dropped on the way out.
    let path = {
        let t = temporanea("mpd-prova-").unwrap();
        let p = t.path().to_path_buf();
        let r: Result<(), &str> = Err("errore");
        if r.is_err() { p } else { unreachable!() }
    };
    assert!(!path.exists());
}
