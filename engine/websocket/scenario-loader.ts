/**
 * The WebSocket parts of loading a scenario (the loader calls these): the inline API is built
 * once so definition errors point into the file, `tables:` become table definitions, and the
 * client steps are checked — a client must connect before it sends, and `{{connection.NAME}}`
 * must name a client.
 */
import type { FunctionConfig } from '../backends/lambda/service';
import { IdGenerator, SeededRandom } from '../core/random';
import type { DocPath } from '../import/yaml-source';
import { DefinitionError } from '../model/rest-definition';
import type { TableDefinition } from '../services/table';
import type { GatewayType } from '../trace/types';
import { type WebSocketApiDefinition, functionReferences, webSocketApiFromDefinition } from './definition';

type Report = (p: DocPath, message: string) => void;

export const WEBSOCKET_STEP_KINDS = ['connect', 'send', 'close', 'drop'] as const;

export function checkWebSocketApi(def: WebSocketApiDefinition, base: DocPath, functions: Record<string, FunctionConfig>, at: Report): void {
  try {
    webSocketApiFromDefinition(def, { id: 'check', ids: new IdGenerator(new SeededRandom('check')), region: 'us-east-1', accountId: '123456789012' });
  } catch (err) {
    if (!(err instanceof DefinitionError)) throw err;
    for (const i of err.issues) at([...base, ...i.path], i.message);
  }
  for (const ref of functionReferences(def)) {
    if (!functions[ref.name]) at([...base, ...ref.path], `no function named "${ref.name}" is defined under functions`);
  }
}

export function loadTables(raw: Record<string, Record<string, unknown>> | undefined): TableDefinition[] {
  const key = (k: unknown) => (typeof k === 'string' ? { name: k, type: 'S' as const } : { name: String((k as { name: string }).name), type: ((k as { type?: 'S' | 'N' | 'B' }).type ?? 'S') });
  return Object.entries(raw ?? {}).map(([name, t]) => ({
    name,
    partitionKey: key(t.partitionKey),
    ...(t.sortKey !== undefined ? { sortKey: key(t.sortKey) } : {}),
    ...(Array.isArray(t.items) ? { items: t.items as Record<string, unknown>[] } : {}),
  }));
}

/** The client-step fields of one raw step, as ScenarioStep fields. */
export function webSocketStepFields(s: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of WEBSOCKET_STEP_KINDS) if (s[k] !== undefined) out[k] = s[k];
  return out;
}

export function checkWebSocketSteps(steps: readonly Record<string, any>[], gateways: readonly GatewayType[], at: Report): void {
  const websocket = gateways.includes('WEBSOCKET');
  if (websocket && gateways.length > 1) at(['gateway'], 'a WebSocket API cannot be compared step by step with REST or HTTP APIs: give it a scenario of its own');
  const known = new Set<string>();
  steps.forEach((s, i) => {
    for (const k of WEBSOCKET_STEP_KINDS) {
      const spec = s[k] as { client?: string } | undefined;
      if (!spec) continue;
      if (!websocket) {
        at(['steps', i, k], `${k} is a WebSocket step: it needs gateway: WEBSOCKET`);
        continue;
      }
      if (k === 'connect') known.add(spec.client ?? '');
      else if (!known.has(spec.client ?? '')) at(['steps', i, k, 'client'], `client "${spec.client}" has not connected in an earlier step`);
    }
    for (const m of JSON.stringify(s).matchAll(/\{\{connection\.([^}]+)\}\}/g)) {
      if (!known.has(m[1]!)) at(['steps', i], `{{connection.${m[1]}}} names no client that connected in this or an earlier step`);
    }
    if (s.expect && websocket) {
      for (const name of [...Object.keys(s.expect.frames ?? {}), ...Object.keys(s.expect.closed ?? {})]) {
        if (!known.has(name)) at(['steps', i, 'expect'], `client "${name}" never connected`);
      }
    }
  });
}
