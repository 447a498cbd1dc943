import { type Pool, type PoolClient } from 'pg';
import { DataSource, type DataSourceOptions, type MixedList } from 'typeorm';
import { type PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { StartupError } from '../bootstrap/preflight';

export interface ServiceDatabaseOptions {
  url: string;
  /** The PostgreSQL schema this service owns; nothing else reads or writes it. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function>;
  applicationName: string;
}

/** Never synchronize: migrations only (see initializeServiceDataSource). */
export function serviceDataSourceOptions(options: ServiceDatabaseOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    migrationsRun: false,
    synchronize: false,
    applicationName: options.applicationName,
    connectTimeoutMS: 3000,
    extra: { max: 10, options: `-c search_path=${options.schema}` },
  };
}

/** The schema comes first: TypeORM keeps its migrations table in it. */
export async function initializeServiceDataSource(
  options: DataSourceOptions,
  mode: 'migrate' | 'verify' = 'migrate',
): Promise<DataSource> {
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
  const runner = bootstrap.createQueryRunner();
  try {
    await runner.connect();
    // Processes starting together create the schema once (the same lock as the migrations').
    await runner.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lockName(options.schema)]);
    // Look first: a least-privilege role owns its schema but may not create schemas at all.
    const found = (await runner.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [
      options.schema,
    ])) as unknown[];
    if (found.length === 0) await runner.query(`CREATE SCHEMA "${options.schema.replace(/"/g, '""')}"`);
  } finally {
    await runner
      .query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockName(options.schema)])
      .catch(() => undefined);
    await runner.release();
    await bootstrap.destroy();
  }
  const db = await new DataSource(options).initialize();
  keepLostConnectionsQuiet(db);
  try {
    if (mode === 'migrate') await migrateUnderLock(db, options.schema);
    else if (await db.showMigrations()) {
      throw new StartupError(
        `The database schema "${options.schema}" is behind this release: run its migrations first (npm run migrate, or the release's migration Job).`,
      );
    }
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return db;
}

async function migrateUnderLock(db: DataSource, schema: string): Promise<void> {
  const lock = db.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lockName(schema)]);
    await db.runMigrations({ transaction: 'each' });
  } finally {
    await lock
      .query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockName(schema)])
      .catch(() => undefined);
    await lock.release();
  }
}

/** An unheard 'error' from a pooled client whose connection ended would crash the process. */
function keepLostConnectionsQuiet(db: DataSource): void {
  const pool = (db.driver as PostgresDriver).master as Pool;
  const quiet = (client: PoolClient) => void client.on('error', () => undefined);
  pool.on('connect', quiet);
  (pool as unknown as { _clients?: PoolClient[] })._clients?.forEach(quiet);
}

const lockName = (schema: string): string => `twofold-migrations:${schema}`;
