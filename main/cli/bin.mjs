#!/usr/bin/env node
// Entry point of the `gateway-lab` command. The CLI is TypeScript; tsx compiles it on the fly,
// so `npx gateway-lab …` works right after `npm install` with no build step.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LIVE_NODE_FLAGS, needsLiveHeap } from './live-heap.mjs';

if (needsLiveHeap(process.argv.slice(2), process.execArgv)) {
  // Commands that host the live endpoint run in a Node with a larger young generation (see
  // live-heap.mjs). V8 fixes its heap sizes at start-up, so this process starts that one and
  // stands aside: signals are passed on, and the child leaves if this process dies.
  const child = spawn(process.execPath, [...LIVE_NODE_FLAGS, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  });
  for (const sig of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
} else {
  // Started by the lines above: when that process goes (even by SIGKILL), so does this one.
  // The channel only watches the parent; it must not keep this process alive by itself.
  if (process.channel) {
    process.channel.unref();
    process.on('disconnect', () => process.exit(0));
  }
  const { register } = await import('tsx/esm/api');
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
}
