import bcrypt from 'bcryptjs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { loadConfig } from '../../config/index.js'
import { BCRYPT_COST, acceptNewPassword, passwordHasher } from './password.js'

// bcrypt's cheapest cost for the behaviour; the cost itself is checked on its own below.
const cheap = passwordHasher(4)
const roundsOf = (hash: unknown) => bcrypt.getRounds(String(hash))

describe('password rules', () => {
  it('trims, needs 8 characters (422) and at most 72 UTF-8 bytes (400); errors name the field', () => {
    expect(acceptNewPassword('  abcdefgh  ', 'password')).toBe('abcdefgh')
    expect(() => acceptNewPassword(' abcdefg ', 'password')).toThrow(
      expect.objectContaining({ status: 422, code: 'validation_error', param: 'password' }),
    )
    expect(acceptNewPassword('a'.repeat(72), 'newPassword')).toHaveLength(72)
    expect(() => acceptNewPassword('é'.repeat(37), 'newPassword')).toThrow(
      expect.objectContaining({
        status: 400,
        code: 'password_too_long',
        message: expect.stringMatching(/^newPassword: .*72 bytes/),
      }),
    )
  })

  it('verify is true for the password only, false without a hash and for over-long candidates', async () => {
    const hash = await cheap.hash('abcdefgh')
    expect(await cheap.verify('abcdefgh', hash)).toBe(true)
    expect(await cheap.verify('abcdefgh ', hash)).toBe(false)
    expect(await cheap.verify('abcdefgh', null)).toBe(false)
    const long = 'a'.repeat(72)
    const longHash = await cheap.hash(long)
    // bcrypt would ignore the 73rd byte; we never let such a candidate match.
    expect(await cheap.verify(`${long}x`, longHash)).toBe(false)
  })

  it('a hash made at another cost still verifies (changing the setting needs no migration)', async () => {
    const old = await passwordHasher(5).hash('abcdefgh')
    expect(await cheap.verify('abcdefgh', old)).toBe(true)
    expect(await cheap.verify('abcdefgh!', old)).toBe(false)
  })
})

describe('hash cost', () => {
  afterEach(() => vi.restoreAllMocks())

  it('is 12 unless CODEX_LB_PASSWORD_HASH_COST says otherwise, for new hashes and the dummy', async () => {
    expect(BCRYPT_COST).toBe(12)
    expect(loadConfig({}).passwordHashCost).toBe(12)
    const hasher = passwordHasher()
    expect(hasher.cost).toBe(12)
    const hash = await hasher.hash('abcdefgh')
    expect(hash).toMatch(/^\$2[aby]\$12\$/)
    const compare = vi.spyOn(bcrypt, 'compare')
    expect(await hasher.verify('abcdefgh', null)).toBe(false)
    expect(roundsOf(compare.mock.calls[0]?.[1])).toBe(12)
  })

  it('hashes at the configured cost', async () => {
    expect(loadConfig({ CODEX_LB_PASSWORD_HASH_COST: '6' }).passwordHashCost).toBe(6)
    expect(roundsOf(await passwordHasher(6).hash('abcdefgh'))).toBe(6)
    expect(roundsOf(await cheap.hash('abcdefgh'))).toBe(4)
  })
})

describe('wrong-password timing parity', () => {
  afterEach(() => vi.restoreAllMocks())

  it.each([4, 7])(
    'at cost %i, runs a full bcrypt compare of that cost even when no password is stored',
    async (cost) => {
      const hasher = passwordHasher(cost)
      const compare = vi.spyOn(bcrypt, 'compare')
      expect(await hasher.verify('whatever password', null)).toBe(false)
      expect(compare).toHaveBeenCalledTimes(1)
      const [candidate, against] = compare.mock.calls[0] ?? []
      expect(candidate).toBe('whatever password')
      // A real hash of the configured cost, like the stored ones, so the compare costs the same.
      expect(against).toMatch(/^\$2[aby]\$\d\d\$.{53}$/)
      expect(roundsOf(against)).toBe(cost)
      expect(await bcrypt.compare('codex-lb:no-password-configured', String(against))).toBe(true)
    },
  )

  it('compares an over-long candidate too, instead of answering early', async () => {
    const compare = vi.spyOn(bcrypt, 'compare')
    const hash = await cheap.hash('abcdefgh')
    expect(await cheap.verify('x'.repeat(200), hash)).toBe(false)
    expect(compare).toHaveBeenCalledTimes(1)
  })
})
