import type { RosettaPlugin } from './api'
import { BUILTIN_PLUGINS } from './builtins'
import { entryOf } from '../../../shared/map-entry'

/** A plugin's failures since boot, for /metrics and /health/detailed. */
export interface PluginHealth {
  name: string
  builtin: boolean
  /** Where it was loaded from (a file under NUXT_PLUGINS_DIR); absent for built-ins. */
  file?: string
  errors: number
  timeouts: number
  lastError: string | null
  lastErrorAt: string | null
}

/**
 * The plugins a request may name: the built-ins plus the modules loaded from NUXT_PLUGINS_DIR (a
 * loaded plugin with a built-in's name replaces it). Replaced as a whole on config reload (the failure
 * counts carry over); a request keeps the registry it started with.
 */
export class PluginRegistry {
  private readonly byName = new Map<string, { plugin: RosettaPlugin; builtin: boolean; file?: string }>()
  private readonly health: Map<string, PluginHealth>
  /** Modules under NUXT_PLUGINS_DIR that could not be loaded (file → reason). */
  readonly loadErrors: Array<{ file: string; error: string }> = []

  /** `previous`: the registry this one replaces (a reload); its failure counts carry over. */
  constructor(loaded: ReadonlyArray<{ plugin: RosettaPlugin; file: string }> = [], previous?: PluginRegistry) {
    this.health = previous?.health ?? new Map<string, PluginHealth>()
    for (const p of BUILTIN_PLUGINS) this.byName.set(p.name, { plugin: p, builtin: true })
    for (const l of loaded) this.byName.set(l.plugin.name, { plugin: l.plugin, builtin: false, file: l.file })
  }

  get(name: string): RosettaPlugin | undefined {
    return this.byName.get(name)?.plugin
  }

  /** Counts a failure (a throw, a denial by fail-closed, a time budget passed) against a plugin. */
  failed(name: string, kind: 'error' | 'timeout', message: string): void {
    const h = this.healthOf(name)
    if (kind === 'timeout') h.timeouts++
    else h.errors++
    h.lastError = message.slice(0, 300)
    h.lastErrorAt = new Date().toISOString()
  }

  /** Every known plugin and its failures (plugins named in the configuration but not loaded included). */
  report(): PluginHealth[] {
    for (const name of this.byName.keys()) this.healthOf(name)
    return [...this.health.values()].sort((a, b) => a.name.localeCompare(b.name))
  }

  private healthOf(name: string): PluginHealth {
    return entryOf(this.health, name, () => {
      const e = this.byName.get(name)
      return { name, builtin: e?.builtin ?? false, file: e?.file, errors: 0, timeouts: 0, lastError: null, lastErrorAt: null }
    })
  }
}
