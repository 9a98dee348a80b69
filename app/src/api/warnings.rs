//! 客户业务预警: the records that need attention, by kind, in the viewer's scope (their own for
//! 客户经理; their reach's for managers), with the days that make each warning.

use crate::model::customer::FieldError;
use crate::model::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WarningKind {
    /// An active opportunity with no completed activity for N days.
    Idle,
    /// An active opportunity whose 预计签约日期 has passed.
    PastExpected,
    /// An approval step waiting over N days.
    SlowApproval,
    /// A planned activity whose day has passed.
    OverdueActivity,
    /// An order milestone past its planned day.
    OverdueMilestone,
    /// A customer with no contact.
    NoContact,
    /// A customer with no completed activity for N days.
    QuietCustomer,
}

impl WarningKind {
    pub const ALL: [WarningKind; 7] = [
        WarningKind::Idle,
        WarningKind::PastExpected,
        WarningKind::SlowApproval,
        WarningKind::OverdueActivity,
        WarningKind::OverdueMilestone,
        WarningKind::NoContact,
        WarningKind::QuietCustomer,
    ];

    pub fn code(self) -> &'static str {
        match self {
            WarningKind::Idle => "idle",
            WarningKind::PastExpected => "past_expected",
            WarningKind::SlowApproval => "slow_approval",
            WarningKind::OverdueActivity => "overdue_activity",
            WarningKind::OverdueMilestone => "overdue_milestone",
            WarningKind::NoContact => "no_contact",
            WarningKind::QuietCustomer => "quiet_customer",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label_key(self) -> String {
        format!("warning.{}", self.code())
    }

    /// Whether its records are opportunities (else customers).
    pub fn of_opportunities(self) -> bool {
        matches!(
            self,
            WarningKind::Idle | WarningKind::PastExpected | WarningKind::SlowApproval
        )
    }
}

/// The N of the warnings that wait for days, as the admin set them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarningDays {
    /// An opportunity with no completed activity for this long.
    pub idle: i64,
    /// An approval step waiting this long.
    pub approval: i64,
    /// A customer with no completed activity for this long.
    pub customer: i64,
}

impl Default for WarningDays {
    fn default() -> Self {
        Self {
            idle: 30,
            approval: 3,
            customer: 90,
        }
    }
}

impl WarningDays {
    pub const MAX: i64 = 3650;

    /// The three numbers as typed, each a whole number of days from 1 to [`Self::MAX`].
    pub fn parse(idle: &str, approval: &str, customer: &str) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut day = |field: &str, raw: &str| match raw.trim().parse::<i64>() {
            Ok(n) if (1..=Self::MAX).contains(&n) => n,
            _ => {
                errors.push(FieldError::new(field, "warning.bad_days"));
                0
            }
        };
        let days = Self {
            idle: day("idle", idle),
            approval: day("approval", approval),
            customer: day("customer", customer),
        };
        if errors.is_empty() {
            Ok(days)
        } else {
            Err(errors)
        }
    }
}

/// One warning: its record (linked), whose it is, and the day that raised it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarningRow {
    pub name: String,
    pub href: String,
    pub owner: String,
    /// The day that matters (the last activity, the date passed), or empty.
    pub day: String,
    /// An approval step's approver.
    pub assignee: Option<String>,
}

/// The 客户业务预警 page: every kind's count, one kind's warnings (a page of them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarningsView {
    pub kind: WarningKind,
    /// Each kind with its count (at most the cap: more shows as 「999+」).
    pub counts: Vec<(WarningKind, i64)>,
    pub cap: i64,
    pub rows: Vec<WarningRow>,
    pub page: i64,
    pub more: bool,
    pub days: WarningDays,
    /// Whether the viewer may change the days (系统管理员).
    pub can_configure: bool,
}

/// A refused change of the days, with what was typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedWarningDays {
    pub idle: String,
    pub approval: String,
    pub customer: String,
    pub errors: Vec<FieldError>,
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait WarningService: Send + Sync {
    async fn warnings(
        &self,
        viewer: &crate::model::CurrentUser,
        kind: &str,
        page: &str,
    ) -> Result<WarningsView, AppError>;
}

#[server(endpoint = "warnings")]
pub async fn load_warnings(kind: String, page: String) -> Result<WarningsView, AppError> {
    let viewer = super::auth::viewer()?;
    let result = super::service::<dyn WarningService>()?
        .warnings(&viewer, &kind, &page)
        .await;
    super::with_status(result)
}
