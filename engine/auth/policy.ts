/**
 * IAM policy evaluation for the policies Lambda authorizers return: `execute-api:Invoke` on
 * method ARNs `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{VERB}/{path}` (WebSocket:
 * `…/{stage}/{routeKey}`). An explicit Deny wins; otherwise an Allow must cover the ARN; otherwise
 * the request is implicitly denied.
 */

export interface PolicyStatement {
  readonly Effect?: unknown;
  readonly Action?: unknown;
  readonly Resource?: unknown;
}

export interface PolicyDocument {
  readonly Version?: unknown;
  readonly Statement?: unknown;
}

export type PolicyDecision =
  | { readonly effect: 'Allow'; readonly statement: number }
  | { readonly effect: 'Deny'; readonly statement: number }
  | { readonly effect: 'ImplicitDeny' };

export class PolicyError extends Error {}

/** Parse and check the shape; throws PolicyError with what is wrong. */
export function statementsOf(doc: unknown): PolicyStatement[] {
  if (!doc || typeof doc !== 'object') throw new PolicyError('policyDocument is missing or not an object');
  const st = (doc as PolicyDocument).Statement;
  const list = Array.isArray(st) ? st : st && typeof st === 'object' ? [st] : undefined;
  if (!list) throw new PolicyError('policyDocument.Statement is missing');
  for (const [i, s] of list.entries()) {
    if (!s || typeof s !== 'object') throw new PolicyError(`Statement[${i}] is not an object`);
    const effect = (s as PolicyStatement).Effect;
    if (effect !== 'Allow' && effect !== 'Deny') throw new PolicyError(`Statement[${i}].Effect must be "Allow" or "Deny"`);
  }
  return list as PolicyStatement[];
}

const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined || v === null ? [] : [String(v)]);

/** IAM wildcards: `*` matches any run of characters, `?` one character. */
export function arnMatches(pattern: string, arn: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(arn);
}

function actionMatches(pattern: string, action: string): boolean {
  return arnMatches(pattern.toLowerCase(), action.toLowerCase());
}

/** `action` defaults to `execute-api:Invoke`; cache invalidation checks `execute-api:InvalidateCache`. */
export function evaluatePolicy(doc: unknown, arn: string, action = 'execute-api:Invoke'): PolicyDecision {
  const statements = statementsOf(doc);
  let allow: number | undefined;
  for (const [i, s] of statements.entries()) {
    const covers = asList(s.Action).some((a) => actionMatches(a, action)) && asList(s.Resource).some((r) => arnMatches(r, arn));
    if (!covers) continue;
    if (s.Effect === 'Deny') return { effect: 'Deny', statement: i };
    allow ??= i;
  }
  return allow === undefined ? { effect: 'ImplicitDeny' } : { effect: 'Allow', statement: allow };
}
