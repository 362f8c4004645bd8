//! Codegen tests: TIR modules built by hand, JIT-compiled, and called through their entry
//! wrappers exactly as the runtime calls them; results are compared with Rust reference
//! implementations of Python's semantics over grids of inputs.

mod arith;
mod casts;
mod control;
mod inline;
mod math;
mod loops;
mod object;

use crate::abi::{Ctx, Slot};
use crate::driver::{CompileOptions, JitArtifact};
use crate::source::{SourceFile, SourceKind, Span};
use crate::tir::*;

/// A fake source file: 400 lines of 10 bytes each, so `line(n)` spans are easy to make.
pub(super) fn source() -> SourceFile {
    SourceFile::new("test.pyx", "         \n".repeat(400), SourceKind::Pyx)
}

/// A span on 1-based line `n` of [`source`].
pub(super) fn line(n: u32) -> Span {
    Span::new((n - 1) * 10, (n - 1) * 10 + 3)
}

pub(super) const I64: Ty = Ty::PY_INT;
pub(super) const F64: Ty = Ty::DOUBLE;
pub(super) const F32: Ty = Ty::Float(FloatKind::Float);
pub(super) const BOOL: Ty = Ty::Bool;
pub(super) const C_INT: Ty = Ty::Int(IntKind::Int);
pub(super) const C_UINT: Ty = Ty::Int(IntKind::UInt);
pub(super) const C_SCHAR: Ty = Ty::Int(IntKind::SChar);
pub(super) const C_UCHAR: Ty = Ty::Int(IntKind::UChar);
pub(super) const C_SHORT: Ty = Ty::Int(IntKind::Short);
pub(super) const C_ULONG: Ty = Ty::Int(IntKind::ULong);

pub(super) const OVERFLOW: Raise = Raise::new(ExcKind::OverflowError, "integer overflow");
pub(super) const ZERO_DIV: Raise = Raise::new(ExcKind::ZeroDivisionError, "integer division or modulo by zero");
pub(super) const FLOAT_ZERO_DIV: Raise = Raise::new(ExcKind::ZeroDivisionError, "float division by zero");
pub(super) const NEG_EXP: Raise = Raise::new(ExcKind::ValueError, "negative exponent");
pub(super) const NEG_COUNT: Raise = Raise::new(ExcKind::ValueError, "negative shift count");

pub(super) fn e(kind: ExprKind, ty: Ty) -> Expr {
    Expr::new(kind, ty, line(1))
}

pub(super) fn int(v: i64) -> Expr {
    e(ExprKind::Const(Const::Int(v)), I64)
}

pub(super) fn konst(c: Const, ty: Ty) -> Expr {
    e(ExprKind::Const(c), ty)
}

pub(super) fn local(id: u32, ty: Ty) -> Expr {
    e(ExprKind::Local(LocalId(id)), ty)
}

pub(super) fn at(mut expr: Expr, n: u32) -> Expr {
    expr.span = line(n);
    expr
}

/// `lhs op rhs`, typed as the left operand.
pub(super) fn bin(op: BinOp, lhs: Expr, rhs: Expr) -> Expr {
    let ty = lhs.ty;
    e(ExprKind::Binary { op, lhs: Box::new(lhs), rhs: Box::new(rhs) }, ty)
}

pub(super) fn cmp(op: CmpOp, lhs: Expr, rhs: Expr) -> Expr {
    e(ExprKind::Compare { op, lhs: Box::new(lhs), rhs: Box::new(rhs) }, BOOL)
}

pub(super) fn unary(op: UnaryOp, operand: Expr) -> Expr {
    let ty = operand.ty;
    e(ExprKind::Unary { op, operand: Box::new(operand) }, ty)
}

pub(super) fn cast(kind: CastKind, operand: Expr, ty: Ty) -> Expr {
    e(ExprKind::Cast { kind, operand: Box::new(operand) }, ty)
}

pub(super) fn call(func: u32, args: Vec<Expr>, ret: Ty) -> Expr {
    e(ExprKind::Call { func: FuncId(func), args }, ret)
}

pub(super) fn math(func: MathFn, args: Vec<Expr>, check: MathCheck, ty: Ty) -> Expr {
    e(ExprKind::Math { func, args, check }, ty)
}

pub(super) fn s(kind: StmtKind) -> Stmt {
    Stmt { kind, span: line(1) }
}

pub(super) fn ret(value: Expr) -> Stmt {
    s(StmtKind::Return(Some(value)))
}

pub(super) fn assign(id: u32, value: Expr) -> Stmt {
    s(StmtKind::Assign { local: LocalId(id), value })
}

/// A function: `params` become locals 0.., then `locals` follow.
pub(super) fn func(id: u32, name: &str, params: &[(&str, Ty)], ret: Ty, locals: &[(&str, Ty)], body: Vec<Stmt>) -> Function {
    let mut all = Vec::new();
    let mut ps = Vec::new();
    for (i, (n, ty)) in params.iter().enumerate() {
        all.push(Local { name: n.to_string(), ty: *ty, span: line(1) });
        ps.push(Param { local: LocalId(i as u32), name: n.to_string(), ty: *ty, default: None, not_none: false, annotated: false, kind: Default::default(), span: line(1) });
    }
    for (n, ty) in locals {
        all.push(Local { name: n.to_string(), ty: *ty, span: line(1) });
    }
    Function {
        id: FuncId(id),
        name: name.to_string(),
        kind: FuncKind::Def,
        doc: None,
        span: line(1),
        params: ps,
        ret,
        locals: all,
        body,
        recursive: false,
        nogil: false,
        inline: false,
        temps: 0,
    }
}

pub(super) fn module(funcs: Vec<Function>) -> Module {
    Module { name: "m".to_string(), doc: None, funcs, constants: Vec::new(), cglobals: Vec::new() }
}

/// `def name(a: ty, b: ty) -> ty: return a op b`
pub(super) fn binop_func(id: u32, name: &str, ty: Ty, op: BinOp) -> Function {
    func(id, name, &[("a", ty), ("b", ty)], ty, &[], vec![ret(at(bin(op, local(0, ty), local(1, ty)), 7))])
}

/// A raised error, as the runtime would see it.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Raised {
    pub exc: ExcKind,
    pub msg: String,
    pub func: String,
    pub line: u32,
}

pub(super) struct Jit {
    pub art: JitArtifact,
}

pub(super) fn jit(m: &Module) -> Jit {
    crate::tir::validate::validate_module(m).unwrap_or_else(|e| panic!("test module does not validate: {e}"));
    let mut opts = CompileOptions::new("m");
    opts.verify = true;
    let art = crate::backend::jit::compile(m, &source(), &opts).unwrap_or_else(|e| panic!("{e}"));
    Jit { art }
}

impl Jit {
    pub(super) fn call(&self, name: &str, args: &[Slot]) -> Result<Slot, Raised> {
        let i = self.art.desc.functions.iter().position(|f| f.name == name).unwrap_or_else(|| panic!("no function `{name}`"));
        assert_eq!(self.art.desc.functions[i].params.len(), args.len(), "arity of `{name}`");
        let here = 0u8;
        let sp = std::hint::black_box(&here) as *const u8 as usize;
        let mut ctx = Ctx::new(sp - 512 * 1024);
        let mut out: Slot = 0xdead_beef;
        let status = unsafe { (self.art.entries[i])(&mut ctx, args.as_ptr(), &mut out) };
        match status {
            0 => {
                assert_eq!(ctx.err_site, 0, "ok status with an error site");
                Ok(out)
            }
            1 => {
                assert_eq!(out, 0xdead_beef, "result written on error");
                let site = self.art.desc.error_sites.get(ctx.err_site as usize - 1).expect("error site index in range");
                Err(Raised { exc: site.exc, msg: site.msg.clone(), func: site.func.clone(), line: site.line })
            }
            other => panic!("status {other}"),
        }
    }

    pub(super) fn i64(&self, name: &str, args: &[i64]) -> Result<i64, Raised> {
        let slots: Vec<Slot> = args.iter().map(|&a| a as u64).collect();
        self.call(name, &slots).map(|v| v as i64)
    }

    pub(super) fn f64(&self, name: &str, args: &[f64]) -> Result<f64, Raised> {
        let slots: Vec<Slot> = args.iter().map(|a| a.to_bits()).collect();
        self.call(name, &slots).map(f64::from_bits)
    }

    /// The exception kind only (for grid comparisons).
    pub(super) fn i64_exc(&self, name: &str, args: &[i64]) -> Result<i64, ExcKind> {
        self.i64(name, args).map_err(|r| r.exc)
    }
}

/// Interesting 64-bit values.
pub(super) fn grid64() -> Vec<i64> {
    vec![i64::MIN, i64::MIN + 1, -(1 << 32), -1000, -100, -7, -3, -2, -1, 0, 1, 2, 3, 5, 7, 100, 1000, 1 << 32, (1 << 62) + 3, i64::MAX - 1, i64::MAX]
}

/// Values for a narrower signed type of `bits` bits.
pub(super) fn grid_signed(bits: u32) -> Vec<i64> {
    let min = -(1i64 << (bits - 1));
    let max = (1i64 << (bits - 1)) - 1;
    vec![min, min + 1, -100 % max, -7, -3, -2, -1, 0, 1, 2, 3, 7, 100 % max, max - 1, max]
}

pub(super) fn floats() -> Vec<f64> {
    vec![
        f64::NEG_INFINITY,
        -1e300,
        -7.5,
        -7.0,
        -2.0,
        -1.0,
        -0.5,
        -0.0,
        0.0,
        0.5,
        1.0,
        2.0,
        3.0,
        7.0,
        7.5,
        1e300,
        f64::INFINITY,
        f64::NAN,
    ]
}

/// Bitwise float equality that treats every NaN as equal and tells -0.0 from 0.0.
pub(super) fn same_f64(a: f64, b: f64) -> bool {
    (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits()
}
