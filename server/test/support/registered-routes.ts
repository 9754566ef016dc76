import type { FastifyInstance } from 'fastify'

/** Every route the app registered, as [method, path], read from Fastify's route tree. */
export function registeredRoutes(app: FastifyInstance): Array<[string, string]> {
  const out: Array<[string, string]> = []
  const stack: string[] = []
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^(.*?)[├└]── (\S+) \(([^)]+)\)$/.exec(line)
    if (!match) continue
    const depth = (match[1] ?? '').length / 4
    stack.length = depth
    const path = `${stack.at(-1) ?? ''}${match[2]}`.replace(/\/\//g, '/')
    stack.push(path)
    for (const method of (match[3] ?? '').split(', ')) out.push([method, path])
  }
  return out
}
