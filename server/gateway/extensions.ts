import type { ExtensionConfig, PluginUseConfig } from '../../shared/schemas/config-file'

/** The response cache as one request gets it. */
export interface CachePolicy {
  ttlS: number
  anyTemperature: boolean
}

/**
 * What a model entry, route or client key adds to the requests it serves (issue 19), compiled once per
 * snapshot. Absent on an entry that declares neither, so a plain request checks two fields and
 * allocates nothing.
 */
export interface RequestExtensions {
  /** false: declared off (a client key turning off its model entry's cache). */
  cache?: CachePolicy | false
  plugins?: readonly PluginUseConfig[]
}

export function compileExtensions(e: { cache?: ExtensionConfig['cache'] | null; plugins?: ExtensionConfig['plugins'] | null } | undefined): RequestExtensions | undefined {
  if (!e) return undefined
  const plugins = e.plugins?.length ? e.plugins : undefined
  const cache = e.cache ? (e.cache.enabled ? { ttlS: e.cache.ttl_s, anyTemperature: e.cache.any_temperature } : (false as const)) : undefined
  return plugins || cache !== undefined ? { cache, plugins } : undefined
}

/**
 * One request's extensions: the model entry's or route's, then the client key's. The key's cache
 * setting, when it has one, wins; plugins run the entry's first, then the key's.
 */
export function combineExtensions(entry: RequestExtensions | undefined, key: RequestExtensions | undefined): RequestExtensions | undefined {
  if (!key) return entry
  if (!entry) return key
  const plugins = entry.plugins && key.plugins ? [...entry.plugins, ...key.plugins] : (entry.plugins ?? key.plugins)
  return { cache: key.cache !== undefined ? key.cache : entry.cache, plugins }
}
