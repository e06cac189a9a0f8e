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

/** Who is logged in, what they may do, and the login/logout actions. */
export function useAuth() {
  const { $trpc } = useNuxtApp()

  /** Asks the server who we are (once per page load unless forced). */
  async function refresh(force = false): Promise<Me | null> {
    if (checked.value && !force) return me.value
    try {
      const r = await $trpc.auth.me.query()
      me.value = r.authenticated ? { name: r.name, role: r.role, canViewBodies: r.canViewBodies } : null
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
    return me.value
  }

  async function logout(): Promise<void> {
    await $trpc.auth.logout.mutate().catch(() => undefined)
    sessionStorage.removeItem(KEY_STORAGE)
    me.value = null
    checked.value = true
    await navigateTo('/admin/login')
  }

  /** Operators and admins change configuration; viewers only look. */
  const canEdit = computed(() => me.value?.role === 'admin' || me.value?.role === 'operator')
  /** Security settings (admin key, tokens, audit) are the admin's alone. */
  const isAdmin = computed(() => me.value?.role === 'admin')
  return { me: readonly(me), refresh, login, logout, canEdit, isAdmin }
}
