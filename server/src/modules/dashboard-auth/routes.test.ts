import { describe, expect, it } from 'vitest'
import { cookieOptions } from './routes.js'

describe('session cookie attributes (seed 004 §4.3)', () => {
  it('HttpOnly, SameSite=Lax, Path=/ always; Secure exactly when the request came over https', () => {
    expect(cookieOptions({ protocol: 'http' })).toEqual({
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: false,
    })
    expect(cookieOptions({ protocol: 'https' })).toEqual({
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: true,
    })
  })
})
