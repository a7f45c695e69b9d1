import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliIO } from '../io';
import { findScenarios } from './check';
import { runOne } from './run';

export const BUNDLED_SCENARIOS_DIR = fileURLToPath(new URL('../../../scenarios', import.meta.url));

/**
 * `npm start`. The desktop UI is not built yet in this version: say so, then run the bundled
 * scenarios in the terminal so the engine is still there to explore.
 */
export async function startCommand(_argv: string[], io: CliIO): Promise<number> {
  io.stdout(
    'Gateway Lab: the desktop UI is not built yet in this version, so here are the bundled\n' +
      'scenarios running in the terminal instead. Each request prints its API Gateway execution\n' +
      'log, followed by PASS or FAIL for every step. Run one scenario with\n' +
      '  npx gateway-lab run scenarios/<file>.yaml\n',
  );
  let exit = 0;
  for (const file of findScenarios(BUNDLED_SCENARIOS_DIR)) {
    io.stdout(`\n${'='.repeat(78)}\n${path.relative(process.cwd(), file)}\n`);
    exit = Math.max(exit, await runOne(file, io));
  }
  return exit;
}
