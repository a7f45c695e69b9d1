import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt, RENDERER_DIR } from '../../host/build';
import { ApiFailure, GatewayService, readAppVersion } from '../../host/gateway-service';
import { startWebHost, type WebHost } from '../../web/server';
import type { CliIO } from '../io';

export const BUNDLED_SCENARIOS_DIR = fileURLToPath(new URL('../../../scenarios', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const USAGE = 'usage: gateway-lab web [--port <n>] [scenario-or-openapi-file...]\n  --port 0 (the default) picks a free port.\n';

export interface WebOptions {
  readonly port: number;
  readonly files: readonly string[];
}

export function parseWebArgs(argv: readonly string[]): WebOptions | string {
  let port = 0;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--port' || a.startsWith('--port=')) {
      const v = a === '--port' ? argv[++i] : a.slice('--port='.length);
      if (v === undefined || !/^\d+$/.test(v) || Number(v) > 65535) return `--port needs a number from 0 to 65535, not "${v ?? ''}"`;
      port = Number(v);
    } else if (a === '--help' || a === '-h') {
      return '';
    } else if (a.startsWith('-')) {
      return `unknown option "${a}"`;
    } else files.push(a);
  }
  return { port, files };
}

/** Start the web host: build the renderer if needed, serve it and the bridge on 127.0.0.1. */
export async function startWeb(options: WebOptions, io: CliIO): Promise<{ host: WebHost; service: GatewayService }> {
  for (const f of options.files) if (!fs.existsSync(f)) throw new ApiFailure('not-found', `${f}: no such file`);
  await ensureBuilt('renderer', () => io.stderr('Gateway Lab: building the interface (first run or changed sources)…\n'));
  const service = new GatewayService({ host: 'web', appVersion: readAppVersion(ROOT), bundledDir: BUNDLED_SCENARIOS_DIR });
  for (const f of options.files) service.addFile(path.resolve(f));
  const host = await startWebHost({ service, rendererDir: RENDERER_DIR, port: options.port });
  return { host, service };
}

/**
 * `gateway-lab web` / `npm run web`: the app in a browser. Prints `Gateway Lab: <url>` once
 * listening (the first URL it prints) and runs until SIGINT or SIGTERM.
 */
export async function webCommand(argv: string[], io: CliIO, signals: NodeJS.EventEmitter = process): Promise<number> {
  const parsed = parseWebArgs(argv);
  if (typeof parsed === 'string') {
    if (parsed) io.stderr(`gateway-lab web: ${parsed}\n`);
    (parsed ? io.stderr : io.stdout)(USAGE);
    return parsed ? 2 : 0;
  }
  let started: Awaited<ReturnType<typeof startWeb>>;
  try {
    started = await startWeb(parsed, io);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') io.stderr(`gateway-lab web: port ${parsed.port} is in use; choose another with --port, or --port 0 for a free one.\n`);
    else if (e.code === 'EACCES') io.stderr(`gateway-lab web: not allowed to listen on port ${parsed.port}; choose another with --port.\n`);
    else if (err instanceof ApiFailure) io.stderr(`gateway-lab web: ${err.message}\n`);
    else io.stderr(`gateway-lab web: cannot start: ${e.message ?? String(err)}\n`);
    return 1;
  }
  const { host, service } = started;
  io.stdout(`Gateway Lab: ${host.url}\n`);
  io.stdout('Open that address in a browser. Press Ctrl+C to stop.\n');
  const signal = await new Promise<string>((resolve) => {
    const on = (name: string) => () => resolve(name);
    signals.once('SIGINT', on('SIGINT'));
    signals.once('SIGTERM', on('SIGTERM'));
  });
  io.stdout(`Gateway Lab: stopping (${signal}).\n`);
  await host.close();
  await service.close();
  return 0;
}
