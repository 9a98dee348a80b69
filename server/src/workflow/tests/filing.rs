//! 报备: who files, who approves, forwarding, returning, resubmitting and voiding.

use super::*;

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
