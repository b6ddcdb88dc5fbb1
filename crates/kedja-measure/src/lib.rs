//! Kedja's measurements, apart from the product: typed gold files with
//! one rule for their development and test halves ([`gold`]), one
//! precision, recall and F1 ([`score`]), the scoring of links and
//! commitments ([`links`], [`commitments`]), and the commands of the
//! `kedja-measure` binary (`eval_*`, `bench_*`), which print their figures.

pub mod bench;
pub mod bench_crawl;
pub mod bench_search;
pub mod bench_serve;
pub mod commitments;
pub mod eval_commitments;
pub mod eval_documents;
pub mod eval_extract;
pub mod eval_links;
pub mod gold;
pub mod links;
pub mod score;

pub use commitments::{
    CommitmentEvaluation, HalfEvaluation, evaluate_commitments, evaluate_commitments_by_half,
};
pub use links::{LinkEvaluation, evaluate_links};
