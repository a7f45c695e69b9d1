/**
 * Requests as the compare and load views edit them: method, path, headers as `Name: value` lines
 * (a repeated name sends several values, as a client repeating a header does) and the body as
 * text. And the requests a scenario already makes, offered as starting points.
 */
import type { SessionInfo } from '../../engine/api/types';
import type { RequestSpec } from '../../engine/scenario/types';
import type { RequestDraft } from './store/types';

export const EMPTY_REQUEST: RequestDraft = { method: 'GET', path: '/', headers: '', body: '' };

export function draftOf(spec: RequestSpec): RequestDraft {
  const headers = Object.entries(spec.headers ?? {})
    .flatMap(([name, v]) => (Array.isArray(v) ? v : [v]).map((value) => `${name}: ${String(value)}`))
    .join('\n');
  const query = Object.entries(spec.query ?? {})
    .flatMap(([name, v]) => (Array.isArray(v) ? v : [v]).map((value) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`))
    .join('&');
  const body = spec.body === undefined || spec.body === null ? '' : typeof spec.body === 'string' ? spec.body : JSON.stringify(spec.body, null, 2);
  return { method: spec.method, path: query ? `${spec.path}?${query}` : spec.path, headers, body };
}

export function specOf(draft: RequestDraft): RequestSpec {
  const headers: Record<string, string | string[]> = {};
  for (const line of draft.headers.split('\n')) {
    const at = line.indexOf(':');
    if (at <= 0) continue;
    const name = line.slice(0, at).trim();
    const value = line.slice(at + 1).trim();
    if (!name) continue;
    const prev = headers[name];
    headers[name] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
  }
  const raw = draft.path.trim() || '/';
  const [pathPart, queryPart] = raw.split(/\?(.*)/s) as [string, string | undefined];
  const query: Record<string, string | string[]> = {};
  if (queryPart) {
    for (const pair of queryPart.split('&')) {
      if (!pair) continue;
      const [k, v = ''] = pair.split(/=(.*)/s) as [string, string | undefined];
      const name = safeDecode(k);
      const prev = query[name];
      const value = safeDecode(v ?? '');
      query[name] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
    }
  }
  return {
    method: draft.method,
    path: pathPart.startsWith('/') ? pathPart : `/${pathPart}`,
    ...(Object.keys(headers).length ? { headers } : {}),
    ...(Object.keys(query).length ? { query } : {}),
    ...(draft.body !== '' ? { body: draft.body } : {}),
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

export interface RequestPreset {
  readonly label: string;
  readonly request: RequestSpec;
  /** A load step's arrival, when the preset comes from one. */
  readonly rate?: number;
}

/** The scenario's own requests: its request steps, then its load steps' clients. */
export function scenarioRequests(session: SessionInfo | null): RequestPreset[] {
  if (!session) return [];
  const out: RequestPreset[] = [];
  const seen = new Set<string>();
  const add = (label: string, request: RequestSpec, rate?: number) => {
    const key = JSON.stringify(request);
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ label, request, ...(rate !== undefined ? { rate } : {}) });
  };
  for (const st of session.steps) {
    if (st.request) add(`Step ${st.index}: ${st.request.method} ${st.request.path}`, st.request);
    for (const c of st.load?.clients ?? []) {
      const req = c.request ?? c.requests?.[0];
      const rate = 'rate' in c.arrival ? (c.arrival as { rate: number }).rate : undefined;
      if (req) add(`Step ${st.index} load, ${c.name}: ${req.method} ${req.path}`, req, rate);
    }
  }
  if (out.length === 0) {
    for (const e of session.composer.endpoints) {
      if (e.gateway === 'WEBSOCKET') continue;
      add(`${e.method} ${e.path}`, { method: e.method === 'ANY' ? 'GET' : e.method, path: e.path.replace(/\{[^}]+\}/g, '1') });
    }
  }
  return out;
}
