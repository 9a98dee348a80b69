//! `POST /lang`: remembers the chosen language in a cookie and goes back to the page.

use app::i18n::Locale;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct LanguageForm {
    lang: String,
    #[serde(default)]
    back: String,
}

pub async fn post_language(jar: CookieJar, Form(form): Form<LanguageForm>) -> Response {
    let code = Locale::from_code(&form.lang).code();
    let back = app::model::redirect::local_path(&form.back);
    let cookie = Cookie::build((Locale::COOKIE, code))
        .path("/")
        .permanent()
        .same_site(SameSite::Lax);
    (jar.add(cookie), Redirect::to(back)).into_response()
}
