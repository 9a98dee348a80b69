//! 导入 (#16): a file's preview with its columns guessed, then a background import that checks
//! every row as its form would: valid rows saved, invalid ones reported (row, field, reason),
//! a name that exists reported, not doubled; CSV in UTF-8 with or without a BOM and in GBK,
//! and XLSX; contacts by their customer's name.

use crate::helpers::*;

/// Uploads `bytes` as `file_name` for an import of `kind`; the preview page.
pub(crate) async fn upload(
    app: &TestApp,
    kind: &str,
    file_name: &str,
    bytes: Vec<u8>,
) -> (u16, String) {
    let response = app
        .post_multipart(
            "/customers/import",
            &[("kind", kind)],
            ("file", file_name, bytes),
        )
        .await;
    (response.status().as_u16(), response.text().await.unwrap())
}

/// The hidden token of a preview page.
fn token(page: &str) -> String {
    let rest = page
        .split("name=\"token\" value=\"")
        .nth(1)
        .expect("a preview");
    rest.split('"').next().unwrap().to_owned()
}

/// Starts the import of a previewed file with `map` (one field code per column); its job page.
pub(crate) async fn start(app: &TestApp, page: &str, kind: &str, map: &[&str]) -> String {
    let token = token(page);
    let mut fields = vec![
        ("token", token.as_str()),
        ("kind", kind),
        ("file_name", "f"),
    ];
    fields.extend(map.iter().map(|m| ("map", *m)));
    let response = app.post_form("/customers/import/start", &fields).await;
    assert_eq!(response.status(), 303, "{:?}", response.text().await);
    location(&response)
}

const HEADER: &str = "客户名称,行业,客户级别,负责人,登记日期,电话\n";

on_both_databases! {
    async fn ten_thousand_rows_with_37_bad_ones_give_37_row_errors_and_9963_customers(db) {
        let app = spawn_app(db).await;
        let url = app.database_url.clone();
        app.login_as("sjz_am1").await;
        crate::filing::customer(&app, "已有的导入客户").await;
        let mut csv = String::from(HEADER);
        let mut bad = 0;
        for n in 1..=10_000 {
            let name = format!("导入客户{n:05}");
            let row = if n % 270 == 0 {
                bad += 1;
                match (n / 270) % 5 {
                    0 => ",政务,重要客户,,2026-11-01,0311-1".to_owned(),
                    1 => format!("{name},不存在的行业,重要客户,,2026-11-01,0311-1"),
                    2 => format!("{name},政务,重要客户,,2026-13-45,0311-1"),
                    3 => format!("{name},政务,重要客户,bd_am1,2026-11-01,0311-1"),
                    _ => "已有的导入客户,政务,一般客户,,2026-11-01,".to_owned(),
                }
            } else {
                format!("{name},政务,一般客户,sjz_am1,2026/11/{:02},0311-{n}", n % 28 + 1)
            };
            csv.push_str(&row);
            csv.push('\n');
        }
        assert_eq!(bad, 37);
        let (status, page) = upload(&app, "customers", "customers.csv", csv.into_bytes()).await;
        assert_eq!(status, 200, "{page}");
        assert!(page.contains("导入客户00001") && page.contains("0311-1"), "the first rows shown");
        assert!(!page.contains("导入客户00009"), "only the first rows");
        for code in ["name", "industry", "level", "owner", "registered_on", "phone"] {
            assert!(page.contains(&format!("value=\"{code}\" selected")), "{code} guessed");
        }
        let job = start(&app, &page, "customers", &["name", "industry", "level", "owner", "registered_on", "phone"]).await;
        let done = job_finished(&app, &job).await;
        assert!(done.contains("导入客户") && done.contains("已完成"), "{done}");
        assert_eq!(job_counter(&done, "job-processed"), "10000/10000");
        assert_eq!(job_counter(&done, "job-failed"), "37");
        assert_eq!(job_counter(&done, "job-succeeded"), "9963");
        assert_eq!(scalar(db, &url, "SELECT COUNT(*) FROM customers WHERE name LIKE '导入客户%'").await, 9963);
        assert_eq!(scalar(db, &url, "SELECT COUNT(*) FROM customers WHERE name = '已有的导入客户'").await, 1, "not doubled");

        let report = app.get(&format!("{job}/report")).await.text().await.unwrap();
        let lines: Vec<&str> = report.trim_start_matches('\u{feff}').split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines[0], "行号,记录,字段,原因");
        assert_eq!(lines.len(), 1 + 37, "one line per bad row");
        // Row numbers are the file's (the header is row 1): customer 270 is on row 271.
        assert!(report.contains("\r\n271,导入客户00270,行业,选项无效"), "{report}");
        assert!(report.contains("\r\n541,导入客户00540,登记日期,"));
        assert!(report.contains("\r\n811,导入客户00810,负责人,"), "bd_am1 is not within reach");
        assert!(report.contains("\r\n1081,已有的导入客户,客户名称,客户名称已存在"));
        assert!(report.contains("\r\n1351,,客户名称,此项为必填项"));
    }

    async fn gbk_bom_and_xlsx_files_read_right_and_contacts_find_their_customer(db) {
        let app = spawn_app(db).await;
        let url = app.database_url.clone();
        app.login_as("sjz_am1").await;
        let table = "客户名称,行业,客户级别\n编码客户甲,政务,一般客户\n";
        let gbk_text = table.replace('甲', "国标");
        let (gbk, _, _) = encoding_rs::GBK.encode(&gbk_text);
        let with_bom = format!("\u{feff}{}", table.replace('甲', "带签名"));
        for (name, bytes) in [("gbk.csv", gbk.into_owned()), ("bom.csv", with_bom.into_bytes())] {
            let (status, page) = upload(&app, "customers", name, bytes).await;
            assert_eq!(status, 200, "{name}");
            assert!(page.contains("value=\"name\" selected"), "{name}: the header read right");
            let job = start(&app, &page, "customers", &["name", "industry", "level"]).await;
            assert!(job_finished(&app, &job).await.contains("已完成"));
        }
        assert_eq!(scalar(db, &url, "SELECT COUNT(*) FROM customers WHERE name IN ('编码客户国标', '编码客户带签名')").await, 2);

        let path = std::env::temp_dir().join(format!("import-test-{}.xlsx", uuid::Uuid::new_v4()));
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (c, text) in ["客户名称", "姓名", "手机", "邮箱"].iter().enumerate() {
            sheet.write_string(0, c as u16, *text).unwrap();
        }
        sheet.write_string(1, 0, "编码客户国标").unwrap();
        sheet.write_string(1, 1, "张联系").unwrap();
        sheet.write_number(1, 2, 13800000000.0).unwrap();
        sheet.write_string(1, 3, "zhang@example.com").unwrap();
        sheet.write_string(2, 0, "没有这个客户").unwrap();
        sheet.write_string(2, 1, "李联系").unwrap();
        book.save(&path).unwrap();
        let (status, page) = upload(&app, "contacts", "contacts.xlsx", std::fs::read(&path).unwrap()).await;
        let _ = std::fs::remove_file(&path);
        assert_eq!(status, 200, "{page}");
        let job = start(&app, &page, "contacts", &["customer", "name", "mobile", "email"]).await;
        let done = job_finished(&app, &job).await;
        assert_eq!(job_counter(&done, "job-succeeded"), "1");
        assert_eq!(job_counter(&done, "job-failed"), "1");
        assert!(done.contains("找不到该客户，或无权查看"));
        assert_eq!(scalar(db, &url, "SELECT COUNT(*) FROM contacts WHERE name = '张联系' AND mobile = '13800000000'").await, 1);
    }

    async fn an_import_is_refused_what_it_cannot_take(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let (status, page) = upload(&app, "customers", "x.csv", Vec::new()).await;
        assert_eq!(status, 422);
        assert!(page.contains("请选择要导入的文件"));
        let (_, page) = upload(&app, "customers", "c.csv", HEADER.as_bytes().to_vec()).await;
        // A required field left without a column: the preview again, with why.
        let token = token(&page);
        let response = app.post_form("/customers/import/start", &[
            ("token", token.as_str()), ("kind", "customers"), ("file_name", "c.csv"),
            ("map", "name"), ("map", ""), ("map", ""), ("map", ""), ("map", ""), ("map", "")]).await;
        assert_eq!(response.status(), 422);
        assert!(response.text().await.unwrap().contains("请为所有必填字段"));
        // Another user's token is not theirs.
        let other = another_client(&app);
        other.login_as("sjz_am2").await;
        let response = other.post_form("/customers/import/start", &[
            ("token", token.as_str()), ("kind", "customers"), ("file_name", "c.csv"),
            ("map", "name"), ("map", "industry"), ("map", "level")]).await;
        assert_eq!(response.status(), 422);
        // A report longer than a page of the store holds every refused row once.
        let mut all_bad = String::from("客户名称,行业,客户级别\n");
        for n in 0..1001 {
            all_bad.push_str(&format!("坏行{n:04},不存在的行业,一般客户\n"));
        }
        let (_, page) = upload(&app, "customers", "bad.csv", all_bad.into_bytes()).await;
        let job = start(&app, &page, "customers", &["name", "industry", "level"]).await;
        assert_eq!(job_counter(&job_finished(&app, &job).await, "job-failed"), "1001");
        let report = app.get(&format!("{job}/report")).await.text().await.unwrap();
        let lines: Vec<&str> = report.split("\r\n").filter(|l| !l.is_empty()).skip(1).collect();
        assert_eq!(lines.len(), 1001);
        assert!(lines[0].starts_with("2,坏行0000,") && lines[1000].starts_with("1002,坏行1000,"));

        // 销售支持 reads only: no import.
        let support = another_client(&app);
        support.login_as("support").await;
        let (status, _) = upload(&support, "customers", "c.csv", HEADER.as_bytes().to_vec()).await;
        assert_eq!(status, 403);
    }
}
