//! The stable text form of the TIR (`pycc build --emit tir`, golden `.tir` files).
//!
//! Every node and every check flag is printed; spans are not (goldens stay stable when
//! whitespace moves). The shape:
//!
//! ```text
//! module m
//!
//! def fib#0(n%0: int) -> int recursive
//!   locals n%0: int
//!   if cmp.lt(n%0: int, 2: int): bint:
//!     return n%0: int
//!   return add.check[OverflowError "integer overflow"](call fib#0(...): int, ...): int
//! ```
//!
//! Locals print as `name%id`, functions as `name#id`, every expression ends in `: type`,
//! and a raise prints as `[ExcKind "message"]` after the flag it belongs to.

use super::*;
use std::fmt::{self, Write};

impl fmt::Display for Module {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "module {}", self.name)?;
        if let Some(doc) = &self.doc {
            writeln!(f, "  doc {doc:?}")?;
        }
        for func in &self.funcs {
            writeln!(f)?;
            write_function(f, func, Some(self))?;
        }
        Ok(())
    }
}

impl fmt::Display for Function {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_function(f, self, None)
    }
}

impl fmt::Display for Raise {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{} {:?}]", self.exc.name(), self.msg)
    }
}

impl fmt::Display for Const {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Const::Int(v) => write!(f, "{v}"),
            // Debug prints the shortest text that reads back to the same double.
            Const::Float(v) => write!(f, "{v:?}"),
            Const::Bool(true) => f.write_str("True"),
            Const::Bool(false) => f.write_str("False"),
        }
    }
}

/// Names locals and callees while printing one function.
struct Printer<'a> {
    func: &'a Function,
    module: Option<&'a Module>,
}

impl Printer<'_> {
    fn local(&self, id: LocalId) -> String {
        match self.func.locals.get(id.0 as usize) {
            Some(l) => format!("{}%{}", l.name, id.0),
            None => format!("<bad local>%{}", id.0),
        }
    }
}

fn write_function(f: &mut fmt::Formatter<'_>, func: &Function, module: Option<&Module>) -> fmt::Result {
    let p = Printer { func, module };
    let kind = match func.kind {
        FuncKind::Def => "def",
        FuncKind::Cdef => "cdef",
        FuncKind::Cpdef => "cpdef",
        FuncKind::ModuleBody => "module",
    };
    write!(f, "{kind} {}#{}(", func.name, func.id.0)?;
    for (i, param) in func.params.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        match param.kind {
            crate::tir::ParamKind::VarArgs => f.write_str("*")?,
            crate::tir::ParamKind::VarKw => f.write_str("**")?,
            _ => {}
        }
        write!(f, "{}: {}", p.local(param.local), param.ty)?;
        match param.kind {
            crate::tir::ParamKind::PosOnly => f.write_str(" (positional-only)")?,
            crate::tir::ParamKind::KwOnly => f.write_str(" (keyword-only)")?,
            _ => {}
        }
        if param.name != func.locals.get(param.local.0 as usize).map(|l| l.name.as_str()).unwrap_or("") {
            write!(f, " (named {})", param.name)?;
        }
        if param.not_none {
            f.write_str(" not None")?;
        }
        match param.default {
            Some(ParamDefault::Const(c)) => write!(f, " = {c}")?,
            Some(ParamDefault::Object(k)) => write!(f, " = const{k}")?,
            Some(ParamDefault::Global(k)) => write!(f, " = cglobal{k}")?,
            None => {}
        }
    }
    write!(f, ") -> {}", func.ret)?;
    if func.recursive {
        f.write_str(" recursive")?;
    }
    if func.nogil {
        f.write_str(" nogil")?;
    }
    writeln!(f)?;
    if let Some(doc) = &func.doc {
        writeln!(f, "  doc {doc:?}")?;
    }
    if !func.locals.is_empty() {
        f.write_str("  locals")?;
        for (i, local) in func.locals.iter().enumerate() {
            write!(f, "{} {}%{i}: {}", if i == 0 { "" } else { "," }, local.name, local.ty)?;
        }
        writeln!(f)?;
    }
    write_block(f, &p, &func.body, 1)
}

fn indent(f: &mut fmt::Formatter<'_>, depth: usize) -> fmt::Result {
    for _ in 0..depth {
        f.write_str("  ")?;
    }
    Ok(())
}

fn write_block(f: &mut fmt::Formatter<'_>, p: &Printer<'_>, block: &Block, depth: usize) -> fmt::Result {
    if block.is_empty() {
        indent(f, depth)?;
        return writeln!(f, "pass");
    }
    for stmt in block {
        write_stmt(f, p, stmt, depth)?;
    }
    Ok(())
}

fn write_else(f: &mut fmt::Formatter<'_>, p: &Printer<'_>, block: &Block, depth: usize) -> fmt::Result {
    if !block.is_empty() {
        indent(f, depth)?;
        writeln!(f, "else:")?;
        write_block(f, p, block, depth + 1)?;
    }
    Ok(())
}

fn write_stmt(f: &mut fmt::Formatter<'_>, p: &Printer<'_>, stmt: &Stmt, depth: usize) -> fmt::Result {
    indent(f, depth)?;
    match &stmt.kind {
        StmtKind::Assign { local, value } => writeln!(f, "{} = {}", p.local(*local), ExprText(p, value)),
        StmtKind::Expr(e) => writeln!(f, "eval {}", ExprText(p, e)),
        StmtKind::StoreCGlobal { global, value } => writeln!(f, "cglobal{global} = {}", ExprText(p, value)),
        StmtKind::DelGlobal { name } => writeln!(f, "del global const{name}"),
        StmtKind::If { cond, then_body, else_body } => {
            writeln!(f, "if {}:", ExprText(p, cond))?;
            write_block(f, p, then_body, depth + 1)?;
            write_else(f, p, else_body, depth)
        }
        StmtKind::While { cond, body, orelse } => {
            writeln!(f, "while {}:", ExprText(p, cond))?;
            write_block(f, p, body, depth + 1)?;
            write_else(f, p, orelse, depth)
        }
        StmtKind::ForIter { iter, item, body, orelse } => {
            writeln!(f, "for {} in iterator {}:", p.local(*item), p.local(*iter))?;
            write_block(f, p, body, depth + 1)?;
            write_else(f, p, orelse, depth)
        }
        StmtKind::Unpack { value, targets, star } => {
            let names: Vec<String> =
                targets.iter().enumerate().map(|(k, t)| format!("{}{}", if *star == Some(k as u32) { "*" } else { "" }, p.local(*t))).collect();
            writeln!(f, "unpack {} = {}", names.join(", "), ExprText(p, value))
        }
        StmtKind::Check { cond, raise } => writeln!(f, "check {}{raise}", ExprText(p, cond)),
        StmtKind::ForRange { var, start, stop, step, step_check, body, orelse } => {
            let check = match step_check {
                StepCheck::Positive => "positive".to_string(),
                StepCheck::Negative => "negative".to_string(),
                StepCheck::Dynamic(raise) => format!("dynamic{raise}"),
            };
            writeln!(
                f,
                "for {} in range({}, {}, {}) step {check}:",
                p.local(*var),
                ExprText(p, start),
                ExprText(p, stop),
                ExprText(p, step)
            )?;
            write_block(f, p, body, depth + 1)?;
            write_else(f, p, orelse, depth)
        }
        StmtKind::Break => writeln!(f, "break"),
        StmtKind::Continue => writeln!(f, "continue"),
        StmtKind::Return(None) => writeln!(f, "return"),
        StmtKind::Return(Some(e)) => writeln!(f, "return {}", ExprText(p, e)),
        StmtKind::Store { view, indices, checks, value } => {
            writeln!(f, "store {}[{}] = {}", p.local(*view), index_text(p, indices, checks), ExprText(p, value))
        }
        StmtKind::NoGil { body } => {
            writeln!(f, "nogil:")?;
            write_block(f, p, body, depth + 1)
        }
        StmtKind::ViewFill { view, value } => writeln!(f, "fill {} = {}", ExprText(p, view), ExprText(p, value)),
        StmtKind::ViewCopy { dst, src, extents } => {
            write!(f, "copy {} = {}", ExprText(p, dst), ExprText(p, src))?;
            match extents.first() {
                Some(r) => writeln!(f, " .extents{r}"),
                None => writeln!(f),
            }
        }
    }
}

/// The axes of a slice: `i%1: Py_ssize_t .wrap.bounds[...]`, `1: Py_ssize_t:n%2: Py_ssize_t:`,
/// `::-1: Py_ssize_t`, `:` (a missing bound prints as nothing; a step that may be zero
/// adds `.step0[ValueError "..."]`).
fn slice_text(p: &Printer<'_>, axes: &[SliceAxis]) -> String {
    let mut out = String::new();
    for (k, axis) in axes.iter().enumerate() {
        if k > 0 {
            out.push_str(", ");
        }
        match axis {
            SliceAxis::Index { index, check } => out.push_str(&index_text(p, std::slice::from_ref(index), &[*check])),
            SliceAxis::Range { start, stop, step, zero_step } => {
                let part = |e: &Option<Expr>| e.as_ref().map(|e| ExprText(p, e).to_string()).unwrap_or_default();
                let _ = write!(out, "{}:{}", part(start), part(stop));
                if step.is_some() {
                    let _ = write!(out, ":{}", part(step));
                }
                if let Some(r) = zero_step {
                    let _ = write!(out, " .step0{r}");
                }
            }
        }
    }
    out
}

/// The indices of a view access with their checks: `i%1: Py_ssize_t .wrap.bounds[IndexError "..."]`.
fn index_text(p: &Printer<'_>, indices: &[Expr], checks: &[AxisCheck]) -> String {
    let mut out = String::new();
    for (k, index) in indices.iter().enumerate() {
        if k > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{}", ExprText(p, index));
        let check = checks.get(k).copied().unwrap_or(AxisCheck::NONE);
        if check != AxisCheck::NONE {
            out.push(' ');
        }
        if check.wraparound {
            out.push_str(".wrap");
        }
        if let Some(r) = check.bounds {
            let _ = write!(out, ".bounds{r}");
        }
    }
    out
}

/// An expression in one line: `op(operands): type`.
struct ExprText<'a, 'b>(&'a Printer<'b>, &'a Expr);

impl fmt::Display for ExprText<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ExprText(p, e) = *self;
        let sub = |x: &'_ Expr| ExprText(p, x).to_string();
        match &e.kind {
            ExprKind::Const(c) => write!(f, "{c}")?,
            ExprKind::Local(id) => f.write_str(&p.local(*id))?,
            ExprKind::Unary { op, operand } => write!(f, "{}({})", unary_name(*op), sub(operand))?,
            ExprKind::Binary { op, lhs, rhs } => write!(f, "{}({}, {})", binop_name(*op), sub(lhs), sub(rhs))?,
            ExprKind::Compare { op, lhs, rhs } => {
                let name = match op {
                    CmpOp::Eq => "eq",
                    CmpOp::Ne => "ne",
                    CmpOp::Lt => "lt",
                    CmpOp::Le => "le",
                    CmpOp::Gt => "gt",
                    CmpOp::Ge => "ge",
                };
                write!(f, "cmp.{name}({}, {})", sub(lhs), sub(rhs))?
            }
            ExprKind::BoolOp { op, lhs, rhs } => {
                let name = match op {
                    BoolOpKind::And => "and",
                    BoolOpKind::Or => "or",
                };
                write!(f, "{name}({}, {})", sub(lhs), sub(rhs))?
            }
            ExprKind::IfExp { cond, then_expr, else_expr } => {
                write!(f, "ifexp({}, {}, {})", sub(cond), sub(then_expr), sub(else_expr))?
            }
            ExprKind::Let { local, value, body } => write!(f, "let({} = {}, {})", p.local(*local), sub(value), sub(body))?,
            ExprKind::Cast { kind, operand } => write!(f, "{}({})", cast_name(*kind), sub(operand))?,
            ExprKind::CApi { func, args } => {
                write!(f, "capi {}(", func.name)?;
                for (i, a) in args.iter().enumerate() {
                    write!(f, "{}{}", if i == 0 { "" } else { ", " }, sub(a))?;
                }
                f.write_str(")")?
            }
            ExprKind::NoneObj => f.write_str("None")?,
            ExprKind::Temp { slot, value } => write!(f, "temp{slot} = {}", sub(value))?,
            ExprKind::Release { value, slots } => {
                let slots: Vec<String> = slots.iter().map(|s| format!("temp{s}")).collect();
                write!(f, "release[{}]({})", slots.join(", "), sub(value))?
            }
            ExprKind::NewRef(value) => write!(f, "newref({})", sub(value))?,
            ExprKind::CheckKind { value, kind, arg: None } => write!(f, "check_kind {}({})", kind.name(), sub(value))?,
            ExprKind::CheckKind { value, kind, arg: Some(a) } => {
                let none = if a.none_ok { "" } else { " not None" };
                write!(f, "check_kind {} arg const{}{none}({})", kind.name(), a.name, sub(value))?
            }
            ExprKind::Move(local) => write!(f, "move({})", p.local(*local))?,
            ExprKind::Seq { body, value, frame } => {
                // The statements on their own lines, indented under the expression's line.
                struct BlockText<'a, 'b>(&'a Printer<'b>, &'a Block);
                impl fmt::Display for BlockText<'_, '_> {
                    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        write_block(f, self.0, self.1, 2)
                    }
                }
                write!(f, "seq {}{{\n{}  }} {}", match frame {
                    Some(Frame::Named(n)) => format!("{n} "),
                    Some(Frame::Function) => "<function> ".to_string(),
                    None => String::new(),
                }, BlockText(p, body), sub(value))?
            }
            ExprKind::ModConst(k) => write!(f, "const{k}")?,
            ExprKind::Build { kind, items } => {
                write!(f, "build.{}(", format!("{kind:?}").to_lowercase())?;
                for (i, a) in items.iter().enumerate() {
                    write!(f, "{}{}", if i == 0 { "" } else { ", " }, sub(a))?;
                }
                f.write_str(")")?
            }
            ExprKind::LoadGlobal { name } => write!(f, "global const{name}")?,
            ExprKind::Globals => f.write_str("globals")?,
            ExprKind::CGlobal(k) => write!(f, "cglobal{k}")?,
            ExprKind::Field { obj, field } => write!(f, "field.{}({})", field.name(), sub(obj))?,
            ExprKind::Item { obj, index, kind } => write!(f, "item.{}({}, {})", kind.name(), sub(obj), sub(index))?,
            ExprKind::ImportFrom { module, name } => write!(f, "import_from({}, const{name})", sub(module))?,
            ExprKind::Merge { op, target, value, func } => match func {
                Some(func) => write!(f, "merge.{}({}, {}, func {})", op.name(), sub(target), sub(value), sub(func))?,
                None => write!(f, "merge.{}({}, {})", op.name(), sub(target), sub(value))?,
            },
            ExprKind::CallObject { callee, args, kwnames } => {
                write!(f, "pycall {}(", sub(callee))?;
                for (i, a) in args.iter().enumerate() {
                    write!(f, "{}{}", if i == 0 { "" } else { ", " }, sub(a))?;
                }
                if let Some(k) = kwnames {
                    write!(f, "; kwnames const{k}")?;
                }
                f.write_str(")")?
            }
            ExprKind::CallMethod { name, args, kwnames } => {
                write!(f, "pymethod const{name}(")?;
                for (i, a) in args.iter().enumerate() {
                    write!(f, "{}{}", if i == 0 { "" } else { ", " }, sub(a))?;
                }
                if let Some(k) = kwnames {
                    write!(f, "; kwnames const{k}")?;
                }
                f.write_str(")")?
            }
            ExprKind::Call { func, args } => {
                let name = p.func_name(*func);
                write!(f, "call {name}#{}(", func.0)?;
                for (i, a) in args.iter().enumerate() {
                    write!(f, "{}{}", if i == 0 { "" } else { ", " }, sub(a))?;
                }
                f.write_str(")")?
            }
            ExprKind::Math { func, args, check } => {
                let check = match check {
                    MathCheck::None => "c".to_string(),
                    MathCheck::Python { can_overflow: true } => "python.can_overflow".to_string(),
                    MathCheck::Python { can_overflow: false } => "python".to_string(),
                };
                write!(f, "math.{}.{check}(", format!("{func:?}").to_lowercase())?;
                for (i, a) in args.iter().enumerate() {
                    write!(f, "{}{}", if i == 0 { "" } else { ", " }, sub(a))?;
                }
                f.write_str(")")?
            }
            ExprKind::Index { view, indices, checks } => write!(f, "index {}[{}]", p.local(*view), index_text(p, indices, checks))?,
            ExprKind::ViewShape { view, axis } => write!(f, "shape {}[{axis}]", p.local(*view))?,
            ExprKind::Slice { view, axes } => write!(f, "slice {}[{}]", sub(view), slice_text(p, axes))?,
            ExprKind::NewArray { kind, args, site } => {
                write!(f, "new {}#{site}(", kind.name())?;
                for (i, a) in args.iter().enumerate() {
                    write!(f, "{}{}", if i == 0 { "" } else { ", " }, sub(a))?;
                }
                f.write_str(")")?
            }
        }
        write!(f, ": {}", e.ty)
    }
}

impl Printer<'_> {
    /// The callee's name: from the module when printing a whole module.
    fn func_name(&self, id: FuncId) -> &str {
        match self.module.and_then(|m| m.funcs.get(id.0 as usize)) {
            Some(callee) => &callee.name,
            None if id == self.func.id => &self.func.name,
            None => "fn",
        }
    }
}

fn flag(out: &mut String, name: &str, raise: Option<Raise>) {
    if let Some(r) = raise {
        let _ = write!(out, ".{name}{r}");
    }
}

fn overflow_flag(out: &mut String, o: Overflow) {
    match o {
        Overflow::Wrap => out.push_str(".wrap"),
        Overflow::Check(r) => {
            let _ = write!(out, ".check{r}");
        }
    }
}

fn unary_name(op: UnaryOp) -> String {
    let mut s = String::new();
    match op {
        UnaryOp::Neg { overflow } => {
            s.push_str("neg");
            flag(&mut s, "overflow", overflow);
        }
        UnaryOp::Invert => s.push_str("invert"),
        UnaryOp::Not => s.push_str("not"),
        UnaryOp::Abs { overflow } => {
            s.push_str("abs");
            flag(&mut s, "overflow", overflow);
        }
    }
    s
}

fn binop_name(op: BinOp) -> String {
    let mut s = String::new();
    match op {
        BinOp::Add(o) => {
            s.push_str("add");
            overflow_flag(&mut s, o);
        }
        BinOp::Sub(o) => {
            s.push_str("sub");
            overflow_flag(&mut s, o);
        }
        BinOp::Mul(o) => {
            s.push_str("mul");
            overflow_flag(&mut s, o);
        }
        BinOp::TrueDiv { zero } => {
            s.push_str("truediv");
            flag(&mut s, "zero", zero);
        }
        BinOp::FloorDiv { python, zero, overflow } => {
            s.push_str(if python { "floordiv.python" } else { "floordiv.c" });
            flag(&mut s, "zero", zero);
            flag(&mut s, "overflow", overflow);
        }
        BinOp::Mod { python, zero } => {
            s.push_str(if python { "mod.python" } else { "mod.c" });
            flag(&mut s, "zero", zero);
        }
        BinOp::CyFloatMod { zero } => {
            s.push_str("mod.cython");
            flag(&mut s, "zero", zero);
        }
        BinOp::Pow { overflow, neg_exp, zero } => {
            s.push_str("pow");
            overflow_flag(&mut s, overflow);
            flag(&mut s, "neg_exp", neg_exp);
            flag(&mut s, "zero", zero);
        }
        BinOp::BitAnd => s.push_str("bitand"),
        BinOp::BitOr => s.push_str("bitor"),
        BinOp::BitXor => s.push_str("bitxor"),
        BinOp::Shl { neg_count, overflow } => {
            s.push_str("shl");
            flag(&mut s, "neg_count", neg_count);
            flag(&mut s, "overflow", overflow);
        }
        BinOp::Shr { neg_count } => {
            s.push_str("shr");
            flag(&mut s, "neg_count", neg_count);
        }
    }
    s
}

fn cast_name(kind: CastKind) -> String {
    match kind {
        CastKind::IntWrap => "cast.int_wrap".to_string(),
        CastKind::IntChecked(r) => format!("cast.int_checked{r}"),
        CastKind::IntToFloat => "cast.int_to_float".to_string(),
        CastKind::FloatToIntTrunc => "cast.float_to_int_trunc".to_string(),
        CastKind::FloatToIntChecked { nan, inf, overflow } => format!("cast.float_to_int_checked.nan{nan}.inf{inf}.overflow{overflow}"),
        CastKind::FloatResize => "cast.float_resize".to_string(),
        CastKind::ToBool => "cast.to_bool".to_string(),
        CastKind::FromBool => "cast.from_bool".to_string(),
        CastKind::ViewRelax => "cast.view_relax".to_string(),
        CastKind::ViewObject => "cast.view_object".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn e(kind: ExprKind, ty: Ty) -> Expr {
        Expr::new(kind, ty, Span::default())
    }

    fn stmt(kind: StmtKind) -> Stmt {
        Stmt { kind, span: Span::default() }
    }

    #[test]
    fn prints_every_node_with_its_flags() {
        let overflow = Raise::new(ExcKind::OverflowError, "integer overflow");
        let zero = Raise::new(ExcKind::ZeroDivisionError, "integer division or modulo by zero");
        let n = || e(ExprKind::Local(LocalId(0)), Ty::PY_INT);
        let i = || e(ExprKind::Local(LocalId(1)), Ty::PY_INT);
        let int = |v| e(ExprKind::Const(Const::Int(v)), Ty::PY_INT);
        let bin = |op, l, r| e(ExprKind::Binary { op, lhs: Box::new(l), rhs: Box::new(r) }, Ty::PY_INT);
        let lt = e(ExprKind::Compare { op: CmpOp::Lt, lhs: Box::new(n()), rhs: Box::new(int(2)) }, Ty::Bool);
        let body = vec![
            stmt(StmtKind::If { cond: lt, then_body: vec![stmt(StmtKind::Return(Some(n())))], else_body: vec![] }),
            stmt(StmtKind::ForRange {
                var: LocalId(1),
                start: int(0),
                stop: n(),
                step: int(1),
                step_check: StepCheck::Positive,
                body: vec![stmt(StmtKind::Assign {
                    local: LocalId(0),
                    value: bin(BinOp::FloorDiv { python: true, zero: Some(zero), overflow: Some(overflow) }, n(), i()),
                })],
                orelse: vec![stmt(StmtKind::Break)],
            }),
            stmt(StmtKind::Expr(e(ExprKind::Call { func: FuncId(1), args: vec![] }, Ty::Void))),
            stmt(StmtKind::Return(Some(e(
                ExprKind::Cast {
                    kind: CastKind::FloatToIntTrunc,
                    operand: Box::new(e(
                        ExprKind::Math {
                            func: MathFn::Sqrt,
                            args: vec![e(ExprKind::Const(Const::Float(2.5)), Ty::DOUBLE)],
                            check: MathCheck::Python { can_overflow: false },
                        },
                        Ty::DOUBLE,
                    )),
                },
                Ty::PY_INT,
            )))),
        ];
        let local = |name: &str, ty| Local { name: name.into(), ty, span: Span::default() };
        let f = Function {
            id: FuncId(0),
            name: "f".into(),
            kind: FuncKind::Cpdef,
            doc: Some("does \"things\"".into()),
            span: Span::default(),
            params: vec![Param { local: LocalId(0), name: "n".into(), ty: Ty::PY_INT, default: Some(ParamDefault::Const(Const::Int(-3))), not_none: false, annotated: false, kind: crate::tir::ParamKind::Positional, span: Span::default() }],
            ret: Ty::PY_INT,
            locals: vec![local("n", Ty::PY_INT), local("i", Ty::PY_INT)],
            body,
            recursive: true,
            nogil: false,
            inline: false,
            temps: 0,
        };
        let g = Function {
            id: FuncId(1),
            name: "g".into(),
            kind: FuncKind::Cdef,
            doc: None,
            span: Span::default(),
            params: vec![],
            ret: Ty::Void,
            locals: vec![],
            body: vec![],
            recursive: false,
            nogil: true,
            inline: false,
            temps: 0,
        };
        let m = Module { name: "m".into(), doc: None, funcs: vec![f, g], constants: Vec::new(), cglobals: Vec::new() };
        let want = "\
module m

cpdef f#0(n%0: int = -3) -> int recursive
  doc \"does \\\"things\\\"\"
  locals n%0: int, i%1: int
  if cmp.lt(n%0: int, 2: int): bint:
    return n%0: int
  for i%1 in range(0: int, n%0: int, 1: int) step positive:
    n%0 = floordiv.python.zero[ZeroDivisionError \"integer division or modulo by zero\"].overflow[OverflowError \"integer overflow\"](n%0: int, i%1: int): int
  else:
    break
  eval call g#1(): void
  return cast.float_to_int_trunc(math.sqrt.python(2.5: double): double): int

cdef g#1() -> void nogil
  pass
";
        assert_eq!(m.to_string(), want);
    }
}
