// run(component, options): a wasi:cli/run command → { exitCode }.
import { ComponentError } from '../errors.js';
import { instantiate } from '../runtime/instantiate.js';
import { ExitSignal } from './cli.js';
import { WasiHost } from './index.js';

/**
 * Instantiates `component` with a WasiHost made from `options` (plus any
 * `options.imports` of the user's) and calls its wasi:cli/run export.
 * Returns `{ exitCode }`: 0 when run returns ok, 1 for err, the status given
 * to wasi:cli/exit otherwise. A trap rejects (as the engine's error).
 * @param {import('../runtime/component.js').Component} component
 * @param {ConstructorParameters<typeof WasiHost>[0] & { imports?: Record<string, any> }} [options]
 */
export async function run(component, options = {}) {
  const { imports: extra, ...config } = options;
  const host = new WasiHost(config);
  // Without JSPI nothing can wait for a ReadableStream in the middle of a
  // call: read it all before the guest starts.
  await host.stdio.stdin.drain?.();
  const { exports } = await instantiate(component, { ...host.imports(), ...extra });
  const name = Object.keys(exports).find((k) => k.startsWith('wasi:cli/run@') || k === 'wasi:cli/run');
  if (!name) {
    const names = component.plan.exports.map((e) => e.name).join(', ') || 'none';
    throw new TypeError(`compoly run: the component does not export wasi:cli/run (its exports: ${names})`);
  }
  let exitCode;
  try {
    // The export returns result<_, _>: ok returns, err throws a ComponentError.
    exports[name].run();
    exitCode = 0;
  } catch (e) {
    if (e instanceof ExitSignal) exitCode = e.exitCode;
    else if (e instanceof ComponentError) exitCode = 1;
    else throw e;
  } finally {
    for (const s of [host.stdio.stdout, host.stdio.stderr]) s.flush?.();
  }
  return { exitCode };
}
