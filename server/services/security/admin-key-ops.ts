import { appState, reloadSnapshot, type AppState } from '../app-state'
import { getSetting, setSetting } from '../db/settings-repo'
import { generateKey, hashKey, maskSecret } from './hashing'
import { principalForKey, sessionIdOf } from './principal'
import type { H3Event } from 'h3'
import type { Principal } from './roles'

export class AdminKeyFromEnvError extends Error {
  constructor() {
    super('the admin key is set by NUXT_ADMIN_KEY and cannot be rotated here: change the variable and restart')
  }
}

function state(): AppState {
  const s = appState()
  if (!s) throw new Error('the server is starting')
  return s
}

/**
 * A new root admin key, returned once. The old key stops at once: the hash in force changes, the
 * snapshot (and its cache of known keys) is rebuilt, and sessions opened with the old key end, all
 * but `keepSession` (the sha256 of the rotating caller's own session id): whoever rotated proved they
 * hold the key, and ending their session would lock them out while the new key is still on screen.
 */
export async function rotateAdminKey(opts: { keepSession?: string } = {}): Promise<string> {
  const s = state()
  if (s.adminKey.fromEnv) throw new AdminKeyFromEnvError()
  const key = generateKey('rsk-admin-')
  const now = new Date().toISOString()
  await setSetting(s.db, 'admin_key_hash', hashKey(key))
  await setSetting(s.db, 'admin_key_hint', maskSecret(key))
  await setSetting(s.db, 'admin_key_rotated_at', now)
  s.adminKey = { hash: hashKey(key), fromEnv: false }
  await s.security?.endSessionsOf('admin', undefined, opts.keepSession)
  await reloadSnapshot()
  return key
}

/** The hash of the caller's own admin-key session, when it called with one (the session rotation keeps). */
export function ownAdminSession(event: H3Event, who: Principal): string | undefined {
  if (who.via !== 'cookie' || who.kind !== 'admin') return undefined
  const sid = sessionIdOf(event)
  return sid ? hashKey(sid) : undefined
}

export async function adminKeyInfo() {
  const s = state()
  const get = (k: string) => getSetting(s.db, k)
  return {
    source: s.adminKey.fromEnv ? ('env' as const) : ('stored' as const),
    masked: s.adminKey.fromEnv ? maskSecret(s.settings.adminKey) : ((await get('admin_key_hint')) ?? null),
    created_at: (await get('admin_key_created_at')) ?? null,
    rotated_at: s.adminKey.fromEnv ? null : ((await get('admin_key_rotated_at')) ?? null),
    rotatable: !s.adminKey.fromEnv,
  }
}

/** What a key is: the admin key, an admin token, a client key, or nothing we know. */
export function validateKey(key: string): { valid: boolean; kind: 'admin' | 'admin-token' | 'client' | null; name: string | null; role?: string } {
  const p = principalForKey(key)
  if (p) return { valid: true, kind: p.kind, name: p.name, role: p.role }
  const c = appState()?.snapshot.clientKeys.get(hashKey(key))
  if (c && !(c.limits?.expiresAt !== undefined && c.limits.expiresAt <= Date.now())) return { valid: true, kind: 'client', name: c.name }
  return { valid: false, kind: null, name: null }
}
