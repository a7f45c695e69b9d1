/**
 * Content type conversions (non-proxy integrations), the tables of "Content type conversions
 * in API Gateway" and the recorded S3 cases:
 *
 *  - a payload is *binary* when its media type matches binaryMediaTypes (the request's
 *    Content-Type; on the way back, the endpoint response's Content-Type), otherwise text;
 *  - on the response side the client's Accept (first media type only) says which kind it wants;
 *  - contentHandling CONVERT_TO_TEXT base64-encodes binary, CONVERT_TO_BINARY base64-decodes
 *    text (and fails when the text is not base64: 500); unset converts only where the kinds
 *    differ (response side) or passes through (request side).
 */
import type { ContentHandling } from '../model/rest';

export interface Payload {
  readonly bytes: Buffer;
  /** API Gateway's notion: sent to the client (or backend) as raw bytes rather than text. */
  readonly binary: boolean;
}

export type Conversion =
  | { readonly ok: true; readonly payload: Payload; readonly converted: 'none' | 'base64-encoded' | 'base64-decoded' }
  | { readonly ok: false; readonly reason: string };

/** Strict base64, as Java's decoder accepts it (no whitespace, padding to a multiple of four). */
export function isBase64(text: string): boolean {
  return text.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(text);
}

function encode(bytes: Buffer): Conversion {
  return { ok: true, payload: { bytes: Buffer.from(bytes.toString('base64'), 'utf8'), binary: false }, converted: 'base64-encoded' };
}

function decode(bytes: Buffer): Conversion {
  const text = bytes.toString('utf8');
  if (!isBase64(text)) return { ok: false, reason: 'the payload is not valid base64, so it cannot be decoded to binary' };
  return { ok: true, payload: { bytes: Buffer.from(text, 'base64'), binary: true }, converted: 'base64-decoded' };
}

const keep = (bytes: Buffer, binary: boolean): Conversion => ({ ok: true, payload: { bytes, binary }, converted: 'none' });

/** Method request payload → integration request payload. */
export function convertRequestPayload(bytes: Buffer, binary: boolean, handling: ContentHandling | undefined): Conversion {
  if (handling === 'CONVERT_TO_TEXT') return binary ? encode(bytes) : keep(bytes, false);
  if (handling === 'CONVERT_TO_BINARY') return binary ? keep(bytes, true) : decode(bytes);
  return keep(bytes, binary);
}

/** Integration response payload → method response payload. */
export function convertResponsePayload(bytes: Buffer, payloadBinary: boolean, acceptBinary: boolean, handling: ContentHandling | undefined): Conversion {
  if (handling === 'CONVERT_TO_TEXT') return payloadBinary ? encode(bytes) : keep(bytes, false);
  if (handling === 'CONVERT_TO_BINARY') return payloadBinary ? keep(bytes, true) : decode(bytes);
  if (payloadBinary === acceptBinary) return keep(bytes, payloadBinary);
  return payloadBinary ? encode(bytes) : decode(bytes);
}

/** Bytes of a body held as text or base64. */
export function bytesOf(body: string | null | undefined, isBase64Encoded: boolean): Buffer {
  if (!body) return Buffer.alloc(0);
  return isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
}

/** Hold bytes as the engine's bodies do: text when they are valid UTF-8, base64 otherwise. */
export function bodyOf(bytes: Buffer, forceBase64 = false): { body: string; isBase64Encoded: boolean } {
  const text = bytes.toString('utf8');
  if (!forceBase64 && Buffer.from(text, 'utf8').equals(bytes)) return { body: text, isBase64Encoded: false };
  return { body: bytes.toString('base64'), isBase64Encoded: true };
}
