//! Races over HTTP with real sessions (#19), each with its one right outcome on both databases:
//! a hundred decisions on one step, concurrent edits of one customer, merges, 转交 and an
//! import of the same customers, shares and unshares, and parallel wrong passwords.

use crate::customer_pages::{form, post_edit};
use crate::filing::{customer, decide, file, first_task, user_id};
use crate::helpers::*;
use futures::future::join_all;

/// `n` more sessions of `login` on `app`.
async fn sessions(app: &TestApp, login: &str, n: usize) -> Vec<TestApp> {
    let mut all = Vec::with_capacity(n);
    for _ in 0..n {
        let client = another_client(app);
        client.login_as(login).await;
        all.push(client);
    }
    all
}

async fn version(db: Db, url: &str, customer: &str) -> String {
    scalar(
        db,
        url,
        &format!("SELECT version FROM customers WHERE id = {customer}"),
    )
    .await
    .to_string()
}

/// Posts the merge of `a` and `b` (keeping `a`) with the versions the page would carry.
async fn merge(app: &TestApp, a: &str, b: &str, va: &str, vb: &str) -> reqwest::Response {
    app.post_form(
        &format!("/customers/merge?a={a}&b={b}"),
        &[
            ("a", a),
            ("b", b),
            ("version_a", va),
            ("version_b", vb),
            ("survivor", "a"),
            ("pick_address", "a"),
            ("pick_name", "a"),
        ],
    )
    .await
}

on_both_databases! {
    async fn a_hundred_decisions_on_one_step_record_exactly_one(db) {
        let app = spawn_app(db).await;
        let url = app.database_url.clone();
        app.login_as("sjz_am1").await;
        let vp1 = user_id(&app, "sjz_vp1").await;
        let c = customer(&app, "百次审批客户").await;
        let target = file(&app, "百次审批商机", &c, vp1).await;
        let id = target.rsplit('/').next().unwrap().to_owned();
        let deputies = sessions(&app, "sjz_vp1", 10).await;
        let task = first_task(&deputies[0].get("/tasks?tab=todo").await.text().await.unwrap());

        let decisions = ["approve_end", "approve_forward", "return"];
        let posts = deputies.iter().flat_map(|deputy| {
            (0..10).map(|i| decide(deputy, &task, decisions[i % 3], "并发审批"))
        });
        let answers = join_all(posts).await;
        let won: Vec<_> = answers.iter().filter(|r| r.status() == 303).collect();
        assert_eq!(won.len(), 1, "one decision recorded");
        assert!(answers.iter().all(|r| matches!(r.status().as_u16(), 303 | 422)), "refusals, never errors");
        assert_eq!(
            scalar(db, &url, &format!("SELECT COUNT(*) FROM approval_records WHERE opportunity_id = {id}")).await,
            2,
            "the submission and one decision"
        );
        assert_eq!(
            scalar(db, &url, &format!(
                "SELECT COUNT(*) FROM tasks WHERE opportunity_id = {id} AND assignee_id = {vp1} AND open = FALSE"
            )).await,
            1,
            "the step closed once"
        );
        assert!(
            scalar(db, &url, &format!("SELECT COUNT(*) FROM tasks WHERE opportunity_id = {id} AND open = TRUE")).await <= 1,
            "at most the next step open"
        );
    }

    async fn concurrent_edits_of_one_customer_keep_one_and_tell_the_others(db) {
        let app = spawn_app(db).await;
        let url = app.database_url.clone();
        app.login_as("sjz_am1").await;
        let target = location(&form(&app, &[("name", "石家庄编辑测试")]).await);
        let id = target.rsplit('/').next().unwrap().to_owned();
        let before = version(db, &url, &id).await;
        let tabs = sessions(&app, "sjz_am1", 12).await;
        let phones: Vec<String> = (0..12).map(|i| format!("0311-{:07}", 1_000_000 + i)).collect();
        let answers = join_all(
            tabs.iter().zip(&phones).map(|(tab, phone)| post_edit(tab, &target, phone, &before)),
        )
        .await;
        let mut winner = None;
        for (answer, phone) in answers.into_iter().zip(&phones) {
            match answer.status().as_u16() {
                303 => {
                    assert!(winner.is_none(), "a second edit on the same version was saved");
                    winner = Some(phone.clone());
                }
                422 => {
                    let page = answer.text().await.unwrap();
                    assert!(page.contains("数据已被他人修改"), "the loser is told");
                    assert!(page.contains(phone.as_str()), "and keeps what was typed");
                }
                other => panic!("answered {other}"),
            }
        }
        let winner = winner.expect("one edit saved");
        assert_eq!(
            text(db, &url, &format!("SELECT COALESCE(phone, '') FROM customers WHERE id = {id}")).await,
            winner
        );
        assert_eq!(
            version(db, &url, &id).await.parse::<i64>().unwrap(),
            before.parse::<i64>().unwrap() + 1
        );
        assert_eq!(
            scalar(db, &url, &format!(
                "SELECT COUNT(*) FROM audit_log WHERE entity = 'customer' AND entity_id = '{id}' AND action = 'update'"
            )).await,
            1
        );
    }

    async fn concurrent_merges_of_overlapping_customers_make_one(db) {
        let app = spawn_app(db).await;
        let url = app.database_url.clone();
        app.login_as("sjz_am1").await;
        let vp1 = user_id(&app, "sjz_vp1").await;
        let mut ids = Vec::new();
        for name in ["合并竞争甲", "合并竞争乙", "合并竞争丙"] {
            let c = customer(&app, name).await;
            file(&app, &format!("{name}的商机"), &c, vp1).await;
            ids.push(c);
        }
        let (a, b, c) = (&ids[0], &ids[1], &ids[2]);
        let (va, vb, vc) = (version(db, &url, a).await, version(db, &url, b).await, version(db, &url, c).await);
        let tabs = sessions(&app, "sjz_am1", 6).await;
        // The same pair three times, and a pair sharing 乙 three times.
        let answers = join_all(tabs.iter().enumerate().map(|(i, tab)| {
            if i % 2 == 0 {
                merge(tab, a, b, &va, &vb)
            } else {
                merge(tab, b, c, &vb, &vc)
            }
        }))
        .await;
        let statuses: Vec<u16> = answers.iter().map(|r| r.status().as_u16()).collect();
        assert_eq!(statuses.iter().filter(|s| **s == 303).count(), 1, "{statuses:?}");
        // The loser finds a customer changed (422) or gone (403, as for any record one may not see).
        assert!(statuses.iter().all(|s| matches!(s, 303 | 403 | 422)), "{statuses:?}");
        let all = ids.join(", ");
        assert_eq!(scalar(db, &url, &format!("SELECT COUNT(*) FROM customers WHERE id IN ({all})")).await, 2);
        assert_eq!(
            scalar(db, &url, &format!(
                "SELECT COUNT(DISTINCT oc.opportunity_id) FROM opportunity_customers oc WHERE oc.customer_id IN ({all})"
            )).await,
            3,
            "every opportunity still has its customer"
        );
        assert_eq!(scalar(db, &url, "SELECT COUNT(*) FROM audit_log WHERE action = 'merge'").await, 1);
    }

    async fn a_transfer_an_import_and_a_merge_of_the_same_customers_lose_nothing(db) {
        let app = spawn_app(db).await;
        let url = app.database_url.clone();
        let bd_am2 = crate::transfer::second_baoding_manager(&app).await;
        let bd_am1 = user_id(&app, "bd_am1").await;
        let owner = another_client(&app);
        owner.login_as("bd_am1").await;
        let mut ids = Vec::new();
        for i in 0..6 {
            ids.push(customer(&owner, &format!("转交竞争客户{i}")).await);
        }
        let contacts: String = (0..6).map(|i| format!("转交竞争客户{i},联系人{i}\n")).collect();
        let (status, preview) = crate::import::upload(
            &owner,
            "contacts",
            "contacts.csv",
            format!("客户名称,姓名\n{contacts}").into_bytes(),
        )
        .await;
        assert_eq!(status, 200, "{preview}");
        let (va, vb) = (version(db, &url, &ids[0]).await, version(db, &url, &ids[1]).await);
        app.login_as("admin").await;

        let (moved, job, merged) = tokio::join!(
            crate::transfer::transfer(&app, "customers", bd_am1, bd_am2, &[]),
            crate::import::start(&owner, &preview, "contacts", &["customer", "name"]),
            merge(&owner, &ids[0], &ids[1], &va, &vb),
        );
        assert_eq!(moved.status(), 303, "the transfer is done");
        let done = job_finished(&owner, &job).await;
        let merged = merged.status().as_u16();
        assert!(matches!(merged, 303 | 403 | 404 | 422), "merge answered {merged}");

        let all = ids.join(", ");
        let left = scalar(db, &url, &format!("SELECT COUNT(*) FROM customers WHERE id IN ({all})")).await;
        assert_eq!(left, if merged == 303 { 5 } else { 6 }, "a merge removes one, or nothing");
        assert_eq!(
            scalar(db, &url, &format!("SELECT COUNT(*) FROM customers WHERE id IN ({all}) AND owner_id <> {bd_am2}")).await,
            0,
            "every customer the leaver held moved"
        );
        // Each imported contact is on a customer that exists, once, or reported as refused.
        let imported: i64 = job_counter(&done, "job-succeeded").parse().unwrap();
        let refused: i64 = job_counter(&done, "job-failed").parse().unwrap();
        assert_eq!(imported + refused, 6, "every row imported or reported: {}", done.split("<section").nth(1).unwrap_or(&done));
        assert_eq!(
            scalar(db, &url, "SELECT COUNT(*) FROM contacts WHERE name LIKE '联系人%'").await,
            imported
        );
        assert_eq!(
            scalar(db, &url, "SELECT COUNT(*) FROM contacts k WHERE name LIKE '联系人%' AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = k.customer_id)").await,
            0,
            "no contact left without its customer"
        );
    }

    async fn concurrent_shares_and_unshares_leave_one_consistent_state(db) {
        let app = spawn_app(db).await;
        let url = app.database_url.clone();
        app.login_as("sjz_am1").await;
        let target = location(&form(&app, &[("name", "共享竞争客户")]).await);
        let id = target.rsplit('/').next().unwrap().to_owned();
        let guest_id = user_id(&app, "bd_am1").await.to_string();
        let guest = another_client(&app);
        guest.login_as("bd_am1").await;
        let tabs = sessions(&app, "sjz_am1", 10).await;
        for round in 0..3 {
            let answers = join_all(tabs.iter().enumerate().map(|(i, tab)| {
                let (path, fields) = if (i + round) % 2 == 0 {
                    (format!("{target}/share"), vec![("user_id", guest_id.as_str()), ("access", if i % 4 == 0 { "edit" } else { "read" })])
                } else {
                    (format!("{target}/unshare"), vec![("user_id", guest_id.as_str())])
                };
                async move { tab.post_form(&path, &fields).await.status().as_u16() }
            }))
            .await;
            assert!(answers.iter().all(|s| *s == 303), "{answers:?}");
            let rows = scalar(db, &url, &format!(
                "SELECT COUNT(*) FROM customer_shares WHERE customer_id = {id} AND user_id = {guest_id}"
            )).await;
            assert!(rows <= 1, "one share row at most: {rows}");
            let last = text(db, &url, &format!(
                "SELECT action FROM audit_log WHERE entity = 'customer' AND entity_id = '{id}' \
                 AND action IN ('share', 'unshare') ORDER BY id DESC LIMIT 1"
            )).await;
            assert_eq!(rows == 1, last == "share", "the state is the last change's");
            let seen = guest.get(&target).await.status().as_u16();
            assert_eq!(seen == 200, rows == 1, "the guest sees it exactly while shared");
        }
    }

    async fn twenty_parallel_wrong_passwords_lock_the_account(db) {
        let app = spawn_app(db).await;
        let attempts = (0..20).map(|_| {
            let client = another_client(&app);
            async move { client.login("sjz_am1", "wrong").await.status().as_u16() }
        });
        assert!(join_all(attempts).await.iter().all(|s| *s == 303));
        let url = app.database_url.clone();
        assert_eq!(
            scalar(db, &url, "SELECT COUNT(*) FROM users WHERE login = 'sjz_am1' AND locked_until IS NOT NULL").await,
            1,
            "the failures counted up to the lock"
        );
        let right = app.login("sjz_am1", server::seed::DEMO_PASSWORD).await;
        assert!(location(&right).contains("error=locked"), "{}", location(&right));
        assert!(right.headers().get("set-cookie").is_none());
    }
}
