// The WIT shape parser that the jco comparison relies on: first on text
// written here (constructs jco does not print but our printer can), then on
// what `jco wit` prints for corpus components.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { witShape } from './helpers/wit-shape.js';

const corpus = new URL('../../../shared/corpus/', import.meta.url);

test('world items, inline interfaces, world resources and uses', () => {
  const shape = witShape(`
    package root:component;

    world root {
      import wasi:io/streams@0.2.0;
      import host: interface {
        resource y {
          constructor(a: s32);
          get-a: func() -> s32;
          add: static func(y: y, a: s32) -> y;
        }
        %type: func(%list: list<u8>) -> result<_, string>;
      }
      use wasi:io/streams@0.2.0.{output-stream, input-stream as in};
      resource r {
        constructor();
      }
      import test: func(r: borrow<r>);

      export add: func(a: borrow<r>,
                       b: tuple<u32, option<string>>) -> r;
      export %result: interface {
        f: func();
      }
      export wasi:cli/run@0.2.0;
    }
  `);
  assert.deepEqual(shape, {
    imports: ['host', 'test', 'wasi:io/streams@0.2.0'],
    exports: ['add', 'result', 'wasi:cli/run@0.2.0'],
    functions: {
      host: {
        '[constructor]y': 'constructor(a: s32)',
        '[method]y.get-a': 'func() -> s32',
        '[static]y.add': 'func(y: y, a: s32) -> y',
        type: 'func(list: list<u8>) -> result<_, string>',
      },
      'world:import': { '[constructor]r': 'constructor()', test: 'func(r: borrow<r>)' },
      'world:export': { add: 'func(a: borrow<r>, b: tuple<u32, option<string>>) -> r' },
      result: { f: 'func()' },
    },
    types: {
      host: { y: 'resource' },
      'world:import': {
        'output-stream': 'use wasi:io/streams@0.2.0.output-stream',
        in: 'use wasi:io/streams@0.2.0.input-stream',
        r: 'resource',
      },
    },
  });
});

test('nested packages resolve to full interface names', () => {
  // What `wasm-tools component wit` (and our printer with nested packages)
  // adds after the world.
  const shape = witShape(`
    package root:component;
    world root {
      import test:demo/types@1.0.0-rc.1;
      import other:pkg/user;
    }

    package test:demo@1.0.0-rc.1 {
      /// docs are ignored
      interface types {
        record point { x: s32, y: s32, }
        enum color { red, green, }
        flags perms { read, write }
        variant v { none, some(string), }
        type size = u64;
        type pair = tuple<point, color>;
        resource blob;
        @since(version = 0.2.0)
        process: func(p: point) -> pair; /* block /* nested */ comment */
      }

      interface geometry {
        use types.{point};
        center: func(p: point) -> point;
      }
    }

    package other:pkg {
      interface user {
        use test:demo/types@1.0.0-rc.1.{point as pt};
      }
    }
  `);
  assert.deepEqual(shape.imports, ['other:pkg/user', 'test:demo/types@1.0.0-rc.1']);
  assert.deepEqual(shape.exports, []);
  assert.deepEqual(shape.functions, {
    'test:demo/types@1.0.0-rc.1': { process: 'func(p: point) -> pair' },
    'test:demo/geometry@1.0.0-rc.1': { center: 'func(p: point) -> point' },
  });
  assert.deepEqual(shape.types, {
    'test:demo/types@1.0.0-rc.1': {
      point: 'record{x: s32, y: s32}',
      color: 'enum{red, green}',
      perms: 'flags{read, write}',
      v: 'variant{none, some(string)}',
      size: 'type u64',
      pair: 'type tuple<point, color>',
      blob: 'resource',
    },
    'test:demo/geometry@1.0.0-rc.1': { point: 'use test:demo/types@1.0.0-rc.1.point' },
    'other:pkg/user': { pt: 'use test:demo/types@1.0.0-rc.1.point' },
  });
});

test('malformed text is reported, not guessed at', () => {
  assert.throws(() => witShape('world root { import foo: func(; }'), /witShape/);
  assert.throws(() => witShape('world root { bogus x; }'), /witShape/);
});

// What jco prints for real components. jco is a devDependency; the corpus is
// shared data outside the repository.
async function jcoWit() {
  try {
    return (await import('@bytecodealliance/jco')).componentWit;
  } catch {
    return null;
  }
}

const samples = [
  {
    file: 'jco-runtime/resources.component.wasm',
    check(shape) {
      assert.ok(shape.imports.includes('imports'));
      assert.ok(shape.imports.includes('wasi:io/streams@0.2.0'));
      assert.deepEqual(shape.exports, ['exports']);
      assert.deepEqual(shape.functions.imports, {
        '[constructor]y': 'constructor(a: s32)',
        '[method]y.get-a': 'func() -> s32',
        '[method]y.set-a': 'func(a: s32)',
        '[static]y.add': 'func(y: y, a: s32) -> y',
      });
      assert.equal(shape.functions.exports.add, 'func(a: borrow<z>, b: borrow<z>) -> z');
      assert.equal(shape.functions.exports['[static]kebab-case.take-owned'], 'func(k: kebab-case) -> u32');
      assert.equal(shape.functions.exports['test-imports'], 'func() -> result<_, string>');
      assert.deepEqual(shape.types.exports, { x: 'resource', z: 'resource', 'kebab-case': 'resource' });
    },
  },
  {
    file: 'jco-runtime/resource_floats.component.wasm',
    check(shape) {
      assert.deepEqual(shape.exports, ['add', 'exports']);
      assert.deepEqual(shape.types['world:import'], { float: 'use test:resource-floats/test.float' });
      assert.equal(shape.functions['world:export'].add, 'func(a: borrow<float>, b: borrow<float>) -> float');
      assert.equal(shape.functions.exports['[static]float.add'], 'func(a: float, b: f64) -> float');
    },
  },
  {
    file: 'wasmtime-p2/p2_api_reactor.component.wasm',
    check(shape) {
      assert.ok(shape.imports.includes('wasi:filesystem/types@0.2.6'));
      assert.deepEqual(shape.exports, [
        'add-strings',
        'get-strings',
        'pass-an-imported-record',
        'wasi:cli/run@0.2.6',
        'write-strings-to',
      ]);
      assert.deepEqual(shape.types['world:import'], {
        'output-stream': 'use wasi:io/streams@0.2.6.output-stream',
        'descriptor-stat': 'use wasi:filesystem/types@0.2.6.descriptor-stat',
      });
      assert.equal(shape.functions['world:export']['write-strings-to'], 'func(o: output-stream) -> result');
    },
  },
  {
    file: 'jco-runtime/simple-nested.component.wasm',
    check(shape) {
      assert.deepEqual(shape.imports, ['calvinrp:test-async-funcs/hello@0.1.0']);
      assert.deepEqual(shape.exports, ['calvinrp:test-async-funcs/hello@0.1.0']);
      assert.deepEqual(shape.functions, {});
    },
  },
];

for (const sample of samples) {
  test(`jco wit output of ${sample.file}`, async (t) => {
    const path = fileURLToPath(new URL(sample.file, corpus));
    if (!existsSync(path)) return t.skip(`corpus absent: ${path}`);
    const componentWit = await jcoWit();
    if (!componentWit) return t.skip('@bytecodealliance/jco not installed (npm install)');
    const text = await componentWit(readFileSync(path));
    sample.check(witShape(text));
  });
}
