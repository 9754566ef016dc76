import { z } from 'zod'

/** Missing, null or malformed reads as undefined: the auth server's optional fields vary. */
function lenient<T extends z.ZodType>(schema: T) {
  return schema.optional().catch(undefined)
}

/** `POST /api/accounts/deviceauth/usercode` (reference §3.3): `interval` may be a digit string. */
export const DeviceCodeResponseSchema = z.looseObject({
  device_auth_id: z.string().min(1),
  user_code: lenient(z.string()),
  usercode: lenient(z.string()),
  interval: lenient(z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)])),
  expires_in: lenient(z.number()),
  expires_at: lenient(z.string()),
})
