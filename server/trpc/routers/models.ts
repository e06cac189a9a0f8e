import { z } from 'zod'
import { operatorProcedure, router, viewerProcedure } from '../init'
import { configCall, requireState } from '../errors'
import { modelEntrySchema } from '../../../shared/schemas/config-file'
import { removeEntity, saveModel } from '../../services/config/admin-config'
import { loadStoredConfig } from '../../services/db/config-repo'
import { modelHub } from '../../services/model-hub'

/** Public model names and their weighted targets and fallbacks. */
export const modelsRouter = router({
  list: viewerProcedure.query(async () => {
    const s = requireState()
    return (await loadStoredConfig(s.db, s.box)).models
  }),
  /** The model hub: every public name with its routing, price, capabilities and last-24h use. */
  hub: viewerProcedure.query(() => modelHub(requireState())),
  /**
   * Model discovery: each enabled provider's own model ids (its /models list, cached 10 minutes), for
   * autocomplete in the model, route and target forms. A provider whose list fails offers none.
   */
  offered: viewerProcedure.query(async () => {
    const s = requireState()
    const offered = await s.modelCatalog.offered(s.snapshot)
    return Object.fromEntries([...offered].map(([provider, models]) => [provider, models.map((m) => m.id)]))
  }),
  create: operatorProcedure.input(modelEntrySchema).mutation(({ input }) => configCall(() => saveModel(input, 'create'))),
  update: operatorProcedure.input(modelEntrySchema).mutation(({ input }) => configCall(() => saveModel(input, 'update'))),
  remove: operatorProcedure.input(z.object({ name: z.string() })).mutation(({ input }) => configCall(() => removeEntity('model', input.name))),
})
