//! Who may do what to a record they can already see (ACCESS.md's second table), as pure
//! functions every service asks. What one may see at all is [`super::scope`]; who decides a step
//! is the workflow engine's.

use crate::db::announcements::Announcement;
use crate::db::customers::Customer;
use crate::db::opportunities::Opportunity;
use crate::workflow::{may_edit, State, TaskKind};
use app::model::opportunity::Status;
use app::model::{CurrentUser, Role};

/// 地市 and province managers: they edit, share and delete what their scope holds.
const MANAGERS: [Role; 5] = [
    Role::CityDeputyGm,
    Role::CityGm,
    Role::ProvinceDeputyGm,
    Role::ProvinceGm,
    Role::SystemAdmin,
];

/// The state the workflow engine decides on.
pub fn state_of(o: &Opportunity) -> State {
    State {
        status: o.status,
        owner_id: o.owner_id,
        level: o.level,
        city_id: o.city_id,
        industry_id: o.industry_id,
        open_task: o.open_task,
    }
}

/// Whether `viewer` is a manager: they edit, share and delete what their scope holds.
pub fn is_manager(viewer: &CurrentUser) -> bool {
    viewer.has_any_role(&MANAGERS)
}

/// Everyone but a user who is only 销售支持 (who reads) may add customers.
pub fn may_add_customer(viewer: &CurrentUser) -> bool {
    viewer.roles.iter().any(|r| *r != Role::SalesSupport)
}

/// Whether `viewer`, who can see `c`, may share it: its owner, or a manager.
pub fn may_share_customer(viewer: &CurrentUser, c: &Customer) -> bool {
    c.owner_id == viewer.id || is_manager(viewer)
}

/// Whether `viewer`, who can see `c`, may delete it: as for sharing, so an editable share does
/// not reach it.
pub fn may_delete_customer(viewer: &CurrentUser, c: &Customer) -> bool {
    may_share_customer(viewer, c)
}

/// Whether `viewer`, who can see `o`, may share it: its owner or a manager, once filed.
pub fn may_share_opportunity(viewer: &CurrentUser, o: &Opportunity) -> bool {
    o.status != Status::Draft && (o.owner_id == viewer.id || is_manager(viewer))
}

/// Whether `viewer` may move the stage or start 签约 / 终止: the owner of an active opportunity
/// on which nothing waits.
pub fn may_start_flow(o: &Opportunity, viewer: i64) -> bool {
    o.owner_id == viewer && o.status == Status::Active && o.open_task.is_none()
}

/// Whether the edit page is `viewer`'s to use: the filer while the opportunity is a draft,
/// returned or active and nobody is deciding (an approver edits on the 任务处理页面); a 协作
/// user while it is active and nothing waits.
pub fn may_open_edit_page(o: &Opportunity, viewer: i64, collaborates: bool) -> bool {
    let deciding = o.open_task.is_some_and(|t| t.kind == TaskKind::Approve);
    let owner = !deciding
        && matches!(o.status, Status::Draft | Status::Returned | Status::Active)
        && may_edit(&state_of(o), viewer);
    let collaborator = collaborates && o.status == Status::Active && o.open_task.is_none();
    owner || collaborator
}

/// Whether `viewer` may log activities on `o`: its owner and 协作 users, while it is open.
pub fn may_log_activity(o: &Opportunity, viewer: i64, collaborates: bool) -> bool {
    let open = !matches!(o.status, Status::Voided | Status::Terminated);
    open && (o.owner_id == viewer || collaborates)
}

/// 商机管理员 and 系统管理员 publish announcements.
pub fn may_publish(viewer: &CurrentUser) -> bool {
    viewer.has_any_role(&[Role::OpportunityAdmin, Role::SystemAdmin])
}

/// Whether `viewer` sees `a`: province staff every one, city staff the province's and their
/// city's; nobody a withdrawn one.
pub fn may_see_announcement(viewer: &CurrentUser, a: &Announcement) -> bool {
    a.withdrawn_at.is_none()
        && (viewer.city_id.is_none() || a.city_id.is_none() || a.city_id == viewer.city_id)
}

/// Whether `viewer` may edit or withdraw `a`: its publisher, or the 系统管理员.
pub fn may_manage_announcement(viewer: &CurrentUser, a: &Announcement) -> bool {
    may_publish(viewer) && (a.publisher_id == viewer.id || viewer.has_role(Role::SystemAdmin))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::opportunities::OpportunityFields;
    use crate::workflow::OpenTask;
    use app::model::customer::CustomerKind;
    use app::model::opportunity::{Flow, Level, Stage};

    fn user(id: i64, roles: &[Role], city_id: Option<i64>) -> CurrentUser {
        CurrentUser {
            id,
            login: "u".into(),
            name: "u".into(),
            org_unit_id: 1,
            org_unit_name: "x".into(),
            city_id,
            roles: roles.to_vec(),
            industry_ids: Vec::new(),
            login_time: String::new(),
            directory_version: 0,
            must_change_password: false,
            session_id: 0,
        }
    }

    fn customer(owner_id: i64) -> Customer {
        Customer {
            id: 1,
            name: "客户".into(),
            industry_id: 1,
            level_id: 1,
            kind: CustomerKind::Potential,
            owner_id,
            dept_id: 2,
            city_id: Some(2),
            registered_on: "2026-11-30".into(),
            website: None,
            phone: None,
            fax: None,
            address: None,
            notes: None,
            version: 1,
        }
    }

    pub(crate) fn opportunity(owner_id: i64) -> Opportunity {
        Opportunity {
            id: 1,
            fields: OpportunityFields {
                name: "商机".into(),
                business_type_id: 1,
                customer_ids: vec![1],
                expected_amount: None,
                expected_sign_date: None,
                win_probability: None,
                competitor_ids: Vec::new(),
                description: None,
            },
            level: Level::City,
            org_unit_id: 2,
            city_id: Some(2),
            industry_id: 1,
            owner_id,
            stage: Stage::Identify,
            status: Status::Active,
            submitted_at: None,
            filed_at: None,
            version: 1,
            created_at: chrono::Utc::now(),
            open_task: None,
        }
    }

    fn announcement(publisher_id: i64, city_id: Option<i64>) -> Announcement {
        Announcement {
            id: 1,
            title: "公告".into(),
            body: "内容".into(),
            city_id,
            attachment_id: None,
            publisher_id,
            publisher_name: "商机管理员".into(),
            published_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
            withdrawn_at: None,
            version: 1,
        }
    }

    #[test]
    fn sales_support_alone_may_not_add_customers_but_with_another_role_may() {
        assert!(!may_add_customer(&user(1, &[Role::SalesSupport], None)));
        assert!(may_add_customer(&user(
            1,
            &[Role::SalesSupport, Role::AccountManager],
            None
        )));
    }

    #[test]
    fn an_owner_and_managers_share_and_delete_a_customer_and_a_colleague_does_neither() {
        let c = customer(7);
        for viewer in [
            user(7, &[Role::AccountManager], Some(2)),
            user(9, &[Role::CityGm], Some(2)),
        ] {
            assert!(may_share_customer(&viewer, &c) && may_delete_customer(&viewer, &c));
        }
        let colleague = user(8, &[Role::AccountManager], Some(2));
        assert!(!may_share_customer(&colleague, &c) && !may_delete_customer(&colleague, &c));
    }

    #[test]
    fn a_draft_is_shared_by_nobody_and_a_filed_opportunity_by_its_owner_and_managers() {
        let mut o = opportunity(7);
        assert!(may_share_opportunity(
            &user(7, &[Role::AccountManager], Some(2)),
            &o
        ));
        assert!(may_share_opportunity(
            &user(9, &[Role::CityDeputyGm], Some(2)),
            &o
        ));
        assert!(!may_share_opportunity(
            &user(8, &[Role::AccountManager], Some(2)),
            &o
        ));
        o.status = Status::Draft;
        assert!(!may_share_opportunity(
            &user(7, &[Role::AccountManager], Some(2)),
            &o
        ));
    }

    #[test]
    fn only_the_owner_of_an_active_opportunity_with_nothing_waiting_starts_a_flow() {
        let mut o = opportunity(7);
        assert!(may_start_flow(&o, 7));
        assert!(!may_start_flow(&o, 8));
        o.open_task = Some(OpenTask {
            id: 3,
            assignee_id: 9,
            flow: Flow::Signing,
            kind: TaskKind::Approve,
        });
        assert!(!may_start_flow(&o, 7));
    }

    #[test]
    fn the_filer_edits_unless_someone_decides_and_a_collaborator_only_while_active() {
        let mut o = opportunity(7);
        assert!(may_open_edit_page(&o, 7, false));
        assert!(may_open_edit_page(&o, 8, true));
        assert!(!may_open_edit_page(&o, 8, false));
        o.open_task = Some(OpenTask {
            id: 3,
            assignee_id: 9,
            flow: Flow::Filing,
            kind: TaskKind::Approve,
        });
        assert!(
            !may_open_edit_page(&o, 7, false),
            "the approver edits on the task page"
        );
        assert!(!may_open_edit_page(&o, 8, true));
        o.open_task = None;
        o.status = Status::Signed;
        assert!(!may_open_edit_page(&o, 7, false) && !may_open_edit_page(&o, 8, true));
    }

    #[test]
    fn the_owner_and_collaborators_log_on_an_open_opportunity_and_nobody_on_a_closed_one() {
        let mut o = opportunity(7);
        assert!(may_log_activity(&o, 7, false));
        assert!(may_log_activity(&o, 8, true));
        assert!(
            !may_log_activity(&o, 8, false),
            "a read-only share may not log"
        );
        o.status = Status::Terminated;
        assert!(!may_log_activity(&o, 7, false));
        o.status = Status::Voided;
        assert!(!may_log_activity(&o, 8, true));
    }

    #[test]
    fn city_staff_see_the_provinces_and_their_citys_announcements_and_manage_none() {
        let sjz = user(5, &[Role::AccountManager], Some(2));
        assert!(may_see_announcement(&sjz, &announcement(1, None)));
        assert!(may_see_announcement(&sjz, &announcement(1, Some(2))));
        assert!(!may_see_announcement(&sjz, &announcement(1, Some(3))));
        assert!(!may_manage_announcement(&sjz, &announcement(5, Some(2))));
        let mut withdrawn = announcement(1, None);
        withdrawn.withdrawn_at = Some(chrono::Utc::now());
        assert!(!may_see_announcement(&sjz, &withdrawn));
    }

    #[test]
    fn an_announcement_is_managed_by_its_publisher_or_the_admin_not_another_publisher() {
        let a = announcement(1, None);
        assert!(may_manage_announcement(
            &user(1, &[Role::OpportunityAdmin], None),
            &a
        ));
        assert!(may_manage_announcement(
            &user(2, &[Role::SystemAdmin], None),
            &a
        ));
        assert!(!may_manage_announcement(
            &user(3, &[Role::OpportunityAdmin], None),
            &a
        ));
    }
}
