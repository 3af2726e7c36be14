//! Model artifacts as they are stored: what a pickle inside a PyTorch checkpoint, a joblib
//! file or a NumPy object array would import and call when loaded, and whether a safetensors
//! header is what it claims. Nothing is unpickled, imported or executed; files are read as
//! streams (archive members too), never whole, so a checkpoint of any size costs the same
//! small memory.
//!
//! A crate of its own because it is a different kind of reader from the rest of codeguard:
//! binary formats instead of source text, no grammar and no rule. The engine turns its
//! findings into diagnostics of the rules that ask for them (`artifact:` in a rule file), and
//! every front end (CLI, MCP server, hooks) gets them through the engine's walk.

use std::fs::File;
use std::io::{self, Read, Seek};
use std::path::Path;

mod gguf;
mod input;
mod keras;
pub mod pickle;
pub mod policy;
mod safetensors;

pub use input::Input;
use pickle::{PickleReport, ProblemKind, read_pickle};
use policy::{Verdict, judge};

/// The kinds of model file codeguard reads, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `.pt`, `.pth`, `.ckpt`, `.bin`: a PyTorch zip archive, or a legacy PyTorch file
    /// (a sequence of raw pickles followed by tensor data).
    Torch,
    /// `.pkl`, `.pickle`, `.joblib`, `.dill`: pickles (joblib's zlib and gzip compression is
    /// read through).
    Pickle,
    /// `.npy`: a NumPy array; one of objects holds a pickle after its header.
    Npy,
    /// `.npz`: a zip archive of `.npy` members.
    Npz,
    /// `.safetensors`: a JSON header and raw tensor bytes.
    Safetensors,
    /// `.keras`: a Keras 3 zip archive whose `config.json` names every layer's class.
    Keras,
    /// `.gguf`: llama.cpp models; the metadata holds the chat template loaders render.
    Gguf,
}

impl Format {
    /// Extensions and the format each names.
    pub const EXTENSIONS: [(&'static str, Format); 13] = [
        ("pt", Format::Torch),
        ("pth", Format::Torch),
        ("ckpt", Format::Torch),
        ("bin", Format::Torch),
        ("pkl", Format::Pickle),
        ("pickle", Format::Pickle),
        ("joblib", Format::Pickle),
        ("dill", Format::Pickle),
        ("npy", Format::Npy),
        ("npz", Format::Npz),
        ("safetensors", Format::Safetensors),
        ("keras", Format::Keras),
        ("gguf", Format::Gguf),
    ];

    /// The format of `path`, from its extension.
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?;
        Format::EXTENSIONS
            .iter()
            .find(|(e, _)| e.eq_ignore_ascii_case(ext))
            .map(|(_, f)| *f)
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Torch => "PyTorch checkpoint",
            Format::Pickle => "pickle",
            Format::Npy => "NumPy array",
            Format::Npz => "NumPy archive",
            Format::Safetensors => "safetensors file",
            Format::Keras => "Keras archive",
            Format::Gguf => "GGUF model",
        }
    }
}

/// What a finding is about; each is reported under its own rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// The pickle imports a global that runs code, commands, files or network.
    DangerousImport,
    /// The pickle imports a global that plain weights do not need, or one that cannot be told.
    UnknownImport,
    /// The file is malformed or truncated, or could not be read to the end: what it would do
    /// when loaded is not fully known.
    Unreadable,
}

impl Category {
    /// The name a rule file uses for the check (`artifact: dangerous-import`).
    pub fn check_name(self) -> &'static str {
        match self {
            Category::DangerousImport => "dangerous-import",
            Category::UnknownImport => "unknown-import",
            Category::Unreadable => "unreadable",
        }
    }
}

/// One thing found in a model file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub category: Category,
    /// The archive member (`archive/data.pkl`), when the file is an archive.
    pub member: Option<String>,
    /// Byte offset in the member's uncompressed bytes, or in the file.
    pub offset: u64,
    /// The imported global (`os.system`), for import findings.
    pub global: Option<String>,
    /// What was found, for a person.
    pub message: String,
}

/// The result of reading one model file.
#[derive(Debug)]
pub struct Inspection {
    pub format: Format,
    pub findings: Vec<Finding>,
    /// Pickles read (in the file and its members).
    pub pickles: usize,
    /// Distinct globals imported, over all pickles.
    pub imports: usize,
}

/// Reads the model file at `path`; `None` when its extension is not a model format.
pub fn inspect_path(path: &Path) -> Option<Inspection> {
    Format::of(path)?;
    let opened = File::open(path).and_then(|file| Ok((file.metadata()?.len(), file)));
    match opened {
        Ok((size, file)) => inspect_reader(path, file, size),
        Err(e) => Some(Inspection {
            format: Format::of(path)?,
            findings: vec![unreadable(None, 0, format!("cannot read the file: {e}"))],
            pickles: 0,
            imports: 0,
        }),
    }
}

/// Reads a model file of `size` bytes from `reader`; `name` gives its format by extension.
/// `None` when the extension is not a model format.
pub fn inspect_reader<R: Read + Seek>(name: &Path, mut reader: R, size: u64) -> Option<Inspection> {
    let format = Format::of(name)?;
    let mut inspection = Inspection {
        format,
        findings: Vec::new(),
        pickles: 0,
        imports: 0,
    };
    // `.bin` names many binary files besides PyTorch weights: one that is neither a zip nor a
    // pickle is not reported.
    let generic = name
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("bin"));
    if let Err(e) = read_file(format, generic, &mut reader, size, &mut inspection) {
        inspection
            .findings
            .push(unreadable(None, 0, format!("cannot read the file: {e}")));
    }
    Some(inspection)
}

fn unreadable(member: Option<&str>, offset: u64, message: impl Into<String>) -> Finding {
    Finding {
        category: Category::Unreadable,
        member: member.map(str::to_string),
        offset,
        global: None,
        message: message.into(),
    }
}

const ZIP_MAGIC: &[u8; 4] = b"PK\x03\x04";
/// The first pickle of a legacy (pre-1.6, non-zip) PyTorch file holds this number.
const TORCH_LEGACY_MAGIC: u128 = 0x1950a86a20f9469cfc6c;

fn read_file<R: Read + Seek>(
    format: Format,
    generic: bool,
    file: &mut R,
    size: u64,
    out: &mut Inspection,
) -> io::Result<()> {
    let mut head = [0u8; 8];
    let n = read_up_to(file, &mut head)?;
    let head = &head[..n];
    file.rewind()?;
    match format {
        Format::Safetensors => {
            safetensors::check(file, size, out)?;
            // A pickle named `.safetensors` is read as the pickle it is: a loader that goes by
            // content (`torch.load`) would unpickle it.
            if head.first() == Some(&0x80) {
                file.rewind()?;
                read_pickles(&mut Input::new(file), None, false, out);
            }
            Ok(())
        }
        Format::Gguf => {
            gguf::check(file, out);
            Ok(())
        }
        _ if head.starts_with(ZIP_MAGIC) => read_zip(format, generic, file, out),
        Format::Npz | Format::Keras => {
            out.findings.push(unreadable(
                None,
                0,
                format!("not a zip archive, which every {} is", format.name()),
            ));
            Ok(())
        }
        Format::Npy => read_npy(Input::new(file), None, out),
        // A `.bin` that is neither a zip nor a pickle (`PROTO 2..5`, as PyTorch writes) is some
        // other binary file.
        Format::Torch if generic && !matches!(head, [0x80, 2..=5, ..]) => Ok(()),
        Format::Torch if !head.starts_with(&[0x80]) && !looks_like_protocol_0(head) => {
            out.findings.push(unreadable(
                None,
                0,
                "neither a PyTorch zip archive nor a pickle",
            ));
            Ok(())
        }
        Format::Torch => {
            read_pickles(&mut Input::new(file), None, true, out);
            Ok(())
        }
        Format::Pickle => read_compressed_or_raw(file, head, size, out),
    }
}

fn looks_like_protocol_0(head: &[u8]) -> bool {
    matches!(head.first(), Some(b'c' | b'(' | b'}' | b']' | b'l' | b'd'))
}

fn read_up_to(file: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// joblib compresses with zlib (`x`), gzip (`\x1f\x8b`), bz2, xz, lzma or lz4; the first two
/// are read through, the others reported as not inspected.
fn read_compressed_or_raw<R: Read>(
    file: &mut R,
    head: &[u8],
    size: u64,
    out: &mut Inspection,
) -> io::Result<()> {
    if head.starts_with(b"\x1f\x8b") {
        let decoder = flate2::read::GzDecoder::new(io::BufReader::new(file));
        read_inflated(decoder, None, inflate_limit(size), out);
    } else if head.first() == Some(&b'x') && head.len() >= 2 && is_zlib_header(head[0], head[1]) {
        let decoder = flate2::read::ZlibDecoder::new(io::BufReader::new(file));
        read_inflated(decoder, None, inflate_limit(size), out);
    } else if let Some(kind) = [
        (&b"BZh"[..], "bz2"),
        (&b"\xfd7zXZ"[..], "xz"),
        (&b"\x5d\x00\x00"[..], "lzma"),
        (&b"\x04\x22\x4d\x18"[..], "lz4"),
    ]
    .iter()
    .find(|(magic, _)| head.starts_with(magic))
    .map(|(_, kind)| kind)
    {
        out.findings.push(unreadable(
            None,
            0,
            format!("compressed with {kind}, which codeguard does not read: its imports were not inspected"),
        ));
    } else {
        read_pickles(&mut Input::new(file), None, false, out);
    }
    Ok(())
}

/// Most bytes read from a compressed stream of `compressed` bytes: real pickles compress a few
/// times at most, a decompression bomb a thousand times.
fn inflate_limit(compressed: u64) -> u64 {
    compressed.saturating_mul(MAX_RATIO).max(MIN_INFLATE_LIMIT)
}
const MAX_RATIO: u64 = 256;
const MIN_INFLATE_LIMIT: u64 = 256 << 20;

/// Reads the pickles of a decompressed stream, at most `limit` bytes of it.
fn read_inflated<R: Read>(stream: R, member: Option<&str>, limit: u64, out: &mut Inspection) {
    let mut input = Input::new(stream.take(limit));
    read_pickles(&mut input, member, false, out);
    if input.pos() >= limit {
        out.findings.push(unreadable(
            member,
            limit,
            format!(
                "decompresses to more than {limit} bytes: reading stopped there (a decompression bomb?)"
            ),
        ));
    }
}

fn is_zlib_header(cmf: u8, flg: u8) -> bool {
    cmf & 0x0f == 8 && (u16::from(cmf) << 8 | u16::from(flg)) % 31 == 0
}

/// Reads the pickles of one stream in sequence (a legacy PyTorch file holds five, then raw
/// tensor bytes; a pickle file may hold several that its reader loads one after the other).
fn read_pickles<R: Read>(
    input: &mut Input<R>,
    member: Option<&str>,
    torch: bool,
    out: &mut Inspection,
) {
    let mut read = 0;
    let mut legacy = false;
    loop {
        match input.peek() {
            Ok(None) => break,
            Ok(Some(_)) => {}
            Err(e) => {
                out.findings
                    .push(unreadable(member, input.pos(), format!("read error: {e}")));
                break;
            }
        }
        let start = input.pos();
        let report = read_pickle(input);
        if read > 0 && report.globals.is_empty() && report.end.is_none() {
            // What follows a complete pickle is not another one.
            if !legacy {
                out.findings.push(unreadable(
                    member,
                    start,
                    "data after the end of the pickle is not a pickle: a loader reading on would see something else",
                ));
            }
            break;
        }
        if read == 0 && torch && report.first_int == Some(TORCH_LEGACY_MAGIC) {
            legacy = true;
        }
        read += 1;
        let ended = report.end.is_some();
        record(report, member, out);
        // Legacy PyTorch: magic, protocol version, system info, the object, storage keys.
        if !ended || (legacy && read == 5) {
            break;
        }
    }
}

/// Turns one pickle's report into findings: one per distinct global that is not allowed,
/// one per problem.
fn record(report: PickleReport, member: Option<&str>, out: &mut Inspection) {
    out.pickles += 1;
    out.imports += report.globals.len();
    let at = |offset: u64| match member {
        Some(m) => format!("in `{m}` at byte {offset}"),
        None => format!("at byte {offset}"),
    };
    for g in &report.globals {
        let global = format!("{}.{}", g.module, g.name);
        let (category, why) = match judge(&g.module, &g.name) {
            Verdict::Allowed => continue,
            Verdict::Dangerous(why) => (Category::DangerousImport, why),
            Verdict::Unknown => (Category::UnknownImport, "not needed by plain weights"),
        };
        let called = match g.called {
            Some((op, offset)) => format!(", called by {op} at byte {offset}"),
            None => String::new(),
        };
        let times = if g.count > 1 {
            format!(" ({} times)", g.count)
        } else {
            String::new()
        };
        out.findings.push(Finding {
            category,
            member: member.map(str::to_string),
            offset: g.offset,
            global: Some(global.clone()),
            message: format!(
                "imports `{global}` ({why}) with {} {}{called}{times}",
                g.opcode,
                at(g.offset)
            ),
        });
    }
    if report.globals_not_listed > 0 {
        out.findings.push(Finding {
            category: Category::UnknownImport,
            member: member.map(str::to_string),
            offset: 0,
            global: None,
            message: format!(
                "imports {} more distinct globals than codeguard lists",
                report.globals_not_listed
            ),
        });
    }
    for p in report.problems {
        let category = match p.kind {
            ProblemKind::Malformed => Category::Unreadable,
            ProblemKind::Unresolved => Category::UnknownImport,
        };
        out.findings.push(Finding {
            category,
            member: member.map(str::to_string),
            offset: p.offset,
            global: None,
            message: format!("{} {}", p.message, at(p.offset)),
        });
    }
}

/// Zip archives: every pickle member of a PyTorch archive (`archive/data.pkl`,
/// `constants.pkl`), every `.npy` member of an `.npz`, read as streams.
fn read_zip<R: Read + Seek>(
    format: Format,
    generic: bool,
    file: R,
    out: &mut Inspection,
) -> io::Result<()> {
    let mut archive = match zip::ZipArchive::new(io::BufReader::new(file)) {
        Ok(a) => a,
        Err(e) => {
            out.findings.push(unreadable(
                None,
                0,
                format!("not a readable zip archive: {e}"),
            ));
            return Ok(());
        }
    };
    let mut pickles_seen = 0;
    for i in 0..archive.len() {
        let mut member = match archive.by_index(i) {
            Ok(m) => m,
            Err(e) => {
                out.findings.push(unreadable(
                    None,
                    0,
                    format!("archive member {i} cannot be read: {e}"),
                ));
                continue;
            }
        };
        if member.is_dir() {
            continue;
        }
        let name = String::from_utf8_lossy(member.name_raw()).into_owned();
        let lower = name.to_ascii_lowercase();
        let is_pickle = lower.ends_with(".pkl") || lower.ends_with(".pickle");
        let is_npy = lower.ends_with(".npy");
        if format == Format::Keras {
            if lower == "config.json" {
                keras::check_config(&mut member, out);
            }
        } else if is_pickle {
            pickles_seen += 1;
            let limit = inflate_limit(member.compressed_size());
            read_inflated(&mut member, Some(&name), limit, out);
        } else if is_npy {
            let limit = inflate_limit(member.compressed_size());
            read_npy(Input::new((&mut member).take(limit)), Some(&name), out)?;
        }
    }
    if format == Format::Torch && pickles_seen == 0 && !generic {
        out.findings.push(unreadable(
            None,
            0,
            "a zip archive without a pickle member (`data.pkl`): not a PyTorch checkpoint codeguard knows",
        ));
    }
    Ok(())
}

const NPY_MAGIC: &[u8; 6] = b"\x93NUMPY";

/// A `.npy` stream: a header naming the dtype; an object dtype (`'O'`) means a pickle follows.
fn read_npy<R: Read>(
    mut input: Input<R>,
    member: Option<&str>,
    out: &mut Inspection,
) -> io::Result<()> {
    let mut magic = [0u8; 8];
    if input.exact(&mut magic).is_err() || &magic[..6] != NPY_MAGIC {
        out.findings.push(unreadable(
            member,
            0,
            "not a NumPy `.npy` array (no `\\x93NUMPY` magic)",
        ));
        return Ok(());
    }
    let header_len = match magic[6] {
        1 => input.uint::<2>(),
        2 | 3 => input.uint::<4>(),
        v => {
            out.findings.push(unreadable(
                member,
                6,
                format!("unknown `.npy` format version {v}"),
            ));
            return Ok(());
        }
    };
    let header = match header_len.and_then(|n| input.bytes_up_to(n, 1 << 20)) {
        Ok(Some(h)) => h,
        Ok(None) => {
            out.findings
                .push(unreadable(member, 8, "a `.npy` header longer than 1 MiB"));
            return Ok(());
        }
        Err(_) => {
            out.findings
                .push(unreadable(member, 8, "the `.npy` header is truncated"));
            return Ok(());
        }
    };
    if npy_holds_objects(&String::from_utf8_lossy(&header)) {
        read_pickles(&mut input, member, false, out);
    }
    Ok(())
}

/// Whether a `.npy` header's dtype has objects: a quoted type string `O` (with an optional
/// byte order and size), alone or as a field of a structured dtype.
fn npy_holds_objects(header: &str) -> bool {
    header.split(['\'', '"']).skip(1).step_by(2).any(|s| {
        let s = s.trim_start_matches(['|', '<', '>', '=']);
        s == "O" || s == "O8" || s == "O4"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npy_object_headers() {
        assert!(npy_holds_objects(
            "{'descr': '|O', 'fortran_order': False, 'shape': (2,), }"
        ));
        assert!(npy_holds_objects(
            "{'descr': [('a', '<f8'), ('b', '|O')], 'fortran_order': False, 'shape': (2,), }"
        ));
        assert!(!npy_holds_objects(
            "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"
        ));
    }

    #[test]
    fn other_bin_files_are_left_alone() {
        let run = |bytes: &[u8]| {
            let reader = std::io::Cursor::new(bytes);
            inspect_reader(Path::new("firmware.bin"), reader, bytes.len() as u64)
                .unwrap()
                .findings
        };
        assert!(run(b"\x80\x00\x13garbage").is_empty());
        assert!(run(b"ELF\x02\x01").is_empty());
        assert!(run(b"").is_empty());
        // A pickle is still read.
        assert_eq!(run(b"\x80\x02cos\nsystem\n.").len(), 1);
        // The same bytes as `.pt` are reported.
        let reader = std::io::Cursor::new(b"ELF\x02\x01");
        let pt = inspect_reader(Path::new("model.pt"), reader, 5).unwrap();
        assert_eq!(pt.findings[0].category, Category::Unreadable);
    }

    #[test]
    fn decompression_stops_at_the_limit() {
        use std::io::Write as _;
        // An endless valid pickle (NONE, POP, ...) compressed: reading stops at the limit.
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&b"N0".repeat(50_000)).unwrap();
        let compressed = gz.finish().unwrap();
        let mut out = Inspection {
            format: Format::Pickle,
            findings: Vec::new(),
            pickles: 0,
            imports: 0,
        };
        let decoder = flate2::read::GzDecoder::new(&compressed[..]);
        read_inflated(decoder, None, 10_000, &mut out);
        let messages: Vec<&str> = out.findings.iter().map(|f| f.message.as_str()).collect();
        assert!(
            messages.iter().any(|m| m.contains("more than 10000 bytes")),
            "{messages:?}"
        );
        assert!(inflate_limit(1) >= 256 << 20);
        assert_eq!(inflate_limit(1 << 30), 256 << 30);
    }

    #[test]
    fn formats_by_extension() {
        assert_eq!(Format::of(Path::new("m/model.PT")), Some(Format::Torch));
        assert_eq!(Format::of(Path::new("clf.joblib")), Some(Format::Pickle));
        assert_eq!(Format::of(Path::new("x.py")), None);
    }
}
