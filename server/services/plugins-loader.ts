import { readdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { defineRosettaPlugin, type RosettaPlugin } from '../gateway/plugins/api'
import { PluginRegistry } from '../gateway/plugins/registry'
import { logger } from '../utils/logger'

const MODULE = /\.(mjs|js)$/

/**
 * The plugin registry: the built-ins plus every ES module (`*.mjs`, `*.js`) directly in NUXT_PLUGINS_DIR,
 * whose default export (or `plugin` export) is a plugin object (docs/plugins.md). Read at boot and on
 * every config reload (each load imports the files afresh). A module that fails to load or is not a
 * plugin is logged and reported in /health/detailed; it never stops the boot or the reload.
 */
export async function loadPlugins(dir: string, previous?: PluginRegistry): Promise<PluginRegistry> {
  const loaded: Array<{ plugin: RosettaPlugin; file: string }> = []
  const errors: Array<{ file: string; error: string }> = []
  if (dir) {
    const root = resolve(dir)
    let files: string[] = []
    try {
      files = (await readdir(root)).filter((f) => MODULE.test(f)).sort()
    } catch (e) {
      errors.push({ file: root, error: `cannot read the plugins folder: ${(e as Error).message}` })
    }
    // A fresh URL per load, so a reload sees an edited file (Node caches modules by URL).
    const version = Date.now()
    for (const f of files) {
      const file = join(root, f)
      try {
        const mod = (await import(/* @vite-ignore */ `${pathToFileURL(file).href}?v=${version}`)) as { default?: unknown; plugin?: unknown }
        const plugin = defineRosettaPlugin((mod.default ?? mod.plugin) as RosettaPlugin)
        loaded.push({ plugin, file })
      } catch (e) {
        errors.push({ file, error: (e as Error).message })
      }
    }
  }
  const registry = new PluginRegistry(loaded, previous)
  registry.loadErrors.push(...errors)
  for (const e of errors) logger.error('plugin not loaded', e)
  if (loaded.length) logger.info('plugins loaded', { dir, plugins: loaded.map((l) => l.plugin.name) })
  return registry
}
