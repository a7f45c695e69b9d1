/**
 * Request-body models: JSON Schema draft 4, as API Gateway validates them. Models may refer to
 * each other with `$ref: https://apigateway.amazonaws.com/restapis/{apiId}/models/{name}`.
 */
import Ajv from 'ajv-draft-04';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { RestApi } from '../../model/rest';

const compiled = new WeakMap<RestApi, Map<string, ValidateFunction | Error>>();

export function modelUrl(apiId: string, name: string): string {
  return `https://apigateway.amazonaws.com/restapis/${apiId}/models/${name}`;
}

/**
 * API Gateway documents that it does not enforce minItems/maxItems and does not support
 * exclusiveMinimum/exclusiveMaximum [reference §1.6]; we drop them so validation agrees. (?)
 */
function stripUnsupported(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(stripUnsupported);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'minItems' || k === 'maxItems' || k === 'exclusiveMinimum' || k === 'exclusiveMaximum') continue;
    out[k] = k === 'properties' || k === 'definitions' || k === 'patternProperties'
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([pk, pv]) => [pk, stripUnsupported(pv)]))
      : stripUnsupported(v);
  }
  return out;
}

export function modelValidator(api: RestApi, name: string): ValidateFunction | Error {
  let byName = compiled.get(api);
  if (!byName) {
    byName = new Map();
    compiled.set(api, byName);
  }
  const hit = byName.get(name);
  if (hit) return hit;
  let result: ValidateFunction | Error;
  try {
    const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false, verbose: true });
    for (const m of Object.values(api.models)) {
      const schema = stripUnsupported(m.schema) as Record<string, unknown>;
      const { $schema: _ignored, ...rest } = schema;
      ajv.addSchema({ ...rest, id: modelUrl(api.id, m.name) }, modelUrl(api.id, m.name));
    }
    const v = ajv.getSchema(modelUrl(api.id, name));
    result = v ?? new Error(`model ${name} is not defined`);
  } catch (err) {
    result = err instanceof Error ? err : new Error(String(err));
  }
  byName.set(name, result);
  return result;
}

/**
 * `$context.error.validationErrorString` in the style of the Java validator AWS uses
 * (fge json-schema-validator). Wording per keyword is our best match (?).
 */
export function validationErrorString(errors: readonly ErrorObject[] | null | undefined): string {
  const messages = (errors ?? []).map((e) => {
    const p = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'required':
        return `object has missing required properties (["${String(p.missingProperty)}"])`;
      case 'type':
        return `instance type (${jsonType(e.data)}) does not match any allowed primitive type (allowed: ${JSON.stringify([p.type].flat())})`;
      case 'enum':
        return `instance value (${JSON.stringify(e.data)}) not found in enum (possible values: ${JSON.stringify(p.allowedValues)})`;
      case 'minimum':
        return `numeric instance is lower than the required minimum (minimum: ${String(p.limit)}, found: ${String(e.data)})`;
      case 'maximum':
        return `numeric instance is greater than the required maximum (maximum: ${String(p.limit)}, found: ${String(e.data)})`;
      case 'minLength':
        return `string ${JSON.stringify(e.data)} is too short (length: ${String(e.data).length}, required minimum: ${String(p.limit)})`;
      case 'maxLength':
        return `string ${JSON.stringify(e.data)} is too long (length: ${String(e.data).length}, maximum allowed: ${String(p.limit)})`;
      case 'pattern':
        return `ECMA 262 regex "${String(p.pattern)}" does not match input string ${JSON.stringify(e.data)}`;
      case 'additionalProperties':
        return `object instance has properties which are not allowed by the schema: ["${String(p.additionalProperty)}"]`;
      default:
        return `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`;
    }
  });
  return `[${messages.join(', ')}]`;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}
