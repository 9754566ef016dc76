import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { useState } from 'react'
import { describe, expect, it } from 'vitest'
import { MultiSelect, type MultiSelectOption } from './multi-select'

const OPTIONS: MultiSelectOption[] = [
  { value: 'acc-a', label: 'Team laptop', hint: 'alice@example.com' },
  { value: 'acc-b', label: 'bob@example.com' },
  { value: 'acc-c', label: 'carol@example.com' },
]

function Harness({ initial = [] as string[] }) {
  const [selected, setSelected] = useState(initial)
  return (
    <>
      <MultiSelect label="Accounts" options={OPTIONS} selected={selected} onChange={setSelected} />
      <output data-testid="selected">{selected.join(',')}</output>
    </>
  )
}

const selected = () => screen.getByTestId('selected').textContent

describe('MultiSelect', () => {
  it('ticks several values and shows how many are chosen on its button', async () => {
    const user = userEvent.setup()
    render(<Harness />)
    await user.click(screen.getByRole('button', { name: 'Accounts' }))
    await user.click(await screen.findByRole('checkbox', { name: 'Team laptop' }))
    await user.click(screen.getByRole('checkbox', { name: 'carol@example.com' }))
    expect(selected()).toBe('acc-a,acc-c')
    expect(screen.getByRole('button', { name: 'Accounts: 2 selected' }).textContent).toContain('2')
    expect(screen.getByRole('checkbox', { name: 'Team laptop' }).getAttribute('aria-checked')).toBe(
      'true',
    )
    // Unticking removes just that value.
    await user.click(screen.getByRole('checkbox', { name: 'Team laptop' }))
    expect(selected()).toBe('acc-c')
  })

  it('narrows the list by the search box, over labels and hints', async () => {
    const user = userEvent.setup()
    render(<Harness />)
    await user.click(screen.getByRole('button', { name: 'Accounts' }))
    const list = await screen.findByRole('list', { name: 'Accounts' })
    await user.type(screen.getByRole('textbox', { name: 'Search accounts' }), 'ALICE')
    expect(
      within(list)
        .getAllByRole('checkbox')
        .map((c) => c.getAttribute('aria-label')),
    ).toEqual(['Team laptop'])
    await user.clear(screen.getByRole('textbox', { name: 'Search accounts' }))
    await user.type(screen.getByRole('textbox', { name: 'Search accounts' }), 'nobody')
    expect(within(list).queryAllByRole('checkbox')).toHaveLength(0)
    expect(within(list).getByText('No match')).toBeTruthy()
  })

  it('clears its own selection, and keeps a chosen value the options no longer list', async () => {
    const user = userEvent.setup()
    render(<Harness initial={['acc-b', 'acc-gone']} />)
    await user.click(screen.getByRole('button', { name: 'Accounts: 2 selected' }))
    const stray = await screen.findByRole('checkbox', { name: 'acc-gone' })
    expect(stray.getAttribute('aria-checked')).toBe('true')
    await user.click(screen.getByRole('button', { name: 'Clear' }))
    expect(selected()).toBe('')
    expect(screen.getByRole('button', { name: 'Accounts' })).toBeTruthy()
    expect((screen.getByRole('button', { name: 'Clear' }) as HTMLButtonElement).disabled).toBe(true)
  })
})
