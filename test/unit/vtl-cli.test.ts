/** `gateway-lab vtl`: render a template file from the command line. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { vtlCommand } from '../../main/cli/commands/vtl';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vtl-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await vtlCommand(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

describe('gateway-lab vtl', () => {
  it('renders a template with a body and vars', async () => {
    const tpl = file('t.vtl', '{"name": $input.json(\'$.name\'), "id": "$context.requestId", "env": "$stageVariables.env", "q": "$input.params(\'q\')"}');
    const body = file('body.json', '{"name": "Ada", "price": 10.0}');
    const vars = file('vars.json', JSON.stringify({ context: { requestId: 'r-1' }, stageVariables: { env: 'prod' }, params: { querystring: { q: 'x' } } }));
    const r = await run([tpl, '--body', body, '--vars', vars]);
    expect(r).toEqual({ code: 0, stdout: '{"name": "Ada", "id": "r-1", "env": "prod", "q": "x"}', stderr: '' });
  });

  it('keeps doubles as doubles from the body', async () => {
    const r = await run([file('d.vtl', '$input.path(\'$.price\')'), '--body', file('b.json', '{"price": 10.0}')]);
    expect(r.stdout).toBe('10.0');
  });

  it('prints errors as file:line:col message and exits 1', async () => {
    const tpl = file('bad.vtl', 'line one\n  #if($x)\nno end');
    const r = await run([tpl]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^${tpl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:6 Encountered "<EOF>"\\n$`));
  });

  it('reports runtime errors at the failing method', async () => {
    const tpl = file('rt.vtl', '$input.path(\'$.s\').substring(5)');
    const r = await run([tpl, '--body', file('s.json', '{"s": "abc"}')]);
    expect(r.code).toBe(1);
    expect(r.stderr.startsWith(`${tpl}:1:20 `)).toBe(true);
  });

  it('--trace shows reads and overrides on stderr', async () => {
    const tpl = file('o.vtl', '#set($context.responseOverride.status = 201)$input.body');
    const r = await run([tpl, '--body', file('raw.txt', 'raw'), '--trace']);
    expect(r.stdout).toBe('raw');
    expect(JSON.parse(r.stderr)).toMatchObject({ reads: ['$input.body'], responseOverride: { status: 201 } });
  });

  it('usage errors exit 2, missing files exit 1', async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(['a.vtl', '--body'])).code).toBe(2);
    expect((await run([path.join(dir, 'missing.vtl')])).code).toBe(1);
  });
});
