//! 审批配置 (#15): 任命 / 免去 at each post the engine routes by; a change reaches only the steps
//! opened after it (an open task keeps its approver); a city nobody approves in is marked and a
//! filing there says whom to ask; only the 系统管理员, refusals beside the field.

use crate::filing::{customer, decide, file, first_task, user_id};
use crate::helpers::*;
use app::model::Role;
use server::db::NewUser;

async fn unit(app: &TestApp, name: &str) -> String {
    let units = app.store.org_units().await.unwrap();
    units
        .iter()
        .find(|u| u.name == name)
        .unwrap()
        .id
        .to_string()
}

async fn routing(
    app: &TestApp,
    action: &str,
    post: &str,
    unit: &str,
    person: &str,
    user: &str,
) -> reqwest::Response {
    app.post_form(
        "/admin/routing",
        &[
            ("action", action),
            ("post", post),
            ("unit", unit),
            ("person", person),
            ("user", user),
        ],
    )
    .await
}

async fn roles(app: &TestApp, login: &str) -> Vec<Role> {
    let mut roles = app.store.user_by_login(login).await.unwrap().unwrap().roles;
    roles.sort_by_key(|r| r.code());
    roles
}

/// sjz_am1 (on `filer`) files `name` to sjz_vp1, who forwards it 报总经理; the forwarded task's
/// assignee.
async fn forwarded(db: Db, app: &TestApp, filer: &TestApp, deputy: &TestApp, name: &str) -> i64 {
    let vp1 = user_id(app, "sjz_vp1").await;
    let c = customer(filer, &format!("{name}客户")).await;
    let target = file(filer, name, &c, vp1).await;
    let todo = deputy.get("/tasks?tab=todo").await.text().await.unwrap();
    let row = todo.split(name).next().unwrap();
    let task = first_task(&row[row.rfind("href=\"/tasks/").unwrap()..]);
    assert_eq!(
        decide(deputy, &task, "approve_forward", "请总经理审批")
            .await
            .status(),
        303
    );
    let id = target.rsplit('/').next().unwrap();
    scalar(
        db,
        &app.database_url,
        &format!("SELECT assignee_id FROM tasks WHERE opportunity_id = {id} AND open = TRUE"),
    )
    .await
}

on_both_databases! {
    async fn a_new_city_gm_takes_only_the_steps_forwarded_after_the_change(db) {
        let app = spawn_app(db).await;
        let filer = another_client(&app);
        filer.login_as("sjz_am1").await;
        let deputy = another_client(&app);
        deputy.login_as("sjz_vp1").await;
        let (sjz_gm, sjz_am2) = (user_id(&app, "sjz_gm").await, user_id(&app, "sjz_am2").await);
        assert_eq!(forwarded(db, &app, &filer, &deputy, "配置前商机").await, sjz_gm);

        app.login_as("admin").await;
        let sjz = unit(&app, "石家庄").await;
        let appointed = routing(&app, "appoint", "city_gm", &sjz, "sjz_am2", "").await;
        assert_eq!(location(&appointed), "/admin/routing?saved=1");
        assert_eq!(roles(&app, "sjz_am2").await, [Role::AccountManager, Role::CityGm]);
        assert_eq!(roles(&app, "sjz_gm").await, [Role::CityDeputyGm], "relieved, still approves there");
        let page = app.get("/admin/routing").await.text().await.unwrap();
        let row = page.split("data-unit=\"石家庄\"").nth(1).unwrap().split("</tr>").next().unwrap();
        assert!(row.contains("石家庄客户经理2（sjz_am2）"));

        assert_eq!(scalar(db, &app.database_url,
            "SELECT COUNT(*) FROM tasks t JOIN opportunities o ON o.id = t.opportunity_id
             WHERE o.name = '配置前商机' AND t.open = TRUE AND t.assignee_id = (SELECT id FROM users WHERE login = 'sjz_gm')").await, 1,
            "the open task keeps its approver");
        assert_eq!(forwarded(db, &app, &filer, &deputy, "配置后商机").await, sjz_am2);
        assert_eq!(scalar(db, &app.database_url, "SELECT COUNT(*) FROM audit_log WHERE action = 'routing'").await, 2);
    }

    async fn routing_refusals_an_unstaffed_city_and_the_industry_directors(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_vp1").await;
        assert_eq!(app.get("/admin/routing").await.status(), 403);
        let sjz = unit(&app, "石家庄").await;
        assert_eq!(routing(&app, "appoint", "city_gm", &sjz, "sjz_vp1", "").await.status(), 403);
        assert_eq!(roles(&app, "sjz_vp1").await, [Role::CityDeputyGm]);

        app.login_as("admin").await;
        let vp1 = user_id(&app, "sjz_vp1").await.to_string();
        let last = routing(&app, "remove", "city_deputy", &sjz, "", &vp1).await;
        assert_eq!(last.status(), 422);
        assert!(last.text().await.unwrap().contains("这是该用户唯一的角色"));
        let elsewhere = routing(&app, "appoint", "city_deputy", &sjz, "bd_am1", "").await;
        assert_eq!(elsewhere.status(), 422);
        assert!(elsewhere.text().await.unwrap().contains("没有找到这个人"), "only 石家庄's people");
        let several = routing(&app, "appoint", "city_deputy", &sjz, "石家庄客户经理", "").await;
        assert_eq!(several.status(), 422);
        let html = several.text().await.unwrap();
        assert!(html.contains("找到多位") && html.contains("type=\"radio\" name=\"user\""), "{html}");
        let am2 = user_id(&app, "sjz_am2").await.to_string();
        let chosen = routing(&app, "appoint", "city_deputy", &sjz, "石家庄客户经理", &am2).await;
        assert_eq!(chosen.status(), 303);
        assert_eq!(roles(&app, "sjz_am2").await, [Role::AccountManager, Role::CityDeputyGm]);
        assert_eq!(routing(&app, "remove", "city_deputy", &sjz, "", &am2).await.status(), 303);
        assert_eq!(roles(&app, "sjz_am2").await, [Role::AccountManager]);

        // 唐山 has nobody to approve: marked, and a filer there is told whom to ask.
        let page = app.get("/admin/routing").await.text().await.unwrap();
        let row = page.split("data-unit=\"唐山\"").nth(1).unwrap().split("</tr>").next().unwrap();
        assert!(row.contains("无审批人"));
        let tangshan: i64 = unit(&app, "唐山").await.parse().unwrap();
        let actor = server::db::Actor::system(chrono::Utc::now());
        app.store.create_user(&actor, &NewUser {
            login: "ts_am1".into(), name: "唐山客户经理1".into(), org_unit_id: tangshan,
            password_hash: server::auth::password::hash(server::seed::DEMO_PASSWORD.into()).await.unwrap(),
            phone: None, email: None, must_change_password: false,
            roles: vec![Role::AccountManager], industry_ids: vec![],
        }).await.unwrap();
        let filer = another_client(&app);
        filer.login_as("ts_am1").await;
        let form = filer.get("/opportunities/new").await.text().await.unwrap();
        assert!(form.contains("本单位尚未配置审批人") && form.contains("系统管理员"), "says whom to ask");

        // 行业总监: per industry, at the province.
        let industry = app.store.dictionary(server::db::DictKind::Industry).await.unwrap()[1].id.to_string();
        assert_eq!(routing(&app, "appoint", "industry_director", &industry, "prov_am1", "").await.status(), 303);
        let director = app.store.user_by_login("prov_am1").await.unwrap().unwrap();
        assert!(director.roles.contains(&Role::IndustryDirector));
        assert_eq!(director.industry_ids, [industry.parse::<i64>().unwrap()]);
        let id = director.id.to_string();
        assert_eq!(routing(&app, "remove", "industry_director", &industry, "", &id).await.status(), 303);
        let after = app.store.user_by_login("prov_am1").await.unwrap().unwrap();
        assert_eq!((after.roles, after.industry_ids), (vec![Role::AccountManager], vec![]));
    }
}
