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

/** A manifest `descriptor-stat` argument (kebab-case, numbers) as the JS value jco's conventions give it. */
export function descriptorStat(d) {
  const ts = (x) => ({ seconds: BigInt(x.seconds), nanoseconds: x.nanoseconds });
  return {
    type: d.type,
    linkCount: BigInt(d['link-count']),
    size: BigInt(d.size),
    dataAccessTimestamp: ts(d['data-access-timestamp']),
    dataModificationTimestamp: ts(d['data-modification-timestamp']),
    statusChangeTimestamp: ts(d['status-change-timestamp']),
  };
}

/**
 * Makes a reactor entry's `calls`, in order, on an instance's `exports` (as
 * wasmtime's harness does: state carries over between calls). Works for
 * synchronous exports and for JSPI ones (`instantiate(…, { async: true })`,
 * whose exports return Promises). `wasi` gives `OutputStream` and
 * `memorySink` (js/wasi/index.js). Resolves to `[{ call, problem, promise }]`:
 * problem null when the call gave what the manifest expects, promise whether
 * the export returned a Promise.
 */
export async function reactorCalls(entry, exports, { OutputStream, memorySink }) {
  const out = [];
  for (const call of entry.calls) {
    let problem = null;
    let promise = false;
    const settle = (r) => {
      promise = r instanceof Promise;
      return r;
    };
    try {
      const fn = exports[call.call];
      if (typeof fn !== 'function') {
        problem = `no export ${call.call}`;
      } else if (call.call === 'write-strings-to') {
        const sink = memorySink(4096);
        const result = await settle(fn(new OutputStream(sink)));
        if (result !== undefined) problem = `result ${JSON.stringify(result)}, expected ok (undefined)`;
        else if (sink.text() !== call.expect.stream_contents_after) {
          problem = `stream contents ${JSON.stringify(sink.text())}, expected ${JSON.stringify(call.expect.stream_contents_after)}`;
        }
      } else {
        const args = call.call === 'pass-an-imported-record' ? [descriptorStat(call.args[0])] : call.args;
        const result = await settle(fn(...args));
        if (JSON.stringify(result) !== JSON.stringify(call.expect)) {
          problem = `returned ${JSON.stringify(result)}, expected ${JSON.stringify(call.expect)}`;
        }
      }
    } catch (e) {
      problem = `${e?.name}: ${e?.message}`;
    }
    out.push({ call: call.call, problem, promise });
  }
  return out;
}
