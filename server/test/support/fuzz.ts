/**
 * Shared fast-check parameters: a fixed seed so `npm test` is repeatable (override with FC_SEED to
 * explore), and SOAK=1 (`npm run soak`) multiplies every property's runs for a long search.
 */
export const SOAK = process.env['SOAK'] === '1'

export function fuzzParams(runs: number): { seed: number; numRuns: number } {
  return { seed: Number(process.env['FC_SEED'] ?? 20261205), numRuns: SOAK ? runs * 50 : runs }
}
