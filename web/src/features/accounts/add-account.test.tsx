import { screen, waitFor, within } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { server } from '@/test/server'
import { renderApp } from '@/test/render'

function oauthServer(method: 'browser' | 'device') {
  const completes: unknown[] = []
  const statusFlowIds: (string | null)[] = []
  let done = false
  server.use(
    http.post('*/api/oauth/start', () =>
      HttpResponse.json({
        method,
        flowId: 'flow_1',
        state: method === 'browser' ? 'xyz' : null,
        authorizationUrl: method === 'browser' ? 'https://auth.example/authorize?x=1' : null,
        callbackUrl: method === 'browser' ? 'http://localhost:1455/auth/callback' : null,
        verificationUrl: method === 'device' ? 'https://auth.example/codex/device' : null,
        userCode: method === 'device' ? 'ABCD-1234' : null,
        deviceAuthId: method === 'device' ? 'dev_1' : null,
        intervalSeconds: method === 'device' ? 1 : null,
        expiresInSeconds: method === 'device' ? 900 : null,
      }),
    ),
    http.post('*/api/oauth/complete', async ({ request }) => {
      completes.push(await request.json())
      // The browser flow completes from the pasted URL; the device flow only starts server polling,
      // which (here) succeeds at once, so the next status poll reports success.
      done = true
      return HttpResponse.json({
        flowId: 'flow_1',
        status: method === 'browser' ? 'success' : 'pending',
        errorMessage: null,
        email: method === 'browser' ? 'remote@example.com' : null,
      })
    }),
    http.get('*/api/oauth/status', ({ request }) => {
      statusFlowIds.push(new URL(request.url).searchParams.get('flowId'))
      return HttpResponse.json({ status: done ? 'success' : 'pending', errorMessage: null })
    }),
  )
  return { completes, statusFlowIds }
}

afterEach(() => vi.restoreAllMocks())

describe('add account', () => {
  it('device code: shows the code, starts server polling, closes on success', async () => {
    const { completes, statusFlowIds } = oauthServer('device')
    const { user } = renderApp('/accounts')
    await user.click((await screen.findAllByRole('button', { name: /Add account/ }))[0]!)
    const dialog = await screen.findByRole('dialog')
    await user.click(within(dialog).getByRole('tab', { name: /Device code/ }))
    await user.click(await within(dialog).findByRole('button', { name: /Get a device code/ }))

    expect((await screen.findByTestId('user-code')).textContent).toBe('ABCD-1234')
    expect(screen.getByRole('link', { name: /auth.example\/codex\/device/ })).toBeTruthy()
    await waitFor(() =>
      expect(completes).toEqual([
        { flowId: 'flow_1', deviceAuthId: 'dev_1', userCode: 'ABCD-1234' },
      ]),
    )
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(new Set(statusFlowIds)).toEqual(new Set(['flow_1']))
  })

  it('browser: opens the sign-in page and accepts a pasted redirect URL for remote servers', async () => {
    const { completes } = oauthServer('browser')
    const open = vi.spyOn(window, 'open').mockReturnValue(null)
    const { user } = renderApp('/accounts')
    await user.click((await screen.findAllByRole('button', { name: /Add account/ }))[0]!)
    const dialog = await screen.findByRole('dialog')
    await user.click(within(dialog).getByRole('button', { name: /Sign in with ChatGPT/ }))
    await waitFor(() =>
      expect(open).toHaveBeenCalledWith('https://auth.example/authorize?x=1', '_blank', 'noopener'),
    )

    const pasted = 'http://localhost:1455/auth/callback?code=abc&state=xyz'
    await user.type(await within(dialog).findByLabelText(/Server on another machine/), pasted)
    await user.click(within(dialog).getByRole('button', { name: 'Complete' }))
    await waitFor(() => expect(completes).toEqual([{ flowId: 'flow_1', callbackUrl: pasted }]))
    expect(await screen.findByText('Signed in remote@example.com')).toBeTruthy()
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
  })
})
