import { z } from 'zod'
import { TRPCError } from '@trpc/server'
import { operatorProcedure, router, viewerProcedure } from '../init'
import { appState } from '../../services/app-state'
import { resolveModel } from '../../gateway/routing/resolve'
import { circuitStatus } from '../../gateway/pool/circuit'
import { configCall, requireState } from '../errors'
import { routeSchema } from '../../../shared/schemas/config-file'
import { removeEntity, saveRoute } from '../../services/config/admin-config'
import { loadStoredConfig } from '../../services/db/config-repo'

export const routesRouter = router({
  /** Route rules in the order they are tried (priority, then definition). */
  list: viewerProcedure.query(async () => {
    const s = requireState()
    const routes = (await loadStoredConfig(s.db, s.box)).routes
    return routes
      .map((r, order) => ({ ...r, order }))
      .sort((a, b) => b.priority - a.priority || a.order - b.order)
      .map(({ order: _o, ...r }) => r)
  }),
  create: operatorProcedure.input(routeSchema).mutation(({ input }) => configCall(() => saveRoute(input, 'create'))),
  update: operatorProcedure.input(routeSchema).mutation(({ input }) => configCall(() => saveRoute(input, 'update'))),
  remove: operatorProcedure.input(z.object({ name: z.string() })).mutation(({ input }) => configCall(() => removeEntity('route', input.name))),
  /** "Which target would serve this model name?": the same resolution the gateway uses, explained. */
  test: viewerProcedure.input(z.object({ model: z.string().min(1), provider: z.string().optional() })).query(({ input }) => {
    const s = appState()
    if (!s) throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'the server is starting' })
    const r = resolveModel(s.snapshot, input.model, input.provider)
    if (!r)
      return {
        matched: false as const,
        rule: null,
        why: `nothing serves '${input.model}': no model entry, route or default provider matches`,
        explain: { code: 'none' as const, params: { model: input.model } },
        targets: [],
      }
    const now = Date.now()
    return {
      matched: true as const,
      rule: r.rule,
      why: r.why,
      explain: r.explain,
      targets: r.targets.map((t) => ({
        provider: t.provider.id,
        model: t.model,
        role: t.role,
        capabilities: t.capabilities ?? null,
        circuit: circuitStatus(s.gateway.state.circuit(t.provider.id, t.model), now),
      })),
    }
  }),
})
