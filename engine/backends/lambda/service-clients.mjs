// @ts-check
/**
 * AWS SDK-shaped clients for handler code in the sandbox, over `__hostCall` (evaluated after
 * the runtime prelude, in every container). They reach the engine's simulated services:
 *
 *   const ddb = new DocumentClient();                        // also AWS.DynamoDB.DocumentClient
 *   await ddb.put({ TableName, Item });                      // get, update, delete, query, scan
 *   const api = new ApiGatewayManagementApi({ endpoint: 'https://' + domainName + '/' + stage });
 *   await api.postToConnection({ ConnectionId, Data });      // getConnection, deleteConnection
 *
 * SDK v3, as the Lambda Node.js runtimes bundle it, through `require` or `import`:
 *
 *   import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
 *   import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
 *   import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
 *
 * SDK v2 (`require('aws-sdk')`) is not in those runtimes (Node.js 18 and later), so it is not
 * offered as a module; its shapes are available as the `AWS` global instead.
 *
 * Every method returns a promise; the promise also has `.promise()` (SDK v2 style) returning
 * itself, so `await ddb.put(params).promise()` from the AWS tutorials works unchanged. Errors
 * have `name`/`code` (GoneException, ConditionalCheckFailedException...), `statusCode` and
 * `$metadata.httpStatusCode`, as SDK v2 and v3 errors do.
 */
export const SERVICE_CLIENTS_PRELUDE = String.raw`
(function () {
  var g = globalThis;
  var hostCall = g.__hostCall;

  function v2(p) { p.promise = function () { return p; }; return p; }
  function withCallback(p, cb) {
    if (typeof cb === 'function') p.then(function (r) { cb(null, r); }, function (e) { cb(e); });
    return v2(p);
  }
  function paramError(message) {
    var e = new Error(message); e.name = 'InvalidParameterType'; e.code = 'InvalidParameterType';
    return v2(Promise.reject(e));
  }

  function DocumentClient(options) {
    if (!(this instanceof DocumentClient)) return new DocumentClient(options);
    this.options = options || {};
  }
  ['put', 'get', 'update', 'delete', 'query', 'scan'].forEach(function (m) {
    DocumentClient.prototype[m] = function (params, cb) {
      if (!params || typeof params !== 'object') return paramError('Expected params to be a structure');
      return withCallback(hostCall('dynamodb', 'document.' + m, params), cb);
    };
  });
  // SDK v3 lib-dynamodb: DynamoDBDocument.from(client) has the same methods.
  var DynamoDBDocument = { from: function () { return new DocumentClient(); } };

  // UTF-8 text of a Uint8Array (QuickJS has no TextDecoder).
  function utf8(bytes) {
    var s = '';
    for (var i = 0; i < bytes.length; i++) s += '%' + ('0' + bytes[i].toString(16)).slice(-2);
    try { return decodeURIComponent(s); } catch (e) { return String.fromCharCode.apply(null, Array.prototype.slice.call(bytes)); }
  }

  function ApiGatewayManagementApi(options) {
    if (!(this instanceof ApiGatewayManagementApi)) return new ApiGatewayManagementApi(options);
    this.endpoint = options && options.endpoint !== undefined ? String(options.endpoint) : undefined;
  }
  ApiGatewayManagementApi.prototype.postToConnection = function (params, cb) {
    if (!params || typeof params !== 'object') return paramError('Expected params to be a structure');
    var data = params.Data;
    if (data instanceof Uint8Array) data = utf8(data);
    else if (data instanceof ArrayBuffer) data = utf8(new Uint8Array(data));
    else if (typeof data !== 'string') {
      return paramError('Expected params.Data to be a string, Buffer, Stream, Blob, or typed array object');
    }
    return withCallback(hostCall('execute-api', 'PostToConnection', { endpoint: this.endpoint, ConnectionId: params.ConnectionId, Data: data }), cb);
  };
  ApiGatewayManagementApi.prototype.getConnection = function (params, cb) {
    // The SDKs turn the timestamps into Date objects.
    var p = hostCall('execute-api', 'GetConnection', { endpoint: this.endpoint, ConnectionId: params && params.ConnectionId }).then(function (r) {
      return { ConnectedAt: new Date(r.ConnectedAt), Identity: r.Identity, LastActiveAt: new Date(r.LastActiveAt) };
    });
    return withCallback(p, cb);
  };
  ApiGatewayManagementApi.prototype.deleteConnection = function (params, cb) {
    return withCallback(hostCall('execute-api', 'DeleteConnection', { endpoint: this.endpoint, ConnectionId: params && params.ConnectionId }), cb);
  };

  // SDK v3: clients whose send(command) runs the command's operation.
  function commandClass(name, op) {
    function Command(input) {
      if (!(this instanceof Command)) return new Command(input);
      this.input = input || {};
    }
    Command.prototype.__op = op;
    Object.defineProperty(Command, 'name', { value: name });
    return Command;
  }
  function sendVia(target) {
    return function (command) {
      if (!command || typeof command.__op !== 'string') return paramError('send() takes a command, e.g. new PostToConnectionCommand({ ConnectionId, Data })');
      var p = target(command.__op, command.input);
      return p;
    };
  }

  function ApiGatewayManagementApiClient(config) {
    if (!(this instanceof ApiGatewayManagementApiClient)) return new ApiGatewayManagementApiClient(config);
    this.api = new ApiGatewayManagementApi(config);
    var api = this.api;
    this.send = sendVia(function (op, input) { return api[op](input); });
  }
  var managementV3 = {
    ApiGatewayManagementApiClient: ApiGatewayManagementApiClient,
    ApiGatewayManagementApi: ApiGatewayManagementApi,
    PostToConnectionCommand: commandClass('PostToConnectionCommand', 'postToConnection'),
    GetConnectionCommand: commandClass('GetConnectionCommand', 'getConnection'),
    DeleteConnectionCommand: commandClass('DeleteConnectionCommand', 'deleteConnection'),
  };

  // @aws-sdk/client-dynamodb: the low-level API (attribute values), e.g. new PutItemCommand({ TableName, Item: { id: { S: 'x' } } }).
  function DynamoDBClient(config) {
    if (!(this instanceof DynamoDBClient)) return new DynamoDBClient(config);
    this.config = config || {};
    this.send = sendVia(function (op, input) { return v2(hostCall('dynamodb', op, input)); });
  }
  var dynamodbV3 = { DynamoDBClient: DynamoDBClient };
  ['PutItem', 'GetItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan'].forEach(function (op) { dynamodbV3[op + 'Command'] = commandClass(op + 'Command', op); });

  // @aws-sdk/lib-dynamodb: DynamoDBDocumentClient.from(client).send(new PutCommand({ TableName, Item })).
  function DynamoDBDocumentClient() {
    var doc = new DocumentClient();
    this.send = sendVia(function (op, input) { return doc[op](input); });
  }
  DynamoDBDocumentClient.from = function () { return new DynamoDBDocumentClient(); };
  var libDynamodb = { DynamoDBDocumentClient: DynamoDBDocumentClient, DynamoDBDocument: DynamoDBDocument };
  [['Put', 'put'], ['Get', 'get'], ['Update', 'update'], ['Delete', 'delete'], ['Query', 'query'], ['Scan', 'scan']].forEach(function (p) {
    libDynamodb[p[0] + 'Command'] = commandClass(p[0] + 'Command', p[1]);
  });

  /**
   * The SDK v3 packages the Lambda Node.js runtimes bundle, for require() and import. Anything
   * else is not there, as in a Lambda deployment package without node_modules.
   */
  var modules = {
    '@aws-sdk/client-apigatewaymanagementapi': managementV3,
    '@aws-sdk/client-dynamodb': dynamodbV3,
    '@aws-sdk/lib-dynamodb': libDynamodb,
  };
  g.__awsSdkModules = modules;
  // CommonJS handlers get it as their module-scoped require (as in Node); ES modules use import.
  g.__awsSdkRequire = function (name) {
    var m = modules[name];
    if (m) return m;
    var e = new Error("Cannot find module '" + name + "'");
    e.code = 'MODULE_NOT_FOUND';
    throw e;
  };

  g.DocumentClient = DocumentClient;
  g.DynamoDBDocument = DynamoDBDocument;
  g.ApiGatewayManagementApi = ApiGatewayManagementApi;
  g.AWS = { DynamoDB: { DocumentClient: DocumentClient }, ApiGatewayManagementApi: ApiGatewayManagementApi };
})();
`;

/**
 * The packages `import` can name in handler code (module code in the sandbox), and the source each one evaluates to.
 * @type {Record<string, string[]>}
 */
export const SDK_MODULES = {
  '@aws-sdk/client-apigatewaymanagementapi': ['ApiGatewayManagementApiClient', 'ApiGatewayManagementApi', 'PostToConnectionCommand', 'GetConnectionCommand', 'DeleteConnectionCommand'],
  '@aws-sdk/client-dynamodb': ['DynamoDBClient', 'PutItemCommand', 'GetItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'QueryCommand', 'ScanCommand'],
  '@aws-sdk/lib-dynamodb': ['DynamoDBDocumentClient', 'DynamoDBDocument', 'PutCommand', 'GetCommand', 'UpdateCommand', 'DeleteCommand', 'QueryCommand', 'ScanCommand'],
};

/**
 * ES module source for one of SDK_MODULES: named exports from the prelude's objects.
 * @param {string} name
 * @returns {string | undefined}
 */
export function sdkModuleSource(name) {
  const names = SDK_MODULES[name];
  if (!names) return undefined;
  return `const m = globalThis.__awsSdkModules[${JSON.stringify(name)}];\n` + names.map((n) => `export const ${n} = m.${n};`).join('\n') + '\nexport default m;\n';
}
