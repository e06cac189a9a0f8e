import { chmodSync, writeFileSync } from 'node:fs'
import { logger } from '../../utils/logger'

/**
 * Hands the admin key generated at first boot to the operator, once. By default it is in the boot
 * log; with NUXT_ADMIN_KEY_FILE it goes to that file (mode 0600) instead, for platforms that keep
 * their logs where a secret should not be. A file that cannot be written falls back to the log, so
 * the key (stored only as a hash) is never lost.
 */
export function announceAdminKey(key: string, file: string): void {
  if (file) {
    try {
      writeFileSync(file, `${key}\n`, { mode: 0o600 })
      // `mode` applies only when the file is created: tighten one that was already there.
      chmodSync(file, 0o600)
      logger.info('a new admin key was generated and written to the admin key file (shown nowhere else)', { file })
      return
    } catch (e) {
      logger.warn('cannot write the admin key file: the key is in the next log line instead', { file, error: (e as Error).message })
    }
  }
  logger.info('a new admin key was generated; it is shown only this once, store it safely', { adminKey: key })
}
