//! Import: files, folders and bytes through decoding, cleaning and
//! understanding into the store and the index, each accounted for in the
//! report; a whole protocol also as one document per §.

use std::path::{Path, PathBuf};

use kedja_extract::Hints;
use kedja_model::{DocId, Document};
use kedja_store::{NewDocument, SaveOutcome, Store};

use crate::{Archive, Error, Result, external, ocr, walk};

/// Files larger than this are rejected rather than read.
pub const MAX_FILE_BYTES: u64 = 100 * 1024 * 1024;

/// Index changes are committed at least this often during a long import.
const COMMIT_EVERY: usize = 2000;

/// Options for an import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The municipality of every imported document, when the caller knows it.
    pub municipality: Option<String>,
    /// Limits on decoding a file (the time a PDF may take).
    pub decode: kedja_formats::DecodeOptions,
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Imported {
        id: DocId,
        kind: kedja_model::DocKind,
        title: String,
    },
    NewVersion {
        id: DocId,
        version: u32,
    },
    Unchanged {
        id: DocId,
    },
    Rejected {
        reason: String,
    },
}

/// Which of the four outcomes a file had, without its details.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutcomeKind {
    Imported,
    NewVersion,
    Unchanged,
    Rejected,
}

impl Outcome {
    pub fn kind(&self) -> OutcomeKind {
        match self {
            Outcome::Imported { .. } => OutcomeKind::Imported,
            Outcome::NewVersion { .. } => OutcomeKind::NewVersion,
            Outcome::Unchanged { .. } => OutcomeKind::Unchanged,
            Outcome::Rejected { .. } => OutcomeKind::Rejected,
        }
    }
}

/// One file's line in the report.
#[derive(Debug, Clone, PartialEq)]
pub struct FileReport {
    pub source: String,
    pub outcome: Outcome,
}

/// The whole batch.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportReport {
    pub files: Vec<FileReport>,
}

impl ImportReport {
    /// The files that had this outcome.
    pub fn count(&self, kind: OutcomeKind) -> usize {
        self.files
            .iter()
            .filter(|f| f.outcome.kind() == kind)
            .count()
    }
}

/// The kind of political document `bytes` hold, or `None` when they cannot
/// be read or hold no recognisable kind (a listing or navigation page).
/// The crawler asks before importing an HTML page.
pub fn document_kind(bytes: &[u8]) -> Option<kedja_model::DocKind> {
    let decoded = kedja_formats::decode(bytes).ok()?;
    let text = kedja_extract::clean_text(&decoded.text);
    let hints = Hints {
        kind: decoded.meta.kind,
        ..Hints::default()
    };
    let kind = kedja_extract::understand(&text, &hints).record.kind;
    (kind != kedja_model::DocKind::Other).then_some(kind)
}

/// Decode, clean, understand and save one document; a whole meeting
/// protocol also saves each of its §§ as a document of its own (see
/// [`section_source`]). Returns the documents to index: those new or
/// changed. Only store failures are errors; a file that cannot be
/// understood is a rejection.
fn import_one(
    store: &mut Store,
    source: &str,
    bytes: &[u8],
    opts: &ImportOptions,
) -> Result<(Outcome, Vec<Document>)> {
    let decoded = match decode(bytes, &opts.decode) {
        Ok(d) => d,
        Err(reason) => return Ok((Outcome::Rejected { reason }, Vec::new())),
    };
    let text = kedja_extract::clean_text(&decoded.decoded.text);
    if text.trim().is_empty() {
        return Ok((
            Outcome::Rejected {
                reason: "no text left after cleaning".into(),
            },
            Vec::new(),
        ));
    }
    let meta = decoded.decoded.meta.clone();
    let hints = Hints {
        title: meta.title,
        kind: meta.kind,
        date: meta.date,
        municipality: opts
            .municipality
            .clone()
            .or(meta.municipality)
            .or_else(|| kedja_extract::detect_municipality(&decoded.decoded.text)),
        authors: meta.authors,
        addressee: match (meta.addressee_role, meta.addressee) {
            (Some(role), Some(p)) => Some(format!(
                "{role} {}{}",
                p.name,
                p.party.map(|x| format!(" ({x})")).unwrap_or_default()
            )),
            (None, Some(p)) => Some(p.name),
            (role, None) => role,
        },
        questions: meta.questions,
        doc_number: meta.doc_number,
        body: None,
        headline: meta.headline,
        name_date: kedja_extract::date_in_file_name(source),
    };
    let mut understanding = kedja_extract::understand(&text, &hints);
    understanding.record.text_confidence = decoded.confidence;
    if let Some(note) = &decoded.note {
        understanding.record.problems.push(note.clone());
    }
    let format = decoded.decoded.format;
    let extractor = decoded.decoded.extractor;
    let outcome = store.save(&NewDocument {
        source,
        format,
        extractor,
        raw: bytes,
        text: &text,
        record: &understanding.record,
        references: &understanding.references,
    })?;
    let mut docs = Vec::new();
    let outcome = match outcome {
        SaveOutcome::Unchanged { id } => return Ok((Outcome::Unchanged { id }, docs)),
        SaveOutcome::Imported { id } => {
            docs.extend(store.get(&id)?);
            Outcome::Imported {
                id,
                kind: understanding.record.kind,
                title: understanding.record.title.clone(),
            }
        }
        SaveOutcome::NewVersion { id, version } => {
            docs.extend(store.get(&id)?);
            Outcome::NewVersion { id, version }
        }
    };
    // A whole protocol: each § a decision of its own, part of the protocol.
    if let Some(minutes) = understanding
        .minutes
        .as_ref()
        .filter(|m| m.whole && understanding.record.kind == kedja_model::DocKind::Protocol)
    {
        let parent = DocId::for_source(source);
        let pages = section_pages(&decoded.decoded.text, minutes);
        let section_hints = Hints {
            municipality: understanding.record.municipality.clone(),
            ..Hints::default()
        };
        for (i, section) in minutes.sections.iter().enumerate() {
            let (section_text, mut u) =
                kedja_extract::understand_section(&text, minutes, section, &section_hints);
            u.record.part_of = Some(parent.clone());
            u.record.pages = pages.get(i).copied().flatten();
            u.record.text_confidence = decoded.confidence;
            let child_source = section_source(source, section.number);
            let saved = store.save(&NewDocument {
                source: &child_source,
                format,
                extractor,
                raw: section_text.as_bytes(),
                text: &section_text,
                record: &u.record,
                references: &u.references,
            })?;
            match saved {
                SaveOutcome::Unchanged { .. } => {}
                SaveOutcome::Imported { id } | SaveOutcome::NewVersion { id, .. } => {
                    docs.extend(store.get(&id)?);
                }
            }
        }
    }
    Ok((outcome, docs))
}

/// The source key of a protocol's §: the protocol's own, with the § after
/// a `#`, so a new version of the protocol updates its §§ in place.
pub fn section_source(protocol_source: &str, number: u32) -> String {
    format!("{protocol_source}#§{number}")
}

/// For each section of `minutes`, the pages (from 1) of the decoded text
/// (pages end at form feeds) on which it stands: from the page of its
/// heading to the page before the next section's heading, or that page
/// when text of this section stands above the next heading there.
fn section_pages(raw: &str, minutes: &kedja_extract::Minutes) -> Vec<Option<(u32, u32)>> {
    if !raw.contains('\u{c}') {
        return vec![None; minutes.sections.len()];
    }
    let pages: Vec<&str> = raw.split('\u{c}').collect();
    // The page of each section's heading, found in order: "§ N" at a
    // line's start followed by its title's first word.
    let mut starts: Vec<Option<usize>> = Vec::with_capacity(minutes.sections.len());
    let mut from = 0usize;
    for s in &minutes.sections {
        let first_word = s.title.split_whitespace().next().unwrap_or("");
        // A heading that carries its title on its own line is found with
        // it, unless another heading follows it (a table of contents); one
        // with the title below, by the line below (a table of contents
        // lists such §§ with their titles on one line).
        let found = (from..pages.len()).find(|&p| {
            let lines: Vec<&str> = pages[p]
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect();
            lines.iter().enumerate().any(|(i, l)| {
                kedja_extract::section_heading_number(l) == Some(s.number)
                    && if s.title_on_heading {
                        l.contains(s.title.as_str())
                            && lines
                                .get(i + 1)
                                .is_none_or(|n| kedja_extract::section_heading_number(n).is_none())
                    } else {
                        lines.get(i + 1).is_some_and(|n| n.starts_with(first_word))
                    }
            })
        });
        if let Some(p) = found {
            from = p;
        }
        starts.push(found);
    }
    let last_page = pages.len().saturating_sub(1);
    (0..starts.len())
        .map(|i| {
            let start = starts[i]?;
            let end = match starts.get(i + 1).copied().flatten() {
                Some(next) if next > start => {
                    if text_above_heading(pages[next], minutes.sections[i + 1].number) {
                        next
                    } else {
                        next - 1
                    }
                }
                Some(_) => start,
                None => last_page,
            };
            Some((start as u32 + 1, end.max(start) as u32 + 1))
        })
        .collect()
}

/// Whether a page holds running text above the heading of § `number`
/// (more than the page's letterhead: a few short lines).
fn text_above_heading(page: &str, number: u32) -> bool {
    let mut above = 0usize;
    for line in page.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if kedja_extract::section_heading_number(line) == Some(number) {
            break;
        }
        if line.chars().count() > 40 {
            above += 1;
        }
    }
    above >= 2
}

/// What decoding a file gave: the text, with the confidence of text
/// recognition when the text was recognised from images.
struct DecodedFile {
    decoded: kedja_formats::Decoded,
    confidence: Option<f32>,
    note: Option<String>,
}

/// Decode `bytes`: the format's own decoder; for a PDF, poppler's
/// `pdftotext` when the pure-Rust reader fails or reads garbage; for a PDF
/// without a text layer, text recognition when it is installed. The error
/// is the reason to report.
fn decode(
    bytes: &[u8],
    opts: &kedja_formats::DecodeOptions,
) -> std::result::Result<DecodedFile, String> {
    let plain = |decoded| DecodedFile {
        decoded,
        confidence: None,
        note: None,
    };
    // A PDF's text as poppler reads it, with nothing of the file's own
    // metadata.
    let poppler = |text| kedja_formats::Decoded {
        format: kedja_model::Format::Pdf,
        extractor: "pdftotext",
        text,
        meta: kedja_formats::SourceMeta::default(),
    };
    match kedja_formats::decode_with(bytes, opts) {
        // Garbage from the pure-Rust extractor: poppler may do better.
        Ok(d)
            if d.format == kedja_model::Format::Pdf
                && kedja_formats::garbled(&d.text).is_some() =>
        {
            Ok(plain(match external::pdftotext(bytes) {
                // The headline came from the garbled reading too.
                Some(text) if kedja_formats::garbled(&text).is_none() => kedja_formats::Decoded {
                    extractor: "pdftotext",
                    text,
                    meta: kedja_formats::SourceMeta {
                        headline: None,
                        ..d.meta
                    },
                    ..d
                },
                _ => d,
            }))
        }
        Ok(d) => Ok(plain(d)),
        Err(kedja_formats::FormatError::PdfNoText) => match ocr::recognise(bytes) {
            Ok(r) => Ok(DecodedFile {
                decoded: kedja_formats::Decoded {
                    format: kedja_model::Format::Pdf,
                    extractor: "tesseract",
                    text: kedja_formats::mend_recognised(&r.text),
                    meta: kedja_formats::SourceMeta::default(),
                },
                confidence: Some(r.confidence),
                note: r.truncated.then(|| {
                    format!(
                        "scanned pdf: only the first {} pages were recognised",
                        r.pages
                    )
                }),
            }),
            Err(ocr::OcrError::Unavailable(why)) => {
                Err(format!("{}; {why}", kedja_formats::FormatError::PdfNoText))
            }
            // A page of pictures with a caption ("Bilaga" over a
            // photograph): when recognition finds no more, the few words
            // the text layer has are the document's.
            Err(ocr::OcrError::Failed(why)) => {
                match external::pdftotext(bytes).filter(|t| t.chars().any(char::is_alphabetic)) {
                    Some(text) => Ok(DecodedFile {
                        decoded: poppler(text),
                        confidence: None,
                        note: Some(format!(
                            "pdf is mostly pictures: only its few words of text were read ({why})"
                        )),
                    }),
                    None => Err(format!(
                        "pdf has no text layer and text recognition failed: {why}"
                    )),
                }
            }
        },
        Err(e) => {
            // A PDF the pure-Rust reader cannot open (a damaged
            // cross-reference table, say) may still open in poppler.
            let rescued = bytes
                .starts_with(b"%PDF")
                .then(|| external::pdftotext(bytes))
                .flatten();
            match rescued {
                Some(text) => Ok(plain(poppler(text))),
                None => Err(e.to_string()),
            }
        }
    }
}

/// The source key of a file: its path as given, with `./` and backslashes
/// normalised, so the same file keeps the same id across imports.
pub fn source_key(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    let mut s = s.as_str();
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    s.to_owned()
}

impl Archive {
    /// Import files and directories (recursively, in name order).
    /// `progress` is called after each file.
    pub fn import_paths(
        &mut self,
        paths: &[PathBuf],
        opts: &ImportOptions,
        progress: &mut dyn FnMut(&FileReport),
    ) -> Result<ImportReport> {
        let mut files = Vec::new();
        let mut report = ImportReport::default();
        for p in paths {
            match walk::files(p) {
                Ok(found) => files.extend(found.into_iter().map(|f| (f, p))),
                Err(e) => {
                    let r = FileReport {
                        source: source_key(p),
                        outcome: Outcome::Rejected { reason: e },
                    };
                    progress(&r);
                    report.files.push(r);
                }
            }
        }
        let mut writer = self.index.writer()?;
        let mut pending = 0usize;
        let mut changed = false;
        for (path, root) in files {
            let source = source_key(&path);
            let outcome = match walk::read_file(&path, root, MAX_FILE_BYTES) {
                Ok(bytes) => {
                    let (outcome, docs) = import_one(&mut self.store, &source, &bytes, opts)?;
                    for doc in docs {
                        writer.upsert(&doc)?;
                        changed = true;
                        pending += 1;
                    }
                    outcome
                }
                Err(reason) => Outcome::Rejected { reason },
            };
            if pending >= COMMIT_EVERY {
                writer.commit()?;
                writer = self.index.writer()?;
                pending = 0;
            }
            let r = FileReport { source, outcome };
            progress(&r);
            report.files.push(r);
        }
        writer.commit()?;
        if changed {
            self.link_imported()?;
            self.track_pending()?;
            self.refresh_lexicon()?;
        }
        Ok(report)
    }

    /// Import a corpus laid out one folder per municipality (as the demo
    /// corpus is): the folder name is the municipality of every document in
    /// it. Files directly in `dir` are imported without a municipality.
    pub fn import_municipality_folders(
        &mut self,
        dir: &Path,
        progress: &mut dyn FnMut(&FileReport),
    ) -> Result<ImportReport> {
        let entries = std::fs::read_dir(dir).map_err(|error| Error::DataDir {
            path: dir.to_owned(),
            error,
        })?;
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        let mut all = ImportReport::default();
        for path in paths {
            let municipality = path
                .is_dir()
                .then(|| path.file_name().map(|n| n.to_string_lossy().into_owned()))
                .flatten();
            let report = self.import_paths(
                std::slice::from_ref(&path),
                &ImportOptions {
                    municipality,
                    ..Default::default()
                },
                progress,
            )?;
            all.files.extend(report.files);
        }
        Ok(all)
    }

    /// Import documents from bytes (HTTP response bodies, say) in one
    /// batch: one index commit and one relinking for all of them; the
    /// compound lexicon is not refreshed (see [`Archive::refresh_lexicon`])
    /// and commitments are not tracked (see [`Archive::track_pending`]). Each
    /// gets its outcome, in order; a document that cannot be read is a
    /// rejection, not an error.
    pub fn import_batch(
        &mut self,
        items: &[(String, Vec<u8>)],
        opts: &ImportOptions,
    ) -> Result<Vec<Outcome>> {
        self.import_batch_each(
            items
                .iter()
                .map(|(source, bytes)| (source.as_str(), bytes.as_slice(), opts)),
        )
    }

    /// [`Archive::import_batch`] with options for each document: the
    /// crawler imports the documents of several sources (municipalities)
    /// in one batch.
    pub fn import_batch_each<'a>(
        &mut self,
        items: impl IntoIterator<Item = (&'a str, &'a [u8], &'a ImportOptions)>,
    ) -> Result<Vec<Outcome>> {
        let mut writer = self.index.writer()?;
        let mut changed = false;
        let mut out = Vec::new();
        for (source, bytes, opts) in items {
            let (outcome, docs) = import_one(&mut self.store, source, bytes, opts)?;
            for doc in docs {
                writer.upsert(&doc)?;
                changed = true;
            }
            out.push(outcome);
        }
        writer.commit()?;
        if changed {
            self.link_imported()?;
        }
        Ok(out)
    }

    /// Import one document from bytes (a file or an HTTP response body) and
    /// make it searchable at once.
    pub fn import_bytes(
        &mut self,
        source: &str,
        bytes: &[u8],
        opts: &ImportOptions,
    ) -> Result<Outcome> {
        let (outcome, docs) = import_one(&mut self.store, source, bytes, opts)?;
        if !docs.is_empty() {
            let mut w = self.index.writer()?;
            for doc in &docs {
                w.upsert(doc)?;
            }
            w.commit()?;
            self.link_imported()?;
            self.track_pending()?;
            self.refresh_lexicon()?;
        }
        Ok(outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::section_pages;

    #[test]
    fn a_section_s_pages_are_found_in_either_form_of_heading_not_in_the_contents() {
        // Page 1 lists the §§ with their titles on one line; the §§ follow
        // with their titles below (pages 2 and 3), or on the heading line.
        for (contents, first, second) in [
            (
                "\u{a7} 4  Budget\n\u{a7} 5  Taxor\n",
                "\u{a7} 4\nBudget\nBeslut\n",
                "\u{a7} 5\nTaxor\nBeslut\n",
            ),
            (
                "\u{a7} 4 Budget\n\u{a7} 5 Taxor\n",
                "Protokoll\n\n\u{a7} 4  Budget\n\nBeslut\n",
                "\u{a7} 5  Taxor\n\nBeslut\n",
            ),
        ] {
            let raw = format!("Protokoll 2030-01-01\n{contents}\u{c}{first}\u{c}{second}");
            let text = raw.replace('\u{c}', "\n\n");
            let minutes = kedja_extract::read_minutes(&text).expect("minutes");
            assert_eq!(minutes.sections.len(), 2, "{text}");
            assert_eq!(
                section_pages(&raw, &minutes),
                vec![Some((2, 2)), Some((3, 3))],
                "{text}"
            );
        }
    }
}
