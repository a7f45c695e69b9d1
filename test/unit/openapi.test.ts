import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { exportOpenApi } from '../../engine/export/openapi';
import { exportHttpOpenApi } from '../../engine/export/openapi-http';
import { importOpenApi, importOpenApiText } from '../../engine/import/openapi';
import { loadOpenApiAsScenario } from '../../engine/import/openapi-scenario';
import { formatIssue } from '../../engine/scenario/types';
import { ScenarioSession } from '../../engine/scenario/session';

const apis = path.resolve(import.meta.dirname, '../../scenarios/apis');

/** Key order does not matter in OpenAPI; everything else must come back unchanged. */
function normalise(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalise);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, normalise((v as Record<string, unknown>)[k])]));
  return v;
}

describe('OpenAPI round trip', () => {
  for (const name of ['petstore-lambda.yaml', 'orders-vtl.yaml']) {
    it(`${name}: import then export gives the same document`, () => {
      const file = path.join(apis, name);
      const imported = importOpenApi(file);
      expect(imported.issues.filter((i) => i.severity === 'error').map(formatIssue)).toEqual([]);
      const exported = exportOpenApi(imported.definition!, imported.metadata);
      expect(normalise(exported)).toEqual(normalise(parse(fs.readFileSync(file, 'utf8'))));
    });
  }
});

describe('OpenAPI round trip for HTTP APIs', () => {
  it('pets-http-jwt-cors.yaml: import then export gives the same document', () => {
    const file = path.join(apis, 'pets-http-jwt-cors.yaml');
    const imported = importOpenApi(file);
    expect(imported.issues.map(formatIssue)).toEqual([]);
    expect(imported.definition).toBeUndefined();
    const exported = exportHttpOpenApi(imported.httpDefinition!, imported.metadata);
    expect(normalise(exported)).toEqual(normalise(parse(fs.readFileSync(file, 'utf8'))));
  });

  it('reads routes, JWT scopes, parameter mappings and CORS into the HTTP model', () => {
    const def = importOpenApi(path.join(apis, 'pets-http-jwt-cors.yaml')).httpDefinition!;
    expect(Object.keys(def.routes!)).toEqual(['GET /pets', 'POST /pets', 'GET /pets/{petId}', '$default']);
    expect(def.routes!['GET /pets']).toMatchObject({ authorizationType: 'JWT', authorizerId: 'cognito-jwt', authorizationScopes: ['pets/read'] });
    expect(def.routes!['GET /pets/{petId}']!.integration).toMatchObject({ integrationType: 'HTTP_PROXY', payloadFormatVersion: '1.0', requestParameters: { 'append:header.x-source': 'gateway-lab' } });
    expect(def.corsConfiguration).toMatchObject({ allowOrigins: ['https://pets.example.com'], maxAge: 300 });
  });
});

describe('OpenAPI import', () => {
  it('reads API keys, authorizers, validators, models and mappings into the REST model', () => {
    const { definition } = importOpenApi(path.join(apis, 'orders-vtl.yaml'));
    const post = definition!.resources!['/orders']!.POST!;
    expect(post).toMatchObject({
      apiKeyRequired: true,
      authorizer: 'tokenAuth',
      requestValidator: 'all',
      requestModels: { 'application/json': 'Order' },
      requestParameters: { 'method.request.header.X-Customer': true },
      integration: { type: 'HTTP', passthroughBehavior: 'NEVER', timeoutInMillis: 5000 },
    });
    expect(definition!.authorizers!.tokenAuth).toMatchObject({ type: 'TOKEN', identityValidationExpression: '^Bearer [-0-9a-zA-Z._]+$' });
    expect(definition!.apiKeySource).toBe('HEADER');
  });

  it('reads Swagger 2.0 documents too', () => {
    const text = `swagger: '2.0'
info: { title: Legacy, version: '1' }
paths:
  /items/{id}:
    get:
      produces: [application/json]
      parameters:
        - { name: id, in: path, required: true, type: string }
        - { name: verbose, in: query, required: false, type: string }
      responses:
        '200': { description: ok, schema: { $ref: '#/definitions/Item' } }
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: { application/json: '{"statusCode": 200}' }
        responses: { default: { statusCode: '200' } }
definitions:
  Item: { type: object, properties: { tags: { type: array, items: { $ref: '#/definitions/Tag' } } } }
  Tag: { type: string }
`;
    const r = importOpenApiText(text, 'legacy.yaml');
    expect(r.issues).toEqual([]);
    const get = r.definition!.resources!['/items/{id}']!.GET!;
    expect(get.requestParameters).toEqual({ 'method.request.path.id': true, 'method.request.querystring.verbose': false });
    expect(get.methodResponses).toEqual({ '200': { responseModels: { 'application/json': 'Item' } } });
    expect((r.definition!.models!.Item!.schema as { properties: { tags: { items: { $ref: string } } } }).properties.tags.items.$ref).toBe('#/components/schemas/Tag');
  });

  it('warns about the extensions it does not simulate, by name', () => {
    const text = `openapi: 3.0.1
info: { title: x, version: '1' }
x-amazon-apigateway-policy: { Version: '2012-10-17', Statement: [] }
x-amazon-apigateway-endpoint-configuration: { types: [REGIONAL] }
paths:
  /a:
    get:
      x-amazon-apigateway-integration: { type: mock }
`;
    const r = importOpenApiText(text, 'x.yaml');
    expect(r.issues.map(formatIssue)).toEqual(['x.yaml:1:1 (document): not simulated, ignored: x-amazon-apigateway-endpoint-configuration, x-amazon-apigateway-policy']);
    expect(r.definition).toBeDefined();
  });

  it('reports malformed documents with the line and the path', () => {
    const text = `openapi: 3.0.1
info: { title: x, version: '1' }
paths:
  /a:
    get:
      responses: {}
    post:
      x-amazon-apigateway-integration:
        type: lambda
`;
    expect(importOpenApiText(text, 'bad.yaml').issues.map(formatIssue)).toEqual([
      'bad.yaml:5:5 paths["/a"].get: no x-amazon-apigateway-integration: API Gateway cannot import a method without an integration',
      'bad.yaml:9:15 paths["/a"].post.x-amazon-apigateway-integration.type: unknown integration type "lambda"; expected mock, aws, aws_proxy, http or http_proxy',
    ]);
    expect(importOpenApiText('openapi: [', 'broken.yaml').issues[0]!.message).toMatch(/^syntax error/);
    expect(importOpenApiText('title: not openapi', 'plain.yaml').issues.map(formatIssue)).toEqual([
      `plain.yaml:1:1 (document): not an OpenAPI document: expected an "openapi: 3.0.x" or "swagger: '2.0'" field`,
    ]);
  });
});

describe('tracing an imported HTTP API', () => {
  it('serves it on its $default stage, with the JWT authorizer and CORS from the document', async () => {
    const loaded = loadOpenApiAsScenario(path.join(apis, 'pets-http-jwt-cors.yaml'));
    if (!loaded.ok) throw new Error(loaded.errors.map(formatIssue).join('\n'));
    expect(loaded.scenario.gateways).toEqual(['HTTP']);
    const s = await ScenarioSession.open(loaded.scenario);
    try {
      const noToken = await s.send({ method: 'GET', path: '/pets', headers: { Origin: 'https://pets.example.com' } });
      expect(noToken.response.statusCode).toBe(401);
      expect(noToken.response.headers['access-control-allow-origin']).toEqual(['https://pets.example.com']);
      const fallback = await s.send({ method: 'DELETE', path: '/anything/else' });
      expect(fallback.response.statusCode).toBe(404);
      expect(fallback.response.body).toBe('{"message":"no such route here"}');
    } finally {
      await s.close();
    }
  });
});

describe('tracing an imported API', () => {
  let session: ScenarioSession | undefined;
  afterAll(() => session?.close());

  it('binds functions named by ARN through <name>.functions.yaml, and explains unbound ones', async () => {
    const loaded = loadOpenApiAsScenario(path.join(apis, 'petstore-lambda.yaml'));
    if (!loaded.ok) throw new Error(loaded.errors.map(formatIssue).join('\n'));
    expect(Object.keys(loaded.scenario.functions).sort()).toEqual(['PetStoreGetPet', 'PetStoreListPets']);
    session = await ScenarioSession.open(loaded.scenario);
    const list = await session.send({ method: 'GET', path: '/prod/pets?type=cat' });
    expect(list.response.statusCode).toBe(200);
    expect(JSON.parse(list.response.body)).toEqual([{ id: '2', name: 'Tom', type: 'cat' }]);
    const unbound = await session.send({ method: 'POST', path: '/prod/pets', body: { name: 'Kiki' } });
    expect(unbound.response.statusCode).toBe(502);
    expect(unbound.steps.find((s) => s.step === 'integration')!.summary).toMatch(/PetStoreCreatePet.*functions\.yaml/);
  });
});
