//! 商机管理: filing (报备), the approval steps, tasks and messages. Rights and checks here; the
//! rules of the flows in `workflow`; the writes in the store, one transaction per step.

use super::directory::city_of;
use super::{internal, Services};
use crate::db::activities::ActivitiesOf;
use crate::db::attachments::AttachmentOwner;
use crate::db::opportunities::{
    NewOpportunity, Opportunity, OpportunityFields, OpportunityQuery, SigningInfo, TaskFilter,
    TaskQuery, TerminationInfo, Transition,
};
use crate::db::{Actor, DictKind, StoreError};
use crate::policy::rights::{
    may_log_activity, may_open_edit_page, may_share_opportunity, may_start_flow,
};
use crate::policy::scope::Scope;
use crate::workflow::engine::{decisions, may_edit};
use crate::workflow::{apply, Action, Directory, Person, Refusal, State, TaskKind};
use app::api::opportunities::{
    Badges, Choice, MessageRow, OpportunityEdit, OpportunityForm, OpportunityFormOptions,
    OpportunityListPage, OpportunityListQuery, OpportunityListRow, OpportunityService,
    OpportunityView, RecordView, SubmittedDecision, TaskListPage, TaskListQuery, TaskListRow,
    TaskView,
};
use app::api::opportunities::{
    EditView, FlowFormOptions, MessageAbout, SigningView, StageStep, SubmittedFlow, TerminationView,
};
use app::model::columns::OPPORTUNITY_LIST;
use app::model::customer::FieldError;
use app::model::lifecycle::{SigningForm, TerminationForm};
use app::model::opportunity::{Decision, Fen, Flow, Level, RecordKind, Stage, Status};
use app::model::opportunity_form::ParsedOpportunity;
use app::model::{AppError, CurrentUser, Role};
use chrono::{DateTime, FixedOffset, Utc};
use std::collections::HashMap;

use super::customer_list::PAGE_SIZE;

fn china(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    at.with_timezone(&FixedOffset::east_opt(8 * 3600).expect("valid offset"))
}

fn minutes(at: DateTime<Utc>) -> String {
    china(at).format("%Y-%m-%d %H:%M").to_string()
}

/// The engine's refusal as a request error (for posts that have no form to show again).
fn step_error(r: Refusal) -> AppError {
    match r {
        Refusal::NotAllowed => AppError::Forbidden,
        r => AppError::Field {
            field: r.field().into(),
            message: r.message_key().into(),
        },
    }
}

/// The engine's refusal beside its field.
fn refused(r: Refusal) -> AppError {
    match r {
        Refusal::NotAllowed => AppError::Forbidden,
        r => AppError::Invalid(vec![FieldError::new(r.field(), r.message_key())]),
    }
}

pub use crate::policy::rights::state_of;

/// A stored opportunity's fields as a form.
fn form_of(f: &OpportunityFields) -> OpportunityForm {
    OpportunityForm {
        name: f.name.clone(),
        customer_ids: f.customer_ids.iter().map(i64::to_string).collect(),
        business_type_id: f.business_type_id.to_string(),
        expected_amount: f.expected_amount.map(Fen::to_plain).unwrap_or_default(),
        expected_sign_date: f
            .expected_sign_date
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        win_probability: f.win_probability.map(|p| p.to_string()).unwrap_or_default(),
        competitor_ids: f.competitor_ids.iter().map(i64::to_string).collect(),
        description: f.description.clone().unwrap_or_default(),
        approver_id: String::new(),
    }
}

fn label_of(pairs: &[Choice], id: i64) -> String {
    pairs
        .iter()
        .find(|(i, _)| *i == id)
        .map(|(_, l)| l.clone())
        .unwrap_or_default()
}

impl Services {
    /// Every active user as routing sees them (roles, city, industries).
    pub async fn routing_directory(&self) -> Result<Directory, AppError> {
        let units = self.store.org_units().await?;
        let users = self.store.user_directory().await?;
        let assigned = self.store.role_assignments().await?;
        let people = users
            .into_iter()
            .map(|u| Person {
                id: u.id,
                roles: assigned
                    .roles
                    .iter()
                    .filter(|(id, _)| *id == u.id)
                    .filter_map(|(_, code)| Role::from_code(code))
                    .collect(),
                city_id: city_of(&units, u.org_unit_id),
                industry_ids: assigned
                    .industries
                    .iter()
                    .filter(|(id, _)| *id == u.id)
                    .map(|(_, i)| *i)
                    .collect(),
            })
            .collect();
        Ok(Directory { people })
    }

    /// User names by id.
    async fn names(&self) -> Result<HashMap<i64, String>, AppError> {
        Ok(self
            .store
            .user_directory()
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect())
    }

    /// The approvers one may choose for `flow` on `state`, as choices.
    async fn approver_choices(
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
    fn level_of(viewer: &CurrentUser) -> (Level, Option<i64>) {
        match viewer.city_id {
            Some(city) => (Level::City, Some(city)),
            None => (Level::Province, None),
        }
    }

    /// Checks a parsed form's ids against the dictionaries and the customers the viewer may
    /// see (`allowed` customers pass whatever the scope: those already on the opportunity).
    async fn checked_fields(
        &self,
        viewer: &CurrentUser,
        parsed: &ParsedOpportunity,
        allowed: &[i64],
    ) -> Result<OpportunityFields, AppError> {
        let mut errors = Vec::new();
        let types = self.dictionary_pairs(DictKind::BusinessType).await?;
        if !types.iter().any(|(id, _)| *id == parsed.business_type_id) {
            errors.push(FieldError::new("business_type_id", "field.invalid"));
        }
        let competitors = self.dictionary_pairs(DictKind::Competitor).await?;
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

    /// Whether `viewer` may use the edit page of `o` (see `edit_page_allowed`).
    async fn may_open_edit(&self, viewer: &CurrentUser, o: &Opportunity) -> Result<bool, AppError> {
        let collaborates = self.collaborates(viewer, o.id).await?;
        Ok(may_open_edit_page(o, viewer.id, collaborates))
    }

    /// The opportunity if `viewer` sees it (in scope) and `allowed` holds; `Forbidden`
    /// otherwise (also when it does not exist, so ids reveal nothing).
    pub(crate) async fn seen_opportunity(
        &self,
        viewer: &CurrentUser,
        id: i64,
        allowed: impl FnOnce(&Opportunity) -> bool,
    ) -> Result<Opportunity, AppError> {
        self.store
            .opportunity(&Scope::of(viewer), id)
            .await?
            .filter(allowed)
            .ok_or(AppError::Forbidden)
    }

    /// Whether `viewer` may start 签约 / 终止 on opportunity `id`: asked before the form's
    /// files are read.
    pub(crate) async fn may_start_flow(
        &self,
        viewer: &CurrentUser,
        id: i64,
    ) -> Result<(), AppError> {
        self.seen_opportunity(viewer, id, |o| may_start_flow(o, viewer.id))
            .await
            .map(|_| ())
    }

    /// Whether task `task_id` is `viewer`'s: asked before a resubmission's files are read.
    pub(crate) async fn holds_task(
        &self,
        viewer: &CurrentUser,
        task_id: i64,
    ) -> Result<(), AppError> {
        self.task_for(viewer, task_id).await.map(|_| ())
    }

    /// The opportunity if `viewer` may see and share it.
    async fn shareable_opportunity(
        &self,
        viewer: &CurrentUser,
        id: i64,
    ) -> Result<Opportunity, AppError> {
        self.seen_opportunity(viewer, id, |o| may_share_opportunity(viewer, o))
            .await
    }

    /// 作废 or 撤回 a returned step (the action made from its task id): the opportunity's id.
    async fn close_returned(
        &self,
        viewer: &CurrentUser,
        task_id: i64,
        action: impl FnOnce(i64) -> Action,
    ) -> Result<i64, AppError> {
        let (task, o) = self.task_for(viewer, task_id).await?;
        let directory = self.routing_directory().await?;
        let outcome =
            apply(&state_of(&o), viewer.id, &action(task.id), &directory).map_err(step_error)?;
        let transition = Transition {
            expected_version: o.version,
            outcome: &outcome,
            opinion: None,
            fields: None,
            signing: None,
            termination: None,
        };
        self.write_step(viewer, &o, &transition)
            .await
            .map_err(|e| match e {
                AppError::Invalid(_) => AppError::Field {
                    field: String::new(),
                    message: Refusal::TaskDone.message_key().into(),
                },
                e => e,
            })?;
        Ok(o.id)
    }

    /// A 签约 form for `o` checked: (approver, 签约信息). Its 附件 must be one the viewer
    /// uploaded, or the one it already has.
    async fn checked_signing(
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
    async fn checked_termination(
        &self,
        form: &TerminationForm,
    ) -> Result<(i64, TerminationInfo), AppError> {
        let reasons = self.store.dictionary(DictKind::TerminationReason).await?;
        let parsed = form
            .parse(lost_to_competitor(&reasons))
            .map_err(AppError::Invalid)?;
        if !reasons.iter().any(|r| r.id == parsed.reason_id) {
            return Err(AppError::Invalid(vec![FieldError::new(
                "reason_id",
                "field.invalid",
            )]));
        }
        if let Some(c) = parsed.competitor_id {
            let competitors = self.dictionary_pairs(DictKind::Competitor).await?;
            if !competitors.iter().any(|(id, _)| *id == c) {
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

    /// The 签约 / 终止 form's choices for `o`, starting from what was last submitted.
    async fn flow_options(&self, o: &Opportunity, flow: Flow) -> Result<FlowFormOptions, AppError> {
        let directory = self.routing_directory().await?;
        let approvers = self
            .approver_choices(&directory, &state_of(o), flow)
            .await?;
        let reasons = self.dictionary_pairs(DictKind::TerminationReason).await?;
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
            lost_to_competitor: lost_to_competitor(
                &self.store.dictionary(DictKind::TerminationReason).await?,
            ),
            reasons,
            competitors: self.dictionary_pairs(DictKind::Competitor).await?,
            today: self.today().format("%Y-%m-%d").to_string(),
            signing,
            termination,
        })
    }

    /// The opportunity of a task, if `viewer` holds (or held) that task.
    async fn task_for(
        &self,
        viewer: &CurrentUser,
        task_id: i64,
    ) -> Result<(crate::db::opportunities::TaskItem, Opportunity), AppError> {
        let task = self
            .store
            .task(task_id)
            .await?
            .filter(|t| t.assignee_id == viewer.id)
            .ok_or(AppError::Forbidden)?;
        let o = self
            .store
            .opportunity_for_workflow(task.opportunity_id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok((task, o))
    }

    /// Writes a step; a step someone else wrote first is 「该任务已被处理」.
    async fn write_step(
        &self,
        viewer: &CurrentUser,
        o: &Opportunity,
        transition: &Transition<'_>,
    ) -> Result<(), AppError> {
        let actor = Actor::user(viewer.id, self.clock.now());
        match self.store.apply_transition(&actor, o.id, transition).await {
            Ok(_) => {
                self.announce(o.id).await;
                let outcome = transition.outcome;
                let counted = (outcome.flow == Flow::Filing && outcome.status == Status::Active)
                    || outcome.status == Status::Signed;
                if counted {
                    self.rankings_changed().await;
                }
                Ok(())
            }
            Err(StoreError::Stale) => Err(AppError::Invalid(vec![FieldError::new(
                "",
                Refusal::TaskDone.message_key(),
            )])),
            Err(e) => Err(internal(e)),
        }
    }

    /// Tells every browser that the province's rankings changed (an approval that counts).
    async fn rankings_changed(&self) {
        if let Some(events) = &self.events {
            events.rankings_changed().await;
        }
    }

    /// Tells the live channel that an opportunity's step changed (see `events`).
    pub(crate) async fn announce(&self, opportunity_id: i64) {
        if let Some(events) = &self.events {
            events
                .opportunity_changed(&*self.store, opportunity_id)
                .await;
        }
    }

    async fn view_of(
        &self,
        viewer: &CurrentUser,
        o: &Opportunity,
    ) -> Result<OpportunityView, AppError> {
        let types = self.dictionary_pairs(DictKind::BusinessType).await?;
        let competitors = self.dictionary_pairs(DictKind::Competitor).await?;
        let names = self.names().await?;
        let name = |id: i64| names.get(&id).cloned().unwrap_or_default();
        let customers = self.store.opportunity_customer_names(o.id).await?;
        let unit = self
            .store
            .org_unit(o.org_unit_id)
            .await?
            .map(|u| u.name)
            .unwrap_or_default();
        let records = self
            .store
            .approval_records(o.id)
            .await?
            .into_iter()
            .map(|r| RecordView {
                flow_key: Flow::from_code(&r.flow)
                    .map(|f| f.label_key())
                    .unwrap_or_default()
                    .to_owned(),
                kind_key: RecordKind::from_code(&r.kind)
                    .map(|k| k.label_key())
                    .unwrap_or_default()
                    .to_owned(),
                actor: r.actor_name,
                at: minutes(r.at),
                opinion: r.opinion,
                next_approver: r.next_approver_name,
                changes: describe_changes(r.changes_json.as_deref(), &types),
            })
            .collect();
        let state = state_of(o);
        let stage_history = self
            .store
            .stage_history(o.id)
            .await?
            .into_iter()
            .map(|h| {
                let key = |code: &str| {
                    Stage::from_code(code)
                        .map(|s| s.label_key())
                        .unwrap_or_default()
                        .to_owned()
                };
                (
                    key(&h.from_stage),
                    key(&h.to_stage),
                    h.actor_name,
                    minutes(h.at),
                )
            })
            .collect();
        let signing = match self.store.signing(o.id).await? {
            Some(s) => Some(SigningView {
                contract_no: s.contract_no,
                amount: s.amount.to_yuan(),
                signed_on: s.signed_on.format("%Y-%m-%d").to_string(),
                term: s.term,
                notes: s.notes,
                attachment: match s.attachment_id {
                    Some(file) => self.attachment_name(file).await?.map(|name| (file, name)),
                    None => None,
                },
            }),
            None => None,
        };
        let termination = match self.store.termination(o.id).await? {
            Some(t) => {
                let reasons = self.dictionary_pairs(DictKind::TerminationReason).await?;
                Some(TerminationView {
                    reason: label_of(&reasons, t.reason_id),
                    competitor: t.competitor_id.map(|c| label_of(&competitors, c)),
                    text: t.reason_text,
                })
            }
            None => None,
        };
        // 商机维护: the saved edits, from the audit trail (which holds every change).
        let edits = self
            .store
            .audit_trail("opportunity", &o.id.to_string())
            .await?
            .into_iter()
            .filter(|e| e.action == "update")
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
                let who = e.actor_id.map(name).unwrap_or_default();
                EditView {
                    at: minutes(e.at),
                    actor: who,
                    changes: describe_changes(Some(&diff), &types),
                }
            })
            .collect();
        let shares = self.store.opportunity_shares(o.id).await?;
        let collaborates = shares.iter().any(|(u, _, c)| *u == viewer.id && *c);
        let can_share = may_share_opportunity(viewer, o);
        let share_candidates = if can_share {
            self.store
                .active_users()
                .await?
                .into_iter()
                .filter(|(id, _)| *id != o.owner_id && *id != viewer.id)
                .collect()
        } else {
            Vec::new()
        };
        let can_submit = o.status == Status::Draft && o.owner_id == viewer.id;
        let approvers = if can_submit {
            let directory = self.routing_directory().await?;
            self.approver_choices(&directory, &state, Flow::Filing)
                .await?
        } else {
            Vec::new()
        };
        Ok(OpportunityView {
            id: o.id,
            name: o.fields.name.clone(),
            customers,
            business_type: label_of(&types, o.fields.business_type_id),
            level_key: o.level.label_key().to_owned(),
            org_unit: unit,
            owner: name(o.owner_id),
            expected_amount: o.fields.expected_amount.map(Fen::to_yuan),
            expected_sign_date: o
                .fields
                .expected_sign_date
                .map(|d| d.format("%Y-%m-%d").to_string()),
            win_probability: o.fields.win_probability,
            competitors: o
                .fields
                .competitor_ids
                .iter()
                .map(|id| label_of(&competitors, *id))
                .collect(),
            description: o.fields.description.clone(),
            stage_key: o.stage.label_key().to_owned(),
            status_key: o.status.label_key().to_owned(),
            created_at: minutes(o.created_at),
            version: o.version,
            records,
            waiting_for: o.open_task.map(|t| name(t.assignee_id)),
            my_task: o
                .open_task
                .filter(|t| t.assignee_id == viewer.id)
                .map(|t| t.id),
            can_submit,
            approvers,
            can_edit: may_edit(&state, viewer.id),
            can_open_edit: may_open_edit_page(o, viewer.id, collaborates),
            activities: self
                .activity_list(
                    viewer,
                    ActivitiesOf::Opportunity(o.id),
                    may_log_activity(o, viewer.id, collaborates),
                )
                .await?,
            edits,
            can_share,
            shares: if can_share { shares } else { Vec::new() },
            share_candidates,
            stage: o.stage.code().to_owned(),
            stage_history,
            can_move_stage: may_start_flow(o, viewer.id),
            signing,
            termination,
        })
    }

    /// Names of the customers a form holds: those already on the opportunity `on` (seen
    /// through it), the others only where the viewer's scope reaches.
    async fn chosen_customers(
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

    async fn options_for(
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
        Ok(OpportunityFormOptions {
            business_types: self.dictionary_pairs(DictKind::BusinessType).await?,
            competitors: self.dictionary_pairs(DictKind::Competitor).await?,
            approvers,
            level_key: level.label_key().to_owned(),
            org_unit,
            chosen_customers,
            found_customers,
        })
    }
}

/// Which opportunity a form is for: a new one (its 商机级别 and org unit the filer's), or one
/// that exists (whose customers it shows whatever the viewer's scope).
enum FormOf<'a> {
    New { level: Level, org_unit_id: i64 },
    Existing(&'a Opportunity),
}

/// The id of the 终止原因 category 输给竞争对手 (the one that needs the competitor), by its code.
fn lost_to_competitor(reasons: &[crate::db::DictItem]) -> Option<i64> {
    reasons
        .iter()
        .find(|r| r.code.as_deref() == Some(crate::db::DictItem::LOST_TO_COMPETITOR))
        .map(|r| r.id)
}

/// What an approver changed, field by field: (label key, before, after).
fn describe_changes(json: Option<&str>, types: &[Choice]) -> Vec<(String, String, String)> {
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

#[async_trait::async_trait]
impl OpportunityService for Services {
    async fn form_options(
        &self,
        viewer: &CurrentUser,
        customer_query: &str,
        chosen: &[String],
    ) -> Result<OpportunityFormOptions, AppError> {
        if !viewer.has_role(Role::AccountManager) {
            return Err(AppError::Forbidden);
        }
        let (level, city_id) = Self::level_of(viewer);
        let directory = self.routing_directory().await?;
        let state = State {
            status: Status::Draft,
            owner_id: viewer.id,
            level,
            city_id,
            industry_id: 0,
            open_task: None,
        };
        let approvers = self
            .approver_choices(&directory, &state, Flow::Filing)
            .await?;
        self.options_for(
            viewer,
            approvers,
            chosen,
            customer_query,
            FormOf::New {
                level,
                org_unit_id: viewer.org_unit_id,
            },
        )
        .await
    }

    async fn file(
        &self,
        viewer: &CurrentUser,
        form: &OpportunityForm,
        submit: bool,
    ) -> Result<i64, AppError> {
        if !viewer.has_role(Role::AccountManager) {
            return Err(AppError::Forbidden);
        }
        let parsed = form.parse(submit).map_err(AppError::Invalid)?;
        let fields = self.checked_fields(viewer, &parsed, &[]).await?;
        let (level, city_id) = Self::level_of(viewer);
        let new = NewOpportunity {
            fields,
            owner_id: viewer.id,
            org_unit_id: viewer.org_unit_id,
            level,
            city_id,
        };
        let outcome = match (submit, parsed.approver_id) {
            (true, Some(approver_id)) => {
                let directory = self.routing_directory().await?;
                let state = State {
                    status: Status::Draft,
                    owner_id: viewer.id,
                    level,
                    city_id,
                    industry_id: 0,
                    open_task: None,
                };
                Some(
                    apply(
                        &state,
                        viewer.id,
                        &Action::Submit { approver_id },
                        &directory,
                    )
                    .map_err(refused)?,
                )
            }
            _ => None,
        };
        let actor = Actor::user(viewer.id, self.clock.now());
        let id = self
            .store
            .create_opportunity(&actor, &new, outcome.as_ref())
            .await?;
        if outcome.is_some() {
            self.announce(id).await;
        }
        Ok(id)
    }

    async fn submit_draft(
        &self,
        viewer: &CurrentUser,
        id: i64,
        approver_id: &str,
    ) -> Result<(), AppError> {
        let o = self.seen_opportunity(viewer, id, |_| true).await?;
        let approver_id = approver_id.trim().parse().map_err(|_| AppError::Field {
            field: "approver_id".into(),
            message: "opportunity.approver_required".into(),
        })?;
        let directory = self.routing_directory().await?;
        let outcome = apply(
            &state_of(&o),
            viewer.id,
            &Action::Submit { approver_id },
            &directory,
        )
        .map_err(step_error)?;
        let transition = Transition {
            expected_version: o.version,
            outcome: &outcome,
            opinion: None,
            fields: None,
            signing: None,
            termination: None,
        };
        self.write_step(viewer, &o, &transition)
            .await
            .map_err(|e| match e {
                AppError::Invalid(errors) => AppError::Field {
                    field: String::new(),
                    message: errors.first().map(|e| e.key.clone()).unwrap_or_default(),
                },
                e => e,
            })
    }

    async fn opportunity(
        &self,
        viewer: &CurrentUser,
        id: i64,
    ) -> Result<OpportunityView, AppError> {
        let o = self.seen_opportunity(viewer, id, |_| true).await?;
        self.view_of(viewer, &o).await
    }

    async fn edit_form(
        &self,
        viewer: &CurrentUser,
        id: i64,
        customer_query: &str,
        chosen: Option<&[String]>,
    ) -> Result<OpportunityEdit, AppError> {
        let o = self.seen_opportunity(viewer, id, |_| true).await?;
        if !self.may_open_edit(viewer, &o).await? {
            return Err(AppError::Forbidden);
        }
        let form = form_of(&o.fields);
        let chosen = chosen.unwrap_or(&form.customer_ids).to_vec();
        let options = self
            .options_for(
                viewer,
                Vec::new(),
                &chosen,
                customer_query,
                FormOf::Existing(&o),
            )
            .await?;
        let locked = self.locked_fields(viewer, &o).await?;
        Ok(OpportunityEdit {
            id: o.id,
            version: o.version,
            form,
            options,
            locked: locked.into_iter().map(str::to_owned).collect(),
        })
    }

    async fn update(
        &self,
        viewer: &CurrentUser,
        id: i64,
        version: i64,
        form: &OpportunityForm,
    ) -> Result<(), AppError> {
        let o = self.seen_opportunity(viewer, id, |_| true).await?;
        if !self.may_open_edit(viewer, &o).await? {
            return Err(AppError::Forbidden);
        }
        // The rights were checked on this version: a post made from another is stale.
        if version != o.version {
            return Err(AppError::Invalid(vec![FieldError::new(
                "",
                "customer.stale",
            )]));
        }
        let parsed = form.parse(false).map_err(AppError::Invalid)?;
        let fields = self
            .checked_fields(viewer, &parsed, &o.fields.customer_ids)
            .await?;
        let locked = self.locked_fields(viewer, &o).await?;
        let refused = super::approved_fields::locked_changes(&locked, &o.fields, &fields);
        if !refused.is_empty() {
            return Err(AppError::Invalid(refused));
        }
        let actor = Actor::user(viewer.id, self.clock.now());
        match self
            .store
            .update_opportunity(&actor, id, o.version, &fields)
            .await
        {
            Ok(_) => {
                self.announce(id).await;
                Ok(())
            }
            Err(StoreError::Stale) => Err(AppError::Invalid(vec![FieldError::new(
                "",
                "customer.stale",
            )])),
            Err(e) => Err(internal(e)),
        }
    }

    async fn list(
        &self,
        viewer: &CurrentUser,
        q: &OpportunityListQuery,
    ) -> Result<OpportunityListPage, AppError> {
        let id = |s: &str| s.trim().parse::<i64>().ok();
        let date = app::model::date::parse_day;
        let text = |s: &str| Some(s.trim().to_owned()).filter(|t| !t.is_empty());
        let query = OpportunityQuery {
            name_contains: text(&q.name),
            customer_contains: text(&q.customer),
            business_type_id: id(&q.business_type_id),
            status: Status::from_code(&q.status),
            owner_id: match q.tab.as_str() {
                "all" | "shared" => id(&q.owner_id),
                _ => Some(viewer.id),
            },
            shared_with: (q.tab == "shared").then_some(viewer.id),
            created_from: date(&q.from),
            created_to: date(&q.to),
            after_id: id(&q.after_id),
            limit: PAGE_SIZE + 1,
        };
        let mut found = self.store.opportunities(&Scope::of(viewer), &query).await?;
        let more = found.len() > PAGE_SIZE as usize;
        found.truncate(PAGE_SIZE as usize);
        let next = more.then(|| found.last().map(|o| o.id)).flatten();
        let types = self.dictionary_pairs(DictKind::BusinessType).await?;
        let rows = found
            .into_iter()
            .map(|o| OpportunityListRow {
                id: o.id,
                name: o.name,
                customer: o.customer_name,
                business_type: label_of(&types, o.business_type_id),
                status_key: Status::from_code(&o.status)
                    .map(|s| s.label_key())
                    .unwrap_or_default()
                    .to_owned(),
                stage_key: app::model::opportunity::Stage::from_code(&o.stage)
                    .map(|s| s.label_key())
                    .unwrap_or_default()
                    .to_owned(),
                owner: o.owner_name,
                expected_amount: o.expected_amount_fen.map(|f| Fen(f).to_yuan()),
                created_on: china(o.created_at).format("%Y-%m-%d").to_string(),
            })
            .collect();
        let owners = self
            .reachable(viewer)
            .await?
            .users
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect();
        let columns = OPPORTUNITY_LIST.visible(
            self.store
                .user_pref(viewer.id, &OPPORTUNITY_LIST.pref_key())
                .await?
                .as_deref(),
        );
        Ok(OpportunityListPage {
            rows,
            next,
            business_types: types,
            owners,
            columns,
        })
    }

    async fn task(&self, viewer: &CurrentUser, id: i64) -> Result<TaskView, AppError> {
        let (task, o) = self.task_for(viewer, id).await?;
        let directory = self.routing_directory().await?;
        let state = state_of(&o);
        let names = self.names().await?;
        let open = o.open_task.filter(|t| t.id == task.id);
        let flow = Flow::from_code(&task.flow).unwrap_or(Flow::Filing);
        let (decisions_offered, forward_to) = match open {
            Some(t) if t.kind == TaskKind::Approve => {
                let offered: Vec<String> = decisions(&state, &t, &directory)
                    .into_iter()
                    .map(|d| d.code().to_owned())
                    .collect();
                let gm = directory
                    .general_manager(&state, flow)
                    .and_then(|p| names.get(&p.id).cloned());
                (offered, gm)
            }
            _ => (Vec::new(), None),
        };
        let approvers = match open {
            Some(t) if t.kind == TaskKind::Returned => {
                self.approver_choices(&directory, &state, flow).await?
            }
            _ => Vec::new(),
        };
        let records = self.store.approval_records(o.id).await?;
        let next_approver = records
            .iter()
            .rev()
            .find(|r| r.task_id == Some(task.id) && r.kind == RecordKind::ApproveForward.code())
            .and_then(|r| r.next_approver_name.clone());
        let flow_options = match open {
            Some(t) if t.kind == TaskKind::Returned && flow != Flow::Filing => {
                Some(self.flow_options(&o, flow).await?)
            }
            _ => None,
        };
        let form = form_of(&o.fields);
        let options = self
            .options_for(
                viewer,
                approvers,
                &form.customer_ids,
                "",
                FormOf::Existing(&o),
            )
            .await?;
        Ok(TaskView {
            task_id: task.id,
            open: open.is_some(),
            kind: task.kind.clone(),
            flow_key: flow.label_key().to_owned(),
            mine: open.is_some(),
            opportunity: self.view_of(viewer, &o).await?,
            form,
            options,
            decisions: decisions_offered,
            forward_to,
            next_approver,
            flow_options,
        })
    }

    async fn decide(
        &self,
        viewer: &CurrentUser,
        task_id: i64,
        submitted: &SubmittedDecision,
    ) -> Result<Option<i64>, AppError> {
        let (task, o) = self.task_for(viewer, task_id).await?;
        let Some(decision) = Decision::from_code(submitted.decision.trim()) else {
            return Err(AppError::Invalid(vec![FieldError::new(
                "decision",
                "field.required",
            )]));
        };
        let parsed = submitted.form.parse(false).map_err(AppError::Invalid)?;
        let fields = self
            .checked_fields(viewer, &parsed, &o.fields.customer_ids)
            .await?;
        let directory = self.routing_directory().await?;
        let action = Action::Decide {
            task_id: task.id,
            decision,
            opinion: submitted.opinion.clone(),
        };
        let outcome = apply(&state_of(&o), viewer.id, &action, &directory).map_err(refused)?;
        let transition = Transition {
            expected_version: o.version,
            outcome: &outcome,
            opinion: Some(submitted.opinion.clone()),
            fields: Some(&fields),
            signing: None,
            termination: None,
        };
        self.write_step(viewer, &o, &transition).await?;
        Ok(outcome.next_approver)
    }

    async fn resubmit(
        &self,
        viewer: &CurrentUser,
        task_id: i64,
        submitted: &SubmittedDecision,
    ) -> Result<(), AppError> {
        let (task, o) = self.task_for(viewer, task_id).await?;
        let flow = Flow::from_code(&task.flow).unwrap_or(Flow::Filing);
        let directory = self.routing_directory().await?;
        // A returned filing is resubmitted with the opportunity's fields; a returned 签约 or 终止
        // with its own form.
        let (approver_id, fields, signing, termination) = match flow {
            Flow::Filing => {
                let parsed = submitted.form.parse(true).map_err(AppError::Invalid)?;
                let fields = self
                    .checked_fields(viewer, &parsed, &o.fields.customer_ids)
                    .await?;
                (
                    parsed.approver_id.unwrap_or_default(),
                    Some(fields),
                    None,
                    None,
                )
            }
            Flow::Signing => {
                let info = self.checked_signing(viewer, &o, &submitted.signing).await?;
                (info.0, None, Some(info.1), None)
            }
            Flow::Termination => {
                let info = self.checked_termination(&submitted.termination).await?;
                (info.0, None, None, Some(info.1))
            }
        };
        let action = Action::Resubmit {
            task_id: task.id,
            approver_id,
        };
        let outcome = apply(&state_of(&o), viewer.id, &action, &directory).map_err(refused)?;
        let transition = Transition {
            expected_version: o.version,
            outcome: &outcome,
            opinion: None,
            fields: fields.as_ref(),
            signing: signing.as_ref(),
            termination: termination.as_ref(),
        };
        self.write_step(viewer, &o, &transition).await
    }

    async fn withdraw(&self, viewer: &CurrentUser, task_id: i64) -> Result<i64, AppError> {
        self.close_returned(viewer, task_id, |task_id| Action::Withdraw { task_id })
            .await
    }

    async fn share(
        &self,
        viewer: &CurrentUser,
        id: i64,
        user_id: i64,
        collaborate: bool,
    ) -> Result<(), AppError> {
        let o = self.shareable_opportunity(viewer, id).await?;
        let target = self.store.user(user_id).await?;
        if target.is_none_or(|u| u.disabled) || user_id == o.owner_id {
            return Err(AppError::Field {
                field: "user_id".into(),
                message: "field.invalid".into(),
            });
        }
        let actor = Actor::user(viewer.id, self.clock.now());
        self.store
            .share_opportunity(&actor, id, user_id, collaborate)
            .await?;
        if let Some(events) = &self.events {
            events.user_changed(user_id).await;
        }
        Ok(())
    }

    async fn unshare(&self, viewer: &CurrentUser, id: i64, user_id: i64) -> Result<(), AppError> {
        self.shareable_opportunity(viewer, id).await?;
        let actor = Actor::user(viewer.id, self.clock.now());
        self.store
            .unshare_opportunity(&actor, id, user_id)
            .await
            .map_err(internal)
    }

    async fn move_stage(
        &self,
        viewer: &CurrentUser,
        id: i64,
        version: i64,
        stage: &str,
    ) -> Result<StageStep, AppError> {
        let o = self
            .seen_opportunity(viewer, id, |o| may_start_flow(o, viewer.id))
            .await?;
        match stage {
            "sign" => return Ok(StageStep::FlowForm(Flow::Signing)),
            "terminate" => return Ok(StageStep::FlowForm(Flow::Termination)),
            _ => {}
        }
        let Some(to) = Stage::from_code(stage) else {
            return Err(AppError::Invalid(vec![FieldError::new(
                "stage",
                "field.invalid",
            )]));
        };
        // The rights were checked on this version: a post made from another is stale.
        if version != o.version {
            return Err(AppError::Invalid(vec![FieldError::new(
                "stage",
                "customer.stale",
            )]));
        }
        let actor = Actor::user(viewer.id, self.clock.now());
        match self.store.move_stage(&actor, o.id, o.version, to).await {
            Ok(()) => Ok(StageStep::Moved),
            Err(StoreError::Stale) => Err(AppError::Invalid(vec![FieldError::new(
                "stage",
                "customer.stale",
            )])),
            Err(e) => Err(internal(e)),
        }
    }

    async fn flow_form(
        &self,
        viewer: &CurrentUser,
        id: i64,
        flow: Flow,
    ) -> Result<FlowFormOptions, AppError> {
        let o = self
            .seen_opportunity(viewer, id, |o| {
                may_start_flow(o, viewer.id) && flow != Flow::Filing
            })
            .await?;
        self.flow_options(&o, flow).await
    }

    async fn start_flow(
        &self,
        viewer: &CurrentUser,
        id: i64,
        flow: Flow,
        submitted: &SubmittedFlow,
    ) -> Result<(), AppError> {
        let o = self
            .seen_opportunity(viewer, id, |o| may_start_flow(o, viewer.id))
            .await?;
        let (approver_id, signing, termination) = match flow {
            Flow::Signing => {
                let (approver, info) = self.checked_signing(viewer, &o, &submitted.signing).await?;
                (approver, Some(info), None)
            }
            Flow::Termination => {
                let (approver, info) = self.checked_termination(&submitted.termination).await?;
                (approver, None, Some(info))
            }
            Flow::Filing => return Err(AppError::Forbidden),
        };
        let directory = self.routing_directory().await?;
        let action = Action::Start { flow, approver_id };
        let outcome = apply(&state_of(&o), viewer.id, &action, &directory).map_err(refused)?;
        let transition = Transition {
            expected_version: o.version,
            outcome: &outcome,
            opinion: None,
            fields: None,
            signing: signing.as_ref(),
            termination: termination.as_ref(),
        };
        self.write_step(viewer, &o, &transition).await
    }

    async fn void(&self, viewer: &CurrentUser, task_id: i64) -> Result<i64, AppError> {
        self.close_returned(viewer, task_id, |task_id| Action::Void { task_id })
            .await
    }

    async fn tasks(
        &self,
        viewer: &CurrentUser,
        q: &TaskListQuery,
    ) -> Result<TaskListPage, AppError> {
        let id = |s: &str| s.trim().parse::<i64>().ok();
        if q.tab == "messages" {
            let mut found = self
                .store
                .messages(viewer.id, false, id(&q.after_id), PAGE_SIZE + 1)
                .await?;
            let more = found.len() > PAGE_SIZE as usize;
            found.truncate(PAGE_SIZE as usize);
            let next = more.then(|| found.last().map(|m| m.id)).flatten();
            return Ok(TaskListPage {
                tasks: Vec::new(),
                messages: found
                    .into_iter()
                    .map(|m| MessageRow {
                        id: m.id,
                        kind: m.kind,
                        title: m.title,
                        created_at: minutes(m.created_at),
                        read: m.read_at.is_some(),
                    })
                    .collect(),
                next,
            });
        }
        let date = app::model::date::parse_day;
        let query = TaskQuery {
            filter: match q.tab.as_str() {
                "todo" => TaskFilter::Todo,
                "done" => TaskFilter::Done,
                _ => TaskFilter::All,
            },
            name_contains: Some(q.name.trim().to_owned()).filter(|t| !t.is_empty()),
            flow: Flow::from_code(&q.flow),
            from: date(&q.from),
            to: date(&q.to),
            after_id: id(&q.after_id),
            limit: PAGE_SIZE + 1,
        };
        let mut found = self.store.tasks(viewer.id, &query).await?;
        let more = found.len() > PAGE_SIZE as usize;
        found.truncate(PAGE_SIZE as usize);
        let next = more.then(|| found.last().map(|t| t.id)).flatten();
        Ok(TaskListPage {
            tasks: found
                .into_iter()
                .map(|t| TaskListRow {
                    id: t.id,
                    opportunity_name: t.opportunity_name,
                    flow_key: Flow::from_code(&t.flow)
                        .map(|f| f.label_key())
                        .unwrap_or_default()
                        .to_owned(),
                    kind: t.kind,
                    open: t.open,
                    filer: t.filer_name,
                    created_at: minutes(t.created_at),
                    outcome_key: t
                        .outcome
                        .as_deref()
                        .and_then(RecordKind::from_code)
                        .map(|k| k.label_key().to_owned()),
                })
                .collect(),
            messages: Vec::new(),
            next,
        })
    }

    async fn open_message(&self, viewer: &CurrentUser, id: i64) -> Result<MessageAbout, AppError> {
        let message = self
            .store
            .read_message(viewer.id, id, self.clock.now())
            .await?
            .ok_or(AppError::Forbidden)?;
        if let Some(events) = &self.events {
            events.user_changed(viewer.id).await;
        }
        Ok(
            match (
                message.opportunity_id,
                message.customer_id,
                message.announcement_id,
            ) {
                (Some(o), _, _) => MessageAbout::Opportunity(o),
                (None, Some(c), _) => MessageAbout::Customer(c),
                (None, None, Some(a)) => MessageAbout::Announcement(a),
                _ => MessageAbout::Nothing,
            },
        )
    }

    async fn badges(&self, viewer: &CurrentUser) -> Result<Badges, AppError> {
        let (todo, unread) = self.store.badge_counts(viewer.id).await?;
        Ok(Badges { todo, unread })
    }
}
