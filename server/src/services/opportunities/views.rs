//! What the opportunity pages and forms show: the record with its names, approval records,
//! shares, activities and history; the choices of its forms.

use super::*;
use crate::db::shares::Shared;

impl Services {
    /// The approvers one may choose for `flow` on `state`, as choices.
    pub(super) async fn approver_choices(
        &self,
        directory: &Directory,
        state: &State,
        flow: Flow,
    ) -> Result<Vec<Choice>, AppError> {
        let names = self.names().await?;
        Ok(directory
            .approvers(state, flow)
            .into_iter()
            .map(|p| (p.id, names.get(&p.id).cloned().unwrap_or_default()))
            .collect())
    }

    /// The filer's 商机级别 and city.
    pub(super) fn level_of(viewer: &CurrentUser) -> (Level, Option<i64>) {
        match viewer.city_id {
            Some(city) => (Level::City, Some(city)),
            None => (Level::Province, None),
        }
    }

    /// The 签约 / 终止 form's choices for `o`, starting from what was last submitted.
    pub(super) async fn flow_options(
        &self,
        o: &Opportunity,
        flow: Flow,
    ) -> Result<FlowFormOptions, AppError> {
        // One copy of the directory for the approvers and the dictionaries.
        let people = self.people().await?;
        let approvers = self
            .approver_choices(&people.routing, &state_of(o), flow)
            .await?;
        let reasons = people.dictionary_pairs(DictKind::TerminationReason);
        let signing = match self.store.signing(o.id).await? {
            Some(s) => SigningForm {
                contract_no: s.contract_no,
                amount: s.amount.to_plain(),
                signed_on: s.signed_on.format("%Y-%m-%d").to_string(),
                term: s.term.unwrap_or_default(),
                notes: s.notes.unwrap_or_default(),
                approver_id: String::new(),
                attachment_name: match s.attachment_id {
                    Some(file) => self.attachment_name(file).await?.unwrap_or_default(),
                    None => String::new(),
                },
                attachment_id: s.attachment_id.map(|f| f.to_string()).unwrap_or_default(),
            },
            None => SigningForm::default(),
        };
        let termination = self
            .store
            .termination(o.id)
            .await?
            .map(|t| TerminationForm {
                reason_id: t.reason_id.to_string(),
                competitor_id: t.competitor_id.map(|c| c.to_string()).unwrap_or_default(),
                reason_text: t.reason_text,
                approver_id: String::new(),
            })
            .unwrap_or_default();
        Ok(FlowFormOptions {
            opportunity_id: o.id,
            opportunity_name: o.fields.name.clone(),
            version: o.version,
            approvers,
            lost_to_competitor: lost_to_competitor(people.dictionary(DictKind::TerminationReason)),
            reasons,
            competitors: people.dictionary_pairs(DictKind::Competitor),
            today: self.today().format("%Y-%m-%d").to_string(),
            signing,
            termination,
        })
    }

    pub(super) async fn view_of(
        &self,
        viewer: &CurrentUser,
        o: &Opportunity,
    ) -> Result<OpportunityView, AppError> {
        let page = self.store.opportunity_page(o.id).await?;
        let head = page.head;
        // The business types, only to name a changed 业务类型 in the records and edits.
        let changed =
            !page.edits.is_empty() || page.records.iter().any(|r| r.changes_json.is_some());
        let types = if changed {
            self.dictionary_pairs(viewer, DictKind::BusinessType)
                .await?
        } else {
            Vec::new()
        };
        let records = page
            .records
            .into_iter()
            .map(|r| RecordView {
                flow: r.flow,
                kind: r.kind,
                actor: r.actor_name,
                at: minutes(r.at),
                opinion: r.opinion,
                next_approver: r.next_approver_name,
                changes: describe_changes(r.changes_json.as_deref(), &types),
            })
            .collect();
        let state = state_of(o);
        let stage_history = page
            .stages
            .into_iter()
            .map(|h| StageMove {
                from: h.from_stage,
                to: h.to_stage,
                by: h.actor_name,
                at: minutes(h.at),
            })
            .collect();
        let signing = match (head.contract_no, head.signed_amount_fen, &head.signed_on) {
            (Some(contract_no), Some(amount), Some(signed_on)) => Some(SigningView {
                contract_no,
                amount: Fen(amount).to_yuan(),
                signed_on: signed_on.clone(),
                term: head.term,
                notes: head.signing_notes,
                attachment: head.attachment_id.zip(head.attachment_name),
            }),
            _ => None,
        };
        let termination = head.termination_reason.map(|reason| TerminationView {
            reason,
            competitor: head.termination_competitor,
            text: head.termination_text.unwrap_or_default(),
        });
        // 商机维护: the saved edits, from the audit trail (which holds every change).
        let edits = page
            .edits
            .into_iter()
            .map(|e| {
                let parse = |j: Option<&str>| {
                    j.and_then(|j| serde_json::from_str::<serde_json::Value>(j).ok())
                        .map(|v| v["fields"].clone())
                        .unwrap_or_default()
                };
                let diff = serde_json::json!({
                    "before": parse(e.before_json.as_deref()),
                    "after": parse(e.after_json.as_deref()),
                })
                .to_string();
                EditView {
                    at: minutes(e.at),
                    actor: e.actor_name.unwrap_or_default(),
                    changes: describe_changes(Some(&diff), &types),
                }
            })
            .collect();
        let collaborates = page
            .shares
            .iter()
            .any(|s| s.user_id == viewer.id && s.editable);
        let sharing = if may_share_opportunity(viewer, o) {
            let of = Shared::Opportunity(o.id);
            Some(crate::services::shares::sharing(of, page.shares))
        } else {
            None
        };
        let can_submit = o.status == Status::Draft && o.owner_id == viewer.id;
        let approvers = if can_submit {
            let directory = self.routing_directory().await?;
            self.approver_choices(&directory, &state, Flow::Filing)
                .await?
        } else {
            Vec::new()
        };
        let ask_instead = if can_submit {
            self.ask_instead(viewer, &approvers).await?
        } else {
            Vec::new()
        };
        let files = self
            .record_file_views(
                viewer,
                crate::db::attachments::AttachmentOwner::Opportunity(o.id),
                crate::services::record_files::edits_opportunity_files(
                    viewer,
                    o.owner_id,
                    collaborates,
                ),
            )
            .await?;
        Ok(OpportunityView {
            files,
            ask_instead,
            id: o.id,
            name: o.fields.name.clone(),
            customers: page.customers,
            business_type: head.business_type,
            level: o.level,
            org_unit: head.unit_name,
            owner: head.owner_name,
            expected_amount: o.fields.expected_amount.map(Fen::to_yuan),
            expected_sign_date: o
                .fields
                .expected_sign_date
                .map(|d| d.format("%Y-%m-%d").to_string()),
            win_probability: o.fields.win_probability,
            competitors: page.competitors,
            description: o.fields.description.clone(),
            status: o.status,
            created_at: minutes(o.created_at),
            version: o.version,
            records,
            waiting_for: head.assignee_name,
            my_task: o
                .open_task
                .filter(|t| t.assignee_id == viewer.id)
                .map(|t| t.id),
            can_submit,
            approvers,
            can_edit: may_edit(&state, viewer.id),
            can_open_edit: may_open_edit_page(o, viewer.id, collaborates),
            quotes: self.quote_panel(viewer, o).await?,
            order: self.order_panel(viewer, o).await?,
            evaluation: self.evaluation_summary(o.id).await?,
            activities: self
                .activity_list(
                    viewer,
                    ActivitiesOf::Opportunity(o.id),
                    may_log_activity(o, viewer.id, collaborates),
                    &Default::default(),
                )
                .await?,
            edits,
            sharing,
            stage: o.stage,
            stage_history,
            can_move_stage: may_start_flow(o, viewer.id),
            signing,
            termination,
        })
    }

    /// Names of the customers a form holds: those already on the opportunity `on` (seen
    /// through it), the others only where the viewer's scope reaches.
    pub(super) async fn chosen_customers(
        &self,
        viewer: &CurrentUser,
        ids: &[i64],
        on: Option<&Opportunity>,
    ) -> Result<Vec<(i64, String)>, AppError> {
        let present = match on {
            Some(o) => self.store.opportunity_customer_names(o.id).await?,
            None => Vec::new(),
        };
        let others: Vec<i64> = ids
            .iter()
            .copied()
            .filter(|id| !present.iter().any(|(p, _)| p == id))
            .collect();
        let scoped = self
            .store
            .customer_names(&Scope::of(viewer), &others)
            .await?;
        Ok(ids
            .iter()
            .filter_map(|id| {
                present
                    .iter()
                    .chain(&scoped)
                    .find(|(c, _)| c == id)
                    .cloned()
            })
            .collect())
    }

    /// When nobody may approve (审批配置 names nobody there): the 系统管理员s to ask.
    async fn ask_instead(
        &self,
        viewer: &CurrentUser,
        approvers: &[Choice],
    ) -> Result<Vec<String>, AppError> {
        if !approvers.is_empty() {
            return Ok(Vec::new());
        }
        let people = self.people_seen_by(viewer).await?;
        Ok(people
            .routing
            .people
            .iter()
            .filter(|p| p.has(Role::SystemAdmin))
            .filter_map(|p| people.names.get(&p.id).cloned())
            .collect())
    }

    pub(super) async fn options_for(
        &self,
        viewer: &CurrentUser,
        approvers: Vec<Choice>,
        chosen: &[String],
        customer_query: &str,
        of: FormOf<'_>,
    ) -> Result<OpportunityFormOptions, AppError> {
        let (level, org_unit_id, on) = match of {
            FormOf::New { level, org_unit_id } => (level, org_unit_id, None),
            FormOf::Existing(o) => (o.level, o.org_unit_id, Some(o)),
        };
        let ids: Vec<i64> = chosen
            .iter()
            .filter_map(|s| s.trim().parse().ok())
            .collect();
        let chosen_customers = self.chosen_customers(viewer, &ids, on).await?;
        let found_customers = if customer_query.trim().is_empty() {
            Vec::new()
        } else {
            self.store
                .quick_find(&Scope::of(viewer), customer_query.trim(), PAGE_SIZE)
                .await?
                .into_iter()
                .map(|c| (c.id, c.name))
                .collect()
        };
        let org_unit = self
            .store
            .org_unit(org_unit_id)
            .await?
            .map(|u| u.name)
            .unwrap_or_default();
        let ask_instead = self.ask_instead(viewer, &approvers).await?;
        Ok(OpportunityFormOptions {
            ask_instead,
            business_types: self
                .dictionary_pairs(viewer, DictKind::BusinessType)
                .await?,
            competitors: self.dictionary_pairs(viewer, DictKind::Competitor).await?,
            approvers,
            level,
            org_unit,
            chosen_customers,
            found_customers,
        })
    }
}

/// Which opportunity a form is for: a new one (its 商机级别 and org unit the filer's), or one
/// that exists (whose customers it shows whatever the viewer's scope).
pub(super) enum FormOf<'a> {
    New { level: Level, org_unit_id: i64 },
    Existing(&'a Opportunity),
}

/// What an approver changed, field by field: (label key, before, after).
pub(super) fn describe_changes(
    json: Option<&str>,
    types: &[Choice],
) -> Vec<(String, String, String)> {
    let Some(value) = json.and_then(|j| serde_json::from_str::<serde_json::Value>(j).ok()) else {
        return Vec::new();
    };
    let show = |field: &str, v: &serde_json::Value| -> String {
        match (field, v) {
            (_, serde_json::Value::Null) => String::new(),
            ("business_type_id", v) => label_of(types, v.as_i64().unwrap_or_default()),
            ("expected_amount", v) => Fen(v.as_i64().unwrap_or_default()).to_yuan(),
            (_, serde_json::Value::String(s)) => s.clone(),
            (_, v) => v.to_string(),
        }
    };
    let fields = [
        ("name", "opportunity.name"),
        ("business_type_id", "opportunity.business_type"),
        ("customer_ids", "opportunity.customers"),
        ("expected_amount", "opportunity.expected_amount"),
        ("expected_sign_date", "opportunity.expected_sign_date"),
        ("win_probability", "opportunity.win_probability"),
        ("competitor_ids", "opportunity.competitors"),
        ("description", "opportunity.description"),
    ];
    fields
        .iter()
        .filter_map(|(field, key)| {
            let before = &value["before"][field];
            let after = &value["after"][field];
            (before != after).then(|| (key.to_string(), show(field, before), show(field, after)))
        })
        .collect()
}
