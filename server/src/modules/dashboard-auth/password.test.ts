import bcrypt from 'bcryptjs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { BCRYPT_COST, acceptNewPassword, hashPassword, verifyPassword } from './password.js'

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

  it('bcrypt cost 12; verify is false without a hash and for over-long candidates', async () => {
    const hash = await hashPassword('abcdefgh')
    expect(hash).toMatch(/^\$2[aby]\$12\$/)
    expect(await verifyPassword('abcdefgh', hash)).toBe(true)
    expect(await verifyPassword('abcdefgh ', hash)).toBe(false)
    expect(await verifyPassword('abcdefgh', null)).toBe(false)
    const long = 'a'.repeat(72)
    const longHash = await hashPassword(long)
    // bcrypt would ignore the 73rd byte; we never let such a candidate match.
    expect(await verifyPassword(`${long}x`, longHash)).toBe(false)
  })
})

describe('wrong-password timing parity', () => {
  afterEach(() => vi.restoreAllMocks())

  it('runs a full-cost bcrypt compare even when no password is stored', async () => {
    const compare = vi.spyOn(bcrypt, 'compare')
    expect(await verifyPassword('whatever password', null)).toBe(false)
    expect(compare).toHaveBeenCalledTimes(1)
    const [candidate, against] = compare.mock.calls[0] ?? []
    expect(candidate).toBe('whatever password')
    // A real hash of the same cost as stored ones, so the compare costs the same.
    expect(against).toMatch(new RegExp(`^\\$2[aby]\\$${BCRYPT_COST}\\$.{53}$`))
    expect(bcrypt.getRounds(String(against))).toBe(BCRYPT_COST)
  })

  it('compares an over-long candidate too, instead of answering early', async () => {
    const compare = vi.spyOn(bcrypt, 'compare')
    const hash = await hashPassword('abcdefgh')
    expect(await verifyPassword('x'.repeat(200), hash)).toBe(false)
    expect(compare).toHaveBeenCalledTimes(1)
  })
})
