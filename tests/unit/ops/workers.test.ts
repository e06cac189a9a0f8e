import { describe, expect, it } from 'vitest'
import { MAX_WORKERS, parseWorkers, READY_MESSAGE, WORKER_ENV, workersRefusal } from '../../../server/entry/primary'
import * as workerSide from '../../../server/services/ops/workers'
import { resolveInstanceId } from '../../../server/services/cluster/instance-id'

describe('NUXT_WORKERS', () => {
  it('unset, empty or 1 is the single process (no fork)', () => {
    expect(parseWorkers(undefined)).toBe(1)
    expect(parseWorkers('')).toBe(1)
    expect(parseWorkers(' 1 ')).toBe(1)
  })

  it('a number is that many workers; auto is one per core (capped)', () => {
    expect(parseWorkers('2')).toBe(2)
    expect(parseWorkers('auto', 6)).toBe(6)
    expect(parseWorkers('AUTO', 500)).toBe(MAX_WORKERS)
  })

  it('anything else is refused with the accepted forms', () => {
    for (const bad of ['0', '-1', '1.5', 'two', '65']) expect(() => parseWorkers(bad)).toThrow(/whole number from 1 to 64 or "auto"/)
  })

  it('more than one worker needs cluster mode (both URLs): the DuckDB file has one owner', () => {
    expect(workersRefusal({})).toMatch(/NUXT_DATABASE_URL and NUXT_REDIS_URL/)
    expect(workersRefusal({ NUXT_DATABASE_URL: 'postgres://x' })).toMatch(/cluster mode/)
    expect(workersRefusal({ NUXT_DATABASE_URL: 'postgres://x', NUXT_REDIS_URL: 'redis://y' })).toBeNull()
  })
})

describe('primary and worker agree', () => {
  it('on the index variable and the ready message', () => {
    expect(workerSide.WORKER_ENV).toBe(WORKER_ENV)
    expect(workerSide.READY_MESSAGE).toBe(READY_MESSAGE)
  })
})

describe('instance id of a worker', () => {
  it('is suffixed with the worker index, configured or not', () => {
    expect(resolveInstanceId('api', 2)).toBe('api-w2')
    expect(resolveInstanceId('api', null)).toBe('api')
    expect(resolveInstanceId('', 1)).toMatch(new RegExp(`:${process.pid}-w1$`))
  })
})
