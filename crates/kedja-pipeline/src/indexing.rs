//! The search index kept in step with the store: rebuilt from it, and
//! rebuilt with a new compound lexicon as the archive grows.

use crate::{Archive, Result};

/// The compound lexicon is counted again, and the index rebuilt with it,
/// once the archive holds this many times the documents it was counted
/// from: rebuilding at each such step costs at most a few times the
/// indexing itself, and the lexicon grows with the archive.
const LEXICON_GROWTH: f64 = 1.5;

impl Archive {
    /// Rebuild the search index from the store. Returns the number of
    /// documents indexed; `progress` gets the running count.
    /// The compound lexicon is counted afresh from the stored documents
    /// first.
    pub fn reindex(&mut self, progress: &mut dyn FnMut(u64)) -> Result<u64> {
        let mut lexicon = kedja_compound::Lexicon::new();
        let mut counted = 0u64;
        self.store.for_each_document(|doc| {
            lexicon.add_text(&doc.record.title);
            lexicon.add_text(&doc.text);
            counted += 1;
            Ok(())
        })?;
        self.index.set_lexicon(lexicon, counted)?;
        let mut writer = self.index.writer()?;
        writer.clear()?;
        let mut n = 0u64;
        let mut index_err = None;
        self.store.for_each_document(|doc| {
            if let Err(e) = writer.upsert(&doc) {
                index_err = Some(e);
            }
            n += 1;
            progress(n);
            Ok(())
        })?;
        if let Some(e) = index_err {
            return Err(e.into());
        }
        writer.commit()?;
        Ok(n)
    }

    /// Count the compound lexicon again and rebuild the index with it
    /// when the archive has grown [`LEXICON_GROWTH`] times past the
    /// documents it was counted from. Imports of files do this after each
    /// call; [`Archive::import_batch`] leaves it to its caller (the
    /// crawler calls it once per run), and opening an archive does it too.
    pub fn refresh_lexicon(&mut self) -> Result<()> {
        let stored = self.store.document_count()?;
        self.refresh_lexicon_for(stored)
    }

    /// [`Archive::refresh_lexicon`] for an archive of `stored` documents.
    pub(crate) fn refresh_lexicon_for(&mut self, stored: u64) -> Result<()> {
        if stored as f64 > self.index.lexicon_docs() as f64 * LEXICON_GROWTH {
            self.reindex(&mut |_| {})?;
        }
        Ok(())
    }
}
