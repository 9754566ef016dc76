import { describe, expect, it } from 'vitest'
import { splitByHour } from './hour-split.js'

const H = 3_600_000

describe('splitByHour', () => {
  it.each([
    ['aligned ends: rollups only', 2 * H, 5 * H, { from: 2 * H, to: 5 * H }, []],
    [
      'ragged ends: whole hours plus both partial hours',
      2 * H + 10,
      5 * H - 10,
      { from: 3 * H, to: 4 * H },
      [
        { from: 2 * H + 10, to: 3 * H },
        { from: 4 * H, to: 5 * H - 10 },
      ],
    ],
    [
      'inside one hour: rows only',
      2 * H + 10,
      2 * H + 20,
      null,
      [{ from: 2 * H + 10, to: 2 * H + 20 }],
    ],
    [
      'across one boundary, no whole hour: rows only',
      2 * H + 10,
      3 * H + 5,
      null,
      [{ from: 2 * H + 10, to: 3 * H + 5 }],
    ],
    ['empty range', 5 * H, 5 * H, null, []],
  ] as const)('%s', (_, from, to, hours, edges) => {
    expect(splitByHour({ from, to })).toEqual({ hours, edges })
  })

  it('leaves an open end open', () => {
    expect(splitByHour({ from: null, to: null })).toEqual({
      hours: { from: null, to: null },
      edges: [],
    })
    expect(splitByHour({ from: 2 * H + 1, to: null })).toEqual({
      hours: { from: 3 * H, to: null },
      edges: [{ from: 2 * H + 1, to: 3 * H }],
    })
    expect(splitByHour({ from: null, to: 2 * H + 1 })).toEqual({
      hours: { from: null, to: 2 * H },
      edges: [{ from: 2 * H, to: 2 * H + 1 }],
    })
  })
})
