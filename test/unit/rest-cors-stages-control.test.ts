/**
 * "Enable CORS" expansion, stage variables and canaries, and the control plane (PutMethod,
 * gateway responses, authorizers, API keys, TestInvokeMethod on the draft).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandCors } from '../../engine/model/cors';
import type { DefinitionIssue } from '../../engine/model/rest-definition';
import { ApiGatewayError } from '../../engine/rest/control-plane';
import { type RestFixture, fn, header, json, restFixture } from '../helpers';

describe('"Enable CORS" as the console does it', () => {
  it('adds an OPTIONS MOCK method and Allow-Origin on the 200 responses of non-proxy methods only', () => {
    const issues: DefinitionIssue[] = [];
    const out = expandCors(
      {
        cors: { '/items': { gatewayResponses: true } },
        resources: {
          '/items': {
            GET: { integration: { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } } },
            POST: { integration: { type: 'AWS_PROXY', function: 'create' } },
          },
        },
      },
      issues,
    );
    expect(issues).toEqual([]);
    const options = out.resources!['/items']!.OPTIONS!;
    expect(options).toMatchObject({ authorizationType: 'NONE', apiKeyRequired: false, integration: { type: 'MOCK' } });
    expect((options.integration!.integrationResponses as Record<string, { responseParameters: Record<string, string> }>)['200']!.responseParameters).toEqual({
      'method.response.header.Access-Control-Allow-Headers': "'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token'",
      'method.response.header.Access-Control-Allow-Methods': "'GET,OPTIONS,POST'",
      'method.response.header.Access-Control-Allow-Origin': "'*'",
    });
    expect(out.resources!['/items']!.GET!.integration!.integrationResponses).toEqual({
      '200': { responseParameters: { 'method.response.header.Access-Control-Allow-Origin': "'*'" } },
    });
    expect(out.resources!['/items']!.POST!.integration!.integrationResponses).toBeUndefined();
    expect(out.gatewayResponses?.DEFAULT_4XX?.responseParameters?.['gatewayresponse.header.Access-Control-Allow-Origin']).toBe("'*'");
  });

  it('refuses to overwrite an OPTIONS method the API defines', () => {
    const issues: DefinitionIssue[] = [];
    expandCors({ cors: { '/a': {} }, resources: { '/a': { OPTIONS: { integration: { type: 'MOCK' } } } } }, issues);
    expect(issues[0]?.message).toMatch(/already has an OPTIONS method/);
  });
});

describe('stage variables and canaries', () => {
  let f: RestFixture;
  beforeAll(async () => {
    f = await restFixture(
      {
        resources: {
          '/who': { GET: { integration: { type: 'AWS_PROXY', function: '${stageVariables.fn}' } } },
          '/v': {
            GET: {
              integration: {
                type: 'MOCK',
                requestTemplates: { 'application/json': '{"statusCode": 200}' },
                integrationResponses: { '200': { responseTemplates: { 'application/json': '{"v": "$stageVariables.v", "canary": "$context.isCanaryRequest"}' } } },
              },
            },
          },
        },
      },
      {
        variables: { fn: 'blue', v: 'stage' },
        functions: [fn('blue', 'exports.handler = async () => ({ statusCode: 200, body: "blue" })'), fn('green', 'exports.handler = async () => ({ statusCode: 200, body: "green" })')],
      },
    );
  });
  afterAll(() => f.close());

  it('picks the function from a stage variable, and follows a stage update without a deploy', async () => {
    expect((await f.send('GET', '/prod/who')).response.body).toBe('blue');
    f.api.updateStage('prod', { variables: { fn: 'green', v: 'stage' } });
    expect((await f.send('GET', '/prod/who')).response.body).toBe('green');
  });

  it('splits traffic by percentTraffic on the seeded source, with variable overrides for the canary', async () => {
    f.api.deployCanary('prod', 30, { v: 'canary' });
    const bodies: unknown[] = [];
    for (let i = 0; i < 200; i++) bodies.push(json(await f.send('GET', '/prod/v')));
    const canary = bodies.filter((b) => (b as { canary: string }).canary === 'true');
    expect(canary.length).toBeGreaterThan(40);
    expect(canary.length).toBeLessThan(80);
    expect(canary.every((b) => (b as { v: string }).v === 'canary')).toBe(true);
    expect(bodies.filter((b) => (b as { v: string }).v === 'stage').every((b) => (b as { canary: string }).canary === 'false')).toBe(true);
  });

  it('promotion moves the deployment and the overrides to the stage and keeps a 0% canary', async () => {
    const promoted = f.api.promoteCanary('prod');
    expect(promoted.variables.v).toBe('canary');
    expect(promoted.canarySettings?.percentTraffic).toBe(0);
    expect(json(await f.send('GET', '/prod/v'))).toEqual({ v: 'canary', canary: 'false' });
    f.api.deleteCanary('prod');
    expect(json(await f.send('GET', '/prod/v'))).toEqual({ v: 'canary', canary: '' });
  });
});

describe('the control plane', () => {
  let f: RestFixture;
  beforeAll(async () => {
    f = await restFixture(
      { resources: { '/hello': { GET: { integration: { type: 'AWS', function: 'hello', requestTemplates: { 'application/json': '{"name": "$input.params(\'name\')"}' } } } } } },
      { functions: [fn('hello', 'exports.handler = async (e) => ({ greeting: "hi " + e.name })')] },
    );
  });
  afterAll(() => f.close());

  const cp = () => f.gateway.controlPlane;

  it('PutMethod validates as the definitions do, with AWS messages', () => {
    expect(() => cp().putMethod(f.api.id, '/hello', 'POST', { authorizationType: 'CUSTOM' })).toThrow(
      'Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.',
    );
    expect(() => cp().putMethod(f.api.id, '/nope', 'GET', {})).toThrow('Invalid Resource identifier specified');
    cp().putMethod(f.api.id, '/hello', 'DELETE', { integration: { type: 'MOCK' } });
    expect(f.api.draft.resources['/hello']!.methods.DELETE).toBeDefined();
  });

  it('unknown API ids: NotFoundException, except on create (ConflictException, recorded)', () => {
    const err = (fnc: () => unknown) => {
      try {
        fnc();
      } catch (e) {
        return e as ApiGatewayError;
      }
      throw new Error('no error');
    };
    expect(err(() => cp().getAuthorizers('missing'))).toMatchObject({ code: 'NotFoundException', statusCode: 404, message: 'Invalid API identifier specified 123456789012:missing' });
    expect(err(() => cp().createAuthorizer('missing', { name: 'a', type: 'TOKEN', function: 'x' }))).toMatchObject({ code: 'ConflictException', statusCode: 409 });
    expect(err(() => cp().createApiKey({ value: 'short' }))).toMatchObject({ code: 'BadRequestException', message: 'API Key value should be at least 20 characters' });
  });

  it('PutGatewayResponse stores the type defaults for what it is not given', () => {
    cp().putGatewayResponse(f.api.id, 'DEFAULT_5XX', { statusCode: 599 });
    cp().putGatewayResponse(f.api.id, 'AUTHORIZER_FAILURE', { responseParameters: { 'gatewayresponse.header.x': "'y'" } });
    const byType = Object.fromEntries(cp().getGatewayResponses(f.api.id).map((r) => [r.responseType, r]));
    expect(byType.AUTHORIZER_FAILURE).toMatchObject({ statusCode: '500', defaultResponse: false, responseTemplates: { 'application/json': '{"message":$context.error.messageString}' } });
    expect(byType.INTEGRATION_TIMEOUT).toMatchObject({ statusCode: '599', defaultResponse: true });
    expect(byType.DEFAULT_4XX).toMatchObject({ statusCode: null, defaultResponse: true });
  });

  it('TestInvokeMethod runs the draft, undeployed, without transport headers', async () => {
    cp().putMethod(f.api.id, '/hello', 'POST', {
      integration: { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' }, integrationResponses: { '200': { responseTemplates: { 'application/json': '{"stage": "$context.stage"}' } } } },
    });
    const deployed = await f.send('POST', '/prod/hello');
    expect(deployed.response.statusCode).toBe(403); // not deployed yet
    const r = await cp().testInvokeMethod(f.api.id, '/hello', 'POST', { pathWithQueryString: '/hello' });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ stage: 'test-invoke-stage' });
    expect(Object.keys(r.headers)).not.toContain('x-amzn-RequestId');
    const g = await cp().testInvokeMethod(f.api.id, '/hello', 'GET', { pathWithQueryString: '/hello?name=ann' });
    expect(JSON.parse(g.body)).toEqual({ greeting: 'hi ann' });
    expect(g.log.split('\n')[0]).toMatch(/^Execution log for request [0-9a-f-]{36}$/);
    expect(g.log).toContain('Method request query string: {name=ann}');
  });

  it('a key from CreateApiKey works once it is in a plan bound to the stage', async () => {
    cp().putMethod(f.api.id, '/hello', 'PUT', {
      apiKeyRequired: true,
      integration: { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } },
    });
    f.api.deploy('prod');
    const key = cp().createApiKey({ name: 'k', value: 'a-key-of-twenty-chars-or-more', enabled: true });
    expect((await f.send('PUT', '/prod/hello', { headers: { 'x-api-key': key.value } })).response.statusCode).toBe(403);
    f.gateway.usage.putPlan({ id: 'plan', name: 'plan', apiStages: [{ apiId: f.api.id, stage: 'prod' }], keyIds: [key.id] });
    const ok = await f.send('PUT', '/prod/hello', { headers: { 'x-api-key': key.value } });
    expect(ok.response.statusCode).toBe(200);
    expect(header(ok, 'x-amzn-RequestId')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
