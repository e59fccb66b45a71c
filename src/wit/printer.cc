#include "wit/printer.h"

#include <memory>
#include <string>
#include <string_view>

#include "model/id_map.h"
#include "model/key_set.h"
#include "model/object_vector.h"

namespace compoly {

namespace {

// Keywords of WIT.md plus the older spellings wit-parser still reserves; a
// name that collides needs `%` or the text would not parse back.
bool is_keyword(std::string_view name) {
  static const char* const kKeywords[] = {
      "as",      "async",     "bool",    "borrow", "char",    "constructor", "enum",    "error-context",
      "export",  "f32",       "f64",     "flags",  "float32", "float64",     "from",    "func",
      "future",  "import",    "include", "interface", "list", "map",         "option",  "own",
      "package", "record",    "resource", "result", "s16",    "s32",         "s64",     "s8",
      "static",  "stream",    "string",  "tuple",  "type",    "u16",         "u32",     "u64",
      "u8",      "use",       "variant", "with",   "world"};
  for (const char* k : kKeywords)
    if (name == k) return true;
  return false;
}

// `ns:pkg/iface@ver` split up; plain kebab names (inline interfaces, the
// world) have qualified == false.
struct InterfaceName {
  bool qualified = false;
  std::string ns, pkg, iface, version;

  std::string package_key() const { return ns + ":" + pkg + (version.empty() ? "" : "@" + version); }
};

InterfaceName parse_interface_name(const std::string& name) {
  InterfaceName n;
  size_t colon = name.find(':');
  size_t slash = name.find('/', colon == std::string::npos ? 0 : colon);
  if (colon == std::string::npos || slash == std::string::npos) {
    n.iface = name;
    return n;
  }
  n.qualified = true;
  n.ns = name.substr(0, colon);
  n.pkg = name.substr(colon + 1, slash - colon - 1);
  std::string rest = name.substr(slash + 1);
  size_t at = rest.find('@');
  n.iface = rest.substr(0, at);
  if (at != std::string::npos) n.version = rest.substr(at + 1);
  return n;
}

std::string escape_package(const std::string& package) {
  // `ns:pkg@ver`: only the two identifiers can be keywords.
  size_t colon = package.find(':');
  if (colon == std::string::npos) return wit_escape(package);
  size_t at = package.find('@', colon);
  std::string name = package.substr(colon + 1, at == std::string::npos ? std::string::npos : at - colon - 1);
  return wit_escape(package.substr(0, colon)) + ":" + wit_escape(name) +
         (at == std::string::npos ? "" : package.substr(at));
}

std::string escape_interface_path(const InterfaceName& n) {
  if (!n.qualified) return wit_escape(n.iface);
  return wit_escape(n.ns) + ":" + wit_escape(n.pkg) + "/" + wit_escape(n.iface) +
         (n.version.empty() ? "" : "@" + n.version);
}

// A type export of an interface (or a type import of the world), after
// deciding whether it is introduced here or brought in from elsewhere.
struct TypeItem {
  std::string name;
  TypeId type = kNoType;
  bool is_use = false;  // `use owner.{orig as name}`
  bool alias = false;   // `type name = orig;` of a named type of this scope
  std::string owner;
  std::string orig;
};

struct FuncItem {
  std::string name;
  TypeId type = kNoType;
};

// What a function name of the Explainer's name grammar says about it.
struct FuncName {
  enum Kind { Free, Constructor, Method, Static } kind = Free;
  bool async = false;
  std::string resource;  // local name of the resource for non-Free kinds
  std::string item;      // the name printed before `:`
};

FuncName parse_func_name(const std::string& name) {
  FuncName f;
  f.item = name;
  if (name.empty() || name[0] != '[') return f;
  size_t close = name.find(']');
  if (close == std::string::npos) return f;
  std::string tag = name.substr(1, close - 1);
  std::string rest = name.substr(close + 1);
  if (tag.rfind("async", 0) == 0) {
    f.async = true;
    tag = tag.size() > 5 ? tag.substr(6) : "";
  }
  if (tag.empty()) {
    f.item = rest;
    return f;
  }
  if (tag == "constructor") {
    f.kind = FuncName::Constructor;
    f.resource = rest;
    f.item = rest;
    return f;
  }
  size_t dot = rest.find('.');
  if (dot == std::string::npos || (tag != "method" && tag != "static")) return f;
  f.kind = tag == "method" ? FuncName::Method : FuncName::Static;
  f.resource = rest.substr(0, dot);
  f.item = rest.substr(dot + 1);
  return f;
}

// An interface, or the world itself: the names visible inside it.
struct Scope {
  std::string name;  // full interface name, inline interface name, "" for the world
  InterfaceName parsed;
  ObjectVector<TypeItem> types;
  ObjectVector<FuncItem> funcs;
  // The name each type and resource has here: the first one it was given.
  IdMap<uint32_t> type_names, resource_names;  // -> names
  ObjectVector<std::string> names;

  static void add(IdMap<uint32_t>& map, ObjectVector<std::string>& names, uint32_t id, std::string_view name) {
    if (map.insert(id, uint32_t(names.size()))) names.emplace_back(name);
  }
  void name_type(TypeId t, std::string_view name) { add(type_names, names, t, name); }
  void name_resource(ResourceId r, std::string_view name) { add(resource_names, names, r, name); }
  const std::string* type_name(TypeId t) const {
    const uint32_t* i = type_names.find(t);
    return i ? &names[*i] : nullptr;
  }
  const std::string* resource_name(ResourceId r) const {
    const uint32_t* i = resource_names.find(r);
    return i ? &names[*i] : nullptr;
  }
};

// The functions of one resource ([constructor], [method], [static]), printed
// in its block.
struct ResourceFuncs {
  ObjectVector<FuncItem> funcs;
  bool printed = false;  // a second resource of the same name gets none
};

// Where a named type was first introduced, to turn later sightings into `use`.
struct Origin {
  std::string scope;
  std::string name;
  bool importable = false;  // only named interfaces can be `use`d from
  TypeId type = kNoType;
};

struct WorldItem {
  enum Kind { Interface, Inline, Func } kind = Interface;
  std::string name;
  Scope* scope = nullptr;
  TypeId func = kNoType;
};

class Printer {
 public:
  explicit Printer(const WitWorld& w) : w_(w), a_(*w.arena) {}

  std::string run() {
    world_.parsed = parse_interface_name("");
    collect(w_.imports, true);
    collect(w_.exports, false);
    print_world();
    if (w_.nested_packages) print_packages();
    return std::move(out_);
  }

 private:
  // ---- pass 1: who introduces which name --------------------------------

  void collect(const PodVector<NamedExtern>& items, bool importing) {
    auto& list = importing ? imports_ : exports_;
    for (const auto& e : items) {
      switch (e.type.kind) {
        case ExternKind::Instance: {
          scopes_.push_back(std::make_unique<Scope>());
          Scope& s = *scopes_.back();
          s.name = e.name;
          s.parsed = parse_interface_name(std::string(e.name));
          if (e.type.type != kNoType) {
            for (const auto& x : a_.get(e.type.type).exports) {
              if (x.type.kind == ExternKind::Type) classify(s, std::string(x.name), x.type.type);
              if (x.type.kind == ExternKind::Func) s.funcs.push_back({std::string(x.name), x.type.type});
            }
          }
          list.push_back({s.parsed.qualified ? WorldItem::Interface : WorldItem::Inline, std::string(e.name), &s, kNoType});
          break;
        }
        case ExternKind::Func:
          // Resource functions at world level belong inside the world's
          // resource declarations, as wit-component prints them.
          if (importing && parse_func_name(std::string(e.name)).kind != FuncName::Free) {
            world_.funcs.push_back({std::string(e.name), e.type.type});
          } else {
            list.push_back({WorldItem::Func, std::string(e.name), nullptr, e.type.type});
          }
          break;
        case ExternKind::Type:
          if (importing) {
            classify(world_, std::string(e.name), e.type.type);
          } else {
            // WIT has no exported types in a world; keep the name so that
            // exported functions can still refer to it.
            world_.name_type(e.type.type, e.name);
            if (a_.get(e.type.type).kind == TypeKind::Resource)
              world_.name_resource(a_.get(e.type.type).resource, e.name);
          }
          break;
        default:
          break;  // core modules, components, values: not expressible in WIT
      }
    }
  }

  static bool nominal(TypeKind k) {
    return k == TypeKind::Record || k == TypeKind::Variant || k == TypeKind::Enum || k == TypeKind::Flags;
  }

  const Origin* find_origin(TypeId t, const std::string& name) const {
    const Type& ty = a_.get(t);
    if (const uint32_t* i = type_origin_.find(t)) return &origins_[*i];
    // An import's or export's type index is a copy of the type it names, with an identity of
    // its own: the type copied is where it comes from (`use iface.{orig as name}`, or `type
    // t3 = t2` for an alias of an alias, as jco prints it). A copy that substitution rebuilt
    // may no longer equal what it copied, hence the check.
    for (TypeId c = ty.copy_of; c != kNoType; c = a_.get(c).copy_of) {
      const uint32_t* i = type_origin_.find(c);
      if (i && a_.equal(c, t)) return &origins_[*i];
    }
    if (ty.kind == TypeKind::Resource) {
      const uint32_t* i = resource_origin_.find(ty.resource);
      return i ? &origins_[*i] : nullptr;
    }
    // A decoder may rebuild a used type (e.g. substituting resources), so
    // also accept an equal type of the same name from a named interface; the
    // name requirement keeps two independent look-alike records apart.
    if (nominal(ty.kind))
      return first_origin_equal_to(t, [&](const Origin& o) { return o.importable && o.name == name; });
    return nullptr;
  }

  // Of the origins of types equal to `t` that `accept`s, the one of the lowest
  // TypeId (the one a walk of the types in id order meets first), or null.
  template <typename Accept>
  const Origin* first_origin_equal_to(TypeId t, Accept accept) const {
    const Origin* best = nullptr;
    TypeId best_id = kNoType;
    for (size_t i = 0; i < type_origin_.size(); ++i) {
      const TypeId id = TypeId(type_origin_.key_at(i));
      const Origin& o = origins_[type_origin_.value_at(i)];
      if ((!best || id < best_id) && accept(o) && a_.equal(id, t)) {
        best = &o;
        best_id = id;
      }
    }
    return best;
  }

  // Makes this scope's `name` for type index t where later lookups of t (and of copies of
  // it) find it; a resource keeps the first name it was given.
  void remember_origin(const Scope& s, const std::string& name, TypeId t) {
    const uint32_t at = uint32_t(origins_.size());
    origins_.push_back(Origin{s.name, name, s.parsed.qualified, t});
    type_origin_.insert(t, at);
    if (a_.get(t).kind == TypeKind::Resource) resource_origin_.insert(a_.get(t).resource, at);
  }

  void classify(Scope& s, const std::string& name, TypeId t) {
    if (t == kNoType) return;
    const Type& ty = a_.get(t);
    // A func, instance or component type may be imported or exported as a type (`eq`), but
    // WIT has no way to write one: it is left out.
    if (ty.kind == TypeKind::Func || ty.kind == TypeKind::Instance || ty.kind == TypeKind::Component) return;
    TypeItem item;
    item.name = name;
    item.type = t;
    // Primitive TypeIds are shared by the whole arena: naming them would
    // rename every u32 in the scope.
    if (ty.kind == TypeKind::Prim) {
      s.types.push_back(item);
      return;
    }
    const Origin* o = find_origin(t, name);
    if (o && o->scope != s.name) {
      item.is_use = true;
      item.owner = o->scope;
      item.orig = o->name;
      // A later `use` of this very type index names this interface, not the one this uses
      // (jco alike: a world's `use` names the interface its alias points into).
      if (s.parsed.qualified) remember_origin(s, name, t);
    } else if (o && o->name != name) {
      item.alias = true;
      item.orig = o->name;
      // An alias of this alias names it, not the type it aliases (jco alike).
      remember_origin(s, name, t);
    } else if (!o) {
      remember_origin(s, name, t);
    }
    s.types.push_back(item);
    s.name_type(t, name);
    if (ty.kind == TypeKind::Resource) s.name_resource(ty.resource, name);
  }

  // ---- type text -------------------------------------------------------

  std::string resource_ref(const Scope& s, ResourceId r) const {
    if (const std::string* local = s.resource_name(r)) return wit_escape(*local);
    if (const uint32_t* origin = resource_origin_.find(r)) return wit_escape(origins_[*origin].name);
    std::string_view fallback = a_.resource(r).name;
    return fallback.empty() ? "resource#" + std::to_string(r) : wit_escape(fallback);
  }

  // A handle names its resource by the type index it was written with when that index has a
  // name here (`borrow<t2>` for a borrow of `type t2 = t1`), as jco prints it.
  std::string handle_ref(const Scope& s, const Type& handle) const {
    if (handle.handle_of != kNoType)
      if (const std::string* name = s.type_name(handle.handle_of)) return wit_escape(*name);
    return resource_ref(s, handle.resource);
  }

  // `named`: whether t may be printed by a name it has in scope; false for
  // the right-hand side of its own `type x = ...` declaration.
  std::string ref(const Scope& s, TypeId t, bool named = true) const {
    if (t == kNoType) return "_";
    const Type& ty = a_.get(t);
    if (ty.kind == TypeKind::Prim) return prim_type_name(ty.prim);
    if (named) {
      if (const std::string* local = s.type_name(t)) return wit_escape(*local);
    }
    switch (ty.kind) {
      case TypeKind::Own: return handle_ref(s, ty);
      case TypeKind::Resource: return resource_ref(s, ty.resource);
      case TypeKind::Borrow: return "borrow<" + handle_ref(s, ty) + ">";
      case TypeKind::List: return "list<" + ref(s, ty.elements[0]) + ">";
      case TypeKind::Option: return "option<" + ref(s, ty.elements[0]) + ">";
      case TypeKind::Tuple: {
        std::string text = "tuple<";
        for (size_t i = 0; i < ty.elements.size(); ++i) text += (i ? ", " : "") + ref(s, ty.elements[i]);
        return text + ">";
      }
      case TypeKind::Result:
        if (ty.ok == kNoType && ty.err == kNoType) return "result";
        if (ty.err == kNoType) return "result<" + ref(s, ty.ok) + ">";
        return "result<" + ref(s, ty.ok) + ", " + ref(s, ty.err) + ">";
      default: break;
    }
    if (nominal(ty.kind)) {
      // Not in scope (a component that skipped the `use`): its defining
      // name is still the best reading.
      if (const uint32_t* i = type_origin_.find(t)) return wit_escape(origins_[*i].name);
      if (const Origin* o = first_origin_equal_to(t, [](const Origin&) { return true; })) return wit_escape(o->name);
    }
    return a_.describe(t);  // not valid WIT, but says what is missing a name
  }

  std::string params(const Scope& s, const Type& f, size_t skip) const {
    std::string text;
    for (size_t i = skip; i < f.fields.size(); ++i)
      text += (i > skip ? ", " : "") + wit_escape(f.fields[i].name) + ": " + ref(s, f.fields[i].type);
    return text;
  }

  std::string func_text(const Scope& s, TypeId t, const FuncName& n) const {
    if (t == kNoType || a_.get(t).kind != TypeKind::Func) return "func()";
    const Type& f = a_.get(t);
    if (n.kind == FuncName::Constructor) {
      // A fallible constructor returns result<own<r>, E>, which WIT writes `-> result<r, E>`;
      // own<r> itself goes without saying.
      std::string text = "constructor(" + params(s, f, 0) + ")";
      if (f.ok != kNoType && a_.get(f.ok).kind == TypeKind::Result) text += " -> " + ref(s, f.ok);
      return text;
    }
    std::string text = n.kind == FuncName::Static ? "static " : "";
    if (n.async) text += "async ";
    text += "func(" + params(s, f, n.kind == FuncName::Method ? 1 : 0) + ")";
    if (f.ok != kNoType) text += " -> " + ref(s, f.ok);
    return text;
  }

  // ---- layout ----------------------------------------------------------

  void line(const std::string& text) {
    out_.append(size_t(indent_) * 2, ' ');
    out_ += text;
    out_ += '\n';
  }

  // A blank line between items of a block, none before the first one.
  void new_item() {
    if (any_items_) out_ += '\n';
    any_items_ = true;
  }

  std::string path_to(const std::string& owner, const Scope& from) const {
    InterfaceName o = parse_interface_name(owner);
    std::string here = from.parsed.qualified ? from.parsed.package_key() : w_.package;
    if (o.qualified && o.package_key() == here) return wit_escape(o.iface);
    return escape_interface_path(o);
  }

  void print_types(const Scope& s) {
    NameMap<ResourceFuncs> resource_funcs;
    for (const auto& f : s.funcs) {
      FuncName n = parse_func_name(f.name);
      if (n.kind != FuncName::Free) resource_funcs[n.resource].funcs.push_back(f);
    }
    // `use` statements come first, consecutive ones from one interface merged.
    ObjectVector<std::pair<std::string, PodVector<const TypeItem*>>> uses;
    for (const auto& t : s.types) {
      if (!t.is_use) continue;
      if (uses.empty() || uses.back().first != t.owner) uses.push_back({t.owner, {}});
      uses.back().second.push_back(&t);
    }
    for (const auto& [owner, items] : uses) {
      any_items_ = true;
      std::string text = "use " + path_to(owner, s) + ".{";
      for (size_t i = 0; i < items.size(); ++i) {
        text += i ? ", " : "";
        text += wit_escape(items[i]->orig);
        if (items[i]->orig != items[i]->name) text += " as " + wit_escape(items[i]->name);
      }
      line(text + "};");
    }
    for (const auto& t : s.types) {
      if (t.is_use) continue;
      new_item();
      declare(s, t, resource_funcs);
    }
  }

  void block(const std::string& head, const ObjectVector<std::string>& body) {
    line(head + " {");
    ++indent_;
    for (const auto& b : body) line(b);
    --indent_;
    line("}");
  }

  void declare(const Scope& s, const TypeItem& t, NameMap<ResourceFuncs>& resource_funcs) {
    std::string name = wit_escape(t.name);
    if (t.alias) {
      line("type " + name + " = " + wit_escape(t.orig) + ";");
      return;
    }
    const Type& ty = a_.get(t.type);
    ObjectVector<std::string> body;
    switch (ty.kind) {
      case TypeKind::Resource: {
        ResourceFuncs* r = resource_funcs.find(t.name);
        if (!r || r->printed) {
          line("resource " + name + ";");
          return;
        }
        for (const auto& f : r->funcs) {
          FuncName n = parse_func_name(f.name);
          std::string head = n.kind == FuncName::Constructor ? "" : wit_escape(n.item) + ": ";
          body.push_back(head + func_text(s, f.type, n) + ";");
        }
        r->printed = true;
        block("resource " + name, body);
        return;
      }
      case TypeKind::Record:
        for (const auto& f : ty.fields) body.push_back(wit_escape(f.name) + ": " + ref(s, f.type) + ",");
        block("record " + name, body);
        return;
      case TypeKind::Variant:
        for (const auto& f : ty.fields)
          body.push_back(wit_escape(f.name) + (f.type == kNoType ? "" : "(" + ref(s, f.type) + ")") + ",");
        block("variant " + name, body);
        return;
      case TypeKind::Enum:
      case TypeKind::Flags:
        for (const auto& l : ty.labels) body.push_back(wit_escape(l) + ",");
        block(std::string(ty.kind == TypeKind::Enum ? "enum " : "flags ") + name, body);
        return;
      case TypeKind::Own:
        // `type a = own<b>` is a distinct encoding from `use`; say so.
        line("type " + name + " = own<" + resource_ref(s, ty.resource) + ">;");
        return;
      default:
        line("type " + name + " = " + ref(s, t.type, false) + ";");
        return;
    }
  }

  void print_interface_body(const Scope& s) {
    bool saved = any_items_;
    any_items_ = false;
    print_types(s);
    // Resource functions whose resource is declared here were printed in
    // its block; any others (a malformed component) still get shown.
    KeySet declared;
    for (const auto& t : s.types)
      if (!t.is_use && !t.alias && a_.get(t.type).kind == TypeKind::Resource) declared.add(t.name);
    for (const auto& f : s.funcs) {
      FuncName n = parse_func_name(f.name);
      if (n.kind != FuncName::Free && declared.find(n.resource) != KeySet::kAbsent) continue;
      new_item();
      FuncName shown = n;
      if (n.kind != FuncName::Free) {
        shown = FuncName{};
        shown.item = f.name;
      }
      line(wit_escape(shown.item) + ": " + func_text(s, f.type, shown) + ";");
    }
    any_items_ = saved;
  }

  void print_item(const WorldItem& item, const char* verb) {
    std::string head = std::string(verb) + " ";
    switch (item.kind) {
      case WorldItem::Interface:
        line(head + escape_interface_path(item.scope->parsed) + ";");
        break;
      case WorldItem::Inline:
        line(head + wit_escape(item.name) + ": interface {");
        ++indent_;
        print_interface_body(*item.scope);
        --indent_;
        line("}");
        break;
      case WorldItem::Func: {
        FuncName n = parse_func_name(item.name);
        line(head + wit_escape(n.item) + ": " + func_text(world_, item.func, n) + ";");
        break;
      }
    }
  }

  void print_world() {
    line("package " + escape_package(w_.package) + ";");
    out_ += '\n';
    line("world " + wit_escape(w_.world) + " {");
    ++indent_;
    any_items_ = false;
    // wit-component's order: interface imports, then the world's own types
    // (uses first), then function imports; a blank line before exports.
    for (const auto& item : imports_) {
      if (item.kind == WorldItem::Func) continue;
      print_item(item, "import");
      any_items_ = true;
    }
    print_types(world_);
    for (const auto& item : imports_) {
      if (item.kind != WorldItem::Func) continue;
      print_item(item, "import");
      any_items_ = true;
    }
    if (!exports_.empty()) new_item();
    for (const auto& item : exports_) print_item(item, "export");
    --indent_;
    line("}");
  }

  void print_packages() {
    // An interface both imported and exported is one interface in WIT.
    ObjectVector<std::string> order;
    NameMap<PodVector<const Scope*>> by_package;
    KeySet seen;
    for (const auto* list : {&imports_, &exports_}) {
      for (const auto& item : *list) {
        if (item.kind != WorldItem::Interface || !seen.add(item.name)) continue;
        std::string key = item.scope->parsed.package_key();
        if (!by_package.find(key)) order.push_back(key);
        by_package[key].push_back(item.scope);
      }
    }
    for (const auto& key : order) {
      out_ += '\n';
      line("package " + escape_package(key) + " {");
      ++indent_;
      bool first = true;
      for (const Scope* s : by_package[key]) {
        if (!first) out_ += '\n';
        first = false;
        line("interface " + wit_escape(s->parsed.iface) + " {");
        ++indent_;
        print_interface_body(*s);
        --indent_;
        line("}");
      }
      --indent_;
      line("}");
    }
  }

  const WitWorld& w_;
  const TypeArena& a_;
  Scope world_;
  ObjectVector<std::unique_ptr<Scope>> scopes_;  // WorldItem keeps pointers to them
  ObjectVector<WorldItem> imports_, exports_;
  // Where each named type and resource was first introduced.
  ObjectVector<Origin> origins_;
  IdMap<uint32_t> type_origin_, resource_origin_;  // -> origins_
  std::string out_;
  int indent_ = 0;
  bool any_items_ = false;
};

}  // namespace

std::string wit_escape(std::string_view name) {
  return is_keyword(name) ? "%" + std::string(name) : std::string(name);
}

std::string print_wit(const WitWorld& world) {
  if (!world.arena) return "";
  return Printer(world).run();
}

}  // namespace compoly
