//! 角色 (#15): the table is the rules the server enforces, asked about each role; who holds
//! each role, with a 行业总监's industries; the 系统管理员's alone.

use crate::helpers::*;

/// The table row of `role`, as the page shows it.
fn row<'a>(html: &'a str, role: &str) -> &'a str {
    let start = html.find(&format!("<td>{role}</td>")).unwrap();
    let rest = &html[start..];
    &rest[..rest.find("</tr>").unwrap()]
}

on_both_databases! {
    async fn the_roles_table_reads_the_enforced_rules(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        assert_eq!(app.get("/admin/roles").await.status(), 403);
        let admin = another_client(&app);
        admin.login_as("admin").await;
        let html = admin.get("/admin/roles").await.text().await.unwrap();
        let vp = row(&html, "地市副总");
        assert!(vp.contains("本地市") && vp.contains("报备（地市级）") && vp.contains("终止（地市级）"), "{vp}");
        assert!(!vp.contains("签约") && vp.contains("统计分析") && !vp.contains("系统管理"));
        assert!(vp.contains("石家庄副总1 sjz_vp1") && vp.contains("保定副总1 bd_vp1"));
        let director = row(&html, "行业总监");
        assert!(director.contains("签约（地市级）") && director.contains("签约（省级）") && !director.contains("报备"));
        assert!(director.contains("负责行业") && director.contains("政务行业总监 ind_gov") && director.contains("（政务）"), "{director}");
        let manager = row(&html, "客户经理");
        assert!(manager.contains("本人及共享给本人") && !manager.contains("统计分析"));
        let support = row(&html, "销售支持");
        assert!(support.contains("全省"));
        assert_eq!(support.matches("<td>否</td>").count(), 3, "reads only: {support}");
        let sysadmin = row(&html, "系统管理员");
        assert!(sysadmin.contains("系统管理") && sysadmin.matches("<td>是</td>").count() == 3);
    }
}
