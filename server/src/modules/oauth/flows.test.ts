import { describe, expect, it } from 'vitest'
import { Flow, FlowRegistry, MAX_FLOWS } from './flows.js'

function browserFlow(state: string) {
  return new Flow('browser', 0, 1, { state, codeVerifier: 'v', redirectUri: 'r' }, undefined)
}

describe('FlowRegistry', () => {
  it('keeps at most MAX_FLOWS, dropping finished flows before pending ones', () => {
    const flows = new FlowRegistry()
    const finished = browserFlow('done')
    finished.succeed({ id: 'a', email: null })
    flows.add(finished)
    const first = browserFlow('s0')
    flows.add(first)
    for (let i = 1; i < MAX_FLOWS; i += 1) flows.add(browserFlow(`s${i}`))
    expect(flows.get(finished.id)).toBeUndefined()
    expect(flows.get(first.id)).toBe(first)
    flows.add(browserFlow('one-more'))
    expect(flows.get(first.id)).toBeUndefined()
    expect(first.status).toBe('error')
    expect(flows.all()).toHaveLength(MAX_FLOWS)
  })

  it('settles done once, on the first outcome', async () => {
    const flow = browserFlow('x')
    flow.fail('first')
    flow.succeed({ id: 'a', email: 'e' })
    await flow.done
    expect([flow.status, flow.errorMessage, flow.accountId]).toEqual(['error', 'first', null])
  })
})
