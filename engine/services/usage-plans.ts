/**
 * API keys and usage plans (REST APIs): keys, the plans they belong to, the API stages each
 * plan is bound to, and quota counters per plan, key and period. A key only works for a method
 * that requires one, when it is enabled and in a plan bound to that API stage — four links a
 * learner must all make (learner-pain #5).
 */

export interface ApiKey {
  readonly id: string;
  readonly name: string;
  readonly value: string;
  readonly enabled: boolean;
}

export interface ThrottleSettings {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export interface QuotaSettings {
  readonly limit: number;
  readonly period: 'DAY' | 'WEEK' | 'MONTH';
  /** DAY: 0; WEEK: 0 (Sunday) to 6; MONTH: 0 (the 1st) to 27. */
  readonly offset: number;
}

export interface ApiStage {
  readonly apiId: string;
  readonly stage: string;
  /** Per-method throttles keyed `/pets/GET` (the root is `//GET`). */
  readonly throttle?: Readonly<Record<string, ThrottleSettings>>;
}

export interface UsagePlan {
  readonly id: string;
  readonly name: string;
  readonly apiStages: readonly ApiStage[];
  readonly throttle?: ThrottleSettings;
  readonly quota?: QuotaSettings;
  /** Ids of the keys in this plan. */
  readonly keyIds: readonly string[];
}

export class ApiKeyValidationError extends Error {}

/** CreateApiKey's own checks, with AWS's messages (recorded). */
export function checkApiKeyValue(value: string): void {
  if (value.length < 20) throw new ApiKeyValidationError('API Key value should be at least 20 characters');
  if (value.length > 128) throw new ApiKeyValidationError('API Key value exceeds maximum size of 128 characters');
}

export class UsagePlans {
  private readonly keys = new Map<string, ApiKey>();
  private readonly plans = new Map<string, UsagePlan>();
  /** `${planId}|${keyId}|${windowStart}` → requests counted. */
  private readonly quotaUsed = new Map<string, number>();

  putKey(key: ApiKey): void {
    checkApiKeyValue(key.value);
    this.keys.set(key.id, key);
  }

  deleteKey(id: string): void {
    this.keys.delete(id);
  }

  putPlan(plan: UsagePlan): void {
    this.plans.set(plan.id, plan);
  }

  deletePlan(id: string): void {
    this.plans.delete(id);
  }

  keyByValue(value: string): ApiKey | undefined {
    for (const k of this.keys.values()) if (k.value === value) return k;
    return undefined;
  }

  key(id: string): ApiKey | undefined {
    return this.keys.get(id);
  }

  listKeys(): ApiKey[] {
    return [...this.keys.values()];
  }

  listPlans(): UsagePlan[] {
    return [...this.plans.values()];
  }

  /** The plan that gives this key access to this API stage (a key is in at most one plan per stage). */
  planFor(keyId: string, apiId: string, stage: string): { plan: UsagePlan; apiStage: ApiStage } | undefined {
    for (const plan of this.plans.values()) {
      if (!plan.keyIds.includes(keyId)) continue;
      const apiStage = plan.apiStages.find((s) => s.apiId === apiId && s.stage === stage);
      if (apiStage) return { plan, apiStage };
    }
    return undefined;
  }

  /** Count one request against the quota; false when the period's limit is already used up. */
  consumeQuota(plan: UsagePlan, keyId: string, now: number): { allowed: boolean; used: number; limit: number; resetsAt: number } | undefined {
    if (!plan.quota) return undefined;
    const start = quotaWindowStart(plan.quota, now);
    const k = `${plan.id}|${keyId}|${start}`;
    const used = this.quotaUsed.get(k) ?? 0;
    const resetsAt = quotaWindowEnd(plan.quota, start);
    if (used >= plan.quota.limit) return { allowed: false, used, limit: plan.quota.limit, resetsAt };
    this.quotaUsed.set(k, used + 1);
    return { allowed: true, used: used + 1, limit: plan.quota.limit, resetsAt };
  }

  /** Remaining quota in the current period (GetUsage). */
  remaining(plan: UsagePlan, keyId: string, now: number): number | undefined {
    if (!plan.quota) return undefined;
    return plan.quota.limit - (this.quotaUsed.get(`${plan.id}|${keyId}|${quotaWindowStart(plan.quota, now)}`) ?? 0);
  }
}

const DAY_MS = 86_400_000;

/** The start (UTC) of the quota period containing `now`. */
export function quotaWindowStart(q: QuotaSettings, now: number): number {
  const d = new Date(now);
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  switch (q.period) {
    case 'DAY':
      return midnight;
    case 'WEEK': {
      const back = (d.getUTCDay() - q.offset + 7) % 7;
      return midnight - back * DAY_MS;
    }
    case 'MONTH': {
      const startDay = 1 + q.offset;
      const thisMonth = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), startDay);
      return thisMonth <= now ? thisMonth : Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, startDay);
    }
  }
}

function quotaWindowEnd(q: QuotaSettings, start: number): number {
  if (q.period === 'DAY') return start + DAY_MS;
  if (q.period === 'WEEK') return start + 7 * DAY_MS;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}
