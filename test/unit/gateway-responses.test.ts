import { afterAll, describe, expect, it } from 'vitest';
import { effectiveGatewayResponse, substitute } from '../../engine/rest/gateway-responses';
import { GATEWAY_RESPONSE_INFO, GATEWAY_RESPONSE_TYPES } from '../../engine/rest/gateway-response-types';
import { fn, header, json, restFixture } from '../helpers';

const fixtures: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const f of fixtures) await f.close();
});

describe('gateway response defaults', () => {
  it('has every type with AWS default status (GetGatewayResponses on a fresh API, recorded)', () => {
    const expected: Record<string, number | null> = {
      ACCESS_DENIED: 403, API_CONFIGURATION_ERROR: 500, AUTHORIZER_CONFIGURATION_ERROR: 500, AUTHORIZER_FAILURE: 500,
      BAD_REQUEST_BODY: 400, BAD_REQUEST_PARAMETERS: 400, DEFAULT_4XX: null, DEFAULT_5XX: null, EXPIRED_TOKEN: 403,
      INTEGRATION_FAILURE: 504, INTEGRATION_TIMEOUT: 504, INVALID_API_KEY: 403, INVALID_SIGNATURE: 403,
      MISSING_AUTHENTICATION_TOKEN: 403, QUOTA_EXCEEDED: 429, REQUEST_TOO_LARGE: 413, RESOURCE_NOT_FOUND: 404,
      THROTTLED: 429, UNAUTHORIZED: 401, UNSUPPORTED_MEDIA_TYPE: 415, WAF_FILTERED: 403,
    };
    expect(Object.fromEntries(GATEWAY_RESPONSE_TYPES.map((t) => [t, GATEWAY_RESPONSE_INFO[t].status]))).toEqual(expected);
    for (const t of GATEWAY_RESPONSE_TYPES) {
      expect(effectiveGatewayResponse(undefined, t).responseTemplates).toEqual({ 'application/json': '{"message":$context.error.messageString}' });
    }
  });

  it('DEFAULT_5XX customisation reaches every uncustomised 5xx type, not the 4xx ones (recorded)', () => {
    const api = {
      gatewayResponses: {
        DEFAULT_5XX: { statusCode: '599', responseParameters: {}, responseTemplates: {} },
        AUTHORIZER_FAILURE: { responseParameters: { 'gatewayresponse.header.foo': "'bar'" }, responseTemplates: {} },
      },
    };
    expect(effectiveGatewayResponse(api, 'API_CONFIGURATION_ERROR').statusCode).toBe(599);
    expect(effectiveGatewayResponse(api, 'INTEGRATION_TIMEOUT').statusCode).toBe(599);
    expect(effectiveGatewayResponse(api, 'AUTHORIZER_FAILURE').statusCode).toBe(500);
    expect(effectiveGatewayResponse(api, 'THROTTLED').statusCode).toBe(429);
    expect(effectiveGatewayResponse(api, 'MISSING_AUTHENTICATION_TOKEN').isDefault).toBe(true);
  });
});

describe('gateway responses on the wire', () => {
  it('unknown path: 403 Missing Authentication Token, 42 bytes, with the AWS headers', async () => {
    const f = await restFixture({ resources: { '/pets': { GET: { integration: { type: 'AWS_PROXY', function: 'ok' } } } } }, {
      functions: [fn('ok', `exports.handler = async () => ({ statusCode: 200, body: 'ok' })`)],
    });
    fixtures.push(f);
    const t = await f.send('GET', '/prod/nope');
    expect(t.response.statusCode).toBe(403);
    expect(t.response.body).toBe('{"message":"Missing Authentication Token"}');
    expect(header(t, 'Content-Length')).toBe('42');
    expect(header(t, 'x-amzn-ErrorType')).toBe('MissingAuthenticationTokenException');
    expect(header(t, 'x-amzn-RequestId')).toBe(t.id);
    expect(header(t, 'x-amz-apigw-id')).toMatch(/^[A-Za-z0-9]{15}=$/);
    expect(t.stoppedAt).toBe('route');
    expect(t.gatewayResponse).toEqual({ type: 'MISSING_AUTHENTICATION_TOKEN', statusCode: 403 });
    expect(t.executionLog).toEqual([]);
  });

  it('customised status, headers from the request, and a template', async () => {
    const f = await restFixture({
      resources: { '/pets': { GET: { integration: { type: 'AWS_PROXY', function: 'ok' } } } },
      gatewayResponses: {
        MISSING_AUTHENTICATION_TOKEN: {
          statusCode: 404,
          responseParameters: { 'gatewayresponse.header.X-Echo': 'method.request.header.X-Trace', 'gatewayresponse.header.X-Static': "'yes'" },
          responseTemplates: { 'application/json': '{"error":$context.error.messageString,"type":"$context.error.responseType","stage":"$context.stage"}' },
        },
      },
    }, { functions: [fn('ok', `exports.handler = async () => ({ statusCode: 200 })`)] });
    fixtures.push(f);
    const t = await f.send('GET', '/prod/nope', { headers: { 'X-Trace': 'abc' } });
    expect(t.response.statusCode).toBe(404);
    expect(json(t)).toEqual({ error: 'Missing Authentication Token', type: 'MISSING_AUTHENTICATION_TOKEN', stage: 'prod' });
    expect(header(t, 'X-Echo')).toBe('abc');
    expect(header(t, 'X-Static')).toBe('yes');
  });

  it('a 10 MB+ body is refused first, in plain text, whatever the API says', async () => {
    const f = await restFixture({
      resources: { '/up': { POST: { integration: { type: 'AWS_PROXY', function: 'ok' } } } },
      gatewayResponses: { DEFAULT_4XX: { statusCode: 400, responseParameters: {}, responseTemplates: {} } },
    }, { functions: [fn('ok', `exports.handler = async () => ({ statusCode: 200 })`)] });
    fixtures.push(f);
    const t = await f.send('POST', '/prod/up', { body: 'x'.repeat(10_485_761), headers: { 'Content-Type': 'text/plain' } });
    expect(t.response.statusCode).toBe(413);
    expect(t.response.body).toBe('HTTP content length exceeded 10485760 bytes.');
    expect(t.stoppedAt).toBe('receive');
  });
});

describe('gateway response templates', () => {
  it('keep the } that closes a JSON body after a reference; ${...} braces only go in pairs', () => {
    const vars = { error: { messageString: '"Internal server error"' }, requestId: 'r-1' };
    expect(substitute('{"message":$context.error.messageString}', vars, {})).toBe('{"message":"Internal server error"}');
    expect(substitute('{"id":"${context.requestId}","env":"$stageVariables.env"}', vars, { env: 'prod' })).toBe('{"id":"r-1","env":"prod"}');
  });

  it('a DEFAULT_5XX with only a CORS header keeps the default body whole', async () => {
    const f = await restFixture(
      {
        gatewayResponses: { DEFAULT_5XX: { responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" } } },
        resources: { '/x': { GET: { integration: { type: 'AWS_PROXY', function: 'bad' } } } },
      },
      { functions: [fn('bad', 'exports.handler = async () => ({ statusCode: 200, body: {} })')] },
    );
    fixtures.push(f);
    const t = await f.send('GET', '/prod/x');
    expect(t.response.statusCode).toBe(502);
    expect(json(t)).toEqual({ message: 'Internal server error' });
    expect(header(t, 'Access-Control-Allow-Origin')).toBe('*');
  });
});
