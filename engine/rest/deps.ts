import type { Clock } from '../core/clock';
import type { IdGenerator, SeededRandom } from '../core/random';
import type { LambdaService } from '../backends/lambda/service';
import type { HttpIntegrationClient } from '../backends/http-client';
import type { HostServices } from '../backends/lambda/sandbox';
import type { JwksClient } from '../auth/jwks';
import type { BucketLimits, BucketRegistry } from '../services/token-bucket';
import type { UsagePlans } from '../services/usage-plans';
import type { MetricsStore } from '../services/metrics';
import type { CloudWatchLogs } from '../services/logs';
import type { AwsServiceIntegrations } from '../backends/aws-services';

/** What the REST steps need from the gateway around them. */
export interface RestDeps {
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly random: SeededRandom;
  readonly lambda: LambdaService;
  readonly http: HttpIntegrationClient;
  /** Simulated AWS services reachable from handler code (tables, queues, @connections). */
  readonly hostServices?: HostServices;
  /** Signing keys of identity providers (Cognito authorizers). */
  readonly jwks: JwksClient;
  /** Every token bucket of the account (stage, method, usage-plan keys...). */
  readonly buckets: BucketRegistry;
  /** API keys and usage plans. */
  readonly usage: UsagePlans;
  /** Simulated AWS services for AWS integrations (SQS, S3, DynamoDB). */
  readonly aws?: AwsServiceIntegrations;
  /** Execution-log style; defaults to what AWS prints today. */
  readonly logStyle?: import('./context').ExecutionLogStyle;
  /** Account-level limits per Region (default 10,000 rps, burst 5,000). */
  readonly accountLimits?: BucketLimits;
  /** CloudWatch metrics of the account. */
  readonly metrics?: MetricsStore;
  /** CloudWatch Logs of the account (execution and access logs). */
  readonly logs?: CloudWatchLogs;
}
