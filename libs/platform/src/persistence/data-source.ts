import { DataSource, type DataSourceOptions, type MixedList } from 'typeorm';

export interface ServiceDatabaseOptions {
  url: string;
  /** The PostgreSQL schema this service owns; nothing else reads or writes it. */
  schema: string;
  // TypeORM's own list type: entity and migration classes.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function>;
  applicationName: string;
}

/** TypeORM options for a service: its own schema, its migrations applied at start, never synchronize. */
export function serviceDataSourceOptions(options: ServiceDatabaseOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    migrationsRun: true,
    synchronize: false,
    applicationName: options.applicationName,
    connectTimeoutMS: 3000,
    extra: { max: 10, options: `-c search_path=${options.schema}` },
  };
}

/**
 * Creates the service's schema if it is missing (TypeORM keeps its migrations table inside
 * it, so it must exist first), then connects and applies pending migrations.
 */
export async function initializeServiceDataSource(options: DataSourceOptions): Promise<DataSource> {
  if (options.type !== 'postgres' || !options.schema)
    throw new Error('expected PostgreSQL options with a schema');
  const bootstrap = new DataSource({
    ...options,
    schema: undefined,
    entities: [],
    migrations: [],
    migrationsRun: false,
  });
  await bootstrap.initialize();
  try {
    // Look first: a least-privilege role owns its schema but may not create schemas at all.
    const found = await bootstrap.query<unknown[]>('SELECT 1 FROM pg_namespace WHERE nspname = $1', [
      options.schema,
    ]);
    if (found.length === 0) await bootstrap.query(`CREATE SCHEMA "${options.schema.replace(/"/g, '""')}"`);
  } finally {
    await bootstrap.destroy();
  }
  return new DataSource(options).initialize();
}
