import { describe, expect, it } from 'vitest'
import { fetchRequestHandler } from '@trpc/server/adapters/fetch'
import { TRPCError } from '@trpc/server'
import { publicProcedure, router } from '../../../server/trpc/init'
import { setLogSink } from '../../../server/utils/logger'

const testRouter = router({
  boom: publicProcedure.query(() => {
    throw new Error('secret internals at /srv/db.ts:42')
  }),
  typed: publicProcedure.query(() => {
    throw new TRPCError({ code: 'NOT_FOUND', message: 'no such provider' })
  }),
})

const call = (path: string) =>
  fetchRequestHandler({ endpoint: '/trpc', req: new Request(`http://x/trpc/${path}`), router: testRouter, createContext: () => ({ event: {} as any, admin: true }) })

describe('admin API errors', () => {
  it('an unexpected error reaches the client as an error id, logged once with its stack', async () => {
    const lines: string[] = []
    const old = setLogSink((l) => lines.push(l))
    let body: any
    try {
      body = await (await call('boom')).json()
    } finally {
      setLogSink(old)
    }
    const text = JSON.stringify(body)
    expect(text).not.toContain('secret internals')
    expect(text).not.toContain('stack')
    expect(body.error.data.code).toBe('INTERNAL_SERVER_ERROR')
    const id = body.error.data.errorId
    expect(body.error.message).toContain(id)
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', errorId: id, path: 'boom', error: { message: 'secret internals at /srv/db.ts:42' } })
  })

  it('typed errors keep their code and message', async () => {
    const body: any = await (await call('typed')).json()
    expect(body.error).toMatchObject({ message: 'no such provider', data: { code: 'NOT_FOUND' } })
    expect(JSON.stringify(body)).not.toContain('stack')
  })
})
