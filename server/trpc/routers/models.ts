import { z } from 'zod'
import { operatorProcedure, router, viewerProcedure } from '../init'
import { configCall, requireState } from '../errors'
import { modelEntrySchema } from '../../../shared/schemas/config-file'
import { removeEntity, saveModel } from '../../services/config/admin-config'
import { loadStoredConfig } from '../../services/db/config-repo'

/** Public model names and their weighted targets and fallbacks. */
export const modelsRouter = router({
  list: viewerProcedure.query(async () => {
    const s = requireState()
    return (await loadStoredConfig(s.db, s.box)).models
  }),
  create: operatorProcedure.input(modelEntrySchema).mutation(({ input }) => configCall(() => saveModel(input, 'create'))),
  update: operatorProcedure.input(modelEntrySchema).mutation(({ input }) => configCall(() => saveModel(input, 'update'))),
  remove: operatorProcedure.input(z.object({ name: z.string() })).mutation(({ input }) => configCall(() => removeEntity('model', input.name))),
})
