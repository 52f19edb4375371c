//! MyPivot's reconciliation export, *tracciato 1.4* (spec riconciliazione §5.3), for offices that
//! still load it into MyPivot or into software built on it.
//!
//! The file is `<codIpa>-<id>_ESTRAZIONE_RICONCILIAZIONE_<yyyyMMddHHmmss>-1.4.csv` inside a zip of
//! the same name: `;`-separated, UTF-8, a header row, fields quoted with `"` when needed. Two
//! layouts: [`COLONNE`] (120 columns) and, with the Ente's IUD notifications, the I-block
//! [`COLONNE_I`] (21 columns) in front of them (141). One row per (joined tuple, label), as
//! MyPivot writes it.
//!
//! Column names are those of MyPivot's 1.4 export (`MyGov_ExportFlussiEnte_1_4`): the E, R and T
//! blocks as the spec lists them; the I-block's payer columns, which the spec abbreviates, are
//! MyPivot's database columns (`cod_rp_sogg_pag_…_i`) in the export's camel case. A row names
//! the columns it fills ([`Riga::imposta`]); the others stay empty.

use std::collections::BTreeMap;
use std::io::{Seek, Write};

use chrono::NaiveDateTime;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::flow_zip::FlowZipError;

/// The tracciato's version, the name's last part.
pub const VERSIONE: &str = "1.4";

/// The I-block: the Ente's IUD notification (21 columns), first in the layout with it.
pub const COLONNE_I: [&str; 21] = [
    "codIudI",
    "codRpSilinviarpIdUnivocoVersamentoI",
    "codRpSoggPagIdUnivPagTipoIdUnivocoI",
    "codRpSoggPagIdUnivPagCodiceIdUnivocoI",
    "deRpSoggPagAnagraficaPagatoreI",
    "deRpSoggPagIndirizzoPagatoreI",
    "deRpSoggPagCivicoPagatoreI",
    "codRpSoggPagCapPagatoreI",
    "deRpSoggPagLocalitaPagatoreI",
    "deRpSoggPagProvinciaPagatoreI",
    "codRpSoggPagNazionePagatoreI",
    "deRpSoggPagEmailPagatoreI",
    "dtRpDatiVersDataEsecuzionePagamentoI",
    "codRpDatiVersTipoVersamentoI",
    "numRpDatiVersDatiSingVersImportoSingoloVersamentoI",
    "numRpDatiVersDatiSingVersCommissioneCaricoPaI",
    "deRpDatiVersDatiSingVersCausaleVersamentoI",
    "deRpDatiVersDatiSingVersDatiSpecificiRiscossioneI",
    "codTipoDovutoI",
    "bilancioI",
    "dtAcquisizioneI",
];

/// The layout without the I-block: E (66), R (19), T (28), then the label, the last update and
/// the secondary Ente (7): 120 columns.
pub const COLONNE: [&str; 120] = [
    // E: the receipt, one row per transfer.
    "deNomeFlussoE",
    "numRigaFlussoE",
    "codIudE",
    "codRpSilinviarpIdUnivocoVersamentoE",
    "deEVersioneOggettoE",
    "codEDomIdDominioE",
    "codEDomIdStazioneRichiedenteE",
    "codEIdMessaggioRicevutaE",
    "dtEDataOraMessaggioRicevutaE",
    "codERiferimentoMessaggioRichiestaE",
    "dtERiferimentoDataRichiestaE",
    "codEIstitAttIdUnivAttTipoIdUnivocoE",
    "codEIstitAttIdUnivAttCodiceIdUnivocoE",
    "deEIstitAttDenominazioneAttestanteE",
    "codEIstitAttCodiceUnitOperAttestanteE",
    "deEIstitAttDenomUnitOperAttestanteE",
    "deEIstitAttIndirizzoAttestanteE",
    "deEIstitAttCivicoAttestanteE",
    "codEIstitAttCapAttestanteE",
    "deEIstitAttLocalitaAttestanteE",
    "deEIstitAttProvinciaAttestanteE",
    "codEIstitAttNazioneAttestanteE",
    "codEEnteBenefIdUnivBenefTipoIdUnivocoE",
    "codEEnteBenefIdUnivBenefCodiceIdUnivocoE",
    "deEEnteBenefDenominazioneBeneficiarioE",
    "codEEnteBenefCodiceUnitOperBeneficiarioE",
    "deEEnteBenefDenomUnitOperBeneficiarioE",
    "deEEnteBenefIndirizzoBeneficiarioE",
    "deEEnteBenefCivicoBeneficiarioE",
    "codEEnteBenefCapBeneficiarioE",
    "deEEnteBenefLocalitaBeneficiarioE",
    "deEEnteBenefProvinciaBeneficiarioE",
    "codEEnteBenefNazioneBeneficiarioE",
    "codESoggVersIdUnivVersTipoIdUnivocoE",
    "codESoggVersIdUnivVersCodiceIdUnivocoE",
    "codESoggVersAnagraficaVersanteE",
    "deESoggVersIndirizzoVersanteE",
    "deESoggVersCivicoVersanteE",
    "codESoggVersCapVersanteE",
    "deESoggVersLocalitaVersanteE",
    "deESoggVersProvinciaVersanteE",
    "codESoggVersNazioneVersanteE",
    "deESoggVersEmailVersanteE",
    "codESoggPagIdUnivPagTipoIdUnivocoE",
    "codESoggPagIdUnivPagCodiceIdUnivocoE",
    "codESoggPagAnagraficaPagatoreE",
    "deESoggPagIndirizzoPagatoreE",
    "deESoggPagCivicoPagatoreE",
    "codESoggPagCapPagatoreE",
    "deESoggPagLocalitaPagatoreE",
    "deESoggPagProvinciaPagatoreE",
    "codESoggPagNazionePagatoreE",
    "deESoggPagEmailPagatoreE",
    "codEDatiPagCodiceEsitoPagamentoE",
    "numEDatiPagImportoTotalePagatoE",
    "codEDatiPagIdUnivocoVersamentoE",
    "codEDatiPagCodiceContestoPagamentoE",
    "numEDatiPagDatiSingPagSingoloImportoPagatoE",
    "deEDatiPagDatiSingPagEsitoSingoloPagamentoE",
    "dtEDatiPagDatiSingPagDataEsitoSingoloPagamentoE",
    "codEDatiPagDatiSingPagIdUnivocoRiscossE",
    "deEDatiPagDatiSingPagCausaleVersamentoE",
    "deEDatiPagDatiSingPagDatiSpecificiRiscossioneE",
    "codTipoDovutoE",
    "dtAcquisizioneE",
    "bilancioE",
    // R: the FdR row.
    "versioneOggettoR",
    "codIdentificativoFlussoR",
    "dtDataOraFlussoR",
    "codIdentificativoUnivocoRegolamentoR",
    "dtDataRegolamentoR",
    "codIstMittIdUnivMittTipoIdentificativoUnivocoR",
    "codIstMittIdUnivMittCodiceIdentificativoUnivocoR",
    "deIstMittDenominazioneMittenteR",
    "codIstRicevIdUnivRicevTipoIdentificativoUnivocoR",
    "codIstRicevIdUnivRicevCodiceIdentificativoUnivocoR",
    "deIstRicevDenominazioneRiceventeR",
    "numNumeroTotalePagamentiR",
    "numImportoTotalePagamentiR",
    "codDatiSingPagamIdentificativoUnivocoVersamentoR",
    "codDatiSingPagamIdentificativoUnivocoRiscossioneR",
    "numDatiSingPagamSingoloImportoPagatoR",
    "codDatiSingPagamCodiceEsitoSingoloPagamentoR",
    "dtDatiSingPagamDataEsitoSingoloPagamentoR",
    "dtAcquisizioneR",
    // T: the treasury entry.
    "codAbiT",
    "codCabT",
    "codContoTesoreria",
    "codDivisaT",
    "dtDataContabileT",
    "dtDataValutaT",
    "numImportoTesoreria",
    "codSegnoT",
    "deCausaleT",
    "codNumeroAssegnoT",
    "codRiferimentoBancaT",
    "codRiferimentoClienteT",
    "dtDataOrdineT",
    "deDescrizioneOrdinanteT",
    "codOr1T",
    "codIdUnivocoFlussoT",
    "codIdUnivocoVersamentoT",
    "dtAcquisizioneT",
    "deAnnoBollettaT",
    "codBollettaT",
    "codIdDominioT",
    "dtRicezioneT",
    "deAnnoDocumentoT",
    "codDocumentoT",
    "deAnnoProvvisorioT",
    "codProvvisorioT",
    "dt_effettiva_sospeso_t",
    "codice_gestionale_provvisorio_t",
    // The label, the last update, the secondary Ente of a multi-beneficiary payment.
    "classificazioneCompletezza",
    "dtDataUltimoAggiornamento",
    "cod_tipo_dovuto_pa1",
    "de_tipo_dovuto_pa1",
    "cod_tassonomico_dovuto_pa1",
    "cod_fiscale_pa1",
    "de_nome_pa1",
];

/// The header of a layout, in order: 120 columns, or 141 with the I-block.
pub fn intestazione(con_i: bool) -> Vec<&'static str> {
    let mut v = Vec::with_capacity(COLONNE_I.len() + COLONNE.len());
    if con_i {
        v.extend(COLONNE_I);
    }
    v.extend(COLONNE);
    v
}

/// The export's name without extension: `<codIpa>-<id>_ESTRAZIONE_RICONCILIAZIONE_<yyyyMMddHHmmss>-1.4`.
pub fn nome(cod_ipa: &str, id: u64, istante: NaiveDateTime) -> String {
    format!(
        "{cod_ipa}-{id}_ESTRAZIONE_RICONCILIAZIONE_{}-{VERSIONE}",
        istante.format("%Y%m%d%H%M%S")
    )
}

/// One row of the export: the columns it fills, by name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Riga {
    valori: BTreeMap<&'static str, String>,
}

impl Riga {
    /// Fills `colonna` (a name of [`COLONNE`] or [`COLONNE_I`]); empty text leaves it empty.
    pub fn imposta(&mut self, colonna: &'static str, valore: impl Into<String>) -> &mut Self {
        let v = valore.into();
        if !v.is_empty() {
            self.valori.insert(colonna, v);
        }
        self
    }

    /// The value of `colonna`, if filled.
    pub fn valore(&self, colonna: &str) -> Option<&str> {
        self.valori.get(colonna).map(String::as_str)
    }
}

/// Writes the zip `<nome>.zip` content holding `<nome>.csv`, the layout with or without the
/// I-block; returns the rows written. A row naming a column the layout does not have is a
/// programming error, refused with its name.
pub fn scrivi_zip<W: Write + Seek>(
    out: W,
    nome: &str,
    con_i: bool,
    righe: impl IntoIterator<Item = Riga>,
) -> Result<(W, usize), FlowZipError> {
    let colonne = intestazione(con_i);
    let posizione: BTreeMap<&str, usize> =
        colonne.iter().enumerate().map(|(i, c)| (*c, i)).collect();
    let zip_err = |e: zip::result::ZipError| FlowZipError::Zip(e.to_string());
    let mut zip = ZipWriter::new(out);
    zip.start_file(
        format!("{nome}.csv"),
        SimpleFileOptions::default().compression_method(CompressionMethod::Deflated),
    )
    .map_err(zip_err)?;
    let mut n = 0usize;
    {
        let mut csv = csv::WriterBuilder::new()
            .delimiter(b';')
            .quote(b'"')
            .from_writer(&mut zip);
        let csv_err = |e: csv::Error| FlowZipError::Zip(e.to_string());
        csv.write_record(&colonne).map_err(csv_err)?;
        let mut record = vec![String::new(); colonne.len()];
        for riga in righe {
            record.iter_mut().for_each(String::clear);
            for (c, v) in riga.valori {
                let i = *posizione.get(c).ok_or_else(|| {
                    FlowZipError::Zip(format!(
                        "la colonna «{c}» non è nel tracciato {VERSIONE} scelto"
                    ))
                })?;
                record[i] = v;
            }
            csv.write_record(&record).map_err(csv_err)?;
            n += 1;
        }
        csv.flush().map_err(|e| FlowZipError::Zip(e.to_string()))?;
    }
    let out = zip.finish().map_err(zip_err)?;
    Ok((out, n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Read};

    #[test]
    fn layouts_have_the_spec_counts_and_order() {
        assert_eq!(intestazione(false).len(), 120);
        assert_eq!(intestazione(true).len(), 141);
        let con = intestazione(true);
        assert_eq!(con[0], "codIudI");
        assert_eq!(con[21], "deNomeFlussoE");
        assert_eq!(con[140], "de_nome_pa1");
        let senza = intestazione(false);
        // Block boundaries as §5.3 lists them.
        assert_eq!(senza[65], "bilancioE");
        assert_eq!(senza[66], "versioneOggettoR");
        assert_eq!(senza[84], "dtAcquisizioneR");
        assert_eq!(senza[85], "codAbiT");
        assert_eq!(senza[112], "codice_gestionale_provvisorio_t");
        assert_eq!(senza[113], "classificazioneCompletezza");
        let unici: std::collections::BTreeSet<&str> = con.iter().copied().collect();
        assert_eq!(unici.len(), 141, "no column twice");
    }

    #[test]
    fn zip_holds_a_same_named_csv_with_the_header_and_rows() {
        let istante = chrono::NaiveDate::from_ymd_opt(2024, 5, 15)
            .unwrap()
            .and_hms_opt(9, 12, 33)
            .unwrap();
        let nome = nome("c_x000", 1, istante);
        assert_eq!(
            nome,
            "c_x000-1_ESTRAZIONE_RICONCILIAZIONE_20240515091233-1.4"
        );
        let mut r = Riga::default();
        r.imposta("codRpSilinviarpIdUnivocoVersamentoE", "01240000000012345")
            .imposta(
                "deEDatiPagDatiSingPagCausaleVersamentoE",
                "TARI; rata \"1\"",
            )
            .imposta("classificazioneCompletezza", "RT_IUF");
        let (cur, n) = scrivi_zip(Cursor::new(Vec::new()), &nome, false, [r.clone()]).unwrap();
        assert_eq!(n, 1);
        let mut z = zip::ZipArchive::new(Cursor::new(cur.into_inner())).unwrap();
        assert_eq!(z.len(), 1);
        let mut f = z.by_index(0).unwrap();
        assert_eq!(f.name().unwrap(), format!("{nome}.csv"));
        let mut s = String::new();
        f.read_to_string(&mut s).unwrap();
        let righe: Vec<&str> = s.lines().collect();
        assert_eq!(righe.len(), 2);
        assert_eq!(righe[0].split(';').count(), 120);
        assert!(righe[0].starts_with("deNomeFlussoE;numRigaFlussoE;codIudE;"));
        let mut rd = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(s.as_bytes());
        let rec = rd.records().next().unwrap().unwrap();
        assert_eq!(rec.len(), 120);
        assert_eq!(&rec[3], "01240000000012345");
        assert_eq!(&rec[61], "TARI; rata \"1\"");
        assert_eq!(&rec[113], "RT_IUF");
        assert_eq!(&rec[0], "");
        // A column of the I-block in the layout without it is refused.
        let mut i = Riga::default();
        i.imposta("codIudI", "X");
        assert!(scrivi_zip(Cursor::new(Vec::new()), &nome, false, [i.clone()]).is_err());
        let (_, n) = scrivi_zip(Cursor::new(Vec::new()), &nome, true, [i]).unwrap();
        assert_eq!(n, 1);
    }
}
