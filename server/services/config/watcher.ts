import { watch, type FSWatcher } from 'node:fs'
import { basename, dirname } from 'node:path'
import { loadConfigFile } from './load-file'
import { applyConfigFile } from '../db/config-repo'
import { appState, reloadSnapshot } from '../app-state'
import { logger } from '../../utils/logger'

/**
 * rosetta.yaml is re-applied when it changes (debounced). The directory is watched, not the file:
 * editors save by writing a new file and renaming it over the old one. An invalid file changes
 * nothing: the running configuration stays and the error is kept for the UI and /health/detailed.
 */
export function watchConfigFile(file: string, debounceMs = 200): FSWatcher {
  let timer: NodeJS.Timeout | undefined
  const name = basename(file)
  const w = watch(dirname(file), (_event, changed) => {
    if (changed && changed !== name) return
    clearTimeout(timer)
    timer = setTimeout(() => void reapply(file), debounceMs)
  })
  w.unref()
  return w
}

export async function reapply(file: string): Promise<boolean> {
  const s = appState()
  if (!s) return false
  try {
    const cfg = loadConfigFile(file)
    await applyConfigFile(s.db, s.box, cfg)
    await reloadSnapshot()
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
