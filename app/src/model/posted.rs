//! Reading a posted form, one way for the server's handlers and the browser's checks: each
//! form is a `Deserialize` struct of its named fields, a repeated name (a checkbox group,
//! several 客户) is a `Vec`, and an absent field keeps its default, so nothing typed is
//! refused for being absent before the checks say why.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

/// A form's body as posted (`application/x-www-form-urlencoded`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormBody(String);

impl FormBody {
    pub fn new(urlencoded: impl Into<String>) -> Self {
        Self(urlencoded.into())
    }

    /// The body of these name/value pairs, in their order.
    pub fn from_pairs<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> Self {
        let mut body = form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            body.append_pair(k.as_ref(), v.as_ref());
        }
        Self(body.finish())
    }

    /// The form as `T`. A body that does not fit `T` at all (a number field holding text)
    /// reads as `T`'s default: the checks then refuse what is missing.
    pub fn read<T: DeserializeOwned + Default>(&self) -> T {
        serde_html_form::from_str(&self.0).unwrap_or_default()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The button a form was sent with (`name="action"`: 保存, 提交审批, 查找客户 …).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Action {
    pub action: String,
}

/// The version a record's edit form was read at (its compare-and-set).
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(default)]
pub struct Versioned {
    pub version: i64,
}

/// Ids posted under one repeated name (ticked boxes, chosen 客户): blanks dropped, each id
/// once, in the order chosen (the first 客户 is the primary one).
pub fn distinct_ids<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let mut ids: Vec<String> = Vec::new();
    for id in Vec::<String>::deserialize(d)? {
        if !id.trim().is_empty() && !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(default)]
    struct Form {
        name: String,
        #[serde(rename = "id", deserialize_with = "distinct_ids")]
        ids: Vec<String>,
    }

    #[test]
    fn a_repeated_name_is_a_list_without_blanks_or_repeats() {
        let body = FormBody::from_pairs(&[
            ("name", "甲 & 乙"),
            ("id", "7"),
            ("id", ""),
            ("id", "3"),
            ("id", "7"),
        ]);
        let form: Form = body.read();
        assert_eq!(form.name, "甲 & 乙");
        assert_eq!(form.ids, ["7", "3"]);
    }

    #[test]
    fn one_value_of_a_list_is_a_list_of_one_and_absent_fields_keep_defaults() {
        assert_eq!(FormBody::new("id=5").read::<Form>().ids, ["5"]);
        assert_eq!(FormBody::new("other=1").read::<Form>(), Form::default());
    }

    /// No page posts one name twice unless it is a list: such a body is not half-read.
    #[test]
    fn a_body_that_does_not_fit_the_form_reads_as_its_default() {
        let form: Form = FormBody::new("name=a&name=b&id=1").read();
        assert_eq!(form, Form::default());
    }

    #[test]
    fn a_version_that_is_not_a_number_reads_as_none_read() {
        assert_eq!(FormBody::new("version=abc").read::<Versioned>().version, 0);
        assert_eq!(FormBody::new("version=12").read::<Versioned>().version, 12);
    }
}
