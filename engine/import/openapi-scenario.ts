/**
 * Serve or trace your own API: an OpenAPI document with AWS extensions becomes a scenario with
 * no steps. Lambda functions the document names by ARN are bound to code by a side file next to
 * it, `<name>.functions.yaml` (function name or ARN → the same shape as a scenario's
 * `functions:`). A function left unbound answers 502 with a trace step saying how to bind it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FunctionConfig } from '../backends/lambda/service';
import { lambdaFunctionFromUri } from '../model/rest';
import { functionConfig, type RawFunction } from '../scenario/loader';
import type { LoadIssue, LoadResult, Scenario } from '../scenario/types';
import { importOpenApi } from './openapi';
import { withDefaultHttpStages } from '../http/scenario-api';
import { formatPath, parseYamlSource } from './yaml-source';

export function functionsFileFor(documentFile: string): string {
  return documentFile.replace(/\.(ya?ml|json)$/i, '') + '.functions.yaml';
}

export function loadOpenApiAsScenario(file: string, options: { stage?: string } = {}): LoadResult {
  const imported = importOpenApi(file);
  const errors = imported.issues.filter((i) => i.severity === 'error');
  const warnings = imported.issues.filter((i) => i.severity === 'warning');
  if ((!imported.definition && !imported.httpDefinition) || errors.length) return { ok: false, errors, warnings };

  const functions: Record<string, FunctionConfig> = {};
  const sideFile = functionsFileFor(file);
  if (fs.existsSync(sideFile)) {
    const src = parseYamlSource(fs.readFileSync(sideFile, 'utf8'));
    const issue = (p: (string | number)[], message: string): LoadIssue => ({ file: sideFile, ...src.locate(p), path: formatPath(p), message, severity: 'error' });
    if (src.syntaxErrors.length) {
      return { ok: false, errors: src.syntaxErrors.map((e) => ({ file: sideFile, line: e.line, column: e.column, path: '', message: `YAML syntax error: ${e.message}`, severity: 'error' as const })), warnings };
    }
    const root = (src.value ?? {}) as Record<string, unknown>;
    const map = (root.functions ?? root) as Record<string, RawFunction>;
    const prefix = root.functions ? ['functions'] : [];
    for (const [key, raw] of Object.entries(map)) {
      if (!raw || typeof raw !== 'object') {
        errors.push(issue([...prefix, key], 'expected { code | file | response, ... }'));
        continue;
      }
      const name = lambdaFunctionFromUri(key) ?? key;
      functions[name] = functionConfig(name, raw, path.dirname(sideFile), (p, m) => errors.push(issue([...prefix, key, ...p], m)));
    }
    if (errors.length) return { ok: false, errors, warnings };
  }
  const id = path.basename(file).replace(/\.(ya?ml|json)$/i, '').toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  const http = imported.httpDefinition;
  const scenario: Scenario = {
    file,
    id,
    title: (http ?? imported.definition)?.name ?? id,
    teaches: [],
    gateways: [http ? 'HTTP' : 'REST'],
    seed: id,
    // An imported HTTP API is served from its $default stage, auto-deployed, as after `aws apigatewayv2 import-api`.
    apis: http
      ? { HTTP: { kind: 'http', definition: withDefaultHttpStages(http, undefined), file } }
      : { REST: { kind: 'rest', definition: imported.definition!, file } },
    stage: { name: options.stage ?? 'prod', variables: {}, tracingEnabled: false, deploy: true },
    functions,
    backends: {},
    usage: {},
    steps: [],
  };
  return { ok: true, scenario, warnings };
}
