//! The UI's words in Chinese (the labels users are trained on) and English. Pages look labels
//! up by key with [`t`]; a new page adds rows to [`table::TEXTS`], not code.
//!
//! The language is chosen by the `lang` cookie (set by `POST /lang`), read on the server from
//! the request and in the browser from `<html lang>`, so both render the same words.

mod table;

use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    #[default]
    Zh,
    En,
}

impl Locale {
    /// The cookie that keeps the chosen language.
    pub const COOKIE: &'static str = "lang";

    /// The value of `<html lang>` and of the `lang` cookie.
    pub fn code(self) -> &'static str {
        match self {
            Locale::Zh => "zh-CN",
            Locale::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Self {
        if code.trim().eq_ignore_ascii_case("en") {
            Locale::En
        } else {
            Locale::Zh
        }
    }

    /// The language a request's `lang` cookie asks for (Chinese without one).
    #[cfg(feature = "ssr")]
    pub fn from_headers(headers: &http::HeaderMap) -> Self {
        axum_extra::extract::CookieJar::from_headers(headers)
            .get(Self::COOKIE)
            .map(|c| Locale::from_code(c.value()))
            .unwrap_or_default()
    }

    /// The language of this request (server) or page (browser).
    pub fn current() -> Self {
        #[cfg(feature = "ssr")]
        {
            use_context::<http::request::Parts>()
                .map(|parts| Self::from_headers(&parts.headers))
                .unwrap_or_default()
        }
        #[cfg(not(feature = "ssr"))]
        {
            document()
                .document_element()
                .and_then(|html| html.get_attribute("lang"))
                .map(|code| Locale::from_code(&code))
                .unwrap_or_default()
        }
    }
}

/// The text of `key` in `locale`; the key itself when missing, so a gap shows and is caught by
/// the table's test.
pub fn tr(locale: Locale, key: &str) -> &'static str {
    match table::TEXTS.iter().find(|(k, _, _)| *k == key) {
        Some((_, zh, en)) => match locale {
            Locale::Zh => zh,
            Locale::En => en,
        },
        None => {
            leptos::logging::warn!("missing translation: {key}");
            table::MISSING
        }
    }
}

/// The text of `key` in the page's language (from context; see [`provide_locale`]).
pub fn t(key: &str) -> &'static str {
    tr(use_locale(), key)
}

/// Puts the language of this request into context, for [`t`].
pub fn provide_locale() -> Locale {
    let locale = Locale::current();
    provide_context(locale);
    locale
}

pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_unique_and_has_both_languages() {
        let mut keys: Vec<_> = table::TEXTS.iter().map(|(k, _, _)| *k).collect();
        keys.sort();
        let before = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), before, "duplicate keys");
        for (key, zh, en) in table::TEXTS {
            assert!(
                !zh.is_empty() && !en.is_empty(),
                "{key} lacks a translation"
            );
        }
    }

    #[test]
    fn the_chinese_labels_are_the_manuals() {
        assert_eq!(tr(Locale::Zh, "login.submit"), "登录");
        assert_eq!(tr(Locale::En, "login.submit"), "Log in");
        assert_eq!(tr(Locale::Zh, "menu.admin"), "系统管理");
    }

    #[test]
    fn every_key_the_code_asks_for_exists() {
        use crate::model::customer::{
            parse_email, parse_phone, parse_url, CustomerKind, CustomerName,
        };
        use crate::model::{AppError, LoginFailure, MenuItem};
        let exists = |key: &str| table::TEXTS.iter().any(|(k, _, _)| *k == key);
        for item in MenuItem::ALL {
            assert!(exists(item.label_key()), "{}", item.label_key());
        }
        for failure in LoginFailure::ALL {
            let key = format!("login.error.{}", failure.code());
            assert!(exists(&key), "{key}");
        }
        let errors = [
            AppError::Forbidden,
            AppError::Unauthenticated,
            AppError::NotFound,
            AppError::Internal,
            AppError::Transport(String::new()),
            AppError::BadRequest,
            AppError::CrossSite,
            AppError::PasswordChangeRequired,
            AppError::Field {
                field: String::new(),
                message: String::new(),
            },
        ];
        for e in errors {
            assert!(exists(e.message_key()), "{}", e.message_key());
        }
        for kind in [CustomerKind::Potential, CustomerKind::Transaction] {
            assert!(exists(kind.label_key()), "{}", kind.label_key());
        }
        {
            use crate::model::opportunity::*;
            let keys = Status::ALL
                .iter()
                .map(|v| v.label_key())
                .chain(Flow::ALL.iter().map(|v| v.label_key()))
                .chain(Stage::ALL.iter().map(|v| v.label_key()))
                .chain(Decision::ALL.iter().map(|v| v.label_key()))
                .chain(RecordKind::ALL.iter().map(|v| v.label_key()))
                .chain(Level::ALL.iter().map(|v| v.label_key()))
                .chain(TaskKind::ALL.iter().map(|v| v.label_key()))
                .chain(MessageKind::ALL.iter().map(|v| v.label_key()))
                .chain([Fen::parse_yuan("x").unwrap_err()]);
            for key in keys {
                assert!(exists(key), "{key}");
            }
        }
        let refusals = [
            CustomerName::parse("").unwrap_err(),
            CustomerName::parse(&"x".repeat(101)).unwrap_err(),
            parse_phone("x").unwrap_err(),
            parse_email("x").unwrap_err(),
            parse_url("x y").unwrap_err(),
        ];
        for key in refusals {
            assert!(exists(key), "{key}");
        }
    }

    /// Every quoted `area.word…` literal in the sources whose area the table knows must be a
    /// key of the table: a key typed wrong or never added shows up here, not as 「？」.
    #[test]
    fn every_key_literal_in_the_sources_exists() {
        use std::collections::BTreeSet;
        let areas: BTreeSet<&str> = table::TEXTS
            .iter()
            .filter_map(|(k, _, _)| k.split('.').next())
            .collect();
        // A prefix of keys (`coded!`'s `keys "opportunity.tab"`) counts as known.
        let exists = |key: &str| {
            table::TEXTS.iter().any(|(k, _, _)| {
                *k == key
                    || k.strip_prefix(key)
                        .is_some_and(|rest| rest.starts_with('.'))
            })
        };
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut missing = Vec::new();
        for dir in [root.join("src"), root.join("../server/src")] {
            let mut stack = vec![dir];
            while let Some(dir) = stack.pop() {
                for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                    let path = entry.path();
                    if path.is_dir() {
                        stack.push(path);
                    } else if path.extension().is_some_and(|e| e == "rs") {
                        let text = std::fs::read_to_string(&path).unwrap();
                        for literal in text.split('"').skip(1).step_by(2) {
                            let looks_like_key = literal.contains('.')
                                && literal.split('.').all(|w| {
                                    !w.is_empty()
                                        && w.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
                                });
                            let area = literal.split('.').next().unwrap_or_default();
                            if looks_like_key && areas.contains(area) && !exists(literal) {
                                missing.push(format!("{}: {literal}", path.display()));
                            }
                        }
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "keys missing from the table: {missing:#?}"
        );
    }

    #[test]
    fn only_en_chooses_english() {
        assert_eq!(Locale::from_code("en"), Locale::En);
        assert_eq!(Locale::from_code("zh-CN"), Locale::Zh);
        assert_eq!(Locale::from_code("fr"), Locale::Zh);
    }
}
