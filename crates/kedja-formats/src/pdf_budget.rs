//! A budget for what a PDF's streams decode to, checked before any PDF
//! library sees the file: a 2 MB file can hold a stream that inflates to
//! gigabytes, and the PDF libraries decode a whole stream into memory.
//!
//! Written by hand because no PDF crate bounds decompression: the raw bytes
//! are scanned for `stream … endstream` bodies, and each one is run through
//! the filters its dictionary names, in their order, into a counter, never
//! into memory, until it ends or the budget is spent. The filters counted
//! are the ones `lopdf` (under `pdf-extract`) decodes: `FlateDecode`,
//! `LZWDecode` and `ASCII85Decode`. It decodes no other filter, nor the
//! abbreviations (`/Fl`, `/LZW`) that only inline images may use, and it
//! leaves the data of inline images encoded; a chain stops counting at the
//! first filter it does not know, as `lopdf` stops decoding there.

use std::io::{self, Read};

use flate2::read::DeflateDecoder;
use weezl::{BitOrder, LzwStatus};

/// Most bytes one stream may decode to.
pub(crate) const MAX_STREAM_BYTES: u64 = 128 * 1024 * 1024;
/// Most bytes all the streams of one PDF may decode to.
pub(crate) const MAX_TOTAL_BYTES: u64 = 1024 * 1024 * 1024;
/// Most filters one stream may have.
const MAX_LAYERS: usize = 4;
/// How far before `stream` its dictionary is looked for.
const DICT_WINDOW: usize = 4096;

/// A filter that can make a stream larger than it is in the file.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Filter {
    Flate,
    Lzw { early_change: bool },
    Ascii85,
}

/// Why a PDF is over budget, if it is.
pub(crate) fn over_budget(pdf: &[u8]) -> Option<String> {
    let mut total = 0u64;
    let mut at = 0usize;
    while let Some(found) = find(&pdf[at..], b"stream") {
        let keyword = at + found;
        at = keyword + b"stream".len();
        // `stream` as a keyword: after a dictionary, before an end of line
        // (not the end of `endstream`).
        let body_start = match &pdf[at..] {
            [b'\r', b'\n', ..] => at + 2,
            [b'\n', ..] | [b'\r', ..] => at + 1,
            _ => continue,
        };
        let dict_from = keyword.saturating_sub(DICT_WINDOW);
        let before = &pdf[dict_from..keyword];
        if !before.trim_ascii_end().ends_with(b">>") {
            continue;
        }
        // The dictionary of this stream: from the last `obj` before it.
        let dict = match rfind(before, b"obj") {
            Some(i) => &before[i..],
            None => before,
        };
        let body_end = find(&pdf[body_start..], b"endstream").map_or(pdf.len(), |i| body_start + i);
        let body = &pdf[body_start..body_end];
        at = body_end;
        // Every `/Filter` in the dictionary is counted, so that one hidden
        // in a string cannot stand in for the one a PDF library reads.
        for chain in filter_chains(dict) {
            if chain.len() > MAX_LAYERS {
                return Some(format!(
                    "a stream has {} layers of compression; the limit is {MAX_LAYERS}",
                    chain.len()
                ));
            }
            if chain.is_empty() {
                continue;
            }
            let size = decoded_size(body, &chain, MAX_STREAM_BYTES + 1);
            if size > MAX_STREAM_BYTES {
                return Some(format!(
                    "a stream decodes to more than {} MB (a decompression bomb?)",
                    MAX_STREAM_BYTES / (1024 * 1024)
                ));
            }
            total += size;
            if total > MAX_TOTAL_BYTES {
                return Some(format!(
                    "its streams decode to more than {} MB (a decompression bomb?)",
                    MAX_TOTAL_BYTES / (1024 * 1024)
                ));
            }
        }
    }
    None
}

/// The filter chain of each `/Filter` entry in `dict`, in decoding order,
/// up to the first filter that is not counted.
fn filter_chains(dict: &[u8]) -> Vec<Vec<Filter>> {
    // lopdf reads `EarlyChange` from a `DecodeParms` dictionary; 1 unless
    // it says 0.
    let early_change = !find(dict, b"/EarlyChange").is_some_and(|i| {
        dict[i + b"/EarlyChange".len()..]
            .trim_ascii_start()
            .starts_with(b"0")
    });
    let mut chains = Vec::new();
    let mut at = 0;
    while let Some(i) = find(&dict[at..], b"/Filter") {
        at += i + b"/Filter".len();
        let value = dict[at..].trim_ascii_start();
        let names: &[u8] = match value.first() {
            Some(b'[') => {
                let end = value.iter().position(|&b| b == b']').unwrap_or(value.len());
                &value[1..end]
            }
            Some(b'/') => {
                let end = value[1..]
                    .iter()
                    .position(|&b| is_delimiter(b))
                    .map_or(value.len(), |i| i + 1);
                &value[..end]
            }
            _ => continue,
        };
        let chain = names
            .split(|&b| b == b'/')
            .map(|name| name.trim_ascii())
            .filter(|name| !name.is_empty())
            .map_while(|name| match name {
                b"FlateDecode" => Some(Filter::Flate),
                b"LZWDecode" => Some(Filter::Lzw { early_change }),
                b"ASCII85Decode" => Some(Filter::Ascii85),
                _ => None,
            })
            .collect();
        chains.push(chain);
    }
    chains
}

fn is_delimiter(b: u8) -> bool {
    b.is_ascii_whitespace() || b"/[]<>()%{}".contains(&b)
}

/// How many bytes `body` decodes to through `chain`, counting no further
/// than `limit`. A stream that cannot be decoded to its end counts what
/// came out before the error.
fn decoded_size(body: &[u8], chain: &[Filter], limit: u64) -> u64 {
    let mut reader: Box<dyn Read + '_> = Box::new(body);
    for filter in chain {
        reader = match *filter {
            Filter::Flate => inflate(reader),
            Filter::Lzw { early_change } => Box::new(LzwReader::new(reader, early_change)),
            Filter::Ascii85 => Box::new(Ascii85Reader::new(reader)),
        };
    }
    let mut counted = 0u64;
    let mut buf = [0u8; 64 * 1024];
    while counted < limit {
        match reader.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => counted += n as u64,
        }
    }
    counted
}

/// Inflates as lopdf does: a zlib stream, or, when its header is broken,
/// raw deflate data after the two header bytes. Both are the deflate data
/// after byte 2, so that is what is read (the checksum is not checked).
fn inflate<'a>(mut inner: Box<dyn Read + 'a>) -> Box<dyn Read + 'a> {
    let mut header = [0u8; 2];
    let mut got = 0;
    while got < 2 {
        match inner.read(&mut header[got..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => got += n,
        }
    }
    Box::new(DeflateDecoder::new(inner))
}

/// An LZW decoder (`LZWDecode`, most significant bit first) as a reader.
struct LzwReader<R> {
    inner: R,
    decoder: weezl::decode::Decoder,
    input: Box<[u8]>,
    start: usize,
    end: usize,
    inner_ended: bool,
    ended: bool,
}

impl<R: Read> LzwReader<R> {
    fn new(inner: R, early_change: bool) -> Self {
        let decoder = if early_change {
            weezl::decode::Decoder::with_tiff_size_switch(BitOrder::Msb, 8)
        } else {
            weezl::decode::Decoder::new(BitOrder::Msb, 8)
        };
        LzwReader {
            inner,
            decoder,
            input: vec![0; 16 * 1024].into_boxed_slice(),
            start: 0,
            end: 0,
            inner_ended: false,
            ended: false,
        }
    }
}

impl<R: Read> Read for LzwReader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while !self.ended && !out.is_empty() {
            if self.start == self.end && !self.inner_ended {
                self.start = 0;
                self.end = self.inner.read(&mut self.input)?;
                self.inner_ended = self.end == 0;
            }
            let result = self
                .decoder
                .decode_bytes(&self.input[self.start..self.end], out);
            self.start += result.consumed_in;
            let stuck = result.consumed_in == 0
                && result.consumed_out == 0
                && (self.inner_ended || self.start < self.end);
            match result.status {
                Ok(LzwStatus::Done) | Err(_) => self.ended = true,
                Ok(LzwStatus::Ok | LzwStatus::NoProgress) if stuck => self.ended = true,
                Ok(_) => {}
            }
            if result.consumed_out > 0 {
                return Ok(result.consumed_out);
            }
        }
        Ok(0)
    }
}

/// An `ASCII85Decode` decoder as a reader, read as lopdf reads it: white
/// space skipped, `z` for four zero bytes, the end at the first other byte
/// (`~>` included).
struct Ascii85Reader<R> {
    inner: io::Bytes<io::BufReader<R>>,
    ended: bool,
    group: u32,
    count: usize,
    pending: [u8; 4],
    pending_len: usize,
    /// How much of `pending` has been read.
    pos: usize,
}

impl<R: Read> Ascii85Reader<R> {
    fn new(inner: R) -> Self {
        Ascii85Reader {
            inner: io::BufReader::new(inner).bytes(),
            ended: false,
            group: 0,
            count: 0,
            pending: [0; 4],
            pending_len: 0,
            pos: 0,
        }
    }

    /// Decodes up to the next four bytes into `pending`.
    fn next_group(&mut self) {
        while !self.ended {
            let ch = match self.inner.next() {
                Some(Ok(ch)) => ch,
                _ => b'~',
            };
            if ch.is_ascii_whitespace() {
                continue;
            }
            if ch == b'z' && self.count == 0 {
                self.pending = [0; 4];
                self.pending_len = 4;
                return;
            }
            if !(b'!'..=b'u').contains(&ch) {
                self.ended = true;
                if self.count > 1 {
                    let mut group = Some(self.group);
                    for _ in self.count..5 {
                        group = group.and_then(|g| g.checked_mul(85)?.checked_add(84));
                    }
                    if let Some(group) = group {
                        self.pending = group.to_be_bytes();
                        self.pending_len = self.count - 1;
                    }
                }
                return;
            }
            match self
                .group
                .checked_mul(85)
                .and_then(|g| g.checked_add(u32::from(ch - b'!')))
            {
                Some(group) => self.group = group,
                None => {
                    self.ended = true;
                    return;
                }
            }
            self.count += 1;
            if self.count == 5 {
                self.pending = self.group.to_be_bytes();
                self.pending_len = 4;
                self.group = 0;
                self.count = 0;
                return;
            }
        }
    }
}

impl<R: Read> Read for Ascii85Reader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let mut written = 0;
        while written < out.len() {
            if self.pos == self.pending_len {
                self.pos = 0;
                self.pending_len = 0;
                self.next_group();
                if self.pending_len == 0 {
                    break;
                }
            }
            let n = (self.pending_len - self.pos).min(out.len() - written);
            out[written..written + n].copy_from_slice(&self.pending[self.pos..self.pos + n]);
            self.pos += n;
            written += n;
        }
        Ok(written)
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use flate2::Compression;
    use flate2::write::ZlibEncoder;
    use std::io::Write;

    /// `n` zero bytes through `layers` Flate layers, compressed as they
    /// are written (nothing of size `n` is held).
    pub(crate) fn deflated_zeros(n: u64, layers: usize) -> Vec<u8> {
        let mut data = {
            let mut e = ZlibEncoder::new(Vec::new(), Compression::best());
            let chunk = vec![0u8; 1 << 20];
            let mut left = n;
            while left > 0 {
                let k = left.min(chunk.len() as u64) as usize;
                e.write_all(&chunk[..k]).unwrap();
                left -= k as u64;
            }
            e.finish().unwrap()
        };
        for _ in 1..layers {
            let mut e = ZlibEncoder::new(Vec::new(), Compression::best());
            e.write_all(&data).unwrap();
            data = e.finish().unwrap();
        }
        data
    }

    /// A PDF of one page whose content stream is `body` with `filters`.
    pub(crate) fn pdf_with_stream(body: &[u8], filters: &str) -> Vec<u8> {
        let mut pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n\
3 0 obj << /Type /Page /Parent 2 0 R /Contents 4 0 R /MediaBox [0 0 612 792] >> endobj\n"
            .to_vec();
        pdf.extend(
            format!(
                "4 0 obj << /Length {} /Filter {filters} >>\nstream\n",
                body.len()
            )
            .as_bytes(),
        );
        pdf.extend(body);
        pdf.extend(b"\nendstream\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
        pdf
    }

    #[test]
    fn a_stream_that_inflates_past_the_budget_is_refused() {
        let bomb = deflated_zeros(MAX_STREAM_BYTES + (1 << 20), 1);
        let why = over_budget(&pdf_with_stream(&bomb, "/FlateDecode")).expect("over budget");
        assert!(why.contains("decompression bomb"), "{why}");
        // Two layers: small outside, huge inside.
        let nested = deflated_zeros(MAX_STREAM_BYTES + (1 << 20), 2);
        assert!(nested.len() < 64 * 1024, "{}", nested.len());
        let pdf = pdf_with_stream(&nested, "[/FlateDecode /FlateDecode]");
        assert!(over_budget(&pdf).is_some());
        // Within the budget: fine.
        let fine = deflated_zeros(1 << 20, 1);
        assert_eq!(over_budget(&pdf_with_stream(&fine, "/FlateDecode")), None);
        // Too many layers to be honest.
        let pdf = pdf_with_stream(&fine, &format!("[{}]", "/FlateDecode ".repeat(9)));
        assert!(over_budget(&pdf).is_some());
    }

    /// `n` zero bytes LZW-encoded as `LZWDecode` reads them by default
    /// (early change), encoded as they are read.
    pub(crate) fn lzw_zeros(n: u64) -> Vec<u8> {
        let zeros = std::io::BufReader::with_capacity(1 << 20, std::io::repeat(0).take(n));
        lzw(zeros)
    }

    fn lzw(data: impl std::io::BufRead) -> Vec<u8> {
        let mut out = Vec::new();
        weezl::encode::Encoder::with_tiff_size_switch(BitOrder::Msb, 8)
            .into_stream(&mut out)
            .encode_all(data)
            .status
            .unwrap();
        out
    }

    fn deflate(data: &[u8]) -> Vec<u8> {
        let mut e = ZlibEncoder::new(Vec::new(), Compression::best());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn ascii85(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        for group in data.chunks(4) {
            let mut word = [0u8; 4];
            word[..group.len()].copy_from_slice(group);
            let mut n = u32::from_be_bytes(word);
            if n == 0 && group.len() == 4 {
                out.push(b'z');
                continue;
            }
            let mut digits = [0u8; 5];
            for d in digits.iter_mut().rev() {
                *d = b'!' + (n % 85) as u8;
                n /= 85;
            }
            out.extend(&digits[..group.len() + 1]);
        }
        out.extend(b"~>");
        out
    }

    #[test]
    fn an_lzw_stream_that_decodes_past_the_budget_is_refused() {
        let bomb = lzw_zeros(MAX_STREAM_BYTES + (1 << 20));
        assert!(bomb.len() < 512 * 1024, "{}", bomb.len());
        for filters in ["/LZWDecode", "[/LZWDecode]", "[ /LZWDecode ]"] {
            let why = over_budget(&pdf_with_stream(&bomb, filters)).expect(filters);
            assert!(why.contains("decompression bomb"), "{filters}: {why}");
        }
        // Chained: Flate outside, LZW inside (decoded in that order), and
        // LZW inside ASCII85 text.
        let chained = pdf_with_stream(&deflate(&bomb), "[/FlateDecode /LZWDecode]");
        assert!(over_budget(&chained).is_some());
        let chained = pdf_with_stream(&ascii85(&bomb), "[/ASCII85Decode /LZWDecode]");
        assert!(over_budget(&chained).is_some());
        // Within the budget: fine.
        let fine = lzw_zeros(1 << 20);
        assert_eq!(over_budget(&pdf_with_stream(&fine, "/LZWDecode")), None);
    }

    #[test]
    fn each_filter_of_a_chain_counts_what_it_decodes_to() {
        let text = "Kommunfullmäktige beslutar att anta budgeten för år 2027. ".repeat(500);
        let data = text.as_bytes();
        let n = data.len() as u64;
        let cases: [(Vec<u8>, &[u8]); 6] = [
            (deflate(data), b"/Filter /FlateDecode"),
            (lzw(data), b"/Filter /LZWDecode"),
            (ascii85(data), b"/Filter /ASCII85Decode"),
            (deflate(&lzw(data)), b"/Filter [/FlateDecode /LZWDecode]"),
            (lzw(&deflate(data)[..]), b"/Filter[/LZWDecode/FlateDecode]"),
            (
                ascii85(&deflate(data)),
                b"/Filter [/ASCII85Decode /FlateDecode]",
            ),
        ];
        for (body, dict) in cases {
            let chains = filter_chains(dict);
            assert_eq!(chains.len(), 1, "{}", String::from_utf8_lossy(dict));
            let size = decoded_size(&body, &chains[0], u64::MAX);
            assert_eq!(size, n, "{}", String::from_utf8_lossy(dict));
        }
        // lopdf stops at a filter it does not decode; so does the count.
        let chains = filter_chains(b"/Filter [/FlateDecode /ASCIIHexDecode /LZWDecode]");
        assert_eq!(chains, [vec![Filter::Flate]]);
        let chains = filter_chains(b"/DecodeParms << /EarlyChange 0 >> /Filter /LZWDecode");
        assert_eq!(
            chains,
            [vec![Filter::Lzw {
                early_change: false
            }]]
        );
    }

    #[test]
    fn a_bomb_behind_a_broken_zlib_header_or_a_decoy_filter_is_refused() {
        // lopdf inflates the raw deflate data after a broken zlib header.
        let mut bomb = deflated_zeros(MAX_STREAM_BYTES + (1 << 20), 1);
        bomb[0] = b'x';
        bomb[1] = b'x';
        assert!(over_budget(&pdf_with_stream(&bomb, "/FlateDecode")).is_some());
        // A `/Filter` in a string, or the key given twice: whichever a PDF
        // library reads, the bomb is counted.
        let bomb = lzw_zeros(MAX_STREAM_BYTES + (1 << 20));
        let pdf = pdf_with_stream(&bomb, "/LZWDecode /Note (/Filter /ASCIIHexDecode)");
        assert!(over_budget(&pdf).is_some());
        let pdf = pdf_with_stream(&bomb, "/ASCIIHexDecode /Filter /LZWDecode");
        assert!(over_budget(&pdf).is_some());
    }
}
