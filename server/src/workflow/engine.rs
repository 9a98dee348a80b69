//! The transitions of the three flows (报备, 签约, 终止) and their refusals.

use super::routing::Directory;
use super::{MessageKind, OpenTask, State, TaskKind};
use app::model::opportunity::{Decision, Flow, RecordKind, Status};

/// What someone asks to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// 提交审批 of a draft (报备), to the chosen approver.
    Submit { approver_id: i64 },
    /// 签约 or 终止 of an active opportunity: 提交审批 to the chosen approver.
    Start { flow: Flow, approver_id: i64 },
    /// The assignee's 审批结果 on the open task.
    Decide {
        task_id: i64,
        decision: Decision,
        opinion: String,
    },
    /// 重新提交 a returned step, choosing the approver again.
    Resubmit { task_id: i64, approver_id: i64 },
    /// 作废 a returned filing (terminal).
    Void { task_id: i64 },
    /// 撤回 a returned 签约 or 终止: the opportunity stays active.
    Withdraw { task_id: i64 },
}

/// A task to open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewTask {
    pub assignee_id: i64,
    pub flow: Flow,
    pub kind: TaskKind,
}

/// Everything an allowed action changes; the store writes it in one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub status: Status,
    pub flow: Flow,
    /// The open task this action closes (decided, resubmitted, voided…).
    pub close_task: Option<i64>,
    pub open_task: Option<NewTask>,
    /// 待阅消息 to send: (user, kind).
    pub messages: Vec<(i64, MessageKind)>,
    /// The 审批记录 entry.
    pub record: RecordKind,
    /// 「下一位审批人员」 after a forward.
    pub next_approver: Option<i64>,
    /// What the step means beyond its status and tasks.
    pub effects: Effects,
}

/// The business consequences of a step, stated here and carried out by the store as told.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Effects {
    /// The filing's first 提交审批: its submission time is stamped.
    pub stamp_submitted: bool,
    /// The filing is approved: its filing time is stamped (it counts in 报备数量 from then).
    pub stamp_filed: bool,
    /// An approved 签约: the opportunity's 潜在客户 become 交易客户.
    pub convert_customers: bool,
    /// The step counts in the monthly rankings (an approved filing or 签约).
    pub counts_in_rankings: bool,
}

/// Why an action is refused; each has a message for the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The actor may not do this to this opportunity.
    NotAllowed,
    /// The task was decided (or withdrawn) meanwhile: 「该任务已被处理」.
    TaskDone,
    /// Someone else's task.
    NotYourTask,
    /// The chosen approver may not approve this step.
    ApproverNotEligible,
    /// 退回 needs an 审批意见.
    OpinionRequired,
    /// A general manager decides; there is nobody above to forward to.
    NoForward,
    /// Nobody holds the route's GM role (or it is the filer).
    NoGeneralManager,
    /// Not in a status where this action exists.
    WrongStatus,
}

impl Refusal {
    /// The translation key of the message.
    pub fn message_key(self) -> &'static str {
        match self {
            Refusal::NotAllowed => "common.forbidden",
            Refusal::TaskDone => "workflow.task_done",
            Refusal::NotYourTask => "workflow.not_your_task",
            Refusal::ApproverNotEligible => "workflow.approver_not_eligible",
            Refusal::OpinionRequired => "workflow.opinion_required",
            Refusal::NoForward => "workflow.no_forward",
            Refusal::NoGeneralManager => "workflow.no_general_manager",
            Refusal::WrongStatus => "workflow.wrong_status",
        }
    }

    /// The form field the message belongs beside (empty: the form as a whole).
    pub fn field(self) -> &'static str {
        match self {
            Refusal::ApproverNotEligible => "approver_id",
            Refusal::OpinionRequired => "opinion",
            Refusal::NoForward | Refusal::NoGeneralManager => "decision",
            _ => "",
        }
    }
}

/// Applies `action` by `actor_id` to `state`.
pub fn apply(
    state: &State,
    actor_id: i64,
    action: &Action,
    directory: &Directory,
) -> Result<Outcome, Refusal> {
    let eligible = |flow: Flow, approver_id: i64| {
        directory
            .person(approver_id)
            .is_some_and(|p| directory.eligible(state, flow, p))
    };
    let owner = actor_id == state.owner_id;
    match *action {
        Action::Submit { approver_id } => {
            if !owner {
                return Err(Refusal::NotAllowed);
            }
            if state.status != Status::Draft {
                return Err(Refusal::WrongStatus);
            }
            if !eligible(Flow::Filing, approver_id) {
                return Err(Refusal::ApproverNotEligible);
            }
            Ok(Outcome {
                effects: Effects {
                    stamp_submitted: true,
                    ..Effects::default()
                },
                ..submitted(Flow::Filing, approver_id, None, RecordKind::Submit)
            })
        }
        Action::Start { flow, approver_id } => {
            if !owner {
                return Err(Refusal::NotAllowed);
            }
            if flow == Flow::Filing || state.status != Status::Active || state.open_task.is_some() {
                return Err(Refusal::WrongStatus);
            }
            if !eligible(flow, approver_id) {
                return Err(Refusal::ApproverNotEligible);
            }
            Ok(submitted(flow, approver_id, None, RecordKind::Submit))
        }
        Action::Decide {
            task_id,
            decision,
            ref opinion,
        } => {
            let task = open_task(state, task_id, TaskKind::Approve)?;
            if actor_id != task.assignee_id {
                return Err(Refusal::NotYourTask);
            }
            if owner {
                return Err(Refusal::NotAllowed);
            }
            decide(state, task, decision, opinion, directory)
        }
        Action::Resubmit {
            task_id,
            approver_id,
        } => {
            let task = open_task(state, task_id, TaskKind::Returned)?;
            if !owner {
                return Err(Refusal::NotAllowed);
            }
            if !eligible(task.flow, approver_id) {
                return Err(Refusal::ApproverNotEligible);
            }
            Ok(submitted(
                task.flow,
                approver_id,
                Some(task.id),
                RecordKind::Resubmit,
            ))
        }
        Action::Void { task_id } | Action::Withdraw { task_id } => {
            let task = open_task(state, task_id, TaskKind::Returned)?;
            if !owner {
                return Err(Refusal::NotAllowed);
            }
            let (status, record) = match (action, task.flow) {
                (Action::Void { .. }, Flow::Filing) => (Status::Voided, RecordKind::Void),
                (Action::Withdraw { .. }, Flow::Signing | Flow::Termination) => {
                    (Status::Active, RecordKind::Withdraw)
                }
                _ => return Err(Refusal::WrongStatus),
            };
            Ok(Outcome {
                status,
                flow: task.flow,
                close_task: Some(task.id),
                open_task: None,
                messages: Vec::new(),
                record,
                next_approver: None,
                effects: Effects::default(),
            })
        }
    }
}

/// The status of a step of `flow` waiting for its approver.
fn pending(flow: Flow) -> Status {
    match flow {
        Flow::Filing => Status::Pending,
        Flow::Signing => Status::SignPending,
        Flow::Termination => Status::TerminatePending,
    }
}

/// A step of `flow` sent to `approver_id`.
fn submitted(flow: Flow, approver_id: i64, closes: Option<i64>, record: RecordKind) -> Outcome {
    Outcome {
        status: pending(flow),
        flow,
        close_task: closes,
        open_task: Some(NewTask {
            assignee_id: approver_id,
            flow,
            kind: TaskKind::Approve,
        }),
        messages: Vec::new(),
        record,
        next_approver: None,
        effects: Effects::default(),
    }
}

/// The open task if it is `task_id` of `kind`; otherwise it was handled meanwhile.
fn open_task(state: &State, task_id: i64, kind: TaskKind) -> Result<OpenTask, Refusal> {
    match state.open_task {
        Some(t) if t.id == task_id && t.kind == kind => Ok(t),
        _ => Err(Refusal::TaskDone),
    }
}

fn decide(
    state: &State,
    task: OpenTask,
    decision: Decision,
    opinion: &str,
    directory: &Directory,
) -> Result<Outcome, Refusal> {
    let flow = task.flow;
    let base = Outcome {
        status: state.status,
        flow,
        close_task: Some(task.id),
        open_task: None,
        messages: Vec::new(),
        record: RecordKind::ApproveEnd,
        next_approver: None,
        effects: Effects::default(),
    };
    match decision {
        Decision::ApproveEnd => Ok(Outcome {
            status: match flow {
                Flow::Filing => Status::Active,
                Flow::Signing => Status::Signed,
                Flow::Termination => Status::Terminated,
            },
            messages: vec![(state.owner_id, MessageKind::Approved)],
            effects: Effects {
                stamp_submitted: false,
                stamp_filed: flow == Flow::Filing,
                convert_customers: flow == Flow::Signing,
                counts_in_rankings: flow != Flow::Termination,
            },
            ..base
        }),
        Decision::ApproveForward => {
            let actor = directory.person(task.assignee_id);
            if actor.is_some_and(|p| directory.is_gm(state, flow, p)) {
                return Err(Refusal::NoForward);
            }
            let gm = directory
                .general_manager(state, flow)
                .filter(|gm| gm.id != task.assignee_id)
                .ok_or(Refusal::NoGeneralManager)?;
            Ok(Outcome {
                open_task: Some(NewTask {
                    assignee_id: gm.id,
                    flow,
                    kind: TaskKind::Approve,
                }),
                record: RecordKind::ApproveForward,
                next_approver: Some(gm.id),
                ..base
            })
        }
        Decision::Return => {
            if opinion.trim().is_empty() {
                return Err(Refusal::OpinionRequired);
            }
            Ok(Outcome {
                status: match flow {
                    Flow::Filing => Status::Returned,
                    Flow::Signing | Flow::Termination => Status::Active,
                },
                open_task: Some(NewTask {
                    assignee_id: state.owner_id,
                    flow,
                    kind: TaskKind::Returned,
                }),
                messages: vec![(state.owner_id, MessageKind::Returned)],
                record: RecordKind::Return,
                ..base
            })
        }
    }
}

/// Whether `actor_id` may edit the opportunity's fields now: its owner while it is a draft,
/// returned or active (no approver deciding); the current approver while a step is pending;
/// nobody once it is signed, terminated or voided.
pub fn may_edit(state: &State, actor_id: i64) -> bool {
    if state.status.is_terminal() {
        return false;
    }
    match state.open_task {
        Some(t) if t.kind == TaskKind::Approve => t.assignee_id == actor_id,
        _ => actor_id == state.owner_id,
    }
}

/// The 审批结果 the assignee of `task` is offered: 「通过，报总经理继续审批」 only when they are not
/// the route's general manager and there is one to forward to.
pub fn decisions(state: &State, task: &OpenTask, directory: &Directory) -> Vec<Decision> {
    let forward = directory
        .person(task.assignee_id)
        .is_some_and(|p| !directory.is_gm(state, task.flow, p))
        && directory
            .general_manager(state, task.flow)
            .is_some_and(|gm| gm.id != task.assignee_id);
    let mut offered = vec![Decision::ApproveEnd];
    if forward {
        offered.push(Decision::ApproveForward);
    }
    offered.push(Decision::Return);
    offered
}
