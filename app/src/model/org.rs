//! The organisation tree: 省公司 → 地市公司 → 部门.

use serde::{Deserialize, Serialize};

/// The level of an org unit in the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrgUnitKind {
    /// 省公司
    Province,
    /// 地市公司
    City,
    /// 部门
    Department,
}

#[cfg(feature = "ssr")]
crate::stored_as_text!(OrgUnitKind);

impl OrgUnitKind {
    /// The code kept in the database.
    pub fn code(self) -> &'static str {
        match self {
            OrgUnitKind::Province => "province",
            OrgUnitKind::City => "city",
            OrgUnitKind::Department => "department",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Province, Self::City, Self::Department]
            .into_iter()
            .find(|k| k.code() == code)
    }

    /// The label users know.
    pub fn label_zh(self) -> &'static str {
        match self {
            OrgUnitKind::Province => "省公司",
            OrgUnitKind::City => "地市公司",
            OrgUnitKind::Department => "部门",
        }
    }
}

/// One org unit as the pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgUnitView {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub kind: OrgUnitKind,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_org_unit_kind_round_trips_through_its_code() {
        for kind in [
            OrgUnitKind::Province,
            OrgUnitKind::City,
            OrgUnitKind::Department,
        ] {
            assert_eq!(OrgUnitKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(OrgUnitKind::from_code("country"), None);
    }
}
