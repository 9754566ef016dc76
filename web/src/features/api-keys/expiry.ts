export type ExpiryChoice = 'never' | '7' | '30' | '90' | '365' | 'custom'

export const EXPIRY_OPTIONS: { value: ExpiryChoice; label: string }[] = [
  { value: 'never', label: 'Never' },
  { value: '7', label: 'In 7 days' },
  { value: '30', label: 'In 30 days' },
  { value: '90', label: 'In 90 days' },
  { value: '365', label: 'In 1 year' },
  { value: 'custom', label: 'On a date…' },
]

/** A date input's value (local yyyy-mm-dd). */
export function toDateInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

/** Expiry as an ISO instant: presets and dates run to the end of that local day. */
export function expiryToIso(
  choice: ExpiryChoice,
  customDate: string,
  now = new Date(),
): string | null {
  if (choice === 'never') return null
  let date: Date
  if (choice === 'custom') {
    if (!customDate) return null
    const [y, m, d] = customDate.split('-').map(Number)
    date = new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1)
  } else {
    date = new Date(now)
    date.setDate(date.getDate() + Number(choice))
  }
  date.setHours(23, 59, 59, 0)
  return date.toISOString()
}
