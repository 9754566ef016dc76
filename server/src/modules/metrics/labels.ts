/**
 * Label values that come from clients (model names, error codes) can be anything; a scrape must
 * stay small whatever they send. The first `max` distinct values keep their name, later ones are
 * counted as `other`.
 */
export class BoundedLabel {
  readonly #seen = new Set<string>()

  constructor(private readonly max: number) {}

  of(value: string | null | undefined, none = 'none'): string {
    if (value === null || value === undefined || value === '') return none
    if (this.#seen.has(value)) return value
    if (this.#seen.size >= this.max) return 'other'
    this.#seen.add(value)
    return value
  }
}
