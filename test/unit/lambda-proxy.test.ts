import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProxyResult } from '../../engine/rest/proxy-response';
import { type RestFixture, fn, header, json, restFixture } from '../helpers';

describe('the payload-1.0 proxy event', () => {
  let f: RestFixture;
  beforeAll(async () => {
    f = await restFixture(
      {
        resources: {
          '/{proxy+}': { ANY: { integration: { type: 'AWS_PROXY', function: 'echo' } } },
          '/hardcoded': { ANY: { integration: { type: 'AWS_PROXY', function: 'echo' } } },
        },
      },
      { stage: 'stage', functions: [fn('echo', `exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event) })`)] },
    );
  });
  afterAll(() => f.close());

  const event = async (method: string, path: string, init = {}) => json(await f.send(method, path, init)) as Record<string, any>;

  it('has every top-level key, with empty maps as null (recorded)', async () => {
    const e = await event('GET', '/stage/proxy-value', { headers: { 'User-Agent': 'python-requests/testing', 'tEsT-HEADeR': 'aValUE', authorization: 'random-value' } });
    expect(Object.keys(e)).toEqual([
      'resource', 'path', 'httpMethod', 'headers', 'multiValueHeaders', 'queryStringParameters', 'multiValueQueryStringParameters',
      'pathParameters', 'stageVariables', 'requestContext', 'body', 'isBase64Encoded',
    ]);
    expect(e).toMatchObject({
      resource: '/{proxy+}', path: '/proxy-value', httpMethod: 'GET', queryStringParameters: null, multiValueQueryStringParameters: null,
      pathParameters: { proxy: 'proxy-value' }, stageVariables: null, body: null, isBase64Encoded: false,
    });
    // Casing kept, except Authorization and User-Agent which AWS title-cases (recorded).
    expect(e.headers['tEsT-HEADeR']).toBe('aValUE');
    expect(e.headers.Authorization).toBe('random-value');
    expect(e.multiValueHeaders['tEsT-HEADeR']).toEqual(['aValUE']);
    expect(e.requestContext).toMatchObject({
      resourcePath: '/{proxy+}', httpMethod: 'GET', path: '/stage/proxy-value', accountId: '123456789012', protocol: 'HTTP/1.1',
      stage: 'stage', identity: { sourceIp: '203.0.113.10', userAgent: 'python-requests/testing', user: null, caller: null },
    });
    expect(e.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof e.requestContext.requestTimeEpoch).toBe('number');
    expect(e.requestContext.requestTime).toMatch(/^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
  });

  it('path normalisation (recorded)', async () => {
    expect(await event('GET', '/stage/proxy-value/')).toMatchObject({ path: '/proxy-value/', pathParameters: { proxy: 'proxy-value' }, requestContext: { path: '/stage/proxy-value/' } });
    expect(await event('GET', '/stage/proxy-value//double-slash')).toMatchObject({ path: '/proxy-value//double-slash', pathParameters: { proxy: 'proxy-value//double-slash' } });
    expect(await event('GET', '//stage/proxy-value')).toMatchObject({ path: '/proxy-value', requestContext: { path: '/stage/proxy-value' } });
    expect(await event('GET', '/stage//proxy-value')).toMatchObject({ path: '/proxy-value', requestContext: { path: '/stage//proxy-value' } });
    expect(await event('GET', '/stage//hardcoded')).toMatchObject({ path: '/hardcoded', resource: '/hardcoded', pathParameters: null });
  });

  it('query strings: form-decoded, last value wins in the single-value map (recorded)', async () => {
    const e = await event('GET', '/stage/proxy-value/api?email=test%2Balias@gmail.com&plus=test+alias@gmail.com&whitespace=foo%20bar&c=1&c=2');
    expect(e.queryStringParameters).toEqual({ email: 'test+alias@gmail.com', plus: 'test alias@gmail.com', whitespace: 'foo bar', c: '2' });
    expect(e.multiValueQueryStringParameters.c).toEqual(['1', '2']);
  });

  it('the body is a string, even for JSON', async () => {
    const e = await event('POST', '/stage/x', { body: { message: 'hello world' } });
    expect(e.body).toBe('{"message":"hello world"}');
    expect(e.headers['Content-Type']).toBe('application/json');
  });
});

describe('proxy results', () => {
  const cases: [string, unknown, number | 'malformed', Record<string, string>?][] = [
    ['no body', { statusCode: 200 }, 200],
    ['header values are stringified', { statusCode: 200, headers: { 'test-header': 'value', 'header-bool': true } }, 200, { 'header-bool': 'true' }],
    ['null headers', { statusCode: 200, headers: null }, 200],
    ['unknown key', { statusCode: 200, wrongValue: 'value' }, 'malformed'],
    ['multiValueHeaders', { statusCode: 200, multiValueHeaders: { 'test-multi': ['value1', 'value2'] } }, 200, { 'test-multi': 'value1, value2' }],
    ['both header maps are kept, multi first', { statusCode: 200, multiValueHeaders: { 'tesT-Multi': ['value-multi'] }, headers: { 'test-multi': 'value-solo' } }, 200, { 'tesT-Multi': 'value-multi, value-solo' }],
    ['multiValueHeaders value not a list', { statusCode: 200, multiValueHeaders: { x: 'value1' } }, 'malformed'],
    ['statusCode not a number', { statusCode: 'test' }, 'malformed'],
    ['statusCode as a numeric string', { statusCode: '201' }, 201],
    ['a bare string', 'justAString', 'malformed'],
    ['only headers', { headers: { 'test-header': 'value' } }, 200],
    ['an object body', { statusCode: 200, body: { a: 1 } }, 'malformed'],
    ['null', null, 'malformed'],
    ['payload 2.0 cookies on REST', { statusCode: 200, cookies: ['a=b'] }, 'malformed'],
  ];
  for (const [name, value, want, headers] of cases) {
    it(`${name} → ${want} (recorded where the conformance file has it)`, () => {
      const r = parseProxyResult(JSON.stringify(value));
      if (want === 'malformed') expect(r.ok).toBe(false);
      else {
        expect(r.ok && r.result.statusCode).toBe(want);
        for (const [k, v] of Object.entries(headers ?? {})) expect(r.ok && r.result.headers[k]?.join(', ')).toBe(v);
      }
    });
  }

  it('malformed results and function errors are 502 Internal server error with the AWS log lines', async () => {
    const f = await restFixture(
      { resources: { '/bad': { GET: { integration: { type: 'AWS_PROXY', function: 'bad' } } }, '/throw': { GET: { integration: { type: 'AWS_PROXY', function: 'throws' } } } } },
      { functions: [fn('bad', `exports.handler = async () => ({ statusCode: 200, body: { not: 'a string' } })`), fn('throws', `exports.handler = async () => { throw new Error('db down') }`)] },
    );
    try {
      const bad = await f.send('GET', '/prod/bad');
      expect(bad.response.statusCode).toBe(502);
      expect(bad.response.body).toBe('{"message": "Internal server error"}');
      expect(header(bad, 'Content-Length')).toBe('36');
      expect(bad.executionLog.some((l) => l.endsWith('Execution failed due to configuration error: Malformed Lambda proxy response'))).toBe(true);
      expect(bad.executionLog.at(-1)).toMatch(/Method completed with status: 502$/);
      const thrown = await f.send('GET', '/prod/throw');
      expect(thrown.response.statusCode).toBe(502);
      expect(thrown.executionLog.some((l) => /Lambda execution failed with status 200 due to customer function error: db down\. Lambda request id: [0-9a-f-]{36}$/.test(l))).toBe(true);
      expect(thrown.functionLogs?.some((l) => l.includes('"errorMessage":"db down"'))).toBe(true);
    } finally {
      await f.close();
    }
  });

  it('isBase64Encoded bodies come back as base64 text unless Accept names a binary media type (recorded)', async () => {
    const code = `exports.handler = async () => ({ statusCode: 200, headers: { 'Content-Type': 'image/png' }, body: 'dGVzdC1kYXRh', isBase64Encoded: true })`;
    const plain = await restFixture({ resources: { '/img': { GET: { integration: { type: 'AWS_PROXY', function: 'img' } } } } }, { functions: [fn('img', code)] });
    const binary = await restFixture({ binaryMediaTypes: ['image/*'], resources: { '/img': { GET: { integration: { type: 'AWS_PROXY', function: 'img' } } } } }, { functions: [fn('img', code)] });
    try {
      const t1 = await plain.send('GET', '/prod/img', { headers: { Accept: 'image/png' } });
      expect(t1.response.body).toBe('dGVzdC1kYXRh');
      expect(t1.response.isBase64Encoded).toBe(false);
      const t2 = await binary.send('GET', '/prod/img', { headers: { Accept: 'image/png' } });
      expect(t2.response.isBase64Encoded).toBe(true);
      expect(Buffer.from(t2.response.body, 'base64').toString()).toBe('test-data');
      expect(header(t2, 'Content-Length')).toBe('9');
    } finally {
      await plain.close();
      await binary.close();
    }
  });
});
