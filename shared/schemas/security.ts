import { z } from 'zod'

/**
 * Admin roles, admin tokens and client keys as the admin API, the UI and the CLI see them.
 * Roles are ordered: each one can do everything the ones before it can.
 */
export const ROLES = ['viewer', 'operator', 'admin'] as const
export type Role = (typeof ROLES)[number]
export const roleSchema = z.enum(ROLES)

const name = z.string().trim().min(1).max(100)
const isoTime = z.iso.datetime({ offset: true })

export const adminTokenCreateSchema = z.strictObject({
  name,
  role: roleSchema,
  /** Viewers see logged request/response bodies only with this flag; admins always may. */
  canViewBodies: z.boolean().default(false),
  expiresAt: isoTime.nullable().default(null),
})

export const adminTokenUpdateSchema = z.strictObject({
  name,
  role: roleSchema.optional(),
  canViewBodies: z.boolean().optional(),
  enabled: z.boolean().optional(),
  expiresAt: isoTime.nullable().optional(),
})

const positiveInt = z.number().int().positive()
const positiveUsd = z.number().positive().max(1e9)

/** Limits and budgets of a client key; null means "no limit". */
export const clientKeyLimitsSchema = z.strictObject({
  rpm: positiveInt.nullable(),
  tpm: positiveInt.nullable(),
  dayTokens: positiveInt.nullable(),
  monthTokens: positiveInt.nullable(),
  dayUsd: positiveUsd.nullable(),
  monthUsd: positiveUsd.nullable(),
})

export const clientKeyCreateSchema = z.strictObject({
  name,
  owner: z.string().trim().max(200).nullable().default(null),
  /** Allow-list of model-name globs (`gpt-*`); null = every model. */
  models: z.array(z.string().min(1).max(200)).max(200).nullable().default(null),
  enabled: z.boolean().default(true),
  expiresAt: isoTime.nullable().default(null),
  rpm: positiveInt.nullable().default(null),
  tpm: positiveInt.nullable().default(null),
  dayTokens: positiveInt.nullable().default(null),
  monthTokens: positiveInt.nullable().default(null),
  dayUsd: positiveUsd.nullable().default(null),
  monthUsd: positiveUsd.nullable().default(null),
})

export const clientKeyUpdateSchema = z.strictObject({
  name,
  owner: z.string().trim().max(200).nullable().optional(),
  models: z.array(z.string().min(1).max(200)).max(200).nullable().optional(),
  enabled: z.boolean().optional(),
  expiresAt: isoTime.nullable().optional(),
  rpm: positiveInt.nullable().optional(),
  tpm: positiveInt.nullable().optional(),
  dayTokens: positiveInt.nullable().optional(),
  monthTokens: positiveInt.nullable().optional(),
  dayUsd: positiveUsd.nullable().optional(),
  monthUsd: positiveUsd.nullable().optional(),
})

export const auditListSchema = z
  .strictObject({
    actor: z.string().optional(),
    action: z.string().optional(),
    outcome: z.enum(['ok', 'error', 'denied']).optional(),
    since: isoTime.optional(),
    until: isoTime.optional(),
    limit: z.number().int().min(1).max(1000).default(100),
    /** Rows with an id below this one (paging backwards in time). */
    beforeId: z.number().int().positive().optional(),
  })
  .default({ limit: 100 })

export type AdminTokenCreate = z.infer<typeof adminTokenCreateSchema>
export type ClientKeyCreate = z.infer<typeof clientKeyCreateSchema>
export type ClientKeyUpdate = z.infer<typeof clientKeyUpdateSchema>
export type AuditListInput = z.infer<typeof auditListSchema>
