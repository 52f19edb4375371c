//! The pagoPA references in a treasury entry's causale (spec riconciliazione §3.5, §3.6, §7.2).
//!
//! A PSP transfers the money of an FdR with one SCT whose remittance information carries
//! `/PUR/LGPE-RIVERSAMENTO/URI/<IUF>`; a single payment transferred on its own carries
//! `/RFS/<IUV>/<importo>` or `/RFB/<IUV>[/<importo>]`. Banks reflow that text: they wrap lines
//! inside the IUF, put spaces around the dash, add SACI's `/TXT/<n>/`.
//!
//! Two readings:
//!
//! * [`mypivot`]: MyPivot's `estraiIdentificativo` for IUF and IUV (`RegEx_0.1.item`), ported
//!   step by step with its quirks (a line wrap after two digits of the date gives the IUF
//!   `20`; `/TXT/1/` hides the IUF; `ACCREDITI VARI` glues the next token; any `RFB` in a name
//!   makes an IUV). Java's `\d`, `\s`, `\S` are ASCII, written out here as classes.
//! * [`leggi`]: ours, lenient: `/TXT/<n>/` dropped, whitespace inside the date prefix and
//!   around the marker's dash repaired, an IUF broken by a line wrap joined again (only when the
//!   break is visible: the date alone, or a part ending in `-`), the join stopped at `/`, the
//!   IUV taken only after a real `RFS`/`RFB` tag. It says, in Italian, how it read the causale
//!   and where MyPivot would read it otherwise.

use std::sync::LazyLock;

use regex::Regex;

/// Java's `\s` (ASCII whitespace) as a class body.
const S: &str = r" \t\n\x0B\x0C\r";

fn re(pattern: &str) -> Regex {
    // Every pattern here is a literal of this module, tested below.
    Regex::new(pattern).unwrap_or_else(|e| panic!("espressione non valida {pattern}: {e}"))
}

/// MyPivot's markers, in the order `estraiIdentificativo` checks them.
const MARCATORI: [&str; 5] = [
    "LGPE-RIVERSAMENTO",
    "LGPE- RIVERSAMENTO",
    "LGPE -RIVERSAMENTO",
    "LGPE - RIVERSAMENTO",
    "L GPE-RIVERSAMENTO",
];

/// MyPivot's six steps for one marker and one `ACCREDITI VARI` flag, compiled once.
struct Passi {
    /// `(regex, whitespace deleted from the result, accept the old IUF form)`, in order.
    passi: Vec<(Regex, Passo)>,
}

#[derive(Clone, Copy)]
enum Passo {
    /// Steps a–d: `deleteWhitespace(g1 + g2)`, date or old IUF.
    DataSpezzata,
    /// Step e: `g1` (whitespace deleted only with `ACCREDITI VARI`), date or old IUF.
    Uri,
    /// Step f: `deleteWhitespace(g1)`, date only.
    UriSpazi,
}

fn passi(marcatore: &str, acc: bool) -> Passi {
    let p = regex::escape(marcatore);
    let coda = if acc {
        format!("([A-Za-z0-9_\\-][^{S}]+[{S}]+[^{S}]+)")
    } else {
        "([A-Za-z0-9_\\-]+)".to_string()
    };
    let d = "[0-9]";
    let passi = vec![
        (
            re(&format!("{p}/URI/({d}{{4}}-{d}{{2}}- {d}{{2}}){coda}")),
            Passo::DataSpezzata,
        ),
        (
            re(&format!("{p} URI ({d}{{4}}-{d}{{2}}- {d}{{2}}){coda}")),
            Passo::DataSpezzata,
        ),
        (
            re(&format!(
                "{p}/URI/({d}{{4}}-{d}{{2}}-{d}{{1}} {d}{{1}}){coda}"
            )),
            Passo::DataSpezzata,
        ),
        (
            re(&format!(
                "{p} URI ({d}{{4}}-{d}{{2}}-{d}{{1}} {d}{{1}}){coda}"
            )),
            Passo::DataSpezzata,
        ),
        (re(&format!("{p}/URI/{coda}")), Passo::Uri),
        (re(&format!("{p} URI {coda}")), Passo::UriSpazi),
    ];
    Passi { passi }
}

static PASSI: LazyLock<Vec<[Passi; 2]>> = LazyLock::new(|| {
    MARCATORI
        .iter()
        .map(|m| [passi(m, false), passi(m, true)])
        .collect()
});
static DATA_ISO: LazyLock<Regex> = LazyLock::new(|| re("[0-9]{4}-[0-9]{2}-[0-9]{2}"));
static NON_VECCHIO: LazyLock<Regex> = LazyLock::new(|| re(&format!("[^a-zA-Z0-9{S}:]")));
static RFB_BARRA: LazyLock<Regex> = LazyLock::new(|| re("RFB/(.*?)/"));
static RFB_SPAZIO: LazyLock<Regex> = LazyLock::new(|| re("RFB (.*?) "));
static RFS_BARRA: LazyLock<Regex> = LazyLock::new(|| re("RFS/(.*?)/"));
static PAROLA: LazyLock<Regex> = LazyLock::new(|| re("[A-Za-z0-9_]+"));

/// Apache's `StringUtils.deleteWhitespace`.
fn senza_spazi(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The last match's first two groups (Java's `while (m.find())` keeping the last).
fn ultimo(re: &Regex, testo: &str) -> Option<(String, Option<String>)> {
    re.captures_iter(testo).last().map(|c| {
        (
            c.get(1).map_or(String::new(), |m| m.as_str().to_string()),
            c.get(2).map(|m| m.as_str().to_string()),
        )
    })
}

fn vecchio_iuf(s: &str) -> bool {
    !NON_VECCHIO.is_match(s)
}

/// What MyPivot reads in a causale.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LetturaMyPivot {
    pub iuf: Option<String>,
    pub iuv: Option<String>,
}

/// MyPivot's `estraiIdentificativo(value, "IUF")`, exactly.
pub fn mypivot_iuf(value: &str) -> Option<String> {
    let acc = value.starts_with("ACCREDITI VARI");
    let (n, pos) = MARCATORI
        .iter()
        .enumerate()
        .find_map(|(n, m)| value.find(m).map(|pos| (n, pos)))?;
    let testo = &value[pos..];
    for (re, passo) in &PASSI[n][usize::from(acc)].passi {
        let Some((g1, g2)) = ultimo(re, testo) else {
            continue;
        };
        let (valore, vecchio_ammesso) = match passo {
            Passo::DataSpezzata => (
                senza_spazi(&format!("{g1}{}", g2.as_deref().unwrap_or(""))),
                true,
            ),
            Passo::Uri if acc => (senza_spazi(&g1), true),
            Passo::Uri => (g1, true),
            Passo::UriSpazi => (senza_spazi(&g1), false),
        };
        if DATA_ISO.is_match(&valore) || (vecchio_ammesso && vecchio_iuf(&valore)) {
            return Some(valore);
        }
    }
    None
}

/// The first 25 characters that are not whitespace.
fn primi_25(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).take(25).collect()
}

/// MyPivot's `estraiIdentificativo(value, "IUV")`, exactly (an empty IUV is none).
pub fn mypivot_iuv(value: &str) -> Option<String> {
    let trovato = if let Some(i) = value.find("RFB") {
        let v = &value[i..];
        ultimo(&RFB_BARRA, &format!("{v}/"))
            .or_else(|| ultimo(&RFB_SPAZIO, &format!("{v} ")))
            .map(|(g, _)| g)
    } else if let Some(i) = value.find("RFS") {
        let v = &value[i..];
        match ultimo(&RFS_BARRA, &format!("{v}/")) {
            Some((g, _)) if g.chars().count() > 25 => Some(primi_25(&g)),
            Some((g, _)) => Some(g),
            None => value.rfind("RFS").map(|j| primi_25(&value[j + 3..])),
        }
    } else {
        None
    };
    trovato.filter(|s| !s.is_empty())
}

/// MyPivot's reading of a causale: IUF and IUV.
pub fn mypivot(causale: &str) -> LetturaMyPivot {
    LetturaMyPivot {
        iuf: mypivot_iuf(causale),
        iuv: mypivot_iuv(causale),
    }
}

/// MyPivot's `estraiIdentificativoPSPDaIUF`: the first word after the IUF's date.
pub fn mypivot_psp_da_iuf(iuf: &str) -> Option<String> {
    let resto = DATA_ISO.replace(iuf, "");
    PAROLA.find(&resto).map(|m| m.as_str().to_string())
}

/// Our reading of a causale, and how it was made.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lettura {
    /// The flow's IUF (`/PUR/LGPE-RIVERSAMENTO/URI/…`): a transfer of a whole FdR.
    pub iuf: Option<String>,
    /// The IUV of a payment transferred on its own (`/RFS/`, `/RFB/`).
    pub iuv: Option<String>,
    /// How they were read, in Italian (where the references were found, what was repaired,
    /// where MyPivot reads otherwise).
    pub spiegazione: String,
    /// What MyPivot reads in the same causale.
    pub mypivot: LetturaMyPivot,
}

static TXT: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)/\s*TXT\s*/\s*[0-9]+\s*/"));
/// The marker with any spacing (and `PUR` before it, when there), then `URI`.
static MARCATORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:/?\s*P\s*U\s*R\s*[/\s]\s*)?(L\s*G\s*P\s*E\s*-\s*R\s*I\s*V\s*E\s*R\s*S\s*A\s*M\s*E\s*N\s*T\s*O)\s*(?:/\s*|\s+)U\s*R\s*I\s*(?:/\s*|\s+)",
    )
});
/// The IUF's date prefix, with whitespace anywhere in it.
static DATA_SPEZZATA: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^([0-9]\s*[0-9]\s*[0-9]\s*[0-9])\s*-\s*([0-9]\s*[0-9])\s*-\s*([0-9]\s*[0-9])")
});
static PEZZO: LazyLock<Regex> = LazyLock::new(|| re(r"^[A-Za-z0-9_\-]+"));
static PEZZO_DOPO_SPAZIO: LazyLock<Regex> = LazyLock::new(|| re(r"^\s+([A-Za-z0-9_\-]+)"));
/// A real `RFS`/`RFB` tag: at the start, or after `/` or whitespace, then `/` or a space.
static TAG_IUV: LazyLock<Regex> = LazyLock::new(|| re(r"(?:^|[/\s])(RF[BS])(/|\s+)([^/]*)"));

/// The longest IUF pagoPA allows.
pub const MAX_IUF: usize = 35;

struct IufLetto {
    iuf: String,
    note: Vec<&'static str>,
    marcatore: String,
}

fn nostro_iuf(causale: &str) -> Option<IufLetto> {
    let mut note = Vec::new();
    let pulita = TXT.replace_all(causale, "/");
    if pulita != causale {
        note.push("«/TXT/n/» prima dell'URI ignorato");
    }
    let m = MARCATORE.find(&pulita)?;
    let marcatore = m.as_str().trim().to_string();
    let nucleo = MARCATORE
        .captures(&pulita)
        .and_then(|c| c.get(1))
        .map_or("", |g| g.as_str());
    if nucleo.chars().any(char::is_whitespace) {
        note.push("spazi nel marcatore LGPE-RIVERSAMENTO ignorati");
    }
    let resto = &pulita[m.end()..];
    let mut iuf = String::new();
    let mut dopo;
    if let Some(d) = DATA_SPEZZATA.captures(resto) {
        let tutto = d.get(0).map_or("", |x| x.as_str());
        let data = senza_spazi(tutto);
        if data != tutto {
            note.push("spazio nella data rimosso");
        }
        iuf.push_str(&data);
        dopo = &resto[tutto.len()..];
        // The date alone, then a space: the PSP's part wrapped to the next word.
        if let Some(p) = PEZZO.find(dopo) {
            iuf.push_str(p.as_str());
            dopo = &dopo[p.end()..];
        } else if let Some(c) = PEZZO_DOPO_SPAZIO.captures(dopo) {
            let tutto = c.get(0).map_or("", |x| x.as_str());
            iuf.push_str(c.get(1).map_or("", |x| x.as_str()));
            dopo = &dopo[tutto.len()..];
            note.push("IUF spezzato da un a capo ricomposto");
        }
    } else {
        let p = PEZZO.find(resto)?;
        iuf.push_str(p.as_str());
        dopo = &resto[p.end()..];
        note.push("IUF senza data iniziale (forma non standard)");
    }
    // A part ending in `-` went on in the next word; the join stops at `/` or anything else.
    if iuf.ends_with('-')
        && let Some(c) = PEZZO_DOPO_SPAZIO.captures(dopo)
    {
        iuf.push_str(c.get(1).map_or("", |x| x.as_str()));
        if !note.contains(&"IUF spezzato da un a capo ricomposto") {
            note.push("IUF spezzato da un a capo ricomposto");
        }
    }
    if iuf.len() <= 10 && DATA_SPEZZATA.is_match(&iuf) {
        // Only a date: no IUF.
        return None;
    }
    if iuf.len() > MAX_IUF {
        note.push("più lungo dei 35 caratteri di un IUF");
    }
    Some(IufLetto {
        iuf,
        note,
        marcatore,
    })
}

struct IuvLetto {
    iuv: String,
    tag: String,
    note: Vec<&'static str>,
}

fn nostro_iuv(causale: &str) -> Option<IuvLetto> {
    let c = TAG_IUV.captures(causale)?;
    let tag = c.get(1).map_or("", |m| m.as_str());
    let sep = c.get(2).map_or("", |m| m.as_str());
    let contenuto = c.get(3).map_or("", |m| m.as_str()).trim();
    let mut note = Vec::new();
    let compatto = senza_spazi(contenuto);
    let solo_codice = contenuto
        .chars()
        .all(|ch| ch.is_ascii_alphanumeric() || ch.is_whitespace());
    let iuv = if sep == "/" && solo_codice && !compatto.is_empty() && compatto.len() <= 35 {
        if compatto != contenuto {
            note.push("spazi nel codice tolti");
        }
        compatto
    } else {
        // The space form (`RFB 0000… 150,00 TARI`): the first word.
        contenuto.split_whitespace().next()?.to_string()
    };
    let iuv: String = if tag == "RFS" && iuv.len() > 25 {
        note.push("tenuti i primi 25 caratteri del riferimento RF");
        iuv.chars().take(25).collect()
    } else {
        iuv
    };
    if iuv.is_empty() {
        return None;
    }
    let tag = if sep == "/" {
        format!("/{tag}/")
    } else {
        format!("«{tag} » (forma con spazi)")
    };
    Some(IuvLetto { iuv, tag, note })
}

fn con_note(base: String, note: &[&str]) -> String {
    if note.is_empty() {
        base
    } else {
        format!("{base}, {}", note.join(", "))
    }
}

/// Our reading of a causale, explained (MyPivot's reading alongside).
pub fn leggi(causale: &str) -> Lettura {
    let mypivot = mypivot(causale);
    let mut parti = Vec::new();
    let iuf = nostro_iuf(causale).map(|l| {
        let marcatore = if l.marcatore.ends_with('/') {
            l.marcatore.clone()
        } else {
            format!("«{}»", l.marcatore)
        };
        parti.push(con_note(format!("IUF letto dopo {marcatore}"), &l.note));
        l.iuf
    });
    let iuv = nostro_iuv(causale).map(|l| {
        parti.push(con_note(format!("IUV letto dopo {}", l.tag), &l.note));
        l.iuv
    });
    if parti.is_empty() {
        parti.push(
            "nessun riferimento pagoPA nella causale (né /PUR/LGPE-RIVERSAMENTO/URI/ né /RFS/ o /RFB/)"
                .to_string(),
        );
    }
    let mut confronto = Vec::new();
    if mypivot.iuf != iuf {
        confronto.push(match &mypivot.iuf {
            Some(v) => format!("MyPivot leggerebbe lo IUF «{v}»"),
            None => "MyPivot non troverebbe lo IUF".to_string(),
        });
    }
    if mypivot.iuv != iuv {
        confronto.push(match &mypivot.iuv {
            Some(v) => format!("MyPivot leggerebbe lo IUV «{v}»"),
            None => "MyPivot non troverebbe lo IUV".to_string(),
        });
    }
    let mut spiegazione = parti.join("; ");
    if !confronto.is_empty() {
        spiegazione.push_str(" (");
        spiegazione.push_str(&confronto.join("; "));
        spiegazione.push(')');
    }
    Lettura {
        iuf,
        iuv,
        spiegazione,
        mypivot,
    }
}

#[cfg(test)]
mod tests;
