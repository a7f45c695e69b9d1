/** The date formats AWS prints, always in UTC. */

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * These formats have a resolution of one second, and every line and header of a request (and
 * of the thousands of requests of a load simulation) shares few seconds: each format keeps the
 * last second it formatted.
 */
function perSecond(format: (epochMs: number) => string): (epochMs: number) => string {
  let lastSecond = NaN;
  let last = '';
  return (epochMs) => {
    const second = Math.floor(epochMs / 1000);
    if (second !== lastSecond) {
      lastSecond = second;
      last = format(epochMs);
    }
    return last;
  };
}

/** Console "Test" execution-log timestamp: `Thu Aug 31 01:07:25 UTC 2017` (Java Date.toString). */
export const consoleLogTime: (epochMs: number) => string = perSecond(formatConsoleTime);

function formatConsoleTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** `$context.requestTime`: CLF `31/Aug/2017:01:07:25 +0000`. */
export const clfTime: (epochMs: number) => string = perSecond(formatClfTime);

function formatClfTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())} +0000`;
}

/** HTTP `Date` header: `Thu, 31 Aug 2017 01:07:25 GMT`. */
export const httpDate: (epochMs: number) => string = perSecond((epochMs) => new Date(epochMs).toUTCString());

/** `X-Amz-Date`: `20170831T010725Z`. */
export const amzDate: (epochMs: number) => string = perSecond((epochMs) => new Date(epochMs).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, ''));

export function isoTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
