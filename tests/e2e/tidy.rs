//! House rules checked as plain tests (see ARCHITECTURE.md, "Invariants").

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn library_crates_do_not_depend_on_tauri() {
    let crates = root().join("src-tauri/crates");
    for entry in std::fs::read_dir(&crates).unwrap() {
        let manifest = entry.unwrap().path().join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest).unwrap();
        assert!(
            !text.lines().any(|l| l.trim_start().starts_with("tauri")),
            "{} depends on tauri",
            manifest.display()
        );
    }
}

#[test]
fn every_module_opens_with_a_doc_comment() {
    let mut files = Vec::new();
    rust_files(&root().join("src-tauri/crates"), &mut files);
    rust_files(&root().join("src-tauri/src"), &mut files);
    rust_files(&root().join("tests"), &mut files);
    let missing: Vec<String> = files
        .iter()
        .filter(|f| !f.components().any(|c| c.as_os_str() == "target"))
        .filter(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            !text.trim_start().starts_with("//!") && !text.trim_start().starts_with("#![")
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "modules without a //! doc: {missing:#?}"
    );
}

// ---------------------------------------------------------------------------------------------
// No module cycles (issue 12): the top-level modules of a crate form a graph without cycles, so
// the crate reads bottom-up and what modules share lives in a module below them.

#[test]
fn mpd_emulator_has_no_module_cycles() {
    assert_no_module_cycles("src-tauri/crates/mpd-emulator");
}

#[test]
fn mpd_core_has_no_module_cycles() {
    assert_no_module_cycles("src-tauri/crates/mpd-core");
}

#[test]
fn mpd_cli_has_no_module_cycles() {
    assert_no_module_cycles("src-tauri/crates/mpd-cli");
}

#[test]
fn the_cycle_checker_reads_paths_as_rustc_does() {
    let source = r##"
        //! Uses [`crate::docs_only`] in a comment.
        use crate::{alpha, beta::{self, Thing}, Root};
        use super::gamma::Item;
        fn f() -> char { let _ = "crate::in_string"; let _ = r#"super::raw"#; '\'' }
        fn g<'a>(x: &'a str) { crate::delta::call(x); $crate::eps::m!(); }
        mod tests {
            use super::*;
            use super::inner;
            use super::super::zeta;
        }
        /* crate::blocked /* nested */ super::still_blocked */
    "##;
    let names: Vec<String> = sibling_references(source, 1)
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert_eq!(
        names,
        ["alpha", "beta", "Root", "gamma", "delta", "eps", "zeta"]
    );
    let nested: Vec<String> = sibling_references("use super::super::x; use super::y;", 2)
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert_eq!(nested, ["x"]);
    let mut graph = Edges::new();
    for (a, b) in [("a", "b"), ("b", "c"), ("c", "a"), ("b", "a"), ("d", "a")] {
        graph
            .entry(a.into())
            .or_default()
            .insert(b.into(), String::new());
    }
    assert_eq!(cycles(&graph, 10), [vec!["a", "b"], vec!["a", "b", "c"]]);
}

/// Module → the sibling modules it names → where it first does (`file:line`).
type Edges = std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>;

/// The top-level modules of a crate's `src/` and, for each, the sibling modules its files
/// name through `crate::X`, `super::X` (climbing to the crate root) or `$crate::X`. A module
/// is `src/X.rs` or `src/X/mod.rs`; files under `src/X/` belong to X. Comments and literals
/// are skipped. Not seen: `crate::Item` naming an item of the crate root (or one it
/// re-exports), and `#[path]` attributes.
fn module_graph(crate_dir: &Path) -> Edges {
    let src = crate_dir.join("src");
    let mut modules = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let dir_module = path.is_dir() && path.join("mod.rs").exists();
        let file_module = path.extension().is_some_and(|e| e == "rs") && name != "lib";
        if dir_module || (file_module && name != "main") {
            modules.insert(name);
        }
    }
    let mut graph = Edges::new();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    for file in files {
        let rel = file.strip_prefix(&src).unwrap();
        let mut parts: Vec<String> = rel
            .iter()
            .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
            .collect();
        if parts.last().is_some_and(|p| p == "mod") {
            parts.pop();
        }
        let Some(module) = parts.first().filter(|m| modules.contains(*m)).cloned() else {
            continue; // the crate root (lib.rs, main.rs) or a file outside any module
        };
        let text = std::fs::read_to_string(&file).unwrap();
        for (target, line) in sibling_references(&text, parts.len()) {
            if target != module && modules.contains(&target) {
                graph
                    .entry(module.clone())
                    .or_default()
                    .entry(target)
                    .or_insert_with(|| format!("{}:{line}", rel.display()));
            }
        }
        graph.entry(module).or_default();
    }
    graph
}

/// Tokens of Rust source with their line: identifiers (and numbers), `::`, and single
/// punctuation characters; comments, strings, characters and lifetimes dropped.
fn tokens(text: &str) -> Vec<(String, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let (mut out, mut i, mut line) = (Vec::new(), 0, 1);
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    line += usize::from(chars[i] == '\n');
                    i += 1;
                }
            }
        } else if c == '"' || ((c == 'r' || c == 'b') && matches!(at(i + 1), '"' | '#' | 'r')) {
            // A string, a byte string or a raw one (r"…", r#"…"#, br"…").
            let start = i;
            if c == 'b' {
                i += 1;
            }
            let raw = chars[i] == 'r';
            if raw {
                i += 1;
            }
            let mut hashes = 0;
            while at(i) == '#' {
                hashes += 1;
                i += 1;
            }
            if at(i) != '"' {
                // An identifier such as `r#type`, `b` or `br`: read it as one.
                i = start;
                let mut ident = String::new();
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    ident.push(chars[i]);
                    i += 1;
                }
                if ident.is_empty() {
                    i += 1;
                } else {
                    out.push((ident, line));
                }
                continue;
            }
            i += 1;
            loop {
                if i >= chars.len() {
                    break;
                }
                let d = chars[i];
                line += usize::from(d == '\n');
                if d == '\\' && !raw {
                    line += usize::from(at(i + 1) == '\n');
                    i += 2;
                } else if d == '"' && (i + 1..=i + hashes).all(|j| at(j) == '#') {
                    i += 1 + hashes;
                    break;
                } else {
                    i += 1;
                }
            }
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{1F600}') or a lifetime ('a).
            if at(i + 1) == '\\' {
                i += 3;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                i += 1;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
            }
        } else if c.is_alphanumeric() || c == '_' {
            let mut ident = String::new();
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                ident.push(chars[i]);
                i += 1;
            }
            out.push((ident, line));
        } else if c == ':' && at(i + 1) == ':' {
            out.push(("::".to_string(), line));
            i += 2;
        } else {
            out.push((c.to_string(), line));
            i += 1;
        }
    }
    out
}

/// The top-level modules named by paths in one file (with their lines), for a file whose
/// module sits `depth` levels under the crate root (`src/x.rs`: 1, `src/x/y.rs`: 2). Inline
/// `mod name { … }` blocks add a level, so a test's `use super::*` stays inside its module.
fn sibling_references(text: &str, depth: usize) -> Vec<(String, usize)> {
    let toks = tokens(text);
    let tok = |i: usize| toks.get(i).map(|t| t.0.as_str()).unwrap_or("");
    let mut out = Vec::new();
    let mut braces: Vec<bool> = Vec::new(); // per open brace: does it open an inline module?
    let mut i = 0;
    while i < toks.len() {
        let depth_here = depth + braces.iter().filter(|&&m| m).count();
        match tok(i) {
            "{" => braces.push(i >= 2 && tok(i - 2) == "mod"),
            "}" => {
                braces.pop();
            }
            "crate" if tok(i + 1) == "::" && tok(i.wrapping_sub(1)) != "::" => {
                out.extend(first_segments(&toks, i + 2));
            }
            "super" if tok(i + 1) == "::" && tok(i.wrapping_sub(1)) != "::" => {
                let mut j = i;
                let mut up = 0;
                while tok(j) == "super" && tok(j + 1) == "::" {
                    up += 1;
                    j += 2;
                }
                if up == depth_here {
                    out.extend(first_segments(&toks, j));
                }
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The first segment of the path starting at token `i`, or of each branch of a `{…}` group.
fn first_segments(toks: &[(String, usize)], i: usize) -> Vec<(String, usize)> {
    let Some((t, line)) = toks.get(i) else {
        return Vec::new();
    };
    if t != "{" {
        return vec![(t.clone(), *line)];
    }
    let mut out = Vec::new();
    let (mut level, mut expect) = (0, true);
    for (t, line) in &toks[i..] {
        match t.as_str() {
            "{" => {
                level += 1;
                expect = level == 1;
            }
            "}" => {
                level -= 1;
                if level == 0 {
                    break;
                }
            }
            "," if level == 1 => expect = true,
            _ if expect => {
                out.push((t.clone(), *line));
                expect = false;
            }
            _ => {}
        }
    }
    out
}

/// Every elementary cycle of the graph, each once (starting from its smallest module), capped.
fn cycles(graph: &Edges, cap: usize) -> Vec<Vec<String>> {
    fn walk(
        graph: &Edges,
        start: &str,
        path: &mut Vec<String>,
        out: &mut Vec<Vec<String>>,
        cap: usize,
    ) {
        let last = path.last().unwrap().clone();
        for next in graph.get(&last).into_iter().flat_map(|e| e.keys()) {
            if out.len() >= cap {
                return;
            }
            if next == start {
                out.push(path.clone());
            } else if next.as_str() > start && !path.contains(next) {
                path.push(next.clone());
                walk(graph, start, path, out, cap);
                path.pop();
            }
        }
    }
    let mut out = Vec::new();
    for start in graph.keys() {
        walk(graph, start, &mut vec![start.clone()], &mut out, cap);
    }
    out
}

/// Fails listing every cycle between the top-level modules of the crate in `crate_dir`
/// (relative to the repository root), with where each step of a cycle is written.
fn assert_no_module_cycles(crate_dir: &str) {
    const CAP: usize = 200;
    let graph = module_graph(&root().join(crate_dir));
    let found = cycles(&graph, CAP);
    let report: Vec<String> = found
        .iter()
        .map(|cycle| {
            let steps: Vec<String> = cycle
                .iter()
                .zip(cycle.iter().cycle().skip(1))
                .map(|(a, b)| format!("{a} → {b} ({})", graph[a][b]))
                .collect();
            format!("  {}", steps.join(", "))
        })
        .collect();
    assert!(
        found.is_empty(),
        "{crate_dir}: {}{} module cycle(s); move what the modules share into a lower module:\n{}",
        found.len(),
        if found.len() >= CAP { "+" } else { "" },
        report.join("\n")
    );
}

/// Issue 17 item 11: the window's capability grants the front end only what it calls — each
/// plugin permission is there because `ui/src` imports that plugin's JavaScript API (the
/// opener is used from Rust only, on files the app wrote, and needs no permission).
#[test]
fn the_window_is_granted_only_the_plugins_its_front_end_calls() {
    let root = root();
    let cap: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("src-tauri/capabilities/default.json")).unwrap(),
    )
    .unwrap();
    let mut ui = String::new();
    let mut dirs = vec![root.join("ui/src")];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "ts" || x == "tsx")
                && !p.to_string_lossy().contains(".test.")
            {
                ui.push_str(&std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    for perm in cap["permissions"].as_array().unwrap() {
        let perm = perm.as_str().unwrap();
        let plugin = perm.split(':').next().unwrap();
        if plugin == "core" {
            continue;
        }
        assert!(
            ui.contains(&format!("@tauri-apps/plugin-{plugin}")),
            "«{perm}» is granted but ui/src never imports @tauri-apps/plugin-{plugin}"
        );
    }
}
