import { describe, expect, it } from 'vitest';
import { IdGenerator, SeededRandom } from '../../engine/core/random';
import { httpApiFromDefinition, type HttpApiDefinition } from '../../engine/http/definition';
import { matchHttpRoute, selectStage } from '../../engine/http/routing';
import { DefinitionError } from '../../engine/model/rest-definition';

const build = (def: HttpApiDefinition) => httpApiFromDefinition(def, { id: 'api', ids: new IdGenerator(new SeededRandom('t')), region: 'us-east-1', accountId: '123456789012' });
const target = { target: 'i' };
const integrations = { i: { integrationType: 'AWS_PROXY' as const, function: 'f' } };

describe('HTTP API route selection', () => {
  // AWS's own worked example (reference A1).
  const api = build({
    integrations,
    routes: { 'GET /pets/dog/1': target, 'GET /pets/dog/{id}': target, 'GET /pets/{proxy+}': target, 'ANY /{proxy+}': target, $default: target },
  });
  const pick = (method: string, path: string) => matchHttpRoute(api.routes, method, path).route?.routeKey;

  it('follows AWS worked example: static beats {param}, a full match beats greedy, greedy beats $default', () => {
    expect(pick('GET', '/pets/dog/1')).toBe('GET /pets/dog/1');
    expect(pick('GET', '/pets/dog/2')).toBe('GET /pets/dog/{id}');
    expect(pick('GET', '/pets/cat/1')).toBe('GET /pets/{proxy+}');
    expect(pick('POST', '/test/5')).toBe('ANY /{proxy+}');
    expect(pick('GET', '/')).toBe('$default');
  });

  it('prefers a method route to ANY on the same path, and records why', () => {
    const a = build({ integrations, routes: { 'ANY /pets': target, 'GET /pets': target, 'POST /other': target } });
    const m = matchHttpRoute(a.routes, 'GET', '/pets');
    expect(m.route?.routeKey).toBe('GET /pets');
    expect(m.considered[0]).toMatchObject({ routeKey: 'GET /pets', verdict: expect.stringContaining('chosen') });
    expect(m.considered[1]).toMatchObject({ routeKey: 'ANY /pets', verdict: expect.stringContaining('outranked by GET /pets') });
    expect(matchHttpRoute(a.routes, 'DELETE', '/pets').route?.routeKey).toBe('ANY /pets');
  });

  it('does not let /pets/{proxy+} match bare /pets, and answers nothing without $default', () => {
    const a = build({ integrations, routes: { 'GET /pets/{proxy+}': target, 'POST /pets': target } });
    const m = matchHttpRoute(a.routes, 'GET', '/pets');
    expect(m.route).toBeUndefined();
    expect(m.considered).toEqual([{ routeKey: 'POST /pets', verdict: 'the path matches but the method is POST, not GET' }]);
  });

  it('captures path and greedy parameters', () => {
    const a = build({ integrations, routes: { 'GET /users/{userId}/files/{path+}': target } });
    expect(matchHttpRoute(a.routes, 'GET', '/users/42/files/a/b/c.txt')).toMatchObject({ pathParameters: { userId: '42', path: 'a/b/c.txt' }, kind: 'greedy' });
  });
});

describe('HTTP API stage selection', () => {
  const has = (names: string[]) => (n: string) => names.includes(n);
  it('uses a stage named by the first segment and strips it', () => {
    expect(selectStage('/prod/pets/1', has(['prod', '$default']))).toEqual({ stage: 'prod', path: '/pets/1', stripped: true });
    expect(selectStage('/prod', has(['prod']))).toEqual({ stage: 'prod', path: '/', stripped: true });
  });
  it('falls back to $default, keeping the whole path', () => {
    expect(selectStage('/pets/1', has(['prod', '$default']))).toEqual({ stage: '$default', path: '/pets/1', stripped: false });
  });
  it('finds nothing without a matching stage or $default', () => {
    expect(selectStage('/pets', has(['prod']))).toBeUndefined();
  });
});

describe('HTTP API definitions', () => {
  const issues = (def: HttpApiDefinition) => {
    try {
      build(def);
      return [];
    } catch (err) {
      if (err instanceof DefinitionError) return err.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
      throw err;
    }
  };
  it('rejects reserved headers in parameter mappings with a clear message', () => {
    const found = issues({
      integrations: {
        i: {
          integrationType: 'HTTP_PROXY',
          integrationUri: 'https://example.com',
          requestParameters: { 'overwrite:header.Authorization': 'x', 'append:header.x-amzn-trace-id': 'y', 'overwrite:header.x-ok': 'z' },
          responseParameters: { '200': { 'overwrite:header.access-control-allow-origin': '*' } },
        },
      },
    });
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/^integrations\.i\.requestParameters\.overwrite:header\.Authorization: Authorization is a reserved header/);
    expect(found[1]).toMatch(/x-amzn-trace-id is a reserved header/);
    expect(found[2]).toMatch(/access-control-allow-origin is a reserved header/);
  });
  it('checks route keys, targets, authorizers and scopes', () => {
    const found = issues({
      integrations,
      authorizers: { jwt: { authorizerType: 'JWT', jwtConfiguration: { issuer: 'https://i', audience: ['a'] } } },
      routes: {
        'FETCH /x': target,
        'GET /a/{p+}/b': target,
        'GET /b': { target: 'missing' },
        'GET /c': { target: 'i', authorizationType: 'CUSTOM', authorizerId: 'jwt' },
        'GET /d': { target: 'i', authorizationScopes: ['s'] },
      },
    });
    expect(found.join('\n')).toMatch(/route key is "METHOD \/path"/);
    expect(found.join('\n')).toMatch(/greedy path variable \{p\+\} must be the last segment/);
    expect(found.join('\n')).toMatch(/no integration named "missing"/);
    expect(found.join('\n')).toMatch(/is a JWT authorizer: use authorizationType JWT/);
    expect(found.join('\n')).toMatch(/authorization scopes apply to JWT authorizers only/);
  });
  it('refuses HTTP_PROXY with payload 2.0 and simple responses with 1.0', () => {
    const found = issues({
      integrations: { h: { integrationType: 'HTTP_PROXY', integrationUri: 'https://e.com', payloadFormatVersion: '2.0' } },
      authorizers: { l: { authorizerType: 'REQUEST', function: 'f', authorizerPayloadFormatVersion: '1.0', enableSimpleResponses: true } },
    });
    expect(found.join('\n')).toMatch(/HTTP_PROXY integrations only support payloadFormatVersion 1.0/);
    expect(found.join('\n')).toMatch(/simple responses need authorizerPayloadFormatVersion 2.0/);
  });
});
