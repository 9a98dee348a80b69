//! 商机管理: filing (报备), the approval steps, tasks and messages — the service trait the
//! pages call. Its parts: [`checks`] (forms against what the server knows), [`steps`] (reading
//! within the viewer's rights, writing a step), [`views`] (what the pages show), [`writes`] (what
//! the forms post). The rights are
//! `policy::rights`, the rules of the flows `workflow`, the writes the store's (one transaction
//! per step).

mod checks;
mod lists;
mod steps;
mod views;
mod writes;

use checks::lost_to_competitor;
pub(crate) use lists::ListRows;
use views::FormOf;

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
use crate::workflow::{apply, Action, Directory, Refusal, State, TaskKind};
use app::api::opportunities::{
    Badges, Choice, MessageRow, OpportunityEdit, OpportunityForm, OpportunityFormOptions,
    OpportunityListPage, OpportunityListQuery, OpportunityListRow, OpportunityService,
    OpportunityView, RecordView, SubmittedDecision, TaskListPage, TaskListQuery, TaskListRow,
    TaskView,
};
use app::api::opportunities::{
    EditView, FlowFormOptions, MessageAbout, SigningView, StageMove, StageStep, SubmittedFlow,
    TerminationView,
};
use app::model::columns::OPPORTUNITY_LIST;
use app::model::customer::FieldError;
use app::model::lifecycle::{SigningForm, TerminationForm};
use app::model::opportunity::{Decision, Fen, Flow, Level, RecordKind, Stage, Status};
use app::model::opportunity_form::ParsedOpportunity;
use app::model::tabs::{OpportunityTab, TaskTab};
use app::model::{AppError, CurrentUser, Role};
use chrono::{DateTime, FixedOffset, Utc};

use super::customer_list::PAGE_SIZE;

/// Planned activities listed at the head of 待办 (the oldest first; the rest on 销售活动).
const DUE_LISTED: u32 = 50;

fn china(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    at.with_timezone(&FixedOffset::east_opt(8 * 3600).expect("valid offset"))
}

pub(crate) fn minutes(at: DateTime<Utc>) -> String {
    china(at).format("%Y-%m-%d %H:%M").to_string()
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
        let filter = self.owner_filter(viewer, &q.owner_id, &q.owner).await?;
        let ListRows {
            rows,
            next,
            business_types,
        } = match filter.owner_id {
            Some(owner_id) => {
                let q = OpportunityListQuery {
                    owner_id,
                    ..q.clone()
                };
                self.opportunity_rows(viewer, &q, PAGE_SIZE).await?
            }
            // The text named nobody in particular: nothing until one is chosen.
            None => ListRows {
                rows: Vec::new(),
                next: None,
                business_types: self
                    .dictionary_pairs(viewer, DictKind::BusinessType)
                    .await?,
            },
        };
        let columns = OPPORTUNITY_LIST.visible(
            self.store
                .user_pref(viewer.id, &OPPORTUNITY_LIST.pref_key())
                .await?
                .as_deref(),
        );
        Ok(OpportunityListPage {
            rows,
            next,
            business_types,
            owner: filter.field,
            columns,
        })
    }

    async fn task(&self, viewer: &CurrentUser, id: i64) -> Result<TaskView, AppError> {
        let (task, o) = self.task_for(viewer, id).await?;
        let people = self.people_seen_by(viewer).await?;
        let directory = people.routing.clone();
        let state = state_of(&o);
        let names = people.names.clone();
        let open = o.open_task.filter(|t| t.id == task.id);
        let flow = task.flow;
        let (decisions_offered, forward_to) = match open {
            Some(t) if t.kind == TaskKind::Approve => {
                let offered = decisions(&state, &t, &directory);
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
            .find(|r| r.task_id == Some(task.id) && r.kind == RecordKind::ApproveForward)
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
            kind: task.kind,
            flow,
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

    async fn tasks(
        &self,
        viewer: &CurrentUser,
        q: &TaskListQuery,
    ) -> Result<TaskListPage, AppError> {
        self.task_page(viewer, q, PAGE_SIZE, DUE_LISTED).await
    }

    async fn badges(&self, viewer: &CurrentUser) -> Result<Badges, AppError> {
        let (todo, unread) = self.store.badge_counts(viewer.id).await?;
        Ok(Badges {
            todo,
            unread,
            warnings: self.warning_badge(viewer).await,
        })
    }
}
