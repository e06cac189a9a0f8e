import { defineCommand } from 'citty'
import { api, common } from '../context'
import { print } from '../output'

export default defineCommand({
  meta: { name: 'health', description: 'Is the server up, and what does it serve' },
  args: common,
  run: async ({ args }) => print(await api(args).health.get.query(), args.json),
})
