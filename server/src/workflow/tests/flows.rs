//! 签约 and 终止: their routes and outcomes, and the business effects every step states.

use super::*;

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
