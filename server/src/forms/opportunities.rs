//! The form posts of 商机管理 and 任务: 报备商机 (with its customer search step), 提交审批 of a
//! draft, an approver's 审批结果, 重新提交 and 作废, and opening a 待阅消息.

use super::{answer, done, hold_attachment, on_page, show_again, Posted, PostedWithFiles};
use crate::state::AppState;
use app::api::opportunities::{
    MessageAbout, OpportunityForm, OpportunityService, StageStep, SubmittedDecision, SubmittedFlow,
    SubmittedOpportunity,
};
use app::model::opportunity::Flow;
use app::model::opportunity_form::{DecisionPost, OpportunityPost};
use app::model::posted::Versioned;
use app::model::CurrentUser;
use app::paths;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Extension;
use serde::Deserialize;

/// The customer search step of an opportunity form (查找客户 / 选择 / 移除): the form as it
/// now stands, to show again, or `None` when the post is the form's submission.
fn search_step(post: &OpportunityPost, form: &OpportunityForm) -> Option<SubmittedOpportunity> {
    if !post.is_search_step() {
        return None;
    }
    let mut form = form.clone();
    post.apply_to(&mut form);
    Some(SubmittedOpportunity {
        form,
        customer_query: post.customer_q.clone(),
        errors: Vec::new(),
    })
}

/// `POST /opportunities/{id}/stage` (阶段处理).
#[derive(Default, Deserialize)]
#[serde(default)]
struct StagePost {
    version: i64,
    stage: String,
}

/// `POST /opportunities/new` (报备商机): the customer search step shows the form again; 保存
/// keeps a draft; 提交审批 files it.
pub async fn post_new_opportunity(State(state): State<AppState>, posted: Posted) -> Response {
    let (post, form): (OpportunityPost, OpportunityForm) = (posted.form(), posted.form());
    if let Some(step) = search_step(&post, &form) {
        return show_again(state, posted.parts, step).await;
    }
    let submit = post.action != "save";
    let outcome = state
        .services
        .file(&posted.viewer, &form, submit)
        .await
        .map(|id| {
            let flag = if submit { "filed" } else { "saved" };
            format!("{}?{flag}=1", paths::OPPORTUNITY.of(id))
        });
    answer(state, posted.parts, outcome, |errors| {
        SubmittedOpportunity {
            form,
            customer_query: post.customer_q,
            errors,
        }
    })
    .await
}

/// `POST /opportunities/{id}/edit` (编辑 → 保存): a compare-and-set on the version read.
pub async fn post_edit_opportunity(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: Posted,
) -> Response {
    let (post, form): (OpportunityPost, OpportunityForm) = (posted.form(), posted.form());
    if let Some(step) = search_step(&post, &form) {
        return show_again(state, posted.parts, step).await;
    }
    let version = posted.form::<Versioned>().version;
    let outcome = state
        .services
        .update(&posted.viewer, id, version, &form)
        .await
        .map(|()| paths::OPPORTUNITY.of(id));
    answer(state, posted.parts, outcome, |errors| {
        SubmittedOpportunity {
            form,
            customer_query: post.customer_q,
            errors,
        }
    })
    .await
}

/// `POST /opportunities/{id}/submit` (a draft's 提交审批, choosing the approver).
pub async fn post_submit_draft(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: Posted,
) -> Response {
    let approver = posted.form::<OpportunityForm>().approver_id;
    let outcome = state
        .services
        .submit_draft(&posted.viewer, id, &approver)
        .await
        .map(|()| format!("{}?filed=1", paths::OPPORTUNITY.of(id)));
    let form = OpportunityForm {
        approver_id: approver,
        ..Default::default()
    };
    // A refusal is shown on the opportunity's page, where the form is.
    let parts = on_page(posted.parts, &paths::OPPORTUNITY.of(id));
    answer(state, parts, outcome, |errors| SubmittedOpportunity {
        form,
        customer_query: String::new(),
        errors,
    })
    .await
}

/// `POST /tasks/{id}` (任务处理页面 → 提交): the approver's 审批结果, 审批意见 and edits.
pub async fn post_decision(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: Posted,
) -> Response {
    let DecisionPost { decision, opinion } = posted.form();
    let submitted = SubmittedDecision {
        form: posted.form(),
        decision,
        opinion,
        ..Default::default()
    };
    let outcome = state
        .services
        .decide(&posted.viewer, id, &submitted)
        .await
        .map(|_| paths::TASK.of(id));
    answer(state, posted.parts, outcome, |errors| SubmittedDecision {
        errors,
        ..submitted
    })
    .await
}

/// `POST /tasks/{id}/resubmit` (重新提交 a returned step: the opportunity's fields for a
/// filing, the 签约 / 终止 form for those; and the approver).
pub async fn post_resubmit(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: PostedWithFiles,
) -> Response {
    let allowed = state.services.holds_task(posted.viewer(), id).await;
    let posted = match posted.read(allowed).await {
        Ok(posted) => posted,
        Err(refused) => return refused,
    };
    let held = hold_attachment(&state, &posted).await;
    let mut submitted = SubmittedDecision {
        form: posted.form(),
        signing: posted.form(),
        termination: posted.form(),
        ..Default::default()
    };
    let outcome = async {
        let signing = &mut submitted.signing;
        held?.apply(&mut signing.attachment_id, &mut signing.attachment_name);
        state
            .services
            .resubmit(&posted.viewer, id, &submitted)
            .await
            .map(|()| paths::TASK.of(id))
    }
    .await;
    answer(state, posted.parts, outcome, |errors| SubmittedDecision {
        errors,
        ..submitted
    })
    .await
}

/// `POST /tasks/{id}/withdraw` (撤回 a returned 签约 / 终止).
pub async fn post_withdraw(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Extension(viewer): Extension<CurrentUser>,
) -> Response {
    let result = state.services.withdraw(&viewer, id).await;
    done(result.map(|opportunity| paths::OPPORTUNITY.of(opportunity)))
}

/// `POST /opportunities/{id}/stage` (阶段处理): a stage, or on to the 签约 / 终止 form.
pub async fn post_stage(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: Posted,
) -> Response {
    let StagePost { version, stage } = posted.form();
    let outcome = state
        .services
        .move_stage(&posted.viewer, id, version, &stage)
        .await
        .map(|step| match step {
            StageStep::Moved => paths::OPPORTUNITY.of(id),
            StageStep::FlowForm(Flow::Termination) => paths::OPPORTUNITY_TERMINATE.of(id),
            StageStep::FlowForm(_) => paths::OPPORTUNITY_SIGN.of(id),
        });
    // A refusal is shown on the opportunity's page, where the form is.
    let parts = on_page(posted.parts, &paths::OPPORTUNITY.of(id));
    answer(state, parts, outcome, |errors| SubmittedOpportunity {
        errors,
        ..Default::default()
    })
    .await
}

/// `POST /opportunities/{id}/sign` and `/terminate` (签约 / 终止 → 提交审批).
async fn post_flow(state: AppState, id: i64, flow: Flow, posted: PostedWithFiles) -> Response {
    let allowed = state.services.may_start_flow(posted.viewer(), id).await;
    let posted = match posted.read(allowed).await {
        Ok(posted) => posted,
        Err(refused) => return refused,
    };
    let held = hold_attachment(&state, &posted).await;
    let mut submitted = SubmittedFlow {
        signing: posted.form(),
        termination: posted.form(),
        errors: Vec::new(),
    };
    let outcome = async {
        let signing = &mut submitted.signing;
        held?.apply(&mut signing.attachment_id, &mut signing.attachment_name);
        state
            .services
            .start_flow(&posted.viewer, id, flow, &submitted)
            .await
            .map(|()| format!("{}?submitted=1", paths::OPPORTUNITY.of(id)))
    }
    .await;
    answer(state, posted.parts, outcome, |errors| SubmittedFlow {
        errors,
        ..submitted
    })
    .await
}

pub async fn post_sign(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: PostedWithFiles,
) -> Response {
    post_flow(state, id, Flow::Signing, posted).await
}

pub async fn post_terminate(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: PostedWithFiles,
) -> Response {
    post_flow(state, id, Flow::Termination, posted).await
}

/// `POST /tasks/{id}/void` (作废 → 确定).
pub async fn post_void(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Extension(viewer): Extension<CurrentUser>,
) -> Response {
    let result = state.services.void(&viewer, id).await;
    done(result.map(|opportunity| paths::OPPORTUNITY.of(opportunity)))
}

/// `POST /messages/{id}`: opens a 待阅消息 (marking it read) at what it is about.
pub async fn open_message(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Extension(viewer): Extension<CurrentUser>,
) -> Response {
    let about = state.services.open_message(&viewer, id).await;
    done(about.map(|about| match about {
        MessageAbout::Opportunity(o) => paths::OPPORTUNITY.of(o),
        MessageAbout::Customer(c) => paths::CUSTOMER.of(c),
        MessageAbout::Announcement(a) => paths::ANNOUNCEMENT.of(a),
        MessageAbout::Nothing => paths::MESSAGES.path().to_owned(),
    }))
}
