/** Small display helpers shared by the pages. */
import { costState, ratio, usdText } from '~/utils/display-numbers'

export function splitLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean)
}

// Intl formatters are costly to build (toLocaleString builds one per call): one per language and
// digit count, reused. The language is the one chosen in the admin, not the browser's locale.
const numFormats = new Map<string, Intl.NumberFormat>()
const timeFormats = new Map<string, Intl.DateTimeFormat>()

export function fmtNum(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—'
  const lang = useI18n().lang.value
  const key = `${lang}|${digits}`
  let f = numFormats.get(key)
  if (!f) numFormats.set(key, (f = new Intl.NumberFormat(lang, { maximumFractionDigits: digits, minimumFractionDigits: 0 })))
  return f.format(n)
}

/** A rate as a percentage; '—' when there is none (NaN included: never "NaN%"). */
export function fmtPct(r: number | null | undefined): string {
  return r === null || r === undefined || !Number.isFinite(r) ? '—' : `${(r * 100).toFixed(1)}%`
}

/** An error rate: '—' over zero requests, not 0.0%. */
export function fmtErrorRate(errors: number | null | undefined, requests: number | null | undefined): string {
  return fmtPct(ratio(errors, requests))
}

export function fmtMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—'
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`
}

export function fmtUsd(n: number | null | undefined): string {
  return usdText(n)
}

/** A summed cost that may leave out unpriced requests: "no price" when none had one. */
export function fmtCost(costUsd: number | null | undefined, unpriced: number | null | undefined): string {
  return costState(costUsd, unpriced) === 'none' ? useI18n().t('cost.noPrice') : usdText(costUsd)
}

export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '—'
  const lang = useI18n().lang.value
  let f = timeFormats.get(lang)
  if (!f) timeFormats.set(lang, (f = new Intl.DateTimeFormat(lang, { dateStyle: 'short', timeStyle: 'medium' })))
  return f.format(new Date(iso))
}

export function fmtBytes(mb: number | null | undefined): string {
  if (mb === null || mb === undefined) return '—'
  return mb >= 1024 ? `${(mb / 1024).toFixed(1)} GB` : `${mb.toFixed(1)} MB`
}

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    // Over plain http the clipboard API is missing: fall back to a hidden textarea.
    const el = document.createElement('textarea')
    el.value = text
    document.body.appendChild(el)
    el.select()
    const ok = document.execCommand('copy')
    el.remove()
    return ok
  }
}

const clockFormats = new Map<string, Intl.DateTimeFormat>()
/** A time of day in the chosen language (chart axis labels). */
export function fmtClock(ms: number): string {
  const lang = useI18n().lang.value
  let f = clockFormats.get(lang)
  if (!f) clockFormats.set(lang, (f = new Intl.DateTimeFormat(lang, { timeStyle: 'medium' })))
  return f.format(new Date(ms))
}
