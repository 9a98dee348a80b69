//! Person fields filled by typing (负责人 filter, 共享给): looked up by the server among those
//! the field may name, with several matches offered to choose from; and the user directory
//! every instance keeps, renewed as soon as a user is created or disabled (as when one is
//! renamed, moved or given a role: the triggers of migration 16).

use crate::customer_pages::form;
use crate::helpers::*;
use crate::lists::row_names as rows;
use app::model::Role;
use chrono::Utc;
use server::db::{Actor, NewUser};

async fn user_id(app: &TestApp, login: &str) -> String {
    app.store
        .user_by_login(login)
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string()
}

/// A new account manager `login` called `name`, in the unit of `of`.
async fn colleague_of(app: &TestApp, of: &str, login: &str, name: &str) -> server::db::User {
    let template = app.store.user_by_login(of).await.unwrap().unwrap();
    let new = NewUser {
        login: login.into(),
        name: name.into(),
        org_unit_id: template.org_unit_id,
        password_hash: template.password_hash.clone(),
        phone: None,
        email: None,
        must_change_password: false,
        roles: vec![Role::AccountManager],
        industry_ids: vec![],
    };
    app.store
        .create_user(&Actor::system(Utc::now()), &new)
        .await
        .unwrap()
}

/// 客户管理 filtered by a 负责人 who does not exist at first.
async fn look(instance: &TestApp) -> String {
    instance
        .get("/customers?owner=新来的经理")
        .await
        .text()
        .await
        .unwrap()
}

on_both_databases! {
    async fn the_owner_filter_looks_up_what_was_typed_within_the_viewers_reach(db) {
        let app = spawn_app(db).await;
        let am2 = user_id(&app, "sjz_am2").await;
        app.login_as("sjz_vp1").await;
        assert_eq!(form(&app, &[("name", "查找负责人客户"), ("owner_id", &am2)]).await.status(), 303);
        assert_eq!(form(&app, &[("name", "副总的查找客户")]).await.status(), 303);

        // A name or a login, exactly: that person's customers, the field showing the name.
        for typed in ["石家庄客户经理2", "SJZ_AM2"] {
            let html = app.get(&format!("/customers?owner={typed}")).await.text().await.unwrap();
            assert_eq!(rows(&html), ["查找负责人客户"], "{typed}");
            assert!(html.contains(r#"value="石家庄客户经理2""#));
        }
        // Several in reach: none listed until one is chosen; 保定's are not in a 石家庄 副总's reach.
        let several = app.get("/customers?owner=客户经理").await.text().await.unwrap();
        assert!(rows(&several).is_empty());
        assert!(several.contains("找到多位，请在下面选择一位"));
        assert!(several.contains(&format!(r#"name="owner_id" value="{am2}""#)));
        assert!(several.contains("石家庄客户经理1 · ") && !several.contains("保定客户经理1"));
        let chosen = app.get(&format!("/customers?owner=客户经理&owner_id={am2}")).await.text().await.unwrap();
        assert_eq!(rows(&chosen), ["查找负责人客户"]);
        // Nobody: said beside the field, what was typed kept.
        let nobody = app.get("/customers?owner=保定客户经理1").await.text().await.unwrap();
        assert!(nobody.contains("没有找到这个人") && nobody.contains(r#"value="保定客户经理1""#));
        assert!(rows(&nobody).is_empty());
        // Cleared: everyone's again.
        assert_eq!(rows(&app.get("/customers?owner=").await.text().await.unwrap()).len(), 2);

        // 商机管理 takes the same field.
        let opportunities = app.get("/opportunities?tab=all&owner=客户经理").await.text().await.unwrap();
        assert!(opportunities.contains("找到多位") && opportunities.contains(r#"id="q-owner""#));
        // A province role reaches the province.
        let admin = another_client(&app);
        admin.login_as("admin").await;
        let province = admin.get("/customers?owner=保定客户经理1").await.text().await.unwrap();
        assert!(!province.contains("没有找到这个人"));
    }

    async fn sharing_looks_up_the_typed_user_and_asks_when_several_match(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let target = location(&form(&app, &[("name", "输入共享客户")]).await);
        let share = |fields: Vec<(&'static str, String)>| {
            let app = &app;
            let target = target.clone();
            async move {
                let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                app.post_form(&format!("{target}/share"), &fields).await
            }
        };
        // The page offers no list of the province: a field to type in.
        let page = app.get(&target).await.text().await.unwrap();
        assert!(page.contains(r#"id="share-user""#) && !page.contains("保定客户经理1"));

        // Several: the record's page again (422), what was typed and the access kept, those
        // found offered; the owner (who is sharing) is not among them.
        let several = share(vec![("user", "客户经理".into()), ("access", "edit".into())]).await;
        assert_eq!(several.status(), 422);
        let html = several.text().await.unwrap();
        assert!(html.contains("找到多位") && html.contains(r#"value="客户经理""#));
        assert!(html.contains("保定客户经理1 · ") && html.contains("石家庄客户经理2 · "));
        assert!(!html.contains("石家庄客户经理1 · "), "not the sharer");
        assert!(html.contains(r#"value="edit" checked"#), "the access chosen is kept");

        // Chosen among them: shared.
        let bd = user_id(&app, "bd_am1").await;
        let chosen = share(vec![("user", "客户经理".into()), ("user_id", bd), ("access", "read".into())]).await;
        assert_eq!(chosen.status(), 303);
        let page = app.get(&target).await.text().await.unwrap();
        assert!(page.contains("保定客户经理1") && page.contains("只读"));

        // An exact name: shared at once.
        assert_eq!(share(vec![("user", "石家庄客户经理2".into())]).await.status(), 303);
        // Nobody, or nothing typed: said beside the field.
        let nobody = share(vec![("user", "无此人".into())]).await;
        assert_eq!(nobody.status(), 422);
        assert!(nobody.text().await.unwrap().contains("没有找到这个人"));
        let empty = share(vec![("user", " ".into())]).await;
        assert_eq!(empty.status(), 422);
        assert!(empty.text().await.unwrap().contains("此项为必填项"));
        // Someone without the right to share learns nothing of who exists.
        let colleague = another_client(&app);
        colleague.login_as("sjz_am2").await;
        let forged = colleague.post_form(&format!("{target}/share"), &[("user", "客户经理")]).await;
        assert_eq!(forged.status(), 403);
    }

    async fn the_customer_forms_owner_is_typed_and_looked_up_within_reach(db) {
        let app = spawn_app(db).await;
        let am2 = user_id(&app, "sjz_am2").await;
        let owner_on = |html: String, name: &str| html.contains(&format!("<dt>负责人</dt><dd>{name}</dd>"));
        app.login_as("sjz_vp1").await;
        // No list of people: a field holding the adder, and their id beside it.
        let page = app.get("/customers/new").await.text().await.unwrap();
        assert!(page.contains(r#"id="owner""#) && page.contains(r#"value="石家庄副总1""#));
        assert!(!page.contains("石家庄客户经理2"));

        // A login typed: that person.
        let typed = form(&app, &[("name", "键入负责人客户"), ("owner", "sjz_am2")]).await;
        assert_eq!(typed.status(), 303);
        let customer = location(&typed);
        assert!(owner_on(app.get(&customer).await.text().await.unwrap(), "石家庄客户经理2"));

        // Several: the form again with everything typed, those found to choose from.
        let several = form(&app, &[("name", "多人负责人客户"), ("owner", "客户经理"), ("phone", "0311-1234567")]).await;
        assert_eq!(several.status(), 422);
        let html = several.text().await.unwrap();
        assert!(html.contains("找到多位") && html.contains(r#"value="客户经理""#));
        assert!(html.contains(r#"value="多人负责人客户""#) && html.contains(r#"value="0311-1234567""#));
        assert!(html.contains(&format!(r#"name="owner_id" value="{am2}""#)));
        assert!(!html.contains("保定客户经理1"), "only the 副总's city");
        let chosen = form(&app, &[("name", "多人负责人客户"), ("owner", "客户经理"), ("owner_id", &am2)]).await;
        assert_eq!(chosen.status(), 303);
        // Out of reach (another city), or nobody: said beside the field.
        let outside = form(&app, &[("name", "外市负责人客户"), ("owner", "保定客户经理1")]).await;
        assert_eq!(outside.status(), 422);
        assert!(outside.text().await.unwrap().contains("没有找到这个人"));

        // An edit keeps the owner while the text names them; another name reassigns.
        let edit = format!("{customer}/edit");
        let page = app.get(&edit).await.text().await.unwrap();
        assert!(page.contains(r#"value="石家庄客户经理2""#));
        let version = page.split(r#"name="version" value=""#).nth(1).unwrap().split('"').next().unwrap().to_owned();
        let save = |owner: &'static str, version: String| {
            let (app, edit) = (&app, edit.clone());
            async move {
                let industry = app.store.dictionary(server::db::DictKind::Industry).await.unwrap()[0].id.to_string();
                let level = app.store.dictionary(server::db::DictKind::CustomerLevel).await.unwrap()[0].id.to_string();
                app.post_form(&edit, &[
                    ("version", version.as_str()), ("name", "键入负责人客户"), ("industry_id", &industry),
                    ("level_id", &level), ("kind", "potential"), ("owner", owner),
                ]).await
            }
        };
        // Another 石家庄客户经理2 arrives: a new customer must say which, the edit keeps its own.
        colleague_of(&app, "sjz_am2", "sjz_am2b", "石家庄客户经理2").await;
        let namesake = form(&app, &[("name", "同名负责人客户"), ("owner", "石家庄客户经理2")]).await;
        assert_eq!(namesake.status(), 422);
        assert!(namesake.text().await.unwrap().contains("sjz_am2b"));
        assert_eq!(save("石家庄客户经理2", version.clone()).await.status(), 303);
        let page = app.get(&customer).await.text().await.unwrap();
        assert!(owner_on(page, "石家庄客户经理2"));
        let id = customer.rsplit('/').next().unwrap();
        let owner = scalar(db, &app.database_url, &format!("SELECT owner_id FROM customers WHERE id = {id}")).await;
        assert_eq!(owner.to_string(), am2, "the same person, not the namesake");
        let version = (version.parse::<i64>().unwrap() + 1).to_string();
        assert_eq!(save("sjz_am1", version.clone()).await.status(), 303);
        assert!(owner_on(app.get(&customer).await.text().await.unwrap(), "石家庄客户经理1"));

        // The owner is disabled since: the edit page still names them, and saving keeps them.
        let am1 = app.store.user_by_login("sjz_am1").await.unwrap().unwrap();
        app.store.set_user_disabled(&Actor::system(Utc::now()), am1.id, true).await.unwrap();
        assert!(app.get(&edit).await.text().await.unwrap().contains(r#"value="石家庄客户经理1""#));
        let version = (version.parse::<i64>().unwrap() + 1).to_string();
        assert_eq!(save("石家庄客户经理1", version).await.status(), 303);
        let owner = scalar(db, &app.database_url, &format!("SELECT owner_id FROM customers WHERE id = {id}")).await;
        assert_eq!(owner, am1.id);
    }

    async fn every_instance_sees_a_user_created_or_disabled_at_once(db) {
        let app = spawn_app(db).await;
        let other = spawn_instance(&app).await;
        for instance in [&app, &other] {
            instance.login_as("admin").await;
        }
        // Both instances have read the directory (and keep it).
        assert!(look(&app).await.contains("没有找到这个人"));
        assert!(look(&other).await.contains("没有找到这个人"));

        let created = colleague_of(&app, "sjz_am1", "new_am", "新来的经理").await;
        let actor = Actor::system(Utc::now());
        for instance in [&app, &other] {
            let html = look(instance).await;
            assert!(!html.contains("没有找到这个人") && html.contains(r#"value="新来的经理""#));
        }
        app.store.set_user_disabled(&actor, created.id, true).await.unwrap();
        for instance in [&app, &other] {
            assert!(look(instance).await.contains("没有找到这个人"));
        }
    }
}
