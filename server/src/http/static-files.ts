import { existsSync } from 'node:fs'
import { join } from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'
import { NotFoundError, dashboardEnvelope, openAiEnvelope } from '../errors/index.js'

const API_PREFIXES = ['/api/', '/v1/', '/backend-api/']

/**
 * Serves the built dashboard and falls back to index.html for client-side routes. Unknown paths under
 * the API prefixes never get the SPA: they answer 404 in their own envelope.
 */
export async function registerStaticFiles(app: FastifyInstance, dir: string | undefined) {
  const hasBuild = dir !== undefined && existsSync(join(dir, 'index.html'))
  if (hasBuild) {
    await app.register(fastifyStatic, { root: dir, wildcard: false, index: ['index.html'] })
  }
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/'
    const notFound = new NotFoundError(`No route for ${request.method} ${path}`)
    if (path.startsWith('/api/') || path === '/api') {
      return reply.status(404).send(dashboardEnvelope(notFound))
    }
    if (API_PREFIXES.some((p) => path.startsWith(p)) || request.method !== 'GET') {
      return reply.status(404).send(openAiEnvelope(notFound))
    }
    const lastSegment = path.split('/').pop() ?? ''
    if (hasBuild && !lastSegment.includes('.')) {
      return reply.type('text/html').sendFile('index.html')
    }
    if (!hasBuild && path === '/') {
      return reply
        .status(503)
        .type('text/plain')
        .send('The dashboard is not built. Run `npm run build` (npm start does this).')
    }
    return reply.status(404).send(dashboardEnvelope(notFound))
  })
}
