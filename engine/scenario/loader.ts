/**
 * Load a scenario file: YAML → JSON Schema validation → files resolved → defaults filled in.
 * Every problem is reported as `file:line:col path: message`; a malformed file never throws.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv, { type ErrorObject } from 'ajv';
import { FUNCTION_DEFAULTS, type FunctionConfig } from '../backends/lambda/service';
import { type DocPath, type ParsedSource, formatPath, parseYamlSource, pointerToPath } from '../import/yaml-source';
import { importOpenApi } from '../import/openapi';
import { DefinitionError, type RestApiDefinition, restApiFromDefinition } from '../model/rest-definition';
import { IdGenerator, SeededRandom } from '../core/random';
import type { GatewayType } from '../trace/types';
import { checkServiceSettings } from './services-checks';
import { checkHttpScenarioApi, withDefaultHttpStages } from '../http/scenario-api';
import type { ApiSource, BackendConfig, LoadIssue, LoadResult, Scenario, ScenarioStep, StageConfig } from './types';
import type { WebSocketApiDefinition } from '../websocket/definition';
import { WEBSOCKET_STEP_KINDS, checkWebSocketApi, checkWebSocketSteps, loadTables, webSocketStepFields } from '../websocket/scenario-loader';

export const SCENARIO_SCHEMA_PATH = fileURLToPath(new URL('../../scenarios/scenario.schema.json', import.meta.url));

let validator: ReturnType<Ajv['compile']> | undefined;
function schemaValidator(): ReturnType<Ajv['compile']> {
  if (!validator) {
    const schema = JSON.parse(fs.readFileSync(SCENARIO_SCHEMA_PATH, 'utf8')) as object;
    validator = new Ajv({ allErrors: true, strict: false, verbose: true }).compile(schema);
  }
  return validator;
}

/** Scenario files are `*.yaml` / `*.yml` with top-level `id` and `steps`. */
export function looksLikeScenario(file: string): boolean {
  if (!/\.ya?ml$/i.test(file)) return false;
  try {
    const head = fs.readFileSync(file, 'utf8');
    return /^id:/m.test(head) && /^steps:/m.test(head);
  } catch {
    return false;
  }
}

export function loadScenarioFile(file: string): LoadResult {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    return fail([issue(file, { line: 1, column: 1 }, [], `cannot read the file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`)]);
  }
  return loadScenarioText(text, file);
}

export function loadScenarioText(text: string, file: string): LoadResult {
  const src = parseYamlSource(text);
  if (src.syntaxErrors.length > 0) {
    return fail(src.syntaxErrors.map((e) => ({ file, line: e.line, column: e.column, path: '', message: `YAML syntax error: ${e.message}`, severity: 'error' })));
  }
  const raw = src.value;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return fail([issue(file, { line: 1, column: 1 }, [], 'a scenario is a mapping with id, title, gateway and steps')]);
  }
  const validate = schemaValidator();
  if (!validate(raw)) return fail(schemaIssues(validate.errors ?? [], raw, src, file));

  const errors: LoadIssue[] = [];
  const warnings: LoadIssue[] = [];
  const at = (p: DocPath, message: string, severity: 'error' | 'warning' = 'error') =>
    (severity === 'error' ? errors : warnings).push({ ...issue(file, src.locate(p), p, message), severity });
  const r = raw as Record<string, any>;
  const dir = path.dirname(file);

  const gateways: GatewayType[] = Array.isArray(r.gateway) ? r.gateway : [r.gateway];
  const apis: Partial<Record<GatewayType, ApiSource>> = {};
  const loadApi = (source: Record<string, any>, p: DocPath, type: GatewayType = 'REST'): ApiSource | undefined => {
    if (type === 'WEBSOCKET') return { kind: 'websocket', definition: source as WebSocketApiDefinition };
    if (type === 'HTTP') {
      if (typeof source.openapi === 'string') {
        at([...p, 'openapi'], 'HTTP APIs are defined inline in this version (routes, integrations, authorizers); OpenAPI import is REST-only for now');
        return undefined;
      }
      return { kind: 'http', definition: withDefaultHttpStages(source, r.stage) };
    }
    if (typeof source.openapi === 'string') {
      const apiFile = path.resolve(dir, source.openapi);
      const imported = importOpenApi(apiFile);
      for (const e of imported.issues) (e.severity === 'error' ? errors : warnings).push(e);
      return imported.definition ? { kind: 'rest', definition: imported.definition, file: apiFile } : undefined;
    }
    return { kind: 'rest', definition: source as RestApiDefinition };
  };
  if (r.api) {
    if (gateways.length !== 1) at(['api'], 'a comparison scenario (several gateway types) defines apis: { REST: …, HTTP: … }');
    const a = loadApi(r.api, ['api'], gateways[0]);
    if (a) apis[gateways[0]!] = a;
  }
  for (const [type, source] of Object.entries((r.apis ?? {}) as Record<string, Record<string, any>>)) {
    const a = loadApi(source, ['apis', type], type as GatewayType);
    if (a) apis[type as GatewayType] = a;
  }
  for (const g of gateways) {
    if (!apis[g] && !errors.length) at(r.apis ? ['apis'] : [], `no API is defined for gateway type ${g}`);
  }

  const functions: Record<string, FunctionConfig> = {};
  for (const [name, f] of Object.entries((r.functions ?? {}) as Record<string, RawFunction>)) {
    functions[name] = functionConfig(name, f, dir, (p, m) => at(['functions', name, ...p], m));
  }

  const backends: Record<string, BackendConfig> = {};
  for (const [name, b] of Object.entries((r.backends ?? {}) as Record<string, Record<string, any>>)) {
    try {
      new URL(b.url);
    } catch {
      at(['backends', name, 'url'], `"${b.url}" is not a URL (write the origin the API calls, e.g. https://orders.example.com)`);
    }
    if (b.function && !functions[b.function]) at(['backends', name, 'function'], `no function named "${b.function}" is defined under functions`);
    backends[name] = { name, url: b.url, latencyMs: b.latencyMs ?? 20, echo: b.echo ?? false, routes: b.routes ?? [], ...(b.function ? { function: b.function } : {}) };
  }

  // Build each HTTP API once now, so definition errors point at the file.
  for (const [type, source] of Object.entries(apis)) {
    if (source?.kind !== 'http') continue;
    const base: DocPath = r.api ? ['api'] : ['apis', type];
    checkHttpScenarioApi(source.definition, functions, (p, m) => at([...base, ...p], m));
  }

  // Build each REST API once now, so definition errors point at the file.
  for (const [type, source] of Object.entries(apis)) {
    if (source?.kind === 'websocket') checkWebSocketApi(source.definition, r.api ? ['api'] : ['apis', type], functions, (p, m) => at(p, m));
    if (!source || source.kind !== 'rest') continue;
    const base: DocPath = r.api ? ['api'] : ['apis', type];
    try {
      const seed = new SeededRandom('check');
      restApiFromDefinition(source.definition, { id: 'check', ids: new IdGenerator(seed), region: 'us-east-1', accountId: '123456789012' });
    } catch (err) {
      if (!(err instanceof DefinitionError)) throw err;
      for (const i of err.issues) {
        if (source.file) errors.push({ file: source.file, line: 1, column: 1, path: formatPath(i.path), message: i.message, severity: 'error' });
        else at([...base, ...i.path], i.message);
      }
    }
    checkFunctionReferences(source.definition, functions, (p, m) => (source.file ? errors.push({ file: source.file, line: 1, column: 1, path: formatPath(p), message: m, severity: 'error' }) : at([...base, ...p], m)));
  }

  const stageRaw = (r.stage ?? {}) as Record<string, any>;
  // $default exists only for HTTP APIs: REST URLs always start with a named stage.
  if (stageRaw.name === '$default' && gateways.includes('REST')) {
    at(['stage', 'name'], 'REST APIs have no $default stage; their URLs always start with a stage name such as prod');
  }
  const stage: StageConfig = {
    name: stageRaw.name ?? 'prod',
    ...(stageRaw.description ? { description: stageRaw.description } : {}),
    variables: stageRaw.variables ?? {},
    tracingEnabled: stageRaw.tracingEnabled ?? false,
    deploy: stageRaw.deploy ?? true,
    ...(stageRaw.methodSettings ? { methodSettings: stageRaw.methodSettings } : {}),
    ...(stageRaw.throttling ? { throttling: stageRaw.throttling } : {}),
    ...(stageRaw.cache ? { cache: stageRaw.cache } : {}),
    ...(stageRaw.canary ? { canary: stageRaw.canary } : {}),
    ...(stageRaw.accessLogFormat ? { accessLogFormat: stageRaw.accessLogFormat } : {}),
    ...(stageRaw.accessLogDestinationArn ? { accessLogDestinationArn: stageRaw.accessLogDestinationArn } : {}),
    ...(stageRaw.logging ? { logging: stageRaw.logging } : {}),
  };
  checkServiceSettings(r, at);

  const steps: ScenarioStep[] = (r.steps as Record<string, any>[]).map((s, i) => {
    const kinds = ['request', 'edit', 'editFunction', 'deploy', 'wait', 'usage', 'canary', 'promoteCanary', 'updateStage', 'load', 'flushCache', ...WEBSOCKET_STEP_KINDS].filter((k) => s[k] !== undefined);
    if (kinds.length > 1) at(['steps', i], `a step does one thing; this one has ${kinds.join(' and ')}`);
    if (kinds.length === 0 && !s.say) at(['steps', i], 'an empty step: give it a request, edit, deploy, wait or at least say');
    const expectable = s.request || s.load || WEBSOCKET_STEP_KINDS.some((k) => s[k] !== undefined) || (s.wait !== undefined && gateways.includes('WEBSOCKET'));
    if (s.expect && !expectable) at(['steps', i, 'expect'], 'expect needs a request (or a load) in the same step');
    if (s.expect?.canaryRequests !== undefined && !s.repeat) at(['steps', i, 'expect', 'canaryRequests'], 'canaryRequests counts the requests of a repeat: step');
    if (s.editFunction && !functions[s.editFunction.name]) at(['steps', i, 'editFunction', 'name'], `no function named "${s.editFunction.name}"`);
    return {
      index: i + 1,
      line: src.locate(['steps', i]).line,
      ...(s.say ? { say: s.say } : {}),
      ...(s.predict ? { predict: s.predict } : {}),
      ...(s.request ? { request: s.request } : {}),
      ...(s.repeat ? { repeat: s.repeat } : {}),
      ...(s.edit ? { edit: s.edit } : {}),
      ...(s.editFunction ? { editFunction: s.editFunction } : {}),
      ...(s.deploy !== undefined && s.deploy !== false ? { deploy: s.deploy === true ? {} : s.deploy } : {}),
      ...(s.wait !== undefined ? { wait: s.wait } : {}),
      ...(s.usage ? { usage: s.usage } : {}),
      ...(s.canary ? { canary: s.canary } : {}),
      ...(s.promoteCanary ? { promoteCanary: true } : {}),
      ...(s.updateStage ? { updateStage: s.updateStage } : {}),
      ...(s.load ? { load: s.load } : {}),
      ...(s.flushCache !== undefined && s.flushCache !== false ? { flushCache: s.flushCache === true ? stage.name : s.flushCache } : {}),
      ...webSocketStepFields(s),
      ...(s.expect ? (s.load ? { expectLoad: s.expect } : { expect: s.expect }) : {}),
    };
  });
  checkWebSocketSteps(r.steps as Record<string, any>[], gateways, (p, m) => at(p, m));

  if (r.identity) {
    const users = Object.keys(r.identity.users ?? {});
    for (const [name, t] of Object.entries((r.identity.tokens ?? {}) as Record<string, { user: string }>)) {
      if (!users.includes(t.user)) at(['identity', 'tokens', name, 'user'], `no user named "${t.user}" under identity.users`);
    }
  }
  const knownTokens = new Set([...Object.keys(r.identity?.tokens ?? {}), ...Object.keys(r.identity?.users ?? {})]);
  (r.steps as Record<string, any>[]).forEach((s, i) => {
    for (const m of JSON.stringify(s.request ?? {}).matchAll(/\{\{token\.([^}]+)\}\}/g)) {
      if (!r.identity) at(['steps', i, 'request'], `{{token.${m[1]}}} needs an identity: section`);
      else if (!knownTokens.has(m[1]!)) at(['steps', i, 'request'], `no token or user named "${m[1]}" under identity`);
    }
  });

  // Usage plans name keys and stages that must exist (across the whole scenario, patches included).
  const keyNames = new Set<string>(Object.keys(r.apiKeys ?? {}));
  (r.steps as Record<string, any>[]).forEach((s) => Object.keys(s.usage?.apiKeys ?? {}).forEach((k) => keyNames.add(k)));
  const checkPlans = (plans: Record<string, any> | undefined, base: DocPath) => {
    for (const [name, plan] of Object.entries(plans ?? {})) {
      (plan?.keys ?? []).forEach((k: string, i: number) => {
        if (!keyNames.has(k)) at([...base, name, 'keys', i], `no API key named "${k}" under apiKeys`);
      });
    }
  };
  checkPlans(r.usagePlans, ['usagePlans']);
  (r.steps as Record<string, any>[]).forEach((s, i) => checkPlans(s.usage?.usagePlans, ['steps', i, 'usage', 'usagePlans']));
  for (const [name, k] of Object.entries((r.apiKeys ?? {}) as Record<string, { value?: string } | null>)) {
    if (k?.value !== undefined && (k.value.length < 20 || k.value.length > 128)) {
      at(['apiKeys', name, 'value'], k.value.length < 20 ? 'API Key value should be at least 20 characters' : 'API Key value exceeds maximum size of 128 characters');
    }
  }

  let clockStart: number | undefined;
  if (r.clock?.start) {
    clockStart = Date.parse(r.clock.start);
    if (Number.isNaN(clockStart)) at(['clock', 'start'], 'not a valid ISO 8601 time');
  }
  if (errors.length > 0) return { ok: false, errors, warnings };
  const scenario: Scenario = {
    file,
    id: r.id,
    title: r.title,
    ...(r.topic ? { topic: r.topic } : {}),
    ...(r.level ? { level: r.level } : {}),
    teaches: r.teaches === undefined ? [] : Array.isArray(r.teaches) ? r.teaches : [r.teaches],
    gateways,
    seed: r.seed ?? r.id,
    ...(clockStart !== undefined ? { clockStart } : {}),
    ...(r.region ? { region: r.region } : {}),
    apis,
    stage,
    functions,
    backends,
    ...(r.identity ? { identity: r.identity } : {}),
    usage: { apiKeys: r.apiKeys ?? {}, usagePlans: r.usagePlans ?? {} },
    ...(r.account ? { account: r.account } : {}),
    ...(r.services ? { services: r.services } : {}),
    tables: loadTables(r.tables),
    steps,
  };
  return { ok: true, scenario, warnings };
}

function checkFunctionReferences(def: RestApiDefinition, functions: Record<string, FunctionConfig>, report: (p: DocPath, message: string) => void): void {
  for (const [p, methods] of Object.entries(def.resources ?? {})) {
    for (const [verb, m] of Object.entries(methods ?? {})) {
      const fn = m?.integration?.function;
      if (fn && !fn.includes('${') && !functions[fn]) report(['resources', p, verb, 'integration', 'function'], `no function named "${fn}" is defined under functions`);
    }
  }
  for (const [name, a] of Object.entries(def.authorizers ?? {})) {
    if (a.function && !functions[a.function]) report(['authorizers', name, 'function'], `no function named "${a.function}" is defined under functions`);
  }
}

function issue(file: string, pos: { line: number; column: number }, p: DocPath, message: string): LoadIssue {
  return { file, line: pos.line, column: pos.column, path: formatPath(p), message, severity: 'error' };
}

function fail(errors: LoadIssue[]): LoadResult {
  return { ok: false, errors, warnings: [] };
}

/** Turn Ajv's errors into one clear message per problem, at the right line. */
function schemaIssues(errs: readonly ErrorObject[], raw: unknown, src: ParsedSource, file: string): LoadIssue[] {
  const out = new Map<string, LoadIssue>();
  // A failed oneOf/if also reports every branch; keep the specific errors, drop the summaries.
  const specific = errs.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'if' && e.keyword !== 'anyOf');
  const list = specific.length > 0 ? specific : errs;
  for (const e of list) {
    const p = pointerToPath(e.instancePath, raw);
    let pos = src.locate(p);
    let message = e.message ?? 'is invalid';
    const params = e.params as Record<string, unknown>;
    if (e.keyword === 'additionalProperties') {
      const key = String(params.additionalProperty);
      pos = src.locateKey(p, key);
      message = `unknown property "${key}"${suggest(key, e)}`;
      p.push(key);
    } else if (e.keyword === 'required') {
      message = `missing required property "${String(params.missingProperty)}"`;
    } else if (e.keyword === 'enum') {
      message = `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    } else if (e.keyword === 'propertyNames') {
      message = `has an invalid key "${String(params.propertyName)}"`;
      pos = src.locateKey(p, String(params.propertyName));
    } else if (e.keyword === 'type') {
      message = `must be ${String(params.type).replace(',', ' or ')}`;
    }
    const key = `${formatPath(p)}|${message}`;
    if (!out.has(key)) out.set(key, { file, line: pos.line, column: pos.column, path: formatPath(p), message, severity: 'error' });
  }
  // A propertyNames failure also reports the key as a generic pattern/enum error; keep one.
  return [...out.values()].filter((i, _n, all) => !(i.message.startsWith('must match pattern') && all.some((o) => o !== i && o.message.startsWith('has an invalid key'))));
}

function suggest(key: string, e: ErrorObject): string {
  const props = (e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  if (!props) return '';
  const best = Object.keys(props)
    .map((k) => [k, distance(k.toLowerCase(), key.toLowerCase())] as const)
    .sort((a, b) => a[1] - b[1])[0];
  return best && best[1] <= 3 ? ` (did you mean "${best[0]}"?)` : '';
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

/** A function as a scenario (or an OpenAPI document's .functions.yaml) writes it. */
export interface RawFunction {
  readonly code?: string;
  readonly file?: string;
  readonly response?: unknown;
  readonly handler?: string;
  readonly timeout?: number;
  readonly memorySize?: number;
  readonly latencyMs?: number;
  readonly coldStartMs?: number;
  readonly environment?: Record<string, string>;
  readonly reservedConcurrency?: number;
}

export function functionConfig(name: string, f: RawFunction, dir: string, report: (path: DocPath, message: string) => void): FunctionConfig {
  let code: string | undefined = f.code;
  if (f.file) {
    try {
      code = fs.readFileSync(path.resolve(dir, f.file), 'utf8');
    } catch (err) {
      report(['file'], `cannot read ${f.file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }
  if (code === undefined && f.response === undefined && !f.file) report([], 'a function needs code, file or response');
  if (code !== undefined && f.response !== undefined) report([], 'give a function either code or a fixed response, not both');
  return {
    name,
    ...(code !== undefined ? { code } : {}),
    ...(f.response !== undefined ? { response: f.response } : {}),
    handler: f.handler ?? FUNCTION_DEFAULTS.handler,
    filename: f.file ? path.basename(f.file) : /^\s*export\s/m.test(code ?? '') ? 'index.mjs' : FUNCTION_DEFAULTS.filename,
    timeoutSeconds: f.timeout ?? FUNCTION_DEFAULTS.timeoutSeconds,
    memorySize: f.memorySize ?? FUNCTION_DEFAULTS.memorySize,
    latencyMs: f.latencyMs ?? FUNCTION_DEFAULTS.latencyMs,
    coldStartMs: f.coldStartMs ?? FUNCTION_DEFAULTS.coldStartMs,
    environment: f.environment ?? {},
    reservedConcurrency: f.reservedConcurrency ?? FUNCTION_DEFAULTS.reservedConcurrency,
  };
}
