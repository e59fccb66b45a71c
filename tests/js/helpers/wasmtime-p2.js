// The wasmtime WASI 0.2 test programs (../shared/corpus/wasmtime-p2) as
// data for run(): what each manifest entry asks for and how to check the
// outcome. Plain JS, no Node modules: used by the Node tests and by the
// browser page tests/browser/pages/wasi-p2.js alike.

/** `{ repeat, count }` → the repeated string. */
export function expand(v) {
  return typeof v === 'object' && v !== null && 'repeat' in v ? v.repeat.repeat(v.count) : v;
}

/** The argument lists one entry asks for (p2_cli_much_stdout has five variants). */
export function argSets(entry) {
  if (!entry.arg_variants) return [entry.args];
  return entry.arg_variants.map((v) => [entry.args[0], expand(v.arg1), expand(v.arg2)]);
}

/** What is wrong with an outcome `{ exitCode, stdout, stderr }`, or null when it is as the manifest says. */
export function outcomeProblem(entry, { exitCode, stdout, stderr }) {
  const expectedExit = entry.expect_exit;
  if (expectedExit === 'nonzero') {
    if (exitCode === 0) return `exit code 0, expected nonzero (stderr: ${stderr.slice(0, 300)})`;
  } else if (exitCode !== expectedExit) {
    return `exit code ${exitCode}, expected ${expectedExit} (stderr: ${stderr.slice(0, 500)})`;
  }
  const expectedStdout = entry.expect_stdout_generated ? expand(entry.expect_stdout_generated) : entry.expect_stdout;
  if (expectedStdout !== null && expectedStdout !== undefined && stdout !== expectedStdout) {
    return `stdout (${stdout.length} chars) differs from the expected (${expectedStdout.length}): ${JSON.stringify(stdout.slice(0, 200))}`;
  }
  if (entry.expect_stdout_contains && !stdout.includes(entry.expect_stdout_contains)) return `stdout lacks ${JSON.stringify(entry.expect_stdout_contains)}`;
  if (entry.expect_stderr !== null && entry.expect_stderr !== undefined && stderr !== entry.expect_stderr) {
    return `stderr ${JSON.stringify(stderr.slice(0, 300))}, expected ${JSON.stringify(entry.expect_stderr)}`;
  }
  if (entry.expect_stderr_contains && !stderr.includes(entry.expect_stderr_contains)) {
    return `stderr lacks ${JSON.stringify(entry.expect_stderr_contains)}: ${stderr.slice(0, 300)}`;
  }
  return null;
}

/** Runs one entry (every argument variant) with `run`, preopens from `preopensFor(entry)`; returns the outcomes. */
export async function runEntry(run, component, entry, options = {}, preopensFor = () => ({})) {
  const outcomes = [];
  for (const args of argSets(entry)) {
    const decoders = [new TextDecoder(), new TextDecoder()];
    let stdout = '';
    let stderr = '';
    let exitCode;
    try {
      ({ exitCode } = await run(component, {
        args,
        env: entry.env,
        stdin: entry.stdin ?? '',
        stdout: (b) => (stdout += decoders[0].decode(b, { stream: true })),
        stderr: (b) => (stderr += decoders[1].decode(b, { stream: true })),
        preopens: await preopensFor(entry),
        ...options,
      }));
    } catch (e) {
      // A trap (the guest panicked): a failure status, as wasmtime reports it.
      if (!(e instanceof WebAssembly.RuntimeError)) throw e;
      exitCode = 134;
    }
    outcomes.push({ exitCode, stdout, stderr });
  }
  return outcomes;
}
