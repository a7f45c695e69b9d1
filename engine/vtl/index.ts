/**
 * API Gateway mapping templates: Velocity 1.7 with AWS's $input, $util, $context and
 * $stageVariables.
 *
 *   renderTemplate('{"name": $input.json(\'$.name\')}', undefined, { input: { body, params } })
 *
 * Two flavors share one engine (see RenderFlavor): stock Velocity 1.7, checked byte for byte
 * against recordings of Apache Velocity 1.7, and API Gateway's, which differs where AWS was
 * recorded to differ (null references render as nothing). A render that is given any API
 * Gateway state (input, context or stage variables) uses the API Gateway flavor.
 *
 * Module map: parser.ts (Velocity's grammar) → render.ts (its semantics) over the Java value
 * model of java-values.ts, with java-methods.ts / java-regex.ts / java-math.ts for Java's
 * behaviour; util.ts, input.ts (+ jsonpath.ts, json.ts) and context.ts for AWS's variables.
 */
import type { Template } from './ast';
import { buildContext, buildStageVariables, readOverrides, untouchedOverrides, type Overrides } from './context';
import { TemplateError } from './errors';
import { InputObject, type InputParams } from './input';
import { JavaMap, fromPlain } from './java-values';
import { JsonSyntaxError, parseJsonToJava } from './json';
import { parseTemplate } from './parser';
import { setRegexDeadline } from './regex-guard';
import { Renderer, type RenderFlavor, type RenderState } from './render';
import { UtilObject } from './util';

export { TemplateError } from './errors';
export { parseJsonPreservingNumbers } from './json';
export type { RenderFlavor } from './render';

/** API Gateway's limit on a mapping template. */
export const MAX_TEMPLATE_BYTES = 300 * 1024;
export const DEFAULT_DEADLINE_MS = 1000;

export interface RenderOptions {
  /** The payload and its parameters (`params` may be a function, called only if the template reads them). */
  input?: { body: string; params: InputParams | (() => InputParams) };
  /** $context; nested objects (identity, authorizer, requestOverride, responseOverride, error...). */
  context?: Record<string, unknown>;
  stageVariables?: Record<string, string>;
  /** Wall-clock budget for this render; default 1000. */
  deadlineMs?: number;
  /**
   * 'aws' or 'velocity' (stock Velocity 1.7). Default: 'aws' when input, context or
   * stageVariables is given, otherwise 'velocity'.
   */
  flavor?: RenderFlavor;
}

export interface RenderResult {
  output: string;
  /** The references the template read from outside ($input..., $context..., variables), deduplicated, in first-read order. */
  reads: string[];
  /** What the template wrote to $context.requestOverride.*. */
  requestOverride: Overrides['requestOverride'];
  /** What it wrote to $context.responseOverride.* (status as a number when it parses). */
  responseOverride: Overrides['responseOverride'];
  /** Both override maps as the template left them (custom keys too), to seed the next template's $context. */
  contextOverrides: Overrides['contextOverrides'];
}

const CACHE_LIMIT = 256;
const compiled = new Map<string, Template>();

/** Parses a template (cached by its text). Throws TemplateError with the line and column. */
export function compileTemplate(template: string): Template {
  const hit = compiled.get(template);
  if (hit) {
    // Refresh its place so the cache evicts the least recently used template.
    compiled.delete(template);
    compiled.set(template, hit);
    return hit;
  }
  if (Buffer.byteLength(template, 'utf8') > MAX_TEMPLATE_BYTES) {
    throw new TemplateError(`Template is larger than ${MAX_TEMPLATE_BYTES / 1024} KB`, 1, 1);
  }
  const parsed = parseTemplate(template);
  if (compiled.size >= CACHE_LIMIT) compiled.delete(compiled.keys().next().value as string);
  compiled.set(template, parsed);
  return parsed;
}

/** Whether a template can read $context: by name, or by building a reference with #evaluate. */
const contextReaders = new Map<string, boolean>();
export function templateReadsContext(template: string): boolean {
  let reads = contextReaders.get(template);
  if (reads === undefined) {
    reads = template.includes('context') || template.includes('evaluate');
    if (contextReaders.size >= CACHE_LIMIT) contextReaders.clear();
    contextReaders.set(template, reads);
  }
  return reads;
}

function variablesMap(variables: Record<string, unknown> | string | undefined): Map<string, unknown> {
  const vars = new Map<string, unknown>();
  if (variables === undefined) return vars;
  if (typeof variables === 'string') {
    let parsed: unknown;
    try {
      parsed = parseJsonToJava(variables);
    } catch (e) {
      if (e instanceof JsonSyntaxError) throw new Error(`variables are not valid JSON: ${e.message}`);
      throw e;
    }
    if (!(parsed instanceof JavaMap)) throw new Error('variables must be a JSON object');
    for (const [k, v] of parsed.entries()) if (v !== null) vars.set(String(k), v);
    return vars;
  }
  for (const [k, v] of Object.entries(variables)) if (v !== null && v !== undefined) vars.set(k, fromPlain(v));
  return vars;
}

export function renderTemplateDetailed(template: string, variables?: Record<string, unknown> | string, options: RenderOptions = {}): RenderResult {
  const tpl = compileTemplate(template);
  const vars = variablesMap(variables);
  const apiGateway = options.input !== undefined || options.context !== undefined || options.stageVariables !== undefined;
  const flavor: RenderFlavor = options.flavor ?? (apiGateway ? 'aws' : 'velocity');
  let context: JavaMap | undefined;
  let untouched: Overrides | undefined;
  if (apiGateway) {
    const input = options.input ?? { body: '', params: { path: {}, querystring: {}, header: {} } };
    // A template that cannot reach $context still carries the overrides through; building the
    // rest of the map (identity, authorizer...) for it is most of a simple render's cost.
    const given = options.context;
    if (templateReadsContext(template)) context = buildContext(given);
    else {
      untouched = untouchedOverrides(given);
      if (!untouched) context = buildContext(given && { requestOverride: given.requestOverride, responseOverride: given.responseOverride });
    }
    vars.set('input', new InputObject(input.body, input.params));
    // Unset when the template cannot name it.
    if (context) vars.set('context', context);
    vars.set('stageVariables', buildStageVariables(options.stageVariables));
  }
  // Text with no reference and no directive renders as itself (a MOCK integration's
  // `{"statusCode": 200}`): no renderer needed.
  if (!template.includes('$') && !template.includes('#')) return { output: template, reads: [], ...(untouched ?? readOverrides(context)) };
  vars.set('util', new UtilObject(flavor));
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const state: RenderState = {
    flavor,
    deadlineMs,
    deadlineAt: performance.now() + deadlineMs,
    macros: new Map(),
    reads: [],
    localNames: new Set(['foreach', 'velocityCount', 'velocityHasNext']),
    steps: 0,
    macroDepth: 0,
    evaluateDepth: 0,
  };
  setRegexDeadline(state.deadlineAt, deadlineMs);
  const output = new Renderer(state).render(tpl, vars);
  const overrides = untouched ?? readOverrides(context);
  return { output, reads: state.reads, ...overrides };
}

/** Renders a template: returns the output, or throws a TemplateError carrying `line` and `column`. */
export function renderTemplate(template: string, variables?: Record<string, unknown> | string, options?: RenderOptions): string {
  return renderTemplateDetailed(template, variables, options).output;
}
