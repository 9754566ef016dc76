import { existsSync } from 'node:fs'
import { join } from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'
import { dashboardEnvelope, openAiEnvelope } from '../errors/index.js'
import { sendUnmatched } from './error-scopes.js'

/**
 * Serves the built dashboard and falls back to index.html for client-side routes. The API prefixes
 * (/api, /v1, /backend-api) are route scopes with their own not-found handlers (http/error-scopes.ts),
 * so what reaches this handler is outside every API scope: no path-prefix tests are needed here.
 */
export async function registerStaticFiles(app: FastifyInstance, dir: string | undefined) {
  const hasBuild = dir !== undefined && existsSync(join(dir, 'index.html'))
  if (hasBuild) {
    await app.register(fastifyStatic, { root: dir, wildcard: false, index: ['index.html'] })
  }
  app.setNotFoundHandler((request, reply) => {
    if (request.method !== 'GET') return sendUnmatched(app, request, reply, openAiEnvelope)
    const path = request.url.split('?')[0] ?? '/'
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
    return sendUnmatched(app, request, reply, dashboardEnvelope)
  })
}
