//! The 商机管理系统 user interface: routes, pages, shared wire types and the `#[server]`
//! functions (thin adapters over the services the `server` crate provides through context).
#![recursion_limit = "256"]

pub mod api;
pub mod components;
#[cfg(feature = "ssr")]
pub mod csp;
pub mod i18n;
pub mod model;
pub mod pages;
pub mod paths;
pub mod query;

use api::analysis::Figure;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    path, SsrMode,
};
use pages::analysis::AnalysisPage;

/// The HTML document the server renders around [`App`].
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    csp::provide_page_policy();
    view! {
        <!DOCTYPE html>
        <html lang=i18n::Locale::current().code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The application: every route of the product.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    i18n::provide_locale();
    // Async: every page is rendered whole on the server, so it works before (or without) the
    // WASM.
    let ssr = SsrMode::Async;

    view! {
        <Title text=i18n::t("app.name")/>
        <Router>
            <main>
                <Routes fallback=pages::status::NotFound>
                    <Route path=path!("/login") view=pages::login::LoginPage ssr=ssr.clone()/>
                    <Route path=path!("/password") view=pages::profile::PasswordPage ssr=ssr.clone()/>
                    <ParentRoute path=path!("") view=components::shell::Shell ssr=ssr.clone()>
                        <Route path=path!("") view=pages::home::HomePage ssr=ssr.clone()/>
                        <Route path=path!("customers") view=pages::customers::list::CustomerListPage ssr=ssr.clone()/>
                        <Route path=path!("customers/new") view=pages::customers::new::CustomerNewPage ssr=ssr.clone()/>
                        <Route path=path!("customers/find") view=pages::customers::find::CustomerFindPage ssr=ssr.clone()/>
                        <Route path=path!("customers/merge") view=pages::customers::merge::MergePage ssr=ssr.clone()/>
                        // Where a refused batch form shows the list again (the post's address).
                        <Route path=path!("customers/batch") view=pages::customers::list::CustomerListPage ssr=ssr.clone()/>
                        <Route path=path!("customers/import") view=pages::customers::import::ImportPage ssr=ssr.clone()/>
                        <Route path=path!("customers/import/start") view=pages::customers::import::ImportPage ssr=ssr.clone()/>
                        <Route path=path!("customers/:id") view=pages::customers::detail::CustomerPage ssr=ssr.clone()/>
                        // Where a refused 共享 post shows the record's page again (the browser's
                        // address is the post's): hydration must find the same page there.
                        <Route path=path!("customers/:id/share") view=pages::customers::detail::CustomerPage ssr=ssr.clone()/>
                        <Route path=path!("customers/:id/files") view=pages::customers::detail::CustomerPage ssr=ssr.clone()/>
                        <Route path=path!("customers/:id/relations") view=pages::customers::detail::CustomerPage ssr=ssr.clone()/>
                        <Route path=path!("customers/:id/edit") view=pages::customers::edit::CustomerEditPage ssr=ssr.clone()/>
                        <Route path=path!("customers/:id/contacts/new") view=pages::customers::contact_new::ContactNewPage ssr=ssr.clone()/>
                        <Route path=path!("customers/:id/activities/new") view=pages::activities::new::CustomerActivityPage ssr=ssr.clone()/>
                        <Route path=path!("contacts") view=pages::contacts::list::ContactListPage ssr=ssr.clone()/>
                        <Route path=path!("contacts/new") view=pages::contacts::new::ContactChooseCustomerPage ssr=ssr.clone()/>
                        <Route path=path!("contacts/:id/edit") view=pages::customers::contact_new::ContactEditPage ssr=ssr.clone()/>
                        <Route path=path!("customers/:id/delete") view=pages::customers::detail::CustomerDeletePage ssr=ssr.clone()/>
                        <Route path=path!("opportunities") view=pages::opportunities::list::OpportunityListPage ssr=ssr.clone()/>
                        <Route path=path!("opportunities/new") view=pages::opportunities::new::OpportunityNewPage ssr=ssr.clone()/>
                        <Route path=path!("opportunities/batch") view=pages::opportunities::list::OpportunityListPage ssr=ssr.clone()/>
                        <Route path=path!("opportunities/:id") view=pages::opportunities::detail::OpportunityPage ssr=ssr.clone()/>
                        <Route path=path!("opportunities/:id/share") view=pages::opportunities::detail::OpportunityPage ssr=ssr.clone()/>
                        <Route path=path!("opportunities/:id/files") view=pages::opportunities::detail::OpportunityPage ssr=ssr.clone()/>
                        <Route path=path!("opportunities/:id/submit") view=pages::opportunities::detail::OpportunityPage ssr=ssr.clone()/>
                        <Route path=path!("opportunities/:id/stage") view=pages::opportunities::detail::OpportunityPage ssr=ssr.clone()/>
                        <Route path=path!("opportunities/:id/sign") view=pages::opportunities::flows::SignPage ssr=ssr.clone()/>
                        <Route path=path!("opportunities/:id/terminate") view=pages::opportunities::flows::TerminatePage ssr=ssr.clone()/>
                        <Route path=path!("opportunities/:id/edit") view=pages::opportunities::edit::OpportunityEditPage ssr=ssr.clone()/>
                        <Route path=path!("opportunities/:id/activities/new") view=pages::activities::new::OpportunityActivityPage ssr=ssr.clone()/>
                        <Route path=path!("jobs/:id") view=pages::jobs::JobPage ssr=ssr.clone()/>
                        <Route path=path!("milestones") view=pages::milestones::MilestoneListPage ssr=ssr.clone()/>
                        <Route path=path!("milestones/:id/edit") view=pages::milestones::MilestoneEditPage ssr=ssr.clone()/>
                        <Route path=path!("opportunities/:id/evaluation") view=pages::opportunities::evaluation::EvaluationPage ssr=ssr.clone()/>
                        <Route path=path!("opportunities/:id/milestones/new") view=pages::milestones::MilestoneNewPage ssr=ssr.clone()/>
                        <Route path=path!("quotes/:id") view=pages::quotes::QuotePage ssr=ssr.clone()/>
                        <Route path=path!("quotes/:id/apply") view=pages::quotes::QuotePage ssr=ssr.clone()/>
                        <Route path=path!("quotes/:id/print") view=pages::quotes::QuotePrintPage ssr=ssr.clone()/>
                        <Route path=path!("activities") view=pages::activities::index::ActivityListPage ssr=ssr.clone()/>
                        <Route path=path!("activities/:id/edit") view=pages::activities::new::ActivityEditPage ssr=ssr.clone()/>
                        <Route path=path!("outreach") view=pages::outreach::OutreachPage ssr=ssr.clone()/>
                        <Route path=path!("tasks") view=pages::tasks::list::TaskListPage ssr=ssr.clone()/>
                        <Route path=path!("tasks/:id") view=pages::tasks::task::TaskPage ssr=ssr.clone()/>
                        <Route path=path!("announcements") view=pages::announcements::list::AnnouncementListPage ssr=ssr.clone()/>
                        <Route path=path!("announcements/new") view=pages::announcements::form::AnnouncementNewPage ssr=ssr.clone()/>
                        <Route path=path!("announcements/:id") view=pages::announcements::detail::AnnouncementPage ssr=ssr.clone()/>
                        <Route path=path!("announcements/:id/edit") view=pages::announcements::form::AnnouncementEditPage ssr=ssr.clone()/>
                        <Route path=path!("rankings") view=pages::rankings::RankingPage ssr=ssr.clone()/>
                        <Route path=path!("warnings") view=pages::warnings::WarningsPage ssr=ssr.clone()/>
                        <Route path=path!("analysis") view=|| view! { <AnalysisPage figure=Figure::Funnel/> } ssr=ssr.clone()/>
                        <Route path=path!("analysis/pyramid") view=|| view! { <AnalysisPage figure=Figure::Pyramid/> } ssr=ssr.clone()/>
                        <Route path=path!("analysis/forecast") view=|| view! { <AnalysisPage figure=Figure::Forecast/> } ssr=ssr.clone()/>
                        <Route path=path!("analysis/competition") view=|| view! { <AnalysisPage figure=Figure::Competition/> } ssr=ssr.clone()/>
                        <Route path=path!("admin") view=pages::admin::AdminPage ssr=ssr.clone()/>
                        <Route path=path!("admin/users") view=pages::admin::users::UserListPage ssr=ssr.clone()/>
                        <Route path=path!("admin/dictionaries") view=pages::admin::dictionaries::DictionaryPage ssr=ssr.clone()/>
                        <Route path=path!("admin/roles") view=pages::admin::roles::RolesPage ssr=ssr.clone()/>
                        <Route path=path!("admin/audit") view=pages::admin::audit::AuditPage ssr=ssr.clone()/>
                        <Route path=path!("admin/org") view=pages::admin::org::OrgPage ssr=ssr.clone()/>
                        <Route path=path!("admin/routing") view=pages::admin::routing::RoutingPage ssr=ssr.clone()/>
                        <Route path=path!("transfer") view=pages::admin::transfer::TransferPage ssr=ssr.clone()/>
                        <Route path=path!("admin/users/new") view=pages::admin::user_form::UserNewPage ssr=ssr.clone()/>
                        <Route path=path!("admin/users/:id") view=pages::admin::user_form::UserPage ssr=ssr.clone()/>
                        // Where a refused 停用 / 启用 / 重置密码 is shown again (the post's address).
                        <Route path=path!("admin/users/:id/disable") view=pages::admin::user_form::UserPage ssr=ssr.clone()/>
                        <Route path=path!("admin/users/:id/enable") view=pages::admin::user_form::UserPage ssr=ssr.clone()/>
                        <Route path=path!("admin/users/:id/password") view=pages::admin::user_form::UserPage ssr=ssr.clone()/>
                        <Route path=path!("profile") view=pages::profile::ProfilePage ssr=ssr.clone()/>
                        // Where a refused 修改密码 is shown again (the post's address).
                        <Route path=path!("profile/password") view=pages::profile::ProfilePage ssr=ssr.clone()/>
                    </ParentRoute>
                </Routes>
            </main>
        </Router>
    }
}
