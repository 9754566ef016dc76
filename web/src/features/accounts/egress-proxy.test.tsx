import type { AccountSummary } from '@codex-lb/shared'
import { screen, waitFor, within } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { makeAccount } from '@/test/factories'
import { renderApp } from '@/test/render'
import { dashboardError, server } from '@/test/server'

function serve(account: AccountSummary) {
  const puts: unknown[] = []
  let current = account
  server.use(
    http.get('*/api/accounts', () => HttpResponse.json({ accounts: [current] })),
    http.get('*/api/accounts/:id/history', () => HttpResponse.json({}, { status: 404 })),
    http.put('*/api/accounts/:id/egress-proxy', async ({ request }) => {
      const body = (await request.json()) as { url: string | null }
      puts.push(body)
      if (body.url === 'ftp://nope:21') {
        return dashboardError(
          422,
          'validation_error',
          'Invalid request payload: url: expected an http://, https:// or socks5:// proxy URL',
        )
      }
      const masked = body.url?.replace(/:[^:@/]+@/, ':***@') ?? null
      current = { ...current, egressProxy: masked }
      return HttpResponse.json({ accountId: current.accountId, egressProxy: masked })
    }),
  )
  return puts
}

const account = () => makeAccount({ accountId: 'acc_a', email: 'a@example.com', egressProxy: null })

describe('account page: egress proxy', () => {
  it('saves a proxy URL, shows it back with the password masked, and clears it', async () => {
    const puts = serve(account())
    const { user } = renderApp('/accounts/acc_a')
    const input = await screen.findByLabelText('Egress proxy')
    expect(screen.getByTestId('egress-proxy-current').textContent).toMatch(/None set/)
    expect(screen.getByRole('button', { name: 'Clear' })).toHaveProperty('disabled', true)

    await user.type(input, 'socks5://me:hunter2@10.0.0.5:1080')
    await user.click(screen.getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(puts).toEqual([{ url: 'socks5://me:hunter2@10.0.0.5:1080' }]))
    const shown = await screen.findByText('socks5://me:***@10.0.0.5:1080')
    expect(shown).toBeTruthy()
    expect(document.body.textContent).not.toContain('hunter2')
    expect((input as HTMLInputElement).value).toBe('')

    await user.click(screen.getByRole('button', { name: 'Clear' }))
    await waitFor(() =>
      expect(puts).toEqual([{ url: 'socks5://me:hunter2@10.0.0.5:1080' }, { url: null }]),
    )
    await waitFor(() =>
      expect(screen.getByTestId('egress-proxy-current').textContent).toMatch(/None set/),
    )
  })

  it("shows the server's refusal next to the field", async () => {
    const puts = serve(account())
    const { user } = renderApp('/accounts/acc_a')
    const input = await screen.findByLabelText('Egress proxy')
    await user.click(screen.getByRole('button', { name: 'Save' }))
    expect(await screen.findByText('Enter a proxy URL, or use Clear')).toBeTruthy()
    expect(puts).toEqual([])

    await user.type(input, 'ftp://nope:21')
    await user.click(screen.getByRole('button', { name: 'Save' }))
    const form = input.closest('form')!
    expect(await within(form).findByText(/url: expected an http/)).toBeTruthy()
    expect(input.getAttribute('aria-invalid')).toBe('true')
  })
})
