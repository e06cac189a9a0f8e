import { z } from 'zod'
import { TRPCError } from '@trpc/server'
import { operatorProcedure, router, viewerProcedure } from '../init'
import { appState } from '../../services/app-state'
import { keyStatus } from '../../gateway/pool/key-state'

function state() {
  const s = appState()
  if (!s) throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'the server is starting' })
  return s
}

/** Upstream keys with their live pool state. Secrets never leave: only the masked hint. */
export const keysRouter = router({
  list: viewerProcedure.input(z.object({ provider: z.string().optional() }).optional()).query(({ input }) => {
    const s = state()
    const now = Date.now()
    const out = []
    for (const p of s.snapshot.providers.values()) {
      if (input?.provider && p.id !== input.provider) continue
      for (const k of p.keys) {
        const ks = s.gateway.state.key(k.hash)
        out.push({
          id: k.id,
          provider: p.id,
          hint: k.hint,
          fingerprint: k.fingerprint,
          weight: k.weight,
          maxConcurrency: k.maxConcurrency,
          status: keyStatus(ks, now),
          restingUntil: ks.restUntil > now ? new Date(ks.restUntil).toISOString() : null,
          // Rate limits rest a key for one upstream model only; the key serves the others meanwhile.
          restingModels: [...(ks.models ?? [])].filter(([, m]) => m.until > now).map(([model, m]) => ({ model, until: new Date(m.until).toISOString() })),
          disabledReason: ks.disabledReason,
          inFlight: ks.inFlight,
          requests: ks.requests,
          successes: ks.successes,
          failures: ks.failures,
          inputTokens: ks.inputTokens,
          outputTokens: ks.outputTokens,
          lastUsed: ks.lastUsed ? new Date(ks.lastUsed).toISOString() : null,
          lastError: ks.lastError,
        })
      }
    }
    return out
  }),
  /** Brings a disabled or resting key back now. */
  enable: operatorProcedure.input(z.object({ id: z.number().int() })).mutation(({ input }) => {
    const s = state()
    s.gateway.state.enableKey(findKey(input.id).hash)
    return { ok: true }
  }),
  /** Takes a key out of rotation until someone enables it again. */
  disable: operatorProcedure.input(z.object({ id: z.number().int(), reason: z.string().max(300).default('disabled by an admin') })).mutation(({ input }) => {
    const s = state()
    s.gateway.state.disableKey(findKey(input.id).hash, Date.now(), input.reason)
    return { ok: true }
  }),
})

function findKey(id: number) {
  for (const p of state().snapshot.providers.values()) for (const k of p.keys) if (k.id === id) return k
  throw new TRPCError({ code: 'NOT_FOUND', message: `no key with id ${id}` })
}
