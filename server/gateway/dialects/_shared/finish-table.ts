import type { UnifiedFinishReason } from '../../ir'

/**
 * A dialect's finish vocabulary as one table (raw wire value → unified) read as a function. A value
 * the table does not know is 'other': a vendor's new reason must not fail a request. Own keys only,
 * so a raw `constructor` is not mistaken for an entry.
 */
export function finishTable(table: Readonly<Record<string, UnifiedFinishReason>>): (raw: string) => UnifiedFinishReason {
  return (raw) => (Object.hasOwn(table, raw) ? table[raw]! : 'other')
}
