//! 协作 users edit an approved opportunity's other fields only: what the filing's approval
//! decided on (商机名称, 客户, 业务类型, 预计金额, and any field an approver changed) stays as
//! approved unless its owner changes it. The edit page shows those fields read-only; a post
//! that changes one anyway is refused beside it, and nothing is written.

use super::Services;
use crate::db::opportunities::{Opportunity, OpportunityFields};
use app::model::customer::FieldError;
use app::model::{AppError, CurrentUser};

/// The fields every filing's approval decides on (form field names).
const DECIDED: [&str; 4] = ["name", "customer_id", "business_type_id", "expected_amount"];

/// A field as an approval record's changes name it, and as the form names it.
const FORM_NAMES: [(&str, &str); 8] = [
    ("name", "name"),
    ("business_type_id", "business_type_id"),
    ("customer_ids", "customer_id"),
    ("expected_amount", "expected_amount"),
    ("expected_sign_date", "expected_sign_date"),
    ("win_probability", "win_probability"),
    ("competitor_ids", "competitor_id"),
    ("description", "description"),
];

impl Services {
    /// The form fields of `o` that `viewer` may not change: none for its owner; for anyone
    /// else (a 协作 user), those the approval decided on.
    pub(super) async fn locked_fields(
        &self,
        viewer: &CurrentUser,
        o: &Opportunity,
    ) -> Result<Vec<&'static str>, AppError> {
        if o.owner_id == viewer.id {
            return Ok(Vec::new());
        }
        let mut locked = DECIDED.to_vec();
        let records = self.store.approval_records(o.id).await?;
        for field in records
            .iter()
            .flat_map(|r| changed_fields(r.changes_json.as_deref()))
        {
            if !locked.contains(&field) {
                locked.push(field);
            }
        }
        Ok(locked)
    }
}

/// The form fields an approval record's changes (`{"before": …, "after": …}`) touched.
fn changed_fields(json: Option<&str>) -> Vec<&'static str> {
    let Some(value) = json.and_then(|j| serde_json::from_str::<serde_json::Value>(j).ok()) else {
        return Vec::new();
    };
    FORM_NAMES
        .iter()
        .filter(|(stored, _)| value["before"][stored] != value["after"][stored])
        .map(|(_, form)| *form)
        .collect()
}

/// A refusal beside each `locked` field whose posted value differs from the stored one.
pub(super) fn locked_changes(
    locked: &[&str],
    stored: &OpportunityFields,
    posted: &OpportunityFields,
) -> Vec<FieldError> {
    let sorted = |ids: &[i64]| {
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids
    };
    locked
        .iter()
        .filter(|field| match **field {
            "name" => stored.name != posted.name,
            "customer_id" => stored.customer_ids != posted.customer_ids,
            "business_type_id" => stored.business_type_id != posted.business_type_id,
            "expected_amount" => stored.expected_amount != posted.expected_amount,
            "expected_sign_date" => stored.expected_sign_date != posted.expected_sign_date,
            "win_probability" => stored.win_probability != posted.win_probability,
            "competitor_id" => sorted(&stored.competitor_ids) != sorted(&posted.competitor_ids),
            "description" => stored.description != posted.description,
            _ => false,
        })
        .map(|field| FieldError::new(field, "opportunity.approved_field"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::model::opportunity::Fen;

    fn fields() -> OpportunityFields {
        OpportunityFields {
            name: "商机".into(),
            business_type_id: 1,
            customer_ids: vec![3, 4],
            expected_amount: Some(Fen(100)),
            expected_sign_date: None,
            win_probability: Some(50),
            competitor_ids: vec![1, 2],
            description: None,
        }
    }

    #[test]
    fn a_collaborator_changing_the_approved_amount_and_name_is_refused_beside_each() {
        let posted = OpportunityFields {
            name: "改名".into(),
            expected_amount: Some(Fen(999)),
            win_probability: Some(80),
            ..fields()
        };
        let refused = locked_changes(&DECIDED, &fields(), &posted);
        let named: Vec<&str> = refused.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(named, ["name", "expected_amount"]);
    }

    #[test]
    fn unlocked_fields_and_reordered_competitors_pass() {
        let posted = OpportunityFields {
            win_probability: Some(80),
            competitor_ids: vec![2, 1],
            ..fields()
        };
        assert!(locked_changes(&["competitor_id"], &fields(), &posted).is_empty());
        assert!(locked_changes(&DECIDED, &fields(), &posted).is_empty());
    }

    #[test]
    fn a_field_an_approver_changed_is_locked_too() {
        let json = r#"{"before":{"name":"a","win_probability":10},"after":{"name":"a","win_probability":60}}"#;
        assert_eq!(changed_fields(Some(json)), ["win_probability"]);
        assert!(changed_fields(None).is_empty());
    }
}
