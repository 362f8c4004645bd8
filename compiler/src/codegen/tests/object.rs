//! The object backend: the object links into a shared library that exports only
//! `PyInit_<name>`, and `PyInit` finds the runtime through the capsule (checked with a fake
//! runtime made with ctypes, so the test needs CPython but not the pycc runtime).

use super::*;
use crate::backend::object;
use std::path::{Path, PathBuf};
use std::process::Command;

fn test_module() -> Module {
    let ck = Overflow::Check(OVERFLOW);
    let mut cdef_sin = func(2, "c_sin", &[("x", F64)], F64, &[], vec![ret(math(MathFn::Sin, vec![local(0, F64)], MathCheck::None, F64))]);
    cdef_sin.kind = FuncKind::Cdef;
    let mut m = module(vec![
        binop_func(0, "add", I64, BinOp::Add(ck)),
        func(1, "sine", &[("x", F64)], F64, &[], vec![ret(call(2, vec![local(0, F64)], F64))]),
        cdef_sin,
    ]);
    m.name = "pyccobjtest".into();
    m.doc = Some("a test module".into());
    m
}

fn opts() -> CompileOptions {
    let mut o = CompileOptions::new("pyccobjtest");
    o.verify = true;
    o
}

/// A fresh directory under the system temp dir.
fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pycc-codegen-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

fn build_so(dir: &Path) -> PathBuf {
    let bytes = object::emit(&test_module(), &source(), &opts()).unwrap_or_else(|e| panic!("{e}"));
    let obj = dir.join("pyccobjtest.o");
    std::fs::write(&obj, bytes).expect("write object");
    let so = dir.join("pyccobjtest.so");
    crate::driver::link_shared(&obj, &so).unwrap_or_else(|e| panic!("{e}"));
    so
}

fn nm(args: &[&str], so: &Path) -> String {
    let out = Command::new("nm").args(args).arg(so).output().expect("run nm");
    assert!(out.status.success(), "nm failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn object_links_into_a_shared_library_that_exports_only_pyinit() {
    let dir = temp_dir("link");
    let so = build_so(&dir);
    let defined = nm(&["-D", "--defined-only"], &so);
    let exported: Vec<&str> = defined.lines().filter_map(|l| l.split_whitespace().nth(2)).collect();
    assert_eq!(exported, ["PyInit_pyccobjtest"], "{defined}");
    let undefined = nm(&["-D", "--undefined-only"], &so);
    for sym in ["PyImport_ImportModule", "PyObject_GetAttrString", "PyCapsule_GetPointer", "Py_DecRef", "PyErr_SetString", "PyExc_ImportError", "sin"] {
        assert!(undefined.lines().any(|l| l.split_whitespace().last().map(|s| s.split('@').next()) == Some(Some(sym))), "`{sym}` not imported:\n{undefined}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Imports the module in a fresh CPython with a fake `pycc._pycc._C_API` capsule.
/// `scenario`: `none` (no runtime), `version` (wrong API version), `ok`.
const IMPORT_SCRIPT: &str = r#"
import ctypes, importlib.util, sys, types
so, scenario = sys.argv[1], sys.argv[2]
MAKE = ctypes.CFUNCTYPE(ctypes.py_object, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p, ctypes.c_size_t)
class Api(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("make_module", MAKE)]
seen = {}
def make_module(desc, desc_len, entries, n):
    seen["desc"] = ctypes.string_at(desc, desc_len).decode()
    seen["entries"] = [ctypes.cast(entries, ctypes.POINTER(ctypes.c_void_p))[i] for i in range(n)]
    return types.ModuleType("pyccobjtest")
keep = []
if scenario == "none":
    sys.modules["pycc"] = None
else:
    api = Api(1 if scenario == "ok" else 999, MAKE(make_module))
    name = b"pycc._pycc._C_API"
    new = ctypes.pythonapi.PyCapsule_New
    new.restype = ctypes.py_object
    new.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]
    keep += [api, name]
    pkg = types.ModuleType("pycc"); pkg.__path__ = []
    # A lazy package, as the real one is: `_pycc` is in sys.modules but not an attribute
    # of the package (so PyCapsule_Import, which walks attributes, would fail).
    def lazy(attr):
        raise AttributeError(attr)
    pkg.__getattr__ = lazy
    sub = types.ModuleType("pycc._pycc")
    sub._C_API = new(ctypes.addressof(api), name, None)
    sys.modules["pycc"] = pkg; sys.modules["pycc._pycc"] = sub
spec = importlib.util.spec_from_file_location("pyccobjtest", so)
try:
    spec.loader.create_module(spec)
except ImportError as e:
    print("ImportError:", e)
except SystemError:
    pass  # a plain ModuleType is not an extension module: expected from this fake runtime
if scenario == "ok":
    print(seen["desc"], end="")
    ENTRY = ctypes.CFUNCTYPE(ctypes.c_uint32, ctypes.c_void_p, ctypes.POINTER(ctypes.c_uint64), ctypes.POINTER(ctypes.c_uint64))
    ctx = (ctypes.c_uint64 * 8)()
    add = ENTRY(seen["entries"][0])
    args = (ctypes.c_uint64 * 2)(40, 2); ret = ctypes.c_uint64(0)
    print("add", add(ctx, args, ctypes.byref(ret)), ret.value)
    args = (ctypes.c_uint64 * 2)(2**63 - 1, 1)
    print("overflow", add(ctx, args, ctypes.byref(ret)), ctypes.cast(ctx, ctypes.POINTER(ctypes.c_uint32))[0])
"#;

fn python() -> Option<String> {
    for py in ["python3", "python"] {
        if Command::new(py).arg("-c").arg("import ctypes").output().map(|o| o.status.success()).unwrap_or(false) {
            return Some(py.to_string());
        }
    }
    None
}

#[test]
fn pyinit_finds_the_runtime_through_the_capsule() {
    let Some(py) = python() else {
        eprintln!("skipped: no python3 with ctypes on PATH");
        return;
    };
    let dir = temp_dir("pyinit");
    let so = build_so(&dir);
    let run = |scenario: &str| {
        let out = Command::new(&py).arg("-c").arg(IMPORT_SCRIPT).arg(&so).arg(scenario).output().expect("run python");
        assert!(out.status.success(), "python failed ({scenario}): {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert_eq!(
        run("none").trim(),
        "ImportError: module `pyccobjtest` was built by pycc and needs its runtime: install the `pycc` package (pip install pycc)"
    );
    assert!(run("version").starts_with("ImportError: module `pyccobjtest` was built by a pycc version incompatible"));
    let ok = run("ok");
    let (desc_text, calls) = ok.split_at(ok.find("add ").expect("entry calls printed"));
    let desc = crate::abi::ModuleDesc::decode(desc_text).unwrap_or_else(|e| panic!("{e}: {desc_text}"));
    let names: Vec<&str> = desc.functions.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["add", "sine"]);
    assert_eq!(desc.doc.as_deref(), Some("a test module"));
    assert_eq!(desc.error_sites.len(), 1);
    assert_eq!(desc.functions[0].entry_symbol, "__pycc_entry_add");
    // add(40, 2) = 42 with status 0; add(MAX, 1) has status 1 and err_site 1.
    assert_eq!(calls, "add 0 42\noverflow 1 1\n");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn clif_and_asm_dumps() {
    let clif = object::emit_clif(&test_module(), &source(), &opts()).unwrap();
    assert!(clif.contains("function %__pycc_fn_add(i64, i64, i64) -> i64, i8"), "{clif}");
    assert!(clif.contains("; line 7"), "{clif}");
    assert!(clif.contains("sadd_overflow"), "{clif}");
    assert!(clif.contains("function %__pycc_entry_add"), "{clif}");
    assert!(clif.contains("function %PyInit_pyccobjtest"), "{clif}");
    let asm = object::emit_asm(&test_module(), &source(), &opts()).unwrap();
    assert!(asm.contains("; __pycc_fn_add") && asm.contains("; PyInit_pyccobjtest"), "{asm}");
    assert!(asm.lines().count() > 20, "{asm}");
}

#[test]
fn objects_target_a_portable_x86_64() {
    // A float function: with the build machine's AVX the instructions would be VEX-encoded
    // (`vaddsd`); the object must use the portable SSE2 forms.
    let m = module(vec![binop_func(0, "fadd", F64, BinOp::Add(Overflow::Wrap))]);
    let asm = object::emit_asm(&m, &source(), &opts()).unwrap();
    if cfg!(target_arch = "x86_64") {
        assert!(asm.contains("addsd") && !asm.contains("vaddsd"), "{asm}");
    }
}
