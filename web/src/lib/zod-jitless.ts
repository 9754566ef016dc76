import { z } from 'zod'

// The Content-Security-Policy forbids eval. zod's object schemas probe `Function('')` when they are
// built, fail and fall back to plain parsing, but the browser reports each probe as a CSP
// violation. main.tsx imports this module first, before any module that builds a schema.
z.config({ jitless: true })
