import { describe, expect, it } from 'vitest'
import type { SettingsPatch, SettingsRecord, SettingsRepository } from './repository.js'
import { SettingsService } from './service.js'

/** A one-row repository: what the service stores is what it reads back. */
function setup(stored: string | null, defaultRoutingStrategy?: 'fill_first') {
  let row = { routingStrategy: stored } as SettingsRecord
  const repository = {
    load: async () => ({ ...row }),
    update: async (patch: SettingsPatch) => {
      row = { ...row, ...patch }
      return true
    },
  } as unknown as SettingsRepository
  const service = new SettingsService({
    repository,
    clock: { now: () => 0 },
    defaultStickyTtlSeconds: 3600,
    ...(defaultRoutingStrategy ? { defaultRoutingStrategy } : {}),
  })
  return { service, stored: () => row.routingStrategy }
}

const flags = { stickyThreadsEnabled: true, preferEarlierResetAccounts: false }

describe('routing strategy setting', () => {
  it.each<[string, string | null, 'fill_first' | undefined, string]>([
    ['nothing stored, no environment default: most_remaining', null, undefined, 'most_remaining'],
    ['nothing stored: the environment default', null, 'fill_first', 'fill_first'],
    ['a stored strategy beats the environment', 'round_robin', 'fill_first', 'round_robin'],
    [
      'a stored name this version does not know: the default',
      'best_guess',
      'fill_first',
      'fill_first',
    ],
  ])('%s', async (_name, stored, env, effective) => {
    expect((await setup(stored, env).service.get()).routingStrategy).toBe(effective)
  })

  it('an update stores a strategy, keeps it when absent and null restores the default', async () => {
    const { service, stored } = setup(null, 'fill_first')
    expect(await service.update({ ...flags, routingStrategy: 'reset_drain' })).toMatchObject({
      routingStrategy: 'reset_drain',
    })
    expect((await service.update(flags)).routingStrategy).toBe('reset_drain')
    expect(stored()).toBe('reset_drain')
    expect((await service.update({ ...flags, routingStrategy: null })).routingStrategy).toBe(
      'fill_first',
    )
    expect(stored()).toBeNull()
  })
})
