/**
 * A small simulated message queue with Amazon SQS's shapes: queues by name and URL, messages
 * with ids and MD5 digests, SendMessage / ReceiveMessage / DeleteMessage / GetQueueAttributes.
 * API Gateway reaches it through AWS service integrations (`arn:aws:apigateway:{region}:sqs:…`),
 * handler code could through host services; the UI shows what each queue holds.
 *
 * Standard queues only, and no visibility timeout: a received message stays until it is
 * deleted (the simulator never redelivers on its own). (?) simplification.
 */
import { createHash } from 'node:crypto';
import type { IdGenerator } from '../core/random';

export interface QueueMessage {
  readonly messageId: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly sentAt: number;
  readonly attributes: Readonly<Record<string, string>>;
  receiveCount: number;
  receiptHandle?: string;
}

export interface Queue {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  readonly createdAt: number;
  readonly messages: QueueMessage[];
}

export class QueueError extends Error {
  constructor(
    /** SQS error code, e.g. `AWS.SimpleQueueService.NonExistentQueue`. */
    readonly code: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
  }
}

/** SQS's limit on a message body: 256 KiB. */
export const MAX_MESSAGE_BYTES = 262_144;

export function md5Hex(text: string | Buffer): string {
  return createHash('md5').update(text).digest('hex');
}

export class QueueService {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly ids: IdGenerator,
    readonly region: string,
    readonly accountId: string,
  ) {}

  createQueue(name: string, now = 0): Queue {
    if (!/^[A-Za-z0-9_-]{1,80}(\.fifo)?$/.test(name)) {
      throw new QueueError('InvalidParameterValue', `Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length`);
    }
    const existing = this.queues.get(name);
    if (existing) return existing;
    const q: Queue = {
      name,
      url: `https://sqs.${this.region}.amazonaws.com/${this.accountId}/${name}`,
      arn: `arn:aws:sqs:${this.region}:${this.accountId}:${name}`,
      createdAt: now,
      messages: [],
    };
    this.queues.set(name, q);
    return q;
  }

  list(): Queue[] {
    return [...this.queues.values()];
  }

  /** A queue by name, URL (`https://sqs.{region}.amazonaws.com/{account}/{name}`) or `{account}/{name}` path. */
  find(ref: string): Queue | undefined {
    const name = ref.replace(/\/+$/, '').split('/').pop() ?? ref;
    const q = this.queues.get(name);
    if (!q) return undefined;
    const account = /(?:^|\/)(\d{12})\/[^/]+\/?$/.exec(ref)?.[1];
    return account && account !== this.accountId ? undefined : q;
  }

  private require(ref: string): Queue {
    const q = this.find(ref);
    if (!q) throw new QueueError('AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist.');
    return q;
  }

  sendMessage(ref: string, body: string, now: number, attributes: Record<string, string> = {}): QueueMessage {
    const q = this.require(ref);
    if (body.length === 0) throw new QueueError('MissingParameter', 'The request must contain the parameter MessageBody.');
    if (Buffer.byteLength(body) > MAX_MESSAGE_BYTES) {
      throw new QueueError('InvalidParameterValue', `One or more parameters are invalid. Reason: Message must be shorter than ${MAX_MESSAGE_BYTES} bytes.`);
    }
    const message: QueueMessage = { messageId: this.ids.requestId(), body, md5OfBody: md5Hex(body), sentAt: now, attributes, receiveCount: 0 };
    q.messages.push(message);
    return message;
  }

  receiveMessages(ref: string, max = 1): QueueMessage[] {
    const q = this.require(ref);
    const out = q.messages.slice(0, Math.max(1, Math.min(10, max)));
    for (const m of out) {
      m.receiveCount++;
      m.receiptHandle = `${m.messageId}#${m.receiveCount}`;
    }
    return out;
  }

  deleteMessage(ref: string, receiptHandle: string): void {
    const q = this.require(ref);
    const i = q.messages.findIndex((m) => m.receiptHandle === receiptHandle);
    if (i < 0) throw new QueueError('ReceiptHandleIsInvalid', `The input receipt handle "${receiptHandle}" is not a valid receipt handle.`);
    q.messages.splice(i, 1);
  }

  purge(ref: string): void {
    this.require(ref).messages.length = 0;
  }

  attributes(ref: string): Record<string, string> {
    const q = this.require(ref);
    return {
      QueueArn: q.arn,
      ApproximateNumberOfMessages: String(q.messages.length),
      CreatedTimestamp: String(Math.floor(q.createdAt / 1000)),
    };
  }

  /** What the UI's services panel shows. */
  snapshot(): { name: string; url: string; messages: { messageId: string; body: string }[] }[] {
    return this.list().map((q) => ({ name: q.name, url: q.url, messages: q.messages.map((m) => ({ messageId: m.messageId, body: m.body })) }));
  }
}
