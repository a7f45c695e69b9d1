/**
 * The simulated API Gateway service of one account and region: the APIs it hosts, and the
 * services they share (Lambda, HTTP backends, the clock and the seeded random source).
 */
import { HttpIntegrationClient } from './backends/http-client';
import { type HostServices, HostServiceError } from './backends/lambda/sandbox';
import { LambdaService } from './backends/lambda/service';
import { type Clock, VirtualClock } from './core/clock';
import { IdGenerator, SeededRandom } from './core/random';
import { type RestApiDefinition, restApiFromDefinition } from './model/rest-definition';
import { IdentityProvider, type IdentityProviderConfig } from './auth/identity-provider';
import { JwksClient } from './auth/jwks';
import { HttpOidcFetcher, LocalIssuers } from './auth/oidc-fetcher';
import { ACCOUNT_DEFAULT_LIMITS, BucketRegistry, type BucketLimits } from './services/token-bucket';
import { UsagePlans } from './services/usage-plans';
import { MetricsStore } from './services/metrics';
import { CloudWatchLogs } from './services/logs';
import { RestApiHost } from './rest/rest-api-host';
import { RestControlPlane } from './rest/control-plane';
import { QueueService } from './services/queue';
import { ObjectStore } from './services/object-store';
import { AwsServiceIntegrations } from './backends/aws-services';
import { type HttpApiDefinition, httpApiFromDefinition, httpStagesFromDefinition } from './http/definition';
import { HttpApiHost } from './http/http-api-host';
import type { ExecutionLogStyle } from './rest/context';
import { TableService, tableHostService } from './services/table';
import { type WebSocketApiDefinition, webSocketApiFromDefinition } from './websocket/definition';
import { managementHostService } from './websocket/management-api';
import { WebSocketApiHost } from './websocket/websocket-api-host';

export interface GatewayOptions {
  /** Seed for every id and random draw: same seed, same traces. */
  readonly seed?: string;
  readonly clock?: Clock;
  /** Let HTTP integrations reach hosts other than declared backends and loopback (live endpoint only). */
  readonly allowNetwork?: boolean;
  readonly region?: string;
  readonly accountId?: string;
  /** Account-level throttle per Region, shared by every API (default 10,000 rps, burst 5,000). */
  readonly accountLimits?: BucketLimits;
  /** REST execution-log style: what the console prints today (default) or the 2017 documentation example. */
  readonly executionLogStyle?: ExecutionLogStyle;
}

export class Gateway {
  readonly clock: Clock;
  readonly random: SeededRandom;
  readonly ids: IdGenerator;
  readonly lambda: LambdaService;
  readonly http: HttpIntegrationClient;
  readonly region: string;
  readonly accountId: string;
  /** Identity providers of this simulation, answered in-process (and over HTTP by the live endpoint). */
  readonly issuers: LocalIssuers;
  /** Signing keys fetched from issuers, shared by Cognito and JWT authorizers. */
  readonly jwks: JwksClient;
  /** Every token bucket (account, stage, method/route, usage-plan key) on the engine clock. */
  readonly buckets = new BucketRegistry();
  /** API keys and usage plans of the account (REST APIs). */
  readonly usage = new UsagePlans();
  readonly accountLimits: BucketLimits;
  /** CloudWatch metrics of the account (namespace AWS/ApiGateway), shared by every API. */
  readonly metrics = new MetricsStore();
  /** CloudWatch Logs of the account: execution and access logs. */
  readonly logs = new CloudWatchLogs();
  readonly executionLogStyle: ExecutionLogStyle;
  /** Simulated DynamoDB tables (a scenario's `tables:`), for handler code and AWS integrations. */
  readonly tables = new TableService();
  /** Simulated SQS: queues AWS integrations send to (state the UI shows). */
  readonly queues: QueueService;
  /** Simulated S3: buckets AWS integrations read and write. */
  readonly objects: ObjectStore;
  /** AWS service integrations (type AWS, other than Lambda) over the simulated services. */
  readonly aws: AwsServiceIntegrations;
  /** The API Gateway management operations (PutMethod, PutGatewayResponse, TestInvokeMethod...). */
  readonly controlPlane: RestControlPlane;
  private readonly restApis = new Map<string, RestApiHost>();
  private readonly httpApis = new Map<string, HttpApiHost>();
  private readonly webSocketApis = new Map<string, WebSocketApiHost>();
  private hostServices?: HostServices;
  /** Simulated AWS services handler code reaches through `__hostCall(service, ...)`, by service name. */
  private readonly services = new Map<string, HostServices>();

  constructor(options: GatewayOptions = {}) {
    this.clock = options.clock ?? new VirtualClock();
    this.random = new SeededRandom(options.seed ?? 'gateway-lab');
    this.ids = new IdGenerator(this.random.fork('ids'));
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
    this.lambda = new LambdaService(
      new IdGenerator(this.random.fork('lambda-ids')),
      this.random.fork('lambda'),
      undefined,
      this.region,
      this.accountId,
      this.clock.kind === 'system',
    );
    this.http = new HttpIntegrationClient({ virtualTime: this.clock.kind === 'virtual', allowNetwork: options.allowNetwork ?? false });
    this.issuers = new LocalIssuers(options.allowNetwork ? new HttpOidcFetcher() : undefined);
    this.jwks = new JwksClient(this.issuers);
    this.accountLimits = options.accountLimits ?? ACCOUNT_DEFAULT_LIMITS;
    this.executionLogStyle = options.executionLogStyle ?? 'current';
    this.queues = new QueueService(new IdGenerator(this.random.fork('sqs-ids')), this.region, this.accountId);
    this.objects = new ObjectStore();
    this.aws = new AwsServiceIntegrations({ queues: this.queues, objects: this.objects, tables: this.tables }, new IdGenerator(this.random.fork('aws-ids')));
    this.controlPlane = new RestControlPlane(this);
    this.registerService('dynamodb', tableHostService(this.tables));
    this.registerService('execute-api', managementHostService((apiId) => this.webSocketApis.get(apiId)));
  }

  /** Offer a simulated service to handler code (`__hostCall(name, method, args)`). */
  registerService(name: string, handler: HostServices): void {
    this.services.set(name, handler);
  }

  /**
   * What handler code reaches through the sandbox: the registered services (DynamoDB tables,
   * the @connections API), then whatever setHostServices added.
   */
  readonly callService: HostServices = (service, method, args, call) => {
    const registered = this.services.get(service);
    if (registered) return registered(service, method, args, call);
    if (this.hostServices) return this.hostServices(service, method, args, call);
    return Promise.reject(new HostServiceError('UnknownService', `No simulated service "${service}" is available`, 400));
  };

  /** Add a local OpenID issuer (a scenario's `identity:`). Keys are fixed on a virtual clock, fresh on the system clock. */
  addIdentityProvider(config: IdentityProviderConfig, options: { inProcess?: boolean } = {}): IdentityProvider {
    const idp = new IdentityProvider({ keys: this.clock.kind === 'virtual' ? 'fixed' : 'generate', ...config }, () => this.clock.now());
    // The live endpoint serves the issuer over real HTTP instead, so authorizers fetch its keys as they would from Cognito.
    if (options.inProcess ?? true) this.issuers.register(idp);
    return idp;
  }

  /** Services handler code can reach through the sandbox (tables, queues, @connections). */
  setHostServices(services: HostServices): void {
    this.hostServices = services;
  }

  createRestApi(definition: RestApiDefinition): RestApiHost {
    const api = restApiFromDefinition(definition, { id: this.ids.apiId(), ids: this.ids, region: this.region, accountId: this.accountId });
    const host = new RestApiHost(
      api,
      {
        clock: this.clock,
        ids: this.ids,
        random: this.random.fork(`rest:${api.id}`),
        lambda: this.lambda,
        http: this.http,
        hostServices: this.callService,
        jwks: this.jwks,
        buckets: this.buckets,
        usage: this.usage,
        aws: this.aws,
        logStyle: this.executionLogStyle,
        accountLimits: this.accountLimits,
        metrics: this.metrics,
        logs: this.logs,
      },
      this.region,
      this.accountId,
    );
    this.restApis.set(api.id, host);
    return host;
  }

  restApi(id: string): RestApiHost | undefined {
    return this.restApis.get(id);
  }

  /** Create an HTTP API (API Gateway v2) with the stages its definition declares. */
  createHttpApi(definition: HttpApiDefinition): HttpApiHost {
    const id = this.ids.apiId();
    const api = httpApiFromDefinition(definition, { id, ids: this.ids, region: this.region, accountId: this.accountId });
    const host = new HttpApiHost(
      api,
      httpStagesFromDefinition(definition),
      {
        clock: this.clock,
        ids: this.ids,
        lambda: this.lambda,
        http: this.http,
        jwks: this.jwks,
        buckets: this.buckets,
        accountLimits: this.accountLimits,
        metrics: this.metrics,
        hostServices: this.callService,
      },
      this.region,
      this.accountId,
    );
    this.httpApis.set(id, host);
    return host;
  }

  httpApi(id: string): HttpApiHost | undefined {
    return this.httpApis.get(id);
  }

  /** Create a WebSocket API (API Gateway v2, protocol WEBSOCKET) with its stage. */
  createWebSocketApi(definition: WebSocketApiDefinition): WebSocketApiHost {
    const api = webSocketApiFromDefinition(definition, { id: this.ids.apiId(), ids: this.ids, region: this.region, accountId: this.accountId });
    const host = new WebSocketApiHost(
      api,
      {
        clock: this.clock,
        ids: this.ids,
        lambda: this.lambda,
        http: this.http,
        hostServices: this.callService,
        usage: this.usage,
        metrics: this.metrics,
        aws: this.aws,
      },
      this.region,
      this.accountId,
    );
    this.webSocketApis.set(api.id, host);
    return host;
  }

  webSocketApi(id: string): WebSocketApiHost | undefined {
    return this.webSocketApis.get(id);
  }

  async close(): Promise<void> {
    await this.lambda.close();
  }
}
