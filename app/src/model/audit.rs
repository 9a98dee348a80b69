//! 审计日志: the query (who, which record, which action, which days) and the entries as the page
//! shows them, each change as a field-by-field difference.

use serde::{Deserialize, Serialize};

/// The query, as typed (a GET form, so a query is an address).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    /// 登录名 or 姓名 of who acted.
    pub user: String,
    /// What kind of record (its code) and which one.
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    /// Days in China time, `YYYY-MM-DD`, both included.
    pub from: String,
    pub to: String,
    /// Entries older than this id (the next page).
    pub before: String,
}

/// One field's value before and after.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: i64,
    /// China time, to the second.
    pub at: String,
    /// 姓名（登录名）, or 「系统」.
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub client_addr: String,
    pub changes: Vec<FieldChange>,
}

/// The actions the trail records, with their names (code, label key).
pub const ACTIONS: &[(&str, &str)] = &[
    ("create", "audit.action.create"),
    ("update", "audit.action.update"),
    ("delete", "audit.action.delete"),
    ("submit", "record.submit"),
    ("approve_end", "record.approve_end"),
    ("approve_forward", "record.approve_forward"),
    ("return", "record.return"),
    ("resubmit", "record.resubmit"),
    ("void", "record.void"),
    ("withdraw", "record.withdraw"),
    ("login", "audit.action.login"),
    ("login_failed", "audit.action.login_failed"),
    ("lock", "audit.action.lock"),
    ("login_refused_locked", "audit.action.login_refused_locked"),
    ("disable", "audit.action.disable"),
    ("enable", "audit.action.enable"),
    ("routing", "audit.action.routing"),
    ("reset_password", "audit.action.reset_password"),
    ("change_password", "audit.action.change_password"),
    ("transfer", "audit.action.transfer"),
    ("move", "audit.action.move"),
    ("share", "audit.action.share"),
    ("unshare", "audit.action.unshare"),
    ("refused", "audit.action.refused"),
];

/// The kinds of record the trail names (code, label key).
pub const ENTITIES: &[(&str, &str)] = &[
    ("user", "audit.entity.user"),
    ("customer", "audit.entity.customer"),
    ("contact", "audit.entity.contact"),
    ("opportunity", "audit.entity.opportunity"),
    ("task", "audit.entity.task"),
    ("activity", "audit.entity.activity"),
    ("announcement", "audit.entity.announcement"),
    ("attachment", "audit.entity.attachment"),
    ("org_unit", "audit.entity.org_unit"),
    ("dict_item", "audit.entity.dict_item"),
    ("login", "audit.entity.login"),
    ("admin", "audit.entity.admin"),
];

/// The label key of an action or entity code, if it has one.
pub fn label_of(list: &[(&str, &'static str)], code: &str) -> Option<&'static str> {
    list.iter().find(|(c, _)| *c == code).map(|(_, key)| *key)
}
