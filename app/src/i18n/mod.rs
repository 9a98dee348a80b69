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

    /// The language of this request (server) or page (browser).
    pub fn current() -> Self {
        #[cfg(feature = "ssr")]
        {
            use_context::<http::request::Parts>()
                .and_then(|parts| {
                    parts
                        .headers
                        .get_all(http::header::COOKIE)
                        .iter()
                        .filter_map(|v| v.to_str().ok())
                        .flat_map(|v| v.split(';'))
                        .filter_map(|pair| pair.trim().split_once('='))
                        .find(|(k, _)| *k == "lang")
                        .map(|(_, v)| Locale::from_code(v))
                })
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

    #[test]
    fn only_en_chooses_english() {
        assert_eq!(Locale::from_code("en"), Locale::En);
        assert_eq!(Locale::from_code("zh-CN"), Locale::Zh);
        assert_eq!(Locale::from_code("fr"), Locale::Zh);
    }
}
