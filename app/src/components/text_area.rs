//! The one way to show a `<textarea>` with a value. Leptos 0.8 writes a textarea's children
//! into the server-rendered HTML unescaped, so stored text holding `</textarea><img onerror=…>`
//! would close the box and run as whoever views the page. Here the value is escaped by us and
//! given as the element's inner HTML: the browser's parser turns the entities back into the
//! text as typed, on the server-rendered page and when the page is built in the browser alike.

use leptos::prelude::*;

/// A multi-line text field holding `value`, shown exactly as typed.
#[component]
pub fn TextArea(
    /// The element's `id` (its label's `for`).
    id: &'static str,
    /// The form field's name.
    name: &'static str,
    /// Visible lines.
    rows: u32,
    /// The text the field holds.
    #[prop(into)]
    value: String,
    /// Shown, posted, but not changeable.
    #[prop(optional)]
    readonly: bool,
) -> impl IntoView {
    view! {
        <textarea id=id name=name rows=rows.to_string() readonly=readonly
            inner_html=textarea_html(&value)></textarea>
    }
}

/// `value` as the raw contents of a textarea: `&`, `<` and `>` as entities, so nothing in it
/// can end the element. The HTML parser drops one line break right after `<textarea>`, so a
/// value that starts with one gets an extra one on the server-rendered page (the browser's
/// inner-HTML parser drops none).
pub fn textarea_html(value: &str) -> String {
    let mut html = String::with_capacity(value.len() + 1);
    if cfg!(feature = "ssr") && value.starts_with('\n') {
        html.push('\n');
    }
    for c in value.chars() {
        match c {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            c => html.push(c),
        }
    }
    html
}

#[cfg(test)]
mod tests {
    use super::textarea_html;

    #[test]
    fn a_closing_tag_in_the_value_cannot_end_the_textarea() {
        let html = textarea_html("</textarea><img src=x onerror=alert(1)>");
        assert!(!html.contains('<'));
        assert_eq!(html, "&lt;/textarea&gt;&lt;img src=x onerror=alert(1)&gt;");
    }

    #[test]
    fn ampersands_stay_as_typed_after_parsing() {
        assert_eq!(textarea_html("A&amp;B"), "A&amp;amp;B");
    }

    /// Every `<textarea>` of the app is this component's (a value as a child would be
    /// written unescaped).
    #[test]
    fn no_page_writes_a_textarea_of_its_own() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut stack = vec![root];
        let mut found = Vec::new();
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs")
                    && !path.ends_with("components/text_area.rs")
                    && std::fs::read_to_string(&path)
                        .unwrap()
                        .contains("<textarea")
                {
                    found.push(path.display().to_string());
                }
            }
        }
        assert!(
            found.is_empty(),
            "use components::text_area::TextArea: {found:?}"
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn a_leading_line_break_survives_the_parser() {
        assert_eq!(textarea_html("\nx"), "\n\nx");
    }
}
