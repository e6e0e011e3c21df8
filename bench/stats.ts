/** p50 / p95 / p99 and spread of a sample of milliseconds. */
export interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  /** (p95 - p50) / p50: how noisy the sample is. */
  spread: number;
}

export function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  const p50 = at(0.5);
  return { n: sorted.length, p50: round(p50), p95: round(at(0.95)), p99: round(at(0.99)), spread: round(p50 > 0 ? (at(0.95) - p50) / p50 : 0) };
}

export async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const start = process.hrtime.bigint();
  const result = await work();
  return [Number(process.hrtime.bigint() - start) / 1e6, result];
}

export function round(n: number): number {
  return Math.round(n * 100) / 100;
}
