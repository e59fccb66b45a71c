// Writes a Plan as JSON. Types are written once each into a table and
// referred to by index (primitives by name), so the runtime can build one
// lift/lower closure per type rather than per use.
//
// Every writer appends to the buffer it is given (a TextOut, see model/text.h):
// the plan of a WASI command is ~20 KB of JSON, and building it from returned
// temporaries was a third of a compile's time, most of it in malloc.
#include <algorithm>
#include <iterator>
#include <string>
#include <string_view>

#include "abi/layout.h"
#include "link/plan.h"
#include "model/key_set.h"
#include "model/object_vector.h"
#include "model/pod_vector.h"
#include "model/text.h"

namespace compoly {
namespace {

void append_string(TextOut& out, std::string_view s) { append_json_string(out, s); }

// Our own names for kinds and types ("i32", "record"): nothing to escape.
void append_name(TextOut& out, const char* name) {
  out += '"';
  out += name;
  out += '"';
}


void append_bool(TextOut& out, bool v) {
  if (v)
    out += "true";
  else
    out += "false";
}

// Over a pointer and a count, not a template: labels and name paths are
// different vectors, and the template wrote this once for each.
void append_string_array(TextOut& out, const std::string_view* items, size_t count) {
  out += "[";
  for (size_t i = 0; i < count; ++i) {
    if (i) out += ",";
    append_string(out, items[i]);
  }
  out += "]";
}

class PlanWriter {
 public:
  PlanWriter(const Plan& plan, LayoutCache& layouts)
      : plan_(plan), arena_(layouts.arena()), layouts_(layouts), refs_(arena_.size(), kUnwritten) {}

  void write(TextOut& out);

 private:
  static constexpr uint32_t kUnwritten = UINT32_MAX;

  void type_ref(TextOut& out, TypeId t);
  void type_body(TextOut& out, TypeId t);
  void flat_list(TextOut& out, const CoreValType* flat, size_t count);
  void func_abi(TextOut& out, TypeId t, AbiContext ctx);
  void item(TextOut& out, const CoreItemRef& r);
  void source(TextOut& out, const FuncSource& s);
  void options(TextOut& out, const PlanOptions& o);
  void plan_item(TextOut& out, const PlanItem& p);
  // A list of items, without its brackets: the imports, the exports, an instance's items.
  void plan_items(TextOut& out, const ObjectVector<PlanItem>& items);
  void resource_ref(TextOut& out, ResourceId r);
  // A lowered or lifted function is its component instance, what it calls,
  // then (written by this, for both) its type and its options.
  void function_end(TextOut& out, TypeId type, const PlanOptions& o);

  const Plan& plan_;
  const TypeArena& arena_;
  LayoutCache& layouts_;  // the elaborator's, already holding most layouts
  PodVector<uint32_t> refs_;  // TypeId -> index in table_, or kUnwritten
  KeySet table_;  // each distinct body once, in table order
  // The bodies type_ref is writing, nested ones after those that refer to them; reused.
  TextOut scratch_;
};

void PlanWriter::function_end(TextOut& out, TypeId type, const PlanOptions& o) {
  out += ",\"type\":";
  type_ref(out, type);
  out += ",\"options\":";
  options(out, o);
  out += "}";
}

// Flat lists hold only i32, i64, f32 and f64 (abi/layout.cc makes them of
// nothing else), written quoted from here by 0x7f - CoreValType: the lean
// core then needs no table of every core type's name. Anything else (which
// cannot happen) would be written as the last, null.
constexpr std::string_view kFlatTypeNames[] = {"\"i32\"", "\"i64\"", "\"f32\"", "\"f64\"", "null"};
static_assert(0x7f - int(CoreValType::F64) == 3);

void PlanWriter::flat_list(TextOut& out, const CoreValType* flat, size_t count) {
  out += "[";
  for (size_t i = 0; i < count; ++i) {
    if (i) out += ",";
    const size_t name = std::min(size_t(0x7f - int(flat[i])), std::size(kFlatTypeNames) - 1);
    out += kFlatTypeNames[name];
  }
  out += "]";
}

void PlanWriter::resource_ref(TextOut& out, ResourceId r) {
  const uint32_t* index = plan_.resource_index.find(r);
  if (!index) out += "null";
  else append_decimal(out, *index);
}

void PlanWriter::func_abi(TextOut& out, TypeId t, AbiContext ctx) {
  FuncLayout l = func_layout(layouts_, arena_, t, ctx);
  out += "{\"params\":";
  flat_list(out, l.flat_params.data(), l.flat_params.size());
  out += ",\"results\":";
  flat_list(out, l.flat_results.data(), l.flat_results.size());
  out += ",\"paramsInMemory\":";
  append_bool(out, l.params_in_memory);
  out += ",\"resultInMemory\":";
  append_bool(out, l.result_in_memory);
  out += "}";
}

void PlanWriter::type_body(TextOut& s, TypeId id) {
  const Type& t = arena_.get(id);
  s += "{\"kind\":";
  append_name(s, type_kind_name(t.kind));
  switch (t.kind) {
    case TypeKind::Record:
    case TypeKind::Variant:
    case TypeKind::Func: {
      if (t.kind == TypeKind::Record)
        s += ",\"fields\":[";
      else if (t.kind == TypeKind::Variant)
        s += ",\"cases\":[";
      else
        s += ",\"params\":[";
      for (size_t i = 0; i < t.fields.size(); ++i) {
        if (i) s += ",";
        s += "[";
        append_string(s, t.fields[i].name);
        s += ",";
        type_ref(s, t.fields[i].type);
        s += "]";
      }
      s += "]";
      if (t.kind == TypeKind::Func) {
        s += ",\"result\":";
        type_ref(s, t.ok);
        s += ",\"lift\":";
        func_abi(s, id, AbiContext::Lift);
        s += ",\"lower\":";
        func_abi(s, id, AbiContext::Lower);
      }
      break;
    }
    case TypeKind::List:
    case TypeKind::Option:
      s += ",\"element\":";
      type_ref(s, t.elements[0]);
      break;
    case TypeKind::Tuple:
      s += ",\"elements\":[";
      for (size_t i = 0; i < t.elements.size(); ++i) {
        if (i) s += ",";
        type_ref(s, t.elements[i]);
      }
      s += "]";
      break;
    case TypeKind::Flags:
    case TypeKind::Enum:
      s += ",\"labels\":";
      append_string_array(s, t.labels.data(), t.labels.size());
      break;
    case TypeKind::Result:
      s += ",\"ok\":";
      type_ref(s, t.ok);
      s += ",\"err\":";
      type_ref(s, t.err);
      break;
    case TypeKind::Own:
    case TypeKind::Borrow:
    case TypeKind::Resource:
      s += ",\"resource\":";
      resource_ref(s, t.resource);
      break;
    default:
      break;
  }
  // Value types (all of the above but func and resource; primitives never
  // get here) have a layout.
  if (arena_.is_value_type(id)) {
    const ValueLayout& l = layouts_.view(id);
    s += ",\"size\":";
    append_decimal(s, l.size);
    s += ",\"align\":";
    append_decimal(s, l.align);
    s += ",\"flat\":";
    if (l.flat_truncated) s += "[],\"flatTooLong\":true";
    else flat_list(s, l.flat.types, l.flat.count);
  }
  s += "}";
}

void PlanWriter::type_ref(TextOut& out, TypeId id) {
  if (id == kNoType) {
    out += "null";
    return;
  }
  const Type& t = arena_.get(id);
  if (t.kind == TypeKind::Prim) {
    append_name(out, prim_type_name(t.prim));
    return;
  }
  if (id < refs_.size() && refs_[id] != kUnwritten) {
    append_decimal(out, refs_[id]);
    return;
  }
  // The body is written apart, at the end of scratch_ (after the unfinished bodies that refer to
  // it, if any): it may refer to types not yet in the table.
  const size_t start = scratch_.size();
  type_body(scratch_, id);
  // Equal types written by different paths share one entry.
  const uint32_t index = table_.insert(scratch_.view().substr(start)).first;
  scratch_.truncate(start);
  if (id < refs_.size()) refs_[id] = index;
  append_decimal(out, index);
}

void PlanWriter::item(TextOut& s, const CoreItemRef& r) {
  switch (r.kind) {
    case CoreItemRef::Export:
      s += "{\"instance\":";
      append_decimal(s, r.index);
      s += ",\"name\":";
      append_string(s, r.name);
      s += "}";
      return;
    case CoreItemRef::Lowered:
      s += "{\"lowered\":";
      append_decimal(s, r.index);
      s += "}";
      return;
    case CoreItemRef::ResourceNew:
    case CoreItemRef::ResourceDrop:
    case CoreItemRef::ResourceRep:
      s += r.kind == CoreItemRef::ResourceNew ? "{\"resourceNew\":" : r.kind == CoreItemRef::ResourceDrop ? "{\"resourceDrop\":" : "{\"resourceRep\":";
      append_decimal(s, r.index);
      s += ",\"componentInstance\":";
      append_decimal(s, r.instance);
      s += "}";
      return;
    case CoreItemRef::Abstract:
      s += "{\"abstract\":true}";
      return;
  }
  s += "null";
}

void PlanWriter::source(TextOut& s, const FuncSource& f) {
  switch (f.kind) {
    case FuncSource::Host:
      s += "{\"host\":";
      append_string_array(s, f.path.data(), f.path.size());
      s += "}";
      return;
    case FuncSource::Lifted:
      s += "{\"lifted\":";
      append_decimal(s, f.index);
      s += "}";
      return;
    case FuncSource::Abstract:
      s += "{\"abstract\":true}";
      return;
  }
  s += "null";
}

void PlanWriter::options(TextOut& s, const PlanOptions& o) {
  s += "{\"encoding\":";
  append_name(s, string_encoding_name(o.encoding));
  if (o.memory) {
    s += ",\"memory\":";
    item(s, *o.memory);
  }
  if (o.realloc) {
    s += ",\"realloc\":";
    item(s, *o.realloc);
  }
  if (o.post_return) {
    s += ",\"postReturn\":";
    item(s, *o.post_return);
  }
  s += "}";
}

void PlanWriter::plan_item(TextOut& s, const PlanItem& p) {
  s += "{\"name\":";
  append_string(s, p.name);
  s += ",\"kind\":";
  append_name(s, extern_kind_name(p.kind));
  switch (p.kind) {
    case ExternKind::Func:
      s += ",\"type\":";
      type_ref(s, p.type);
      s += ",\"func\":";
      source(s, p.func);
      break;
    case ExternKind::Instance:
      s += ",\"items\":[";
      plan_items(s, p.items);
      s += "]";
      break;
    case ExternKind::Type:
      s += ",\"type\":";
      type_ref(s, p.type);
      break;
    case ExternKind::Module:
      s += ",\"module\":";
      append_decimal(s, p.module);
      break;
    default:
      break;
  }
  s += "}";
}

void PlanWriter::plan_items(TextOut& s, const ObjectVector<PlanItem>& items) {
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) s += ",";
    plan_item(s, items[i]);
  }
}

void PlanWriter::write(TextOut& out) {
  // Sections that refer to types come first so the table is complete when
  // it is written at the end.
  TextOut body;
  body.reserve(16384);
  body += "\"modules\":[";
  for (size_t i = 0; i < plan_.modules.size(); ++i) {
    const PlanModule& m = plan_.modules[i];
    if (i) body += ",";
    body += "[";
    append_decimal(body, m.offset);
    body += ",";
    append_decimal(body, m.size);
    if (m.source) {
      body += ",";
      append_decimal(body, m.source);
    }
    body += "]";
  }
  body += "],\"instantiations\":[";
  for (size_t i = 0; i < plan_.instantiations.size(); ++i) {
    const auto& step = plan_.instantiations[i];
    if (i) body += ",";
    body += "{\"module\":";
    append_decimal(body, step.module);
    body += ",\"args\":[";
    for (size_t j = 0; j < step.args.size(); ++j) {
      if (j) body += ",";
      body += "[";
      append_string(body, step.args[j].module);
      body += ",";
      append_string(body, step.args[j].name);
      body += ",";
      item(body, step.args[j].item);
      body += "]";
    }
    body += "]}";
  }
  body += "],\"lowered\":[";
  for (size_t i = 0; i < plan_.lowered.size(); ++i) {
    const auto& l = plan_.lowered[i];
    if (i) body += ",";
    body += "{\"componentInstance\":";
    append_decimal(body, l.instance);
    body += ",\"callee\":";
    source(body, l.callee);
    function_end(body, l.type, l.options);
  }
  body += "],\"lifted\":[";
  for (size_t i = 0; i < plan_.lifted.size(); ++i) {
    const auto& l = plan_.lifted[i];
    if (i) body += ",";
    body += "{\"componentInstance\":";
    append_decimal(body, l.instance);
    body += ",\"core\":";
    item(body, l.core);
    function_end(body, l.type, l.options);
  }
  body += "],\"resources\":[";
  for (size_t i = 0; i < plan_.resources.size(); ++i) {
    const auto& r = plan_.resources[i];
    if (i) body += ",";
    body += "{\"name\":";
    append_string(body, r.name);
    body += ",\"host\":";
    append_bool(body, r.host);
    if (r.host) {
      body += ",\"path\":";
      append_string_array(body, r.path.data(), r.path.size());
    } else {
      body += ",\"componentInstance\":";
      append_decimal(body, r.instance);
      if (r.dtor) {
        body += ",\"dtor\":";
        item(body, *r.dtor);
      }
    }
    body += "}";
  }
  body += "],\"imports\":[";
  plan_items(body, plan_.imports);
  body += "],\"exports\":[";
  plan_items(body, plan_.exports);
  body += "]";

  size_t table_size = 0;
  for (uint32_t i = 0; i < table_.size(); ++i) table_size += table_.first(i).size() + 1;
  out.reserve(out.size() + 64 + table_size + body.size());
  out += "{\"version\":1,\"componentInstances\":";
  append_decimal(out, plan_.component_instances);
  out += ",\"types\":[";
  for (size_t i = 0; i < table_.size(); ++i) {
    if (i) out += ",";
    out += table_.first(uint32_t(i));
  }
  out += "],";
  out += body.view();
  out += "}";
}

}  // namespace

void plan_to_json(TextOut& out, const Plan& plan, LayoutCache& layouts) {
  PlanWriter w(plan, layouts);
  w.write(out);
}

}  // namespace compoly
