-- The read-only role of analysts and the API: mesh_reader (NOLOGIN; log in as a member of it, see
-- docs/sql.md "Read-only access"). Applied by src/db/analytics.ts on every migrate(): idempotent.
--
-- Roles belong to the whole cluster, so another database of the same server may create it at the
-- same moment: that is caught. A migrating user without CREATEROLE cannot create it: migrate goes on
-- without it (a NOTICE says so); create it once as a superuser and migrate grants it on the next start.
DO $roles$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mesh_reader') THEN
    BEGIN
      CREATE ROLE mesh_reader NOLOGIN;
      COMMENT ON ROLE mesh_reader IS 'Read-only access to the indexer tables (public), the rollups (rollup) and the analysts'' views (mesh).';
    EXCEPTION
      WHEN duplicate_object OR unique_violation THEN
        NULL;
      WHEN insufficient_privilege THEN
        RAISE NOTICE 'role mesh_reader not created (%): create it as a superuser (CREATE ROLE mesh_reader NOLOGIN) and run migrate again', SQLERRM;
        RETURN;
    END;
  END IF;

  EXECUTE format('GRANT CONNECT ON DATABASE %I TO mesh_reader', current_database());
  GRANT USAGE ON SCHEMA public, rollup, mesh TO mesh_reader;
  GRANT SELECT ON ALL TABLES IN SCHEMA public, rollup, mesh TO mesh_reader;
  GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA mesh TO mesh_reader;
  -- tables and views this (migrating) role creates later are readable too
  ALTER DEFAULT PRIVILEGES IN SCHEMA public, rollup, mesh GRANT SELECT ON TABLES TO mesh_reader;
END
$roles$;

-- Nobody but the owner creates objects in public (the default since PostgreSQL 15; older servers
-- granted CREATE to every role). Where this role does not own the schema, this only warns.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
