/**
 * What a request needs before the server may call itself ready, in boot order. Boot marks each step
 * as it completes; `/health` lists the ones still pending while it answers 503.
 */
export const BOOT_STEPS = ['database', 'master key', 'admin key', 'configuration', 'log writers', 'admin tokens, sessions and client-key limits'] as const
export type BootStep = (typeof BOOT_STEPS)[number]

const done = new Set<BootStep>()

export function bootStepDone(step: BootStep): void {
  done.add(step)
}

export function pendingBootSteps(): BootStep[] {
  return BOOT_STEPS.filter((s) => !done.has(s))
}
