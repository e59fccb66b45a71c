// A 64 KiB string round trip, host → guest → host (bench/components/strings.wat echoes its
// argument), against the limit: TextEncoder.encodeInto straight into a wasm memory plus a
// TextDecoder of those bytes, no call at all; and against jco's transpiled output of the same
// component. 64 KiB is the UTF-8 size: 65536 ASCII characters, or a mix of 1-, 2-, 3- and
// 4-byte characters of the same encoded length.
import { compileBytes } from '../js/runtime/component.js';
import { instantiate } from '../js/runtime/instantiate.js';
import { compare, loop, per, ratio, throughput } from './lib.js';

export const title = 'strings: 64 KiB round trip through roundtrip(s: string) -> string';
const GOAL = 0.8;
const BYTES = 64 * 1024;

export async function prepare() {
  const { watComponent } = await import('./node.js');
  return watComponent('strings');
}

function text(kind) {
  if (kind === 'ascii') {
    let s = '';
    const line = 'The quick brown fox jumps over the lazy dog. 0123456789\n';
    while (s.length < BYTES) s += line;
    return s.slice(0, BYTES);
  }
  // About a third of the bytes ASCII, the rest 2-, 3- and 4-byte sequences.
  const parts = ['Grüße, ', 'señor ', '日本語の', 'テキスト ', '🎉', ' ok ', 'Ωμέγα ', '😀 '];
  const enc = new TextEncoder();
  let s = '';
  let n = 0;
  for (let i = 0; ; i = (i + 1) % parts.length) {
    const m = enc.encode(parts[i]).length;
    if (n + m > BYTES) break;
    s += parts[i];
    n += m;
  }
  return s + 'x'.repeat(BYTES - n);
}

export default async function run(env, input) {
  const component = await compileBytes(await env.bytes(input.wasm));
  const { exports } = await instantiate(component, {});
  const roundtrip = exports.echo.roundtrip;
  const jco = (await import(env.url(input.jco))).echo.roundtrip;

  // The limit: encode into a wasm memory, decode the bytes back; strict UTF-8 decoding, as the
  // canonical ABI requires (invalid UTF-8 from the guest traps).
  const memory = new WebAssembly.Memory({ initial: 8 });
  const bytes = new Uint8Array(memory.buffer);
  const encoder = new TextEncoder();
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const limit = (s) => {
    const { written } = encoder.encodeInto(s, bytes.subarray(1024));
    return decoder.decode(bytes.subarray(1024, 1024 + written));
  };

  const rows = [];
  for (const kind of ['ascii', 'non-ascii']) {
    const s = text(kind);
    if (new TextEncoder().encode(s).length !== BYTES) throw new Error('bad test string');
    for (const [name, f] of [['limit', limit], ['compoly', roundtrip], ['jco', jco]]) {
      if (f(s) !== s) throw new Error(`${name}: the ${kind} string did not come back unchanged`);
    }
    const t = compare(
      {
        limit: loop(limit, 'f(a).length', s),
        compoly: loop(roundtrip, 'f(a).length', s),
        jco: loop(jco, 'f(a).length', s),
      },
      { samples: 15 },
    );
    const r = t.ratio('limit', 'compoly'); // throughput relative to the limit's
    rows.push(
      { measure: `${kind}: limit (encodeInto + decode)`, value: `${per(t.limit)}, ${throughput(BYTES, t.limit)}` },
      { measure: `${kind}: compoly`, value: `${per(t.compoly)}, ${throughput(BYTES, t.compoly)}` },
      { measure: `${kind}: jco ${input.jcoVersion}`, value: `${per(t.jco)}, ${throughput(BYTES, t.jco)}` },
      { measure: `${kind}: compoly ÷ limit (throughput)`, value: ratio(r), goal: `≥ ${GOAL}×`, ok: r >= GOAL },
      { measure: `${kind}: jco ÷ limit (throughput)`, value: ratio(t.ratio('limit', 'jco')) },
    );
  }
  return { rows };
}
