/**
 * Short facts about a step for the diagram's boxes and the player's headings: a step's name as
 * people say it, a few words of what it found, what the integration box stands for. They only
 * read what the engine put in the trace.
 */
import type { GatewayType, Trace, TraceStep } from '../../../engine/trace/types';

const NAMES: Readonly<Record<string, string>> = {
  receive: 'Request received',
  route: 'Route',
  routeSelection: 'Route selection',
  throttle: 'Throttle',
  authorizer: 'Authorizer',
  apiKey: 'API key and usage plan',
  usagePlan: 'Usage plan',
  validate: 'Request validation',
  cacheLookup: 'Cache lookup',
  cacheStore: 'Cache store',
  integrationRequest: 'Integration request',
  integration: 'Integration',
  integrationResponse: 'Integration response',
  methodResponse: 'Method response',
  gatewayResponse: 'Gateway response',
  corsPreflight: 'CORS preflight',
  corsHeaders: 'CORS headers',
  respond: 'Response sent',
  connection: 'Connection',
  routeResponse: 'Route response',
  errorResponse: 'Error response',
  connectionsApi: '@connections API',
  idleTimeout: 'Idle timeout',
  maxDuration: 'Connection time limit',
};

const HTTP_NAMES: Readonly<Record<string, string>> = {
  integrationRequest: 'Parameter mapping',
  integrationResponse: 'Response mapping',
  gatewayResponse: 'Error response',
};

/** Short names for the row of step chips under the timeline (room for ten in a row). */
const SHORT: Readonly<Record<string, string>> = {
  receive: 'Received',
  apiKey: 'API key',
  validate: 'Validation',
  integrationRequest: 'Integration request',
  respond: 'Sent',
};

export function stepShortName(step: Pick<TraceStep, 'step'>, type: GatewayType): string {
  if (type !== 'HTTP' || !HTTP_NAMES[step.step]) {
    const s = SHORT[step.step];
    if (s) return s;
  }
  return stepName(step, type);
}

export function stepName(step: Pick<TraceStep, 'step'>, type: GatewayType): string {
  if (type === 'HTTP' && HTTP_NAMES[step.step]) return HTTP_NAMES[step.step]!;
  return NAMES[step.step] ?? step.step.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
}

/** What a step does, where its box says something else (steps that share the client's box). */
const STEP_HINTS: Readonly<Record<string, string>> = {
  receive: 'The request arrives at API Gateway from the client.',
  respond: 'API Gateway sends the response to the client.',
  monitoring: 'As the response leaves, API Gateway writes the CloudWatch metrics and the access log.',
};

export function stepHint(step: Pick<TraceStep, 'step'>): string | undefined {
  return STEP_HINTS[step.step];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined);

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** A few words for a box: what this step found (about 14 characters fit a box). */
export function stepNote(step: TraceStep, trace?: Trace): string {
  const d = step.detail ?? {};
  if (step.outcome === 'skip') {
    const why: Record<string, string> = { authorizer: 'no authorizer', apiKey: 'not required', validate: 'no validator', corsPreflight: 'no preflight', corsHeaders: 'no CORS' };
    return why[step.step] ?? 'skipped';
  }
  switch (step.step) {
    case 'route': {
      const key = str(d.routeKey) ?? (d.method && d.resource ? `${str(d.method)} ${str(d.resource)}` : undefined);
      return truncate(key ?? (step.outcome === 'respond' ? 'no match' : 'matched'), 15);
    }
    case 'authorizer': {
      if (Array.isArray(d.missing) || (d.identitySources && d.invoked === false)) return 'no identity';
      const kind = str(d.type) ?? 'authorizer';
      if (step.outcome === 'respond') return `${kind} · refused`;
      return `${kind}${d.cached === true || d.fromCache === true ? ' · cached' : ''}`;
    }
    case 'throttle': {
      const buckets = Array.isArray(d.buckets) ? (d.buckets as { tokensAfter?: number }[]) : [];
      const left = buckets.map((b) => b.tokensAfter).filter((x): x is number => typeof x === 'number');
      if (step.outcome === 'respond') return 'bucket empty';
      return left.length ? `${Math.floor(Math.min(...left))} left` : 'allowed';
    }
    case 'apiKey':
      return truncate(str(d.apiKey) ? `key ${str(d.apiKey)}` : step.outcome === 'respond' ? 'refused' : 'checked', 15);
    case 'integrationRequest':
      return d.template ? 'template' : d.event ? 'proxy event' : d.parameterMapping ? 'mapped' : 'as is';
    case 'integrationResponse':
      return step.outcome === 'respond' ? 'bad response' : str(d.statusCode) ? `→ ${str(d.statusCode)}` : 'mapped';
    case 'gatewayResponse':
    case 'errorResponse':
      return truncate(`${str(d.type) ?? ''}${str(d.statusCode) ? ` ${str(d.statusCode)}` : ''}`.trim() || 'answered', 30);
    case 'cacheLookup':
      return str(d.status) ?? (step.outcome === 'respond' ? 'hit' : 'miss');
    case 'cacheStore':
      return d.status === 'hit' ? 'from cache' : str(d.status) ?? 'stored';
    case 'corsPreflight':
      return step.outcome === 'respond' ? 'answered 204' : 'checked';
    case 'corsHeaders': {
      const added = d.added && typeof d.added === 'object' ? Object.keys(d.added).length : 0;
      return added ? `+${added} header${added === 1 ? '' : 's'}` : 'none added';
    }
    case 'methodResponse':
      return trace ? `status ${trace.response.statusCode}` : 'sent';
  }
  return step.durationMs > 0 ? `${step.durationMs} ms` : step.outcome === 'respond' ? 'answered' : 'done';
}

/** What the integration box stands for in this trace: "Lambda", "HTTP", "Mock", "AWS service". */
export function integrationKind(trace: Trace): { label: string; target?: string } {
  const route = trace.steps.find((s) => s.step === 'route' || s.step === 'routeSelection');
  const integration = route?.detail?.integration as { type?: string; uri?: string } | undefined;
  const call = trace.steps.find((s) => s.step === 'integration');
  const fn = str(call?.detail?.functionName);
  const url = str(call?.detail?.url);
  const type = integration?.type ?? (fn ? 'AWS_PROXY' : url ? 'HTTP_PROXY' : undefined);
  const uri = integration?.uri ?? '';
  if (!type) return { label: 'Integration' };
  if (type === 'MOCK') return { label: 'Mock', target: 'no backend' };
  if (type === 'AWS_PROXY' || /:lambda:path/.test(uri) || fn) return { label: 'Lambda', ...(fn || uri ? { target: fn ?? functionFromUri(uri) } : {}) };
  if (type === 'HTTP' || type === 'HTTP_PROXY') return { label: 'HTTP', ...(hostOf(url ?? uri) ? { target: hostOf(url ?? uri)! } : {}) };
  const service = /^arn:aws:apigateway:[^:]*:([^:]+):/.exec(uri)?.[1];
  return { label: 'AWS service', ...(service ? { target: service.toUpperCase() } : {}) };
}

function functionFromUri(uri: string): string {
  return /function:([^/:]+)/.exec(uri)?.[1] ?? 'function';
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

/** Split a label into at most two lines of about `width` characters. */
export function wrapLabel(label: string, width = 12): string[] {
  if (label.length <= width) return [label];
  const words = label.split(' ');
  let first = '';
  while (words.length && (first + (first ? ' ' : '') + words[0]).length <= width) first += (first ? ' ' : '') + words.shift();
  if (!first) first = words.shift() ?? '';
  return words.length ? [first, words.join(' ')] : [first];
}
