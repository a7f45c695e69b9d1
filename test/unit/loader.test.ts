import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../engine/scenario/loader';
import { formatIssue } from '../../engine/scenario/types';

const errorsOf = (text: string, file = 'lesson.yaml') => {
  const r = loadScenarioText(text, file);
  return r.ok ? [] : r.errors.map(formatIssue);
};

const VALID = `id: tiny
title: Tiny
gateway: REST
api:
  resources:
    /hi:
      GET:
        integration: { type: MOCK }
steps:
  - request: { method: GET, path: /prod/hi }
    expect: { status: 200 }
`;

describe('the scenario loader', () => {
  it('loads a valid scenario with defaults filled in', () => {
    const r = loadScenarioText(VALID, 'tiny.yaml');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.scenario.stage).toMatchObject({ name: 'prod', variables: {}, deploy: true });
    expect(r.scenario.seed).toBe('tiny');
    expect(r.scenario.steps[0]).toMatchObject({ index: 1, line: 10 });
  });

  it('reports YAML syntax errors with line and column', () => {
    expect(errorsOf('id: x\ntitle: [unclosed\nsteps: []\n')).toEqual([expect.stringMatching(/^lesson\.yaml:\d+:\d+ \(document\): YAML syntax error: /)]);
  });

  it('points at the offending key of an unknown property, with a suggestion', () => {
    const text = VALID.replace('expect: { status: 200 }', 'expect: { statsu: 200 }');
    expect(errorsOf(text)).toEqual(['lesson.yaml:11:15 steps[0].expect.statsu: unknown property "statsu" (did you mean "status"?)']);
  });

  it('reports a wrong type at the value', () => {
    const text = VALID.replace('expect: { status: 200 }', 'expect: { status: "two hundred" }');
    expect(errorsOf(text)).toEqual(['lesson.yaml:11:23 steps[0].expect.status: must be integer']);
  });

  it('reports missing required fields and bad enum values', () => {
    expect(errorsOf('id: x\ntitle: X\nsteps:\n  - say: hi\n')).toEqual(['lesson.yaml:1:1 (document): missing required property "gateway"']);
    expect(errorsOf(VALID.replace('type: MOCK', 'type: LAMBDA'))).toEqual([
      'lesson.yaml:8:30 api.resources["/hi"].GET.integration.type: must be one of "MOCK", "AWS", "AWS_PROXY", "HTTP", "HTTP_PROXY"',
    ]);
  });

  it('checks references between the API and the functions', () => {
    const text = VALID.replace('integration: { type: MOCK }', 'integration: { type: AWS_PROXY, function: missing }');
    expect(errorsOf(text)).toEqual(['lesson.yaml:8:51 api.resources["/hi"].GET.integration.function: no function named "missing" is defined under functions']);
  });

  it('checks the API definition itself', () => {
    const text = VALID.replace('/hi:', '/{proxy+}/more:');
    expect(errorsOf(text)[0]).toMatch(/^lesson\.yaml:6:5 api\.resources\["\/\{proxy\+\}\/more"\]: the greedy path variable \{proxy\+\} must be the last segment$/);
  });

  it('never throws on hostile input', () => {
    for (const text of ['', '---\n', '[1, 2]', 'null', '!!binary xyz', 'a: &a [*a]', '\u0000\u0001', 'id: x\nsteps: 5\n']) {
      expect(() => loadScenarioText(text, 'bad.yaml')).not.toThrow();
      expect(loadScenarioText(text, 'bad.yaml').ok).toBe(false);
    }
  });

  it('reports an unreadable function file where it is referenced', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gl-'));
    const file = path.join(dir, 's.yaml');
    const text = VALID.replace('integration: { type: MOCK }', 'integration: { type: AWS_PROXY, function: f }') + 'functions:\n  f: { file: handlers/nope.js }\n';
    const r = loadScenarioText(text, file);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map(formatIssue)).toEqual([`${file}:13:14 functions.f.file: cannot read handlers/nope.js: ENOENT`]);
  });
});
