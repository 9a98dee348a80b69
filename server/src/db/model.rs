//! What the store reads and writes. Rows are decoded into `*Row` types and converted here, so
//! the rest of the server sees enums, never codes.

use crate::auth::password::PasswordHash;
use crate::policy::lockout::FailureState;
use app::model::{OrgUnitKind, OrgUnitView, Role};
use chrono::{DateTime, Utc};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrgUnit {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub kind: OrgUnitKind,
    /// A disabled unit takes no new users; what names it keeps doing so.
    pub active: bool,
}

impl From<OrgUnit> for OrgUnitView {
    fn from(u: OrgUnit) -> Self {
        OrgUnitView {
            id: u.id,
            parent_id: u.parent_id,
            name: u.name,
            kind: u.kind,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct OrgUnitRow {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub kind: OrgUnitKind,
    pub active: bool,
}

impl OrgUnitRow {
    pub fn into_org_unit(self) -> OrgUnit {
        OrgUnit {
            id: self.id,
            parent_id: self.parent_id,
            name: self.name,
            kind: self.kind,
            active: self.active,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct NewOrgUnit {
    pub parent_id: Option<i64>,
    pub name: String,
    pub kind: OrgUnitKind,
}

/// A user as lists and pickers need them.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct UserBrief {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub org_unit_id: i64,
}

/// A user with roles and (for 行业总监) industries. The hash is not `Serialize`, so it cannot
/// end up in an audit snapshot or on the wire.
#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub org_unit_id: i64,
    pub password_hash: PasswordHash,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub disabled: bool,
    pub must_change_password: bool,
    pub roles: Vec<Role>,
    /// Ids of `行业` dictionary items.
    pub industry_ids: Vec<i64>,
    /// Login throttling counters.
    pub failures: FailureState,
    pub version: i64,
    pub created_at: DateTime<Utc>,
}

impl User {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// What the audit trail keeps of a user.
    pub fn snapshot(&self) -> serde_json::Value {
        serde_json::json!({
            "login": self.login,
            "name": self.name,
            "org_unit_id": self.org_unit_id,
            "phone": self.phone,
            "email": self.email,
            "disabled": self.disabled,
            "roles": self.roles.iter().map(|r| r.code()).collect::<Vec<_>>(),
            "industry_ids": self.industry_ids,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub org_unit_id: i64,
    pub password_hash: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub disabled: bool,
    pub must_change_password: bool,
    pub failed_logins: i64,
    pub first_failed_at: Option<DateTime<Utc>>,
    pub locked_until: Option<DateTime<Utc>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
}

impl UserRow {
    pub fn into_user(self, mut roles: Vec<Role>, industry_ids: Vec<i64>) -> User {
        roles.sort();
        User {
            id: self.id,
            login: self.login,
            name: self.name,
            org_unit_id: self.org_unit_id,
            password_hash: PasswordHash::from_stored(self.password_hash),
            phone: self.phone,
            email: self.email,
            disabled: self.disabled,
            must_change_password: self.must_change_password,
            roles,
            industry_ids,
            failures: FailureState {
                failed_logins: self.failed_logins,
                first_failed_at: self.first_failed_at,
                locked_until: self.locked_until,
            },
            version: self.version,
            created_at: self.created_at,
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub login: String,
    pub name: String,
    pub org_unit_id: i64,
    pub password_hash: PasswordHash,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub must_change_password: bool,
    pub roles: Vec<Role>,
    pub industry_ids: Vec<i64>,
}

/// The dictionaries an admin maintains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DictKind {
    /// 行业
    Industry,
    /// 业务类型
    BusinessType,
    /// 客户级别
    CustomerLevel,
    /// 竞争对手
    Competitor,
    /// 终止原因类别
    TerminationReason,
}

impl DictKind {
    pub const ALL: [DictKind; 5] = [
        DictKind::Industry,
        DictKind::BusinessType,
        DictKind::CustomerLevel,
        DictKind::Competitor,
        DictKind::TerminationReason,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DictKind::Industry => "industry",
            DictKind::BusinessType => "business_type",
            DictKind::CustomerLevel => "customer_level",
            DictKind::Competitor => "competitor",
            DictKind::TerminationReason => "termination_reason",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DictItem {
    pub id: i64,
    pub label: String,
    pub sort_order: i64,
    /// The stable code of an item that carries behaviour (see [`DictItem::LOST_TO_COMPETITOR`]).
    pub code: Option<String>,
}

impl DictItem {
    /// 终止原因 输给竞争对手: the termination that needs the competitor.
    pub const LOST_TO_COMPETITOR: &'static str = "lost_to_competitor";
}

/// The demo organisation and users, ready to write (passwords already hashed).
#[derive(Debug, Clone)]
pub struct DemoData {
    pub org_units: Vec<DemoOrgUnit>,
    pub users: Vec<DemoUser>,
}

#[derive(Debug, Clone)]
pub struct DemoOrgUnit {
    pub name: &'static str,
    pub kind: OrgUnitKind,
    /// The parent's name; the parent comes earlier in the list.
    pub parent: Option<&'static str>,
}

#[derive(Debug, Clone)]
pub struct DemoUser {
    pub login: &'static str,
    pub name: &'static str,
    pub org_unit: &'static str,
    pub roles: Vec<Role>,
    /// Labels of `行业` items.
    pub industries: Vec<&'static str>,
    pub password_hash: PasswordHash,
}

/// A live login session.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Session {
    pub id: i64,
    pub user_id: i64,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    /// The user directory's version when the session was read: the same read tells the
    /// request which kept copy of the directory is current (`Services::people_at`).
    pub directory_version: i64,
}

/// A live session read for a page, with the menu's counts: the user's open tasks (待办任务)
/// and unread messages (待阅消息).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageSession {
    pub session: Session,
    pub todo: i64,
    pub unread: i64,
}
