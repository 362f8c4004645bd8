//! Runtime: the compiled-function type, a raw CPython type with vectorcall.
//!
//! Consumes a `ModuleDesc` and entry addresses (from the JIT or from an AOT module's
//! `PyInit`) and produces one callable object per exported function. The call path reads the
//! vectorcall arguments, binds keywords and defaults, converts each argument into a `Slot`
//! on the stack (`convert.rs`), calls the entry with a `Ctx` on the stack, and converts the
//! result or raises the recorded error (`errors.rs`). Nothing on it allocates on the heap.
//!
//! Functions with memoryview parameters get a second call path (`vectorcall_views`, chosen
//! once when the function object is made), which also acquires each view argument's buffer
//! into a `views::ViewStore` and releases them after the call; the scalar path pays nothing
//! for views.
//!
//! `__name__`, `__qualname__`, `__module__` and `__doc__` live in the instance `__dict__`
//! (the type defines none of them as descriptors), so Python code sets them, and `py_func`,
//! `__wrapped__`, as it would on a plain function.

use crate::convert;
use crate::errors;
use crate::views::{InlineViews, ViewStore};
use pycc_compiler::abi::{AbiType, ModuleDesc, Slot, ViewDesc};
use pycc_compiler::driver::EntryFn;
use pycc_compiler::tir::{ParamDefault, ParamKind};
use pyo3::ffi;
use std::any::Any;
use std::ffi::{c_char, c_int, c_void, CString};
use std::mem::MaybeUninit;
use std::ptr::null_mut;
use std::sync::atomic::{AtomicPtr, Ordering};
use std::rc::Rc;

/// The most parameters an exported function may have: the call path keeps its arguments in
/// fixed arrays on the stack.
pub(crate) const MAX_PARAMS: usize = pycc_compiler::abi::MAX_PYTHON_PARAMS;

/// Reference counts (`Rc`) are only touched with the GIL held (building, `tp_dealloc`):
/// the module is declared `gil_used`, and a `nogil` call only borrows.
///
/// What every function of one module shares: the error-site table and, for JIT modules,
/// the artifact that owns the machine code (dropped when the last function object goes).
pub(crate) struct ModuleShared {
    pub(crate) file: CString,
    pub(crate) sites: Vec<errors::RaiseSite>,
    /// The constant objects compiled code reads (`Ctx::consts`), strong references. A
    /// `ConstObj::Func` slot holds `None` until `build_functions` puts its function there
    /// (hence the cells; compiled code only reads them).
    pub(crate) consts: Vec<std::cell::Cell<*mut ffi::PyObject>>,
    /// The globals dict compiled code looks names up in (`Ctx::globals`), a strong
    /// reference; null until the module's namespace exists, and in modules that look up no
    /// global (only those hold it, since it holds their functions: a cycle).
    pub(crate) globals: std::cell::Cell<*mut ffi::PyObject>,
    pub(crate) uses_globals: bool,
    _code: Option<Box<dyn Any>>,
}

impl ModuleShared {
    /// Must be called with the GIL held (it makes the constants).
    pub(crate) fn new(desc: &ModuleDesc, code: Option<Box<dyn Any>>) -> Result<ModuleShared, String> {
        let mut consts = Vec::with_capacity(desc.constants.len());
        for c in &desc.constants {
            // SAFETY: GIL held (the caller's contract).
            let obj = unsafe { convert::const_object_in(c, &consts) };
            if obj.is_null() {
                // SAFETY: as above.
                unsafe { ffi::PyErr_Clear() };
                for o in consts {
                    unsafe { ffi::Py_DECREF(o) };
                }
                return Err(format!("module `{}`: constant {c:?} could not be made", desc.name));
            }
            consts.push(obj);
        }
        Ok(ModuleShared {
            file: errors::c_string_lossy(&desc.file),
            sites: desc.error_sites.iter().map(errors::RaiseSite::new).collect(),
            consts: consts.into_iter().map(std::cell::Cell::new).collect(),
            globals: std::cell::Cell::new(null_mut()),
            uses_globals: desc.uses_globals,
            _code: code,
        })
    }

    /// Gives the module's globals dict to compiled code (only if it reads globals).
    /// GIL held.
    pub(crate) unsafe fn set_globals(&self, dict: *mut ffi::PyObject) {
        if !self.uses_globals || dict.is_null() {
            return;
        }
        ffi::Py_INCREF(dict);
        let old = self.globals.replace(dict);
        ffi::Py_XDECREF(old);
    }
}

impl Drop for ModuleShared {
    fn drop(&mut self) {
        // SAFETY: dropped with the last function object, in `tp_dealloc` (GIL held).
        unsafe {
            for o in &self.consts {
                ffi::Py_DECREF(o.get());
            }
            ffi::Py_XDECREF(self.globals.get());
        }
    }
}

/// One parameter, ready for the call path.
pub(crate) struct ParamSpec {
    pub(crate) name: String,
    pub(crate) ty: AbiType,
    /// The C type's name for messages (`unsigned char`).
    pub(crate) ty_name: String,
    pub(crate) default: Option<ParamDefault>,
    /// For integer types other than `I64`, the inclusive range the fast path accepts
    /// (`U64`'s is capped at `i64::MAX`; larger values take the slow path).
    pub(crate) range: Option<(i64, i64)>,
    /// `default` converted once into its slot.
    pub(crate) default_slot: Option<Slot>,
    /// The interned name, a strong reference: keyword lookup compares pointers first.
    pub(crate) key: *mut ffi::PyObject,
    pub(crate) kind: ParamKind,
}

/// Everything the call path needs for one function.
pub(crate) struct FuncData {
    pub(crate) module: Rc<ModuleShared>,
    pub(crate) entry: EntryFn,
    pub(crate) name: String,
    pub(crate) doc: Option<String>,
    pub(crate) params: Box<[ParamSpec]>,
    /// Positional parameters with a default (CPython's `len(__defaults__)`).
    pub(crate) n_defaults: usize,
    /// The shape of the signature: `params` are `n_posonly` positional-only, then
    /// positional-or-keyword up to `n_positional`, then `n_kwonly` keyword-only, then
    /// `*args` (`varargs`, its index) and `**kwargs` (`varkw`).
    pub(crate) n_positional: usize,
    pub(crate) n_posonly: usize,
    pub(crate) n_kwonly: usize,
    pub(crate) varargs: Option<usize>,
    pub(crate) varkw: Option<usize>,
    /// The positional count of the fast path (every parameter given positionally, no
    /// keywords): `params.len()` for plain signatures, `usize::MAX` (never) otherwise.
    pub(crate) fast_nargs: usize,
    pub(crate) ret: AbiType,
    /// Release the GIL around the native call (`FuncDesc::nogil`; the compiled subset never
    /// touches Python objects, so this is always safe; `@jit(nogil=True)` sets it too).
    pub(crate) nogil: bool,
    /// How many parameters are memoryviews: non-zero selects `vectorcall_views`.
    pub(crate) n_views: usize,
    /// The defaults given when the function was made at run time (`with_defaults`): the
    /// objects its default slots borrow (only dropped, never read).
    #[allow(dead_code)]
    pub(crate) owned_defaults: OwnedRefs,
}

/// Strong references, released on drop (GIL held: `FuncData` drops in `tp_dealloc`).
#[derive(Default)]
pub(crate) struct OwnedRefs(Vec<*mut ffi::PyObject>);

impl Drop for OwnedRefs {
    fn drop(&mut self) {
        for &o in &self.0 {
            // SAFETY: strong references, dropped with the GIL held.
            unsafe { ffi::Py_DECREF(o) };
        }
    }
}

impl Drop for ParamSpec {
    fn drop(&mut self) {
        // SAFETY: `FuncData` is only dropped from `tp_dealloc` or from the builder, both with
        // the GIL held; `key` is a strong reference owned by this spec (or null).
        unsafe { ffi::Py_XDECREF(self.key) }
    }
}

/// Builds the call-path data of every function in `desc`; `entries[i]` belongs to
/// `desc.functions[i]`. Must be called with the GIL held. The error is a message for the
/// user (the caller raises it as CompileError or ImportError). Whether a function releases
/// the GIL is its descriptor's `nogil` flag, for JIT and AOT alike.
pub(crate) fn build_functions(
    desc: &ModuleDesc,
    entries: &[EntryFn],
    code: Option<Box<dyn Any>>,
) -> Result<Vec<Rc<FuncData>>, String> {
    if desc.functions.len() != entries.len() {
        return Err(format!(
            "module `{}` describes {} functions but provides {} entry points",
            desc.name,
            desc.functions.len(),
            entries.len()
        ));
    }
    let shared = Rc::new(ModuleShared::new(desc, code)?);
    let consts: Vec<*mut ffi::PyObject> = shared.consts.iter().map(std::cell::Cell::get).collect();
    let mut out = Vec::with_capacity(entries.len());
    for (func, &entry) in desc.functions.iter().zip(entries) {
        if func.params.len() > MAX_PARAMS {
            return Err(format!(
                "function `{}` has {} parameters; pycc supports at most {MAX_PARAMS} in a function called from Python",
                func.name,
                func.params.len()
            ));
        }
        let mut params = Vec::with_capacity(func.params.len());
        for p in &func.params {
            if p.ty == AbiType::Void {
                return Err(format!("function `{}`: parameter `{}` has type `void`", func.name, p.name));
            }
            if let AbiType::View(v) = p.ty {
                if !(1..=ViewDesc::MAX_DIMS as u8).contains(&v.ndim) {
                    return Err(format!(
                        "function `{}`: parameter `{}` is a {}-dimensional memoryview; pycc supports 1 to {}",
                        func.name,
                        p.name,
                        v.ndim,
                        ViewDesc::MAX_DIMS
                    ));
                }
            }
            let default_slot = match &p.default {
                None => None,
                Some(c) => Some(convert::default_slot(p.ty, c, &consts).map_err(|why| {
                    format!("function `{}`: default of parameter `{}`: {why}", func.name, p.name)
                })?),
            };
            let key = intern(&p.name);
            if key.is_null() {
                // SAFETY: GIL held (see the function's contract).
                unsafe { ffi::PyErr_Clear() };
                return Err(format!("function `{}`: parameter name `{}` is not a valid string", func.name, p.name));
            }
            params.push(ParamSpec {
                name: p.name.clone(),
                ty: p.ty,
                ty_name: if p.ty_name.is_empty() { convert::default_type_name(p.ty).to_string() } else { p.ty_name.clone() },
                default: p.default,
                range: match p.ty.int_range() {
                    Some((lo, hi)) if p.ty != AbiType::I64 => Some((lo as i64, hi.min(i64::MAX as i128) as i64)),
                    _ => None,
                },
                default_slot,
                key,
                kind: p.kind,
            });
        }
        let count = |k: ParamKind| params.iter().filter(|p| p.kind == k).count();
        let (n_posonly, n_kwonly) = (count(ParamKind::PosOnly), count(ParamKind::KwOnly));
        let n_positional = n_posonly + count(ParamKind::Positional);
        let varargs = params.iter().position(|p| p.kind == ParamKind::VarArgs);
        let varkw = params.iter().position(|p| p.kind == ParamKind::VarKw);
        // CPython's order, which `bind` relies on.
        let ordered = params.windows(2).all(|w| rank(w[0].kind) <= rank(w[1].kind)) && count(ParamKind::VarArgs) <= 1 && count(ParamKind::VarKw) <= 1;
        if !ordered {
            return Err(format!("function `{}`: parameters out of order", func.name));
        }
        let plain = n_positional == params.len();
        out.push(Rc::new(FuncData {
            module: shared.clone(),
            entry,
            name: func.name.clone(),
            doc: func.doc.clone(),
            n_defaults: params.iter().filter(|p| p.kind.positional() && p.default_slot.is_some()).count(),
            n_positional,
            n_posonly,
            n_kwonly,
            varargs,
            varkw,
            fast_nargs: if plain { params.len() } else { usize::MAX },
            params: params.into_boxed_slice(),
            ret: func.ret,
            nogil: func.nogil,
            n_views: func.params.iter().filter(|p| matches!(p.ty, AbiType::View(_))).count(),
            owned_defaults: OwnedRefs::default(),
        }));
    }
    make_hidden_functions(desc, &shared, &mut out)?;
    Ok(out)
}

/// The functions the module's code makes as values (`ConstObj::Func`: lambdas, nested
/// `def`s): one object each, with its `__qualname__`, put into its constant slot. They are
/// the last functions of `desc` and are taken out of `funcs` (they are not in the module's
/// dict). GIL held.
fn make_hidden_functions(desc: &ModuleDesc, shared: &ModuleShared, funcs: &mut Vec<Rc<FuncData>>) -> Result<(), String> {
    let mut hidden = vec![false; funcs.len()];
    // SAFETY: GIL held (the caller's contract).
    let module_name = unsafe { str_object(&desc.name) };
    if module_name.is_null() {
        // SAFETY: GIL held (the caller's contract).
        unsafe { ffi::PyErr_Clear() };
        return Err(format!("module `{}`: its name is not a valid string", desc.name));
    }
    let mut result = Ok(());
    for (k, c) in desc.constants.iter().enumerate() {
        let pycc_compiler::abi::ConstObj::Func { func, qualname } = c else { continue };
        let Some(data) = funcs.get_mut(*func as usize) else {
            result = Err(format!("module `{}`: constant {k} names function {func}, which does not exist", desc.name));
            break;
        };
        hidden[*func as usize] = true;
        // Argument errors name the function by its qualified name, as CPython's do.
        let short = data.name.clone();
        if let Some(d) = Rc::get_mut(data) {
            d.name = qualname.clone();
        }
        // SAFETY: GIL held; `new_function` returns a new reference or null with an error set.
        let obj = unsafe {
            let obj = new_function(data.clone(), module_name);
            if !obj.is_null() && !(*obj.cast::<PyccFunction>()).dict.is_null() && !set_str_item((*obj.cast::<PyccFunction>()).dict, c"__name__", &short) {
                ffi::Py_DECREF(obj);
                null_mut()
            } else {
                obj
            }
        };
        if obj.is_null() {
            // SAFETY: GIL held.
            unsafe { ffi::PyErr_Clear() };
            result = Err(format!("module `{}`: the function `{qualname}` could not be made", desc.name));
            break;
        }
        let old = shared.consts[k].replace(obj);
        // SAFETY: GIL held; `old` is the placeholder's strong reference.
        unsafe { ffi::Py_DECREF(old) };
    }
    // SAFETY: GIL held; our reference.
    unsafe { ffi::Py_DECREF(module_name) };
    result?;
    let first = hidden.iter().position(|&h| h).unwrap_or(hidden.len());
    if hidden[first..].iter().any(|&h| !h) {
        return Err(format!("module `{}`: its lambdas and nested functions are not its last functions", desc.name));
    }
    funcs.truncate(first);
    Ok(())
}

/// `f.__pycc_with_defaults__(defaults)`: a copy of `f` whose last `len(defaults)`
/// parameters default to those objects (the `lambda`/`def` whose defaults are computed
/// when it runs: compiled code calls this on the function's constant). New reference, or
/// null with an exception set. GIL held.
unsafe extern "C" fn with_defaults(obj: *mut ffi::PyObject, defaults: *mut ffi::PyObject) -> *mut ffi::PyObject {
    let Some(data) = data_of(obj) else { return null_mut() };
    if ffi::PyTuple_Check(defaults) == 0 {
        errors::raise(ffi::PyExc_TypeError, "__pycc_with_defaults__ expects a tuple");
        return null_mut();
    }
    let n = ffi::PyTuple_GET_SIZE(defaults) as usize;
    if n > data.n_positional {
        errors::raise(ffi::PyExc_ValueError, "__pycc_with_defaults__: more defaults than positional parameters");
        return null_mut();
    }
    // The last `n` positional parameters (CPython's `__defaults__`).
    let first = data.n_positional - n;
    let mut owned = OwnedRefs::default();
    let mut params = Vec::with_capacity(data.params.len());
    for (i, p) in data.params.iter().enumerate() {
        let mut default_slot = p.default_slot;
        if i >= first && i < data.n_positional {
            let value = ffi::PyTuple_GET_ITEM(defaults, (i - first) as ffi::Py_ssize_t);
            if matches!(p.ty, AbiType::View(_)) {
                errors::raise(ffi::PyExc_TypeError, "pycc: a memoryview parameter cannot get a default at run time");
                return null_mut();
            }
            default_slot = match convert::arg_to_slot(data, p, value) {
                Some(slot) => Some(slot),
                None => return null_mut(),
            };
            ffi::Py_INCREF(value);
            owned.0.push(value);
        }
        if !p.key.is_null() {
            ffi::Py_INCREF(p.key);
        }
        params.push(ParamSpec {
            name: p.name.clone(),
            ty: p.ty,
            ty_name: p.ty_name.clone(),
            default: p.default,
            range: p.range,
            default_slot,
            key: p.key,
            kind: p.kind,
        });
    }
    let copy = Rc::new(FuncData {
        module: data.module.clone(),
        entry: data.entry,
        name: data.name.clone(),
        doc: data.doc.clone(),
        n_defaults: params[..data.n_positional].iter().filter(|p| p.default_slot.is_some()).count(),
        params: params.into_boxed_slice(),
        n_positional: data.n_positional,
        n_posonly: data.n_posonly,
        n_kwonly: data.n_kwonly,
        varargs: data.varargs,
        varkw: data.varkw,
        fast_nargs: data.fast_nargs,
        ret: data.ret,
        nogil: data.nogil,
        n_views: data.n_views,
        owned_defaults: owned,
    });
    let f = obj as *mut PyccFunction;
    let module_name = if (*f).dict.is_null() { null_mut() } else { ffi::PyDict_GetItemString((*f).dict, c"__module__".as_ptr()) };
    let module_name = if module_name.is_null() { ffi::Py_None() } else { module_name };
    let new = new_function(copy, module_name);
    if new.is_null() {
        return null_mut();
    }
    if !(*f).dict.is_null() {
        for key in [c"__name__", c"__qualname__", c"__doc__"] {
            let value = ffi::PyDict_GetItemString((*f).dict, key.as_ptr());
            if !value.is_null() && ffi::PyDict_SetItemString((*new.cast::<PyccFunction>()).dict, key.as_ptr(), value) != 0 {
                ffi::Py_DECREF(new);
                return null_mut();
            }
        }
    }
    new
}

/// The order of parameter kinds in a signature.
fn rank(k: ParamKind) -> u8 {
    match k {
        ParamKind::PosOnly => 0,
        ParamKind::Positional => 1,
        ParamKind::KwOnly => 2,
        ParamKind::VarArgs => 3,
        ParamKind::VarKw => 4,
    }
}

fn intern(name: &str) -> *mut ffi::PyObject {
    match CString::new(name) {
        // SAFETY: GIL held by the caller of `build_functions`.
        Ok(c) => unsafe { ffi::PyUnicode_InternFromString(c.as_ptr()) },
        Err(_) => null_mut(),
    }
}

/// The instance layout.
#[repr(C)]
pub(crate) struct PyccFunction {
    ob_base: ffi::PyObject,
    vectorcall: Option<ffi::vectorcallfunc>,
    dict: *mut ffi::PyObject,
    /// `Rc::into_raw` of the function's data; null only while the object is being built.
    data: *const FuncData,
}

static FUNCTION_TYPE: AtomicPtr<ffi::PyTypeObject> = AtomicPtr::new(null_mut());

/// The type object, created on first use (at `_pycc` import). GIL held.
pub(crate) unsafe fn function_type() -> *mut ffi::PyTypeObject {
    let existing = FUNCTION_TYPE.load(Ordering::Acquire);
    if !existing.is_null() {
        return existing;
    }
    let members: &'static mut [ffi::PyMemberDef] = Box::leak(Box::new([
        ffi::PyMemberDef {
            name: c"__vectorcalloffset__".as_ptr(),
            type_code: ffi::Py_T_PYSSIZET,
            offset: std::mem::offset_of!(PyccFunction, vectorcall) as ffi::Py_ssize_t,
            flags: ffi::Py_READONLY,
            doc: std::ptr::null(),
        },
        ffi::PyMemberDef {
            name: c"__dictoffset__".as_ptr(),
            type_code: ffi::Py_T_PYSSIZET,
            offset: std::mem::offset_of!(PyccFunction, dict) as ffi::Py_ssize_t,
            flags: ffi::Py_READONLY,
            doc: std::ptr::null(),
        },
        ffi::PyMemberDef::default(),
    ]));
    let getsets: &'static mut [ffi::PyGetSetDef] = Box::leak(Box::new([
        ffi::PyGetSetDef {
            name: c"__dict__".as_ptr(),
            get: Some(ffi::PyObject_GenericGetDict),
            set: Some(ffi::PyObject_GenericSetDict),
            doc: std::ptr::null(),
            closure: null_mut(),
        },
        ffi::PyGetSetDef {
            name: c"__signature__".as_ptr(),
            get: Some(get_signature),
            set: Some(set_signature),
            doc: c"the inspect.Signature, built from the parameter descriptions on first use".as_ptr(),
            closure: null_mut(),
        },
        ffi::PyGetSetDef {
            name: c"__pycc_params__".as_ptr(),
            get: Some(get_params),
            set: None,
            doc: c"((name, C type name, has_default, default), ...)".as_ptr(),
            closure: null_mut(),
        },
        ffi::PyGetSetDef {
            name: c"__pycc_param_kinds__".as_ptr(),
            get: Some(get_param_kinds),
            set: None,
            doc: c"(kind, ...): pos, posonly, kwonly, varargs or varkw per parameter".as_ptr(),
            closure: null_mut(),
        },
        ffi::PyGetSetDef {
            name: c"__pycc_return__".as_ptr(),
            get: Some(get_return),
            set: None,
            doc: c"the ABI name of the return type (i64, f64, bool, void, ...)".as_ptr(),
            closure: null_mut(),
        },
        ffi::PyGetSetDef {
            name: c"__pycc_nogil__".as_ptr(),
            get: Some(get_nogil),
            set: None,
            doc: c"whether calls release the GIL".as_ptr(),
            closure: null_mut(),
        },
        ffi::PyGetSetDef::default(),
    ]));
    let methods: &'static mut [ffi::PyMethodDef] = Box::leak(Box::new([
        ffi::PyMethodDef {
            ml_name: c"__pycc_with_defaults__".as_ptr(),
            ml_meth: ffi::PyMethodDefPointer { PyCFunction: with_defaults },
            ml_flags: ffi::METH_O,
            ml_doc: c"a copy of the function with new defaults for its last parameters (lambdas and nested defs)".as_ptr(),
        },
        ffi::PyMethodDef::zeroed(),
    ]));
    let slots: &'static mut [ffi::PyType_Slot] = Box::leak(Box::new([
        ffi::PyType_Slot { slot: ffi::Py_tp_methods, pfunc: methods.as_mut_ptr() as *mut c_void },
        ffi::PyType_Slot { slot: ffi::Py_tp_call, pfunc: ffi::PyVectorcall_Call as *mut c_void },
        ffi::PyType_Slot { slot: ffi::Py_tp_dealloc, pfunc: dealloc as *mut c_void },
        ffi::PyType_Slot { slot: ffi::Py_tp_traverse, pfunc: traverse as *mut c_void },
        ffi::PyType_Slot { slot: ffi::Py_tp_clear, pfunc: clear as *mut c_void },
        ffi::PyType_Slot { slot: ffi::Py_tp_repr, pfunc: repr as *mut c_void },
        ffi::PyType_Slot { slot: ffi::Py_tp_new, pfunc: refuse_new as *mut c_void },
        ffi::PyType_Slot { slot: ffi::Py_tp_members, pfunc: members.as_mut_ptr() as *mut c_void },
        ffi::PyType_Slot { slot: ffi::Py_tp_getset, pfunc: getsets.as_mut_ptr() as *mut c_void },
        ffi::PyType_Slot {
            slot: ffi::Py_tp_doc,
            pfunc: c"A function compiled by pycc, called through vectorcall.".as_ptr() as *mut c_void,
        },
        ffi::PyType_Slot::default(),
    ]));
    let spec: &'static mut ffi::PyType_Spec = Box::leak(Box::new(ffi::PyType_Spec {
        name: c"pycc._pycc.CompiledFunction".as_ptr(),
        basicsize: std::mem::size_of::<PyccFunction>() as c_int,
        itemsize: 0,
        flags: (ffi::Py_TPFLAGS_DEFAULT | ffi::Py_TPFLAGS_HAVE_GC | ffi::Py_TPFLAGS_HAVE_VECTORCALL) as _,
        slots: slots.as_mut_ptr(),
    }));
    let tp = ffi::PyType_FromSpec(spec) as *mut ffi::PyTypeObject;
    if !tp.is_null() {
        FUNCTION_TYPE.store(tp, Ordering::Release);
    }
    tp
}

/// A new function object (new reference), or null with an exception set. GIL held.
pub(crate) unsafe fn new_function(data: Rc<FuncData>, module_name: *mut ffi::PyObject) -> *mut ffi::PyObject {
    let tp = function_type();
    if tp.is_null() {
        return null_mut();
    }
    let dict = ffi::PyDict_New();
    if dict.is_null() {
        return null_mut();
    }
    let ok = set_str_item(dict, c"__name__", &data.name)
        && set_str_item(dict, c"__qualname__", &data.name)
        && ffi::PyDict_SetItemString(dict, c"__module__".as_ptr(), module_name) == 0
        && match &data.doc {
            Some(doc) => set_str_item(dict, c"__doc__", doc),
            None => ffi::PyDict_SetItemString(dict, c"__doc__".as_ptr(), ffi::Py_None()) == 0,
        };
    if !ok {
        ffi::Py_DECREF(dict);
        return null_mut();
    }
    let obj = ffi::PyType_GenericAlloc(tp, 0);
    if obj.is_null() {
        ffi::Py_DECREF(dict);
        return null_mut();
    }
    let f = obj as *mut PyccFunction;
    // Decided once per function: the scalar path never looks at views.
    (*f).vectorcall = Some(if data.n_views > 0 { vectorcall_views } else { vectorcall });
    (*f).dict = dict;
    (*f).data = Rc::into_raw(data);
    obj
}

/// Runs the module body `data` (`ModuleDesc::body`) once: 0, or -1 with its exception set.
/// It goes through a function object, so that its errors get the traceback line any
/// compiled function's get. GIL held.
pub(crate) unsafe fn run_body(data: Rc<FuncData>, module_name: *mut ffi::PyObject) -> i32 {
    let obj = new_function(data, module_name);
    if obj.is_null() {
        return -1;
    }
    let result = ffi::PyObject_CallNoArgs(obj);
    ffi::Py_DECREF(obj);
    if result.is_null() {
        return -1;
    }
    ffi::Py_DECREF(result);
    0
}

unsafe fn set_str_item(dict: *mut ffi::PyObject, key: &std::ffi::CStr, value: &str) -> bool {
    let s = ffi::PyUnicode_FromStringAndSize(value.as_ptr() as *const c_char, value.len() as ffi::Py_ssize_t);
    if s.is_null() {
        return false;
    }
    let rc = ffi::PyDict_SetItemString(dict, key.as_ptr(), s);
    ffi::Py_DECREF(s);
    rc == 0
}

/// The function's data, or None (with TypeError set) for an object of another type.
unsafe fn data_of<'a>(obj: *mut ffi::PyObject) -> Option<&'a FuncData> {
    let f = obj as *mut PyccFunction;
    if (*f).data.is_null() {
        errors::raise(ffi::PyExc_TypeError, "uninitialised pycc function");
        return None;
    }
    Some(&*(*f).data)
}

/// The call path. `args[..nargs]` are positional, then one value per name in `kwnames`
/// (all borrowed from the caller).
unsafe extern "C" fn vectorcall(
    callable: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargsf: usize,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    let Some(data) = data_of(callable) else { return null_mut() };
    let nargs = ffi::PyVectorcall_NARGS(nargsf) as usize;
    let params = &data.params[..];
    let n = params.len();
    // Only the first `n` slots are written (and read by the entry): no zeroing per call.
    let mut slots = [MaybeUninit::<Slot>::uninit(); MAX_PARAMS];
    if kwnames.is_null() && nargs == data.fast_nargs {
        // The common case: every argument given positionally.
        for (i, param) in params.iter().enumerate().take(n) {
            match convert::arg_to_slot(data, param, *args.add(i)) {
                Some(slot) => slots[i] = MaybeUninit::new(slot),
                None => return null_mut(),
            }
        }
        return call_entry(data, slots.as_ptr() as *const Slot);
    }
    let mut made = Collected::default();
    if !bind_and_convert(data, args, nargs, kwnames, &mut slots, &mut made) {
        return null_mut();
    }
    call_entry(data, slots.as_ptr() as *const Slot)
}

/// The `*args` tuple and `**kwargs` dict a call made (new references, null when the
/// function has none), released when the call is over.
pub(crate) struct Collected {
    varargs: *mut ffi::PyObject,
    varkw: *mut ffi::PyObject,
}

impl Default for Collected {
    fn default() -> Collected {
        Collected { varargs: null_mut(), varkw: null_mut() }
    }
}

impl Drop for Collected {
    fn drop(&mut self) {
        // SAFETY: made and dropped inside a call path, with the GIL held (a `nogil` call
        // has taken it back by the time the path returns).
        unsafe {
            ffi::Py_XDECREF(self.varargs);
            ffi::Py_XDECREF(self.varkw);
        }
    }
}

/// The call path of a function with memoryview parameters: as `vectorcall`, plus the views'
/// buffers, acquired (with the GIL) into `store` before the call and released when it drops
/// (with the GIL again), on every path out of this function.
unsafe extern "C" fn vectorcall_views(
    callable: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargsf: usize,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    let Some(data) = data_of(callable) else { return null_mut() };
    let nargs = ffi::PyVectorcall_NARGS(nargsf) as usize;
    let params = &data.params[..];
    let mut bound = MaybeUninit::<[*mut ffi::PyObject; MAX_PARAMS]>::uninit();
    let mut made = Collected::default();
    let objs: *const *mut ffi::PyObject = if kwnames.is_null() && nargs == data.fast_nargs {
        args
    } else {
        let bound = bound.write([null_mut(); MAX_PARAMS]);
        if !bind(data, args, nargs, kwnames, bound, &mut made) {
            return null_mut();
        }
        bound.as_ptr()
    };
    let mut inline = InlineViews::uninit();
    let mut store = ViewStore::new(data.n_views, &mut inline);
    let mut slots = [MaybeUninit::<Slot>::uninit(); MAX_PARAMS];
    for (i, param) in params.iter().enumerate() {
        let obj = *objs.add(i);
        let slot = if obj.is_null() {
            param.default_slot.unwrap_or(0)
        } else if let AbiType::View(abi) = param.ty {
            match store.acquire(data, param, abi, obj) {
                Some(slot) => slot,
                None => return null_mut(),
            }
        } else {
            match convert::arg_to_slot(data, param, obj) {
                Some(slot) => slot,
                None => return null_mut(),
            }
        };
        slots[i] = MaybeUninit::new(slot);
    }
    let result = call_entry(data, slots.as_ptr() as *const Slot);
    drop(store);
    drop(made);
    result
}

/// Calls the entry on converted slots (releasing the GIL around it for `nogil` functions)
/// and converts its result or raises its recorded error.
#[inline(always)]
unsafe fn call_entry(data: &FuncData, slots: *const Slot) -> *mut ffi::PyObject {
    let mut ctx = crate::services::new_ctx();
    ctx.globals = data.module.globals.get() as *mut c_void;
    // `Cell<*mut PyObject>` has the layout of `*mut PyObject`.
    ctx.consts = data.module.consts.as_ptr() as *const *mut c_void;
    let mut ret: Slot = 0;
    let status = if data.nogil {
        let saved = ffi::PyEval_SaveThread();
        let status = (data.entry)(&mut ctx, slots, &mut ret);
        ffi::PyEval_RestoreThread(saved);
        status
    } else {
        (data.entry)(&mut ctx, slots, &mut ret)
    };
    if status != 0 {
        return errors::raise_from_ctx(data, status, &ctx);
    }
    convert::slot_to_object(data.ret, ret)
}

/// The general binding for the scalar path: `bind`, then converts in parameter order.
/// False with an exception set.
#[inline(never)]
unsafe fn bind_and_convert(
    data: &FuncData,
    args: *const *mut ffi::PyObject,
    nargs: usize,
    kwnames: *mut ffi::PyObject,
    slots: &mut [MaybeUninit<Slot>; MAX_PARAMS],
    made: &mut Collected,
) -> bool {
    let mut bound: [*mut ffi::PyObject; MAX_PARAMS] = [null_mut(); MAX_PARAMS];
    if !bind(data, args, nargs, kwnames, &mut bound, made) {
        return false;
    }
    for (i, param) in data.params.iter().enumerate() {
        let obj = bound[i];
        let slot = if obj.is_null() {
            param.default_slot.unwrap_or(0)
        } else {
            match convert::arg_to_slot(data, param, obj) {
                Some(slot) => slot,
                None => return false,
            }
        };
        slots[i] = MaybeUninit::new(slot);
    }
    true
}

/// The general binding, as CPython 3.11's `initialize_locals` (Python/ceval.c) binds a
/// Python function's arguments: positional arguments (the rest into `*args`), then keywords
/// (unexpected / duplicate / positional-only; unknown ones into `**kwargs`), then too many
/// positional, then missing positional, then missing keyword-only. `bound` (all null on
/// entry) gets each parameter's argument, null for one left to its default; the tuple and
/// dict made for `*args`/`**kwargs` go into `made` too. False with an exception set.
#[inline(never)]
unsafe fn bind(
    data: &FuncData,
    args: *const *mut ffi::PyObject,
    nargs: usize,
    kwnames: *mut ffi::PyObject,
    bound: &mut [*mut ffi::PyObject; MAX_PARAMS],
    made: &mut Collected,
) -> bool {
    let params = &data.params[..];
    let np = data.n_positional;
    for (i, slot) in bound.iter_mut().enumerate().take(nargs.min(np)) {
        *slot = *args.add(i);
    }
    if let Some(k) = data.varkw {
        made.varkw = ffi::PyDict_New();
        if made.varkw.is_null() {
            return false;
        }
        bound[k] = made.varkw;
    }
    if let Some(k) = data.varargs {
        let extra = nargs.saturating_sub(np);
        made.varargs = ffi::PyTuple_New(extra as ffi::Py_ssize_t);
        if made.varargs.is_null() {
            return false;
        }
        for j in 0..extra {
            let item = *args.add(np + j);
            ffi::Py_INCREF(item);
            ffi::PyTuple_SET_ITEM(made.varargs, j as ffi::Py_ssize_t, item);
        }
        bound[k] = made.varargs;
    }
    if !kwnames.is_null() {
        let nkw = ffi::PyTuple_GET_SIZE(kwnames) as usize;
        // Keywords name positional-or-keyword and keyword-only parameters.
        let named = &params[data.n_posonly..np + data.n_kwonly];
        for k in 0..nkw {
            let key = ffi::PyTuple_GET_ITEM(kwnames, k as ffi::Py_ssize_t);
            if ffi::PyUnicode_Check(key) == 0 {
                convert::unexpected_keyword(data, key);
                return false;
            }
            let value = *args.add(nargs + k);
            let Some(index) = convert::keyword_index(named, key).map(|i| i + data.n_posonly) else {
                if !made.varkw.is_null() {
                    if ffi::PyDict_SetItem(made.varkw, key, value) < 0 {
                        return false;
                    }
                    continue;
                }
                if !convert::positional_only_as_keyword(data, kwnames) {
                    convert::unexpected_keyword(data, key);
                }
                return false;
            };
            if !bound[index].is_null() {
                convert::multiple_values(data, index);
                return false;
            }
            bound[index] = value;
        }
    }
    if nargs > np && data.varargs.is_none() {
        convert::too_many_positional(data, nargs, &bound[np..np + data.n_kwonly]);
        return false;
    }
    if (0..np).any(|i| bound[i].is_null() && params[i].default_slot.is_none()) {
        convert::missing_arguments(data, &bound[..np], 0, "positional");
        return false;
    }
    if (np..np + data.n_kwonly).any(|i| bound[i].is_null() && params[i].default_slot.is_none()) {
        convert::missing_arguments(data, &bound[np..np + data.n_kwonly], np, "keyword-only");
        return false;
    }
    true
}

unsafe extern "C" fn dealloc(obj: *mut ffi::PyObject) {
    let tp = ffi::Py_TYPE(obj);
    ffi::PyObject_GC_UnTrack(obj as *mut c_void);
    let f = obj as *mut PyccFunction;
    ffi::Py_CLEAR(&mut (*f).dict);
    let data = std::mem::replace(&mut (*f).data, std::ptr::null());
    if !data.is_null() {
        drop(Rc::from_raw(data));
    }
    if let Some(free) = (*tp).tp_free {
        free(obj as *mut c_void);
    }
    ffi::Py_DECREF(tp as *mut ffi::PyObject);
}

unsafe extern "C" fn traverse(obj: *mut ffi::PyObject, visit: ffi::visitproc, arg: *mut c_void) -> c_int {
    let f = obj as *mut PyccFunction;
    if !(*f).dict.is_null() {
        let rc = visit((*f).dict, arg);
        if rc != 0 {
            return rc;
        }
    }
    // Instances of heap types must visit their type (Python >= 3.9).
    visit(ffi::Py_TYPE(obj) as *mut ffi::PyObject, arg)
}

unsafe extern "C" fn clear(obj: *mut ffi::PyObject) -> c_int {
    let f = obj as *mut PyccFunction;
    ffi::Py_CLEAR(&mut (*f).dict);
    0
}

unsafe extern "C" fn repr(obj: *mut ffi::PyObject) -> *mut ffi::PyObject {
    let f = obj as *mut PyccFunction;
    if !(*f).dict.is_null() {
        let qualname = ffi::PyDict_GetItemString((*f).dict, c"__qualname__".as_ptr());
        if !qualname.is_null() && ffi::PyUnicode_Check(qualname) != 0 {
            return ffi::PyUnicode_FromFormat(c"<pycc function %U>".as_ptr(), qualname);
        }
    }
    let name = if (*f).data.is_null() { "?" } else { (*(*f).data).name.as_str() };
    let text = format!("<pycc function {name}>");
    ffi::PyUnicode_FromStringAndSize(text.as_ptr() as *const c_char, text.len() as ffi::Py_ssize_t)
}

unsafe extern "C" fn refuse_new(
    _tp: *mut ffi::PyTypeObject,
    _args: *mut ffi::PyObject,
    _kwargs: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    errors::raise(ffi::PyExc_TypeError, "cannot create 'pycc._pycc.CompiledFunction' instances: use pycc.jit or pycc.compile_source");
    null_mut()
}

unsafe extern "C" fn get_signature(obj: *mut ffi::PyObject, _closure: *mut c_void) -> *mut ffi::PyObject {
    let f = obj as *mut PyccFunction;
    if (*f).dict.is_null() {
        (*f).dict = ffi::PyDict_New();
        if (*f).dict.is_null() {
            return null_mut();
        }
    }
    let cached = ffi::PyDict_GetItemString((*f).dict, c"__signature__".as_ptr());
    if !cached.is_null() {
        ffi::Py_INCREF(cached);
        return cached;
    }
    // Built in Python (`pycc._signature`), so `inspect` is imported only when asked for.
    let module = ffi::PyImport_ImportModule(c"pycc._signature".as_ptr());
    if module.is_null() {
        return null_mut();
    }
    let sig = ffi::PyObject_CallMethod(module, c"signature_of".as_ptr(), c"O".as_ptr(), obj);
    ffi::Py_DECREF(module);
    if sig.is_null() {
        return null_mut();
    }
    if ffi::PyDict_SetItemString((*f).dict, c"__signature__".as_ptr(), sig) != 0 {
        ffi::Py_DECREF(sig);
        return null_mut();
    }
    sig
}

unsafe extern "C" fn set_signature(obj: *mut ffi::PyObject, value: *mut ffi::PyObject, _closure: *mut c_void) -> c_int {
    let f = obj as *mut PyccFunction;
    if (*f).dict.is_null() {
        (*f).dict = ffi::PyDict_New();
        if (*f).dict.is_null() {
            return -1;
        }
    }
    if value.is_null() {
        if ffi::PyDict_DelItemString((*f).dict, c"__signature__".as_ptr()) != 0 {
            ffi::PyErr_Clear();
        }
        return 0;
    }
    ffi::PyDict_SetItemString((*f).dict, c"__signature__".as_ptr(), value)
}

unsafe extern "C" fn get_params(obj: *mut ffi::PyObject, _closure: *mut c_void) -> *mut ffi::PyObject {
    let Some(data) = data_of(obj) else { return null_mut() };
    let tuple = ffi::PyTuple_New(data.params.len() as ffi::Py_ssize_t);
    if tuple.is_null() {
        return null_mut();
    }
    for (i, p) in data.params.iter().enumerate() {
        let default = match (&p.default, p.default_slot) {
            // An object default's slot is the object (a constant, or one given at run time
            // by `__pycc_with_defaults__`), borrowed.
            (Some(_), Some(slot)) if matches!(p.ty, AbiType::Object(_)) && slot != 0 => {
                let obj = slot as *mut ffi::PyObject;
                ffi::Py_INCREF(obj);
                obj
            }
            _ => null_mut(),
        };
        let default = if !default.is_null() {
            default
        } else {
            match &p.default {
                Some(ParamDefault::Const(c)) => convert::const_to_object(p.ty, c),
                Some(ParamDefault::Object(k)) => match data.module.consts.get(*k as usize).map(std::cell::Cell::get) {
                    Some(obj) => {
                        ffi::Py_INCREF(obj);
                        obj
                    }
                    None => {
                        errors::raise(ffi::PyExc_SystemError, "pycc: a default names a missing constant");
                        null_mut()
                    }
                },
                // A default the module's code evaluates (held by compiled code, not here).
                Some(ParamDefault::Global(_)) | None => {
                    ffi::Py_INCREF(ffi::Py_None());
                    ffi::Py_None()
                }
            }
        };
        if default.is_null() {
            ffi::Py_DECREF(tuple);
            return null_mut();
        }
        let has_default = if p.default.is_some() { ffi::Py_True() } else { ffi::Py_False() };
        ffi::Py_INCREF(has_default);
        let item = ffi::PyTuple_New(4);
        let name = str_object(&p.name);
        let ty_name = str_object(&p.ty_name);
        if item.is_null() || name.is_null() || ty_name.is_null() {
            for obj in [item, name, ty_name, has_default, default] {
                ffi::Py_XDECREF(obj);
            }
            ffi::Py_DECREF(tuple);
            return null_mut();
        }
        for (j, obj) in [name, ty_name, has_default, default].into_iter().enumerate() {
            ffi::PyTuple_SET_ITEM(item, j as ffi::Py_ssize_t, obj);
        }
        ffi::PyTuple_SET_ITEM(tuple, i as ffi::Py_ssize_t, item);
    }
    tuple
}

unsafe extern "C" fn get_param_kinds(obj: *mut ffi::PyObject, _closure: *mut c_void) -> *mut ffi::PyObject {
    let Some(data) = data_of(obj) else { return null_mut() };
    let tuple = ffi::PyTuple_New(data.params.len() as ffi::Py_ssize_t);
    if tuple.is_null() {
        return null_mut();
    }
    for (i, p) in data.params.iter().enumerate() {
        let name = str_object(p.kind.name());
        if name.is_null() {
            ffi::Py_DECREF(tuple);
            return null_mut();
        }
        ffi::PyTuple_SET_ITEM(tuple, i as ffi::Py_ssize_t, name);
    }
    tuple
}

unsafe fn str_object(text: &str) -> *mut ffi::PyObject {
    ffi::PyUnicode_FromStringAndSize(text.as_ptr() as *const c_char, text.len() as ffi::Py_ssize_t)
}

unsafe extern "C" fn get_return(obj: *mut ffi::PyObject, _closure: *mut c_void) -> *mut ffi::PyObject {
    let Some(data) = data_of(obj) else { return null_mut() };
    let name = data.ret.name();
    ffi::PyUnicode_FromStringAndSize(name.as_ptr() as *const c_char, name.len() as ffi::Py_ssize_t)
}

unsafe extern "C" fn get_nogil(obj: *mut ffi::PyObject, _closure: *mut c_void) -> *mut ffi::PyObject {
    let Some(data) = data_of(obj) else { return null_mut() };
    ffi::PyBool_FromLong(data.nogil as std::ffi::c_long)
}
