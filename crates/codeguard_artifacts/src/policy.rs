//! Which globals a pickle may import: what plain weights need, what runs code, and the rest.
//!
//! The allow-list is what loading tensors, state dicts, NumPy arrays and ordinary
//! scikit-learn estimators needs: PyTorch's `weights_only` unpickler set
//! (`torch/_weights_only_unpickler.py`: tensor and parameter rebuilders, storage and tensor
//! classes, dtypes, `torch.Size`, `torch.device`, `collections.OrderedDict`, `_codecs.encode`,
//! a few builtins), NumPy's array and dtype reconstruction, joblib's array wrapper and
//! scikit-learn's classes. The deny-list names modules and functions that run code, commands,
//! files or network when called (or that reach them: `getattr`, `__import__`, `operator`'s
//! getters, a nested unpickler). Everything else is unknown: not proof of harm, but code the
//! loader imports and calls, which plain weights never need.

/// How a global is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Needed by plain weights and arrays.
    Allowed,
    /// Runs code, commands, files or network when the pickle is loaded; the reason.
    Dangerous(&'static str),
    /// Neither: an import that plain weights do not need.
    Unknown,
}

/// Modules whose every global is dangerous (the module itself and its submodules).
const DANGEROUS_MODULES: &[(&str, &str)] = &[
    ("os", "runs commands and touches files"),
    ("posix", "runs commands and touches files"),
    ("nt", "runs commands and touches files"),
    ("subprocess", "runs commands"),
    ("_posixsubprocess", "runs commands"),
    ("pty", "runs commands"),
    ("commands", "runs commands"),
    ("popen2", "runs commands"),
    ("sys", "reaches the interpreter's internals"),
    ("runpy", "runs Python modules"),
    ("importlib", "imports arbitrary modules"),
    ("imp", "imports arbitrary modules"),
    ("pkgutil", "imports arbitrary modules"),
    ("zipimport", "imports arbitrary modules"),
    ("code", "runs Python code"),
    ("codeop", "compiles Python code"),
    ("pdb", "runs Python code"),
    ("bdb", "runs Python code"),
    ("timeit", "runs Python code"),
    ("trace", "runs Python code"),
    ("profile", "runs Python code"),
    ("cProfile", "runs Python code"),
    ("doctest", "runs Python code"),
    ("marshal", "loads code objects"),
    ("types", "builds functions and code objects"),
    ("ctypes", "calls native code"),
    ("_ctypes", "calls native code"),
    ("cffi", "calls native code"),
    ("pickle", "unpickles nested data"),
    ("_pickle", "unpickles nested data"),
    ("cPickle", "unpickles nested data"),
    ("dill", "unpickles nested data and code"),
    ("cloudpickle", "unpickles nested data and code"),
    ("shelve", "unpickles nested data"),
    ("joblib.numpy_pickle_utils", "unpickles nested data"),
    ("socket", "opens network connections"),
    ("_socket", "opens network connections"),
    ("ssl", "opens network connections"),
    ("asyncio", "runs commands and opens network connections"),
    ("multiprocessing", "starts processes"),
    ("threading", "starts threads running arbitrary callables"),
    ("_thread", "starts threads running arbitrary callables"),
    ("webbrowser", "opens URLs with a browser"),
    ("http", "makes network requests"),
    ("httplib", "makes network requests"),
    ("urllib", "makes network requests"),
    ("urllib2", "makes network requests"),
    ("urllib3", "makes network requests"),
    ("requests", "makes network requests"),
    ("httpx", "makes network requests"),
    ("aiohttp", "makes network requests"),
    ("ftplib", "makes network requests"),
    ("smtplib", "sends mail"),
    ("telnetlib", "makes network requests"),
    ("xmlrpc", "makes network requests"),
    ("shutil", "copies, moves and deletes files"),
    ("io", "opens files"),
    ("_io", "opens files"),
    ("fileinput", "opens files"),
    ("distutils", "runs commands"),
    ("setuptools", "runs commands"),
    ("pip", "installs packages"),
    ("ensurepip", "installs packages"),
    ("venv", "creates environments and runs commands"),
    ("platform", "runs commands"),
    ("gc", "reaches every live object"),
    ("inspect", "reaches frames and code"),
    ("builtins.__loader__", "imports arbitrary modules"),
    ("torch.hub", "downloads and runs code"),
    ("torch.jit", "loads and runs TorchScript"),
    ("torch.package", "imports packaged code"),
    ("torch._dynamo", "compiles and runs code"),
    ("torch._inductor", "compiles and runs code"),
    (
        "torch.utils.cpp_extension",
        "compiles and loads native code",
    ),
    ("torch.cuda.memory", "loads native allocators"),
    ("numpy.f2py", "compiles and runs code"),
    ("numpy.distutils", "runs commands"),
    ("numpy.testing", "runs Python code"),
    ("sklearn.utils._testing", "runs Python scripts"),
    (
        "keras.src.utils.python_utils",
        "rebuilds functions from bytecode",
    ),
    ("idlelib", "runs Python code"),
    ("lib2to3", "runs code transformations"),
    ("IPython", "runs Python code and commands"),
    ("jinja2", "renders templates that can run code"),
    ("yaml", "loads YAML that can build objects"),
];

/// Single dangerous globals of otherwise ordinary modules (`builtins` and `__builtin__` are
/// the same module: see [`normalize_module`]).
const DANGEROUS_GLOBALS: &[(&str, &str, &str)] = &[
    ("builtins", "eval", "evaluates Python code"),
    ("builtins", "exec", "runs Python code"),
    ("builtins", "execfile", "runs a Python file"),
    ("builtins", "compile", "compiles Python code"),
    ("builtins", "__import__", "imports arbitrary modules"),
    ("builtins", "getattr", "reaches any attribute of any object"),
    ("builtins", "setattr", "changes any attribute of any object"),
    ("builtins", "delattr", "deletes attributes"),
    ("builtins", "globals", "reaches the loader's globals"),
    ("builtins", "locals", "reaches the loader's locals"),
    ("builtins", "vars", "reaches any object's namespace"),
    ("builtins", "open", "opens files"),
    ("builtins", "file", "opens files"),
    ("builtins", "input", "reads the terminal"),
    ("builtins", "raw_input", "reads the terminal"),
    ("builtins", "breakpoint", "starts a debugger"),
    ("builtins", "help", "starts an interactive pager"),
    ("builtins", "exit", "ends the process"),
    ("builtins", "quit", "ends the process"),
    ("builtins", "reload", "re-imports modules"),
    ("builtins", "apply", "calls any callable"),
    ("builtins", "memoryview", "exposes raw memory"),
    (
        "operator",
        "attrgetter",
        "reaches any attribute of any object",
    ),
    ("operator", "methodcaller", "calls any method of any object"),
    ("operator", "call", "calls any callable"),
    (
        "_operator",
        "attrgetter",
        "reaches any attribute of any object",
    ),
    (
        "_operator",
        "methodcaller",
        "calls any method of any object",
    ),
    ("functools", "update_wrapper", "changes function objects"),
    ("numpy", "load", "loads nested pickles"),
    ("numpy.lib.npyio", "load", "loads nested pickles"),
    ("torch", "load", "loads nested pickles"),
    ("torch.serialization", "load", "loads nested pickles"),
    ("torch.serialization", "_load", "loads nested pickles"),
    (
        "torch.serialization",
        "_legacy_load",
        "loads nested pickles",
    ),
    ("pandas", "read_pickle", "loads nested pickles"),
    ("pandas.io.pickle", "read_pickle", "loads nested pickles"),
    ("joblib", "load", "loads nested pickles"),
    ("code", "InteractiveInterpreter", "runs Python code"),
];

/// Exact globals that plain weights, arrays and estimators need.
const ALLOWED_GLOBALS: &[(&str, &str)] = &[
    ("collections", "OrderedDict"),
    ("collections", "defaultdict"),
    ("collections", "Counter"),
    ("collections", "deque"),
    ("_codecs", "encode"),
    ("codecs", "encode"),
    ("builtins", "set"),
    ("builtins", "frozenset"),
    ("builtins", "bytearray"),
    ("builtins", "bytes"),
    ("builtins", "complex"),
    ("builtins", "slice"),
    ("builtins", "range"),
    ("builtins", "list"),
    ("builtins", "dict"),
    ("builtins", "tuple"),
    ("builtins", "int"),
    ("builtins", "float"),
    ("builtins", "bool"),
    ("builtins", "str"),
    ("builtins", "unicode"),
    ("builtins", "long"),
    ("builtins", "object"),
    ("builtins", "NoneType"),
    ("builtins", "Ellipsis"),
    ("datetime", "datetime"),
    ("datetime", "date"),
    ("datetime", "time"),
    ("datetime", "timedelta"),
    ("datetime", "timezone"),
    ("decimal", "Decimal"),
    ("fractions", "Fraction"),
    ("uuid", "UUID"),
    ("argparse", "Namespace"),
    ("pathlib", "Path"),
    ("pathlib", "PosixPath"),
    ("pathlib", "WindowsPath"),
    ("pathlib", "PurePath"),
    ("pathlib", "PurePosixPath"),
    ("pathlib", "PureWindowsPath"),
    ("io", "BytesIO"),
    ("_io", "BytesIO"),
    ("torch", "Size"),
    ("torch", "device"),
    ("torch", "Tensor"),
    ("torch", "layout"),
    ("torch", "memory_format"),
    ("torch", "dtype"),
    ("torch", "strided"),
    ("torch", "sparse_coo"),
    ("torch", "sparse_csr"),
    ("torch", "contiguous_format"),
    ("torch", "channels_last"),
    ("torch", "channels_last_3d"),
    ("torch", "preserve_format"),
    ("torch", "per_tensor_affine"),
    ("torch", "per_channel_affine"),
    ("torch", "per_channel_affine_float_qparams"),
    ("torch.nn.parameter", "Parameter"),
    ("torch.nn.parameter", "Buffer"),
    ("torch.serialization", "_get_layout"),
    ("torch._utils", "_rebuild_tensor"),
    ("torch._utils", "_rebuild_tensor_v2"),
    ("torch._utils", "_rebuild_tensor_v3"),
    ("torch._utils", "_rebuild_parameter"),
    ("torch._utils", "_rebuild_parameter_with_state"),
    ("torch._utils", "_rebuild_sparse_tensor"),
    ("torch._utils", "_rebuild_meta_tensor_no_storage"),
    ("torch._utils", "_rebuild_nested_tensor"),
    ("torch._utils", "_rebuild_qtensor"),
    ("torch._utils", "_rebuild_wrapper_subclass"),
    ("torch._utils", "_rebuild_device_tensor_from_numpy"),
    ("torch._utils", "_rebuild_xla_tensor"),
    ("torch._tensor", "_rebuild_from_type_v2"),
    ("torch.storage", "TypedStorage"),
    ("torch.storage", "UntypedStorage"),
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy.core.multiarray", "scalar"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "scalar"),
    ("numpy.core.numeric", "_frombuffer"),
    ("numpy._core.numeric", "_frombuffer"),
    ("numpy.random._pickle", "__randomstate_ctor"),
    ("numpy.random._pickle", "__bit_generator_ctor"),
    ("numpy.random._pickle", "__generator_ctor"),
    ("numpy.random.mtrand", "RandomState"),
    ("numpy.ma.core", "_mareconstruct"),
    ("numpy.ma.core", "MaskedArray"),
    ("joblib.numpy_pickle", "NumpyArrayWrapper"),
    ("joblib.numpy_pickle", "NDArrayWrapper"),
    ("sklearn.utils._bunch", "Bunch"),
];

/// PyTorch storage and tensor class names (`torch.FloatStorage`, `torch.cuda.HalfTensor`)
/// and dtypes (`torch.float32`): `torch.<Name>Storage`, `torch.<Name>Tensor` and the dtype
/// names, in `torch` and `torch.cuda`.
const TORCH_ELEMENT_TYPES: &[&str] = &[
    "Float",
    "Double",
    "Half",
    "BFloat16",
    "Long",
    "Int",
    "Short",
    "Char",
    "Byte",
    "Bool",
    "ComplexFloat",
    "ComplexDouble",
    "QInt8",
    "QUInt8",
    "QInt32",
    "QUInt4x2",
    "QUInt2x4",
    "Untyped",
    "Typed",
];

const TORCH_DTYPES: &[&str] = &[
    "float32",
    "float",
    "float64",
    "double",
    "float16",
    "half",
    "bfloat16",
    "uint8",
    "int8",
    "int16",
    "short",
    "int32",
    "int",
    "int64",
    "long",
    "uint16",
    "uint32",
    "uint64",
    "bool",
    "complex32",
    "complex64",
    "complex128",
    "cfloat",
    "cdouble",
    "chalf",
    "qint8",
    "quint8",
    "qint32",
    "quint4x2",
    "quint2x4",
    "float8_e4m3fn",
    "float8_e5m2",
    "float8_e4m3fnuz",
    "float8_e5m2fnuz",
    "float8_e8m0fnu",
    "bits8",
    "bits16",
];

/// The module a pickle names, as Python 3 resolves it: protocols 0-2 written by Python 2 (or
/// by Python 3 for Python 2) spell `builtins` as `__builtin__` and `copyreg` as `copy_reg`.
pub fn normalize_module(module: &str) -> &str {
    match module {
        "__builtin__" | "exceptions" => "builtins",
        "copy_reg" => "copyreg",
        other => other,
    }
}

fn within(module: &str, prefix: &str) -> bool {
    module == prefix
        || module
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// Attribute names that, anywhere on a dotted path, reach code (`torch.serialization.os.system`
/// through a protocol 4 dotted name, `x.__globals__`, `__builtins__`).
const DANGEROUS_ATTRIBUTES: &[&str] = &[
    "os",
    "sys",
    "subprocess",
    "builtins",
    "__builtins__",
    "__globals__",
    "__import__",
    "__subclasses__",
    "__code__",
    "__reduce__",
    "__reduce_ex__",
    "__getattribute__",
    "__dict__",
    "__class__",
    "__init__",
    "__new__",
    "__call__",
    "system",
    "popen",
    "eval",
    "exec",
    "getattr",
    "importlib",
];

/// Judges the global `module.name` a pickle imports.
pub fn judge(module: &str, name: &str) -> Verdict {
    let module = normalize_module(module);
    // Exact allowed names first: `io.BytesIO` is allowed where the rest of `io` opens files.
    if ALLOWED_GLOBALS
        .iter()
        .any(|(m, n)| *m == module && *n == name)
    {
        return Verdict::Allowed;
    }
    if let Some((_, why)) = DANGEROUS_MODULES.iter().find(|(m, _)| within(module, m)) {
        return Verdict::Dangerous(why);
    }
    if let Some((_, _, why)) = DANGEROUS_GLOBALS
        .iter()
        .find(|(m, n, _)| *m == module && *n == name)
    {
        return Verdict::Dangerous(why);
    }
    // Protocol 4 resolves a dotted name attribute by attribute: `torch` + `serialization.os.system`.
    if name.contains('.') || name.is_empty() {
        if module
            .split('.')
            .chain(name.split('.'))
            .any(|part| DANGEROUS_ATTRIBUTES.contains(&part))
        {
            return Verdict::Dangerous("reaches code through attributes of a module");
        }
        return Verdict::Unknown;
    }
    if (module == "torch" || module == "torch.cuda")
        && (TORCH_DTYPES.contains(&name)
            || TORCH_ELEMENT_TYPES.iter().any(|t| {
                name.strip_prefix(t)
                    .is_some_and(|rest| rest == "Storage" || rest == "Tensor")
            }))
    {
        return Verdict::Allowed;
    }
    // NumPy 2 pickles dtypes by class (`numpy.dtypes.Float64DType`).
    if module == "numpy.dtypes" && name.ends_with("DType") {
        return Verdict::Allowed;
    }
    // scikit-learn estimators and scipy sparse matrices are pickled by class; constructing
    // a class of these libraries is what loading a fitted estimator does. Their functions
    // (helpers that run scripts in tests, for one) are not allowed.
    if (within(module, "sklearn") || within(module, "scipy.sparse"))
        && name.starts_with(|c: char| c.is_ascii_uppercase())
        && !within(module, "sklearn.utils._testing")
        && !within(module, "sklearn.externals")
    {
        return Verdict::Allowed;
    }
    Verdict::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_need_only_allowed_globals() {
        for (m, n) in [
            ("torch._utils", "_rebuild_tensor_v2"),
            ("torch", "FloatStorage"),
            ("torch", "BFloat16Storage"),
            ("torch.cuda", "HalfTensor"),
            ("torch", "bfloat16"),
            ("collections", "OrderedDict"),
            ("__builtin__", "set"),
            ("numpy.core.multiarray", "_reconstruct"),
            ("numpy.dtypes", "Float64DType"),
            ("sklearn.linear_model._logistic", "LogisticRegression"),
            ("pathlib", "PosixPath"),
            ("_io", "BytesIO"),
        ] {
            assert_eq!(judge(m, n), Verdict::Allowed, "{m}.{n}");
        }
    }

    #[test]
    fn code_execution_is_dangerous() {
        for (m, n) in [
            ("os", "system"),
            ("posix", "system"),
            ("nt", "system"),
            ("os.path", "join"),
            ("subprocess", "Popen"),
            ("builtins", "exec"),
            ("__builtin__", "eval"),
            ("builtins", "getattr"),
            ("runpy", "_run_code"),
            ("webbrowser", "open"),
            ("socket", "create_connection"),
            ("shutil", "rmtree"),
            ("sys", "modules"),
            ("importlib", "import_module"),
            ("pickle", "loads"),
            ("_pickle", "loads"),
            ("torch", "load"),
            ("torch", "serialization.os.system"),
            ("collections", "OrderedDict.__init__.__globals__"),
            ("numpy.testing._private.utils", "runstring"),
            ("sklearn.utils._testing", "assert_run_python_script"),
        ] {
            assert!(
                matches!(judge(m, n), Verdict::Dangerous(_)),
                "{m}.{n}: {:?}",
                judge(m, n)
            );
        }
    }

    #[test]
    fn the_rest_is_unknown() {
        for (m, n) in [
            ("__main__", "MyModel"),
            ("builtins", "type"),
            ("torch", "FloatStorageX"),
            ("sklearn.utils", "check_array"),
            ("ossify", "run"),
            ("torch.nn.modules.linear", "Linear"),
            ("functools", "partial"),
            ("pathlib", "Path.write_text"),
        ] {
            assert_eq!(judge(m, n), Verdict::Unknown, "{m}.{n}");
        }
    }
}
