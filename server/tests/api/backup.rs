//! 备份与恢复 (#19): a backup taken while the app serves holds one moment's records and is
//! served again after a restore; a restore refuses while an app has the database, and keeps
//! the database it replaces.

use crate::filing::{customer, file, user_id};
use crate::helpers::*;
use server::backup::{backup, restore, Counts};

fn rows(counts: &Counts, table: &str) -> i64 {
    counts
        .iter()
        .find(|(name, _)| name == table)
        .map(|(_, rows)| *rows)
        .unwrap_or_else(|| panic!("{table} counted"))
}

fn scratch_file(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("bizopp-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir.join(format!("{name}-{}", uuid::Uuid::new_v4()))
}

on_both_databases! {
    async fn a_backup_taken_while_the_app_serves_restores_to_the_same_records(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let vp = user_id(&app, "sjz_vp1").await;
        let kept = customer(&app, "备份前的客户").await;
        file(&app, "备份前的商机", &kept, vp).await;
        let before = scalar(db, &app.database_url, "SELECT count(*) FROM customers").await;

        // Another account manager keeps adding customers while the copy is taken.
        let writer = another_client(&app);
        writer.login_as("sjz_am2").await;
        let writing = tokio::spawn(async move {
            for i in 0..30 {
                customer(&writer, &format!("备份期间的客户{i}")).await;
            }
        });
        let copy = scratch_file("backup");
        let counts = backup(&app.database_url, &copy).await.expect("a backup while serving");
        writing.await.expect("the writer finished");
        let in_copy = rows(&counts, "customers");
        assert!(
            (before..=before + 30).contains(&in_copy),
            "one moment's customers: {in_copy} of {before}..{}",
            before + 30
        );
        assert!(rows(&counts, "opportunities") >= 1 && rows(&counts, "tasks") >= 1);
        assert!(
            backup(&app.database_url, &copy).await.is_err(),
            "a backup never overwrites a file"
        );

        // The app still has its database open: a restore over it is refused, nothing changed.
        let refused = restore(&app.database_url, &copy).await.expect_err("refused while serving");
        assert!(refused.to_string().contains("stop every instance"), "{refused}");
        assert_eq!(
            scalar(db, &app.database_url, "SELECT count(*) FROM customers").await,
            before + 30
        );

        // Restored over another database nobody has open: the old one is kept beside it.
        let target = seeded_database(db).await;
        let restored = restore(&target, &copy).await.expect("restored");
        assert_eq!(restored.counts, counts, "the restored database counts what the backup held");
        assert!(restored.kept.is_some(), "the replaced database is kept");

        let served = spawn_on(&target).await;
        served.login_as("sjz_am1").await;
        let page = served.get("/customers").await.text().await.unwrap();
        assert!(page.contains("备份前的客户"), "the restored records are served");
        assert_eq!(
            scalar(db, &target, "SELECT count(*) FROM customers").await,
            in_copy
        );
        let page = served.get("/opportunities?tab=all").await.text().await.unwrap();
        assert!(page.contains("备份前的商机"));
    }

    async fn a_file_that_is_not_a_backup_of_this_app_is_not_restored(db) {
        let target = seeded_database(db).await;
        let junk = scratch_file("junk");
        std::fs::write(&junk, b"not a database").unwrap();
        assert!(restore(&target, &junk).await.is_err());
        let missing = scratch_file("missing");
        assert!(restore(&target, &missing).await.is_err());
        // The database is as it was.
        let app = spawn_on(&target).await;
        assert_eq!(app.login("sjz_am1", "Demo@2026!").await.status(), 303);
    }
}
