//! Where a form may send the browser next: only a path on this site (no open redirect).

/// `target` when it is a path on this site, `/` otherwise. A browser treats `//host`, `/\host`
/// and a path with a tab or line break in it (which it strips) as another site, so only a path
/// that starts with one `/`, has no second `/` right after it, no backslash and no control
/// character is kept.
pub fn local_path(target: &str) -> &str {
    let mut chars = target.chars();
    let local = chars.next() == Some('/')
        && chars.next() != Some('/')
        && !target.chars().any(|c| c == '\\' || c.is_control());
    if local {
        target
    } else {
        "/"
    }
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn a_path_on_this_site_is_kept() {
        assert_eq!(local_path("/customers?x=1"), "/customers?x=1");
        assert_eq!(local_path("/"), "/");
    }

    #[test]
    fn another_site_in_any_disguise_goes_home() {
        for target in [
            "",
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/%09/evil.example\t",
            "/\n/evil.example",
            "/a\\b",
            "https://evil.example",
            "evil.example",
            " /x",
        ] {
            assert_eq!(local_path(target), "/", "{target:?}");
        }
    }
}
