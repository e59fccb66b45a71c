#!/usr/bin/env node
// The compoly command line: `compoly wit FILE` prints a component's world.
import { readFile } from 'node:fs/promises';
import { compile, CompileError } from '../index.js';

const usage = `usage: compoly <command> [options]

commands:
  wit FILE       print the component's world as WIT
  inspect FILE   print the instantiation plan as JSON
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
    process.stdout.write(command === 'wit' ? component.wit() : JSON.stringify(component.plan, null, 2) + '\n');
    return 0;
  }
  process.stderr.write(`compoly: unknown command '${command}'\n\n${usage}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    if (error instanceof CompileError) {
      process.stderr.write(`compoly: ${error.message}\n`);
    } else if (error?.code === 'ENOENT') {
      process.stderr.write(`compoly: ${error.message}\n`);
    } else {
      process.stderr.write(`compoly: ${error?.stack ?? error}\n`);
    }
    process.exit(1);
  },
);
