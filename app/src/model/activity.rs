//! 销售活动 as typed, and its checks: the same in the browser and on the server.

use super::customer::{parse_text, FieldError};
use super::opportunity::coded;
use super::posted::distinct_ids;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

coded! {
    /// 类型 of an activity.
    ActivityKind {
        /// 电话
        Call = "call",
        /// 拜访
        Visit = "visit",
        /// 陪同拜访
        JointVisit = "joint_visit",
    } keys "activity.kind"
}

/// The 添加活动 form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActivityForm {
    pub kind: String,
    pub date: String,
    pub customer_id: String,
    /// Ticked contacts (`contact_id`, several allowed).
    #[serde(rename = "contact_id", deserialize_with = "distinct_ids")]
    pub contact_ids: Vec<String>,
    pub notes: String,
    /// `done` for 已完成; anything else is 计划中.
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParsedActivity {
    pub kind: ActivityKind,
    pub date: NaiveDate,
    pub customer_id: i64,
    pub contact_ids: Vec<i64>,
    pub notes: String,
    pub done: bool,
}

impl ActivityForm {
    /// Checks every field and reports all refusals at once. Whether the customer and contacts
    /// may be chosen is the server's to check.
    pub fn parse(&self) -> Result<ParsedActivity, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut refuse = |field: &str, key: &str| errors.push(FieldError::new(field, key));
        let kind = ActivityKind::from_code(self.kind.trim());
        if kind.is_none() {
            refuse("kind", "field.required");
        }
        let date = match self.date.trim() {
            "" => {
                refuse("date", "field.required");
                None
            }
            raw => super::date::parse_day(raw).or_else(|| {
                refuse("date", "field.invalid_date");
                None
            }),
        };
        let customer_id = self.customer_id.trim().parse::<i64>().ok();
        if customer_id.is_none() {
            refuse("customer_id", "field.required");
        }
        let contact_ids: Vec<i64> = self
            .contact_ids
            .iter()
            .filter_map(|c| c.trim().parse().ok())
            .collect();
        if contact_ids.len() != self.contact_ids.len() {
            refuse("contact_id", "field.invalid");
        }
        let notes = match parse_text(&self.notes, 2000) {
            Ok(Some(n)) => Some(n),
            Ok(None) => {
                refuse("notes", "field.required");
                None
            }
            Err(key) => {
                refuse("notes", key);
                None
            }
        };
        match (kind, date, customer_id, notes) {
            (Some(kind), Some(date), Some(customer_id), Some(notes)) if errors.is_empty() => {
                Ok(ParsedActivity {
                    kind,
                    date,
                    customer_id,
                    contact_ids,
                    notes,
                    done: self.status == "done",
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posted(pairs: &[(&str, &str)]) -> ActivityForm {
        crate::model::posted::FormBody::from_pairs(pairs).read()
    }

    #[test]
    fn a_complete_form_parses_with_every_ticked_contact() {
        let form = posted(&[
            ("kind", "visit"),
            ("date", "2026-11-20"),
            ("customer_id", "7"),
            ("contact_id", "3"),
            ("contact_id", "4"),
            ("notes", " 拜访信息中心主任 "),
            ("status", "done"),
        ]);
        let parsed = form.parse().unwrap();
        assert_eq!(parsed.kind, ActivityKind::Visit);
        assert_eq!(parsed.contact_ids, vec![3, 4]);
        assert_eq!(parsed.notes, "拜访信息中心主任");
        assert!(parsed.done);
    }

    #[test]
    fn missing_fields_are_each_refused_beside_their_field() {
        let errors = ActivityForm::default().parse().unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["kind", "date", "customer_id", "notes"]);
    }

    #[test]
    fn an_unknown_kind_or_a_bad_date_is_refused_and_planned_is_the_default() {
        let form = ActivityForm {
            kind: "meeting".into(),
            date: "2026-02-30".into(),
            customer_id: "1".into(),
            notes: "x".into(),
            ..Default::default()
        };
        let errors = form.parse().unwrap_err();
        assert_eq!(errors.len(), 2);
        let ok = ActivityForm {
            kind: "call".into(),
            date: "2026-02-28".into(),
            ..form
        };
        assert!(!ok.parse().unwrap().done);
    }
}
