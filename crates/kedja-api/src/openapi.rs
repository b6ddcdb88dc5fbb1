//! The OpenAPI description served at `/api/openapi.json`. A test keeps
//! [`ROUTES`] and the description in step with the router.

use serde_json::{Value, json};

/// Every API route the router serves, in OpenAPI path syntax.
pub const ROUTES: &[&str] = &[
    "/api/health",
    "/api/search",
    "/api/documents/{id}",
    "/api/documents/{id}/trace",
    "/api/documents/{id}/brief",
    "/api/commitments",
    "/api/meetings",
    "/api/meetings/{id}",
    "/api/feeds/overdue.atom",
    "/api/feeds/reports.atom",
    "/api/feeds/search.atom",
    "/api/openapi.json",
];

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    })
}

fn query_param(name: &str, description: &str, schema: Value, required: bool) -> Value {
    json!({"name": name, "in": "query", "required": required, "description": description, "schema": schema})
}

fn commitment_params() -> Value {
    let statuses: Vec<&str> = std::iter::once("open")
        .chain(
            kedja_model::CommitmentStatus::ALL
                .iter()
                .map(|s| s.as_str()),
        )
        .collect();
    let date = json!({"type": "string", "format": "date"});
    json!([
        query_param(
            "municipality",
            "Only this municipality",
            json!({"type": "string"}),
            false
        ),
        query_param(
            "status",
            "Only this latest status; open: not done or written off",
            json!({"type": "string", "enum": statuses}),
            false
        ),
        query_param(
            "body",
            "Responsible party contains this",
            json!({"type": "string"}),
            false
        ),
        query_param(
            "due_before",
            "Deadline ends on or before",
            date.clone(),
            false
        ),
        query_param(
            "due_after",
            "Deadline starts on or after",
            date.clone(),
            false
        ),
        query_param(
            "overdue",
            "Only those past their deadline with no report that they are done",
            json!({"type": "boolean"}),
            false
        ),
        query_param(
            "today",
            "The day overdue is judged on; the server's date when absent",
            date,
            false
        )
    ])
}

/// The parameters of `/api/search`; the feed takes the filters but not
/// the paging or the order.
fn search_params(kinds: &[&str], paged: bool) -> Value {
    let mut params = vec![
        query_param(
            "q",
            "The query; quotes for phrases, - to exclude",
            json!({"type": "string", "maxLength": kedja_index::MAX_QUERY_CHARS}),
            true,
        ),
        query_param(
            "limit",
            "Hits per page",
            json!({"type": "integer", "minimum": 1, "maximum": kedja_index::MAX_LIMIT, "default": 10}),
            false,
        ),
        query_param(
            "offset",
            "Hits to skip",
            json!({"type": "integer", "minimum": 0, "maximum": crate::wire::MAX_OFFSET, "default": 0}),
            false,
        ),
        query_param(
            "kind",
            "Only documents of this kind",
            json!({"type": "string", "enum": kinds}),
            false,
        ),
        query_param(
            "municipality",
            "Only documents from this municipality",
            json!({"type": "string"}),
            false,
        ),
        query_param(
            "party",
            "Only documents with an author of this party (S, M, V, …)",
            json!({"type": "string"}),
            false,
        ),
        query_param(
            "body",
            "Only documents from this body (Kommunstyrelsen, …)",
            json!({"type": "string"}),
            false,
        ),
        query_param(
            "from",
            "Dated on or after: YYYY, YYYY-MM or YYYY-MM-DD",
            json!({"type": "string"}),
            false,
        ),
        query_param(
            "to",
            "Dated on or before: YYYY, YYYY-MM or YYYY-MM-DD",
            json!({"type": "string"}),
            false,
        ),
        query_param(
            "sort",
            "Order of hits",
            json!({"type": "string", "enum": ["relevance", "newest", "oldest"], "default": "relevance"}),
            false,
        ),
    ];
    if !paged {
        params.retain(|p| !["offset", "sort"].contains(&p["name"].as_str().unwrap_or("")));
        if let Some(limit) = params.iter_mut().find(|p| p["name"] == "limit") {
            limit["description"] = json!("Entries in the feed");
            limit["schema"]["default"] = json!(20);
        }
    }
    Value::Array(params)
}

/// The OpenAPI 3.1 document.
pub fn openapi() -> Value {
    let kinds: Vec<&str> = kedja_model::DocKind::ALL
        .iter()
        .map(|k| k.as_str())
        .collect();
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Kedja",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Swedish local politics from question to result: search, documents, references and links."
        },
        "paths": {
            "/api/health": {"get": {
                "summary": "Liveness and counts",
                "responses": {"200": {"description": "Counts of stored documents, versions, references and links",
                    "content": {"application/json": {"schema": {"type": "object"}}}}}
            }},
            "/api/search": {"get": {
                "summary": "Full-text search in Swedish",
                "parameters": search_params(&kinds, true),
                "responses": {
                    "200": {"description": "A page of hits", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SearchResponse"}}}},
                    "400": error_response("Missing or malformed parameter")
                }
            }},
            "/api/documents/{id}": {"get": {
                "summary": "One document with its record, text, references, links and versions",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^d[0-9a-f]{16}$"}}],
                "responses": {
                    "200": {"description": "The document", "content": {"application/json": {"schema": {"type": "object"}}}},
                    "400": error_response("Malformed id"),
                    "404": error_response("No such document")
                }
            }},
            "/api/documents/{id}/trace": {"get": {
                "summary": "The chain of links around a document, both ways, as a timeline; unresolved references are nodes with unresolved=true",
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^d[0-9a-f]{16}$"}},
                    query_param("depth", "Links to follow from the document", json!({"type": "integer", "minimum": 1, "maximum": kedja_pipeline::MAX_DEPTH, "default": 2}), false),
                    query_param("direction", "back: what it cites; forward: what cites it", json!({"type": "string", "enum": ["back", "forward", "both"], "default": "both"}), false)
                ],
                "responses": {
                    "200": {"description": "Nodes (timeline order) and edges (type, confidence, reason, evidence); an edge of type `record` goes from a meeting's § to an agenda attachment of the item it decides", "content": {"application/json": {"schema": {"type": "object"}}}},
                    "400": error_response("Malformed id or parameter"),
                    "404": error_response("No such document")
                }
            }},
            "/api/documents/{id}/brief": {"get": {
                "summary": "Per question of an interpellation (or proposal of a motion), the passages of linked decisions, plans and reports that bear on it",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^d[0-9a-f]{16}$"}}],
                "responses": {
                    "200": {"description": "Questions with passages, each with its source and date", "content": {"application/json": {"schema": {"type": "object"}}}},
                    "400": error_response("Malformed id, or a document without questions or proposals"),
                    "404": error_response("No such document")
                }
            }},
            "/api/commitments": {"get": {
                "summary": "Commitments (who, what, by when) with their status reports, and motions awaiting a decision after a year",
                "parameters": commitment_params(),
                "responses": {
                    "200": {"description": "Commitments, earliest deadline first, each with `overdue` judged on `today`", "content": {"application/json": {"schema": {"type": "object"}}}},
                    "400": error_response("Malformed date, status or flag")
                }
            }},
            "/api/meetings": {"get": {
                "summary": "Meetings of meeting portals, newest first: body, date, whether the adjusted protocol is out, files and documents",
                "parameters": [
                    query_param("municipality", "Only this municipality", json!({"type": "string"}), false),
                    query_param("body", "Only this body (its slug in the portal, e.g. kommunstyrelsen)", json!({"type": "string"}), false),
                    query_param("from", "Held on or after: YYYY, YYYY-MM or YYYY-MM-DD", json!({"type": "string"}), false),
                    query_param("to", "Held on or before: YYYY, YYYY-MM or YYYY-MM-DD", json!({"type": "string"}), false),
                    query_param("limit", "Meetings per page", json!({"type": "integer", "minimum": 1, "maximum": 500, "default": 50}), false),
                    query_param("offset", "Meetings to skip", json!({"type": "integer", "minimum": 0, "default": 0}), false)
                ],
                "responses": {
                    "200": {"description": "`{total, meetings: [{id, source, municipality, body, date, title, url, has_protocol, checked_at, files, documents}]}`", "content": {"application/json": {"schema": {"type": "object"}}}},
                    "400": error_response("Malformed date or number")
                }
            }},
            "/api/meetings/{id}": {"get": {
                "summary": "One meeting with its protocol and agenda attachments, each with its role, agenda item (§ and body, from its name), document and crawl state, and the protocol's §§, each with the attachments of the item it decides",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "responses": {
                    "200": {"description": "The meeting: `protocol`, `attachments` and `sections: [{doc_id, paragraph, title, attachments: [{url, evidence}]}]`", "content": {"application/json": {"schema": {"type": "object"}}}},
                    "400": error_response("Malformed id"),
                    "404": error_response("No such meeting")
                }
            }},
            "/api/feeds/overdue.atom": {"get": {
                "summary": "Atom feed of commitments that have become overdue, each dated the day after its deadline",
                "parameters": commitment_params(),
                "responses": {"200": {"description": "Atom 1.0", "content": {"application/atom+xml": {}}}, "400": error_response("Malformed parameter")}
            }},
            "/api/feeds/reports.atom": {"get": {
                "summary": "Atom feed of status reports on commitments, newest first",
                "parameters": commitment_params(),
                "responses": {"200": {"description": "Atom 1.0", "content": {"application/atom+xml": {}}}, "400": error_response("Malformed parameter")}
            }},
            "/api/feeds/search.atom": {"get": {
                "summary": "Atom feed of a search: the matching documents, newest first, each entry with title, kind, body, municipality, date, snippet and a link; entry ids (urn:kedja:document:ID) are the same every time, so a feed reader shows only new documents",
                "parameters": search_params(&kinds, false),
                "responses": {"200": {"description": "Atom 1.0", "content": {"application/atom+xml": {}}}, "400": error_response("Missing query or malformed parameter")}
            }},
            "/api/openapi.json": {"get": {
                "summary": "This description",
                "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}}}
            }}
        },
        "components": {"schemas": {
            "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object",
                "required": ["code", "message"],
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}},
            "SearchResponse": {"type": "object", "required": ["total", "hits"], "properties": {
                "total": {"type": "integer"}, "limit": {"type": "integer"}, "offset": {"type": "integer"},
                "facets": {"type": "object", "description": "Per dimension, the matches per value"},
                "facets_complete": {"type": "boolean", "description": "False when the facets were counted over part of a huge match, within the time budget (150 ms); the total is exact"},
                "hits": {"type": "array", "items": {"type": "object",
                    "required": ["id", "kind", "title", "source", "snippet", "score"],
                    "properties": {
                        "id": {"type": "string"}, "kind": {"type": "string"}, "title": {"type": "string"},
                        "municipality": {"type": ["string", "null"]}, "date": {"type": ["string", "null"]},
                        "source": {"type": "string"}, "snippet": {"type": "string"}, "score": {"type": "number"}}}}}}
        }}
    })
}
