/**
 * The library's search and filters, and its sections by gateway type. Pure (unit-tested).
 */
import type { ScenarioSummary } from '../../../engine/api/types';
import type { GatewayType } from '../../../engine/trace/types';

export interface LibraryFilter {
  readonly query: string;
  readonly gateway: GatewayType | 'COMPARE' | 'ALL';
  readonly level: 'beginner' | 'intermediate' | 'advanced' | 'ALL';
  readonly topic: string | 'ALL';
}

export const NO_FILTER: LibraryFilter = { query: '', gateway: 'ALL', level: 'ALL', topic: 'ALL' };

/** A scenario comparing gateway types lists several; its section is "Comparisons". */
export function sectionOf(s: ScenarioSummary): GatewayType | 'COMPARE' | 'OTHER' {
  if (s.gateways.length > 1) return 'COMPARE';
  return s.gateways[0] ?? 'OTHER';
}

export const SECTION_TITLES: Record<GatewayType | 'COMPARE' | 'OTHER', string> = {
  REST: 'REST APIs',
  HTTP: 'HTTP APIs',
  WEBSOCKET: 'WebSocket APIs',
  COMPARE: 'Comparisons',
  OTHER: 'Files that do not load',
};

const LEVEL_ORDER = { beginner: 0, intermediate: 1, advanced: 2 } as const;

/** Every word of the query must appear in the title, topic, teaches, id or file name. */
export function matches(s: ScenarioSummary, f: LibraryFilter): boolean {
  if (f.gateway !== 'ALL' && sectionOf(s) !== f.gateway) return false;
  if (f.level !== 'ALL' && s.level !== f.level) return false;
  if (f.topic !== 'ALL' && s.topic !== f.topic) return false;
  const words = f.query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = [s.title, s.topic ?? '', s.level ?? '', s.id, s.fileName, ...s.teaches, ...s.gateways].join(' ').toLowerCase();
  return words.every((w) => text.includes(w));
}

export interface LibrarySection {
  readonly id: GatewayType | 'COMPARE' | 'OTHER';
  readonly title: string;
  readonly scenarios: readonly ScenarioSummary[];
}

/** Bundled scenarios by section (REST, HTTP, WebSocket, comparisons), beginner first. */
export function librarySections(list: readonly ScenarioSummary[], f: LibraryFilter): LibrarySection[] {
  const order: LibrarySection['id'][] = ['REST', 'HTTP', 'WEBSOCKET', 'COMPARE', 'OTHER'];
  const kept = list.filter((s) => s.source === 'bundled' && matches(s, f));
  return order
    .map((id) => ({
      id,
      title: SECTION_TITLES[id],
      scenarios: kept
        .filter((s) => sectionOf(s) === id)
        .sort((a, b) => (LEVEL_ORDER[a.level ?? 'advanced'] ?? 3) - (LEVEL_ORDER[b.level ?? 'advanced'] ?? 3) || a.title.localeCompare(b.title)),
    }))
    .filter((s) => s.scenarios.length > 0);
}

export function topicsOf(list: readonly ScenarioSummary[]): string[] {
  return [...new Set(list.map((s) => s.topic).filter((t): t is string => !!t))].sort();
}

/** `access-control` → `Access control`. */
export function topicLabel(topic: string): string {
  const s = topic.replace(/[-_]+/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}
