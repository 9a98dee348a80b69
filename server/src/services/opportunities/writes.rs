//! The writes of 商机管理: 报备, the approval steps, 阶段处理, 签约 / 终止, and opening a message.
//! Called by the form handlers; each step runs through `run_step` (engine, store, live channel).

use super::steps::{without_form, Carried};
use super::*;

/// Writes: called by the form handlers, never by the `app` crate.
impl Services {
    /// 保存 (a draft) or 提交审批; returns the new opportunity's id.
    pub async fn file(
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
                let draft = State {
                    status: Status::Draft,
                    owner_id: viewer.id,
                    level,
                    city_id,
                    industry_id: 0,
                    open_task: None,
                };
                let submit = Action::Submit { approver_id };
                Some(self.plan_step(viewer, &draft, &submit).await?)
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

    /// 提交审批 of a draft from its page.
    pub async fn submit_draft(
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
        self.run_step(
            viewer,
            &o,
            Action::Submit { approver_id },
            Carried::default(),
        )
        .await
        .map(|_| ())
        .map_err(without_form)
    }

    /// An approver's 审批结果 (with their edits); returns the 「下一位审批人员」 after a forward.
    pub async fn decide(
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
        let action = Action::Decide {
            task_id: task.id,
            decision,
            opinion: submitted.opinion.clone(),
        };
        let carried = Carried {
            opinion: Some(submitted.opinion.clone()),
            fields: Some(fields),
            ..Carried::default()
        };
        let outcome = self.run_step(viewer, &o, action, carried).await?;
        Ok(outcome.next_approver)
    }

    /// 重新提交 a returned step (with the filer's edits, or the 签约 / 终止 form, and a newly
    /// chosen approver).
    pub async fn resubmit(
        &self,
        viewer: &CurrentUser,
        task_id: i64,
        submitted: &SubmittedDecision,
    ) -> Result<(), AppError> {
        let (task, o) = self.task_for(viewer, task_id).await?;
        let flow = task.flow;
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
        let carried = Carried {
            opinion: None,
            fields,
            signing,
            termination,
        };
        self.run_step(viewer, &o, action, carried).await.map(|_| ())
    }

    /// 撤回 a returned 签约 / 终止: the opportunity stays active.
    pub async fn withdraw(&self, viewer: &CurrentUser, task_id: i64) -> Result<i64, AppError> {
        self.close_returned(viewer, task_id, |task_id| Action::Withdraw { task_id })
            .await
    }

    /// `sign` and `terminate` answer that their flow's form comes next.
    pub async fn move_stage(
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

    /// 签约 / 终止 → 提交审批.
    pub async fn start_flow(
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
        let carried = Carried {
            signing,
            termination,
            ..Carried::default()
        };
        self.run_step(viewer, &o, Action::Start { flow, approver_id }, carried)
            .await
            .map(|_| ())
    }

    /// 作废 a returned filing.
    pub async fn void(&self, viewer: &CurrentUser, task_id: i64) -> Result<i64, AppError> {
        self.close_returned(viewer, task_id, |task_id| Action::Void { task_id })
            .await
    }

    /// Opens a message (marking it read): what it is about.
    pub async fn open_message(
        &self,
        viewer: &CurrentUser,
        id: i64,
    ) -> Result<MessageAbout, AppError> {
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
}
