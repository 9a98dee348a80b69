//! The engine's rules, one sentence each ([`filing`], [`flows`]), and a model-based run of
//! random actions ([`random`]); the fixtures they share: the demo organisation and steps.

mod filing;
mod flows;
mod random;

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
