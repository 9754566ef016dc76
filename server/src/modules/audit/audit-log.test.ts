import type { FastifyBaseLogger } from 'fastify'
import { describe, expect, it } from 'vitest'
import type { NewAuditLogRow } from '../../db/schema.js'
import { AuditLog } from './audit-log.js'
import type { AuditRepository } from './repository.js'

function logger(lines: unknown[]): FastifyBaseLogger {
  return { error: (...args: unknown[]) => lines.push(args) } as unknown as FastifyBaseLogger
}

describe('AuditLog.record', () => {
  it('writes one row with the scrubbed details and success by default', async () => {
    const rows: NewAuditLogRow[] = []
    const repo = { insert: async (row: NewAuditLogRow) => void rows.push(row) }
    const audit = new AuditLog(repo as AuditRepository, { now: () => 42 }, logger([]))
    await audit.record({
      action: 'api_key.created',
      target: { type: 'api_key', id: 'k1' },
      details: { name: 'ci', key: 'sk-clb-secret' },
      client: { ip: '127.0.0.1', userAgent: 'vitest' },
    })
    expect(rows).toEqual([
      {
        occurred_at: 42,
        action: 'api_key.created',
        outcome: 'success',
        target_type: 'api_key',
        target_id: 'k1',
        client_ip: '127.0.0.1',
        user_agent: 'vitest',
        details: '{"name":"ci"}',
      },
    ])
  })

  it('logs a failed write without its details and does not reject', async () => {
    const lines: unknown[] = []
    const repo = {
      insert: async () => {
        throw new Error('insert into audit_log values (hunter2)')
      },
    }
    const audit = new AuditLog(repo as unknown as AuditRepository, { now: () => 1 }, logger(lines))
    await expect(
      audit.record({
        action: 'auth.login',
        outcome: 'failure',
        details: { reason: 'bad_password' },
      }),
    ).resolves.toBeUndefined()
    expect(lines).toHaveLength(1)
    expect(JSON.stringify(lines)).not.toContain('hunter2')
    expect(JSON.stringify(lines)).toContain('auth.login')
  })
})
