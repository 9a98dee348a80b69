//! The ground everything stands on: migrations, demo data, the store, the audit trail.

use crate::helpers::*;
use app::model::{OrgUnitKind, Role};
use chrono::Utc;
use server::auth::password;
use server::db::{Actor, DictKind, NewOrgUnit, NewUser, StoreError};
use server::seed::{self, DEMO_PASSWORD};

on_both_databases! {
    async fn migrations_apply_on_an_empty_database(db) {
        let url = empty_database(db).await;
        let store = open_store(&url).await;
        store.ping().await.unwrap();
        assert_eq!(
            scalar(db, &url, "SELECT COUNT(*) FROM _sqlx_migrations WHERE success = TRUE").await,
            migration_files(db)
        );
        let industries = store.dictionary(DictKind::Industry).await.unwrap();
        let labels: Vec<_> = industries.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(labels, ["政务", "金融", "教育", "医疗", "制造", "交通"]);
        assert!(store.org_units().await.unwrap().is_empty());
        // Opening it again applies nothing twice.
        drop(store);
        open_store(&url).await.ping().await.unwrap();
    }

    async fn demo_data_seeds_once_and_only_once(db) {
        let url = empty_database(db).await;
        let store = open_store(&url).await;
        assert!(seed::seed_demo(&*store, Utc::now()).await.unwrap());
        assert!(!seed::seed_demo(&*store, Utc::now()).await.unwrap());
        // Even the store's own guard, asked directly, refuses a second time.
        let data = seed::demo_data().await.unwrap();
        assert!(!store.seed_demo(&data, Utc::now()).await.unwrap());
        assert_eq!(scalar(db, &url, "SELECT COUNT(*) FROM users").await, 14);
        assert_eq!(scalar(db, &url, "SELECT COUNT(*) FROM org_units").await, 8);
    }

    async fn two_instances_starting_together_seed_once(db) {
        let url = empty_database(db).await;
        let (a, b) = (open_store(&url).await, open_store(&url).await);
        let data = seed::demo_data().await.unwrap();
        let now = Utc::now();
        let (ra, rb) = tokio::join!(a.seed_demo(&data, now), b.seed_demo(&data, now));
        assert_eq!([ra.unwrap(), rb.unwrap()].iter().filter(|&&x| x).count(), 1);
        assert_eq!(scalar(db, &url, "SELECT COUNT(*) FROM users").await, 14);
    }

    async fn the_demo_users_have_their_roles_org_units_and_password(db) {
        let app = spawn_app(db).await;
        let units = app.store.org_units().await.unwrap();
        let unit = |id| units.iter().find(|u| u.id == id).unwrap();
        assert_eq!(units[0].name, "河北省分公司");
        assert_eq!(units[0].kind, OrgUnitKind::Province);
        for city in ["石家庄", "保定", "唐山", "邯郸"] {
            let c = units.iter().find(|u| u.name == city).unwrap();
            assert_eq!((c.kind, c.parent_id), (OrgUnitKind::City, Some(units[0].id)));
        }

        let vp = app.store.user_by_login("sjz_vp1").await.unwrap().unwrap();
        assert_eq!(vp.name, "石家庄副总1");
        assert_eq!(vp.roles, vec![Role::CityDeputyGm]);
        assert_eq!(unit(vp.org_unit_id).name, "石家庄");
        assert!(!vp.must_change_password && !vp.disabled);
        assert!(password::verify(DEMO_PASSWORD.into(), vp.password_hash.clone()).await);
        assert!(!password::verify("wrong".into(), vp.password_hash).await);

        let director = app.store.user_by_login("IND_GOV").await.unwrap().unwrap();
        let gov = app.store.dictionary(DictKind::Industry).await.unwrap()
            .into_iter().find(|i| i.label == "政务").unwrap();
        assert_eq!(director.roles, vec![Role::IndustryDirector]);
        assert_eq!(director.industry_ids, vec![gov.id]);
        assert!(app.store.user_by_login("nobody").await.unwrap().is_none());
    }

    async fn the_store_round_trips_an_org_unit_and_a_user(db) {
        let app = spawn_app(db).await;
        let admin = app.store.user_by_login("admin").await.unwrap().unwrap();
        let actor = Actor::user(admin.id, Utc::now());
        let city = app.store.org_units().await.unwrap()
            .into_iter().find(|u| u.name == "唐山").unwrap();
        let dept = app.store.create_org_unit(&actor, &NewOrgUnit {
            parent_id: Some(city.id),
            name: "唐山政企客户部".into(),
            kind: OrgUnitKind::Department,
        }).await.unwrap();
        assert_eq!(app.store.org_unit(dept.id).await.unwrap(), Some(dept.clone()));
        assert_eq!((dept.parent_id, dept.kind), (Some(city.id), OrgUnitKind::Department));

        let hash = password::hash("Tangshan#1".into()).await.unwrap();
        let user = app.store.create_user(&actor, &NewUser {
            login: "TS_AM1".into(),
            name: "唐山客户经理1".into(),
            org_unit_id: dept.id,
            password_hash: hash.clone(),
            phone: Some("13800000000".into()),
            email: Some("ts_am1@example.com".into()),
            must_change_password: true,
            roles: vec![Role::CityDeputyGm, Role::AccountManager],
            industry_ids: vec![],
        }).await.unwrap();
        let read = app.store.user(user.id).await.unwrap().unwrap();
        assert_eq!(read.login, "ts_am1");
        assert_eq!(read.name, "唐山客户经理1");
        assert_eq!(read.org_unit_id, dept.id);
        assert_eq!(read.password_hash, hash);
        assert_eq!(read.phone.as_deref(), Some("13800000000"));
        assert_eq!(read.email.as_deref(), Some("ts_am1@example.com"));
        assert!(read.must_change_password);
        assert_eq!(read.roles, vec![Role::AccountManager, Role::CityDeputyGm]);
        assert_eq!(read.version, 1);
    }

    async fn a_duplicate_login_is_refused_as_a_conflict(db) {
        let app = spawn_app(db).await;
        let existing = app.store.user_by_login("sjz_am1").await.unwrap().unwrap();
        let result = app.store.create_user(&Actor::system(Utc::now()), &NewUser {
            login: "SJZ_AM1".into(),
            name: "重复".into(),
            org_unit_id: existing.org_unit_id,
            password_hash: existing.password_hash.clone(),
            phone: None,
            email: None,
            must_change_password: false,
            roles: vec![Role::AccountManager],
            industry_ids: vec![],
        }).await;
        assert!(matches!(result, Err(StoreError::Conflict(_))), "{result:?}");
        // Nothing half-written: the audit trail has no entry for a user that was not created.
        let count = app.store.audit_trail("user", &(existing.id + 100).to_string()).await.unwrap();
        assert!(count.is_empty());
    }

    async fn a_change_writes_an_audit_entry_with_who_when_and_before_after(db) {
        let app = spawn_app(db).await;
        let admin = app.store.user_by_login("admin").await.unwrap().unwrap();
        let handan = app.store.org_units().await.unwrap()
            .into_iter().find(|u| u.name == "邯郸").unwrap();
        let at = Utc::now();
        app.store
            .rename_org_unit(&Actor::user(admin.id, at), handan.id, "邯郸市")
            .await
            .unwrap();
        let trail = app.store.audit_trail("org_unit", &handan.id.to_string()).await.unwrap();
        assert_eq!(trail.len(), 2, "{trail:?}");
        assert_eq!((trail[0].action.as_str(), trail[0].actor_id), ("create", None));
        let update = &trail[1];
        assert_eq!(update.action, "update");
        assert_eq!(update.actor_id, Some(admin.id));
        assert_eq!(update.at.timestamp_millis(), at.timestamp_millis());
        let before: serde_json::Value =
            serde_json::from_str(update.before_json.as_deref().unwrap()).unwrap();
        let after: serde_json::Value =
            serde_json::from_str(update.after_json.as_deref().unwrap()).unwrap();
        assert_eq!(before["name"], "邯郸");
        assert_eq!(after["name"], "邯郸市");
        // Audit snapshots of users never carry the password hash.
        let user_trail = app.store.audit_trail("user", &admin.id.to_string()).await.unwrap();
        assert_eq!(user_trail.len(), 1);
        let snapshot = user_trail[0].after_json.as_deref().unwrap();
        assert!(snapshot.contains("admin") && !snapshot.contains("argon2"), "{snapshot}");
    }
}
