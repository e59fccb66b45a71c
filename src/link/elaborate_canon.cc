#include "link/elaborator.h"

#include <optional>
#include <string>

#include "abi/layout.h"

namespace compoly::elab {

bool Elaborator::needs_memory(TypeId id) {
  const Type& t = arena_.get(id);
  switch (t.kind) {
    case TypeKind::Prim: return t.prim == PrimType::String;
    case TypeKind::List: return true;
    default: break;
  }
  for (const auto& fld : t.fields)
    if (fld.type != kNoType && needs_memory(fld.type)) return true;
  for (TypeId e : t.elements)
    if (needs_memory(e)) return true;
  if (t.ok != kNoType && needs_memory(t.ok)) return true;
  if (t.err != kNoType && needs_memory(t.err)) return true;
  return false;
}

bool Elaborator::is_i32_func(const CoreFuncType& t, size_t params, size_t results) {
  if (t.params.size() != params || t.results.size() != results) return false;
  for (CoreValType v : t.params)
    if (v != CoreValType::I32) return false;
  for (CoreValType v : t.results)
    if (v != CoreValType::I32) return false;
  return true;
}

#ifndef COMPOLY_LEAN
std::string Elaborator::describe_i32_func(size_t params, size_t results) {
  CoreFuncType t;
  for (size_t i = 0; i < params; ++i) t.params.push_back(CoreValType::I32);
  for (size_t i = 0; i < results; ++i) t.results.push_back(CoreValType::I32);
  return t.to_string();
}
#endif

std::optional<CoreItemRef> Elaborator::canon_memory(Frame& f, const CanonOptions& o) {
  if (!o.memory) return std::nullopt;
  const CoreItemVal* m = core_item(f, CoreSort::Memory, *o.memory, o.offset);
  if (!m) return std::nullopt;
  if (m->type->memory.limits.is64) {
    fail(o.offset, "canon memory {} is a 64-bit memory; WASI 0.2 requires a 32-bit memory", {*o.memory});
    return std::nullopt;
  }
  // A shared memory is shared-everything threads' (wasm-tools: "mismatch in the shared flag").
  if (m->type->memory.limits.shared) {
    fail(o.offset, "canon memory {} is a shared memory; the canonical ABI's memory option takes an unshared one",
         {*o.memory});
    return std::nullopt;
  }
  return m->ref;
}

void Elaborator::canon(Frame& f, const CanonDef& d) {
  // `layout` is ft's in context ctx.
  auto options = [&](TypeId ft, AbiContext ctx, const FuncLayout& layout, PlanOptions& out) -> bool {
    const CanonOptions& o = d.options;
    out.encoding = o.encoding.value_or(StringEncoding::Utf8);
    out.memory = canon_memory(f, o);
    if (!ok()) return false;
    const Type& t = arena_.get(ft);
    bool params_memory = false, result_memory = false;
    for (const auto& p : t.fields) params_memory = params_memory || needs_memory(p.type);
    if (t.ok != kNoType) result_memory = needs_memory(t.ok);
    bool memory = params_memory || result_memory || layout.params_in_memory || layout.result_in_memory;
    // Values move into this side's memory: the callee's params when lifting,
    // the results when lowering; that needs an allocator.
    bool realloc = ctx == AbiContext::Lift ? (params_memory || layout.params_in_memory) : result_memory;
    const char* op = ctx == AbiContext::Lift ? "canon lift" : "canon lower";
    if (memory && !o.memory)
      return fail(o.offset, "{} of {} requires the memory option: its parameters or results are passed through memory",
                  {op, describe(ft)});
    if (o.realloc && !o.memory)
      return fail(o.offset, "{}: the realloc option requires the memory option (realloc allocates in that memory)",
                  {op});
    if (o.realloc) {
      const CoreItemVal* r = core_item(f, CoreSort::Func, *o.realloc, o.offset);
      if (!r) return false;
      if (!is_i32_func(r->type->func, 4, 1))
        return fail(o.offset, "realloc core func {} must have type {}, found {}",
                    {*o.realloc, describe_i32_func(4, 1), describe(r->type->func)});
      out.realloc = r->ref;
    } else if (realloc) {
      return fail(o.offset,
                  "{} of {} requires the realloc option: strings or lists are copied into this component's memory",
                  {op, describe(ft)});
    }
    if (o.post_return) {
      if (ctx == AbiContext::Lower) return fail(o.offset, "canon lower does not accept the post-return option");
      const CoreItemVal* pr = core_item(f, CoreSort::Func, *o.post_return, o.offset);
      if (!pr) return false;
      if (!(pr->type->func.params == layout.flat_results && pr->type->func.results.empty()))
        return fail(o.offset, "post-return core func {} must have type {}, found {}",
                    {*o.post_return, describe_post_return(layout), describe(pr->type->func)});
      out.post_return = pr->ref;
    }
    return true;
  };

  switch (d.kind) {
    case CanonDef::Lift: {
      const CoreItemVal* core = core_item(f, CoreSort::Func, d.func, d.offset);
      if (!core) return;
      if (d.type >= f.types().size()) {
        fail(d.offset, "type index {} out of bounds (there are {})", {d.type, f.types().size()});
        return;
      }
      TypeId ft = f.types()[d.type].type;
      if (arena_.get(ft).kind != TypeKind::Func) {
        fail(d.offset, "canon lift requires a func type, but type {} is {}", {d.type, describe(ft)});
        return;
      }
      FuncLayout layout = func_layout(layouts_, arena_, ft, AbiContext::Lift);
      if (!(core->type->func.params == layout.flat_params && core->type->func.results == layout.flat_results)) {
        fail(d.offset, "lift of core func {}: expected type {} for {}, got {}",
             {d.func, describe_core_type(layout), describe(ft), describe(core->type->func)});
        return;
      }
      PlanLifted lifted;
      lifted.instance = current_instance_;
      lifted.core = core->ref;
      lifted.type = ft;
      if (!options(ft, AbiContext::Lift, layout, lifted.options)) return;
      ExternVal v;
      v.kind = ExternKind::Func;
      v.type = ft;
      v.func = FuncSource::Lifted;
      v.func_index = uint32_t(plan_->lifted.size());
      plan_->lifted.push_back(std::move(lifted));
      f.funcs().push_back(v);
      return;
    }
    case CanonDef::Lower: {
      if (d.func >= f.funcs().size()) {
        fail(d.offset, "func index {} out of bounds (there are {})", {d.func, f.funcs().size()});
        return;
      }
      const ExternVal& callee = f.funcs()[d.func];
      PlanLowered lowered;
      lowered.instance = current_instance_;
      lowered.callee = func_source(callee);
      lowered.type = callee.type;
      const FuncLayout layout = func_layout(layouts_, arena_, callee.type, AbiContext::Lower);
      if (!options(callee.type, AbiContext::Lower, layout, lowered.options)) return;
      CoreItemVal item;
      item.ref.kind = CoreItemRef::Lowered;
      item.ref.index = uint32_t(plan_->lowered.size());
      CoreExternType t;
      t.func = layout.core_type();
      item.type = keep(std::move(t));
      plan_->lowered.push_back(std::move(lowered));
      f.core_funcs().push_back(item);
      return;
    }
    case CanonDef::ResourceNew:
    case CanonDef::ResourceDrop:
    case CanonDef::ResourceRep: {
      const char* op = d.kind == CanonDef::ResourceNew ? "resource.new" : d.kind == CanonDef::ResourceDrop ? "resource.drop" : "resource.rep";
      if (d.type >= f.types().size()) {
        fail(d.offset, "canon {}: type index {} out of bounds", {op, d.type});
        return;
      }
      const TypeId type = f.types()[d.type].type;
      const Type& t = arena_.get(type);
      if (t.kind != TypeKind::Resource) {
        fail(d.offset, "canon {} requires a resource type, but type {} is {}",
             {op, d.type, describe(type)});
        return;
      }
      if (d.kind != CanonDef::ResourceDrop && !f.own_resources.contains(t.resource)) {
        fail(d.offset,
             "canon {} requires a resource type defined by this component, but type {} is {}, which "
             "this component imports or takes from another component",
             {op, d.type, describe(type)});
        return;
      }
      CoreItemVal item;
      item.ref.kind = d.kind == CanonDef::ResourceNew ? CoreItemRef::ResourceNew
                      : d.kind == CanonDef::ResourceDrop ? CoreItemRef::ResourceDrop
                                                         : CoreItemRef::ResourceRep;
      item.ref.index = plan_resource(t.resource);
      item.ref.instance = current_instance_;
      CoreExternType ft;  // a func, by default
      ft.func.params = {CoreValType::I32};
      if (d.kind != CanonDef::ResourceDrop) ft.func.results = {CoreValType::I32};
      item.type = keep(std::move(ft));
      f.core_funcs().push_back(item);
      return;
    }
  }
}

}  // namespace compoly::elab
