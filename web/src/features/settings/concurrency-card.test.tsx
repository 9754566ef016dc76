import { screen, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { dashboardError } from '@/test/server'
import { numberField, openSettingsCard, ROUTING_FLAGS, settingsServer } from '@/test/settings'

/** The environment defaults the server falls back to on null. */
const ENV = { accountMaxStreams: 8, accountQueueWaitSeconds: 10 }

const serve = settingsServer(ENV)

const card = () => openSettingsCard('Concurrency')

describe('Settings → Concurrency', () => {
  it('shows the effective cap and wait and saves both, keeping the routing flags', async () => {
    const puts = serve({ accountMaxStreams: 4 })
    const { user, section } = await card()
    const cap = await numberField(section, 'Streams per account', '4')
    const wait = section.getByLabelText('Wait for a free slot') as HTMLInputElement
    expect(wait.value).toBe('10')
    const save = section.getByRole('button', { name: 'Save limits' }) as HTMLButtonElement
    expect(save.disabled).toBe(true)

    await user.clear(cap)
    await user.type(cap, '2')
    await user.clear(wait)
    await user.type(wait, '30')
    await user.click(save)

    await waitFor(() =>
      expect(puts).toEqual([
        { ...ROUTING_FLAGS, accountMaxStreams: 2, accountQueueWaitSeconds: 30 },
      ]),
    )
    expect(await screen.findByText('Concurrency limits saved')).toBeTruthy()
  })

  it.each([['0'], ['-1'], ['1.5'], ['abc'], ['1001']])(
    'refuses a cap of %s without sending it',
    async (typed) => {
      const puts = serve({})
      const { user, section } = await card()
      const cap = await numberField(section, 'Streams per account', '8')
      await user.clear(cap)
      await user.type(cap, typed)
      expect(section.getByText('A whole number from 1 to 1000')).toBeTruthy()
      expect(cap.getAttribute('aria-invalid')).toBe('true')
      const save = section.getByRole('button', { name: 'Save limits' }) as HTMLButtonElement
      expect(save.disabled).toBe(true)
      await user.click(save)
      expect(puts).toEqual([])
    },
  )

  it('refuses a wait of 0 seconds', async () => {
    serve({})
    const { user, section } = await card()
    const wait = await numberField(section, 'Wait for a free slot', '10')
    await user.clear(wait)
    await user.type(wait, '0')
    expect(section.getByText('A whole number from 1 to 600')).toBeTruthy()
  })

  it('"Use defaults" sends null for both and shows what the server answers', async () => {
    const puts = serve({ accountMaxStreams: 3, accountQueueWaitSeconds: 45 })
    const { user, section } = await card()
    const cap = await numberField(section, 'Streams per account', '3')
    await user.click(section.getByRole('button', { name: 'Use defaults' }))
    await waitFor(() => expect(cap.value).toBe('8'))
    expect((section.getByLabelText('Wait for a free slot') as HTMLInputElement).value).toBe('10')
    expect(puts).toEqual([
      { ...ROUTING_FLAGS, accountMaxStreams: null, accountQueueWaitSeconds: null },
    ])
  })

  it("shows the server's 422 message", async () => {
    serve({}, () =>
      dashboardError(
        422,
        'validation_error',
        'Invalid request payload: accountMaxStreams: Too big',
      ),
    )
    const { user, section } = await card()
    const cap = await numberField(section, 'Streams per account', '8')
    await user.clear(cap)
    await user.type(cap, '5')
    await user.click(section.getByRole('button', { name: 'Save limits' }))
    expect(await screen.findByText(/accountMaxStreams: Too big/)).toBeTruthy()
  })
})
