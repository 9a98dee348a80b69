//! 统计分析 (#18) over HTTP on a small known province, every expected number worked out by
//! hand below: 销售漏斗 (stages, reached, conversion, period), 销售预测 (weighted by 赢单概率,
//! beside what was signed), 客户价值金字塔 (tiers, their customers), 竞争分析 (won / lost);
//! each viewer's scope; 客户经理 refused; a stage moved through the app moves the funnel; the
//! XLSX export.

use crate::filing::{customer, user_id};
use crate::helpers::*;
use crate::lifecycle::{filed, version};
use app::api::analysis::{AnalysisView, Value};

/// One opportunity of the known set, written straight into the tables (the triggers mark it
/// for the fold, as they do for the app's own writes).
pub(crate) struct Spec<'a> {
    pub name: &'a str,
    pub city: &'a str,
    pub industry: &'a str,
    pub status: &'a str,
    pub stage: &'a str,
    /// 预计金额 in 元, 赢单概率, 预计签约日期.
    pub amount: i64,
    pub probability: i64,
    pub expected: &'a str,
    /// The day its filing was approved (None: a draft).
    pub filed: Option<&'a str>,
    pub customer: &'a str,
    pub moves: &'a [&'a str],
    pub competitors: &'a [&'a str],
    /// 签约日期 and 签约金额 in 元.
    pub signing: Option<(&'a str, i64)>,
    /// Terminated as lost to this competitor.
    pub lost_to: Option<&'a str>,
}

pub(crate) const BASE: Spec<'static> = Spec {
    name: "",
    city: "石家庄",
    industry: "政务",
    status: "active",
    stage: "identify",
    amount: 0,
    probability: 0,
    expected: "",
    filed: None,
    customer: "",
    moves: &[],
    competitors: &[],
    signing: None,
    lost_to: None,
};

pub(crate) async fn id_of(app: &TestApp, sql: &str) -> i64 {
    let db = app.db();
    scalar(db, &app.database_url, sql).await
}

pub(crate) async fn insert(app: &TestApp, s: &Spec<'_>) {
    let (db, url) = (app.db(), app.database_url.clone());
    let unit = id_of(
        app,
        &format!("SELECT id FROM org_units WHERE name = '{}'", s.city),
    )
    .await;
    let dict = |kind: &str, label: &str| {
        format!("(SELECT id FROM dict_items WHERE kind = '{kind}' AND label = '{label}')")
    };
    let owner = user_id(app, "sjz_am1").await;
    let at = |day: &str| format!("'{day}T02:00:00Z'");
    let filed = s.filed.map(at).unwrap_or("NULL".into());
    let amount = if s.amount > 0 {
        (s.amount * 100).to_string()
    } else {
        "NULL".into()
    };
    let expected = if s.expected.is_empty() {
        "NULL".into()
    } else {
        format!("'{}'", s.expected)
    };
    execute(
        db,
        &url,
        &format!(
            "INSERT INTO opportunities (name, business_type_id, level, org_unit_id, city_id,
             industry_id, owner_id, expected_amount_fen, expected_sign_date, win_probability,
             stage, status, submitted_at, filed_at, created_at, updated_at)
         VALUES ('{}', {}, 'city', {unit}, {unit}, {}, {owner}, {amount}, {expected}, {},
             '{}', '{}', {filed}, {filed}, {now}, {now})",
            s.name,
            dict("business_type", "专线"),
            dict("industry", s.industry),
            s.probability,
            s.stage,
            s.status,
            now = at("2026-01-01"),
        ),
    )
    .await;
    let o = id_of(
        app,
        &format!("SELECT id FROM opportunities WHERE name = '{}'", s.name),
    )
    .await;
    if !s.customer.is_empty() {
        let c = id_of(
            app,
            &format!("SELECT id FROM customers WHERE name = '{}'", s.customer),
        )
        .await;
        execute(
            db,
            &url,
            &format!(
                "INSERT INTO opportunity_customers (opportunity_id, customer_id, is_primary)
             VALUES ({o}, {c}, TRUE)"
            ),
        )
        .await;
    }
    let mut from = "identify";
    for to in s.moves {
        execute(
            db,
            &url,
            &format!(
                "INSERT INTO stage_history (opportunity_id, from_stage, to_stage, actor_id, at)
             VALUES ({o}, '{from}', '{to}', {owner}, {})",
                at("2026-05-01")
            ),
        )
        .await;
        from = to;
    }
    for c in s.competitors {
        execute(
            db,
            &url,
            &format!(
                "INSERT INTO opportunity_competitors (opportunity_id, competitor_id)
             VALUES ({o}, {})",
                dict("competitor", c)
            ),
        )
        .await;
    }
    if let Some((day, amount)) = s.signing {
        execute(
            db,
            &url,
            &format!(
            "INSERT INTO signings (opportunity_id, contract_no, amount_fen, signed_on, updated_at)
             VALUES ({o}, 'HT-{o}', {}, '{day}', {})", amount * 100, at(day)
        ),
        )
        .await;
    }
    if let Some(c) = s.lost_to {
        execute(db, &url, &format!(
            "INSERT INTO terminations (opportunity_id, reason_id, competitor_id, reason_text, updated_at)
             VALUES ({o}, (SELECT id FROM dict_items WHERE code = 'lost_to_competitor'), {}, '输了', {})",
            dict("competitor", c), at("2026-05-20")
        )).await;
    }
}

/// The known set: ten opportunities of 石家庄 / 政务 (one a draft), one of 保定 / 金融.
async fn known_province(app: &TestApp) {
    for c in ["甲客户", "乙客户", "丙客户", "丁客户"] {
        customer(app, c).await;
    }
    let set = [
        Spec {
            name: "A",
            amount: 100,
            probability: 50,
            expected: "2026-07-10",
            filed: Some("2026-03-10"),
            competitors: &["中国移动"],
            customer: "甲客户",
            ..BASE
        },
        Spec {
            name: "B",
            stage: "proposal",
            amount: 200,
            probability: 20,
            expected: "2026-07-20",
            filed: Some("2026-03-20"),
            moves: &["proposal"],
            customer: "甲客户",
            ..BASE
        },
        Spec {
            name: "C",
            stage: "negotiation",
            amount: 300,
            probability: 80,
            expected: "2026-08-01",
            filed: Some("2026-04-02"),
            moves: &["proposal", "negotiation"],
            competitors: &["中国移动", "中国电信"],
            customer: "乙客户",
            ..BASE
        },
        Spec {
            name: "D",
            status: "sign_pending",
            stage: "negotiation",
            amount: 400,
            probability: 90,
            expected: "2026-06-30",
            filed: Some("2026-04-15"),
            signing: Some(("2026-06-10", 380)),
            customer: "乙客户",
            ..BASE
        },
        Spec {
            name: "E",
            status: "signed",
            stage: "proposal",
            amount: 500,
            probability: 60,
            expected: "2026-05-01",
            filed: Some("2026-02-10"),
            moves: &["proposal"],
            competitors: &["中国移动"],
            signing: Some(("2026-05-10", 450)),
            customer: "甲客户",
            ..BASE
        },
        Spec {
            name: "F",
            status: "terminated",
            stage: "proposal",
            amount: 600,
            probability: 30,
            expected: "2026-09-01",
            filed: Some("2026-05-05"),
            moves: &["proposal"],
            competitors: &["中国电信"],
            lost_to: Some("中国移动"),
            customer: "丙客户",
            ..BASE
        },
        Spec {
            name: "G",
            status: "signed",
            amount: 70,
            filed: Some("2026-01-05"),
            signing: Some(("2026-02-01", 50)),
            customer: "丙客户",
            ..BASE
        },
        Spec {
            name: "J",
            status: "signed",
            amount: 90,
            filed: Some("2026-01-20"),
            signing: Some(("2026-03-03", 100)),
            customer: "丁客户",
            ..BASE
        },
        // A draft counts for nothing; nor does a signing approved in another year for 2026.
        Spec {
            name: "H",
            status: "draft",
            amount: 800,
            probability: 100,
            expected: "2026-07-01",
            customer: "丁客户",
            ..BASE
        },
        Spec {
            name: "K",
            status: "signed",
            amount: 10,
            filed: Some("2025-06-01"),
            signing: Some(("2025-12-31", 9000)),
            customer: "丁客户",
            ..BASE
        },
        Spec {
            name: "I",
            city: "保定",
            industry: "金融",
            amount: 700,
            probability: 10,
            expected: "2026-07-05",
            filed: Some("2026-03-01"),
            competitors: &["中国移动"],
            ..BASE
        },
    ];
    for s in &set {
        insert(app, s).await;
    }
}

async fn figure(client: &TestApp, figure: &str, choices: &[(&str, &str)]) -> AnalysisView {
    // The page sends every choice, the empty ones too.
    let mut form = vec![
        ("figure".to_owned(), figure.to_owned()),
        ("address[page]".to_owned(), String::new()),
    ];
    form.extend(
        choices
            .iter()
            .map(|(k, v)| (format!("address[{k}]"), v.to_string())),
    );
    let response = client.server_fn_form("analysis", &form).await;
    let status = response.status();
    let body = response.text().await.unwrap();
    assert_eq!(status, 200, "{figure} {choices:?}: {body}");
    serde_json::from_str(&body).expect("a figure")
}

/// A table's rows as text: counts as they are, amounts in 元, shares as percentages.
fn rows(v: &AnalysisView) -> Vec<Vec<String>> {
    v.table
        .rows
        .iter()
        .map(|r| r.iter().map(shown).collect())
        .collect()
}

fn shown(value: &Value) -> String {
    match value {
        Value::Text(s) | Value::Key(s) | Value::Link(s, _) | Value::KeyLink(s, _) => s.clone(),
        Value::Count(n) => n.to_string(),
        Value::Fen(f) => format!("{}.{:02}", f / 100, f % 100),
        Value::Share(Some(p)) => format!("{}.{}%", p / 10, p % 10),
        Value::Share(None) => "—".into(),
    }
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

on_both_databases! {
    async fn the_funnel_counts_stages_reached_and_conversion_as_worked_out_by_hand(db) {
        let (app, _clock) = spawn_app_at(db, "2026-06-15", 4).await;
        app.login_as("sjz_am1").await;
        known_province(&app).await;
        let vp = another_client(&app);
        vp.login_as("sjz_vp1").await;
        // 石家庄: A identifying; B at 方案制定; C at 商务谈判; D waiting for its 签约.
        // Reached (furthest stage): A 0; B, F 1; C 2; D, E, G, J, K 3 (a signing) → 9, 8, 6,
        // 5; converted 8 / 9 = 88.9 %, 6 / 8 = 75.0 %, 5 / 6 = 83.3 %.
        let v = figure(&vp, "Funnel", &[]).await;
        assert_eq!(rows(&v), vec![
            row(&["stage.identify", "1", "100.00", "9", "88.9%"]),
            row(&["stage.proposal", "1", "200.00", "8", "75.0%"]),
            row(&["stage.negotiation", "1", "300.00", "6", "83.3%"]),
            row(&["analysis.stage_signing", "1", "400.00", "5", "—"]),
        ]);
        // Filed in March and April: A, B, C, D, reaching 4, 3, 2, 1.
        let v = figure(&vp, "Funnel", &[("from", "2026-03"), ("to", "2026-04")]).await;
        let reached: Vec<String> = rows(&v).iter().map(|r| r[3].clone()).collect();
        assert_eq!(reached, ["4", "3", "2", "1"]);
        assert_eq!(rows(&v)[0][4], "75.0%");
        // The province sees 保定's I too; the 政务 director does not (I is 金融).
        let support = another_client(&app);
        support.login_as("support").await;
        assert_eq!(rows(&figure(&support, "Funnel", &[]).await)[0][1..4], row(&["2", "800.00", "10"]));
        let bd = dict_id(&app, "org_units", "保定").await;
        assert_eq!(rows(&figure(&support, "Funnel", &[("city", &bd)]).await)[0][1..4], row(&["1", "700.00", "1"]));
        let gov = another_client(&app);
        gov.login_as("ind_gov").await;
        assert_eq!(rows(&figure(&gov, "Funnel", &[]).await)[0][1..4], row(&["1", "100.00", "9"]));
        // A city deputy asking for another city still gets their own.
        assert_eq!(rows(&figure(&vp, "Funnel", &[("city", &bd)]).await)[0][1..4], row(&["1", "100.00", "9"]));
        // A business type with nothing: all zero.
        let cloud = dict_id(&app, "dict_items", "云计算").await;
        assert_eq!(rows(&figure(&vp, "Funnel", &[("business_type", &cloud)]).await)[0][1..4], row(&["0", "0.00", "0"]));
    }

    async fn the_forecast_weights_by_probability_beside_what_was_signed(db) {
        let (app, _clock) = spawn_app_at(db, "2026-06-15", 4).await;
        app.login_as("sjz_am1").await;
        known_province(&app).await;
        let vp = another_client(&app);
        vp.login_as("sjz_vp1").await;
        // The default: five months back, six ahead (2026-01 … 2026-12).
        let v = figure(&vp, "Forecast", &[]).await;
        assert_eq!((v.choices.from.as_str(), v.choices.to.as_str()), ("2026-01", "2026-12"));
        let by_month: Vec<Vec<String>> = rows(&v);
        assert_eq!(by_month.len(), 12);
        // February: G signed 50; March: J 100; May: E 450 (E was expected in May but is signed).
        assert_eq!(by_month[1], row(&["2026-02", "0", "0.00", "0.00", "1", "50.00"]));
        assert_eq!(by_month[2], row(&["2026-03", "0", "0.00", "0.00", "1", "100.00"]));
        assert_eq!(by_month[4], row(&["2026-05", "0", "0.00", "0.00", "1", "450.00"]));
        // June: D (400 × 90 % = 360, its signing not yet approved); July: A 100 × 50 % + B
        // 200 × 20 % = 90; August: C 300 × 80 % = 240; September: F ended, nothing.
        assert_eq!(by_month[5], row(&["2026-06", "1", "400.00", "360.00", "0", "0.00"]));
        assert_eq!(by_month[6], row(&["2026-07", "2", "300.00", "90.00", "0", "0.00"]));
        assert_eq!(by_month[7], row(&["2026-08", "1", "300.00", "240.00", "0", "0.00"]));
        assert_eq!(by_month[8], row(&["2026-09", "0", "0.00", "0.00", "0", "0.00"]));
        // The chart draws the weighted and the signed amounts.
        assert_eq!(v.chart.points[6].values, vec![9_000, 0]);
        // A bad month is said beside its field, the default used, what was typed kept.
        let v = figure(&vp, "Forecast", &[("from", "2026-13")]).await;
        assert_eq!(v.choices.errors[0].field, "from");
        assert_eq!(v.choices.address.from, "2026-13");
        let v = figure(&vp, "Forecast", &[("from", "2026-08"), ("to", "2026-07")]).await;
        assert_eq!(v.choices.errors[0].key, "analysis.period_reversed");
        let v = figure(&vp, "Forecast", &[("from", "2020-01"), ("to", "2026-07")]).await;
        assert_eq!(v.choices.errors[0].key, "analysis.period_too_long");
    }

    async fn the_pyramid_tiers_customers_by_signed_amount(db) {
        let (app, _clock) = spawn_app_at(db, "2026-06-15", 4).await;
        app.login_as("sjz_am1").await;
        known_province(&app).await;
        let vp = another_client(&app);
        vp.login_as("sjz_vp1").await;
        // 2026's approved signings: 甲 450 (E), 丁 100 (J), 丙 50 (G); D's is still pending and
        // K's was in 2025. Of three customers the top 5 % is ⌈0.15⌉ = 1, the top 20 % ⌈0.6⌉ = 1
        // (none more), the top 50 % ⌈1.5⌉ = 2.
        let v = figure(&vp, "Pyramid", &[]).await;
        assert_eq!(rows(&v), vec![
            row(&["analysis.tier1", "5%", "1", "450.00", "75.0%", "1"]),
            row(&["analysis.tier2", "15%", "0", "0.00", "0.0%", "0"]),
            row(&["analysis.tier3", "30%", "1", "100.00", "16.7%", "1"]),
            row(&["analysis.tier4", "50%", "1", "50.00", "8.3%", "1"]),
        ]);
        // Tiers of one's own: 40 / 30 / 20 → ⌈1.2⌉ = 2, ⌈2.1⌉ = 3.
        let v = figure(&vp, "Pyramid", &[("tiers", "40,30,20")]).await;
        let customers: Vec<String> = rows(&v).iter().map(|r| r[2].clone()).collect();
        assert_eq!(customers, ["2", "1", "0", "0"]);
        // A tier lists its customers, highest first, each linking to the customer.
        let v = figure(&vp, "Pyramid", &[("tiers", "40,30,20"), ("tier", "1")]).await;
        let (tier, members, more) = v.members.clone().expect("the tier's customers");
        assert_eq!((tier, more), (1, false));
        let names: Vec<String> = members.rows.iter().map(|r| shown(&r[1])).collect();
        assert_eq!(names, ["甲客户", "丁客户"]);
        assert!(matches!(&members.rows[0][1], Value::Link(_, href) if href.starts_with("/customers/")));
        // 2025 alone: 丁 9000.
        let v = figure(&vp, "Pyramid", &[("from", "2025")]).await;
        assert_eq!(rows(&v)[0][2..4], row(&["1", "9000.00"]));
        // Every year: 丁 9100, 甲 450, 丙 50.
        let v = figure(&vp, "Pyramid", &[("from", "all"), ("tiers", "40,30,20"), ("tier", "1")]).await;
        let (_, members, _) = v.members.clone().unwrap();
        let listed: Vec<(String, String)> = members.rows.iter().map(|r| (shown(&r[1]), shown(&r[2]))).collect();
        assert_eq!(listed, [("丁客户".to_owned(), "9100.00".to_owned()), ("甲客户".to_owned(), "450.00".to_owned())]);
        // The whole province (its own way to the totals, in rank order) gives the same.
        let support = another_client(&app);
        support.login_as("support").await;
        assert_eq!(rows(&figure(&support, "Pyramid", &[]).await), rows(&figure(&vp, "Pyramid", &[]).await));
        let v = figure(&support, "Pyramid", &[("from", "all"), ("tiers", "40,30,20"), ("tier", "1")]).await;
        let (_, whole, more) = v.members.clone().unwrap();
        assert_eq!((whole.rows.clone(), more), (members.rows.clone(), false));
        let v = figure(&support, "Pyramid", &[("tier", "4")]).await;
        let (_, fourth, _) = v.members.clone().unwrap();
        assert_eq!((shown(&fourth.rows[0][0]), shown(&fourth.rows[0][1])), ("3".to_owned(), "丙客户".to_owned()));
        // Narrowed to an industry, a city's customers are grouped from their cells instead of
        // read in rank order: the same tiers.
        let gov = dict_id(&app, "dict_items", "政务").await;
        assert_eq!(rows(&figure(&vp, "Pyramid", &[("industry", &gov)]).await), rows(&figure(&vp, "Pyramid", &[]).await));
        let v = figure(&vp, "Pyramid", &[("industry", &gov), ("from", "all"), ("tiers", "40,30,20"), ("tier", "1")]).await;
        assert_eq!(v.members.unwrap().1.rows, members.rows);
        // A year that is not one is said beside its field.
        let v = figure(&vp, "Pyramid", &[("from", "20x5")]).await;
        assert_eq!(v.choices.errors[0].field, "from");
        // Tiers that do not add up are refused beside the field.
        let v = figure(&vp, "Pyramid", &[("tiers", "60,30,20")]).await;
        assert_eq!(v.choices.errors[0].field, "tiers");
    }

    async fn competition_counts_won_and_lost_against_each_competitor(db) {
        let (app, _clock) = spawn_app_at(db, "2026-06-15", 4).await;
        app.login_as("sjz_am1").await;
        known_province(&app).await;
        let vp = another_client(&app);
        vp.login_as("sjz_vp1").await;
        // 中国移动: A and C open, E won (signed 450), F lost to it (expected 600): 1 of 2 won.
        // 中国电信: C open; F ended, but lost to 中国移动, not to it.
        let v = figure(&vp, "Competition", &[]).await;
        assert_eq!(rows(&v), vec![
            row(&["中国移动", "4", "2", "1", "450.00", "1", "600.00", "0", "50.0%"]),
            row(&["中国电信", "2", "1", "0", "0.00", "0", "0.00", "1", "—"]),
        ]);
        // Filed in May only: F.
        let v = figure(&vp, "Competition", &[("from", "2026-05"), ("to", "2026-05")]).await;
        assert_eq!(rows(&v).len(), 2);
        assert_eq!(rows(&v)[0][..6], row(&["中国移动", "1", "0", "0", "0.00", "1"]));
    }

    async fn account_managers_are_refused_and_the_menu_is_not_theirs(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        assert!(!app.get("/").await.text().await.unwrap().contains("统计分析"));
        for path in ["/analysis", "/analysis/pyramid", "/analysis/forecast", "/analysis/competition"] {
            let response = app.get(path).await;
            assert_eq!(response.status(), 403, "{path}");
            assert!(!response.text().await.unwrap().contains("class=\"chart"));
        }
        let form = [("figure".to_owned(), "Funnel".to_owned()), ("address[page]".to_owned(), String::new())];
        assert_eq!(app.server_fn_form("analysis", &form).await.status(), 403);
        assert_eq!(app.get("/analysis/export?figure=funnel").await.status(), 403);
    }

    async fn a_stage_moved_in_the_app_moves_the_funnel(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let (target, _) = filed(&app, "漏斗商机").await;
        let vp = another_client(&app);
        vp.login_as("sjz_vp1").await;
        let counts = |v: &AnalysisView| rows(v).iter().map(|r| r[1].clone()).collect::<Vec<_>>();
        assert_eq!(counts(&figure(&vp, "Funnel", &[]).await), ["1", "0", "0", "0"]);
        let v = version(&app, &target).await;
        let moved = app.post_form(&format!("{target}/stage"), &[("stage", "proposal"), ("version", &v)]).await;
        assert_eq!(moved.status(), 303);
        let v = figure(&vp, "Funnel", &[]).await;
        assert_eq!(counts(&v), ["0", "1", "0", "0"]);
        assert_eq!(rows(&v)[1][2], "100000.50");
        // The page draws it, without JavaScript, with its table.
        let html = vp.get("/analysis").await.text().await.unwrap();
        assert!(html.contains("class=\"chart funnel-chart\"") && html.contains("100,000.50"), "{}", &html[html.find("analysis-result").unwrap_or(0)..]);
        // Nothing is left to fold once read.
        assert_eq!(scalar(db, &app.database_url, "SELECT COUNT(*) FROM analysis_dirty").await, 0);
    }

    async fn every_table_exports_as_xlsx(db) {
        let (app, _clock) = spawn_app_at(db, "2026-06-15", 4).await;
        app.login_as("sjz_am1").await;
        known_province(&app).await;
        let vp = another_client(&app);
        vp.login_as("sjz_vp1").await;
        for (figure, first) in [
            ("funnel", "识别商机"),
            ("pyramid", "第一层"),
            ("forecast", "2026-01"),
            ("competition", "中国移动"),
        ] {
            let response = vp.get(&format!("/analysis/export?figure={figure}")).await;
            assert_eq!(response.status(), 200, "{figure}");
            let cells = sheet(response.bytes().await.unwrap().to_vec());
            assert_eq!(cells[1][0], first, "{figure}");
        }
        // The listed tier exports its customers; amounts are numbers in 元.
        let response = vp.get("/analysis/export?figure=pyramid&tiers=40,30,20&tier=1").await;
        let cells = sheet(response.bytes().await.unwrap().to_vec());
        assert_eq!(cells[0][1], "客户名称");
        assert_eq!((cells[1][1].as_str(), cells[1][2].as_str()), ("甲客户", "450"));
        assert_eq!(cells.len(), 3);
    }
}

/// The id of the row of `table` named (or labelled) `name`.
async fn dict_id(app: &TestApp, table: &str, name: &str) -> String {
    let column = if table == "dict_items" {
        "label"
    } else {
        "name"
    };
    id_of(
        app,
        &format!("SELECT id FROM {table} WHERE {column} = '{name}'"),
    )
    .await
    .to_string()
}

/// The first sheet of a workbook as text.
pub(crate) fn sheet(bytes: Vec<u8>) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("a workbook");
    let range = book
        .worksheet_range_at(0)
        .expect("a sheet")
        .expect("readable");
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}
