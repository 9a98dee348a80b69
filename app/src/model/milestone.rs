//! 订单后续执行跟踪: a signed order's milestones as typed, and their checks (the same in the
//! browser and on the server).

use super::customer::{parse_text, FieldError};
use super::opportunity::{coded, Fen};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

coded! {
    /// 里程碑: the three every order starts with, or one the team names.
    MilestoneKind {
        /// 开通
        Activation = "activation",
        /// 验收
        Acceptance = "acceptance",
        /// 回款
        Payment = "payment",
        /// 自定义
        Custom = "custom",
    } keys "milestone.kind"
}

coded! {
    /// 状态 of a milestone.
    MilestoneStatus {
        /// 未开始
        Pending = "pending",
        /// 进行中
        InProgress = "in_progress",
        /// 已完成
        Done = "done",
        /// 已取消
        Cancelled = "cancelled",
    } keys "milestone.status"
}

impl MilestoneStatus {
    /// Still to happen: an open one past its planned day is overdue.
    pub fn is_open(self) -> bool {
        matches!(self, MilestoneStatus::Pending | MilestoneStatus::InProgress)
    }
}

/// The milestone form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MilestoneForm {
    pub kind: String,
    /// The name of a custom one.
    pub name: String,
    pub planned_on: String,
    pub actual_on: String,
    /// 回款金额 in 元.
    pub amount: String,
    pub status: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParsedMilestone {
    pub kind: MilestoneKind,
    pub name: String,
    pub planned_on: Option<NaiveDate>,
    pub actual_on: Option<NaiveDate>,
    pub amount: Option<Fen>,
    pub status: MilestoneStatus,
    pub note: String,
}

impl MilestoneForm {
    /// Checks every field against `today` (China time) and reports all refusals at once.
    pub fn parse(&self, today: NaiveDate) -> Result<ParsedMilestone, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut refuse = |field: &str, key: &str| errors.push(FieldError::new(field, key));
        let kind = MilestoneKind::from_code(self.kind.trim());
        if kind.is_none() {
            refuse("kind", "field.required");
        }
        let name = match parse_text(&self.name, 100) {
            Ok(name) => name.unwrap_or_default(),
            Err(key) => {
                refuse("name", key);
                String::new()
            }
        };
        if kind == Some(MilestoneKind::Custom) && name.is_empty() {
            refuse("name", "field.required");
        }
        let mut day = |field: &str, raw: &str| match raw.trim() {
            "" => None,
            raw => super::date::parse_day(raw).or_else(|| {
                refuse(field, "field.invalid_date");
                None
            }),
        };
        let planned_on = day("planned_on", &self.planned_on);
        let actual_on = day("actual_on", &self.actual_on);
        let status = MilestoneStatus::from_code(self.status.trim());
        let amount = match self.amount.trim() {
            "" => None,
            raw => Fen::parse_yuan(raw).map(Some).unwrap_or_else(|key| {
                refuse("amount", key);
                None
            }),
        };
        let note = match parse_text(&self.note, 1000) {
            Ok(note) => note.unwrap_or_default(),
            Err(key) => {
                refuse("note", key);
                String::new()
            }
        };
        if status.is_none() {
            errors.push(FieldError::new("status", "field.required"));
        }
        if actual_on.is_some_and(|d| d > today) {
            errors.push(FieldError::new("actual_on", "milestone.actual_in_future"));
        }
        if status == Some(MilestoneStatus::Done)
            && actual_on.is_none()
            && self.actual_on.trim().is_empty()
        {
            errors.push(FieldError::new("actual_on", "milestone.actual_required"));
        }
        if amount.is_some() && kind.is_some_and(|k| k != MilestoneKind::Payment) {
            errors.push(FieldError::new("amount", "milestone.amount_payment_only"));
        }
        match (kind, status) {
            (Some(kind), Some(status)) if errors.is_empty() => Ok(ParsedMilestone {
                kind,
                name: if kind == MilestoneKind::Custom {
                    name
                } else {
                    String::new()
                },
                planned_on,
                actual_on,
                amount,
                status,
                note,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2031, 5, 20).unwrap()
    }

    fn form(pairs: &[(&str, &str)]) -> MilestoneForm {
        crate::model::posted::FormBody::from_pairs(pairs).read()
    }

    #[test]
    fn a_payment_with_its_amount_parses() {
        let m = form(&[
            ("kind", "payment"),
            ("planned_on", "2031-06-30"),
            ("amount", "12,000.50"),
            ("status", "pending"),
            ("note", " 首期款 "),
        ])
        .parse(today())
        .unwrap();
        assert_eq!(m.amount, Some(Fen(1_200_050)));
        assert_eq!(m.note, "首期款");
        assert_eq!(m.planned_on, NaiveDate::from_ymd_opt(2031, 6, 30));
    }

    #[test]
    fn each_refusal_is_beside_its_field() {
        let errors = form(&[
            ("kind", "custom"),
            ("planned_on", "2031-02-30"),
            ("actual_on", "2031-05-21"),
            ("amount", "10"),
            ("status", "done"),
        ])
        .parse(today())
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "planned_on", "actual_on", "amount"]);
        let done = form(&[("kind", "activation"), ("status", "done")])
            .parse(today())
            .unwrap_err();
        assert_eq!(done[0].key, "milestone.actual_required");
    }
}
