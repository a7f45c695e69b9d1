import { describe, expect, it } from 'vitest';
import { IdGenerator, SeededRandom } from '../../engine/core/random';
import { restApiFromDefinition } from '../../engine/model/rest-definition';
import { matchRoute, splitStage } from '../../engine/rest/routing';

const ids = () => new IdGenerator(new SeededRandom('routing'));
function api(resources: Record<string, string[]>) {
  const def = {
    resources: Object.fromEntries(
      Object.entries(resources).map(([p, verbs]) => [p, Object.fromEntries(verbs.map((v) => [v, { integration: { type: 'MOCK' as const } }]))]),
    ),
  };
  return restApiFromDefinition(def, { id: 'abc', ids: ids(), region: 'us-east-1', accountId: '123456789012' });
}
const route = (a: ReturnType<typeof api>, path: string, method = 'GET') => {
  const m = matchRoute(a, path, method);
  return m.kind === 'found' ? `${m.method.httpMethod} ${m.resource.path} ${JSON.stringify(m.pathParameters)}` : 'missing';
};

describe('stage from the first path segment', () => {
  it('splits the stage and keeps the rest as AWS does', () => {
    expect(splitStage('/prod/pets/1')).toEqual({ stage: 'prod', path: '/pets/1', contextPath: '/prod/pets/1' });
    expect(splitStage('/prod')).toEqual({ stage: 'prod', path: '/', contextPath: '/prod' });
    expect(splitStage('/prod/')).toEqual({ stage: 'prod', path: '/', contextPath: '/prod/' });
    expect(splitStage('/')).toBeUndefined();
  });
  it('collapses slashes before the stage and between stage and path (recorded)', () => {
    expect(splitStage('//stage/proxy-value')).toEqual({ stage: 'stage', path: '/proxy-value', contextPath: '/stage/proxy-value' });
    expect(splitStage('/stage//proxy-value')).toEqual({ stage: 'stage', path: '/proxy-value', contextPath: '/stage//proxy-value' });
  });
});

describe('resource matching', () => {
  it('literal beats {param} beats {proxy+}, whatever the creation order', () => {
    const a = api({ '/{proxy+}': ['GET'], '/pets/{id}': ['GET'], '/pets/mine': ['GET'] });
    expect(route(a, '/pets/mine')).toBe('GET /pets/mine {}');
    expect(route(a, '/pets/7')).toBe('GET /pets/{id} {"id":"7"}');
    expect(route(a, '/toys/7/parts')).toBe('GET /{proxy+} {"proxy":"toys/7/parts"}');
  });
  it('falls back to a less specific resource when the literal one lacks the method (recorded)', () => {
    const a = api({ '/test': ['POST'], '/test/any': ['ANY'], '/{proxy+}': ['OPTIONS'] });
    expect(route(a, '/test', 'OPTIONS')).toBe('OPTIONS /{proxy+} {"proxy":"test"}');
    expect(route(a, '/test', 'POST')).toBe('POST /test {}');
    expect(route(a, '/test/any', 'OPTIONS')).toBe('ANY /test/any {}');
  });
  it('backtracks to a greedy resource higher up when a deeper literal fails (recorded)', () => {
    const a = api({ '/part1': ['GET'], '/{param+}': ['GET'], '/part1/hardcoded-value': ['GET'] });
    expect(route(a, '/part1')).toBe('GET /part1 {}');
    expect(route(a, '/part1/hardcoded-value')).toBe('GET /part1/hardcoded-value {}');
    expect(route(a, '/part1/random-value')).toBe('GET /{param+} {"param":"part1/random-value"}');
  });
  it('an explicit method beats ANY on the same resource', () => {
    const a = api({ '/pets': ['ANY', 'GET'] });
    expect(route(a, '/pets', 'GET')).toBe('GET /pets {}');
    expect(route(a, '/pets', 'DELETE')).toBe('ANY /pets {}');
  });
  it('ignores a trailing slash and keeps inner double slashes in greedy values', () => {
    const a = api({ '/pets': ['GET'], '/{proxy+}': ['GET'] });
    expect(route(a, '/pets/')).toBe('GET /pets {}');
    expect(route(a, '/a//b')).toBe('GET /{proxy+} {"proxy":"a//b"}');
  });
  it('does not URL-decode path parameters (recorded)', () => {
    const a = api({ '/users/{email}': ['GET'] });
    expect(route(a, '/users/test%2Balias@gmail.com')).toBe('GET /users/{email} {"email":"test%2Balias@gmail.com"}');
  });
  it('a greedy resource needs at least one segment; the root is its own resource', () => {
    const a = api({ '/{proxy+}': ['GET'] });
    expect(route(a, '/')).toBe('missing');
    const b = api({ '/': ['GET'], '/{proxy+}': ['GET'] });
    expect(route(b, '/')).toBe('GET / {}');
  });
  it('reports a missing method and a missing path alike', () => {
    const a = api({ '/pets': ['GET'] });
    expect(route(a, '/pets', 'POST')).toBe('missing');
    expect(route(a, '/pet')).toBe('missing');
    const m = matchRoute(a, '/pets', 'POST');
    expect(m.considered).toEqual([{ resource: '/pets', verdict: 'matches the path but has no POST or ANY method' }]);
  });
});
