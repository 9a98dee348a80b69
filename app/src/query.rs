//! The page's query string, decoded once.
//!
//! leptos_router 0.8's `use_query_map` decodes every value a second time (its `ParamsMap`
//! unescapes what `query_pairs` / `URLSearchParams` already decoded; fixed upstream in 0.9,
//! leptos-rs/leptos#4731): a search for `%41` became one for `A`, and `%2500` became NUL. Pages
//! read their address through [`use_query`] instead, parsed from the raw query string.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The decoded pairs of a query string, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query(Vec<(String, String)>);

impl Query {
    /// Parses a raw query string (with or without its `?`).
    pub fn parse(raw: &str) -> Self {
        let raw = raw.strip_prefix('?').unwrap_or(raw);
        Query(
            form_urlencoded::parse(raw.as_bytes())
                .into_owned()
                .collect(),
        )
    }

    /// The last value of `key`, as a repeated key's last one wins in a form.
    pub fn get(&self, key: &str) -> Option<String> {
        self.get_str(key).map(str::to_owned)
    }

    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `key`, in order (a checkbox list); `None` when there is none.
    pub fn get_all(&self, key: &str) -> Option<Vec<String>> {
        let all: Vec<String> = self
            .0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect();
        (!all.is_empty()).then_some(all)
    }

    /// The pairs encoded again (without `?`), as a form body reads them.
    pub fn encoded(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&self.0)
            .finish()
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Query {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(pairs: I) -> Self {
        Query(
            pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}

/// The current page's query, following navigation.
pub fn use_query() -> Memo<Query> {
    let search = use_location().search;
    Memo::new(move |_| search.with(|raw| Query::parse(raw)))
}

#[cfg(test)]
mod tests {
    use super::Query;

    #[test]
    fn values_are_decoded_exactly_once() {
        let q = Query::parse("?q=%2541&n=%2500&s=%E7%9F%B3+%26&s=2");
        assert_eq!(q.get("q").as_deref(), Some("%41"));
        assert_eq!(q.get("n").as_deref(), Some("%00"));
        assert_eq!(q.get("s").as_deref(), Some("2"));
        assert_eq!(
            q.get_all("s"),
            Some(vec!["石 &".to_owned(), "2".to_owned()])
        );
        assert_eq!(q.get_all("none"), None);
        assert_eq!(Query::parse(&q.encoded()), q);
    }
}
