import { z } from 'zod'
import { stringify } from 'yaml'
import { TRPCError } from '@trpc/server'
import { adminProcedure, router } from '../init'
import { configCall, requireState } from '../errors'
import { loadStoredConfig } from '../../services/db/config-repo'
import { effectiveConfig } from '../../services/config/effective'
import { importConfig } from '../../services/config/import'
import { ConfigFileError, parseConfigText } from '../../services/config/load-file'

/** Config as code: export the effective configuration as YAML, import a file (dry run first). */
export const configRouter = router({
  status: adminProcedure.query(() => {
    const s = requireState()
    return { file: s.configFile, loadedAt: s.configLoadedAt?.toISOString() ?? null, lastError: s.configError }
  }),
  export: adminProcedure.input(z.object({ reveal: z.boolean().default(false) }).optional()).query(async ({ input }) => {
    const s = requireState()
    const { _sources, ...cfg } = effectiveConfig(await loadStoredConfig(s.db, s.box), input?.reveal ?? false)
    void _sources
    return { yaml: stringify(cfg, { lineWidth: 0 }) }
  }),
  import: adminProcedure.input(z.object({ yaml: z.string().max(5_000_000), dryRun: z.boolean().default(true) })).mutation(({ input }) =>
    configCall(async () => {
      let cfg
      try {
        cfg = parseConfigText(input.yaml, 'the imported file')
      } catch (e) {
        if (e instanceof ConfigFileError) throw new TRPCError({ code: 'BAD_REQUEST', message: e.message })
        throw e
      }
      return importConfig(cfg, input.dryRun)
    }),
  ),
})
