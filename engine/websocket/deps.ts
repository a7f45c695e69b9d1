import type { AwsServiceIntegrations } from '../backends/aws-services';
import type { HttpIntegrationClient } from '../backends/http-client';
import type { HostServices } from '../backends/lambda/sandbox';
import type { LambdaService } from '../backends/lambda/service';
import type { Clock } from '../core/clock';
import type { IdGenerator } from '../core/random';
import type { MetricsStore } from '../services/metrics';
import type { UsagePlans } from '../services/usage-plans';

/** What the WebSocket steps need from the gateway around them. */
export interface WebSocketDeps {
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly lambda: LambdaService;
  readonly http: HttpIntegrationClient;
  /** The simulated AWS services handler code reaches (tables, @connections). */
  readonly hostServices: HostServices;
  readonly usage: UsagePlans;
  readonly metrics: MetricsStore;
  /** AWS service integrations (SQS, S3, DynamoDB), shared with REST APIs. */
  readonly aws: AwsServiceIntegrations;
}
