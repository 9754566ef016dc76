import { describe, expect, it } from 'vitest'
import { exportFilename } from './credentials-export.js'

describe('exportFilename', () => {
  it.each([
    [null, 'ws-1_ab12cd34', 'auth-ws-1_ab12cd34.json'],
    ['Team laptop', 'x', 'auth-Team-laptop.json'],
    // Nothing that could end the quoted header value or a path survives.
    ['a"b\r\nSet-Cookie: x=1', 'x', 'auth-a-b-Set-Cookie-x-1.json'],
    ['../../etc/passwd', 'x', 'auth-etc-passwd.json'],
    ['Équipe ☕', 'x', 'auth-quipe.json'],
    ['☕', 'x', 'auth-account.json'],
    ['x'.repeat(100), 'x', `auth-${'x'.repeat(64)}.json`],
  ])('alias %j, id %j → %s', (alias, id, expected) => {
    expect(exportFilename(alias, id)).toBe(expected)
  })
})
