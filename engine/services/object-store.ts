/**
 * A small simulated object store with Amazon S3's shapes: buckets of objects (bytes, a
 * Content-Type, an ETag that is the MD5 of the bytes in quotes, a Last-Modified time).
 * GetObject / PutObject / DeleteObject / HeadObject / ListObjectsV2 — what API Gateway's S3
 * integrations call — with S3's error codes. The UI shows the buckets and their keys.
 */
import { createHash } from 'node:crypto';

export interface StoredObject {
  readonly key: string;
  readonly body: Buffer;
  readonly contentType: string;
  /** `"<md5 hex>"`, quotes included, as S3 returns it. */
  readonly etag: string;
  readonly lastModified: number;
}

export class ObjectStoreError extends Error {
  constructor(
    /** S3 error code: NoSuchBucket, NoSuchKey... */
    readonly code: string,
    message: string,
    readonly statusCode: number,
    readonly resource?: string,
  ) {
    super(message);
  }
}

export function etagOf(body: Buffer): string {
  return `"${createHash('md5').update(body).digest('hex')}"`;
}

export class ObjectStore {
  private readonly buckets = new Map<string, Map<string, StoredObject>>();

  createBucket(name: string): void {
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name)) {
      throw new ObjectStoreError('InvalidBucketName', 'The specified bucket is not valid.', 400, name);
    }
    if (!this.buckets.has(name)) this.buckets.set(name, new Map());
  }

  listBuckets(): string[] {
    return [...this.buckets.keys()];
  }

  private bucket(name: string): Map<string, StoredObject> {
    const b = this.buckets.get(name);
    if (!b) throw new ObjectStoreError('NoSuchBucket', 'The specified bucket does not exist', 404, name);
    return b;
  }

  putObject(bucket: string, key: string, body: Buffer, contentType = 'binary/octet-stream', now = 0): StoredObject {
    const obj: StoredObject = { key, body, contentType, etag: etagOf(body), lastModified: now };
    this.bucket(bucket).set(key, obj);
    return obj;
  }

  getObject(bucket: string, key: string): StoredObject {
    const obj = this.bucket(bucket).get(key);
    if (!obj) throw new ObjectStoreError('NoSuchKey', 'The specified key does not exist.', 404, key);
    return obj;
  }

  /** S3 answers 204 whether or not the key existed. */
  deleteObject(bucket: string, key: string): void {
    this.bucket(bucket).delete(key);
  }

  listObjects(bucket: string, prefix = ''): StoredObject[] {
    return [...this.bucket(bucket).values()].filter((o) => o.key.startsWith(prefix)).sort((a, b) => (a.key < b.key ? -1 : 1));
  }

  /** What the UI's services panel shows. */
  snapshot(): { bucket: string; objects: { key: string; size: number; contentType: string; etag: string }[] }[] {
    return [...this.buckets.entries()].map(([bucket, objects]) => ({
      bucket,
      objects: [...objects.values()].map((o) => ({ key: o.key, size: o.body.length, contentType: o.contentType, etag: o.etag })),
    }));
  }
}
