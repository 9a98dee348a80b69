//! Ten thousand random action sequences (proptest), checked against the invariants after every
//! step; a failure shrinks to the shortest sequence of the simplest actions that breaks one.

use super::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::cell::RefCell;
use std::collections::HashSet;

/// The choices one step is made of. Each action reads them in order, so shrinking a step
/// towards zeros makes it the first person, the first flow, the open task.
#[derive(Debug, Clone)]
struct Choices {
    values: [u64; 9],
    next: usize,
}

impl Choices {
    fn new(values: [u64; 9]) -> Self {
        Choices { values, next: 0 }
    }

    fn next(&mut self) -> u64 {
        let value = self.values.get(self.next).copied().unwrap_or(0);
        self.next += 1;
        value
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// One action by one person, with ids that are sometimes right and sometimes stale or forged.
fn step(c: &mut Choices, state: &State, d: &Directory) -> (i64, Action) {
    let people: Vec<i64> = d.people.iter().map(|p| p.id).collect();
    let people = people.as_slice();
    let actor = match (c.next() % 3, state.open_task) {
        (0, _) => state.owner_id,
        (1, Some(t)) => t.assignee_id,
        _ => c.pick(people),
    };
    let task_id = match (c.next() % 4, state.open_task) {
        (_, Some(t)) if c.next() % 4 != 3 => t.id,
        _ => 1 + (c.next() % 50) as i64,
    };
    // Mostly someone eligible for some flow, sometimes anyone at all.
    let flow = c.pick(Flow::ALL);
    let eligible: Vec<i64> = d.approvers(state, flow).iter().map(|p| p.id).collect();
    let approver_id = if eligible.is_empty() || c.next() % 4 == 3 {
        c.pick(people)
    } else {
        c.pick(&eligible)
    };
    let action = match c.next() % 7 {
        0 | 1 => Action::Decide {
            task_id,
            decision: c.pick(Decision::ALL),
            opinion: c.pick(&["同意", "", "退回重填"]).to_owned(),
        },
        2 => Action::Submit { approver_id },
        3 => Action::Start {
            flow: c.pick(&[Flow::Signing, Flow::Termination, Flow::Filing]),
            approver_id,
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

/// Runs one sequence from a draft of `owner`: every step keeps the invariants, a refused step
/// changes nothing. The transitions taken are added to `seen`.
fn run_sequence(owner: i64, steps: &[[u64; 9]], d: &Directory, seen: &mut HashSet<Transition>) {
    let mut state = draft_of(owner);
    let mut next_task = 1;
    for values in steps {
        let (actor, action) = step(&mut Choices::new(*values), &state, d);
        let before = state.clone();
        match apply(&state, actor, &action, d) {
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
            }
            Err(_) => assert_eq!(state, before),
        }
        check_invariants(&state);
    }
}

type Transition = (Flow, RecordKind, Status);

/// A runner of `cases` from a fixed seed: the run is the same every time, and a failure is
/// reproducible.
fn runner(cases: u32) -> TestRunner {
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]))
}

#[test]
fn ten_thousand_random_action_sequences_keep_every_invariant() {
    let d = directory();
    let mut runner = runner(10_000);
    let seen = RefCell::new(HashSet::new());
    let sequences = (
        prop::sample::select(vec![AM1, AM2, PROV_AM]),
        prop::collection::vec(any::<[u64; 9]>(), 1..80),
    );
    runner
        .run(&sequences, |(owner, steps)| {
            run_sequence(owner, &steps, &d, &mut seen.borrow_mut());
            Ok(())
        })
        .unwrap();
    // Every kind of transition of every flow happened.
    let seen = seen.into_inner();
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

/// The shrinking is worth having only if it reaches a small case: a deliberately broken
/// invariant (no filing may ever be approved) shrinks to a sequence of at most four steps.
#[test]
fn a_broken_invariant_shrinks_to_a_short_sequence() {
    let d = directory();
    let mut runner = runner(2_000);
    let steps = prop::collection::vec(any::<[u64; 9]>(), 1..40);
    let result = runner.run(&steps, |steps| {
        let mut state = draft_of(AM1);
        for values in &steps {
            let (actor, action) = step(&mut Choices::new(*values), &state, &d);
            if let Ok(outcome) = apply(&state, actor, &action, &d) {
                state = after(state, &outcome, 99);
            }
            prop_assert_ne!(state.status, Status::Active);
        }
        Ok(())
    });
    let Err(proptest::test_runner::TestError::Fail(_, minimal)) = result else {
        panic!("the broken invariant was found: {result:?}");
    };
    // Submit, then approve to the end: two steps (a deputy's forward adds one or two).
    assert!(minimal.len() <= 4, "shrunk to {} steps", minimal.len());
}
