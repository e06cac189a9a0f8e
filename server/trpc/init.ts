import { initTRPC, TRPCError } from '@trpc/server'
import type { H3Event } from 'h3'
import { z } from 'zod'
import { randomUUID } from 'node:crypto'
import { logger } from '../utils/logger'
import { appState } from '../services/app-state'
import { StorageFullError } from '../services/db/storage-guard'
import { clientIp, isSameOrigin } from '../services/security/principal'
import { authenticateAdmin, throttledMessage } from '../services/security/admin-credential'
import { roleAllows, type Principal, type Role } from '../services/security/roles'

/** What a procedure needs: the least role that may call it (set by the procedure builders below). */
export interface Meta {
  role?: Role
}

/** What a mutation tells the audit log beyond its input: the thing it changed, before and after. */
export interface AuditNote {
  action?: string
  target?: string
  before?: unknown
  after?: unknown
}

export interface Context {
  event: H3Event
  /** True when the caller has the admin role (kept for older callers). */
  admin: boolean
  /** Who is calling (admin key, admin token or session), if anyone. */
  principal?: Principal
  /** Whether logged request/response bodies may be shown to this caller. */
  canViewBodies?: boolean
  ip?: string | null
  /** Set when the caller's address is throttled after too many wrong admin secrets (a 429 with this retry-after). */
  retryAfter?: number
}

export function createContext(event: H3Event): Context {
  const req = event.node.req
  const { principal, retryAfter } = authenticateAdmin(event)
  return { event, admin: principal?.role === 'admin', principal, canViewBodies: principal?.canViewBodies ?? false, ip: clientIp(req), retryAfter }
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
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
export const middleware = t.middleware

/**
 * The one authorization middleware: the caller must be known and hold the procedure's role;
 * cookie-authenticated mutations must come from our own origin; every mutation (and every refused
 * one) is written to the audit log with its input, secrets masked.
 */
const guard = t.middleware(async ({ ctx, meta, type, path, getRawInput, next }) => {
  const need: Role = meta?.role ?? 'admin'
  const p = ctx.principal
  const audit = (outcome: 'ok' | 'error' | 'denied', note: AuditNote, detail: string | null, input: unknown) =>
    appState()?.security?.audit({
      actor: p?.name ?? null,
      role: p?.role ?? null,
      ip: ctx.ip ?? null,
      action: note.action ?? path,
      target: note.target ?? null,
      outcome,
      detail,
      before: note.before,
      after: note.after ?? input,
    })
  if (ctx.retryAfter) {
    ctx.event.node.res.setHeader('retry-after', String(ctx.retryAfter))
    throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: throttledMessage(ctx.retryAfter) })
  }
  if (!p) {
    if (type === 'mutation') await audit('denied', {}, 'not authenticated', undefined)
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'authentication required: an admin key or admin token (Authorization: Bearer …), or a session' })
  }
  if (!roleAllows(p.role, need)) {
    if (type === 'mutation') await audit('denied', {}, `needs role ${need}`, undefined)
    throw new TRPCError({ code: 'FORBIDDEN', message: `'${path}' needs the ${need} role; '${p.name}' has the ${p.role} role` })
  }
  if (type === 'mutation' && p.via === 'cookie' && !isSameOrigin(ctx.event.node.req)) {
    await audit('denied', {}, 'cross-site request', undefined)
    throw new TRPCError({ code: 'FORBIDDEN', message: 'cross-site request refused' })
  }
  const note: AuditNote = {}
  const result = await next({ ctx: { principal: p, canViewBodies: p.canViewBodies, audit: note } })
  if (type === 'mutation') {
    const input = await getRawInput().catch(() => undefined)
    await audit(result.ok ? 'ok' : 'error', note, result.ok ? null : result.error.message, input)
  }
  // A full data folder refuses configuration writes (StorageGuard): say so, not "internal error".
  if (!result.ok && result.error.cause instanceof StorageFullError) throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: result.error.cause.message })
  return result
})

/** Reads: dashboards, logs, stats, lists (any role). */
export const viewerProcedure = t.procedure.meta({ role: 'viewer' }).use(guard)
/** Providers, keys, models, routes, client keys, run mode (operator or admin). */
export const operatorProcedure = t.procedure.meta({ role: 'operator' }).use(guard)
/** Security: admin key, admin tokens, audit log (admin only). */
export const adminProcedure = t.procedure.meta({ role: 'admin' }).use(guard)

export const createCallerFactory = t.createCallerFactory
