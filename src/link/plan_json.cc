// Writes a Plan as JSON. Types are written once each into a table and
// referred to by index (primitives by name), so the runtime can build one
// lift/lower closure per type rather than per use.
#include <map>
#include <string>

#include "abi/layout.h"
#include "link/plan.h"
#include "model/text.h"

namespace compoly {
namespace {

void append_string(std::string& out, std::string_view s) { append_json_string(out, s); }

class PlanWriter {
 public:
  PlanWriter(const Plan& plan, const TypeArena& arena) : plan_(plan), arena_(arena), layouts_(arena) {}

  std::string write();

 private:
  std::string type_ref(TypeId t);
  std::string type_body(TypeId t);
  std::string flat_list(const std::vector<CoreValType>& flat);
  std::string func_abi(TypeId t, AbiContext ctx);
  std::string item(const CoreItemRef& r);
  std::string source(const FuncSource& s);
  std::string options(const PlanOptions& o);
  std::string plan_item(const PlanItem& p);
  std::string resource_ref(ResourceId r);

  const Plan& plan_;
  const TypeArena& arena_;
  LayoutCache layouts_;
  std::map<TypeId, std::string> refs_;
  std::map<std::string, size_t> by_body_;
  std::vector<std::string> table_;
};

std::string PlanWriter::flat_list(const std::vector<CoreValType>& flat) {
  std::string s = "[";
  for (size_t i = 0; i < flat.size(); ++i) {
    if (i) s += ',';
    append_string(s, core_valtype_name(flat[i]));
  }
  return s + "]";
}

std::string PlanWriter::resource_ref(ResourceId r) {
  auto it = plan_.resource_index.find(r);
  return it == plan_.resource_index.end() ? std::string("null") : std::to_string(it->second);
}

std::string PlanWriter::func_abi(TypeId t, AbiContext ctx) {
  FuncLayout l = func_layout(layouts_, arena_, t, ctx);
  std::string s = "{\"params\":" + flat_list(l.flat_params) + ",\"results\":" + flat_list(l.flat_results);
  s += ",\"paramsInMemory\":";
  s += l.params_in_memory ? "true" : "false";
  s += ",\"resultInMemory\":";
  s += l.result_in_memory ? "true" : "false";
  return s + "}";
}

std::string PlanWriter::type_body(TypeId id) {
  const Type& t = arena_.get(id);
  std::string s = "{\"kind\":";
  append_string(s, type_kind_name(t.kind));
  switch (t.kind) {
    case TypeKind::Record:
    case TypeKind::Variant:
    case TypeKind::Func: {
      s += t.kind == TypeKind::Record ? ",\"fields\":[" : t.kind == TypeKind::Variant ? ",\"cases\":[" : ",\"params\":[";
      for (size_t i = 0; i < t.fields.size(); ++i) {
        if (i) s += ',';
        s += '[';
        append_string(s, t.fields[i].name);
        s += ',';
        s += t.fields[i].type == kNoType ? std::string("null") : type_ref(t.fields[i].type);
        s += ']';
      }
      s += ']';
      if (t.kind == TypeKind::Func) {
        s += ",\"result\":" + (t.ok == kNoType ? std::string("null") : type_ref(t.ok));
        s += ",\"lift\":" + func_abi(id, AbiContext::Lift);
        s += ",\"lower\":" + func_abi(id, AbiContext::Lower);
        return s + "}";
      }
      break;
    }
    case TypeKind::List:
    case TypeKind::Option:
      s += ",\"element\":" + type_ref(t.elements[0]);
      break;
    case TypeKind::Tuple:
      s += ",\"elements\":[";
      for (size_t i = 0; i < t.elements.size(); ++i) s += (i ? "," : "") + type_ref(t.elements[i]);
      s += ']';
      break;
    case TypeKind::Flags:
    case TypeKind::Enum:
      s += ",\"labels\":[";
      for (size_t i = 0; i < t.labels.size(); ++i) {
        if (i) s += ',';
        append_string(s, t.labels[i]);
      }
      s += ']';
      break;
    case TypeKind::Result:
      s += ",\"ok\":" + (t.ok == kNoType ? std::string("null") : type_ref(t.ok));
      s += ",\"err\":" + (t.err == kNoType ? std::string("null") : type_ref(t.err));
      break;
    case TypeKind::Own:
    case TypeKind::Borrow:
    case TypeKind::Resource:
      s += ",\"resource\":" + resource_ref(t.resource);
      if (t.kind == TypeKind::Resource) return s + "}";
      break;
    default:
      return s + "}";
  }
  const ValueLayout& l = layouts_.of(id);
  s += ",\"size\":" + std::to_string(l.size) + ",\"align\":" + std::to_string(l.align);
  s += ",\"flat\":" + flat_list(l.flat_truncated ? std::vector<CoreValType>{} : l.flat);
  if (l.flat_truncated) s += ",\"flatTooLong\":true";
  return s + "}";
}

std::string PlanWriter::type_ref(TypeId id) {
  if (id == kNoType) return "null";
  const Type& t = arena_.get(id);
  if (t.kind == TypeKind::Prim) {
    std::string s;
    append_string(s, prim_type_name(t.prim));
    return s;
  }
  auto it = refs_.find(id);
  if (it != refs_.end()) return it->second;
  std::string body = type_body(id);
  // Equal types written by different paths share one entry.
  auto found = by_body_.find(body);
  size_t index;
  if (found != by_body_.end()) {
    index = found->second;
  } else {
    index = table_.size();
    table_.push_back(body);
    by_body_[body] = index;
  }
  std::string ref = std::to_string(index);
  refs_[id] = ref;
  return ref;
}

std::string PlanWriter::item(const CoreItemRef& r) {
  std::string s;
  switch (r.kind) {
    case CoreItemRef::Export:
      s = "{\"instance\":" + std::to_string(r.index) + ",\"name\":";
      append_string(s, r.name);
      return s + "}";
    case CoreItemRef::Lowered: return "{\"lowered\":" + std::to_string(r.index) + "}";
    case CoreItemRef::ResourceNew:
    case CoreItemRef::ResourceDrop:
    case CoreItemRef::ResourceRep: {
      const char* op = r.kind == CoreItemRef::ResourceNew ? "resourceNew" : r.kind == CoreItemRef::ResourceDrop ? "resourceDrop" : "resourceRep";
      return std::string("{\"") + op + "\":" + std::to_string(r.index) + ",\"componentInstance\":" + std::to_string(r.instance) + "}";
    }
    case CoreItemRef::Abstract: return "{\"abstract\":true}";
  }
  return "null";
}

std::string PlanWriter::source(const FuncSource& f) {
  switch (f.kind) {
    case FuncSource::Host: {
      std::string s = "{\"host\":[";
      for (size_t i = 0; i < f.path.size(); ++i) {
        if (i) s += ',';
        append_string(s, f.path[i]);
      }
      return s + "]}";
    }
    case FuncSource::Lifted: return "{\"lifted\":" + std::to_string(f.index) + "}";
    case FuncSource::Abstract: return "{\"abstract\":true}";
  }
  return "null";
}

std::string PlanWriter::options(const PlanOptions& o) {
  std::string s = "{\"encoding\":";
  append_string(s, string_encoding_name(o.encoding));
  if (o.memory) s += ",\"memory\":" + item(*o.memory);
  if (o.realloc) s += ",\"realloc\":" + item(*o.realloc);
  if (o.post_return) s += ",\"postReturn\":" + item(*o.post_return);
  return s + "}";
}

std::string PlanWriter::plan_item(const PlanItem& p) {
  std::string s = "{\"name\":";
  append_string(s, p.name);
  s += ",\"kind\":";
  append_string(s, extern_kind_name(p.kind));
  switch (p.kind) {
    case ExternKind::Func:
      s += ",\"type\":" + type_ref(p.type) + ",\"func\":" + source(p.func);
      break;
    case ExternKind::Instance:
      s += ",\"items\":[";
      for (size_t i = 0; i < p.items.size(); ++i) s += (i ? "," : "") + plan_item(p.items[i]);
      s += ']';
      break;
    case ExternKind::Type:
      s += ",\"type\":" + type_ref(p.type);
      break;
    case ExternKind::Module:
      s += ",\"module\":" + std::to_string(p.module);
      break;
    default:
      break;
  }
  return s + "}";
}

std::string PlanWriter::write() {
  // Sections that refer to types come first so the table is complete when
  // it is written at the end.
  std::string body;
  body += "\"modules\":[";
  for (size_t i = 0; i < plan_.modules.size(); ++i)
    body += (i ? ",[" : "[") + std::to_string(plan_.modules[i].offset) + "," + std::to_string(plan_.modules[i].size) +
            (plan_.modules[i].source ? "," + std::to_string(plan_.modules[i].source) : std::string()) + "]";
  body += "],\"instantiations\":[";
  for (size_t i = 0; i < plan_.instantiations.size(); ++i) {
    const auto& step = plan_.instantiations[i];
    if (i) body += ',';
    body += "{\"module\":" + std::to_string(step.module) + ",\"args\":[";
    for (size_t j = 0; j < step.args.size(); ++j) {
      if (j) body += ',';
      body += '[';
      append_string(body, step.args[j].module);
      body += ',';
      append_string(body, step.args[j].name);
      body += "," + item(step.args[j].item) + "]";
    }
    body += "]}";
  }
  body += "],\"lowered\":[";
  for (size_t i = 0; i < plan_.lowered.size(); ++i) {
    const auto& l = plan_.lowered[i];
    body += (i ? "," : "") + std::string("{\"componentInstance\":") + std::to_string(l.instance) + ",\"callee\":" + source(l.callee) + ",\"type\":" + type_ref(l.type) +
            ",\"options\":" + options(l.options) + "}";
  }
  body += "],\"lifted\":[";
  for (size_t i = 0; i < plan_.lifted.size(); ++i) {
    const auto& l = plan_.lifted[i];
    body += (i ? "," : "") + std::string("{\"componentInstance\":") + std::to_string(l.instance) + ",\"core\":" + item(l.core) + ",\"type\":" + type_ref(l.type) +
            ",\"options\":" + options(l.options) + "}";
  }
  body += "],\"resources\":[";
  for (size_t i = 0; i < plan_.resources.size(); ++i) {
    const auto& r = plan_.resources[i];
    if (i) body += ',';
    body += "{\"name\":";
    append_string(body, r.name);
    body += std::string(",\"host\":") + (r.host ? "true" : "false");
    if (r.host) {
      body += ",\"path\":[";
      for (size_t j = 0; j < r.path.size(); ++j) {
        if (j) body += ',';
        append_string(body, r.path[j]);
      }
      body += ']';
    } else {
      body += ",\"componentInstance\":" + std::to_string(r.instance);
      if (r.dtor) body += ",\"dtor\":" + item(*r.dtor);
    }
    body += '}';
  }
  body += "],\"imports\":[";
  for (size_t i = 0; i < plan_.imports.size(); ++i) body += (i ? "," : "") + plan_item(plan_.imports[i]);
  body += "],\"exports\":[";
  for (size_t i = 0; i < plan_.exports.size(); ++i) body += (i ? "," : "") + plan_item(plan_.exports[i]);
  body += "]";

  std::string out = "{\"version\":1,\"componentInstances\":" + std::to_string(plan_.component_instances) + ",\"types\":[";
  for (size_t i = 0; i < table_.size(); ++i) out += (i ? "," : "") + table_[i];
  out += "],";
  out += body;
  out += "}";
  return out;
}

}  // namespace

std::string plan_to_json(const Plan& plan, const TypeArena& arena) {
  PlanWriter w(plan, arena);
  return w.write();
}

}  // namespace compoly
