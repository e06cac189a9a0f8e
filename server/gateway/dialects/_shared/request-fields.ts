import { invalidRequest } from '../../errors'

/** An optional numeric request field: absent or null → undefined; anything but a finite number → 400 naming `field`. */
export function optionalNumber(v: unknown, field: string): number | undefined {
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalidRequest(`${field}: expected a number`, field)
  return v
}
