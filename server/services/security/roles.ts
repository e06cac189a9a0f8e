import type { Role } from '../../../shared/schemas/security'

export type { Role }

const RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 }

/** True when a caller with role `have` may do what needs role `need`. */
export function roleAllows(have: Role, need: Role): boolean {
  return RANK[have] >= RANK[need]
}

/** Who is calling the admin API, however they proved it. */
export interface Principal {
  /** `admin`: the root admin key; `admin-token`: a named token (`rat-…`). */
  kind: 'admin' | 'admin-token'
  name: string
  role: Role
  /** May see logged request/response bodies (admins always; others by their token's flag). */
  canViewBodies: boolean
  /** How the caller authenticated: cookie callers are subject to the cross-site check. */
  via: 'bearer' | 'cookie'
}
