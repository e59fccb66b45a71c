#!/usr/bin/env node
// The compoly command line: `compoly wit FILE` prints a component's world.
import { readFile } from 'node:fs/promises';
import { compile, CompileError } from '../index.js';
import { runCommand, runUsage } from './run.js';
import { serveCommand, serveUsage } from './serve.js';

const usage = `usage: compoly <command> [options]

commands:
  wit FILE       print the component's world as WIT
  inspect FILE   print the instantiation plan as JSON
  run [--dir HOST::GUEST] [--env K=V] [--argv0 NAME] FILE [ARGS...]
                 run a wasi:cli/run component (\`compoly run --help\` for more)
  serve [--addr HOST:PORT] FILE
                 answer HTTP requests with a wasi:http/incoming-handler component
`;

async function main(argv) {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h') {
    process.stdout.write(usage);
    return command ? 0 : 2;
  }
  if (command === 'wit' || command === 'inspect') {
    if (rest.length !== 1) {
      process.stderr.write(`compoly ${command}: expected one component file\n\n${usage}`);
      return 2;
    }
    const bytes = new Uint8Array(await readFile(rest[0]));
    const component = await compile(bytes, { compileModules: false });
    process.stdout.write(command === 'wit' ? await component.wit() : JSON.stringify(component.plan, null, 2) + '\n');
    return 0;
  }
  if (command === 'run') {
    if (rest[0] === '--help' || rest[0] === '-h') {
      process.stdout.write(runUsage);
      return 0;
    }
    return runCommand(rest);
  }
  if (command === 'serve') {
    if (rest[0] === '--help' || rest[0] === '-h') {
      process.stdout.write(serveUsage);
      return 0;
    }
    return serveCommand(rest);
  }
  process.stderr.write(`compoly: unknown command '${command}'\n\n${usage}`);
  return 2;
}

// Exit only once piped output has drained: process.exit() would cut it off.
const exitAfterOutput = (code) => process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));

main(process.argv.slice(2)).then(
  (code) => exitAfterOutput(code),
  (error) => {
    if (error instanceof CompileError) {
      process.stderr.write(`compoly: ${error.message}\n`);
    } else if (error?.code === 'ENOENT') {
      process.stderr.write(`compoly: ${error.message}\n`);
    } else {
      process.stderr.write(`compoly: ${error?.stack ?? error}\n`);
    }
    exitAfterOutput(1);
  },
);
