/** The tRPC error code of a failed call, if it is one. */
export function errorCode(e: unknown): string | undefined {
  return (e as { data?: { code?: string } })?.data?.code
}

export function errorMessage(e: unknown): string {
  return (e as Error)?.message ?? String(e)
}

/**
 * Runs an admin API call, shows its failure as a toast (an ended session goes to the login page)
 * and a success message when given. Returns undefined on failure.
 */
export async function call<T>(p: Promise<T>, ok?: string): Promise<T | undefined> {
  try {
    const r = await p
    if (ok) ElMessage.success(ok)
    return r
  } catch (e) {
    // The tRPC client has already sent the page to the login page ("session expired"): no toast.
    if (errorCode(e) === 'UNAUTHORIZED' && import.meta.client) {
      await useAuth().sessionEnded()
      return undefined
    }
    ElMessage.error({ message: errorMessage(e), showClose: true, duration: 6000 })
    return undefined
  }
}

/** `call` for mutations whose success carries no value: true when it worked. */
export async function run(p: Promise<unknown>, ok?: string): Promise<boolean> {
  let failed = false
  await call(
    p.catch((e) => {
      failed = true
      throw e
    }),
    ok,
  )
  return !failed
}
