/**
 * One seeded source of randomness for the whole engine: request ids, extended request ids,
 * connection ids, API ids, canary splits, load arrivals and key generation all draw from it,
 * so a scenario run with the same seed is byte-for-byte repeatable.
 *
 * The generator is sfc32 (small, fast, good statistical quality); the seed string is hashed
 * with cyrb128 into its four 32-bit words.
 */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: string | number) {
    const [a, b, c, d] = cyrb128(String(seed));
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  /** A derived generator with its own stream, so one consumer cannot shift another's ids. */
  fork(label: string): SeededRandom {
    return new SeededRandom(`${this.a}:${this.b}:${this.c}:${this.d}:${label}`);
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Exponentially distributed with the given mean (Poisson inter-arrival times). */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  chars(alphabet: string, length: number): string {
    // Ids are made for every request: the generator is stepped inline (the same sequence as
    // nextUint32, and the same index as int(n)), and the string is made once from char codes.
    const codes = (BUFFERS[length] ??= new Array<number>(length));
    const n = alphabet.length;
    let a = this.a;
    let b = this.b;
    let c = this.c;
    let d = this.d;
    for (let i = 0; i < length; i++) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      codes[i] = alphabet.charCodeAt(Math.floor(((t >>> 0) / 4294967296) * n));
    }
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    return String.fromCharCode.apply(null, codes);
  }

  hex(length: number): string {
    return this.chars('0123456789abcdef', length);
  }

  /** RFC 4122 version-4 UUID, the shape of `x-amzn-RequestId`. */
  uuid(): string {
    // Same draws, same result as setting characters 12 and 16 of hex(32), without the arrays.
    const s = this.hex(32);
    const variant = '89ab'[this.int(4)]!;
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-${variant}${s.slice(17, 20)}-${s.slice(20)}`;
  }
}

/** Reused character-code buffers, by length. */
const BUFFERS: number[][] = [];

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Ids in the shapes AWS uses, all drawn from one SeededRandom. */
export class IdGenerator {
  constructor(private readonly random: SeededRandom) {}

  /** `x-amzn-RequestId` / `$context.requestId`. */
  requestId(): string {
    return this.random.uuid();
  }
  /** `x-amz-apigw-id` / `$context.extendedRequestId`: 15 characters then `=`, e.g. `Ab1CdEfGhIJKLMn=`. */
  extendedRequestId(): string {
    return `${this.random.chars(ALNUM, 15)}=`;
  }
  /** REST/HTTP/WebSocket API ids: 10 lowercase alphanumerics, e.g. `a1b2c3d4e5`. */
  apiId(): string {
    return this.random.chars(LOWER_ALNUM, 10);
  }
  /** Resource ids: 6 lowercase alphanumerics. */
  resourceId(): string {
    return this.random.chars(LOWER_ALNUM, 6);
  }
  deploymentId(): string {
    return this.random.chars(LOWER_ALNUM, 6);
  }
  /** WebSocket connection ids: 15 characters then `=`, e.g. `XDmENcnwIE0CFEQ=`. */
  connectionId(): string {
    return `${this.random.chars(ALNUM, 15)}=`;
  }
  /** API key values: 40 alphanumerics (AWS allows 20–128). */
  apiKeyValue(): string {
    return this.random.chars(ALNUM, 40);
  }
  /** Lambda request ids are UUIDs too. */
  lambdaRequestId(): string {
    return this.random.uuid();
  }
  /** X-Ray style trace id: `Root=1-<8 hex time>-<24 hex>`. */
  traceId(epochMs: number): string {
    return `Root=1-${Math.floor(epochMs / 1000).toString(16)}-${this.random.hex(24)}`;
  }
}

function cyrb128(str: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}
