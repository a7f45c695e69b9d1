import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '../../host/build';
import { findElectronBinary } from '../../host/electron-binary';
import type { CliIO } from '../io';
import { parseWebArgs, webCommand } from './web';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * `npm start`: the desktop app on the bundled scenarios. Where the Electron binary is not
 * installed, say so in one paragraph, then start the same app in the browser (the web host).
 */
export async function startCommand(argv: string[], io: CliIO, signals: NodeJS.EventEmitter = process): Promise<number> {
  const parsed = parseWebArgs(argv);
  if (typeof parsed === 'string') {
    io.stderr(`gateway-lab start: ${parsed || 'usage: gateway-lab start [--port <n>] (the port is used only in browser mode)'}\n`);
    return parsed ? 2 : 0;
  }
  const electron = findElectronBinary(ROOT);
  if (!electron.found) {
    io.stdout(
      `Gateway Lab: the desktop window cannot open because the Electron binary is not available here: ${electron.reason}. ` +
        'Starting the same app in your browser instead; everything works the same way there. ' +
        'To get the desktop app, reinstall Electron on a machine with network access (npm install electron, ' +
        'without ELECTRON_SKIP_BINARY_DOWNLOAD).\n\n',
    );
    return webCommand(argv, io, signals);
  }
  await ensureBuilt('all', () => io.stderr('Gateway Lab: building the app (first run or changed sources)…\n'));
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  return new Promise<number>((resolve) => {
    const child = spawn(electron.path, [ROOT, ...parsed.files], { stdio: 'inherit', env });
    child.on('error', (err) => {
      io.stderr(`Gateway Lab: cannot start Electron (${err.message}).\n`);
      resolve(1);
    });
    child.on('exit', (code, sig) => resolve(code ?? (sig ? 1 : 0)));
    const forward = (s: NodeJS.Signals) => () => child.kill(s);
    signals.once('SIGINT', forward('SIGINT'));
    signals.once('SIGTERM', forward('SIGTERM'));
  });
}
