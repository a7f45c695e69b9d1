import type { AuthorizerCache } from '../auth/authorizer-cache';
import type { JwksClient } from '../auth/jwks';
import type { AuthorizerOutput } from '../auth/lambda-authorizer';
import type { HttpIntegrationClient } from '../backends/http-client';
import type { HostServices } from '../backends/lambda/sandbox';
import type { LambdaService } from '../backends/lambda/service';
import type { Clock } from '../core/clock';
import type { IdGenerator } from '../core/random';
import type { BucketLimits, BucketRegistry } from '../services/token-bucket';
import type { MetricsStore } from '../services/metrics';

/** What the HTTP API steps need from the gateway around them. */
export interface HttpDeps {
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly lambda: LambdaService;
  readonly http: HttpIntegrationClient;
  /** Signing keys of OpenID issuers (JWT authorizers). */
  readonly jwks: JwksClient;
  /** The gateway's token buckets; the account bucket is shared with every other API. */
  readonly buckets: BucketRegistry;
  readonly accountLimits: BucketLimits;
  /** Lambda-authorizer results, by authorizer and identity values. */
  readonly authorizerCache: AuthorizerCache<AuthorizerOutput>;
  readonly hostServices?: HostServices;
  /** CloudWatch metrics of the account (Count, 4xx, 5xx, Latency, IntegrationLatency, DataProcessed). */
  readonly metrics?: MetricsStore;
}
