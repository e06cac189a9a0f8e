// Virtual modules Nitro's bundler provides to a server entry (types only, for `nuxt typecheck`).
declare module '#nitro-internal-pollyfills'
