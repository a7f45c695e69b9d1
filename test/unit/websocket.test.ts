/**
 * The WebSocket engine on a virtual clock: route selection, the three lifecycles, Lambda proxy
 * events (reference B5), route and integration responses, limits, the @connections API from
 * handler code and over HTTP, metrics, and definition errors.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../engine/core/clock';
import { request } from '../../engine/core/http';
import { Gateway } from '../../engine/gateway';
import { DefinitionError } from '../../engine/model/rest-definition';
import type { DeliveredFrame } from '../../engine/websocket/connections';
import type { WebSocketApiDefinition } from '../../engine/websocket/definition';
import { webSocketApiFromDefinition } from '../../engine/websocket/definition';
import { parseManagementEndpoint } from '../../engine/websocket/management-api';
import { evaluateSelectionExpression } from '../../engine/websocket/selection-expression';
import type { WebSocketApiHost } from '../../engine/websocket/websocket-api-host';
import { IdGenerator, SeededRandom } from '../../engine/core/random';
import { fn } from '../helpers';

describe('selection expressions (reference B1)', () => {
  const body = '{"service":"chat","action":"join","tags":["item1","item2"],"n":5}';
  it.each([
    ['$request.body.action', 'join'],
    ['${request.body.action}', 'join'],
    ['${request.body.service}/${request.body.action}', 'chat/join'],
    ['${request.body.action}-${request.body.invalidPath}', 'join-'],
    ['action', 'action'],
    ['$request.body.tags', '[item1, item2]'],
    ['$request.body.n', '5'],
    ["$request.body['action']", 'join'],
  ])('%s → %s', (expr, value) => {
    expect(evaluateSelectionExpression(expr, { body })).toEqual({ ok: true, value });
  });

  it('cannot evaluate a message that is not JSON', () => {
    expect(evaluateSelectionExpression('$request.body.action', { body: 'hello' })).toMatchObject({ ok: false });
  });
});

interface Fixture {
  readonly gateway: Gateway;
  readonly host: WebSocketApiHost;
  readonly frames: Map<string, DeliveredFrame[]>;
  readonly closes: Map<string, { code: number; reason: string }>;
  connect(query?: string, headers?: Record<string, string>): Promise<{ id: string; statusCode: number; body: string }>;
  send(id: string, data: string, frameSizes?: number[]): ReturnType<WebSocketApiHost['message']>;
}

let open: Gateway[] = [];
afterEach(async () => {
  await Promise.all(open.map((g) => g.close()));
  open = [];
});

function fixture(def: WebSocketApiDefinition, functions: Record<string, string> = {}, tables: string[] = []): Fixture {
  const gateway = new Gateway({ seed: 'ws-test', clock: new VirtualClock() });
  open.push(gateway);
  for (const [name, code] of Object.entries(functions)) gateway.lambda.register(fn(name, code, { latencyMs: 10, coldStartMs: 100 }));
  for (const t of tables) gateway.tables.createTable({ name: t, partitionKey: { name: 'connectionId', type: 'S' } });
  const host = gateway.createWebSocketApi(def);
  host.deploy('prod');
  const frames = new Map<string, DeliveredFrame[]>();
  const closes = new Map<string, { code: number; reason: string }>();
  let n = 0;
  return {
    gateway,
    host,
    frames,
    closes,
    async connect(query = '', headers = {}) {
      const label = `c${++n}`;
      const sink = {
        deliver: (f: DeliveredFrame) => (frames.get(f.connectionId) ?? frames.set(f.connectionId, []).get(f.connectionId)!).push(f),
        close: (code: number, reason: string) => void closes.set(idOf(), { code, reason }),
      };
      let id = '';
      const idOf = () => id;
      const r = await host.connect(request({ method: 'GET', path: '/prod', rawQuery: query, headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])) }), sink, { label });
      id = r.connectionId ?? '';
      gateway.clock.advanceTo(r.trace.startedAt + r.trace.durationMs);
      return { id, statusCode: r.statusCode, body: r.body };
    },
    async send(id, data, frameSizes) {
      const t = await host.message(id, { data, binary: false, ...(frameSizes ? { frameSizes } : {}) });
      if (t) gateway.clock.advanceTo(t.startedAt + t.durationMs);
      return t;
    },
  };
}

const texts = (f: Fixture, id: string) => (f.frames.get(id) ?? []).map((x) => x.data);

const ECHO_EVENT = `exports.handler = async (event) => { console.log('EVENT ' + JSON.stringify(event)); return { statusCode: 200, body: JSON.stringify(event) }; };`;

describe('the WebSocket lifecycle', () => {
  it('passes CONNECT, MESSAGE and DISCONNECT events shaped as reference B5', async () => {
    const events: unknown[] = [];
    const f = fixture(
      {
        routes: {
          $connect: { integration: { integrationType: 'AWS_PROXY', function: 'echo' } },
          $disconnect: { integration: { integrationType: 'AWS_PROXY', function: 'echo' } },
          $default: { integration: { integrationType: 'AWS_PROXY', function: 'echo' }, routeResponses: { $default: {} } },
        },
      },
      { echo: ECHO_EVENT },
    );
    f.host.subscribe((t) => {
      for (const line of t.functionLogs ?? []) {
        const m = /EVENT (.*)$/.exec(line);
        if (m) events.push(JSON.parse(m[1]!));
      }
    });
    const { id } = await f.connect('token=abc&room=1&room=2', { 'User-Agent': 'wscat' });
    expect(id).toMatch(/^[A-Za-z0-9_-]{15}=$/);
    await f.send(id, 'hi');
    await f.host.clientClose(id, undefined);
    const [connect, message, disconnect] = events as Record<string, any>[];
    expect(Object.keys(connect!)).toEqual(['headers', 'multiValueHeaders', 'queryStringParameters', 'multiValueQueryStringParameters', 'requestContext', 'isBase64Encoded']);
    expect(connect!.queryStringParameters).toEqual({ token: 'abc', room: '2' });
    expect(connect!.multiValueQueryStringParameters).toEqual({ token: ['abc'], room: ['1', '2'] });
    expect(connect!.headers.Host).toMatch(/\.execute-api\.us-east-1\.amazonaws\.com$/);
    expect(connect!.requestContext).toMatchObject({ routeKey: '$connect', eventType: 'CONNECT', messageDirection: 'IN', stage: 'prod', connectionId: id, identity: { userAgent: 'wscat' } });
    expect(connect!.requestContext.requestTime).toMatch(/^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
    expect(Object.keys(message!)).toEqual(['requestContext', 'body', 'isBase64Encoded']);
    expect(message!.body).toBe('hi');
    expect(message!.requestContext).toMatchObject({ routeKey: '$default', eventType: 'MESSAGE', connectionId: id, connectedAt: connect!.requestContext.connectedAt });
    expect(message!.requestContext.messageId).toMatch(/=$/);
    expect(disconnect!.requestContext).toMatchObject({ routeKey: '$disconnect', eventType: 'DISCONNECT', disconnectStatusCode: 1005, disconnectReason: 'Client-side close frame status not set' });
    expect(disconnect!.headers).toEqual({ Host: connect!.headers.Host, 'x-api-key': '', 'X-Forwarded-For': '', 'x-restapi': '' });
    // The two-way $default route sent the function's body back.
    expect(JSON.parse(texts(f, id)[0]!).requestContext.eventType).toBe('MESSAGE');
  });

  it('refuses the handshake with the $connect integration’s non-2xx status; posting inside $connect is Gone', async () => {
    const f = fixture(
      { routes: { $connect: { integration: { integrationType: 'AWS_PROXY', function: 'gate' } } } },
      {
        gate: `exports.handler = async (event) => {
          const api = new ApiGatewayManagementApi({ endpoint: 'https://' + event.requestContext.domainName + '/' + event.requestContext.stage });
          let posted;
          try { await api.postToConnection({ ConnectionId: event.requestContext.connectionId, Data: 'welcome' }); posted = 'ok'; } catch (e) { posted = e.name + ' ' + e.statusCode; }
          console.log('posted: ' + posted);
          return { statusCode: event.queryStringParameters && event.queryStringParameters.ok ? 200 : 418 };
        };`,
      },
    );
    const refused = await f.connect();
    expect(refused).toMatchObject({ statusCode: 418, id: '' });
    expect(f.host.connections()).toHaveLength(0);
    const ok = await f.connect('ok=1');
    expect(ok.statusCode).toBe(101);
    expect(texts(f, ok.id)).toEqual([]);
    expect(f.host.connection(ok.id)?.state).toBe('open');
  });

  it('answers a message no route takes, without $default, with the Forbidden frame and keeps the connection', async () => {
    const f = fixture({ routes: { join: { integration: { integrationType: 'MOCK', requestTemplates: { $default: '{"statusCode":200}' } } } } });
    const { id } = await f.connect();
    const t = await f.send(id, '{"action":"leave"}');
    expect(t!.stoppedAt).toBe('routeSelection');
    expect(texts(f, id)).toEqual([`{"message": "Forbidden", "connectionId":"${id}", "requestId":"${t!.id}"}`]);
    expect(f.host.connection(id)?.state).toBe('open');
    // A one-way route answers nothing.
    await f.send(id, '{"action":"join"}');
    expect(texts(f, id)).toHaveLength(1);
    expect(f.gateway.metrics.total({ metricName: 'ClientError', dimensions: { ApiId: f.host.id } })).toBe(1);
    expect(f.gateway.metrics.total({ metricName: 'MessageCount', dimensions: { ApiId: f.host.id, Stage: 'prod' } })).toBe(3);
  });

  it('sends the Internal server error frame when the integration fails, even on a one-way route', async () => {
    const f = fixture({ routes: { $default: { integration: { integrationType: 'AWS_PROXY', function: 'boom' } } } }, { boom: `exports.handler = async () => { throw new Error('boom'); };` });
    const { id } = await f.connect();
    const t = await f.send(id, 'x');
    expect(texts(f, id)).toEqual([`{"message": "Internal server error", "connectionId":"${id}", "requestId":"${t!.id}"}`]);
    expect(f.gateway.metrics.total({ metricName: 'ExecutionError', dimensions: { ApiId: f.host.id } })).toBe(1);
  });

  it('closes with 1009 a message over 128 KB, or one carried in a frame over 32 KB; $disconnect follows', async () => {
    const f = fixture({ routes: { $default: { integration: { integrationType: 'MOCK', requestTemplates: { $default: '{"statusCode":200}' } } } } });
    const a = await f.connect();
    await f.send(a.id, 'x'.repeat(128 * 1024));
    expect(f.host.connection(a.id)?.state).toBe('open');
    const traces: string[] = [];
    f.host.subscribe((t) => traces.push(t.websocket!.eventType));
    await f.send(a.id, 'x'.repeat(128 * 1024 + 1));
    expect(f.closes.get(a.id)).toEqual({ code: 1009, reason: 'Message too big' });
    expect(traces).toEqual(['MESSAGE', 'DISCONNECT']);
    const b = await f.connect();
    await f.send(b.id, 'y'.repeat(40 * 1024), [32 * 1024, 8 * 1024]);
    expect(f.host.connection(b.id)?.state).toBe('open');
    await f.send(b.id, 'y'.repeat(40 * 1024), [40 * 1024]);
    expect(f.closes.get(b.id)?.code).toBe(1009);
  });

  it('closes idle connections after 10 minutes and any connection after 2 hours, with 1001', async () => {
    const f = fixture({ routes: { $default: { integration: { integrationType: 'MOCK', requestTemplates: { $default: '{"statusCode":200}' } } } } });
    const chatty = await f.connect();
    const quiet = await f.connect();
    const clock = f.gateway.clock as VirtualClock;
    for (let minute = 0; minute < 130; minute += 9) {
      clock.advance(9 * 60_000);
      await f.host.expire(clock.now());
      if (f.host.connection(chatty.id)?.state === 'open') await f.send(chatty.id, 'ping');
    }
    expect(f.closes.get(quiet.id)).toEqual({ code: 1001, reason: 'Going away' });
    expect(f.host.connection(quiet.id)?.closed?.at).toBe(f.host.connection(quiet.id)!.lastActiveAt + 10 * 60_000);
    const c = f.host.connection(chatty.id)!;
    expect(c.closed?.code).toBe(1001);
    expect(c.closed!.at - c.connectedAt).toBe(2 * 3_600_000);
  });
});

describe('route and integration responses', () => {
  it('selects non-proxy request templates and integration responses; only a route response answers', async () => {
    const f = fixture({
      routes: {
        price: {
          integration: {
            integrationType: 'MOCK',
            templateSelectionExpression: '${request.body.currency}',
            requestTemplates: { EUR: '{"statusCode": 200}', $default: '{"statusCode": 404}' },
            integrationResponses: {
              $default: { responseTemplates: { $default: '{"ok":$context.integrationStatus}' } },
              '/4\\d\\d/': { templateSelectionExpression: '${integration.response.statuscode}', responseTemplates: { '404': '{"missing":$context.integrationStatus}' } },
            },
          },
          routeResponses: { $default: {} },
        },
      },
    });
    const { id } = await f.connect();
    await f.send(id, '{"action":"price","currency":"EUR"}');
    await f.send(id, '{"action":"price","currency":"GBP"}');
    expect(texts(f, id)).toEqual(['{"ok":200}', '{"missing":404}']);
  });

  it('a DynamoDB AWS integration writes the table through its wire API', async () => {
    const f = fixture(
      {
        routes: {
          $connect: {
            integration: {
              integrationType: 'AWS',
              integrationUri: 'arn:aws:apigateway:us-east-1:dynamodb:action/PutItem',
              requestTemplates: { $default: '{"TableName":"connections","Item":{"connectionId":{"S":"$context.connectionId"}}}' },
            },
          },
        },
      },
      {},
      ['connections'],
    );
    const { id } = await f.connect();
    expect(f.gateway.tables.snapshot('connections')!.items).toEqual([{ connectionId: id }]);
  });
});

describe('HTTP integrations', () => {
  it('HTTP_PROXY passes the message through; HTTP maps it with a template and request parameters', async () => {
    const http = await import('node:http');
    const seen: { method: string; url: string; headers: Record<string, unknown>; body: string }[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        res.writeHead(req.url!.startsWith('/fail') ? 500 : 200, { 'content-type': 'application/json' }).end(JSON.stringify({ echoed: body }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const f = fixture({
        routes: {
          proxy: { integration: { integrationType: 'HTTP_PROXY', integrationUri: `${origin}/proxy` }, routeResponses: { $default: {} } },
          mapped: {
            integration: {
              integrationType: 'HTTP',
              integrationUri: `${origin}/mapped`,
              integrationMethod: 'PUT',
              requestParameters: { 'integration.request.header.x-connection': 'context.connectionId', 'integration.request.querystring.src': "'ws'" },
              requestTemplates: { $default: '{"text": $input.json(\'$.text\')}' },
              integrationResponses: { $default: { responseTemplates: { $default: 'ok $input.path(\'$.echoed\')' } } },
            },
            routeResponses: { $default: {} },
          },
          failing: { integration: { integrationType: 'HTTP', integrationUri: `${origin}/fail`, integrationResponses: { '/5\\d\\d/': { responseTemplates: { $default: 'backend said $context.integrationStatus' } } } }, routeResponses: { $default: {} } },
        },
      });
      const { id } = await f.connect();
      await f.send(id, '{"action":"proxy","n":1}');
      await f.send(id, '{"action":"mapped","text":"hi"}');
      await f.send(id, '{"action":"failing"}');
      expect(seen.map((r) => [r.method, r.url, r.body])).toEqual([
        ['POST', '/proxy', '{"action":"proxy","n":1}'],
        ['PUT', '/mapped?src=ws', '{"text": "hi"}'],
        ['POST', '/fail', '{"action":"failing"}'],
      ]);
      expect(seen[1]!.headers['x-connection']).toBe(id);
      expect(texts(f, id)).toEqual(['{"echoed":"{\\"action\\":\\"proxy\\",\\"n\\":1}"}', 'ok {"text": "hi"}', 'backend said 500']);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('AWS service integrations (shared with REST APIs)', () => {
  it('sends each message to an SQS queue with a request template, and the two-way route answers with SQS’s reply', async () => {
    const f = fixture({
      routes: {
        $default: {
          integration: {
            integrationType: 'AWS',
            integrationUri: 'arn:aws:apigateway:us-east-1:sqs:path/123456789012/messages',
            requestParameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" },
            requestTemplates: { $default: 'Action=SendMessage&MessageBody=$util.urlEncode($input.body)' },
            integrationResponses: { $default: { responseTemplates: { $default: '{"queued":"$input.path(\'$.SendMessageResponse.SendMessageResult.MessageId\')"}' } } },
          },
          routeResponses: { $default: {} },
        },
      },
    });
    f.gateway.queues.createQueue('messages');
    const { id } = await f.connect();
    await f.send(id, '{"order":42}');
    const queue = f.gateway.queues.find('messages')!;
    expect(queue.messages.map((m) => m.body)).toEqual(['{"order":42}']);
    expect(JSON.parse(texts(f, id)[0]!)).toEqual({ queued: queue.messages[0]!.messageId });
  });
});

describe('the @connections API', () => {
  const BROADCAST = `
    const ddb = new AWS.DynamoDB.DocumentClient();
    exports.handler = async (event) => {
      const { domainName, stage } = event.requestContext;
      const api = new AWS.ApiGatewayManagementApi({ endpoint: domainName + '/' + stage });
      const body = JSON.parse(event.body);
      const out = [];
      if (body.op === 'get') {
        const c = await api.getConnection({ ConnectionId: event.requestContext.connectionId }).promise();
        out.push(c.ConnectedAt instanceof Date, typeof c.Identity.SourceIp, c.LastActiveAt.toISOString());
      } else if (body.op === 'big') {
        try { await api.postToConnection({ ConnectionId: event.requestContext.connectionId, Data: 'x'.repeat(131073) }); } catch (e) { out.push(e.name, e.statusCode); }
      } else if (body.op === 'delete') {
        await api.deleteConnection({ ConnectionId: body.id });
      } else {
        const { Items } = await ddb.scan({ TableName: 'connections' }).promise();
        for (const { connectionId } of Items) {
          try { await api.postToConnection({ ConnectionId: connectionId, Data: body.text }).promise(); }
          catch (e) { out.push(e.name + ':' + e.statusCode); await ddb.delete({ TableName: 'connections', Key: { connectionId } }).promise(); }
        }
      }
      return { statusCode: 200, body: JSON.stringify(out) };
    };`;
  const STORE = `const ddb = new AWS.DynamoDB.DocumentClient(); exports.handler = async (e) => { await ddb.put({ TableName: 'connections', Item: { connectionId: e.requestContext.connectionId } }).promise(); return { statusCode: 200 }; };`;

  function chat() {
    return fixture(
      {
        routes: {
          $connect: { integration: { integrationType: 'AWS_PROXY', function: 'store' } },
          $default: { integration: { integrationType: 'AWS_PROXY', function: 'broadcast' }, routeResponses: { $default: {} } },
        },
      },
      { store: STORE, broadcast: BROADCAST },
      ['connections'],
    );
  }

  it('fans a broadcast out message by message, and a stale id answers 410 GoneException', async () => {
    const f = chat();
    const a = await f.connect();
    const b = await f.connect();
    await f.host.clientDrop(b.id, { deliverDisconnect: false });
    const t = await f.send(a.id, '{"text":"hello"}');
    expect(texts(f, a.id)).toEqual(['hello', '["GoneException:410"]']);
    const calls = t!.websocket!.serviceCalls!;
    expect(calls.filter((c) => c.service === 'execute-api').map((c) => [c.target === a.id ? 'a' : 'b', c.statusCode])).toEqual(
      expect.arrayContaining([
        ['a', 200],
        ['b', 410],
      ]),
    );
    expect(t!.websocket!.frames.map((x) => x.source)).toEqual(['postToConnection', 'routeResponse']);
    expect(f.gateway.tables.snapshot('connections')!.items).toEqual([{ connectionId: a.id }]);
  });

  it('GetConnection returns dates; over-size data is 413; DeleteConnection closes the connection and runs $disconnect', async () => {
    const f = chat();
    const a = await f.connect();
    const b = await f.connect();
    await f.send(a.id, '{"op":"get"}');
    const [isDate, ipType, lastActive] = JSON.parse(texts(f, a.id).at(-1)!) as [boolean, string, string];
    expect([isDate, ipType]).toEqual([true, 'string']);
    expect(Date.parse(lastActive)).toBeGreaterThan(0);
    await f.send(a.id, '{"op":"big"}');
    expect(JSON.parse(texts(f, a.id).at(-1)!)).toEqual(['PayloadTooLargeException', 413]);
    const kinds: string[] = [];
    f.host.subscribe((t) => kinds.push(t.websocket!.eventType));
    await f.send(a.id, JSON.stringify({ op: 'delete', id: b.id }));
    expect(f.closes.get(b.id)).toEqual({ code: 1000, reason: 'Connection Closed Normally' });
    expect(kinds).toEqual(['MESSAGE', 'DISCONNECT']);
  });

  it('answers over HTTP at /{stage}/@connections/{id}, with 403 when the stage is missing', async () => {
    const f = chat();
    const a = await f.connect();
    const post = await f.host.handleManagementRequest(request({ method: 'POST', path: `/prod/@connections/${encodeURIComponent(a.id)}`, body: 'pushed' }));
    expect(post.response.statusCode).toBe(200);
    expect(texts(f, a.id)).toEqual(['pushed']);
    const get = await f.host.handleManagementRequest(request({ method: 'GET', path: `/prod/%40connections/${encodeURIComponent(a.id)}` }));
    expect(Object.keys(JSON.parse(get.response.body))).toEqual(['connectedAt', 'identity', 'lastActiveAt']);
    const noStage = await f.host.handleManagementRequest(request({ method: 'POST', path: `/@connections/${a.id}`, body: 'x' }));
    expect(noStage.response.statusCode).toBe(403);
    const del = await f.host.handleManagementRequest(request({ method: 'DELETE', path: `/prod/@connections/${a.id}` }));
    expect(del.response.statusCode).toBe(204);
    const gone = await f.host.handleManagementRequest(request({ method: 'POST', path: `/prod/@connections/${a.id}`, body: 'x' }));
    expect(gone.response).toMatchObject({ statusCode: 410, body: '' });
    expect(gone.response.headers['x-amzn-ErrorType']).toEqual(['GoneException']);
  });

  it('parses the endpoints SDKs are given', () => {
    expect(parseManagementEndpoint('https://abc123.execute-api.eu-west-1.amazonaws.com/prod')).toEqual({ apiId: 'abc123', region: 'eu-west-1', stage: 'prod' });
    expect(parseManagementEndpoint('abc123.execute-api.eu-west-1.amazonaws.com/prod')).toMatchObject({ stage: 'prod' });
    expect(parseManagementEndpoint('https://abc123.execute-api.eu-west-1.amazonaws.com')).toEqual({ apiId: 'abc123', region: 'eu-west-1' });
    expect(parseManagementEndpoint('https://chat.example.com/prod')).toBeUndefined();
  });
});

describe('the $connect authorizer', () => {
  const AUTH = `exports.handler = async (e) => {
    if (e.queryStringParameters.token === 'bad') throw new Error('Unauthorized');
    return { principalId: 'u1', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: e.queryStringParameters.token === 'ok' ? 'Allow' : 'Deny', Resource: e.methodArn }] }, context: { n: 1 } };
  };`;
  it('401 without the identity source, 401 on "Unauthorized", 403 on deny; never cached; context stringified', async () => {
    const f = fixture(
      {
        authorizers: { auth: { authorizerType: 'REQUEST', function: 'auth', identitySource: 'route.request.querystring.token' } },
        routes: { $connect: { authorizationType: 'CUSTOM', authorizerId: 'auth' }, $default: { integration: { integrationType: 'AWS_PROXY', function: 'who' }, routeResponses: { $default: {} } } },
      },
      { auth: AUTH, who: `exports.handler = async (e) => ({ statusCode: 200, body: JSON.stringify(e.requestContext.authorizer) });` },
    );
    expect((await f.connect()).statusCode).toBe(401);
    expect((await f.connect('token=bad')).statusCode).toBe(401);
    expect((await f.connect('token=nope')).statusCode).toBe(403);
    const ok = await f.connect('token=ok');
    expect(ok.statusCode).toBe(101);
    await f.send(ok.id, 'who');
    expect(JSON.parse(texts(f, ok.id)[0]!)).toEqual({ principalId: 'u1', n: '1' });
    // The same token again: the authorizer runs again (no result cache for WebSocket APIs).
    let invoked = 0;
    f.host.subscribe((t) => (invoked += t.steps.some((s) => s.step === 'authorizer' && s.detail?.lambdaRequestId) ? 1 : 0));
    await f.connect('token=ok');
    await f.connect('token=ok');
    expect(invoked).toBe(2);
  });
});

describe('WebSocket API definitions', () => {
  const build = (def: WebSocketApiDefinition) => webSocketApiFromDefinition(def, { id: 'x', ids: new IdGenerator(new SeededRandom('d')), region: 'us-east-1', accountId: '123456789012' });
  it('refuses what AWS refuses, with the path of each problem', () => {
    try {
      build({
        routeSelectionExpression: '$request.header.x',
        routes: {
          $custom: {},
          send: { authorizationType: 'CUSTOM', authorizer: 'a', apiKeyRequired: true },
          $disconnect: { routeResponses: { $default: {} } },
          two: { routeResponses: { other: {} } as never, integration: { integrationType: 'AWS_PROXY', function: 'f', requestTemplates: { $default: '{}' } } },
        },
      });
      throw new Error('accepted');
    } catch (err) {
      expect(err).toBeInstanceOf(DefinitionError);
      const paths = (err as DefinitionError).issues.map((i) => i.path.join('.'));
      expect(paths).toEqual(
        expect.arrayContaining([
          'routeSelectionExpression',
          'routes.$custom',
          'routes.send.authorizationType',
          'routes.send.apiKeyRequired',
          'routes.$disconnect.routeResponses',
          'routes.two.routeResponses.other',
          'routes.two.integration.requestTemplates',
        ]),
      );
    }
  });
});

describe('subprotocols (Sec-WebSocket-Protocol)', () => {
  const SUBPROTOCOL = `exports.handler = async (event) => {
    const asked = (event.headers['Sec-WebSocket-Protocol'] || '').split(',').map((s) => s.trim());
    if (asked.includes('myprotocol')) return { statusCode: 200, headers: { 'Sec-WebSocket-Protocol': 'myprotocol' } };
    if (asked.includes('lenient')) return { statusCode: 200 };
    return { statusCode: 400 };
  };`;
  const scenario = `id: ws-subprotocol
title: t
gateway: WEBSOCKET
api:
  routes:
    $connect: { integration: { integrationType: AWS_PROXY, function: connect } }
functions:
  connect:
    code: ${JSON.stringify(SUBPROTOCOL)}
steps:
  - connect: { client: a, headers: { Sec-WebSocket-Protocol: "chat1, myprotocol" } }
    expect: { status: 101, headers: { Sec-WebSocket-Protocol: myprotocol }, closed: { a: null } }
  - connect: { client: b, headers: { Sec-WebSocket-Protocol: chat1 } }
    expect: { status: 400 }
  - say: The integration accepts but names no subprotocol; the client fails the connection itself.
    connect: { client: c, headers: { Sec-WebSocket-Protocol: lenient } }
    expect: { status: 101, closed: { c: 1006 } }
`;
  it('the $connect integration chooses the subprotocol; a 101 without the one asked for fails on the client', async () => {
    const { loadScenarioText } = await import('../../engine/scenario/loader');
    const { ScenarioSession } = await import('../../engine/scenario/session');
    const loaded = loadScenarioText(scenario, 'subprotocol.yaml');
    if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('; '));
    const session = await ScenarioSession.open(loaded.scenario);
    try {
      const outcomes = await session.runAll();
      expect(outcomes.map((o) => o.checks.filter((c) => !c.passed))).toEqual([[], [], []]);
      expect(outcomes[2]!.allTraces!.map((t) => t.websocket!.eventType)).toEqual(['CONNECT', 'DISCONNECT']);
    } finally {
      await session.close();
    }
  });
});

describe('determinism', () => {
  it('the chat room gives byte-identical traces (frames, service calls, services state) run after run', async () => {
    const path = await import('node:path');
    const { loadScenarioFile } = await import('../../engine/scenario/loader');
    const { ScenarioSession } = await import('../../engine/scenario/session');
    const run = async () => {
      const loaded = loadScenarioFile(path.resolve(import.meta.dirname, '../../scenarios/websocket/chat-room.yaml'));
      if (!loaded.ok) throw new Error('invalid');
      const session = await ScenarioSession.open(loaded.scenario);
      try {
        return JSON.stringify((await session.runAll()).map((o) => o.allTraces ?? o.traces));
      } finally {
        await session.close();
      }
    };
    const a = await run();
    expect(a).toContain('PostToConnection');
    expect(await run()).toBe(a);
  });
});

describe('SDK v3 in handler code', () => {
  it('import and require reach the bundled @aws-sdk packages: the v3 chat broadcast runs as written', async () => {
    const ESM = `import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const handler = async (event) => {
  const { connectionId, domainName, stage, eventType } = event.requestContext;
  if (eventType === 'CONNECT') { await ddb.send(new PutCommand({ TableName: 'connections', Item: { connectionId } })); return { statusCode: 200 }; }
  const client = new ApiGatewayManagementApiClient({ endpoint: 'https://' + domainName + '/' + stage });
  const { Items } = await ddb.send(new ScanCommand({ TableName: 'connections' }));
  const failed = [];
  await Promise.all(Items.map(async ({ connectionId: id }) => {
    try { await client.send(new PostToConnectionCommand({ ConnectionId: id, Data: JSON.parse(event.body).message })); }
    catch (e) { failed.push(e.name + ' ' + e.$metadata.httpStatusCode); }
  }));
  return { statusCode: 200, body: failed.join(',') };
};`;
    const CJS = `const { DynamoDBClient, GetItemCommand } = require('@aws-sdk/client-dynamodb');
let missing; try { require('aws-sdk'); } catch (e) { missing = e.code + ': ' + e.message; }
const db = new DynamoDBClient({});
exports.handler = async (event) => {
  const r = await db.send(new GetItemCommand({ TableName: 'connections', Key: { connectionId: { S: event.requestContext.connectionId } } }));
  return { statusCode: 200, body: JSON.stringify({ item: r.Item, missing }) };
};`;
    const f = fixture(
      {
        routes: {
          $connect: { integration: { integrationType: 'AWS_PROXY', function: 'esm' } },
          sendmessage: { integration: { integrationType: 'AWS_PROXY', function: 'esm' }, routeResponses: { $default: {} } },
          $default: { integration: { integrationType: 'AWS_PROXY', function: 'cjs' }, routeResponses: { $default: {} } },
        },
      },
      {},
      ['connections'],
    );
    f.gateway.lambda.register(fn('esm', ESM, { filename: 'index.mjs' }));
    f.gateway.lambda.register(fn('cjs', CJS));
    const a = await f.connect();
    const b = await f.connect();
    await f.host.clientDrop(b.id, { deliverDisconnect: false });
    await f.send(a.id, '{"action":"sendmessage","message":"hi"}');
    expect(texts(f, a.id)).toEqual(['hi', 'GoneException 410']);
    await f.send(a.id, 'who am i');
    expect(JSON.parse(texts(f, a.id).at(-1)!)).toEqual({ item: { connectionId: { S: a.id } }, missing: "MODULE_NOT_FOUND: Cannot find module 'aws-sdk'" });
  });
});
