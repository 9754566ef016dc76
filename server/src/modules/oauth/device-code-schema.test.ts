import { describe, expect, it } from 'vitest'
import { DeviceCodeResponseSchema } from './device-code-schema.js'

describe('DeviceCodeResponseSchema', () => {
  it('accepts a digit-string interval and the usercode spelling, and reads junk as absent', () => {
    const parsed = DeviceCodeResponseSchema.parse({
      device_auth_id: 'dev_1',
      usercode: 'ABCD-1234',
      interval: '5',
      expires_in: 'soon',
    })
    expect(parsed).toMatchObject({ device_auth_id: 'dev_1', usercode: 'ABCD-1234', interval: 5 })
    expect(parsed.expires_in).toBeUndefined()
  })

  it('requires a device_auth_id', () => {
    expect(DeviceCodeResponseSchema.safeParse({ user_code: 'X' }).success).toBe(false)
  })
})
