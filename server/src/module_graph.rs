//! A test that keeps the server's files free of import circles: each file's `crate::…` and
//! `super::…` paths are edges to the file they name, and no set of files may reach itself.
//! (Test modules are left out: a test may use anything.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The module path of each source file below `src` (`db::customers` for `db/customers/mod.rs`).
fn modules(src: &Path) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    let mut dirs = vec![src.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("source folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path
                    .strip_prefix(src)
                    .expect("below src")
                    .with_extension("");
                let mut name = rel.to_string_lossy().replace('/', "::");
                if let Some(parent) = name.strip_suffix("::mod") {
                    name = parent.to_owned();
                }
                if name != "lib" && name != "main" {
                    let text = std::fs::read_to_string(&path).expect("source file");
                    found.insert(name, without_tests(&text).to_owned());
                }
            }
        }
    }
    found
}

fn without_tests(text: &str) -> &str {
    text.find("#[cfg(test)]\nmod tests")
        .map_or(text, |i| &text[..i])
}

/// The longest module of `modules` that `path` starts with.
fn file_of<'a>(modules: &'a BTreeMap<String, String>, path: &str) -> Option<&'a String> {
    let mut parts: Vec<&str> = path.split("::").collect();
    while !parts.is_empty() {
        if let Some((name, _)) = modules.get_key_value(&parts.join("::")) {
            return Some(name);
        }
        parts.pop();
    }
    None
}

/// The paths that follow `prefix` in `text` (`crate::db::Store` → `db::Store`).
fn paths_after<'t>(text: &'t str, prefix: &str) -> Vec<&'t str> {
    text.match_indices(prefix)
        .filter(|(i, _)| !text[..*i].ends_with(|c: char| c.is_alphanumeric() || c == '_'))
        .map(|(i, _)| {
            let rest = &text[i + prefix.len()..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(rest.len());
            rest[..end].trim_end_matches(':')
        })
        .collect()
}

fn edges(modules: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph = BTreeMap::new();
    for (name, text) in modules {
        let parent = name.rsplit_once("::").map(|(p, _)| p.to_owned());
        let mut targets = BTreeSet::new();
        for path in paths_after(text, "crate::") {
            targets.extend(file_of(modules, path).cloned());
        }
        for path in paths_after(text, "super::") {
            let full = match &parent {
                Some(p) => format!("{p}::{path}"),
                None => path.to_owned(),
            };
            targets.extend(file_of(modules, &full).cloned());
        }
        targets.remove(name);
        graph.insert(name.clone(), targets);
    }
    graph
}

/// A path from `from` back to itself, if there is one.
fn circle(graph: &BTreeMap<String, BTreeSet<String>>, from: &str) -> Option<Vec<String>> {
    let mut stack = vec![(from.to_owned(), vec![from.to_owned()])];
    let mut seen = BTreeSet::new();
    while let Some((at, path)) = stack.pop() {
        for next in graph.get(&at).into_iter().flatten() {
            if next == from {
                return Some(path.clone());
            }
            if seen.insert(next.clone()) {
                let mut longer = path.clone();
                longer.push(next.clone());
                stack.push((next.clone(), longer));
            }
        }
    }
    None
}

#[test]
fn no_file_of_the_server_imports_itself_through_others() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = edges(&modules(&src));
    assert!(graph.contains_key("db::sql") && graph["services::shares"].contains("db::shares"));
    let circles: Vec<Vec<String>> = graph.keys().filter_map(|m| circle(&graph, m)).collect();
    assert!(circles.is_empty(), "import circles: {circles:?}");
}
