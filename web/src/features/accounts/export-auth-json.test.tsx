import type { SessionState } from '@codex-lb/shared'
import { screen, waitFor, within } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { makeAccount } from '@/test/factories'
import { renderApp } from '@/test/render'
import { dashboardError, server } from '@/test/server'

const PASSWORD = 'correct horse battery'
const account = makeAccount({
  accountId: 'acc_a',
  alias: 'Team laptop',
  displayName: 'Team laptop',
})
const FILE = { OPENAI_API_KEY: null, tokens: { refresh_token: 'rt_x' }, last_refresh: 'x' }

function serve(session: Partial<SessionState>) {
  const bodies: unknown[] = []
  server.use(
    http.get('*/api/dashboard-auth/session', () =>
      HttpResponse.json({
        authenticated: true,
        passwordRequired: true,
        totpRequiredOnLogin: false,
        totpConfigured: false,
        ...session,
      }),
    ),
    http.get('*/api/accounts', () => HttpResponse.json({ accounts: [account] })),
    http.get('*/api/accounts/:id/history', () =>
      HttpResponse.json({ error: { code: 'http_404', message: 'Not Found' } }, { status: 404 }),
    ),
    http.post('*/api/accounts/:id/auth-json', async ({ request }) => {
      const body = (await request.json()) as { password: string; totpCode?: string }
      bodies.push(body)
      if (body.password !== PASSWORD)
        return dashboardError(403, 'invalid_credentials', 'Invalid password')
      return HttpResponse.json(FILE, {
        headers: {
          'content-disposition': 'attachment; filename="auth-Team-laptop.json"',
          'cache-control': 'no-store',
        },
      })
    }),
  )
  return { bodies }
}

/** Captures what the browser would download instead of navigating the test document. */
function captureDownloads() {
  const saved: Array<{ name: string; blob: Blob }> = []
  const blobs = new Map<string, Blob>()
  vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
    const url = `blob:test/${blobs.size}`
    blobs.set(url, blob as Blob)
    return url
  })
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined)
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
    this: HTMLAnchorElement,
  ) {
    saved.push({ name: this.download, blob: blobs.get(this.href)! })
  })
  return saved
}

async function openExport() {
  const { user } = renderApp('/accounts/acc_a')
  // The first render transforms the page's lazy chunk: allow it more than the default wait.
  const button = await screen.findByRole(
    'button',
    { name: /Export auth.json/ },
    { timeout: 15_000 },
  )
  await user.click(button)
  return { user, dialog: within(await screen.findByRole('dialog')) }
}

afterEach(() => vi.restoreAllMocks())

describe('Export auth.json', () => {
  it('a wrong password shows the error and keeps the dialog; the right one downloads the file', async () => {
    const { bodies } = serve({})
    const saved = captureDownloads()
    const { user, dialog } = await openExport()
    expect(dialog.queryByLabelText('Authenticator code')).toBeNull()

    await user.type(dialog.getByLabelText('Dashboard password'), 'wrong guess')
    await user.click(dialog.getByRole('button', { name: 'Export' }))
    expect((await dialog.findByRole('alert')).textContent).toBe('Invalid password')
    expect(screen.getByRole('dialog')).toBeTruthy()
    expect(saved).toEqual([])

    const field = dialog.getByLabelText('Dashboard password')
    await user.clear(field)
    await user.type(field, PASSWORD)
    await user.click(dialog.getByRole('button', { name: 'Export' }))
    await waitFor(() => expect(saved).toHaveLength(1))
    expect(saved[0]?.name).toBe('auth-Team-laptop.json')
    expect(JSON.parse(await saved[0]!.blob.text())).toEqual(FILE)
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(bodies).toEqual([{ password: 'wrong guess' }, { password: PASSWORD }])
  })

  it('asks for the authenticator code when TOTP is on and sends it', async () => {
    const { bodies } = serve({ totpConfigured: true })
    const saved = captureDownloads()
    const { user, dialog } = await openExport()
    await user.type(dialog.getByLabelText('Dashboard password'), PASSWORD)
    const submit = dialog.getByRole('button', { name: 'Export' }) as HTMLButtonElement
    expect(submit.disabled).toBe(true)
    await user.type(dialog.getByLabelText('Authenticator code'), '123456')
    await user.click(submit)
    await waitFor(() => expect(saved).toHaveLength(1))
    expect(bodies).toEqual([{ password: PASSWORD, totpCode: '123456' }])
  })

  it('without a dashboard password it explains that one is needed and offers no export', async () => {
    serve({ passwordRequired: false })
    const { dialog } = await openExport()
    expect(dialog.getByRole('alert').textContent).toMatch(/requires a dashboard password/)
    expect(dialog.queryByRole('button', { name: 'Export' })).toBeNull()
  })
})
