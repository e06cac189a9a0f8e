import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { defineNuxtModule } from 'nuxt/kit'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

/**
 * Builds the log encoder thread's entry (server/services/log/encoding/encoder-worker.ts) into
 * .output/server/log-encoder-worker.mjs, next to the server entry, where the writers look for it.
 * Nitro bundles one server entry; a worker thread needs a file of its own that does not start the
 * app, so it is bundled separately, self-contained (its few packages inlined), once Nitro is done.
 */
export default defineNuxtModule({
  meta: { name: 'rosetta-log-encoder-worker' },
  setup(_options, nuxt) {
    if (nuxt.options.dev) return
    nuxt.hook('nitro:init', (nitro) => {
      nitro.hooks.hook('compiled', async () => {
        await build({
          entryPoints: [join(ROOT, 'server/services/log/encoding/encoder-worker.ts')],
          outfile: join(nitro.options.output.serverDir, 'log-encoder-worker.mjs'),
          bundle: true,
          platform: 'node',
          format: 'esm',
          target: 'node20',
          alias: { '#shared': join(ROOT, 'shared'), '~~': ROOT.replace(/\/$/, '') },
          logLevel: 'warning',
        })
      })
    })
  },
})
