//! Measures a batch: `cargo run -p mpd-avviso --example lotto -- 2000` draws 2000 TARI notices
//! (rata unica + 3 instalments, 3 pages each, 4 QR codes) into one duplex PDF under
//! `target/mpd-avviso/`, then the same notices one PDF each, and prints time and sizes. Run it
//! under `/usr/bin/time -v` for the peak memory (krilla keeps the batch in memory until
//! `Lotto::scrivi`).

use std::time::Instant;

use chrono::NaiveDate;
use mpd_avviso::{Avviso, Destinatario, EnteAvviso, Lingua, Lotto, Opzioni, Pagamento, render};

fn codice(n: u64) -> String {
    let iuv = mpd_domain::iuv::generate_iuv17("01", "10", n).expect("IUV");
    mpd_domain::iuv::notice_from_iuv17(&iuv).expect("notice number")
}

fn avviso(i: u64) -> Avviso {
    let opzione = |k: u64, centesimi: u64, mese: u32| Pagamento {
        codice: codice(i * 4 + k),
        importo_centesimi: centesimi,
        scadenza: NaiveDate::from_ymd_opt(2027, mese, 30),
    };
    Avviso {
        ente: EnteAvviso {
            nome: "Comune di Sant’Ambrogio di Valpolicella".into(),
            settore: "Ufficio Tributi".into(),
            info: "tel. 045 6832611 – tributi@comune.example.it".into(),
            codice_fiscale: "01199250158".into(),
            cbill: Some("A0EDT".into()),
            canale_online: None,
            canale_fisico: None,
            logo: None,
        },
        destinatario: Destinatario {
            codice_fiscale: Some("RSSMRA80A01H501U".into()),
            nome: format!("Famiglia numero {i}"),
            indirizzo: vec![
                format!("Via Roma {i}"),
                "37015 Sant’Ambrogio di Valpolicella (VR)".into(),
            ],
        },
        oggetto: "TARI 2027 – tassa sui rifiuti".into(),
        rata_unica: Some(opzione(0, 30_000 + i, 4)),
        rate: vec![
            opzione(1, 10_000, 4),
            opzione(2, 10_000, 6),
            opzione(3, 10_000 + i, 9),
        ],
        poste: None,
        lingua: Lingua::It,
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let opzioni = Opzioni::new(NaiveDate::from_ymd_opt(2027, 1, 10).ok_or("date")?);
    let cartella = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| "target".into())
        .join("mpd-avviso");
    std::fs::create_dir_all(&cartella)?;

    let t = Instant::now();
    let mut lotto = Lotto::new(opzioni.clone());
    for i in 0..n {
        lotto.aggiungi(&avviso(i))?;
    }
    let pagine = lotto.pagine();
    let disegno = t.elapsed();
    let file = std::fs::File::create(cartella.join(format!("lotto-{n}.pdf")))?;
    let byte = lotto.scrivi(std::io::BufWriter::new(file))?;
    println!(
        "batch: {n} notices, {pagine} pages, {:.1} MB, drawn in {:.2} s, written in {:.2} s, {:.1} KB per notice",
        byte as f64 / 1e6,
        disegno.as_secs_f64(),
        t.elapsed().as_secs_f64(),
        byte as f64 / 1e3 / n as f64
    );

    let t = Instant::now();
    let mut totale = 0;
    for i in 0..n {
        totale += render(&avviso(i), &opzioni)?.len();
    }
    println!(
        "one PDF each: {:.2} ms and {:.1} KB per notice",
        t.elapsed().as_secs_f64() * 1e3 / n as f64,
        totale as f64 / 1e3 / n as f64
    );
    Ok(())
}
