//! A pickle opcode reader: it follows the unpickler's stack with inert values, enough to know
//! which globals a pickle imports (`GLOBAL`, `STACK_GLOBAL`, `INST`) and which of them it calls
//! (`REDUCE`, `OBJ`, `INST`, `NEWOBJ`). Nothing is unpickled, imported or executed.
//!
//! Protocols 0 to 5. Payloads (bytes, long strings, big integers) are skipped as the stream
//! goes by; only strings short enough to name a module or attribute are kept, and the stack and
//! memo are capped, so a hostile pickle costs bounded memory whatever its size.

use std::collections::HashMap;
use std::io::{self, Read};

use crate::input::Input;

/// Longest string kept as a possible module or attribute name.
const MAX_NAME: usize = 512;
/// Longest protocol 0 line read (a `GLOBAL` operand, a decimal, a quoted string).
const MAX_LINE: usize = 64 * 1024;
/// Stack entries and memo entries followed; past them values are no longer tracked.
const MAX_STACK: usize = 1 << 20;
const MAX_MEMO: usize = 1 << 20;
/// Distinct globals recorded per pickle (further ones are counted, not listed).
const MAX_GLOBALS: usize = 4096;
/// Values held inside tuples and dicts on the stack at once; past this, new tuples and
/// dicts are not followed (they exist to find joblib's array data, see `Machine::build`).
const MAX_CELLS: usize = 1 << 20;
/// Items of a tuple or entries of a dict that are followed.
const MAX_ITEMS: usize = 16;
/// Pickles nested in a pickle stream (joblib object arrays) followed.
const MAX_DEPTH: u8 = 8;

/// The highest pickle protocol there is (Python 3.8+).
pub const HIGHEST_PROTOCOL: u8 = 5;

/// A global a pickle imports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlobalRef {
    pub module: String,
    pub name: String,
    /// Offset of the opcode that first imports it.
    pub offset: u64,
    /// That opcode (`GLOBAL`, `STACK_GLOBAL`, `INST`).
    pub opcode: &'static str,
    /// How many times the pickle imports it.
    pub count: usize,
    /// The first opcode that calls it (`REDUCE`, `OBJ`, `INST`, `NEWOBJ`), and where.
    pub called: Option<(&'static str, u64)>,
}

/// Something that keeps the reader from knowing every import: a malformed or truncated
/// pickle, an import it cannot resolve, a limit reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub offset: u64,
    pub kind: ProblemKind,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// The pickle ends before `STOP` or holds what no unpickler accepts.
    Malformed,
    /// An import whose name the reader cannot tell (`STACK_GLOBAL` on computed values, an
    /// extension-registry code).
    Unresolved,
}

/// What one pickle imports.
#[derive(Debug, Default)]
pub struct PickleReport {
    pub globals: Vec<GlobalRef>,
    pub problems: Vec<Problem>,
    /// The protocol announced by `PROTO` (0 when absent).
    pub protocol: u8,
    /// The offset just past `STOP`, when the pickle ended properly.
    pub end: Option<u64>,
    /// Distinct globals beyond [`MAX_GLOBALS`].
    pub globals_not_listed: usize,
    /// The first value the pickle pushes when it is a plain integer (legacy PyTorch files begin
    /// with a pickle of a magic number).
    pub(crate) first_int: Option<u128>,
}

#[derive(Debug, Clone)]
enum Value {
    Mark,
    Str(Box<str>),
    Int(i64),
    Global(u32),
    /// What calling a global returned (an instance of a class).
    Object(u32),
    /// A `numpy.dtype` built by the pickle: its type string (`<f8`) and, once its state is
    /// set, its element size.
    Dtype(Box<str>, Option<i64>),
    /// A tuple of scalars (a shape, constructor arguments).
    Tuple(Box<[Value]>),
    /// A dict with string keys (an object's state).
    Dict(Vec<(Box<str>, Value)>),
    Other,
}

impl Value {
    /// Values held, this one included (what [`MAX_CELLS`] counts).
    fn cells(&self) -> usize {
        match self {
            Value::Tuple(items) => 1 + items.len(),
            Value::Dict(entries) => 1 + entries.iter().map(|(_, v)| v.cells()).sum::<usize>(),
            _ => 1,
        }
    }

    fn is_scalar(&self) -> bool {
        !matches!(self, Value::Mark | Value::Tuple(_) | Value::Dict(_))
    }

    fn entry(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Dict(entries) => entries.iter().find(|(k, _)| &**k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

struct Machine {
    stack: Vec<Value>,
    memo: HashMap<u64, Value>,
    report: PickleReport,
    index: HashMap<(String, String), u32>,
    /// Values are no longer followed (a cap was reached): `STACK_GLOBAL` cannot be resolved.
    lost: bool,
    /// Values held in tuples and dicts on the stack.
    cells: usize,
    /// How deep this pickle is nested in another (joblib object arrays).
    depth: u8,
}

enum Step {
    Continue,
    Stop,
}

type Result<T> = std::result::Result<T, Halt>;

/// Why reading stops before `STOP`.
enum Halt {
    Io(io::Error),
    Malformed(String),
}

impl From<io::Error> for Halt {
    fn from(e: io::Error) -> Self {
        Halt::Io(e)
    }
}

fn malformed<T>(message: impl Into<String>) -> Result<T> {
    Err(Halt::Malformed(message.into()))
}

/// Reads one pickle from `input`, up to and including its `STOP` opcode.
pub fn read_pickle<R: Read>(input: &mut Input<R>) -> PickleReport {
    read_nested(input, 0)
}

fn read_nested<R: Read>(input: &mut Input<R>, depth: u8) -> PickleReport {
    let mut machine = Machine {
        stack: Vec::new(),
        memo: HashMap::new(),
        report: PickleReport::default(),
        index: HashMap::new(),
        lost: false,
        cells: 0,
        depth,
    };
    loop {
        let offset = input.pos();
        let op = match input.byte() {
            Ok(Some(op)) => op,
            Ok(None) => {
                machine.problem(
                    offset,
                    ProblemKind::Malformed,
                    "the pickle ends before STOP",
                );
                break;
            }
            Err(e) => {
                machine.problem(offset, ProblemKind::Malformed, format!("read error: {e}"));
                break;
            }
        };
        match machine.step(op, offset, input) {
            Ok(Step::Continue) => {}
            Ok(Step::Stop) => {
                machine.report.end = Some(input.pos());
                break;
            }
            Err(Halt::Io(e)) if e.kind() == io::ErrorKind::UnexpectedEof => {
                machine.problem(
                    offset,
                    ProblemKind::Malformed,
                    format!("the pickle is truncated inside opcode 0x{op:02x}"),
                );
                break;
            }
            Err(Halt::Io(e)) => {
                machine.problem(offset, ProblemKind::Malformed, format!("read error: {e}"));
                break;
            }
            Err(Halt::Malformed(message)) => {
                machine.problem(offset, ProblemKind::Malformed, message);
                break;
            }
        }
    }
    machine.report
}

/// The decimal integer of a protocol 0 line (`I42`, `L42L`, `g3`, `p3`).
fn decimal(line: &[u8]) -> Option<i64> {
    let text = std::str::from_utf8(line).ok()?.trim();
    let text = text.strip_suffix('L').unwrap_or(text);
    text.parse().ok()
}

/// The text of a protocol 0 `STRING` operand: a Python string literal in quotes. Only
/// names matter here, so escapes other than the simplest are left as written.
fn quoted(line: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(line).ok()?;
    let inner = text
        .strip_prefix('\'')
        .and_then(|t| t.strip_suffix('\''))
        .or_else(|| text.strip_prefix('"').and_then(|t| t.strip_suffix('"')))?;
    Some(inner.replace("\\'", "'").replace("\\\\", "\\"))
}

/// The text of a protocol 0 `UNICODE` operand (raw-unicode-escape: `\uXXXX`, `\UXXXXXXXX`).
fn raw_unicode(line: &[u8]) -> Option<String> {
    let mut out = String::new();
    let mut i = 0;
    while i < line.len() {
        if line[i] == b'\\' && i + 1 < line.len() && matches!(line[i + 1], b'u' | b'U') {
            let width = if line[i + 1] == b'u' { 4 } else { 8 };
            let hex = line.get(i + 2..i + 2 + width)?;
            let code = u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
            out.push(char::from_u32(code)?);
            i += 2 + width;
        } else {
            // Latin-1 for the other bytes, as Python decodes them.
            out.push(char::from(line[i]));
            i += 1;
        }
    }
    Some(out)
}

/// What calling `callee` returns, as far as it matters here.
fn instance(callee: &Value) -> Value {
    match callee {
        Value::Global(i) => Value::Object(*i),
        _ => Value::Other,
    }
}

/// Bytes per element of a NumPy type string (`<f8`, `|u1`, `<U10`) or of its state's element
/// size; `None` for objects and for what cannot be told.
fn item_size(code: &str, elsize: Option<i64>) -> Option<u64> {
    let code = code.trim_start_matches(['<', '>', '|', '=']);
    let kind = code.chars().next()?;
    if kind == 'O' {
        return None;
    }
    if let Some(n) = elsize.filter(|n| *n > 0) {
        return Some(n as u64);
    }
    let digits: u64 = code[1..].parse().ok()?;
    Some(if kind == 'U' { digits * 4 } else { digits })
}

impl Machine {
    fn problem(&mut self, offset: u64, kind: ProblemKind, message: impl Into<String>) {
        self.report.problems.push(Problem {
            offset,
            kind,
            message: message.into(),
        });
    }

    fn push(&mut self, value: Value) {
        if self.report.first_int.is_none() && self.stack.is_empty() {
            // Only the very first push of the pickle counts (see `first_int`).
            self.report.first_int = Some(match value {
                Value::Int(n) => n as u128,
                _ => u128::MAX,
            });
        }
        if self.stack.len() >= MAX_STACK {
            self.lost = true;
            self.stack.clear();
            self.cells = 0;
        }
        self.cells += value.cells();
        self.stack.push(value);
    }

    /// A tuple or dict, or `Other` when too many values are held already.
    fn composite(&self, value: Value) -> Value {
        if self.cells + value.cells() > MAX_CELLS {
            Value::Other
        } else {
            value
        }
    }

    fn pop(&mut self) -> Result<Value> {
        match self.stack.pop() {
            Some(v) => {
                self.cells -= v.cells();
                Ok(v)
            }
            None if self.lost => Ok(Value::Other),
            None => malformed("stack underflow"),
        }
    }

    /// Pops down to and including the topmost mark; returns the values above it.
    fn pop_mark(&mut self) -> Result<Vec<Value>> {
        match self.stack.iter().rposition(|v| matches!(v, Value::Mark)) {
            Some(at) => {
                let items = self.stack.split_off(at + 1);
                self.stack.pop();
                self.cells -= 1 + items.iter().map(Value::cells).sum::<usize>();
                Ok(items)
            }
            None if self.lost => {
                self.stack.clear();
                self.cells = 0;
                Ok(Vec::new())
            }
            None => malformed("no MARK on the stack"),
        }
    }

    fn top(&self) -> Result<Value> {
        match self.stack.last() {
            Some(Value::Mark) => malformed("MARK on top of the stack"),
            Some(v) => Ok(v.clone()),
            None if self.lost => Ok(Value::Other),
            None => malformed("stack underflow"),
        }
    }

    fn memo_put(&mut self, key: u64) -> Result<()> {
        let mut value = self.top()?;
        // Tuples and dicts are followed on the stack only (their size is bounded there).
        if !value.is_scalar() {
            value = Value::Other;
        }
        if self.memo.len() >= MAX_MEMO && !self.memo.contains_key(&key) {
            self.lost = true;
            return Ok(());
        }
        self.memo.insert(key, value);
        Ok(())
    }

    fn memo_get(&mut self, key: u64) -> Result<()> {
        match self.memo.get(&key) {
            Some(v) => {
                let v = v.clone();
                self.push(v);
                Ok(())
            }
            None if self.lost => {
                self.push(Value::Other);
                Ok(())
            }
            None => malformed(format!("memo key {key} was never stored")),
        }
    }

    fn tuple(&self, items: Vec<Value>) -> Value {
        if items.len() <= MAX_ITEMS && items.iter().all(Value::is_scalar) {
            self.composite(Value::Tuple(items.into()))
        } else {
            Value::Other
        }
    }

    /// `SETITEM(S)`, `DICT`: the pairs go into the dict on top of the stack when it is
    /// followed (string keys, at most [`MAX_ITEMS`] entries); otherwise it becomes `Other`.
    fn set_items(&mut self, items: Vec<Value>) -> Result<()> {
        if !items.len().is_multiple_of(2) {
            return malformed("SETITEMS with an odd number of values");
        }
        let target = self.pop()?;
        let mut entries = match target {
            Value::Dict(entries) => entries,
            Value::Mark => return malformed("SETITEMS on a MARK"),
            _ => {
                self.push(Value::Other);
                return Ok(());
            }
        };
        let mut items = items.into_iter();
        while let (Some(key), Some(value)) = (items.next(), items.next()) {
            let Value::Str(key) = key else {
                self.push(Value::Other);
                return Ok(());
            };
            if matches!(value, Value::Dict(_)) || entries.len() >= MAX_ITEMS {
                self.push(Value::Other);
                return Ok(());
            }
            entries.push((key, value));
        }
        let dict = self.composite(Value::Dict(entries));
        self.push(dict);
        Ok(())
    }

    /// `REDUCE`: `numpy.dtype('<f8', ...)` is followed (joblib's arrays need its size).
    fn reduce(&self, callable: &Value, args: &Value) -> Value {
        if let Value::Global(i) = callable {
            let g = &self.report.globals[*i as usize];
            if g.module == "numpy" && g.name == "dtype" {
                if let Value::Tuple(items) = args
                    && let Some(Value::Str(code)) = items.first()
                {
                    return Value::Dtype(code.clone(), None);
                }
                return Value::Other;
            }
        }
        instance(callable)
    }

    /// `BUILD`: sets a dtype's element size, and reads past the raw array bytes that joblib
    /// writes right after each `NumpyArrayWrapper` it pickles (a nested pickle for arrays of
    /// objects), as joblib's unpickler does.
    fn build<R: Read>(&mut self, state: Value, offset: u64, input: &mut Input<R>) -> Result<()> {
        let target = self.pop()?;
        match target {
            Value::Dtype(code, _) => {
                let elsize = match &state {
                    Value::Tuple(items) => match items.get(5) {
                        Some(Value::Int(n)) => Some(*n),
                        _ => None,
                    },
                    _ => None,
                };
                self.push(Value::Dtype(code, elsize));
            }
            Value::Object(i) if self.is_joblib_wrapper(i) => {
                self.joblib_array(&state, offset, input)?;
                self.push(Value::Other);
            }
            Value::Mark => return malformed("BUILD on a MARK"),
            other => self.push(other),
        }
        Ok(())
    }

    fn is_joblib_wrapper(&self, i: u32) -> bool {
        let g = &self.report.globals[i as usize];
        g.module == "joblib.numpy_pickle" && g.name == "NumpyArrayWrapper"
    }

    fn joblib_array<R: Read>(
        &mut self,
        state: &Value,
        offset: u64,
        input: &mut Input<R>,
    ) -> Result<()> {
        let dtype = state.entry("dtype");
        if let Some(Value::Dtype(code, _)) = dtype
            && code
                .trim_start_matches(['<', '>', '|', '='])
                .starts_with('O')
        {
            // An array of objects: joblib pickles it with a pickle of its own.
            if self.depth >= MAX_DEPTH {
                return malformed("joblib arrays of objects nested too deep");
            }
            let nested = read_nested(input, self.depth + 1);
            for g in nested.globals {
                let i = match self.global(&g.module, &g.name, g.offset, g.opcode) {
                    Value::Global(i) => i as usize,
                    _ => continue,
                };
                let mine = &mut self.report.globals[i];
                mine.count += g.count - 1;
                if mine.called.is_none() {
                    mine.called = g.called;
                }
            }
            self.report.problems.extend(nested.problems);
            if nested.end.is_none() {
                return malformed("the array of objects after a joblib array wrapper is cut short");
            }
            return Ok(());
        }
        let shape = match state.entry("shape") {
            Some(Value::Tuple(dims)) => dims.iter().try_fold(1u64, |n, d| match d {
                Value::Int(d) if *d >= 0 => n.checked_mul(*d as u64),
                _ => None,
            }),
            _ => None,
        };
        let size = match dtype {
            Some(Value::Dtype(code, elsize)) => item_size(code, *elsize),
            _ => None,
        };
        let Some(bytes) = shape.zip(size).and_then(|(n, s)| n.checked_mul(s)) else {
            return malformed(format!(
                "the size of the joblib array data after byte {offset} cannot be told: the rest of the file was not read"
            ));
        };
        if let Some(Value::Int(_)) = state.entry("numpy_array_alignment_bytes") {
            let padding = input.uint::<1>()?;
            input.skip(padding)?;
        }
        input.skip(bytes)?;
        Ok(())
    }

    fn string(&mut self, bytes: Option<Vec<u8>>, utf8: bool) {
        let value = match bytes {
            Some(b) if utf8 => match String::from_utf8(b) {
                Ok(s) => Value::Str(s.into()),
                Err(_) => Value::Other,
            },
            // Python 2 `str` read as text for names: ASCII names are the same either way.
            Some(b) => Value::Str(b.iter().map(|c| char::from(*c)).collect::<String>().into()),
            None => Value::Other,
        };
        self.push(value);
    }

    fn global(&mut self, module: &str, name: &str, offset: u64, opcode: &'static str) -> Value {
        let key = (module.to_string(), name.to_string());
        if let Some(&i) = self.index.get(&key) {
            self.report.globals[i as usize].count += 1;
            return Value::Global(i);
        }
        if self.report.globals.len() >= MAX_GLOBALS {
            self.report.globals_not_listed += 1;
            return Value::Other;
        }
        let i = self.report.globals.len() as u32;
        self.report.globals.push(GlobalRef {
            module: key.0.clone(),
            name: key.1.clone(),
            offset,
            opcode,
            count: 1,
            called: None,
        });
        self.index.insert(key, i);
        Value::Global(i)
    }

    fn called(&mut self, callee: &Value, opcode: &'static str, offset: u64) {
        if let Value::Global(i) = callee {
            let g = &mut self.report.globals[*i as usize];
            g.called.get_or_insert((opcode, offset));
        }
    }

    /// Reads the two lines of `GLOBAL` and `INST`.
    fn two_lines<R: Read>(&mut self, input: &mut Input<R>) -> Result<(String, String)> {
        let module = input.line(MAX_NAME)?;
        let name = input.line(MAX_NAME)?;
        match (module, name) {
            (Some(m), Some(n)) => {
                let text = |b: Vec<u8>| b.iter().map(|c| char::from(*c)).collect::<String>();
                Ok((text(m), text(n)))
            }
            _ => malformed("a module or attribute name longer than any real one"),
        }
    }

    fn step<R: Read>(&mut self, op: u8, offset: u64, input: &mut Input<R>) -> Result<Step> {
        match op {
            // PROTO
            0x80 => {
                let proto = input.uint::<1>()? as u8;
                if proto > HIGHEST_PROTOCOL {
                    return malformed(format!("unsupported pickle protocol {proto}"));
                }
                self.report.protocol = proto;
            }
            // FRAME: a length hint; the opcodes follow inline.
            0x95 => {
                input.uint::<8>()?;
            }
            b'.' => return Ok(Step::Stop),
            b'(' => self.push(Value::Mark),
            b'0' => {
                self.pop()?;
            }
            b'1' => {
                self.pop_mark()?;
            }
            b'2' => {
                let v = self.top()?;
                let v = self.composite(v);
                self.push(v);
            }
            // INT, LONG, FLOAT: protocol 0 lines.
            b'I' | b'L' | b'F' => {
                let line = input.line(MAX_LINE)?;
                let value = match (op, line.as_deref().and_then(decimal)) {
                    (b'I' | b'L', Some(n)) => Value::Int(n),
                    _ => Value::Other,
                };
                self.push(value);
            }
            b'J' => {
                let n = input.uint::<4>()? as u32 as i32;
                self.push(Value::Int(i64::from(n)));
            }
            b'K' => {
                let n = input.uint::<1>()?;
                self.push(Value::Int(n as i64));
            }
            b'M' => {
                let n = input.uint::<2>()?;
                self.push(Value::Int(n as i64));
            }
            // LONG1, LONG4: little-endian two's complement.
            0x8a | 0x8b => {
                let n = if op == 0x8a {
                    input.uint::<1>()?
                } else {
                    input.uint::<4>()? as u32 as i32 as i64 as u64
                };
                if n > (1 << 40) {
                    return malformed("negative or huge LONG4 length");
                }
                let value = match input.bytes_up_to(n, 16)? {
                    Some(b) if !b.is_empty() && b.len() <= 16 => {
                        let mut v: u128 = 0;
                        for (i, byte) in b.iter().enumerate() {
                            v |= u128::from(*byte) << (8 * i);
                        }
                        match i64::try_from(v) {
                            Ok(n) if b.len() <= 8 && b[b.len() - 1] < 0x80 => Value::Int(n),
                            _ if self.stack.is_empty() && self.report.first_int.is_none() => {
                                self.report.first_int = Some(v);
                                Value::Other
                            }
                            _ => Value::Other,
                        }
                    }
                    _ => Value::Other,
                };
                self.push(value);
            }
            b'G' => {
                input.skip(8)?;
                self.push(Value::Other);
            }
            b'N' | 0x88 | 0x89 => self.push(Value::Other),
            // STRING
            b'S' => {
                let line = input.line(MAX_LINE)?;
                let text = line.as_deref().and_then(quoted);
                self.push(text.map_or(Value::Other, |t| Value::Str(t.into())));
            }
            // UNICODE
            b'V' => {
                let line = input.line(MAX_LINE)?;
                let text = line.as_deref().and_then(raw_unicode);
                self.push(text.map_or(Value::Other, |t| Value::Str(t.into())));
            }
            // BINSTRING, SHORT_BINSTRING (Python 2 str)
            b'T' | b'U' => {
                let n = if op == b'T' {
                    input.uint::<4>()? as u32 as i32 as i64
                } else {
                    input.uint::<1>()? as i64
                };
                if n < 0 {
                    return malformed("negative BINSTRING length");
                }
                let bytes = input.bytes_up_to(n as u64, MAX_NAME)?;
                self.string(bytes, false);
            }
            // BINUNICODE, SHORT_BINUNICODE, BINUNICODE8
            b'X' | 0x8c | 0x8d => {
                let n = match op {
                    b'X' => input.uint::<4>()?,
                    0x8c => input.uint::<1>()?,
                    _ => input.uint::<8>()?,
                };
                let bytes = input.bytes_up_to(n, MAX_NAME)?;
                self.string(bytes, true);
            }
            // BINBYTES, SHORT_BINBYTES, BINBYTES8, BYTEARRAY8
            b'B' | b'C' | 0x8e | 0x96 => {
                let n = match op {
                    b'B' => input.uint::<4>()?,
                    b'C' => input.uint::<1>()?,
                    _ => input.uint::<8>()?,
                };
                input.skip(n)?;
                self.push(Value::Other);
            }
            b'}' => self.push(Value::Dict(Vec::new())),
            b']' | 0x8f => self.push(Value::Other),
            b')' => self.push(Value::Tuple(Box::new([]))),
            b'l' | 0x91 => {
                self.pop_mark()?;
                self.push(Value::Other);
            }
            b't' => {
                let items = self.pop_mark()?;
                let tuple = self.tuple(items);
                self.push(tuple);
            }
            0x85..=0x87 => {
                let mut items = Vec::new();
                for _ in 0..(op - 0x84) {
                    items.push(self.pop()?);
                }
                items.reverse();
                let tuple = self.tuple(items);
                self.push(tuple);
            }
            b'd' => {
                let items = self.pop_mark()?;
                self.push(Value::Dict(Vec::new()));
                self.set_items(items)?;
            }
            b's' => {
                let value = self.pop()?;
                let key = self.pop()?;
                self.set_items(vec![key, value])?;
            }
            b'u' => {
                let items = self.pop_mark()?;
                self.set_items(items)?;
            }
            b'a' => {
                self.pop()?;
            }
            b'b' => {
                let state = self.pop()?;
                self.build(state, offset, input)?;
            }
            b'e' | 0x90 => {
                self.pop_mark()?;
            }
            // PERSID, BINPERSID: references the loader resolves (PyTorch storages).
            b'P' => {
                input.line(MAX_LINE)?;
                self.push(Value::Other);
            }
            b'Q' => {
                self.pop()?;
                self.push(Value::Other);
            }
            // GLOBAL
            b'c' => {
                let (module, name) = self.two_lines(input)?;
                let value = self.global(&module, &name, offset, "GLOBAL");
                self.push(value);
            }
            // STACK_GLOBAL
            0x93 => {
                let name = self.pop()?;
                let module = self.pop()?;
                let value = match (module, name) {
                    (Value::Str(m), Value::Str(n)) => self.global(&m, &n, offset, "STACK_GLOBAL"),
                    (Value::Mark, _) | (_, Value::Mark) => {
                        return malformed("STACK_GLOBAL on a MARK");
                    }
                    _ => {
                        self.problem(
                            offset,
                            ProblemKind::Unresolved,
                            "STACK_GLOBAL imports a name that is not a plain string: the import cannot be told",
                        );
                        Value::Other
                    }
                };
                self.push(value);
            }
            // INST: import and call in one.
            b'i' => {
                let (module, name) = self.two_lines(input)?;
                let value = self.global(&module, &name, offset, "INST");
                self.called(&value, "INST", offset);
                self.pop_mark()?;
                self.push(instance(&value));
            }
            // OBJ: the first value above the mark is the class.
            b'o' => {
                let items = self.pop_mark()?;
                let result = match items.first() {
                    Some(class) => {
                        let class = class.clone();
                        self.called(&class, "OBJ", offset);
                        instance(&class)
                    }
                    None if !self.lost => return malformed("OBJ without a class"),
                    None => Value::Other,
                };
                self.push(result);
            }
            // REDUCE: callable(*args)
            b'R' => {
                let args = self.pop()?;
                let callable = self.pop()?;
                self.called(&callable, "REDUCE", offset);
                let result = self.reduce(&callable, &args);
                self.push(result);
            }
            // NEWOBJ: cls.__new__(cls, *args); NEWOBJ_EX also takes kwargs.
            0x81 | 0x92 => {
                if op == 0x92 {
                    self.pop()?;
                }
                self.pop()?;
                let class = self.pop()?;
                self.called(&class, "NEWOBJ", offset);
                self.push(instance(&class));
            }
            // GET, BINGET, LONG_BINGET
            b'g' => match input.line(MAX_LINE)?.as_deref().and_then(decimal) {
                Some(key) if key >= 0 => self.memo_get(key as u64)?,
                _ => return malformed("GET with a bad key"),
            },
            b'h' => {
                let key = input.uint::<1>()?;
                self.memo_get(key)?;
            }
            b'j' => {
                let key = input.uint::<4>()?;
                self.memo_get(key)?;
            }
            // PUT, BINPUT, LONG_BINPUT, MEMOIZE
            b'p' => match input.line(MAX_LINE)?.as_deref().and_then(decimal) {
                Some(key) if key >= 0 => self.memo_put(key as u64)?,
                _ => return malformed("PUT with a bad key"),
            },
            b'q' => {
                let key = input.uint::<1>()?;
                self.memo_put(key)?;
            }
            b'r' => {
                let key = input.uint::<4>()?;
                self.memo_put(key)?;
            }
            0x94 => {
                let key = self.memo.len() as u64;
                self.memo_put(key)?;
            }
            // EXT1, EXT2, EXT4: a global from the copyreg extension registry.
            0x82..=0x84 => {
                let code = match op {
                    0x82 => input.uint::<1>()?,
                    0x83 => input.uint::<2>()?,
                    _ => input.uint::<4>()?,
                };
                self.problem(
                    offset,
                    ProblemKind::Unresolved,
                    format!("imports extension code {code} of the copyreg registry: the import cannot be told"),
                );
                self.push(Value::Other);
            }
            // NEXT_BUFFER (out-of-band data), READONLY_BUFFER.
            0x97 => self.push(Value::Other),
            0x98 => {}
            _ => return malformed(format!("unknown opcode 0x{op:02x}")),
        }
        Ok(Step::Continue)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> PickleReport {
        read_pickle(&mut Input::new(bytes))
    }

    fn names(r: &PickleReport) -> Vec<String> {
        r.globals
            .iter()
            .map(|g| format!("{}.{}", g.module, g.name))
            .collect()
    }

    #[test]
    fn protocol_0_global_and_reduce() {
        // pickle.dumps of a __reduce__ returning (os.system, ('id',)), protocol 0.
        let p = b"cposix\nsystem\np0\n(Vid\np1\ntp2\nRp3\n.";
        let r = read(p);
        assert_eq!(names(&r), ["posix.system"]);
        assert_eq!(r.globals[0].offset, 0);
        assert_eq!(r.globals[0].called.map(|c| c.0), Some("REDUCE"));
        assert_eq!(r.end, Some(p.len() as u64));
        assert!(r.problems.is_empty(), "{:?}", r.problems);
    }

    #[test]
    fn stack_global_resolves_memoized_strings() {
        // PROTO 4, 'os' MEMOIZE, 'system' MEMOIZE, STACK_GLOBAL, then again via BINGET.
        let mut p = vec![0x80, 4];
        p.extend([0x8c, 2]);
        p.extend(b"os");
        p.push(0x94);
        p.extend([0x8c, 6]);
        p.extend(b"system");
        p.push(0x94);
        p.push(0x93);
        p.extend([b'h', 0, b'h', 1, 0x93]);
        p.extend([0x86, b'.']);
        let r = read(&p);
        assert_eq!(names(&r), ["os.system"]);
        assert_eq!(r.globals[0].count, 2);
        assert_eq!(r.globals[0].offset, 16);
        assert!(r.problems.is_empty(), "{:?}", r.problems);
    }

    #[test]
    fn truncated_and_unknown_opcodes_are_problems_not_panics() {
        let r = read(b"cos\nsys");
        assert!(r.globals.is_empty());
        assert_eq!(r.problems[0].kind, ProblemKind::Malformed);
        let r = read(&[0x80, 2, 0xff]);
        assert_eq!(r.problems[0].offset, 2);
        let r = read(&[0x80, 9]);
        assert!(r.problems[0].message.contains("protocol 9"));
        let r = read(b"");
        assert!(r.end.is_none());
    }

    #[test]
    fn unresolvable_stack_global_is_reported() {
        // Two integers as module and name.
        let r = read(&[b'K', 1, b'K', 2, 0x93, b'.']);
        assert_eq!(r.problems[0].kind, ProblemKind::Unresolved);
        assert_eq!(r.end, Some(6));
    }

    #[test]
    fn obj_and_inst_call_their_class() {
        let r = read(b"(cbuiltins\nexec\nS'print(1)'\no.");
        assert_eq!(r.globals[0].called.map(|c| c.0), Some("OBJ"));
        let r = read(b"(S'id'\nios\nsystem\n.");
        assert_eq!(names(&r), ["os.system"]);
        assert_eq!(r.globals[0].called, Some(("INST", 7)));
    }
}
