//! The checks of the opportunity forms against what the server knows: dictionaries, the
//! customers the viewer may choose, the approvers, the files they uploaded.

use super::*;

impl Services {
    /// Checks a parsed form's ids against the dictionaries and the customers the viewer may
    /// see (`allowed` customers pass whatever the scope: those already on the opportunity).
    pub(super) async fn checked_fields(
        &self,
        viewer: &CurrentUser,
        parsed: &ParsedOpportunity,
        allowed: &[i64],
    ) -> Result<OpportunityFields, AppError> {
        let mut errors = Vec::new();
        let types = self
            .dictionary_pairs(viewer, DictKind::BusinessType)
            .await?;
        if !types.iter().any(|(id, _)| *id == parsed.business_type_id) {
            errors.push(FieldError::new("business_type_id", "field.invalid"));
        }
        let competitors = self.dictionary_pairs(viewer, DictKind::Competitor).await?;
        if !parsed
            .competitor_ids
            .iter()
            .all(|c| competitors.iter().any(|(id, _)| id == c))
        {
            errors.push(FieldError::new("competitor_id", "field.invalid"));
        }
        let others: Vec<i64> = parsed
            .customer_ids
            .iter()
            .copied()
            .filter(|id| !allowed.contains(id))
            .collect();
        let visible = self
            .store
            .customer_names(&Scope::of(viewer), &others)
            .await?;
        if visible.len() != others.len() {
            errors.push(FieldError::new(
                "customer_id",
                "opportunity.customer_out_of_scope",
            ));
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        Ok(OpportunityFields {
            name: parsed.name.clone(),
            business_type_id: parsed.business_type_id,
            customer_ids: parsed.customer_ids.clone(),
            expected_amount: parsed.expected_amount,
            expected_sign_date: parsed.expected_sign_date,
            win_probability: parsed.win_probability,
            competitor_ids: parsed.competitor_ids.clone(),
            description: parsed.description.clone(),
        })
    }

    /// A 签约 form for `o` checked: (approver, 签约信息). Its 附件 must be one the viewer
    /// uploaded, or the one it already has.
    pub(super) async fn checked_signing(
        &self,
        viewer: &CurrentUser,
        o: &Opportunity,
        form: &SigningForm,
    ) -> Result<(i64, SigningInfo), AppError> {
        let parsed = form.parse(self.today()).map_err(AppError::Invalid)?;
        if let Some(file) = parsed.attachment_id {
            if !self
                .may_attach(viewer, file, Some(AttachmentOwner::Signing(o.id)))
                .await?
            {
                return Err(AppError::Invalid(vec![FieldError::new(
                    "attachment",
                    "field.invalid",
                )]));
            }
        }
        Ok((
            parsed.approver_id,
            SigningInfo {
                contract_no: parsed.contract_no,
                amount: parsed.amount,
                signed_on: parsed.signed_on,
                term: parsed.term,
                notes: parsed.notes,
                attachment_id: parsed.attachment_id,
            },
        ))
    }

    /// A 终止 form checked, its choices against the dictionaries: (approver, 终止原因).
    pub(super) async fn checked_termination(
        &self,
        form: &TerminationForm,
    ) -> Result<(i64, TerminationInfo), AppError> {
        let people = self.people().await?;
        let reasons = people.dictionary(DictKind::TerminationReason);
        let parsed = form
            .parse(lost_to_competitor(reasons))
            .map_err(AppError::Invalid)?;
        if !reasons.iter().any(|r| r.id == parsed.reason_id) {
            return Err(AppError::Invalid(vec![FieldError::new(
                "reason_id",
                "field.invalid",
            )]));
        }
        if let Some(c) = parsed.competitor_id {
            if !people
                .dictionary(DictKind::Competitor)
                .iter()
                .any(|i| i.id == c)
            {
                return Err(AppError::Invalid(vec![FieldError::new(
                    "competitor_id",
                    "field.invalid",
                )]));
            }
        }
        Ok((
            parsed.approver_id,
            TerminationInfo {
                reason_id: parsed.reason_id,
                competitor_id: parsed.competitor_id,
                reason_text: parsed.reason_text,
            },
        ))
    }
}

/// The id of the 终止原因 category 输给竞争对手 (the one that needs the competitor), by its code.
pub(super) fn lost_to_competitor(reasons: &[crate::db::DictItem]) -> Option<i64> {
    reasons
        .iter()
        .find(|r| r.code.as_deref() == Some(crate::db::DictItem::LOST_TO_COMPETITOR))
        .map(|r| r.id)
}
