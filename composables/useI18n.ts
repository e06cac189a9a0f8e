import en, { type MsgKey } from '~/locales/en'
import zhCN from '~/locales/zh-CN'

export type Lang = 'en' | 'zh-CN'
export const LANGS: { value: Lang; label: string }[] = [
  { value: 'en', label: 'English' },
  { value: 'zh-CN', label: '简体中文' },
]

const DICTS: Record<Lang, Record<MsgKey, string>> = { en, 'zh-CN': zhCN }
const STORAGE_KEY = 'rosetta.lang'

/** The remembered choice first, then the browser's language (any zh-* reads Chinese). */
function initialLang(): Lang {
  if (!import.meta.client) return 'en'
  const saved = localStorage.getItem(STORAGE_KEY)
  if (saved === 'en' || saved === 'zh-CN') return saved
  return (navigator.languages ?? [navigator.language]).some((l) => l.toLowerCase().startsWith('zh')) ? 'zh-CN' : 'en'
}

// One module-level ref: the admin is a client-rendered SPA, so there is one user per page.
const lang = ref<Lang>(initialLang())

/** Keys built at run time from a closed set of values (`keys.status.${status}`). */
type DynamicKey = `${'keys.status' | 'monitor.provider' | 'monitor.status' | 'play.dialects' | 'providers.circuitState' | 'role' | 'routes.matchType' | 'settings.actions' | 'settings.mode' | 'settings.modeHint' | 'logs.status' | 'audit.outcome' | 'ck.limit' | 'theme' | 'tester' | 'tester.role'}.${string}`

/** `t('key', { n: 3 })` replaces `{n}`; an unknown key shows itself, so a gap is visible, not blank. */
function t(key: MsgKey | DynamicKey, params?: Record<string, string | number>): string {
  let s = DICTS[lang.value][key as MsgKey] ?? en[key as MsgKey] ?? key
  if (params) for (const [k, v] of Object.entries(params)) s = s.replaceAll(`{${k}}`, String(v))
  return s
}

function setLang(l: Lang): void {
  lang.value = l
  if (import.meta.client) {
    localStorage.setItem(STORAGE_KEY, l)
    document.documentElement.lang = l
  }
}

export function useI18n() {
  return { lang: readonly(lang), t, setLang }
}
