/**
 * A small DynamoDB: tables with a partition key (and optional sort key), items stored as
 * attribute values, and the data-plane actions with DynamoDB's request and response shapes —
 * PutItem, GetItem, UpdateItem, DeleteItem, Query, Scan — including condition, filter, key
 * condition, projection and update expressions. Errors carry DynamoDB's exception names and
 * messages, so AWS service integrations and handler code see what they would in AWS.
 *
 * The DocumentClient view (`document.put/get/update/delete/query/scan`) takes and returns plain
 * JSON, as `AWS.DynamoDB.DocumentClient` and `@aws-sdk/lib-dynamodb` do.
 *
 * How the rest of the engine uses it (one instance per Gateway, `gateway.tables`):
 *  - scenarios declare tables (`tables:` → `createTable`), and the UI shows `snapshot`/`snapshotAll`;
 *  - handler code in the Lambda sandbox reaches it through `tableHostService` (the
 *    DocumentClient-shaped global and `__hostCall('dynamodb', …)`);
 *  - AWS service integrations (REST `arn:aws:apigateway:{region}:dynamodb:action/PutItem`,
 *    WebSocket AWS integrations) call `callWire(action, requestBodyText)`, which answers with
 *    DynamoDB's status and JSON exactly as the wire would; `call(action, input)` is the same on
 *    parsed JSON and throws TableServiceError.
 *
 * Scan order: DynamoDB returns items in the order of their partition keys' hashes, not in the
 * order they were written. So does this table (a stable hash), so nobody relies on insertion
 * order. Items within a partition come in sort-key order.
 */
import { type HostServices, HostServiceError } from '../backends/lambda/sandbox';
import {
  type AttributeMap,
  type AttributeValue,
  type ScalarType,
  attributeEquals,
  checkAttributeValue,
  compareScalars,
  itemSize,
  marshall,
  marshallItem,
  typeOf,
  unmarshallItem,
} from './table-values';
import {
  type Condition,
  ExpressionError,
  type Placeholders,
  type PlaceholderUsage,
  applyUpdate,
  checkUnused,
  evaluateCondition,
  newUsage,
  parseCondition,
  parseProjection,
  parseUpdate,
  project,
} from './table-expressions';

export interface KeyAttribute {
  readonly name: string;
  readonly type: ScalarType;
}

export interface TableDefinition {
  readonly name: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  /** Initial items, plain JSON (DocumentClient style). */
  readonly items?: readonly Record<string, unknown>[];
}

/** A DynamoDB error: `__type` and `message` as the DynamoDB API returns them, HTTP 400. */
export class TableServiceError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: 'ResourceNotFoundException' | 'ValidationException' | 'ConditionalCheckFailedException' | 'ResourceInUseException',
    message: string,
  ) {
    super(message);
    this.name = code;
    this.statusCode = 400;
  }

  /** The DynamoDB API's error body. */
  toJSON(): { __type: string; message: string } {
    return { __type: `com.amazonaws.dynamodb.v20120810#${this.code}`, message: this.message };
  }
}

const MAX_ITEM_BYTES = 400 * 1024;
/** Scan and Query read at most 1 MB per call; counted on item sizes. */
const MAX_PAGE_BYTES = 1024 * 1024;

type ReturnValues = 'NONE' | 'ALL_OLD' | 'ALL_NEW' | 'UPDATED_OLD' | 'UPDATED_NEW';

interface ExpressionParams {
  readonly ExpressionAttributeNames?: Record<string, string>;
  readonly ExpressionAttributeValues?: Record<string, AttributeValue>;
}

export interface PutItemInput extends ExpressionParams {
  readonly TableName: string;
  readonly Item: AttributeMap;
  readonly ConditionExpression?: string;
  readonly ReturnValues?: ReturnValues;
}
export interface GetItemInput extends ExpressionParams {
  readonly TableName: string;
  readonly Key: AttributeMap;
  readonly ProjectionExpression?: string;
  readonly ConsistentRead?: boolean;
}
export interface DeleteItemInput extends ExpressionParams {
  readonly TableName: string;
  readonly Key: AttributeMap;
  readonly ConditionExpression?: string;
  readonly ReturnValues?: ReturnValues;
}
export interface UpdateItemInput extends ExpressionParams {
  readonly TableName: string;
  readonly Key: AttributeMap;
  readonly UpdateExpression?: string;
  readonly ConditionExpression?: string;
  readonly ReturnValues?: ReturnValues;
}
export interface ScanInput extends ExpressionParams {
  readonly TableName: string;
  readonly FilterExpression?: string;
  readonly ProjectionExpression?: string;
  readonly Limit?: number;
  readonly ExclusiveStartKey?: AttributeMap;
  readonly Select?: 'ALL_ATTRIBUTES' | 'COUNT' | 'SPECIFIC_ATTRIBUTES';
}
export interface QueryInput extends ScanInput {
  readonly KeyConditionExpression: string;
  readonly ScanIndexForward?: boolean;
  readonly IndexName?: string;
}

export interface ItemsOutput {
  readonly Items?: AttributeMap[];
  readonly Count: number;
  readonly ScannedCount: number;
  readonly LastEvaluatedKey?: AttributeMap;
}

/** A table's contents for traces and the UI: plain JSON items in scan order. */
export interface TableSnapshot {
  readonly name: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly itemCount: number;
  readonly items: readonly Record<string, unknown>[];
}

interface Table {
  readonly def: TableDefinition;
  /** Keyed by the canonical key string. */
  readonly items: Map<string, AttributeMap>;
}

/** The DynamoDB actions AWS service integrations name (`action/PutItem`). */
export const TABLE_ACTIONS = ['PutItem', 'GetItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan'] as const;
export type TableAction = (typeof TABLE_ACTIONS)[number];

export class TableService {
  private readonly tables = new Map<string, Table>();
  /** Every change, for listeners (traces record which tables an invocation touched). */
  private readonly listeners = new Set<(table: string) => void>();

  createTable(def: TableDefinition): void {
    if (this.tables.has(def.name)) throw new TableServiceError('ResourceInUseException', `Table already exists: ${def.name}`);
    const table: Table = { def, items: new Map() };
    this.tables.set(def.name, table);
    for (const item of def.items ?? []) this.putItem({ TableName: def.name, Item: marshallItem(item) });
  }

  deleteTable(name: string): void {
    this.tables.delete(name);
  }

  hasTable(name: string): boolean {
    return this.tables.has(name);
  }

  listTables(): string[] {
    return [...this.tables.keys()].sort();
  }

  /** Called with the table name after every write. */
  onChange(listener: (table: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Dispatch a DynamoDB API action by name (AWS service integrations, `__hostCall`). */
  call(action: string, input: unknown): unknown {
    if (!input || typeof input !== 'object') throw new TableServiceError('ValidationException', 'The request body must be a JSON object');
    const i = input as never;
    switch (action) {
      case 'PutItem':
        return this.putItem(i);
      case 'GetItem':
        return this.getItem(i);
      case 'UpdateItem':
        return this.updateItem(i);
      case 'DeleteItem':
        return this.deleteItem(i);
      case 'Query':
        return this.query(i);
      case 'Scan':
        return this.scan(i);
      default:
        throw new TableServiceError('ValidationException', `The simulated DynamoDB does not support the action ${action} (it supports ${TABLE_ACTIONS.join(', ')})`);
    }
  }

  /**
   * One DynamoDB API call as it travels over the wire (what an AWS service integration sends to
   * `https://dynamodb.{region}.amazonaws.com/` with `X-Amz-Target: DynamoDB_20120810.{action}`):
   * the request body as text in, the status and body DynamoDB would answer out. Never throws for
   * the caller's mistakes: a malformed body is a 400 SerializationException, a table error its
   * own 400 with `__type` and `message`.
   */
  callWire(action: string, body: string): { readonly statusCode: number; readonly contentType: string; readonly body: string } {
    const contentType = 'application/x-amz-json-1.0';
    let input: unknown;
    try {
      input = JSON.parse(body === '' ? '{}' : body);
    } catch {
      return { statusCode: 400, contentType, body: JSON.stringify({ __type: 'com.amazon.coral.service#SerializationException', Message: 'Start of structure or map found where not expected.' }) };
    }
    try {
      return { statusCode: 200, contentType, body: JSON.stringify(this.call(action, input)) };
    } catch (err) {
      if (!(err instanceof TableServiceError)) throw err;
      return { statusCode: err.statusCode, contentType, body: JSON.stringify(err.toJSON()) };
    }
  }

  putItem(input: PutItemInput): { Attributes?: AttributeMap } {
    const table = this.table(input.TableName);
    if (!input.Item || typeof input.Item !== 'object') throw validation('1 validation error detected: Value null at \'item\' failed to satisfy constraint: Member must not be null');
    for (const [k, v] of Object.entries(input.Item)) {
      const err = checkAttributeValue(v, k);
      if (err) throw validation(err);
    }
    const key = this.keyOf(table, input.Item, 'item');
    if (itemSize(input.Item) > MAX_ITEM_BYTES) throw validation('Item size has exceeded the maximum allowed size');
    const old = table.items.get(key);
    const ph = placeholders(input);
    const usage = newUsage();
    const cond = input.ConditionExpression !== undefined ? parse(() => parseCondition(input.ConditionExpression!, ph, usage)) : undefined;
    this.checkPlaceholders(ph, usage);
    if (cond && !evaluateCondition(cond, old, ph)) throw conditionFailed();
    table.items.set(key, input.Item);
    this.changed(table);
    return input.ReturnValues === 'ALL_OLD' && old ? { Attributes: old } : {};
  }

  getItem(input: GetItemInput): { Item?: AttributeMap } {
    const table = this.table(input.TableName);
    const key = this.exactKey(table, input.Key);
    const item = table.items.get(key);
    const ph = placeholders(input);
    const usage = newUsage();
    const paths = input.ProjectionExpression !== undefined ? parse(() => parseProjection(input.ProjectionExpression!, ph, usage)) : undefined;
    this.checkPlaceholders(ph, usage);
    if (!item) return {};
    return { Item: paths ? project(item, paths) : item };
  }

  deleteItem(input: DeleteItemInput): { Attributes?: AttributeMap } {
    const table = this.table(input.TableName);
    const key = this.exactKey(table, input.Key);
    const old = table.items.get(key);
    const ph = placeholders(input);
    const usage = newUsage();
    const cond = input.ConditionExpression !== undefined ? parse(() => parseCondition(input.ConditionExpression!, ph, usage)) : undefined;
    this.checkPlaceholders(ph, usage);
    if (cond && !evaluateCondition(cond, old, ph)) throw conditionFailed();
    // Deleting an item that does not exist succeeds: DeleteItem is idempotent.
    if (old) {
      table.items.delete(key);
      this.changed(table);
    }
    return input.ReturnValues === 'ALL_OLD' && old ? { Attributes: old } : {};
  }

  updateItem(input: UpdateItemInput): { Attributes?: AttributeMap } {
    const table = this.table(input.TableName);
    const key = this.exactKey(table, input.Key);
    const old = table.items.get(key);
    const ph = placeholders(input);
    const usage = newUsage();
    const cond = input.ConditionExpression !== undefined ? parse(() => parseCondition(input.ConditionExpression!, ph, usage)) : undefined;
    const actions = input.UpdateExpression !== undefined ? parse(() => parseUpdate(input.UpdateExpression!, ph, usage)) : [];
    this.checkPlaceholders(ph, usage);
    if (cond && !evaluateCondition(cond, old, ph)) throw conditionFailed();
    const keyNames = [table.def.partitionKey.name, table.def.sortKey?.name].filter(Boolean) as string[];
    for (const a of actions) {
      if (keyNames.includes(String(a.path[0])) && a.path.length === 1) {
        throw validation(`One or more parameter values were invalid: Cannot update attribute ${String(a.path[0])}. This attribute is part of the key`);
      }
    }
    // UpdateItem creates the item when it does not exist (an "upsert").
    const base: AttributeMap = old ?? input.Key;
    const updated = parse(() => applyUpdate(base, actions, ph));
    if (itemSize(updated) > MAX_ITEM_BYTES) throw validation('Item size to update has exceeded the maximum allowed size');
    table.items.set(key, updated);
    this.changed(table);
    switch (input.ReturnValues) {
      case 'ALL_OLD':
        return old ? { Attributes: old } : {};
      case 'ALL_NEW':
        return { Attributes: updated };
      case 'UPDATED_NEW':
      case 'UPDATED_OLD': {
        const source = input.ReturnValues === 'UPDATED_NEW' ? updated : (old ?? {});
        const names = new Set(actions.map((a) => String(a.path[0])));
        return { Attributes: Object.fromEntries(Object.entries(source).filter(([k]) => names.has(k))) };
      }
      default:
        return {};
    }
  }

  scan(input: ScanInput): ItemsOutput {
    const table = this.table(input.TableName);
    const ph = placeholders(input);
    const usage = newUsage();
    const filter = input.FilterExpression !== undefined ? parse(() => parseCondition(input.FilterExpression!, ph, usage, 'FilterExpression')) : undefined;
    const paths = input.ProjectionExpression !== undefined ? parse(() => parseProjection(input.ProjectionExpression!, ph, usage)) : undefined;
    this.checkPlaceholders(ph, usage);
    return this.page(table, this.ordered(table), input, filter, paths, ph);
  }

  query(input: QueryInput): ItemsOutput {
    const table = this.table(input.TableName);
    if (input.IndexName !== undefined) throw validation(`The table does not have the specified index: ${input.IndexName}`);
    if (!input.KeyConditionExpression) throw validation('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
    const ph = placeholders(input);
    const usage = newUsage();
    const keyCond = parse(() => parseCondition(input.KeyConditionExpression, ph, usage, 'KeyConditionExpression'));
    const filter = input.FilterExpression !== undefined ? parse(() => parseCondition(input.FilterExpression!, ph, usage, 'FilterExpression')) : undefined;
    const paths = input.ProjectionExpression !== undefined ? parse(() => parseProjection(input.ProjectionExpression!, ph, usage)) : undefined;
    this.checkPlaceholders(ph, usage);
    this.checkKeyCondition(table, keyCond);
    let items = this.ordered(table).filter((item) => evaluateCondition(keyCond, item, ph));
    if (input.ScanIndexForward === false) items = items.reverse();
    return this.page(table, items, input, filter, paths, ph);
  }

  /** Plain-JSON view of the same actions, as the DocumentClient offers them. */
  readonly document = {
    put: (input: { TableName: string; Item: Record<string, unknown> } & DocumentExpressionParams & { ConditionExpression?: string; ReturnValues?: ReturnValues }) =>
      toDocument(this.putItem({ ...docParams(input), TableName: input.TableName, Item: marshallDocument(input.Item, 'Item'), ...opt('ConditionExpression', input.ConditionExpression), ...opt('ReturnValues', input.ReturnValues) })),
    get: (input: { TableName: string; Key: Record<string, unknown>; ProjectionExpression?: string; ConsistentRead?: boolean } & DocumentExpressionParams) =>
      toDocument(this.getItem({ ...docParams(input), TableName: input.TableName, Key: marshallDocument(input.Key, 'Key'), ...opt('ProjectionExpression', input.ProjectionExpression) })),
    delete: (input: { TableName: string; Key: Record<string, unknown>; ConditionExpression?: string; ReturnValues?: ReturnValues } & DocumentExpressionParams) =>
      toDocument(this.deleteItem({ ...docParams(input), TableName: input.TableName, Key: marshallDocument(input.Key, 'Key'), ...opt('ConditionExpression', input.ConditionExpression), ...opt('ReturnValues', input.ReturnValues) })),
    update: (input: { TableName: string; Key: Record<string, unknown>; UpdateExpression?: string; ConditionExpression?: string; ReturnValues?: ReturnValues } & DocumentExpressionParams) =>
      toDocument(
        this.updateItem({
          ...docParams(input),
          TableName: input.TableName,
          Key: marshallDocument(input.Key, 'Key'),
          ...opt('UpdateExpression', input.UpdateExpression),
          ...opt('ConditionExpression', input.ConditionExpression),
          ...opt('ReturnValues', input.ReturnValues),
        }),
      ),
    scan: (input: Omit<ScanInput, 'ExclusiveStartKey' | 'ExpressionAttributeValues'> & DocumentExpressionParams & { ExclusiveStartKey?: Record<string, unknown> }) =>
      toDocument(this.scan({ ...withoutStartKey(input), ...docParams(input), ...(input.ExclusiveStartKey ? { ExclusiveStartKey: marshallDocument(input.ExclusiveStartKey, 'ExclusiveStartKey') } : {}) })),
    query: (input: Omit<QueryInput, 'ExclusiveStartKey' | 'ExpressionAttributeValues'> & DocumentExpressionParams & { ExclusiveStartKey?: Record<string, unknown> }) =>
      toDocument(this.query({ ...withoutStartKey(input), ...docParams(input), ...(input.ExclusiveStartKey ? { ExclusiveStartKey: marshallDocument(input.ExclusiveStartKey, 'ExclusiveStartKey') } : {}) })),
  };

  snapshot(name: string): TableSnapshot | undefined {
    const table = this.tables.get(name);
    if (!table) return undefined;
    const items = this.ordered(table).map(unmarshallItem);
    return {
      name,
      partitionKey: table.def.partitionKey,
      ...(table.def.sortKey ? { sortKey: table.def.sortKey } : {}),
      itemCount: items.length,
      items,
    };
  }

  snapshotAll(): Record<string, TableSnapshot> {
    const out: Record<string, TableSnapshot> = {};
    for (const name of this.listTables()) out[name] = this.snapshot(name)!;
    return out;
  }

  private table(name: string | undefined): Table {
    if (typeof name !== 'string' || name === '') throw validation("1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null");
    const t = this.tables.get(name);
    if (!t) throw new TableServiceError('ResourceNotFoundException', 'Requested resource not found');
    return t;
  }

  private changed(table: Table): void {
    for (const l of this.listeners) l(table.def.name);
  }

  private checkPlaceholders(ph: Placeholders, usage: PlaceholderUsage): void {
    parse(() => checkUnused(ph, usage));
    for (const [k, v] of Object.entries(ph.values ?? {})) {
      const err = checkAttributeValue(v, k);
      if (err) throw validation(`ExpressionAttributeValues contains invalid value: ${err} for key ${k}`);
    }
  }

  /** The canonical key of an item (PutItem): both key attributes present, with the declared type. */
  private keyOf(table: Table, item: AttributeMap, what: 'item' | 'key'): string {
    const parts: string[] = [];
    for (const k of [table.def.partitionKey, table.def.sortKey]) {
      if (!k) continue;
      const v = item[k.name];
      if (v === undefined) {
        throw validation(what === 'item' ? `One or more parameter values were invalid: Missing the key ${k.name} in the item` : 'The provided key element does not match the schema');
      }
      if (typeOf(v) !== k.type) {
        throw validation(
          what === 'item'
            ? `One or more parameter values were invalid: Type mismatch for key ${k.name} expected: ${k.type} actual: ${typeOf(v)}`
            : 'The provided key element does not match the schema',
        );
      }
      if ('S' in v && v.S === '') throw validation(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: ${k.name}`);
      parts.push(JSON.stringify(v));
    }
    return parts.join('\u0000');
  }

  /** GetItem/DeleteItem/UpdateItem: the Key must have exactly the key attributes. */
  private exactKey(table: Table, key: AttributeMap | undefined): string {
    if (!key || typeof key !== 'object') throw validation("1 validation error detected: Value null at 'key' failed to satisfy constraint: Member must not be null");
    const expected = [table.def.partitionKey.name, table.def.sortKey?.name].filter(Boolean);
    if (Object.keys(key).length !== expected.length) throw validation('The provided key element does not match the schema');
    return this.keyOf(table, key, 'key');
  }

  private checkKeyCondition(table: Table, c: Condition): void {
    const parts: Condition[] = c.kind === 'and' ? [c.left, c.right] : [c];
    if (parts.some((p) => p.kind === 'and' || p.kind === 'or' || p.kind === 'not')) {
      throw validation('Invalid operator used in KeyConditionExpression: OR');
    }
    const pk = table.def.partitionKey.name;
    const attr = (p: Condition): string | undefined => {
      const op = p.kind === 'compare' ? p.left : p.kind === 'between' ? p.operand : p.kind === 'fn' ? p.args[0] : undefined;
      return op?.kind === 'path' && op.path.length === 1 ? String(op.path[0]) : undefined;
    };
    const onPk = parts.find((p) => attr(p) === pk);
    if (!onPk) throw validation(`Query condition missed key schema element: ${pk}`);
    if (onPk.kind !== 'compare' || onPk.op !== '=') throw validation('Query key condition not supported');
    for (const p of parts) {
      if (p === onPk) continue;
      const a = attr(p);
      if (a !== table.def.sortKey?.name) throw validation(`Query condition missed key schema element: ${table.def.sortKey?.name ?? pk}`);
      if (p.kind === 'fn' && p.name !== 'begins_with') throw validation(`Invalid operator used in KeyConditionExpression: ${p.name}`);
      if (p.kind === 'compare' && p.op === '<>') throw validation('Unsupported operator in KeyConditionExpression: <>');
    }
  }

  /** Items in DynamoDB's order: by partition-key hash, then sort key. */
  private ordered(table: Table): AttributeMap[] {
    const { partitionKey, sortKey } = table.def;
    return [...table.items.values()].sort((a, b) => {
      const ha = hashKey(JSON.stringify(a[partitionKey.name]));
      const hb = hashKey(JSON.stringify(b[partitionKey.name]));
      if (ha !== hb) return ha - hb;
      const pa = JSON.stringify(a[partitionKey.name]);
      const pb = JSON.stringify(b[partitionKey.name]);
      if (pa !== pb) return pa < pb ? -1 : 1;
      if (!sortKey) return 0;
      return compareScalars(a[sortKey.name]!, b[sortKey.name]!) ?? 0;
    });
  }

  private page(table: Table, ordered: AttributeMap[], input: ScanInput, filter: Condition | undefined, paths: ReturnType<typeof parseProjection> | undefined, ph: Placeholders): ItemsOutput {
    if (input.Limit !== undefined && (!Number.isInteger(input.Limit) || input.Limit < 1)) {
      throw validation("1 validation error detected: Value '" + String(input.Limit) + "' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
    }
    let start = 0;
    if (input.ExclusiveStartKey) {
      const k = this.keyOf(table, input.ExclusiveStartKey, 'key');
      const i = ordered.findIndex((item) => this.keyOf(table, item, 'key') === k);
      start = i < 0 ? ordered.length : i + 1;
    }
    const out: AttributeMap[] = [];
    let scanned = 0;
    let bytes = 0;
    let last: AttributeMap | undefined;
    for (let i = start; i < ordered.length; i++) {
      const item = ordered[i]!;
      // Limit counts items read, before the filter: a filtered page can come back empty.
      if (input.Limit !== undefined && scanned >= input.Limit) break;
      if (bytes >= MAX_PAGE_BYTES) break;
      scanned++;
      bytes += itemSize(item);
      last = item;
      if (filter && !evaluateCondition(filter, item, ph)) continue;
      out.push(paths ? project(item, paths) : item);
    }
    const more = start + scanned < ordered.length;
    const keyNames = [table.def.partitionKey.name, table.def.sortKey?.name].filter(Boolean) as string[];
    return {
      ...(input.Select === 'COUNT' ? {} : { Items: out }),
      Count: out.length,
      ScannedCount: scanned,
      ...(more && last ? { LastEvaluatedKey: Object.fromEntries(keyNames.map((k) => [k, last![k]!])) } : {}),
    };
  }
}

type DocumentExpressionParams = { ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, unknown> };

function docParams(input: DocumentExpressionParams): ExpressionParams {
  return {
    ...(input.ExpressionAttributeNames ? { ExpressionAttributeNames: input.ExpressionAttributeNames } : {}),
    ...(input.ExpressionAttributeValues ? { ExpressionAttributeValues: Object.fromEntries(Object.entries(input.ExpressionAttributeValues).map(([k, v]) => [k, marshallValue(v)])) } : {}),
  };
}

function withoutStartKey<T extends { ExclusiveStartKey?: unknown; ExpressionAttributeValues?: unknown }>(input: T): Omit<T, 'ExclusiveStartKey' | 'ExpressionAttributeValues'> {
  const { ExclusiveStartKey: _k, ExpressionAttributeValues: _v, ...rest } = input;
  return rest;
}

function marshallValue(v: unknown): AttributeValue {
  try {
    return marshall(v);
  } catch (err) {
    throw validation(err instanceof Error ? err.message : String(err));
  }
}

function marshallDocument(v: unknown, what: string): Record<string, AttributeValue> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw validation(`1 validation error detected: Value null at '${what.toLowerCase()}' failed to satisfy constraint: Member must not be null`);
  try {
    return marshallItem(v as Record<string, unknown>);
  } catch (err) {
    throw validation(err instanceof Error ? err.message : String(err));
  }
}

function opt<K extends string, V>(k: K, v: V | undefined): Partial<Record<K, V>> {
  return v === undefined ? {} : ({ [k]: v } as Record<K, V>);
}

/** Low-level output → DocumentClient output (Item, Items, Attributes, LastEvaluatedKey unmarshalled). */
function toDocument(out: object): Record<string, unknown> {
  const o = out as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === 'Items') result[k] = (v as AttributeMap[]).map(unmarshallItem);
    else if (k === 'Item' || k === 'Attributes' || k === 'LastEvaluatedKey') result[k] = unmarshallItem(v as AttributeMap);
    else result[k] = v;
  }
  return result;
}

function placeholders(input: ExpressionParams): Placeholders {
  return {
    ...(input.ExpressionAttributeNames ? { names: input.ExpressionAttributeNames } : {}),
    ...(input.ExpressionAttributeValues ? { values: input.ExpressionAttributeValues } : {}),
  };
}

function parse<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof ExpressionError) throw validation(err.message);
    throw err;
  }
}

function validation(message: string): TableServiceError {
  return new TableServiceError('ValidationException', message);
}

function conditionFailed(): TableServiceError {
  return new TableServiceError('ConditionalCheckFailedException', 'The conditional request failed');
}

/** FNV-1a: a stable stand-in for DynamoDB's partition hash. */
function hashKey(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export { attributeEquals, marshall, marshallItem, unmarshallItem };
export type { AttributeMap, AttributeValue };

/** Simulated time of one DynamoDB call from handler code (single-digit milliseconds in AWS). (?) */
export const TABLE_CALL_LATENCY_MS = 5;

/**
 * The table service as handler code reaches it through `__hostCall('dynamodb', method, args)`:
 * `document.put|get|update|delete|query|scan` (the DocumentClient) or the low-level actions
 * (`PutItem`, `Query`...). Errors keep DynamoDB's names, so `err.name === 'ConditionalCheckFailedException'`.
 */
export function tableHostService(tables: TableService): HostServices {
  return async (_service, method, args) => {
    try {
      if (method.startsWith('document.')) {
        const op = method.slice('document.'.length) as keyof TableService['document'];
        const fn = tables.document[op] as ((input: unknown) => unknown) | undefined;
        if (!fn) throw new TableServiceError('ValidationException', `DocumentClient has no method ${op}`);
        return { value: fn(args), elapsedMs: TABLE_CALL_LATENCY_MS };
      }
      return { value: tables.call(method, args), elapsedMs: TABLE_CALL_LATENCY_MS };
    } catch (err) {
      if (err instanceof TableServiceError) throw new HostServiceError(err.code, err.message, err.statusCode);
      throw err;
    }
  };
}
