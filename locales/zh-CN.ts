import type { MsgKey } from './en'
import consoleMessages from './zh-CN/console'
import upstreamMessages from './zh-CN/upstreams'
import operationMessages from './zh-CN/operations'

/** 简体中文：与 en.ts 键完全一致（每个分区文件由类型保证不缺键、不多键）。 */
const zhCN: Record<MsgKey, string> = { ...consoleMessages, ...upstreamMessages, ...operationMessages }

export default zhCN
