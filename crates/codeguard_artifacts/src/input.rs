//! A byte stream with its position: what the readers of this crate read from.

use std::io::{self, BufRead, Read};

/// A buffered stream that counts the bytes taken from it, so every finding can name its
/// offset. Payloads are skipped through the buffer, never collected.
pub struct Input<R> {
    inner: io::BufReader<R>,
    pos: u64,
}

impl<R: Read> Input<R> {
    pub fn new(inner: R) -> Self {
        Self::at(inner, 0)
    }

    /// A stream whose first byte is at `pos` of the file or member it comes from.
    pub fn at(inner: R, pos: u64) -> Self {
        Input {
            inner: io::BufReader::with_capacity(64 * 1024, inner),
            pos,
        }
    }

    pub fn pos(&self) -> u64 {
        self.pos
    }

    /// The next byte, or `None` at the end of the stream.
    pub fn byte(&mut self) -> io::Result<Option<u8>> {
        let b = match self.inner.fill_buf()?.first() {
            Some(b) => *b,
            None => return Ok(None),
        };
        self.inner.consume(1);
        self.pos += 1;
        Ok(Some(b))
    }

    /// The next byte without taking it.
    pub fn peek(&mut self) -> io::Result<Option<u8>> {
        Ok(self.inner.fill_buf()?.first().copied())
    }

    /// Exactly `buf.len()` bytes (`UnexpectedEof` when the stream ends first).
    pub fn exact(&mut self, buf: &mut [u8]) -> io::Result<()> {
        self.inner.read_exact(buf)?;
        self.pos += buf.len() as u64;
        Ok(())
    }

    /// A little-endian unsigned integer of `N` bytes.
    pub fn uint<const N: usize>(&mut self) -> io::Result<u64> {
        let mut buf = [0u8; N];
        self.exact(&mut buf)?;
        Ok(buf
            .iter()
            .rev()
            .fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
    }

    /// Skips `n` bytes; `UnexpectedEof` when fewer are left.
    pub fn skip(&mut self, n: u64) -> io::Result<()> {
        let copied = io::copy(&mut (&mut self.inner).take(n), &mut io::sink())?;
        self.pos += copied;
        if copied < n {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        Ok(())
    }

    /// `n` bytes, keeping at most `keep` of them (the rest is skipped). `None` when more than
    /// `keep` bytes were asked for.
    pub fn bytes_up_to(&mut self, n: u64, keep: usize) -> io::Result<Option<Vec<u8>>> {
        if n > keep as u64 {
            self.skip(n)?;
            return Ok(None);
        }
        let mut buf = vec![0u8; n as usize];
        self.exact(&mut buf)?;
        Ok(Some(buf))
    }

    /// A line ending in `\n` (not included), keeping at most `keep` bytes; `None` when the
    /// line is longer. `UnexpectedEof` when the stream ends before the newline.
    pub fn line(&mut self, keep: usize) -> io::Result<Option<Vec<u8>>> {
        let mut kept = Vec::new();
        let mut too_long = false;
        loop {
            let buf = self.inner.fill_buf()?;
            if buf.is_empty() {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            let (chunk, done) = match buf.iter().position(|b| *b == b'\n') {
                Some(i) => (&buf[..i], Some(i + 1)),
                None => (buf, None),
            };
            if !too_long && kept.len() + chunk.len() <= keep {
                kept.extend_from_slice(chunk);
            } else {
                too_long = true;
                kept.clear();
            }
            let used = done.unwrap_or(buf.len());
            self.inner.consume(used);
            self.pos += used as u64;
            if done.is_some() {
                return Ok((!too_long).then_some(kept));
            }
        }
    }
}
