/**
 * Light or dark: Element Plus's dark theme is its CSS variables under `html.dark`, so the whole
 * choice is one class on <html>. `system` (the default) follows the OS setting live; a choice of
 * light or dark is remembered in this browser.
 */
export type ThemeChoice = 'system' | 'light' | 'dark'
export const THEME_CHOICES: ThemeChoice[] = ['system', 'light', 'dark']
const STORAGE_KEY = 'rosetta.theme'

function saved(): ThemeChoice {
  if (!import.meta.client) return 'system'
  const v = localStorage.getItem(STORAGE_KEY)
  return v === 'light' || v === 'dark' ? v : 'system'
}

const choice = ref<ThemeChoice>(saved())
const systemDark = ref(false)

/** The theme in effect: the choice, or the system's when the choice is `system`. */
const dark = computed(() => (choice.value === 'system' ? systemDark.value : choice.value === 'dark'))

if (import.meta.client) {
  const mq = window.matchMedia('(prefers-color-scheme: dark)')
  systemDark.value = mq.matches
  mq.addEventListener('change', (e) => (systemDark.value = e.matches))
  // Applied before the first render (this module loads with the app), so no page flashes white.
  watch(dark, (d) => document.documentElement.classList.toggle('dark', d), { immediate: true })
}

function setTheme(c: ThemeChoice): void {
  choice.value = c
  if (!import.meta.client) return
  if (c === 'system') localStorage.removeItem(STORAGE_KEY)
  else localStorage.setItem(STORAGE_KEY, c)
}

export function useTheme() {
  return { choice: readonly(choice), dark, setTheme }
}
