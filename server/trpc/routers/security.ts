import { z } from 'zod'
import { TRPCError } from '@trpc/server'
import { adminProcedure, router } from '../init'
import { appState } from '../../services/app-state'
import { adminKeyInfo, AdminKeyFromEnvError, ownAdminSession, rotateAdminKey, validateKey } from '../../services/security/admin-key-ops'
import { deleteAdminToken, insertAdminToken, listAdminTokens, updateAdminToken } from '../../services/db/admin-tokens-repo'
import { generateKey, hashKey, maskSecret } from '../../services/security/hashing'
import { adminTokenCreateSchema, adminTokenUpdateSchema } from '../../../shared/schemas/security'

function state() {
  const s = appState()
  if (!s?.security) throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'the server is starting' })
  return { s, sec: s.security }
}

const publicToken = (t: Awaited<ReturnType<typeof listAdminTokens>>[number]) => {
  const { tokenHash: _h, ...rest } = t
  return rest
}

async function findToken(name: string) {
  const t = (await listAdminTokens(state().s.db)).find((x) => x.name === name)
  if (!t) throw new TRPCError({ code: 'NOT_FOUND', message: `no admin token named '${name}'` })
  return t
}

/** Security settings (admin role only): the root admin key and the named admin tokens. */
export const securityRouter = router({
  keyInfo: adminProcedure.query(() => adminKeyInfo()),

  rotateAdminKey: adminProcedure.mutation(async ({ ctx }) => {
    ctx.audit.target = 'admin key'
    try {
      const key = await rotateAdminKey({ keepSession: ownAdminSession(ctx.event, ctx.principal) })
      ctx.audit.after = { admin_key: maskSecret(key) }
      return { admin_key: key }
    } catch (e) {
      if (e instanceof AdminKeyFromEnvError) throw new TRPCError({ code: 'CONFLICT', message: e.message })
      throw e
    }
  }),

  validateKey: adminProcedure.input(z.strictObject({ key: z.string().min(1).max(1000) })).query(({ input }) => validateKey(input.key)),

  tokens: router({
    list: adminProcedure.query(async () => (await listAdminTokens(state().s.db)).map(publicToken)),

    /** Returns the token once (`rat-…`); only its hash is kept. */
    create: adminProcedure.input(adminTokenCreateSchema).mutation(async ({ ctx, input }) => {
      const { s, sec } = state()
      if ((await listAdminTokens(s.db)).some((t) => t.name === input.name))
        throw new TRPCError({ code: 'CONFLICT', message: `an admin token named '${input.name}' exists` })
      const token = generateKey('rat-')
      const row = { name: input.name, tokenHash: hashKey(token), hint: maskSecret(token), role: input.role, canViewBodies: input.canViewBodies, enabled: true, expiresAt: input.expiresAt, createdBy: ctx.principal.name }
      await insertAdminToken(s.db, row)
      await sec.reloadTokens()
      const out = publicToken({ ...row, createdAt: new Date().toISOString() })
      Object.assign(ctx.audit, { target: `admin token ${input.name}`, after: out })
      return { ...out, token }
    }),

    update: adminProcedure.input(adminTokenUpdateSchema).mutation(async ({ ctx, input }) => {
      const { s, sec } = state()
      const before = await findToken(input.name)
      const after = { ...before, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) }
      await updateAdminToken(s.db, after)
      await sec.reloadTokens()
      // A token losing rights loses its open sessions too (they follow the token, but be explicit).
      if (!after.enabled) await sec.endSessionsOf('admin-token', after.name)
      Object.assign(ctx.audit, { target: `admin token ${input.name}`, before: publicToken(before), after: publicToken(after) })
      return publicToken(after)
    }),

    remove: adminProcedure.input(z.strictObject({ name: z.string().min(1) })).mutation(async ({ ctx, input }) => {
      const { s, sec } = state()
      const before = await findToken(input.name)
      await deleteAdminToken(s.db, input.name)
      await sec.reloadTokens()
      await sec.endSessionsOf('admin-token', input.name)
      Object.assign(ctx.audit, { target: `admin token ${input.name}`, before: publicToken(before), after: null })
      return { ok: true }
    }),
  }),
})
