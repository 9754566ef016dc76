import { describe, expect, it } from 'vitest'
import { ConversationStore, type ConversationTurn } from './conversation-store.js'
import { portableInput, PreviousResponseNotFoundError, rebuildTurn } from './rebuild.js'

const turn = (
  id: string,
  ownerId: string,
  bytes: number,
  extra: Partial<ConversationTurn> = {},
) => ({
  responseId: id,
  ownerId,
  accountId: 'acc-a',
  input: [],
  output: [],
  bytes,
  ...extra,
})

describe('ConversationStore', () => {
  it('drops the oldest entries of an owner past its cap, and the oldest overall past the total', () => {
    const store = new ConversationStore({ maxBytes: 250, maxBytesPerOwner: 100 })
    store.remember(turn('r1', 's1', 60))
    store.remember(turn('r2', 's1', 60))
    expect(store.lookup('r1')).toBeUndefined()
    expect(store.lookup('r2')).toBeDefined()
    store.remember(turn('r3', 's2', 90))
    store.remember(turn('r4', 's3', 90))
    // 60 + 90 + 90 = 240 fits; one more pushes out the oldest (r2).
    store.remember(turn('r5', 's4', 50))
    expect(store.lookup('r2')).toBeUndefined()
    expect(['r3', 'r4', 'r5'].every((id) => store.lookup(id))).toBe(true)
    expect(store.bytes).toBe(230)
  })

  it('frees what a closed socket left, and never keeps an entry larger than a cap', () => {
    const store = new ConversationStore({ maxBytes: 1000, maxBytesPerOwner: 100 })
    store.remember(turn('r1', 's1', 40))
    store.remember(turn('r2', 's1', 40))
    store.remember(turn('r3', 's2', 40))
    store.dropOwner('s1')
    expect(store.size).toBe(1)
    expect(store.bytes).toBe(40)
    store.remember(turn('big', 's2', 101))
    expect(store.lookup('big')).toBeUndefined()
  })
})

describe('rebuildTurn', () => {
  const user = (text: string) => ({ role: 'user', content: [{ type: 'input_text', text }] })
  const reasoning = { type: 'reasoning', encrypted_content: 'x' }
  const store = new ConversationStore({ maxBytes: 1e6, maxBytesPerOwner: 1e6 })
  store.remember(
    turn('resp_1', 's1', 10, {
      input: [user('one'), reasoning],
      output: [{ type: 'message', role: 'assistant' }],
    }),
  )
  store.remember(turn('resp_http', 'http', 10, { input: [user('h')] }))

  it('puts the remembered input and output before the new items and drops the anchor', () => {
    const rebuilt = rebuildTurn(
      { model: 'm', previous_response_id: 'resp_1', input: 'two' },
      store,
      's1',
    )!
    expect(rebuilt.body['previous_response_id']).toBeUndefined()
    expect(rebuilt.body['input']).toEqual([
      user('one'),
      reasoning,
      { type: 'message', role: 'assistant' },
      user('two'),
    ])
    expect(rebuilt.historyItems).toBe(3)
    expect(portableInput(rebuilt.body['input'] as unknown[], rebuilt.historyItems)).toEqual([
      user('one'),
      { type: 'message', role: 'assistant' },
      user('two'),
    ])
  })

  it('leaves a body without an anchor alone, and refuses unknown, foreign and malformed ones', () => {
    expect(rebuildTurn({ model: 'm', input: [] }, store, 's1')).toBeUndefined()
    const reason = (body: Record<string, unknown>, owner?: string) => {
      try {
        rebuildTurn(body, store, owner)
      } catch (err) {
        return err instanceof PreviousResponseNotFoundError ? err.reason : (err as Error).name
      }
      return 'accepted'
    }
    expect(reason({ previous_response_id: 'nope' }, 's1')).toBe('unknown')
    expect(reason({ previous_response_id: 'resp_1' }, 's2')).toBe('foreign')
    expect(reason({ previous_response_id: 'resp_1' })).toBe('accepted')
    expect(reason({ previous_response_id: 'resp_http' }, 's2')).toBe('accepted')
    expect(reason({ previous_response_id: 42 }, 's1')).toBe('BadRequestError')
    expect(reason({ previous_response_id: 'resp_1', input: { x: 1 } }, 's1')).toBe(
      'BadRequestError',
    )
  })
})
