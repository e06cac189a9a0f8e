import { z } from 'zod'
import { TRPCError } from '@trpc/server'
import { operatorProcedure, router, viewerProcedure } from '../init'
import { configCall, requireState } from '../errors'
import { providerKeySchema, providerSchema } from '../../../shared/schemas/config-file'
import { addProviderKeys, removeEntity, removeProviderKey, saveProvider, setDefaultProvider } from '../../services/config/admin-config'
import { loadStoredConfig } from '../../services/db/config-repo'
import { effectiveConfig } from '../../services/config/effective'
import { keyStatus } from '../../gateway/pool/key-state'
import { worstCircuit } from '../../gateway/pool/circuit'

/** Providers and their key pools. Keys are only ever returned masked. */
export const providersRouter = router({
  list: viewerProcedure.query(async () => {
    const s = requireState()
    const stored = await loadStoredConfig(s.db, s.box)
    const eff = effectiveConfig(stored, false)
    const now = Date.now()
    return stored.providers.map((p, i) => {
      const states = p.keys.map((k) => keyStatus(s.gateway.state.key(k.hash), now))
      return {
        ...eff.providers[i]!,
        source: p.source,
        isDefault: stored.defaultProvider === p.id,
        circuit: worstCircuit(s.gateway.state, p.id, now),
        keyCounts: {
          total: p.keys.length,
          active: states.filter((x, j) => x === 'active' && p.keys[j]!.enabled).length,
          resting: states.filter((x) => x === 'resting').length,
          disabled: states.filter((x, j) => x === 'disabled' || !p.keys[j]!.enabled).length,
        },
      }
    })
  }),
  get: viewerProcedure.input(z.object({ id: z.string() })).query(async ({ input }) => {
    const s = requireState()
    const eff = effectiveConfig(await loadStoredConfig(s.db, s.box), false)
    const p = eff.providers.find((x) => x.id === input.id)
    if (!p) throw new TRPCError({ code: 'NOT_FOUND', message: `provider '${input.id}' does not exist` })
    return { ...p, source: eff._sources[`provider:${p.id}`] }
  }),
  create: operatorProcedure.input(providerSchema).mutation(({ input }) => configCall(() => saveProvider(input, 'create'))),
  /** Replaces the provider's settings; `keys: []` keeps the pool as it is. */
  update: operatorProcedure.input(providerSchema).mutation(({ input }) => configCall(() => saveProvider(input, 'update'))),
  remove: operatorProcedure.input(z.object({ id: z.string() })).mutation(({ input }) => configCall(() => removeEntity('provider', input.id))),
  /** Adds many keys at once; keys already in the pool are skipped. Returns how many were added. */
  addKeys: operatorProcedure
    .input(z.object({ id: z.string(), keys: z.array(providerKeySchema).min(1).max(10_000) }))
    .mutation(({ input }) => configCall(async () => ({ added: await addProviderKeys(input.id, input.keys) }))),
  removeKey: operatorProcedure.input(z.object({ keyId: z.number().int() })).mutation(({ input }) => configCall(() => removeProviderKey(input.keyId))),
  setDefault: operatorProcedure.input(z.object({ id: z.string().nullable() })).mutation(({ input }) => configCall(() => setDefaultProvider(input.id))),
})
