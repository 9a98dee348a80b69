//! Every label: (key, 中文, English). Keep the Chinese exactly as the manual has it.

pub(super) const MISSING: &str = "？";

pub(super) const TEXTS: &[(&str, &str, &str)] = &[
    (
        "app.name",
        "商机管理系统",
        "Business Opportunity Management",
    ),
    ("app.division", "集团客户事业部", "Group Customer Division"),
    // Menu bar
    ("menu.home", "首页", "Home"),
    ("menu.customers", "客户", "Customers"),
    ("menu.opportunities", "商机", "Opportunities"),
    ("menu.tasks", "任务", "Tasks"),
    ("menu.announcements", "公告通知", "Announcements"),
    ("menu.rankings", "商机排名", "Rankings"),
    ("menu.analysis", "统计分析", "Analysis"),
    ("menu.admin", "系统管理", "Administration"),
    ("menu.profile", "个人资料", "Profile"),
    ("menu.toggle", "菜单", "Menu"),
    ("shell.logout", "退出", "Log out"),
    ("shell.login_time", "登录时间：", "Logged in: "),
    ("shell.language", "语言", "Language"),
    // Login
    ("login.title", "用户登录", "Sign in"),
    ("login.username", "用户名", "Username"),
    ("login.password", "密码", "Password"),
    ("login.submit", "登录", "Log in"),
    (
        "login.error.bad",
        "用户名或密码错误",
        "Wrong username or password",
    ),
    (
        "login.error.locked",
        "登录失败次数过多，账户已锁定15分钟，请稍后再试",
        "Too many failed logins: the account is locked for 15 minutes",
    ),
    (
        "login.error.disabled",
        "账户已停用，请联系系统管理员",
        "This account is disabled; ask the administrator",
    ),
    (
        "login.error.cross_site",
        "请求来源无效，请刷新页面后重试",
        "Invalid request origin; reload the page and try again",
    ),
    (
        "login.error.internal",
        "系统繁忙，请稍后再试",
        "The system is busy; please try again",
    ),
    ("login.required", "请填写此项", "Required"),
    // Home
    ("home.org", "组织机构", "Organisation"),
    ("home.collapse", "收起", "Collapse"),
    ("home.expand", "展开", "Expand"),
    (
        "home.welcome",
        "欢迎使用商机管理系统",
        "Welcome to the opportunity management system",
    ),
    ("org.kind.province", "省公司", "Province company"),
    ("org.kind.city", "地市公司", "City company"),
    ("org.kind.department", "部门", "Department"),
    // Customers
    ("customer.list", "客户管理", "Customers"),
    ("customer.new", "添加客户", "Add customer"),
    ("customer.name", "客户名称", "Customer name"),
    ("customer.industry", "行业", "Industry"),
    ("customer.level", "客户级别", "Customer level"),
    ("customer.kind", "客户类型", "Customer type"),
    ("customer.owner", "负责人", "Owner"),
    ("customer.dept", "负责部门", "Department"),
    ("customer.registered_on", "登记日期", "Registered on"),
    ("customer.website", "公司网址", "Website"),
    ("customer.phone", "电话", "Phone"),
    ("customer.fax", "传真", "Fax"),
    ("customer.address", "地址", "Address"),
    ("customer.notes", "备注", "Notes"),
    (
        "customer.list_soon",
        "客户列表与查询即将开放；现在可以添加客户并查看客户信息。",
        "The customer list and query are coming; you can already add customers and open them.",
    ),
    ("form.choose", "请选择", "Choose…"),
    ("form.submit", "提交", "Submit"),
    ("customer.kind.potential", "潜在客户", "Potential customer"),
    (
        "customer.kind.transaction",
        "交易客户",
        "Transaction customer",
    ),
    // Field errors
    ("field.required", "此项为必填项", "This field is required"),
    ("field.too_long", "内容超出长度限制", "Too long"),
    (
        "field.invalid_phone",
        "电话号码格式不正确",
        "Not a valid phone number",
    ),
    (
        "field.invalid_email",
        "邮箱格式不正确",
        "Not a valid email address",
    ),
    (
        "field.invalid_url",
        "网址格式不正确",
        "Not a valid web address",
    ),
    (
        "field.name_taken",
        "客户名称已存在",
        "This customer name already exists",
    ),
    // Common
    ("common.loading", "加载中…", "Loading…"),
    ("common.forbidden", "无权访问", "Access denied"),
    ("common.not_found", "页面不存在", "Page not found"),
    ("common.back_home", "返回首页", "Back to home"),
    ("error.unauthenticated", "请先登录", "Please log in"),
    ("error.not_found", "记录不存在", "Record not found"),
    ("error.field", "请检查输入", "Please check the input"),
    (
        "error.internal",
        "系统繁忙，请稍后再试",
        "The system is busy; please try again",
    ),
    (
        "error.transport",
        "网络或服务错误，请稍后再试",
        "Network or server error; please try again",
    ),
    (
        "common.not_built",
        "该功能尚未开放，敬请期待。",
        "This part is not available yet.",
    ),
];
