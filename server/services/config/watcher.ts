import { createHash } from 'node:crypto'
import { loadConfigFile, parseConfigText, readConfigText } from './load-file'
import { followFile, type FileFollower, type FollowOptions } from './follow-file'
import { applyConfigFile } from '../db/config-repo'
import { PgDatabase } from '../db/postgres/pg-database'
import { applyConfigOnce } from './apply-once'
import { appState, reloadPlugins, reloadSnapshot, whenReady } from '../app-state'
import { logger } from '../../utils/logger'

/** The hash `followFile` compares against: the content boot applied (null: there was no file). */
export function configTextHash(text: string | null): string | null {
  return text === null ? null : createHash('sha256').update(text).digest('hex')
}

/**
 * rosetta.yaml is re-applied when its content changes: written in place, replaced by an editor's
 * rename, swapped the Kubernetes ConfigMap way (a `..data` symlink renamed over), or created after
 * boot (see follow-file.ts). Re-applies run one at a time, after boot has finished. An invalid file
 * changes nothing: the running configuration stays and the error is kept for the UI and
 * /health/detailed.
 */
export function watchConfigFile(file: string, appliedText: string | null, opts: FollowOptions = {}): FileFollower {
  let queue: Promise<unknown> = Promise.resolve()
  return followFile(
    file,
    () => {
      queue = queue.then(() => whenReady().then(() => reapply(file))).catch(() => undefined)
    },
    { ...opts, initial: configTextHash(appliedText) },
  )
}

export async function reapply(file: string): Promise<boolean> {
  const s = appState()
  if (!s) return false
  try {
    const text = readConfigText(file)
    // No file: loadConfigFile throws the error that says so.
    const cfg = text === null ? loadConfigFile(file) : parseConfigText(text, file)
    const store = s.store
    // PostgreSQL: every instance sees the edit; the first applies it, the others load what it wrote.
    if (store instanceof PgDatabase) await applyConfigOnce(store, configTextHash(text!)!, () => applyConfigFile(store, s.box, cfg))
    else await applyConfigFile(s.db, s.box, cfg)
    await reloadPlugins()
    await reloadSnapshot()
    // The snapshot's reload published `config`; the plugins folder is re-read on a reload only, so say so too.
    s.cluster.pluginsReloaded()
    s.configFile = file
    s.configLoadedAt = new Date()
    s.configError = null
    logger.info('configuration re-applied', { file })
    return true
  } catch (e) {
    s.configError = { message: (e as Error).message, at: new Date().toISOString() }
    logger.error('configuration file rejected; the running configuration is unchanged', { file, error: (e as Error).message })
    return false
  }
}
