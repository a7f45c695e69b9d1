import fs from 'node:fs';
import path from 'node:path';
import { loadScenarioFile, looksLikeScenario } from '../../../engine/scenario/loader';
import { formatIssue } from '../../../engine/scenario/types';
import type { CliIO } from '../io';

/** `gateway-lab check <file|dir>...`: validate scenarios; directories are searched recursively. */
export async function checkCommand(argv: string[], io: CliIO): Promise<number> {
  if (argv.length === 0) {
    io.stderr('usage: gateway-lab check <file|dir>...\n');
    return 2;
  }
  const files: string[] = [];
  for (const arg of argv) {
    const p = path.resolve(arg);
    if (!fs.existsSync(p)) {
      io.stderr(`${arg}: no such file or directory\n`);
      return 1;
    }
    if (fs.statSync(p).isDirectory()) files.push(...findScenarios(p));
    else files.push(p);
  }
  let bad = 0;
  for (const f of files) {
    const r = loadScenarioFile(f);
    for (const w of r.warnings) io.stderr(`warning: ${formatIssue(w)}\n`);
    if (r.ok) io.stdout(`ok ${path.relative(process.cwd(), f)}\n`);
    else {
      bad++;
      for (const e of r.errors) io.stdout(`${formatIssue(e)}\n`);
    }
  }
  io.stdout(`${files.length - bad} of ${files.length} scenario file(s) valid\n`);
  return bad === 0 ? 0 : 1;
}

export function findScenarios(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) out.push(...findScenarios(p));
    } else if (looksLikeScenario(p)) out.push(p);
  }
  return out;
}
