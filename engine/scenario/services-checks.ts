/**
 * Scenario checks for stage settings and load steps that the JSON Schema cannot express: an
 * access-log format AWS would refuse, a method-settings key that names no method, a load
 * client's unknown API key, a load too large to simulate in reasonable time.
 */
import type { DocPath } from '../import/yaml-source';
import { parseMethodSettingKey } from '../rest/method-settings';
import { ACCESS_LOG_FORMATS, accessLogFormatProblems } from '../services/access-log';

/** A load step may send at most this many requests (the simulation runs about 100,000 per second). */
export const MAX_LOAD_REQUESTS = 5_000_000;

type Report = (p: DocPath, message: string, severity?: 'error' | 'warning') => void;

export function checkServiceSettings(r: Record<string, any>, at: Report): void {
  checkStageSettings(r.stage ?? {}, ['stage'], at);
  const keyNames = new Set<string>(Object.keys(r.apiKeys ?? {}));
  (r.steps as Record<string, any>[]).forEach((s) => Object.keys(s.usage?.apiKeys ?? {}).forEach((k) => keyNames.add(k)));
  (r.steps as Record<string, any>[]).forEach((s, i) => {
    if (s.updateStage) checkStageSettings(s.updateStage, ['steps', i, 'updateStage'], at);
    if (s.load) checkLoad(s.load, ['steps', i, 'load'], keyNames, at);
  });
}

function checkStageSettings(stage: Record<string, any>, base: DocPath, at: Report): void {
  const format = stage.accessLogFormat;
  if (typeof format === 'string' && !(format in ACCESS_LOG_FORMATS)) {
    for (const problem of accessLogFormatProblems(format)) at([...base, 'accessLogFormat'], problem);
  }
  for (const key of Object.keys(stage.methodSettings ?? {})) {
    if (!parseMethodSettingKey(key)) {
      at([...base, 'methodSettings', key], `"${key}" names no method: write {resourcePath}/{METHOD} (e.g. /pets/GET, //GET for the root) or */* for every method`);
    }
  }
}

function checkLoad(load: Record<string, any>, base: DocPath, keyNames: Set<string>, at: Report): void {
  const duration = Number(load.duration);
  let expected = 0;
  (load.clients as Record<string, any>[]).forEach((c, i) => {
    const p = [...base, 'clients', i];
    if (!c.request && !c.requests) at(p, 'a load client needs a request (or requests)');
    if (c.request && c.requests) at(p, 'give a load client either request or requests, not both');
    if (c.apiKey !== undefined && !keyNames.has(c.apiKey)) at([...p, 'apiKey'], `no API key named "${c.apiKey}" under apiKeys`);
    const from = c.start ?? 0;
    const to = c.end ?? duration;
    if (from >= to) at(p, `the client's window [${from}, ${to}) is empty`);
    if (to > duration) at([...p, 'end'], `the load lasts ${duration} s; the client cannot run until ${to} s`);
    const span = Math.max(0, Math.min(to, duration) - from);
    const a = c.arrival ?? {};
    expected +=
      a.pattern === 'burst' ? Math.ceil(span / a.every) * a.size : a.pattern === 'ramp' ? ((a.from + a.to) / 2) * span : (a.rate ?? 0) * span;
  });
  if (expected > MAX_LOAD_REQUESTS) {
    at(base, `this load sends about ${Math.round(expected).toLocaleString('en-US')} requests; a scenario's load step may send at most ${MAX_LOAD_REQUESTS.toLocaleString('en-US')}`);
  }
}
