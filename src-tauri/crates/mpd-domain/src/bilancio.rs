//! The `bilancio` column (tracciato 1_2+): accounting split of a debt, as namespace-less XML
//! `<bilancio><capitolo><codCapitolo>…</codCapitolo><accertamento><codAccertamento>…</codAccertamento><importo>10.00</importo></accertamento></capitolo></bilancio>`.
//!
//! The shape is fixed and tiny (spec §7.6), so a small hand parser over string slices does the
//! job without a dependency and without copying text.

use rust_decimal::Decimal;

/// A parsed `<bilancio>`; text is borrowed from the input and not XML-unescaped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bilancio<'a> {
    pub capitoli: Vec<Capitolo<'a>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Capitolo<'a> {
    pub cod_capitolo: &'a str,
    pub cod_ufficio: Option<&'a str>,
    pub accertamenti: Vec<Accertamento<'a>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accertamento<'a> {
    pub cod_accertamento: Option<&'a str>,
    /// The amount as written.
    pub importo: &'a str,
}

/// Why the XML was not understood; the string names what was expected, in Italian.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BilancioError(pub &'static str);

#[derive(Debug, PartialEq, Eq)]
enum Tok<'a> {
    Open(&'a str),
    Close(&'a str),
    Empty(&'a str),
    Text(&'a str),
}

struct Lexer<'a> {
    s: &'a str,
    pos: usize,
    peeked: Option<Tok<'a>>,
}

impl<'a> Lexer<'a> {
    fn next_tok(&mut self) -> Result<Option<Tok<'a>>, BilancioError> {
        if let Some(t) = self.peeked.take() {
            return Ok(Some(t));
        }
        let rest = &self.s[self.pos..];
        if rest.is_empty() {
            return Ok(None);
        }
        if let Some(body) = rest.strip_prefix('<') {
            let end = body
                .find('>')
                .ok_or(BilancioError("un tag non chiuso da '>'"))?;
            let inner = &body[..end];
            self.pos += end + 2;
            if inner.starts_with('?') || inner.starts_with('!') {
                return self.next_tok();
            }
            let name_of = |x: &'a str| x.split(|c: char| c.is_whitespace()).next().unwrap_or("");
            return Ok(Some(if let Some(n) = inner.strip_prefix('/') {
                Tok::Close(n.trim())
            } else if let Some(n) = inner.strip_suffix('/') {
                Tok::Empty(name_of(n))
            } else {
                Tok::Open(name_of(inner))
            }));
        }
        let end = rest.find('<').unwrap_or(rest.len());
        self.pos += end;
        let text = rest[..end].trim();
        if text.is_empty() {
            self.next_tok()
        } else {
            Ok(Some(Tok::Text(text)))
        }
    }

    fn peek(&mut self) -> Result<Option<&Tok<'a>>, BilancioError> {
        if self.peeked.is_none() {
            self.peeked = self.next_tok()?;
        }
        Ok(self.peeked.as_ref())
    }

    fn expect_open(&mut self, name: &'static str, err: &'static str) -> Result<(), BilancioError> {
        match self.next_tok()? {
            Some(Tok::Open(n)) if n == name => Ok(()),
            _ => Err(BilancioError(err)),
        }
    }

    fn expect_close(&mut self, name: &'static str, err: &'static str) -> Result<(), BilancioError> {
        match self.next_tok()? {
            Some(Tok::Close(n)) if n == name => Ok(()),
            _ => Err(BilancioError(err)),
        }
    }

    /// `<name>text</name>` or `<name/>` (empty text), when the next tag is `name`.
    fn optional_leaf(
        &mut self,
        name: &'static str,
        err: &'static str,
    ) -> Result<Option<&'a str>, BilancioError> {
        match self.peek()? {
            Some(Tok::Empty(n)) if *n == name => {
                self.peeked = None;
                Ok(Some(""))
            }
            Some(Tok::Open(n)) if *n == name => {
                self.peeked = None;
                let text = match self.next_tok()? {
                    Some(Tok::Text(t)) => t,
                    Some(Tok::Close(n)) if n == name => return Ok(Some("")),
                    _ => return Err(BilancioError(err)),
                };
                self.expect_close(name, err)?;
                Ok(Some(text))
            }
            _ => Ok(None),
        }
    }

    fn next_is_open(&mut self, name: &str) -> Result<bool, BilancioError> {
        Ok(matches!(self.peek()?, Some(Tok::Open(n)) if *n == name))
    }
}

/// Parses the fixed `<bilancio>` shape: `capitolo` 1..n, each with `codCapitolo`, optional
/// `codUfficio` and `accertamento` 1..n (optional `codAccertamento`, mandatory `importo`).
pub fn parse_bilancio(s: &str) -> Result<Bilancio<'_>, BilancioError> {
    let mut lx = Lexer {
        s,
        pos: 0,
        peeked: None,
    };
    lx.expect_open("bilancio", "deve iniziare con <bilancio>")?;
    let mut capitoli = Vec::new();
    while lx.next_is_open("capitolo")? {
        lx.peeked = None;
        let cod_capitolo = lx
            .optional_leaf("codCapitolo", "<codCapitolo> non valido")?
            .ok_or(BilancioError("manca <codCapitolo> nel <capitolo>"))?;
        let cod_ufficio = lx.optional_leaf("codUfficio", "<codUfficio> non valido")?;
        let mut accertamenti = Vec::new();
        while lx.next_is_open("accertamento")? {
            lx.peeked = None;
            let cod_accertamento =
                lx.optional_leaf("codAccertamento", "<codAccertamento> non valido")?;
            let importo = lx
                .optional_leaf("importo", "<importo> non valido")?
                .ok_or(BilancioError("manca <importo> nell'<accertamento>"))?;
            lx.expect_close("accertamento", "manca </accertamento>")?;
            accertamenti.push(Accertamento {
                cod_accertamento,
                importo,
            });
        }
        if accertamenti.is_empty() {
            return Err(BilancioError(
                "ogni <capitolo> deve avere almeno un <accertamento>",
            ));
        }
        lx.expect_close("capitolo", "manca </capitolo>")?;
        capitoli.push(Capitolo {
            cod_capitolo,
            cod_ufficio,
            accertamenti,
        });
    }
    if capitoli.is_empty() {
        return Err(BilancioError("deve contenere almeno un <capitolo>"));
    }
    lx.expect_close("bilancio", "deve finire con </bilancio>")?;
    if lx.next_tok()?.is_some() {
        return Err(BilancioError("c'è del testo dopo </bilancio>"));
    }
    Ok(Bilancio { capitoli })
}

impl Bilancio<'_> {
    /// Sum of the amounts, or `None` if one is not a decimal number.
    pub fn total(&self) -> Option<Decimal> {
        let mut sum = Decimal::ZERO;
        for a in self.capitoli.iter().flat_map(|c| &c.accertamenti) {
            sum = sum.checked_add(a.importo.parse::<Decimal>().ok()?)?;
        }
        Some(sum)
    }

    /// Every amount, in order.
    pub fn importi(&self) -> impl Iterator<Item = &str> {
        self.capitoli
            .iter()
            .flat_map(|c| c.accertamenti.iter().map(|a| a.importo))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    const OK: &str = "<bilancio><capitolo><codCapitolo>C1</codCapitolo><accertamento><codAccertamento>A1</codAccertamento><importo>10.00</importo></accertamento><accertamento><importo>2.50</importo></accertamento></capitolo><capitolo><codCapitolo>C2</codCapitolo><codUfficio>U</codUfficio><accertamento><codAccertamento/><importo>1</importo></accertamento></capitolo></bilancio>";

    #[test]
    fn parses_fixed_shape() {
        let b = parse_bilancio(OK).unwrap();
        assert_eq!(b.capitoli.len(), 2);
        assert_eq!(b.capitoli[0].cod_capitolo, "C1");
        assert_eq!(b.capitoli[1].cod_ufficio, Some("U"));
        assert_eq!(b.total(), Some(dec!(13.50)));
        let spaced = "<?xml version=\"1.0\"?>\n<bilancio>\n  <capitolo> <codCapitolo>C</codCapitolo>\n <accertamento><importo> 5.00 </importo></accertamento></capitolo>\n</bilancio>";
        assert_eq!(parse_bilancio(spaced).unwrap().total(), Some(dec!(5)));
    }

    #[test]
    fn rejects_other_shapes() {
        for bad in [
            "",
            "bilancio",
            "<bilancio></bilancio>",
            "<bilancio><capitolo><codCapitolo>C</codCapitolo></capitolo></bilancio>",
            "<bilancio><capitolo><accertamento><importo>1</importo></accertamento></capitolo></bilancio>",
            "<bilancio><capitolo><codCapitolo>C</codCapitolo><accertamento><importo>1</importo></accertamento></capitolo>",
            "<bilancio><capitolo><codCapitolo>C</codCapitolo><accertamento><importo>1</importo></accertamento></capitolo></bilancio>x",
            "<bilancio><capitolo><codCapitolo>C</codCapitolo><accertamento><importo>1</importo></accertamento></capitolo></bilancio",
        ] {
            assert!(parse_bilancio(bad).is_err(), "{bad}");
        }
        let b = parse_bilancio("<bilancio><capitolo><codCapitolo>C</codCapitolo><accertamento><importo>x</importo></accertamento></capitolo></bilancio>").unwrap();
        assert_eq!(b.total(), None);
    }
}
