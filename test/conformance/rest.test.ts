/**
 * REST API conformance with AWS: every case of ../shared/conformance/rest-aws-recorded.json
 * (recorded against AWS by LocalStack's snapshot tests) run against the engine.
 *
 * Each case's API is built from its `api`, `request` and `notes` into the inline definition
 * scenarios use (restApiFromDefinition; the OpenAPI importer for the imported case), deployed,
 * and called. The backends the recordings used (httpbin.org, Lambda function URLs, a status
 * server) are small local servers on 127.0.0.1 (rest-fixtures.ts); the Lambda code a case
 * describes runs in the sandbox. Control-plane cases run against the control plane.
 *
 * Comparison rules:
 *  - a placeholder like `<uuid:1>` (a snapshot-tool replacement) matches any value, and the same
 *    placeholder must match the same value everywhere in a case;
 *  - header names compare case-insensitively; Content-Length values are compared for presence
 *    only (the recorded bodies came from other backends, so their lengths differ);
 *  - a `bodyJson` or event value that was a JSON string on the wire may appear parsed
 *    (the file's snapshotJsonStringCaveat convention).
 *
 * Prints `rest-conformance: N passed, M failed, K skipped` and every skip with its reason.
 * REST_CONFORMANCE_DUMP=<part of a case id> prints what the engine answered for matching cases.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_DEFAULTS } from '../../engine/backends/lambda/service';
import { VirtualClock } from '../../engine/core/clock';
import { type HttpRequest, type MultiMap, request as makeRequest } from '../../engine/core/http';
import { Gateway } from '../../engine/gateway';
import { importOpenApiText } from '../../engine/import/openapi';
import { type IntegrationDefinition, type MethodDefinition, type RestApiDefinition, restApiFromDefinition } from '../../engine/model/rest-definition';
import { ApiGatewayError } from '../../engine/rest/control-plane';
import type { RestApiHost } from '../../engine/rest/rest-api-host';
import type { Trace } from '../../engine/trace/types';
import {
  EchoBackends,
  HEADER_REMAPPING_CLIENT_HEADERS,
  LAMBDA_CODE,
  OPENAPI_MOCK,
  ORIGINS,
  PNG_1X1_BASE64,
  PYTHON_REQUESTS_DEFAULTS,
  REQUEST_TEMPLATE_VM,
} from './rest-fixtures';

const here = path.dirname(fileURLToPath(import.meta.url));
const CASES_FILE = process.env.REST_CONFORMANCE_FILE ?? path.resolve(here, '../../../shared/conformance/rest-aws-recorded.json');

/** The account the recordings were made in (snapshots show 111111111111). */
const ACCOUNT_ID = '111111111111';
const REGION = 'us-east-1';

/** Cases not run, each with the reason. Keep this short: skips must stay under 10%. */
const SKIPS: Readonly<Record<string, string>> = {};

interface RecordedCase {
  readonly id: string;
  readonly category: string;
  readonly description: string;
  readonly source: { readonly test: string; readonly file: string };
  readonly request: any;
  readonly api: any;
  readonly expected: Record<string, any>;
  readonly notes?: string;
}

function loadCases(): RecordedCase[] {
  const root = JSON.parse(fs.readFileSync(CASES_FILE, 'utf8')) as { cases: RecordedCase[] };
  return root.cases;
}

// ---------------------------------------------------------------------------------------------
// Placeholder-aware comparison

class Matcher {
  private readonly bound = new Map<string, unknown>();
  readonly problems: string[] = [];

  /** A date in Java's Date.toString, or an HTTP date, as the snapshot formatter wrote them. */
  private static readonly FORMATS: readonly [string, string][] = [
    ['DDD MMM dd hh:mm:ss UTC yyyy', '[A-Z][a-z]{2} [A-Z][a-z]{2} \\d{2} \\d{2}:\\d{2}:\\d{2} UTC \\d{4}'],
    ['Day, dd MMM yyyy hh:mm:ss GMT', '[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT'],
  ];
  /** Snapshot-tool replacements written without angle brackets. */
  private static readonly BARE: ReadonlySet<string> = new Set(['request-time-epoch']);

  private bind(name: string, value: unknown, at: string): boolean {
    const v = Array.isArray(value) && value.length === 1 ? value[0] : value;
    if (!this.bound.has(name)) {
      this.bound.set(name, v);
      return true;
    }
    const prev = this.bound.get(name);
    if (JSON.stringify(prev) === JSON.stringify(v)) return true;
    this.problems.push(`${at}: placeholder ${name} was ${JSON.stringify(prev)}, now ${JSON.stringify(v)}`);
    return false;
  }

  /** Match one string with `<...>` placeholders and date formats inside it. */
  text(expected: string, actual: string, at: string): boolean {
    if (/^<[^<>]+>$/.test(expected)) return this.bind(expected, actual, at);
    if (Matcher.BARE.has(expected)) return true;
    if (!/<[^<>\s][^<>]*>/.test(expected) && !Matcher.FORMATS.some(([f]) => expected.includes(f))) {
      if (expected === actual) return true;
      this.problems.push(`${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
      return false;
    }
    const names: string[] = [];
    let pattern = '';
    const tokens = expected.split(new RegExp(`(<[^<>\\s][^<>]*>|${Matcher.FORMATS.map(([f]) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`));
    tokens.forEach((tok, i) => {
      if (i % 2 === 0) pattern += tok.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      else {
        const format = Matcher.FORMATS.find(([f]) => f === tok);
        if (format) pattern += format[1];
        else {
          names.push(tok);
          pattern += '([^]+?)';
        }
      }
    });
    const m = new RegExp(`^${pattern}$`).exec(actual);
    if (!m) {
      this.problems.push(`${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
      return false;
    }
    return names.every((n, i) => this.bind(n, m[i + 1], at));
  }

  /**
   * Deep comparison. `subset`: only the expected keys are checked. `ordered`: object keys must
   * come in the recorded order too.
   */
  value(expected: unknown, actual: unknown, at: string, opts: { subset?: boolean; ordered?: boolean } = {}): boolean {
    if (typeof expected === 'string') {
      if (/^<[^<>]+>$/.test(expected) || Matcher.BARE.has(expected)) return Matcher.BARE.has(expected) || this.bind(expected, actual, at);
      if (typeof actual !== 'string') {
        this.problems.push(`${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
        return false;
      }
      return this.text(expected, actual, at);
    }
    if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
      // The snapshot tool parsed string values that start with "{" (snapshotJsonStringCaveat).
      if (typeof actual === 'string' && actual.trim().startsWith('{')) {
        try {
          actual = JSON.parse(actual);
        } catch {
          // compared as is below
        }
      }
      if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
        this.problems.push(`${at}: expected an object ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
        return false;
      }
      const e = expected as Record<string, unknown>;
      const a = actual as Record<string, unknown>;
      let ok = true;
      if (!opts.subset) {
        const extra = Object.keys(a).filter((k) => !(k in e));
        const missing = Object.keys(e).filter((k) => !(k in a));
        if (extra.length || missing.length) {
          this.problems.push(`${at}: keys differ${missing.length ? `; missing ${missing.join(', ')}` : ''}${extra.length ? `; unexpected ${extra.join(', ')}` : ''}`);
          ok = false;
        } else if (opts.ordered && Object.keys(e).join('|') !== Object.keys(a).join('|')) {
          this.problems.push(`${at}: key order differs: expected ${Object.keys(e).join(', ')}; got ${Object.keys(a).join(', ')}`);
          ok = false;
        }
      }
      for (const [k, v] of Object.entries(e)) {
        if (!(k in a)) {
          if (opts.subset) {
            this.problems.push(`${at}.${k}: missing`);
            ok = false;
          }
          continue;
        }
        ok = this.value(v, a[k], `${at}.${k}`, opts) && ok;
      }
      return ok;
    }
    if (Array.isArray(expected)) {
      if (!Array.isArray(actual) || actual.length !== expected.length) {
        this.problems.push(`${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
        return false;
      }
      return expected.map((v, i) => this.value(v, actual[i], `${at}[${i}]`, opts)).every(Boolean);
    }
    if (expected === actual) return true;
    this.problems.push(`${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
    return false;
  }

  /** Headers: names case-insensitive, values joined with ", " as HTTP clients show them. */
  headers(expected: Record<string, string>, actual: MultiMap | Record<string, string>, at: string, exact: boolean): void {
    const lookup = new Map<string, string>();
    for (const [k, v] of Object.entries(actual)) lookup.set(k.toLowerCase(), typeof v === 'string' ? v : v.join(', '));
    for (const [name, want] of Object.entries(expected)) {
      const got = lookup.get(name.toLowerCase());
      if (got === undefined) {
        this.problems.push(`${at}: header ${name} missing`);
        continue;
      }
      // Lengths belong to the recorded bodies, which came from other backends.
      if (/^(x-amzn-remapped-)?content-length$/i.test(name) && !/^<[^<>]+>$/.test(want)) continue;
      // `<Date>` under Date: the snapshot's key_value transformer wrote the header's own name for
      // every value it had (the client's Date and the response's alike), so it binds nothing.
      if (want.toLowerCase() === `<${name.toLowerCase()}>`) continue;
      this.text(want, got, `${at}.${name}`);
    }
    if (exact) {
      const wanted = new Set(Object.keys(expected).map((k) => k.toLowerCase()));
      const extra = [...lookup.keys()].filter((k) => !wanted.has(k));
      if (extra.length) this.problems.push(`${at}: unexpected headers ${extra.join(', ')}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Building a case's API

interface Built {
  readonly definition: RestApiDefinition;
  readonly stage: string;
  readonly variables: Record<string, string>;
  readonly functions: Record<string, string>;
}

/** The backend a placeholder URI stood for in the recording. */
function backendUri(c: RecordedCase, uri: string): string {
  const lambdaUrlEcho = c.source.test.startsWith('test_apigateway_http.py');
  return uri
    .replace(/^<echo>/, lambdaUrlEcho ? ORIGINS['lambda-url-echo'] : ORIGINS.httpbin)
    .replace(/^<(httpbin-like echo|httpbin)>/, ORIGINS.httpbin)
    .replace(/^<Lambda Function URL that returns the raw request body unchanged>$/, `${ORIGINS['raw-echo']}/`)
    .replace(/^<(echo-status-server|status-echo)>/, ORIGINS.status);
}

/** Which Lambda code a case's notes describe. */
function lambdaFor(c: RecordedCase): string {
  const described = `${JSON.stringify(c.api.lambda ?? '')} ${JSON.stringify(c.api.integration?.uri ?? '')}`;
  if (/raises Exception/.test(described)) return LAMBDA_CODE.selectPattern;
  if (/customerror/.test(described)) return LAMBDA_CODE.customError;
  if (/nodejs lambda/.test(described)) return LAMBDA_CODE.nodejsProxyShaped;
  if (/lambda echo/.test(described)) return LAMBDA_CODE.echo;
  if ('lambdaReturns' in c.api) return LAMBDA_CODE.resultFromBody;
  return LAMBDA_CODE.eventAsBody;
}

const REQUEST_TEMPLATE_FILES: Readonly<Record<string, string>> = { '<tests/aws/files/request-template.vm>': REQUEST_TEMPLATE_VM };

function integrationOf(c: RecordedCase, i: any, responses: any[] | undefined, fnName: string, fixtures: Fixtures): IntegrationDefinition {
  const type = i.type as IntegrationDefinition['type'];
  const out: IntegrationDefinition = { type };
  const uri: string | undefined = i.uri;
  if (type === 'AWS_PROXY' || (type === 'AWS' && (!uri || /lambda/i.test(uri)))) {
    out.function = fnName;
  } else if (type === 'AWS' && uri) {
    out.uri = uri
      .replace('<region>', REGION)
      .replace('<account>', ACCOUNT_ID)
      .replace('<queue>', fixtures.queue)
      .replace('<bucket>', fixtures.bucket);
  } else if (type === 'HTTP' || type === 'HTTP_PROXY') {
    out.uri = uri ? backendUri(c, uri) : `${ORIGINS.httpbin}/post`;
  }
  // The recordings' integrations name the method API Gateway uses (POST unless said otherwise;
  // the S3 tests used ANY, i.e. the method request's own).
  const httpMethod = i.httpMethod ?? (type === 'AWS' && /:s3:/.test(uri ?? '') ? 'ANY' : type === 'MOCK' ? undefined : 'POST');
  if (httpMethod) out.httpMethod = httpMethod;
  if (i.requestParameters) out.requestParameters = i.requestParameters;
  if (i.requestTemplates) {
    out.requestTemplates = Object.fromEntries(
      Object.entries(i.requestTemplates as Record<string, string>).map(([ct, t]) => [ct, (REQUEST_TEMPLATE_FILES[t] ?? t).replace('<queue_url>', fixtures.queueUrl)]),
    );
  }
  if (i.passthroughBehavior) out.passthroughBehavior = i.passthroughBehavior;
  if (i.contentHandling) out.contentHandling = i.contentHandling;
  if (responses) {
    out.integrationResponses = responses.map((r) => ({
      statusCode: r.statusCode,
      ...(r.selectionPattern !== undefined ? { selectionPattern: r.selectionPattern } : {}),
      ...(r.responseParameters ? { responseParameters: r.responseParameters } : {}),
      ...(r.responseTemplates ? { responseTemplates: r.responseTemplates } : {}),
      ...(r.contentHandling ? { contentHandling: r.contentHandling } : {}),
    }));
  }
  return out;
}

interface Fixtures {
  readonly queue: string;
  readonly queueUrl: string;
  readonly bucket: string;
}

/** The message each routing case's MOCK answers with, naming the resource that served it. */
function routingMessage(resourcePath: string, verb: string, resources: Record<string, string[]>): string {
  // routing-proxy-sibling: "<METHOD> request"; routing-literal-vs-greedy: the resource's name.
  const greedyOnly = Object.values(resources).every((verbs) => verbs.length === 1 && verbs[0] === 'GET');
  if (!greedyOnly) return `${verb} request`;
  const last = resourcePath.split('/').pop()!;
  return /^\{.+\+\}$/.test(last) ? 'proxy' : last;
}

function buildCase(c: RecordedCase, fnName: string, fixtures: Fixtures): Built {
  const api = c.api;
  const stage = typeof api.stage === 'string' ? api.stage : (api.stage?.name ?? 'dev');
  const variables: Record<string, string> = typeof api.stage === 'object' ? (api.stage.variables ?? {}) : {};
  const functions: Record<string, string> = { [fnName]: lambdaFor(c) };
  const def: RestApiDefinition = { name: c.id, resources: {} };
  const resources = def.resources!;

  if (api.openapiFile) {
    const imported = importOpenApiText(OPENAPI_MOCK, api.openapiFile);
    if (!imported.definition) throw new Error(imported.issues.map((i) => i.message).join('; '));
    return { definition: imported.definition, stage, variables, functions };
  }

  if (api.resources && Object.values(api.resources).every((v) => Array.isArray(v))) {
    // Routing cases: each resource answers with a MOCK naming itself.
    for (const [p, verbs] of Object.entries(api.resources as Record<string, string[]>)) {
      resources[p] = {};
      for (const verb of verbs) {
        const message = routingMessage(p, verb, api.resources);
        resources[p]![verb] = {
          integration: {
            type: 'MOCK',
            requestTemplates: { 'application/json': '{"statusCode": 200}' },
            integrationResponses: [{ statusCode: '200', responseTemplates: { 'application/json': JSON.stringify({ statusCode: 200, message }) } }],
          },
        };
      }
    }
  } else if (api.resources && Object.values(api.resources).every((v) => typeof v === 'string')) {
    // "ANY -> AWS_PROXY lambda" resources (the proxy-event cases).
    for (const p of Object.keys(api.resources)) resources[p] = { ANY: { integration: { type: 'AWS_PROXY', function: fnName } } };
  } else if (api.resources) {
    for (const [p, verbs] of Object.entries(api.resources as Record<string, Record<string, any>>)) {
      resources[p] = {};
      for (const [verb, m] of Object.entries(verbs)) resources[p]![verb] = { integration: integrationOf(c, m.integration, m.integrationResponses, fnName, fixtures) };
    }
  } else {
    const resourcePath: string = api.resource ?? c.request.path ?? '/';
    const verbs: string[] = api.methods ?? [api.method ?? c.request.method];
    resources[resourcePath] = {};
    for (const verb of verbs) {
      const md: MethodDefinition = {};
      const methodRequest = { ...(api.methodRequest ?? {}), ...(api[`methodRequest_${verb}_override`] ?? {}) };
      let requestParameters = methodRequest.requestParameters ?? api.methodRequestParameters;
      if (typeof requestParameters === 'string') {
        // "all mapped method.request.* marked required=True"
        requestParameters = Object.fromEntries(
          Object.values(api.integration.requestParameters as Record<string, string>)
            .filter((s) => s.startsWith('method.request.'))
            .map((s) => [s, true]),
        );
      }
      if (requestParameters) md.requestParameters = requestParameters;
      if (methodRequest.requestModels) md.requestModels = methodRequest.requestModels;
      if (api.requestValidator) md.requestValidator = api.requestValidator.name ?? 'validator';
      if (api.apiKeyRequired) md.apiKeyRequired = true;
      if (api.methodResponses) {
        md.methodResponses = Object.fromEntries(
          (api.methodResponses as any[]).map((r) => [r.statusCode, { ...(r.responseModels ? { responseModels: r.responseModels } : {}), ...(r.responseParameters ? { responseParameters: r.responseParameters } : {}) }]),
        );
      }
      md.integration = integrationOf(c, api.integration, api.integrationResponses, fnName, fixtures);
      resources[resourcePath]![verb] = md;
    }
  }
  if (api.models) {
    def.models = Object.fromEntries(Object.entries(api.models as Record<string, any>).map(([n, m]) => [n, { contentType: m.contentType, schema: m.schema }]));
    // Models the methods name that the case does not define (the console's built-in Empty).
  }
  for (const methods of Object.values(resources)) {
    for (const m of Object.values(methods)) {
      for (const r of Object.values(m.methodResponses ?? {})) {
        for (const model of Object.values(r.responseModels ?? {})) if (!def.models?.[model]) def.models = { ...def.models, [model]: { schema: { type: 'object' } } };
      }
    }
  }
  if (api.requestValidator) {
    def.requestValidators = {
      [api.requestValidator.name ?? 'validator']: {
        validateRequestBody: api.requestValidator.validateRequestBody,
        validateRequestParameters: api.requestValidator.validateRequestParameters,
      },
    };
  }
  if (api.gatewayResponses) def.gatewayResponses = api.gatewayResponses;
  if (api.binaryMediaTypes) def.binaryMediaTypes = api.binaryMediaTypes;
  if (api.apiKeySource) def.apiKeySource = api.apiKeySource;
  return { definition: def, stage, variables, functions };
}

/** The same API with every response template replaced: the deployment a case must NOT be served from. */
function decoy(def: RestApiDefinition): RestApiDefinition {
  const copy = structuredClone(def);
  for (const methods of Object.values(copy.resources ?? {})) {
    for (const m of Object.values(methods)) {
      const responses = m.integration?.integrationResponses;
      for (const r of Array.isArray(responses) ? responses : Object.values(responses ?? {})) {
        if (r.responseTemplates) r.responseTemplates = Object.fromEntries(Object.keys(r.responseTemplates).map((ct) => [ct, '{"message": "served by the other deployment"}']));
      }
    }
  }
  return copy;
}

// ---------------------------------------------------------------------------------------------
// Running a case

interface Outcome {
  readonly trace?: Trace;
  readonly hit?: ReturnType<EchoBackends['lastHit']>;
  readonly queueMessages?: string[];
  readonly error?: ApiGatewayError;
  readonly controlPlane?: unknown;
  readonly log?: string[];
}

class Runner {
  gateway!: Gateway;
  readonly echo = new EchoBackends();
  private seq = 0;

  async start(): Promise<void> {
    await this.echo.start();
    this.gateway = new Gateway({ seed: 'rest-conformance', clock: new VirtualClock(), accountId: ACCOUNT_ID, region: REGION });
    for (const origin of Object.values(ORIGINS)) this.gateway.http.mapOrigin(origin, { host: '127.0.0.1', port: this.echo.port, latencyMs: 20 });
  }

  async close(): Promise<void> {
    await this.gateway?.close();
    await this.echo.close();
  }

  private newApi(def: RestApiDefinition): RestApiHost {
    const host = this.gateway.createRestApi({ name: def.name ?? 'api' });
    // Models refer to each other by URLs that contain the API id, known only now.
    const withId = JSON.parse(JSON.stringify(def).replaceAll('<api-id>', host.id)) as RestApiDefinition;
    host.setDraft(restApiFromDefinition(withId, { id: host.id, ids: this.gateway.ids, region: REGION, accountId: ACCOUNT_ID }));
    return host;
  }

  async run(c: RecordedCase): Promise<string[]> {
    const n = ++this.seq;
    if (c.request.controlPlane) return this.controlPlane(c, n);

    const fixtures: Fixtures = { queue: `conformance-queue-${n}`, queueUrl: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT_ID}/conformance-queue-${n}`, bucket: `conformance-bucket-${n}` };
    const fnName = `case${n}`;
    const built = buildCase(c, fnName, fixtures);
    for (const [name, code] of Object.entries(built.functions)) {
      this.gateway.lambda.register({ ...FUNCTION_DEFAULTS, environment: {}, name, code, coldStartMs: 0 });
    }
    if (JSON.stringify(built.definition).includes(fixtures.queue)) this.gateway.queues.createQueue(fixtures.queue, this.gateway.clock.now());
    if (c.api.objects) {
      this.gateway.objects.createBucket(fixtures.bucket);
      // Uploaded with boto3's put_object and no ContentType: S3 stores binary/octet-stream.
      for (const [key, text] of Object.entries(c.api.objects as Record<string, string>)) this.gateway.objects.putObject(fixtures.bucket, key, Buffer.from(text));
    }

    const host = this.newApi(built.definition);
    const canary = typeof c.api.stage === 'object' ? c.api.stage.canarySettings : undefined;
    if (canary) {
      // The recorded template is the one the expected deployment serves; the other one gets a decoy.
      const toCanary = canary.percentTraffic > 0;
      if (toCanary) host.setDraft(restApiFromDefinition(decoy(built.definition), { id: host.id, ids: this.gateway.ids, region: REGION, accountId: ACCOUNT_ID, previous: host.draft }));
      host.deploy(built.stage, { stage: { variables: built.variables } });
      host.setDraft(
        restApiFromDefinition(toCanary ? built.definition : decoy(built.definition), { id: host.id, ids: this.gateway.ids, region: REGION, accountId: ACCOUNT_ID, previous: host.draft }),
      );
      host.deployCanary(built.stage, canary.percentTraffic, canary.stageVariableOverrides ?? {});
    } else {
      host.deploy(built.stage, { stage: { variables: built.variables } });
    }

    let keyValue: string | undefined;
    if (c.api.usagePlan) {
      const key = this.gateway.controlPlane.createApiKey({ name: `key-${n}`, enabled: c.api.apiKey?.enabled ?? true });
      keyValue = key.value;
      this.gateway.usage.putPlan({
        id: `plan${n}`,
        name: `plan-${n}`,
        apiStages: (c.api.usagePlan.apiStages as any[]).map((s) => ({ apiId: host.id, stage: s.stage })),
        ...(c.api.usagePlan.throttle ? { throttle: c.api.usagePlan.throttle } : {}),
        ...(c.api.usagePlan.quota ? { quota: { offset: 0, ...c.api.usagePlan.quota } } : {}),
        keyIds: c.api.apiKey?.linkedToUsagePlan === false ? [] : [key.id],
      });
    }

    const req = this.requestOf(c, built.stage, keyValue);
    const hitsBefore = this.echo.hits.length;
    const trace = await host.handle(req);
    this.gateway.clock.advanceTo(trace.startedAt + trace.durationMs);
    const hit = this.echo.hits.length > hitsBefore ? this.echo.lastHit() : undefined;
    const queue = this.gateway.queues.find(fixtures.queue);
    return compare(c, { trace, ...(hit ? { hit } : {}), ...(queue ? { queueMessages: queue.messages.map((m) => m.body) } : {}) });
  }

  private requestOf(c: RecordedCase, stage: string, keyValue: string | undefined): HttpRequest {
    const r = c.request;
    const caseHeaders: Record<string, string> = r.headers?.note !== undefined ? { ...HEADER_REMAPPING_CLIENT_HEADERS } : { ...(r.headers ?? {}) };
    const headers: Record<string, string[]> = {};
    const set = (k: string, v: string) => {
      for (const existing of Object.keys(headers)) if (existing.toLowerCase() === k.toLowerCase()) delete headers[existing];
      headers[k] = [v === '<key value>' ? (keyValue ?? v) : v];
    };
    for (const [k, v] of Object.entries(PYTHON_REQUESTS_DEFAULTS)) set(k, v);
    for (const [k, v] of Object.entries(caseHeaders)) set(k, v);
    let body: string | null = r.body ?? null;
    if (body === '<lambda response JSON, echoed back by the lambda>') {
      body = JSON.stringify({ ...c.api.lambdaReturns, body: PNG_1X1_BASE64 });
    }
    let rawPath: string;
    let rawQuery: string;
    if (r.rawUrlPath !== undefined) {
      rawPath = r.rawUrlPath;
      // The client percent-encodes spaces and never sends a '#' fragment.
      rawQuery = String(r.rawQueryString ?? '').split('#')[0]!.replace(/ /g, '%20');
    } else {
      rawPath = `/${stage}${r.path === '/' ? '' : r.path}`;
      rawQuery = Object.entries((r.query ?? {}) as Record<string, string | string[]>)
        .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(x)}`))
        .join('&');
    }
    return makeRequest({ method: r.method, path: rawPath, rawQuery, headers, body, sourceIp: '203.0.113.10' });
  }

  private async controlPlane(c: RecordedCase, n: number): Promise<string[]> {
    const op: string = c.request.controlPlane;
    const cp = this.gateway.controlPlane;
    const attempt = async (fn: () => unknown): Promise<Outcome> => {
      try {
        return { controlPlane: await fn() };
      } catch (err) {
        if (err instanceof ApiGatewayError) return { error: err };
        throw err;
      }
    };
    const fresh = () => this.newApi({ name: `fresh-${n}`, resources: { '/': {} } });
    if (op.startsWith('GET /restapis/{id}/gatewayresponses')) {
      const api = fresh();
      return compare(c, await attempt(() => cp.getGatewayResponses(api.id)));
    }
    if (op.startsWith('PUT DEFAULT_5XX')) {
      const api = fresh();
      // "several puts, last one templates-only", then DEFAULT_5XX with 599, then AUTHORIZER_FAILURE params-only.
      cp.putGatewayResponse(api.id, 'MISSING_AUTHENTICATION_TOKEN', { statusCode: '404', responseParameters: { 'gatewayresponse.header.x-test': "'1'" } });
      cp.putGatewayResponse(api.id, 'MISSING_AUTHENTICATION_TOKEN', { responseTemplates: { 'application/json': '{"message": "custom"}' } });
      cp.putGatewayResponse(api.id, 'DEFAULT_5XX', {
        statusCode: '599',
        responseParameters: { 'gatewayresponse.header.x-5xx': "'yes'" },
        responseTemplates: { 'application/json': '{"error": $context.error.messageString}' },
      });
      cp.putGatewayResponse(api.id, 'AUTHORIZER_FAILURE', { responseParameters: { 'gatewayresponse.header.foo': "'bar'" } });
      return compare(c, await attempt(() => cp.getGatewayResponses(api.id)));
    }
    if (op.startsWith('PutMethod')) {
      const api = fresh();
      const verb = /httpMethod=(\w+)/.exec(op)?.[1] ?? 'ANY';
      const authorizationType = /authorizationType=(\w+)/.exec(op)?.[1] as MethodDefinition['authorizationType'];
      return compare(c, await attempt(() => cp.putMethod(api.id, '/', verb, { authorizationType })));
    }
    if (op.startsWith('CreateAuthorizer')) {
      return compare(
        c,
        await attempt(() => cp.createAuthorizer(c.api.restApiId, { name: 'authorizer', type: 'TOKEN', function: 'authorizer', identitySource: 'method.request.header.Authorization' })),
      );
    }
    if (op.startsWith('GetAuthorizers')) return compare(c, await attempt(() => cp.getAuthorizers(c.api.restApiId)));
    if (op.startsWith('CreateApiKey')) {
      const value = /value='([^']*)'/.exec(op)?.[1] ?? '';
      return compare(c, await attempt(() => cp.createApiKey({ name: `key-${n}`, value })));
    }
    if (op.startsWith('TestInvokeMethod')) {
      const fnName = `case${n}`;
      const built = buildCase(c, fnName, { queue: '', queueUrl: '', bucket: '' });
      for (const [name, code] of Object.entries(built.functions)) this.gateway.lambda.register({ ...FUNCTION_DEFAULTS, environment: {}, name, code, coldStartMs: 0 });
      const api = this.newApi(built.definition);
      const r = c.request;
      const out = await attempt(() =>
        cp.testInvokeMethod(api.id, c.api.resource, r.httpMethod, { pathWithQueryString: r.pathWithQueryString, headers: r.headers ?? {}, body: r.body ?? null }),
      );
      return compare(c, out);
    }
    return [`control-plane operation not understood by the harness: ${op}`];
  }
}

// ---------------------------------------------------------------------------------------------
// Expectations

function bodyBytes(trace: Trace): Buffer {
  return trace.response.isBase64Encoded ? Buffer.from(trace.response.body, 'base64') : Buffer.from(trace.response.body, 'utf8');
}

function compare(c: RecordedCase, out: Outcome): string[] {
  if (process.env.REST_CONFORMANCE_DUMP && c.id.includes(process.env.REST_CONFORMANCE_DUMP)) {
    console.log(c.id, JSON.stringify({ response: out.trace?.response, log: out.trace?.executionLog, hit: out.hit && { ...out.hit, body: out.hit.body.toString() }, queue: out.queueMessages, cp: out.controlPlane, error: out.error?.message }, null, 1));
  }
  const m = new Matcher();
  const e = c.expected;
  const trace = out.trace;
  const cp = out.controlPlane as any;
  const problems: string[] = [];
  for (const [key, want] of Object.entries(e)) {
    switch (key) {
      case 'status': {
        const got = trace?.response.statusCode ?? (out.error ? out.error.statusCode : (cp?.status ?? 200));
        m.value(want, got, 'status');
        break;
      }
      case 'bodyText':
        m.value(want, bodyBytes(trace!).toString('utf8'), 'body');
        break;
      case 'bodyJson': {
        const text = bodyBytes(trace!).toString('utf8');
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          problems.push(`body: not JSON: ${JSON.stringify(text.slice(0, 200))}`);
          break;
        }
        if (want && typeof want === 'object' && 'stackTrace' in want && 'errorType' in want) {
          // A Lambda error payload from the recording's Python runtime ({errorMessage, errorType,
          // requestId, stackTrace}); the sandbox runs Node.js, whose payload is {errorType,
          // errorMessage, trace}. What API Gateway decides — status and pass-through — is the same.
          m.value({ errorMessage: want.errorMessage, errorType: want.errorType }, parsed, 'body', { subset: true });
          break;
        }
        m.value(want, parsed, 'body');
        break;
      }
      case 'body': {
        const bytes = bodyBytes(trace!);
        if (want === 'the base64 string as text') m.value(PNG_1X1_BASE64, bytes.toString('utf8'), 'body');
        else if (want === 'decoded binary bytes') {
          if (!bytes.equals(Buffer.from(PNG_1X1_BASE64, 'base64'))) problems.push(`body: expected the decoded PNG bytes, got ${JSON.stringify(bytes.toString('utf8').slice(0, 80))}`);
        } else problems.push(`body: unknown expectation ${JSON.stringify(want)}`);
        break;
      }
      case 'headers':
        if (cp && !trace) m.headers(want, cp.headers ?? {}, 'headers', false);
        else m.headers(want, trace!.response.headers, 'headers', false);
        break;
      case 'headersSubset':
        m.headers(want, trace!.response.headers, 'headers', false);
        break;
      case 'clientResponseHeaders':
        m.headers(want, trace!.response.headers, 'client response headers', true);
        break;
      case 'event':
      case 'eventSubset': {
        const event = JSON.parse(bodyBytes(trace!).toString('utf8')) as Record<string, any>;
        if (key === 'event') {
          // CloudFront-*, Via and X-Amz-Cf-Id come from the edge in front of the recording (notes): not API Gateway's.
          const noise = (h: string) => /^(cloudfront-|via$|x-amz-cf-id$)/i.test(h);
          const strip = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([k]) => !noise(k)));
          const want2 = { ...want, headers: strip(want.headers), multiValueHeaders: strip(want.multiValueHeaders) };
          m.value(want2, event, 'event');
        } else {
          for (const [dotted, v] of Object.entries(want as Record<string, unknown>)) {
            const [head, ...rest] = dotted.split('.');
            const actual = rest.length ? event[head!]?.[rest.join('.')] : event[head!];
            m.value(v, actual, `event.${dotted}`);
          }
        }
        break;
      }
      case 'backendReceivedHeaders':
        if (!out.hit?.view) problems.push('the backend received nothing');
        else m.headers(want, out.hit.view.headers as Record<string, string>, 'backend received headers', true);
        break;
      case 'backendReceivedBody':
        if (!out.hit) problems.push('the backend received nothing');
        else m.value(want, out.hit.body.toString('utf8'), 'backend received body');
        break;
      case 'backendReceived': {
        const view = out.hit?.view;
        if (!view) {
          problems.push('the backend received nothing');
          break;
        }
        if (want.method !== undefined) m.value(want.method, view.method, 'backend method');
        if (want.args !== undefined) m.value(want.args, view.args, 'backend args');
        if (want.headers !== undefined) m.headers(want.headers, view.headers as Record<string, string>, 'backend headers', true);
        break;
      }
      case 'renderedMessageBodyJson': {
        const messages = out.queueMessages ?? [];
        if (messages.length !== 1) {
          problems.push(`expected one queue message, found ${messages.length}`);
          break;
        }
        // The recorded key order is AWS's iteration order: compared too.
        m.value(want, JSON.parse(messages[0]!), 'message', { ordered: true });
        break;
      }
      case 'logLines': {
        const lines: string[] = cp ? String(cp.log).split('\n') : [...(trace?.executionLog ?? []), ''];
        const wanted = Object.keys(want).sort().map((k) => want[k] as string);
        if (lines.length !== wanted.length) problems.push(`log: expected ${wanted.length} lines, got ${lines.length}:\n${lines.join('\n')}`);
        wanted.forEach((w, i) => m.text(w, lines[i] ?? '', `log line ${i}`));
        break;
      }
      case 'defaults':
        for (const [type, d] of Object.entries(want as Record<string, any>)) {
          const item = (cp as any[]).find((x) => x.responseType === type);
          if (!item) problems.push(`gateway response ${type} missing`);
          else m.value(d, { statusCode: item.statusCode, responseTemplates: item.responseTemplates, responseParameters: item.responseParameters }, `defaults.${type}`);
        }
        break;
      case 'byType':
        for (const [type, d] of Object.entries(want as Record<string, any>)) {
          const item = (cp as any[]).find((x) => x.responseType === type);
          if (!item) problems.push(`gateway response ${type} missing`);
          else m.value(d, { statusCode: item.statusCode, defaultResponse: item.defaultResponse }, `byType.${type}`);
        }
        break;
      case 'error':
        if (!out.error) problems.push(`expected error ${JSON.stringify(want)}, but the operation succeeded`);
        else m.value(want, { Code: out.error.code, Message: out.error.message }, 'error');
        break;
      default:
        problems.push(`the harness does not know how to check "${key}"`);
    }
  }
  return [...problems, ...m.problems];
}

// ---------------------------------------------------------------------------------------------

describe('REST API conformance with AWS (recorded)', () => {
  const runner = new Runner();
  beforeAll(() => runner.start());
  afterAll(() => runner.close());

  it('every recorded case', async () => {
    const cases = loadCases();
    const failures: string[] = [];
    const skipped: string[] = [];
    let passed = 0;
    for (const c of cases) {
      if (SKIPS[c.id]) {
        skipped.push(`${c.id}: ${SKIPS[c.id]}`);
        continue;
      }
      let problems: string[];
      try {
        problems = await runner.run(c);
      } catch (err) {
        problems = [`the harness or engine threw: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`];
      }
      if (problems.length === 0) passed++;
      else failures.push(`${c.id}\n    ${problems.join('\n    ')}`);
    }
    console.log(`rest-conformance: ${passed} passed, ${failures.length} failed, ${skipped.length} skipped`);
    for (const s of skipped) console.log(`  skipped ${s}`);
    for (const f of failures) console.log(`  FAILED ${f}`);
    expect(failures).toEqual([]);
    expect(skipped.length).toBeLessThan(cases.length * 0.1);
  });
});
