// wasi:clocks — monotonic-clock and wall-clock.
//
// Overrides (config.clocks) make runs deterministic:
//   monotonic: { now() -> bigint ns, resolution?() -> bigint, advanceTo?(ns) }
//     (advanceTo, when present, is called instead of sleeping: a fake clock
//     jumps to the deadline a guest waits for)
//   wall: { now() -> { seconds: bigint, nanoseconds: number }, resolution?() }
//     or a function returning milliseconds since the epoch (like Date.now).
import { Pollable } from './io.js';

const perf = globalThis.performance;

// performance.now() is a double in ms; its granularity is 1 µs or coarser
// (browsers: 5 µs when cross-origin isolated, 100 µs otherwise).
function measureResolution() {
  if (!perf) return 1_000_000n;
  let smallest = Infinity;
  let last = perf.now();
  for (let i = 0; i < 1000 && smallest > 0.001; i++) {
    const t = perf.now();
    if (t > last) {
      smallest = Math.min(smallest, t - last);
      last = t;
    }
  }
  if (!Number.isFinite(smallest)) return 1000n;
  return BigInt(Math.max(1, Math.round(smallest * 1e6)));
}

let monotonicResolution = null;

export const defaultMonotonic = {
  now() {
    // Nanoseconds; BigInt of the integer part in µs keeps precision.
    const ms = perf ? perf.now() : Date.now();
    return BigInt(Math.round(ms * 1e6));
  },
  resolution() {
    monotonicResolution ??= measureResolution();
    return monotonicResolution;
  },
};

export const defaultWall = {
  now() {
    const ms = perf && perf.timeOrigin ? perf.timeOrigin + perf.now() : Date.now();
    const whole = Math.floor(ms / 1000);
    const nanos = Math.min(999_999_999, Math.max(0, Math.round((ms - whole * 1000) * 1e6)));
    return { seconds: BigInt(whole), nanoseconds: nanos };
  },
  resolution() {
    return { seconds: 0n, nanoseconds: 1000 };
  },
};

function wallFromMillis(fn) {
  return {
    now() {
      const ms = Number(fn());
      const whole = Math.floor(ms / 1000);
      return { seconds: BigInt(whole), nanoseconds: Math.round((ms - whole * 1000) * 1e6) };
    },
    resolution: () => ({ seconds: 0n, nanoseconds: 1_000_000 }),
  };
}

export function makeClocks(config = {}) {
  const monotonic = config.monotonic ? { resolution: () => 1n, ...config.monotonic } : defaultMonotonic;
  if (config.monotonic && typeof config.monotonic.now !== 'function') {
    throw new TypeError('compoly wasi: clocks.monotonic must have now() returning nanoseconds as a BigInt');
  }
  let wall = defaultWall;
  if (typeof config.wall === 'function') wall = wallFromMillis(config.wall);
  else if (config.wall) {
    if (typeof config.wall.now !== 'function') throw new TypeError('compoly wasi: clocks.wall must have now()');
    wall = { resolution: () => ({ seconds: 0n, nanoseconds: 1 }), ...config.wall };
  }
  return { monotonic, wall };
}

/** @param {{ async?: boolean }} [mode] async: a timer's block() sleeps on setTimeout and returns a Promise (JSPI) */
export function clockImports({ monotonic, wall }, mode = {}) {
  const now = () => BigInt(monotonic.now());
  const clock = { now, advanceTo: monotonic.advanceTo?.bind(monotonic) };
  const timer = (deadline) => new Pollable(() => now() >= deadline, { clock, deadline }, null, !!mode.async);
  return {
    'wasi:clocks/monotonic-clock': {
      now,
      resolution: () => BigInt(monotonic.resolution()),
      subscribeInstant: (when) => timer(BigInt(when)),
      subscribeDuration: (duration) => timer(now() + BigInt(duration)),
    },
    'wasi:clocks/wall-clock': {
      now: () => wall.now(),
      resolution: () => wall.resolution(),
    },
  };
}
