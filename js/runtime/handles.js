// Resource handles (CanonicalABI.md "Handle types", "canon resource.*"):
// one table per component instance, index 0 never used, own and borrow
// entries, lend counts that keep an own handle alive while it is borrowed,
// and borrow counts that must reach zero when a call returns.
//
// On the JS side a host resource is the host's own object (its `rep`); a
// guest resource is an object of a class made per instance (see
// instantiate.js) holding the representation in a private slot.
import { Trap } from '../errors.js';

export const RESOURCE_SLOT = Symbol('compoly.resource');

export class HandleTable {
  constructor(name) {
    this.name = name; // for messages
    this.entries = [undefined];
    this.free = [];
  }

  add(entry) {
    if (this.free.length) {
      const i = this.free.pop();
      this.entries[i] = entry;
      return i;
    }
    if (this.entries.length >= 2 ** 28) throw new Trap('handle table is full');
    this.entries.push(entry);
    return this.entries.length - 1;
  }

  get(i, resource, resources) {
    const e = this.entries[i];
    if (e === undefined || i === 0)
      throw new Trap(`unknown handle index ${i} (it was never created or was already dropped)`);
    if (e.resource !== resource)
      throw new Trap(
        `handle ${i} is a ${resources[e.resource].name}, but a ${resources[resource].name} was expected`,
      );
    return e;
  }

  remove(i, resource, resources) {
    const e = this.get(i, resource, resources);
    this.entries[i] = undefined;
    this.free.push(i);
    return e;
  }
}

/** State of one call across the boundary: borrows lent into it, owns lent out of it. */
export class CallState {
  constructor() {
    this.borrowCount = 0;
    this.lenders = null;
  }

  lend(entry) {
    entry.lendCount++;
    (this.lenders ??= []).push(entry);
  }

  release() {
    if (this.lenders) {
      for (const e of this.lenders) e.lendCount--;
      this.lenders = null;
    }
  }
}

// ---- guest → JS ------------------------------------------------------------------

export function liftOwn(cx, i, resource) {
  const e = cx.handles.remove(i, resource, cx.resources);
  if (!e.own) throw new Trap(`handle ${i} is a borrow, but an owned handle was expected`);
  if (e.lendCount !== 0) throw new Trap(`handle ${i} is still lent out and cannot be moved`);
  return toJs(cx, e.rep, resource, true);
}

export function liftBorrow(cx, i, resource) {
  const e = cx.handles.get(i, resource, cx.resources);
  if (e.own) cx.call.lend(e);
  return toJs(cx, e.rep, resource, false);
}

function toJs(cx, rep, resource, owned) {
  const rt = cx.resources[resource];
  if (rt.host) return rep;
  return rt.wrap(rep, owned);
}

// ---- JS → guest ------------------------------------------------------------------

/** Throws a TypeError unless `value` can be passed as a handle of resource `rt`. */
export function checkResourceValue(rt, value, own) {
  if (rt.host) {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function'))
      throw new TypeError(`expected a ${rt.name} resource object, got ${value === null ? 'null' : typeof value}`);
    if (rt.hostClass && !(value instanceof rt.hostClass))
      throw new TypeError(`expected an instance of ${rt.hostClass.name} for resource ${rt.name}`);
    return;
  }
  const slot = value?.[RESOURCE_SLOT];
  if (!slot || slot.rt !== rt) throw new TypeError(`expected a ${rt.name} resource object of this component instance`);
  if (slot.dropped) throw new TypeError(`the ${rt.name} resource was already dropped or moved`);
  if (own && !slot.owned) throw new TypeError(`a borrowed ${rt.name} cannot be passed as an owned handle`);
}

function repOf(cx, value, resource, consume) {
  const rt = cx.resources[resource];
  checkResourceValue(rt, value, consume);
  if (rt.host) return value;
  const slot = value[RESOURCE_SLOT];
  if (consume) slot.dropped = true; // ownership moves into the component
  return slot.rep;
}

export function lowerOwn(cx, value, resource) {
  const rep = repOf(cx, value, resource, true);
  return cx.handles.add({ rep, own: true, resource, lendCount: 0, scope: null });
}

export function lowerBorrow(cx, value, resource) {
  const rep = repOf(cx, value, resource, false);
  const rt = cx.resources[resource];
  // A component receiving a borrow of its own resource gets the
  // representation itself (canonical ABI lower_borrow).
  if (!rt.host && rt.impl === cx.instance) return rep;
  cx.call.borrowCount++;
  return cx.handles.add({ rep, own: false, resource, lendCount: 0, scope: cx.call });
}

// ---- canon resource.new / drop / rep -----------------------------------------------

export function resourceBuiltins(state, resource, instance) {
  const rt = state.resources[resource];
  const handles = state.handles[instance];
  const resources = state.resources;
  const inst = state.instances[instance];
  const check = () => {
    if (inst.trapped) throw new Trap('the component instance has trapped');
  };
  // resource.new and resource.drop may not run from realloc or post-return
  // (resource.rep may): canonical ABI may_leave.
  const checkMayLeave = () => {
    check();
    if (!inst.mayLeave) throw new Trap('cannot leave the component instance: resource.new/drop called from realloc or post-return');
  };
  return {
    new(rep) {
      checkMayLeave();
      return handles.add({ rep: rep >>> 0, own: true, resource, lendCount: 0, scope: null });
    },
    drop(i) {
      checkMayLeave();
      const e = handles.remove(i >>> 0, resource, resources);
      if (e.own) {
        if (e.lendCount !== 0) throw new Trap(`resource.drop of handle ${i} while it is still borrowed`);
        rt.destroy(e.rep);
      } else {
        e.scope.borrowCount--;
      }
    },
    rep(i) {
      check();
      return handles.get(i >>> 0, resource, resources).rep;
    },
  };
}
