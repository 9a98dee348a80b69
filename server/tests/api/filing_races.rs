//! 报备 under pressure: concurrent decisions on one step, and random runs of the real engine
//! against each database.

use crate::filing::{business_type, customer, user_id};
use crate::helpers::*;
use app::model::opportunity::Fen;
use app::model::opportunity::{Decision, Flow, Level, RecordKind, Status};
use app::model::ranking::{Dimension, Metric, Month};
use server::clock::SystemClock;
use server::db::opportunities::SigningInfo;
use server::db::opportunities::{NewOpportunity, OpportunityFields, OpportunityQuery, Transition};
use server::db::rankings::{RankingQuery, RankingRow};
use server::policy::scope::{Reach, Scope};

use server::db::{Actor, StoreError};
use server::services::opportunities::state_of;
use server::services::Services;
use server::workflow::{apply, Action, TaskKind};
use std::collections::HashMap;
use std::sync::Arc;

on_both_databases! {
    async fn fifty_concurrent_decisions_on_one_step_make_exactly_one_winner(db) {
        let app = spawn_app(db).await;
        let store = app.store.clone();
        let am1 = store.user_by_login("sjz_am1").await.unwrap().unwrap();
        let vp1 = user_id(&app, "sjz_vp1").await;
        app.login_as("sjz_am1").await;
        let c: i64 = customer(&app, "并发客户").await.parse().unwrap();
        let services = Services::new(store.clone(), Arc::new(SystemClock), None);
        let directory = services.routing_directory().await.unwrap();
        let fields = OpportunityFields {
            name: "并发商机".into(),
            business_type_id: business_type(&app).await.parse().unwrap(),
            customer_ids: vec![c],
            expected_amount: None,
            expected_sign_date: None,
            win_probability: None,
            competitor_ids: vec![],
            description: None,
        };
        let sjz = am1.org_unit_id;
        let new = NewOpportunity { fields, owner_id: am1.id, org_unit_id: sjz, level: Level::City, city_id: Some(sjz) };
        let draft_state = server::workflow::State {
            status: Status::Draft, owner_id: am1.id, level: Level::City, city_id: Some(sjz), industry_id: 0, open_task: None,
        };
        let submit = apply(&draft_state, am1.id, &Action::Submit { approver_id: vp1 }, &directory).unwrap();
        let id = store.create_opportunity(&Actor::user(am1.id, chrono::Utc::now()), &new, Some(&submit)).await.unwrap();
        let o = store.opportunity_for_workflow(id).await.unwrap().unwrap();
        let task = o.open_task.unwrap();
        let mut handles = Vec::new();
        for i in 0..50 {
            let store = store.clone();
            let directory = directory.clone();
            let o = o.clone();
            handles.push(tokio::spawn(async move {
                let decision = [Decision::ApproveEnd, Decision::ApproveForward, Decision::Return][i % 3];
                let action = Action::Decide { task_id: task.id, decision, opinion: "并发".into() };
                let outcome = apply(&state_of(&o), vp1, &action, &directory).unwrap();
                let transition = Transition { expected_version: o.version, outcome: &outcome, opinion: None, fields: None, signing: None, termination: None };
                store.apply_transition(&Actor::user(vp1, chrono::Utc::now()), id, &transition).await
            }));
        }
        let mut wins = 0;
        for h in handles {
            match h.await.unwrap() {
                Ok(_) => wins += 1,
                Err(StoreError::Stale) => {}
                Err(e) => panic!("unexpected: {e}"),
            }
        }
        assert_eq!(wins, 1);
        let records = store.approval_records(id).await.unwrap();
        assert_eq!(records.len(), 2, "the submission and one decision");
        let after = store.opportunity_for_workflow(id).await.unwrap().unwrap();
        assert!(after.open_task.map(|t| t.id) != Some(task.id));
    }

    async fn random_workflow_runs_against_the_database_keep_every_invariant(db) {
        let app = spawn_app(db).await;
        let store = app.store.clone();
        app.login_as("sjz_am1").await;
        let c: i64 = customer(&app, "随机客户").await.parse().unwrap();
        let services = Services::new(store.clone(), Arc::new(SystemClock), None);
        let directory = services.routing_directory().await.unwrap();
        let people: Vec<i64> = directory.people.iter().map(|p| p.id).collect();
        let am1 = store.user_by_login("sjz_am1").await.unwrap().unwrap();
        let business_type: i64 = business_type(&app).await.parse().unwrap();
        let mut seed: u64 = 0x5DEE_CE66_D1CE_4E5B;
        let mut next = move || { seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17; seed };
        let mut transitions = 0;
        let today = chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap()).date_naive();
        let mut submitted_amounts: HashMap<i64, i64> = HashMap::new();
        let mut ids = Vec::new();
        for n in 0..160 {
            let new = NewOpportunity {
                fields: OpportunityFields {
                    name: format!("随机商机{n}"), business_type_id: business_type, customer_ids: vec![c],
                    expected_amount: None, expected_sign_date: None, win_probability: None,
                    competitor_ids: vec![], description: None,
                },
                owner_id: am1.id, org_unit_id: am1.org_unit_id, level: Level::City, city_id: Some(am1.org_unit_id),
            };
            let id = store.create_opportunity(&Actor::user(am1.id, chrono::Utc::now()), &new, None).await.unwrap();
            ids.push(id);
            let mut records = 0;
            for _ in 0..20 {
                let o = store.opportunity_for_workflow(id).await.unwrap().unwrap();
                let state = state_of(&o);
                let pick = |r: u64, v: &[i64]| v[(r % v.len() as u64) as usize];
                // Mostly sensible actors and approvers (so the flows move), sometimes anyone.
                let task_flow = o.open_task.map(|t| t.flow).unwrap_or(Flow::Filing);
                let start_flow = [Flow::Signing, Flow::Termination][(next() % 2) as usize];
                let approver_for = |flow: Flow, r: u64| {
                    let eligible: Vec<i64> = directory.approvers(&state, flow).iter().map(|p| p.id).collect();
                    if eligible.is_empty() || r.is_multiple_of(5) { pick(r / 5, &people) } else { pick(r / 5, &eligible) }
                };
                let actor = match (next() % 4, o.open_task) {
                    (0 | 1, Some(t)) => t.assignee_id,
                    (0..=2, _) => o.owner_id,
                    _ => pick(next(), &people),
                };
                let task_id = o.open_task.map(|t| t.id).unwrap_or(1);
                let action = match next() % 6 {
                    0 => Action::Submit { approver_id: approver_for(Flow::Filing, next()) },
                    1 => Action::Start { flow: start_flow, approver_id: approver_for(start_flow, next()) },
                    2 | 3 => Action::Decide {
                        task_id,
                        decision: [Decision::ApproveEnd, Decision::ApproveForward, Decision::Return][(next() % 3) as usize],
                        opinion: "随机".into(),
                    },
                    4 => Action::Resubmit { task_id, approver_id: approver_for(task_flow, next()) },
                    _ => if next().is_multiple_of(4) { Action::Void { task_id } } else { Action::Withdraw { task_id } },
                };
                if let Ok(outcome) = apply(&state, actor, &action, &directory) {
                    // A 签约 step carries its 签约信息 (an amount exact to the fen).
                    let signing = (outcome.flow == Flow::Signing
                        && matches!(action, Action::Start { .. } | Action::Resubmit { .. }))
                    .then(|| SigningInfo {
                        contract_no: format!("HT-{n}"),
                        amount: Fen(1 + (next() % 10_000_000) as i64),
                        signed_on: today,
                        term: None,
                        notes: None,
                        attachment_id: None,
                    });
                    let t = Transition { expected_version: o.version, outcome: &outcome, opinion: None, fields: None, signing: signing.as_ref(), termination: None };
                    store.apply_transition(&Actor::user(actor, chrono::Utc::now()), id, &t).await.unwrap();
                    if let Some(info) = &signing {
                        submitted_amounts.insert(id, info.amount.0);
                    }
                    records += 1;
                    transitions += 1;
                    let after = store.opportunity_for_workflow(id).await.unwrap().unwrap();
                    assert_eq!(after.status, outcome.status);
                    // One open task per waiting step, none otherwise; never the filer's to approve.
                    match after.open_task {
                        Some(t) if t.kind == TaskKind::Approve => {
                            assert!(after.status.is_pending(), "{after:?}");
                            assert_ne!(t.assignee_id, after.owner_id);
                        }
                        Some(t) => {
                            assert_eq!(t.assignee_id, after.owner_id);
                            assert!(matches!(after.status, Status::Returned | Status::Active));
                        }
                        None => assert!(!after.status.is_pending() && after.status != Status::Returned),
                    }
                }
                assert_eq!(store.approval_records(id).await.unwrap().len(), records, "every transition recorded");
            }
        }
        assert!(transitions > 250, "a few hundred transitions: {transitions}");
        // The rankings agree with a recount from the approval records: a filing counts once
        // its approval ended it, a signing its last submitted amount once approved.
        let (mut filed, mut signed) = (0_i64, 0_i64);
        for id in &ids {
            let records = store.approval_records(*id).await.unwrap();
            let ended = |flow: Flow| records.iter().any(|r| r.flow == flow && r.kind == RecordKind::ApproveEnd);
            if ended(Flow::Filing) {
                filed += 1;
            }
            if ended(Flow::Signing) {
                signed += submitted_amounts[id];
            }
        }
        assert!(filed > 10 && signed > 0, "the run filed and signed some: {filed}, {signed}");
        let month = Month::of(today);
        let ranking = |metric: Metric| RankingQuery::for_month(metric, Dimension::Person, month, None, 10);
        let counted = store.ranking(&ranking(Metric::Filed)).await.unwrap();
        assert_eq!(counted, vec![RankingRow { k: Some(am1.id), v: filed }]);
        let summed = store.ranking(&ranking(Metric::Signed)).await.unwrap();
        assert_eq!(summed, vec![RankingRow { k: Some(am1.id), v: signed }]);
        // Scope holds for what the run made: another city's deputy sees none of it.
        let bd = store.user_by_login("bd_vp1").await.unwrap().unwrap();
        let bd_city = bd.org_unit_id;
        let seen = store.opportunities(&Scope { viewer_id: bd.id, reach: Reach::City(bd_city) }, &Default::default()).await.unwrap();
        assert!(seen.is_empty());
        // The list (a union of index walks, one per way into the scope) holds exactly what the
        // scope lets each user open, newest first, whether read at once or page by page.
        let every: Vec<i64> = store
            .opportunities(&Scope { viewer_id: am1.id, reach: Reach::All }, &OpportunityQuery { limit: 200, ..Default::default() })
            .await.unwrap().into_iter().map(|o| o.id).collect();
        assert_eq!(every.len(), 160);
        let sjz = am1.org_unit_id;
        for (login, reach) in [
            ("admin", Reach::All), ("prov_vp", Reach::Province), ("sjz_vp1", Reach::City(sjz)),
            ("sjz_gm", Reach::City(sjz)), ("bd_vp1", Reach::City(bd_city)), ("bd_gm", Reach::City(bd_city)),
            ("sjz_am1", Reach::Own), ("sjz_am2", Reach::Own), ("bd_am1", Reach::Own), ("prov_am1", Reach::Own),
            ("ind_gov", Reach::Industries(store.user_by_login("ind_gov").await.unwrap().unwrap().industry_ids)),
        ] {
            let user = store.user_by_login(login).await.unwrap().unwrap();
            let scope = Scope { viewer_id: user.id, reach };
            let mut expected = Vec::new();
            for id in &every {
                if store.opportunity(&scope, *id).await.unwrap().is_some() {
                    expected.push(*id);
                }
            }
            let listed = |after_id: Option<i64>, limit: u32| {
                let store = store.clone();
                let scope = scope.clone();
                async move {
                    store.opportunities(&scope, &OpportunityQuery { after_id, limit, ..Default::default() })
                        .await.unwrap().into_iter().map(|o| o.id).collect::<Vec<i64>>()
                }
            };
            assert_eq!(listed(None, 200).await, expected, "{login}");
            let mut paged = Vec::new();
            let mut after = None;
            loop {
                let page = listed(after, 7).await;
                after = page.last().copied();
                paged.extend(page.iter().copied());
                if page.len() < 7 {
                    break;
                }
            }
            assert_eq!(paged, expected, "{login}, page by page");
            // One owner's list, as a deputy filters it: the run's opportunities are all
            // sjz_am1's, so it is the whole list in scope (walked on the owner's index).
            let owned = store
                .opportunities(&scope, &OpportunityQuery { owner_id: Some(am1.id), limit: 200, ..Default::default() })
                .await.unwrap().into_iter().map(|o| o.id).collect::<Vec<i64>>();
            assert_eq!(owned, expected, "{login}, owner filter");
        }
    }
}
