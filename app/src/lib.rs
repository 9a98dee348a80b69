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
pub mod routes;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    path, Lazy, SsrMode,
};
use model::MenuItem;
use pages::placeholder::NotBuilt;

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
    let not_built = |item: MenuItem| move || view! { <NotBuilt item/> };

    view! {
        <Title text=i18n::t("app.name")/>
        <Router>
            <main>
                <Routes fallback=pages::status::NotFound>
                    <Route path=path!("/login") view=pages::login::LoginPage ssr=ssr.clone()/>
                    <ParentRoute path=path!("") view=components::shell::Shell ssr=ssr.clone()>
                        <Route path=path!("") view={Lazy::<routes::Home>::new()} ssr=ssr.clone()/>
                        <Route path=path!("customers") view={Lazy::<routes::CustomerList>::new()} ssr=ssr.clone()/>
                        <Route path=path!("customers/new") view={Lazy::<routes::CustomerNew>::new()} ssr=ssr.clone()/>
                        <Route path=path!("customers/find") view={Lazy::<routes::CustomerFind>::new()} ssr=ssr.clone()/>
                        <Route path=path!("customers/:id") view={Lazy::<routes::Customer>::new()} ssr=ssr.clone()/>
                        // Where a refused 共享 post shows the record's page again (the browser's
                        // address is the post's): hydration must find the same page there.
                        <Route path=path!("customers/:id/share") view={Lazy::<routes::Customer>::new()} ssr=ssr.clone()/>
                        <Route path=path!("customers/:id/edit") view={Lazy::<routes::CustomerEdit>::new()} ssr=ssr.clone()/>
                        <Route path=path!("customers/:id/contacts/new") view={Lazy::<routes::ContactNew>::new()} ssr=ssr.clone()/>
                        <Route path=path!("customers/:id/activities/new") view={Lazy::<routes::CustomerActivity>::new()} ssr=ssr.clone()/>
                        <Route path=path!("contacts") view={Lazy::<routes::ContactList>::new()} ssr=ssr.clone()/>
                        <Route path=path!("contacts/new") view={Lazy::<routes::ContactChooseCustomer>::new()} ssr=ssr.clone()/>
                        <Route path=path!("contacts/:id/edit") view={Lazy::<routes::ContactEdit>::new()} ssr=ssr.clone()/>
                        <Route path=path!("customers/:id/delete") view={Lazy::<routes::CustomerDelete>::new()} ssr=ssr.clone()/>
                        <Route path=path!("opportunities") view={Lazy::<routes::OpportunityList>::new()} ssr=ssr.clone()/>
                        <Route path=path!("opportunities/new") view={Lazy::<routes::OpportunityNew>::new()} ssr=ssr.clone()/>
                        <Route path=path!("opportunities/:id") view={Lazy::<routes::Opportunity>::new()} ssr=ssr.clone()/>
                        <Route path=path!("opportunities/:id/share") view={Lazy::<routes::Opportunity>::new()} ssr=ssr.clone()/>
                        <Route path=path!("opportunities/:id/submit") view={Lazy::<routes::Opportunity>::new()} ssr=ssr.clone()/>
                        <Route path=path!("opportunities/:id/stage") view={Lazy::<routes::Opportunity>::new()} ssr=ssr.clone()/>
                        <Route path=path!("opportunities/:id/sign") view={Lazy::<routes::Sign>::new()} ssr=ssr.clone()/>
                        <Route path=path!("opportunities/:id/terminate") view={Lazy::<routes::Terminate>::new()} ssr=ssr.clone()/>
                        <Route path=path!("opportunities/:id/edit") view={Lazy::<routes::OpportunityEdit>::new()} ssr=ssr.clone()/>
                        <Route path=path!("opportunities/:id/activities/new") view={Lazy::<routes::OpportunityActivity>::new()} ssr=ssr.clone()/>
                        <Route path=path!("tasks") view={Lazy::<routes::TaskList>::new()} ssr=ssr.clone()/>
                        <Route path=path!("tasks/:id") view={Lazy::<routes::Task>::new()} ssr=ssr.clone()/>
                        <Route path=path!("announcements") view={Lazy::<routes::AnnouncementList>::new()} ssr=ssr.clone()/>
                        <Route path=path!("announcements/new") view={Lazy::<routes::AnnouncementNew>::new()} ssr=ssr.clone()/>
                        <Route path=path!("announcements/:id") view={Lazy::<routes::Announcement>::new()} ssr=ssr.clone()/>
                        <Route path=path!("announcements/:id/edit") view={Lazy::<routes::AnnouncementEdit>::new()} ssr=ssr.clone()/>
                        <Route path=path!("rankings") view={Lazy::<routes::Rankings>::new()} ssr=ssr.clone()/>
                        <Route path=path!("analysis") view=not_built(MenuItem::Analysis) ssr=ssr.clone()/>
                        <Route path=path!("admin") view=not_built(MenuItem::Admin) ssr=ssr.clone()/>
                        <Route path=path!("profile") view=not_built(MenuItem::Profile) ssr=ssr.clone()/>
                    </ParentRoute>
                </Routes>
            </main>
        </Router>
    }
}
