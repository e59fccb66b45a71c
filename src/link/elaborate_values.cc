#include "link/elaborator.h"

#include <string>

namespace compoly::elab {

const CoreItemVal* Elaborator::core_item(Frame& f, CoreSort sort, uint32_t index, size_t offset) {
  if (!is_core_item_sort(sort)) {
    fail(offset, "{} cannot be used here", {sort_name({Sort::Core, sort})});
    return nullptr;
  }
  PodVector<CoreItemVal>& space = f.core_items[size_t(sort)];
  if (index >= space.size()) {
    fail(offset, "{} index {} out of bounds (there are {})", {sort_name({Sort::Core, sort}), index, space.size()});
    return nullptr;
  }
  return &space[index];
}

uint32_t Elaborator::plan_resource(ResourceId r) {
  if (const uint32_t* known = resource_index_->find(r)) return *known;
  PlanResource pr;
  pr.name = arena_.resource(r).name;
  pr.host = arena_.resource(r).host;
  uint32_t idx = uint32_t(plan_->resources.size());
  plan_->resources.push_back(std::move(pr));
  resource_index_->insert(r, idx);
  return idx;
}

// A value standing for an import: a host function at the root, an abstract
// one while validating a component on its own.
ExternVal Elaborator::abstract_value(const ExternType& t, const NamePath* host) {
  ExternVal v;
  v.kind = t.kind;
  v.type = t.type;
  switch (t.kind) {
    case ExternKind::Func:
      v.func = host ? FuncSource::Host : FuncSource::Abstract;
      if (host) {
        v.func_index = uint32_t(host_paths_.size());
        host_paths_.push_back(*host);
      }
      break;
    case ExternKind::Instance: {
      v.instance = new_instance();
      // Making abstract values never adds to the arena, so this reference stays valid.
      const PodVector<NamedExtern>& exports = arena_.get(t.type).exports;
      v.instance->exports.reserve(exports.size());
      for (const auto& e : exports) {
        NamePath sub;
        if (host) {
          sub = *host;
          sub.push_back(e.name);
        }
        v.instance->exports.push_back({e.name, abstract_value(e.type, host ? &sub : nullptr)});
      }
      break;
    }
    case ExternKind::Component:
      v.component = new_component(nullptr, nullptr, {});
      v.component->imported = true;
      v.component->type = t.type;
      break;
    case ExternKind::Module:
      v.module.imported = true;
      v.module.type = t.type;
      break;
    case ExternKind::Type:
    case ExternKind::Value:
      break;
  }
  return v;
}

bool Elaborator::add_value(Frame& f, const ExternVal& v) {
  if (v.kind == ExternKind::Value) return false;
  f.space(v.kind).push_back(v);
  return true;
}

void Elaborator::add_type(Frame& f, TypeId t) {
  ExternVal v;
  v.kind = ExternKind::Type;
  v.type = t;
  f.types().push_back(v);
}

void Elaborator::add_instance(Frame& f, InstanceVal* inst) {
  ExternVal v;
  v.kind = ExternKind::Instance;
  v.instance = inst;
  f.instances().push_back(v);
}

ExternVal Elaborator::item_value(Frame& f, SortIdx item, size_t offset) {
  if (item.sort.sort == Sort::Value) {
    fail(offset, "values are not part of WASI 0.2");
    return {};
  }
  if (item.sort.sort == Sort::Core && item.sort.core != CoreSort::Module) {
    fail(offset, "{} cannot be passed or exported at the component level", {sort_name(item.sort)});
    return {};
  }
  // Sort::Core stands for its core module here, whose ExternKind is 0 too.
  const PodVector<ExternVal>& space = f.space(ExternKind(item.sort.sort));
  if (item.index >= space.size()) {
    fail(offset, "{} index {} out of bounds (there are {})", {sort_name(item.sort), item.index, space.size()});
    return {};
  }
  return space[item.index];
}

TypeId Elaborator::instance_type_of(const InstanceVal& inst) {
  Type t;
  t.kind = TypeKind::Instance;
  for (const auto& e : inst.exports) t.exports.push_back({e.name, type_of(e.value)});
  return arena_.add(std::move(t));
}

ExternType Elaborator::type_of(const ExternVal& v) {
  ExternType t;
  t.kind = v.kind;
  switch (v.kind) {
    case ExternKind::Instance: t.type = instance_type_of(*v.instance); break;
    case ExternKind::Component: t.type = v.component->type; break;
    case ExternKind::Module: {
      if (v.module.imported) {
        t.type = v.module.type;
      } else {
        Type mt;
        mt.kind = TypeKind::Module;
        mt.module.imports = v.module.def->info.imports;
        mt.module.exports = v.module.def->info.exports;
        t.type = arena_.add(std::move(mt));
      }
      break;
    }
    default: t.type = v.type; break;
  }
  return t;
}

PlanItem Elaborator::plan_item(std::string_view name, const ExternVal& v) {
  PlanItem p;
  p.name = name;
  p.kind = v.kind;
  p.type = v.type;
  switch (v.kind) {
    case ExternKind::Func: p.func = func_source(v); break;
    case ExternKind::Instance:
      for (const auto& e : v.instance->exports) p.items.push_back(plan_item(e.name, e.value));
      break;
    case ExternKind::Module: p.module = v.module.plan_module; break;
    case ExternKind::Type:
      if (arena_.get(v.type).kind == TypeKind::Resource) {
        ResourceId r = arena_.get(v.type).resource;
        uint32_t idx = plan_resource(r);
        if (plan_->resources[idx].name.empty()) plan_->resources[idx].name = name;
      }
      break;
    default: break;
  }
  return p;
}

FuncSource Elaborator::func_source(const ExternVal& v) const {
  FuncSource s;
  s.kind = v.func;
  if (v.func == FuncSource::Host) s.path = host_paths_[v.func_index];
  else s.index = v.func_index;
  return s;
}

// `v` seen through type `t`, a supertype of its own (an export's ascribed
// type): an instance keeps only the exports `t` lists, a function takes
// `t`'s (equal) type.
ExternVal Elaborator::seen_as(const ExternVal& v, const ExternType& t) {
  if (t.type == kNoType) return v;
  ExternVal out = v;
  switch (v.kind) {
    case ExternKind::Func: out.type = t.type; break;
    case ExternKind::Instance: {
      out.instance = new_instance();
      // Seeing a value through a type never adds to the arena: the reference stays valid.
      const PodVector<NamedExtern>& exports = arena_.get(t.type).exports;
      for (const auto& e : exports)
        if (const ExternVal* x = v.instance->find(e.name)) out.instance->exports.push_back({e.name, seen_as(*x, e.type)});
      break;
    }
    default: break;
  }
  return out;
}

}  // namespace compoly::elab
