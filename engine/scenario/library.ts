/**
 * The scenario library as a whole: the one topic vocabulary, the ordered tracks
 * (scenarios/tracks.yaml), and the consistency rules every bundled scenario follows. The index
 * (scenarios/README.md), the test suite and the app read them from here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { GatewayType } from '../trace/types';
import type { Scenario } from './types';

/** Topics, in the order the library presents them, with what each one covers. */
export const TOPICS = [
  { id: 'endpoint-creation', label: 'Endpoint creation', covers: 'resources, methods, routes, path parameters, greedy paths, ANY, $default' },
  { id: 'access-control', label: 'Access control', covers: 'JWT, Lambda TOKEN and REQUEST authorizers, Cognito, API keys: why a request was allowed or denied' },
  { id: 'integrations', label: 'Integrations', covers: 'Lambda proxy and custom, HTTP proxy and custom, MOCK, AWS services' },
  { id: 'validation', label: 'Request validation', covers: 'required parameters and body models' },
  { id: 'transformations', label: 'Data transformations', covers: 'request and response mapping templates, parameter mapping' },
  { id: 'gateway-responses', label: 'Gateway responses', covers: 'the errors API Gateway writes itself, and customising them' },
  { id: 'cors', label: 'CORS', covers: "REST's OPTIONS method and the HTTP API's built-in configuration" },
  { id: 'deploying', label: 'Deploying', covers: 'draft and deployments, stages, stage variables, canaries' },
  { id: 'caching', label: 'Caching', covers: 'the stage cache: hits, TTL, keys, invalidation' },
  { id: 'rate-limiting', label: 'Rate limiting', covers: 'throttling levels, usage plans and quotas' },
  { id: 'monitoring', label: 'Monitoring', covers: 'metrics, access logs and execution logs' },
  { id: 'websocket', label: 'WebSocket lifecycle', covers: 'connections, route selection, route responses, idle and stale connections' },
  { id: 'use-cases', label: 'Use cases', covers: 'a serverless web backend and a real-time chat, end to end' },
  { id: 'comparisons', label: 'Comparisons', covers: 'REST vs HTTP, polling vs WebSocket push: features, payloads, errors and price' },
] as const;

export type TopicId = (typeof TOPICS)[number]['id'];
export const TOPIC_IDS: readonly string[] = TOPICS.map((t) => t.id);
export const LEVELS = ['beginner', 'intermediate', 'advanced'] as const;

export function topicLabel(id: string): string {
  return TOPICS.find((t) => t.id === id)?.label ?? id;
}

/** A library section: one gateway type, or the comparisons (several types in one scenario). */
export type LibrarySection = GatewayType | 'COMPARE';

export const SECTIONS: readonly { readonly id: LibrarySection; readonly title: string; readonly folder: string; readonly idPrefix: string }[] = [
  { id: 'REST', title: 'REST APIs', folder: 'rest', idPrefix: 'rest-' },
  { id: 'HTTP', title: 'HTTP APIs', folder: 'http', idPrefix: 'http-' },
  { id: 'WEBSOCKET', title: 'WebSocket APIs', folder: 'websocket', idPrefix: 'websocket-' },
  { id: 'COMPARE', title: 'Comparisons', folder: 'compare', idPrefix: 'compare-' },
];

export function sectionOf(gateways: readonly GatewayType[]): LibrarySection {
  return gateways.length > 1 ? 'COMPARE' : gateways[0]!;
}

export interface TrackEntry {
  readonly id: string;
  readonly label?: string;
}

export interface Track {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly scenarios: readonly TrackEntry[];
}

/** scenarios/tracks.yaml; an entry is a scenario id or `{ id, label }`. */
export function loadTracks(file: string): Track[] {
  const doc = parse(fs.readFileSync(file, 'utf8')) as { tracks?: unknown } | null;
  const raw = Array.isArray(doc?.tracks) ? (doc.tracks as Record<string, unknown>[]) : [];
  return raw.map((t) => ({
    id: String(t.id),
    title: String(t.title ?? t.id),
    description: String(t.description ?? '').trim(),
    scenarios: (Array.isArray(t.scenarios) ? t.scenarios : []).map((e: unknown) =>
      typeof e === 'string' ? { id: e } : { id: String((e as TrackEntry).id), ...((e as TrackEntry).label ? { label: String((e as TrackEntry).label) } : {}) },
    ),
  }));
}

/**
 * What makes a bundled scenario fit the library, as messages (empty: all good). `dir` is the
 * scenarios folder, so each file's folder can be checked against its gateway type.
 */
export function libraryIssues(scenarios: readonly Scenario[], tracks: readonly Track[], dir: string): string[] {
  const issues: string[] = [];
  const ids = new Map<string, string>();
  for (const s of scenarios) {
    const where = path.relative(dir, s.file);
    const say = (m: string) => issues.push(`${where}: ${m}`);
    if (ids.has(s.id)) say(`id ${s.id} is also used by ${ids.get(s.id)}`);
    ids.set(s.id, where);
    const section = SECTIONS.find((x) => x.id === sectionOf(s.gateways))!;
    if (!s.id.startsWith(section.idPrefix)) say(`id ${s.id} should start with "${section.idPrefix}" (${section.title})`);
    if (where.split(path.sep)[0] !== section.folder) say(`a ${section.title} scenario belongs in scenarios/${section.folder}/`);
    if (!s.topic) say('no topic');
    else if (!TOPIC_IDS.includes(s.topic)) say(`topic "${s.topic}" is not one of: ${TOPIC_IDS.join(', ')}`);
    if (!s.level) say('no level (beginner, intermediate or advanced)');
    if (s.teaches.length === 0) say('no teaches: say what the learner takes away');
    if (!s.steps.some((st) => st.predict)) say('no predict question: ask the learner at least once before revealing an answer');
    for (const st of s.steps) {
      if (!st.say?.trim()) say(`step ${st.index} (line ${st.line}) has no narration (say)`);
      const acts = st.request ?? st.connect ?? st.send ?? st.close ?? st.drop;
      if (acts && !st.expect) say(`step ${st.index} (line ${st.line}) sends a request or acts as a client without an expect block`);
    }
  }
  for (const t of tracks) {
    for (const e of t.scenarios) if (!ids.has(e.id)) issues.push(`tracks.yaml: track ${t.id} names ${e.id}, which no scenario has`);
  }
  return issues;
}
