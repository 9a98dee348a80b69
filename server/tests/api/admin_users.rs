//! 用户管理 (#15): only the 系统管理员, by address as well as by menu, refusals audited; a new
//! user changes the initial password first; edits on a version; 停用 ends the user's sessions
//! at once and waits for 转交; 重置密码; the list's query and pages.

use crate::filing::{customer, user_id};
use crate::helpers::*;
use server::db::{DictKind, NewUser};

const PASSWORD: &str = "Chu-Shi-Mi-Ma-2026";

fn org_unit_of(html: &str, name: &str) -> String {
    // The <option value="…"> of the org unit `name` in the form.
    let before = html.split(&format!(">{name}</option>")).next().unwrap();
    before
        .rsplit("value=\"")
        .next()
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned()
}

async fn unit_id(app: &TestApp, name: &str) -> String {
    let units = app.store.org_units().await.unwrap();
    units
        .iter()
        .find(|u| u.name == name)
        .unwrap()
        .id
        .to_string()
}

on_both_databases! {
    async fn only_the_admin_reaches_user_management_and_refusals_are_audited(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_vp1").await;
        assert_eq!(app.get("/admin/users").await.status(), 403);
        assert_eq!(app.get("/admin/users/1").await.status(), 403);
        assert_eq!(app.server_fn_form("admin_users", &[("query[q]".into(), String::new())]).await.status(), 403);
        let post = app.post_form("/admin/users/new", &[
            ("login", "mole"), ("name", "内鬼"), ("role", "system_admin"), ("password", PASSWORD),
        ]).await;
        assert_eq!(post.status(), 403);
        let target = user_id(&app, "sjz_am1").await.to_string();
        for action in ["disable", "password"] {
            let path = format!("/admin/users/{target}/{action}");
            assert_eq!(app.post_form(&path, &[("password", PASSWORD)]).await.status(), 403, "{action}");
        }
        assert!(app.store.user_by_login("mole").await.unwrap().is_none());
        let me = user_id(&app, "sjz_vp1").await;
        let refused = scalar(db, &app.database_url, &format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'refused' AND actor_id = {me}")).await;
        assert!(refused >= 5, "{refused}");
        assert!(!app.store.user_by_login("sjz_am1").await.unwrap().unwrap().disabled);
    }

    async fn a_new_user_changes_the_initial_password_first_then_sees_their_role(db) {
        let app = spawn_app(db).await;
        app.login_as("admin").await;
        let form = app.get("/admin/users/new").await.text().await.unwrap();
        let bd = org_unit_of(&form, "　保定");
        let refused = app.post_form("/admin/users/new", &[
            ("login", "sjz_am1"), ("name", "保定新人"), ("org_unit_id", &bd),
            ("role", "industry_director"), ("password", "1234567890"),
        ]).await;
        assert_eq!(refused.status(), 422);
        let html = refused.text().await.unwrap();
        assert!(html.contains("行业总监须选择负责的行业"));
        assert!(html.contains("该密码过于常见") || html.contains("密码"), "password refused");
        assert!(html.contains("value=\"保定新人\""), "typed kept");
        assert!(!html.contains("1234567890"), "the password is not sent back");
        // The login is found taken once the rest is right.
        let taken = app.post_form("/admin/users/new", &[
            ("login", "SJZ_AM1"), ("name", "保定新人"), ("org_unit_id", &bd),
            ("role", "account_manager"), ("password", PASSWORD),
        ]).await;
        assert_eq!(taken.status(), 422);
        assert!(taken.text().await.unwrap().contains("该登录名已被使用"));
        let created = app.post_form("/admin/users/new", &[
            ("login", "bd_am2"), ("name", "保定客户经理2"), ("org_unit_id", &bd),
            ("role", "account_manager"), ("phone", "13900000002"), ("password", PASSWORD),
        ]).await;
        assert_eq!(created.status(), 303);
        let page = location(&created);
        assert!(page.ends_with("?created=1"), "{page}");
        let html = app.get(&page).await.text().await.unwrap();
        assert!(html.contains("用户已添加") && html.contains("该用户下次登录时须修改密码"));

        let newcomer = another_client(&app);
        assert_eq!(location(&newcomer.login("bd_am2", PASSWORD).await), "/");
        assert_eq!(location(&newcomer.get("/").await), "/password");
        let changed = newcomer.post_form("/password", &[
            ("old_password", PASSWORD), ("new_password", "Bao-Ding-Xin-Ren-1"),
            ("confirm_password", "Bao-Ding-Xin-Ren-1"),
        ]).await;
        assert_eq!(location(&changed), "/");
        let home = newcomer.get("/").await.text().await.unwrap();
        assert!(home.contains("保定客户经理2"));
        assert!(!home.contains("href=\"/admin\""), "an account manager has no 系统管理");
        assert_eq!(newcomer.get("/admin/users").await.status(), 403);
        let me = newcomer.whoami().await;
        assert_eq!(me.city_id.map(|c| c.to_string()), Some(bd));
    }

    async fn an_edit_changes_roles_and_industries_on_the_version_read(db) {
        let app = spawn_app(db).await;
        app.login_as("admin").await;
        let id = user_id(&app, "sjz_am2").await;
        let page = app.get(&format!("/admin/users/{id}")).await.text().await.unwrap();
        let version = page.split("name=\"version\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let unit = unit_id(&app, "石家庄").await;
        let industry = app.store.dictionary(DictKind::Industry).await.unwrap()[1].id.to_string();
        let path = format!("/admin/users/{id}");
        let saved = app.post_form(&path, &[
            ("login", "sjz_am2"), ("name", "石家庄行业总监"), ("org_unit_id", &unit),
            ("role", "industry_director"), ("industry", &industry), ("version", &version),
        ]).await;
        assert_eq!(saved.status(), 303);
        let user = app.store.user(id).await.unwrap().unwrap();
        assert_eq!(user.roles, [app::model::Role::IndustryDirector]);
        assert_eq!(user.industry_ids, [industry.parse::<i64>().unwrap()]);
        // The same version again: another admin's tab.
        let stale = app.post_form(&path, &[
            ("login", "sjz_am2"), ("name", "又改"), ("org_unit_id", &unit),
            ("role", "account_manager"), ("version", &version),
        ]).await;
        assert_eq!(stale.status(), 422);
        assert!(stale.text().await.unwrap().contains("数据已被他人修改"));
        let audited = text(db, &app.database_url, &format!(
            "SELECT before_json || after_json FROM audit_log WHERE action = 'update' AND entity = 'user' AND entity_id = '{id}'")).await;
        assert!(audited.contains("account_manager") && audited.contains("industry_director"));
        // The admin cannot take 系统管理 from themself.
        let me = user_id(&app, "admin").await;
        let own = app.get(&format!("/admin/users/{me}")).await.text().await.unwrap();
        let v = own.split("name=\"version\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let province = unit_id(&app, "河北省分公司").await;
        let refused = app.post_form(&format!("/admin/users/{me}"), &[
            ("login", "admin"), ("name", "系统管理员"), ("org_unit_id", &province),
            ("role", "account_manager"), ("version", &v),
        ]).await;
        assert_eq!(refused.status(), 422);
        assert!(refused.text().await.unwrap().contains("不能取消自己的系统管理员角色"));
    }

    async fn disabling_waits_for_transfer_and_ends_the_users_sessions_at_once(db) {
        let app = spawn_app(db).await;
        let holder = another_client(&app);
        holder.login_as("bd_am1").await;
        customer(&holder, "保定在管客户").await;
        let leaver = another_client(&app);
        leaver.login_as("sjz_am2").await;
        app.login_as("admin").await;
        let bd_am1 = user_id(&app, "bd_am1").await;
        let refused = app.post_form(&format!("/admin/users/{bd_am1}/disable"), &[]).await;
        assert_eq!(refused.status(), 422);
        assert!(refused.text().await.unwrap().contains("请先转交后再停用"));
        assert_eq!(holder.get("/customers").await.status(), 200, "still in");
        let me = user_id(&app, "admin").await;
        let own = app.post_form(&format!("/admin/users/{me}/disable"), &[]).await;
        assert!(own.text().await.unwrap().contains("不能停用自己"));

        let sjz_am2 = user_id(&app, "sjz_am2").await;
        let disabled = app.post_form(&format!("/admin/users/{sjz_am2}/disable"), &[]).await;
        assert_eq!(disabled.status(), 303);
        assert!(location(&leaver.get("/").await).starts_with("/login"), "the session ended at once");
        assert_eq!(location(&leaver.login("sjz_am2", server::seed::DEMO_PASSWORD).await),
            "/login?error=disabled&login=sjz_am2&next=");
        let listed = app.get("/admin/users?status=disabled").await.text().await.unwrap();
        assert!(listed.contains(">sjz_am2<") && !listed.contains(">sjz_am1<"));
        assert_eq!(app.post_form(&format!("/admin/users/{sjz_am2}/enable"), &[]).await.status(), 303);
        assert_eq!(location(&leaver.login("sjz_am2", server::seed::DEMO_PASSWORD).await), "/");
    }

    async fn a_reset_password_ends_the_sessions_and_must_be_changed(db) {
        let app = spawn_app(db).await;
        let user = another_client(&app);
        user.login_as("bd_vp1").await;
        app.login_as("admin").await;
        let id = user_id(&app, "bd_vp1").await;
        let weak = app.post_form(&format!("/admin/users/{id}/password"), &[("password", "bd_vp1")]).await;
        assert_eq!(weak.status(), 422);
        assert!(weak.text().await.unwrap().contains("密码至少需要10个字符"));
        let reset = app.post_form(&format!("/admin/users/{id}/password"), &[("password", PASSWORD)]).await;
        assert_eq!(location(&reset), format!("/admin/users/{id}?reset=1"));
        assert!(location(&user.get("/").await).starts_with("/login"));
        assert_eq!(location(&user.login("bd_vp1", PASSWORD).await), "/");
        assert_eq!(location(&user.get("/tasks?tab=todo").await), "/password");
    }

    async fn the_list_is_queried_and_paged(db) {
        let app = spawn_app(db).await;
        let unit: i64 = unit_id(&app, "唐山").await.parse().unwrap();
        let hash = server::auth::password::hash(PASSWORD.into()).await.unwrap();
        let actor = server::db::Actor::system(chrono::Utc::now());
        for n in 0..55 {
            app.store.create_user(&actor, &NewUser {
                login: format!("ts_am{n:02}"), name: format!("唐山客户经理{n:02}"), org_unit_id: unit,
                password_hash: hash.clone(), phone: None, email: None, must_change_password: true,
                roles: vec![app::model::Role::AccountManager], industry_ids: vec![],
            }).await.unwrap();
        }
        app.login_as("admin").await;
        let first = app.get(&format!("/admin/users?org_unit_id={unit}")).await.text().await.unwrap();
        assert_eq!(first.matches(">唐山客户经理").count(), 50);
        let next = first.split("href=\"/admin/users?").find(|s| s.contains("after=")).unwrap();
        let next = format!("/admin/users?{}", next.split('"').next().unwrap().replace("&amp;", "&"));
        let second = app.get(&next).await.text().await.unwrap();
        assert_eq!(second.matches(">唐山客户经理").count(), 5);
        let found = app.get("/admin/users?q=客户经理07").await.text().await.unwrap();
        assert_eq!(found.matches(">唐山客户经理").count(), 1);
        let by_role = app.get("/admin/users?role=city_deputy_gm").await.text().await.unwrap();
        assert!(by_role.contains(">sjz_vp1<") && by_role.contains(">bd_vp1<") && !by_role.contains(">sjz_am1<"));
    }
}
