import { describe, expect, it } from 'vitest'
import { loadConfig } from './config/index.js'
import { startupLine } from './lifecycle.js'

describe('startupLine', () => {
  const address = 'http://127.0.0.1:2455'

  it('names the dashboard, the SQLite file and how to add the first account', () => {
    const config = loadConfig({ CODEX_LB_DATA_DIR: '/srv/lb', CODEX_LB_STATIC_DIR: '/srv/web' })
    expect(startupLine(address, config, 0)).toBe(
      'codex-lb listening on http://127.0.0.1:2455 · dashboard http://127.0.0.1:2455/ · ' +
        'database /srv/lb/store.db · no accounts yet: add one in the dashboard ' +
        '(Accounts → Add account) or with `npm run cli -- accounts login`',
    )
  })

  it('counts accounts once there are some, and says when the dashboard is not built', () => {
    const config = loadConfig({ CODEX_LB_DATA_DIR: '/srv/lb' })
    const line = startupLine(address, config, 2)
    expect(line).toContain('dashboard not built (run npm run build)')
    expect(line).toMatch(/· 2 accounts$/)
  })

  it('shows a PostgreSQL URL without its password', () => {
    const config = loadConfig({ CODEX_LB_DATABASE_URL: 'postgresql://lb:hunter2@db:5432/lb' })
    const line = startupLine(address, config, 1)
    expect(line).toContain('database PostgreSQL postgresql://lb:***@db:5432/lb')
    expect(line).not.toContain('hunter2')
    expect(line).toMatch(/· 1 account$/)
  })
})
