import { z } from 'zod'
import { adminProcedure, router } from '../init'
import { configCall, requireState } from '../errors'
import { modelEntrySchema } from '../../../shared/schemas/config-file'
import { removeEntity, saveModel } from '../../services/config/admin-config'
import { loadStoredConfig } from '../../services/db/config-repo'

/** Public model names and their weighted targets and fallbacks. */
export const modelsRouter = router({
  list: adminProcedure.query(async () => {
    const s = requireState()
    return (await loadStoredConfig(s.db, s.box)).models
  }),
  create: adminProcedure.input(modelEntrySchema).mutation(({ input }) => configCall(() => saveModel(input, 'create'))),
  update: adminProcedure.input(modelEntrySchema).mutation(({ input }) => configCall(() => saveModel(input, 'update'))),
  remove: adminProcedure.input(z.object({ name: z.string() })).mutation(({ input }) => configCall(() => removeEntity('model', input.name))),
})
