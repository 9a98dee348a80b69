//! The forms of 签约 (签约信息) and 终止 (终止原因) as typed, and their checks: the same in the
//! browser and on the server.

use super::customer::{parse_text, FieldError};
use super::opportunity::Fen;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// 签约信息.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SigningForm {
    pub contract_no: String,
    pub amount: String,
    pub signed_on: String,
    pub term: String,
    pub notes: String,
    pub approver_id: String,
    /// 附件 already uploaded (a refused form keeps it: a file input cannot be refilled).
    pub attachment_id: String,
    /// Its file name, shown beside the field.
    pub attachment_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParsedSigning {
    pub contract_no: String,
    pub amount: Fen,
    pub signed_on: NaiveDate,
    pub term: Option<String>,
    pub notes: Option<String>,
    pub approver_id: i64,
    pub attachment_id: Option<i64>,
}

impl SigningForm {
    /// Checks every field; 签约日期 may not be after `today` (China time).
    pub fn parse(&self, today: NaiveDate) -> Result<ParsedSigning, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut refuse = |field: &str, key: &str| errors.push(FieldError::new(field, key));
        let contract_no = self.contract_no.trim();
        if contract_no.is_empty() {
            refuse("contract_no", "field.required");
        } else if contract_no.chars().count() > 50 {
            refuse("contract_no", "field.too_long");
        }
        let amount = match self.amount.trim() {
            "" => {
                refuse("amount", "field.required");
                None
            }
            raw => Fen::parse_yuan(raw)
                .map_err(|key| refuse("amount", key))
                .ok(),
        };
        let signed_on = match self.signed_on.trim() {
            "" => {
                refuse("signed_on", "field.required");
                None
            }
            raw => match super::date::parse_day(raw) {
                Some(d) if d > today => {
                    refuse("signed_on", "signing.date_in_future");
                    None
                }
                Some(d) => Some(d),
                None => {
                    refuse("signed_on", "field.invalid_date");
                    None
                }
            },
        };
        let term = parse_text(&self.term, 100)
            .map_err(|key| refuse("term", key))
            .ok();
        let notes = parse_text(&self.notes, 2000)
            .map_err(|key| refuse("notes", key))
            .ok();
        let approver_id = self.approver_id.trim().parse::<i64>().ok();
        if approver_id.is_none() {
            refuse("approver_id", "opportunity.approver_required");
        }
        let attachment_id = match self.attachment_id.trim() {
            "" => None,
            raw => {
                let id = raw.parse::<i64>().ok();
                if id.is_none() {
                    refuse("attachment", "field.invalid");
                }
                id
            }
        };
        match (amount, signed_on, term, notes, approver_id) {
            (Some(amount), Some(signed_on), Some(term), Some(notes), Some(approver_id))
                if errors.is_empty() =>
            {
                Ok(ParsedSigning {
                    contract_no: contract_no.to_owned(),
                    amount,
                    signed_on,
                    term,
                    notes,
                    approver_id,
                    attachment_id,
                })
            }
            _ => Err(errors),
        }
    }
}

/// 终止原因.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TerminationForm {
    pub reason_id: String,
    pub competitor_id: String,
    pub reason_text: String,
    pub approver_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParsedTermination {
    pub reason_id: i64,
    pub competitor_id: Option<i64>,
    pub reason_text: String,
    pub approver_id: i64,
}

impl TerminationForm {
    /// Checks every field; `lost_to_competitor` is the id of the category 输给竞争对手, which
    /// needs the competitor.
    pub fn parse(
        &self,
        lost_to_competitor: Option<i64>,
    ) -> Result<ParsedTermination, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut refuse = |field: &str, key: &str| errors.push(FieldError::new(field, key));
        let id = |s: &str| s.trim().parse::<i64>().ok();
        let reason_id = id(&self.reason_id);
        if reason_id.is_none() {
            refuse("reason_id", "field.required");
        }
        let competitor_id = id(&self.competitor_id);
        if reason_id.is_some() && reason_id == lost_to_competitor && competitor_id.is_none() {
            refuse("competitor_id", "termination.competitor_required");
        }
        let text = self.reason_text.trim();
        if text.is_empty() {
            refuse("reason_text", "field.required");
        } else if text.chars().count() > 2000 {
            refuse("reason_text", "field.too_long");
        }
        let approver_id = id(&self.approver_id);
        if approver_id.is_none() {
            refuse("approver_id", "opportunity.approver_required");
        }
        match (reason_id, approver_id) {
            (Some(reason_id), Some(approver_id)) if errors.is_empty() => Ok(ParsedTermination {
                reason_id,
                competitor_id: if reason_id == lost_to_competitor.unwrap_or(-1) {
                    competitor_id
                } else {
                    None
                },
                reason_text: text.to_owned(),
                approver_id,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    fn signing(signed_on: &str) -> SigningForm {
        SigningForm {
            contract_no: "HT-2026-001".into(),
            amount: "880000.00".into(),
            signed_on: signed_on.into(),
            approver_id: "22".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_signing_dated_today_or_before_parses_with_its_amount_exact() {
        let parsed = signing("2026-11-27").parse(today()).unwrap();
        assert_eq!(parsed.amount, Fen(88_000_000));
        assert!(signing("2026-01-05").parse(today()).is_ok());
    }

    #[test]
    fn a_signing_dated_in_the_future_is_refused() {
        let errors = signing("2026-11-28").parse(today()).unwrap_err();
        assert_eq!(
            errors,
            [FieldError::new("signed_on", "signing.date_in_future")]
        );
    }

    #[test]
    fn a_signing_needs_contract_amount_date_and_approver() {
        let errors = SigningForm::default().parse(today()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["contract_no", "amount", "signed_on", "approver_id"]
        );
    }

    #[test]
    fn losing_to_a_competitor_needs_which_one() {
        let form = TerminationForm {
            reason_id: "7".into(),
            reason_text: "价格更低".into(),
            approver_id: "12".into(),
            ..Default::default()
        };
        assert_eq!(
            form.parse(Some(7)).unwrap_err(),
            [FieldError::new(
                "competitor_id",
                "termination.competitor_required"
            )]
        );
        assert!(form.parse(Some(8)).is_ok(), "another category needs none");
    }
}
