import { z } from 'zod'
import { stringify } from 'yaml'
import { TRPCError } from '@trpc/server'
import { operatorProcedure, router, viewerProcedure } from '../init'
import { configCall, requireState } from '../errors'
import { loadStoredConfig } from '../../services/db/config-repo'
import { effectiveConfig } from '../../services/config/effective'
import { importConfig } from '../../services/config/import'
import { ConfigFileError, parseConfigText } from '../../services/config/load-file'

/** Config as code: export the effective configuration as YAML, import a file (dry run first). */
export const configRouter = router({
  status: viewerProcedure.query(() => {
    const s = requireState()
    return { file: s.configFile, loadedAt: s.configLoadedAt?.toISOString() ?? null, lastError: s.configError }
  }),
  /** Lossless (every entry, every field; keys with their fingerprint); keys masked unless `reveal`, which is for admins only. */
  export: operatorProcedure.input(z.object({ reveal: z.boolean().default(false) }).optional()).query(async ({ input, ctx }) => {
    if (input?.reveal && ctx.principal?.role !== 'admin') throw new TRPCError({ code: 'FORBIDDEN', message: 'revealing keys needs the admin role' })
    const s = requireState()
    const { _sources, ...cfg } = effectiveConfig(await loadStoredConfig(s.db, s.box), input?.reveal ?? false, true)
    void _sources
    return { yaml: stringify(cfg, { lineWidth: 0 }) }
  }),
  import: operatorProcedure.input(z.object({ yaml: z.string().max(5_000_000), dryRun: z.boolean().default(true) })).mutation(({ input }) =>
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
