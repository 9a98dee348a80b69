//! `POST /lang`: remembers the chosen language in a cookie and goes back to the page.

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct LanguageForm {
    lang: String,
    #[serde(default)]
    back: String,
}

pub async fn post_language(Form(form): Form<LanguageForm>) -> Response {
    let code = if form.lang.eq_ignore_ascii_case("en") {
        "en"
    } else {
        "zh-CN"
    };
    let back = app::model::redirect::local_path(&form.back);
    let mut response = Redirect::to(back).into_response();
    let cookie = format!("lang={code}; Path=/; Max-Age=31536000; SameSite=Lax");
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    response
}
