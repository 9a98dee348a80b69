//! The engine's rules, one sentence each, and a model-based run of random actions.

use super::engine::{decisions, Effects, NewTask};
use super::*;
use app::model::opportunity::{Decision, RecordKind};
use app::model::Role;

const SJZ: i64 = 2;
const BD: i64 = 3;
const GOV: i64 = 1;
const FIN: i64 = 2;

const AM1: i64 = 10;
const AM2: i64 = 11;
const VP1: i64 = 12;
const GM: i64 = 13;
const BD_VP1: i64 = 14;
const BD_GM: i64 = 15;
const PROV_VP: i64 = 20;
const PROV_GM: i64 = 21;
const IND_GOV: i64 = 22;
const IND_FIN: i64 = 23;
const PROV_AM: i64 = 24;

fn person(id: i64, roles: &[Role], city_id: Option<i64>, industry_ids: &[i64]) -> Person {
    Person {
        id,
        roles: roles.to_vec(),
        city_id,
        industry_ids: industry_ids.to_vec(),
    }
}

/// The demo organisation, as routing sees it.
fn directory() -> Directory {
    Directory {
        people: vec![
            person(AM1, &[Role::AccountManager], Some(SJZ), &[]),
            person(AM2, &[Role::AccountManager], Some(SJZ), &[]),
            person(VP1, &[Role::CityDeputyGm], Some(SJZ), &[]),
            person(GM, &[Role::CityGm], Some(SJZ), &[]),
            person(BD_VP1, &[Role::CityDeputyGm], Some(BD), &[]),
            person(BD_GM, &[Role::CityGm], Some(BD), &[]),
            person(PROV_VP, &[Role::ProvinceDeputyGm], None, &[]),
            person(PROV_GM, &[Role::ProvinceGm], None, &[]),
            person(IND_GOV, &[Role::IndustryDirector], None, &[GOV]),
            person(IND_FIN, &[Role::IndustryDirector], None, &[FIN]),
            person(PROV_AM, &[Role::AccountManager], None, &[]),
        ],
    }
}

fn draft_of(owner_id: i64) -> State {
    let (level, city_id) = if owner_id == PROV_AM {
        (Level::Province, None)
    } else {
        (Level::City, Some(SJZ))
    };
    State {
        status: Status::Draft,
        owner_id,
        level,
        city_id,
        industry_id: GOV,
        open_task: None,
    }
}

/// What the store does with an outcome: the new status, the task closed and the one opened.
fn after(mut state: State, outcome: &Outcome, next_task_id: i64) -> State {
    state.status = outcome.status;
    if outcome.close_task.is_some() {
        state.open_task = None;
    }
    if let Some(NewTask {
        assignee_id,
        flow,
        kind,
    }) = outcome.open_task
    {
        state.open_task = Some(OpenTask {
            id: next_task_id,
            assignee_id,
            flow,
            kind,
        });
    }
    state
}

fn run(state: State, actor: i64, action: Action) -> Result<State, Refusal> {
    let outcome = apply(&state, actor, &action, &directory())?;
    Ok(after(state, &outcome, 100))
}

fn task(state: &State) -> OpenTask {
    state.open_task.expect("an open task")
}

fn decide(state: &State, actor: i64, decision: Decision, opinion: &str) -> Result<State, Refusal> {
    let task_id = task(state).id;
    run(
        state.clone(),
        actor,
        Action::Decide {
            task_id,
            decision,
            opinion: opinion.into(),
        },
    )
}

fn filed_by_am1() -> State {
    let pending = run(draft_of(AM1), AM1, Action::Submit { approver_id: VP1 }).unwrap();
    decide(&pending, VP1, Decision::ApproveEnd, "").unwrap()
}

#[test]
fn a_filer_submits_a_draft_to_a_deputy_of_their_city_who_gets_the_task() {
    let s = run(draft_of(AM1), AM1, Action::Submit { approver_id: VP1 }).unwrap();
    assert_eq!(s.status, Status::Pending);
    assert_eq!(task(&s).assignee_id, VP1);
    assert_eq!(task(&s).kind, TaskKind::Approve);
}

#[test]
fn a_filer_may_also_choose_the_city_gm_directly() {
    let s = run(draft_of(AM1), AM1, Action::Submit { approver_id: GM }).unwrap();
    assert_eq!(task(&s).assignee_id, GM);
}

#[test]
fn an_approver_of_another_city_or_the_province_cannot_be_chosen_for_a_city_filing() {
    for approver_id in [BD_VP1, BD_GM, PROV_VP, IND_GOV, AM2, 999] {
        assert_eq!(
            run(draft_of(AM1), AM1, Action::Submit { approver_id }),
            Err(Refusal::ApproverNotEligible),
            "{approver_id}"
        );
    }
}

#[test]
fn a_province_filing_goes_to_the_province_deputy_or_gm_only() {
    let d = directory();
    let ids: Vec<i64> = d
        .approvers(&draft_of(PROV_AM), Flow::Filing)
        .iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(ids, [PROV_VP, PROV_GM]);
}

#[test]
fn the_filer_never_approves_their_own_filing_even_holding_an_approver_role() {
    let mut d = directory();
    d.people
        .iter_mut()
        .find(|p| p.id == VP1)
        .unwrap()
        .roles
        .push(Role::AccountManager);
    let own = draft_of(VP1);
    assert!(!d.approvers(&own, Flow::Filing).iter().any(|p| p.id == VP1));
    assert_eq!(
        apply(&own, VP1, &Action::Submit { approver_id: VP1 }, &d),
        Err(Refusal::ApproverNotEligible)
    );
    // And a task somehow assigned to the owner cannot be decided by them.
    let mut s = own.clone();
    s.status = Status::Pending;
    s.open_task = Some(OpenTask {
        id: 1,
        assignee_id: VP1,
        flow: Flow::Filing,
        kind: TaskKind::Approve,
    });
    let action = Action::Decide {
        task_id: 1,
        decision: Decision::ApproveEnd,
        opinion: String::new(),
    };
    assert_eq!(apply(&s, VP1, &action, &d), Err(Refusal::NotAllowed));
}

#[test]
fn only_the_filer_submits_their_draft() {
    assert_eq!(
        run(draft_of(AM1), AM2, Action::Submit { approver_id: VP1 }),
        Err(Refusal::NotAllowed)
    );
}

#[test]
fn approving_to_the_end_files_it_and_sends_the_filer_a_message() {
    let s = run(draft_of(AM1), AM1, Action::Submit { approver_id: VP1 }).unwrap();
    let outcome = apply(
        &s,
        VP1,
        &Action::Decide {
            task_id: task(&s).id,
            decision: Decision::ApproveEnd,
            opinion: "同意".into(),
        },
        &directory(),
    )
    .unwrap();
    assert_eq!(outcome.status, Status::Active);
    assert_eq!(outcome.close_task, Some(task(&s).id));
    assert_eq!(outcome.open_task, None);
    assert_eq!(outcome.messages, [(AM1, MessageKind::Approved)]);
    assert_eq!(outcome.record, RecordKind::ApproveEnd);
}

#[test]
fn the_deputy_forwards_to_the_city_gm_who_is_named_as_the_next_approver() {
    let s = run(draft_of(AM1), AM1, Action::Submit { approver_id: VP1 }).unwrap();
    let outcome = apply(
        &s,
        VP1,
        &Action::Decide {
            task_id: task(&s).id,
            decision: Decision::ApproveForward,
            opinion: String::new(),
        },
        &directory(),
    )
    .unwrap();
    assert_eq!(outcome.status, Status::Pending);
    assert_eq!(outcome.next_approver, Some(GM));
    assert_eq!(outcome.open_task.unwrap().assignee_id, GM);
    assert!(outcome.messages.is_empty());
}

#[test]
fn a_gm_is_not_offered_the_forward_and_cannot_force_it() {
    let s = run(draft_of(AM1), AM1, Action::Submit { approver_id: GM }).unwrap();
    let d = directory();
    assert_eq!(
        decisions(&s, &task(&s), &d),
        [Decision::ApproveEnd, Decision::Return]
    );
    assert_eq!(
        decide(&s, GM, Decision::ApproveForward, ""),
        Err(Refusal::NoForward)
    );
    let at_deputy = run(draft_of(AM1), AM1, Action::Submit { approver_id: VP1 }).unwrap();
    assert_eq!(
        decisions(&at_deputy, &task(&at_deputy), &d),
        [
            Decision::ApproveEnd,
            Decision::ApproveForward,
            Decision::Return
        ]
    );
}

#[test]
fn a_return_needs_an_opinion() {
    let s = run(draft_of(AM1), AM1, Action::Submit { approver_id: VP1 }).unwrap();
    assert_eq!(
        decide(&s, VP1, Decision::Return, "  "),
        Err(Refusal::OpinionRequired)
    );
}

#[test]
fn a_return_gives_the_filer_a_returned_task_and_a_message() {
    let s = run(draft_of(AM1), AM1, Action::Submit { approver_id: VP1 }).unwrap();
    let outcome = apply(
        &s,
        VP1,
        &Action::Decide {
            task_id: task(&s).id,
            decision: Decision::Return,
            opinion: "金额有误".into(),
        },
        &directory(),
    )
    .unwrap();
    assert_eq!(outcome.status, Status::Returned);
    assert_eq!(
        outcome.open_task,
        Some(NewTask {
            assignee_id: AM1,
            flow: Flow::Filing,
            kind: TaskKind::Returned
        })
    );
    assert_eq!(outcome.messages, [(AM1, MessageKind::Returned)]);
}

#[test]
fn the_filer_resubmits_a_returned_filing_to_a_newly_chosen_approver() {
    let s = run(draft_of(AM1), AM1, Action::Submit { approver_id: VP1 }).unwrap();
    let returned = decide(&s, VP1, Decision::Return, "补充材料").unwrap();
    let task_id = task(&returned).id;
    assert_eq!(
        run(
            returned.clone(),
            AM2,
            Action::Resubmit {
                task_id,
                approver_id: GM
            }
        ),
        Err(Refusal::NotAllowed)
    );
    let again = run(
        returned,
        AM1,
        Action::Resubmit {
            task_id,
            approver_id: GM,
        },
    )
    .unwrap();
    assert_eq!(again.status, Status::Pending);
    assert_eq!(task(&again).assignee_id, GM);
}

#[test]
fn the_filer_voids_a_returned_filing_and_nothing_more_can_happen() {
    let s = run(draft_of(AM1), AM1, Action::Submit { approver_id: VP1 }).unwrap();
    let returned = decide(&s, VP1, Decision::Return, "不符合条件").unwrap();
    let task_id = task(&returned).id;
    let voided = run(returned, AM1, Action::Void { task_id }).unwrap();
    assert_eq!(voided.status, Status::Voided);
    assert_eq!(voided.open_task, None);
    assert!(!may_edit(&voided, AM1));
    assert_eq!(
        run(
            voided,
            AM1,
            Action::Resubmit {
                task_id,
                approver_id: VP1
            }
        ),
        Err(Refusal::TaskDone)
    );
}

#[test]
fn a_second_decision_on_the_same_step_is_told_the_task_is_done() {
    let s = run(draft_of(AM1), AM1, Action::Submit { approver_id: VP1 }).unwrap();
    let stale_task = task(&s).id;
    let decided = decide(&s, VP1, Decision::ApproveEnd, "").unwrap();
    let again = Action::Decide {
        task_id: stale_task,
        decision: Decision::Return,
        opinion: "x".into(),
    };
    assert_eq!(run(decided, VP1, again), Err(Refusal::TaskDone));
}

#[test]
fn someone_other_than_the_assignee_cannot_decide() {
    let s = run(draft_of(AM1), AM1, Action::Submit { approver_id: VP1 }).unwrap();
    for actor in [GM, BD_VP1, AM2, PROV_GM] {
        assert_eq!(
            decide(&s, actor, Decision::ApproveEnd, ""),
            Err(Refusal::NotYourTask)
        );
    }
}

#[test]
fn while_a_step_is_pending_only_its_approver_may_edit() {
    let draft = draft_of(AM1);
    assert!(may_edit(&draft, AM1) && !may_edit(&draft, VP1));
    let s = run(draft, AM1, Action::Submit { approver_id: VP1 }).unwrap();
    assert!(!may_edit(&s, AM1));
    assert!(may_edit(&s, VP1));
    assert!(!may_edit(&s, GM));
    let filed = decide(&s, VP1, Decision::ApproveEnd, "").unwrap();
    assert!(may_edit(&filed, AM1) && !may_edit(&filed, VP1));
}

#[test]
fn signing_goes_to_the_director_of_the_primary_customers_industry_or_the_province() {
    let filed = filed_by_am1();
    let d = directory();
    let ids: Vec<i64> = d
        .approvers(&filed, Flow::Signing)
        .iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(ids, [PROV_VP, PROV_GM, IND_GOV]);
    assert_eq!(
        run(
            filed.clone(),
            AM1,
            Action::Start {
                flow: Flow::Signing,
                approver_id: IND_FIN
            }
        ),
        Err(Refusal::ApproverNotEligible),
        "a director of another industry"
    );
    assert_eq!(
        run(
            filed,
            AM1,
            Action::Start {
                flow: Flow::Signing,
                approver_id: VP1
            }
        ),
        Err(Refusal::ApproverNotEligible),
        "a city deputy does not approve signings"
    );
}

#[test]
fn an_approved_signing_is_signed_and_a_returned_one_stays_active_with_a_task_for_the_filer() {
    let filed = filed_by_am1();
    let start = Action::Start {
        flow: Flow::Signing,
        approver_id: IND_GOV,
    };
    let s = run(filed, AM1, start).unwrap();
    assert_eq!(s.status, Status::SignPending);
    let signed = decide(&s, IND_GOV, Decision::ApproveEnd, "").unwrap();
    assert_eq!(signed.status, Status::Signed);
    let returned = decide(&s, IND_GOV, Decision::Return, "合同编号有误").unwrap();
    assert_eq!(returned.status, Status::Active);
    assert_eq!(task(&returned).kind, TaskKind::Returned);
    assert_eq!(task(&returned).flow, Flow::Signing);
}

/// The effects of the step `action` takes from `state`.
fn effects(state: &State, actor: i64, action: Action) -> Effects {
    apply(state, actor, &action, &directory()).unwrap().effects
}

#[test]
fn only_a_filings_first_submission_stamps_its_submission_time() {
    let submit = Action::Submit { approver_id: VP1 };
    assert!(effects(&draft_of(AM1), AM1, submit.clone()).stamp_submitted);
    let pending = run(draft_of(AM1), AM1, submit).unwrap();
    let returned = decide(&pending, VP1, Decision::Return, "金额有误").unwrap();
    let resubmit = Action::Resubmit {
        task_id: task(&returned).id,
        approver_id: VP1,
    };
    assert_eq!(effects(&returned, AM1, resubmit), Effects::default());
}

#[test]
fn an_approved_filing_is_stamped_filed_and_counts_in_the_rankings() {
    let pending = run(draft_of(AM1), AM1, Action::Submit { approver_id: VP1 }).unwrap();
    let approve = |decision| Action::Decide {
        task_id: task(&pending).id,
        decision,
        opinion: "退回原因".into(),
    };
    let approved = effects(&pending, VP1, approve(Decision::ApproveEnd));
    assert!(approved.stamp_filed && approved.counts_in_rankings);
    assert!(!approved.convert_customers);
    assert_eq!(
        effects(&pending, VP1, approve(Decision::ApproveForward)),
        Effects::default()
    );
    assert_eq!(
        effects(&pending, VP1, approve(Decision::Return)),
        Effects::default()
    );
}

#[test]
fn an_approved_signing_converts_its_customers_and_counts_an_approved_termination_does_neither() {
    for (flow, approver, converts) in [
        (Flow::Signing, IND_GOV, true),
        (Flow::Termination, VP1, false),
    ] {
        let start = Action::Start {
            flow,
            approver_id: approver,
        };
        let pending = run(filed_by_am1(), AM1, start).unwrap();
        let end = Action::Decide {
            task_id: task(&pending).id,
            decision: Decision::ApproveEnd,
            opinion: String::new(),
        };
        let e = effects(&pending, approver, end);
        assert_eq!(e.convert_customers, converts, "{flow:?}");
        assert_eq!(e.counts_in_rankings, converts, "{flow:?}");
        assert!(!e.stamp_filed && !e.stamp_submitted, "{flow:?}");
    }
}

#[test]
fn a_deputy_forwards_a_signing_to_the_province_gm() {
    let filed = filed_by_am1();
    let start = Action::Start {
        flow: Flow::Signing,
        approver_id: PROV_VP,
    };
    let s = run(filed, AM1, start).unwrap();
    let forwarded = decide(&s, PROV_VP, Decision::ApproveForward, "").unwrap();
    assert_eq!(task(&forwarded).assignee_id, PROV_GM);
}

#[test]
fn a_returned_signing_is_withdrawn_and_cannot_be_voided() {
    let filed = filed_by_am1();
    let start = Action::Start {
        flow: Flow::Signing,
        approver_id: IND_GOV,
    };
    let s = run(filed, AM1, start).unwrap();
    let returned = decide(&s, IND_GOV, Decision::Return, "重填").unwrap();
    let task_id = task(&returned).id;
    assert_eq!(
        run(returned.clone(), AM1, Action::Void { task_id }),
        Err(Refusal::WrongStatus)
    );
    let withdrawn = run(returned, AM1, Action::Withdraw { task_id }).unwrap();
    assert_eq!(withdrawn.status, Status::Active);
    assert_eq!(withdrawn.open_task, None);
}

#[test]
fn a_new_flow_cannot_start_while_a_returned_step_waits_or_before_filing() {
    let filed = filed_by_am1();
    let s = run(
        filed,
        AM1,
        Action::Start {
            flow: Flow::Termination,
            approver_id: VP1,
        },
    )
    .unwrap();
    assert_eq!(s.status, Status::TerminatePending);
    let returned = decide(&s, VP1, Decision::Return, "原因不清").unwrap();
    let start = Action::Start {
        flow: Flow::Signing,
        approver_id: IND_GOV,
    };
    assert_eq!(run(returned, AM1, start.clone()), Err(Refusal::WrongStatus));
    assert_eq!(run(draft_of(AM1), AM1, start), Err(Refusal::WrongStatus));
}

#[test]
fn termination_is_approved_by_those_who_approve_filings_in_that_city() {
    let filed = filed_by_am1();
    let d = directory();
    let ids: Vec<i64> = d
        .approvers(&filed, Flow::Termination)
        .iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(ids, [VP1, GM]);
    let s = run(
        filed,
        AM1,
        Action::Start {
            flow: Flow::Termination,
            approver_id: GM,
        },
    )
    .unwrap();
    let ended = decide(&s, GM, Decision::ApproveEnd, "").unwrap();
    assert_eq!(ended.status, Status::Terminated);
}

/// A small deterministic generator (xorshift64*), so the run is repeatable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// One random action by one random person, with ids that are sometimes right and sometimes
/// stale or forged.
fn random_step(rng: &mut Rng, state: &State, d: &Directory) -> (i64, Action) {
    let people: Vec<i64> = d.people.iter().map(|p| p.id).collect();
    let people = people.as_slice();
    let actor = if rng.next().is_multiple_of(3) {
        state.owner_id
    } else if let (0, Some(t)) = (rng.next() % 2, state.open_task) {
        t.assignee_id
    } else {
        rng.pick(people)
    };
    let task_id = match (rng.next() % 4, state.open_task) {
        (0, _) | (_, None) => 1 + (rng.next() % 50) as i64,
        (_, Some(t)) => t.id,
    };
    // Mostly someone eligible for some flow, sometimes anyone at all.
    let flow = rng.pick(Flow::ALL);
    let eligible: Vec<i64> = d.approvers(state, flow).iter().map(|p| p.id).collect();
    let approver_id = if eligible.is_empty() || rng.next().is_multiple_of(4) {
        rng.pick(people)
    } else {
        rng.pick(&eligible)
    };
    let action = match rng.next() % 7 {
        0 => Action::Submit { approver_id },
        1 => Action::Start {
            flow: rng.pick(&[Flow::Signing, Flow::Termination, Flow::Filing]),
            approver_id,
        },
        2 | 3 => Action::Decide {
            task_id,
            decision: rng.pick(Decision::ALL),
            opinion: rng.pick(&["", "同意", "退回重填"]).to_owned(),
        },
        4 => Action::Resubmit {
            task_id,
            approver_id,
        },
        5 => Action::Void { task_id },
        _ => Action::Withdraw { task_id },
    };
    (actor, action)
}

/// The invariants that hold after every step.
fn check_invariants(state: &State) {
    match (state.status, state.open_task) {
        (s, Some(t)) if s.is_pending() => {
            assert_eq!(t.kind, TaskKind::Approve, "{state:?}");
            let flow = match s {
                Status::Pending => Flow::Filing,
                Status::SignPending => Flow::Signing,
                _ => Flow::Termination,
            };
            assert_eq!(t.flow, flow, "{state:?}");
            assert_ne!(t.assignee_id, state.owner_id, "self-approval: {state:?}");
        }
        (Status::Returned, Some(t)) => {
            assert_eq!(
                (t.kind, t.flow, t.assignee_id),
                (TaskKind::Returned, Flow::Filing, state.owner_id)
            );
        }
        (Status::Active, Some(t)) => {
            assert_eq!(t.kind, TaskKind::Returned, "{state:?}");
            assert_ne!(t.flow, Flow::Filing);
            assert_eq!(t.assignee_id, state.owner_id);
        }
        (Status::Active | Status::Draft, None) => {}
        (s, None) if s.is_terminal() => {}
        _ => panic!("status and tasks disagree: {state:?}"),
    }
}

#[test]
fn ten_thousand_random_action_sequences_keep_every_invariant() {
    let d = directory();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut transitions = 0;
    let mut seen = std::collections::HashSet::new();
    for sequence in 0..10_000 {
        let owner = rng.pick(&[AM1, AM2, PROV_AM]);
        let mut state = draft_of(owner);
        let mut records = 0;
        let mut next_task = 1;
        for _ in 0..40 {
            let (actor, action) = random_step(&mut rng, &state, &d);
            let before = state.clone();
            match apply(&state, actor, &action, &d) {
                Ok(outcome) => {
                    if let Action::Decide { .. } = action {
                        let t = before.open_task.expect("a decision needs an open task");
                        assert_eq!(actor, t.assignee_id, "decided by its assignee only");
                        assert_ne!(actor, before.owner_id, "no self-approval");
                    }
                    assert!(!before.status.is_terminal(), "nothing after the end");
                    next_task += 1;
                    seen.insert((outcome.flow, outcome.record, outcome.status));
                    state = after(state, &outcome, next_task);
                    records += 1;
                    transitions += 1;
                }
                Err(_) => assert_eq!(state, before),
            }
            check_invariants(&state);
        }
        assert!(records <= 40, "sequence {sequence}");
    }
    assert!(
        transitions > 10_000,
        "the run exercised the flows: {transitions}"
    );
    // Every kind of transition of every flow happened.
    for flow in Flow::ALL {
        for record in RecordKind::ALL {
            let possible = match record {
                RecordKind::Void => *flow == Flow::Filing,
                RecordKind::Withdraw => *flow != Flow::Filing,
                _ => true,
            };
            let happened = seen.iter().any(|(f, r, _)| f == flow && r == record);
            assert_eq!(happened, possible, "{flow:?} {record:?}");
        }
    }
}
