//! 共享 on the wire: who a customer or an opportunity is shared with, and whom it can be shared
//! with, as the record's page shows them to those who may share it.

use crate::paths;
use serde::{Deserialize, Serialize};

/// What kind of record is shared: its page, and the name of its editable share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ShareKind {
    /// 可编辑: the user may edit the customer.
    Customer,
    /// 协作: the user works on the opportunity with its owner.
    Opportunity,
}

impl ShareKind {
    /// The record's page, where its share forms post under.
    pub fn page(self, id: i64) -> String {
        match self {
            ShareKind::Customer => paths::CUSTOMER.of(id),
            ShareKind::Opportunity => paths::OPPORTUNITY.of(id),
        }
    }

    /// The i18n key of the editable share.
    pub fn editable_label(self) -> &'static str {
        match self {
            ShareKind::Customer => "share.editable",
            ShareKind::Opportunity => "share.collaborate",
        }
    }

    /// The form value that asks for the editable share (anything else is 只读).
    pub fn editable_value(self) -> &'static str {
        match self {
            ShareKind::Customer => "edit",
            ShareKind::Opportunity => "collaborate",
        }
    }
}

/// A user a record is shared with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareView {
    pub user_id: i64,
    pub user_name: String,
    /// 可编辑 / 协作.
    pub editable: bool,
}

/// The 共享 panel of one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sharing {
    pub kind: ShareKind,
    pub record_id: i64,
    pub shares: Vec<ShareView>,
}

/// A 共享 post that named nobody in particular (or someone it cannot be shared with): the
/// record's page again, the panel holding what was typed, why, and whom the text found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedShare {
    pub user: crate::model::lookup::PersonLookup,
    /// 可编辑 / 协作 was chosen.
    pub editable: bool,
}
