import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { exportOpenApi } from '../../../engine/export/openapi';
import { exportHttpOpenApi } from '../../../engine/export/openapi-http';
import { loadOpenApiAsScenario } from '../../../engine/import/openapi-scenario';
import { loadScenarioFile } from '../../../engine/scenario/loader';
import { formatIssue } from '../../../engine/scenario/types';
import type { CliIO } from '../io';

/**
 * `gateway-lab export <scenario|openapi> [--gateway REST|HTTP] [--json] [--out FILE]`: the API as
 * OpenAPI 3.0 with API Gateway's extensions, ready for `aws apigateway import-rest-api` or
 * `aws apigatewayv2 import-api`.
 */
export async function exportCommand(argv: string[], io: CliIO): Promise<number> {
  const opt = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const file = argv.find((a, i) => !a.startsWith('-') && !['--gateway', '--out'].includes(argv[i - 1] ?? ''));
  if (!file) {
    io.stderr('usage: gateway-lab export <scenario.yaml | openapi.yaml> [--gateway REST|HTTP] [--json] [--out FILE]\n');
    return 2;
  }
  const full = path.resolve(file);
  const isOpenApi = /^\s*["']?(openapi|swagger)["']?\s*:/m.test(fs.existsSync(full) ? fs.readFileSync(full, 'utf8').slice(0, 4000) : '');
  const loaded = isOpenApi ? loadOpenApiAsScenario(full) : loadScenarioFile(full);
  if (!loaded.ok) {
    for (const e of loaded.errors) io.stderr(`${formatIssue(e)}\n`);
    return 2;
  }
  const type = (opt('--gateway') ?? loaded.scenario.gateways[0]) as string;
  const api = loaded.scenario.apis[type as 'REST' | 'HTTP'];
  if (!api || (api.kind !== 'rest' && api.kind !== 'http')) {
    io.stderr(`gateway-lab export: this file has no ${type} API to export (REST and HTTP APIs can be exported)\n`);
    return 2;
  }
  const region = loaded.scenario.region ?? 'us-east-1';
  const doc = api.kind === 'rest' ? exportOpenApi(api.definition, {}, { region }) : exportHttpOpenApi(api.definition, {}, { region });
  const text = argv.includes('--json') ? `${JSON.stringify(doc, null, 2)}\n` : stringify(doc, { lineWidth: 0 });
  const out = opt('--out');
  if (out) {
    const tmp = `${out}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, out); // atomic: never a half-written file
    io.stdout(`Wrote ${out}\n`);
  } else io.stdout(text);
  return 0;
}
