import { describe, expect, it } from 'vitest'
import { acceptNewPassword, hashPassword, verifyPassword } from './password.js'

describe('password rules', () => {
  it('trims, needs 8 characters, at most 72 UTF-8 bytes; errors are 422 naming the field', () => {
    expect(acceptNewPassword('  abcdefgh  ', 'password')).toBe('abcdefgh')
    expect(() => acceptNewPassword(' abcdefg ', 'password')).toThrow(
      expect.objectContaining({ status: 422, code: 'validation_error', param: 'password' }),
    )
    expect(acceptNewPassword('a'.repeat(72), 'newPassword')).toHaveLength(72)
    expect(() => acceptNewPassword('é'.repeat(37), 'newPassword')).toThrow(
      expect.objectContaining({ status: 422, param: 'newPassword' }),
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
