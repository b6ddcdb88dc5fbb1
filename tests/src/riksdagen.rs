//! The Riksdagen corpus tarball (`../shared/corpora/riksdagen-interpellations.tar.gz`)
//! as tests, evaluations and benchmarks read it: streamed, never unpacked.

use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result};

/// Call `f` with the file name (no folders) and the bytes of each XML
/// entry of the gzipped tarball at `corpus`, in archive order, until it
/// returns `false`.
pub fn for_each_xml(corpus: &Path, mut f: impl FnMut(&str, &[u8]) -> Result<bool>) -> Result<()> {
    let file =
        std::fs::File::open(corpus).with_context(|| format!("cannot open {}", corpus.display()))?;
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut raw = Vec::new();
    for entry in archive.entries()? {
        let mut entry = entry?;
        let path = entry.path()?.to_string_lossy().into_owned();
        if !path.ends_with(".xml") {
            continue;
        }
        raw.clear();
        entry.read_to_end(&mut raw)?;
        let name = path.rsplit('/').next().unwrap_or(&path);
        if !f(name, &raw)? {
            break;
        }
    }
    Ok(())
}
