//! Every page behind the shell as a lazy route: built with `cargo leptos build --split`, each
//! page's code is a WASM chunk of its own, fetched when the page is first shown (the server
//! names the current page's chunks in the document so they load beside the main bundle), and
//! code that several pages share lands in chunks of its own. The main bundle keeps the shell,
//! the router and what every page needs. Without `--split` (tests, `cargo check`) they are
//! ordinary routes.

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

/// `name`: a lazy route that shows `page` (a component without props).
macro_rules! lazy_page {
    ($($name:ident => $page:path;)*) => {$(
        pub struct $name;

        #[lazy_route]
        impl LazyRoute for $name {
            fn data() -> Self {
                $name
            }

            fn view(_this: Self) -> AnyView {
                $page().into_any()
            }
        }
    )*};
}

use crate::pages;

lazy_page! {
    Home => pages::home::HomePage;
    CustomerList => pages::customers::list::CustomerListPage;
    CustomerNew => pages::customers::new::CustomerNewPage;
    CustomerFind => pages::customers::find::CustomerFindPage;
    Customer => pages::customers::detail::CustomerPage;
    CustomerEdit => pages::customers::edit::CustomerEditPage;
    CustomerDelete => pages::customers::detail::CustomerDeletePage;
    ContactNew => pages::customers::contact_new::ContactNewPage;
    ContactEdit => pages::customers::contact_new::ContactEditPage;
    ContactList => pages::contacts::list::ContactListPage;
    ContactChooseCustomer => pages::contacts::new::ContactChooseCustomerPage;
    CustomerActivity => pages::activities::new::CustomerActivityPage;
    OpportunityActivity => pages::activities::new::OpportunityActivityPage;
    OpportunityList => pages::opportunities::list::OpportunityListPage;
    OpportunityNew => pages::opportunities::new::OpportunityNewPage;
    Opportunity => pages::opportunities::detail::OpportunityPage;
    OpportunityEdit => pages::opportunities::edit::OpportunityEditPage;
    Sign => pages::opportunities::flows::SignPage;
    Terminate => pages::opportunities::flows::TerminatePage;
    TaskList => pages::tasks::list::TaskListPage;
    Task => pages::tasks::task::TaskPage;
    AnnouncementList => pages::announcements::list::AnnouncementListPage;
    AnnouncementNew => pages::announcements::form::AnnouncementNewPage;
    Announcement => pages::announcements::detail::AnnouncementPage;
    AnnouncementEdit => pages::announcements::form::AnnouncementEditPage;
    Rankings => pages::rankings::RankingPage;
}
