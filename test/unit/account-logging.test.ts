/**
 * The account's CloudWatch Logs role (API Gateway account settings): without it a REST stage
 * cannot turn execution or access logging on — UpdateStage fails with "CloudWatch Logs role ARN
 * must be set in account settings to enable logging" and the stage is unchanged.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../engine/scenario/loader';
import { ScenarioSession } from '../../engine/scenario/session';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-lab-account-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function scenario(name: string, text: string) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return loadScenarioFile(file);
}

const API = `gateway: REST
api:
  resources:
    /x:
      GET:
        integration: { type: MOCK, requestTemplates: { application/json: '{"statusCode": 200}' } }
`;

describe('the account CloudWatch Logs role', () => {
  it('a stage that logs from the start needs the role', () => {
    const r = scenario('a.yaml', `id: a\ntitle: a\n${API}account: { cloudWatchRoleArn: null }\nstage: { name: prod, logging: { level: INFO } }\nsteps:\n  - request: { method: GET, path: /prod/x }\n`);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.message).join('\n')).toContain('CloudWatch Logs role ARN must be set in account settings to enable logging');
  });

  it('UpdateStage is refused without the role, and works once UpdateAccount sets it', async () => {
    const r = scenario(
      'b.yaml',
      `id: b\ntitle: b\n${API}account: { cloudWatchRoleArn: null }\nstage: { name: prod }\nsteps:\n` +
        `  - updateStage: { logging: { level: INFO } }\n  - request: { method: GET, path: /prod/x }\n` +
        `  - updateAccount: { cloudWatchRoleArn: "arn:aws:iam::123456789012:role/cw" }\n  - updateStage: { logging: { level: INFO } }\n  - request: { method: GET, path: /prod/x }\n`,
    );
    if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
    const session = await ScenarioSession.open(r.scenario);
    try {
      const [refused, before, , accepted, after] = await session.runAll();
      expect(refused!.summary).toContain('BadRequestException: CloudWatch Logs role ARN must be set in account settings to enable logging');
      expect(before!.traces.REST!.cloudWatchLog).toBeUndefined();
      expect(accepted!.summary).toContain('settings changed');
      expect(after!.traces.REST!.cloudWatchLog?.join('\n')).toContain('Method completed with status: 200');
    } finally {
      await session.close();
    }
  });

  it('by default the account has a role', async () => {
    const r = scenario('c.yaml', `id: c\ntitle: c\n${API}stage: { name: prod, logging: { level: INFO } }\nsteps:\n  - request: { method: GET, path: /prod/x }\n`);
    if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
    const session = await ScenarioSession.open(r.scenario);
    try {
      const [o] = await session.runAll();
      expect(o!.traces.REST!.cloudWatchLog?.length).toBeGreaterThan(0);
    } finally {
      await session.close();
    }
  });
});
