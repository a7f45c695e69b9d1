export interface BenchResult {
  readonly value: number | null;
  readonly unit: string;
  readonly target?: number;
  readonly ok?: boolean;
  /** Why there is no value (e.g. no Chromium on this machine). */
  readonly skipped?: string;
}
export type BenchResults = Record<string, BenchResult>;
