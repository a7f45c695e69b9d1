import fs from 'node:fs';
import path from 'node:path';
import { loadScenarioFile } from '../../../engine/scenario/loader';
import { loadOpenApiAsScenario } from '../../../engine/import/openapi-scenario';
import { formatIssue, type LoadResult } from '../../../engine/scenario/types';
import type { GatewayType } from '../../../engine/trace/types';
import { describeWebSocketTrace } from '../../../engine/websocket/scenario-clients';
import { LiveEndpoint } from '../../live/live-endpoint';
import type { CliIO } from '../io';

/**
 * `gateway-lab serve <scenario-or-openapi-file> [--port N] [--gateway REST|HTTP|WEBSOCKET] [--quiet]`:
 * serve the API on 127.0.0.1 until interrupted. The first line is always
 * `Listening on http://127.0.0.1:<port>/<stage>` (`ws://…` for a WebSocket API, which is also
 * reachable with `wscat -c`); then each request's execution log.
 */
export async function serveCommand(argv: string[], io: CliIO, signal?: AbortSignal): Promise<number> {
  const file = argv.find((a, i) => !a.startsWith('-') && !['--port', '--gateway', '--stage'].includes(argv[i - 1] ?? ''));
  const opt = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  if (!file) {
    io.stderr('usage: gateway-lab serve <scenario.yaml | openapi.yaml> [--port N] [--gateway REST|HTTP|WEBSOCKET] [--stage NAME] [--quiet]\n');
    return 2;
  }
  const port = Number(opt('--port') ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.stderr(`gateway-lab serve: --port must be a port number (0 picks a free one), not "${opt('--port')}"\n`);
    return 2;
  }
  const full = path.resolve(file);
  const loaded: LoadResult = looksLikeOpenApi(full) ? loadOpenApiAsScenario(full, { ...(opt('--stage') ? { stage: opt('--stage')! } : {}) }) : loadScenarioFile(full);
  for (const w of loaded.warnings) io.stderr(`warning: ${formatIssue(w)}\n`);
  if (!loaded.ok) {
    for (const e of loaded.errors) io.stderr(`${formatIssue(e)}\n`);
    return 2;
  }
  const gateway = opt('--gateway') as GatewayType | undefined;
  let live: LiveEndpoint;
  try {
    live = await LiveEndpoint.start(loaded.scenario, { port, ...(gateway ? { gateway } : {}) });
  } catch (err) {
    io.stderr(`gateway-lab serve: cannot listen on 127.0.0.1:${port}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  io.stdout(`Listening on ${live.url}\n`);
  if (live.gateway === 'WEBSOCKET') io.stdout(`@connections API: ${live.origin}/${loaded.scenario.stage.name}/@connections/{connectionId} (POST, GET, DELETE)\n`);
  if (loaded.scenario.identity) io.stdout(`Identity provider: ${live.origin}/_gateway-lab/identity (tokens: ${live.origin}/_gateway-lab/identity/token?name=<user>)\n`);
  const quiet = argv.includes('--quiet');
  live.subscribe((trace) => {
    if (quiet) return;
    if (trace.websocket) {
      const [first, ...rest] = describeWebSocketTrace(trace, trace.startedAt);
      io.stdout(`${[`${first} (${trace.durationMs.toFixed(1)} ms)`, ...rest].join('\n')}\n`);
    } else io.stdout(`${trace.request.method} ${trace.request.path}${trace.request.rawQuery ? `?${trace.request.rawQuery}` : ''} → ${trace.response.statusCode} (${trace.durationMs.toFixed(1)} ms)\n`);
    if (trace.executionLog.length) io.stdout(`${trace.executionLog.join('\n')}\n`);
  });
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    signal?.addEventListener('abort', stop);
  });
  await live.close();
  return 0;
}

function looksLikeOpenApi(file: string): boolean {
  try {
    const head = fs.readFileSync(file, 'utf8').slice(0, 4000);
    return /^\s*["']?(openapi|swagger)["']?\s*:/m.test(head);
  } catch {
    return false;
  }
}
