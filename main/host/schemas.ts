/**
 * One JSON Schema per GatewayApi call, for its argument list. Both transports (Electron IPC and
 * the WebSocket bridge) validate every call with these before the service sees it: the renderer
 * is treated as untrusted input like any other.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import type { GatewayCallName } from '../../engine/api/types';
import { CACHE_HOURLY_PRICE } from '../../engine/services/cost';
import { MAX_TEMPLATE_BYTES } from '../../engine/vtl';

type Schema = Record<string, unknown>;

const id: Schema = { type: 'string', minLength: 1, maxLength: 200 };
const gateway: Schema = { enum: ['REST', 'HTTP', 'WEBSOCKET'] };
const stringOrList: Schema = {
  anyOf: [
    { type: 'string', maxLength: 65536 },
    { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 65536 } },
  ],
};
const multiMap: Schema = {
  type: 'object',
  maxProperties: 200,
  propertyNames: { minLength: 1, maxLength: 512 },
  additionalProperties: stringOrList,
};

export const requestSpecSchema: Schema = {
  type: 'object',
  required: ['method', 'path'],
  additionalProperties: false,
  properties: {
    method: { type: 'string', pattern: '^[A-Za-z]{1,16}$' },
    path: { type: 'string', pattern: '^/', maxLength: 8192 },
    headers: multiMap,
    query: multiMap,
    body: {},
    isBase64Encoded: { type: 'boolean' },
    sourceIp: { type: 'string', maxLength: 64 },
    testInvoke: { type: 'boolean' },
  },
};

const stringMap = (maxProperties: number, maxLength: number): Schema => ({
  type: 'object',
  maxProperties,
  propertyNames: { minLength: 1, maxLength: 512 },
  additionalProperties: { type: 'string', maxLength },
});

/** What a mapping template sees in the playground. Sizes: API Gateway's payload limit is 10 MB; a playground body needs far less. */
const templateInputSchema: Schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    body: { type: 'string', maxLength: 2 * 1024 * 1024 },
    params: {
      type: 'object',
      additionalProperties: false,
      properties: { path: stringMap(100, 8192), querystring: stringMap(100, 8192), header: stringMap(100, 8192) },
    },
    context: { type: 'object', maxProperties: 200 },
    stageVariables: stringMap(100, 2048),
  },
};

/** An argument list: the first `required` items must be there, at most `items.length` in all. */
function args(items: Schema[], required = items.length): Schema {
  if (items.length === 0) return { type: 'array', maxItems: 0 };
  return { type: 'array', minItems: required, maxItems: items.length, items, additionalItems: false };
}

export const CALL_SCHEMAS: Record<GatewayCallName, Schema> = {
  hostInfo: args([]),
  listScenarios: args([]),
  openScenarioDialog: args([]),
  openScenarioText: args([
    {
      type: 'object',
      required: ['name', 'text'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 255 },
        text: { type: 'string', maxLength: 5 * 1024 * 1024 },
      },
    },
  ]),
  openSession: args([{ type: 'string', minLength: 1, maxLength: 300, pattern: '^(bundled|file):' }]),
  resetSession: args([id]),
  closeSession: args([id]),
  runStep: args([id, { type: 'integer', minimum: 1, maximum: 100000 }]),
  sendRequest: args([id, requestSpecSchema, gateway], 2),
  compare: args([id, requestSpecSchema, { type: 'array', minItems: 1, maxItems: 3, uniqueItems: true, items: gateway }]),
  estimateCost: args([
    {
      type: 'object',
      required: ['gateways', 'requestsPerMonth'],
      additionalProperties: false,
      properties: {
        gateways: { type: 'array', minItems: 1, maxItems: 3, uniqueItems: true, items: gateway },
        requestsPerMonth: { type: 'number', minimum: 0, maximum: 1e13 },
        averageBytes: { type: 'number', minimum: 0, maximum: 10 * 1024 * 1024 },
        cacheSizeGb: { enum: Object.keys(CACHE_HOURLY_PRICE) },
        connectionMinutes: { type: 'number', minimum: 0, maximum: 1e13 },
      },
    },
  ]),
  listTemplates: args([]),
  renderTemplate: args([{ type: 'string', maxLength: MAX_TEMPLATE_BYTES }, templateInputSchema], 1),
  startLoad: args([
    id,
    {
      type: 'object',
      required: ['request', 'arrival', 'ratePerSecond', 'durationSeconds'],
      additionalProperties: false,
      properties: {
        request: requestSpecSchema,
        gateway,
        arrival: { enum: ['constant', 'poisson', 'burst'] },
        ratePerSecond: { type: 'number', exclusiveMinimum: 0, maximum: 100000 },
        durationSeconds: { type: 'number', exclusiveMinimum: 0, maximum: 86400 },
        burstEverySeconds: { type: 'number', exclusiveMinimum: 0, maximum: 86400 },
        apiKey: { type: 'string', minLength: 1, maxLength: 200 },
        sampleTraces: { type: 'integer', minimum: 0, maximum: 100 },
      },
    },
  ]),
  cancelLoad: args([id]),
  startLive: args(
    [id, { type: 'object', additionalProperties: false, properties: { port: { type: 'integer', minimum: 0, maximum: 65535 }, gateway } }],
    1,
  ),
  stopLive: args([id]),
  exportTrace: args([id, id, { enum: ['json', 'har'] }]),
};

const ajv = new Ajv({ allErrors: false, strict: true, strictTuples: false });
const compiled = new Map<GatewayCallName, ValidateFunction>();

/** null when the arguments are valid, else a one-line reason. */
export function checkArgs(call: GatewayCallName, argv: unknown): string | null {
  let validate = compiled.get(call);
  if (!validate) {
    validate = ajv.compile(CALL_SCHEMAS[call]);
    compiled.set(call, validate);
  }
  if (validate(argv)) return null;
  const e = validate.errors?.[0];
  if (!e) return 'invalid arguments';
  const where = e.instancePath ? `argument ${e.instancePath.replace(/^\/(\d+)/, (_m, n: string) => String(Number(n) + 1))}` : 'the argument list';
  return `${call}: ${where} ${e.message ?? 'is invalid'}`;
}
