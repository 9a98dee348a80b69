//! A person field filled by typing (负责人 filter, 共享给): a province has thousands of people,
//! too many to offer in a list, so the server looks up what was typed among those the field
//! may name and answers with whom it found.

use serde::{Deserialize, Serialize};

/// What a person field shows after a lookup.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonLookup {
    /// The text of the field: the name of the person found, or what was typed.
    pub text: String,
    /// The person found.
    pub chosen: Option<i64>,
    /// Why nobody was chosen (an i18n key): nobody matched, or several did.
    pub error: Option<String>,
    /// When several matched, the first of them to choose from: (id, 「name · unit · login」).
    pub candidates: Vec<(i64, String)>,
}

impl PersonLookup {
    /// Whether the text named nobody in particular (a filter on it finds nothing).
    pub fn unresolved(&self) -> bool {
        self.error.is_some()
    }
}
