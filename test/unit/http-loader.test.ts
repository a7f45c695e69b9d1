import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../engine/scenario/loader';
import { formatIssue } from '../../engine/scenario/types';

const errorsOf = (text: string) => {
  const r = loadScenarioText(text, 'http.yaml');
  return r.ok ? [] : r.errors.map(formatIssue);
};

const scenario = (api: string, extra = '') => `id: h
title: H
gateway: HTTP
${extra}api:
${api}
functions:
  f: { code: "exports.handler = async () => 'ok'" }
steps:
  - request: { method: GET, path: /a }
`;

describe('HTTP scenarios in the loader', () => {
  it('loads an inline HTTP API with a default $default stage', () => {
    const r = loadScenarioText(scenario(`  integrations:\n    f: { integrationType: AWS_PROXY, function: f }\n  routes:\n    GET /a: { target: integrations/f }`), 'h.yaml');
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.scenario.apis.HTTP).toMatchObject({ kind: 'http', definition: { stages: { $default: { autoDeploy: true } } } });
  });

  it('names the stage after the scenario stage when one is declared', () => {
    const r = loadScenarioText(scenario(`  routes:\n    GET /a: { integration: { integrationType: AWS_PROXY, function: f } }`, 'stage: { name: prod, variables: { v: "1" } }\n'), 'h.yaml');
    expect(r.ok && r.scenario.apis.HTTP?.definition).toMatchObject({ stages: { prod: { autoDeploy: true, stageVariables: { v: '1' } } } });
  });

  it('validates HTTP definitions against the apigatewayv2 schema (conditional on gateway: HTTP)', () => {
    expect(errorsOf(scenario(`  resources: {}`))).toEqual(['http.yaml:5:3 api.resources: unknown property "resources"']);
    expect(errorsOf(scenario(`  routes:\n    FETCH /a: {}`))).toEqual([expect.stringMatching(/^http\.yaml:6:5 api\.routes: has an invalid key "FETCH \/a"/)]);
  });

  it('reports configuration errors AWS would refuse at the offending line', () => {
    const errs = errorsOf(
      scenario(`  integrations:\n    f:\n      integrationType: HTTP_PROXY\n      integrationUri: https://x.example\n      requestParameters:\n        overwrite:header.Content-Length: "1"\n  routes:\n    GET /a: { target: integrations/f }`),
    );
    expect(errs).toEqual([expect.stringMatching(/^http\.yaml:10:42 api\.integrations\.f\.requestParameters\["overwrite:header\.Content-Length"\]: Content-Length is a reserved header/)]);
  });

  it('checks function references', () => {
    expect(errorsOf(scenario(`  routes:\n    GET /a: { integration: { integrationType: AWS_PROXY, function: nope } }`))).toEqual([
      expect.stringMatching(/^http\.yaml:6:15 api\.routes\["GET \/a"\]\.integration: no function named "nope"/),
    ]);
  });
});
