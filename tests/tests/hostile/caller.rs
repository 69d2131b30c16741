//! One model of the caller, derived once per request. Found: a page request
//! built its `Caller` twice (the page cache, then server-side rendering),
//! each reading the headers and verifying the voter cookie again. Now the
//! first reader keeps it in the request and every later one gets that value.

use std::{net::SocketAddr, sync::Arc};

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::Request,
};
use server::{caller::Caller, config::Config, Application};
use tests::{Db, TestDatabase};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn caller_is_read_once_per_request_and_every_reader_gets_that_value() {
    tests::within_time_limit(async {
        let Some(database) = TestDatabase::create(Db::Sqlite).await else {
            return;
        };
        let mut config = Config::defaults();
        config.database_url = database.url.clone();
        config.addr = SocketAddr::from(([127, 0, 0, 1], 0));
        config.demo_data = String::new();
        config.secret = None;
        let application = Application::build(config).await.expect("the server builds");
        let state = application.state().clone();
        let (mut parts, ()) = Request::builder()
            .uri("/tools")
            .header("x-verdicts-csrf", "1")
            .header("authorization", "Bearer first-token")
            .extension(ConnectInfo(SocketAddr::from(([203, 0, 113, 7], 40_000))))
            .body(())
            .expect("a request")
            .into_parts();
        let Ok(first) = Caller::from_request_parts(&mut parts, &state).await;
        assert_eq!(first.address.to_string(), "203.0.113.7");
        assert!(first.csrf_header);
        // What the request says cannot change within it: a later reader (the
        // route after the page cache, SSR after the route) gets the value
        // the first one read, not a second reading.
        parts
            .extensions
            .insert(ConnectInfo(SocketAddr::from(([198, 51, 100, 9], 1))));
        parts.headers.remove("x-verdicts-csrf");
        parts.headers.remove("authorization");
        let Ok(second) = Caller::from_request_parts(&mut parts, &state).await;
        assert_eq!(second.address, first.address);
        assert!(second.csrf_header);
        assert_eq!(second.budget_key(), first.budget_key());
        // One voter and one set of response cookies: an id minted or a
        // cookie set by one reader is seen by the others.
        assert!(Arc::ptr_eq(&first.voter, &second.voter));
        assert!(Arc::ptr_eq(&first.cookies, &second.cookies));
        assert!(Caller::kept(&parts).is_some());
    })
    .await;
}
