/**
 * An OpenAPI document opened on its own (File › Open… in the app): its REST API as a scenario
 * with no steps, deployed to a `prod` stage, so ad-hoc requests can be sent to it right away.
 */
import path from 'node:path';
import { importOpenApi, importOpenApiText } from '../import/openapi';
import type { LoadResult, Scenario } from './types';

export function looksLikeOpenApi(text: string): boolean {
  return /^\s*["']?(openapi|swagger)["']?\s*:/m.test(text);
}

export function scenarioFromOpenApiFile(file: string): LoadResult {
  return toScenario(importOpenApi(file), file);
}

export function scenarioFromOpenApiText(text: string, file: string): LoadResult {
  return toScenario(importOpenApiText(text, file), file);
}

function toScenario(imported: ReturnType<typeof importOpenApi>, file: string): LoadResult {
  const errors = imported.issues.filter((i) => i.severity === 'error');
  const warnings = imported.issues.filter((i) => i.severity !== 'error');
  if (errors.length > 0 || !imported.definition) return { ok: false, errors, warnings };
  const base = path.basename(file).replace(/\.(ya?ml|json)$/i, '');
  const id = base.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'openapi';
  const scenario: Scenario = {
    file,
    id,
    title: imported.definition.name ?? base,
    teaches: [],
    gateways: ['REST'],
    seed: id,
    apis: { REST: { kind: 'rest', definition: imported.definition, file } },
    stage: { name: 'prod', variables: {}, tracingEnabled: false, deploy: true },
    functions: {},
    backends: {},
    steps: [],
  };
  return { ok: true, scenario, warnings };
}
