//! Hostile and broken inputs: a clear Italian error, no partial write, no crash.

use std::io::Write;

use mpd_domain::Version;
use mpd_e2e::{Env, flow_zip, row, tracciato};

fn debts_count(env: &Env) -> usize {
    env.json(&["debts", "list"]).1.as_array().unwrap().len()
}

#[test]
fn misnamed_truncated_or_foreign_flows_exit_2() {
    let env = Env::with_ente();
    let csv = tracciato(Version::V1_4, &[row("Z-1", "RSSMRA80A01H501U", "1.00")]);
    let good = flow_zip(env.dir.path(), "c_x123", "OK1", Version::V1_4, &csv);

    let misnamed = env.write("flusso.zip", &std::fs::read(&good).unwrap());
    let r = env.cli(&["flow", "check", misnamed.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.err.contains("<codice IPA>") || r.err.contains("nome del file"),
        "{}",
        r.err
    );

    let bytes = std::fs::read(&good).unwrap();
    let truncated = env.write("c_x123-TRONCO-1_4.zip", &bytes[..bytes.len() / 2]);
    let r = env.cli(&["flow", "check", truncated.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.err.contains("danneggiato") || r.err.contains("troncato"),
        "{}",
        r.err
    );

    let foreign = flow_zip(env.dir.path(), "c_altro", "X1", Version::V1_4, &csv);
    let (code, v) = env.json(&["flow", "check", foreign.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        v["errore"]
            .as_str()
            .unwrap()
            .contains("MyPay lo rifiuterebbe"),
        "{v}"
    );

    let missing = env.path("c_x123-NONCE-1_4.zip");
    assert_eq!(
        env.cli(&["flow", "check", missing.to_str().unwrap()]).code,
        2
    );
}

#[test]
fn zip_slip_and_zip_bomb_are_refused() {
    let env = Env::with_ente();
    // An entry that climbs out of the folder.
    let path = env.path("c_x123-SLIP-1_4.zip");
    {
        let mut z = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        z.start_file(
            "../c_x123-SLIP-1_4.csv",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        z.write_all(b"x").unwrap();
        z.finish().unwrap();
    }
    let r = env.cli(&["flow", "check", path.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.err.contains("percorso non ammesso"), "{}", r.err);

    // 64 MB of zeros deflate ~1000:1, far beyond any real CSV.
    let path = env.path("c_x123-BOMBA-1_4.zip");
    {
        let mut z = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        z.start_file(
            "c_x123-BOMBA-1_4.csv",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..64 {
            z.write_all(&zeros).unwrap();
        }
        z.finish().unwrap();
    }
    let r = env.cli(&["flow", "check", path.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.err.contains("zip bomb"), "{}", r.err);
}

#[test]
fn broken_csv_rows_are_reported_and_nothing_is_imported() {
    let env = Env::with_ente();
    let mut bytes = tracciato(
        Version::V1_4,
        &[
            row("E-1", "RSSMRA80A01H501U", "1.00"),
            // Another amount: a row repeating E-1 would be a probable duplicate (issue 13).
            row("E-2", "RSSMRA80A01H501U", "2.00"),
        ],
    );
    bytes.extend_from_slice(b"\n\n"); // empty lines are skipped, as MyPay does
    bytes.extend_from_slice(b"E-3;solo;tre\n"); // wrong column count
    let mut latin1 = tracciato(Version::V1_4, &[row("E-4", "RSSMRA80A01H501U", "1.00")]);
    let body = latin1.split_off(latin1.iter().position(|b| *b == b'\n').unwrap() + 1);
    let body = String::from_utf8(body)
        .unwrap()
        .replace("ROSSI MARIO", "NICOL\u{0}")
        .into_bytes();
    let mut body: Vec<u8> = body
        .into_iter()
        .map(|b| if b == 0 { 0xC0 } else { b })
        .collect(); // invalid UTF-8
    bytes.append(&mut body);
    let file = env.write("rotto.csv", &bytes);
    let (code, v) = env.json(&["debts", "import", file.to_str().unwrap()]);
    assert_eq!(code, 1, "{v}");
    assert_eq!(v["righe_lette"], 4);
    let errori = v["errori"].as_array().unwrap();
    let lines: Vec<u64> = errori.iter().map(|e| e["riga"].as_u64().unwrap()).collect();
    assert_eq!(
        lines,
        vec![6, 7],
        "line numbers count the empty lines too: {v}"
    );
    assert!(
        errori[0]["problemi"][0]["messaggio"]
            .as_str()
            .unwrap()
            .contains("colonne"),
        "{v}"
    );
    assert!(
        errori[1]["problemi"][0]["messaggio"]
            .as_str()
            .unwrap()
            .contains("UTF-8"),
        "{v}"
    );
    assert_eq!(debts_count(&env), 0);
}

#[test]
fn unreadable_files_exit_2_without_writing() {
    let env = Env::with_ente();
    let r = env.cli(&["debts", "import", env.path("assente.csv").to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.err.contains("impossibile leggere"), "{}", r.err);
    let empty = env.write("vuoto.csv", b"");
    let r = env.cli(&["debts", "import", empty.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.err.contains("vuoto"), "{}", r.err);
    let odd = env.write("strano.csv", b"a;b;c\n1;2;3\n");
    let r = env.cli(&["debts", "import", odd.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.err.contains("versione del tracciato"), "{}", r.err);
    assert_eq!(debts_count(&env), 0);
}
