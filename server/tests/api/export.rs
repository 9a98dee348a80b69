//! 导出 (#16): the rows of the current query — all of them, across the store's pages — in the
//! columns the viewer sees, within their scope; CSV with a UTF-8 BOM, and XLSX.

use crate::filing::{customer, file, user_id};
use crate::helpers::*;

/// The export's data lines (the header and the BOM left out).
fn data_lines(csv: &str) -> Vec<String> {
    csv.trim_start_matches('\u{feff}')
        .split("\r\n")
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

on_both_databases! {
    async fn no_exported_cell_starts_a_formula(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let typed = ["=HYPERLINK(\"http://evil.example\",\"点我\")", "+86 公式", "-1 公式", "@SUM(A1) 公式"];
        for name in typed {
            customer(&app, name).await;
        }
        let defused = |cell: &str| typed.iter().any(|t| cell == format!("'{t}"));

        let csv = app.get("/customers/export?format=csv").await.text().await.unwrap();
        let lines = data_lines(&csv);
        for name in typed {
            let quoted = format!("'{name}");
            assert!(
                lines.iter().any(|l| l.starts_with(&quoted) || l.starts_with(&format!("\"{}", quoted.replace('"', "\"\"")))),
                "{name} defused in the CSV: {lines:?}"
            );
        }
        assert!(lines.iter().all(|l| !l.starts_with(['=', '+', '-', '@'])));

        let xlsx = app.get("/customers/export?format=xlsx").await.bytes().await.unwrap();
        let rows = crate::analysis::sheet(xlsx.to_vec());
        assert_eq!(rows.iter().filter(|r| defused(&r[0])).count(), typed.len(), "{rows:?}");
        assert!(rows.iter().flatten().all(|c| !c.starts_with(['=', '+', '-', '@'])));

        // The warnings' export (客户无联系人: these customers have none) writes names the same way.
        let warnings = app.get("/warnings/export?kind=no_contact").await;
        assert_eq!(warnings.status(), 200);
        let rows = crate::analysis::sheet(warnings.bytes().await.unwrap().to_vec());
        assert_eq!(rows.iter().filter(|r| defused(&r[0])).count(), typed.len(), "{rows:?}");
    }

    async fn an_export_holds_every_row_of_the_query_in_scope(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        for n in 0..205 {
            customer(&app, &format!("导出客户{n:03}")).await;
        }
        customer(&app, "别的客户").await;
        let outsider = another_client(&app);
        outsider.login_as("bd_am1").await;
        customer(&outsider, "导出客户保定").await;

        let csv = app.get("/customers/export?format=csv&name=导出客户").await;
        assert_eq!(csv.status(), 200);
        assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
        let bytes = csv.bytes().await.unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a UTF-8 BOM for Excel");
        let text = String::from_utf8(bytes.to_vec()).unwrap();
        let header = text.trim_start_matches('\u{feff}').split("\r\n").next().unwrap();
        assert_eq!(header, "客户名称,行业,客户级别,负责人,登记日期,电话");
        let lines = data_lines(&text);
        assert_eq!(lines.len(), 205, "every row, across pages");
        assert!(lines.iter().all(|l| l.starts_with("导出客户") && l.contains("石家庄客户经理1")));
        assert!(!text.contains("保定") && !text.contains("别的客户"), "the query and the scope");
        let mut names: Vec<&str> = lines.iter().map(|l| l.split(',').next().unwrap()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 205, "nothing doubled at the page seams");

        // The same first rows as the list shows for the same query.
        let list = app.get("/customers?name=导出客户").await.text().await.unwrap();
        let first = lines[0].split(',').next().unwrap();
        assert!(list.contains(first));

        let xlsx = app.get("/customers/export?format=xlsx&name=导出客户").await;
        assert_eq!(xlsx.status(), 200);
        assert!(xlsx.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
        assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));

        let theirs = outsider.get("/customers/export?format=csv&name=导出客户").await.text().await.unwrap();
        let theirs = data_lines(&theirs);
        assert!(theirs.len() == 1 && theirs[0].starts_with("导出客户保定,"), "{theirs:?}");
    }

    async fn an_opportunity_export_holds_the_querys_rows_with_their_labels(db) {
        let app = spawn_app(db).await;
        let vp1 = user_id(&app, "sjz_vp1").await;
        app.login_as("sjz_am1").await;
        let c = customer(&app, "导出商机客户").await;
        for n in 0..3 {
            file(&app, &format!("导出商机{n}"), &c, vp1).await;
        }
        file(&app, "别的商机", &c, vp1).await;
        let csv = app.get("/opportunities/export?format=csv&name=导出商机").await;
        assert_eq!(csv.status(), 200);
        let text = csv.text().await.unwrap();
        let header = text.trim_start_matches('\u{feff}').split("\r\n").next().unwrap();
        assert_eq!(header, "商机名称,客户,业务类型,状态,报备人,预计金额（元）,报备日期");
        let lines = data_lines(&text);
        assert_eq!(lines.len(), 3);
        assert!(lines.iter().all(|l| l.starts_with("导出商机") && l.contains(",待审批,") && l.contains("导出商机客户")), "{lines:?}");
        let deputy = another_client(&app);
        deputy.login_as("bd_vp1").await;
        let theirs = deputy.get("/opportunities/export?format=csv&name=导出商机").await.text().await.unwrap();
        assert!(data_lines(&theirs).is_empty(), "another city's export is empty");
        assert!(lines[0].contains(",100000.50,"), "amounts as plain numbers: {}", lines[0]);
        let xlsx = app.get("/opportunities/export?format=xlsx").await;
        assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));
    }

    async fn a_contact_export_holds_the_querys_contacts_in_scope(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let c = customer(&app, "导出联系人客户").await;
        for name in ["导出联系人甲", "导出联系人乙"] {
            let made = app.post_form(&format!("/customers/{c}/contacts/new"), &[("name", name), ("mobile", "13900000000")]).await;
            assert_eq!(made.status(), 303);
        }
        let text = app.get("/contacts/export?format=csv&name=导出联系人").await.text().await.unwrap();
        let header = text.trim_start_matches('\u{feff}').split("\r\n").next().unwrap();
        assert!(header.starts_with("姓名,"), "{header}");
        let lines = data_lines(&text);
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| l.contains("导出联系人客户") && l.contains("13900000000")), "{lines:?}");
        let outsider = another_client(&app);
        outsider.login_as("bd_am1").await;
        let theirs = outsider.get("/contacts/export?format=csv&name=导出联系人").await.text().await.unwrap();
        assert!(data_lines(&theirs).is_empty());
    }
}
