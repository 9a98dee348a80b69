//! 组织管理: the form that adds, renames, moves, disables or enables an org unit.

use super::customer::FieldError;
use super::OrgUnitKind;
use serde::{Deserialize, Serialize};

/// The longest unit name.
pub const NAME_MAX: usize = 30;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OrgForm {
    /// `add`, `rename`, `move`, `disable` or `enable`.
    pub action: String,
    /// The unit changed (all but `add`).
    pub id: String,
    pub name: String,
    /// `city` or `department` (`add`).
    pub kind: String,
    /// The new parent (`add`, `move`).
    pub parent_id: String,
}

/// What the form asks, checked for shape (the tree's rules are the server's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrgChange {
    Add {
        name: String,
        kind: OrgUnitKind,
        parent_id: i64,
    },
    Rename {
        id: i64,
        name: String,
    },
    Move {
        id: i64,
        parent_id: i64,
    },
    SetActive {
        id: i64,
        active: bool,
    },
}

impl OrgForm {
    pub fn parse(&self) -> Result<OrgChange, Vec<FieldError>> {
        let id = self.id.trim().parse::<i64>().ok();
        let parent = self.parent_id.trim().parse::<i64>().ok();
        let name = self.name.trim().to_owned();
        let mut errors = Vec::new();
        let named = |errors: &mut Vec<FieldError>| {
            if name.is_empty() {
                errors.push(FieldError::new("name", "field.required"));
            } else if name.chars().count() > NAME_MAX {
                errors.push(FieldError::new("name", "org.name_long"));
            }
        };
        let change = match self.action.as_str() {
            "add" => {
                named(&mut errors);
                let kind = match self.kind.as_str() {
                    "city" => Some(OrgUnitKind::City),
                    "department" => Some(OrgUnitKind::Department),
                    _ => {
                        errors.push(FieldError::new("kind", "field.required"));
                        None
                    }
                };
                if parent.is_none() {
                    errors.push(FieldError::new("parent_id", "field.required"));
                }
                match (kind, parent) {
                    (Some(kind), Some(parent_id)) => Some(OrgChange::Add {
                        name: name.clone(),
                        kind,
                        parent_id,
                    }),
                    _ => None,
                }
            }
            "rename" => {
                named(&mut errors);
                id.map(|id| OrgChange::Rename {
                    id,
                    name: name.clone(),
                })
            }
            "move" => {
                if id.is_none() {
                    errors.push(FieldError::new("id", "field.required"));
                }
                if parent.is_none() {
                    errors.push(FieldError::new("parent_id", "field.required"));
                }
                id.zip(parent)
                    .map(|(id, parent_id)| OrgChange::Move { id, parent_id })
            }
            "disable" | "enable" => id.map(|id| OrgChange::SetActive {
                id,
                active: self.action == "enable",
            }),
            _ => None,
        };
        match change {
            Some(change) if errors.is_empty() => Ok(change),
            _ => {
                if errors.is_empty() {
                    errors.push(FieldError::new("", "field.invalid"));
                }
                Err(errors)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(action: &str, id: &str, name: &str, kind: &str, parent: &str) -> OrgForm {
        OrgForm {
            action: action.into(),
            id: id.into(),
            name: name.into(),
            kind: kind.into(),
            parent_id: parent.into(),
        }
    }

    fn fields(f: OrgForm) -> Vec<String> {
        f.parse()
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn each_change_names_what_it_needs() {
        assert_eq!(
            form("add", "", " 唐山政企客户部 ", "department", "4").parse(),
            Ok(OrgChange::Add {
                name: "唐山政企客户部".into(),
                kind: OrgUnitKind::Department,
                parent_id: 4
            })
        );
        assert_eq!(
            fields(form("add", "", "", "province", "")),
            ["name", "kind", "parent_id"]
        );
        assert_eq!(
            fields(form("rename", "3", &"长".repeat(31), "", "")),
            ["name"]
        );
        assert_eq!(
            form("move", "3", "", "", "2").parse(),
            Ok(OrgChange::Move {
                id: 3,
                parent_id: 2
            })
        );
        assert_eq!(fields(form("move", "", "", "", "")), ["id", "parent_id"]);
        assert_eq!(
            form("enable", "3", "", "", "").parse(),
            Ok(OrgChange::SetActive {
                id: 3,
                active: true
            })
        );
        assert_eq!(fields(form("delete", "3", "", "", "")), [""]);
    }
}
