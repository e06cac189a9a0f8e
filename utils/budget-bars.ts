/** A client key's limits and usage, as much of them as the budget bars need. */
interface BudgetSource {
  dayTokens: number | null
  monthTokens: number | null
  dayUsd: number | null
  monthUsd: number | null
  usage: { dayTokens: number; monthTokens: number; dayUsd: number; monthUsd: number }
}

export interface BudgetBar {
  id: 'dayUsd' | 'monthUsd' | 'dayTokens' | 'monthTokens'
  /** "$3.20 of $10 today" */
  label: string
  /** 0..100, capped: a key can overshoot by what was in flight when the limit was reached. */
  percent: number
}

type Translate = (key: 'ck.ofToday' | 'ck.ofMonth', vars: Record<string, string>) => string

/** One bar per budget that is set, spent against its limit. */
export function budgetBars(r: BudgetSource, t: Translate): BudgetBar[] {
  const usd = (n: number) => `$${n.toFixed(2)}`
  const tok = (n: number) => new Intl.NumberFormat().format(Math.round(n))
  const bars: BudgetBar[] = []
  const add = (id: BudgetBar['id'], used: number, limit: number | null, fmt: (n: number) => string, per: 'ck.ofToday' | 'ck.ofMonth', unit = '') => {
    if (!limit) return
    bars.push({ id, label: t(per, { used: fmt(used) + unit, limit: fmt(limit) + unit }), percent: Math.min(100, Math.round((used / limit) * 100)) })
  }
  add('dayUsd', r.usage.dayUsd, r.dayUsd, usd, 'ck.ofToday')
  add('monthUsd', r.usage.monthUsd, r.monthUsd, usd, 'ck.ofMonth')
  add('dayTokens', r.usage.dayTokens, r.dayTokens, tok, 'ck.ofToday', ' tok')
  add('monthTokens', r.usage.monthTokens, r.monthTokens, tok, 'ck.ofMonth', ' tok')
  return bars
}
