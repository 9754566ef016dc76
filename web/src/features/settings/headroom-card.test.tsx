import { screen, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { dashboardError } from '@/test/server'
import { numberField, openSettingsCard, ROUTING_FLAGS, settingsServer } from '@/test/settings'

/** null returns a ceiling to its environment default, as the server does. */
const ENV = { headroomPrimaryPercent: 100, headroomSecondaryPercent: 100 }

const serve = settingsServer(ENV)

const card = () => openSettingsCard('Usage ceilings')

describe('Settings → Usage ceilings', () => {
  it('shows the effective ceilings and saves both, keeping the routing flags', async () => {
    const puts = serve({ headroomPrimaryPercent: 100, headroomSecondaryPercent: 90 })
    const { user, section } = await card()
    const weekly = await numberField(section, 'Weekly window', '90')
    const save = section.getByRole('button', { name: 'Save ceilings' })
    expect((save as HTMLButtonElement).disabled).toBe(true)

    await user.clear(weekly)
    await user.type(weekly, '80')
    await user.click(save)

    await waitFor(() =>
      expect(puts).toEqual([
        { ...ROUTING_FLAGS, headroomPrimaryPercent: 100, headroomSecondaryPercent: 80 },
      ]),
    )
    expect(await screen.findByText('Usage ceilings saved')).toBeTruthy()
  })

  it('refuses a ceiling outside 0–100 without sending it', async () => {
    const puts = serve({ headroomPrimaryPercent: 100, headroomSecondaryPercent: 100 })
    const { user, section } = await card()
    const fiveHour = await numberField(section, '5-hour window', '100')
    await user.clear(fiveHour)
    await user.type(fiveHour, '120')
    expect(section.getByText('From 0 to 100')).toBeTruthy()
    expect(fiveHour.getAttribute('aria-invalid')).toBe('true')
    const save = section.getByRole('button', { name: 'Save ceilings' }) as HTMLButtonElement
    expect(save.disabled).toBe(true)
    await user.click(save)
    expect(puts).toEqual([])
  })

  it('"Use defaults" sends null for both and shows what the server answers', async () => {
    const puts = serve({ headroomPrimaryPercent: 70, headroomSecondaryPercent: 60 })
    const { user, section } = await card()
    const weekly = await numberField(section, 'Weekly window', '60')
    await user.click(section.getByRole('button', { name: 'Use defaults' }))
    await waitFor(() => expect(weekly.value).toBe('100'))
    expect(puts).toEqual([
      { ...ROUTING_FLAGS, headroomPrimaryPercent: null, headroomSecondaryPercent: null },
    ])
  })

  it("shows the server's 422 message", async () => {
    serve({ headroomPrimaryPercent: 100, headroomSecondaryPercent: 100 }, () =>
      dashboardError(
        422,
        'validation_error',
        'Invalid request payload: headroomSecondaryPercent: Too big',
      ),
    )
    const { user, section } = await card()
    const weekly = await numberField(section, 'Weekly window', '100')
    await user.clear(weekly)
    await user.type(weekly, '50')
    await user.click(section.getByRole('button', { name: 'Save ceilings' }))
    expect(await screen.findByText(/headroomSecondaryPercent: Too big/)).toBeTruthy()
  })
})
