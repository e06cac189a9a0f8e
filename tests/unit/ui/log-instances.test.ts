import { describe, expect, it } from 'vitest'
import { distinctInstances } from '../../../utils/log-instances'

describe('instances on the request log page', () => {
  it('lists each instance once, in first-seen order, skipping rows from before migration 019', () => {
    expect(distinctInstances([{ instance: 'b' }, { instance: null }, { instance: 'a' }, { instance: 'b' }])).toEqual(['b', 'a'])
  })

  it('gives one name for a single server (the page then hides the column) and none for old rows', () => {
    expect(distinctInstances([{ instance: 'host:1' }, { instance: 'host:1' }])).toEqual(['host:1'])
    expect(distinctInstances([{ instance: null }])).toEqual([])
  })
})
