// Runs a component's plan (docs/plan.md): core instances in plan order,
// lowered functions as their imports, lifted functions as the exports the
// user calls. Everything type-specific is built here once per instance;
// the closures in abi.js are built once per type.
import { ComponentError, LinkError, Trap } from '../errors.js';
import { checker, flatLifter, flatLowerer, loader, storer, alignTo } from './abi.js';
import { CallState, HandleTable, RESOURCE_SLOT, resourceBuiltins } from './handles.js';
import { fastLifted, isScalar } from './fast-path.js';
import { findImport } from './imports.js';
import { MemoryView } from './memory.js';
import { camelCase, parseFuncName, shortExportName, upperCamelCase } from './names.js';
import { witType } from './wit-text.js';

export function jspiAvailable() {
  return typeof WebAssembly.Suspending === 'function' && typeof WebAssembly.promising === 'function';
}

/**
 * @param {import('./component.js').Component} component
 * @param {Record<string, any>} [imports] host imports, keyed by import name (with or without version)
 * @param {{ async?: boolean }} [options] async: host imports may return Promises and the guest waits
 *   for them (JSPI); every export then returns a Promise
 * @returns {Promise<{ exports: Record<string, any> }>}
 */
export async function instantiate(component, imports = {}, options = {}) {
  const plan = component.plan;
  const types = component.types;
  const jspi = options.async === true;
  if (jspi && !jspiAvailable()) {
    throw new Error(
      'instantiate(…, { async: true }) needs JSPI (WebAssembly.Suspending and WebAssembly.promising), which this ' +
        'engine lacks: use Chromium, Firefox, or Node 24 or later',
    );
  }
  const state = {
    plan,
    types,
    core: [],
    handles: Array.from({ length: plan.componentInstances }, (_, k) => new HandleTable(k)),
    instances: Array.from({ length: plan.componentInstances }, () => ({ trapped: false, mayEnter: true, mayLeave: true })),
    resources: [],
    lowered: new Map(),
    lifted: new Map(),
    builtins: new Map(),
    jspi,
  };
  state.resources = plan.resources.map((r, index) => resourceRuntime(state, imports, r, index));

  const hostFuncs = new Map();
  linkHostImports(state, imports, plan.imports, [], hostFuncs);
  state.hostFuncs = hostFuncs;

  for (const step of plan.instantiations) {
    const importObject = {};
    for (const [module, name, item] of step.args) {
      (importObject[module] ??= {})[name] = coreItem(state, item);
    }
    const module = component.modules[step.module];
    if (!module) throw new Error('compoly: the component was compiled with { compileModules: false } and cannot be instantiated');
    state.core.push(await WebAssembly.instantiate(module, importObject));
  }

  const exports = {};
  for (const item of plan.exports) {
    const value = exportValue(state, item);
    if (value === undefined) continue;
    exports[item.name] = value;
    const short = shortExportName(item.name);
    if (!(short in exports)) exports[short] = value;
  }
  return { exports };
}

// ---- core items ----------------------------------------------------------------------

function coreItem(state, item) {
  if ('instance' in item) {
    const v = state.core[item.instance].exports[item.name];
    if (v === undefined) throw new LinkError(`core instance ${item.instance} has no export '${item.name}'`);
    return v;
  }
  if ('lowered' in item) return loweredFunc(state, item.lowered);
  const op = 'resourceNew' in item ? 'new' : 'resourceDrop' in item ? 'drop' : 'rep';
  const resource = item.resourceNew ?? item.resourceDrop ?? item.resourceRep;
  const key = `${resource}/${item.componentInstance}`;
  let b = state.builtins.get(key);
  if (!b) {
    b = resourceBuiltins(state, resource, item.componentInstance);
    state.builtins.set(key, b);
  }
  return b[op];
}

// ---- call contexts -----------------------------------------------------------------

function callContext(state, options, instance) {
  const inst = state.instances[instance];
  const cx = {
    encoding: options.encoding,
    handles: state.handles[instance],
    resources: state.resources,
    instance,
    call: null,
    mem: null,
    realloc: null,
  };
  // Memory and realloc come from core instances that may be created after
  // this context, so they are resolved on first use.
  cx.resolve = () => {
    if (options.memory && !cx.mem) cx.mem = new MemoryView(coreItem(state, options.memory));
    if (options.realloc && !cx.realloc) {
      const realloc = coreItem(state, options.realloc);
      cx.realloc = (oldPtr, oldSize, align, newSize) => {
        inst.mayLeave = false;
        try {
          return realloc(oldPtr, oldSize, align, newSize) >>> 0;
        } finally {
          inst.mayLeave = true;
        }
      };
    }
  };
  return cx;
}

function checkPointer(cx, ptr, size, align, what) {
  if (ptr % align !== 0) throw new Trap(`misaligned ${what} pointer ${ptr} (must be aligned to ${align})`);
  if (ptr + size > cx.mem.byteLength()) {
    throw new Trap(`${what} at ${ptr} with ${size} bytes is out of bounds of memory (${cx.mem.byteLength()} bytes)`);
  }
}

function paramsDesc(ft) {
  // The params as one tuple, for when they travel through memory.
  let offset = 0;
  let align = 1;
  const fields = ft.params.map((p) => {
    offset = alignTo(offset, p.type.align);
    const f = { at: offset, load: loader(p.type), store: storer(p.type) };
    offset += p.type.size;
    if (p.type.align > align) align = p.type.align;
    return f;
  });
  return { fields, size: alignTo(offset, align), align };
}

// ---- lowered: a core function that calls a component function -------------------------

function loweredFunc(state, index) {
  let f = state.lowered.get(index);
  if (f) return f;
  const spec = state.plan.lowered[index];
  const ft = state.types.get(spec.type);
  const inst = state.instances[spec.componentInstance];
  const cx = callContext(state, spec.options, spec.componentInstance);
  const callee = calleeFunc(state, spec.callee);
  const abi = ft.lower;
  const liftParams = ft.params.map((p) => flatLifter(p.type));
  const inMemory = abi.paramsInMemory ? paramsDesc(ft) : null;
  const result = ft.result;
  const resultIsResult = result?.kind === 'result';
  // Host functions return ok values and throw err ones; lifted functions of
  // another component already return the tagged value.
  const hostStyle = !('lifted' in spec.callee);
  const lowerResult = result && (abi.resultInMemory ? storer(result) : flatLowerer(result));
  const checkResult = result && checker(result);

  const enter = (core) => {
    if (inst.trapped) throw new Trap('the component instance has trapped and cannot be used');
    if (!inst.mayLeave) throw new Trap('cannot call an import from inside realloc or post-return');
    cx.resolve();
    if (inMemory) {
      const ptr = core[0] >>> 0;
      checkPointer(cx, ptr, inMemory.size, inMemory.align, 'parameter area');
      return inMemory.fields.map((fd) => fd.load(cx, ptr + fd.at));
    }
    const pos = { i: 0 };
    return liftParams.map((lift) => lift(cx, core, pos));
  };
  const leave = (value, core) => {
    if (!result) return undefined;
    if (!hostStyle || !resultIsResult) {
      if (value !== null && typeof value === 'object' && typeof value.then === 'function' && !state.jspi) {
        throw new TypeError(
          `${spec.callee.host?.join(' ') ?? 'a component function'} returned a Promise; instantiate with { async: true } ` +
            'to let imports block (JSPI), or return the value itself',
        );
      }
    }
    try {
      checkResult(value, state.resources);
    } catch (e) {
      if (e instanceof TypeError) throw new TypeError(`the result of ${spec.callee.host?.join(' ') ?? 'a component function'}${e.compolyPath ?? ''}: ${e.message}`);
      throw e;
    }
    if (abi.resultInMemory) {
      const ptr = core[core.length - 1] >>> 0;
      checkPointer(cx, ptr, result.size, result.align, 'result area');
      lowerResult(cx, ptr, value);
      return undefined;
    }
    const out = [];
    lowerResult(cx, value, out);
    return out[0];
  };
  // A host function's `result` comes back as a return (ok) or a throw (err).
  const invoke = resultIsResult && hostStyle
    ? (args) => {
        try {
          return { tag: 'ok', val: callee(...args) };
        } catch (e) {
          return { tag: 'err', val: errorPayload(e) };
        }
      }
    : (args) => callee(...args);

  if (state.jspi && hostStyle) {
    // The guest suspends on the host's Promise (JSPI): the engine resumes it
    // with the lowered result once the Promise settles.
    const settle = resultIsResult
      ? (pending) =>
          pending.tag === 'err'
            ? pending
            : Promise.resolve(pending.val).then(
                (val) => ({ tag: 'ok', val }),
                (e) => ({ tag: 'err', val: errorPayload(e) }),
              )
      : (pending) => pending;
    f = new WebAssembly.Suspending(async function loweredAsync(...core) {
      const saved = cx.call;
      const call = new CallState();
      cx.call = call;
      try {
        const value = await settle(invoke(enter(core)));
        cx.call = call; // other calls may have run while this one waited
        return leave(value, core);
      } finally {
        call.release();
        cx.call = saved;
      }
    });
  } else {
    f = function lowered(...core) {
      const saved = cx.call;
      const call = new CallState();
      cx.call = call;
      try {
        return leave(invoke(enter(core)), core);
      } finally {
        call.release();
        cx.call = saved;
      }
    };
  }
  state.lowered.set(index, f);
  return f;
}

// jco's convention: a host function returns the ok value and throws for err;
// a thrown error with a `payload` carries the err value, any other Error is
// a failure of the host itself and traps.
function errorPayload(e) {
  if (e !== null && typeof e === 'object' && Object.prototype.hasOwnProperty.call(e, 'payload')) return e.payload;
  if (e instanceof Error) throw e;
  return e;
}

function calleeFunc(state, source) {
  // (the plain, synchronous variant: JSPI suspends only on host Promises)
  // A component-to-component call passes JS values between the two
  // memories (fused adapters will replace this).
  if ('lifted' in source) return liftedFunc(state, source.lifted);
  const host = state.hostFuncs.get(source.host.join('\u0000'));
  if (!host) throw new LinkError(`missing host function for ${source.host.join(' ')}`);
  return host;
}

// ---- lifted: a component function that calls a core function --------------------------

// `async`: the JSPI variant for exports (returns a Promise, lets the guest
// suspend on host Promises); component-to-component calls use the plain one.
function liftedFunc(state, index, async = false) {
  const key = async ? `${index}/async` : index;
  let f = state.lifted.get(key);
  if (f) return f;
  const spec = state.plan.lifted[index];
  const ft = state.types.get(spec.type);
  const inst = state.instances[spec.componentInstance];
  const cx = callContext(state, spec.options, spec.componentInstance);
  const abi = ft.lift;
  const checks = ft.params.map((p) => checker(p.type));
  const lowerParams = ft.params.map((p) => flatLowerer(p.type));
  const inMemory = abi.paramsInMemory ? paramsDesc(ft) : null;
  const result = ft.result;
  const liftResult = result && (abi.resultInMemory ? loader(result) : flatLifter(result));
  let core = null;
  let postReturn = null;

  // Runs the full checker for parameter i: throws the worded TypeError, or
  // returns when the value is acceptable after all (a number for a u64).
  const badArgument = (i, v) => {
    if (i >= checks.length) return;
    try {
      checks[i](v, state.resources);
    } catch (e) {
      if (e instanceof TypeError) throw new TypeError(`parameter '${ft.params[i].name}'${e.compolyPath ?? ''}: ${e.message}`);
      throw e;
    }
  };
  if (
    !async &&
    ft.params.every((p) => isScalar(p.type)) &&
    (result === null || isScalar(result)) &&
    !abi.paramsInMemory &&
    !spec.options.postReturn
  ) {
    f = fastLifted({
      inst,
      core: () => coreItem(state, spec.core),
      params: ft.params.map((p) => p.type),
      result,
      badArgument,
    });
    state.lifted.set(index, f);
    return f;
  }

  const enter = (args) => {
    if (inst.trapped) throw new Trap('the component instance has trapped and cannot be used');
    if (!inst.mayEnter) throw new Trap('cannot reenter a component instance that is already running');
    // Check every argument before anything reaches guest memory (a missing
    // one is undefined: fine for an option, a TypeError otherwise).
    for (let i = 0; i < checks.length; i++) badArgument(i, args[i]);
    if (core === null) {
      const raw = coreItem(state, spec.core);
      core = async ? WebAssembly.promising(raw) : raw;
      if (spec.options.postReturn) postReturn = coreItem(state, spec.options.postReturn);
    }
    cx.resolve();
    inst.mayEnter = false;
  };
  const lowerArgs = (args) => {
    if (inMemory) {
      const ptr = cx.realloc(0, 0, inMemory.align, inMemory.size);
      checkPointer(cx, ptr, inMemory.size, inMemory.align, 'parameter area from realloc');
      for (let i = 0; i < inMemory.fields.length; i++) inMemory.fields[i].store(cx, ptr + inMemory.fields[i].at, args[i]);
      return [ptr];
    }
    const flat = [];
    for (let i = 0; i < lowerParams.length; i++) lowerParams[i](cx, args[i], flat);
    return flat;
  };
  const complete = (raw, call) => {
    let value;
    if (result) {
      if (abi.resultInMemory) {
        checkPointer(cx, raw >>> 0, result.size, result.align, 'returned result area');
        value = liftResult(cx, raw >>> 0);
      } else {
        value = liftResult(cx, [raw], { i: 0 });
      }
    }
    if (call.borrowCount !== 0) {
      throw new Trap(`${call.borrowCount} borrowed handle(s) were not dropped before the call returned`);
    }
    if (postReturn) {
      inst.mayLeave = false;
      try {
        if (abi.results.length) postReturn(raw);
        else postReturn();
      } finally {
        inst.mayLeave = true;
      }
    }
    return value;
  };

  if (async) {
    f = async function liftedAsync(...args) {
      enter(args);
      const saved = cx.call;
      const call = new CallState();
      cx.call = call;
      try {
        const raw = await core(...lowerArgs(args));
        cx.call = call;
        return complete(raw, call);
      } catch (e) {
        inst.trapped = true;
        throw e;
      } finally {
        call.release();
        cx.call = saved;
        inst.mayEnter = true;
      }
    };
  } else {
    f = function lifted(...args) {
      enter(args);
      const saved = cx.call;
      const call = new CallState();
      cx.call = call;
      try {
        return complete(core(...lowerArgs(args)), call);
      } catch (e) {
        // Arguments were checked before entering, so anything thrown in here
        // is a trap (or a host failure during the call): the instance is done.
        inst.trapped = true;
        throw e;
      } finally {
        call.release();
        cx.call = saved;
        inst.mayEnter = true;
      }
    };
  }
  state.lifted.set(key, f);
  return f;
}

// ---- exports --------------------------------------------------------------------------

function exportFunc(state, item) {
  if ('host' in item.func) {
    // A re-exported import: the host's own function.
    return state.hostFuncs.get(item.func.host.join('\u0000'));
  }
  if (!('lifted' in item.func)) return undefined;
  const lifted = liftedFunc(state, item.func.lifted, state.jspi);
  const ft = state.types.get(item.type);
  if (ft.result?.kind === 'result') {
    // At the top of an export, jco returns ok values and throws err ones.
    const unwrap = (r) => {
      if (r.tag === 'err') throw new ComponentError(r.val);
      return r.val;
    };
    if (state.jspi) return async (...args) => unwrap(await lifted(...args));
    return (...args) => unwrap(lifted(...args));
  }
  return lifted;
}

function exportValue(state, item) {
  switch (item.kind) {
    case 'func':
      return exportFunc(state, item);
    case 'instance':
      return exportInstance(state, item.items);
    default:
      return undefined;
  }
}

function exportInstance(state, items) {
  const out = {};
  for (const item of items) {
    if (item.kind === 'type') {
      const t = state.types.raw[item.type];
      if (t?.kind !== 'resource') continue;
      const rt = state.resources[t.resource];
      // A re-exported host resource is the host's own class.
      const cls = rt.host ? rt.hostClass : rt.jsClass(item.name);
      if (cls) out[upperCamelCase(item.name)] = cls;
    }
  }
  for (const item of items) {
    if (item.kind === 'instance') out[camelCase(item.name)] = exportInstance(state, item.items);
    if (item.kind !== 'func') continue;
    const fn = exportFunc(state, item);
    if (!fn) continue;
    const parsed = parseFuncName(item.name);
    if (parsed.kind === 'func') {
      out[camelCase(parsed.name)] = fn;
      continue;
    }
    const cls = out[upperCamelCase(parsed.resource)];
    if (!cls) continue;
    if (parsed.kind === 'constructor') cls[CONSTRUCT] = fn;
    else if (parsed.kind === 'static') cls[camelCase(parsed.name)] = fn;
    else
      Object.defineProperty(cls.prototype, camelCase(parsed.name), {
        value: function (...args) {
          return fn(this, ...args);
        },
        writable: true,
        configurable: true,
      });
  }
  return out;
}

const CONSTRUCT = Symbol('compoly.constructor');

// ---- resources -----------------------------------------------------------------------

function resourceRuntime(state, imports, r, index) {
  if (r.host) {
    const iface = findImport(imports, r.path[0]);
    const hostClass =
      r.path.length === 1 ? iface : typeof iface === 'object' && iface !== null ? iface[upperCamelCase(r.path[1])] : undefined;
    return {
      host: true,
      name: r.name,
      hostClass: typeof hostClass === 'function' ? hostClass : null,
      destroy(rep) {
        rep?.[Symbol.dispose]?.();
      },
    };
  }
  let dtor;
  let cls = null;
  const rt = {
    host: false,
    name: r.name || `resource${index}`,
    impl: r.componentInstance,
    destroy(rep) {
      if (dtor === undefined) dtor = r.dtor ? coreItem(state, r.dtor) : null;
      if (dtor) dtor(rep);
    },
    wrap(rep, owned) {
      const obj = Object.create(rt.jsClass(rt.name).prototype);
      obj[RESOURCE_SLOT] = { rt, rep, owned, dropped: false };
      return obj;
    },
    jsClass(name) {
      if (cls) return cls;
      // The name the root exports it under is the one users know.
      rt.name = name;
      const className = upperCamelCase(name);
      cls = {
        [className]: class {
          constructor(...args) {
            const construct = cls[CONSTRUCT];
            if (!construct) throw new TypeError(`${className} has no constructor`);
            // The constructor returns an owned handle object; adopt its slot.
            const made = construct(...args);
            this[RESOURCE_SLOT] = made[RESOURCE_SLOT];
          }
          [Symbol.dispose]() {
            const slot = this[RESOURCE_SLOT];
            if (!slot || slot.dropped || !slot.owned) return;
            slot.dropped = true;
            rt.destroy(slot.rep);
          }
        },
      }[className];
      return cls;
    },
  };
  return rt;
}

// ---- host imports ----------------------------------------------------------------------

function linkHostImports(state, imports, items, path, out) {
  for (const item of items) {
    const here = [...path, item.name];
    if (item.kind === 'instance') {
      linkHostImports(state, imports, item.items, here, out);
    } else if (item.kind === 'func') {
      out.set(here.join('\u0000'), hostFunction(state, imports, here, item));
    }
  }
}

function hostFunction(state, imports, path, item) {
  const signature = () => `${path.join(' ')}: ${witType(state.plan, item.type)}`;
  if (path.length === 1) {
    // A world-level function; resource functions find the class under the
    // resource's own import name (jco: `{ r: R }` for `import r: resource`).
    const parsed = parseFuncName(path[0]);
    if (parsed.kind === 'func') {
      const fn = findImport(imports, path[0]);
      if (typeof fn !== 'function') throw new LinkError(`missing import function '${path[0]}' (${signature()})`);
      return fn;
    }
    return resourceFunction(findImport(imports, parsed.resource), parsed, signature, (what) =>
      new LinkError(`missing import ${what} '${parsed.resource}' (${signature()})`),
    );
  }
  const iface = findImport(imports, path[0]);
  if (iface === undefined || iface === null) {
    throw new LinkError(`missing import '${path[0]}' (needed for ${signature()})`);
  }
  let holder = iface;
  for (const seg of path.slice(1, -1)) holder = holder?.[camelCase(seg)];
  const parsed = parseFuncName(path[path.length - 1]);
  const missing = (what) => new LinkError(`missing import ${what} in '${path[0]}' (${signature()})`);
  if (parsed.kind === 'func') {
    const name = camelCase(parsed.name);
    const fn = holder?.[name];
    if (typeof fn !== 'function') throw missing(`function '${name}'`);
    return Function.prototype.bind.call(fn, holder);
  }
  return resourceFunction(holder?.[upperCamelCase(parsed.resource)], parsed, signature, (what) =>
    missing(`${what} '${upperCamelCase(parsed.resource)}'`),
  );
}

function resourceFunction(cls, parsed, signature, missing) {
  const name = camelCase(parsed.name);
  switch (parsed.kind) {
    case 'constructor':
      if (typeof cls !== 'function') throw missing('resource class');
      return (...args) => new cls(...args);
    case 'static':
      if (typeof cls?.[name] !== 'function') throw missing(`static method ${name} of resource class`);
      return Function.prototype.bind.call(cls[name], cls);
    default:
      // Methods are looked up on the object at call time: host resources
      // may be of several classes.
      return (self, ...args) => {
        const m = self?.[name];
        if (typeof m !== 'function') {
          throw new TypeError(`host resource object has no method '${name}' (${signature()})`);
        }
        return m.apply(self, args);
      };
  }
}
