#!/usr/bin/env node
// Entry point of the `gateway-lab` command. The CLI is TypeScript; tsx compiles it on the fly,
// so `npx gateway-lab …` works right after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
// `gateway-lab run … | head`: a reader that stops early is not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});
const { main } = await import('./main.ts');
const code = await main(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
});
process.exitCode = code;
