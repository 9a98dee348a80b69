//! Ten thousand random action sequences, checked against the invariants after every step.

use super::*;

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
