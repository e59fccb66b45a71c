// wasi:random — random, insecure, insecure-seed.
//
// config.random.seed (a number, BigInt or string) makes every interface
// deterministic (tests and replays); without it `random` uses
// crypto.getRandomValues (at most 64 KiB per call, as the Web Crypto API
// requires) and `insecure` a PRNG seeded from it.

const MAX_LEN = 1 << 30;

function checkLen(len) {
  const n = BigInt(len);
  if (n > BigInt(MAX_LEN)) throw new Error(`wasi:random: ${n} bytes requested; at most ${MAX_LEN} per call`);
  return Number(n);
}

function cryptoBytes(n) {
  const out = new Uint8Array(n);
  for (let at = 0; at < n; at += 65536) crypto.getRandomValues(out.subarray(at, Math.min(n, at + 65536)));
  return out;
}

const M64 = (1n << 64n) - 1n;

/** SplitMix64: a small 64-bit generator, for seeded (reproducible) and insecure random. */
class SplitMix64 {
  constructor(seed) {
    this.state = BigInt.asUintN(64, seed);
  }
  next() {
    this.state = (this.state + 0x9e3779b97f4a7c15n) & M64;
    let z = this.state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
    return z ^ (z >> 31n);
  }
  bytes(n) {
    const out = new Uint8Array(n);
    const view = new DataView(out.buffer);
    let i = 0;
    for (; i + 8 <= n; i += 8) view.setBigUint64(i, this.next(), true);
    if (i < n) {
      let v = this.next();
      for (; i < n; i++, v >>= 8n) out[i] = Number(v & 0xffn);
    }
    return out;
  }
}

function seedOf(seed) {
  if (typeof seed === 'bigint') return seed;
  if (typeof seed === 'number') return BigInt(Math.trunc(seed));
  // A string: FNV-1a 64.
  let h = 0xcbf29ce484222325n;
  for (const b of new TextEncoder().encode(String(seed))) h = ((h ^ BigInt(b)) * 0x100000001b3n) & M64;
  return h;
}

function randomU64() {
  return new DataView(cryptoBytes(8).buffer).getBigUint64(0, true);
}

export function randomImports(config = {}) {
  const seeded = config.seed !== undefined && config.seed !== null;
  const secure = seeded ? new SplitMix64(seedOf(config.seed)) : null;
  const insecure = new SplitMix64(seeded ? seedOf(config.seed) ^ 0x5555555555555555n : randomU64());
  const insecureSeed = seeded ? [insecure.next(), insecure.next()] : [randomU64(), randomU64()];
  return {
    'wasi:random/random': {
      getRandomBytes: (len) => (secure ? secure.bytes(checkLen(len)) : cryptoBytes(checkLen(len))),
      getRandomU64: () => (secure ? secure.next() : randomU64()),
    },
    'wasi:random/insecure': {
      getInsecureRandomBytes: (len) => insecure.bytes(checkLen(len)),
      getInsecureRandomU64: () => insecure.next(),
    },
    'wasi:random/insecure-seed': {
      insecureSeed: () => insecureSeed.slice(),
    },
  };
}
