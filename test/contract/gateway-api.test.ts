/**
 * The GatewayApi contract, run over both transports: Electron IPC (preload ↔ main handlers) and
 * the web host's WebSocket bridge. Same calls, same values, same errors. Later issues add their
 * calls here (render a template, mint a token, a simulated service's state).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResult, LoadFinished, ScenarioSummary, StepResult, TraceEvent } from '../../engine/api/types';
import { loadScenarioFile } from '../../engine/scenario/loader';
import { ScenarioSession } from '../../engine/scenario/session';
import type { Trace } from '../../engine/trace/types';
import { BUNDLED, collect, type Harness, harness, type TransportName, value } from './transports';

const HELLO = 'bundled:rest/hello-mock.yaml';
const PETS = 'bundled:compare/pets-rest-vs-http.yaml';

const SCENARIO_TEXT = `id: uploaded-hello
title: Uploaded hello
gateway: REST
api:
  resources:
    /hi:
      GET:
        integration:
          type: MOCK
          requestTemplates: { application/json: '{"statusCode": 200}' }
          integrationResponses:
            "200": { responseTemplates: { application/json: '{"hi": true}' } }
steps:
  - request: { method: GET, path: /prod/hi }
    expect: { status: 200 }
`;

const OPENAPI_TEXT = `openapi: 3.0.1
info: { title: tiny-openapi, version: '1' }
paths:
  /ping:
    get:
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: { application/json: '{"statusCode": 200}' }
        responses:
          default:
            statusCode: '200'
            responseTemplates: { application/json: '{"pong": true}' }
`;

function errorOf(r: ApiResult<unknown>) {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value).slice(0, 200)}`);
  return r.error;
}

/** Step 1 of hello-mock straight from the engine, to compare with what the transports deliver. */
async function directTrace(): Promise<Trace> {
  const loaded = loadScenarioFile(path.join(BUNDLED, 'rest/hello-mock.yaml'));
  if (!loaded.ok) throw new Error('hello-mock does not load');
  const session = await ScenarioSession.open(loaded.scenario);
  try {
    const outcome = await session.run(loaded.scenario.steps[0]!);
    return JSON.parse(JSON.stringify(outcome.traces.REST)) as Trace;
  } finally {
    await session.close();
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-lab-contract-'));
const dialogFile = path.join(tmp, 'from-dialog.yaml');
fs.writeFileSync(dialogFile, SCENARIO_TEXT.replace('uploaded-hello', 'dialog-hello').replace('Uploaded hello', 'Dialog hello'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe.each<TransportName>(['ipc', 'websocket'])('GatewayApi over %s', (transport) => {
  let h: Harness;
  let expected: Trace;
  beforeAll(async () => {
    h = await harness(transport, { showOpenDialog: async () => dialogFile });
    expected = await directTrace();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('hostInfo says which host it is and what the engine can do', async () => {
    const info = value(await h.api.hostInfo());
    expect(info).toEqual({
      host: transport === 'ipc' ? 'electron' : 'web',
      apiVersion: 1,
      appVersion: '0.0.0-test',
      gateways: ['REST', 'HTTP', 'WEBSOCKET'],
      capabilities: { nativeFileDialog: transport === 'ipc', compare: true, load: true, live: true },
    });
  });

  it('lists the bundled scenarios', async () => {
    const list = value(await h.api.listScenarios());
    const hello = list.find((s) => s.ref === HELLO);
    expect(hello).toMatchObject({ source: 'bundled', kind: 'scenario', fileName: 'rest/hello-mock.yaml', id: 'rest-hello-mock', gateways: ['REST'], stepCount: 4 });
    // The library's beginner track starts here (scenarios/tracks.yaml).
    expect(hello?.tracks).toEqual([expect.objectContaining({ id: 'beginner', position: 1 })]);
    expect(hello?.title).toMatch(/^Hello, API Gateway/);
    expect(list.every((s) => s.source === 'bundled' && !s.problems)).toBe(true);
  });

  it('opens a session, runs a step and delivers the engine’s trace unchanged, as a result and as an event', async () => {
    const session = value(await h.api.openSession(HELLO));
    expect(session.sessionId).toMatch(/^s\d+$/);
    expect(session.stage).toBe('prod');
    expect(session.steps).toHaveLength(4);
    expect(session.steps[0]).toMatchObject({ index: 1, request: { method: 'GET', path: '/prod/hello' } });

    const events = collect<TraceEvent>((l) => h.api.on('trace', l));
    const result = value(await h.api.runStep(session.sessionId, 1));
    expect(result).toMatchObject({ sessionId: session.sessionId, stepIndex: 1, kind: 'request', passed: true, nextStepIndex: 2 });
    expect(result.checks.length).toBeGreaterThan(0);
    expect(result.traces.REST).toStrictEqual(expected);
    const [event] = await events;
    expect(event).toStrictEqual({ sessionId: session.sessionId, origin: 'step', trace: expected });

    value(await h.api.closeSession(session.sessionId));
  });

  it('sends ad-hoc requests through the session’s gateway', async () => {
    const { sessionId } = value(await h.api.openSession(HELLO));
    const events = collect<TraceEvent>((l) => h.api.on('trace', l));
    const trace = value(await h.api.sendRequest(sessionId, { method: 'GET', path: '/prod/nowhere', headers: { Accept: 'application/json' } }));
    expect(trace.response.statusCode).toBe(403);
    expect(trace.stoppedAt).toBe('route');
    expect((await events)[0]).toMatchObject({ sessionId, origin: 'request', trace: { id: trace.id } });
    const withGateway = value(await h.api.sendRequest(sessionId, { method: 'GET', path: '/prod/hello' }, 'REST'));
    expect(withGateway.response.statusCode).toBe(200);
    expect(errorOf(await h.api.sendRequest(sessionId, { method: 'GET', path: '/prod/hello' }, 'HTTP'))).toMatchObject({ code: 'invalid-argument' });
    value(await h.api.closeSession(sessionId));
  });

  it('tells the composer the API’s endpoints, identities and API keys', async () => {
    const hello = value(await h.api.openSession(HELLO));
    expect(hello.composer.endpoints).toContainEqual({ gateway: 'REST', method: 'GET', path: '/prod/hello' });
    expect(hello.composer.identity).toBeUndefined();
    expect(hello.composer.apiKeys).toEqual([]);

    const jwt = value(await h.api.openSession('bundled:http/jwt-authorizer.yaml'));
    expect(jwt.composer.identity).toEqual({ issuer: 'https://auth.example.test', users: ['alice', 'bob'], tokens: ['expired', 'billingToken', 'forgedNone'] });
    expect(jwt.composer.endpoints.every((e) => e.gateway === 'HTTP')).toBe(true);
    // A {{token.NAME}} placeholder gets a token minted when the request is sent.
    const withToken = value(await h.api.sendRequest(jwt.sessionId, { method: 'GET', path: '/pets', headers: { Authorization: 'Bearer {{token.alice}}' } }));
    expect(withToken.steps.find((s) => s.step === 'authorizer')?.outcome).toBe('continue');

    const keys = value(await h.api.openSession('bundled:rest/api-keys-usage-plans.yaml'));
    expect(keys.composer.apiKeys).toContain('partner');

    // WebSocket: the @connections API, with {{connection.NAME}} for a scenario client's id.
    const chat = value(await h.api.openSession('bundled:websocket/chat-room.yaml'));
    expect(chat.composer.clients).toEqual(['alice', 'bob', 'carol']);
    expect(chat.composer.endpoints).toContainEqual({ gateway: 'WEBSOCKET', method: 'GET', path: '/production/@connections/{connectionId}' });
    value(await h.api.runStep(chat.sessionId, 1));
    const described = value(await h.api.sendRequest(chat.sessionId, { method: 'GET', path: '/production/@connections/{{connection.alice}}' }));
    expect(described.response.statusCode).toBe(200);
    await Promise.all([hello, jwt, keys, chat].map((s) => h.api.closeSession(s.sessionId)));
  });

  it('records the simulated services before and after each scenario request', async () => {
    const { sessionId } = value(await h.api.openSession('bundled:rest/lambda-proxy-crud.yaml'));
    const result = value(await h.api.runStep(sessionId, 1));
    const services = result.traces.REST!.services!;
    const [name, before] = Object.entries(services.before.lambda ?? {})[0]!;
    expect(before).toEqual({ warmInstances: 0 });
    expect(services.after.lambda?.[name]).toBeDefined();
    value(await h.api.closeSession(sessionId));
  });

  it('runs every step in order, then reports no next step', async () => {
    const { sessionId, steps } = value(await h.api.openSession(HELLO));
    let next: number | null = 1;
    const seen: number[] = [];
    while (next !== null) {
      const r: StepResult = value(await h.api.runStep(sessionId, next));
      expect(r.passed).toBe(true);
      seen.push(r.stepIndex);
      next = r.nextStepIndex;
    }
    expect(seen).toEqual(steps.map((s) => s.index));
    value(await h.api.closeSession(sessionId));
  });

  it('runs a WebSocket scenario: every trace of a step (frames, service calls) arrives as an event, with the services state', async () => {
    const { sessionId, steps } = value(await h.api.openSession('bundled:websocket/chat-room.yaml'));
    const seen: TraceEvent[] = [];
    const off = h.api.on('trace', (e) => seen.push(e));
    const results: StepResult[] = [];
    for (const step of steps) results.push(value(await h.api.runStep(sessionId, step.index)));
    off();
    expect(results.map((r) => r.passed)).toEqual(steps.map(() => true));
    // Step 4: Alice's message; the broadcast reached three clients through @connections.
    const broadcast = results[3]!;
    expect(broadcast.kind).toBe('send');
    const message = broadcast.traces.WEBSOCKET!;
    expect(message.websocket).toMatchObject({ eventType: 'MESSAGE', routeKey: 'sendmessage', client: 'alice' });
    expect(message.websocket!.frames.map((f) => f.client).sort()).toEqual(['alice', 'bob', 'carol']);
    expect(message.websocket!.serviceCalls!.filter((c) => c.method === 'PostToConnection')).toHaveLength(3);
    // The table before and after each trace; the step's final state in the result.
    expect(Object.keys(message.services!.after.tables!)).toEqual(['connections']);
    expect((broadcast.services!.connections as Record<string, { state: string }>)[message.websocket!.connectionId]!.state).toBe('open');
    // Step 5: Bob's close runs $disconnect, whose trace is an event too.
    const close = results[4]!;
    expect(close.allTraceIds).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 50));
    const events = seen.filter((e) => e.sessionId === sessionId);
    expect(events.some((e) => e.trace.id === close.allTraceIds![0] && e.trace.websocket?.eventType === 'DISCONNECT')).toBe(true);
    expect(events.filter((e) => e.trace.websocket?.eventType === 'CONNECT')).toHaveLength(3);

    // The same API on the live endpoint: a real ws client's connect arrives as a live trace.
    const live = value(await h.api.startLive(sessionId, { port: 0 }));
    expect(live.url).toBe(`ws://127.0.0.1:${live.port}/production`);
    const liveTraces = collect<TraceEvent>((l) => h.api.on('trace', l));
    const { WebSocket } = await import('ws');
    const client = new WebSocket(live.url);
    await new Promise((resolve, reject) => (client.once('open', resolve), client.once('error', reject)));
    const [connected] = await liveTraces;
    expect(connected).toMatchObject({ sessionId, origin: 'live', trace: { websocket: { eventType: 'CONNECT' }, response: { statusCode: 101 } } });
    client.close();
    value(await h.api.closeSession(sessionId));
  });

  it('resets and closes sessions', async () => {
    const first = value(await h.api.openSession(HELLO));
    const second = value(await h.api.resetSession(first.sessionId));
    expect(second.sessionId).not.toBe(first.sessionId);
    expect(errorOf(await h.api.runStep(first.sessionId, 1)).code).toBe('not-found');
    value(await h.api.closeSession(second.sessionId));
    expect(errorOf(await h.api.closeSession(second.sessionId)).code).toBe('not-found');
  });

  it('exports a trace as JSON (unchanged) and as HAR', async () => {
    const { sessionId } = value(await h.api.openSession(HELLO));
    const trace = value(await h.api.runStep(sessionId, 1)).traces.REST!;
    const json = value(await h.api.exportTrace(sessionId, trace.id, 'json'));
    expect(json.fileName).toBe(`trace-${trace.id}.json`);
    expect(JSON.parse(json.content)).toStrictEqual(expected);
    const har = value(await h.api.exportTrace(sessionId, trace.id, 'har'));
    expect(har.fileName).toBe(`trace-${trace.id}.har`);
    const entry = (JSON.parse(har.content) as { log: { version: string; entries: any[] } }).log;
    expect(entry.version).toBe('1.2');
    expect(entry.entries[0].request).toMatchObject({ method: 'GET', url: expect.stringMatching(/^https:\/\/.+\/prod\/hello$/) });
    expect(entry.entries[0].response).toMatchObject({ status: 200, content: { text: trace.response.body } });
    value(await h.api.closeSession(sessionId));
    // Traces outlive their session.
    expect(value(await h.api.exportTrace(sessionId, trace.id, 'json')).content).toBe(json.content);
    expect(errorOf(await h.api.exportTrace(sessionId, 'no-such-trace', 'json')).code).toBe('not-found');
  });

  it('opens scenario and OpenAPI files from their text', async () => {
    const added = collect<ScenarioSummary>((l) => h.api.on('scenarioAdded', l));
    const summary = value(await h.api.openScenarioText({ name: 'hello.yaml', text: SCENARIO_TEXT }));
    expect(summary).toMatchObject({ source: 'file', kind: 'scenario', fileName: 'hello.yaml', id: 'uploaded-hello', title: 'Uploaded hello', stepCount: 1 });
    expect((await added)[0]).toStrictEqual(summary);
    expect(value(await h.api.listScenarios()).map((s) => s.ref)).toContain(summary.ref);
    const s = value(await h.api.openSession(summary.ref));
    expect(value(await h.api.runStep(s.sessionId, 1)).passed).toBe(true);

    const api = value(await h.api.openScenarioText({ name: 'tiny.yaml', text: OPENAPI_TEXT }));
    expect(api).toMatchObject({ kind: 'openapi', title: 'tiny-openapi', stepCount: 0, gateways: ['REST'] });
    const apiSession = value(await h.api.openSession(api.ref));
    expect(apiSession.steps).toEqual([]);
    const pong = value(await h.api.sendRequest(apiSession.sessionId, { method: 'GET', path: '/prod/ping' }));
    expect(pong.response.statusCode).toBe(200);
    expect(JSON.parse(pong.response.body)).toEqual({ pong: true });
  });

  it('rejects a broken file with its problems, and does not list it', async () => {
    const before = value(await h.api.listScenarios()).length;
    const err = errorOf(await h.api.openScenarioText({ name: 'broken.yaml', text: 'id: broken\ntitle: x\ngateway: REST\nsteps: nope\n' }));
    expect(err.code).toBe('scenario-invalid');
    // Named as the user knows it, not by its temporary copy.
    expect(err.issues?.[0]).toMatchObject({ file: 'broken.yaml', line: 4, path: 'steps', message: 'must be array' });
    expect(err.message).toBe('broken.yaml cannot be opened: broken.yaml:4:8 steps: must be array');
    expect(value(await h.api.listScenarios())).toHaveLength(before);
  });

  it('opens a file with the native dialog where the host has one', async () => {
    const r = await h.api.openScenarioDialog();
    if (transport === 'ipc') expect(value(r)).toMatchObject({ source: 'file', title: 'Dialog hello', fileName: 'from-dialog.yaml' });
    else expect(errorOf(r).code).toBe('unsupported-in-host');
  });

  it('compares one request through REST and HTTP: lanes, aligned phases, differences, both Lambda events, prices', async () => {
    const { sessionId } = value(await h.api.openSession(PETS));
    const events = collect<TraceEvent>((l) => h.api.on('trace', l), 2);
    const c = value(await h.api.compare(sessionId, { method: 'GET', path: '/prod/pets' }, ['REST', 'HTTP']));
    expect(c.lanes.map((l) => [l.gateway, l.trace.response.statusCode])).toEqual([['REST', 200], ['HTTP', 200]]);
    expect((await events).map((e) => [e.origin, e.trace.id])).toEqual(c.lanes.map((l) => ['compare', l.trace.id]));
    expect(c.comparison.gateways).toEqual(['REST', 'HTTP']);
    expect(c.comparison.lanes.map((l) => l.phase)).toEqual(expect.arrayContaining(['routing', 'throttling', 'integration']));
    expect(c.comparison.onlyOneSide).toEqual(expect.arrayContaining([{ gateway: 'REST', step: 'validate', phase: 'validation' }]));
    expect(c.comparison.event?.formats).toEqual({ REST: '1.0', HTTP: '2.0' });
    expect(c.events.REST).toMatchObject({ httpMethod: 'GET', resource: '/pets' });
    expect(c.events.HTTP).toMatchObject({ version: '2.0', routeKey: 'GET /pets' });
    expect(c.prices.byGateway.REST?.perMillion).toBe(3.5);
    expect(c.prices.byGateway.HTTP?.perMillion).toBe(1);
    expect(c.prices.cheapest).toBe('HTTP');
    expect(c.notInHttp).toEqual(expect.arrayContaining(['stage caching']));

    // Error bodies differ where the gateway answers on its own.
    const missing = value(await h.api.compare(sessionId, { method: 'GET', path: '/prod/nothing-here' }, ['REST', 'HTTP']));
    expect(missing.comparison.errorBodies).toEqual({
      REST: { statusCode: 403, body: '{"message":"Missing Authentication Token"}' },
      HTTP: { statusCode: 404, body: '{"message":"Not Found"}' },
    });
    // Only the gateway types the scenario has, and never a WebSocket API (it takes messages, not requests).
    expect(errorOf(await h.api.compare(sessionId, { method: 'GET', path: '/prod/pets' }, ['REST', 'WEBSOCKET'])).code).toBe('invalid-argument');
    value(await h.api.closeSession(sessionId));
    const hello = value(await h.api.openSession(HELLO));
    expect(errorOf(await h.api.compare(hello.sessionId, { method: 'GET', path: '/prod/hello' }, ['REST', 'HTTP']))).toMatchObject({
      code: 'invalid-argument',
      message: expect.stringContaining('no HTTP API'),
    });
    value(await h.api.closeSession(hello.sessionId));
  });

  it('prices a month of traffic on each gateway type with the engine’s cost model', async () => {
    // 10 requests a second for 730 hours, a 0.5 GB REST stage cache (compare/load-cost-rest-vs-http.yaml).
    const e = value(await h.api.estimateCost({ gateways: ['REST', 'HTTP'], requestsPerMonth: 26_280_000, cacheSizeGb: '0.5' }));
    expect(e.requestsPerSecond).toBeCloseTo(10, 6);
    expect(e.byGateway.REST?.total).toBeCloseTo(106.58, 2);
    expect(e.byGateway.REST?.cacheCost).toBeCloseTo(14.6, 2);
    expect(e.byGateway.HTTP?.total).toBeCloseTo(26.28, 2);
    expect(e.cheapest).toBe('HTTP');
    expect(e.moreThanCheapest.REST).toBeCloseTo(80.3, 2);
    // Tiers apply above 333 million REST requests a month.
    const big = value(await h.api.estimateCost({ gateways: ['REST'], requestsPerMonth: 1_000_000_000 }));
    expect(big.byGateway.REST?.perMillion).toBeLessThan(3.5);
    expect(errorOf(await h.api.estimateCost({ gateways: ['REST'], requestsPerMonth: -1 })).code).toBe('invalid-argument');
    expect(errorOf(await h.api.estimateCost({ gateways: ['REST'], requestsPerMonth: 1, cacheSizeGb: '3' })).code).toBe('invalid-argument');
  });

  it('lists the bundled example templates with their sample bodies and variables', async () => {
    const list = value(await h.api.listTemplates());
    expect(list.map((t) => t.name)).toEqual(expect.arrayContaining(['reshape-order', 'error-mapping', 'form-to-json']));
    const reshape = list.find((t) => t.name === 'reshape-order')!;
    expect(reshape.title).toMatch(/^Integration request: reshape a storefront order/);
    expect(reshape.template).toContain('#foreach($item in $order.items)');
    expect(JSON.parse(reshape.input.body!)).toMatchObject({ customer: { id: 1042 } });
    expect(reshape.input.stageVariables).toEqual({ warehouse: 'eu-west-1a' });
    expect(reshape.input.params?.header).toEqual({ 'x-source': 'web' });
  });

  it('renders a mapping template: output, reads and overrides, or the error with its line and column', async () => {
    const reshape = value(await h.api.listTemplates()).find((t) => t.name === 'reshape-order')!;
    const r = value(await h.api.renderTemplate(reshape.template, reshape.input));
    if (r.status !== 'rendered') throw new Error(r.message);
    expect(JSON.parse(r.output)).toMatchObject({ warehouse: 'eu-west-1a', total: 55, source: 'web' });
    expect(r.reads).toEqual(expect.arrayContaining(['$context.requestId', '$stageVariables.warehouse']));

    const status = value(await h.api.renderTemplate('#set($context.responseOverride.status = 404)\n{"id": $input.json(\'$.id\')}', { body: '{"id": 7}' }));
    expect(status).toMatchObject({ status: 'rendered', output: '{"id": 7}', responseOverride: { status: 404 } });

    expect(value(await h.api.renderTemplate('line one\n#if($x'))).toEqual({ status: 'error', message: expect.stringContaining('Encountered'), line: 2, column: 6 });
    expect(value(await h.api.renderTemplate('{"a": $input.path(\'$.a\').substring(5)}', { body: '{"a": "abc"}' }))).toMatchObject({
      status: 'error',
      message: expect.stringContaining('StringIndexOutOfBoundsException'),
      // Where the failing method call is, as Velocity reports it.
      line: 1,
      column: 26,
    });
  });

  it('stops a runaway template at its deadline: the host keeps answering', async () => {
    // The loop prints nothing, so the deadline (not the 10 MB output cap) is what stops it on any machine.
    const started = Date.now();
    const r = value(await h.api.renderTemplate('#foreach($i in [1..1000])#foreach($j in [1..1000])#foreach($k in [1..1000])#set($n = $k)#end#end#end'));
    expect(r).toMatchObject({ status: 'error', message: expect.stringContaining('deadline') });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(value(await h.api.renderTemplate('ok'))).toMatchObject({ status: 'rendered', output: 'ok' });
    // Sizes are checked before the engine sees anything.
    expect(errorOf(await h.api.renderTemplate('x'.repeat(300 * 1024 + 1))).code).toBe('invalid-argument');
    expect(errorOf(await h.api.renderTemplate('x', { body: 'x'.repeat(2 * 1024 * 1024 + 1) })).code).toBe('invalid-argument');
  });

  it('runs a load simulation: per-second points as loadProgress, the result in loadFinished', async () => {
    const { sessionId } = value(await h.api.openSession(HELLO));
    const finished = collect<LoadFinished>((l) => h.api.on('loadFinished', l), 1);
    const run = value(await h.api.startLoad(sessionId, { request: { method: 'GET', path: '/prod/hello' }, arrival: 'constant', ratePerSecond: 10, durationSeconds: 5 }));
    expect(run).toEqual({ runId: expect.any(String), sessionId });
    const [done] = await finished;
    expect(done).toMatchObject({ runId: run.runId, status: 'completed', result: { totals: { requests: 50 } } });
    expect(errorOf(await h.api.cancelLoad('run-1')).code).toBe('not-found');
    value(await h.api.closeSession(sessionId));
  });

  it('serves a session’s API on the live endpoint; its requests arrive as traces', async () => {
    const { sessionId } = value(await h.api.openSession(HELLO));
    const liveEvents = collect<unknown>((l) => h.api.on('live', l), 2);
    const live = value(await h.api.startLive(sessionId, { port: 0 }));
    expect(live).toEqual({ sessionId, url: `http://127.0.0.1:${live.port}/prod`, port: expect.any(Number), gateway: 'REST' });
    expect(errorOf(await h.api.startLive(sessionId, { gateway: 'HTTP' })).code).toBe('invalid-argument');
    expect(errorOf(await h.api.startLive(sessionId)).code).toBe('invalid-argument');

    const traces = collect<TraceEvent>((l) => h.api.on('trace', l));
    const res = await fetch(`${live.url}/hello`);
    expect(res.status).toBe(200);
    const body = await res.text();
    const [event] = await traces;
    expect(event).toMatchObject({ sessionId, origin: 'live', trace: { request: { method: 'GET', path: '/prod/hello' }, response: { statusCode: 200, body } } });
    // A live trace can be exported like any other.
    expect(value(await h.api.exportTrace(sessionId, event!.trace.id, 'har')).content).toContain('/prod/hello');

    value(await h.api.stopLive(sessionId));
    expect(await liveEvents).toEqual([live, null]);
    expect(errorOf(await h.api.stopLive(sessionId)).code).toBe('not-found');
    await expect(fetch(`${live.url}/hello`)).rejects.toThrow();

    // Closing the session stops its endpoint too.
    const again = value(await h.api.startLive(sessionId));
    value(await h.api.closeSession(sessionId));
    await expect(fetch(`${again.url}/hello`)).rejects.toThrow();
  });

  it('answers bad arguments with invalid-argument, never a crash', async () => {
    const api = h.api as unknown as Record<string, (...a: unknown[]) => Promise<ApiResult<unknown>>>;
    const bad: [string, unknown[]][] = [
      ['openSession', []],
      ['openSession', [42]],
      ['openSession', ['/etc/passwd']],
      ['runStep', ['s1', 'one']],
      ['runStep', ['s1', 0]],
      ['runStep', ['s1', 1, 'extra']],
      ['sendRequest', ['s1', { method: 'GET', path: 'no-slash' }]],
      ['sendRequest', ['s1', { method: 'GET', path: '/x', evil: true }]],
      ['sendRequest', ['s1', { method: 'GET', path: '/x' }, 'SOAP']],
      ['openScenarioText', [{ name: 'x.yaml' }]],
      ['exportTrace', ['s1', 't1', 'pdf']],
      ['compare', ['s1', { method: 'GET', path: '/' }, []]],
      ['startLive', ['s1', { port: 70000 }]],
      ['estimateCost', [{ gateways: ['REST'], requestsPerMonth: 1, extra: true }]],
      ['renderTemplate', []],
      ['renderTemplate', ['x', { body: 42 }]],
      ['renderTemplate', ['x', { params: { header: { a: 1 } } }]],
      ['listScenarios', ['unexpected']],
    ];
    for (const [call, args] of bad) {
      const e = errorOf(await api[call]!(...args));
      expect(e.code, `${call}(${JSON.stringify(args)})`).toBe('invalid-argument');
      expect(e.message).toContain(call);
    }
  });

  it('answers unknown sessions, steps and scenarios with not-found', async () => {
    expect(errorOf(await h.api.runStep('s999', 1)).code).toBe('not-found');
    expect(errorOf(await h.api.openSession('bundled:rest/missing.yaml')).code).toBe('not-found');
    expect(errorOf(await h.api.openSession('bundled:../package.json')).code).toBe('not-found');
    expect(errorOf(await h.api.openSession('file:999')).code).toBe('not-found');
    const { sessionId } = value(await h.api.openSession(HELLO));
    expect(errorOf(await h.api.runStep(sessionId, 99)).code).toBe('not-found');
    value(await h.api.closeSession(sessionId));
  });

  it('subscriptions end when unsubscribed, and unknown events are refused', async () => {
    let count = 0;
    const off = h.api.on('trace', () => count++);
    const { sessionId } = value(await h.api.openSession(HELLO));
    value(await h.api.runStep(sessionId, 1));
    await new Promise((r) => setTimeout(r, 50));
    expect(count).toBe(1);
    off();
    value(await h.api.runStep(sessionId, 2));
    await new Promise((r) => setTimeout(r, 50));
    expect(count).toBe(1);
    expect(() => h.api.on('nope' as 'trace', () => undefined)).toThrow(TypeError);
    value(await h.api.closeSession(sessionId));
  });
});
