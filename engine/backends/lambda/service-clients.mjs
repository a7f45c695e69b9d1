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
 * There is no `require`: write `new AWS.DynamoDB.DocumentClient()` where a tutorial has
 * `const AWS = require('aws-sdk')` first.
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

  g.DocumentClient = DocumentClient;
  g.DynamoDBDocument = DynamoDBDocument;
  g.ApiGatewayManagementApi = ApiGatewayManagementApi;
  g.AWS = { DynamoDB: { DocumentClient: DocumentClient }, ApiGatewayManagementApi: ApiGatewayManagementApi };
})();
`;
