import { defineCommand } from 'citty'
import { api, common } from '../context'
import { print } from '../output'

export default defineCommand({
  meta: { name: 'admin-key', description: 'The root admin key' },
  subCommands: {
    rotate: defineCommand({
      meta: { description: 'Replace the admin key: the new one is printed once, the old one stops working at once' },
      args: common,
      run: async ({ args }) => print(await api(args).security.rotateAdminKey.mutate(), args.json),
    }),
    info: defineCommand({
      meta: { description: 'The admin key, masked, with when it was created and rotated' },
      args: common,
      run: async ({ args }) => print(await api(args).security.keyInfo.query(), args.json),
    }),
  },
})
