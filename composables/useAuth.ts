export type Role = 'admin' | 'operator' | 'viewer'

export interface Me {
  name: string
  role: Role
  canViewBodies: boolean
}

const KEY_STORAGE = 'rosetta.adminKey'

/** The key this tab logged in with, if it keeps one (sessionStorage: gone when the tab closes). */
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
      if (!bearerKey()) me.value = null
      else {
        await $trpc.ops.mode.get.query()
        me.value = { name: 'admin', role: 'admin', canViewBodies: true }
      }
    } catch {
      me.value = null
    }
    checked.value = true
    return me.value
  }

  /** Throws the server's reason when the key is refused. */
  async function login(key: string): Promise<Me> {
    sessionStorage.setItem(KEY_STORAGE, key.trim())
    try {
      await $trpc.ops.mode.get.query()
    } catch (e) {
      sessionStorage.removeItem(KEY_STORAGE)
      throw e
    }
    me.value = { name: 'admin', role: 'admin', canViewBodies: true }
    checked.value = true
    return me.value
  }

  async function logout(): Promise<void> {
    sessionStorage.removeItem(KEY_STORAGE)
    me.value = null
    checked.value = true
    await navigateTo('/admin/login')
  }

  const canEdit = computed(() => me.value?.role === 'admin' || me.value?.role === 'operator')
  const isAdmin = computed(() => me.value?.role === 'admin')
  return { me: readonly(me), refresh, login, logout, canEdit, isAdmin }
}
