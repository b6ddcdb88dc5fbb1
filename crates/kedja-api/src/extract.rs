//! Request extractors whose failures are JSON errors like every other
//! error of the API (axum's own answer in plain text).

use std::collections::HashMap;

use axum::extract::{FromRequestParts, Path, Query};
use axum::http::request::Parts;
use kedja_model::DocId;

use crate::ApiError;
use crate::wire;

/// The query string as name-value pairs.
#[derive(Debug)]
pub(crate) struct Params(pub HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Params, ApiError> {
        match Query::<HashMap<String, String>>::from_request_parts(parts, state).await {
            Ok(Query(params)) => Ok(Params(params)),
            Err(e) => Err(ApiError::bad_request(
                "bad_query_string",
                format!("the query string cannot be read: {}", e.body_text()),
            )),
        }
    }
}

/// The document id of a `/api/documents/{id}…` route.
#[derive(Debug)]
pub(crate) struct IdPath(pub DocId);

impl<S: Send + Sync> FromRequestParts<S> for IdPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<IdPath, ApiError> {
        let id = match Path::<String>::from_request_parts(parts, state).await {
            Ok(Path(id)) => id,
            Err(e) => {
                return Err(ApiError::bad_request(
                    "bad_id",
                    format!("the document id cannot be read: {}", e.body_text()),
                ));
            }
        };
        if wire::valid_id(&id) {
            Ok(IdPath(DocId(id)))
        } else {
            let shown: String = id.chars().take(40).collect();
            Err(ApiError::bad_request(
                "bad_id",
                format!("{shown:?} is not a document id (d followed by 16 hex digits)"),
            ))
        }
    }
}
