//! The 报备商机 form as typed, and its checks: the same in the browser and on the server.

use super::customer::{parse_text, FieldError};
use super::opportunity::Fen;
use super::posted::distinct_ids;
use serde::{Deserialize, Serialize};

/// The opportunity's fields exactly as typed (also what an approver may change).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OpportunityForm {
    pub name: String,
    /// Customer ids, the primary first (`customer_id`, repeated in a post).
    #[serde(rename = "customer_id", deserialize_with = "distinct_ids")]
    pub customer_ids: Vec<String>,
    pub business_type_id: String,
    pub expected_amount: String,
    pub expected_sign_date: String,
    pub win_probability: String,
    /// `competitor_id`, repeated.
    #[serde(rename = "competitor_id", deserialize_with = "distinct_ids")]
    pub competitor_ids: Vec<String>,
    pub description: String,
    /// 选择审批人 (提交审批, 重新提交).
    pub approver_id: String,
}

/// An [`OpportunityForm`] whose every field passed its check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedOpportunity {
    pub name: String,
    pub customer_ids: Vec<i64>,
    pub business_type_id: i64,
    pub expected_amount: Option<Fen>,
    pub expected_sign_date: Option<chrono::NaiveDate>,
    pub win_probability: Option<i64>,
    pub competitor_ids: Vec<i64>,
    pub description: Option<String>,
    pub approver_id: Option<i64>,
}

/// What an opportunity form was posted for besides its fields: the button (保存 `save`,
/// 提交审批 `submit`, 查找客户 `find`), the customer search typed, a customer chosen (选择) or
/// removed (移除) from the search step.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct OpportunityPost {
    pub action: String,
    pub customer_q: String,
    pub add_customer: String,
    pub remove_customer: String,
}

/// An approver's 审批结果 and 审批意见, posted with the opportunity's fields.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DecisionPost {
    pub decision: String,
    pub opinion: String,
}

impl OpportunityPost {
    /// A step of the customer search (shows the form again), not the form's submission.
    pub fn is_search_step(&self) -> bool {
        !self.add_customer.is_empty() || !self.remove_customer.is_empty() || self.action == "find"
    }

    /// The form as the search step leaves it: the chosen customer added (once), the removed
    /// one gone.
    pub fn apply_to(&self, form: &mut OpportunityForm) {
        if !self.add_customer.is_empty() && !form.customer_ids.contains(&self.add_customer) {
            form.customer_ids.push(self.add_customer.clone());
        }
        form.customer_ids.retain(|c| *c != self.remove_customer);
    }
}

impl OpportunityForm {
    pub const NAME_MAX: usize = 100;
    /// More customers than this on one opportunity is a mistake, not a deal.
    pub const CUSTOMERS_MAX: usize = 50;

    /// Checks every field and reports all refusals at once. `submitting`: 提交审批 (an approver
    /// must be chosen); 保存 keeps a draft without one. Whether ids exist and may be chosen
    /// is the server's to check.
    pub fn parse(&self, submitting: bool) -> Result<ParsedOpportunity, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut refuse = |field: &str, key: &str| errors.push(FieldError::new(field, key));
        let name = self.name.trim();
        if name.is_empty() {
            refuse("name", "field.required");
        } else if name.chars().count() > Self::NAME_MAX {
            refuse("name", "field.too_long");
        }
        let id = |s: &str| s.trim().parse::<i64>().ok();
        let customer_ids = distinct(self.customer_ids.iter().filter_map(|s| id(s)));
        let customers_readable = self.customer_ids.iter().all(|s| id(s).is_some());
        if customer_ids.is_empty() {
            refuse("customer_id", "opportunity.customer_required");
        } else if !customers_readable {
            refuse("customer_id", "field.invalid");
        } else if customer_ids.len() > Self::CUSTOMERS_MAX {
            refuse("customer_id", "field.too_many");
        }
        let business_type_id = id(&self.business_type_id);
        if self.business_type_id.trim().is_empty() {
            refuse("business_type_id", "field.required");
        } else if business_type_id.is_none() {
            refuse("business_type_id", "field.invalid");
        }
        let expected_amount = match self.expected_amount.trim() {
            "" => None,
            raw => match Fen::parse_yuan(raw) {
                Ok(fen) => Some(fen),
                Err(key) => {
                    refuse("expected_amount", key);
                    None
                }
            },
        };
        let expected_sign_date = match self.expected_sign_date.trim() {
            "" => None,
            raw => match super::date::parse_day(raw) {
                Some(d) => Some(d),
                None => {
                    refuse("expected_sign_date", "field.invalid_date");
                    None
                }
            },
        };
        let win_probability = match self.win_probability.trim().trim_end_matches('%') {
            "" => None,
            raw => match raw.trim().parse::<i64>() {
                Ok(p) if (0..=100).contains(&p) => Some(p),
                _ => {
                    refuse("win_probability", "opportunity.invalid_probability");
                    None
                }
            },
        };
        let competitor_ids = distinct(self.competitor_ids.iter().filter_map(|s| id(s)));
        if !self.competitor_ids.iter().all(|s| id(s).is_some()) {
            refuse("competitor_id", "field.invalid");
        }
        let description = match parse_text(&self.description, 2000) {
            Ok(d) => d,
            Err(key) => {
                refuse("description", key);
                None
            }
        };
        let approver_id = id(&self.approver_id);
        if submitting && approver_id.is_none() {
            refuse("approver_id", "opportunity.approver_required");
        }
        match business_type_id {
            Some(business_type_id) if errors.is_empty() => Ok(ParsedOpportunity {
                name: name.to_owned(),
                customer_ids,
                business_type_id,
                expected_amount,
                expected_sign_date,
                win_probability,
                competitor_ids,
                description,
                approver_id,
            }),
            _ => Err(errors),
        }
    }
}

/// The ids once each, in their first order (`5` and `05` are one customer).
fn distinct(ids: impl Iterator<Item = i64>) -> Vec<i64> {
    let mut seen = Vec::new();
    for id in ids {
        if !seen.contains(&id) {
            seen.push(id);
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posted(pairs: &[(&str, &str)]) -> OpportunityForm {
        crate::model::posted::FormBody::from_pairs(pairs).read()
    }

    fn keys(form: &OpportunityForm, submitting: bool) -> Vec<(String, String)> {
        form.parse(submitting)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.key))
            .collect()
    }

    #[test]
    fn a_complete_form_parses_with_the_primary_customer_first() {
        let form = posted(&[
            ("name", " 测试商机A "),
            ("customer_id", "7"),
            ("customer_id", "3"),
            ("customer_id", "7"),
            ("business_type_id", "2"),
            ("expected_amount", "1,200,000.50"),
            ("expected_sign_date", "2026-12-31"),
            ("win_probability", "60%"),
            ("competitor_id", "1"),
            ("competitor_id", "2"),
            ("approver_id", "12"),
        ]);
        let parsed = form.parse(true).unwrap();
        assert_eq!(parsed.name, "测试商机A");
        assert_eq!(parsed.customer_ids, [7, 3]);
        assert_eq!(parsed.expected_amount, Some(Fen(120_000_050)));
        assert_eq!(parsed.win_probability, Some(60));
        assert_eq!(parsed.competitor_ids, [1, 2]);
        assert_eq!(parsed.approver_id, Some(12));
    }

    #[test]
    fn the_same_customer_or_competitor_twice_counts_once() {
        let form = posted(&[
            ("name", "x"),
            ("customer_id", "5"),
            ("customer_id", "05"),
            ("business_type_id", "2"),
            ("competitor_id", "1"),
            ("competitor_id", "1"),
            ("competitor_id", "01"),
        ]);
        let parsed = form.parse(false).unwrap();
        assert_eq!(parsed.customer_ids, [5]);
        assert_eq!(parsed.competitor_ids, [1]);
    }

    #[test]
    fn an_expected_signing_date_beyond_the_plausible_years_is_refused() {
        for date in ["+262142-12-31", "2200-01-01", "1899-12-31"] {
            let form = posted(&[
                ("name", "x"),
                ("customer_id", "5"),
                ("business_type_id", "2"),
                ("expected_sign_date", date),
            ]);
            assert_eq!(
                keys(&form, false),
                [("expected_sign_date".into(), "field.invalid_date".into())]
            );
        }
    }

    #[test]
    fn missing_required_fields_are_all_reported_and_an_approver_only_when_submitting() {
        let empty = OpportunityForm::default();
        assert_eq!(
            keys(&empty, true),
            [
                ("name".into(), "field.required".into()),
                ("customer_id".into(), "opportunity.customer_required".into()),
                ("business_type_id".into(), "field.required".into()),
                ("approver_id".into(), "opportunity.approver_required".into()),
            ]
        );
        assert!(!keys(&empty, false).iter().any(|(f, _)| f == "approver_id"));
    }

    #[test]
    fn an_amount_must_be_positive_with_at_most_two_decimals_and_a_probability_within_0_to_100() {
        let form = OpportunityForm {
            name: "x".into(),
            customer_ids: vec!["1".into()],
            business_type_id: "1".into(),
            expected_amount: "12.345".into(),
            win_probability: "120".into(),
            ..Default::default()
        };
        assert_eq!(
            keys(&form, false),
            [
                ("expected_amount".into(), "field.invalid_amount".into()),
                (
                    "win_probability".into(),
                    "opportunity.invalid_probability".into()
                ),
            ]
        );
    }
}
