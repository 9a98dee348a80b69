//! Reading an opportunity within the viewer's rights, and writing a workflow step (one
//! transaction, then the live channel told).

use super::*;
use crate::workflow::Outcome;

impl Services {
    /// Whether `viewer` may use the edit page of `o` (see `edit_page_allowed`).
    pub(crate) async fn may_open_edit(
        &self,
        viewer: &CurrentUser,
        o: &Opportunity,
    ) -> Result<bool, AppError> {
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

    /// 作废 or 撤回 a returned step (the action made from its task id): the opportunity's id.
    pub(super) async fn close_returned(
        &self,
        viewer: &CurrentUser,
        task_id: i64,
        action: impl FnOnce(i64) -> Action,
    ) -> Result<i64, AppError> {
        let (task, o) = self.task_for(viewer, task_id).await?;
        self.run_step(viewer, &o, action(task.id), Carried::default())
            .await
            .map_err(without_form)?;
        Ok(o.id)
    }

    /// What the engine makes of `action` by `viewer` on `state`; a refusal beside its field.
    pub(super) async fn plan_step(
        &self,
        viewer: &CurrentUser,
        state: &State,
        action: &Action,
    ) -> Result<Outcome, AppError> {
        let directory = self.routing_directory().await?;
        apply(state, viewer.id, action, &directory).map_err(refused)
    }

    /// One workflow step on `o`: the engine decides, the store writes it with what it carries
    /// (one transaction), the live channel hears of it. A step someone else wrote first is
    /// 「该任务已被处理」.
    pub(super) async fn run_step(
        &self,
        viewer: &CurrentUser,
        o: &Opportunity,
        action: Action,
        carried: Carried,
    ) -> Result<Outcome, AppError> {
        let outcome = self.plan_step(viewer, &state_of(o), &action).await?;
        let transition = Transition {
            expected_version: o.version,
            outcome: &outcome,
            opinion: carried.opinion,
            fields: carried.fields.as_ref(),
            signing: carried.signing.as_ref(),
            termination: carried.termination.as_ref(),
        };
        self.write_step(viewer, o, &transition).await?;
        Ok(outcome)
    }

    /// The opportunity of a task, if `viewer` holds (or held) that task.
    pub(super) async fn task_for(
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

    /// Writes a step the engine planned.
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
                if transition.outcome.effects.counts_in_rankings {
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
    pub(super) async fn rankings_changed(&self) {
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
}

/// What a step carries besides its action: the approver's 审批意见 and edits, a resubmitted
/// filing's fields, the 签约信息 or 终止原因.
#[derive(Default)]
pub(super) struct Carried {
    pub opinion: Option<String>,
    pub fields: Option<OpportunityFields>,
    pub signing: Option<SigningInfo>,
    pub termination: Option<TerminationInfo>,
}

/// A refusal for a post that has no form to show again: the first message, as the post's error.
pub(super) fn without_form(e: AppError) -> AppError {
    match e {
        AppError::Invalid(errors) => {
            let first = errors.into_iter().next();
            AppError::Field {
                field: first.as_ref().map(|e| e.field.clone()).unwrap_or_default(),
                message: first.map(|e| e.key).unwrap_or_default(),
            }
        }
        e => e,
    }
}
