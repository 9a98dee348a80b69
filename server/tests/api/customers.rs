//! The customer store: scope in the SQL, province-wide name uniqueness, keyset paging.

use crate::helpers::*;
use app::model::customer::{CustomerKind, CustomerName};
use chrono::{NaiveDate, Utc};
use server::auth::login::current_user;
use server::db::customers::{CustomerCursor, CustomerQuery, CustomerSort, NewCustomer};
use server::db::{Actor, DictKind, Store, StoreError};
use server::policy::scope::Scope;
use std::collections::BTreeSet;

/// The scope of a demo user, as the session middleware would derive it.
async fn scope_of(store: &dyn Store, login: &str) -> Scope {
    let user = store.user_by_login(login).await.unwrap().unwrap();
    Scope::of(&current_user(store, user, Utc::now()).await.unwrap())
}

async fn dict_id(store: &dyn Store, kind: DictKind, label: &str) -> i64 {
    store
        .dictionary(kind)
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.label == label)
        .unwrap()
        .id
}

/// Adds a customer owned by `owner` in the owner's org unit.
async fn add(
    store: &dyn Store,
    owner: &str,
    name: &str,
    industry: &str,
) -> Result<i64, StoreError> {
    let user = store.user_by_login(owner).await.unwrap().unwrap();
    let customer = NewCustomer {
        name: CustomerName::parse(name).unwrap(),
        industry_id: dict_id(store, DictKind::Industry, industry).await,
        level_id: dict_id(store, DictKind::CustomerLevel, "重要客户").await,
        kind: CustomerKind::Potential,
        owner_id: user.id,
        dept_id: user.org_unit_id,
        registered_on: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        website: None,
        phone: Some("0311-86000000".into()),
        fax: None,
        address: None,
        notes: None,
    };
    let c = store
        .create_customer(&Actor::user(user.id, Utc::now()), &customer, Utc::now())
        .await?;
    Ok(c.id)
}

fn all() -> CustomerQuery {
    CustomerQuery {
        limit: 200,
        ..Default::default()
    }
}

on_both_databases! {
    async fn each_role_sees_exactly_the_customers_in_its_scope(db) {
        let app = spawn_app(db).await;
        let s = &*app.store;
        let a = add(s, "sjz_am1", "石家庄市行政审批局", "政务").await.unwrap();
        let b = add(s, "sjz_am2", "石家庄商业银行", "金融").await.unwrap();
        let c = add(s, "bd_am1", "保定市政务服务中心", "政务").await.unwrap();
        let d = add(s, "prov_am1", "河北师范大学", "教育").await.unwrap();
        let everyone = [a, b, c, d];
        let expected: &[(&str, &[i64])] = &[
            ("sjz_am1", &[a]),
            ("sjz_am2", &[b]),
            ("bd_am1", &[c]),
            ("prov_am1", &[d]),
            ("sjz_vp1", &[a, b]),
            ("sjz_gm", &[a, b]),
            ("bd_vp1", &[c]),
            ("bd_gm", &[c]),
            ("ind_gov", &[a, c]),
            ("prov_gm", &everyone),
            ("prov_vp", &everyone),
            ("oppadmin", &everyone),
            ("support", &everyone),
            ("admin", &everyone),
        ];
        for (login, visible) in expected {
            let scope = scope_of(s, login).await;
            let listed: BTreeSet<i64> = s.customers(&scope, &all()).await.unwrap()
                .into_iter().map(|c| c.id).collect();
            assert_eq!(listed, visible.iter().copied().collect(), "list of {login}");
            for id in everyone {
                let opened = s.customer(&scope, id).await.unwrap().is_some();
                assert_eq!(opened, visible.contains(&id), "{login} opening {id}");
            }
        }
    }

    async fn a_name_taken_anywhere_in_the_province_is_refused(db) {
        let app = spawn_app(db).await;
        let s = &*app.store;
        add(s, "sjz_am1", "ABC 科技有限公司", "制造").await.unwrap();
        for variant in ["ABC 科技有限公司", "ａｂｃ　科技有限公司", "abc科技有限公司"] {
            let result = add(s, "bd_am1", variant, "制造").await;
            assert!(matches!(result, Err(StoreError::Conflict(_))), "{variant}: {result:?}");
        }
        // Nothing of the refused ones was written.
        let admin = scope_of(s, "admin").await;
        assert_eq!(s.customers(&admin, &all()).await.unwrap().len(), 1);
    }

    async fn creating_a_customer_is_audited(db) {
        let app = spawn_app(db).await;
        let id = add(&*app.store, "sjz_am1", "石家庄供水公司", "政务").await.unwrap();
        let trail = app.store.audit_trail("customer", &id.to_string()).await.unwrap();
        assert_eq!(trail.len(), 1);
        assert_eq!(trail[0].action, "create");
        assert!(trail[0].after_json.as_deref().unwrap().contains("石家庄供水公司"));
    }

    async fn keyset_paging_visits_every_customer_once_in_order(db) {
        let app = spawn_app(db).await;
        let s = &*app.store;
        for i in 0..23 {
            add(s, "sjz_am1", &format!("客户{i:02}"), "交通").await.unwrap();
        }
        let scope = scope_of(s, "sjz_am1").await;
        let sorts = [
            CustomerSort::Newest,
            CustomerSort::Name { descending: false },
            CustomerSort::Name { descending: true },
            CustomerSort::Registered { descending: false },
            CustomerSort::Registered { descending: true },
        ];
        for sort in sorts {
            let mut seen = Vec::new();
            let mut after = None;
            loop {
                let page = s.customers(&scope, &CustomerQuery {
                    sort,
                    after: after.clone(),
                    limit: 5,
                    ..Default::default()
                }).await.unwrap();
                assert!(page.len() <= 5);
                if page.is_empty() {
                    break;
                }
                let last = page.last().unwrap();
                after = Some(CustomerCursor { key: sort.key_of(last), id: last.id });
                seen.extend(page);
            }
            assert_eq!(seen.len(), 23, "{sort:?}");
            let unique: BTreeSet<_> = seen.iter().map(|c| c.id).collect();
            assert_eq!(unique.len(), 23);
            let keys: Vec<(String, i64)> = seen.iter().map(|c| (sort.key_of(c), c.id)).collect();
            let descending = matches!(
                sort,
                CustomerSort::Newest
                    | CustomerSort::Name { descending: true }
                    | CustomerSort::Registered { descending: true }
            );
            assert!(
                keys.windows(2).all(|w| if descending { w[0] > w[1] } else { w[0] < w[1] }),
                "{sort:?}: {keys:?}"
            );
        }
    }

    async fn the_query_conditions_filter_the_list(db) {
        let app = spawn_app(db).await;
        let s = &*app.store;
        add(s, "sjz_am1", "Hebei Mobile 100%", "交通").await.unwrap();
        add(s, "sjz_am1", "石家庄交通局", "交通").await.unwrap();
        add(s, "sjz_am1", "石家庄第一医院", "医疗").await.unwrap();
        let names = |q: CustomerQuery| async move {
            let mut v: Vec<String> = s.customers(&scope_of(s, "sjz_am1").await, &q).await.unwrap()
                .into_iter().map(|c| c.name).collect();
            v.sort();
            v
        };
        let q = |f: &dyn Fn(&mut CustomerQuery)| { let mut q = all(); f(&mut q); q };
        assert_eq!(names(q(&|q| q.name_contains = Some("石家庄".into()))).await, ["石家庄交通局", "石家庄第一医院"]);
        assert_eq!(names(q(&|q| q.name_contains = Some("hebei".into()))).await, ["Hebei Mobile 100%"]);
        // LIKE wildcards typed by a user are plain characters.
        assert_eq!(names(q(&|q| q.name_contains = Some("0%".into()))).await, ["Hebei Mobile 100%"]);
        assert!(names(q(&|q| q.name_contains = Some("_".into()))).await.is_empty());
        let medical = dict_id(s, DictKind::Industry, "医疗").await;
        assert_eq!(names(q(&|q| q.industry_id = Some(medical))).await, ["石家庄第一医院"]);
        assert!(names(q(&|q| q.kind = Some(CustomerKind::Transaction))).await.is_empty());
        assert_eq!(names(q(&|q| q.kind = Some(CustomerKind::Potential))).await.len(), 3);
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        assert_eq!(names(q(&|q| { q.registered_from = Some(day(1)); q.registered_to = Some(day(1)); })).await.len(), 3);
        assert!(names(q(&|q| q.registered_from = Some(day(2)))).await.is_empty());
    }

    async fn quick_find_matches_any_part_of_a_name_or_phone_within_scope(db) {
        let app = spawn_app(db).await;
        let s = &*app.store;
        add(s, "sjz_am1", "石家庄市第一人民医院", "医疗").await.unwrap();
        add(s, "sjz_am1", "河北省石家庄交通运输集团", "交通").await.unwrap();
        add(s, "bd_am1", "保定市第一人民医院", "医疗").await.unwrap();
        let mine = scope_of(s, "sjz_am1").await;
        let names = |found: Vec<server::db::customers::Customer>| {
            found.into_iter().map(|c| c.name).collect::<Vec<_>>()
        };
        // Three or more characters anywhere in the name.
        assert_eq!(names(s.quick_find(&mine, "第一人民", 20).await.unwrap()), ["石家庄市第一人民医院"]);
        assert_eq!(names(s.quick_find(&mine, "交通运输", 20).await.unwrap()), ["河北省石家庄交通运输集团"]);
        // Part of the phone (every test customer has 0311-86000000).
        assert_eq!(s.quick_find(&mine, "86000", 20).await.unwrap().len(), 2);
        // One or two characters: the start of the name.
        assert_eq!(names(s.quick_find(&mine, "石家", 20).await.unwrap()), ["石家庄市第一人民医院"]);
        assert!(s.quick_find(&mine, "医院", 20).await.unwrap().is_empty());
        // Another city's customers stay out of reach; a province user sees both hospitals.
        let province = scope_of(s, "prov_gm").await;
        assert_eq!(s.quick_find(&province, "第一人民医院", 20).await.unwrap().len(), 2);
        // Whatever is typed is text, never syntax.
        for odd in ["\"", "a\"b OR c", "%%%", "__", "NEAR(", "*"] {
            assert!(s.quick_find(&mine, odd, 20).await.unwrap().is_empty(), "{odd}");
        }
    }
}
