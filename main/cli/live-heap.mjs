/**
 * The live endpoint keeps a window of recent traces for the app. Under load, V8's default young
 * generation (16 MB semi-spaces) fills every few hundred requests, so the window's traces
 * survive two scavenges, get promoted, and old-generation collections then cost more than
 * serving: measured with `npm run bench -- live`, a Lambda-proxy route served about 11,500
 * requests per second with the defaults and about 15,000 with 32 MB semi-spaces (2 cores).
 * The commands that host the live endpoint run with these flags.
 */
export const LIVE_NODE_FLAGS = ['--max-semi-space-size=32'];

const LIVE_COMMANDS = new Set(['serve', 'web', 'start']);

/**
 * Whether `gateway-lab <argv>` hosts the live endpoint and this Node was not started with the flags.
 * @param {readonly string[]} argv
 * @param {readonly string[]} execArgv
 */
export function needsLiveHeap(argv, execArgv) {
  if (!LIVE_COMMANDS.has(argv[0] ?? '')) return false;
  if (process.env.GATEWAY_LAB_DEFAULT_HEAP === '1') return false;
  return !execArgv.some((a) => a.startsWith('--max-semi-space-size'));
}
