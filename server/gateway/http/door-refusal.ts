import type { DialectName } from '../ir'

/**
 * A URL that names a public door but cannot be served: answered in that door's dialect (a 404 for a
 * Gemini method we do not serve, a 400 for a path whose percent-encoding is malformed).
 */
export interface DoorRefusal {
  refused: 'unknown-method' | 'bad-encoding'
  dialect: DialectName
  message: string
}

/** The path as it may be quoted back: capped, so an overlong URL does not become an overlong error. */
export function shownPath(path: string): string {
  return path.length > 200 ? `${path.slice(0, 200)}…` : path
}

export function badEncoding(dialect: DialectName, path: string): DoorRefusal {
  return { refused: 'bad-encoding', dialect, message: `malformed percent-encoding in the URL path '${shownPath(path)}'` }
}
