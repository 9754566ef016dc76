import type { RoutePosition } from './types.js'

/**
 * The user's order: accounts with a position first (1 before 2), then the rest oldest first; the
 * id settles whatever is left, so the order is total and the same on every replica.
 */
export function compareRouteOrder(a: RoutePosition, b: RoutePosition): number {
  const ao = a.routeOrder ?? null
  const bo = b.routeOrder ?? null
  if (ao !== bo) {
    if (ao === null) return 1
    if (bo === null) return -1
    return ao - bo
  }
  const age = (a.createdAt ?? 0) - (b.createdAt ?? 0)
  if (age !== 0) return age
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}
