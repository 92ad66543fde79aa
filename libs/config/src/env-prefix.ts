/** The prefix of an app's own variables: `topology-sync` reads `TOPOLOGY_SYNC_...`. */
export type EnvPrefix<App extends string> = App extends `${infer Head}-${infer Tail}`
  ? `${Uppercase<Head>}_${EnvPrefix<Tail>}`
  : Uppercase<App>;

export function envPrefix<App extends string>(app: App): EnvPrefix<App> {
  return app.toUpperCase().replaceAll('-', '_') as EnvPrefix<App>;
}

/** The app's own variable `<APP>_<NAME>` holding a `Value`, for the type of a schema's output. */
export type OwnEnv<App extends string, Name extends string, Value> = Record<
  `${EnvPrefix<App>}_${Name}`,
  Value
>;
