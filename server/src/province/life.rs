//! One opportunity's life as the approval engine would have lived it: the tables its steps
//! write, and the steps (submit, decide, forward, tell the owner) that write them.

use super::rng::Rng;
use super::writer::Table;
use app::model::opportunity::{Flow, RecordKind, Status, TaskKind};
use chrono::{DateTime, Duration, Utc};

pub(super) const HOUR: f64 = 3600.0;
const DAY: i64 = 86_400;

/// Every table an opportunity's life writes, parents first (the order of a flush).
pub(super) struct Tables {
    pub(super) opportunities: Table,
    pub(super) customers: Table,
    pub(super) competitors: Table,
    pub(super) shares: Table,
    pub(super) tasks: Table,
    pub(super) records: Table,
    pub(super) messages: Table,
    pub(super) stages: Table,
    pub(super) signings: Table,
    pub(super) terminations: Table,
    pub(super) activities: Table,
    pub(super) activity_contacts: Table,
    pub(super) milestones: Table,
}

impl Tables {
    pub(super) fn new() -> Self {
        Self {
            opportunities: Table::new(
                "opportunities",
                "id, name, business_type_id, level, org_unit_id, city_id, industry_id, owner_id, \
                 expected_amount_fen, expected_sign_date, win_probability, description, stage, \
                 status, submitted_at, filed_at, version, created_at, updated_at",
            ),
            customers: Table::new(
                "opportunity_customers",
                "opportunity_id, customer_id, is_primary",
            ),
            competitors: Table::new("opportunity_competitors", "opportunity_id, competitor_id"),
            shares: Table::new(
                "opportunity_shares",
                "opportunity_id, user_id, collaborate, shared_by, created_at",
            ),
            tasks: Table::new(
                "tasks",
                "id, opportunity_id, flow, kind, assignee_id, open, created_at, closed_at, outcome",
            ),
            records: Table::new(
                "approval_records",
                "opportunity_id, task_id, flow, kind, actor_id, at, opinion, next_approver_id",
            ),
            messages: Table::new(
                "messages",
                "user_id, kind, opportunity_id, title, created_at, read_at",
            ),
            stages: Table::new(
                "stage_history",
                "opportunity_id, from_stage, to_stage, actor_id, at",
            ),
            signings: Table::new(
                "signings",
                "opportunity_id, contract_no, amount_fen, signed_on, term, updated_at",
            ),
            terminations: Table::new(
                "terminations",
                "opportunity_id, reason_id, competitor_id, reason_text, updated_at",
            ),
            activities: Table::new(
                "activities",
                "id, kind, activity_date, customer_id, opportunity_id, notes, done, created_by, \
                 created_at",
            ),
            activity_contacts: Table::new("activity_contacts", "activity_id, contact_id"),
            milestones: Table::new(
                "order_milestones",
                "opportunity_id, kind, name, planned_on, actual_on, amount_fen, status, note, \
                 created_at, city_id, industry_id, owner_id",
            ),
        }
    }

    pub(super) fn all(&mut self) -> [&mut Table; 13] {
        [
            &mut self.opportunities,
            &mut self.customers,
            &mut self.competitors,
            &mut self.shares,
            &mut self.tasks,
            &mut self.records,
            &mut self.messages,
            &mut self.stages,
            &mut self.signings,
            &mut self.terminations,
            &mut self.activities,
            &mut self.activity_contacts,
            &mut self.milestones,
        ]
    }
}

/// A task created by a step, written once the next step closes it (or left open).
pub(super) struct Waiting {
    id: i64,
    flow: Flow,
    kind: TaskKind,
    assignee: i64,
    at: DateTime<Utc>,
}

/// One opportunity as it lives: its state so far and the rows its steps write.
pub(super) struct Life<'a> {
    pub(super) t: &'a mut Tables,
    pub(super) next_task: &'a mut i64,
    pub(super) now: DateTime<Utc>,
    pub(super) id: i64,
    pub(super) owner: i64,
    pub(super) title: &'a str,
    pub(super) status: Status,
    pub(super) steps: i64,
    pub(super) updated: DateTime<Utc>,
    pub(super) waiting: Option<Waiting>,
}

impl Life<'_> {
    /// Opens a task (written when it closes or at the end).
    pub(super) fn open(
        &mut self,
        flow: Flow,
        kind: TaskKind,
        assignee: i64,
        at: DateTime<Utc>,
    ) -> i64 {
        let id = *self.next_task;
        *self.next_task += 1;
        self.waiting = Some(Waiting {
            id,
            flow,
            kind,
            assignee,
            at,
        });
        id
    }

    /// Closes the waiting task with `outcome`; returns its id.
    pub(super) fn close(&mut self, outcome: RecordKind, at: DateTime<Utc>) -> Option<i64> {
        let w = self.waiting.take()?;
        let (id, opportunity) = (w.id, self.id);
        self.t.tasks.push(|r| {
            r.int(id)
                .int(opportunity)
                .text(w.flow.code())
                .text(w.kind.code())
                .int(w.assignee)
                .bool(false)
                .time(w.at)
                .time(at)
                .text(outcome.code());
        });
        Some(id)
    }

    /// A step: the opportunity's new status and its 审批记录.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn step(
        &mut self,
        status: Status,
        flow: Flow,
        kind: RecordKind,
        actor: i64,
        at: DateTime<Utc>,
        task: Option<i64>,
        opinion: Option<&str>,
        next: Option<i64>,
    ) {
        self.status = status;
        self.steps += 1;
        self.updated = at;
        let opportunity = self.id;
        self.t.records.push(|r| {
            r.int(opportunity)
                .opt_int(task)
                .text(flow.code())
                .text(kind.code())
                .int(actor)
                .time(at)
                .opt_text(opinion)
                .opt_int(next);
        });
    }

    /// A 待阅消息 to the owner; read a while later unless it is recent.
    pub(super) fn tell(&mut self, kind: &str, at: DateTime<Utc>, rng: &mut Rng) {
        let read = (self.now - at > Duration::days(5))
            .then(|| at + Duration::seconds(rng.range(600, 3 * DAY)));
        let (owner, opportunity, title) = (self.owner, self.id, self.title);
        self.t.messages.push(|r| {
            r.int(owner)
                .text(kind)
                .int(opportunity)
                .text(title)
                .time(at)
                .opt_time(read);
        });
    }

    /// Submits a step of `flow` to `approver`.
    pub(super) fn submit(
        &mut self,
        flow: Flow,
        kind: RecordKind,
        approver: i64,
        at: DateTime<Utc>,
    ) {
        let closed = self.close(RecordKind::Resubmit, at);
        let task = self.open(flow, TaskKind::Approve, approver, at);
        let status = match flow {
            Flow::Filing => Status::Pending,
            Flow::Signing => Status::SignPending,
            Flow::Termination => Status::TerminatePending,
        };
        self.step(
            status,
            flow,
            kind,
            self.owner,
            at,
            closed.or(Some(task)),
            None,
            Some(approver),
        );
    }

    /// The approver of the waiting step decides it by `at`, forwarding it to `gm` with
    /// probability `forward`; `false`: nobody has answered yet.
    pub(super) fn approve(
        &mut self,
        rng: &mut Rng,
        forward: f64,
        gm: i64,
        at: DateTime<Utc>,
    ) -> bool {
        if at > self.now {
            return false;
        }
        let Some(w) = self.waiting.as_ref() else {
            return false;
        };
        let (flow, approver) = (w.flow, w.assignee);
        let mut at = at;
        let mut approver = approver;
        if approver != gm && rng.chance(forward) {
            let closed = self.close(RecordKind::ApproveForward, at);
            self.open(flow, TaskKind::Approve, gm, at);
            let status = self.status;
            self.step(
                status,
                flow,
                RecordKind::ApproveForward,
                approver,
                at,
                closed,
                Some("同意，报总经理审批"),
                Some(gm),
            );
            at += Duration::seconds(rng.wait(24.0 * HOUR) + 300);
            if at > self.now {
                return false;
            }
            approver = gm;
        }
        let closed = self.close(RecordKind::ApproveEnd, at);
        let status = match flow {
            Flow::Filing => Status::Active,
            Flow::Signing => Status::Signed,
            Flow::Termination => Status::Terminated,
        };
        self.step(
            status,
            flow,
            RecordKind::ApproveEnd,
            approver,
            at,
            closed,
            rng.chance(0.5).then_some("同意"),
            None,
        );
        self.tell("approved", at, rng);
        true
    }

    /// Leaves the waiting task open (nobody acted on it yet).
    pub(super) fn finish(&mut self) {
        if let Some(w) = self.waiting.take() {
            let opportunity = self.id;
            self.t.tasks.push(|r| {
                r.int(w.id)
                    .int(opportunity)
                    .text(w.flow.code())
                    .text(w.kind.code())
                    .int(w.assignee)
                    .bool(true)
                    .time(w.at)
                    .null()
                    .null();
            });
        }
    }
}
