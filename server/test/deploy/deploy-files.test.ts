import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { CONFIG_ENV_NAMES, loadConfig } from '../../src/config/index.js'
import { startTestApp, type TestApp } from '../support/test-app.js'

// No container engine or helm runs here: these checks keep the Dockerfile, the compose files and
// the Helm chart consistent with the code — ports, paths, the env names the config reads, and
// probe paths that are real routes.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8')
/** Parsed YAML, typed as far as the assertions below rely on (each one checks what it reads). */
const yamlOf = <T>(path: string) => parse(read(path), { merge: true }) as T

interface ComposeService {
  build: string | { context: string }
  ports: string[]
  volumes?: string[]
  environment: Record<string, string>
  secrets?: string[]
  stop_grace_period?: string
}
interface ComposeFile {
  services: Record<string, ComposeService>
  volumes?: Record<string, unknown>
  secrets?: Record<string, { file: string }>
}
const defaults = loadConfig({})
const CHART = 'deploy/helm/codex-lb'
const TEMPLATES = readdirSync(join(ROOT, CHART, 'templates')).map((f) => `${CHART}/templates/${f}`)

/** Every CODEX_LB_* name a file mentions. */
function envNamesIn(text: string): string[] {
  return [...new Set(text.match(/\bCODEX_LB_[A-Z0-9_]+/g) ?? [])]
}

/** The Dockerfile's instructions of one kind, continuation lines joined. */
function instructions(dockerfile: string, kind: string): string[] {
  return dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.startsWith(`${kind} `))
    .map((line) => line.slice(kind.length + 1).trim())
}

describe('every CODEX_LB_* name in the deployment files is one the config reads', () => {
  const files = ['Dockerfile', 'docker-compose.yml', 'deploy/compose.postgres.yml', ...TEMPLATES]
  it.each(files)('%s', (file) => {
    const unknown = envNamesIn(read(file)).filter((n) => !CONFIG_ENV_NAMES.includes(n))
    expect(unknown).toEqual([])
  })
})

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile')
  const env = Object.fromEntries(
    instructions(dockerfile, 'ENV')
      .flatMap((line) => line.split(/\s+/))
      .map((pair) => pair.split('=') as [string, string]),
  )
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '))

  it('builds and runs on node:20-bookworm-slim, as a non-root user in the runtime stage', () => {
    const bases = instructions(dockerfile, 'FROM').map((line) => line.split(/\s+/)[0])
    expect(bases).toEqual(['node:20-bookworm-slim', 'node:20-bookworm-slim'])
    expect(instructions(runtime, 'USER')).toEqual(['node'])
  })

  it('serves on the ports it exposes, all interfaces, data in the /data volume', () => {
    const config = loadConfig(env)
    expect(instructions(dockerfile, 'EXPOSE')).toEqual([
      `${config.port} ${config.oauth.callbackPort}`,
    ])
    expect([config.port, config.oauth.callbackPort]).toEqual([2455, 1455])
    expect(config.host).toBe('0.0.0.0')
    expect(config.dataDir).toBe('/data')
    expect(config.database).toEqual({ kind: 'sqlite', path: '/data/store.db' })
    expect(instructions(dockerfile, 'VOLUME')).toEqual(['/data'])
  })

  it('checks its health on /health/live with node (the slim image has no curl)', () => {
    const [healthcheck] = instructions(dockerfile, 'HEALTHCHECK')
    expect(healthcheck).toContain('/health/live')
    expect(healthcheck).toContain('"node"')
    expect(healthcheck).not.toMatch(/curl|wget/)
  })

  it('runs the bin of the npm package it installs, and copies only files that exist', () => {
    const pkg = JSON.parse(read('package.json')) as { bin: Record<string, string> }
    expect(instructions(runtime, 'ENTRYPOINT')).toEqual([
      `["node", "/app/node_modules/codex-lb/${pkg.bin['codex-lb']}"]`,
    ])
    const sources = instructions(dockerfile, 'COPY')
      .filter((line) => !line.startsWith('--from'))
      .flatMap((line) => line.split(/\s+/).slice(0, -1))
    for (const source of sources) expect(existsSync(join(ROOT, source)), source).toBe(true)
  })

  it('.dockerignore keeps the host node_modules, builds and secrets out of the context', () => {
    const ignored = read('.dockerignore').split('\n')
    expect(ignored).toEqual(
      expect.arrayContaining(['**/node_modules', '**/dist', '.env', '**/*.key']),
    )
  })
})

describe('docker-compose.yml (SQLite, one node)', () => {
  const compose = yamlOf<ComposeFile>('docker-compose.yml')
  const service = compose.services['codex-lb']!

  it('publishes the proxy and sign-in ports and keeps /data in a named volume', () => {
    const config = loadConfig({ ...service.environment, CODEX_LB_HOST: '0.0.0.0' })
    const containerPorts = service.ports.map((p) => Number(p.split(':').at(-1)))
    expect(containerPorts).toEqual([config.port, config.oauth.callbackPort])
    expect(service.volumes).toEqual(['codex-lb-data:/data'])
    expect(Object.keys(compose.volumes ?? {})).toEqual(['codex-lb-data'])
    expect(service.build).toBe('.')
    expect(parseInt(service.stop_grace_period ?? '', 10) * 1000).toBeGreaterThan(
      defaults.shutdownDrainMs,
    )
  })
})

describe('deploy/compose.postgres.yml (PostgreSQL, two replicas)', () => {
  const compose = yamlOf<ComposeFile>('deploy/compose.postgres.yml')
  const replicas = Object.entries(compose.services)
    .filter(([name]) => name.startsWith('codex-lb'))
    .map(([, service]) => service)

  it('runs two replicas of the image on one PostgreSQL database with one encryption key', () => {
    expect(replicas).toHaveLength(2)
    const configs = replicas.map((s) => loadConfig(s.environment))
    const urls = configs.map((c) => (c.database.kind === 'postgres' ? c.database.url : null))
    expect(new Set(urls)).toEqual(
      new Set([expect.stringMatching(/^postgresql:\/\/.+@postgres:5432\//)]),
    )
    expect(new Set(configs.map((c) => c.encryptionKeyFile))).toEqual(
      new Set(['/run/secrets/codex_lb_encryption_key']),
    )
    for (const s of replicas) expect(s.secrets).toEqual(['codex_lb_encryption_key'])
    expect(compose.secrets?.codex_lb_encryption_key?.file).toBe('./encryption.key')
    const build = replicas[0]!.build
    const context = typeof build === 'string' ? build : build.context
    expect(existsSync(join(ROOT, 'deploy', context, 'Dockerfile'))).toBe(true)
  })

  it('gives each replica its own host port onto the container port', () => {
    const ports = replicas.flatMap((s) => s.ports)
    const host = ports.map((p) => p.split(':').at(-2))
    expect(new Set(host).size).toBe(replicas.length)
    expect(ports.every((p) => p.endsWith(`:${defaults.port}`))).toBe(true)
  })
})

describe('Helm chart', () => {
  const chart = yamlOf<Record<string, unknown>>(`${CHART}/Chart.yaml`)
  const values = yamlOf<{ service: { port: number }; database: { mode: string } }>(
    `${CHART}/values.yaml`,
  )
  const templates = TEMPLATES.map(read).join('\n')

  it('is a v2 chart of the package version with the templates the brief names', () => {
    expect(chart).toMatchObject({ apiVersion: 'v2', name: 'codex-lb' })
    expect(chart.appVersion).toBe(JSON.parse(read('package.json')).version)
    expect(TEMPLATES.map((t) => t.split('/').at(-1)).sort()).toEqual([
      '_helpers.tpl',
      'deployment.yaml',
      'pvc.yaml',
      'secret.yaml',
      'service.yaml',
      'servicemonitor.yaml',
    ])
  })

  it('reads only values that values.yaml defines', () => {
    const used = [...new Set(templates.match(/\.Values(\.[A-Za-z]+)+/g) ?? [])]
    const missing = used.filter((path) => {
      let node: unknown = values
      for (const key of path.split('.').slice(2)) {
        if (!node || typeof node !== 'object' || !(key in node)) return true
        node = (node as Record<string, unknown>)[key]
      }
      return false
    })
    expect(used.length).toBeGreaterThan(10)
    expect(missing).toEqual([])
  })

  it('listens on the config port, runs one replica in SQLite mode and a PVC only then', () => {
    const deployment = read(`${CHART}/templates/deployment.yaml`)
    expect(deployment).toContain(`containerPort: ${defaults.port}`)
    expect(values.service.port).toBe(defaults.port)
    expect(values.database.mode).toBe('sqlite')
    expect(read(`${CHART}/templates/_helpers.tpl`)).toMatch(
      /if eq \.Values\.database\.mode "sqlite" -}}1{{- else -}}{{ \.Values\.replicaCount }}/,
    )
    expect(read(`${CHART}/templates/pvc.yaml`)).toMatch(
      /^{{- if eq \.Values\.database\.mode "sqlite" }}/,
    )
  })
})

describe('the probe paths of the Dockerfile and the chart are real routes', () => {
  const deployment = read(`${CHART}/templates/deployment.yaml`)
  const probe = (kind: string) =>
    new RegExp(`${kind}:\\s+httpGet:\\s+path: (\\S+)`).exec(deployment)?.[1]
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp()
  })
  afterAll(async () => t.close())

  it('readiness is /health/ready and liveness /health/live, both answering 200 JSON', async () => {
    expect([probe('readinessProbe'), probe('livenessProbe')]).toEqual([
      '/health/ready',
      '/health/live',
    ])
    const dockerPath = /\/health\/\w+/.exec(
      instructions(read('Dockerfile'), 'HEALTHCHECK')[0]!,
    )?.[0]
    for (const path of new Set([probe('readinessProbe')!, probe('livenessProbe')!, dockerPath!])) {
      const res = await fetch(`${t.url}${path}`)
      expect(res.status, path).toBe(200)
      expect(await res.json()).toMatchObject({ status: 'ok' })
    }
  })
})
