/**
 * Codes the server sends (error kinds, audit actions) turned into text in the chosen language.
 * The server keeps sending stable codes; only the admin decides how they read. A code without a
 * catalog entry shows as the code itself, so a new one is visible rather than blank.
 */
import en, { type MsgKey } from '~/locales/en'

function known(key: string): key is MsgKey {
  return Object.prototype.hasOwnProperty.call(en, key)
}

export function useServerText() {
  const { t } = useI18n()

  function errorKindText(kind: string | null | undefined): string {
    if (!kind) return ''
    const key = `errorKind.${kind}`
    return known(key) ? t(key) : kind
  }

  /** Audit actions are tRPC paths (`providers.create`, `auth.login`): namespace and verb read apart. */
  function auditActionText(action: string): string {
    const dot = action.lastIndexOf('.')
    if (dot < 0) return action
    const ns = `auditNs.${action.slice(0, dot)}`
    const verb = `auditVerb.${action.slice(dot + 1)}`
    if (!known(ns) || !known(verb)) return action
    return `${t(ns)} · ${t(verb)}`
  }

  return { errorKindText, auditActionText }
}
