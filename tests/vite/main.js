// Uses compoly as an application does: by package name. Vite must bundle the runtime, the
// Emscripten glue (compoly-core.mjs) and the core's .wasm for this to run.
import { compile, instantiate } from 'compoly';

const $ = (id) => document.getElementById(id);

async function main() {
  // public/calculator.component.wasm: demos/calculator, copied here by the test.
  const component = await compile(fetch(`${import.meta.env.BASE_URL}calculator.component.wasm`));
  $('wit').textContent = await component.wit();
  const { exports } = await instantiate(component, {});
  const calc = exports['demo:calc/calculator'];
  $('add').textContent = String(calc.add(40, 2));
  $('greet').textContent = calc.greet('vite');
  $('status').textContent = 'done';
}

main().catch((error) => {
  $('status').textContent = `error: ${error?.stack ?? error}`;
  console.error(error);
});
