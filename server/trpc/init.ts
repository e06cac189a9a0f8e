import { initTRPC, TRPCError } from '@trpc/server'
import type { H3Event } from 'h3'
import { z } from 'zod'
import { randomUUID } from 'node:crypto'
import { logger } from '../utils/logger'
import { appState } from '../services/app-state'
import { hashKey, sameHash } from '../services/security/hashing'

export interface Context {
  event: H3Event
  /** Set when the caller presented the admin key. */
  admin: boolean
}

export function createContext(event: H3Event): Context {
  const auth = event.node.req.headers.authorization
  const key = auth && /^Bearer\s+(.+)$/i.exec(auth)?.[1]
  const st = appState()
  return { event, admin: Boolean(key && st && sameHash(hashKey(key), st.adminKey.hash)) }
}

const t = initTRPC.context<Context>().create({
  // Never send stack traces, whatever NODE_ENV says.
  isDev: false,
  errorFormatter({ shape, error, path }) {
    // The one place unexpected admin errors are logged: the client gets an id, never internals.
    if (error.code === 'INTERNAL_SERVER_ERROR') {
      const errorId = `err_${randomUUID().replaceAll('-', '')}`
      logger.error('admin API error', { errorId, path, error: error.cause ?? error })
      return { ...shape, message: `internal error (error id ${errorId})`, data: { ...shape.data, errorId, zodError: null } }
    }
    return {
      ...shape,
      data: { ...shape.data, zodError: error.cause instanceof z.ZodError ? z.treeifyError(error.cause) : null },
    }
  },
})

export const router = t.router
export const publicProcedure = t.procedure
export const adminProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.admin) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'admin key required (Authorization: Bearer <admin key>)' })
  return next()
})
