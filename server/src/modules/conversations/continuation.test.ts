import { describe, expect, it } from 'vitest'
import { rememberTurn } from './continuation.js'
import { ConversationStore } from './conversation-store.js'

const input = [{ role: 'user', content: [{ type: 'input_text', text: 'x'.repeat(500) }] }]
const output = { responseId: 'resp_1', outputItems: [{ type: 'message' }], outputBytes: 40 }

function remembered(extra: { receivedBytes?: number; rebuiltFrom?: { bytes: number } }) {
  const store = new ConversationStore({ maxBytes: 1e6, maxBytesPerOwner: 1e6 })
  const body = { model: 'm', input }
  rememberTurn(store, {
    ownerId: 'http',
    accountId: 'a',
    body,
    continuation: undefined,
    output,
    ...extra,
  })
  return store.lookup('resp_1')!
}

describe('rememberTurn', () => {
  it('counts the JSON size of the input when the request size is unknown', () => {
    expect(remembered({}).bytes).toBe(JSON.stringify(input).length + 40)
  })

  it('counts the size the request arrived with, plus the history it was rebuilt from', () => {
    expect(remembered({ receivedBytes: 900 }).bytes).toBe(940)
    expect(remembered({ receivedBytes: 900, rebuiltFrom: { bytes: 5000 } }).bytes).toBe(5940)
  })
})
