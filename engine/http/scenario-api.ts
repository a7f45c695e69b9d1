/**
 * HTTP APIs in scenario files: default stages and the load-time checks the loader runs, so a
 * problem in a definition is reported at its line before anything runs.
 */
import type { FunctionConfig } from '../backends/lambda/service';
import { IdGenerator, SeededRandom } from '../core/random';
import { DefinitionError } from '../model/rest-definition';
import { lambdaFunctionFromUri } from '../model/rest';
import { type HttpApiDefinition, httpApiFromDefinition } from './definition';

type Path = (string | number)[];

/**
 * Without `stages`, an HTTP API gets one stage with auto-deploy: named after the scenario's
 * `stage:` when it declares one (so a comparison with REST uses the same URLs), else `$default`
 * (served at the root URL, as the console's quick create does).
 */
export function withDefaultHttpStages(def: Record<string, any>, scenarioStage: Record<string, any> | undefined): HttpApiDefinition {
  if (def.stages && Object.keys(def.stages).length > 0) return def as HttpApiDefinition;
  const name: string = scenarioStage?.name ?? (scenarioStage ? 'prod' : '$default');
  return {
    ...(def as HttpApiDefinition),
    // `stage: { deploy: false }` turns auto-deploy off: the stage then waits for a deploy step.
    stages: { [name]: { autoDeploy: scenarioStage?.deploy !== false, ...(scenarioStage?.variables ? { stageVariables: scenarioStage.variables } : {}) } },
  };
}

export function checkHttpScenarioApi(def: HttpApiDefinition, functions: Readonly<Record<string, FunctionConfig>>, report: (p: Path, message: string) => void): void {
  try {
    httpApiFromDefinition(def, { id: 'check', ids: new IdGenerator(new SeededRandom('check')), region: 'us-east-1', accountId: '123456789012' });
  } catch (err) {
    if (!(err instanceof DefinitionError)) throw err;
    for (const i of err.issues) report([...i.path], i.message);
  }
  const known = (fn: string | undefined) => !fn || fn.includes('${') || functions[lambdaFunctionFromUri(fn) ?? fn] !== undefined;
  for (const [name, i] of Object.entries(def.integrations ?? {})) {
    if (i?.integrationType === 'AWS_PROXY' && !known(i.function ?? i.integrationUri)) report(['integrations', name], `no function named "${i.function ?? lambdaFunctionFromUri(i.integrationUri)}" is defined under functions`);
  }
  for (const [key, r] of Object.entries(def.routes ?? {})) {
    const i = r?.integration;
    if (i?.integrationType === 'AWS_PROXY' && !known(i.function ?? i.integrationUri)) report(['routes', key, 'integration'], `no function named "${i.function ?? lambdaFunctionFromUri(i.integrationUri)}" is defined under functions`);
  }
  for (const [name, a] of Object.entries(def.authorizers ?? {})) {
    if (a?.authorizerType === 'REQUEST' && !known(a.function ?? a.authorizerUri)) report(['authorizers', name], `no function named "${a.function ?? lambdaFunctionFromUri(a.authorizerUri)}" is defined under functions`);
  }
}
