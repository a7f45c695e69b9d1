/**
 * Non-proxy integrations: passthrough behaviour and 415, parameter mappings from every source,
 * the integration timeout, response overrides, selection failures, and what an HTTP backend
 * receives (API Gateway's own headers, not the client's).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RestFixture, fn, json, restFixture } from '../helpers';
import { EchoBackends, ORIGINS } from '../conformance/rest-fixtures';

const ok = { '200': { responseTemplates: { 'application/json': '$input.body' } } };

describe('passthrough behaviour (reference §1.7 table)', () => {
  let f: RestFixture;
  const mock = (passthroughBehavior: 'WHEN_NO_MATCH' | 'WHEN_NO_TEMPLATES' | 'NEVER', templates: boolean) => ({
    POST: {
      integration: {
        type: 'MOCK' as const,
        passthroughBehavior,
        ...(templates ? { requestTemplates: { 'application/json': '{"statusCode": 200}' } } : {}),
        integrationResponses: { '200': { responseTemplates: { 'application/json': '{"ok": true}' } } },
      },
    },
  });
  beforeAll(async () => {
    f = await restFixture({
      resources: {
        '/match/t': mock('WHEN_NO_MATCH', true),
        '/templates/t': mock('WHEN_NO_TEMPLATES', true),
        '/templates/none': mock('WHEN_NO_TEMPLATES', false),
        '/never/t': mock('NEVER', true),
        '/never/none': mock('NEVER', false),
      },
    });
  });
  afterAll(() => f.close());

  const post = (path: string, contentType: string) => f.send('POST', path, { headers: { 'Content-Type': contentType }, body: 'x' });

  it.each([
    ['/prod/match/t', 'text/plain', 200],
    ['/prod/templates/t', 'text/plain', 415],
    ['/prod/templates/none', 'text/plain', 200],
    ['/prod/never/t', 'text/plain', 415],
    ['/prod/never/none', 'text/plain', 415],
    ['/prod/never/t', 'application/json; charset=UTF-8', 200],
  ])('%s with %s → %i', async (path, ct, status) => {
    const t = await post(path, ct);
    expect(t.response.statusCode).toBe(status);
    if (status === 415) {
      expect(json(t)).toEqual({ message: 'Unsupported Media Type' });
      expect(t.stoppedAt).toBe('integrationRequest');
    }
  });

  it('a request without Content-Type counts as application/json', async () => {
    const t = await f.send('POST', '/prod/never/t', { body: 'x' });
    expect(t.response.statusCode).toBe(200);
  });
});

describe('HTTP integrations: mappings, headers, timeouts', () => {
  let f: RestFixture;
  const echo = new EchoBackends();
  beforeAll(async () => {
    await echo.start();
    f = await restFixture(
      {
        resources: {
          '/map/{id}': {
            POST: {
              integration: {
                type: 'HTTP',
                httpMethod: 'POST',
                uri: `${ORIGINS.httpbin}/anything/{id}`,
                requestParameters: {
                  'integration.request.path.id': 'method.request.path.id',
                  'integration.request.header.X-From-Query': 'method.request.querystring.q',
                  'integration.request.header.X-Literal': "'fixed'",
                  'integration.request.header.X-Stage': 'context.stage',
                  'integration.request.header.X-Env': 'stageVariables.env',
                  'integration.request.header.X-Name': 'method.request.body.pet.name',
                  'integration.request.querystring.missing': 'method.request.header.Not-Sent',
                },
                integrationResponses: ok,
              },
            },
          },
          '/proxy': {
            GET: {
              integration: {
                type: 'HTTP_PROXY',
                httpMethod: 'GET',
                uri: `${ORIGINS.httpbin}/get?from=uri`,
                requestParameters: { 'integration.request.querystring.from': "'mapping'", 'integration.request.header.X-Extra': "'yes'" },
              },
            },
          },
          '/slow': { GET: { integration: { type: 'HTTP', httpMethod: 'GET', uri: `${ORIGINS.status}/status/200`, timeoutInMillis: 50, integrationResponses: ok } } },
          '/lambda-slow': { GET: { integration: { type: 'AWS', function: 'slow', timeoutInMillis: 1000, requestTemplates: { 'application/json': '{}' } } } },
        },
      },
      { variables: { env: 'test' }, functions: [fn('slow', 'exports.handler = async () => "late"', { latencyMs: 5000, timeoutSeconds: 10 })] },
    );
    f.gateway.http.mapOrigin(ORIGINS.httpbin, { host: '127.0.0.1', port: echo.port, latencyMs: 10 });
    f.gateway.http.mapOrigin(ORIGINS.status, { host: '127.0.0.1', port: echo.port, latencyMs: 200 });
  });
  afterAll(async () => {
    await f.close();
    await echo.close();
  });

  it('maps path, query, literal, context, stage variable and body JSONPath sources; client headers stay behind', async () => {
    const t = await f.send('POST', '/prod/map/7?q=hello', { headers: { 'X-Secret': 'client-only' }, body: { pet: { name: 'Rex' } } });
    expect(t.response.statusCode).toBe(200);
    const seen = echo.lastHit()!;
    expect(new URL(seen.url).pathname).toBe('/anything/7');
    expect(new URL(seen.url).search).toBe('');
    expect(seen.headers).toMatchObject({ 'X-From-Query': 'hello', 'X-Literal': 'fixed', 'X-Stage': 'prod', 'X-Env': 'test', 'X-Name': 'Rex' });
    expect(seen.headers['X-Secret']).toBeUndefined();
    expect(seen.headers).toMatchObject({ Accept: 'application/json', 'User-Agent': `AmazonAPIGateway_${f.api.id}`, 'X-Amzn-Apigateway-Api-Id': f.api.id });
    expect(seen.body.toString()).toBe('{"pet":{"name":"Rex"}}');
  });

  it('HTTP_PROXY forwards the client headers, appends mapped query values after the URI and client ones', async () => {
    const t = await f.send('GET', '/prod/proxy?from=client', { headers: { 'X-Client': 'c', Connection: 'close' } });
    expect(t.response.statusCode).toBe(200);
    const seen = echo.lastHit()!;
    expect(new URL(seen.url).searchParams.getAll('from')).toEqual(['uri', 'client', 'mapping']);
    expect(seen.headers).toMatchObject({ 'X-Client': 'c', 'X-Extra': 'yes' });
    // The backend's hop-by-hop and framing headers come back renamed.
    expect(Object.keys(t.response.headers)).toEqual(expect.arrayContaining(['x-amzn-Remapped-Server', 'x-amzn-Remapped-Content-Length', 'x-amzn-Remapped-Date']));
    expect(t.response.headers['Connection']).toEqual(['close']);
  });

  it('answers 504 when the backend is slower than timeoutInMillis', async () => {
    const t = await f.send('GET', '/prod/slow');
    expect(t.response.statusCode).toBe(504);
    expect(t.response.body).toBe('{"message": "Endpoint request timed out"}');
    expect(t.executionLog.join('\n')).toContain('Execution failed due to a timeout error');
  });

  it('a Lambda that outlives the integration timeout: 504 while the function keeps running', async () => {
    const t = await f.send('GET', '/prod/lambda-slow');
    expect(t.response.statusCode).toBe(504);
    expect(t.steps.find((s) => s.step === 'integration')?.detail).toMatchObject({ timeoutMs: 1000 });
  });
});

describe('integration responses', () => {
  let f: RestFixture;
  beforeAll(async () => {
    f = await restFixture({
      resources: {
        '/override': {
          GET: {
            integration: {
              type: 'MOCK',
              requestTemplates: { 'application/json': '{"statusCode": 200}' },
              integrationResponses: {
                '200': {
                  responseTemplates: {
                    'application/json': '#set($context.responseOverride.status = 418)#set($context.responseOverride.header.X-Teapot = "yes"){"short": "stout"}',
                    'application/xml': '<short>stout</short>',
                  },
                },
              },
            },
          },
        },
        '/nomatch': {
          GET: {
            integration: {
              type: 'MOCK',
              requestTemplates: { 'application/json': '{"statusCode": 404}' },
              integrationResponses: { '200': { selectionPattern: '2\\d{2}' } },
            },
          },
        },
        '/undeclared': {
          GET: {
            methodResponses: { '200': {} },
            integration: {
              type: 'MOCK',
              requestTemplates: { 'application/json': '{"statusCode": 200}' },
              integrationResponses: { '201': {} },
            },
          },
        },
      },
    });
  });
  afterAll(() => f.close());

  it('$context.responseOverride sets the status and headers; the template is chosen by Accept', async () => {
    const t = await f.send('GET', '/prod/override');
    expect(t.response.statusCode).toBe(418);
    expect(t.response.headers['X-Teapot']).toEqual(['yes']);
    const xml = await f.send('GET', '/prod/override', { headers: { Accept: 'application/xml' } });
    expect(xml.response.body).toBe('<short>stout</short>');
    expect(xml.response.headers['Content-Type']).toEqual(['application/xml']);
  });

  it('no match and no default: 500 with the AWS log line', async () => {
    const t = await f.send('GET', '/prod/nomatch');
    expect(t.response.statusCode).toBe(500);
    expect(t.executionLog.join('\n')).toContain(
      'Execution failed due to configuration error: No match for output mapping and no default output mapping configured. Endpoint Response Status Code: 404',
    );
  });

  it('an integration response to an undeclared method response: 500', async () => {
    const t = await f.send('GET', '/prod/undeclared');
    expect(t.response.statusCode).toBe(500);
    expect(json(t)).toEqual({ message: 'Internal server error' });
  });
});
