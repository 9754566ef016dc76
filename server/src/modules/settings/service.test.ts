import { describe, expect, it } from 'vitest'
import type { SettingsPatch, SettingsRecord, SettingsRepository } from './repository.js'
import { SettingsService } from './service.js'

const record = (over: Partial<SettingsRecord> = {}): SettingsRecord => ({
  stickyThreadsEnabled: true,
  preferEarlierResetAccounts: false,
  totpRequiredOnLogin: false,
  apiKeyAuthEnabled: false,
  headroomPrimaryPercent: null,
  headroomSecondaryPercent: null,
  stickyTtlSeconds: null,
  overflowMode: null,
  passwordConfigured: false,
  totpConfigured: false,
  routingStrategy: null,
  accountMaxStreams: null,
  accountQueueWaitSeconds: null,
  sessionEpoch: 0,
  ...over,
})

/** An in-memory repository that counts loads and can hold a load open. */
class FakeRepository {
  loads = 0
  row = record()
  gate: Promise<void> | undefined
  async load(): Promise<SettingsRecord> {
    this.loads += 1
    const snapshot = { ...this.row }
    await this.gate
    return snapshot
  }
  async update(patch: SettingsPatch, _now: number, requireTotp: boolean): Promise<boolean> {
    if (requireTotp && !this.row.totpConfigured) return false
    this.row = { ...this.row, ...patch }
    return true
  }
}

function setup() {
  const repository = new FakeRepository()
  let now = 1_000_000
  const clock = { now: () => now }
  const service = new SettingsService({
    repository: repository as unknown as SettingsRepository,
    clock,
    defaultStickyTtlSeconds: 3600,
  })
  return { repository, service, advance: (ms: number) => (now += ms) }
}

describe('settings cache (seed 003, seed 004 §15.5)', () => {
  it('serves cached settings for 5 s without a DB read, then reloads', async () => {
    const { repository, service, advance } = setup()
    expect((await service.get()).stickyTtlSeconds).toBe(3600)
    repository.row = record({ apiKeyAuthEnabled: true })
    advance(4_999)
    expect((await service.get()).apiKeyAuthEnabled).toBe(false)
    expect(repository.loads).toBe(1)
    advance(1)
    expect((await service.get()).apiKeyAuthEnabled).toBe(true)
    expect(repository.loads).toBe(2)
  })

  it('invalidate() makes the next read go to the database', async () => {
    const { repository, service } = setup()
    await service.get()
    repository.row = record({ passwordConfigured: true })
    service.invalidate()
    expect((await service.get()).passwordConfigured).toBe(true)
  })

  it('concurrent readers share one load; a load started before invalidate is not cached', async () => {
    const { repository, service } = setup()
    let open!: () => void
    repository.gate = new Promise((resolve) => (open = resolve))
    const readers = [service.get(), service.get(), service.get()]
    service.invalidate()
    repository.row = record({ totpRequiredOnLogin: true })
    open()
    await Promise.all(readers)
    expect(repository.loads).toBe(1)
    repository.gate = undefined
    expect((await service.get()).totpRequiredOnLogin).toBe(true)
  })

  it('update invalidates, keeps absent/null optionals, and refuses TOTP enforcement without a secret', async () => {
    const { repository, service } = setup()
    await service.get()
    const updated = await service.update({
      stickyThreadsEnabled: false,
      preferEarlierResetAccounts: true,
      apiKeyAuthEnabled: null,
      stickyTtlSeconds: 120,
    })
    expect(updated).toMatchObject({
      stickyThreadsEnabled: false,
      preferEarlierResetAccounts: true,
      apiKeyAuthEnabled: false,
      stickyTtlSeconds: 120,
    })
    await expect(
      service.update({
        stickyThreadsEnabled: true,
        preferEarlierResetAccounts: false,
        totpRequiredOnLogin: true,
      }),
    ).rejects.toMatchObject({ status: 400, code: 'invalid_totp_config' })
    repository.row = { ...repository.row, totpConfigured: true }
    await expect(
      service.update({
        stickyThreadsEnabled: true,
        preferEarlierResetAccounts: false,
        totpRequiredOnLogin: true,
      }),
    ).resolves.toMatchObject({ totpRequiredOnLogin: true })
  })

  it('overflowMode: the stored value, else the environment default, else off', async () => {
    const { repository, service } = setup()
    expect((await service.read()).overflowMode).toBe('off')
    const withDefault = new SettingsService({
      repository: repository as unknown as SettingsRepository,
      clock: { now: () => 0 },
      defaultStickyTtlSeconds: 3600,
      defaultOverflowMode: 'exhausted',
    })
    expect((await withDefault.read()).overflowMode).toBe('exhausted')
    repository.row = { ...repository.row, overflowMode: 'always' }
    expect((await withDefault.read()).overflowMode).toBe('always')
  })

  it('hands out frozen objects', async () => {
    const { service } = setup()
    expect(Object.isFrozen(await service.get())).toBe(true)
  })
})
