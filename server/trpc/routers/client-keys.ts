import { z } from 'zod'
import { TRPCError } from '@trpc/server'
import { operatorProcedure, router, viewerProcedure } from '../init'
import { appState, reloadSnapshot } from '../../services/app-state'
import { deleteClientKey, getClientKey, insertClientKey, listClientKeys, updateClientKey, type ClientKeyRow } from '../../services/db/client-keys-repo'
import { generateKey, hashKey, maskSecret } from '../../services/security/hashing'
import { roll, sumRing } from '../../gateway/limits/usage-store'
import { clientKeyCreateSchema, clientKeyUpdateSchema } from '../../../shared/schemas/security'

function state() {
  const s = appState()
  if (!s?.security) throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'the server is starting' })
  return { s, sec: s.security }
}

function usageOf(name: string) {
  const u = state().sec.usage.usage(name)
  roll(u, Date.now())
  return {
    requests: u.requests,
    // Refused by a rate limit or budget (never sent upstream), since the server started.
    refused: u.refused,
    tokens: u.tokens,
    requestsLastMinute: sumRing(u.reqRing),
    tokensLastMinute: sumRing(u.tokRing),
    dayTokens: u.dayTokens,
    monthTokens: u.monthTokens,
    dayUsd: u.dayUsd,
    monthUsd: u.monthUsd,
    // Requests running now and the estimate they hold against the limits (released when each ends).
    inFlight: u.inFlight,
    heldTokens: u.heldTokens,
    heldUsd: u.heldUsd,
    lastUsed: u.lastUsed ? new Date(u.lastUsed).toISOString() : null,
  }
}

async function editable(name: string): Promise<ClientKeyRow> {
  const row = await getClientKey(state().s.db, name)
  if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: `no client key named '${name}'` })
  if (row.source === 'file') throw new TRPCError({ code: 'FORBIDDEN', message: `client key '${name}' is managed by rosetta.yaml: change it there` })
  return row
}

/** Client keys (the keys apps use to call /v1): secrets shown once at creation, stored hashed. */
export const clientKeysRouter = router({
  list: viewerProcedure.query(async () => {
    const rows = await listClientKeys(state().s.db)
    return rows.map((r) => ({ ...r, usage: usageOf(r.name) }))
  }),

  create: operatorProcedure.input(clientKeyCreateSchema).mutation(async ({ ctx, input }) => {
    const { s } = state()
    if (await getClientKey(s.db, input.name)) throw new TRPCError({ code: 'CONFLICT', message: `a client key named '${input.name}' exists` })
    const key = generateKey('rk-')
    await insertClientKey(s.db, input, hashKey(key), maskSecret(key))
    await reloadSnapshot()
    const row = (await getClientKey(s.db, input.name))!
    Object.assign(ctx.audit, { target: `client key ${input.name}`, after: row })
    return { ...row, key }
  }),

  update: operatorProcedure.input(clientKeyUpdateSchema).mutation(async ({ ctx, input }) => {
    const { s } = state()
    const before = await editable(input.name)
    const after: ClientKeyRow = { ...before, ...(Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<ClientKeyRow>) }
    await updateClientKey(s.db, after)
    await reloadSnapshot()
    Object.assign(ctx.audit, { target: `client key ${input.name}`, before, after })
    return { ...after, usage: usageOf(after.name) }
  }),

  remove: operatorProcedure.input(z.strictObject({ name: z.string().min(1) })).mutation(async ({ ctx, input }) => {
    const { s } = state()
    const before = await editable(input.name)
    await deleteClientKey(s.db, input.name)
    await reloadSnapshot()
    Object.assign(ctx.audit, { target: `client key ${input.name}`, before, after: null })
    return { ok: true }
  }),
})
