/**
 * The lifecycle diagram's boxes, per gateway type, and where they sit. The shape is the method
 * execution picture of the AWS console: the client on the left, the request lane along the top
 * (method request → integration request), the backend on the right, the response lane along the
 * bottom back to the client, and API Gateway's own answer (the gateway response) in between.
 *
 * Trace steps find their box by step id, then by phase; a step no layout knows gets a generic box
 * of its own on the middle row, so a new engine step never breaks the picture. Pure: positions
 * come from d3 scales, no DOM.
 */
import { scalePoint } from 'd3';
import type { GatewayType, Phase, TraceStep } from '../../../engine/trace/types';
import type { Point } from './geometry';

export type Lane = 'request' | 'response' | 'middle';
export type NodeKind = 'client' | 'station' | 'backend' | 'gatewayResponse' | 'service';

export interface DiagramNode {
  readonly id: string;
  readonly label: string;
  readonly kind: NodeKind;
  readonly lane: Lane;
  /** Centre and size, in the diagram's viewBox units. */
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  /** What this box does, in a sentence (its tooltip, and the inspector's subtitle). */
  readonly hint: string;
}

/** A frame drawn behind some boxes, named as the AWS console names it ("Method request"). */
export interface DiagramGroup {
  readonly id: string;
  readonly label: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface DiagramLayout {
  readonly type: GatewayType;
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly DiagramNode[];
  readonly groups: readonly DiagramGroup[];
  /** The resting rails between boxes, as node id pairs, drawn faintly under the boxes. */
  readonly rails: readonly (readonly [string, string, 'solid' | 'dashed'])[];
  readonly rows: { readonly request: number; readonly middle: number; readonly response: number };
}

export const WIDTH = 1000;
export const HEIGHT = 300;
const ROWS = { request: 72, middle: 160, response: 242 };
const STATION = { w: 94, h: 56 };
const SIDE = { w: 78, x: 50 };
const LANE_RANGE: [number, number] = [168, 832];

interface StationSpec {
  readonly id: string;
  readonly label: string;
  readonly hint: string;
  /** Step ids that land on this box. */
  readonly steps: readonly string[];
  readonly group?: string;
}

interface Template {
  readonly request: readonly StationSpec[];
  /** Right to left, as the response travels. */
  readonly response: readonly StationSpec[];
  readonly client: { readonly steps: readonly string[]; readonly hint: string };
  readonly backend: { readonly steps: readonly string[]; readonly hint: string };
  readonly gatewayResponse: { readonly steps: readonly string[]; readonly label: string; readonly hint: string };
  readonly services?: readonly (StationSpec & { readonly x: number })[];
  readonly byPhase: Readonly<Partial<Record<Phase, string>>>;
  readonly groups: readonly { readonly id: string; readonly label: string }[];
  /** Extra resting rails (the cache hit's short cut). */
  readonly shortcuts?: readonly (readonly [string, string])[];
}

const REST: Template = {
  // monitoring (metrics and logs) happens as the response leaves: it has no box of its own.
  client: { steps: ['receive', 'monitoring'], hint: 'The caller: the request starts here and the response ends here.' },
  request: [
    { id: 'route', label: 'Route', steps: ['route'], group: 'method', hint: 'Finds the stage’s deployed resource and method that match the path and verb.' },
    { id: 'throttle', label: 'Throttle', steps: ['throttle'], group: 'method', hint: 'Token buckets (account, stage, method) decide whether the request may go on now.' },
    { id: 'authorizer', label: 'Authorizer', steps: ['authorizer'], group: 'method', hint: 'A Lambda authorizer, Cognito user pool or IAM decides who may call this method.' },
    { id: 'apiKey', label: 'API key', steps: ['apiKey', 'usagePlan'], group: 'method', hint: 'Checks the x-api-key header, then the key’s usage plan: its throttle and quota.' },
    { id: 'validate', label: 'Validate', steps: ['validate'], group: 'method', hint: 'The request validator checks required parameters and the body against its model.' },
    { id: 'cacheLookup', label: 'Cache', steps: ['cacheLookup'], hint: 'The stage cache: a hit answers from a stored response and skips the backend.' },
    { id: 'integrationRequest', label: 'Integration request', steps: ['integrationRequest'], group: 'integrationRequest', hint: 'Turns the method request into the backend’s request: mapping templates and parameter mappings.' },
  ],
  backend: { steps: ['integration'], hint: 'The integration: a Lambda function, an HTTP endpoint, a mock, or an AWS service.' },
  response: [
    { id: 'integrationResponse', label: 'Integration response', steps: ['integrationResponse'], group: 'integrationResponse', hint: 'Chooses an integration response by the backend’s status or error, and maps its body and headers.' },
    { id: 'methodResponse', label: 'Method response', steps: ['methodResponse'], group: 'methodResponse', hint: 'The response the client gets: the status, headers and body the method declares.' },
    { id: 'cacheStore', label: 'Cache store', steps: ['cacheStore'], hint: 'Keeps the response in the stage cache for the next requests with the same key.' },
  ],
  gatewayResponse: { steps: ['gatewayResponse'], label: 'Gateway response', hint: 'API Gateway’s own answer when it stops a request: the status and body of a gateway response type.' },
  byPhase: {
    connection: 'client',
    routing: 'route',
    throttling: 'throttle',
    authorization: 'authorizer',
    apiKey: 'apiKey',
    validation: 'validate',
    cache: 'cacheLookup',
    integrationRequest: 'integrationRequest',
    integration: 'backend',
    integrationResponse: 'integrationResponse',
    methodResponse: 'methodResponse',
    gatewayResponse: 'gatewayResponse',
  },
  groups: [
    { id: 'method', label: 'Method request' },
    { id: 'integrationRequest', label: 'Integration request' },
    { id: 'integrationResponse', label: 'Integration response' },
    { id: 'methodResponse', label: 'Method response' },
  ],
  shortcuts: [['cacheLookup', 'methodResponse']],
};

const HTTP: Template = {
  client: { steps: ['receive', 'respond', 'monitoring'], hint: 'The caller: the request starts here and the response ends here.' },
  request: [
    { id: 'route', label: 'Route', steps: ['route'], hint: 'Finds the route (“GET /pets/{id}”, or $default) on the stage’s deployment.' },
    { id: 'throttle', label: 'Throttle', steps: ['throttle'], hint: 'Token buckets (account, stage, route) decide whether the request may go on now.' },
    { id: 'authorizer', label: 'Authorizer', steps: ['authorizer'], hint: 'A JWT authorizer checks the token’s issuer, audience, expiry and scopes; or a Lambda authorizer decides.' },
    { id: 'integrationRequest', label: 'Parameter mapping', steps: ['integrationRequest'], hint: 'Builds the backend request: the Lambda event, or the proxied request with its parameter mappings.' },
    { id: 'corsPreflight', label: 'CORS preflight', steps: ['corsPreflight'], hint: 'With a CORS configuration, API Gateway answers OPTIONS preflights itself.' },
  ],
  backend: { steps: ['integration'], hint: 'The integration: a Lambda function (proxy) or an HTTP endpoint.' },
  response: [
    { id: 'integrationResponse', label: 'Response mapping', steps: ['integrationResponse'], hint: 'Reads the backend’s answer (the Lambda result format) and applies response parameter mappings.' },
    { id: 'corsHeaders', label: 'CORS headers', steps: ['corsHeaders'], hint: 'Adds the Access-Control-* headers of the CORS configuration to the response.' },
  ],
  gatewayResponse: { steps: ['gatewayResponse'], label: 'Error response', hint: 'API Gateway’s own error answer when it stops a request (HTTP APIs have no gateway-response customisation).' },
  byPhase: {
    connection: 'client',
    routing: 'route',
    throttling: 'throttle',
    authorization: 'authorizer',
    integrationRequest: 'integrationRequest',
    integration: 'backend',
    integrationResponse: 'integrationResponse',
    methodResponse: 'corsHeaders',
    gatewayResponse: 'gatewayResponse',
  },
  groups: [],
};

const WEBSOCKET: Template = {
  client: { steps: [], hint: 'The WebSocket client: it connects, sends messages, receives frames and disconnects.' },
  request: [
    { id: 'connection', label: 'Connection', steps: ['connection', 'idleTimeout', 'maxDuration'], hint: 'The event arrives on a stage: a connect (the upgrade), a message, or a disconnect.' },
    { id: 'route', label: 'Route selection', steps: ['route', 'routeSelection'], hint: '$connect and $disconnect are fixed routes; messages are routed by the route selection expression.' },
    { id: 'authorizer', label: 'Authorizer', steps: ['authorizer'], hint: 'Only $connect is authorized: the decision holds for the connection’s whole life.' },
    { id: 'apiKey', label: 'API key', steps: ['apiKey'], hint: 'Checks the API key on $connect, and its usage plan.' },
    { id: 'integrationRequest', label: 'Integration request', steps: ['integrationRequest'], hint: 'Builds the backend request: the Lambda event, or a mapping template.' },
  ],
  backend: { steps: ['integration'], hint: 'The route’s integration: usually a Lambda function.' },
  response: [
    { id: 'integrationResponse', label: 'Integration response', steps: ['integrationResponse'], hint: 'Maps the backend’s answer (two-way routes only).' },
    { id: 'routeResponse', label: 'Route response', steps: ['routeResponse'], hint: 'A two-way route sends the answer back to the sender as a frame; a one-way route sends nothing.' },
  ],
  gatewayResponse: { steps: ['errorResponse', 'gatewayResponse'], label: 'Error response', hint: 'API Gateway refuses the handshake, or sends an error frame.' },
  services: [
    { id: 'connections', label: '@connections API', steps: ['connectionsApi'], x: 760, hint: 'The management API a backend calls to push frames to connected clients, or to disconnect them.' },
  ],
  byPhase: {
    connection: 'connection',
    routing: 'route',
    authorization: 'authorizer',
    apiKey: 'apiKey',
    integrationRequest: 'integrationRequest',
    integration: 'backend',
    integrationResponse: 'integrationResponse',
    methodResponse: 'routeResponse',
    gatewayResponse: 'gatewayResponse',
  },
  groups: [],
};

const TEMPLATES: Record<GatewayType, Template> = { REST, HTTP, WEBSOCKET };

/** Where a trace step lands: its box's id. */
export function nodeForStep(layout: DiagramLayout, step: Pick<TraceStep, 'step' | 'phase'>): string {
  const t = TEMPLATES[layout.type];
  if (t.client.steps.includes(step.step)) return 'client';
  if (t.backend.steps.includes(step.step)) return 'backend';
  if (t.gatewayResponse.steps.includes(step.step)) return 'gatewayResponse';
  for (const s of [...t.request, ...t.response, ...(t.services ?? [])]) if (s.steps.includes(step.step)) return s.id;
  const extra = `step:${step.step}`;
  if (layout.nodes.some((n) => n.id === extra)) return extra;
  return t.byPhase[step.phase] ?? extra;
}

/** Steps whose box the template does not know (by id or phase): each gets a generic box. */
function unknownSteps(type: GatewayType, steps: readonly Pick<TraceStep, 'step' | 'phase'>[]): string[] {
  const t = TEMPLATES[type];
  const known = new Set([...t.client.steps, ...t.backend.steps, ...t.gatewayResponse.steps, ...[...t.request, ...t.response, ...(t.services ?? [])].flatMap((s) => s.steps)]);
  const out: string[] = [];
  for (const s of steps) if (!known.has(s.step) && !t.byPhase[s.phase] && !out.includes(s.step)) out.push(s.step);
  return out;
}

/** A step id as words: `cacheLookup` → `Cache lookup`. */
export function humanize(id: string): string {
  const words = id.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The layout for a gateway type. `steps` are the steps of the traces on screen: only steps the
 * template does not know change it (they add boxes), so switching between a scenario's traces
 * never moves a box.
 */
export function layoutFor(type: GatewayType, steps: readonly Pick<TraceStep, 'step' | 'phase'>[] = []): DiagramLayout {
  const t = TEMPLATES[type];
  const nodes: DiagramNode[] = [];
  const station = (s: StationSpec, lane: Lane, x: number, y: number): DiagramNode => ({ id: s.id, label: s.label, hint: s.hint, kind: 'station', lane, x, y, ...STATION });

  const span = ROWS.response - ROWS.request + STATION.h + 24;
  nodes.push({ id: 'client', label: 'Client', hint: t.client.hint, kind: 'client', lane: 'middle', x: SIDE.x, y: (ROWS.request + ROWS.response) / 2, w: SIDE.w, h: span });
  nodes.push({ id: 'backend', label: 'Integration', hint: t.backend.hint, kind: 'backend', lane: 'middle', x: WIDTH - SIDE.x, y: (ROWS.request + ROWS.response) / 2, w: SIDE.w, h: span });

  const req = scalePoint<string>().domain(t.request.map((s) => s.id)).range(LANE_RANGE).padding(t.request.length < 6 ? 0.4 : 0);
  for (const s of t.request) nodes.push(station(s, 'request', req(s.id)!, ROWS.request));
  // The response lane runs right to left; its boxes line up under the request lane's ends.
  const res = scalePoint<string>().domain(t.response.map((s) => s.id)).range([LANE_RANGE[1], LANE_RANGE[0]]).padding(t.response.length < 3 ? 0.5 : 0);
  for (const s of t.response) nodes.push(station(s, 'response', res(s.id)!, ROWS.response));

  nodes.push({ id: 'gatewayResponse', label: t.gatewayResponse.label, hint: t.gatewayResponse.hint, kind: 'gatewayResponse', lane: 'middle', x: 410, y: ROWS.middle, w: 196, h: 46 });
  for (const s of t.services ?? []) nodes.push({ ...station(s, 'middle', s.x, ROWS.middle), kind: 'service', w: 132, h: 46 });

  unknownSteps(type, steps).forEach((id, i) => {
    nodes.push({ id: `step:${id}`, label: humanize(id), hint: `The engine’s “${id}” step.`, kind: 'station', lane: 'middle', x: 200 + i * 112, y: ROWS.middle, w: STATION.w, h: 46 });
  });

  const byId = new Map(nodes.map((n) => [n.id, n]));
  const groups: DiagramGroup[] = [];
  for (const g of t.groups) {
    const members = [...t.request, ...t.response].filter((s) => s.group === g.id).map((s) => byId.get(s.id)!);
    if (members.length === 0) continue;
    const left = Math.min(...members.map((m) => m.x - m.w / 2)) - 8;
    const right = Math.max(...members.map((m) => m.x + m.w / 2)) + 8;
    const top = Math.min(...members.map((m) => m.y - m.h / 2)) - 24;
    const bottom = Math.max(...members.map((m) => m.y + m.h / 2)) + 8;
    groups.push({ id: g.id, label: g.label, x: left, y: top, w: right - left, h: bottom - top });
  }

  const lane = ['client', ...t.request.map((s) => s.id), 'backend', ...t.response.map((s) => s.id), 'client'];
  const rails: [string, string, 'solid' | 'dashed'][] = [];
  for (let i = 0; i < lane.length - 1; i++) rails.push([lane[i]!, lane[i + 1]!, 'solid']);
  for (const [a, b] of t.shortcuts ?? []) rails.push([a, b, 'dashed']);
  for (const s of t.services ?? []) rails.push(['backend', s.id, 'dashed']);

  return { type, width: WIDTH, height: HEIGHT, nodes, groups, rails, rows: ROWS };
}

export function nodeById(layout: DiagramLayout, id: string): DiagramNode | undefined {
  return layout.nodes.find((n) => n.id === id);
}

/**
 * Where the packet rests on a box: at its door, so it never hides the box's words. Request-lane
 * boxes are entered from the left, response-lane boxes from the right (the response travels
 * back), middle boxes from the top. The client and the backend are tall: a request leaves the
 * client on the request lane and a response comes back on the response lane.
 */
export function anchor(node: DiagramNode, lane: 'request' | 'response' | 'middle', rows: DiagramLayout['rows']): Point {
  if (node.kind === 'client') return { x: node.x + node.w / 2, y: lane === 'request' ? rows.request : rows.response };
  if (node.kind === 'backend') return { x: node.x - node.w / 2, y: node.y };
  if (node.kind === 'service') return { x: node.x + node.w / 2, y: node.y };
  if (node.lane === 'request') return { x: node.x - node.w / 2, y: node.y };
  if (node.lane === 'response') return { x: node.x + node.w / 2, y: node.y };
  return { x: node.x, y: node.y - node.h / 2 };
}

/** The boxes in the order a request passes them, for telling which ones it went by. */
export function laneOrder(layout: DiagramLayout): string[] {
  const order: string[] = [];
  for (const [a, b, style] of layout.rails) {
    if (style !== 'solid') continue;
    if (!order.includes(a)) order.push(a);
    if (!order.includes(b)) order.push(b);
  }
  return order;
}
