//! The HTTP API: answers, error cases and the OpenAPI description, through
//! the router without a socket, and once over a real socket on 127.0.0.1.

use std::io::{Read, Write};
use std::sync::OnceLock;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use kedja_api::{AppState, ServeOptions, app};
use kedja_pipeline::{Archive, OutcomeKind};
use kedja_tests::repo_root;
use serde_json::Value;
use tower::ServiceExt;

fn demo_archive() -> Archive {
    let mut archive = Archive::in_memory().unwrap();
    let report = archive
        .import_municipality_folders(&repo_root().join("data/demo"), &mut |_| {})
        .unwrap();
    assert_eq!(report.count(OutcomeKind::Rejected), 0);
    archive
}

fn router_state() -> AppState {
    static STATE: OnceLock<AppState> = OnceLock::new();
    STATE.get_or_init(|| AppState::new(demo_archive())).clone()
}

fn router() -> Router {
    app(router_state(), &ServeOptions::default())
}

async fn get(uri: &str) -> (StatusCode, Value) {
    let res = router()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    let json = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("{uri}: not JSON ({e}): {bytes:?}"));
    (status, json)
}

fn assert_error(status: StatusCode, body: &Value, expected: StatusCode, code: &str) {
    assert_eq!(status, expected, "{body}");
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{body}"
    );
}

#[tokio::test]
async fn health_counts_documents() {
    let (status, body) = get("/api/health").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "ok");
    assert_eq!(body["documents"], 34);
}

#[tokio::test]
async fn search_returns_hits_with_snippets() {
    let (status, body) = get("/api/search?q=hedersrelaterat&limit=3").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["total"].as_u64().unwrap() >= 5, "{body}");
    let hits = body["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 3);
    for h in hits {
        for field in ["id", "kind", "title", "source", "snippet"] {
            assert!(
                h[field].as_str().is_some_and(|s| !s.is_empty()),
                "{field} in {h}"
            );
        }
        assert!(h["snippet"].as_str().unwrap().contains("<b>"), "{h}");
        assert!(h["score"].as_f64().unwrap() > 0.0);
    }
    let (_, page2) = get("/api/search?q=hedersrelaterat&limit=3&offset=3").await;
    assert_ne!(page2["hits"][0]["id"], hits[0]["id"]);
    let (_, filtered) =
        get("/api/search?q=hedersrelaterat&kind=interpellation&municipality=Norrbacka").await;
    let filtered = filtered["hits"].as_array().unwrap();
    assert!(!filtered.is_empty());
    assert!(
        filtered
            .iter()
            .all(|h| h["kind"] == "interpellation" && h["municipality"] == "Norrbacka")
    );
}

#[tokio::test]
async fn document_has_record_text_and_references() {
    let (_, hits) = get("/api/search?q=solceller&kind=interpellation").await;
    let id = hits["hits"][0]["id"].as_str().unwrap().to_owned();
    let (status, doc) = get(&format!("/api/documents/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{doc}");
    assert_eq!(doc["id"], id.as_str());
    assert_eq!(doc["kind"], "interpellation");
    assert_eq!(doc["municipality"], "Norrbacka");
    assert_eq!(doc["authors"][0]["name"], "Olof Strand");
    assert_eq!(doc["authors"][0]["party"], "V");
    assert_eq!(
        doc["questions"].as_array().unwrap().len(),
        2,
        "{}",
        doc["questions"]
    );
    assert!(doc["text"].as_str().unwrap().contains("takförstärkning"));
    assert!(
        doc["references"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["kind"] == "decision"),
        "{}",
        doc["references"]
    );
    assert_eq!(doc["versions"].as_array().unwrap().len(), 1);
    // Same-topic suggestions stay apart from links and never repeat them.
    let linked: Vec<&str> = doc["links_out"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["to"].as_str().unwrap())
        .collect();
    let same = doc["same_topic"].as_array().unwrap();
    assert!(
        same.iter()
            .all(|s| !linked.contains(&s["id"].as_str().unwrap()) && s["id"] != doc["id"]),
        "{same:?}"
    );
}

#[tokio::test]
async fn bad_input_is_a_json_4xx() {
    let cases = [
        ("/api/search", StatusCode::BAD_REQUEST, "missing_query"),
        ("/api/search?q=", StatusCode::BAD_REQUEST, "missing_query"),
        (
            "/api/search?q=%20%20",
            StatusCode::BAD_REQUEST,
            "missing_query",
        ),
        (
            "/api/search?q=v%C3%A5ld&limit=abc",
            StatusCode::BAD_REQUEST,
            "bad_parameter",
        ),
        (
            "/api/search?q=v%C3%A5ld&limit=0",
            StatusCode::BAD_REQUEST,
            "bad_parameter",
        ),
        (
            "/api/search?q=v%C3%A5ld&limit=100000",
            StatusCode::BAD_REQUEST,
            "bad_parameter",
        ),
        (
            "/api/search?q=v%C3%A5ld&offset=-1",
            StatusCode::BAD_REQUEST,
            "bad_parameter",
        ),
        (
            "/api/search?q=v%C3%A5ld&kind=blog",
            StatusCode::BAD_REQUEST,
            "bad_kind",
        ),
        ("/api/documents/nope", StatusCode::BAD_REQUEST, "bad_id"),
        (
            "/api/documents/d0000000000000000",
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        ("/api/nothing/here", StatusCode::NOT_FOUND, "not_found"),
    ];
    for (uri, status, code) in cases {
        let (s, body) = get(uri).await;
        assert_error(s, &body, status, code);
    }
    // An unknown kind is named, with the kinds there are.
    let (_, body) = get("/api/search?q=v%C3%A5ld&kind=blog").await;
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with(
                "kind \"blog\" is not one of interpellation, interpellation_answer, motion, "
            ) && m.ends_with(", follow_up, other")),
        "{body}"
    );
    let long = format!("/api/search?q={}", "a".repeat(5000));
    let (s, body) = get(&long).await;
    assert_error(s, &body, StatusCode::BAD_REQUEST, "query_too_long");
}

#[tokio::test]
async fn odd_queries_parse_leniently() {
    for q in [
        "%22v%C3%A5ld",
        "AND",
        "v%C3%A5ld%20OR",
        "((",
        "title%3A",
        "%01%02",
        "-",
        "*",
    ] {
        let (s, body) = get(&format!("/api/search?q={q}")).await;
        assert_eq!(s, StatusCode::OK, "{q}: {body}");
    }
}

#[tokio::test]
async fn openapi_describes_exactly_the_routes() {
    let (status, spec) = get("/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let mut described: Vec<&str> = spec["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut routes: Vec<&str> = kedja_api::ROUTES.to_vec();
    described.sort();
    routes.sort();
    assert_eq!(described, routes);
    // every route answers (a sample request per route, never a 404 or 5xx)
    for route in kedja_api::ROUTES {
        let uri = route
            .replace("/api/meetings/{id}", "/api/meetings/1")
            .replace("{id}", "d0000000000000000")
            .replace("/api/search", "/api/search?q=plan")
            .replace("search.atom", "search.atom?q=plan");
        let res = router()
            .oneshot(Request::get(&uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let expected_404 = route.contains("{id}");
        assert!(
            (status == StatusCode::OK) || (expected_404 && status == StatusCode::NOT_FOUND),
            "{uri}: {status}"
        );
    }
}

#[test]
fn serves_over_a_real_socket() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let web = repo_root().join("web");
    let opts = ServeOptions { web_dir: Some(web) };
    runtime.spawn(async move {
        kedja_api::serve_on(listener, AppState::new(demo_archive()), &opts).await
    });
    let fetch = |path: &str| -> String {
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut out = String::new();
        stream.read_to_string(&mut out).unwrap();
        out
    };
    let res = fetch("/api/search?q=hedersrelaterat");
    assert!(res.starts_with("HTTP/1.1 200"), "{res}");
    assert!(res.contains("\"hits\""), "{res}");
    let page = fetch("/");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("<html"), "{page}");
}

async fn sjovik_interpellation_id() -> String {
    let (_, hits) = get(
        "/api/search?q=chefer%20grundutbildningen&kind=interpellation&municipality=Sj%C3%B6vik",
    )
    .await;
    hits["hits"][0]["id"]
        .as_str()
        .expect("the Sjövik interpellation is found")
        .to_owned()
}

#[tokio::test]
async fn trace_shows_the_chain_as_a_timeline() {
    let id = sjovik_interpellation_id().await;
    let (status, trace) = get(&format!("/api/documents/{id}/trace?depth=2")).await;
    assert_eq!(status, StatusCode::OK, "{trace}");
    assert_eq!(trace["root"], id.as_str());
    let nodes = trace["nodes"].as_array().unwrap();
    let titled = |kind: &str, words: &str| {
        nodes.iter().any(|n| {
            n["kind"] == kind
                && n["title"].as_str().unwrap().contains(words)
                && n["unresolved"] == false
        })
    };
    assert!(
        titled("decision", "Svar på motion om förebyggande arbete"),
        "the KF decision: {trace}"
    );
    assert!(
        titled("motion", "Motion om förebyggande arbete"),
        "the motion: {trace}"
    );
    assert!(
        titled("plan", "Handlingsplan för förebyggande arbete"),
        "the plan: {trace}"
    );
    assert!(
        titled("follow_up", "Uppföljning av handlingsplanen"),
        "the follow-up: {trace}"
    );
    assert!(
        titled("interpellation_answer", "Svar på interpellation"),
        "the answer, forward: {trace}"
    );
    let dates: Vec<&str> = nodes.iter().filter_map(|n| n["date"].as_str()).collect();
    assert!(
        dates.windows(2).all(|w| w[0] <= w[1]),
        "timeline order: {dates:?}"
    );
    let edges = trace["edges"].as_array().unwrap();
    let to_decision = edges.iter().find(|e| {
        e["from"] == id.as_str() && e["evidence"].as_str().unwrap().contains("2022-12-14 § 187")
    });
    let to_decision = to_decision.expect("an edge with the § reference as evidence");
    assert_eq!(to_decision["type"], "asks_about");
    assert!(to_decision["confidence"].as_f64().unwrap() >= 0.9);
    for e in edges {
        assert!(!e["evidence"].as_str().unwrap().is_empty(), "{e}");
        assert!(!e["reason"].as_str().unwrap().is_empty(), "{e}");
    }
    let (_, back_only) = get(&format!("/api/documents/{id}/trace?depth=1&direction=back")).await;
    assert!(
        back_only["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["kind"] != "interpellation_answer"),
        "{back_only}"
    );
}

#[tokio::test]
async fn trace_and_brief_reject_bad_input() {
    let id = sjovik_interpellation_id().await;
    for (query, code) in [
        ("depth=0", "bad_parameter"),
        ("depth=99", "bad_parameter"),
        ("direction=sideways", "bad_parameter"),
    ] {
        let (s, body) = get(&format!("/api/documents/{id}/trace?{query}")).await;
        assert_error(s, &body, StatusCode::BAD_REQUEST, code);
    }
    let (s, body) = get("/api/documents/d0000000000000000/trace").await;
    assert_error(s, &body, StatusCode::NOT_FOUND, "not_found");
    let (_, plans) = get("/api/search?q=handlingsplan&kind=plan").await;
    let plan = plans["hits"][0]["id"].as_str().unwrap();
    let (s, body) = get(&format!("/api/documents/{plan}/brief")).await;
    assert_error(s, &body, StatusCode::BAD_REQUEST, "no_questions");
}

#[tokio::test]
async fn brief_gives_passages_per_question() {
    let id = sjovik_interpellation_id().await;
    let (status, brief) = get(&format!("/api/documents/{id}/brief")).await;
    assert_eq!(status, StatusCode::OK, "{brief}");
    let questions = brief["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 3, "{brief}");
    for q in questions {
        let passages = q["passages"].as_array().unwrap();
        assert!(!passages.is_empty(), "nothing for {}", q["question"]);
        for p in passages {
            for field in ["doc_id", "title", "source", "text", "date"] {
                assert!(
                    p[field].as_str().is_some_and(|s| !s.is_empty()),
                    "{field} in {p}"
                );
            }
        }
    }
    let first: Vec<&str> = questions[0]["passages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["text"].as_str().unwrap())
        .collect();
    assert!(
        first.iter().any(|t| t.contains("94 av 210")),
        "the follow-up's figure for question 1: {first:#?}"
    );
    assert_eq!(brief["items_are"], "questions");
    assert_eq!(brief["kind"], "interpellation");
    // Each passage names its source; those that state or report on a
    // tracked commitment carry it with its status.
    let passages: Vec<&Value> = questions
        .iter()
        .flat_map(|q| q["passages"].as_array().unwrap())
        .collect();
    assert!(
        passages.iter().any(|p| p["body"].is_string()),
        "bodies: {brief}"
    );
    let commitments: Vec<&Value> = passages
        .iter()
        .flat_map(|p| p["commitments"].as_array().unwrap())
        .collect();
    assert!(!commitments.is_empty(), "no commitment in {brief}");
    for c in &commitments {
        assert!(c["task"].as_str().is_some_and(|t| !t.is_empty()), "{c}");
        assert!(
            c["status_label"].is_string() && c["overdue"].is_boolean(),
            "{c}"
        );
    }
}

#[tokio::test]
async fn brief_of_a_motion_is_per_proposal() {
    let (_, hits) = get("/api/search?q=solceller&kind=motion&municipality=Norrbacka").await;
    let id = hits["hits"][0]["id"].as_str().expect("the motion is found");
    let (status, brief) = get(&format!("/api/documents/{id}/brief")).await;
    assert_eq!(status, StatusCode::OK, "{brief}");
    assert_eq!(brief["items_are"], "proposals", "{brief}");
    let items = brief["questions"].as_array().unwrap();
    assert!(!items.is_empty(), "{brief}");
    assert!(
        items
            .iter()
            .flat_map(|q| q["passages"].as_array().unwrap())
            .any(|p| p["kind"] == "decision"),
        "the council's decision on the motion: {brief}"
    );
}

#[tokio::test]
async fn commitments_filter_and_judge_overdue_on_the_given_day() {
    let (status, body) =
        get("/api/commitments?municipality=Sj%C3%B6vik&overdue=true&today=2024-07-01").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["today"], "2024-07-01");
    let tasks: Vec<&str> = body["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["task"].as_str().unwrap())
        .collect();
    assert!(
        tasks.iter().any(|t| t.contains("Grundutbildning")),
        "{body}"
    );
    assert!(
        body["commitments"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["overdue"] == true && c["municipality"] == "Sjövik")
    );
    assert_eq!(
        body["awaiting_decision"][0]["filed"], "2023-05-10",
        "{body}"
    );

    let (_, done) = get("/api/commitments?status=done&today=2030-01-01").await;
    let done = done["commitments"].as_array().unwrap();
    assert!(!done.is_empty());
    assert!(
        done.iter()
            .all(|c| c["status"] == "done" && c["overdue"] == false)
    );
    assert!(
        done.iter()
            .all(|c| c["reports"].as_array().is_some_and(|r| !r.is_empty()))
    );

    let (_, open) = get("/api/commitments?status=open").await;
    let open = open["commitments"].as_array().unwrap();
    assert!(!open.is_empty());
    assert!(
        open.iter()
            .all(|c| c["status"] != "done" && c["status"] != "written_off")
    );

    let (_, due) = get("/api/commitments?due_before=2017-12-31&due_after=2017-01-01").await;
    assert_eq!(due["total"], 2, "{due}");

    for (uri, code) in [
        ("/api/commitments?today=2024-13-01", "bad_date"),
        ("/api/commitments?due_before=soon", "bad_date"),
        ("/api/commitments?status=finished", "bad_status"),
        ("/api/commitments?overdue=maybe", "bad_overdue"),
    ] {
        let (status, body) = get(uri).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, code);
    }
}

#[tokio::test]
async fn a_document_lists_its_commitments_with_their_reports() {
    let (_, hits) = get("/api/search?q=handlingsplan%20f%C3%B6rebyggande%20arbete&kind=plan").await;
    let id = hits["hits"][0]["id"].as_str().unwrap().to_owned();
    let (status, doc) = get(&format!("/api/documents/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let cs = doc["commitments"].as_array().unwrap();
    assert!(cs.len() >= 7, "{doc}");
    // Links carry the title and date of the document at the other end.
    let out = doc["links_out"].as_array().unwrap();
    assert!(!out.is_empty());
    assert!(
        out.iter()
            .all(|l| l["other_title"].as_str().is_some_and(|t| !t.is_empty())),
        "{doc}"
    );
    assert!(cs.iter().any(|c| c["cadence"] == "årligen i mars"), "{doc}");
    assert!(
        cs.iter()
            .any(|c| c["reports"].as_array().unwrap().len() >= 2),
        "a status history: {doc}"
    );
}

#[tokio::test]
async fn atom_feeds_of_overdue_commitments_and_new_reports() {
    for (uri, must) in [
        (
            "/api/feeds/overdue.atom?today=2024-07-01",
            "Grundutbildning",
        ),
        (
            "/api/feeds/reports.atom?municipality=Norrbacka",
            "Tre av fem",
        ),
    ] {
        let res = router()
            .oneshot(Request::get(uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{uri}");
        assert!(
            res.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/atom+xml")
        );
        let xml = String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec())
            .unwrap();
        let feed: atom_syndication::Feed = xml.parse().unwrap_or_else(|e| panic!("{uri}: {e}"));
        assert!(!feed.entries.is_empty(), "{xml}");
        assert!(xml.contains(must), "{uri}: {xml}");
    }
    let (status, body) = get("/api/feeds/overdue.atom?today=yesterday").await;
    assert_error(status, &body, StatusCode::BAD_REQUEST, "bad_date");
}

#[tokio::test]
async fn search_filters_facets_identifiers_and_order() {
    let (status, body) = get("/api/search?q=v%C3%A5ld&limit=50").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let total = body["total"].as_u64().unwrap();
    let kinds: u64 = body["facets"]["kind"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["count"].as_u64().unwrap())
        .sum();
    assert_eq!(kinds, total, "every match has one kind: {body}");
    for dim in ["municipality", "party", "body", "year"] {
        assert!(
            body["facets"][dim]
                .as_array()
                .is_some_and(|a| !a.is_empty()),
            "{dim}: {body}"
        );
    }
    // Typed without å: the same documents.
    let (_, folded) = get("/api/search?q=vald&limit=50").await;
    assert!(folded["total"].as_u64().unwrap() >= total, "{folded}");
    // A party filter keeps only documents with an author of that party.
    let (_, v) = get("/api/search?q=v%C3%A5ld&party=V&limit=50").await;
    assert!(v["total"].as_u64().unwrap() >= 1);
    assert!(
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["parties"].as_array().unwrap().contains(&Value::from("V"))),
        "{v}"
    );
    // Dates and order.
    let (_, newest) =
        get("/api/search?q=v%C3%A5ld&from=2023&to=2024-06&sort=newest&limit=50").await;
    let dates: Vec<&str> = newest["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["date"].as_str().unwrap())
        .collect();
    assert!(!dates.is_empty());
    assert!(
        dates
            .iter()
            .all(|d| ("2023-01-01"..="2024-06-30").contains(d)),
        "{dates:?}"
    );
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    // A misspelt query gets a suggestion that finds more.
    let (_, typo) = get("/api/search?q=solcelller").await;
    assert_eq!(typo["suggestion"], "solceller", "{typo}");
    let (_, fixed) = get("/api/search?q=solceller").await;
    assert!(fixed["total"].as_u64().unwrap() > typo["total"].as_u64().unwrap());
    assert!(fixed.get("suggestion").is_none(), "{fixed}");
    // An identifier puts its document first.
    let (_, par) = get("/api/search?q=%C2%A7%20187").await;
    assert_eq!(par["hits"][0]["date"], "2022-12-14", "{par}");
    assert_eq!(par["identifiers"][0], "par:187");
    for (uri, code) in [
        ("/api/search?q=x&sort=best", "bad_sort"),
        ("/api/search?q=x&from=yesterday", "bad_date"),
    ] {
        let (status, body) = get(uri).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, code);
    }
}

/// The Atom feed of a search: entries as a feed reader gets them.
async fn search_feed(state: AppState, uri: &str) -> atom_syndication::Feed {
    let res = app(state, &ServeOptions::default())
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{uri}");
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/atom+xml")
    );
    let xml =
        String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    xml.parse().unwrap_or_else(|e| panic!("{uri}: {e}: {xml}"))
}

fn norrbacka(skip: Option<&str>) -> AppState {
    let dir = repo_root().join("data/demo/Norrbacka");
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| skip.is_none_or(|s| !p.ends_with(s)))
        .collect();
    files.sort();
    let mut archive = Archive::in_memory().unwrap();
    let opts = kedja_pipeline::ImportOptions {
        municipality: Some("Norrbacka".into()),
        ..Default::default()
    };
    let report = archive.import_paths(&files, &opts, &mut |_| {}).unwrap();
    assert_eq!(report.count(OutcomeKind::Rejected), 0);
    AppState::new(archive)
}

#[tokio::test]
async fn search_feed_lists_new_documents_first_with_stable_ids() {
    const NEWEST: &str = "2023-05-08-svar-interpellation-solceller.txt";
    let uri = "/api/feeds/search.atom?q=solceller&municipality=Norrbacka";
    let before = search_feed(norrbacka(Some(NEWEST)), uri).await;
    let after = search_feed(norrbacka(None), uri).await;
    assert!(before.entries.len() >= 4, "{before:?}");
    assert_eq!(after.entries.len(), before.entries.len() + 1);

    // Newest first, each entry with kind, date, snippet and links.
    let dates: Vec<_> = after.entries.iter().map(|e| e.updated).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    for e in &after.entries {
        assert!(e.id.starts_with("urn:kedja:document:d"), "{}", e.id);
        assert!(
            e.categories
                .iter()
                .any(|c| c.scheme.as_deref() == Some("urn:kedja:kind")),
            "kind of {}",
            e.id
        );
        assert!(e.published.is_some(), "date of {}", e.id);
        let summary = e.summary.as_ref().map(|s| s.value.as_str()).unwrap_or("");
        assert!(summary.contains("<b>"), "snippet with matches: {summary}");
        assert!(summary.contains("Norrbacka"), "{summary}");
        let doc = e.id.trim_start_matches("urn:kedja:document:");
        assert!(
            e.links
                .iter()
                .any(|l| l.rel == "alternate" && l.href == format!("/?view=doc&id={doc}")),
            "{:?}",
            e.links
        );
    }
    // The KF decision names its body.
    assert!(
        after
            .entries
            .iter()
            .any(|e| e
                .categories
                .iter()
                .any(|c| c.scheme.as_deref() == Some("urn:kedja:body")
                    && c.term.contains("fullmäktige"))),
        "{:#?}",
        after.entries
    );

    // The document imported since is the first entry; the others keep their
    // ids, so a feed reader shows exactly one new entry.
    let new = &after.entries[0];
    assert!(
        new.title.value.starts_with("Interpellationssvar"),
        "{:?}",
        new.title
    );
    let before_ids: Vec<&str> = before.entries.iter().map(|e| e.id.as_str()).collect();
    assert!(!before_ids.contains(&new.id.as_str()));
    let after_ids: Vec<&str> = after.entries[1..].iter().map(|e| e.id.as_str()).collect();
    assert_eq!(after_ids, before_ids);
    assert_eq!(before.id, after.id, "the same search is the same feed");

    // The same search written another way is the same feed.
    let reordered = search_feed(
        norrbacka(None),
        "/api/feeds/search.atom?municipality=Norrbacka&q=solceller&sort=oldest",
    )
    .await;
    assert_eq!(reordered.id, after.id);
    assert_eq!(reordered.entries[0].id, new.id, "always newest first");
}

#[tokio::test]
async fn search_feed_filters_and_refuses_bad_input() {
    let feed = search_feed(
        router_state(),
        "/api/feeds/search.atom?q=v%C3%A5ld&kind=decision&limit=3",
    )
    .await;
    assert!(!feed.entries.is_empty() && feed.entries.len() <= 3);
    for e in &feed.entries {
        assert!(
            e.categories.iter().any(|c| c.term == "decision"),
            "{:?}",
            e.categories
        );
    }
    for (uri, code) in [
        ("/api/feeds/search.atom", "missing_query"),
        ("/api/feeds/search.atom?q=v%C3%A5ld&kind=blog", "bad_kind"),
        (
            "/api/feeds/search.atom?q=v%C3%A5ld&from=yesterday",
            "bad_date",
        ),
    ] {
        let (status, body) = get(uri).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, code);
    }
}
