import type { SessionState } from '@codex-lb/shared'
import { screen, waitFor, within } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { renderApp } from '@/test/render'
import { dashboardError, server } from '@/test/server'

// Seed 004 §12.1: change password (when set) and remove password with confirmation.
const withPassword: SessionState = {
  authenticated: true,
  passwordRequired: true,
  totpRequiredOnLogin: false,
  totpConfigured: false,
}
const CURRENT = 'correct horse'

type Sent = { method: string; path: string; body: unknown }

/** A password-protected dashboard whose password endpoints check `CURRENT` like the server. */
function servePasswordEndpoints() {
  let session = withPassword
  const sent: Sent[] = []
  const record = async (request: Request) => {
    const body = (await request.json()) as Record<string, string>
    sent.push({ method: request.method, path: new URL(request.url).pathname, body })
    return body
  }
  server.use(
    http.get('*/api/dashboard-auth/session', () => HttpResponse.json(session)),
    http.post('*/api/dashboard-auth/password/change', async ({ request }) => {
      const body = await record(request)
      if (body['currentPassword'] !== CURRENT)
        return dashboardError(401, 'invalid_credentials', 'Invalid credentials')
      return HttpResponse.json({ status: 'ok' })
    }),
    http.delete('*/api/dashboard-auth/password', async ({ request }) => {
      const body = await record(request)
      if (body['password'] !== CURRENT)
        return dashboardError(401, 'invalid_credentials', 'Invalid credentials')
      session = { ...session, passwordRequired: false }
      return HttpResponse.json({ status: 'ok' })
    }),
  )
  return sent
}

async function openDialog(
  user: ReturnType<typeof renderApp>['user'],
  button: string,
  title: string,
) {
  await user.click(await screen.findByRole('button', { name: button }))
  return screen.findByRole('dialog', { name: title })
}

describe('change-password dialog', () => {
  it('checks the new password before sending, shows a wrong current password, then changes it', async () => {
    const sent = servePasswordEndpoints()
    const { user } = renderApp('/settings')
    const dialog = await openDialog(user, 'Change password', 'Change password')
    const submit = within(dialog).getByRole('button', { name: 'Change password' })
    const current = within(dialog).getByLabelText('Current password')
    const next = within(dialog).getByLabelText('New password')
    const confirm = within(dialog).getByLabelText('Confirm new password')

    await user.type(current, 'wrong one')
    await user.type(next, 'short')
    expect(within(dialog).getByText('Use at least 8 characters')).toBeTruthy()
    await user.clear(next)
    await user.type(next, 'battery staple')
    await user.type(confirm, 'battery stapler')
    expect(within(dialog).getByText('Passwords do not match')).toBeTruthy()
    expect((submit as HTMLButtonElement).disabled).toBe(true)
    await user.clear(confirm)
    await user.type(confirm, 'battery staple')
    expect(sent).toEqual([])

    await user.click(submit)
    expect(await within(dialog).findByText('Invalid credentials')).toBeTruthy()
    // A refused current password is not a lost session: the dialog stays, the user stays signed in.
    expect(screen.getByRole('dialog', { name: 'Change password' })).toBeTruthy()

    await user.clear(current)
    await user.type(current, CURRENT)
    await user.click(submit)

    expect(await screen.findByText('Password changed')).toBeTruthy()
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    const change = { method: 'POST', path: '/api/dashboard-auth/password/change' }
    expect(sent).toEqual([
      { ...change, body: { currentPassword: 'wrong one', newPassword: 'battery staple' } },
      { ...change, body: { currentPassword: CURRENT, newPassword: 'battery staple' } },
    ])
  })

  it('Cancel sends nothing', async () => {
    const sent = servePasswordEndpoints()
    const { user } = renderApp('/settings')
    const dialog = await openDialog(user, 'Change password', 'Change password')
    await user.type(within(dialog).getByLabelText('Current password'), CURRENT)
    await user.type(within(dialog).getByLabelText('New password'), 'battery staple')
    await user.type(within(dialog).getByLabelText('Confirm new password'), 'battery staple')
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }))

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(sent).toEqual([])
  })
})

describe('remove-password dialog', () => {
  it('warns, needs the current password, and leaves the card showing no password', async () => {
    const sent = servePasswordEndpoints()
    const { user } = renderApp('/settings')
    const card = (
      await screen.findByText('The dashboard asks for this password.', { exact: false })
    ).closest('#password') as HTMLElement
    expect(within(card).getByText('Set')).toBeTruthy()

    const dialog = await openDialog(user, 'Remove', 'Remove password?')
    expect(within(dialog).getByText(/open to anyone who can reach it/)).toBeTruthy()
    const remove = within(dialog).getByRole('button', { name: 'Remove password' })
    expect((remove as HTMLButtonElement).disabled).toBe(true)

    await user.type(within(dialog).getByLabelText('Current password'), 'wrong one')
    await user.click(remove)
    expect(await within(dialog).findByText('Invalid credentials')).toBeTruthy()
    expect(within(card).getByText('Set')).toBeTruthy()

    const field = within(dialog).getByLabelText('Current password')
    await user.clear(field)
    await user.type(field, CURRENT)
    await user.click(remove)

    expect(await screen.findByText('Password removed')).toBeTruthy()
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(await within(card).findByText('Not set')).toBeTruthy()
    expect(within(card).getByRole('button', { name: 'Set password' })).toBeTruthy()
    const del = { method: 'DELETE', path: '/api/dashboard-auth/password' }
    expect(sent).toEqual([
      { ...del, body: { password: 'wrong one' } },
      { ...del, body: { password: CURRENT } },
    ])
  })

  it('Cancel keeps the password and sends nothing', async () => {
    const sent = servePasswordEndpoints()
    const { user } = renderApp('/settings')
    const dialog = await openDialog(user, 'Remove', 'Remove password?')
    await user.type(within(dialog).getByLabelText('Current password'), CURRENT)
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }))

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(sent).toEqual([])
    expect(screen.getByRole('button', { name: 'Change password' })).toBeTruthy()
  })
})
