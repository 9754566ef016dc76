/*
 * CSV cells per RFC 4180 (CRLF rows; a field with a comma, quote, CR or LF is quoted, its quotes
 * doubled), with the OWASP guard against formula injection: spreadsheets run a text cell starting
 * with = + - @ (or a tab / CR) as a formula, so such text gets a leading apostrophe.
 */

export type CsvValue = string | number | null

const FORMULA_START = /^[=+\-@\t\r]/
const NEEDS_QUOTES = /[",\r\n]/

/** Numbers are written as they are (a negative one is data, not a formula); null is empty. */
export function csvCell(value: CsvValue): string {
  if (value === null) return ''
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  const guarded = FORMULA_START.test(value) ? `'${value}` : value
  return NEEDS_QUOTES.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded
}

export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`
}
