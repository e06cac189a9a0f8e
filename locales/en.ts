import consoleMessages from './en/console'
import upstreamMessages from './en/upstreams'
import operationMessages from './en/operations'

/** The English catalog, the reference: every other language has exactly its keys (one file per area). */
const en = { ...consoleMessages, ...upstreamMessages, ...operationMessages } as const

export type MsgKey = keyof typeof en
export default en as Record<MsgKey, string>
