//! The one error type of the API and its JSON form.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An error answered as `{"error": {"code", "message"}}`.
#[derive(Debug)]
pub enum ApiError {
    BadRequest {
        code: &'static str,
        message: String,
    },
    NotFound {
        message: String,
    },
    /// Another 4xx status.
    Status {
        status: StatusCode,
        code: &'static str,
        message: String,
    },
    /// Detail is logged, never sent.
    Internal {
        detail: String,
    },
}

impl ApiError {
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::BadRequest {
            code,
            message: message.into(),
        }
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::NotFound {
            message: message.into(),
        }
    }

    pub fn status(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::Status {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn internal(detail: impl Into<String>) -> ApiError {
        ApiError::Internal {
            detail: detail.into(),
        }
    }
}

impl From<kedja_pipeline::Error> for ApiError {
    fn from(e: kedja_pipeline::Error) -> ApiError {
        ApiError::internal(e.to_string())
    }
}

impl From<kedja_store::Error> for ApiError {
    fn from(e: kedja_store::Error) -> ApiError {
        ApiError::internal(e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message) = match self {
            ApiError::BadRequest { code, message } => (StatusCode::BAD_REQUEST, code, message),
            ApiError::NotFound { message } => (StatusCode::NOT_FOUND, "not_found", message),
            ApiError::Status {
                status,
                code,
                message,
            } => (status, code, message),
            ApiError::Internal { detail } => {
                tracing::error!(error = %detail, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "internal error; see the server log".to_owned(),
                )
            }
        };
        (
            status,
            axum::Json(json!({ "error": { "code": code, "message": message } })),
        )
            .into_response()
    }
}

/// A handler that panicked: a generic 500 in the same JSON shape.
pub(crate) fn panic_response(_panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::internal("handler panicked").into_response()
}
