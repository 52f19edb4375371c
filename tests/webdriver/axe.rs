//! The automated accessibility check of every screen (issue 13, item 16): axe-core, installed
//! by `npm ci` in `ui/` (a devDependency), injected into the real window and run with the
//! WCAG 2.0 and 2.1 level A and AA rules. `Run::shot` calls [`check`] before each screenshot,
//! so every screen a scenario photographs is checked, and a violation fails the step naming
//! the rule, its impact, the element (a CSS selector) and axe's help text.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::wd::Session;

/// The rule sets checked: WCAG 2.0 and 2.1, levels A and AA.
pub const TAGS: &[&str] = &["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/// How long one run of axe may take (a debug WebKit on a loaded 2-core machine is slow).
const T_AXE: Duration = Duration::from_secs(120);

fn axe_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/node_modules/axe-core/axe.min.js")
}

/// axe.min.js, read once.
fn axe_source() -> Result<&'static str> {
    static SRC: OnceLock<std::result::Result<String, String>> = OnceLock::new();
    SRC.get_or_init(|| {
        let p = axe_path();
        std::fs::read_to_string(&p).map_err(|e| {
            format!(
                "cannot read {} ({e}): run `npm ci` in ui/ (axe-core is a devDependency)",
                p.display()
            )
        })
    })
    .as_ref()
    .map(String::as_str)
    .map_err(|e| anyhow::anyhow!("{e}"))
}

/// Runs axe on the page as it is now; fails listing every violation.
pub fn check(s: &Session, screen: &str) -> Result<()> {
    let violations = run(s).with_context(|| format!("axe on «{screen}»"))?;
    if violations.is_empty() {
        return Ok(());
    }
    bail!(
        "accessibility (axe-core, WCAG 2.1 A/AA) on «{screen}»: {} violation(s)\n{}",
        violations.len(),
        violations.join("\n")
    )
}

/// The violations axe finds, one line per element: `rule [impact] target: help`.
fn run(s: &Session) -> Result<Vec<String>> {
    let present = s.script("return typeof window.axe === 'object'", vec![])?;
    if present != Value::Bool(true) {
        // The page is a single-page app: axe stays loaded until the window reloads.
        s.script(&format!("{}\n;return true", axe_source()?), vec![])
            .context("inject axe.min.js")?;
    }
    s.set_script_timeout(T_AXE)?;
    let v = s.script_async(
        "const done = arguments[arguments.length - 1];\
         window.axe.run(document, { runOnly: { type: 'tag', values: arguments[0] },\
                                    resultTypes: ['violations'] })\
           .then(r => done({ violations: r.violations.map(v => ({\
               id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,\
               nodes: v.nodes.map(n => ({ target: n.target.map(String).join(' '),\
                                          summary: n.failureSummary || '' })) })) }))\
           .catch(e => done({ error: String(e && e.stack || e) }));",
        vec![json!(TAGS)],
    )?;
    if let Some(e) = v.get("error") {
        bail!("axe.run failed: {e}");
    }
    let list = v["violations"]
        .as_array()
        .context("axe.run: no violations array")?;
    Ok(list.iter().flat_map(describe).collect())
}

fn describe(v: &Value) -> Vec<String> {
    let id = v["id"].as_str().unwrap_or("?");
    let impact = v["impact"].as_str().unwrap_or("?");
    let help = v["help"].as_str().unwrap_or("");
    let nodes = v["nodes"].as_array().cloned().unwrap_or_default();
    if nodes.is_empty() {
        return vec![format!("  {id} [{impact}]: {help}")];
    }
    nodes
        .iter()
        .map(|n| {
            let summary = n["summary"]
                .as_str()
                .unwrap_or("")
                .split('\n')
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" / ");
            format!(
                "  {id} [{impact}] {}: {help} ({summary})",
                n["target"].as_str().unwrap_or("?")
            )
        })
        .collect()
}

/// Text the page cuts (issue 13, item 15: no text cut at 1024 px): each visible text whose box
/// runs past an ancestor that hides its overflow (`overflow: hidden`, `clip`, an ellipsis), or
/// past the window's right edge, unless an ancestor scrolls (the clerk can reach it); and each
/// input's value (or placeholder) and select's choice wider than its field. One line per text,
/// at most 25.
pub fn testo_tagliato(s: &Session) -> Result<Vec<String>> {
    let v = s.script(
        r#"
        const out = [];
        const W = document.documentElement.clientWidth;
        const descr = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
          (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\s+/).slice(0, 3).join('.') : '');
        const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        while (w.nextNode() && out.length < 25) {
          const t = w.currentNode;
          const testo = t.textContent.trim();
          if (!testo) continue;
          const el = t.parentElement;
          if (!el || el.closest('[aria-hidden="true"], .visually-hidden, .visually-hidden-focusable, option, script, style, noscript')) continue;
          const r = document.createRange();
          r.selectNodeContents(t);
          const rects = [...r.getClientRects()].filter((q) => q.width > 0 && q.height > 0);
          if (!rects.length) continue;
          let taglio = null;
          let scorre = false;
          for (let a = el; a && a !== document.documentElement && !taglio; a = a.parentElement) {
            const st = getComputedStyle(a);
            if (st.overflowX === 'visible') continue;
            if (st.overflowX === 'auto' || st.overflowX === 'scroll') { scorre = true; break; }
            const ar = a.getBoundingClientRect();
            if (rects.some((q) => q.right > ar.right + 1 || q.left < ar.left - 1)) taglio = descr(a);
          }
          if (!taglio && !scorre && rects.some((q) => q.right > W + 1)) taglio = 'the window';
          if (taglio) out.push(`«${testo.slice(0, 60)}» in ${descr(el)} cut by ${taglio}`);
        }
        // Inputs and selects draw their text themselves: measured with their own font.
        const ctx = document.createElement('canvas').getContext('2d');
        for (const e of document.querySelectorAll('input, select')) {
          if (out.length >= 25) break;
          if (e.closest('[aria-hidden="true"]') || ['checkbox', 'radio', 'file', 'hidden'].includes(e.type)) continue;
          const b = e.getBoundingClientRect();
          if (!b.width || !b.height) continue;
          const st = getComputedStyle(e);
          const testo = e.tagName === 'SELECT' ? (e.selectedOptions[0]?.text ?? '') : (e.value || e.placeholder || '');
          if (!testo.trim()) continue;
          ctx.font = `${st.fontStyle} ${st.fontWeight} ${st.fontSize} ${st.fontFamily}`;
          const pad = parseFloat(st.paddingLeft) + parseFloat(st.paddingRight) + parseFloat(st.borderLeftWidth) + parseFloat(st.borderRightWidth);
          // A select's arrow takes about 2rem of its right padding already counted.
          if (ctx.measureText(testo).width > b.width - pad + 1)
            out.push(`«${testo.slice(0, 60)}» in ${descr(e)} does not fit its field (${Math.round(b.width)} px)`);
        }
        if (document.documentElement.scrollWidth > W + 1)
          out.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} px in a ${W} px window`);
        return out;
        "#,
        vec![],
    )?;
    Ok(v.as_array()
        .context("testo_tagliato: not an array")?
        .iter()
        .map(|x| x.as_str().unwrap_or_default().to_string())
        .collect())
}
