import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { useState } from 'react'
import { describe, expect, it } from 'vitest'
import { PageFooter } from './page-footer'

/** 120 rows in pages: the footer drives offset and limit as a page would. */
function Harness({ total = 120 }: { total?: number }) {
  const [offset, setOffset] = useState(0)
  const [limit, setLimit] = useState(50)
  const shown = Math.max(0, Math.min(limit, total - offset))
  return (
    <PageFooter
      offset={offset}
      limit={limit}
      shown={shown}
      total={total}
      hasMore={offset + shown < total}
      sizes={[25, 50, 100]}
      onLimit={(n) => {
        setLimit(n)
        setOffset(0)
      }}
      onOffset={setOffset}
    />
  )
}

describe('PageFooter', () => {
  it('pages forward and back, and stops at both ends', async () => {
    const user = userEvent.setup()
    render(<Harness />)
    const previous = screen.getByRole('button', { name: 'Previous page' })
    const next = screen.getByRole('button', { name: 'Next page' })
    expect(screen.getByText('1–50 of 120')).toBeTruthy()
    expect(previous).toHaveProperty('disabled', true)
    await user.click(next)
    expect(screen.getByText('51–100 of 120')).toBeTruthy()
    await user.click(next)
    expect(screen.getByText('101–120 of 120')).toBeTruthy()
    expect(next).toHaveProperty('disabled', true)
    await user.click(previous)
    expect(screen.getByText('51–100 of 120')).toBeTruthy()
  })

  it('changes the page size', async () => {
    const user = userEvent.setup()
    render(<Harness />)
    await user.selectOptions(screen.getByLabelText('Rows per page'), '25')
    expect(screen.getByText('1–25 of 120')).toBeTruthy()
  })
})
