import type { Clock } from '../core/clock';
import type { IdGenerator, SeededRandom } from '../core/random';
import type { LambdaService } from '../backends/lambda/service';
import type { HttpIntegrationClient } from '../backends/http-client';
import type { HostServices } from '../backends/lambda/sandbox';

/** What the REST steps need from the gateway around them. */
export interface RestDeps {
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly random: SeededRandom;
  readonly lambda: LambdaService;
  readonly http: HttpIntegrationClient;
  /** Simulated AWS services reachable from handler code (tables, queues, @connections). */
  readonly hostServices?: HostServices;
}
