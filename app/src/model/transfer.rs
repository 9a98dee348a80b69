//! 转交: what moves from one holder to another (open approval tasks, customers, opportunities)
//! and the form that asks for it.

use super::customer::FieldError;
use super::posted::distinct_ids;
use super::{CurrentUser, Role};
use serde::{Deserialize, Serialize};

/// Whose holdings a user may hand over: a 系统管理员 anyone's, a 地市 manager their city's
/// people's; nobody else any (the server enforces it; pages ask it only for their links).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferReach {
    All,
    City(i64),
}

impl TransferReach {
    pub fn of(user: &CurrentUser) -> Option<TransferReach> {
        if user.has_role(Role::SystemAdmin) {
            return Some(TransferReach::All);
        }
        match user.city_id {
            Some(city) if user.has_any_role(&[Role::CityGm, Role::CityDeputyGm]) => {
                Some(TransferReach::City(city))
            }
            _ => None,
        }
    }
}

/// What one 转交 moves, in one transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferKind {
    /// The open approval tasks waiting for the holder (to another eligible approver).
    Tasks,
    Customers,
    /// With the 负责人, a returned step waiting for them moves too.
    Opportunities,
}

impl TransferKind {
    pub const ALL: [TransferKind; 3] = [Self::Tasks, Self::Customers, Self::Opportunities];

    pub fn code(self) -> &'static str {
        match self {
            Self::Tasks => "tasks",
            Self::Customers => "customers",
            Self::Opportunities => "opportunities",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Self::Tasks => "transfer.tasks",
            Self::Customers => "transfer.customers",
            Self::Opportunities => "transfer.opportunities",
        }
    }
}

/// The posted form: from whom, to whom, which items (`id`, one per ticked box) or all of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TransferForm {
    pub kind: String,
    pub from: String,
    pub to: String,
    #[serde(rename = "id", deserialize_with = "distinct_ids")]
    pub ids: Vec<String>,
    /// 「全部」: every item of the kind the holder has, shown or not.
    pub all: String,
}

/// What the items are, as checked: `None` for all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedTransfer {
    pub kind: TransferKind,
    pub from: i64,
    pub to: i64,
    pub ids: Option<Vec<i64>>,
}

impl TransferForm {
    /// Checks the form: a kind, both people (not the same), and at least one item.
    pub fn parse(&self) -> Result<ParsedTransfer, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = TransferKind::from_code(&self.kind);
        let from = self.from.trim().parse::<i64>().ok();
        let to = self.to.trim().parse::<i64>().ok();
        if kind.is_none() || from.is_none() {
            errors.push(FieldError::new("", "transfer.choose_from"));
        }
        match (to, from) {
            (None, _) => errors.push(FieldError::new("to", "transfer.choose_to")),
            (Some(to), Some(from)) if to == from => {
                errors.push(FieldError::new("to", "transfer.same_person"))
            }
            _ => {}
        }
        let all = !self.all.is_empty();
        let ids: Vec<i64> = self
            .ids
            .iter()
            .filter_map(|id| id.trim().parse().ok())
            .collect();
        if !all && ids.is_empty() {
            errors.push(FieldError::new("id", "transfer.choose_items"));
        }
        match (kind, from, to) {
            (Some(kind), Some(from), Some(to)) if errors.is_empty() => Ok(ParsedTransfer {
                kind,
                from,
                to,
                ids: (!all).then_some(ids),
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(to: &str, ids: &[&str], all: bool) -> TransferForm {
        TransferForm {
            kind: "customers".into(),
            from: "7".into(),
            to: to.into(),
            ids: ids.iter().map(|s| s.to_string()).collect(),
            all: if all { "1".into() } else { String::new() },
        }
    }

    fn fields(f: &TransferForm) -> Vec<String> {
        f.parse()
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn a_transfer_names_both_people_and_what_moves() {
        assert_eq!(
            form("9", &["3", "4"], false).parse(),
            Ok(ParsedTransfer {
                kind: TransferKind::Customers,
                from: 7,
                to: 9,
                ids: Some(vec![3, 4])
            })
        );
        assert_eq!(form("9", &[], true).parse().map(|p| p.ids), Ok(None));
        assert_eq!(fields(&form("", &["3"], false)), ["to"]);
        assert_eq!(fields(&form("7", &["3"], false)), ["to"]);
        assert_eq!(fields(&form("9", &[], false)), ["id"]);
        let unknown = TransferForm {
            kind: "contacts".into(),
            ..form("9", &["3"], false)
        };
        assert_eq!(fields(&unknown), [""]);
    }
}
