import type { Role } from '#shared/schemas/security'

export type { Role }

export interface Me {
  name: string
  role: Role
  canViewBodies: boolean
}

const KEY_STORAGE = 'rosetta.adminKey'

/**
 * A key this tab keeps for scripted use (sessionStorage: gone when the tab closes). The UI itself logs
 * in with an httpOnly session cookie and keeps no key; the server still accepts Bearer for the CLI.
 */
export function bearerKey(): string | null {
  return import.meta.client ? sessionStorage.getItem(KEY_STORAGE) : null
}

const me = ref<Me | null>(null)
const checked = ref(false)
/** The server said a session cookie came with the call but its session is over (auth.me). */
const ended = ref(false)
/** The login page's `reason` when a session ended (it then says "session expired"). */
export const SESSION_EXPIRED = 'expired'
/** Set while the page is on its way to the login page, so a burst of refused calls navigates once. */
let leaving = false

/** Who is logged in, what they may do, and the login/logout actions. */
export function useAuth() {
  const { $trpc } = useNuxtApp()

  /** Asks the server who we are (once per page load unless forced). */
  async function refresh(force = false): Promise<Me | null> {
    if (checked.value && !force) return me.value
    try {
      const r = await $trpc.auth.me.query()
      me.value = r.authenticated ? { name: r.name, role: r.role, canViewBodies: r.canViewBodies } : null
      ended.value = !r.authenticated && 'sessionEnded' in r && r.sessionEnded === true
    } catch {
      me.value = null
    }
    checked.value = true
    return me.value
  }

  /** Exchanges the key for a session cookie; throws the server's reason when it is refused. */
  async function login(key: string): Promise<Me> {
    const r = await $trpc.auth.login.mutate({ key: key.trim() })
    me.value = { name: r.name, role: r.role, canViewBodies: r.canViewBodies }
    checked.value = true
    ended.value = false
    return me.value
  }

  /**
   * The server refused a call for want of a session: it expired, was revoked, or ended when the admin
   * key was rotated elsewhere. Forget who we were (so no page keeps showing empty numbers) and go to
   * the login page, which says "session expired" and brings the user back here after signing in.
   */
  async function sessionEnded(): Promise<void> {
    const route = useRoute()
    if (leaving || route.path === '/admin/login') return
    leaving = true
    me.value = null
    checked.value = true
    ended.value = false
    sessionStorage.removeItem(KEY_STORAGE)
    try {
      await navigateTo(loginRoute(route.fullPath, true))
    } finally {
      leaving = false
    }
  }

  async function logout(): Promise<void> {
    await $trpc.auth.logout.mutate().catch(() => undefined)
    sessionStorage.removeItem(KEY_STORAGE)
    me.value = null
    checked.value = true
    ended.value = false
    await navigateTo('/admin/login')
  }

  /** Operators and admins change configuration; viewers only look. */
  const canEdit = computed(() => me.value?.role === 'admin' || me.value?.role === 'operator')
  /** Security settings (admin key, tokens, audit) are the admin's alone. */
  const isAdmin = computed(() => me.value?.role === 'admin')
  return { me: readonly(me), ended: readonly(ended), refresh, login, logout, sessionEnded, canEdit, isAdmin }
}

/** The login page, remembering where to go back to and whether to say the session expired. */
export function loginRoute(from: string, expired: boolean) {
  const query: Record<string, string> = {}
  if (from !== '/admin' && from.startsWith('/admin') && !from.startsWith('/admin/login')) query.next = from
  if (expired) query.reason = SESSION_EXPIRED
  return { path: '/admin/login', query }
}
