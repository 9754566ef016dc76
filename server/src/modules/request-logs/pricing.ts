/** USD per million tokens (reference §7). */
interface Price {
  input: number
  cachedInput: number
  output: number
}

const PRICES: Record<string, Price> = {
  'gpt-5.3': { input: 1.75, cachedInput: 0.175, output: 14 },
  'gpt-5.2': { input: 1.75, cachedInput: 0.175, output: 14 },
  'gpt-5.1': { input: 1.25, cachedInput: 0.125, output: 10 },
  'gpt-5': { input: 1.25, cachedInput: 0.125, output: 10 },
  'gpt-5.1-codex-max': { input: 1.25, cachedInput: 0.125, output: 10 },
  'gpt-5.1-codex-mini': { input: 0.25, cachedInput: 0.025, output: 2 },
  'gpt-5.1-codex': { input: 1.25, cachedInput: 0.125, output: 10 },
  'gpt-5-codex': { input: 1.25, cachedInput: 0.125, output: 10 },
}
const PREFIXES = Object.keys(PRICES).sort((a, b) => b.length - a.length)

/** Exact (case-insensitive) model match first, else the longest known prefix. */
export function priceFor(model: string): Price | undefined {
  const m = model.toLowerCase()
  return PRICES[m] ?? PRICES[PREFIXES.find((p) => m.startsWith(p)) ?? '']
}

export interface TokenUsage {
  inputTokens: number
  cachedInputTokens: number
  outputTokens: number
  reasoningTokens: number
}

/** Cost in USD; undefined for models without a known price. Cached tokens bill at the cached rate. */
export function costUsd(model: string, usage: TokenUsage): number | undefined {
  const price = priceFor(model)
  return price ? costAt(price, usage) : undefined
}

/**
 * Cost at a price list of one's own (an overflow upstream's); a part left null takes the built-in
 * price of the model, and with neither the cost is unknown.
 */
export function costWithPrices(
  model: string,
  usage: TokenUsage,
  prices: { input: number | null; cachedInput: number | null; output: number | null },
): number | undefined {
  const known = priceFor(model)
  const input = prices.input ?? known?.input
  const output = prices.output ?? known?.output
  if (input === undefined || output === undefined) return undefined
  return costAt(
    { input, output, cachedInput: prices.cachedInput ?? known?.cachedInput ?? input },
    usage,
  )
}

function costAt(price: Price, usage: TokenUsage): number {
  const cached = Math.min(Math.max(usage.cachedInputTokens, 0), usage.inputTokens)
  const output = usage.outputTokens || usage.reasoningTokens
  return (
    ((usage.inputTokens - cached) * price.input +
      cached * price.cachedInput +
      output * price.output) /
    1_000_000
  )
}
