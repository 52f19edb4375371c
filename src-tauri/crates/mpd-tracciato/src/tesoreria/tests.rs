//! Each treasury format on fixtures written here: what is kept, what is left out, the problems
//! named by row and field.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::*;

const IUF: &str = "2024-05-14BCITITMM-S240514000123";

fn giorno(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn euro(s: &str) -> Decimal {
    s.parse().unwrap()
}

#[test]
fn format_recognised_from_the_content() {
    assert_eq!(riconosci(b"PK\x03\x04rest"), Formato::Xls);
    assert_eq!(
        riconosci(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]),
        Formato::Xls
    );
    assert_eq!(
        riconosci(b"\xEF\xBB\xBF  <?xml version=\"1.0\"?><flusso_giornale_di_cassa/>"),
        Formato::Opi
    );
    assert_eq!(
        riconosci(b"Conto BancoPosta;IT60X0760111101000012345678\r\nDATA;...\r\n"),
        Formato::Poste
    );
    assert_eq!(riconosci(b"anno;numero;data_contabile\n"), Formato::Csv);
    assert_eq!(Formato::da_codice("OPI"), Some(Formato::Opi));
    assert_eq!(Formato::da_codice("pdf"), None);
}

#[test]
fn csv_mypivot_example_with_its_header() {
    let f = "anno;numero;data_contabile;ordinante;causale;importo;data_valuta\n\
2024;1523;2024-05-14;BANCA ESEMPIO SPA;/PUR/LGPE-RIVERSAMENTO/URI/2024-05-14BCITITMM-S240514000123;223.50;2024-05-14\n\
2024;1524;2024-05-15;ROSSI MARIO;/RFB/01240000000099999/80.00/TXT/TARI 2024;80.00;2024-05-15\n\
2024;1525;2024-05-15;VERDI SRL;BONIFICO FATTURA 12;1200.00;2024-05-15\n";
    let g = csv::leggi(f.as_bytes(), &[]).unwrap();
    assert_eq!(g.movimenti.len(), 3);
    let m = &g.movimenti[0];
    assert_eq!(
        (m.anno, m.bolletta.as_str(), m.importo, m.iuf.as_deref()),
        (2024, "1523", euro("223.50"), Some(IUF))
    );
    assert_eq!(m.riga, 2);
    assert_eq!(g.movimenti[1].iuv.as_deref(), Some("01240000000099999"));
    assert_eq!(
        (g.movimenti[2].iuf.clone(), g.movimenti[2].iuv.clone()),
        (None, None)
    );
    assert_eq!(g.identita, "csv:2024-05-14..2024-05-15");
    // The same content, the same fingerprint; another amount, another one.
    let g2 = csv::leggi(f.as_bytes(), &[]).unwrap();
    assert_eq!(g.impronta, g2.impronta);
    let g3 = csv::leggi(f.replace("1200.00", "1200.01").as_bytes(), &[]).unwrap();
    assert_ne!(g.impronta, g3.impronta);
}

#[test]
fn csv_pu_header_italian_values_latin1_crlf() {
    let testo = "ESERCIZIO;N.PROVV.;DATA ESEC.;ANAGRAFICA CLIENTE;DESCRIZIONE CAUSALE;IMPORTO PROVVISORIO;VALUTA ENTE\r\n\
2024;77;14/05/2024;CITTÀ SRL;/PUR/LGPE-RIVERSAMENTO/URI/2024-05-14BCITITMM-S240514000123;1.223,50;15/05/2024\r\n\
2024;78;15/05/2024;ADDEBITO;COMMISSIONI;-2,00;15/05/2024\r\n";
    let (latin1, _, _) = encoding_rs::WINDOWS_1252.encode(testo);
    let g = csv::leggi(&latin1, &[]).unwrap();
    assert_eq!(g.movimenti.len(), 1);
    let m = &g.movimenti[0];
    assert_eq!(m.ordinante, "CITTÀ SRL");
    assert_eq!(m.importo, euro("1223.50"));
    assert_eq!(
        (m.data_contabile, m.data_valuta),
        (giorno("2024-05-14"), giorno("2024-05-15"))
    );
    assert_eq!(g.ignorate.len(), 1);
    assert_eq!(g.ignorate[0].riga, 3);
    assert!(g.note[0].contains("windows-1252"), "{:?}", g.note);
    assert!(g.note[1].contains("«N.PROVV.»"), "{:?}", g.note);
}

#[test]
fn csv_comma_separator_no_known_header_and_a_mapping() {
    // Columns in another order, unknown names: the clerk maps them.
    let f = "colA,colB,colC,colD,colE\n\
\"223,50\",2024-05-14,1523,/PUR/LGPE-RIVERSAMENTO/URI/2024-05-14BCITITMM-S240514000123,BANCA\n";
    let coppie: Vec<String> = [
        "importo=A",
        "data_contabile=2",
        "bolletta=colC",
        "causale=D",
        "ordinante=E",
        "anno=",
        "data_valuta=",
    ]
    .map(String::from)
    .to_vec();
    let g = csv::leggi(f.as_bytes(), &coppie).unwrap();
    let m = &g.movimenti[0];
    assert_eq!(
        (m.importo, m.bolletta.as_str(), m.anno, m.ordinante.as_str()),
        (euro("223.50"), "1523", 2024, "BANCA")
    );
    assert_eq!(m.iuf.as_deref(), Some(IUF));
    let e = csv::leggi(f.as_bytes(), &["saldo=A".to_string()]).unwrap_err();
    assert!(
        e.to_string().starts_with("campo «saldo» sconosciuto"),
        "{e}"
    );
    let e = csv::leggi(f.as_bytes(), &["importo=Z9".to_string()]).unwrap_err();
    assert!(e.to_string().contains("colonna «Z9»"), "{e}");
}

#[test]
fn csv_bad_rows_named_by_row_and_field_nothing_kept() {
    let f = "anno;numero;data_contabile;ordinante;causale;importo;data_valuta\n\
2024;1;2024-05-14;A;X;10.00;2024-05-14\n\
2024;2;31/02/2024;B;X;10.00;\n\
24;;2024-05-14;C;X;dieci;2024-05-14\n";
    let e = csv::leggi(f.as_bytes(), &[]).unwrap_err();
    let testi: Vec<String> = e.problemi.iter().map(ToString::to_string).collect();
    assert_eq!(
        testi,
        [
            "riga 3, «data_contabile»: «31/02/2024» non è una data: si aspetta gg/mm/aaaa oppure aaaa-mm-gg",
            "riga 4, «importo»: «dieci» non è un importo: si aspetta ad esempio 1.234,56 oppure 1234.56",
            "riga 4, «numero»: manca il numero della bolletta",
            "riga 4, «anno»: «24» non è un anno di quattro cifre",
        ]
    );
    assert!(csv::leggi(b"", &[]).is_err());
}

#[test]
fn xls_rows_plus_sign_and_bank_tags() {
    let intest = [
        "ABI",
        "CAB",
        "CONTO",
        "DIVISA",
        "DATA CONTABILE",
        "DATA VALUTA",
        "IMPORTO",
        "SEGNO",
        "CAUSALE",
        "NUM. ASSEGNO",
        "RIF. BANCA",
        "RIF. CLIENTE",
        "DESCRIZIONE",
        "DESCRIZIONE ESTESA",
    ];
    let riga = |n: usize, importo: &str, segno: &str, rif: &str, estesa: &str| {
        let mut v = vec![String::new(); 14];
        v[4] = "2024-05-15".into();
        v[5] = "15/05/2024".into();
        v[6] = importo.into();
        v[7] = segno.into();
        v[10] = rif.into();
        v[13] = estesa.into();
        (n, v)
    };
    let righe = vec![
        (1, intest.map(String::from).to_vec()),
        riga(
            2,
            "223,5",
            "+",
            "",
            &format!(
                "Data Ordine: 14/05/2024; Descrizione Ordinante: BANCA ESEMPIO SPA :BI2:BCITITMMXXX :BE1:COMUNE :RI3:/PUR/LGPE-RIVERSAMENTO/URI/{IUF} :SEC:CASH"
            ),
        ),
        riga(3, "50", "-", "R1", "COMMISSIONI"),
        riga(
            4,
            "80.00",
            "+",
            "RB0001",
            "Descrizione Ordinante: ROSSI :RI3:/RFB/01240000000099999/80.00",
        ),
        riga(5, "99", "+", "", "GIROCONTO"),
    ];
    let g = xls::leggi_righe(righe.clone()).unwrap();
    assert_eq!(g.movimenti.len(), 2);
    let m = &g.movimenti[0];
    assert_eq!(
        (m.importo, m.iuf.as_deref(), m.ordinante.as_str()),
        (euro("223.5"), Some(IUF), "BANCA ESEMPIO SPA")
    );
    assert!(m.bolletta.starts_with("T20240515-"), "{}", m.bolletta);
    assert_eq!(g.movimenti[1].bolletta, "RB0001");
    assert_eq!(g.movimenti[1].iuv.as_deref(), Some("01240000000099999"));
    assert_eq!(
        g.ignorate.iter().map(|i| i.riga).collect::<Vec<_>>(),
        [3, 5]
    );
    // The same rows again: the same made-up bolletta.
    assert_eq!(
        xls::leggi_righe(righe).unwrap().movimenti[0].bolletta,
        m.bolletta
    );
    let mut rotte = vec![(1, intest.map(String::from).to_vec())];
    rotte.push(riga(
        2,
        "abc",
        "+",
        "",
        &format!(":RI3:/PUR/LGPE-RIVERSAMENTO/URI/{IUF}"),
    ));
    let e = xls::leggi_righe(rotte).unwrap_err();
    assert_eq!(
        e.to_string(),
        "riga 2, «IMPORTO»: «abc» non è un importo: si aspetta ad esempio 1.234,56 oppure 1234.56"
    );
    let e = xls::leggi_righe(vec![(1, vec!["A".to_string()])]).unwrap_err();
    assert!(e.to_string().contains("DATA_CONTABILE"), "{e}");
}

/// An OPI giornale di cassa of the given version, with the given movements.
fn opi(versione: &str, movimenti: &str) -> String {
    let (apertura, chiusura, p) = match versione {
        // 1.4: no namespace, no riferimento_ente.
        "1.4" => (
            "<flusso_giornale_di_cassa>".to_string(),
            "</flusso_giornale_di_cassa>",
            "",
        ),
        // 1.6.1: a default namespace and a signature.
        "1.6.1" => (
            "<flusso_giornale_di_cassa xmlns=\"http://www.siopeplus.it/giornale\" xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:Signature><ds:SignedInfo/></ds:Signature>".to_string(),
            "</flusso_giornale_di_cassa>",
            "",
        ),
        // 1.7.1 and 1.8: a prefix on every element.
        v => (
            format!("<gdc:flusso_giornale_di_cassa xmlns:gdc=\"http://www.siopeplus.it/giornale/{v}\">"),
            "</gdc:flusso_giornale_di_cassa>",
            "gdc:",
        ),
    };
    let corpo = format!(
        "<testata_messaggio><codice_ABI_BT>03069</codice_ABI_BT><identificativo_flusso>GDC-1</identificativo_flusso></testata_messaggio>\
<identificativo_flusso_BT>GDC20240515001</identificativo_flusso_BT><pagina>1</pagina><pagine_totali>1</pagine_totali>\
<esercizio>2024</esercizio><data_riferimento_GdC>2024-05-15</data_riferimento_GdC>\
<informazioni_conto_evidenza><conto_evidenza>0012345</conto_evidenza>{movimenti}</informazioni_conto_evidenza>"
    );
    let corpo = if p.is_empty() {
        corpo
    } else {
        // Prefix every element of the body.
        let mut out = String::new();
        let mut resto = corpo.as_str();
        while let Some(i) = resto.find('<') {
            out.push_str(&resto[..=i]);
            resto = &resto[i + 1..];
            if let Some(r) = resto.strip_prefix('/') {
                out.push('/');
                out.push_str(p);
                resto = r;
            } else {
                out.push_str(p);
            }
        }
        out.push_str(resto);
        out
    };
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{apertura}{corpo}{chiusura}")
}

fn mov(tipo: &str, doc: &str, op: &str, bolletta: &str, importo: &str, causale: &str) -> String {
    format!(
        "<movimento_conto_evidenza><tipo_movimento>{tipo}</tipo_movimento><tipo_documento>{doc}</tipo_documento>\
<tipo_operazione>{op}</tipo_operazione><numero_documento>9{bolletta}</numero_documento><progressivo_documento>1</progressivo_documento>\
<importo>{importo}</importo><numero_bolletta_quietanza>{bolletta}</numero_bolletta_quietanza>\
<data_movimento>2024-05-15</data_movimento><data_valuta_ente>2024-05-16</data_valuta_ente>\
<cliente><anagrafica_cliente>BANCA ESEMPIO SPA</anagrafica_cliente></cliente><causale>{causale}</causale>\
<sospeso_da_regolarizzare><data_effettiva_sospeso>2024-05-15</data_effettiva_sospeso><codice_gestionale_provvisorio>1500</codice_gestionale_provvisorio></sospeso_da_regolarizzare>\
</movimento_conto_evidenza>"
    )
}

#[test]
fn opi_every_version_keeps_the_executed_entry_suspense_and_flags_storni() {
    for versione in ["1.4", "1.6.1", "1.7.1", "1.8"] {
        let movimenti = [
            mov(
                "ENTRATA",
                "SOSPESO ENTRATA",
                "ESEGUITO",
                "301",
                "223.50",
                &format!("/PUR/LGPE-RIVERSAMENTO/URI/{IUF}"),
            ),
            mov("ENTRATA", "REVERSALE", "ESEGUITO", "302", "10.00", "X"),
            mov("USCITA", "SOSPESO USCITA", "ESEGUITO", "303", "5.00", "Y"),
            mov(
                "ENTRATA",
                "SOSPESO ENTRATA",
                "STORNATO",
                "299",
                "12.00",
                "STORNO",
            ),
            mov(
                "ENTRATA",
                "SOSPESO ENTRATA",
                "REGOLARIZZATO",
                "298",
                "12.00",
                "Z",
            ),
        ]
        .concat();
        let g = opi::leggi(opi(versione, &movimenti).as_bytes())
            .unwrap_or_else(|e| panic!("OPI {versione}: {e}"));
        assert_eq!(g.identita, "opi:GDC20240515001:1", "{versione}");
        assert_eq!(g.movimenti.len(), 2, "{versione}");
        let m = &g.movimenti[0];
        assert_eq!(
            (
                m.anno,
                m.bolletta.as_str(),
                m.importo,
                m.iuf.as_deref(),
                m.storno
            ),
            (2024, "301", euro("223.50"), Some(IUF), false),
            "{versione}"
        );
        assert_eq!(
            (m.data_contabile, m.data_valuta, m.ordinante.as_str()),
            (
                giorno("2024-05-15"),
                giorno("2024-05-16"),
                "BANCA ESEMPIO SPA"
            )
        );
        assert_eq!(
            m.sospeso,
            Some(Sospeso {
                data: Some(giorno("2024-05-15")),
                codice: "1500".into()
            })
        );
        assert!(g.movimenti[1].storno && g.movimenti[1].bolletta == "299");
        assert_eq!(g.ignorate.len(), 3, "{versione}");
    }
}

#[test]
fn opi_problems_and_hostile_files() {
    let rotto = opi(
        "1.6.1",
        &mov("ENTRATA", "SOSPESO ENTRATA", "ESEGUITO", "", "12,x", "C"),
    );
    let e = opi::leggi(rotto.as_bytes()).unwrap_err();
    let testi: Vec<String> = e.problemi.iter().map(ToString::to_string).collect();
    // No bolletta: the document's number stands for it; the amount is wrong.
    assert_eq!(testi.len(), 1, "{testi:?}");
    assert!(testi[0].starts_with("riga 2, «importo»"), "{testi:?}");
    for (xml, atteso) in [
        ("<FlussoRiversamento/>", "non è un giornale di cassa OPI"),
        (
            "<!DOCTYPE x [<!ENTITY a \"b\">]><flusso_giornale_di_cassa/>",
            "DOCTYPE",
        ),
        ("<flusso_giornale_di_cassa><esercizio>2024", "troncato"),
        (
            "<flusso_giornale_di_cassa></flusso_giornale_di_cassa>",
            "identificativo_flusso_BT",
        ),
    ] {
        let e = opi::leggi(xml.as_bytes()).unwrap_err().to_string();
        assert!(e.contains(atteso), "{xml}: {e}");
    }
    let profondo = format!("{}{}", "<a>".repeat(40), "</a>".repeat(40));
    assert!(
        opi::leggi(
            format!("<flusso_giornale_di_cassa>{profondo}</flusso_giornale_di_cassa>").as_bytes()
        )
        .is_err()
    );
}

#[test]
fn poste_latin9_iban_header_footer_credits_only() {
    let testo = format!(
        "Estratto conto BancoPosta;IT60X0760111101000012345678\r\n\
DATA CONTABILE;DATA VALUTA;CAUSALE;DESCRIZIONE;DIVISA;ADDEBITI;ACCREDITI;ACCESSORIA;DESCRIZIONE OPERAZIONE\r\n\
14/05/2024;14/05/2024;48;BONIFICO;EUR;;223,50;;/PUR/LGPE-RIVERSAMENTO/URI/{IUF}\r\n\
14/05/2024;14/05/2024;48;BONIFICO;EUR;;80,00;;/RFS/RF23000000000000000012345/80.00\r\n\
14/05/2024;14/05/2024;12;COMMISSIONI €;EUR;1,00;;;SPESE\r\n\
15/05/2024;15/05/2024;48;BONIFICO;EUR;;30,00;;RIMBORSO\r\n\
Saldo contabile finale € 1.234,56;\r\n"
    );
    let (bytes, _, _) = encoding_rs::ISO_8859_15.encode(&testo);
    assert_eq!(riconosci(&bytes), Formato::Poste);
    let g = poste::leggi(&bytes).unwrap();
    assert_eq!(g.movimenti.len(), 2);
    assert_eq!(g.movimenti[0].iuf.as_deref(), Some(IUF));
    assert_eq!(g.movimenti[0].importo, euro("223.50"));
    assert_eq!(g.movimenti[0].ordinante, "POSTE ITALIANE SPA");
    assert!(g.movimenti[0].bolletta.starts_with("P20240514-"));
    assert_eq!(
        g.movimenti[1].iuv.as_deref(),
        Some("RF23000000000000000012345")
    );
    assert_eq!(
        g.ignorate.iter().map(|i| i.riga).collect::<Vec<_>>(),
        [5, 6]
    );
    assert!(g.identita.ends_with(":2345678"), "{}", g.identita);
    assert!(g.note[0].contains("ISO-8859-15"), "{:?}", g.note);
    let rotto = testo.replace("80,00;;/RFS", "80,0x;;/RFS");
    let e = poste::leggi(rotto.as_bytes()).unwrap_err();
    assert!(
        e.to_string().starts_with("riga 4, «importo_credito»"),
        "{e}"
    );
}

#[test]
fn dates_and_amounts_as_banks_write_them() {
    for (s, d) in [
        ("14/05/2024", "2024-05-14"),
        ("2024-05-14", "2024-05-14"),
        ("2024-05-14T00:00:00", "2024-05-14"),
        ("20240514000000", "2024-05-14"),
        ("14-05-2024", "2024-05-14"),
        ("14.05.2024", "2024-05-14"),
    ] {
        assert_eq!(data(s), Ok(giorno(d)), "{s}");
    }
    assert!(data("2024-13-01").is_err());
    for (s, v) in [
        ("1.234,56", "1234.56"),
        ("1234.56", "1234.56"),
        ("€ 12,00", "12.00"),
        ("-5,00", "-5.00"),
    ] {
        assert_eq!(importo(s), Ok(euro(v)), "{s}");
    }
    assert!(importo("1,234").is_err() || importo("1,234") == Ok(euro("1234")));
    assert!(importo("12.345").is_ok());
    assert!(importo("").is_err());
}
