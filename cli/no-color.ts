/**
 * Imported first by index.ts, before citty evaluates: citty colours its usage text unless NO_COLOR
 * is exactly "1", whatever the output is. Colour codes belong only on a terminal, and NO_COLOR with
 * any value (no-color.org) turns them off, so both cases become NO_COLOR=1 for citty.
 */
if (!process.stdout.isTTY || (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '')) process.env.NO_COLOR = '1'
