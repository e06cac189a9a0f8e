// https://nuxt.com/docs/api/configuration/nuxt-config
export default defineNuxtConfig({
  compatibilityDate: '2025-07-15',
  // Pages, components and composables live at the project root (the design card's layout).
  srcDir: '.',
  serverDir: 'server',
  devtools: { enabled: false },
  telemetry: false,
  modules: ['@element-plus/nuxt'],
  elementPlus: { importStyle: 'css' },
  build: { transpile: ['trpc-nuxt'] },
  // The admin is a client-rendered SPA; the public API is plain Nitro routes.
  routeRules: {
    '/': { redirect: '/admin' },
    '/admin/**': { ssr: false },
  },
  // Every key here can be set by its NUXT_* variable; validated once at boot (server/utils/runtime-config.ts).
  runtimeConfig: {
    dbPath: './data/rosetta.duckdb',
    adminKey: '',
    masterKey: '',
    configFile: '',
    logBodies: 'true',
    maxBodyMb: 32,
    metricsToken: '',
  },
  nitro: {
    // DuckDB's native binding must stay external; Nitro traces it into .output/server/node_modules.
    externals: { external: ['@duckdb/node-api', '@duckdb/node-bindings'] },
  },
  typescript: { strict: true },
})
