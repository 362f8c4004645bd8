//! Walking the TIR: the direct children of each node, listed in one place, so that a pass
//! looking for one kind of node is a few lines and cannot miss a node kind added later.
//! Children come in evaluation order.

use super::{Block, Expr, ExprKind, SliceAxis, Stmt, StmtKind};

/// The expressions directly inside `e` (not `e` itself).
pub fn child_exprs(e: &Expr) -> Vec<&Expr> {
    match &e.kind {
        ExprKind::Const(_) | ExprKind::Local(_) | ExprKind::ViewShape { .. } | ExprKind::NoneObj => Vec::new(),
        ExprKind::ModConst(_) | ExprKind::LoadGlobal { .. } | ExprKind::Globals | ExprKind::CGlobal(_) => Vec::new(),
        ExprKind::ImportFrom { module, .. } => vec![&**module],
        ExprKind::Field { obj, .. } => vec![&**obj],
        ExprKind::Item { obj, index, .. } => vec![&**obj, &**index],
        ExprKind::Move(_) => Vec::new(),
        ExprKind::Merge { target, value, func, .. } => [&**target, &**value].into_iter().chain(func.as_deref()).collect(),
        // The statements of `body` are reached through `stmt_parts`' nested blocks of the
        // walkers below (`seq_blocks`).
        ExprKind::Seq { value, .. } => vec![&**value],
        ExprKind::CallObject { callee, args, .. } => std::iter::once(&**callee).chain(args.iter()).collect(),
        ExprKind::CallMethod { args, .. } | ExprKind::Build { items: args, .. } => args.iter().collect(),
        ExprKind::Unary { operand, .. } | ExprKind::Cast { operand, .. } => vec![&**operand],
        ExprKind::Temp { value, .. } | ExprKind::Release { value, .. } | ExprKind::NewRef(value) | ExprKind::CheckKind { value, .. } => vec![&**value],
        ExprKind::CApi { args, .. } => args.iter().collect(),
        ExprKind::Binary { lhs, rhs, .. } | ExprKind::Compare { lhs, rhs, .. } | ExprKind::BoolOp { lhs, rhs, .. } => {
            vec![&**lhs, &**rhs]
        }
        ExprKind::IfExp { cond, then_expr, else_expr } => vec![&**cond, &**then_expr, &**else_expr],
        ExprKind::Let { value, body, .. } => vec![&**value, &**body],
        ExprKind::Call { args, .. } | ExprKind::Math { args, .. } => args.iter().collect(),
        ExprKind::Index { indices, .. } => indices.iter().collect(),
        ExprKind::NewArray { args, .. } => args.iter().collect(),
        ExprKind::Slice { view, axes } => {
            let mut out = vec![&**view];
            for axis in axes {
                match axis {
                    SliceAxis::Index { index, .. } => out.push(index),
                    SliceAxis::Range { start, stop, step, .. } => out.extend([start, stop, step].into_iter().flatten()),
                }
            }
            out
        }
    }
}

/// [`child_exprs`], mutable.
pub fn child_exprs_mut(e: &mut Expr) -> Vec<&mut Expr> {
    match &mut e.kind {
        ExprKind::Const(_) | ExprKind::Local(_) | ExprKind::ViewShape { .. } | ExprKind::NoneObj => Vec::new(),
        ExprKind::ModConst(_) | ExprKind::LoadGlobal { .. } | ExprKind::Globals | ExprKind::CGlobal(_) => Vec::new(),
        ExprKind::ImportFrom { module, .. } => vec![&mut **module],
        ExprKind::Field { obj, .. } => vec![&mut **obj],
        ExprKind::Item { obj, index, .. } => vec![&mut **obj, &mut **index],
        ExprKind::Move(_) => Vec::new(),
        ExprKind::Merge { target, value, func, .. } => [&mut **target, &mut **value].into_iter().chain(func.as_deref_mut()).collect(),
        ExprKind::Seq { value, .. } => vec![&mut **value],
        ExprKind::CallObject { callee, args, .. } => std::iter::once(&mut **callee).chain(args.iter_mut()).collect(),
        ExprKind::CallMethod { args, .. } | ExprKind::Build { items: args, .. } => args.iter_mut().collect(),
        ExprKind::Unary { operand, .. } | ExprKind::Cast { operand, .. } => vec![&mut **operand],
        ExprKind::Temp { value, .. } | ExprKind::Release { value, .. } | ExprKind::NewRef(value) | ExprKind::CheckKind { value, .. } => {
            vec![&mut **value]
        }
        ExprKind::CApi { args, .. } => args.iter_mut().collect(),
        ExprKind::Binary { lhs, rhs, .. } | ExprKind::Compare { lhs, rhs, .. } | ExprKind::BoolOp { lhs, rhs, .. } => {
            vec![&mut **lhs, &mut **rhs]
        }
        ExprKind::IfExp { cond, then_expr, else_expr } => vec![&mut **cond, &mut **then_expr, &mut **else_expr],
        ExprKind::Let { value, body, .. } => vec![&mut **value, &mut **body],
        ExprKind::Call { args, .. } | ExprKind::Math { args, .. } => args.iter_mut().collect(),
        ExprKind::Index { indices, .. } => indices.iter_mut().collect(),
        ExprKind::NewArray { args, .. } => args.iter_mut().collect(),
        ExprKind::Slice { view, axes } => {
            let mut out = vec![&mut **view];
            for axis in axes {
                match axis {
                    SliceAxis::Index { index, .. } => out.push(index),
                    SliceAxis::Range { start, stop, step, .. } => out.extend([start, stop, step].into_iter().flatten()),
                }
            }
            out
        }
    }
}

/// A block nested in a statement, and whether it is a loop body (runs repeatedly).
pub struct NestedBlock<'a> {
    pub block: &'a Block,
    pub loop_body: bool,
}

/// The expressions directly in `s` (not in its nested blocks), then its nested blocks.
pub fn stmt_parts(s: &Stmt) -> (Vec<&Expr>, Vec<NestedBlock<'_>>) {
    let nested = |block, loop_body| NestedBlock { block, loop_body };
    match &s.kind {
        StmtKind::Assign { value, .. } | StmtKind::Expr(value) | StmtKind::Return(Some(value)) => (vec![value], Vec::new()),
        StmtKind::Return(None) | StmtKind::Break | StmtKind::Continue | StmtKind::DelGlobal { .. } => (Vec::new(), Vec::new()),
        StmtKind::StoreCGlobal { value, .. } => (vec![value], Vec::new()),
        StmtKind::If { cond, then_body, else_body } => (vec![cond], vec![nested(then_body, false), nested(else_body, false)]),
        StmtKind::While { cond, body, orelse } => (vec![cond], vec![nested(body, true), nested(orelse, false)]),
        StmtKind::ForIter { body, orelse, .. } => (Vec::new(), vec![nested(body, true), nested(orelse, false)]),
        StmtKind::Unpack { value, .. } => (vec![value], Vec::new()),
        StmtKind::Check { cond, .. } => (vec![cond], Vec::new()),
        StmtKind::ForRange { start, stop, step, body, orelse, .. } => {
            (vec![start, stop, step], vec![nested(body, true), nested(orelse, false)])
        }
        StmtKind::Store { indices, value, .. } => (indices.iter().chain([value]).collect(), Vec::new()),
        StmtKind::NoGil { body } => (Vec::new(), vec![nested(body, false)]),
        StmtKind::ViewFill { view, value } => (vec![view, value], Vec::new()),
        StmtKind::ViewCopy { dst, src, .. } => (vec![src, dst], Vec::new()),
    }
}

/// [`stmt_parts`], mutable (the nested blocks without their loop flag).
pub fn stmt_parts_mut(s: &mut Stmt) -> (Vec<&mut Expr>, Vec<&mut Block>) {
    match &mut s.kind {
        StmtKind::Assign { value, .. } | StmtKind::Expr(value) | StmtKind::Return(Some(value)) => (vec![value], Vec::new()),
        StmtKind::Return(None) | StmtKind::Break | StmtKind::Continue | StmtKind::DelGlobal { .. } => (Vec::new(), Vec::new()),
        StmtKind::StoreCGlobal { value, .. } | StmtKind::Unpack { value, .. } => (vec![value], Vec::new()),
        StmtKind::If { cond, then_body, else_body } => (vec![cond], vec![then_body, else_body]),
        StmtKind::While { cond, body, orelse } => (vec![cond], vec![body, orelse]),
        StmtKind::ForIter { body, orelse, .. } => (Vec::new(), vec![body, orelse]),
        StmtKind::Check { cond, .. } => (vec![cond], Vec::new()),
        StmtKind::ForRange { start, stop, step, body, orelse, .. } => (vec![start, stop, step], vec![body, orelse]),
        StmtKind::Store { indices, value, .. } => (indices.iter_mut().chain([value]).collect(), Vec::new()),
        StmtKind::NoGil { body } => (Vec::new(), vec![body]),
        StmtKind::ViewFill { view, value } => (vec![view, value], Vec::new()),
        StmtKind::ViewCopy { dst, src, .. } => (vec![src, dst], Vec::new()),
    }
}

/// Calls `f` on every expression of `block` at any depth (also in the statements of `Seq`
/// expressions), innermost first, so that `f` may rewrite the expression it is given.
pub fn for_each_expr_mut(block: &mut Block, f: &mut impl FnMut(&mut Expr)) {
    fn expr(e: &mut Expr, f: &mut impl FnMut(&mut Expr)) {
        if let ExprKind::Seq { body, .. } = &mut e.kind {
            for_each_expr_mut(body, f);
        }
        for c in child_exprs_mut(e) {
            expr(c, f);
        }
        f(e);
    }
    for s in block {
        let (exprs, blocks) = stmt_parts_mut(s);
        for e in exprs {
            expr(e, f);
        }
        for b in blocks {
            for_each_expr_mut(b, f);
        }
    }
}

/// The locals `block` writes (assignment targets, loop variables, unpacking targets, the
/// locals of `Let` and `Move`), at any depth.
pub fn written_locals(block: &Block) -> std::collections::HashSet<super::LocalId> {
    let mut out = std::collections::HashSet::new();
    for_each_stmt(block, &mut |s| match &s.kind {
        StmtKind::Assign { local, .. } => {
            out.insert(*local);
        }
        StmtKind::ForRange { var, .. } => {
            out.insert(*var);
        }
        StmtKind::ForIter { iter, item, .. } => {
            out.extend([*iter, *item]);
        }
        StmtKind::Unpack { targets, .. } => out.extend(targets.iter().copied()),
        StmtKind::Expr(_)
        | StmtKind::Return(_)
        | StmtKind::Break
        | StmtKind::Continue
        | StmtKind::DelGlobal { .. }
        | StmtKind::StoreCGlobal { .. }
        | StmtKind::If { .. }
        | StmtKind::While { .. }
        | StmtKind::Check { .. }
        | StmtKind::Store { .. }
        | StmtKind::NoGil { .. }
        | StmtKind::ViewFill { .. }
        | StmtKind::ViewCopy { .. } => {}
    });
    for_each_expr(block, &mut |e| match &e.kind {
        ExprKind::Let { local, .. } | ExprKind::Move(local) => {
            out.insert(*local);
        }
        _ => {}
    });
    out
}

/// The bodies of the `Seq` expressions in `e` (at any depth, outside other `Seq` bodies).
pub fn seq_blocks(e: &Expr) -> Vec<&Block> {
    fn walk<'a>(e: &'a Expr, out: &mut Vec<&'a Block>) {
        if let ExprKind::Seq { body, .. } = &e.kind {
            out.push(body);
        }
        for c in child_exprs(e) {
            walk(c, out);
        }
    }
    let mut out = Vec::new();
    walk(e, &mut out);
    out
}

/// Calls `f` on every statement of `block`, at any depth (also inside `Seq` expressions),
/// outermost first.
pub fn for_each_stmt<'a>(block: &'a Block, f: &mut impl FnMut(&'a Stmt)) {
    for s in block {
        f(s);
        let (exprs, nested) = stmt_parts(s);
        for e in exprs {
            for b in seq_blocks(e) {
                for_each_stmt(b, f);
            }
        }
        for nested in nested {
            for_each_stmt(nested.block, f);
        }
    }
}

/// Whether `pred` holds for `e` or any expression inside it.
pub fn any_expr(e: &Expr, pred: &mut impl FnMut(&Expr) -> bool) -> bool {
    pred(e) || child_exprs(e).into_iter().any(|c| any_expr(c, pred))
}

/// Calls `f` on every expression of `block`, at any depth (statements' expressions and
/// nested blocks, in order, and the statements of `Seq` expressions), outermost first.
pub fn for_each_expr<'a>(block: &'a Block, f: &mut impl FnMut(&'a Expr)) {
    fn expr<'a>(e: &'a Expr, f: &mut impl FnMut(&'a Expr)) {
        f(e);
        if let ExprKind::Seq { body, .. } = &e.kind {
            for_each_expr(body, f);
        }
        for c in child_exprs(e) {
            expr(c, f);
        }
    }
    for s in block {
        let (exprs, blocks) = stmt_parts(s);
        for e in exprs {
            expr(e, f);
        }
        for b in blocks {
            for_each_expr(b.block, f);
        }
    }
}
