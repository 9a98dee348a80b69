//! 数据字典 as the 系统管理员 keeps it: one form for every change of an item (添加, rename and
//! order, 停用 / 启用), and its checks, the same in the browser and on the server.

use super::customer::{parse_text, FieldError};
use serde::{Deserialize, Serialize};

/// The dictionaries, by code, with their labels' keys.
pub const KINDS: [(&str, &str); 5] = [
    ("industry", "dict.kind.industry"),
    ("business_type", "dict.kind.business_type"),
    ("customer_level", "dict.kind.customer_level"),
    ("competitor", "dict.kind.competitor"),
    ("termination_reason", "dict.kind.termination_reason"),
];

/// The longest label: a dictionary item names a choice in a list.
pub const MAX_LABEL_CHARS: usize = 30;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DictForm {
    /// The dictionary's code (`industry` …).
    pub kind: String,
    /// `add`, `save` (rename and order), `disable` or `enable`.
    pub action: String,
    /// The item (not for `add`).
    pub id: String,
    pub label: String,
    pub sort_order: String,
}

/// A checked change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DictChange {
    Add {
        label: String,
        sort_order: i64,
    },
    Save {
        id: i64,
        label: String,
        sort_order: i64,
    },
    SetActive {
        id: i64,
        active: bool,
    },
}

impl DictForm {
    pub fn parse(&self) -> Result<DictChange, Vec<FieldError>> {
        let mut errors = Vec::new();
        let id = self.id.trim().parse::<i64>().ok();
        let mut text = || match parse_text(&self.label, MAX_LABEL_CHARS) {
            Ok(Some(label)) => Some(label),
            Ok(None) => {
                errors.push(FieldError::new("label", "field.required"));
                None
            }
            Err(key) => {
                errors.push(FieldError::new("label", key));
                None
            }
        };
        let label = matches!(self.action.as_str(), "add" | "save")
            .then(&mut text)
            .flatten();
        let sort_order = match self.sort_order.trim() {
            "" => Some(0),
            raw => raw.parse::<i64>().ok().filter(|n| (0..=9999).contains(n)),
        };
        if sort_order.is_none() && matches!(self.action.as_str(), "add" | "save") {
            errors.push(FieldError::new("sort_order", "dict.invalid_order"));
        }
        let change = match (self.action.as_str(), id, label, sort_order) {
            ("add", _, Some(label), Some(sort_order)) => {
                Some(DictChange::Add { label, sort_order })
            }
            ("save", Some(id), Some(label), Some(sort_order)) => Some(DictChange::Save {
                id,
                label,
                sort_order,
            }),
            ("disable", Some(id), _, _) => Some(DictChange::SetActive { id, active: false }),
            ("enable", Some(id), _, _) => Some(DictChange::SetActive { id, active: true }),
            _ => None,
        };
        match change {
            Some(change) if errors.is_empty() => Ok(change),
            _ => {
                if errors.is_empty() {
                    errors.push(FieldError::new("", "error.bad_request"));
                }
                Err(errors)
            }
        }
    }
}

/// One item as the page lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DictRow {
    pub id: i64,
    pub label: String,
    pub sort_order: i64,
    pub active: bool,
    /// The stable code of an item that carries behaviour: it keeps it whatever its label.
    pub code: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(action: &str, id: &str, label: &str, order: &str) -> DictForm {
        DictForm {
            kind: "industry".into(),
            action: action.into(),
            id: id.into(),
            label: label.into(),
            sort_order: order.into(),
        }
    }

    #[test]
    fn every_change_is_checked() {
        assert_eq!(
            form("add", "", " 能源 ", "").parse(),
            Ok(DictChange::Add {
                label: "能源".into(),
                sort_order: 0
            })
        );
        assert_eq!(
            form("save", "7", "能源电力", "3").parse(),
            Ok(DictChange::Save {
                id: 7,
                label: "能源电力".into(),
                sort_order: 3
            })
        );
        assert_eq!(
            form("disable", "7", "", "").parse(),
            Ok(DictChange::SetActive {
                id: 7,
                active: false
            })
        );
        let fields: Vec<String> = form("add", "", "", "x")
            .parse()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["label", "sort_order"]);
        assert_eq!(
            form("add", "", &"长".repeat(31), "1").parse().unwrap_err()[0].key,
            "field.too_long"
        );
        assert_eq!(
            form("drop", "7", "", "").parse().unwrap_err()[0].key,
            "error.bad_request"
        );
    }
}
