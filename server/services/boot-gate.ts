/**
 * The moment the app is ready to serve: the boot plugin opens DuckDB, loads the keys and applies the
 * configuration asynchronously, and the server entry (server/entry/node-server.ts) prints its "ready"
 * line only once this settles. A failed boot exits the process instead, so no "listening" line is ever
 * printed for a server that cannot serve (meanwhile `/health` answers 503).
 */
export interface BootInfo {
  /** The DuckDB file in use. */
  database: string
}

let open: (info: BootInfo) => void = () => undefined
export const booted: Promise<BootInfo> = new Promise((resolve) => {
  open = resolve
})

export function markBooted(info: BootInfo): void {
  open(info)
}
