import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpApiDefinition } from '../../engine/http/definition';
import { startBackends, type RunningBackends } from '../../engine/scenario/backends';
import { fn } from '../helpers';
import { type HttpFixture, httpFixture } from '../http-helpers';

const echoEvent = fn('echoEvent', `exports.handler = async (event) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });`);
const json = (t: { response: { body: string } }) => JSON.parse(t.response.body) as Record<string, any>;

describe('payload 2.0 event', () => {
  let f: HttpFixture;
  beforeAll(async () => {
    f = await httpFixture(
      {
        integrations: { e: { integrationType: 'AWS_PROXY', function: 'echoEvent' } },
        routes: { 'POST /my/{parameter1}': { target: 'e' }, 'GET /empty': { target: 'e' } },
        stages: { prod: { autoDeploy: true, stageVariables: { stageVariable1: 'value1' } } },
      },
      { functions: [echoEvent] },
    );
  });
  afterAll(() => f.close());

  it('matches AWS reference A5: lowercased, comma-joined headers, cookies, rawPath with the stage, key order', async () => {
    const t = await f.send('POST', '/prod/my/path?parameter1=value1&parameter1=value2&parameter2=value', {
      headers: { Header1: 'value1', Header2: ['value1', 'value2'], Cookie: 'cookie1; cookie2', 'Content-Type': 'text/plain', 'User-Agent': 'agent' },
      body: 'Hello from Lambda',
    });
    const e = json(t);
    expect(Object.keys(e)).toEqual(['version', 'routeKey', 'rawPath', 'rawQueryString', 'cookies', 'headers', 'queryStringParameters', 'requestContext', 'body', 'pathParameters', 'isBase64Encoded', 'stageVariables']);
    expect(e).toMatchObject({
      version: '2.0',
      routeKey: 'POST /my/{parameter1}',
      rawPath: '/prod/my/path',
      rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value',
      cookies: ['cookie1', 'cookie2'],
      queryStringParameters: { parameter1: 'value1,value2', parameter2: 'value' },
      body: 'Hello from Lambda',
      pathParameters: { parameter1: 'path' },
      isBase64Encoded: false,
      stageVariables: { stageVariable1: 'value1' },
    });
    expect(e.headers).toMatchObject({ header1: 'value1', header2: 'value1,value2', 'content-type': 'text/plain', 'user-agent': 'agent', 'x-forwarded-proto': 'https' });
    expect(Object.keys(e.headers).every((k: string) => k === k.toLowerCase())).toBe(true);
    expect(e.headers.cookie).toBeUndefined();
    expect(Object.keys(e.requestContext)).toEqual(['accountId', 'apiId', 'domainName', 'domainPrefix', 'http', 'requestId', 'routeKey', 'stage', 'time', 'timeEpoch']);
    expect(e.requestContext).toMatchObject({
      accountId: '123456789012',
      domainName: `${f.api.id}.execute-api.us-east-1.amazonaws.com`,
      domainPrefix: f.api.id,
      http: { method: 'POST', path: '/prod/my/path', protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: 'agent' },
      requestId: t.id,
      routeKey: 'POST /my/{parameter1}',
      stage: 'prod',
      time: '15/Jan/2026:09:00:00 +0000',
    });
  });

  it('omits empty fields, and base64-encodes a non-text body', async () => {
    const empty = json(await f.send('GET', '/prod/empty'));
    for (const k of ['cookies', 'queryStringParameters', 'body', 'pathParameters']) expect(empty).not.toHaveProperty(k);
    const form = json(await f.send('POST', '/prod/my/x', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1&b=2' }));
    expect(form).toMatchObject({ body: Buffer.from('a=1&b=2').toString('base64'), isBase64Encoded: true });
  });
});

describe('Lambda results and integration errors', () => {
  let f: HttpFixture;
  const ret = (name: string, value: string, extra = {}) => fn(name, `exports.handler = async () => (${value});`, extra);
  beforeAll(async () => {
    f = await httpFixture(
      {
        integrations: {
          cookies: { integrationType: 'AWS_PROXY', function: 'cookies' },
          str: { integrationType: 'AWS_PROXY', function: 'str' },
          badStatus: { integrationType: 'AWS_PROXY', function: 'badStatus' },
          noType: { integrationType: 'AWS_PROXY', function: 'noType' },
          objBody: { integrationType: 'AWS_PROXY', function: 'objBody' },
          v1NoStatus: { integrationType: 'AWS_PROXY', function: 'str', payloadFormatVersion: '1.0' },
          crash: { integrationType: 'AWS_PROXY', function: 'crash' },
          slow: { integrationType: 'AWS_PROXY', function: 'slow' },
          quick: { integrationType: 'AWS_PROXY', function: 'medium', timeoutInMillis: 1000 },
          missing: { integrationType: 'AWS_PROXY', function: 'nowhere' },
        },
        routes: Object.fromEntries(['cookies', 'str', 'badStatus', 'noType', 'objBody', 'v1NoStatus', 'crash', 'slow', 'quick', 'missing'].map((n) => [`GET /${n}`, { target: n }])),
      },
      {
        functions: [
          ret('cookies', `{ statusCode: 201, cookies: ['a=1; Path=/', 'b=2'], headers: { 'Content-Type': 'application/json' }, body: '{}' }`),
          ret('str', `'Hello from Lambda!'`),
          ret('badStatus', `{ statusCode: 'abc', body: 'x' }`),
          ret('noType', `{ statusCode: 200, body: 'plain' }`),
          ret('objBody', `{ statusCode: 200, body: { a: 1 } }`),
          fn('crash', `exports.handler = async () => { throw new Error('boom'); };`),
          ret('slow', `{ statusCode: 200 }`, { latencyMs: 35_000, timeoutSeconds: 60 }),
          ret('medium', `{ statusCode: 200 }`, { latencyMs: 1500 }),
        ],
      },
    );
  });
  afterAll(() => f.close());

  it('turns cookies into separate set-cookie headers and lowercases header names', async () => {
    const t = await f.send('GET', '/cookies');
    expect(t.response.statusCode).toBe(201);
    expect(t.response.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2']);
    expect(t.response.headers['content-type']).toEqual(['application/json']);
  });

  it('infers 200 application/json for a result without statusCode; a returned string is the body as is', async () => {
    const t = await f.send('GET', '/str');
    expect(t.response).toMatchObject({ statusCode: 200, body: 'Hello from Lambda!' });
    expect(t.response.headers['content-type']).toEqual(['application/json']);
  });

  it('answers 500 Internal Server Error for a malformed result, and fills the integration error', async () => {
    for (const path of ['/badStatus', '/objBody', '/v1NoStatus']) {
      const t = await f.send('GET', path);
      expect(t.response.statusCode).toBe(500);
      expect(t.response.body).toBe('{"message":"Internal Server Error"}');
      expect(t.stoppedAt).toBe('integrationResponse');
    }
  });

  it('labels a body without Content-Type text/plain', async () => {
    expect((await f.send('GET', '/noType')).response.headers['content-type']).toEqual(['text/plain; charset=utf-8']);
  });

  it('answers 500 for a function error and a missing function', async () => {
    const t = await f.send('GET', '/crash');
    expect(t.response).toMatchObject({ statusCode: 500, body: '{"message":"Internal Server Error"}' });
    expect(t.accessLog).toContain('"status":"500"');
    expect((await f.send('GET', '/missing')).response.statusCode).toBe(500);
  });

  it('answers 503 Service Unavailable after 30 s, or timeoutInMillis', async () => {
    const slow = await f.send('GET', '/slow');
    expect(slow.response).toMatchObject({ statusCode: 503, body: '{"message":"Service Unavailable"}' });
    expect(slow.durationMs).toBeGreaterThanOrEqual(30_000);
    expect(slow.durationMs).toBeLessThan(30_100);
    const quick = await f.send('GET', '/quick');
    expect(quick.response.statusCode).toBe(503);
  });

  it('sends apigw-requestid on every response, and HTTP traces say they are simulator output', async () => {
    for (const path of ['/cookies', '/crash', '/nope']) {
      const t = await f.send('GET', path);
      expect(t.response.headers['apigw-requestid']).toEqual([t.id]);
      expect(t.executionLog[0]).toBe('Simulator trace (HTTP APIs have no execution logs in AWS)');
      expect(t.executionLog.at(-1)).toMatch(/^Access log: \{ "requestId":"/);
    }
    const notFound = await f.send('GET', '/nope');
    expect(notFound.response).toMatchObject({ statusCode: 404, body: '{"message":"Not Found"}' });
  });
});

describe('throttling', () => {
  it('takes from the account, stage and route buckets and answers 429', async () => {
    const f = await httpFixture(
      {
        integrations: { s: { integrationType: 'AWS_PROXY', function: 's' } },
        routes: { 'GET /a': { target: 's' }, 'GET /b': { target: 's' } },
        stages: { $default: { autoDeploy: true, defaultRouteSettings: { throttlingBurstLimit: 3, throttlingRateLimit: 1 }, routeSettings: { 'GET /b': { throttlingBurstLimit: 1, throttlingRateLimit: 1 } } } },
      },
      { functions: [fn('s', `exports.handler = async () => ({ statusCode: 200 })`, { latencyMs: 0 })] },
    );
    try {
      const at = f.gateway.clock.now();
      const send = (path: string) => f.api.handle({ method: 'GET', path, rawQuery: '', headers: {}, body: null, isBase64Encoded: false, sourceIp: '1.2.3.4' }, { at });
      expect((await send('/b')).response.statusCode).toBe(200);
      const second = await send('/b');
      expect(second.response).toMatchObject({ statusCode: 429, body: '{"message":"Too Many Requests"}' });
      expect(second.response.headers['apigw-requestid']).toBeDefined();
      const buckets = second.steps.find((s) => s.step === 'throttle')!.detail!.buckets as Record<string, unknown>[];
      expect(buckets.map((b) => b.level)).toEqual(['account', 'stage', 'route']);
      expect(buckets[2]).toMatchObject({ tokensBefore: 0, allowed: false, burst: 1 });
      expect((await send('/a')).response.statusCode).toBe(200); // stage bucket: third token
      expect((await send('/a')).response.statusCode).toBe(429); // stage bucket empty
      f.gateway.clock.advance(1000);
      expect((await f.send('GET', '/a')).response.statusCode).toBe(200); // refilled one token
    } finally {
      await f.close();
    }
  });
});

describe('Lambda authorizers', () => {
  let f: HttpFixture;
  const policy = fn(
    'policy',
    `exports.handler = async (event) => {
      const t = event.authorizationToken || event.identitySource;
      if (t === 'nested') return { principalId: 'u', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }] }, context: { user: { id: 1 } } };
      if (t === 'other') return { principalId: 'u', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: 'arn:aws:execute-api:us-east-1:123456789012:x/$default/GET/other' }] } };
      return { principalId: 'user-' + t, policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: t === 'deny' ? 'Deny' : 'Allow', Resource: event.methodArn }] }, context: { role: 'admin', n: 5 } };
    };`,
  );
  const simple = fn('simple', `exports.handler = async (event) => ({ isAuthorized: event.identitySource[0] === 'ok', context: { event: { version: event.version, type: event.type, routeArn: event.routeArn, identitySource: event.identitySource } } });`);
  beforeAll(async () => {
    f = await httpFixture(
      {
        authorizers: {
          v1: { authorizerType: 'REQUEST', function: 'policy', authorizerPayloadFormatVersion: '1.0', identitySource: ['$request.header.auth'], authorizerResultTtlInSeconds: 0 },
          v2: { authorizerType: 'REQUEST', function: 'simple', authorizerPayloadFormatVersion: '2.0', enableSimpleResponses: true, identitySource: ['$request.querystring.token'] },
        },
        integrations: {
          e1: { integrationType: 'AWS_PROXY', function: 'echoEvent', payloadFormatVersion: '1.0' },
          e2: { integrationType: 'AWS_PROXY', function: 'echoEvent' },
        },
        routes: {
          'GET /v1': { target: 'e1', authorizationType: 'CUSTOM', authorizerId: 'v1' },
          'GET /v2': { target: 'e2', authorizationType: 'CUSTOM', authorizerId: 'v2' },
        },
      },
      { functions: [policy, simple, echoEvent] },
    );
  });
  afterAll(() => f.close());
  const v1 = (auth?: string) => f.send('GET', '/v1', auth ? { headers: { auth } } : {});

  it('payload 1.0: evaluates the IAM policy against the route ARN; context reaches requestContext.authorizer as strings', async () => {
    const t = await v1('alice');
    expect(t.response.statusCode).toBe(200);
    expect(json(t).requestContext.authorizer).toEqual({ role: 'admin', n: '5', principalId: 'user-alice', integrationLatency: expect.any(Number) });
    const event = t.steps.find((s) => s.step === 'authorizer')!.detail!.event as Record<string, unknown>;
    expect(event).toMatchObject({ version: '1.0', type: 'REQUEST', methodArn: `arn:aws:execute-api:us-east-1:123456789012:${f.api.id}/$default/GET/v1`, identitySource: 'alice', authorizationToken: 'alice' });
  });

  it('explicit and implicit denies are 403; a nested 1.0 context is 500', async () => {
    expect((await v1('deny')).response).toMatchObject({ statusCode: 403, body: '{"message":"Forbidden"}' });
    expect((await v1('other')).response.statusCode).toBe(403);
    expect((await v1('nested')).response).toMatchObject({ statusCode: 500, body: '{"message":"Internal Server Error"}' });
  });

  it('a missing identity source is 401 without invoking the authorizer', async () => {
    const t = await v1();
    expect(t.response).toMatchObject({ statusCode: 401, body: '{"message":"Unauthorized"}' });
    expect(t.steps.find((s) => s.step === 'authorizer')!.detail).toMatchObject({ missing: ['$request.header.auth'] });
    expect(t.functionLogs).toBeUndefined();
  });

  it('payload 2.0 simple responses: identitySource is a list, the context arrives under authorizer.lambda', async () => {
    const t = await f.send('GET', '/v2?token=ok');
    expect(t.response.statusCode).toBe(200);
    expect(json(t).requestContext.authorizer.lambda.event).toEqual({
      version: '2.0',
      type: 'REQUEST',
      routeArn: `arn:aws:execute-api:us-east-1:123456789012:${f.api.id}/$default/GET/v2`,
      identitySource: ['ok'],
    });
    expect((await f.send('GET', '/v2?token=no')).response.statusCode).toBe(403);
  });

  it('caches by identity values (default TTL 300 s)', async () => {
    const first = await f.send('GET', '/v2?token=ok');
    expect(first.steps.find((s) => s.step === 'authorizer')!.detail).toMatchObject({ fromCache: true, cacheKey: 'ok' });
  });
});

describe('HTTP proxy integration', () => {
  let f: HttpFixture;
  let backends: RunningBackends;
  beforeAll(async () => {
    f = await httpFixture({
      integrations: {
        echo: { integrationType: 'HTTP_PROXY', integrationUri: 'https://svc.example.com/base/{proxy}' },
        slow: { integrationType: 'HTTP_PROXY', integrationUri: 'https://slow.example.com/', timeoutInMillis: 1000 },
      },
      routes: { 'ANY /api/{proxy+}': { target: 'echo' }, 'GET /slow': { target: 'slow' } },
    });
    backends = await startBackends(
      {
        svc: { name: 'svc', url: 'https://svc.example.com', latencyMs: 10, echo: true, routes: [{ path: '/base/cors', headers: { 'Access-Control-Allow-Origin': '*' }, body: 'ok' }] },
        slow: { name: 'slow', url: 'https://slow.example.com', latencyMs: 2000, echo: true, routes: [] },
      },
      f.gateway,
    );
  });
  afterAll(async () => {
    await backends.close();
    await f.close();
  });

  it('forwards method, path, query and body, and passes the response through', async () => {
    const t = await f.send('PUT', '/api/items/9?x=1', { body: { a: 1 } });
    expect(t.response.statusCode).toBe(200);
    expect(json(t)).toMatchObject({ method: 'PUT', url: 'https://svc.example.com/base/items/9?x=1', json: { a: 1 } });
    expect(json(t).headers.forwarded).toMatch(/^for=203\.0\.113\.10;host=.*;proto=https$/);
  });

  it('answers 503 when the backend is slower than timeoutInMillis', async () => {
    const t = await f.send('GET', '/slow');
    expect(t.response).toMatchObject({ statusCode: 503, body: '{"message":"Service Unavailable"}' });
    expect(t.durationMs).toBeLessThan(1100);
  });

  it('keeps backend CORS headers when the API has no CORS configuration', async () => {
    const t = await f.send('GET', '/api/cors', { headers: { Origin: 'https://a.example' } });
    expect(t.response.headers['access-control-allow-origin']).toEqual(['*']);
  });
});

describe('deployments', () => {
  it('a stage without auto-deploy serves its last deployment until deploy()', async () => {
    const def: HttpApiDefinition = {
      integrations: { e: { integrationType: 'AWS_PROXY', function: 'echoEvent' } },
      routes: { 'GET /a': { target: 'e' } },
      stages: { prod: { autoDeploy: false } },
    };
    const f = await httpFixture(def, { functions: [echoEvent] });
    try {
      const { httpApiFromDefinition } = await import('../../engine/http/definition');
      const next = httpApiFromDefinition({ ...def, routes: { ...def.routes, 'GET /b': { target: 'e' } } }, { id: f.api.id, ids: f.gateway.ids, region: 'us-east-1', accountId: '123456789012', previous: f.api.draft });
      expect(f.api.setDraft(next)).toEqual([]);
      expect((await f.send('GET', '/prod/b')).response.statusCode).toBe(404);
      f.api.deploy('prod');
      expect((await f.send('GET', '/prod/b')).response.statusCode).toBe(200);
      expect((await f.send('GET', '/b')).response.statusCode).toBe(404); // no $default stage
    } finally {
      await f.close();
    }
  });
});
