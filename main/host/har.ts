/**
 * A trace's HTTP exchange as HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/), so it can
 * be opened in browser dev tools, Postman or any HAR viewer. Only the client-facing request and
 * response: the lifecycle steps stay in the JSON export.
 */
import type { MultiMap } from '../../engine/core/http';
import { getHeader } from '../../engine/core/http';
import type { Trace } from '../../engine/trace/types';

const STATUS_TEXT: Record<number, string> = {
  200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 304: 'Not Modified',
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict',
  413: 'Payload Too Large', 415: 'Unsupported Media Type', 429: 'Too Many Requests', 500: 'Internal Server Error',
  502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

interface HarNameValue { name: string; value: string }

function pairs(map: MultiMap): HarNameValue[] {
  return Object.entries(map).flatMap(([name, values]) => values.map((value) => ({ name, value })));
}

function queryPairs(raw: string): HarNameValue[] {
  if (!raw) return [];
  return raw.split('&').filter(Boolean).map((part) => {
    const eq = part.indexOf('=');
    const dec = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        return s;
      }
    };
    return eq < 0 ? { name: dec(part), value: '' } : { name: dec(part.slice(0, eq)), value: dec(part.slice(eq + 1)) };
  });
}

export function traceToHar(trace: Trace, options: { region: string; appVersion: string }): object {
  const req = trace.request;
  const res = trace.response;
  const host = getHeader(req.headers, 'host') ?? `${trace.api.id}.execute-api.${options.region}.amazonaws.com`;
  const url = `https://${host}${req.path}${req.rawQuery ? `?${req.rawQuery}` : ''}`;
  const reqType = getHeader(req.headers, 'content-type') ?? 'application/octet-stream';
  const resType = getHeader(res.headers, 'content-type') ?? 'application/octet-stream';
  const resSize = res.isBase64Encoded ? Buffer.from(res.body, 'base64').length : Buffer.byteLength(res.body);
  return {
    log: {
      version: '1.2',
      creator: { name: 'Gateway Lab', version: options.appVersion, comment: 'A simulated AWS API Gateway request' },
      entries: [
        {
          startedDateTime: new Date(trace.startedAt).toISOString(),
          time: trace.durationMs,
          request: {
            method: req.method,
            url,
            httpVersion: 'HTTP/1.1',
            cookies: [],
            headers: pairs(req.headers),
            queryString: queryPairs(req.rawQuery),
            ...(req.body !== null
              ? { postData: { mimeType: reqType, text: req.body, ...(req.isBase64Encoded ? { comment: 'base64' } : {}) } }
              : {}),
            headersSize: -1,
            bodySize: req.body === null ? 0 : req.isBase64Encoded ? Buffer.from(req.body, 'base64').length : Buffer.byteLength(req.body),
          },
          response: {
            status: res.statusCode,
            statusText: STATUS_TEXT[res.statusCode] ?? '',
            httpVersion: 'HTTP/1.1',
            cookies: [],
            headers: pairs(res.headers),
            content: { size: resSize, mimeType: resType, text: res.body, ...(res.isBase64Encoded ? { encoding: 'base64' } : {}) },
            redirectURL: getHeader(res.headers, 'location') ?? '',
            headersSize: -1,
            bodySize: resSize,
          },
          cache: {},
          timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait: trace.durationMs, receive: 0 },
          comment: `Request ${trace.id} to ${trace.api.type} API ${trace.api.name} (${trace.api.id}), stage ${trace.api.stage}${trace.stoppedAt ? `; stopped at ${trace.stoppedAt}` : ''}`,
        },
      ],
    },
  };
}
