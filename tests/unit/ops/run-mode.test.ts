import { afterEach, describe, expect, it, vi } from 'vitest'
import { RunMode } from '../../../server/services/ops/run-mode'
import { logLevel, logger, setLogLevel, setLogSink, overrideLogLevel } from '../../../server/utils/logger'

afterEach(() => {
  vi.useRealTimers()
  overrideLogLevel(undefined)
  setLogLevel('info')
})

describe('RunMode', () => {
  it('maintenance refuses through the gate with a retry-after, normal lets through', () => {
    const m = new RunMode()
    expect(m.gate()).toBeUndefined()
    m.set('maintenance', { retryAfter: 120, message: 'upgrading' })
    const e = m.gate()!
    expect(e).toMatchObject({ kind: 'unavailable', status: 503, retryAfter: 120 })
    expect(e.message).toContain('upgrading')
    m.set('normal')
    expect(m.gate()).toBeUndefined()
  })

  it('debug raises the log level for a bounded time, then returns to normal by itself', () => {
    vi.useFakeTimers()
    setLogLevel('warn')
    const m = new RunMode()
    const st = m.set('debug', { minutes: 2 })
    expect(st.until).not.toBeNull()
    expect(logLevel()).toBe('debug')
    vi.advanceTimersByTime(119_000)
    expect(m.get().mode).toBe('debug')
    vi.advanceTimersByTime(2_000)
    expect(m.get()).toMatchObject({ mode: 'normal', until: null })
    expect(logLevel()).toBe('warn')
  })

  it('shutting down refuses new work whatever the mode', () => {
    const m = new RunMode()
    m.beginShutdown()
    expect(m.gate()).toMatchObject({ kind: 'unavailable', status: 503 })
    expect(m.get().shuttingDown).toBe(true)
  })
})

describe('logger', () => {
  it('writes one JSON object per line, honours the level, serialises errors', () => {
    const lines: string[] = []
    const old = setLogSink((l) => lines.push(l))
    try {
      setLogLevel('info')
      logger.debug('hidden')
      logger.info('shown', { requestId: 'req_1' })
      logger.error('boom', { errorId: 'req_2', error: new Error('bad thing') })
    } finally {
      setLogSink(old)
    }
    expect(lines).toHaveLength(2)
    const [a, b] = lines.map((l) => JSON.parse(l))
    expect(a).toMatchObject({ level: 'info', msg: 'shown', requestId: 'req_1' })
    expect(b).toMatchObject({ level: 'error', errorId: 'req_2', error: { name: 'Error', message: 'bad thing' } })
    expect(typeof a.time).toBe('string')
  })
})
