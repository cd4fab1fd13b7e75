//! The crate's modules form a tree: no module reaches, through its
//! `crate::` references, back to itself. The same check is run on the
//! session crate, so that a cycle introduced there fails too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Module name (`crate`, `frame`, `driver::tokio`) to the modules its
/// `crate::` references name.
type Graph = BTreeMap<String, BTreeSet<String>>;

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module a file under `src` defines: `lib.rs` is `crate`, `a/mod.rs`
/// and `a.rs` are `a`, `a/b.rs` is `a::b`.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    match parts.as_slice() {
        [only] if only == "lib" || only == "main" => "crate".to_owned(),
        _ => parts.join("::"),
    }
}

/// `text` without comments (doc links are not dependencies) and without
/// the contents of string literals.
fn code_of(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '"' => {
                let mut escaped = false;
                for c in chars.by_ref() {
                    if c == '"' && !escaped {
                        break;
                    }
                    escaped = c == '\\' && !escaped;
                }
                out.push_str("\"\"");
            }
            c => out.push(c),
        }
    }
    out
}

/// The paths after each `crate::` in `code`, use-tree groups expanded:
/// `crate::{a::B, c}` gives `a::B` and `c`.
fn crate_paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let mut from = 0;
    while let Some(i) = code[from..].find("crate::") {
        let at = from + i;
        from = at + "crate::".len();
        let before = at.checked_sub(1).map(|j| bytes[j]);
        if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_') {
            continue;
        }
        let (paths, _) = use_tree(code, from);
        out.extend(paths);
    }
    out
}

/// Parses a use tree (or a path) starting at `at`: the full paths it names
/// and where it ends.
fn use_tree(code: &str, mut at: usize) -> (Vec<String>, usize) {
    let bytes = code.as_bytes();
    let skip_ws = |mut i: usize| {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    let mut prefix = String::new();
    loop {
        at = skip_ws(at);
        if bytes.get(at) == Some(&b'{') {
            let mut paths = Vec::new();
            at += 1;
            loop {
                at = skip_ws(at);
                match bytes.get(at) {
                    Some(b'}') | None => return (paths, at + 1),
                    Some(b',') => at += 1,
                    _ => {
                        let (inner, end) = use_tree(code, at);
                        paths.extend(inner.into_iter().map(|p| join(&prefix, &p)));
                        at = end;
                    }
                }
            }
        }
        let start = at;
        while at < bytes.len() && (bytes[at].is_ascii_alphanumeric() || bytes[at] == b'_') {
            at += 1;
        }
        let ident = &code[start..at];
        prefix = join(&prefix, ident);
        if code[at..].starts_with("::") {
            at += 2;
        } else {
            return (vec![prefix], at);
        }
    }
}

fn join(prefix: &str, ident: &str) -> String {
    match (prefix.is_empty(), ident.is_empty()) {
        (true, _) => ident.to_owned(),
        (_, true) => prefix.to_owned(),
        _ => format!("{prefix}::{ident}"),
    }
}

/// The names the crate root re-exports, and the module each comes from:
/// `pub use frame::{A, B};` maps `A` and `B` to `frame`.
fn root_exports(root_code: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut from = 0;
    while let Some(i) = root_code[from..].find("pub use ") {
        let at = from + i + "pub use ".len();
        from = at;
        let (paths, _) = use_tree(root_code, at);
        for p in paths {
            if let Some((module, name)) = p.rsplit_once("::") {
                let module = module.split("::").next().unwrap_or(module);
                out.insert(name.to_owned(), module.to_owned());
            }
        }
    }
    out
}

/// The module graph of the crate whose sources are under `src`.
fn module_graph(src: &Path) -> Graph {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let code: BTreeMap<String, String> = files
        .iter()
        .map(|f| (module_of(src, f), code_of(&fs::read_to_string(f).unwrap())))
        .collect();
    let modules: BTreeSet<&String> = code.keys().collect();
    let exports = code
        .get("crate")
        .map(|c| root_exports(c))
        .unwrap_or_default();
    let mut graph = Graph::new();
    for (module, text) in &code {
        let edges = graph.entry(module.clone()).or_default();
        for path in crate_paths(text) {
            // The longest prefix of the path that is a module; a name the
            // root re-exports counts as the module it comes from.
            let segments: Vec<&str> = path.split("::").collect();
            let target = (1..=segments.len())
                .rev()
                .map(|n| segments[..n].join("::"))
                .find(|p| modules.contains(p))
                .or_else(|| exports.get(segments[0]).cloned())
                .unwrap_or_else(|| "crate".to_owned());
            if &target != module {
                edges.insert(target);
            }
        }
    }
    graph
}

/// Every cycle of `graph`, each as the modules along it, first repeated at
/// the end; one per strongly connected component.
fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let mut seen_in_cycle = BTreeSet::new();
    for start in graph.keys() {
        if seen_in_cycle.contains(start) {
            continue;
        }
        // Breadth-first search for the shortest way back to `start`.
        let mut parent: BTreeMap<&String, &String> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([start]);
        let mut back = None;
        while let Some(m) = queue.pop_front() {
            for next in graph.get(m).into_iter().flatten() {
                if next == start {
                    back = Some(m);
                    break;
                }
                if !parent.contains_key(next) && next != start {
                    parent.insert(next, m);
                    queue.push_back(next);
                }
            }
            if back.is_some() {
                break;
            }
        }
        if let Some(mut m) = back {
            let mut path = vec![m.clone()];
            while m != start {
                m = parent[m];
                path.push(m.clone());
            }
            path.reverse();
            path.push(start.clone());
            seen_in_cycle.extend(path.iter().cloned());
            found.push(path);
        }
    }
    found
}

/// The cycles of the module graph of the crate under `src`, each rendered
/// as `a -> b -> a`.
pub fn module_cycles(src: &Path) -> Vec<String> {
    cycles(&module_graph(src))
        .into_iter()
        .map(|c| c.join(" -> "))
        .collect()
}

fn crate_src(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(name)
        .join("src")
}

#[test]
fn proto_modules_form_a_tree() {
    let cycles = module_cycles(&crate_src("proto"));
    assert!(cycles.is_empty(), "module cycles: {cycles:#?}");
}

#[test]
fn session_modules_form_a_tree() {
    let src = crate_src("session");
    assert!(src.exists(), "no session crate at {}", src.display());
    let cycles = module_cycles(&src);
    assert!(
        cycles.is_empty(),
        "cellftp-session module cycles: {cycles:#?}"
    );
}

#[test]
fn any_crate_on_demand() {
    // `CELLFTP_MODULES_SRC=<dir> cargo test -p cellftp-proto --test modules
    // -- --nocapture` lists the cycles of the crate under `<dir>`.
    if let Some(src) = std::env::var_os("CELLFTP_MODULES_SRC") {
        for cycle in module_cycles(Path::new(&src)) {
            println!("module cycle: {cycle}");
        }
    }
}

#[test]
fn the_checker_finds_a_cycle() {
    let dir = std::env::temp_dir().join(format!("cellftp-modules-{}", std::process::id()));
    fs::create_dir_all(dir.join("d")).unwrap();
    fs::write(dir.join("lib.rs"), "mod a; mod b; mod d;\npub use a::A;\n").unwrap();
    fs::write(dir.join("a.rs"), "use crate::{b::B, d::e};\n// crate::c\n").unwrap();
    fs::write(dir.join("b.rs"), "fn f() -> crate::A { todo!() }\n").unwrap();
    fs::write(dir.join("d/mod.rs"), "").unwrap();
    fs::write(dir.join("d/e.rs"), "use crate::d;\n").unwrap();
    let cycles = module_cycles(&dir);
    fs::remove_dir_all(&dir).unwrap();
    assert_eq!(cycles, ["a -> b -> a"]);
}
