//! The crate's modules form a tree: no module reaches, through the paths
//! it names, back to itself. The same check is run on the session crate,
//! so that a cycle introduced there fails too.
//!
//! Every path counts, in `use` declarations and inline: `crate::`,
//! `super::` (as often as it is repeated), `self::`, a child module's name,
//! and a name a `use` brought into scope. A name a module re-exports counts
//! as the module it comes from, so that a parent that re-exports its
//! children and children that use each other through it form no cycle,
//! while a child that uses what its parent defines, and a parent that uses
//! the child, do.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Module name (`crate`, `frame`, `driver::tokio`) to the modules the paths
/// in its file name.
type Graph = BTreeMap<String, BTreeSet<String>>;

/// A module path, from the crate root: `[]` is the root, `["a", "b"]` is
/// `a::b`. Inline modules (`mod tests { … }`) are part of it where a path
/// is resolved.
type ModPath = Vec<String>;

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

/// The module a file under `src` defines: `lib.rs` is the root, `a/mod.rs`
/// and `a.rs` are `a`, `a/b.rs` is `a::b`.
fn module_of(src: &Path, file: &Path) -> ModPath {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    match parts.as_slice() {
        [only] if only == "lib" || only == "main" => Vec::new(),
        _ => parts,
    }
}

/// How a module is named in the graph and in messages.
fn show(path: &[String]) -> String {
    if path.is_empty() {
        "crate".to_owned()
    } else {
        path.join("::")
    }
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// `text` without comments (doc links are not dependencies) and with the
/// contents of string and character literals removed, so that neither
/// their words nor their braces are read as code.
fn code_of(text: &str) -> String {
    let s: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        let next = s.get(i + 1).copied();
        let after_ident = i > 0 && is_ident(s[i - 1]);
        match c {
            '/' if next == Some('/') => {
                while i < s.len() && s[i] != '\n' {
                    i += 1;
                }
            }
            '/' if next == Some('*') => {
                let mut depth = 0;
                while i < s.len() {
                    if s[i] == '/' && s.get(i + 1) == Some(&'*') {
                        depth += 1;
                        i += 2;
                    } else if s[i] == '*' && s.get(i + 1) == Some(&'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                out.push(' ');
            }
            // Raw strings: `r"…"`, `r#"…"#`, `br#"…"#`.
            'r' if !after_ident || (s[i - 1] == 'b' && (i < 2 || !is_ident(s[i - 2]))) => {
                let mut j = i + 1;
                while s.get(j) == Some(&'#') {
                    j += 1;
                }
                if s.get(j) != Some(&'"') {
                    out.push(c);
                    i += 1;
                    continue;
                }
                let hashes = j - i - 1;
                j += 1;
                loop {
                    match s.get(j) {
                        None => break,
                        Some('"') if (1..=hashes).all(|k| s.get(j + k) == Some(&'#')) => {
                            j += 1 + hashes;
                            break;
                        }
                        Some(_) => j += 1,
                    }
                }
                out.push_str("\"\"");
                i = j;
                continue;
            }
            '"' => {
                i += 1;
                while i < s.len() {
                    match s[i] {
                        '\\' => i += 2,
                        '"' => break,
                        _ => i += 1,
                    }
                }
                out.push_str("\"\"");
            }
            // A character literal (`'{'`, `'\''`, `'\u{7f}'`); a lifetime
            // (`'a`) is left as it is.
            '\'' if next == Some('\\') => {
                // The quote, the backslash and the escaped character.
                i += 3;
                while i < s.len() && s[i] != '\'' {
                    i += 1;
                }
                out.push_str("' '");
            }
            '\'' if s.get(i + 2) == Some(&'\'') => {
                i += 2;
                out.push_str("' '");
            }
            c => out.push(c),
        }
        i += 1;
    }
    out
}

/// One path of a `use` tree, and the name it brings into scope (`None` for
/// a glob).
struct UsePath {
    path: Vec<String>,
    binds: Option<String>,
}

/// Parses the use tree starting at `at`: its paths, and where it ends.
fn use_tree(s: &[char], mut at: usize, prefix: &[String], out: &mut Vec<UsePath>) -> usize {
    let skip_ws = |mut i: usize| {
        while i < s.len() && s[i].is_whitespace() {
            i += 1;
        }
        i
    };
    let mut path = prefix.to_vec();
    loop {
        at = skip_ws(at);
        match s.get(at) {
            Some('{') => {
                at += 1;
                loop {
                    at = skip_ws(at);
                    match s.get(at) {
                        Some('}') | None => return at + 1,
                        Some(',') => at += 1,
                        _ => at = use_tree(s, at, &path, out),
                    }
                }
            }
            Some('*') => {
                out.push(UsePath { path, binds: None });
                return at + 1;
            }
            _ => {}
        }
        let start = at;
        while at < s.len() && (is_ident(s[at]) || s[at] == '$') {
            at += 1;
        }
        let ident: String = s[start..at].iter().collect();
        if ident.is_empty() {
            return at.max(start + 1);
        }
        if s.get(at) == Some(&':') && s.get(at + 1) == Some(&':') {
            path.push(ident);
            at += 2;
            continue;
        }
        // The last segment: `self` names the path so far; `as` renames.
        let mut binds = ident.clone();
        if ident == "self" {
            binds = path.last().cloned().unwrap_or_default();
        } else {
            path.push(ident);
        }
        let after = skip_ws(at);
        if s[after..].starts_with(&['a', 's'])
            && s.get(after + 2).is_some_and(|c| c.is_whitespace())
        {
            let name_start = skip_ws(after + 2);
            let mut end = name_start;
            while end < s.len() && is_ident(s[end]) {
                end += 1;
            }
            binds = s[name_start..end].iter().collect();
            at = end;
        }
        out.push(UsePath {
            path,
            binds: Some(binds),
        });
        return at;
    }
}

/// What a file says that matters here: where it names paths, and what its
/// `use` declarations bring into scope.
#[derive(Default)]
struct Scanned {
    /// Every path, with the (inline) module it is written in.
    paths: Vec<(ModPath, Vec<String>)>,
    /// Per (inline) module, the names its `use` declarations bind and
    /// their paths as written.
    binds: BTreeMap<ModPath, BTreeMap<String, Vec<String>>>,
    /// Per (inline) module, the paths it glob-imports (`use super::*`).
    globs: BTreeMap<ModPath, Vec<Vec<String>>>,
}

/// Reads the paths and `use` declarations of the file of module `module`.
fn scan(module: &ModPath, code: &str) -> Scanned {
    let s: Vec<char> = code.chars().collect();
    let mut out = Scanned::default();
    // The inline modules around the position, with the brace depth inside
    // each.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let context = |inline: &[(String, usize)]| {
        let mut c = module.clone();
        c.extend(inline.iter().map(|(n, _)| n.clone()));
        c
    };
    let mut pending_mod: Option<String> = None;
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c == '{' {
            depth += 1;
            if let Some(name) = pending_mod.take() {
                inline.push((name, depth));
            }
            i += 1;
            continue;
        }
        if c == '}' {
            if inline.last().is_some_and(|(_, d)| *d == depth) {
                inline.pop();
            }
            depth = depth.saturating_sub(1);
            i += 1;
            continue;
        }
        if c == ';' {
            pending_mod = None;
        }
        let starts_ident = (is_ident(c) || c == '$') && (i == 0 || !is_ident(s[i - 1]));
        if !starts_ident {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        while end < s.len() && is_ident(s[end]) {
            end += 1;
        }
        let ident: String = s[start..end].iter().collect();
        // Preceded by `::` (after spaces): the rest of a path already read.
        let mut back = start;
        while back > 0 && s[back - 1].is_whitespace() {
            back -= 1;
        }
        let continues = back >= 2 && s[back - 1] == ':' && s[back - 2] == ':';
        match ident.as_str() {
            "mod" => {
                let mut j = end;
                while j < s.len() && s[j].is_whitespace() {
                    j += 1;
                }
                let name_start = j;
                while j < s.len() && is_ident(s[j]) {
                    j += 1;
                }
                pending_mod = Some(s[name_start..j].iter().collect());
                i = j;
            }
            "use" if !continues => {
                let mut used = Vec::new();
                let at = use_tree(&s, end, &[], &mut used);
                let here = context(&inline);
                for u in used {
                    match u.binds {
                        Some(name) if name != "_" => {
                            out.binds
                                .entry(here.clone())
                                .or_default()
                                .insert(name, u.path.clone());
                        }
                        Some(_) => {}
                        None => out
                            .globs
                            .entry(here.clone())
                            .or_default()
                            .push(u.path.clone()),
                    }
                    out.paths.push((here.clone(), u.path));
                }
                i = at;
            }
            _ if !continues && s.get(end) == Some(&':') && s.get(end + 1) == Some(&':') => {
                // A path: its segments up to the first that is not a name.
                let mut segments = vec![ident];
                let mut j = end;
                while s.get(j) == Some(&':') && s.get(j + 1) == Some(&':') {
                    let seg_start = j + 2;
                    let mut k = seg_start;
                    while k < s.len() && is_ident(s[k]) {
                        k += 1;
                    }
                    if k == seg_start {
                        break;
                    }
                    segments.push(s[seg_start..k].iter().collect());
                    j = k;
                }
                out.paths.push((context(&inline), segments));
                i = j;
            }
            _ => i = end,
        }
    }
    out
}

/// The crate under `src`: its file modules and what each file says.
struct Crate {
    modules: BTreeSet<ModPath>,
    binds: BTreeMap<ModPath, BTreeMap<String, Vec<String>>>,
    globs: BTreeMap<ModPath, Vec<Vec<String>>>,
}

impl Crate {
    /// The absolute path `path`, written in (inline) module `context`,
    /// stands for; `None` for a path outside the crate (`core::`, a
    /// dependency's, `Self::`, a type's associated item).
    fn absolute(&self, context: &[String], path: &[String], depth: usize) -> Option<Vec<String>> {
        if depth > 16 {
            return None;
        }
        let (first, rest) = path.split_first()?;
        match first.as_str() {
            "crate" | "$crate" => Some(rest.to_vec()),
            "self" => Some([context, rest].concat()),
            "super" => {
                let mut base = context.to_vec();
                let mut rest = path;
                while let Some((s, r)) = rest.split_first() {
                    if s != "super" {
                        break;
                    }
                    base.pop()?;
                    rest = r;
                }
                Some([&base[..], rest].concat())
            }
            _ => {
                let child = [context, std::slice::from_ref(first)].concat();
                if self.modules.contains(&child) {
                    return Some([context, path].concat());
                }
                // A name a `use` of this module (or of one it glob-imports)
                // brought into scope.
                if let Some(target) = self.binds.get(context).and_then(|b| b.get(first)) {
                    let base = self.absolute(context, target, depth + 1)?;
                    return Some([&base[..], rest].concat());
                }
                for glob in self.globs.get(context).into_iter().flatten() {
                    let Some(source) = self.absolute(context, glob, depth + 1) else {
                        continue;
                    };
                    let child = [&source[..], std::slice::from_ref(first)].concat();
                    if self.modules.contains(&child) {
                        return Some([&source[..], path].concat());
                    }
                    if let Some(target) = self.binds.get(&source).and_then(|b| b.get(first)) {
                        let base = self.absolute(&source, target, depth + 1)?;
                        return Some([&base[..], rest].concat());
                    }
                }
                None
            }
        }
    }

    /// The file module an absolute path lands in: its longest prefix that
    /// is a module, or, for a name that module re-exports, the module the
    /// name comes from.
    fn target(&self, path: &[String], depth: usize) -> ModPath {
        let n = (0..=path.len())
            .rev()
            .find(|&n| self.modules.contains(&path[..n]))
            .unwrap_or(0);
        let module = path[..n].to_vec();
        if depth < 16 {
            if let Some(name) = path.get(n) {
                if let Some(used) = self.binds.get(&module).and_then(|b| b.get(name)) {
                    if let Some(base) = self.absolute(&module, used, depth + 1) {
                        return self.target(&[&base[..], &path[n + 1..]].concat(), depth + 1);
                    }
                }
            }
        }
        module
    }
}

/// The module graph of the crate whose sources are under `src`.
fn module_graph(src: &Path) -> Graph {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let scanned: Vec<(ModPath, Scanned)> = files
        .iter()
        .map(|f| {
            let module = module_of(src, f);
            let code = code_of(&fs::read_to_string(f).unwrap());
            let scanned = scan(&module, &code);
            (module, scanned)
        })
        .collect();
    let mut krate = Crate {
        modules: scanned.iter().map(|(m, _)| m.clone()).collect(),
        binds: BTreeMap::new(),
        globs: BTreeMap::new(),
    };
    for (_, s) in &scanned {
        for (context, binds) in &s.binds {
            krate
                .binds
                .entry(context.clone())
                .or_default()
                .extend(binds.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        for (context, globs) in &s.globs {
            krate
                .globs
                .entry(context.clone())
                .or_default()
                .extend(globs.iter().cloned());
        }
    }
    let mut graph = Graph::new();
    for (module, s) in &scanned {
        let edges = graph.entry(show(module)).or_default();
        for (context, path) in &s.paths {
            let Some(absolute) = krate.absolute(context, path, 0) else {
                continue;
            };
            let target = krate.target(&absolute, 0);
            if &target != module {
                edges.insert(show(&target));
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
    // -- --nocapture` lists the modules of the crate under `<dir>`, what
    // each uses, and the cycles.
    if let Some(src) = std::env::var_os("CELLFTP_MODULES_SRC") {
        for (module, uses) in module_graph(Path::new(&src)) {
            let uses: Vec<&str> = uses.iter().map(String::as_str).collect();
            println!("{module} -> {}", uses.join(", "));
        }
        for cycle in module_cycles(Path::new(&src)) {
            println!("module cycle: {cycle}");
        }
    }
}

/// A crate written into a fresh temporary directory, removed on drop.
struct Fixture(PathBuf);

impl Fixture {
    fn new(name: &str, files: &[(&str, &str)]) -> Self {
        let dir =
            std::env::temp_dir().join(format!("cellftp-modules-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        for (path, text) in files {
            let path = dir.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        Self(dir)
    }

    fn cycles(&self) -> Vec<String> {
        module_cycles(&self.0)
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

#[test]
fn the_checker_finds_a_cycle() {
    let crate_paths = Fixture::new(
        "crate",
        &[
            ("lib.rs", "mod a; mod b; mod d;\npub use a::A;\n"),
            ("a.rs", "use crate::{b::B, d::e};\n// crate::c\n"),
            ("b.rs", "fn f() -> crate::A { todo!() }\n"),
            ("d/mod.rs", ""),
            ("d/e.rs", "use crate::d;\n"),
        ],
    );
    assert_eq!(crate_paths.cycles(), ["a -> b -> a"]);
}

#[test]
fn the_checker_follows_super_self_and_child_paths() {
    // `s::g` uses `s::r` through `super::`, `s::r` uses `s::g` inline
    // through `super::`: the cycle the checker once missed.
    let sibling = Fixture::new(
        "sibling",
        &[
            ("lib.rs", "mod s;\n"),
            ("s/mod.rs", "mod g;\nmod r;\n"),
            ("s/g.rs", "use super::r::{Field, Fields};\n"),
            (
                "s/r.rs",
                "pub struct Fields;\nfn next() { super::g::next_field(b\"}\"); }\n",
            ),
        ],
    );
    assert_eq!(sibling.cycles(), ["s::g -> s::r -> s::g"]);

    // A child using what its parent defines, the parent using the child by
    // its name, inline: a cycle. `self::` and `super::super::` too.
    let parent = Fixture::new(
        "parent",
        &[
            ("lib.rs", "mod p;\nmod q;\n"),
            ("p/mod.rs", "mod c;\npub struct Shared;\nfn f() { c::run(); }\n"),
            ("p/c.rs", "pub fn run() -> super::Shared { todo!() }\n"),
            ("q/mod.rs", "mod x;\nmod y;\n"),
            ("q/x.rs", "use self::inner::Z;\nmod inner { pub struct Z; }\nfn g() { super::super::p::Shared; }\n"),
            ("q/y.rs", ""),
        ],
    );
    assert_eq!(parent.cycles(), ["p -> p::c -> p"]);

    // What a parent re-exports counts as where it comes from; a test module's
    // `use super::*` is its own file; literals and comments are not code.
    let facade = Fixture::new(
        "facade",
        &[
            ("lib.rs", "mod s;\n"),
            ("s/mod.rs", "mod a;\nmod b;\npub use a::A;\npub use b::B;\n"),
            ("s/a.rs", "pub struct A;\nfn f(_: super::B) {}\n#[cfg(test)]\nmod tests { use super::*; fn g() -> A { A } }\n"),
            (
                "s/b.rs",
                "pub struct B;\nconst C: char = '{';\nconst S: &str = r#\"super::a::A\"#;\n/* super::a::A */\n",
            ),
        ],
    );
    assert_eq!(facade.cycles(), Vec::<String>::new());
    let facade_cycle = Fixture::new(
        "facade-cycle",
        &[
            ("lib.rs", "mod s;\n"),
            ("s/mod.rs", "mod a;\nmod b;\npub use a::A;\npub use b::B;\n"),
            ("s/a.rs", "pub struct A;\nfn f(_: super::B) {}\n"),
            ("s/b.rs", "use super::A as Renamed;\npub struct B;\n"),
        ],
    );
    assert_eq!(facade_cycle.cycles(), ["s::a -> s::b -> s::a"]);
}
