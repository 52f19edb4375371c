//! Sample notices: a comune with a long name, a recipient with accents and apostrophes,
//! valid notice codes (aux digit 3, segregation 01, mod-93 check digits from mpd-domain).

use chrono::NaiveDate;
use mpd_avviso::{Avviso, CanaleOnline, ContoPostale, Destinatario, EnteAvviso, Lingua, Pagamento};

fn codice(n: u64) -> String {
    let iuv = mpd_domain::iuv::generate_iuv17("01", "10", 1000 + n).unwrap();
    mpd_domain::iuv::notice_from_iuv17(&iuv).unwrap()
}

/// A TARI notice with or without a rata unica and `rate` instalments.
pub fn avviso(rata_unica: bool, rate: usize) -> Avviso {
    // The rata unica is 1.234,56 €; the instalments add up to it (the last takes the rest).
    let totale = 123_456u64;
    let quota = if rate > 0 { totale / rate as u64 } else { 0 };
    Avviso {
        ente: EnteAvviso {
            nome: "Comune di Sant’Ambrogio di Valpolicella".into(),
            settore: "Ufficio Tributi".into(),
            info: "www.comune.santambrogiodivalpolicella.vr.it – tel. 045 6832611 – tributi@comune.example.it".into(),
            codice_fiscale: "01199250158".into(),
            cbill: Some("A0EDT".into()),
            canale_online: Some(CanaleOnline::Sito),
            canale_fisico: Some("Presso Lo Sportello Tributi".into()),
            logo: None,
        },
        destinatario: Destinatario {
            codice_fiscale: Some("RSSMRA80A01H501U".into()),
            nome: "Niccolò Dell’Acqua".into(),
            indirizzo: vec!["Via Giuseppe Garibaldi 12/B".into(), "37015 Sant’Ambrogio di Valpolicella (VR)".into()],
        },
        oggetto: "TARI 2027 – tassa sui rifiuti, acconto e saldo".into(),
        rata_unica: rata_unica.then(|| Pagamento {
            codice: codice(0),
            importo_centesimi: totale,
            scadenza: NaiveDate::from_ymd_opt(2027, 4, 30),
        }),
        rate: (0..rate)
            .map(|i| Pagamento {
                codice: codice(i as u64 + 1),
                importo_centesimi: if i + 1 == rate { totale - quota * (rate as u64 - 1) } else { quota },
                scadenza: NaiveDate::from_ymd_opt(2027, 4 + i as u32, 30).or(NaiveDate::from_ymd_opt(2027, 4 + i as u32, 28)),
            })
            .collect(),
        poste: None,
        lingua: Lingua::It,
    }
}

/// `a` collecting on a postal account.
pub fn con_poste(mut a: Avviso) -> Avviso {
    a.poste = Some(ContoPostale {
        numero: "1234567".into(),
        intestatario: "Comune di Sant’Ambrogio di Valpolicella".into(),
        autorizzazione: "AUT. DB/SISB/E 123456 DEL 01/02/2026".into(),
    });
    a
}

/// A 60 × 40 PNG: a blue shield on white, standing in for a comune's crest.
pub fn logo_png() -> Vec<u8> {
    let (w, h) = (60u32, 40u32);
    let mut px = Vec::with_capacity((w * h * 3) as usize);
    for y in 0..h {
        for x in 0..w {
            let dentro = x > 15 && x < 45 && y > 4 && y < 36 - (x as i32 - 30).unsigned_abs() / 3;
            px.extend(if dentro {
                [0u8, 102, 204]
            } else {
                [255, 255, 255]
            });
        }
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut wr = enc.write_header().unwrap();
        wr.write_image_data(&px).unwrap();
    }
    out
}
